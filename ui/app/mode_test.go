package app

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"apidesk/engine/workspace"
	"apidesk/ui/sidebar"
	"apidesk/ui/uitest"
)

// reopen is the window opened again on the same workspace and the same preferences (the next start of apidesk).
func (fx *fixture) reopen(t *testing.T) *App {
	t.Helper()
	fx.w.stopWatching()
	w := New(fx.app, fx.w.deps)
	w.Load()
	t.Cleanup(w.stopWatching)
	fx.app.Wait(t, w.Tasks())
	return w
}

// writeSettings writes the workspace's settings file, as a team lead ships it.
func (fx *fixture) writeSettings(t *testing.T, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(fx.w.deps.Workspace.Dir(), workspace.SettingsFile), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func shows(w *App) string {
	switch w.page.(type) {
	case formPage:
		return "form"
	case editorPage:
		return "editor"
	case runPage:
		return "run"
	}
	return "welcome"
}

// menuLabels lists the main menu's items and menus.
func menuLabels(w *App) []string {
	var out []string
	for _, m := range w.win.MainMenu().Items {
		out = append(out, m.Label+":")
		for _, it := range m.Items {
			out = append(out, it.Label)
		}
	}
	return out
}

// The switch says what a click on a query opens; a resource still opens its form, and run mode's Edit query
// opens the editor.
func TestTheSwitchChangesWhatAQueryOpens(t *testing.T) {
	fx := newFixture(t, nil)
	if fx.w.modeSwitch.Selected != modeEdit || !fx.w.modeSwitch.Visible() {
		t.Fatalf("the switch starts on %q (shown %v), want Edit", fx.w.modeSwitch.Selected, fx.w.modeSwitch.Visible())
	}
	fx.w.Select(sidebar.Query, fx.q.ID)
	if got := shows(fx.w); got != "editor" {
		t.Fatalf("in Edit a query opens in the %s", got)
	}

	fx.w.modeSwitch.SetSelected(modeRun) // as a tap on Run does
	if got := shows(fx.w); got != "run" || fx.w.run.Query().ID != fx.q.ID {
		t.Fatalf("turning to Run shows the %s, want the query shown ready to run", got)
	}
	fx.w.Select(sidebar.Resource, fx.res.ID)
	if got := shows(fx.w); got != "form" {
		t.Errorf("in Run a resource opens the %s, want its form", got)
	}
	fx.w.Select(sidebar.Query, fx.q.ID)
	if got := shows(fx.w); got != "run" {
		t.Fatalf("in Run a query opens in the %s", got)
	}
	if !slices.Contains(uitest.Texts(fx.w.run.Content()), "Edit query") {
		t.Fatal("run mode offers no Edit query")
	}
	fx.w.run.OnEdit(fx.w.run.Query())
	if got := shows(fx.w); got != "editor" || fx.w.modeSwitch.Selected != modeRun {
		t.Errorf("Edit query shows the %s with the switch on %q, want the editor and Run", got, fx.w.modeSwitch.Selected)
	}

	fx.w.Select(sidebar.Query, fx.q.ID)
	fx.w.modeSwitch.SetSelected(modeEdit)
	if got := shows(fx.w); got != "editor" {
		t.Errorf("turning to Edit shows the %s, want the query in the editor", got)
	}
}

// The choice is the person's, for this workspace: the next window opens as they left it; another workspace
// folder keeps its own.
func TestTheSwitchIsRememberedPerWorkspace(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.modeSwitch.SetSelected(modeRun)
	next := fx.reopen(t)
	if next.modeSwitch.Selected != modeRun || !next.RunMode() {
		t.Fatalf("the next window's switch is on %q", next.modeSwitch.Selected)
	}
	next.Select(sidebar.Query, fx.q.ID)
	if got := shows(next); got != "run" {
		t.Errorf("in the next window a query opens in the %s", got)
	}

	other := New(fx.app, Deps{Workspace: uitest.Workspace(t), Secrets: fx.w.deps.Secrets, Runner: fx.w.deps.Runner})
	other.Load()
	t.Cleanup(other.stopWatching)
	fx.app.Wait(t, other.Tasks())
	if other.modeSwitch.Selected != modeEdit {
		t.Errorf("another workspace's switch is on %q, want Edit", other.modeSwitch.Selected)
	}
}

// mode: run in the workspace's settings file makes Run the default; a person who chooses Edit keeps it.
func TestTheWorkspaceCanMakeRunTheDefault(t *testing.T) {
	fx := newFixture(t, nil)
	fx.writeSettings(t, "mode: run\n")
	w := fx.reopen(t)
	if w.modeSwitch.Selected != modeRun {
		t.Fatalf("with mode: run the switch is on %q", w.modeSwitch.Selected)
	}
	w.Select(sidebar.Query, fx.q.ID)
	if got := shows(w); got != "run" {
		t.Fatalf("with mode: run a query opens in the %s", got)
	}
	if w.welcomeNext.Text != "Pick a query on the left to run it." {
		t.Errorf("the welcome page says %q", w.welcomeNext.Text)
	}

	w.modeSwitch.SetSelected(modeEdit)
	w = fx.reopen(t)
	if w.modeSwitch.Selected != modeEdit {
		t.Errorf("the person chose Edit, the next window's switch is on %q", w.modeSwitch.Selected)
	}
}

// editing: locked hides every editing action until Unlock editing, which lasts until the window closes.
func TestLockedEditingIsHiddenUntilUnlocked(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Resource, fx.res.ID) // remembered: the next window opens it, unless editing is locked
	fx.writeSettings(t, "editing: locked\n")
	w := fx.reopen(t)

	if got := shows(w); got != "welcome" {
		t.Errorf("the last resource reopened in the %s while editing is locked", got)
	}
	for _, b := range w.editButtons {
		if b.Visible() {
			t.Errorf("the toolbar shows %q", b.Text)
		}
	}
	if w.modeSwitch.Visible() || !w.unlockBtn.Visible() {
		t.Errorf("switch shown %v, Unlock editing shown %v", w.modeSwitch.Visible(), w.unlockBtn.Visible())
	}
	menu := menuLabels(w)
	for _, hidden := range []string{"New resource", "New query", "Import cURL…", "Save", "Query:", "Delete…", "Rename…"} {
		if slices.Contains(menu, hidden) {
			t.Errorf("the menu offers %q: %q", hidden, menu)
		}
	}
	if !slices.Contains(menu, "Unlock editing") {
		t.Errorf("the menu has no Unlock editing: %q", menu)
	}
	if w.sidebar.Editing() || w.sidebar.QueryMenu(fx.q.ID) != nil {
		t.Error("the sidebar offers its editing actions")
	}
	w.Select(sidebar.Resource, fx.res.ID)
	if got := shows(w); got != "welcome" || w.form != nil {
		t.Errorf("a resource opens the %s (form built %v)", got, w.form != nil)
	}
	w.NewResource()
	w.ImportCurl("")
	if got := shows(w); got != "welcome" || w.win.Canvas().Overlays().Top() != nil {
		t.Errorf("New resource or Import cURL did something: %s", got)
	}
	w.Select(sidebar.Query, fx.q.ID)
	if got := shows(w); got != "run" {
		t.Fatalf("a query opens in the %s, want it ready to run", got)
	}
	if slices.Contains(uitest.Texts(w.run.Content()), "Edit query") {
		t.Error("run mode offers Edit query")
	}

	test.Tap(w.unlockBtn)
	for _, b := range w.editButtons {
		if !b.Visible() {
			t.Errorf("after Unlock editing the toolbar hides %q", b.Text)
		}
	}
	if !w.modeSwitch.Visible() || w.modeSwitch.Selected != modeRun {
		t.Errorf("after Unlock editing the switch is shown %v, on %q (want Run: the person has not chosen)", w.modeSwitch.Visible(), w.modeSwitch.Selected)
	}
	if menu := menuLabels(w); !slices.Contains(menu, "New resource") || !slices.Contains(menu, "Delete…") {
		t.Errorf("after Unlock editing the menu is %q", menu)
	}
	if !w.sidebar.Editing() || w.sidebar.QueryMenu(fx.q.ID) == nil {
		t.Error("after Unlock editing the sidebar hides its editing actions")
	}
	if !slices.Contains(uitest.Texts(w.run.Content()), "Edit query") {
		t.Error("after Unlock editing run mode offers no Edit query")
	}
	w.Select(sidebar.Resource, fx.res.ID)
	if got := shows(w); got != "form" {
		t.Errorf("after Unlock editing a resource opens the %s", got)
	}

	if next := fx.reopen(t); !next.editingLocked() {
		t.Error("Unlock editing outlasted the window")
	}
}

// A settings file that arrives while the window is open (a git pull) locks editing at once; the editor shown
// without unsaved edits gives way to the query ready to run.
func TestLockingEditingFollowsTheSettingsFile(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Query, fx.q.ID)
	fx.writeSettings(t, "editing: locked\n")
	fx.app.WaitFor(t, func() bool { return fx.w.editingLocked() && shows(fx.w) == "run" })
	if fx.w.editButtons[0].Visible() || fx.w.sidebar.Editing() {
		t.Error("editing is still offered")
	}
	fx.writeSettings(t, "editing: unlocked\n")
	fx.app.WaitFor(t, func() bool { return !fx.w.editingLocked() && fx.w.editButtons[0].Visible() })
}
