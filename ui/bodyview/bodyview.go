// Package bodyview is the response body viewer: pretty-printed JSON, syntax-coloured, or the text as it is, in a
// list of lines that stays fast at 50 MB, with search ("k of N", next and previous), copy, and a note for
// a body that is cut short. Formatting and search run off the UI thread (engine/jsonview) and come back
// through fyne.Do; a newer body cancels the work for an older one.
package bodyview

import (
	"context"
	"fmt"
	"image/color"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/jsonview"
	"apidesk/ui/task"
)

var _ fyne.Widget = (*BodyView)(nil)

// CopyLimit bounds what Copy all and Copy line put on the clipboard.
const CopyLimit = 16 << 20

// BodyView shows one response body at a time.
type BodyView struct {
	widget.BaseWidget

	// OnLoaded is called on the UI goroutine when a body given to SetBody is prepared and shown.
	OnLoaded func(*jsonview.Doc)

	doc      *jsonview.Doc
	matches  jsonview.Matches
	current  int // the current hit, or -1
	selected int // the selected line, or -1
	hoff     float32
	rows     []*lineRow // rows that have shown a line, to shift when scrolled sideways

	tasks     task.Group
	preparing *task.Job // the body being prepared for display
	searching *task.Job // the search in flight

	metricSize   float32 // the text size charW and lineH were measured at
	charW, lineH float32

	list        *widget.List
	hbar        *container.Scroll
	hbarFill    *canvas.Rectangle
	search      *widget.Entry
	count       *widget.Label
	prev, next  *widget.Button
	matchCase   *widget.Check
	copyLine    *widget.Button
	copyAll     *widget.Button
	note        *widget.Label
	noteAction  *widget.Button
	noteBar     *fyne.Container
	docNotes    *widget.Label
	status      *widget.Label
	loading     *fyne.Container
	loadingText *widget.Label
	progress    *widget.ProgressBarInfinite
	content     fyne.CanvasObject
}

// New returns an empty body view.
func New() *BodyView {
	v := &BodyView{current: -1, selected: -1}
	v.ExtendBaseWidget(v)
	v.build()
	return v
}

func (v *BodyView) build() {
	v.list = &widget.List{
		Length:         v.lineCount,
		CreateItem:     func() fyne.CanvasObject { return newLineRow(v) },
		UpdateItem:     v.updateLine,
		OnSelected:     v.onLineSelected,
		OnUnselected:   v.onLineUnselected,
		HideSeparators: true,
	}
	v.hbarFill = canvas.NewRectangle(color.Transparent)
	v.hbar = container.NewHScroll(v.hbarFill)
	v.hbar.OnScrolled = v.onScrolledSideways
	v.hbar.Hide()

	v.search = &widget.Entry{PlaceHolder: "Search the body", OnChanged: v.onSearchChanged, OnSubmitted: func(string) { v.onNext() }}
	v.count = &widget.Label{}
	v.prev = &widget.Button{Icon: theme.MoveUpIcon(), Importance: widget.LowImportance, OnTapped: v.onPrev}
	v.next = &widget.Button{Icon: theme.MoveDownIcon(), Importance: widget.LowImportance, OnTapped: v.onNext}
	v.matchCase = &widget.Check{Text: "Match case", OnChanged: func(bool) { v.runSearch() }}
	v.copyLine = &widget.Button{Text: "Copy line", Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance, OnTapped: v.onCopyLine}
	v.copyAll = &widget.Button{Text: "Copy all", Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance, OnTapped: v.onCopyAll}
	// The search box keeps a usable width however narrow the window (it used to be squeezed to nothing at
	// 640 px); the copy buttons sit on the status line below, so the toolbar fits a narrow window.
	tools := container.NewHBox(v.count, v.prev, v.next, v.matchCase)
	toolbar := container.NewBorder(nil, nil, nil, tools, container.New(minWidth(searchMinWidth), v.search))
	copies := container.NewHBox(v.copyLine, v.copyAll)

	v.note = &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	v.noteAction = &widget.Button{Importance: widget.MediumImportance}
	v.noteBar = container.NewBorder(nil, nil, nil, v.noteAction, v.note)
	v.noteBar.Hide()
	v.docNotes = &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	v.docNotes.Hide()
	v.status = &widget.Label{SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis}

	v.progress = widget.NewProgressBarInfinite()
	v.progress.Stop()
	v.loadingText = &widget.Label{Alignment: fyne.TextAlignCenter}
	v.loading = container.NewCenter(container.NewVBox(v.loadingText, v.progress))
	v.loading.Hide()

	lines := container.NewThemeOverride(v.list, codeTheme{fyne.CurrentApp().Settings().Theme()})
	v.content = container.NewBorder(
		container.NewVBox(toolbar, v.noteBar, v.docNotes),
		container.NewVBox(v.hbar, container.NewBorder(nil, nil, nil, copies, v.status)),
		nil, nil,
		container.NewStack(lines, v.loading),
	)
	v.refreshTools()
}

// CreateRenderer is part of fyne.Widget.
func (v *BodyView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// SetBody shows body: it is prepared for display in the background (the view says "Formatting…" meanwhile),
// and shown when ready; OnLoaded is called then. Preparing a body set earlier is cancelled. body must not
// change afterwards.
func (v *BodyView) SetBody(body []byte, opt jsonview.Options) {
	v.stopWork()
	v.setDoc(nil, 0)
	v.loadingText.SetText(fmt.Sprintf("Formatting %s…", byteSize(len(body))))
	v.loading.Show()
	v.progress.Start()
	v.preparing = task.Start(&v.tasks, func(ctx context.Context) (prepared, error) {
		d, err := jsonview.Prepare(ctx, body, opt)
		if err != nil {
			return prepared{}, err // cancelled: the result is dropped
		}
		return prepared{d, d.Widest()}, nil
	}, func(p prepared, _ error) {
		v.setDoc(p.doc, p.widest)
		if v.OnLoaded != nil {
			v.OnLoaded(p.doc)
		}
	})
}

// prepared is a body ready for display, with how many characters its longest line shows.
type prepared struct {
	doc    *jsonview.Doc
	widest int
}

// Clear shows no body, and cancels any work for the last one.
func (v *BodyView) Clear() {
	v.stopWork()
	v.setDoc(nil, 0)
	v.SetNote("", "", nil)
}

// Doc is the body shown, or nil while there is none (or it is being prepared).
func (v *BodyView) Doc() *jsonview.Doc { return v.doc }

// SetNote shows a note above the body, like "First 10 MB of 87 MB shown.", with a button that runs action
// (like "Save the full body…") when actionText is set. An empty text hides the note.
func (v *BodyView) SetNote(text, actionText string, action func()) {
	v.note.SetText(text)
	v.noteAction.SetText(actionText)
	v.noteAction.OnTapped = action
	if actionText == "" || action == nil {
		v.noteAction.Hide()
	} else {
		v.noteAction.Show()
	}
	if text == "" {
		v.noteBar.Hide()
	} else {
		v.noteBar.Show()
	}
	v.content.Refresh()
}

// FocusSearch puts the keyboard focus in the search box (for Ctrl+F).
func (v *BodyView) FocusSearch() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v.search); c != nil {
		c.Focus(v.search)
	}
}

// SetSearch searches for text, as if it were typed into the search box.
func (v *BodyView) SetSearch(text string) { v.search.SetText(text) }

// SearchText is the text in the search box.
func (v *BodyView) SearchText() string { return v.search.Text }

// Tasks is the view's background work: preparing a body and searching it.
func (v *BodyView) Tasks() *task.Group { return &v.tasks }

func (v *BodyView) stopWork() { v.tasks.Cancel() }

// setDoc shows d (nil: nothing), whose longest line shows about widest characters.
func (v *BodyView) setDoc(d *jsonview.Doc, widest int) {
	v.doc = d
	v.matches = jsonview.Matches{}
	v.current, v.selected = -1, -1
	v.list.UnselectAll()
	v.loading.Hide()
	v.progress.Stop()

	v.hoff = 0
	v.hbar.ScrollToOffset(fyne.Position{})
	v.ensureMetrics()
	textWidth := v.gutterWidth() + v.charW*float32(widest+2)
	v.hbarFill.SetMinSize(fyne.NewSize(textWidth, v.Theme().Size(theme.SizeNameScrollBar)))
	v.refreshSideways()

	notes := ""
	status := ""
	if d != nil {
		notes = strings.Join(d.Notes(), " ")
		status = fmt.Sprintf("%s · %s", kindName(d.Kind()), plural(d.Lines(), "line"))
		if len(d.Bytes()) == 0 {
			status = "Empty body"
		}
	}
	v.docNotes.SetText(notes)
	if notes == "" {
		v.docNotes.Hide()
	} else {
		v.docNotes.Show()
	}
	v.status.SetText(status)
	v.list.Refresh()
	v.list.ScrollToTop()
	v.content.Refresh()
	if d != nil && v.search.Text != "" {
		v.runSearch()
	}
	v.refreshTools()
}

func kindName(k jsonview.Kind) string {
	switch k {
	case jsonview.JSON:
		return "JSON"
	case jsonview.Binary:
		return "Binary"
	default:
		return "Text"
	}
}

func (v *BodyView) lineCount() int {
	if v.doc == nil {
		return 0
	}
	return v.doc.Lines()
}

func (v *BodyView) updateLine(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*lineRow)
	if r.line < 0 && !slices.Contains(v.rows, r) {
		v.rows = append(v.rows, r)
	}
	r.setLine(id)
}

func (v *BodyView) onLineSelected(id widget.ListItemID) {
	v.selected = id
	v.refreshTools()
}

func (v *BodyView) onLineUnselected(widget.ListItemID) {
	v.selected = -1
	v.refreshTools()
}

// onSearchChanged searches as the user types.
func (v *BodyView) onSearchChanged(string) { v.runSearch() }

// runSearch starts a search for the search box's text, cancelling one in flight.
func (v *BodyView) runSearch() {
	v.searching.Cancel()
	query, d := v.search.Text, v.doc
	if d == nil || query == "" {
		v.matches, v.current = jsonview.Matches{}, -1
		v.refreshTools()
		v.refreshRows()
		return
	}
	ignoreCase := !v.matchCase.Checked
	from := v.selected
	if from < 0 {
		from = v.topLine()
	}
	v.count.SetText("Searching…")
	v.searching = task.Start(&v.tasks, func(ctx context.Context) (jsonview.Matches, error) {
		return d.Search(ctx, query, ignoreCase) // its only error is the context's: the result is dropped then
	}, func(m jsonview.Matches, _ error) {
		v.matches = m
		v.current = -1
		if len(m.Hits) > 0 {
			v.current = firstHitFrom(m.Hits, from)
		}
		v.showCurrent()
	})
}

// firstHitFrom is the first hit on line from or after it, wrapping to the first.
func firstHitFrom(hits []jsonview.Match, from int) int {
	k, _ := slices.BinarySearchFunc(hits, from, func(h jsonview.Match, line int) int { return int(h.Line) - line })
	if k == len(hits) {
		return 0
	}
	return k
}

func (v *BodyView) onNext() { v.step(1) }
func (v *BodyView) onPrev() { v.step(-1) }

func (v *BodyView) step(by int) {
	n := len(v.matches.Hits)
	if n == 0 {
		return
	}
	v.current = ((v.current+by)%n + n) % n
	v.showCurrent()
}

// showCurrent scrolls to the current hit, sideways too when it is out of sight, and marks it.
func (v *BodyView) showCurrent() {
	v.refreshTools()
	if v.current < 0 {
		v.refreshRows()
		return
	}
	h := v.matches.Hits[v.current]
	line := int(h.Line)
	v.scrollToLine(line)
	text, _ := v.doc.DisplayLine(line)
	start, _ := jsonview.Display(v.doc.Line(line)[:h.Start], 0)
	x := v.textWidth(start[:min(len(start), len(text))])
	if view := v.list.Size().Width - v.gutterWidth() - 2*v.charW; x < v.hoff || x > v.hoff+view-8*v.charW {
		v.hbar.ScrollToOffset(fyne.NewPos(max(0, min(x-view/3, v.hbarFill.MinSize().Width-v.hbar.Size().Width)), 0))
		v.hoff = v.hbar.Offset.X
	}
	v.refreshRows()
}

// scrollToLine brings line into sight a third of the way down, unless it is in sight already.
func (v *BodyView) scrollToLine(line int) {
	v.ensureMetrics()
	y, top, height := float32(line)*v.lineH, v.list.GetScrollOffset(), v.list.Size().Height
	if y >= top && y+v.lineH <= top+height {
		return
	}
	v.list.ScrollToOffset(max(0, y-height/3))
}

// topLine is the first line in sight.
func (v *BodyView) topLine() int {
	v.ensureMetrics()
	return int(v.list.GetScrollOffset() / v.lineH)
}

// hitsOn is the indexes of the hits on line.
func (v *BodyView) hitsOn(line int) []int {
	hits := v.matches.Hits
	k, found := slices.BinarySearchFunc(hits, line, func(h jsonview.Match, line int) int { return int(h.Line) - line })
	if !found {
		return nil
	}
	var out []int
	for ; k < len(hits) && int(hits[k].Line) == line; k++ {
		out = append(out, k)
	}
	return out
}

func (v *BodyView) onCopyLine() {
	line := v.selected
	if line < 0 && v.current >= 0 {
		line = int(v.matches.Hits[v.current].Line)
	}
	if v.doc == nil || line < 0 {
		return
	}
	text, cut := bounded(v.doc.Line(line))
	fyne.CurrentApp().Clipboard().SetContent(text)
	if cut {
		v.status.SetText(fmt.Sprintf("Copied the first %s of line %s.", byteSize(CopyLimit), thousands(line+1)))
		return
	}
	v.status.SetText(fmt.Sprintf("Copied line %s.", thousands(line+1)))
}

func (v *BodyView) onCopyAll() {
	if v.doc == nil {
		return
	}
	text, cut := bounded(v.doc.Bytes())
	fyne.CurrentApp().Clipboard().SetContent(text)
	if cut {
		v.status.SetText(fmt.Sprintf("Copied the first %s of %s. Save the body to keep all of it.", byteSize(CopyLimit), byteSize(len(v.doc.Bytes()))))
		return
	}
	v.status.SetText(fmt.Sprintf("Copied %s.", byteSize(len(v.doc.Bytes()))))
}

// bounded is b as text, cut at CopyLimit on a character boundary.
func bounded(b []byte) (string, bool) {
	if len(b) <= CopyLimit {
		return string(b), false
	}
	end := CopyLimit
	for end > 0 && !utf8.RuneStart(b[end]) {
		end--
	}
	return string(b[:end]), true
}

// refreshTools enables what can be used and says "k of N".
func (v *BodyView) refreshTools() {
	n := len(v.matches.Hits)
	switch {
	case v.search.Text == "" || v.doc == nil:
		v.count.SetText("")
	case n == 0:
		v.count.SetText("No matches")
	default:
		v.count.SetText(fmt.Sprintf("%s of %s", thousands(v.current+1), v.matches.Count()))
	}
	enable(v.prev, n > 1)
	enable(v.next, n > 1)
	enable(v.copyAll, v.doc != nil)
	enable(v.copyLine, v.doc != nil && (v.selected >= 0 || v.current >= 0))
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// onScrolledSideways follows the horizontal scroll bar.
func (v *BodyView) onScrolledSideways(p fyne.Position) {
	v.hoff = p.X
	v.refreshRows()
}

// scrollSideways scrolls the lines sideways by dx, as a scroll event on the bar would.
func (v *BodyView) scrollSideways(dx float32) {
	if !v.hbar.Visible() {
		return
	}
	v.hbar.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(dx, 0)})
}

// refreshSideways shows the horizontal bar only when some line is wider than the view.
func (v *BodyView) refreshSideways() {
	if v.hbarFill.MinSize().Width > v.list.Size().Width && v.doc != nil {
		v.hbar.Show()
	} else {
		v.hbar.Hide()
		v.hoff = 0
	}
	v.hbar.Refresh()
}

// refreshRows redraws the lines in sight (after a search, or a sideways scroll).
func (v *BodyView) refreshRows() {
	for _, r := range v.rows {
		if r.line >= 0 && r.Visible() {
			r.setLine(r.line)
		}
	}
}

// Resize keeps the horizontal bar's need up to date.
func (v *BodyView) Resize(s fyne.Size) {
	v.BaseWidget.Resize(s)
	v.refreshSideways()
}

// ensureMetrics measures a monospace character at the current text size.
func (v *BodyView) ensureMetrics() {
	size := v.Theme().Size(theme.SizeNameText)
	if size == v.metricSize {
		return
	}
	m := fyne.MeasureText("0123456789", size, fyne.TextStyle{Monospace: true})
	v.metricSize, v.charW, v.lineH = size, m.Width/10, m.Height
}

func (v *BodyView) charWidth() float32 {
	v.ensureMetrics()
	return v.charW
}

func (v *BodyView) lineHeight() float32 {
	v.ensureMetrics()
	return v.lineH
}

// gutterWidth fits the largest line number and a space.
func (v *BodyView) gutterWidth() float32 {
	v.ensureMetrics()
	digits := len(fmt.Sprint(max(v.lineCount(), 1)))
	return v.charW * float32(max(digits, 3)+1)
}

// textWidth is how wide s is drawn in the monospace font.
func (v *BodyView) textWidth(s string) float32 {
	v.ensureMetrics()
	if isASCII(s) {
		return v.charW * float32(len(s))
	}
	return fyne.MeasureText(s, v.metricSize, fyne.TextStyle{Monospace: true}).Width
}

// plural writes n things: "1 line", "3,000 lines".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return thousands(n) + " " + thing + "s"
}

// byteSize writes n bytes for people: 512 bytes, 1.5 KB, 50.0 MB.
func byteSize(n int) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
}

// codeTheme sets the lines close together, as in a code editor.
type codeTheme struct{ fyne.Theme }

func (t codeTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNamePadding {
		return 0
	}
	return t.Theme.Size(n)
}

// searchMinWidth is the least width of the search box: room for a few words.
const searchMinWidth = 160

// minWidth lays its one object out over the whole container and asks for at least its width.
type minWidth float32

func (m minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (m minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(float32(m), 0)
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}
