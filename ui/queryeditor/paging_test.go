package queryeditor

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// shownPaging reports whether o is laid out on the Paging tab.
func (fx *fixture) shownPaging(o fyne.CanvasObject) bool {
	return o.Visible() && slices.Contains(test.LaidOutObjects(fx.ed.paging.content), o)
}

// The Paging tab shows the saved rule with only its kind's fields, says what is missing in the engine's
// words, and saves what is chosen.
func TestPagingTab(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	q := &query.Query{Name: "orders", ResourceID: fx.res.ID, Method: "GET", Path: "/items",
		Paging: query.Paging{Kind: query.PagingCursor, CursorPath: "meta.next", Param: "after"}}
	if err := fx.ws.SaveQuery(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	fx.ed.Edit(q, fx.res)
	fx.ed.tabs.Select(fx.ed.pagingTab)
	p := fx.ed.paging
	if p.kind.Selected != "Cursor from the answer" || p.cursorPath.Text != "meta.next" || p.param.Text != "after" {
		t.Errorf("shows %q, %q, %q", p.kind.Selected, p.cursorPath.Text, p.param.Text)
	}
	if !fx.shownPaging(p.cursorPath) || fx.shownPaging(p.limit) || fx.ed.Dirty() {
		t.Errorf("cursor: path shown %v, page size shown %v, dirty %v", fx.shownPaging(p.cursorPath), fx.shownPaging(p.limit), fx.ed.Dirty())
	}

	p.kind.SetSelected("Page number")
	if !fx.shownPaging(p.limit) || fx.shownPaging(p.cursorPath) || !fx.ed.Dirty() {
		t.Error("page number: the page size is not shown, or the cursor's path is, or the query is not marked unsaved")
	}
	p.param.SetText("")
	if !p.problem.Visible() || p.problem.Text != "Name the URL parameter that carries the page number" {
		t.Errorf("problem %q", p.problem.Text)
	}
	test.Type(p.param, "page")
	test.Type(p.limitParam, "per_page")
	if p.problem.Text != "Give the page size to send as per_page" {
		t.Errorf("problem %q", p.problem.Text)
	}
	test.Type(p.limit, "x")
	if p.problem.Text != "The page size must be a whole number, like 10. Give the page size to send as per_page" {
		t.Errorf("problem %q", p.problem.Text)
	}
	// Save refuses a page size that is no number (it would read as 0), and says so; nothing is written.
	fx.ed.Save(nil)
	if got, _ := fx.ws.QueryByID(q.ID); got == nil || got.Paging.Kind != query.PagingCursor {
		t.Fatalf("saved with a page size that is no number: %+v", got)
	}
	if !fx.ed.Dirty() || !fx.shownPaging(p.problem) {
		t.Error("after a refused save: not dirty, or the Paging tab's problem is not in sight")
	}
	p.limit.SetText("25")
	if p.problem.Visible() {
		t.Errorf("problem %q with every field right", p.problem.Text)
	}
	fx.ed.Save(nil)
	fx.app.Wait(t, fx.ed.Tasks())
	back, err := fx.ws.QueryByID(q.ID)
	want := query.Paging{Kind: query.PagingPage, Param: "page", Start: 1, LimitParam: "per_page", Limit: 25}
	if err != nil || back.Paging != want {
		t.Fatalf("saved %+v (%v), want %+v", back.Paging, err, want)
	}

	fx.ed.Edit(&query.Query{Name: "one", ResourceID: fx.res.ID, Path: "/items"}, fx.res)
	if p.kind.Selected != "One page only" || fx.shownPaging(p.param) {
		t.Errorf("a query without paging shows %q", p.kind.Selected)
	}
}
