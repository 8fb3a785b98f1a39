package runmode

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"apidesk/engine/batch"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

func TestRunForAList(t *testing.T) {
	srv, seen := peopleServer(t)
	a, v := newView(t)
	res := &resource.Resource{ID: "r1", Name: "Directory", BaseURL: srv.URL + "/t/{{tenant}}/api"}
	v.Open(&query.Query{ID: "q1", Name: "People by role", ResourceID: "r1", Path: "/people",
		Params:    kv.List{kv.On("role", "{{role}}")},
		Variables: []query.Variable{{Name: "tenant", Default: "acme"}}}, res)

	// A list that cannot be run says why, with the line, and sends nothing.
	_, err := v.openList("roles.csv", strings.NewReader("role,ticket\nadmin\n"))
	if !errors.Is(err, batch.ErrMalformed) || !strings.Contains(err.Error(), "roles.csv cannot be run: line 2: this row has 1 value") {
		t.Fatalf("openList = %v", err)
	}

	lr, err := v.openList("roles.csv", strings.NewReader("role,ticket\nadmin,T-1\nsupport,=cmd\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lr.about.Text, "roles.csv: 2 rows. Its columns fill in Role; the others (ticket) are kept") {
		t.Errorf("about: %q", lr.about.Text)
	}
	if r, c := lr.size(); r != 2 || c != 2 || lr.rows[1][0] != "support" {
		t.Errorf("preview %dx%d %q", r, c, lr.rows)
	}
	if len(seen()) != 0 {
		t.Fatal("opening the list sent requests")
	}
	test.Tap(lr.runBtn)
	a.Wait(t, v.Tasks())
	if got := seen(); len(got) != 2 || got[1] != "/t/acme/api/people?role=support" {
		t.Fatalf("server saw %v", got)
	}
	if lr.counts.Text != "2 of 2 rows succeeded" || lr.bar.Value != 2 || lr.saveBtn.Disabled() {
		t.Errorf("counts %q, bar %v", lr.counts.Text, lr.bar.Value)
	}
	// Each person of an answer's list is a row of the results, with the list's values repeated.
	if strings.Join(lr.columns, ",") != "role,ticket,status,error,name,result.role,rows" || len(lr.rows) != 4 ||
		strings.Join(lr.rows[0], ",") != "admin,T-1,200,,Ann,admin,2" || strings.Join(lr.rows[3], ",") != "support,=cmd,200,,Bo,support,2" {
		t.Errorf("results %q %q", lr.columns, lr.rows)
	}
	out := filepath.Join(t.TempDir(), "results.csv")
	if err := lr.saveTo(out); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), "support,'=cmd,200,,Bo,support,2\n") {
		t.Errorf("saved:\n%s", b)
	}
}

func TestRunForAListConfirmsAWrite(t *testing.T) {
	srv, _ := peopleServer(t)
	_, v := newView(t)
	res := &resource.Resource{ID: "r1", Name: "Billing", BaseURL: srv.URL}
	v.Open(&query.Query{ID: "q3", Name: "Refund order", ResourceID: "r1", Method: "POST", Path: "/refund/{{order_id}}"}, res)
	lr, err := v.openList("orders.csv", strings.NewReader("order_id\n1\n2\n3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lr.about.Text, "This will POST to Billing: Refund order once for each of the 3 rows.") || lr.runBtn.Text != "Run 3 times" {
		t.Errorf("about %q, button %q", lr.about.Text, lr.runBtn.Text)
	}
}

func TestCancelAListRunKeepsTheRowsAnswered(t *testing.T) {
	srv, _ := peopleServer(t)
	a, v := newView(t)
	res := &resource.Resource{ID: "r1", Name: "Directory", BaseURL: srv.URL + "/t/acme/api"}
	v.Open(&query.Query{ID: "q1", Name: "People by role", ResourceID: "r1", Path: "/people", Params: kv.List{kv.On("role", "{{role}}")}}, res)
	lr, err := v.openList("roles.csv", strings.NewReader("role\na\nb\nc\nd\n"))
	if err != nil {
		t.Fatal(err)
	}
	lr.pause.SetSelected("1 s")
	test.Tap(lr.runBtn)
	a.WaitFor(t, func() bool { return lr.bar.Value >= 1 })
	test.Tap(lr.cancelBtn)
	a.Wait(t, v.Tasks())
	if lr.results == nil || lr.results.Succeeded() != 1 || lr.results.NotRun() != 3 || !strings.HasPrefix(lr.counts.Text, "1 of 4 rows succeeded, 3 not run") {
		t.Fatalf("after Cancel: %q", lr.counts.Text)
	}
}

// A fast list does not redraw for every row: the first and last progress, a server's wait, and otherwise one
// every progressEvery are shown.
func TestListProgressIsSpaced(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	p := func(done int) batch.Progress { return batch.Progress{Total: 100, Done: done} }
	for _, tt := range []struct {
		name       string
		p          batch.Progress
		shown, now time.Time
		want       bool
	}{
		{"the first", p(1), time.Time{}, t0, true},
		{"soon after", p(2), t0, t0.Add(time.Millisecond), false},
		{"a while after", p(50), t0, t0.Add(progressEvery), true},
		{"the last", p(100), t0, t0.Add(time.Millisecond), true},
		{"a wait", batch.Progress{Total: 100, Done: 3, Waiting: time.Second}, t0, t0.Add(time.Millisecond), true},
	} {
		if got := showProgressNow(tt.p, tt.shown, tt.now); got != tt.want {
			t.Errorf("%s: shown %v, want %v", tt.name, got, tt.want)
		}
	}
}
