package queryeditor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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
	if rv.Problem().Headline() != "Some values are missing" || !strings.Contains(rv.Problem().Message(), "{{id}}") ||
		strings.Contains(rv.Problem().Message(), "--var") {
		t.Errorf("without a value for id: %q / %q, want it named in the window's words", rv.Problem().Headline(), rv.Problem().Message())
	}
	if fx.ed.tabs.Selected() != fx.ed.varsTab || fx.win.Canvas().Focused() != fx.ed.vars.rows["id"].value {
		t.Errorf("without a value for id: the focus is on %T, want the value of {{id}} in the Variables tab", fx.win.Canvas().Focused())
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
	fx.menuItem(t, "Copy as cURL").Action()
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
	var text *keyEntry
	var importBtn *widget.Button
	var banner string
	find := func() {
		for _, o := range test.LaidOutObjects(top) {
			switch x := o.(type) {
			case *keyEntry:
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

// visibleText is the text of every label shown in o, a line each.
func visibleText(o fyne.CanvasObject) string {
	var b strings.Builder
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok && l.Visible() && l.Text != "" {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

// nameDialog is the name dialog on top of the window: its focused name entry, and its Save button.
func (fx *fixture) nameDialog(t *testing.T) (*keyEntry, *widget.Button, fyne.CanvasObject) {
	t.Helper()
	top := fx.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog shown")
	}
	name, ok := fx.win.Canvas().Focused().(*keyEntry)
	if !ok {
		t.Fatalf("the focus is on %T, want the dialog's name entry", fx.win.Canvas().Focused())
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Save" {
			return name, b, top
		}
	}
	t.Fatal("no Save button in the dialog")
	return nil, nil, nil
}

func TestSaveAfterImportAsksForAName(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	im, err := curl.Import("curl '"+srv.URL+"/api/items?page=2'", fx.res)
	if err != nil {
		t.Fatal(err)
	}
	fx.ed.EditImported(im, fx.res)
	test.Tap(fx.ed.saveBtn)
	name, _, _ := fx.nameDialog(t)
	test.Type(name, "Imported items")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	fx.app.Wait(t, fx.ed.Tasks())
	got, err := fx.ws.QueryByName("Imported items")
	if err != nil || got.Path != "/items" || fx.ed.Dirty() {
		t.Fatalf("saved %+v, %v; dirty %v; banner %q", got, err, fx.ed.Dirty(), fx.ed.banner.Message())
	}
}

func TestNameDialogEnterSavesEscapeCancels(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Method: "GET", Path: "/items"})

	fx.ed.Save(nil)
	name, _, _ := fx.nameDialog(t)
	test.Type(name, "Never saved")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if top := fx.win.Canvas().Overlays().Top(); top != nil {
		t.Fatal("Escape left the dialog open")
	}
	fx.app.Wait(t, fx.ed.Tasks())
	if len(fx.ws.Queries()) != 0 {
		t.Fatal("Escape saved the query")
	}

	fx.ed.Save(nil)
	name, _, _ = fx.nameDialog(t)
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // no name yet: Enter does nothing
	if fx.win.Canvas().Overlays().Top() == nil {
		t.Fatal("Enter without a name closed the dialog")
	}
	test.Type(name, "All items")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	fx.app.Wait(t, fx.ed.Tasks())
	if fx.win.Canvas().Overlays().Top() != nil {
		t.Error("Enter left the dialog open")
	}
	if _, err := fx.ws.QueryByName("All items"); err != nil {
		t.Fatalf("Enter did not save: %v", err)
	}
}

func TestSaveAsSelectsTheOfferAndSaysWhyANameIsTaken(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	q := &query.Query{Name: "All users", ResourceID: fx.res.ID, Method: "GET", Path: "/items"}
	if err := fx.ws.SaveQuery(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	fx.ed.Edit(q, fx.res)

	test.Tap(fx.ed.saveAsBtn)
	name, save, top := fx.nameDialog(t)
	if name.Text != "All users copy" || name.SelectedText() != "All users copy" {
		t.Fatalf("offered %q with %q selected, want it all selected", name.Text, name.SelectedText())
	}
	test.Type(name, "Everyone")
	if name.Text != "Everyone" {
		t.Fatalf("typing over the offer gave %q, want it replaced", name.Text)
	}
	name.SetText("All users")
	want := `A query named "All users" already exists in Items API`
	if !save.Disabled() || !strings.Contains(visibleText(top), want) {
		t.Fatalf("a taken name: Save disabled %v; the dialog says:\n%s\nwant %q", save.Disabled(), visibleText(top), want)
	}
	name.SetText("All users, again")
	if save.Disabled() || strings.Contains(visibleText(top), "already exists") {
		t.Errorf("a free name: Save disabled %v; the dialog says:\n%s", save.Disabled(), visibleText(top))
	}
}

func TestSendWithInvalidJSONSaysWhyUnderSendAndFocusesTheBody(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Name: "create", Method: "POST", Path: "/items",
		Body: query.Body{Kind: query.BodyJSON, Text: "{\n  \"a\": 1\n  \"b\": 2\n}"}})
	fx.win.Canvas().Focus(fx.ed.path)

	test.Tap(fx.ed.sender.Button())
	fx.app.Wait(t, fx.ed.Tasks())
	if len(srv.seen()) != 0 {
		t.Fatal("an invalid JSON body was sent")
	}
	shown := visibleText(fx.win.Canvas().Content())
	if want := "The body is not valid JSON: line 3, a comma or } is missing"; !fx.ed.sendProblem.Visible() || !strings.Contains(fx.ed.sendProblem.Text, want) {
		t.Errorf("under Send: %q (shown %v), want %q", fx.ed.sendProblem.Text, fx.ed.sendProblem.Visible(), want)
	}
	for _, parser := range []string{"invalid character", "looking for"} {
		if strings.Contains(shown, parser) {
			t.Errorf("the parser's words %q reach the window:\n%s", parser, shown)
		}
	}
	if fx.win.Canvas().Focused() != fx.ed.bodyText || fx.ed.tabs.Selected() != fx.ed.bodyTab {
		t.Errorf("the focus is on %T, want the body", fx.win.Canvas().Focused())
	}
	if fx.ed.bodyText.CursorRow != 2 {
		t.Errorf("cursor on row %d, want the line the body stops being JSON (2 from 0)", fx.ed.bodyText.CursorRow)
	}
	test.Type(fx.ed.bodyText, ",")
	if fx.ed.sendProblem.Visible() {
		t.Error("the message under Send stays after the body was edited")
	}
}

func TestEscapeCancelsARunningRequest(t *testing.T) {
	arrived := make(chan struct{}, 2)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	fx := newFixture(t, srv, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Name: "slow", Method: "GET", Path: "/slow"})
	escape := &fyne.KeyEvent{Name: fyne.KeyEscape}

	// Enter in the path sends; Escape there cancels.
	fx.win.Canvas().Focus(fx.ed.path)
	fx.ed.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	<-arrived
	fx.ed.path.TypedKey(escape)
	fx.app.Wait(t, fx.ed.Tasks())
	if fx.ed.Running() || fx.ed.Response().Problem().Headline() != "Cancelled" {
		t.Fatalf("Escape in the path: running %v, response says %q", fx.ed.Running(), fx.ed.Response().Problem().Headline())
	}

	// With nothing focused, the window's Escape cancels.
	fx.win.Canvas().Unfocus()
	test.Tap(fx.ed.sender.Button())
	<-arrived
	fx.win.Canvas().OnTypedKey()(escape)
	fx.app.Wait(t, fx.ed.Tasks())
	if fx.ed.Running() || fx.ed.Response().Problem().Headline() != "Cancelled" {
		t.Fatalf("Escape in the window: running %v, response says %q", fx.ed.Running(), fx.ed.Response().Problem().Headline())
	}
}

// menuItem finds an item of the header's More menu.
func (fx *fixture) menuItem(t *testing.T, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range fx.ed.MoreMenu().Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("no %q under More", label)
	return nil
}

// The header's More button opens its menu on screen, with Copy as cURL (and Import cURL when the window can).
func TestMoreMenu(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Name: "items", Method: "GET", Path: "/items"})
	test.Tap(fx.ed.moreBtn)
	top := fx.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("More opened no menu")
	}
	var labels []string
	for _, o := range test.LaidOutObjects(top) {
		switch x := o.(type) {
		case *widget.Label:
			labels = append(labels, x.Text)
		case *canvas.Text:
			labels = append(labels, x.Text)
		}
	}
	if !slices.Contains(labels, "Copy as cURL") {
		t.Errorf("More menu shows %q", labels)
	}
	fx.win.Canvas().Overlays().Remove(top)
	fx.ed.OnImportCurl = func(*resource.Resource) {}
	fx.menuItem(t, "Import cURL…")
}

// A query's saved result shape decides the editor's table too: here the column "name" only, labelled.
func TestEditorTableFollowsTheSavedResultShape(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Name: "items", Method: "GET", Path: "/items",
		Result: &query.Result{Rows: "data", Columns: []query.Column{{Key: "name", Label: "Item"}}}})
	fx.ed.Send()
	fx.app.Wait(t, fx.ed.Tasks())
	tab := fx.ed.Response().Table().Table()
	if tab == nil || tab.Rows() != 3 || len(tab.Columns()) != 1 {
		t.Fatalf("table: %+v", tab)
	}
}

func TestValuesTypedComeBackWithTheQueryAndARenameKeepsTheAnswer(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	ctx := context.Background()
	one := &query.Query{Name: "One item", ResourceID: fx.res.ID, Method: "GET", Path: "/items/{{id}}"}
	other := &query.Query{Name: "Other item", ResourceID: fx.res.ID, Method: "GET", Path: "/items/{{id}}"}
	for _, q := range []*query.Query{one, other} {
		if err := fx.ws.SaveQuery(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	value := func() string { return fx.ed.vars.rows["id"].value.Text }

	fx.ed.Edit(one, fx.res)
	test.Type(fx.ed.vars.rows["id"].value, "7")
	fx.ed.Send()
	fx.app.Wait(t, fx.ed.Tasks())
	if fx.ed.Response().Status() != "200 OK" {
		t.Fatalf("status %q", fx.ed.Response().Status())
	}

	// Renamed from the sidebar: the window saves it under the new name and shows it again.
	renamed := *one
	renamed.Name = "The item"
	if err := fx.ws.SaveQuery(ctx, &renamed); err != nil {
		t.Fatal(err)
	}
	fx.ed.Edit(&renamed, fx.res)
	if value() != "7" || fx.ed.Response().Response() == nil {
		t.Errorf("after a rename: value %q, answer shown %v; want both kept", value(), fx.ed.Response().Response() != nil)
	}

	// Another query has its own values and no answer yet; coming back brings the values back.
	fx.ed.Edit(other, fx.res)
	if value() != "" || fx.ed.Response().Response() != nil {
		t.Errorf("another query shows value %q, answer shown %v", value(), fx.ed.Response().Response() != nil)
	}
	test.Type(fx.ed.vars.rows["id"].value, "8")
	fx.ed.Edit(&renamed, fx.res)
	if value() != "7" {
		t.Errorf("back on the query: value %q, want 7", value())
	}
	fx.ed.Edit(other, fx.res)
	if value() != "8" {
		t.Errorf("back on the other query: value %q, want 8", value())
	}

	// A new query's values stay with it once saved; a new query after it starts empty.
	fx.open(&query.Query{Method: "GET", Path: "/items/{{id}}"})
	if value() != "" {
		t.Errorf("a new query shows value %q", value())
	}
	test.Type(fx.ed.vars.rows["id"].value, "9")
	test.Tap(fx.ed.saveBtn)
	name, _, _ := fx.nameDialog(t)
	test.Type(name, "Third item")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	fx.app.Wait(t, fx.ed.Tasks())
	third, err := fx.ws.QueryByName("Third item")
	if err != nil {
		t.Fatal(err)
	}
	fx.open(&query.Query{Method: "GET", Path: "/items/{{id}}"})
	if value() != "" {
		t.Errorf("another new query shows value %q", value())
	}
	fx.ed.Edit(third, fx.res)
	if value() != "9" {
		t.Errorf("the saved new query: value %q, want 9", value())
	}
}

func TestTheRequestLineSpeaksPlainly(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Method: "GET"})
	fx.ed.bodyKind.SetSelected(bodyJSON)
	fx.ed.bodyText.SetText(`{"id": {{id}}}`)
	fx.ed.onFormatJSON()
	var shown []string
	for i := range fx.ed.tabs.Items {
		fx.ed.tabs.SelectIndex(i)
		shown = append(shown, uitest.Texts(fx.ed.Content())...)
	}
	slices.Sort(shown)
	shown = slices.Compact(shown)
	if !slices.Contains(shown, fx.ed.path.PlaceHolder) || !slices.Contains(shown, fx.ed.bodyHint.Text) {
		t.Fatalf("the path's placeholder %q or the body's hint %q is not shown", fx.ed.path.PlaceHolder, fx.ed.bodyHint.Text)
	}
	for _, s := range shown {
		for _, jargon := range []string{"{{variables}}", "name=value", "strings"} {
			if strings.Contains(s, jargon) {
				t.Errorf("%q says %q", s, jargon)
			}
		}
	}
}

// In a short window (900×600 less the toolbar and sidebar) the request's tabs still show their bar and two rows
// and a half: the split moves down for them.
func TestTabsKeepThreeRowsInAShortWindow(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Name: "items", Method: "POST", Path: "/items"})
	fx.win.Resize(fyne.NewSize(660, 510))
	row := widget.NewEntry().MinSize().Height
	if h := fx.ed.tabs.Size().Height; h < 3.5*row {
		t.Errorf("the tabs are %v high in a 510 px editor, want at least %v (their bar and two rows and a half)", h, 3.5*row)
	}
	if h := fx.ed.response.Content().Size().Height; h < 150 {
		t.Errorf("the response is %v high, want room for its status, tabs and some lines", h)
	}
}
