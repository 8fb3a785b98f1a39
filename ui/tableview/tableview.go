// Package tableview shows a JSON array from a response body as a table: a column per key, a row per element,
// sortable by a click on a column's header, with a cell's whole value shown and copied on click. Finding the
// table and sorting it run off the UI thread (engine/jsonview) and come back through fyne.Do.
package tableview

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/jsonview"
	"apidesk/ui/task"
)

var (
	_ fyne.Widget       = (*TableView)(nil)
	_ fyne.Shortcutable = (*tableGrid)(nil)
)

const (
	// detailLimit bounds the part of a value the detail panel shows; Copy value copies all of it.
	detailLimit = 4 << 10
	// sampleRows is how many rows the column widths are measured on.
	sampleRows = 200
	// minChars and maxChars bound a column's width, in characters.
	minChars, maxChars = 4, 40
	// rowCacheSize bounds the rows whose cell texts are kept.
	rowCacheSize = 2048
)

// TableView shows the table found in one body at a time.
type TableView struct {
	widget.BaseWidget

	// OnLoaded is called on the UI goroutine when a body given to SetBody has been looked at: with the table
	// shown, or with nil and the reason there is none (jsonview.ErrNoTable, wrapped).
	OnLoaded func(*jsonview.Table, error)

	table    *jsonview.Table
	widths   []int // each column's width in characters
	selected *widget.TableCellID
	row      int              // the row selected by its number, or -1
	rows     map[int][]string // cell texts of rows read lately
	raw      [][]byte

	tasks   task.Group // finding the table, or sorting it; a newer body or sort cancels the older
	sorting bool

	metricSize   float32
	charW, lineH float32

	grid        *tableGrid
	summary     *widget.Label
	notes       *widget.Label
	message     *widget.Label
	loading     *fyne.Container
	loadingText *widget.Label
	progress    *widget.ProgressBarInfinite
	detailTitle *widget.Label
	detailValue *widget.Label
	copyValue   *widget.Button
	detail      *fyne.Container
	content     fyne.CanvasObject
}

// New returns an empty table view.
func New() *TableView {
	v := &TableView{rows: map[int][]string{}, row: -1}
	v.ExtendBaseWidget(v)
	v.build()
	return v
}

func (v *TableView) build() {
	v.grid = &tableGrid{view: v, Table: widget.Table{
		Length:           v.length,
		CreateCell:       func() fyne.CanvasObject { return newCell(v) },
		UpdateCell:       v.updateCell,
		OnSelected:       v.onSelected,
		OnUnselected:     v.onUnselected,
		ShowHeaderRow:    true,
		ShowHeaderColumn: true,
		CreateHeader:     func() fyne.CanvasObject { return newHeader(v) },
		UpdateHeader:     v.updateHeader,
	}}
	v.grid.ExtendBaseWidget(v.grid)
	v.grid.Hide()

	v.summary = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	v.notes = &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	v.notes.Hide()
	v.message = &widget.Label{Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	v.message.Hide()
	v.progress = widget.NewProgressBarInfinite()
	v.progress.Stop()
	v.loadingText = &widget.Label{Alignment: fyne.TextAlignCenter}
	v.loading = container.NewCenter(container.NewVBox(v.loadingText, v.progress))
	v.loading.Hide()

	v.detailTitle = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	v.detailValue = &widget.Label{Wrapping: fyne.TextWrapBreak, Selectable: true, TextStyle: fyne.TextStyle{Monospace: true}}
	v.copyValue = &widget.Button{Text: "Copy value", Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance, OnTapped: v.onCopyValue}
	scroll := container.NewVScroll(v.detailValue)
	scroll.SetMinSize(fyne.NewSize(0, 96))
	v.detail = container.NewBorder(container.NewBorder(nil, nil, nil, v.copyValue, v.detailTitle), nil, nil, nil, scroll)
	v.detail.Hide()

	v.content = container.NewBorder(
		container.NewVBox(v.summary, v.notes),
		v.detail, nil, nil,
		container.New(sizedStack{}, v.grid, container.New(messageLayout{}, v.message), v.loading),
	)
}

// CreateRenderer is part of fyne.Widget.
func (v *TableView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// SetBody looks for a table in body in the background and shows it; OnLoaded is called then. Work for a body
// set earlier is cancelled. body must not change afterwards.
func (v *TableView) SetBody(body []byte, opt jsonview.TableOptions) {
	v.startWork()
	v.setTable(nil, nil)
	v.showLoading("Finding the table…")
	task.Start(&v.tasks, func(ctx context.Context) (found, error) {
		t, err := jsonview.FindTable(ctx, body, opt)
		if err != nil {
			return found{}, err
		}
		return found{t, columnWidths(t)}, nil
	}, func(f found, err error) {
		v.setTable(f.table, f.widths)
		if err != nil {
			v.showMessage(noTableMessage(err))
		}
		if v.OnLoaded != nil {
			v.OnLoaded(f.table, err)
		}
	})
}

// found is a table found in a body, with its columns' widths in characters.
type found struct {
	table  *jsonview.Table
	widths []int
}

// SetWaiting shows no table but says one is being looked for, as SetBody does, until SetBody is called; work for
// a body set earlier is cancelled.
func (v *TableView) SetWaiting() {
	v.startWork()
	v.setTable(nil, nil)
	v.showLoading("Finding the table…")
}

// Clear shows no table, and cancels any work for the last one.
func (v *TableView) Clear() {
	v.startWork()
	v.setTable(nil, nil)
}

// Table is the table shown (sorted as shown), or nil.
func (v *TableView) Table() *jsonview.Table { return v.table }

// Tasks is the view's background work: finding the table and sorting it.
func (v *TableView) Tasks() *task.Group { return &v.tasks }

// startWork cancels the work in flight, for new work.
func (v *TableView) startWork() {
	v.tasks.Cancel()
	v.sorting = false
}

func noTableMessage(err error) string {
	if errors.Is(err, jsonview.ErrNoTable) {
		msg := err.Error()
		return strings.ToUpper(msg[:1]) + msg[1:] + "."
	}
	return "The table could not be made: " + err.Error()
}

// setTable shows t (nil: nothing) with its columns widths characters wide.
func (v *TableView) setTable(t *jsonview.Table, widths []int) {
	v.table, v.widths = t, widths
	clear(v.rows)
	v.selected, v.row = nil, -1
	v.detail.Hide()
	v.loading.Hide()
	v.progress.Stop()
	v.message.Hide()
	notes := ""
	if t == nil {
		v.grid.Hide()
		v.summary.SetText("")
	} else {
		v.grid.Show()
		v.grid.UnselectAll()
		v.ensureMetrics()
		for c, w := range widths {
			v.grid.SetColumnWidth(c, v.charW*float32(w)+2*v.pad())
		}
		v.scrollToStart()
		v.refreshSummary()
		notes = strings.Join(t.Notes(), " ")
	}
	v.notes.SetText(notes)
	if notes == "" {
		v.notes.Hide()
	} else {
		v.notes.Show()
	}
	v.grid.Refresh()
	v.content.Refresh()
}

// scrollToStart shows the first row and column. A grid that was never laid out is there already, and is left
// alone: Fyne's Table counts every row as in sight while it has no height (see sizedStack).
func (v *TableView) scrollToStart() {
	if v.grid.Size().Height <= 0 {
		return
	}
	v.grid.ScrollToOffset(fyne.Position{})
}

func (v *TableView) refreshSummary() {
	t := v.table
	from := "the body"
	if t.Path() != "" {
		from = `"` + t.Path() + `"`
	}
	s := fmt.Sprintf("%s × %s from %s", count(t.Rows(), "row", "rows"), count(len(t.Columns()), "column", "columns"), from)
	if c, desc := t.SortedBy(); c >= 0 {
		dir := "ascending"
		if desc {
			dir = "descending"
		}
		s += fmt.Sprintf(", sorted by %s, %s", t.Columns()[c], dir)
	}
	if v.sorting {
		s += " · Sorting…"
	}
	v.summary.SetText(s)
}

func (v *TableView) showLoading(text string) {
	v.loadingText.SetText(text)
	v.loading.Show()
	v.progress.Start()
}

func (v *TableView) showMessage(text string) {
	v.message.SetText(text)
	v.message.Show()
	v.grid.Hide()
}

// columnWidths measures each column on its header and rows spread over the table, in characters.
func columnWidths(t *jsonview.Table) []int {
	widths := make([]int, len(t.Columns()))
	for c, name := range t.Columns() {
		widths[c] = utf8.RuneCountInString(name) + 2 // room for the sort mark
	}
	var raw [][]byte
	step := max(1, t.Rows()/sampleRows)
	for r := 0; r < t.Rows(); r += step {
		raw = t.RawRow(r, raw)
		for c, val := range raw {
			widths[c] = max(widths[c], utf8.RuneCountInString(t.CellText(val)))
		}
	}
	for c := range widths {
		widths[c] = min(max(widths[c], minChars), maxChars)
	}
	return widths
}

func (v *TableView) length() (int, int) {
	if v.table == nil {
		return 0, 0
	}
	return v.table.Rows(), len(v.table.Columns())
}

// rowTexts is the cell texts of row r, read in one pass over the row and kept for a while.
func (v *TableView) rowTexts(r int) []string {
	if texts, ok := v.rows[r]; ok {
		return texts
	}
	if len(v.rows) >= rowCacheSize {
		clear(v.rows)
	}
	v.raw = v.table.RawRow(r, v.raw)
	texts := make([]string, len(v.raw))
	for c, val := range v.raw {
		texts[c] = v.table.CellText(val)
	}
	v.rows[r] = texts
	return texts
}

func (v *TableView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	c := o.(*cell)
	if v.table == nil || id.Row >= v.table.Rows() || id.Col >= len(v.widths) {
		c.set(id, "", 0)
		return
	}
	c.set(id, v.rowTexts(id.Row)[id.Col], v.widths[id.Col])
}

func (v *TableView) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	h := o.(*header)
	if v.table == nil {
		h.set(id, "", 0)
		return
	}
	if id.Col < 0 { // the row numbers
		h.set(id, thousands(id.Row+1), 0)
		return
	}
	if id.Col >= len(v.widths) {
		h.set(id, "", 0)
		return
	}
	mark := 0
	if c, desc := v.table.SortedBy(); c == id.Col {
		mark = 1
		if desc {
			mark = -1
		}
	}
	h.set(id, v.table.Columns()[id.Col], mark)
}

// onHeaderTapped sorts by the column, ascending first, then the other way on each tap.
func (v *TableView) onHeaderTapped(col int) {
	t := v.table
	if t == nil || col < 0 || col >= len(t.Columns()) {
		return
	}
	desc := false
	if c, d := t.SortedBy(); c == col {
		desc = !d
	}
	v.startWork()
	v.sorting = true
	v.refreshSummary()
	task.Start(&v.tasks, func(ctx context.Context) (*jsonview.Table, error) {
		return t.Sort(ctx, col, desc)
	}, func(sorted *jsonview.Table, err error) {
		v.sorting = false
		if err != nil { // a column that is not there: the table stays as it is
			v.refreshSummary()
			return
		}
		v.table = sorted
		clear(v.rows)
		v.grid.UnselectAll()
		v.selected, v.row = nil, -1
		v.detail.Hide()
		v.refreshSummary()
		v.grid.Refresh()
	})
}

func (v *TableView) onSelected(id widget.TableCellID) {
	if v.table == nil || id.Row < 0 || id.Col < 0 {
		return
	}
	v.selected = &id
	v.setRow(-1)
	v.copyValue.SetText("Copy value")
	value := v.table.Value(id.Row, id.Col)
	shown := value
	if len(shown) > detailLimit {
		end := detailLimit
		for end > 0 && !utf8.RuneStart(shown[end]) {
			end--
		}
		shown = shown[:end] + fmt.Sprintf("\n… %s more bytes: Copy value copies all of it.", thousands(len(value)-end))
	}
	if value == "" && v.table.Raw(id.Row, id.Col) == nil {
		shown = "(this row has no " + v.table.Columns()[id.Col] + ")"
	}
	v.detailTitle.SetText(fmt.Sprintf("Row %s · %s", thousands(id.Row+1), v.table.Columns()[id.Col]))
	v.detailValue.SetText(shown)
	v.detail.Show()
	v.content.Refresh()
}

func (v *TableView) onUnselected(widget.TableCellID) {
	v.selected = nil
	if v.row < 0 {
		v.detail.Hide()
	}
	v.content.Refresh()
}

// onRowTapped selects row r, from a tap on its number: its values are shown, and Ctrl+C (or Copy row) copies
// it with the column names.
func (v *TableView) onRowTapped(r int) {
	if v.table == nil || r < 0 || r >= v.table.Rows() {
		return
	}
	v.grid.UnselectAll()
	v.setRow(r)
	cols := v.table.Columns()
	var b strings.Builder
	for c, name := range cols {
		if c > 0 {
			b.WriteByte('\n')
		}
		if b.Len() > detailLimit {
			fmt.Fprintf(&b, "… %s: Copy row copies all of them.", count(len(cols)-c, "more column", "more columns"))
			break
		}
		b.WriteString(name + ": " + v.rowTexts(r)[c])
	}
	v.detailTitle.SetText(fmt.Sprintf("Row %s", thousands(r+1)))
	v.detailValue.SetText(b.String())
	v.copyValue.SetText("Copy row")
	v.detail.Show()
	v.content.Refresh()
	if c := fyne.CurrentApp().Driver().CanvasForObject(v.grid); c != nil {
		c.Focus(v.grid) // for Ctrl+C
	}
}

// setRow marks row r selected (-1: none), redrawing the rows that change.
func (v *TableView) setRow(r int) {
	if r == v.row {
		return
	}
	v.row = r
	v.grid.Refresh()
}

func (v *TableView) onCopyValue() { v.copySelection() }

// copySelection puts the selected cell's whole value on the clipboard, or the selected row as two lines of
// tab-separated text: the column names, then the values (a tab or line break in them made a space), as a
// spreadsheet takes them.
func (v *TableView) copySelection() {
	t := v.table
	if t == nil {
		return
	}
	switch {
	case v.selected != nil:
		fyne.CurrentApp().Clipboard().SetContent(t.Value(v.selected.Row, v.selected.Col))
	case v.row >= 0:
		values := make([]string, len(t.Columns()))
		for c := range values {
			values[c] = tsvField(rowValue(t, v.row, c))
		}
		names := make([]string, len(t.Columns()))
		for c, name := range t.Columns() {
			names[c] = tsvField(name)
		}
		fyne.CurrentApp().Clipboard().SetContent(strings.Join(names, "\t") + "\n" + strings.Join(values, "\t"))
	}
}

// rowValue is the whole value of a cell on one line: an object or array as compact JSON, else as Value.
func rowValue(t *jsonview.Table, r, c int) string {
	raw := bytes.TrimSpace(t.Raw(r, c))
	if len(raw) > 0 && (raw[0] == '{' || raw[0] == '[') {
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			return b.String()
		}
	}
	return t.Value(r, c)
}

// tsvField is s with its tabs and line breaks made spaces, to stay one field of one line.
func tsvField(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}

// tableGrid is the table's widget.Table, which copies the selection on Ctrl+C.
type tableGrid struct {
	widget.Table
	view *TableView
}

// TypedShortcut copies the selected cell or row on Ctrl+C (Cmd+C).
func (g *tableGrid) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*fyne.ShortcutCopy); ok {
		g.view.copySelection()
	}
}

// ensureMetrics measures a monospace character at the current text size.
func (v *TableView) ensureMetrics() {
	size := v.Theme().Size(theme.SizeNameText)
	if size == v.metricSize {
		return
	}
	m := fyne.MeasureText("0123456789", size, fyne.TextStyle{Monospace: true})
	v.metricSize, v.charW, v.lineH = size, m.Width/10, m.Height
}

func (v *TableView) pad() float32 { return v.Theme().Size(theme.SizeNameInnerPadding) / 2 }

// thousands writes n with commas.
// count says how many of a thing there are: "1 row", "0 rows", "1,200 rows".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// sizedStack is layout.NewStackLayout that leaves its objects alone while it has no area, as it has while the
// view's tab was never shown (the border around it then makes its height negative). Fyne's Table counts every
// row as in sight while it has no height, and makes and places a divider for each of them, hundreds of thousands
// for a big body, on the UI goroutine.
type sizedStack struct{}

func (sizedStack) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	for _, o := range objects {
		o.Move(fyne.Position{})
		o.Resize(size)
	}
}

func (sizedStack) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objects {
		if o.Visible() {
			m = m.Max(o.MinSize())
		}
	}
	return m
}

// messageLayout shows a label wrapped by word across the width it is given, centred in its height. Its minimum
// size is one line of a few words whatever the text: a wrapped label asks for the height of its text wrapped at
// the width it was last given, one character a line while it never had one, and a container that gave it only
// what it asks for (container.NewCenter) made the window grow to fit that column of characters.
type messageLayout struct{}

// messageMinWidth is the least width of a message, in characters.
const messageMinWidth = 24

func (messageLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Resize(fyne.NewSize(size.Width, o.Size().Height))
		h := min(o.MinSize().Height, size.Height) // the height of the text wrapped at size.Width
		o.Resize(fyne.NewSize(size.Width, h))
		o.Move(fyne.NewPos(0, (size.Height-h)/2))
	}
}

func (messageLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		line := fyne.MeasureText(strings.Repeat("m", messageMinWidth), theme.TextSize(), fyne.TextStyle{})
		m = m.Max(line.AddWidthHeight(2*theme.InnerPadding(), 2*theme.InnerPadding()))
	}
	return m
}
