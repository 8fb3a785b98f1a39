package queryeditor

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
)

// variables is the Variables tab: whether run mode asks before running the query (Editor.ask), then one
// section per {{variable}} the request uses, with its value for this
// session (never saved) and what run mode shows the people who run the query, all saved: its type, label,
// description, whether it is required, its default, and for its type the options, pattern or lowest and
// highest values.
type variables struct {
	e       *Editor
	names   []string
	stale   bool // the rows shown belong to another query
	rows    map[string]*varRow
	list    *fyne.Container
	empty   *widget.Label
	content fyne.CanvasObject
}

// varRow is the section of one variable.
type varRow struct {
	name     *widget.Label
	value    *keyEntry
	kind     *widget.Select // query.VarType.Words of each of query.VarTypes
	label    *keyEntry
	desc     *keyEntry
	required *widget.Check
	def      *keyEntry
	options  *widget.Entry // choice: one option a line, "value" or "value = Label"
	pattern  *keyEntry
	min, max *keyEntry
	problem  *widget.Label // what is wrong with what is saved (query.Query.Validate's words)
	form     *fyne.Container
	section  *fyne.Container
}

func newVariables(e *Editor) *variables {
	v := &variables{e: e, rows: map[string]*varRow{}}
	v.list = container.NewVBox()
	v.empty = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance,
		Text: "No variables. Write {{name}} in the path, a param, a header or the body, and it shows up here: " +
			"give it a value to send, and a type, a default and a description for the people who run the query."}
	v.content = container.NewVScroll(container.NewVBox(e.ask, widget.NewSeparator(), v.empty, v.list))
	return v
}

// load starts a new query's rows from its saved variables.
func (v *variables) load(saved []query.Variable) {
	v.rows = map[string]*varRow{}
	v.names = nil
	v.stale = true
	for _, s := range saved {
		v.row(s.Name).set(s)
	}
}

// row returns the row of a variable, making it when needed.
// valueHint is the placeholder of a variable's value.
const valueHint = "Value to send (this session only)"

func (v *variables) row(name string) *varRow {
	if r, ok := v.rows[name]; ok {
		return r
	}
	entry := func(placeholder string) *keyEntry {
		en := newKeyEntry(v.e.escape)
		en.PlaceHolder = placeholder
		en.OnChanged = func(string) { v.changed(name) }
		return en
	}
	r := &varRow{
		name:    &widget.Label{Text: "{{" + name + "}}", TextStyle: fyne.TextStyle{Monospace: true}, Truncation: fyne.TextTruncateEllipsis},
		value:   newKeyEntry(v.e.escape),
		label:   entry("Made from the name"),
		desc:    entry("What to type here"),
		def:     entry("Filled in when run"),
		pattern: entry(`A regular expression the whole value must match, e.g. [A-Z]{2}-\d+`),
		min:     entry("None"),
		max:     entry("None"),
		problem: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText},
		form:    container.New(layout.NewFormLayout()),
	}
	r.value.PlaceHolder = valueHint
	r.value.OnChanged = func(s string) { v.e.values[name] = s }
	words := make([]string, len(query.VarTypes))
	for i, t := range query.VarTypes {
		words[i] = t.Words()
	}
	r.kind = &widget.Select{Options: words, Selected: query.TypeText.Words(), OnChanged: func(string) {
		r.refreshKind()
		v.changed(name)
	}}
	r.required = &widget.Check{Text: "Required: Run waits for a value", Checked: true, OnChanged: func(bool) { v.changed(name) }}
	r.options = widget.NewMultiLineEntry()
	r.options.PlaceHolder = "One option a line: the value sent, then = and the words shown\nopen = Open\nclosed = Closed"
	r.options.SetMinRowsVisible(3)
	r.options.OnChanged = func(string) { v.changed(name) }
	r.problem.Hide()
	head := container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(180, r.value.MinSize().Height), r.name), nil, r.value)
	r.section = container.NewVBox(head, r.form, r.problem, widget.NewSeparator())
	r.refreshKind()
	v.rows[name] = r
	return r
}

// changed is an edit to what is saved for a variable.
func (v *variables) changed(name string) {
	if r := v.rows[name]; r != nil {
		r.refreshProblem(name)
	}
	v.e.edited()
}

// set shows what is saved for a variable.
func (r *varRow) set(s query.Variable) {
	r.kind.SetSelected(s.Kind().Words())
	r.label.SetText(s.Label)
	r.desc.SetText(s.Description)
	r.required.SetChecked(!s.Optional)
	r.def.SetText(s.Default)
	lines := make([]string, len(s.Options))
	for i, o := range s.Options {
		lines[i] = o.Value
		if o.Label != "" {
			lines[i] += " = " + o.Label
		}
	}
	r.options.SetText(strings.Join(lines, "\n"))
	r.pattern.SetText(s.Pattern)
	r.min.SetText(s.Min)
	r.max.SetText(s.Max)
	r.refreshKind()
}

// kindOf is the type chosen.
func (r *varRow) kindOf() query.VarType {
	if i := r.kind.SelectedIndex(); i >= 0 {
		return query.VarTypes[i]
	}
	return query.TypeText
}

// variable is what the row saves for the variable name. What its type does not use is left out, and so is a
// secret's default.
func (r *varRow) variable(name string) query.Variable {
	t := r.kindOf()
	s := query.Variable{Name: name, Label: strings.TrimSpace(r.label.Text), Description: r.desc.Text, Optional: !r.required.Checked}
	if t != query.TypeText {
		s.Type = t
	}
	if t != query.TypeSecret {
		s.Default = r.def.Text
	}
	if t == query.TypeChoice {
		for _, line := range strings.Split(r.options.Text, "\n") {
			value, label, _ := strings.Cut(line, " = ")
			if value = strings.TrimSpace(value); value != "" {
				s.Options = append(s.Options, query.Option{Value: value, Label: strings.TrimSpace(label)})
			}
		}
	}
	if t.Patterned() {
		s.Pattern = r.pattern.Text
	}
	if t.Ranged() {
		s.Min, s.Max = strings.TrimSpace(r.min.Text), strings.TrimSpace(r.max.Text)
	}
	return s
}

// refreshKind shows the fields the type chosen uses, and the session value as a password for a secret.
func (r *varRow) refreshKind() {
	t := r.kindOf()
	objs := []fyne.CanvasObject{
		formLabel("Type"), r.kind,
		formLabel("Label"), r.label,
		formLabel("Description"), r.desc,
		layout.NewSpacer(), r.required,
	}
	if t == query.TypeSecret {
		r.def.Disable()
		r.def.PlaceHolder = "None: each person types a secret in, it is never saved"
	} else {
		r.def.Enable()
		r.def.PlaceHolder = "Filled in when run"
		if h := t.Hint(); h != "" {
			r.def.PlaceHolder = "Filled in when run, " + h
		}
	}
	r.def.Refresh()
	objs = append(objs, formLabel("Default"), r.def)
	if t == query.TypeChoice {
		objs = append(objs, formLabel("Options"), r.options)
	}
	if t.Patterned() {
		objs = append(objs, formLabel("Pattern"), r.pattern)
	}
	if t.Ranged() {
		objs = append(objs, formLabel("Lowest"), r.min, formLabel("Highest"), r.max)
	}
	r.form.Objects = objs
	r.form.Refresh()
	if secret := t == query.TypeSecret; r.value.Password != secret {
		r.value.Password = secret
		r.value.Refresh()
	}
}

// refreshProblem says what is wrong with what the row would save, in query.Query.Validate's words.
func (r *varRow) refreshProblem(name string) {
	q := query.Query{Name: "x", ResourceID: "x", Variables: []query.Variable{r.variable(name)}}
	var msgs []string
	for _, fe := range q.Validate() {
		msgs = append(msgs, fe.Msg)
	}
	if len(msgs) == 0 {
		r.problem.Hide()
		return
	}
	r.problem.SetText(strings.Join(msgs, "\n"))
	r.problem.Show()
}

// refresh shows a row for every variable the request uses now.
func (v *variables) refresh() {
	if v.e.res == nil {
		return
	}
	names := v.e.collectTexts().VariableNames(v.e.res)
	provided := v.e.deps.Env.Provided(v.e.res)
	hints := v.e.deps.Env.Hints(v.e.res)
	for _, n := range names {
		r := v.row(n)
		if val := v.e.values[n]; r.value.Text != val {
			r.value.SetText(val)
		}
		hint := valueHint
		if slices.Contains(provided, n) {
			hint = hints(n) // {{base}} of an environment's base URL, say: its value and where it comes from
		}
		if r.value.PlaceHolder != hint {
			r.value.SetPlaceHolder(hint)
		}
		if secret := v.e.secret[n] || r.kindOf() == query.TypeSecret; r.value.Password != secret {
			r.value.Password = secret
			r.value.Refresh()
		}
	}
	if slices.Equal(names, v.names) && !v.stale {
		return
	}
	v.names, v.stale = names, false
	objs := make([]fyne.CanvasObject, 0, len(names))
	for _, n := range names {
		r := v.rows[n]
		r.refreshProblem(n)
		objs = append(objs, r.section)
	}
	v.list.Objects = objs
	if len(names) == 0 {
		v.list.Hide()
		v.empty.Show()
	} else {
		v.list.Show()
		v.empty.Hide()
	}
	v.list.Refresh()
	v.e.varsTab.Text = "Variables"
	if len(names) > 0 {
		v.e.varsTab.Text = fmt.Sprintf("Variables (%d)", len(names))
	}
	v.e.tabs.Refresh()
}

// saved is what to save of the variables: what is set for each the request uses.
func (v *variables) saved(q *query.Query) []query.Variable {
	var out []query.Variable
	for _, n := range q.VariableNames(v.e.res) {
		r, ok := v.rows[n]
		if !ok {
			continue
		}
		s := r.variable(n)
		if s.Default == "" && s.Description == "" && !s.Typed() {
			continue
		}
		out = append(out, s)
	}
	return out
}

func formLabel(s string) *widget.Label {
	return &widget.Label{Text: s, Alignment: fyne.TextAlignTrailing}
}
