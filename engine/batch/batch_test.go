package batch_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"apidesk/engine/batch"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// customers answers GET /customers/{id} with one JSON object, 404 for ids starting with "x".
func customers(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/customers/")
	if strings.HasPrefix(id, "x") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"message":"no customer %s"}`, id)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id":%q,"name":"Customer %s","plan":{"tier":"gold"},"note":null,"formula":"=1+1"}`, id, id)
}

func server(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func setup(t *testing.T, h http.HandlerFunc) (*runner.Runner, *resource.Resource, *query.Query) {
	srv := server(t, h)
	return runner.New(nil, nil), &resource.Resource{ID: "r1", Name: "CRM", BaseURL: srv.URL},
		&query.Query{Name: "customer", Method: http.MethodGet, Path: "/customers/{{id}}"}
}

func read(t *testing.T, text string) *batch.List {
	t.Helper()
	l, err := batch.Read(strings.NewReader(text))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return l
}

func ids(n int) string {
	var b strings.Builder
	b.WriteString("id\n")
	for i := range n {
		fmt.Fprintf(&b, "%d\n", i+1)
	}
	return b.String()
}

func TestReadRefusesMalformedListsWithTheLine(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		want       string
	}{
		{"empty", "", 0, "the list is empty"},
		{"only blank lines", "\n\n  \n", 0, "the list is empty"},
		{"header only", "id,email\n", 0, "no rows under it"},
		{"ragged, too few", "id,email\n1,a@x\n2\n", 3, "this row has 1 value but the first line names 2 columns"},
		{"ragged, too many", "id,email\n1,a@x\n\n2,b@x,extra\n", 4, "this row has 3 values"},
		{"duplicate name", "id,email,id\n1,a,1\n", 1, `the column name "id" appears twice (columns 1 and 3)`},
		{"blank name", "id,,email\n1,2,3\n", 1, "column 2 has no name"},
		{"bare quote", "id,email\n1,a\"b\n", 2, "does not start with one"},
		{"unclosed quote", "id,email\n1,\"a@x\n2,b\n", 2, "not closed properly"},
		{"not utf-8", "id,name\n1,ok\n2,caf\xe9\n", 3, "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := batch.Read(strings.NewReader(tt.text))
			var le *batch.LineError
			if !errors.As(err, &le) || !errors.Is(err, batch.ErrMalformed) {
				t.Fatalf("Read = %v, want a LineError", err)
			}
			if le.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Read = %q (line %d), want line %d and %q", err, le.Line, tt.line, tt.want)
			}
			if tt.line > 0 && !strings.HasPrefix(err.Error(), fmt.Sprintf("line %d: ", tt.line)) {
				t.Fatalf("the message %q does not start with its line", err)
			}
		})
	}
}

func TestReadBOMSemicolonsAndQuotedLines(t *testing.T) {
	l := read(t, "\uFEFF id ;email\r\n1;\"a\nb\"\r\n\r\n2;b@x\r\n")
	if strings.Join(l.Header, "|") != "id|email" {
		t.Fatalf("header %q", l.Header)
	}
	if len(l.Rows) != 2 || l.Rows[0].Line != 2 || l.Rows[0].Values[1] != "a\nb" || l.Rows[1].Line != 5 {
		t.Fatalf("rows %+v", l.Rows)
	}
}

func TestCheckNeedsAColumnForAVariable(t *testing.T) {
	l := read(t, "email,note\na@x,hi\n")
	err := l.Check([]string{"id"}, nil)
	if !errors.Is(err, batch.ErrMalformed) || !strings.Contains(err.Error(), "line 1: no column is named after an input of the query: name the columns “id”") {
		t.Fatalf("Check = %v", err)
	}
	err = l.Check([]string{"email", "id", "tenant"}, map[string]string{"tenant": "acme"})
	if err == nil || !strings.Contains(err.Error(), "the query also needs “id”") {
		t.Fatalf("Check with a variable left out = %v", err)
	}
	if err := l.Check([]string{"email", "tenant"}, map[string]string{"tenant": "acme"}); err != nil {
		t.Fatalf("Check = %v", err)
	}
}

func TestRunEveryRowAndResultsAsCSV(t *testing.T) {
	rn, res, q := setup(t, customers)
	l := read(t, "id,ticket\n1,T-1\nx9,@T-2\n3,T-3\n")
	var last batch.Progress
	calls := 0
	rs, err := batch.Run(context.Background(), rn, res, q, l, batch.Options{OnProgress: func(p batch.Progress) { last = p; calls++ }})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rs.Succeeded() != 2 || fmt.Sprint(rs.Failed()) != "[3]" || rs.NotRun() != 0 {
		t.Fatalf("succeeded %d, failed %v, not run %d", rs.Succeeded(), rs.Failed(), rs.NotRun())
	}
	if calls != 3 || last.Done != 3 || last.Failed != 1 || last.Remaining() != 0 || last.Rate() <= 0 {
		t.Fatalf("%d progress calls, last %+v", calls, last)
	}
	var buf bytes.Buffer
	if err := rs.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("the results are not CSV: %v\n%s", err, buf.String())
	}
	want := [][]string{
		{"id", "ticket", "status", "error", "result.id", "name", "plan", "note", "formula", "message"},
		{"1", "T-1", "200", "", "1", "Customer 1", `{"tier":"gold"}`, "", "'=1+1", ""},
		{"x9", "'@T-2", "404", "the server answered 404 Not Found: “no customer x9”", "", "", "", "", "", "no customer x9"},
		{"3", "T-3", "200", "", "3", "Customer 3", `{"tier":"gold"}`, "", "'=1+1", ""},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("results\n got %q\nwant %q", got, want)
	}
}

func TestArrayAnswerIsARowPerElementAndSecretColumnsAreHidden(t *testing.T) {
	rn, res, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"a":1},{"a":2,"b":"x"}]`)
	})
	q := &query.Query{Method: http.MethodPost, Path: "/orders", Body: query.Body{Kind: query.BodyJSON, Text: `{"email":"{{email}}","password":"{{password}}"}`}}
	l := read(t, "email,password\na@x,hunter2\n")
	rs, err := batch.Run(context.Background(), rn, res, q, l, batch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cols, rows := rs.Table()
	if strings.Join(cols, ",") != "email,password,status,error,a,b,rows" || len(rows) != 2 ||
		strings.Join(rows[0], ",") != "a@x,•••,200,,1,,2" || strings.Join(rows[1], ",") != "a@x,•••,200,,2,x,2" {
		t.Fatalf("table %q %q", cols, rows)
	}
}

// A saved result shape picks the rows (data.items) and the columns, in its order and with its labels; a row
// whose answer has an empty list is one line with 0 rows, and a failed row keeps its line (with the fields of
// its answer, which is no list).
func TestResultShapeGivesTheResultColumns(t *testing.T) {
	rn, res, q := setup(t, func(w http.ResponseWriter, r *http.Request) {
		switch id := strings.TrimPrefix(r.URL.Path, "/customers/"); id {
		case "none":
			fmt.Fprint(w, `{"data":{"items":[]}}`)
		case "bad":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"bad id"}`)
		default:
			fmt.Fprintf(w, `{"data":{"items":[{"id":1,"email":"%s@x","plan":"gold","secret":"s"},{"id":2,"email":"%s@y","plan":"free"}]},"total":2}`, id, id)
		}
	})
	q.Result = &query.Result{Rows: "data.items", Columns: []query.Column{{Key: "email", Label: "E-mail"}, {Key: "id"}}}
	rs, err := batch.Run(context.Background(), rn, res, q, read(t, "id\nann\nnone\nbad\n"), batch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cols, rows := rs.Table()
	want := [][]string{
		{"ann", "200", "", "ann@x", "1", "2", ""},
		{"ann", "200", "", "ann@y", "2", "2", ""},
		{"none", "200", "", "", "", "0", ""},
		{"bad", "400", "the server answered 400 Bad Request: “bad id”", "", "", "", "bad id"}, // not a list: its fields
	}
	if strings.Join(cols, ",") != "id,status,error,E-mail,result.id,rows,result.error" || fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Fatalf("table %q\n got %q\nwant %q", cols, rows, want)
	}
}

func TestConcurrencyLimitIsHonoured(t *testing.T) {
	var inFlight, most atomic.Int32
	rn, res, q := setup(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		customers(w, r)
	})
	for _, limit := range []int{0, 3} {
		most.Store(0)
		rs, err := batch.Run(context.Background(), rn, res, q, read(t, ids(12)), batch.Options{Concurrency: limit})
		if err != nil || rs.Succeeded() != 12 {
			t.Fatalf("concurrency %d: %v, %d succeeded", limit, err, rs.Succeeded())
		}
		if want := int32(max(limit, 1)); most.Load() != want {
			t.Errorf("concurrency %d: at most %d requests at once, want %d", limit, most.Load(), want)
		}
	}
}

func TestDelayBetweenRequests(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	rn, res, q := setup(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		customers(w, r)
	})
	start := time.Now()
	if _, err := batch.Run(context.Background(), rn, res, q, read(t, ids(3)), batch.Options{Delay: 150 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 420*time.Millisecond {
		t.Errorf("3 rows with a 150ms delay took %v: no pause after the last request is needed", took)
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < 150*time.Millisecond {
			t.Errorf("request %d came %v after the one before, want at least the 150ms delay", i+1, gap)
		}
	}
}

func TestTooManyRequestsWaitsForRetryAfter(t *testing.T) {
	var mu sync.Mutex
	var got []string
	refused := false
	var refusedAt time.Time
	rn, res, q := setup(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r.URL.Path)
		if r.URL.Path == "/customers/2" && !refused {
			refused, refusedAt = true, time.Now()
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		// A request already on its way when the 429 went out may arrive just after it; none may start later
		// within the second the server asked for.
		if since := time.Since(refusedAt); refused && since > 100*time.Millisecond && since < time.Second {
			http.Error(w, "sent before Retry-After", http.StatusTeapot)
			return
		}
		customers(w, r)
	})
	var waited time.Duration
	rs, err := batch.Run(context.Background(), rn, res, q, read(t, ids(4)), batch.Options{Concurrency: 2, OnProgress: func(p batch.Progress) {
		waited = max(waited, p.Waiting)
	}})
	if err != nil || rs.Succeeded() != 4 {
		t.Fatalf("Run: %v; %d succeeded; %+v", err, rs.Succeeded(), rs.Rows)
	}
	if waited != time.Second {
		t.Errorf("progress said a wait of %v, want 1s", waited)
	}
	if len(got) != 5 {
		t.Errorf("requests %v, want row 2 twice", got)
	}
}

func TestTooLongRetryAfterStopsTheRun(t *testing.T) {
	rn, res, q := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "come back in an hour", http.StatusTooManyRequests)
	})
	start := time.Now()
	rs, err := batch.Run(context.Background(), rn, res, q, read(t, ids(3)), batch.Options{})
	if !errors.Is(err, batch.ErrStopped) || !strings.Contains(err.Error(), "asked to wait 1 h before more requests") {
		t.Fatalf("Run = %v", err)
	}
	if time.Since(start) > 5*time.Second || rs.NotRun() != 3 {
		t.Fatalf("took %v, %d not run", time.Since(start), rs.NotRun())
	}
}

func TestStopOnError(t *testing.T) {
	var requests atomic.Int32
	rn, res, q := setup(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		customers(w, r)
	})
	l := read(t, "id\n1\nx2\n3\n4\n")
	rs, err := batch.Run(context.Background(), rn, res, q, l, batch.Options{StopOnError: true})
	if !errors.Is(err, batch.ErrStopped) || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("Run = %v", err)
	}
	if requests.Load() != 2 || rs.Succeeded() != 1 || rs.NotRun() != 2 {
		t.Fatalf("%d requests, %d succeeded, %d not run", requests.Load(), rs.Succeeded(), rs.NotRun())
	}
	// Without it, a failed row does not stop the others.
	requests.Store(0)
	rs, err = batch.Run(context.Background(), rn, res, q, l, batch.Options{})
	if err != nil || requests.Load() != 4 || rs.Succeeded() != 3 {
		t.Fatalf("Run = %v, %d requests, %d succeeded", err, requests.Load(), rs.Succeeded())
	}
}

func TestConnectionFailuresAreRowsThatFailed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(customers))
	srv.Close()
	res := &resource.Resource{ID: "r1", Name: "CRM", BaseURL: srv.URL}
	q := &query.Query{Method: http.MethodGet, Path: "/customers/{{id}}"}
	rs, err := batch.Run(context.Background(), runner.New(nil, nil), res, q, read(t, ids(2)), batch.Options{})
	if err != nil || len(rs.Failed()) != 2 || !strings.Contains(rs.Rows[0].Err, "could not connect") {
		t.Fatalf("Run = %v, rows %+v", err, rs.Rows)
	}
}

func TestCancelStopsTheRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var requests atomic.Int32
	rn, res, q := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 3 {
			cancel()
			<-r.Context().Done()
			return
		}
		customers(w, r)
	})
	rs, err := batch.Run(ctx, rn, res, q, read(t, ids(10)), batch.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	if requests.Load() != 3 || rs.Succeeded() != 2 || rs.NotRun() != 8 {
		t.Fatalf("%d requests, %d succeeded, %d not run", requests.Load(), rs.Succeeded(), rs.NotRun())
	}
	_, rows := rs.Table()
	if rows[2][1] != "" || !strings.HasPrefix(rows[2][2], "not run") {
		t.Fatalf("the row cancelled mid-request: %q", rows[2])
	}
}
