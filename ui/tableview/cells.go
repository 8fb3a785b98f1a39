package tableview

import (
	"image/color"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Widget        = (*cell)(nil)
	_ fyne.Widget        = (*header)(nil)
	_ fyne.Tappable      = (*header)(nil)
	_ desktop.Cursorable = (*header)(nil)
)

// cell shows one value as a single line of monospace text, cut to its column's width, on the selection's colour
// when its row is selected.
type cell struct {
	widget.BaseWidget
	view *TableView
	id   widget.TableCellID
	text *canvas.Text
	bg   *canvas.Rectangle
}

func newCell(v *TableView) *cell {
	c := &cell{view: v, text: &canvas.Text{TextStyle: fyne.TextStyle{Monospace: true}}, bg: &canvas.Rectangle{}}
	c.ExtendBaseWidget(c)
	return c
}

// set shows text cut to width characters (no cut when width is 0).
func (c *cell) set(id widget.TableCellID, text string, width int) {
	c.id = id
	th := c.Theme()
	c.text.Text = cut(text, width)
	c.text.TextSize = th.Size(theme.SizeNameText)
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	c.text.Color = th.Color(theme.ColorNameForeground, variant)
	c.text.Refresh()
	c.bg.FillColor = color.Transparent
	if id.Row == c.view.row {
		c.bg.FillColor = th.Color(theme.ColorNameSelection, variant)
	}
	c.bg.Refresh()
}

// cut shortens s to width characters, the last one '…'.
func cut(s string, width int) string {
	if width <= 0 {
		return s
	}
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	n := 0
	for i := range s {
		if n == width-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

func (c *cell) CreateRenderer() fyne.WidgetRenderer {
	return &textRenderer{objects: []fyne.CanvasObject{c.bg, c.text}, text: c.text, bg: c.bg, view: c.view}
}

// textRenderer places one text at the inner padding, centred vertically.
type textRenderer struct {
	objects []fyne.CanvasObject
	text    *canvas.Text
	icon    *canvas.Image     // a header's sort mark, or nil
	bg      *canvas.Rectangle // a cell's background, or nil
	view    *TableView
}

func (r *textRenderer) Destroy() {}

func (r *textRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *textRenderer) Refresh() { canvas.Refresh(r.text) }

func (r *textRenderer) MinSize() fyne.Size {
	v := r.view
	v.ensureMetrics()
	return fyne.NewSize(v.charW*minChars+2*v.pad(), v.lineH+2*v.pad())
}

func (r *textRenderer) Layout(size fyne.Size) {
	v := r.view
	pad := v.pad()
	h := v.lineH
	width := size.Width - 2*pad
	if r.bg != nil {
		r.bg.Resize(size)
	}
	if r.icon != nil {
		icon := h
		width -= icon
		r.icon.Resize(fyne.NewSquareSize(icon))
		r.icon.Move(fyne.NewPos(size.Width-pad-icon, (size.Height-icon)/2))
	}
	r.text.Move(fyne.NewPos(pad, (size.Height-h)/2))
	r.text.Resize(fyne.NewSize(width, h))
}

// header shows a column's name with its sort mark (tapping it sorts by the column), or a row's number.
type header struct {
	widget.BaseWidget
	view *TableView
	id   widget.TableCellID
	text *canvas.Text
	icon *canvas.Image
	mark int // 1 ascending, -1 descending, 0 not sorted by this column
}

func newHeader(v *TableView) *header {
	h := &header{view: v, text: &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}}, icon: &canvas.Image{FillMode: canvas.ImageFillContain}}
	h.ExtendBaseWidget(h)
	return h
}

// set shows a column's name and sort mark (id.Col >= 0), or a row's number (id.Col < 0).
func (h *header) set(id widget.TableCellID, text string, mark int) {
	h.id, h.mark = id, mark
	th := h.Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	h.text.Text = text
	h.text.TextSize = th.Size(theme.SizeNameText)
	h.text.TextStyle = fyne.TextStyle{Bold: id.Col >= 0, Monospace: id.Col < 0}
	h.text.Alignment = fyne.TextAlignLeading
	h.text.Color = th.Color(theme.ColorNameForeground, variant)
	if id.Col < 0 {
		h.text.Alignment = fyne.TextAlignTrailing
		h.text.Color = th.Color(theme.ColorNamePlaceHolder, variant)
	}
	if id.Col >= 0 && h.view.table != nil && id.Col < len(h.view.widths) {
		h.text.Text = cut(text, h.view.widths[id.Col]-1)
	}
	switch mark {
	case 1:
		h.icon.Resource = theme.MoveUpIcon()
	case -1:
		h.icon.Resource = theme.MoveDownIcon()
	default:
		h.icon.Resource = nil
	}
	h.Refresh()
}

// Tapped sorts by the header's column, or selects the header's row.
func (h *header) Tapped(*fyne.PointEvent) {
	switch {
	case h.id.Col >= 0 && h.id.Row < 0:
		h.view.onHeaderTapped(h.id.Col)
	case h.id.Col < 0 && h.id.Row >= 0:
		h.view.onRowTapped(h.id.Row)
	}
}

// Cursor shows a pointer over a column's header and a row's number: they can be clicked.
func (h *header) Cursor() desktop.Cursor {
	if h.id.Col >= 0 || h.id.Row >= 0 {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

func (h *header) CreateRenderer() fyne.WidgetRenderer {
	return &headerRenderer{textRenderer{objects: []fyne.CanvasObject{h.text, h.icon}, text: h.text, icon: h.icon, view: h.view}, h}
}

type headerRenderer struct {
	textRenderer
	header *header
}

// MinSize fits a row number up to 9,999,999.
func (r *headerRenderer) MinSize() fyne.Size {
	v := r.view
	v.ensureMetrics()
	return fyne.NewSize(v.charW*9+2*v.pad(), v.lineH+2*v.pad())
}

func (r *headerRenderer) Refresh() {
	r.Layout(r.header.Size())
	canvas.Refresh(r.text)
	r.icon.Refresh() // not canvas.Refresh: an Image reads its new Resource in Refresh
}
