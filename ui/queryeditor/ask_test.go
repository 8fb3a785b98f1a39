package queryeditor

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/uitest"
)

// "Ask before running" is ticked and fixed for a method that may change something, and for a GET saves
// confirm: true in the query's file when ticked.
func TestAskBeforeRunning(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	q := &query.Query{Name: "items", ResourceID: fx.res.ID, Method: "GET", Path: "/items"}
	if err := fx.ws.SaveQuery(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	fx.ed.Edit(q, fx.res)
	if fx.ed.ask.Checked || fx.ed.ask.Disabled() || fx.ed.Dirty() {
		t.Fatalf("a GET: checked %v, disabled %v, dirty %v", fx.ed.ask.Checked, fx.ed.ask.Disabled(), fx.ed.Dirty())
	}
	fx.ed.method.SetSelected("DELETE")
	if !fx.ed.ask.Checked || !fx.ed.ask.Disabled() {
		t.Errorf("a DELETE: checked %v, disabled %v", fx.ed.ask.Checked, fx.ed.ask.Disabled())
	}
	fx.ed.method.SetSelected("GET")
	if fx.ed.ask.Checked || fx.ed.ask.Disabled() {
		t.Errorf("back to GET: checked %v, disabled %v", fx.ed.ask.Checked, fx.ed.ask.Disabled())
	}
	fx.ed.ask.SetChecked(true) // as a tap on it does
	if !fx.ed.Dirty() {
		t.Error("ticking it is no edit")
	}
	test.Tap(fx.ed.saveBtn)
	fx.app.Wait(t, fx.ed.Tasks())
	if got, err := fx.ws.QueryByID(q.ID); err != nil || !got.Confirm {
		t.Errorf("saved %+v, %v", got, err)
	}
	if text := uitest.Files(t, fx.ws.Dir())["queries/items.yaml"]; !strings.Contains(text, "confirm: true") {
		t.Errorf("file:\n%s", text)
	}
	got, _ := fx.ws.QueryByID(q.ID)
	fx.ed.Edit(got, fx.res)
	if !fx.ed.ask.Checked || fx.ed.Dirty() {
		t.Errorf("reopened: checked %v, dirty %v", fx.ed.ask.Checked, fx.ed.Dirty())
	}
}
