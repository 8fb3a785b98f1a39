package runmode

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/uitest"
)

// countingServer counts the requests it is sent, and answers each with what it was sent.
func countingServer(t *testing.T) (*httptest.Server, func() []string) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+string(b))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"method": "` + r.Method + `", "uri": "` + r.URL.RequestURI() + `", "pin": "` + r.Header.Get("X-Pin") + `"}`))
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

func writeQuery() *query.Query {
	return &query.Query{ID: "refund", Name: "Refund order", ResourceID: "r1", Method: "POST", Path: "/orders/{{order_id}}/refund",
		Params:  kv.List{kv.On("amount", "{{amount}}")},
		Headers: kv.List{kv.On("X-Pin", "{{pin}}")},
		Variables: []query.Variable{
			{Name: "amount", Type: query.TypeNumber},
			{Name: "pin", Type: query.TypeSecret},
		}}
}

// A query that may change something asks first, with the values filled in (a secret's as •••); Cancel and
// Escape send nothing, Run sends it once.
func TestAWriteAsksBeforeItRuns(t *testing.T) {
	srv, seen := countingServer(t)
	a, v := newView(t)
	res := &resource.Resource{ID: "r1", Name: "Billing", BaseURL: srv.URL}
	v.Open(writeQuery(), res)
	v.SetValue("order_id", "1234")
	v.SetValue("amount", "10.00")
	v.SetValue("pin", "4321")

	test.Tap(v.sender.Button())
	want := "This will POST to Billing: Refund order — order_id 1234, amount 10.00, pin •••. Run it?"
	if got := v.Asking(); got != want {
		t.Fatalf("asks %q, want %q", got, want)
	}
	if shown := strings.Join(uitest.Texts(v.win.Canvas().Overlays().Top()), " "); !strings.Contains(shown, want) || !strings.Contains(shown, "Cancel") {
		t.Errorf("the question is not shown: %s", shown)
	}
	if v.win.Canvas().Focused() != nil {
		t.Errorf("%T has the focus: an Enter would answer", v.win.Canvas().Focused())
	}
	v.Answer(false)
	a.Wait(t, v.Tasks())
	if v.Asking() != "" || len(seen()) != 0 {
		t.Fatalf("Cancel: asking %q, sent %v", v.Asking(), seen())
	}

	// Escape, with the focus nowhere, and with it on Run.
	v.Run()
	v.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	v.Run()
	v.win.Canvas().Focus(v.confirm.run)
	v.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	a.Wait(t, v.Tasks())
	if v.Asking() != "" || len(seen()) != 0 {
		t.Fatalf("Escape: asking %q, sent %v", v.Asking(), seen())
	}

	// Enter on Cancel cancels; Enter on Run runs.
	v.Run()
	v.win.Canvas().Focus(v.confirm.cancel)
	v.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	a.Wait(t, v.Tasks())
	if len(seen()) != 0 {
		t.Fatalf("Enter on Cancel sent %v", seen())
	}
	v.Run()
	v.win.Canvas().Focus(v.confirm.run)
	v.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	a.Wait(t, v.Tasks())
	if got := seen(); len(got) != 1 || got[0] != "POST /orders/1234/refund?amount=10.00 " {
		t.Fatalf("Run sent %v", got)
	}
	if v.Response().Status() != "200 OK" {
		t.Errorf("status %q", v.Response().Status())
	}
}

// A GET runs at once; one whose file says confirm: true asks.
func TestAReadRunsAtOnceUnlessMarked(t *testing.T) {
	srv, seen := countingServer(t)
	a, v := newView(t)
	res := &resource.Resource{ID: "r1", Name: "Billing", BaseURL: srv.URL}
	q := &query.Query{ID: "look", Name: "Look up order", ResourceID: "r1", Method: "GET", Path: "/orders/{{order_id}}"}
	v.Open(q, res)
	v.SetValue("order_id", "7")
	test.Tap(v.sender.Button())
	a.Wait(t, v.Tasks())
	if v.Asking() != "" || len(seen()) != 1 {
		t.Fatalf("a GET asked %q, sent %v", v.Asking(), seen())
	}

	marked := *q
	marked.Confirm = true
	v.Open(&marked, res)
	v.SetValue("order_id", "8")
	test.Tap(v.sender.Button())
	if got := v.Asking(); got != "This will GET to Billing: Look up order — order_id 8. Run it?" {
		t.Fatalf("a marked GET asks %q", got)
	}
	v.Answer(true)
	a.Wait(t, v.Tasks())
	if got := seen(); len(got) != 2 || !strings.HasPrefix(got[1], "GET /orders/8") {
		t.Errorf("sent %v", got)
	}
}
