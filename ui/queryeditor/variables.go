package queryeditor

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
)

// variables is the Variables tab: one row per {{variable}} the request uses, with its value for this session
// (never saved) and its saved default and description (what run mode shows the people who run the query).
type variables struct {
	e       *Editor
	names   []string
	stale   bool // the rows shown belong to another query
	rows    map[string]*varRow
	grid    *fyne.Container
	empty   *widget.Label
	content fyne.CanvasObject
}

type varRow struct {
	name  *widget.Label
	value *keyEntry
	def   *keyEntry
	desc  *keyEntry
}

func newVariables(e *Editor) *variables {
	v := &variables{e: e, rows: map[string]*varRow{}}
	v.grid = container.NewGridWithColumns(4)
	v.empty = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance,
		Text: "No variables. Write {{name}} in the path, a param, a header or the body, and it shows up here: " +
			"give it a value to send, and a default and a description for the people who run the query."}
	v.content = container.NewVScroll(container.NewVBox(v.empty, v.grid))
	return v
}

// load starts a new query's rows from its saved variables.
func (v *variables) load(saved []query.Variable) {
	v.rows = map[string]*varRow{}
	v.names = nil
	v.stale = true
	for _, s := range saved {
		r := v.row(s.Name)
		r.def.SetText(s.Default)
		r.desc.SetText(s.Description)
	}
}

// row returns the row of a variable, making it when needed.
func (v *variables) row(name string) *varRow {
	if r, ok := v.rows[name]; ok {
		return r
	}
	r := &varRow{
		name:  &widget.Label{Text: "{{" + name + "}}", TextStyle: fyne.TextStyle{Monospace: true}, Truncation: fyne.TextTruncateEllipsis},
		value: newKeyEntry(v.e.escape),
		def:   newKeyEntry(v.e.escape),
		desc:  newKeyEntry(v.e.escape),
	}
	r.value.PlaceHolder, r.def.PlaceHolder, r.desc.PlaceHolder = "Value to send", "Default (saved)", "What to type here (saved)"
	r.value.OnChanged = func(s string) { v.e.values[name] = s }
	r.def.OnChanged = func(string) { v.e.edited() }
	r.desc.OnChanged = func(string) { v.e.edited() }
	v.rows[name] = r
	return r
}

// refresh shows a row for every variable the request uses now.
func (v *variables) refresh() {
	if v.e.res == nil {
		return
	}
	names := v.e.collectTexts().VariableNames(v.e.res)
	for _, n := range names {
		r := v.row(n)
		if val := v.e.values[n]; r.value.Text != val {
			r.value.SetText(val)
		}
		if secret := v.e.secret[n]; r.value.Password != secret {
			r.value.Password = secret
			r.value.Refresh()
		}
	}
	if slices.Equal(names, v.names) && !v.stale {
		return
	}
	v.names, v.stale = names, false
	objs := []fyne.CanvasObject{bold("Variable"), bold("Value (this session only)"), bold("Default"), bold("Description")}
	for _, n := range names {
		r := v.rows[n]
		objs = append(objs, r.name, r.value, r.def, r.desc)
	}
	v.grid.Objects = objs
	if len(names) == 0 {
		v.grid.Hide()
		v.empty.Show()
	} else {
		v.grid.Show()
		v.empty.Hide()
	}
	v.grid.Refresh()
	v.e.varsTab.Text = "Variables"
	if len(names) > 0 {
		v.e.varsTab.Text = fmt.Sprintf("Variables (%d)", len(names))
	}
	v.e.tabs.Refresh()
}

// saved is what to save of the variables: the default and description of each the request uses.
func (v *variables) saved(q *query.Query) []query.Variable {
	var out []query.Variable
	for _, n := range q.VariableNames(v.e.res) {
		r, ok := v.rows[n]
		if !ok || r.def.Text == "" && r.desc.Text == "" {
			continue
		}
		out = append(out, query.Variable{Name: n, Default: r.def.Text, Description: r.desc.Text})
	}
	return out
}

func bold(s string) *widget.Label {
	return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}}
}
