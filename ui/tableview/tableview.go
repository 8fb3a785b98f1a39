// Package tableview shows a JSON array from a response body as a table: a column per key, a row per element,
// sortable by a click on a column's header, with a cell's whole value shown and copied on click. A selector picks
// another array of the body, and the choice can be kept as the query's result shape; the table is exported as
// CSV (saved to a file, or copied) or TSV. Finding the table, sorting it and writing it run off the UI thread
// (engine/jsonview) and come back through fyne.Do.
package tableview

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
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
	// OnKeepShape, when set, shows "Keep for this query": it is called with where the rows shown are
	// (jsonview.TopLevel for the body itself) and their columns, for the query to save as its result shape.
	OnKeepShape func(rows string, columns []jsonview.Column)
	// Window shows the Save as CSV dialog; nil uses the app's first window.
	Window fyne.Window
	// OnAppended is called on the UI goroutine when rows given to Append are in the table: with the table shown,
	// or with nil and why they could not be added (the table is left as it was).
	OnAppended func(*jsonview.Table, error)

	body     []byte                // the body shown
	opt      jsonview.TableOptions // as SetBody was given them
	arrays   []jsonview.Array      // the arrays the selector offers
	choices  []string              // the selector's options, one per array
	table    *jsonview.Table
	from     string // where the rows come from, as the summary says: the table's Path, kept by Append
	widths   []int  // each column's width in characters
	selected *widget.TableCellID
	row      int              // the row selected by its number, or -1
	rows     map[int][]string // cell texts of rows read lately
	raw      [][]byte

	tasks   task.Group // finding the table, or sorting it; a newer body or sort cancels the older
	sorting bool

	metricSize   float32
	charW, lineH float32

	grid         *tableGrid
	summary      *widget.Label
	notes        *widget.Label
	message      *widget.Label
	loading      *fyne.Container
	loadingText  *widget.Label
	progress     *widget.ProgressBarInfinite
	detailTitle  *widget.Label
	detailValue  *widget.Label
	copyValue    *widget.Button
	detail       *fyne.Container
	detailScroll *container.Scroll
	chooser      *widget.Select // which array of the body is shown
	keepBtn      *widget.Button
	columnsBtn   *widget.Button
	columns      *columnsDialog // the Columns dialog opened last
	exportBtn    *widget.Button
	exportMenu   *fyne.Menu
	saved        *widget.Label // where the last CSV was saved, or why it was not
	content      fyne.CanvasObject
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

	v.summary = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	v.chooser = &widget.Select{PlaceHolder: "Choose a list", OnChanged: v.onChoose}
	v.chooser.Hide()
	v.keepBtn = &widget.Button{Text: "Keep for this query", Icon: theme.DocumentSaveIcon(), Importance: widget.LowImportance, OnTapped: v.onKeep}
	v.keepBtn.Hide()
	v.columnsBtn = &widget.Button{Text: "Columns…", Icon: theme.ListIcon(), Importance: widget.LowImportance, OnTapped: v.onColumns}
	v.columnsBtn.Hide()
	v.exportMenu = fyne.NewMenu("",
		fyne.NewMenuItem("Save as CSV…", v.onSaveCSV),
		fyne.NewMenuItem("Copy as CSV", func() { v.copyAs(jsonview.CSV) }),
		fyne.NewMenuItem("Copy as TSV", func() { v.copyAs(jsonview.TSV) }),
	)
	v.exportBtn = &widget.Button{Text: "Export", Icon: theme.DownloadIcon(), Importance: widget.LowImportance, OnTapped: v.onExport}
	v.exportBtn.Hide()
	v.saved = &widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	v.saved.Hide()
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
	v.detailScroll = container.NewVScroll(v.detailValue)
	v.detail = container.NewBorder(container.NewBorder(nil, nil, nil, v.copyValue, v.detailTitle), nil, nil, nil, v.detailScroll)
	v.detail.Hide()

	bar := container.NewBorder(nil, nil, v.chooser, container.NewHBox(v.columnsBtn, v.keepBtn, v.exportBtn), v.summary)
	v.content = container.New(&viewLayout{v: v},
		container.NewVBox(bar, v.notes, v.saved),
		container.New(sizedStack{}, v.grid, container.New(messageLayout{}, v.message), v.loading),
		v.detail,
	)
}

// CreateRenderer is part of fyne.Widget.
func (v *TableView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// SetBody looks for a table in body in the background and shows it; OnLoaded is called then. Work for a body
// set earlier is cancelled. body must not change afterwards.
//
// opt.Path and opt.Columns say which array to show and its columns (a query's result shape); without a path the
// table is the one jsonview.FindTable chooses, and the selector offers the body's other arrays (jsonview.Arrays).
func (v *TableView) SetBody(body []byte, opt jsonview.TableOptions) {
	v.startWork()
	v.body, v.opt = body, opt
	v.setArrays(nil)
	v.setTable(nil, nil)
	v.showLoading("Finding the table…")
	task.Start(&v.tasks, func(ctx context.Context) (found, error) {
		arrays, err := jsonview.Arrays(ctx, body)
		if err != nil {
			return found{}, err
		}
		f, err := findTable(ctx, body, opt)
		f.arrays = arrays
		return f, err
	}, func(f found, err error) {
		v.setArrays(f.arrays)
		v.showFound(f, err)
	})
}

// findTable finds the table of body with opt, and measures its columns.
func findTable(ctx context.Context, body []byte, opt jsonview.TableOptions) (found, error) {
	t, err := jsonview.FindTable(ctx, body, opt)
	if err != nil {
		return found{}, err
	}
	return found{table: t, widths: columnWidths(t)}, nil
}

// showFound shows the table found (or why there is none) and tells OnLoaded.
func (v *TableView) showFound(f found, err error) {
	v.setTable(f.table, f.widths)
	v.refreshChooser()
	if err != nil {
		v.showMessage(v.noTableMessage(err))
	}
	if v.OnLoaded != nil {
		v.OnLoaded(f.table, err)
	}
}

// found is a table found in a body, with its columns' widths in characters, and the arrays the body has.
type found struct {
	table  *jsonview.Table
	widths []int
	arrays []jsonview.Array
}

// setArrays fills the selector with the arrays of the body shown.
func (v *TableView) setArrays(arrays []jsonview.Array) {
	v.arrays = arrays
	v.choices = make([]string, len(arrays))
	for i, a := range arrays {
		v.choices[i] = arrayLabel(a)
	}
	v.chooser.Options = v.choices
}

// arrayLabel names an array for the selector: "data.items (25 rows)", "the whole answer (3 rows)".
func arrayLabel(a jsonview.Array) string {
	where := a.Path
	if where == "" {
		where = "the whole answer"
	}
	if a.Objects {
		return fmt.Sprintf("%s (%s)", where, count(a.Len, "row", "rows"))
	}
	return fmt.Sprintf("%s (%s)", where, count(a.Len, "value", "values"))
}

// refreshChooser shows the selector when there is a choice, on the array shown.
func (v *TableView) refreshChooser() {
	selected := ""
	if v.table != nil {
		for i, a := range v.arrays {
			if a.Path == v.table.Path() {
				selected = v.choices[i]
			}
		}
	}
	v.chooser.OnChanged = nil // not a choice of the person's
	v.chooser.ClearSelected()
	if selected != "" {
		v.chooser.SetSelected(selected)
	}
	v.chooser.OnChanged = v.onChoose
	if len(v.arrays) > 1 || len(v.arrays) == 1 && v.table == nil {
		v.chooser.Show()
	} else {
		v.chooser.Hide()
	}
	if v.table != nil && v.OnKeepShape != nil {
		v.keepBtn.Show()
	} else {
		v.keepBtn.Hide()
	}
	if v.table != nil {
		v.exportBtn.Show()
		v.columnsBtn.Show()
	} else {
		v.exportBtn.Hide()
		v.columnsBtn.Hide()
	}
}

// Arrays are the arrays the selector offers, best first.
func (v *TableView) Arrays() []jsonview.Array { return v.arrays }

// ShowArray shows the array at path ("" for the body itself), as a choice in the selector does.
func (v *TableView) ShowArray(path string) {
	for i, a := range v.arrays {
		if a.Path == path {
			v.chooser.SetSelected(v.choices[i])
		}
	}
}

// onChoose shows the array chosen in the selector, with every key a column (or the columns given to SetBody,
// for the array they were given for).
func (v *TableView) onChoose(choice string) {
	i := -1
	for j, c := range v.choices {
		if c == choice {
			i = j
		}
	}
	if i < 0 || v.body == nil {
		return
	}
	opt := v.opt
	opt.Path = v.arrays[i].Path
	if opt.Path == "" {
		opt.Path = jsonview.TopLevel
	}
	if opt.Path != v.opt.Path {
		opt.Columns = nil
	}
	body := v.body
	v.startWork()
	v.setTable(nil, nil)
	v.showLoading("Finding the table…")
	task.Start(&v.tasks, func(ctx context.Context) (found, error) {
		return findTable(ctx, body, opt)
	}, v.showFound)
}

// onKeep hands the array shown and its columns to OnKeepShape.
func (v *TableView) onKeep() {
	t := v.table
	if t == nil || v.OnKeepShape == nil {
		return
	}
	rows := v.from // the table's path, also once pages were appended
	if rows == "" {
		rows = jsonview.TopLevel
	}
	cols := make([]jsonview.Column, len(t.Keys()))
	for c, key := range t.Keys() {
		cols[c] = jsonview.Column{Key: key}
		if label := t.Columns()[c]; label != key {
			cols[c].Label = label
		}
	}
	v.OnKeepShape(rows, cols)
	v.showSaved("Kept: this query shows these rows and columns from now on.")
}

// onExport opens the export menu under its button.
func (v *TableView) onExport() {
	c := fyne.CurrentApp().Driver().CanvasForObject(v.exportBtn)
	if c == nil {
		return
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.exportBtn).AddXY(0, v.exportBtn.Size().Height)
	widget.ShowPopUpMenuAtPosition(v.exportMenu, c, pos)
}

// ExportMenu is the menu Export opens: Save as CSV…, Copy as CSV, Copy as TSV.
func (v *TableView) ExportMenu() *fyne.Menu { return v.exportMenu }

// copyAs puts the whole table, as shown, on the clipboard, separated by comma.
func (v *TableView) copyAs(comma rune) {
	t := v.table
	if t == nil {
		return
	}
	var b bytes.Buffer
	if err := jsonview.WriteCSV(context.Background(), &b, t, comma); err != nil {
		v.showSaved("The table could not be copied: " + err.Error())
		return
	}
	fyne.CurrentApp().Clipboard().SetContent(b.String())
	what := "CSV"
	if comma == jsonview.TSV {
		what = "TSV"
	}
	v.showSaved(fmt.Sprintf("Copied %s as %s.", count(t.Rows(), "row", "rows"), what))
}

// onSaveCSV asks where to save the table as CSV, then writes it there in the background.
func (v *TableView) onSaveCSV() {
	t := v.table
	if t == nil {
		return
	}
	win := v.window()
	if win == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		switch {
		case err != nil:
			v.showSaved("Could not choose where to save the table: " + err.Error())
		case w != nil:
			v.SaveCSV(t, w)
		}
	}, win)
	d.SetFileName(csvName(t))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	if home, err := os.UserHomeDir(); err == nil {
		if l, err := storage.ListerForURI(storage.NewFileURI(home)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Show()
}

// SaveCSV writes t as CSV to w in the background and closes w, then says where it went.
func (v *TableView) SaveCSV(t *jsonview.Table, w fyne.URIWriteCloser) {
	where := w.URI().Path()
	v.showSaved("Saving the table…")
	task.Run(&v.tasks, func(ctx context.Context) error {
		err := jsonview.WriteCSV(ctx, w, t, jsonview.CSV)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		return err
	}, func(err error) {
		if err != nil {
			v.showSaved(fmt.Sprintf("The table could not be saved to %s: %v", where, err))
			return
		}
		v.showSaved(fmt.Sprintf("Saved %s to %s.", count(t.Rows(), "row", "rows"), where))
	})
}

// csvName is a file name for the table: its path's last key, or "table".
func csvName(t *jsonview.Table) string {
	name := t.Path()
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		name = "table"
	}
	return name + ".csv"
}

// Append adds rows (raw JSON values: the rows of the next page of a list) after the table's own, in the
// background, keeping its sort, where the summary says the rows come from, and the place scrolled to; then
// OnAppended is called. It waits for nothing: call it once the table is shown.
func (v *TableView) Append(rows [][]byte) {
	prev, from, columns := v.table, v.from, v.opt.Columns
	v.startWork()
	task.Start(&v.tasks, func(ctx context.Context) (found, error) {
		var elems [][]byte
		if prev != nil {
			elems = prev.Elements()
		}
		t, err := jsonview.FindTable(ctx, jsonview.JoinArray(append(elems, rows...)), jsonview.TableOptions{Path: jsonview.TopLevel, Columns: columns})
		if err != nil {
			return found{}, err
		}
		if prev != nil {
			if c, desc := prev.SortedBy(); c >= 0 {
				if i := slices.Index(t.Keys(), prev.Keys()[c]); i >= 0 {
					if t, err = t.Sort(ctx, i, desc); err != nil {
						return found{}, err
					}
				}
			}
		}
		return found{table: t, widths: columnWidths(t)}, nil
	}, func(f found, err error) {
		if err == nil {
			v.table, v.widths, v.from = f.table, f.widths, from
			clear(v.rows)
			v.grid.UnselectAll()
			v.selected, v.row = nil, -1
			v.detail.Hide()
			v.message.Hide()
			v.grid.Show()
			v.ensureMetrics()
			for c, w := range f.widths {
				v.grid.SetColumnWidth(c, v.charW*float32(w)+2*v.pad())
			}
			v.refreshSummary()
			v.grid.Refresh()
			v.content.Refresh()
		}
		if v.OnAppended != nil {
			v.OnAppended(f.table, err)
		}
	})
}

// showSaved says what an export or a copy did, under the summary, keeping the selection in sight.
func (v *TableView) showSaved(text string) {
	v.saved.SetText(text)
	if v.saved.Visible() {
		return
	}
	v.saved.Show()
	v.content.Refresh()
	switch {
	case v.grid.Size().Height <= 0: // see scrollToStart
	case v.selected != nil:
		v.grid.ScrollTo(*v.selected)
	case v.row >= 0:
		v.grid.ScrollTo(widget.TableCellID{Row: v.row, Col: 0})
	}
}

// Exported is what the view last said about an export ("Copied 3 rows as CSV."), or "".
func (v *TableView) Exported() string { return v.saved.Text }

// SetWaiting shows no table but says one is being looked for, as SetBody does, until SetBody is called; work for
// a body set earlier is cancelled.
func (v *TableView) SetWaiting() {
	v.startWork()
	v.body = nil
	v.setArrays(nil)
	v.setTable(nil, nil)
	v.showLoading("Finding the table…")
}

// Clear shows no table, and cancels any work for the last one.
func (v *TableView) Clear() {
	v.startWork()
	v.body = nil
	v.setArrays(nil)
	v.setTable(nil, nil)
	v.refreshChooser()
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

// noTableMessage says, in the person's words, why the body shown has no table. The engine's reasons (not valid
// JSON, not a list) are for the command line; here, what to do instead.
func (v *TableView) noTableMessage(err error) string {
	if !errors.Is(err, jsonview.ErrNoTable) {
		return "The table could not be made: " + err.Error()
	}
	if len(v.arrays) == 0 {
		return "This answer is not a list, so there is no table. The Body tab shows it as it came."
	}
	if p := v.opt.Path; p != "" && p != jsonview.TopLevel {
		return fmt.Sprintf("This answer has no list at %s, where this query takes its rows from. Choose one of its lists above to see it as a table.", p)
	}
	return "This answer holds no list of records. Choose one of its lists above to see it as a table."
}

// setTable shows t (nil: nothing) with its columns widths characters wide.
func (v *TableView) setTable(t *jsonview.Table, widths []int) {
	v.table, v.widths = t, widths
	v.from = ""
	if t != nil {
		v.from = t.Path()
	}
	clear(v.rows)
	v.selected, v.row = nil, -1
	v.detail.Hide()
	v.saved.SetText("")
	v.saved.Hide()
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
	if v.from != "" {
		from = `"` + v.from + `"`
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

// SelectCell selects the cell at row and col of the table shown, as a click on it does.
func (v *TableView) SelectCell(row, col int) { v.grid.Select(widget.TableCellID{Row: row, Col: col}) }

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
	v.showDetail(id)
	// The focus, for Ctrl+C. Fyne's Table focuses itself on a click, but asks for the canvas of its embedded
	// widget.Table, which the window does not know (it knows the tableGrid), so the focus stayed where it was.
	v.focusGrid()
}

// showDetail shows the detail panel, and keeps the cell at id in sight in the room it leaves the table.
func (v *TableView) showDetail(id widget.TableCellID) {
	v.detailScroll.ScrollToTop()
	v.detail.Show()
	v.content.Refresh()
	if v.grid.Size().Height > 0 { // see scrollToStart
		v.grid.ScrollTo(id)
	}
}

// focusGrid gives the table the keyboard focus, for Ctrl+C.
func (v *TableView) focusGrid() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v.grid); c != nil {
		c.Focus(v.grid)
	}
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
	v.showDetail(widget.TableCellID{Row: r, Col: 0})
	v.focusGrid()
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
// tab-separated text: the column names, then the values (a tab or line break in them made a space, a formula
// defused: jsonview.ExportText), as a spreadsheet takes them.
func (v *TableView) copySelection() {
	t := v.table
	if t == nil {
		return
	}
	switch {
	case v.selected != nil:
		fyne.CurrentApp().Clipboard().SetContent(t.Value(v.selected.Row, v.selected.Col))
		v.showSaved(fmt.Sprintf("Copied the %s of row %s.", t.Columns()[v.selected.Col], thousands(v.selected.Row+1)))
	case v.row >= 0:
		values := make([]string, len(t.Columns()))
		for c := range values {
			values[c] = tsvField(jsonview.ExportText(t.Raw(v.row, c)))
		}
		names := make([]string, len(t.Columns()))
		for c, name := range t.Columns() {
			names[c] = tsvField(jsonview.Defuse(name))
		}
		fyne.CurrentApp().Clipboard().SetContent(strings.Join(names, "\t") + "\n" + strings.Join(values, "\t"))
		v.showSaved(fmt.Sprintf("Copied row %s, with the column names.", thousands(v.row+1)))
	}
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

// detailLines is how many lines of a selected value the detail shows at most; the rest scroll.
const detailLines = 4

// viewLayout puts the bar at the top, the selection's detail at the bottom and the table between them. The detail
// takes the height its value needs, up to detailLines lines and a third of the room under the bar, and adds
// nothing to the view's minimum size: a long value scrolls within it, rather than growing the window or leaving
// the table a single row.
type viewLayout struct{ v *TableView }

func (l *viewLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	top, middle, detail := objects[0], objects[1], objects[2]
	pad := theme.Padding()
	topH := top.MinSize().Height
	top.Move(fyne.Position{})
	top.Resize(fyne.NewSize(size.Width, topH))
	y := topH + pad
	room := size.Height - y
	if detail.Visible() {
		h := min(l.detailHeight(size.Width, room/3), max(room, 0))
		detail.Move(fyne.NewPos(0, size.Height-h))
		detail.Resize(fyne.NewSize(size.Width, h))
		room -= h + pad
	}
	middle.Move(fyne.NewPos(0, y))
	middle.Resize(fyne.NewSize(size.Width, max(room, 0)))
}

// detailHeight is the height of the detail at width: its title, and its value's lines up to detailLines, in
// at most most (but always the title and one line).
func (l *viewLayout) detailHeight(width, most float32) float32 {
	v := l.v
	v.ensureMetrics()
	pad, inner := theme.Padding(), theme.InnerPadding()
	line := v.lineH + theme.LineSpacing()
	title := v.detailTitle.MinSize().Height
	if b := v.copyValue.MinSize().Height; b > title {
		title = b
	}
	v.detailValue.Resize(fyne.NewSize(width, v.detailValue.Size().Height)) // to wrap it at width
	value := min(v.detailValue.MinSize().Height, detailLines*line+2*inner)
	return min(title+pad+value, max(most, title+pad+line+2*inner))
}

// MinSize is the bar's and the table's: the detail takes its room from the table.
func (l *viewLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	top, middle := objects[0].MinSize(), objects[1].MinSize()
	return fyne.NewSize(max(top.Width, middle.Width), top.Height+theme.Padding()+middle.Height)
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
