// Package runmode opens a saved query to be run by people who do not edit queries (support staff): its
// {{variables}} become labelled input fields with the description and default saved in the query, one big
// Run button sends it, and the result shows as a table when it has rows (where the query's result shape says),
// as fields for a single object, else as the pretty body. There are no editing controls.
package runmode

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/history"
	"apidesk/engine/jsonview"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/template"
	"apidesk/ui/environ"
	"apidesk/ui/responseview"
	"apidesk/ui/task"
)

// Deps is the engine run mode works with.
type Deps struct {
	Runner *runner.Runner
	// History records each run and lists them under Recent runs; nil keeps none.
	History *history.Store
	// Env is the environment runs are sent in (nil: none). Its values need not be typed: a field it has a value
	// for may be left empty, and one the query does not describe is not asked for. While a protected one is
	// active, every run that may change data is confirmed first, Run for a list's included.
	Env *environ.Active
}

// View runs one saved query at a time.
type View struct {
	// OnEdit, when set, shows a "Edit query" button that leaves run mode for the editor.
	OnEdit func(q *query.Query)
	// OnNeedsSignIn is called instead of showing the error when the run fails because the resource needs an
	// OAuth 2.0 sign-in; retry runs again. Nil shows the error.
	OnNeedsSignIn func(res *resource.Resource, err error, retry func())
	// OnOriginChanged is called instead of showing the error when the run was not sent because the resource's
	// address changed since its secrets were saved; retry runs again. Nil shows the error.
	OnOriginChanged func(res *resource.Resource, err *resource.OriginChangedError, retry func())
	// OnSaveResult, when set, shows "Keep for this query" above the table: it is called with the query open and
	// the result shape chosen (the list shown and its columns), for the caller to save. Nil shows no such button.
	OnSaveResult func(q *query.Query, r *query.Result)

	deps  Deps
	win   fyne.Window
	tasks task.Group // the response's work, with the run on its way

	q      *query.Query
	res    *resource.Resource
	inputs []*input

	title    *widget.Label
	subtitle *widget.Label
	about    *widget.Label
	form     *fyne.Container
	noInputs *widget.Label
	why      *widget.Label        // why Run is not enabled
	sender   *responseview.Sender // the Run button and its Cancel
	editBtn  *widget.Button
	listBtn  *widget.Button // Run for a list…
	list     *listRun       // the Run for a list dialog opened last
	response *responseview.View
	content  fyne.CanvasObject

	pages   pages         // Load more: the next pages of a query that pages
	confirm *confirmation // the question asked before a run, while it is open
	hist    runHistory
}

// input is one variable's field: the widget its type asks for (an entry, a multi-line entry, a password
// entry, a checkbox or a select), and the words under it that say what is wrong with its value.
type input struct {
	name    string
	v       query.Variable
	entry   *widget.Entry  // text, multi-line, number, whole number, date, date and time, secret
	check   *widget.Check  // yes or no
	choice  *widget.Select // choice
	problem *widget.Label
	touched bool // changed since the query was opened, or a run was tried: an empty field's problem shows
}

// text is the value in the field, as Variable.Check takes it.
func (in *input) text() string {
	switch {
	case in.check != nil:
		return fmt.Sprint(in.check.Checked)
	case in.choice != nil:
		if i := in.choice.SelectedIndex(); i >= 0 && i < len(in.v.Options) {
			return in.v.Options[i].Value
		}
		return ""
	}
	return in.entry.Text
}

// set types s into the field: for a checkbox, ticks it when s says yes; for a select, picks the option whose
// value (or words) s is.
func (in *input) set(s string) {
	switch {
	case in.check != nil:
		c, _ := in.v.Canonical(s)
		in.check.SetChecked(c == "true")
	case in.choice != nil:
		c, err := in.v.Canonical(s)
		i := slices.IndexFunc(in.v.Options, func(o query.Option) bool { return o.Value == c })
		if err != nil || i < 0 || s == "" {
			in.choice.ClearSelected()
			return
		}
		in.choice.SetSelectedIndex(i)
	default:
		in.entry.SetText(s)
	}
}

// widget is what takes the focus.
func (in *input) widget() fyne.Focusable {
	switch {
	case in.check != nil:
		return in.check
	case in.choice != nil:
		return in.choice
	}
	return in.entry
}

// New returns an empty run view; win shows its dialogs.
func New(d Deps, win fyne.Window) *View {
	v := &View{deps: d, win: win}
	v.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText, Truncation: fyne.TextTruncateEllipsis}
	v.subtitle = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	v.about = &widget.Label{Wrapping: fyne.TextWrapWord}
	v.form = container.New(layout.NewFormLayout())
	v.why = &widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	v.noInputs = &widget.Label{Text: "This query needs nothing from you: press Run."}
	v.listBtn = &widget.Button{Text: "Run for a list…", Icon: theme.ListIcon(), Importance: widget.LowImportance, OnTapped: v.onRunList}
	v.editBtn = &widget.Button{Text: "Edit query", Icon: theme.DocumentCreateIcon(), Importance: widget.LowImportance, OnTapped: v.onEdit}
	v.response = responseview.New(win, responseview.Options{Compact: true, Empty: "Run the query to see its answer here."})
	v.tasks.Include(v.response.Tasks())
	v.sender = responseview.NewSender(v.response, d.Runner, v.Run,
		responseview.SenderLabels{Text: "Run", Icon: theme.MediaPlayIcon(), Waiting: "Running…"})
	v.sender.OnFailed = v.onFailed
	v.sender.Env = d.Env
	v.sender.OnAnswered = v.pages.onAnswered
	v.pages.build(v)
	v.newHistory()

	header := container.NewBorder(nil, nil, nil, container.NewHBox(v.hist.button, v.editBtn), container.NewVBox(v.title, v.subtitle))
	run := container.NewBorder(nil, nil, container.NewHBox(container.NewGridWrap(fyne.NewSize(220, 52), v.sender.Button()), container.NewCenter(v.listBtn)), nil, v.why)
	top := container.NewVBox(header, widget.NewSeparator(), v.about, v.noInputs, v.form, run, v.sender.Activity(), v.hist.note, widget.NewSeparator())
	v.content = container.NewBorder(container.NewPadded(top), v.pages.row, nil, nil, v.response.Content())
	return v
}

// Content is the view's canvas object.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Query is the query open, or nil.
func (v *View) Query() *query.Query { return v.q }

// Resource is the resource of the query open, or nil.
func (v *View) Resource() *resource.Resource { return v.res }

// Response is the view of the result.
func (v *View) Response() *responseview.View { return v.response }

// Running reports whether a run is on its way.
func (v *View) Running() bool { return v.sender.Running() }

// Dirty is false: run mode edits nothing.
func (v *View) Dirty() bool { return false }

// Save does nothing but call then: there is nothing to save in run mode.
func (v *View) Save(then func()) {
	if then != nil {
		then()
	}
}

// Tasks is the view's background work: the run on its way, and preparing its result.
func (v *View) Tasks() *task.Group { return &v.tasks }

// Open shows q, a saved query on res, ready to run: one field per variable, filled with its default.
func (v *View) Open(q *query.Query, res *resource.Resource) {
	v.Cancel()
	v.show(q, res)
	v.response.Clear()
	v.hist.note.Hide()
	if len(v.inputs) > 0 {
		if c := fyne.CurrentApp().Driver().CanvasForObject(v.content); c != nil {
			c.Focus(v.inputs[0].widget())
		}
	}
}

// Reload shows q, the query open as the workspace now holds it (another program changed it), on res, keeping
// the rest as it is: what was typed into the fields of the variables it still has, the result and a run on
// its way.
func (v *View) Reload(q *query.Query, res *resource.Resource) {
	typed := map[string]string{}
	for _, in := range v.inputs {
		if in.touched {
			typed[in.name] = in.text()
		}
	}
	v.show(q, res)
	for name, text := range typed {
		v.SetValue(name, text)
	}
}

// show sets the title and the fields from q, on res.
func (v *View) show(q *query.Query, res *resource.Resource) {
	v.q, v.res = q, res
	v.response.SetResult(q.Result)
	v.response.Table().OnKeepShape = nil
	if v.OnSaveResult != nil {
		v.response.Table().OnKeepShape = v.onKeepShape
	}
	v.title.SetText(q.Name)
	base := v.deps.Env.Preview(res).Bind(res).BaseURL // where it goes in the environment active
	sub := fmt.Sprintf("%s · %s %s", res.Name, q.EffectiveMethod(), strings.TrimRight(base, "/")+q.Path)
	if e := v.deps.Env.Env(); e != nil {
		sub += " · in " + e.Name
	}
	v.subtitle.SetText(sub)
	if v.OnEdit == nil {
		v.editBtn.Hide()
	} else {
		v.editBtn.Show()
	}
	v.inputs = nil
	v.form.Objects = nil
	provided := v.deps.Env.Provided(res)
	hints := v.deps.Env.Hints(res)
	for _, s := range q.Inputs(res) {
		fromEnv := slices.Contains(provided, s.Name)
		if fromEnv && !slices.ContainsFunc(q.Variables, func(x query.Variable) bool { return x.Name == s.Name }) {
			continue // {{base}} of an environment's base URL, say: nothing the person is asked for
		}
		if fromEnv {
			s.Optional = true // empty: the environment's (or the workspace's) value
		}
		in := v.newInput(s)
		if fromEnv && in.entry != nil && in.entry.Text == "" {
			in.entry.PlaceHolder = hints(s.Name)
		}
		cell := container.NewVBox(in.widget().(fyne.CanvasObject))
		if s.Description != "" {
			cell.Add(&widget.Label{Text: s.Description, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText})
		}
		cell.Add(in.problem)
		title := s.Title()
		if s.Optional {
			title += " (optional)"
		}
		v.form.Add(&widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignTrailing})
		v.form.Add(cell)
		v.inputs = append(v.inputs, in)
	}
	v.form.Refresh()
	v.refreshValid()
	if len(v.inputs) == 0 {
		v.noInputs.Show()
		v.about.SetText("")
		v.about.Hide()
	} else {
		v.noInputs.Hide()
		v.about.SetText("Fill in the fields and press Run.")
		v.about.Show()
	}
}

// newInput makes the field of a variable, filled with its default (a secret has none). It checks its value
// as the person types.
func (v *View) newInput(s query.Variable) *input {
	in := &input{name: s.Name, v: s,
		problem: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}}
	in.problem.Hide()
	changed := func() {
		in.touched = true
		v.refreshValid()
	}
	def := s.Default
	if s.Secret() {
		def = ""
	}
	switch s.Kind() {
	case query.TypeBoolean:
		in.check = &widget.Check{}
		in.set(def)
		in.check.OnChanged = func(bool) { changed() }
	case query.TypeChoice:
		texts := make([]string, len(s.Options))
		for i, o := range s.Options {
			texts[i] = o.Text()
		}
		in.choice = &widget.Select{Options: texts, PlaceHolder: "(pick one)"}
		in.set(def)
		in.choice.OnChanged = func(string) { changed() }
	default:
		switch s.Kind() {
		case query.TypeMultiline:
			in.entry = widget.NewMultiLineEntry()
			in.entry.SetMinRowsVisible(3)
		case query.TypeSecret:
			in.entry = widget.NewPasswordEntry()
		default:
			in.entry = &widget.Entry{}
		}
		in.entry.Wrapping = fyne.TextWrapOff
		if s.Kind() == query.TypeMultiline {
			in.entry.Wrapping = fyne.TextWrapWord
		} else {
			in.entry.OnSubmitted = func(string) { v.Run() }
		}
		in.entry.PlaceHolder = s.Default
		if hint := s.Kind().Hint(); hint != "" && def == "" {
			in.entry.PlaceHolder = hint
		}
		in.entry.SetText(def)
		in.entry.OnChanged = func(string) { changed() }
	}
	return in
}

// refreshValid checks every field's value: says under a field what is wrong with it (for an empty field, only
// once it was changed or a run tried), and enables Run only when every value is accepted.
func (v *View) refreshValid() {
	var wrong []string
	for _, in := range v.inputs {
		err := in.v.Check(in.text())
		if err != nil {
			wrong = append(wrong, in.v.Title())
		}
		if err != nil && (in.touched || in.text() != "") {
			in.problem.SetText(err.Error())
			in.problem.Show()
		} else {
			in.problem.Hide()
		}
	}
	v.why.SetText("")
	if len(wrong) > 0 {
		v.why.SetText("To run, fill in or correct: " + strings.Join(wrong, ", "))
	}
	if v.Running() {
		return
	}
	if len(wrong) > 0 {
		v.sender.Button().Disable()
	} else {
		v.sender.Button().Enable()
	}
}

// SetValue types value into the field of a variable (ticks a checkbox when it says yes, picks the option
// of a choice whose value or words it is).
func (v *View) SetValue(name, value string) {
	for _, in := range v.inputs {
		if in.name == name {
			in.set(value)
		}
	}
}

// Problem is what the field of a variable says is wrong with its value, "" when nothing is or none shows.
func (v *View) Problem(name string) string {
	for _, in := range v.inputs {
		if in.name == name && in.problem.Visible() {
			return in.problem.Text
		}
	}
	return ""
}

// Inputs lists the variables asked for, in order.
func (v *View) Inputs() []string {
	var out []string
	for _, in := range v.inputs {
		out = append(out, in.name)
	}
	return out
}

// Run sends the query with the values in the fields, in the background.
func (v *View) Run() {
	if v.Running() || v.q == nil || v.confirm != nil {
		return
	}
	given := map[string]string{}
	provided := v.deps.Env.Provided(v.res)
	for _, in := range v.inputs {
		in.touched = true
		if t := in.text(); t != "" || !slices.Contains(provided, in.name) {
			given[in.name] = t
		}
	}
	vals, problems, order := v.q.Fill(v.res, given)
	v.refreshValid()
	if len(problems) > 0 {
		var missing missingFields
		for _, in := range v.inputs {
			if slices.Contains(order, in.name) && given[in.name] == "" {
				missing = append(missing, in.v.Title())
			}
		}
		v.focus(order[0])
		if len(missing) > 0 {
			v.response.SetError(missing)
		}
		return
	}
	q, res := v.q, v.res
	if !q.AsksFirst() { // every method that may change something, in every environment
		v.send(q, res, vals)
		return
	}
	v.ask(v.confirmation(q, res, vals), func() {
		if v.q == q && v.res == res {
			v.send(q, res, vals)
		}
	})
}

// send sends q on res with vals, the values checked, and records the run.
func (v *View) send(q *query.Query, res *resource.Resource, vals map[string]string) {
	v.sender.OnNeedsSignIn = v.OnNeedsSignIn
	v.sender.OnOriginChanged = v.OnOriginChanged
	v.startRecord(q, res, vals)
	v.sender.Send(res, v.pages.start(q, res, vals), vals)
}

// missingFields says which fields a run lacks, by their labels; errors.Is(err, template.ErrMissing) is true.
type missingFields []string

func (m missingFields) Error() string {
	if len(m) == 1 {
		return fmt.Sprintf("fill in %s, then press Run", m[0])
	}
	return fmt.Sprintf("fill in %s and %s, then press Run", strings.Join(m[:len(m)-1], ", "), m[len(m)-1])
}

func (m missingFields) Is(target error) bool { return target == template.ErrMissing }

// onFailed marks the fields of the variables a run lacked.
func (v *View) onFailed(err error) {
	var missing *template.MissingError
	if errors.As(err, &missing) {
		v.showMissing(missing.Names)
	}
}

// showMissing marks the fields that need a value and focuses the first.
func (v *View) showMissing(names []string) {
	first := ""
	for _, in := range v.inputs {
		if slices.Contains(names, in.name) {
			in.problem.SetText(fmt.Sprintf("Fill in %s: the query needs it", in.v.Title()))
			in.problem.Show()
			if first == "" {
				first = in.name
			}
		}
	}
	v.focus(first)
}

// focus puts the focus in the field of a variable.
func (v *View) focus(name string) {
	for _, in := range v.inputs {
		if in.name == name {
			if c := fyne.CurrentApp().Driver().CanvasForObject(v.content); c != nil {
				c.Focus(in.widget())
			}
			return
		}
	}
}

// Cancel stops the run on its way, if any, and the loading of more pages.
func (v *View) Cancel() {
	v.sender.Cancel()
	v.pages.reset()
}

func (v *View) onEdit() {
	if v.OnEdit != nil && v.q != nil {
		v.OnEdit(v.q)
	}
}

// onKeepShape hands the list shown in the table and its columns to OnSaveResult as the query's result shape, and
// shows the answers of the next runs that way.
func (v *View) onKeepShape(rows string, cols []jsonview.Column) {
	if v.q == nil || v.OnSaveResult == nil {
		return
	}
	r := &query.Result{}
	if rows != jsonview.TopLevel {
		r.Rows = rows
	}
	for _, c := range cols {
		r.Columns = append(r.Columns, query.Column{Key: c.Key, Label: c.Label})
	}
	v.response.SetResult(r)
	v.OnSaveResult(v.q, r)
}
