// Package runmode opens a saved query to be run by people who do not edit queries (support staff): its
// {{variables}} become labelled input fields with the description and default saved in the query, one big
// Run button sends it, and the result shows as a table (or the pretty body when it has none). There are no
// editing controls.
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

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/template"
	"apidesk/ui/responseview"
	"apidesk/ui/task"
)

// Deps is the engine run mode works with.
type Deps struct {
	Runner *runner.Runner
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
	sender   *responseview.Sender // the Run button and its Cancel
	editBtn  *widget.Button
	listBtn  *widget.Button // Run for a list…
	response *responseview.View
	content  fyne.CanvasObject
}

// input is one variable's field.
type input struct {
	name    string
	entry   *widget.Entry
	problem *widget.Label
}

// New returns an empty run view; win shows its dialogs.
func New(d Deps, win fyne.Window) *View {
	v := &View{deps: d, win: win}
	v.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText, Truncation: fyne.TextTruncateEllipsis}
	v.subtitle = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	v.about = &widget.Label{Wrapping: fyne.TextWrapWord}
	v.form = container.New(layout.NewFormLayout())
	v.noInputs = &widget.Label{Text: "This query needs nothing from you: press Run."}
	v.listBtn = &widget.Button{Text: "Run for a list…", Icon: theme.ListIcon(), Importance: widget.LowImportance, OnTapped: v.onRunList}
	v.editBtn = &widget.Button{Text: "Edit query", Icon: theme.DocumentCreateIcon(), Importance: widget.LowImportance, OnTapped: v.onEdit}
	v.response = responseview.New(win, responseview.Options{Compact: true})
	v.tasks.Include(v.response.Tasks())
	v.sender = responseview.NewSender(v.response, d.Runner, v.Run,
		responseview.SenderLabels{Text: "Run", Icon: theme.MediaPlayIcon(), Waiting: "Running…"})
	v.sender.OnFailed = v.onFailed

	header := container.NewBorder(nil, nil, nil, container.NewVBox(v.editBtn), container.NewVBox(v.title, v.subtitle))
	run := container.NewHBox(container.NewGridWrap(fyne.NewSize(220, 52), v.sender.Button()), container.NewCenter(v.listBtn))
	top := container.NewVBox(header, widget.NewSeparator(), v.about, v.noInputs, v.form, run, v.sender.Activity(), widget.NewSeparator())
	v.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, v.response.Content())
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
	if len(v.inputs) > 0 {
		if c := fyne.CurrentApp().Driver().CanvasForObject(v.content); c != nil {
			c.Focus(v.inputs[0].entry)
		}
	}
}

// Reload shows q, the query open as the workspace now holds it (another program changed it), on res, keeping
// the rest as it is: what was typed into the fields of the variables it still has, the result and a run on
// its way.
func (v *View) Reload(q *query.Query, res *resource.Resource) {
	defaults := map[string]string{}
	for _, s := range v.q.Variables {
		defaults[s.Name] = s.Default
	}
	typed := map[string]string{}
	for _, in := range v.inputs {
		if in.entry.Text != defaults[in.name] {
			typed[in.name] = in.entry.Text
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
	v.title.SetText(q.Name)
	v.subtitle.SetText(fmt.Sprintf("%s · %s %s", res.Name, q.EffectiveMethod(), strings.TrimRight(res.BaseURL, "/")+q.Path))
	if v.OnEdit == nil {
		v.editBtn.Hide()
	} else {
		v.editBtn.Show()
	}
	saved := map[string]query.Variable{}
	for _, s := range q.Variables {
		saved[s.Name] = s
	}
	v.inputs = nil
	v.form.Objects = nil
	for _, n := range q.VariableNames(res) {
		s := saved[n]
		in := &input{
			name:    n,
			entry:   &widget.Entry{Text: s.Default, PlaceHolder: s.Default},
			problem: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText},
		}
		in.entry.OnSubmitted = func(string) { v.Run() }
		in.problem.Hide()
		cell := container.NewVBox(in.entry)
		if s.Description != "" {
			cell.Add(&widget.Label{Text: s.Description, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText})
		}
		cell.Add(in.problem)
		v.form.Add(&widget.Label{Text: label(n), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignTrailing})
		v.form.Add(cell)
		v.inputs = append(v.inputs, in)
	}
	v.form.Refresh()
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

// SetValue types value into the field of a variable.
func (v *View) SetValue(name, value string) {
	for _, in := range v.inputs {
		if in.name == name {
			in.entry.SetText(value)
		}
	}
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
	if v.Running() || v.q == nil {
		return
	}
	given := map[string]string{}
	for _, in := range v.inputs {
		in.problem.Hide()
		if in.entry.Text != "" {
			given[in.name] = in.entry.Text
		}
	}
	v.sender.OnNeedsSignIn = v.OnNeedsSignIn
	v.sender.OnOriginChanged = v.OnOriginChanged
	v.sender.Send(v.res, v.q, v.q.Values(given))
}

// onFailed marks the fields of the variables a run lacked.
func (v *View) onFailed(err error) {
	var missing *template.MissingError
	if errors.As(err, &missing) {
		v.showMissing(missing.Names)
	}
}

// showMissing marks the fields that need a value and focuses the first.
func (v *View) showMissing(names []string) {
	var first *widget.Entry
	for _, in := range v.inputs {
		if slices.Contains(names, in.name) {
			in.problem.SetText("Fill this in: the query needs it.")
			in.problem.Show()
			if first == nil {
				first = in.entry
			}
		}
	}
	if first != nil {
		if c := fyne.CurrentApp().Driver().CanvasForObject(v.content); c != nil {
			c.Focus(first)
		}
	}
}

// Cancel stops the run on its way, if any.
func (v *View) Cancel() { v.sender.Cancel() }

func (v *View) onEdit() {
	if v.OnEdit != nil && v.q != nil {
		v.OnEdit(v.q)
	}
}

// label turns a variable name into a field label: "customer_id" reads "Customer id".
func label(name string) string {
	s := strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(name)
	if s == "" {
		return name
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
