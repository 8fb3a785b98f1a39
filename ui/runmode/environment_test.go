package runmode

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/environment"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/environ"
	"apidesk/ui/uitest"
)

// Load more follows the pages of a run in the environment it ran in: on the origin the environment's {{base}}
// gives, and never on to another, where the credentials would go.
func TestLoadMoreStaysOnTheEnvironmentsOrigin(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	t.Cleanup(other.Close)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next := srv.URL + "/orders?after=2"
		if r.URL.Query().Get("after") != "" {
			next = other.URL + "/orders?after=4" // a next page on another site
		}
		w.Header().Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", next))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id": 1}, {"id": 2}]`))
	}))
	t.Cleanup(srv.Close)

	a := uitest.NewApp(t)
	ws := uitest.Workspace(t)
	keys := uitest.Keychain(t)
	staging := &environment.Environment{Name: "Staging", Variables: []environment.Variable{{Name: "base", Value: srv.URL}}}
	if err := ws.SaveEnvironment(t.Context(), staging); err != nil {
		t.Fatal(err)
	}
	active := environ.New(ws, keys)
	active.Set(staging)
	win := a.NewWindow("run")
	t.Cleanup(win.Close)
	v := New(Deps{Runner: uitest.Runner(t, keys), Env: active}, win)
	t.Cleanup(v.Response().Close)
	win.SetContent(v.Content())
	win.Resize(fyne.NewSize(1000, 800))

	res := &resource.Resource{ID: "r1", Name: "Shop", BaseURL: "{{base}}"}
	v.Open(&query.Query{ID: "q1", Name: "Orders", ResourceID: "r1", Path: "/orders", Paging: query.Paging{Kind: query.PagingLink}}, res)
	if in := v.Inputs(); len(in) != 0 {
		t.Errorf("run mode asks for %v, which Staging gives", in)
	}
	if !strings.Contains(v.subtitle.Text, srv.URL+"/orders") || !strings.Contains(v.subtitle.Text, "in Staging") {
		t.Errorf("the subtitle says %q", v.subtitle.Text)
	}
	v.Run()
	a.Wait(t, v.Tasks())
	if st := v.Response().Status(); st != "200 OK" {
		t.Fatalf("first page: %q %s", st, v.Response().Problem().Message())
	}
	test.Tap(v.pages.btn)
	a.Wait(t, v.Tasks())
	if got := v.pages.count.Text; !strings.HasPrefix(got, "4 rows, 2 pages. Stopped") || !strings.HasSuffix(got, "credentials go only to "+srv.URL) {
		t.Errorf("after Load more: %q", got)
	}
	if elsewhere.Load() != 0 || !v.pages.btn.Disabled() {
		t.Errorf("the next page on another site: %d requests there, Load more disabled %v", elsewhere.Load(), v.pages.btn.Disabled())
	}
}
