package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"apidesk/engine/query"
	"apidesk/engine/workspace"
	"apidesk/ui/sidebar"
)

// otherProgram is what apidesk-cli (or another window) is to the window: a second workspace on the same folder.
func (fx *fixture) otherProgram(t *testing.T) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Open(fx.w.deps.Workspace.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ws
}

func (fx *fixture) saveQuery(t *testing.T, ws *workspace.Workspace, change func(q *query.Query)) {
	t.Helper()
	q, err := ws.QueryByID(fx.q.ID)
	if err != nil {
		t.Fatal(err)
	}
	change(q)
	if err := ws.SaveQuery(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// onDisk is the query as its file now holds it, read as another program would.
func (fx *fixture) onDisk(t *testing.T) *query.Query {
	t.Helper()
	q, err := fx.otherProgram(t).QueryByID(fx.q.ID)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func (fx *fixture) waitForSidebar(t *testing.T, want string) {
	t.Helper()
	fx.app.WaitFor(t, func() bool { return strings.Join(fx.w.sidebar.Shown(), "|") == want })
}

const changedWords = " was changed by another program. Your unsaved changes are kept: Save keeps yours, Reload takes theirs."

func TestARenameByAnotherProgramShowsInTheSidebarAndTheForm(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Resource, fx.res.ID)
	r, _ := fx.otherProgram(t).ResourceByID(fx.res.ID)
	r.Name = "Remote"
	if err := fx.otherProgram(t).SaveResource(context.Background(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	fx.waitForSidebar(t, "Remote|  list")
	if fx.w.page != (formPage{Form: fx.w.form}) || fx.w.form.Resource().Name != "Remote" || fx.w.form.Dirty() {
		t.Fatalf("the form was not shown again: %q, dirty %v", fx.w.form.Resource().Name, fx.w.form.Dirty())
	}
	if k, id := fx.w.sidebar.Selected(); k != sidebar.Resource || id != fx.res.ID {
		t.Errorf("the selection was lost: %v %q", k, id)
	}
	if title := fx.w.win.Title(); !strings.Contains(title, "Remote") {
		t.Errorf("title %q", title)
	}
}

func TestAQueryChangedByAnotherProgramIsShownAgainWithItsResponse(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Query, fx.q.ID)
	ed := fx.w.editor
	fx.w.send()
	fx.app.Wait(t, fx.w.Tasks())
	if ed.Response().Status() != "200 OK" {
		t.Fatalf("not sent: %q", ed.Response().Status())
	}
	offset := fx.w.split.Offset

	fx.saveQuery(t, fx.otherProgram(t), func(q *query.Query) { q.Path = "/theirs" })
	fx.app.WaitFor(t, func() bool { return ed.Query().Path == "/theirs" })
	if ed.Dirty() || ed.Problem().Visible() {
		t.Errorf("dirty %v, banner %q", ed.Dirty(), ed.Problem().Message())
	}
	if ed.Response().Status() != "200 OK" || fx.w.split.Offset != offset {
		t.Errorf("the response (%q) or the split (%v, was %v) was not kept", ed.Response().Status(), fx.w.split.Offset, offset)
	}
	if k, id := fx.w.sidebar.Selected(); k != sidebar.Query || id != fx.q.ID {
		t.Errorf("the selection was lost: %v %q", k, id)
	}
}

// Unsaved edits survive another program's change; Save then keeps them, knowingly, and until then the other
// program's version is what the file holds.
func TestUnsavedEditsSurviveAChangeByAnotherProgramAndSaveKeepsThem(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Query, fx.q.ID)
	ed := fx.w.editor
	ed.SetPath("/mine")

	fx.saveQuery(t, fx.otherProgram(t), func(q *query.Query) { q.Path, q.Name = "/theirs", "list all" })
	fx.waitForSidebar(t, "Local|  list all")
	if got, want := ed.Problem().Message(), "list"+changedWords; got != want {
		t.Fatalf("banner %q, want %q", got, want)
	}
	if !ed.Dirty() || ed.Problem().Action() != "Reload" {
		t.Fatalf("dirty %v, banner action %q", ed.Dirty(), ed.Problem().Action())
	}
	if got := fx.onDisk(t); got.Path != "/theirs" {
		t.Fatalf("the other program's version was overwritten before Save: %q", got.Path)
	}

	fx.w.save()
	fx.app.Wait(t, fx.w.Tasks())
	if ed.Problem().Visible() || ed.Dirty() {
		t.Fatalf("not saved: %s %s", ed.Problem().Headline(), ed.Problem().Message())
	}
	if got := fx.onDisk(t); got.Path != "/mine" || got.Name != "list" {
		t.Errorf("saved %q %q, want the edits", got.Name, got.Path)
	}
	fx.waitForSidebar(t, "Local|  list")
}

// A renamed resource is no conflict for the edits of one of its queries, though its file is written again.
func TestAResourceRenamedByAnotherProgramLeavesTheQuerysEditsAlone(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Query, fx.q.ID)
	ed := fx.w.editor
	ed.SetPath("/mine")
	other := fx.otherProgram(t)
	r, _ := other.ResourceByID(fx.res.ID)
	r.Name = "Remote"
	if err := other.SaveResource(context.Background(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	fx.waitForSidebar(t, "Remote|  list")
	if !ed.Dirty() || ed.Problem().Visible() || ed.Resource().Name != "Remote" {
		t.Fatalf("dirty %v, banner %q, resource %q", ed.Dirty(), ed.Problem().Message(), ed.Resource().Name)
	}
	fx.w.save()
	fx.app.Wait(t, fx.w.Tasks())
	if got := fx.onDisk(t); got.Path != "/mine" || ed.Problem().Visible() {
		t.Errorf("saved %q, banner %q", got.Path, ed.Problem().Message())
	}
}

func TestReloadTakesTheOtherProgramsVersion(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Query, fx.q.ID)
	ed := fx.w.editor
	ed.SetPath("/mine")
	fx.saveQuery(t, fx.otherProgram(t), func(q *query.Query) { q.Path = "/theirs" })
	fx.app.WaitFor(t, func() bool { return ed.Problem().Action() == "Reload" })

	ed.Problem().TapAction()
	test.Tap(fx.dialogButton(t, "Discard and reload"))
	if ed.Dirty() || ed.Query().Path != "/theirs" || ed.Problem().Visible() {
		t.Fatalf("after Reload: dirty %v, path %q, banner %q", ed.Dirty(), ed.Query().Path, ed.Problem().Message())
	}
	if got := fx.onDisk(t); got.Path != "/theirs" {
		t.Errorf("file %q", got.Path)
	}
}

func TestAResourceChangedByAnotherProgramKeepsTheFormsEdits(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.Select(sidebar.Resource, fx.res.ID)
	f := fx.w.form
	f.SetBaseURL("https://mine.example.com")
	other := fx.otherProgram(t)
	r, _ := other.ResourceByID(fx.res.ID)
	r.Name, r.BaseURL = "Remote", "https://theirs.example.com"
	if err := other.SaveResource(context.Background(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	fx.waitForSidebar(t, "Remote|  list")
	if got, want := f.Problem().Message(), "Local"+changedWords; got != want || !f.Dirty() {
		t.Fatalf("banner %q (want %q), dirty %v", got, want, f.Dirty())
	}
	fx.w.save()
	fx.app.Wait(t, fx.w.Tasks())
	got, err := fx.otherProgram(t).ResourceByID(fx.res.ID)
	if err != nil || got.BaseURL != "https://mine.example.com" || got.Name != "Local" {
		t.Fatalf("saved %+v (%v), want the edits; banner %q", got, err, f.Problem().Message())
	}
}

func TestAQueryDeletedByAnotherProgram(t *testing.T) {
	t.Run("without edits the welcome page says so", func(t *testing.T) {
		fx := newFixture(t, nil)
		fx.w.Select(sidebar.Query, fx.q.ID)
		if err := fx.otherProgram(t).DeleteQuery(context.Background(), fx.q.ID); err != nil {
			t.Fatal(err)
		}
		fx.waitForSidebar(t, "Local")
		if fx.w.page != fx.w.welcome || fx.w.note.Headline() != "list was deleted by another program." {
			t.Fatalf("page %T, note %q", fx.w.page, fx.w.note.Headline())
		}
	})
	t.Run("edits are kept and Save brings it back", func(t *testing.T) {
		fx := newFixture(t, nil)
		fx.w.Select(sidebar.Query, fx.q.ID)
		ed := fx.w.editor
		ed.SetPath("/mine")
		if err := fx.otherProgram(t).DeleteQuery(context.Background(), fx.q.ID); err != nil {
			t.Fatal(err)
		}
		fx.waitForSidebar(t, "Local")
		want := "list was deleted by another program. Your unsaved changes are kept: Save brings it back."
		if fx.w.page != (editorPage{ed}) || !ed.Dirty() || ed.Problem().Message() != want {
			t.Fatalf("page %T, dirty %v, banner %q", fx.w.page, ed.Dirty(), ed.Problem().Message())
		}
		fx.w.save()
		fx.app.Wait(t, fx.w.Tasks())
		if got := fx.onDisk(t); got.Path != "/mine" {
			t.Fatalf("saved %q", got.Path)
		}
		fx.waitForSidebar(t, "Local|  list")
	})
}

// A save made before the window heard of the other program's change is refused by the engine; the window
// says so in words and offers both versions.
func TestAStaleSaveAsksWhoseVersionToKeep(t *testing.T) {
	for _, c := range []struct {
		choice, want string
		dirty        bool
	}{
		{"Overwrite", "/mine", false},
		{"Reload", "/theirs", false},
		{"Cancel", "/theirs", true},
	} {
		t.Run(c.choice, func(t *testing.T) {
			fx := newFixture(t, nil)
			fx.w.stopWatching() // the window has not heard of the change yet
			fx.w.Select(sidebar.Query, fx.q.ID)
			ed := fx.w.editor
			ed.SetPath("/mine")
			fx.saveQuery(t, fx.otherProgram(t), func(q *query.Query) { q.Path = "/theirs" })

			fx.w.save()
			fx.app.Wait(t, fx.w.Tasks())
			if ed.Problem().Visible() {
				t.Fatalf("a banner instead of a question: %q", ed.Problem().Message())
			}
			test.Tap(fx.dialogButton(t, c.choice))
			fx.app.Wait(t, fx.w.Tasks())
			if got := fx.onDisk(t); got.Path != c.want || ed.Dirty() != c.dirty {
				t.Errorf("file %q, dirty %v; want %q, %v", got.Path, ed.Dirty(), c.want, c.dirty)
			}
			if c.choice == "Cancel" && ed.Problem().Message() != "list"+changedWords {
				t.Errorf("banner after Cancel %q", ed.Problem().Message())
			}
		})
	}
}

func TestAStaleResourceSaveCanOverwrite(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.stopWatching()
	fx.w.Select(sidebar.Resource, fx.res.ID)
	f := fx.w.form
	f.SetBaseURL("https://mine.example.com")
	other := fx.otherProgram(t)
	r, _ := other.ResourceByID(fx.res.ID)
	r.BaseURL = "https://theirs.example.com"
	if err := other.SaveResource(context.Background(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	fx.w.save()
	fx.app.Wait(t, fx.w.Tasks())
	test.Tap(fx.dialogButton(t, "Overwrite"))
	fx.app.Wait(t, fx.w.Tasks())
	got, _ := fx.otherProgram(t).ResourceByID(fx.res.ID)
	if got.BaseURL != "https://mine.example.com" || f.Dirty() || f.Problem().Visible() {
		t.Errorf("file %q, dirty %v, banner %q", got.BaseURL, f.Dirty(), f.Problem().Message())
	}
}

// Run mode follows the query as another program changes it, keeping what was typed.
func TestRunModeFollowsAChangedQuery(t *testing.T) {
	fx := newFixture(t, nil)
	fx.saveQuery(t, fx.w.deps.Workspace, func(q *query.Query) { q.Path = "/items/{{id}}" })
	fx.w.RunQuery(fx.q.ID)
	fx.w.run.SetValue("id", "7")
	fx.saveQuery(t, fx.otherProgram(t), func(q *query.Query) { q.Path = "/items/{{id}}?full={{full}}" })
	fx.app.WaitFor(t, func() bool { return fx.w.run.Query().Path == "/items/{{id}}?full={{full}}" })
	if got := strings.Join(fx.w.run.Inputs(), ","); got != "id,full" {
		t.Errorf("inputs %q", got)
	}
	fx.w.run.SetValue("full", "yes")
	fx.w.send()
	fx.app.Wait(t, fx.w.Tasks())
	if st := fx.w.run.Response().Status(); st != "200 OK" { // the id typed before the change was kept
		t.Errorf("run: %q %s", st, fx.w.run.Response().Problem().Message())
	}
}
