package runmode

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/uitest"
)

// peopleServer answers /api/people with the role and tenant it was asked for.
func peopleServer(t *testing.T) (*httptest.Server, func() []string) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.RequestURI())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/t/acme/api/status" {
			_, _ = w.Write([]byte(`{"ok": true, "version": "1.2"}`))
			return
		}
		role := r.URL.Query().Get("role")
		_, _ = w.Write([]byte(`[{"name": "Ann", "role": "` + role + `"}, {"name": "Bo", "role": "` + role + `"}]`))
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

func newView(t *testing.T) (*uitest.App, *View) {
	a := uitest.NewApp(t)
	win := a.NewWindow("run")
	t.Cleanup(win.Close)
	v := New(Deps{Runner: uitest.Runner(t, uitest.Keychain(t))}, win)
	t.Cleanup(v.Response().Close)
	win.SetContent(v.Content())
	win.Resize(fyne.NewSize(1000, 800))
	return a, v
}

func TestRunASavedQueryWithVariables(t *testing.T) {
	srv, seen := peopleServer(t)
	a, v := newView(t)
	res := &resource.Resource{ID: "r1", Name: "Directory", BaseURL: srv.URL + "/t/{{tenant}}/api"}
	q := &query.Query{ID: "q1", Name: "People by role", ResourceID: "r1", Method: "GET", Path: "/people",
		Params: kv.List{kv.On("role", "{{role}}")},
		Variables: []query.Variable{
			{Name: "tenant", Description: "Your company's tenant", Default: "acme"},
			{Name: "role", Description: "admin, support or sales"},
		}}
	v.Open(q, res)
	if got := strings.Join(v.Inputs(), ","); got != "tenant,role" {
		t.Fatalf("inputs %q", got)
	}
	// Labelled fields, descriptions shown, defaults filled in; no editing controls.
	var texts []string
	for _, o := range test.LaidOutObjects(v.Content()) {
		switch w := o.(type) {
		case *widget.Label:
			texts = append(texts, w.Text)
		case *widget.Entry:
			if w.Text != "" {
				texts = append(texts, "entry:"+w.Text)
			}
		}
	}
	all := strings.Join(texts, "|")
	for _, want := range []string{"Tenant", "Role", "Your company's tenant", "admin, support or sales", "entry:acme"} {
		if !strings.Contains(all, want) {
			t.Errorf("run mode does not show %q: %s", want, all)
		}
	}

	v.SetValue("role", "support")
	test.Tap(v.sender.Button())
	a.Wait(t, v.Tasks())

	if got := seen(); len(got) != 1 || got[0] != "/t/acme/api/people?role=support" {
		t.Errorf("server saw %v", got)
	}
	rv := v.Response()
	if rv.Status() != "200 OK" {
		t.Errorf("status %q (%s)", rv.Status(), rv.Problem().Message())
	}
	if rv.SelectedTab() != "Table" || rv.Table().Table() == nil || rv.Table().Table().Rows() != 2 {
		t.Errorf("result shown in %q tab, table %v", rv.SelectedTab(), rv.Table().Table())
	}
}

func TestASingleObjectShowsItsFields(t *testing.T) {
	srv, _ := peopleServer(t)
	a, v := newView(t)
	res := &resource.Resource{ID: "r1", Name: "Directory", BaseURL: srv.URL + "/t/acme/api"}
	v.Open(&query.Query{ID: "q2", Name: "Status", ResourceID: "r1", Path: "/status"}, res)
	if len(v.Inputs()) != 0 || !v.noInputs.Visible() {
		t.Error("a query without variables should say it needs nothing")
	}
	v.Run()
	a.Wait(t, v.Tasks())
	rv := v.Response()
	if rv.SelectedTab() != "Record" || rv.Record().Record() == nil || len(rv.Record().Record().Fields) != 2 {
		t.Errorf("tab %q, record %v", rv.SelectedTab(), rv.Record().Record())
	}
	if rv.Body().Doc() == nil || !strings.Contains(string(rv.Body().Doc().Bytes()), `"version": "1.2"`) {
		t.Errorf("body %v", rv.Body().Doc())
	}
}

// Run mode opens on the table only when the answer has rows, on the record for one object (an echo answer's
// header lists are not rows), on the body otherwise.
func TestOpeningTab(t *testing.T) {
	for _, tc := range []struct{ name, ctype, body, tab string }{
		{"rows", "application/json", `{"count":2,"data":[{"id":1},{"id":2}]}`, "Table"},
		{"an echo answer", "application/json", `{"args":{},"headers":{"Accept-Encoding":["gzip"],"Host":["h"]},"url":"http://h/get"}`, "Record"},
		{"one object with an empty list", "application/json", `{"data":[],"total":0}`, "Record"},
		{"an empty list", "application/json", `[]`, "Body"},
		{"text", "text/plain", `all good`, "Body"},
		{"a number", "application/json", `42`, "Body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(srv.Close)
			a, v := newView(t)
			v.Open(&query.Query{ID: "q1", Name: "Q", ResourceID: "r1"}, &resource.Resource{ID: "r1", Name: "R", BaseURL: srv.URL})
			v.Run()
			a.Wait(t, v.Tasks())
			if got := v.Response().SelectedTab(); got != tc.tab {
				t.Errorf("opened on %q, want %q", got, tc.tab)
			}
		})
	}
}

// A query's saved result shape decides the table's rows and columns; "Keep for this query" hands a new choice to
// OnSaveResult.
func TestResultShape(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"links":[{"rel":"a"},{"rel":"b"},{"rel":"c"}],"data":{"items":[{"id":1,"name":"Ada","x":0},{"id":2,"name":"Bo"}]}}`))
	}))
	t.Cleanup(srv.Close)
	a, v := newView(t)
	var saved *query.Result
	v.OnSaveResult = func(_ *query.Query, r *query.Result) { saved = r }
	q := &query.Query{ID: "q1", Name: "Q", ResourceID: "r1",
		Result: &query.Result{Rows: "data.items", Columns: []query.Column{{Key: "name", Label: "Name"}, {Key: "id"}}}}
	v.Open(q, &resource.Resource{ID: "r1", Name: "R", BaseURL: srv.URL})
	v.Run()
	a.Wait(t, v.Tasks())
	tv := v.Response().Table()
	tb := tv.Table()
	if tb == nil || tb.Path() != "data.items" || strings.Join(tb.Columns(), ",") != "Name,id" || tb.Cell(1, 0) != "Bo" {
		t.Fatalf("table %v", tb)
	}
	tv.ShowArray("links")
	a.Wait(t, v.Tasks())
	if tv.Table() == nil || tv.Table().Path() != "links" {
		t.Fatalf("the selector did not show links: %v", tv.Table())
	}
	if v.Response().SelectedTab() != "Table" {
		t.Errorf("choosing a list moved to %q", v.Response().SelectedTab())
	}
	var keep *widget.Button
	for _, o := range test.LaidOutObjects(tv) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Keep for this query" && b.Visible() {
			keep = b
		}
	}
	if keep == nil {
		t.Fatal("no Keep for this query button")
	}
	test.Tap(keep)
	if saved == nil || saved.Rows != "links" || len(saved.Columns) != 1 || saved.Columns[0] != (query.Column{Key: "rel"}) {
		t.Errorf("saved %+v", saved)
	}
}

func TestAnEmptyRequiredFieldIsMarked(t *testing.T) {
	srv, seen := peopleServer(t)
	a, v := newView(t)
	res := &resource.Resource{ID: "r1", Name: "Directory", BaseURL: srv.URL + "/t/acme/api"}
	v.Open(&query.Query{ID: "q1", Name: "People by role", ResourceID: "r1", Path: "/people",
		Params: kv.List{kv.On("role", "{{role}}")}}, res)
	v.Run()
	a.Wait(t, v.Tasks())
	if len(seen()) != 0 {
		t.Error("sent without a value for role")
	}
	if in := v.inputs[0]; !in.problem.Visible() || in.problem.Text == "" {
		t.Error("no message under the empty field")
	}
	if v.Response().Problem().Headline() != "Some values are missing" {
		t.Errorf("banner %q", v.Response().Problem().Headline())
	}
}

func TestMissingFieldsAreNamedByTheirLabels(t *testing.T) {
	srv, _ := peopleServer(t)
	a, v := newView(t)
	res := &resource.Resource{ID: "r1", Name: "Directory", BaseURL: srv.URL + "/t/acme/api"}
	v.Open(&query.Query{ID: "q1", Name: "Any file", ResourceID: "r1", Path: "/{{file}}",
		Params:    kv.List{kv.On("role", "{{role}}"), kv.On("team", "{{team_id}}")},
		Variables: []query.Variable{{Name: "team_id", Label: "Team"}}}, res)
	v.Run()
	a.Wait(t, v.Tasks())
	b := v.Response().Problem()
	if want := "Fill in File, Role and Team, then press Run."; b.Message() != want {
		t.Errorf("banner says %q, want %q", b.Message(), want)
	}
	for _, s := range uitest.Texts(v.Response().Content()) {
		if strings.Contains(s, "{{") || strings.Contains(s, "team_id") {
			t.Errorf("the answer area shows %q: fields go by their labels", s)
		}
	}
}

// refundQuery has a variable of every type.
func refundQuery() *query.Query {
	return &query.Query{ID: "q3", Name: "Refund order", ResourceID: "r1", Path: "/people",
		Params: kv.List{kv.On("order", "{{order_id}}"), kv.On("amount", "{{amount}}"), kv.On("count", "{{count}}"),
			kv.On("notify", "{{notify}}"), kv.On("on", "{{day}}"), kv.On("at", "{{at}}"), kv.On("status", "{{status}}"),
			kv.On("note", "{{note}}"), kv.On("pin", "{{pin}}")},
		Variables: []query.Variable{
			{Name: "order_id", Label: "Order", Pattern: `[A-Z]{2}-\d+`, Description: "Two letters, a dash and digits, as on the invoice"},
			{Name: "amount", Type: query.TypeNumber, Min: "0.01"},
			{Name: "count", Type: query.TypeInteger, Optional: true},
			{Name: "notify", Label: "Tell the customer", Type: query.TypeBoolean, Default: "yes"},
			{Name: "day", Type: query.TypeDate, Default: "2026-12-31"},
			{Name: "at", Type: query.TypeDateTime, Optional: true},
			{Name: "status", Type: query.TypeChoice, Default: "open", Options: []query.Option{{Value: "open", Label: "Open"}, {Value: "closed", Label: "Closed"}}},
			{Name: "note", Type: query.TypeMultiline, Optional: true},
			{Name: "pin", Type: query.TypeSecret},
		}}
}

func TestEachTypeGetsItsWidget(t *testing.T) {
	srv, _ := peopleServer(t)
	_, v := newView(t)
	v.Open(refundQuery(), &resource.Resource{ID: "r1", Name: "Billing", BaseURL: srv.URL + "/t/acme/api"})
	byName := map[string]*input{}
	for _, in := range v.inputs {
		byName[in.name] = in
	}
	for name, want := range map[string]string{
		"order_id": "entry", "amount": "entry", "count": "entry", "day": "entry", "at": "entry",
		"notify": "check", "status": "select", "note": "multiline", "pin": "password",
	} {
		in := byName[name]
		got := ""
		switch w := in.widget().(type) {
		case *widget.Entry:
			got = "entry"
			if w.MultiLine {
				got = "multiline"
			}
			if w.Password {
				got = "password"
			}
		case *widget.Check:
			got = "check"
		case *widget.Select:
			got = "select"
		}
		if got != want {
			t.Errorf("{{%s}} is shown as %q, want %q", name, got, want)
		}
		if !slices.Contains(test.LaidOutObjects(v.Content()), in.widget().(fyne.CanvasObject)) {
			t.Errorf("{{%s}}'s field is not on screen", name)
		}
	}
	if !byName["notify"].check.Checked || byName["status"].choice.Selected != "Open" || byName["day"].entry.Text != "2026-12-31" {
		t.Error("defaults not filled in")
	}
	if byName["at"].entry.PlaceHolder != "like 2026-12-31T15:04:05Z" || byName["amount"].entry.PlaceHolder != "like 10.50" {
		t.Errorf("format hints %q, %q", byName["at"].entry.PlaceHolder, byName["amount"].entry.PlaceHolder)
	}
	labels := map[string]bool{}
	for _, o := range test.LaidOutObjects(v.Content()) {
		if l, ok := o.(*widget.Label); ok {
			labels[l.Text] = true
		}
	}
	for _, want := range []string{"Order", "Amount", "Count (optional)", "Tell the customer", "Two letters, a dash and digits, as on the invoice"} {
		if !labels[want] {
			t.Errorf("no label %q", want)
		}
	}
}

func TestInputsAreCheckedAsThePersonTypes(t *testing.T) {
	srv, seen := peopleServer(t)
	a, v := newView(t)
	v.Open(refundQuery(), &resource.Resource{ID: "r1", Name: "Billing", BaseURL: srv.URL + "/t/acme/api"})
	run := v.sender.Button()
	field := func(name string) *input {
		for _, in := range v.inputs {
			if in.name == name {
				return in
			}
		}
		t.Fatalf("no field for %s", name)
		return nil
	}
	// Empty required fields: Run is off, and says why, but nothing is marked wrong before the person types.
	if !run.Disabled() || v.Problem("amount") != "" || !strings.Contains(v.why.Text, "Order, Amount, Pin") {
		t.Fatalf("on open: Run disabled %v, amount says %q, why %q", run.Disabled(), v.Problem("amount"), v.why.Text)
	}
	test.Type(field("order_id").entry, "ab-12")
	if got := v.Problem("order_id"); got != "Order is not in the form expected: Two letters, a dash and digits, as on the invoice" {
		t.Errorf("order says %q", got)
	}
	field("order_id").entry.SetText("")
	test.Type(field("order_id").entry, "AB-12")
	test.Type(field("amount").entry, "ten")
	if got := v.Problem("amount"); got != "Amount must be a number, like 10.50" {
		t.Errorf("amount says %q", got)
	}
	if v.Problem("order_id") != "" {
		t.Errorf("a good order still says %q", v.Problem("order_id"))
	}
	field("amount").entry.SetText("")
	test.Type(field("amount").entry, "10.50")
	test.Type(field("at").entry, "31/12")
	if got := v.Problem("at"); got != "At must look like 2026-12-31T15:04:05Z (or 2026-12-31 15:04)" {
		t.Errorf("at says %q", got)
	}
	test.Type(field("count").entry, "2.5")
	if got := v.Problem("count"); got != "Count must be a whole number, like 42" {
		t.Errorf("count says %q", got)
	}
	field("at").entry.SetText("2026-12-31 15:04")
	field("count").entry.SetText("")
	if !run.Disabled() {
		t.Error("Run is on with the pin empty")
	}
	test.Type(field("pin").entry, "4321")
	if run.Disabled() || v.why.Text != "" {
		t.Fatalf("all good, yet Run disabled %v, why %q", run.Disabled(), v.why.Text)
	}
	test.Tap(field("notify").check)
	field("status").choice.SetSelected("Closed")
	test.Tap(run)
	a.Wait(t, v.Tasks())
	want := "/t/acme/api/people?order=AB-12&amount=10.50&count=&notify=false&on=2026-12-31&at=2026-12-31T15%3A04%3A00&status=closed&note=&pin=4321"
	if got := seen(); len(got) != 1 || got[0] != want {
		t.Errorf("server saw %v\nwant %s", got, want)
	}

	// Enter in a field with a wrong value sends nothing and says what is wrong.
	field("amount").entry.SetText("0")
	if !run.Disabled() || v.Problem("amount") != "Amount must be at least 0.01" {
		t.Errorf("amount 0: Run disabled %v, says %q", run.Disabled(), v.Problem("amount"))
	}
	v.Run()
	a.Wait(t, v.Tasks())
	if len(seen()) != 1 {
		t.Error("sent with a refused value")
	}
}

// Before the first run, run mode speaks of running, not of sending a request.
func TestRunModeSaysRunBeforeTheFirstAnswer(t *testing.T) {
	a := uitest.NewApp(t)
	win := a.NewWindow("run")
	t.Cleanup(win.Close)
	v := New(Deps{Runner: uitest.Runner(t, uitest.Keychain(t))}, win)
	win.SetContent(v.Content())
	var texts []string
	for _, o := range test.LaidOutObjects(v.Content()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			texts = append(texts, l.Text)
		}
	}
	if !slices.Contains(texts, "Run the query to see its answer here.") || slices.Contains(texts, "Send the request to see the response here.") {
		t.Errorf("run mode before an answer shows %q", texts)
	}
}
