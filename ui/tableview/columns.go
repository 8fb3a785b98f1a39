package tableview

import (
	"context"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/jsonview"
	"apidesk/ui/task"
)

// columnChoice is one row of the Columns dialog: a key of the rows, whether it is shown, and its header.
type columnChoice struct {
	key, label string
	shown      bool
}

// columnsDialog is the Columns dialog of a table: which keys are columns, in which order, with which headers.
type columnsDialog struct {
	v       *TableView
	choices []columnChoice
	list    *fyne.Container
	dlg     dialog.Dialog
}

// onColumns finds every key of the rows shown (the columns chosen so far may leave some out), in the
// background, then opens the Columns dialog.
func (v *TableView) onColumns() {
	t, body := v.table, v.body
	if t == nil || body == nil {
		return
	}
	opt := v.opt
	opt.Path, opt.Columns = v.from, nil
	if opt.Path == "" {
		opt.Path = jsonview.TopLevel
	}
	task.Start(&v.tasks, func(ctx context.Context) ([]string, error) {
		all, err := jsonview.FindTable(ctx, body, opt)
		if err != nil {
			return nil, err
		}
		return all.Keys(), nil
	}, func(keys []string, err error) {
		if err != nil {
			keys = nil // the rows appended by Load more may not be in the body: offer the columns shown
		}
		v.showColumnsDialog(columnChoices(t, keys))
	})
}

// columnChoices are the columns shown, in order with their headers, then the other keys, not shown.
func columnChoices(t *jsonview.Table, keys []string) []columnChoice {
	var out []columnChoice
	for c, key := range t.Keys() {
		label := t.Columns()[c]
		if label == key {
			label = ""
		}
		out = append(out, columnChoice{key: key, label: label, shown: true})
	}
	for _, key := range keys {
		if !slices.ContainsFunc(out, func(c columnChoice) bool { return c.key == key }) {
			out = append(out, columnChoice{key: key})
		}
	}
	return out
}

func (v *TableView) showColumnsDialog(choices []columnChoice) {
	win := v.window()
	if win == nil {
		return
	}
	d := &columnsDialog{v: v, choices: choices, list: container.NewVBox()}
	d.fill()
	intro := widget.NewLabel("Tick the columns to show, give them the headers you want, and move them into order.")
	intro.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(d.list)
	scroll.SetMinSize(fyne.NewSize(520, 300))
	heads := container.NewGridWithColumns(2, &widget.Label{Text: "In the answer", TextStyle: fyne.TextStyle{Bold: true}},
		&widget.Label{Text: "Header shown", TextStyle: fyne.TextStyle{Bold: true}})
	content := container.NewBorder(container.NewVBox(intro, heads), nil, nil, nil, scroll)
	v.columns = d
	d.dlg = dialog.NewCustomConfirm("Columns", "Show these columns", "Cancel", content, func(ok bool) {
		if ok {
			v.ApplyColumns(d.columns())
		}
	}, win)
	d.dlg.Show()
}

// fill makes a row of widgets per choice.
func (d *columnsDialog) fill() {
	d.list.RemoveAll()
	for i := range d.choices {
		c := &d.choices[i]
		check := widget.NewCheck("", func(on bool) { c.shown = on })
		check.SetChecked(c.shown)
		label := widget.NewEntry()
		label.SetPlaceHolder(c.key)
		label.SetText(c.label)
		label.OnChanged = func(s string) { c.label = s }
		up := &widget.Button{Icon: theme.MoveUpIcon(), Importance: widget.LowImportance, OnTapped: func() { d.move(i, -1) }}
		down := &widget.Button{Icon: theme.MoveDownIcon(), Importance: widget.LowImportance, OnTapped: func() { d.move(i, 1) }}
		if i == 0 {
			up.Disable()
		}
		if i == len(d.choices)-1 {
			down.Disable()
		}
		key := &widget.Label{Text: c.key, Truncation: fyne.TextTruncateEllipsis}
		d.list.Add(container.NewBorder(nil, nil, check, container.NewHBox(up, down),
			container.NewGridWithColumns(2, key, label)))
	}
	d.list.Refresh()
}

// move moves choice i by delta places.
func (d *columnsDialog) move(i, delta int) {
	j := i + delta
	if j < 0 || j >= len(d.choices) {
		return
	}
	d.choices[i], d.choices[j] = d.choices[j], d.choices[i]
	d.fill()
}

// columns are the columns chosen: those ticked, in order, with their headers.
func (d *columnsDialog) columns() []jsonview.Column {
	var out []jsonview.Column
	for _, c := range d.choices {
		if c.shown {
			out = append(out, jsonview.Column{Key: c.key, Label: c.label})
		}
	}
	return out
}

// ApplyColumns shows the rows shown with these columns, in this order and with these headers (none: every
// key). "Keep for this query" then saves them as the query's result shape.
func (v *TableView) ApplyColumns(cols []jsonview.Column) {
	if v.body == nil || v.table == nil {
		return
	}
	opt := v.opt
	opt.Path, opt.Columns = v.from, cols
	if opt.Path == "" {
		opt.Path = jsonview.TopLevel
	}
	v.opt = opt // the selector keeps them for this list
	body := v.body
	v.startWork()
	v.setTable(nil, nil)
	v.showLoading("Finding the table…")
	task.Start(&v.tasks, func(ctx context.Context) (found, error) {
		return findTable(ctx, body, opt)
	}, func(f found, err error) {
		v.showFound(f, err)
		if err == nil && v.OnKeepShape != nil {
			v.showSaved(fmt.Sprintf("Showing %s. Keep for this query saves them.", count(len(f.table.Keys()), "column", "columns")))
		}
	})
}

// window is the window the view's dialogs open in.
func (v *TableView) window() fyne.Window {
	if v.Window != nil {
		return v.Window
	}
	if ws := fyne.CurrentApp().Driver().AllWindows(); len(ws) > 0 {
		return ws[0]
	}
	return nil
}
