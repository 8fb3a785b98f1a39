package queryeditor

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// shown reports whether o is laid out on the Variables tab.
func (fx *fixture) shown(o fyne.CanvasObject) bool {
	return slices.Contains(test.LaidOutObjects(fx.ed.vars.content), o)
}

func TestVariablesTabEditsTypedVariables(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	q := &query.Query{Name: "refund", ResourceID: fx.res.ID, Method: "POST", Path: "/items/{{order_id}}",
		Params: kv.List{kv.On("amount", "{{amount}}"), kv.On("status", "{{status}}"), kv.On("pin", "{{pin}}")},
		Variables: []query.Variable{
			{Name: "amount", Type: query.TypeNumber, Min: "0.01", Default: "5", Description: "In euros"},
		}}
	if err := fx.ws.SaveQuery(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	fx.ed.Edit(q, fx.res)
	fx.ed.tabs.Select(fx.ed.varsTab)
	rows := fx.ed.vars.rows
	amount, status, pin, order := rows["amount"], rows["status"], rows["pin"], rows["order_id"]

	// What is saved shows, and only the fields its type uses.
	if amount.kind.Selected != "Number" || amount.min.Text != "0.01" || amount.def.Text != "5" || amount.desc.Text != "In euros" || !amount.required.Checked {
		t.Errorf("amount shows type %q, min %q, default %q, required %v", amount.kind.Selected, amount.min.Text, amount.def.Text, amount.required.Checked)
	}
	if !fx.shown(amount.min) || fx.shown(amount.pattern) || fx.shown(amount.options) {
		t.Error("a number shows lowest/highest, not a pattern or options")
	}
	if order.kind.Selected != "Text" || !fx.shown(order.pattern) || fx.shown(order.min) {
		t.Error("text shows a pattern, not lowest/highest")
	}
	if fx.ed.Dirty() {
		t.Fatal("opening the query made it dirty")
	}

	// Make status a choice with options, pin a secret, order optional with a label and a pattern.
	status.kind.SetSelected("Choice")
	if !fx.shown(status.options) || !status.problem.Visible() || !strings.Contains(status.problem.Text, "give it the options") {
		t.Errorf("a choice without options: options shown %v, problem %q", fx.shown(status.options), status.problem.Text)
	}
	test.Type(status.options, "open = Open\nclosed = Closed")
	if status.problem.Visible() {
		t.Errorf("problem %q after the options were given", status.problem.Text)
	}
	status.def.SetText("open")
	test.Type(pin.def, "typed before it became a secret")
	pin.kind.SetSelected("Secret")
	if !pin.def.Disabled() || !pin.value.Password {
		t.Error("a secret's default can be typed, or its value shows")
	}
	test.Type(order.label, "Order number")
	test.Tap(order.required)
	test.Type(order.pattern, "(")
	if !order.problem.Visible() || !strings.Contains(order.problem.Text, "not a valid regular expression") {
		t.Errorf("bad pattern says %q", order.problem.Text)
	}
	order.pattern.SetText(`[A-Z]{2}-\d+`)
	test.Type(amount.max, "500")
	if !fx.ed.Dirty() {
		t.Fatal("edits to the variables did not mark the query unsaved")
	}

	want := []query.Variable{
		{Name: "order_id", Label: "Order number", Optional: true, Pattern: `[A-Z]{2}-\d+`},
		{Name: "amount", Type: query.TypeNumber, Min: "0.01", Max: "500", Default: "5", Description: "In euros"},
		{Name: "status", Type: query.TypeChoice, Default: "open", Options: []query.Option{{Value: "open", Label: "Open"}, {Value: "closed", Label: "Closed"}}},
		{Name: "pin", Type: query.TypeSecret},
	}
	if got := fx.ed.collect().Variables; !reflect.DeepEqual(got, want) {
		t.Fatalf("variables to save:\n got %+v\nwant %+v", got, want)
	}
	fx.ed.Save(nil)
	fx.app.Wait(t, fx.ed.Tasks())
	back, err := fx.ws.QueryByID(q.ID)
	if err != nil || !reflect.DeepEqual(back.Variables, want) {
		t.Errorf("saved %+v (%v)", back.Variables, err)
	}

	// Opened again, it shows what was saved.
	fx.ed.Edit(back, fx.res)
	if r := fx.ed.vars.rows["status"]; r.kind.Selected != "Choice" || r.options.Text != "open = Open\nclosed = Closed" {
		t.Errorf("status reopened as %q with options %q", r.kind.Selected, r.options.Text)
	}
	if r := fx.ed.vars.rows["order_id"]; r.required.Checked || r.label.Text != "Order number" {
		t.Error("order reopened required, or without its label")
	}
}

// A value typed for a variable saved as secret never goes into a copied curl command.
func TestCopyAsCurlLeavesSecretVariablesOut(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Name: "pin", Method: "GET", Path: "/items", Params: kv.List{kv.On("code", "{{code}}")},
		Variables: []query.Variable{{Name: "code", Type: query.TypeSecret}}})
	fx.ed.SetValue("code", "pin-7731")
	fx.ed.CopyCurl()
	got := fyne.CurrentApp().Clipboard().Content()
	if strings.Contains(got, "pin-7731") || !strings.Contains(got, "code={{code}}") {
		t.Errorf("copied:\n%s", got)
	}
}

// besideSidebar is the width an 800 px window leaves the editor beside the sidebar (about 240 px at its narrowest).
const besideSidebar = 800 - 240

// TestVariablesTabFits800Wide: a table of four columns of entries on the Variables tab once made the editor
// 745 px wide, pushing an 800 px window out to 982 px.
func TestVariablesTabFits800Wide(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.win.Resize(fyne.NewSize(800, 600))
	q := &query.Query{Name: "refund", ResourceID: fx.res.ID, Method: "POST", Path: "/items/{{order_id}}",
		Params: kv.List{kv.On("amount", "{{amount}}"), kv.On("status", "{{status}}")},
		Variables: []query.Variable{
			{Name: "order_id", Type: query.TypeText, Pattern: `[A-Z]{2}-\d+`, Description: "The order number printed on the invoice, two letters and digits"},
			{Name: "amount", Type: query.TypeNumber, Min: "0.01", Max: "10000", Default: "5", Description: "In euros"},
			{Name: "status", Type: query.TypeChoice, Options: []query.Option{{Value: "open", Label: "Open"}, {Value: "closed", Label: "Closed"}}},
		}}
	fx.ed.Edit(q, fx.res)
	for i, tab := range fx.ed.tabs.Items {
		fx.ed.tabs.SelectIndex(i)
		if w := fx.ed.Content().MinSize().Width; w > besideSidebar {
			t.Errorf("on the %s tab the editor needs %.0f px, more than the %d px an 800 px window leaves it", tab.Text, w, besideSidebar)
		}
	}
}
