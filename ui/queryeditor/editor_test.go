package queryeditor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/curl"
	"apidesk/engine/jsonview"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
	"apidesk/ui/uitest"
)

type fixture struct {
	app     *uitest.App
	ed      *Editor
	win     fyne.Window
	ws      *workspace.Workspace
	secrets *secret.Store
	res     *resource.Resource
	saved   []*query.Query
}

// newFixture opens an editor on a resource whose base URL is srv's, with a real workspace, keychain (the
// in-memory one) and runner.
func newFixture(t *testing.T, srv *httptest.Server, auth resource.Auth) *fixture {
	t.Helper()
	a := uitest.NewApp(t)
	fx := &fixture{app: a, ws: uitest.Workspace(t), secrets: uitest.Keychain(t)}
	fx.res = &resource.Resource{Name: "Items API", BaseURL: srv.URL + "/api", Auth: auth,
		Headers: kv.List{kv.On("Accept", "application/json")}}
	if err := fx.ws.SaveResource(context.Background(), fx.res, nil, nil); err != nil {
		t.Fatal(err)
	}
	fx.win = a.NewWindow("editor")
	t.Cleanup(fx.win.Close)
	fx.ed = New(Deps{Workspace: fx.ws, Runner: uitest.Runner(t, fx.secrets)}, fx.win)
	fx.ed.OnSaved = func(q *query.Query) { fx.saved = append(fx.saved, q) }
	t.Cleanup(fx.ed.Response().Close)
	fx.win.SetContent(fx.ed.Content())
	fx.win.Resize(fyne.NewSize(1000, 900))
	return fx
}

func (fx *fixture) open(q *query.Query) {
	q.ResourceID = fx.res.ID
	fx.ed.Edit(q, fx.res)
}

// itemsServer answers /api/items with a JSON array and records the paths and headers it saw.
type itemsServer struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
	auth  []string
}

func newItemsServer(t *testing.T) *itemsServer {
	s := &itemsServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.RequestURI())
		s.auth = append(s.auth, r.Header.Get("Authorization"))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/items/"):
			fmt.Fprintf(w, `{"id": %q, "name": "one item"}`, strings.TrimPrefix(r.URL.Path, "/api/items/"))
		case r.URL.Path == "/api/items":
			var items []map[string]any
			for i := 1; i <= 3; i++ {
				items = append(items, map[string]any{"id": i, "name": fmt.Sprintf("item %d", i), "price": i * 10})
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"data": items, "total": 3})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *itemsServer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...)
}

func TestSendShowsStatusBodyAndTable(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Name: "items", Method: "GET", Path: "/items"})

	test.Tap(fx.ed.sender.Button())
	fx.app.Wait(t, fx.ed.Tasks())

	rv := fx.ed.Response()
	if rv.Problem().Visible() {
		t.Fatalf("request failed: %s: %s", rv.Problem().Headline(), rv.Problem().Message())
	}
	if rv.Status() != "200 OK" {
		t.Errorf("status shown %q", rv.Status())
	}
	if !strings.Contains(rv.Meta(), "application/json") {
		t.Errorf("meta shown %q", rv.Meta())
	}
	doc := rv.Body().Doc()
	if doc == nil || doc.Kind() != jsonview.JSON {
		t.Fatalf("body not shown as JSON: %v", doc)
	}
	if !strings.Contains(string(doc.Bytes()), `"name": "item 2"`) {
		t.Errorf("body shown:\n%s", doc.Bytes())
	}
	tb := rv.Table().Table()
	if tb == nil {
		t.Fatal("no table shown")
	}
	if tb.Rows() != 3 || tb.Path() != "data" || strings.Join(tb.Columns(), ",") != "id,name,price" {
		t.Errorf("table: %d rows at %q, columns %v", tb.Rows(), tb.Path(), tb.Columns())
	}
	if got := srv.seen(); len(got) != 1 || got[0] != "/api/items" {
		t.Errorf("server saw %v", got)
	}
	if fx.ed.sender.Button().Text != "Send" || fx.ed.Running() {
		t.Errorf("after the answer: button %q, running %v", fx.ed.sender.Button().Text, fx.ed.Running())
	}
}

func TestCancelASlowRequest(t *testing.T) {
	arrived := make(chan struct{}, 1)
	gone := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
			gone <- struct{}{}
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	fx := newFixture(t, srv, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Name: "slow", Method: "GET", Path: "/slow"})

	test.Tap(fx.ed.sender.Button())
	<-arrived
	if !fx.ed.Running() || fx.ed.sender.Button().Text != "Cancel" || !fx.ed.sender.Activity().Visible() {
		t.Fatalf("while waiting: running %v, button %q, progress shown %v", fx.ed.Running(), fx.ed.sender.Button().Text, fx.ed.sender.Activity().Visible())
	}
	test.Tap(fx.ed.sender.Button()) // now Cancel
	fx.app.Wait(t, fx.ed.Tasks())
	select {
	case <-gone:
	case <-time.After(10 * time.Second):
		t.Fatal("the server never saw the request go away")
	}
	rv := fx.ed.Response()
	if rv.Problem().Headline() != "Cancelled" {
		t.Errorf("response area says %q / %q", rv.Problem().Headline(), rv.Problem().Message())
	}
	if fx.ed.Running() || fx.ed.sender.Button().Text != "Send" || fx.ed.sender.Activity().Visible() {
		t.Errorf("after cancel: running %v, button %q", fx.ed.Running(), fx.ed.sender.Button().Text)
	}
	if fx.ed.path.Text != "/slow" {
		t.Error("the path typed was lost")
	}
}

func TestVariablesAreSentAndMissingOnesNamed(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Name: "one", Method: "GET", Path: "/items/{{id}}",
		Params:    kv.List{kv.On("fields", "{{fields}}")},
		Variables: []query.Variable{{Name: "fields", Default: "name", Description: "Which fields"}}})
	if got := strings.Join(fx.ed.Variables(), ","); got != "id,fields" {
		t.Fatalf("variables tab lists %q", got)
	}

	fx.ed.Send()
	fx.app.Wait(t, fx.ed.Tasks())
	rv := fx.ed.Response()
	if rv.Problem().Headline() != "Some variables have no value" || !strings.Contains(rv.Problem().Message(), "id") {
		t.Errorf("without a value for id: %q / %q", rv.Problem().Headline(), rv.Problem().Message())
	}

	dirty := fx.ed.Dirty()
	fx.ed.SetValue("id", "42")
	fx.ed.Send()
	fx.app.Wait(t, fx.ed.Tasks())
	if got := srv.seen(); len(got) != 1 || got[0] != "/api/items/42?fields=name" {
		t.Errorf("server saw %v; want the value typed and the saved default", got)
	}
	if fx.ed.Dirty() != dirty {
		t.Error("typing a value to send changed the unsaved marker: values are not saved")
	}
	if got := fx.ed.collect().Variables; len(got) != 1 || got[0].Name != "fields" {
		t.Errorf("variables to save: %+v; the value typed for id must not be among them", got)
	}
}

func TestSaveWritesTheQueryAndClearsTheMarker(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	q := &query.Query{Name: "items", ResourceID: fx.res.ID, Method: "GET", Path: "/items"}
	if err := fx.ws.SaveQuery(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	fx.ed.Edit(q, fx.res)
	if fx.ed.Dirty() {
		t.Fatal("a saved query opens dirty")
	}
	fx.win.Canvas().Focus(fx.ed.path)
	fx.ed.path.SetText("")
	test.Type(fx.ed.path, "/items?page=2")
	fx.ed.method.SetSelected("POST")
	if !fx.ed.Dirty() || !strings.Contains(fx.ed.state.Text, "Unsaved") {
		t.Fatalf("after an edit: dirty %v, marker %q", fx.ed.Dirty(), fx.ed.state.Text)
	}
	test.Tap(fx.ed.saveBtn)
	fx.app.Wait(t, fx.ed.Tasks())
	if fx.ed.Dirty() || strings.Contains(fx.ed.state.Text, "Unsaved") {
		t.Errorf("after saving: dirty %v, marker %q", fx.ed.Dirty(), fx.ed.state.Text)
	}
	got, err := fx.ws.QueryByID(q.ID)
	if err != nil || got.Path != "/items?page=2" || got.Method != "POST" {
		t.Errorf("saved %+v, %v", got, err)
	}
	file, _ := fx.ws.File(q.ID)
	if text := uitest.Files(t, fx.ws.Dir())["queries/items.yaml"]; !strings.Contains(text, "page=2") {
		t.Errorf("%s:\n%s", file, text)
	}
	if len(fx.saved) != 1 {
		t.Errorf("OnSaved called %d times", len(fx.saved))
	}
}

func TestAnInvalidJSONBodyIsNotSentOrSaved(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	q := &query.Query{Name: "create", ResourceID: fx.res.ID, Method: "POST", Path: "/items",
		Body: query.Body{Kind: query.BodyJSON, Text: `{"name": "x"}`}}
	if err := fx.ws.SaveQuery(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	fx.ed.Edit(q, fx.res)
	if fx.ed.bodyHint.Text != "Valid JSON" {
		t.Errorf("hint for valid JSON: %q", fx.ed.bodyHint.Text)
	}
	fx.ed.bodyText.SetText(`{"name": }`)
	want := query.ValidateJSON(`{"name": }`).Error()
	if fx.ed.bodyHint.Text != want {
		t.Errorf("hint %q, want the engine's %q", fx.ed.bodyHint.Text, want)
	}
	fx.ed.Send()
	fx.ed.Save(nil)
	fx.app.Wait(t, fx.ed.Tasks())
	if len(srv.seen()) != 0 {
		t.Error("an invalid JSON body was sent")
	}
	if got, _ := fx.ws.QueryByID(q.ID); got.Body.Text != `{"name": "x"}` {
		t.Errorf("an invalid JSON body was saved: %q", got.Body.Text)
	}
	if !fx.ed.banner.Visible() || fx.ed.bodyText.Text != `{"name": }` {
		t.Error("no banner, or the body typed was lost")
	}
}

func TestPastingAWholeURLKeepsThePath(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Method: "GET"})
	fx.ed.path.SetText(srv.URL + "/api/items?page=3")
	if fx.ed.path.Text != "/items?page=3" {
		t.Errorf("path %q", fx.ed.path.Text)
	}
	// A URL elsewhere is refused with the engine's message as the person leaves the entry.
	fx.win.Canvas().Focus(fx.ed.path)
	fx.ed.path.SetText("https://elsewhere.example.com/x")
	fx.win.Canvas().Unfocus()
	if fx.ed.pathProblem.Text != query.ValidatePath("https://elsewhere.example.com/x").Error() || !fx.ed.pathProblem.Visible() {
		t.Errorf("under the path: %q", fx.ed.pathProblem.Text)
	}
}

func TestCopyAsCurlLeavesSecretsOut(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthBearer})
	const token = "canary-token-Kq3"
	if err := fx.secrets.Set(context.Background(), fx.res.ID, resource.SecretBearerToken, token); err != nil {
		t.Fatal(err)
	}
	fx.open(&query.Query{Name: "items", Method: "GET", Path: "/items"})
	fx.ed.Send()
	fx.app.Wait(t, fx.ed.Tasks())
	if got := srv.auth; len(got) != 1 || got[0] != "Bearer "+token {
		t.Fatalf("the request did not carry the token from the keychain: %q", got)
	}
	test.Tap(fx.ed.curlBtn)
	cmd := fyne.CurrentApp().Clipboard().Content()
	if !strings.Contains(cmd, "curl") || !strings.Contains(cmd, runner.BearerTokenPlaceholder) || strings.Contains(cmd, token) {
		t.Errorf("clipboard:\n%s", cmd)
	}
}

func TestImportedSecretsStayOutOfTheFile(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	const session = "canary-session-Ww8"
	im, err := curl.Import(fmt.Sprintf(`curl '%s/api/items?page=2' -H 'Cookie: sessionid=%s' -H 'X-Trace: on'`, srv.URL, session), fx.res)
	if err != nil {
		t.Fatal(err)
	}
	fx.ed.EditImported(im, fx.res)
	if !fx.ed.Dirty() || !fx.ed.banner.Visible() {
		t.Fatalf("imported query: dirty %v, banner %v", fx.ed.Dirty(), fx.ed.banner.Visible())
	}
	fx.ed.Send()
	fx.app.Wait(t, fx.ed.Tasks())
	if got := srv.seen(); len(got) != 1 || got[0] != "/api/items?page=2" {
		t.Errorf("server saw %v", got)
	}
	q := fx.ed.collect()
	q.Name = "imported"
	fx.ed.save(q, nil)
	fx.app.Wait(t, fx.ed.Tasks())
	if _, err := fx.ws.QueryByName("imported"); err != nil {
		t.Fatalf("not saved: %v (%s)", err, fx.ed.banner.Message())
	}
	uitest.NoFileContains(t, fx.ws.Dir(), session)
}

func TestImportDialogExplainsAndKeepsWhatWasPasted(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	var got *curl.Imported
	ShowImportDialog(fx.win, []*resource.Resource{fx.res}, fx.res.ID, func(im *curl.Imported, _ *resource.Resource) { got = im })
	top := fx.win.Canvas().Overlays().Top()
	var text *widget.Entry
	var importBtn *widget.Button
	var banner string
	find := func() {
		for _, o := range test.LaidOutObjects(top) {
			switch x := o.(type) {
			case *widget.Entry:
				if x.MultiLine {
					text = x
				}
			case *widget.Button:
				if x.Text == "Import" {
					importBtn = x
				}
			}
		}
	}
	find()
	if text == nil || importBtn == nil {
		t.Fatal("no text box or Import button in the dialog")
	}
	bad := "curl https://elsewhere.example.com/x"
	text.SetText(bad)
	test.Tap(importBtn)
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && strings.Contains(l.Text, "base URL") {
			banner = l.Text
		}
	}
	if got != nil || banner == "" || text.Text != bad {
		t.Fatalf("a URL elsewhere: imported %v, message %q, text kept %v", got, banner, text.Text == bad)
	}
	text.SetText("curl '" + srv.URL + "/api/items?page=2' -H 'X-Trace: on'")
	test.Tap(importBtn)
	if got == nil || got.Query.Path != "/items" || len(got.Query.Params) != 1 {
		t.Fatalf("imported %+v", got)
	}
}
