package app

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/keychain"
	"apidesk/engine/oauth"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/sidebar"
	"apidesk/ui/uitest"
)

type fixture struct {
	app *uitest.App
	w   *App
	res *resource.Resource
	q   *query.Query
}

func newFixture(t *testing.T, prefs map[string]string) *fixture {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id": 1}, {"id": 2}]`))
	}))
	t.Cleanup(srv.Close)
	a := uitest.NewApp(t)
	ws := uitest.Workspace(t)
	store := uitest.Keychain(t)
	fx := &fixture{app: a}
	ctx := context.Background()
	fx.res = &resource.Resource{Name: "Local", BaseURL: srv.URL}
	if err := ws.SaveResource(ctx, fx.res, nil, nil); err != nil {
		t.Fatal(err)
	}
	fx.q = &query.Query{Name: "list", ResourceID: fx.res.ID, Method: "GET", Path: "/items"}
	if err := ws.SaveQuery(ctx, fx.q); err != nil {
		t.Fatal(err)
	}
	for k, v := range prefs {
		if v == "$query" {
			v = fx.q.ID
		}
		a.Preferences().SetString(k, v)
	}
	fx.w = New(a, Deps{Workspace: ws, Secrets: store, Runner: uitest.Runner(t, store)})
	t.Cleanup(func() {
		if fx.w.editor != nil { // built when first shown
			fx.w.editor.Response().Close()
		}
	})
	fx.w.Load()
	t.Cleanup(fx.w.stopWatching)
	a.Wait(t, fx.w.Tasks())
	return fx
}

// button finds a visible button with the text in the window's top overlay (a dialog).
func (fx *fixture) dialogButton(t *testing.T, text string) *widget.Button {
	t.Helper()
	top := fx.w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog open")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button in the dialog", text)
	return nil
}

func TestLoadFillsTheSidebarAndRestoresTheLastSelection(t *testing.T) {
	fx := newFixture(t, map[string]string{prefLastKind: "query", prefLastID: "$query"})
	if got := strings.Join(fx.w.sidebar.Shown(), "|"); got != "Local|  list" {
		t.Errorf("sidebar shows %q", got)
	}
	if fx.w.page != (editorPage{fx.w.editor}) || fx.w.editor.Query().ID != fx.q.ID {
		t.Fatalf("the last query is not shown in the editor")
	}
	if k, id := fx.w.sidebar.Selected(); k != sidebar.Query || id != fx.q.ID {
		t.Errorf("sidebar selection %v %q", k, id)
	}
	if title := fx.w.win.Title(); !strings.HasPrefix(title, "apidesk") || !strings.Contains(title, "list") {
		t.Errorf("title %q", title)
	}
}

func TestUnsavedEditsAreKeptOrDiscardedAsAsked(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Query, fx.q.ID)
	ed := fx.w.editor
	fx.w.send() // Ctrl+Enter sends the query shown
	fx.app.Wait(t, fx.w.Tasks())
	if ed.Response().Status() != "200 OK" {
		t.Fatalf("Ctrl+Enter did not send: %q %s", ed.Response().Status(), ed.Response().Problem().Message())
	}
	ed.SetPath("/items?page=2")
	if !ed.Dirty() || !strings.HasSuffix(fx.w.win.Title(), "•") {
		t.Fatalf("dirty %v, title %q", ed.Dirty(), fx.w.win.Title())
	}

	// Going to the resource asks first; Cancel stays, with the edit and the selection.
	fx.w.Select(sidebar.Resource, fx.res.ID)
	test.Tap(fx.dialogButton(t, "Cancel"))
	if fx.w.page != (editorPage{ed}) || !ed.Dirty() {
		t.Fatal("Cancel left the editor or lost the edit")
	}
	if k, id := fx.w.sidebar.Selected(); k != sidebar.Query || id != fx.q.ID {
		t.Errorf("the sidebar did not go back to the query: %v %q", k, id)
	}

	// Save saves, then goes.
	fx.w.Select(sidebar.Resource, fx.res.ID)
	test.Tap(fx.dialogButton(t, "Save"))
	fx.app.Wait(t, fx.w.Tasks())
	if fx.w.page != (formPage{Form: fx.w.form}) {
		t.Fatal("Save did not go on to the resource")
	}
	if got, _ := fx.w.deps.Workspace.QueryByID(fx.q.ID); got.Path != "/items?page=2" {
		t.Errorf("saved path %q", got.Path)
	}

	// Discard drops the edit.
	fx.w.Select(sidebar.Query, fx.q.ID)
	ed.SetPath("/other")
	fx.w.Select(sidebar.Resource, fx.res.ID)
	test.Tap(fx.dialogButton(t, "Discard changes"))
	if fx.w.page != (formPage{Form: fx.w.form}) {
		t.Fatal("Discard did not go on")
	}
	if got, _ := fx.w.deps.Workspace.QueryByID(fx.q.ID); got.Path != "/items?page=2" {
		t.Errorf("a discarded edit was saved: %q", got.Path)
	}
}

// Quit asked again while "Unsaved changes" is on screen (Ctrl+Q held down repeats) does not stack a second
// question, and the answer to the one shown still counts.
func TestQuitHeldDownAsksOnce(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Query, fx.q.ID)
	fx.w.editor.SetPath("/items?page=3")
	fx.w.onClose()
	fx.w.onClose()
	fx.w.onClose()
	if n := len(fx.w.win.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("%d dialogs open after Quit three times, want 1", n)
	}
	test.Tap(fx.dialogButton(t, "Cancel"))
	if top := fx.w.win.Canvas().Overlays().Top(); top != nil {
		t.Fatal("a dialog is still open after Cancel")
	}
	if fx.w.closing || !fx.w.editor.Dirty() {
		t.Fatalf("Cancel went on closing (%v) or lost the edit", fx.w.closing)
	}
	fx.w.onClose() // asked again after the answer
	test.Tap(fx.dialogButton(t, "Discard changes"))
	if !fx.w.closing {
		t.Error("Discard changes did not go on to quit")
	}
}

func TestRunOpensRunMode(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.sidebar.Select(sidebar.Query, fx.q.ID)
	fx.w.onRunSelected() // Request → Run mode, Ctrl+R
	if fx.w.page != (runPage{View: fx.w.run}) || fx.w.run.Query().ID != fx.q.ID {
		t.Fatal("Run mode did not open the query to run")
	}
	fx.w.send()
	fx.app.Wait(t, fx.w.Tasks())
	if fx.w.run.Response().Status() != "200 OK" || fx.w.run.Response().SelectedTab() != "Table" {
		t.Errorf("run mode result: %q in %q", fx.w.run.Response().Status(), fx.w.run.Response().SelectedTab())
	}
}

func TestShortcutsAreInTheMenus(t *testing.T) {
	fx := newFixture(t, nil)
	want := map[string]fyne.Shortcut{"Save": shortcutSave, "Send": shortcutSend, "New resource": shortcutNewResource,
		"Import cURL…": shortcutImport, "Run mode": shortcutRun}
	found := map[string]bool{}
	for _, m := range fx.w.win.MainMenu().Items {
		for _, it := range m.Items {
			if sc, ok := want[it.Label]; ok && it.Shortcut == sc {
				found[it.Label] = true
			}
		}
	}
	for label := range want {
		if !found[label] {
			t.Errorf("menu item %q with its shortcut missing", label)
		}
	}
}

func TestNewResourceThenSaveSelectsIt(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.NewResource()
	if fx.w.page != (formPage{Form: fx.w.form}) || fx.w.form.Resource().ID != "" {
		t.Fatal("New resource did not open an empty form")
	}
	fx.w.form.Edit(&resource.Resource{Name: "Second", BaseURL: "https://second.example.com"})
	fx.w.save() // Ctrl+S
	fx.app.Wait(t, fx.w.Tasks())
	if got := strings.Join(fx.w.sidebar.Shown(), "|"); got != "Local|  list|Second" {
		t.Errorf("sidebar %q", got)
	}
	if k, id := fx.w.sidebar.Selected(); k != sidebar.Resource || id != fx.w.form.Resource().ID {
		t.Errorf("selected %v %q", k, id)
	}
}

func TestClosingRemembersTheWindowSize(t *testing.T) {
	fx := newFixture(t, map[string]string{})
	fx.w.win.Resize(fyne.NewSize(1000, 640))
	fx.w.onClose()
	prefs := fx.app.Preferences()
	if w, h := prefs.Float(prefWidth), prefs.Float(prefHeight); w != 1000 || h != 640 {
		t.Errorf("remembered %v × %v", w, h)
	}
	// The next window opens at that size.
	next := New(fx.app, fx.w.deps)
	if got := next.win.Canvas().Size(); got.Width != 1000 || got.Height != 640 {
		t.Errorf("next window %v", got)
	}
}

// The views are built when first shown: a window that starts on the welcome page holds none of them, and
// closing it is fine all the same.
func TestViewsAreBuiltWhenFirstShown(t *testing.T) {
	fx := newFixture(t, nil)
	if fx.w.form != nil || fx.w.editor != nil || fx.w.run != nil {
		t.Fatalf("built at start: form %v, editor %v, run mode %v", fx.w.form != nil, fx.w.editor != nil, fx.w.run != nil)
	}
	fx.w.Select(sidebar.Resource, fx.res.ID)
	if fx.w.form == nil || fx.w.page != (formPage{Form: fx.w.form}) || fx.w.editor != nil || fx.w.run != nil {
		t.Fatalf("after showing a resource: form %v, editor %v, run mode %v", fx.w.form != nil, fx.w.editor != nil, fx.w.run != nil)
	}
	fx.w.onClose()
	if !fx.w.closing {
		t.Error("the window did not close")
	}
}

// Tokens the keychain refused are reported in the window's banner, naming the resource, in words.
func TestUnsavedSignInIsShownInTheBanner(t *testing.T) {
	fx := newFixture(t, nil)
	c := &oauth.Client{Secrets: keychain.OAuth{Store: uitest.Keychain(t)}}
	w := New(fx.app, Deps{Workspace: fx.w.deps.Workspace, Secrets: fx.w.deps.Secrets, Runner: fx.w.deps.Runner, OAuth: c})
	t.Cleanup(w.win.Close)
	if c.OnUnsaved == nil {
		t.Fatal("the window does not listen for sign-ins that could not be saved")
	}
	done := make(chan struct{})
	go func() { // the refreshing goroutine, not the UI's
		defer close(done)
		c.OnUnsaved(fx.res.ID, &oauth.UnsavedError{Err: errors.New("the keychain is locked")})
	}()
	<-done
	fx.app.Wait(t, w.Tasks())
	if h := w.banner.Headline(); h != "The sign-in to Local is not saved" || !strings.Contains(w.banner.Message(), "Unlock your keychain") {
		t.Errorf("banner: %q / %q", h, w.banner.Message())
	}
}
