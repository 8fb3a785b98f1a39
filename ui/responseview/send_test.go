package responseview

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/uitest"
)

// While a request runs the last answer is not shown as if it were current: the view says the request is on its
// way and offers Cancel; the next answer starts with an empty search box.
func TestWhileSendingTheLastAnswerIsHidden(t *testing.T) {
	a := uitest.NewApp(t)
	win := a.NewWindow("response")
	t.Cleanup(win.Close)
	v := New(win, Options{})
	t.Cleanup(v.Close)
	win.SetContent(v.Content())
	win.Resize(fyne.NewSize(1000, 700))

	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"path":"` + r.URL.Path + `"}`))
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })

	res := &resource.Resource{ID: "r", Name: "R", BaseURL: srv.URL}
	q := &query.Query{Path: "/fast"}
	var s *Sender
	s = NewSender(v, uitest.Runner(t, uitest.Keychain(t)), func() { s.Send(res, q, nil) },
		SenderLabels{Text: "Send", Waiting: "Waiting for the answer…"})

	test.Tap(s.Button())
	a.Wait(t, v.Tasks())
	if v.Status() != "200 OK" || !v.tabs.Visible() {
		t.Fatalf("first answer: %q, tabs shown %v", v.Status(), v.tabs.Visible())
	}
	v.Body().SetSearch("fast")
	a.Wait(t, v.Tasks())

	q.Path = "/slow"
	test.Tap(s.Button())
	if v.tabs.Visible() || v.summary.Visible() {
		t.Error("the last answer is still shown as if it were current while the next is on its way")
	}
	if !v.waiting.Visible() || v.waitText.Text != "Waiting for the answer…" || !v.waitCancel.Visible() {
		t.Errorf("waiting shown %v, %q, Cancel shown %v", v.waiting.Visible(), v.waitText.Text, v.waitCancel.Visible())
	}
	if got := win.Content().MinSize(); got.Height > 700 || got.Width > 1000 {
		t.Errorf("waiting asks for %v", got)
	}
	test.Tap(v.waitCancel)
	if s.Running() || v.waiting.Visible() || v.Problem().Headline() != "Cancelled" {
		t.Errorf("after Cancel: running %v, waiting shown %v, banner %q", s.Running(), v.waiting.Visible(), v.Problem().Headline())
	}

	q.Path = "/fast"
	test.Tap(s.Button())
	a.Wait(t, v.Tasks())
	if v.waiting.Visible() || !v.tabs.Visible() || v.Status() != "200 OK" {
		t.Errorf("the next answer: waiting shown %v, tabs shown %v, status %q", v.waiting.Visible(), v.tabs.Visible(), v.Status())
	}
	if got := v.Body().SearchText(); got != "" {
		t.Errorf("the search box still holds %q for the next answer", got)
	}
}
