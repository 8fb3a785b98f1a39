package tableview

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/jsonview"
	"apidesk/ui/uitest"
)

// newView shows a TableView in a test window; its background results are queued for the test app's Wait to
// run on the test goroutine (Fyne's test driver would run them on the background goroutine, racing the test).
func newView(t *testing.T) (*TableView, *uitest.App) {
	t.Helper()
	a := uitest.NewApp(t)
	v := New()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(900, 500))
	return v, a
}

func load(t *testing.T, v *TableView, a *uitest.App, body string) (*jsonview.Table, error) {
	t.Helper()
	var (
		got  *jsonview.Table
		err  error
		done bool
	)
	v.OnLoaded = func(tb *jsonview.Table, e error) { got, err, done = tb, e, true }
	v.SetBody([]byte(body), jsonview.TableOptions{})
	a.Wait(t, v.Tasks())
	if !done {
		t.Fatal("the table was not looked for")
	}
	return got, err
}

// objects is every object drawn inside o.
func objects(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			out = append(out, objects(c)...)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			out = append(out, objects(c)...)
		}
	}
	return out
}

// grid is what the table shows: the header texts, then the rows in sight, cells split by " | ".
func grid(v *TableView) string {
	headers := map[int]string{}
	cells := map[widget.TableCellID]string{}
	rows, cols := 0, 0
	for _, o := range objects(v.grid) {
		switch x := o.(type) {
		case *header:
			if x.id.Row < 0 && x.id.Col >= 0 && x.Visible() {
				headers[x.id.Col] = x.text.Text + map[int]string{1: " ▲", -1: " ▼"}[x.mark]
				cols = max(cols, x.id.Col+1)
			}
		case *cell:
			if x.Visible() {
				cells[x.id] = x.text.Text
				rows = max(rows, x.id.Row+1)
			}
		}
	}
	var out []string
	var line []string
	for c := range cols {
		line = append(line, headers[c])
	}
	out = append(out, strings.Join(line, " | "))
	for r := range rows {
		line = line[:0]
		for c := range cols {
			line = append(line, cells[widget.TableCellID{Row: r, Col: c}])
		}
		out = append(out, strings.Join(line, " | "))
	}
	return strings.Join(out, "\n")
}

const people = `{"count":3,"data":[
	{"id":10,"name":"Bob","email":"bob@example.com","tags":["a","b"]},
	{"id":9,"name":"ada","email":"ada@example.com"},
	{"id":100,"name":"Cy","tags":[]}
]}`

func TestShowsColumnsAndRows(t *testing.T) {
	v, q := newView(t)
	tb, err := load(t, v, q, people)
	if err != nil || tb.Rows() != 3 {
		t.Fatalf("loaded %v, %v", tb, err)
	}
	want := "id | name | email | tags\n" +
		`10 | Bob | bob@example.com | ["a","b"]` + "\n" +
		"9 | ada | ada@example.com | \n" +
		"100 | Cy |  | []"
	if got := grid(v); got != want {
		t.Errorf("shows\n%s\nwant\n%s", got, want)
	}
	if v.summary.Text != `3 rows × 4 columns from "data"` {
		t.Errorf("summary %q", v.summary.Text)
	}
}

// The summary counts in words: "1 row", "2 rows", "1 column", "1,200 rows"; so does the row panel's "1 more
// column".
func TestSummarySaysOneRowAndOneColumn(t *testing.T) {
	many := make([]string, 1200)
	for i := range many {
		many[i] = fmt.Sprintf(`{"id":%d,"name":"n"}`, i)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"one row, one column", `[{"id":1}]`, "1 row × 1 column from the body"},
		{"one row, two columns", `{"data":[{"id":1,"name":"Ada"}]}`, `1 row × 2 columns from "data"`},
		{"two rows, one column", `[{"id":1},{"id":2}]`, "2 rows × 1 column from the body"},
		{"thousands", "[" + strings.Join(many, ",") + "]", "1,200 rows × 2 columns from the body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, q := newView(t)
			if _, err := load(t, v, q, tc.body); err != nil {
				t.Fatal(err)
			}
			if v.summary.Text != tc.want {
				t.Errorf("summary %q, want %q", v.summary.Text, tc.want)
			}
		})
	}

	// A row whose values pass the panel's limit before its last column says how many columns are left: each
	// line is "k000: value", and the panel stops at the first column that starts past the limit.
	v, q := newView(t)
	row := func(cols int) string {
		var fields []string
		for c := range cols {
			fields = append(fields, fmt.Sprintf(`"k%03d":"%s"`, c, strings.Repeat("x", 500)))
		}
		return "[{" + strings.Join(fields, ",") + "}]"
	}
	if _, err := load(t, v, q, row(1)); err != nil {
		t.Fatal(err)
	}
	line := len("k000: ") + len(v.rowTexts(0)[0]) + 1
	stop := detailLimit/line + 1 // the first column not shown
	if _, err := load(t, v, q, row(stop+1)); err != nil {
		t.Fatal(err)
	}
	v.onRowTapped(0)
	if got := v.detailValue.Text; !strings.HasSuffix(got, "\n… 1 more column: Copy row copies all of them.") {
		t.Errorf("the row panel ends %q", got[max(0, len(got)-60):])
	}
}

func TestHeaderTapSortsBothWays(t *testing.T) {
	v, q := newView(t)
	load(t, v, q, people)
	sortBy := func(col int) {
		t.Helper()
		before := v.table
		for _, o := range objects(v.grid) {
			if h, ok := o.(*header); ok && h.id.Row < 0 && h.id.Col == col && h.Visible() {
				test.Tap(h)
				break
			}
		}
		if !strings.HasSuffix(v.summary.Text, "Sorting…") {
			t.Errorf("while sorting the summary says %q", v.summary.Text)
		}
		q.Wait(t, v.Tasks())
		if v.table == before {
			t.Fatal("the sort did not come back")
		}
	}
	column := func(c int) string {
		var out []string
		for _, line := range strings.Split(grid(v), "\n")[1:] {
			out = append(out, strings.Split(line, " | ")[c])
		}
		return strings.Join(out, ",")
	}

	sortBy(0)
	if got := column(0); got != "9,10,100" {
		t.Errorf("sorted by id: %s, want numbers in order", got)
	}
	if h := strings.Split(grid(v), "\n")[0]; !strings.HasPrefix(h, "id ▲ | name |") {
		t.Errorf("header %q, want id marked ascending", h)
	}
	sortBy(0)
	if got := column(0); got != "100,10,9" {
		t.Errorf("sorted by id again: %s, want descending", got)
	}
	if h := strings.Split(grid(v), "\n")[0]; !strings.HasPrefix(h, "id ▼ | name |") {
		t.Errorf("header %q, want id marked descending", h)
	}
	sortBy(1)
	if got := column(1); got != "ada,Bob,Cy" {
		t.Errorf("sorted by name: %s, want ignoring case", got)
	}
	if !strings.HasSuffix(v.summary.Text, "sorted by name, ascending") {
		t.Errorf("summary %q", v.summary.Text)
	}
}

func TestCellShowsItsWholeValue(t *testing.T) {
	v, q := newView(t)
	long := strings.Repeat("é", 5000)
	load(t, v, q, `[{"a":"short","b":{"k":[1,2]}},{"a":"`+long+`"}]`)
	if got := grid(v); !strings.Contains(got, "ééé…") {
		t.Errorf("a long value is not cut in its cell:\n%s", got)
	}
	v.grid.Select(widget.TableCellID{Row: 0, Col: 1})
	if !v.detail.Visible() || v.detailTitle.Text != "Row 1 · b" || v.detailValue.Text != "{\n  \"k\": [\n    1,\n    2\n  ]\n}" {
		t.Errorf("detail shown %v: %q %q", v.detail.Visible(), v.detailTitle.Text, v.detailValue.Text)
	}
	test.Tap(v.copyValue)
	if got := fyne.CurrentApp().Clipboard().Content(); got != "{\n  \"k\": [\n    1,\n    2\n  ]\n}" {
		t.Errorf("Copy value put %q on the clipboard", got)
	}
	v.grid.Select(widget.TableCellID{Row: 1, Col: 0})
	if !strings.HasSuffix(v.detailValue.Text, "more bytes: Copy value copies all of it.") {
		t.Errorf("a long value's detail ends %q", v.detailValue.Text[len(v.detailValue.Text)-60:])
	}
	test.Tap(v.copyValue)
	if got := fyne.CurrentApp().Clipboard().Content(); got != long {
		t.Errorf("Copy value copied %d bytes, want all %d", len(got), len(long))
	}
	v.grid.Select(widget.TableCellID{Row: 1, Col: 1})
	if v.detailValue.Text != "(this row has no b)" {
		t.Errorf("a missing value's detail %q", v.detailValue.Text)
	}
}

func TestNoTable(t *testing.T) {
	v, q := newView(t)
	tb, err := load(t, v, q, `{"a":{"b":1}}`)
	if tb != nil || !errors.Is(err, jsonview.ErrNoTable) {
		t.Fatalf("loaded %v, %v; want ErrNoTable", tb, err)
	}
	if !v.message.Visible() || v.message.Text != "This answer is not a list, so there is no table. The Body tab shows it as it came." || v.grid.Visible() {
		t.Errorf("message shown %v: %q; grid shown %v", v.message.Visible(), v.message.Text, v.grid.Visible())
	}
	load(t, v, q, `[1,2]`)
	if v.message.Visible() || !v.grid.Visible() {
		t.Error("the message stays after a body with a table")
	}
}

// A table found while its tab was never shown is not laid out (Fyne's Table would take all of its rows as in
// sight), and shows its rows when the tab is.
func TestHiddenTabWaitsForItsSize(t *testing.T) {
	q := uitest.NewApp(t)
	v := New()
	other := container.NewTabItem("Body", widget.NewLabel("body"))
	tab := container.NewTabItem("Table", v)
	tabs := container.NewAppTabs(other, tab)
	w := test.NewTempWindow(t, tabs)
	w.Resize(fyne.NewSize(900, 500))

	var b strings.Builder
	b.WriteString(`[{"id":0}`)
	for i := 1; i < 5000; i++ {
		fmt.Fprintf(&b, `,{"id":%d}`, i)
	}
	b.WriteString("]")
	load(t, v, q, b.String())
	if s := v.grid.Size(); s.Width != 0 || s.Height != 0 {
		t.Errorf("the grid of a tab never shown was laid out at %v", s)
	}
	tabs.Select(tab)
	if got := strings.Split(grid(v), "\n"); len(got) < 3 || got[0] != "id" || got[1] != "0" || got[2] != "1" {
		t.Errorf("the grid shows no rows once its tab is shown: %q", got)
	}
}

func TestSetWaiting(t *testing.T) {
	v, q := newView(t)
	load(t, v, q, `[{"a":1}]`)
	v.SetWaiting()
	if v.Table() != nil || v.grid.Visible() || !v.loading.Visible() || v.loadingText.Text != "Finding the table…" {
		t.Errorf("waiting shows table %v, grid %v, loading %v %q", v.Table(), v.grid.Visible(), v.loading.Visible(), v.loadingText.Text)
	}
	if tb, err := load(t, v, q, `[{"a":1},{"a":2}]`); err != nil || tb.Rows() != 2 || v.loading.Visible() {
		t.Errorf("after waiting, loaded %v, %v; loading shown %v", tb, err, v.loading.Visible())
	}
}

// cellAt is the cell in sight showing id, or nil.
func cellAt(v *TableView, id widget.TableCellID) *cell {
	for _, o := range objects(v.grid) {
		if c, ok := o.(*cell); ok && c.id == id && c.Visible() {
			return c
		}
	}
	return nil
}

// rowNumber is the header in sight showing row r's number, or nil.
func rowNumber(v *TableView, r int) *header {
	for _, o := range objects(v.grid) {
		if h, ok := o.(*header); ok && h.id.Col < 0 && h.id.Row == r && h.Visible() {
			return h
		}
	}
	return nil
}

// pressCopy types Ctrl+C into what has the keyboard focus, as the window does.
func pressCopy(t *testing.T, c fyne.Canvas) string {
	t.Helper()
	clip := fyne.CurrentApp().Clipboard()
	clip.SetContent("")
	focused, ok := c.Focused().(fyne.Shortcutable)
	if !ok {
		t.Fatalf("the focus is on %T, which takes no Ctrl+C", c.Focused())
	}
	focused.TypedShortcut(&fyne.ShortcutCopy{Clipboard: clip})
	return clip.Content()
}

func TestCtrlCCopiesTheCellOrTheRow(t *testing.T) {
	v, q := newView(t)
	load(t, v, q, `[{"id":1,"name":"Ada\tLovelace","tags":["a","b"]},{"id":2,"name":"Bob"}]`)
	c := fyne.CurrentApp().Driver().CanvasForObject(v)

	// A click on a cell selects it and gives the table the focus.
	name := cellAt(v, widget.TableCellID{Row: 0, Col: 1})
	if name == nil {
		t.Fatal("no cell for row 1, name")
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(name).Add(fyne.NewPos(4, 4))
	test.TapCanvas(c, pos)
	if v.selected == nil || *v.selected != (widget.TableCellID{Row: 0, Col: 1}) {
		t.Fatalf("the click selected %v", v.selected)
	}
	if got := pressCopy(t, c); got != "Ada\tLovelace" {
		t.Errorf("Ctrl+C on a cell copied %q", got)
	}

	// A click on a row's number selects the row; Ctrl+C copies its column names and values.
	test.Tap(rowNumber(v, 1))
	if v.selected != nil || v.row != 1 || !v.detail.Visible() || v.detailTitle.Text != "Row 2" {
		t.Fatalf("after a click on row 2's number: cell %v, row %d, detail %q", v.selected, v.row, v.detailTitle.Text)
	}
	if cellAt(v, widget.TableCellID{Row: 1, Col: 0}).bg.FillColor == cellAt(v, widget.TableCellID{Row: 0, Col: 0}).bg.FillColor {
		t.Error("the selected row is not marked")
	}
	if got, want := pressCopy(t, c), "id\tname\ttags\n2\tBob\t"; got != want {
		t.Errorf("Ctrl+C on row 2 copied %q, want %q", got, want)
	}
	test.Tap(rowNumber(v, 0))
	if got, want := pressCopy(t, c), "id\tname\ttags\n1\tAda Lovelace\t[\"a\",\"b\"]"; got != want {
		t.Errorf("Ctrl+C on row 1 copied %q, want %q", got, want)
	}
	test.Tap(v.copyValue)
	if got := fyne.CurrentApp().Clipboard().Content(); !strings.HasPrefix(got, "id\tname") {
		t.Errorf("Copy row copied %q", got)
	}
}

// The selector offers the body's arrays, best first; a choice shows that array; Keep hands it to the query.
func TestArraySelector(t *testing.T) {
	v, q := newView(t)
	var keptRows string
	var keptCols []jsonview.Column
	v.OnKeepShape = func(rows string, cols []jsonview.Column) { keptRows, keptCols = rows, cols }
	body := `{"headers":{"Accept-Encoding":["gzip"]},"links":[{"rel":"self"}],"data":{"items":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}}`
	tb, err := load(t, v, q, body)
	if err != nil || tb.Path() != "data.items" {
		t.Fatalf("loaded %v, %v; want data.items", tb, err)
	}
	if got := strings.Join(v.chooser.Options, " | "); got != "data.items (2 rows) | links (1 row) | headers.Accept-Encoding (1 value)" {
		t.Errorf("selector offers %q", got)
	}
	if !v.chooser.Visible() || v.chooser.Selected != "data.items (2 rows)" {
		t.Errorf("selector shown %v on %q", v.chooser.Visible(), v.chooser.Selected)
	}
	v.chooser.SetSelected("links (1 row)")
	q.Wait(t, v.Tasks())
	if v.table == nil || v.table.Path() != "links" || grid(v) != "rel\nself" {
		t.Fatalf("after choosing links: %q", grid(v))
	}
	test.Tap(v.keepBtn)
	if keptRows != "links" || len(keptCols) != 1 || keptCols[0] != (jsonview.Column{Key: "rel"}) {
		t.Errorf("kept %q %v", keptRows, keptCols)
	}
}

// An echo answer's header list is not taken for a table: the view says so and offers it in the selector.
func TestEchoAnswerIsNotATable(t *testing.T) {
	v, q := newView(t)
	tb, err := load(t, v, q, `{"args":{},"headers":{"Accept-Encoding":["gzip"]},"url":"http://x/get"}`)
	if tb != nil || !errors.Is(err, jsonview.ErrNoTable) {
		t.Fatalf("loaded %v, %v; want no table", tb, err)
	}
	if !v.message.Visible() || !strings.Contains(v.message.Text, "no list of records") || !v.chooser.Visible() {
		t.Errorf("message %q, selector shown %v", v.message.Text, v.chooser.Visible())
	}
}

// Copy as CSV and Copy as TSV put the whole table, as shown, on the clipboard with a header row.
func TestCopyAsCSVAndTSV(t *testing.T) {
	v, q := newView(t)
	v.SetBody([]byte(`{"data":[{"id":1,"name":"=cmd|' /C calc'!A0","note":"a, b"},{"id":2,"name":"Bo"}]}`),
		jsonview.TableOptions{Path: "data", Columns: []jsonview.Column{{Key: "name", Label: "Name"}, {Key: "id", Label: "#"}, {Key: "note"}}})
	q.Wait(t, v.Tasks())
	if !v.exportBtn.Visible() {
		t.Fatal("no Export button")
	}
	items := map[string]func(){}
	for _, it := range v.ExportMenu().Items {
		items[it.Label] = it.Action
	}
	clip := fyne.CurrentApp().Clipboard()
	items["Copy as CSV"]()
	if got, want := clip.Content(), "Name,#,note\n'=cmd|' /C calc'!A0,1,\"a, b\"\nBo,2,\n"; got != want {
		t.Errorf("Copy as CSV put %q, want %q", got, want)
	}
	items["Copy as TSV"]()
	if got, want := clip.Content(), "Name\t#\tnote\n'=cmd|' /C calc'!A0\t1\ta, b\nBo\t2\t\n"; got != want {
		t.Errorf("Copy as TSV put %q, want %q", got, want)
	}
	if v.Exported() != "Copied 2 rows as TSV." {
		t.Errorf("says %q", v.Exported())
	}
	if items["Save as CSV…"] == nil {
		t.Error("no Save as CSV… in the menu")
	}
}

// Save as CSV writes the table to the file chosen, off the UI goroutine, and says where.
func TestSaveCSV(t *testing.T) {
	v, q := newView(t)
	tb, err := load(t, v, q, `[{"id":1,"name":"Ada"},{"id":2,"name":"@Bo"}]`)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "people.csv")
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	v.SaveCSV(tb, w)
	q.Wait(t, v.Tasks())
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "id,name\n1,Ada\n2,'@Bo\n" {
		t.Errorf("saved %q, %v", data, err)
	}
	if !strings.Contains(v.Exported(), "Saved 2 rows to "+path) {
		t.Errorf("says %q", v.Exported())
	}
}

// The table says why there is none in the person's words, not the engine's ("JSON array", "not valid JSON").
func TestNoTableSaysSoPlainly(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"object", `{"id":7,"name":"Ada"}`, "This answer is not a list, so there is no table. The Body tab shows it as it came."},
		{"HTML page", "<!DOCTYPE html><html><body>Not found</body></html>", "This answer is not a list, so there is no table. The Body tab shows it as it came."},
		{"broken JSON", `{"error": "boom", "detail": `, "This answer is not a list, so there is no table. The Body tab shows it as it came."},
		{"scalar", `42`, "This answer is not a list, so there is no table. The Body tab shows it as it came."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, q := newView(t)
			if _, err := load(t, v, q, tc.body); !errors.Is(err, jsonview.ErrNoTable) {
				t.Fatalf("loaded with %v, want ErrNoTable", err)
			}
			if !v.message.Visible() || v.message.Text != tc.want {
				t.Errorf("says %q, want %q", v.message.Text, tc.want)
			}
			for _, word := range []string{"JSON", "array", "body"} {
				if strings.Contains(v.message.Text, word) {
					t.Errorf("the message %q says %q", v.message.Text, word)
				}
			}
		})
	}
	v, q := newView(t)
	v.SetBody([]byte(`{"data":{"items":[{"id":1}]}}`), jsonview.TableOptions{Path: "data.rows"})
	q.Wait(t, v.Tasks())
	if want := "This answer has no list at data.rows, where this query takes its rows from. Choose one of its lists above to see it as a table."; v.message.Text != want {
		t.Errorf("with a saved shape that does not match, says %q, want %q", v.message.Text, want)
	}
}

// Selecting a cell gives the table the keyboard focus, as selecting a row does, so that Ctrl+C copies it: in the
// window, Fyne's own Table.Tapped looks up the canvas of the embedded widget.Table, which the window does not
// know, and leaves the focus where it was (the test driver's CanvasForObject knows every object, so a tap in a
// test does not show it; a selection made without a tap does). Every copy says it copied.
func TestSelectingACellFocusesTheTableForCtrlC(t *testing.T) {
	a := uitest.NewApp(t)
	v := New()
	other := widget.NewEntry()
	w := test.NewTempWindow(t, container.NewBorder(other, nil, nil, nil, v))
	w.Resize(fyne.NewSize(900, 500))
	load(t, v, a, `[{"id":1,"email":"ada@example.com"},{"id":2,"email":"bob@example.com"}]`)
	c := w.Canvas()
	c.Focus(other)

	v.grid.Select(widget.TableCellID{Row: 1, Col: 1})
	if c.Focused() != fyne.Focusable(v.grid) {
		t.Fatalf("after selecting a cell the focus is on %T", c.Focused())
	}
	if got := pressCopy(t, c); got != "bob@example.com" {
		t.Errorf("Ctrl+C on the cell copied %q", got)
	}
	if got := v.Exported(); got != "Copied the email of row 2." || !v.saved.Visible() {
		t.Errorf("after Ctrl+C on a cell the view says %q (shown %v)", got, v.saved.Visible())
	}

	c.Focus(other)
	test.Tap(rowNumber(v, 0))
	if got := pressCopy(t, c); got != "id\temail\n1\tada@example.com" {
		t.Errorf("Ctrl+C on a row copied %q", got)
	}
	if got := v.Exported(); got != "Copied row 1, with the column names." {
		t.Errorf("after Ctrl+C on a row the view says %q", got)
	}
}

// The detail of a selected cell takes a few lines at most and none of the view's minimum size, and the selected
// cell stays in sight above it, however long its value.
func TestDetailLeavesTheTableItsRoom(t *testing.T) {
	a := uitest.NewApp(t)
	v := New()
	w := test.NewTempWindow(t, v)
	size := fyne.NewSize(760, 240) // the table tab of a 1024×600 window
	w.Resize(size)
	var b strings.Builder
	b.WriteString("[")
	for i := range 40 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":%d,"note":"%s"}`, i, strings.Repeat("a long note that wraps ", 40))
	}
	b.WriteString("]")
	load(t, v, a, b.String())
	before := v.MinSize()
	gridH := v.grid.Size().Height

	id := widget.TableCellID{Row: 6, Col: 1}
	v.grid.Select(id)
	w.Resize(size)
	if m := v.MinSize(); m.Height > before.Height {
		t.Errorf("selecting a cell raised the view's minimum height from %v to %v", before.Height, m.Height)
	}
	if h := v.detail.Size().Height; h > size.Height/3+1 {
		t.Errorf("the detail takes %v of the view's %v", h, size.Height)
	}
	if h := v.grid.Size().Height; h < gridH/2 {
		t.Errorf("the table has %v of its %v left", h, gridH)
	}
	if cellAt(v, id) == nil {
		t.Errorf("the selected cell is out of sight:\n%s", grid(v))
	}
}

// Columns… offers every key of the rows, those shown first: unticking one, giving one a header and moving it to
// the front shows the table so, and Keep for this query then hands those columns, in that order, over.
func TestColumnsDialogChoosesOrdersAndLabelsColumns(t *testing.T) {
	v, q := newView(t)
	var keptRows string
	var keptCols []jsonview.Column
	v.OnKeepShape = func(rows string, cols []jsonview.Column) { keptRows, keptCols = rows, cols }
	if _, err := load(t, v, q, people); err != nil {
		t.Fatal(err)
	}
	if !v.columnsBtn.Visible() {
		t.Fatal("no Columns… button beside the table")
	}
	test.Tap(v.columnsBtn)
	q.Wait(t, v.Tasks())
	d := v.columns
	if d == nil {
		t.Fatal("Columns… opened no dialog")
	}
	var checks []*widget.Check
	var entries []*widget.Entry
	for _, o := range objects(d.list) {
		switch x := o.(type) {
		case *widget.Check:
			checks = append(checks, x)
		case *widget.Entry:
			entries = append(entries, x)
		}
	}
	if len(checks) != 4 || len(entries) != 4 {
		t.Fatalf("the dialog has %d checks and %d entries; want one per key (id, name, email, tags)", len(checks), len(entries))
	}
	test.Tap(checks[3]) // tags: not shown
	test.Type(entries[2], "E-mail")
	// email to the front: it is third, so up twice.
	d.move(2, -1)
	d.move(1, -1)
	if got := fmt.Sprint(d.columns()); got != "[{email E-mail} {id } {name }]" {
		t.Fatalf("chosen %s", got)
	}
	v.ApplyColumns(d.columns())
	q.Wait(t, v.Tasks())
	if got := strings.Split(grid(v), "\n")[0]; got != "E-mail | id | name" {
		t.Fatalf("headers after choosing: %q", got)
	}
	test.Tap(v.keepBtn)
	if keptRows != "data" || fmt.Sprint(keptCols) != "[{email E-mail} {id } {name }]" {
		t.Errorf("kept %q %v", keptRows, keptCols)
	}
}
