package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/sidebar"
)

// addItems adds a second query on the fixture's resource and a second resource.
func (fx *fixture) addItems(t *testing.T) (other *query.Query, remote *resource.Resource) {
	t.Helper()
	ws := fx.w.deps.Workspace
	other = &query.Query{Name: "other", ResourceID: fx.res.ID, Method: "GET", Path: "/other"}
	if err := ws.SaveQuery(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	remote = &resource.Resource{Name: "Remote", BaseURL: "https://remote.example.com"}
	if err := ws.SaveResource(context.Background(), remote, nil, nil); err != nil {
		t.Fatal(err)
	}
	fx.w.refreshSidebar()
	return other, remote
}

// menuAction runs the item of the sidebar's menu on a query whose label starts with label.
func (fx *fixture) menuAction(t *testing.T, queryID, label string) {
	t.Helper()
	m := fx.w.sidebar.QueryMenu(queryID)
	if m == nil {
		t.Fatalf("no menu on the query %s", queryID)
	}
	for _, it := range m.Items {
		if strings.HasPrefix(it.Label, label) {
			if it.Disabled {
				t.Fatalf("%q is disabled", it.Label)
			}
			it.Action()
			return
		}
	}
	t.Fatalf("no %q in the query's menu", label)
}

// typeName replaces the text of the focused field (a name dialog's) and presses key (Return or Escape).
func (fx *fixture) typeName(t *testing.T, text string, key fyne.KeyName) {
	t.Helper()
	f := fx.w.win.Canvas().Focused()
	if f == nil {
		t.Fatal("nothing has the keyboard focus")
	}
	if text != "" {
		test.Type(f, text)
	}
	if key != "" {
		f.TypedKey(&fyne.KeyEvent{Name: key})
	}
}

// dialogProblem is the problem said in words in the dialog on top ("" for none).
func (fx *fixture) dialogProblem() string {
	top := fx.w.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Importance == widget.DangerImportance {
			return l.Text
		}
	}
	return ""
}

func (fx *fixture) shown() string { return strings.Join(fx.w.sidebar.Shown(), "|") }

func TestRenameAQueryFromTheSidebar(t *testing.T) {
	fx := newFixture(t, nil)
	fx.addItems(t)
	fx.w.Select(sidebar.Query, fx.q.ID)

	fx.menuAction(t, fx.q.ID, "Rename")
	fx.typeName(t, "Other", "") // typing replaces the name, which is selected
	if p := fx.dialogProblem(); !strings.Contains(p, `"other" already exists on Local`) {
		t.Errorf("a taken name is explained as %q", p)
	}
	if !fx.dialogButton(t, "Rename").Disabled() {
		t.Error("Rename is enabled with a taken name")
	}
	fx.typeName(t, "", fyne.KeyReturn) // Enter does not rename with a taken name
	if fx.w.win.Canvas().Overlays().Top() == nil {
		t.Fatal("Enter closed the dialog on a taken name")
	}
	fx.typeName(t, "", fyne.KeyEscape)
	if fx.w.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape did not close the dialog")
	}
	if got, _ := fx.w.deps.Workspace.QueryByID(fx.q.ID); got.Name != "list" {
		t.Fatalf("Escape renamed it to %q", got.Name)
	}

	fx.menuAction(t, fx.q.ID, "Rename")
	fx.typeName(t, "All items", fyne.KeyReturn)
	fx.app.Wait(t, fx.w.Tasks())
	if got, _ := fx.w.deps.Workspace.QueryByID(fx.q.ID); got == nil || got.Name != "All items" {
		t.Fatalf("not renamed: %+v", got)
	}
	if got := fx.shown(); got != "Local|  All items|  other|Remote" {
		t.Errorf("sidebar %q", got)
	}
	if fx.w.page != (editorPage{fx.w.editor}) || fx.w.editor.Query().Name != "All items" || !strings.Contains(fx.w.win.Title(), "All items") {
		t.Errorf("the editor shows %q, title %q", fx.w.editor.Query().Name, fx.w.win.Title())
	}
}

func TestDuplicateAQueryOpensTheCopy(t *testing.T) {
	fx := newFixture(t, nil)
	fx.addItems(t)
	fx.menuAction(t, fx.q.ID, "Duplicate")
	fx.typeName(t, "", fyne.KeyReturn) // "list copy", as offered
	fx.app.Wait(t, fx.w.Tasks())
	cp, err := fx.w.deps.Workspace.QueryByName("list copy")
	if err != nil {
		t.Fatal(err)
	}
	if cp.ID == fx.q.ID || cp.Path != "/items" || cp.ResourceID != fx.res.ID {
		t.Errorf("the copy %+v", cp)
	}
	if _, err := fx.w.deps.Workspace.QueryByName("list"); err != nil {
		t.Error("the original is gone")
	}
	if got := fx.shown(); got != "Local|  list|  list copy|  other|Remote" {
		t.Errorf("sidebar %q", got)
	}
	if fx.w.page != (editorPage{fx.w.editor}) || fx.w.editor.Query().ID != cp.ID {
		t.Error("the copy is not open in the editor")
	}
	if k, id := fx.w.sidebar.Selected(); k != sidebar.Query || id != cp.ID {
		t.Errorf("selected %v %q", k, id)
	}
}

func TestMoveAQueryToAnotherResource(t *testing.T) {
	fx := newFixture(t, nil)
	_, remote := fx.addItems(t)
	fx.w.RunQuery(fx.q.ID) // shown in run mode
	fx.menuAction(t, fx.q.ID, "Move")
	var sel *widget.Select
	for _, o := range test.LaidOutObjects(fx.w.win.Canvas().Overlays().Top()) {
		if s, ok := o.(*widget.Select); ok {
			sel = s
		}
	}
	if sel == nil || strings.Join(sel.Options, "|") != "Remote" {
		t.Fatalf("the resources offered: %v", sel)
	}
	test.Tap(fx.dialogButton(t, "Move"))
	fx.app.Wait(t, fx.w.Tasks())
	if got, _ := fx.w.deps.Workspace.QueryByID(fx.q.ID); got.ResourceID != remote.ID {
		t.Fatalf("the query is on %q", got.ResourceID)
	}
	if got := fx.shown(); got != "Local|  other|Remote|  list" {
		t.Errorf("sidebar %q", got)
	}
	if fx.w.page != (runPage{View: fx.w.run}) || fx.w.run.Resource().ID != remote.ID {
		t.Error("run mode does not show the query on its new resource")
	}
}

// Deleting asks first, naming the query and saying that unsaved edits go too; the page then says it is gone.
func TestDeleteAQueryAsksFirst(t *testing.T) {
	fx := newFixture(t, nil)
	fx.addItems(t)
	fx.w.Select(sidebar.Query, fx.q.ID)
	fx.w.editor.SetPath("/edited")

	for _, m := range fx.w.win.MainMenu().Items {
		for _, it := range m.Items {
			if m.Label == "Query" && it.Label == "Delete…" {
				it.Action() // the main menu's Query menu acts on the query shown
			}
		}
	}
	top := fx.w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Delete did not ask")
	}
	var words []string
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			words = append(words, l.Text)
		}
	}
	if all := strings.Join(words, " "); !strings.Contains(all, `Delete "list"?`) || !strings.Contains(all, "unsaved changes to it are lost") {
		t.Errorf("the question says %q", all)
	}
	test.Tap(fx.dialogButton(t, "Cancel"))
	if _, err := fx.w.deps.Workspace.QueryByID(fx.q.ID); err != nil || !fx.w.editor.Dirty() {
		t.Fatal("Cancel deleted the query or its edits")
	}

	fx.menuAction(t, fx.q.ID, "Delete")
	test.Tap(fx.dialogButton(t, "Delete"))
	fx.app.Wait(t, fx.w.Tasks())
	if _, err := fx.w.deps.Workspace.QueryByID(fx.q.ID); err == nil {
		t.Fatal("not deleted")
	}
	if got := fx.shown(); got != "Local|  other|Remote" {
		t.Errorf("sidebar %q", got)
	}
	if fx.w.page != fx.w.welcome || !strings.Contains(fx.w.note.Headline(), "list was deleted") {
		t.Errorf("the page after deleting the query shown: %T, note %q", fx.w.page, fx.w.note.Headline())
	}
}

// Renaming the query shown with unsaved edits asks about them first; Cancel renames nothing.
func TestRenameAsksAboutUnsavedEditsFirst(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Query, fx.q.ID)
	fx.w.editor.SetPath("/edited")
	fx.menuAction(t, fx.q.ID, "Rename")
	test.Tap(fx.dialogButton(t, "Cancel")) // the unsaved-changes question
	if fx.w.win.Canvas().Overlays().Top() != nil {
		t.Fatal("the name was asked for after Cancel")
	}
	fx.menuAction(t, fx.q.ID, "Rename")
	test.Tap(fx.dialogButton(t, "Save"))
	fx.app.Wait(t, fx.w.Tasks())
	fx.typeName(t, "Edited list", fyne.KeyReturn)
	fx.app.Wait(t, fx.w.Tasks())
	got, _ := fx.w.deps.Workspace.QueryByID(fx.q.ID)
	if got.Name != "Edited list" || got.Path != "/edited" {
		t.Errorf("saved %q %q", got.Name, got.Path)
	}
	if fx.w.editor.Dirty() || fx.w.editor.Query().Name != "Edited list" {
		t.Errorf("editor dirty %v on %q", fx.w.editor.Dirty(), fx.w.editor.Query().Name)
	}
}
