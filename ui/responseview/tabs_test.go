package responseview

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"apidesk/ui/uitest"
)

// A new answer keeps the tab the person chose, unless the Table (or the Record) would show nothing for it: then
// the Record for one object, else the Body. An answer with rows keeps the Table.
func TestTheTabFollowsTheAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch strings.TrimSuffix(r.URL.Path, "/") { // fetch asks for the base URL given, with a /
		case "/list":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`[{"id":1},{"id":2}]`))
		case "/one":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":7,"name":"Ada"}`))
		default:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("<!DOCTYPE html><html><body>File not found</body></html>"))
		}
	}))
	t.Cleanup(srv.Close)
	a := uitest.NewApp(t)
	win := a.NewWindow("response")
	t.Cleanup(win.Close)
	v := New(win, Options{})
	t.Cleanup(v.Close)
	win.SetContent(v.Content())
	win.Resize(fyne.NewSize(1000, 700))
	r := uitest.Runner(t, uitest.Keychain(t))
	show := func(path string) {
		t.Helper()
		v.SetResponse(fetch(t, r, srv.URL+path))
		a.Wait(t, v.Tasks())
	}

	show("/list")
	if got := v.SelectedTab(); got != "Body" {
		t.Errorf("the first answer opened on %q; the editor opens on the Body", got)
	}
	v.SelectTab("Table")
	for _, step := range []struct{ path, choose, want string }{
		{"/list", "", "Table"},       // rows: the person's Table stays
		{"/one", "", "Record"},       // one object: no rows, so its record
		{"/list", "Table", "Table"},  // back to rows, on the Table chosen again
		{"/missing", "", "Body"},     // an HTML error page: no rows, no record
		{"/list", "Record", "Table"}, // a list on the Record: its rows
		{"/one", "Headers", "Headers"},
		{"/missing", "Body", "Body"},
	} {
		if step.choose != "" {
			v.SelectTab(step.choose)
		}
		show(step.path)
		if got := v.SelectedTab(); got != step.want {
			t.Errorf("%s on the %s tab: opened on %q, want %q", step.path, step.choose, got, step.want)
		}
	}

	// A list chosen later in the table does not move the tabs.
	show("/list")
	v.SelectTab("Table")
	v.Table().ShowArray("")
	a.Wait(t, v.Tasks())
	if got := v.SelectedTab(); got != "Table" {
		t.Errorf("choosing a list moved the tabs to %q", got)
	}
}
