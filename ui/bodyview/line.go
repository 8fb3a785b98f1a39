package bodyview

import (
	"image/color"
	"strconv"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/jsonview"
	"apidesk/ui/wheel"
)

var (
	_ fyne.Widget     = (*lineRow)(nil)
	_ fyne.Scrollable = (*lineRow)(nil)
)

// maxHitMarks bounds the search hits marked on one line.
const maxHitMarks = 16

// lineRow draws one line of the body: its number in a gutter, then its text as monospace canvas.Text runs
// coloured by syntax class, shifted left by the view's horizontal offset, with search hits marked behind.
type lineRow struct {
	widget.BaseWidget
	view *BodyView

	line  int
	mask  *canvas.Rectangle // the gutter's background, over text scrolled sideways under it
	num   *canvas.Text
	texts []*canvas.Text // one per span; only the first used are shown
	used  int
	more  *canvas.Text // "… 12,345 more bytes" after a cut line
	hits  []*canvas.Rectangle
	hitXs []float32 // x and width of each used hit, from the start of the line's text
	hitWs []float32
	xs    []float32 // x of each used text (and of more), from the start of the line's text
	marks int       // hits used

	spans []jsonview.Span // reused by Classify
}

func newLineRow(v *BodyView) *lineRow {
	r := &lineRow{view: v, line: -1}
	r.num = &canvas.Text{TextStyle: fyne.TextStyle{Monospace: true}, Alignment: fyne.TextAlignTrailing}
	r.more = &canvas.Text{TextStyle: fyne.TextStyle{Monospace: true, Italic: true}}
	r.mask = &canvas.Rectangle{}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer is part of fyne.Widget.
func (r *lineRow) CreateRenderer() fyne.WidgetRenderer { return &lineRenderer{row: r} }

// Scrolled sends a sideways scroll (a touchpad swipe or a tilted wheel) to the view's horizontal offset and
// any other scroll on to the list, which the row would otherwise hide it from, wheel.Lines lines a notch.
func (r *lineRow) Scrolled(ev *fyne.ScrollEvent) {
	dx, dy := ev.Scrolled.DX, ev.Scrolled.DY
	if abs(dx) > abs(dy) {
		r.view.scrollSideways(dx)
		return
	}
	l := r.view.list
	l.ScrollToOffset(max(0, l.GetScrollOffset()-dy*wheel.Scale(r.view.lineHeight())))
}

func abs(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

// setLine shows line i of the view's document.
func (r *lineRow) setLine(i int) {
	v := r.view
	d := v.doc
	r.line = i
	if d == nil || i >= d.Lines() {
		r.used, r.marks = 0, 0
		r.num.Text, r.more.Text = "", ""
		r.Refresh()
		return
	}
	th := r.Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	size := th.Size(theme.SizeNameText)
	text, more := d.DisplayLine(i)

	r.mask.FillColor = th.Color(theme.ColorNameBackground, variant)
	r.num.Text = strconv.Itoa(i + 1)
	r.num.TextSize = size
	r.num.Color = th.Color(theme.ColorNamePlaceHolder, variant)

	r.spans = r.spans[:0]
	if d.Kind() == jsonview.JSON {
		r.spans = jsonview.Classify(text, r.spans)
	} else if text != "" {
		r.spans = append(r.spans, jsonview.Span{Start: 0, End: len(text), Class: jsonview.Plain})
	}
	for len(r.texts) < len(r.spans) {
		r.texts = append(r.texts, &canvas.Text{TextStyle: fyne.TextStyle{Monospace: true}})
	}
	r.xs = r.xs[:0]
	x := float32(0)
	for k, s := range r.spans {
		t := r.texts[k]
		t.Text = text[s.Start:s.End]
		t.TextSize = size
		t.Color = classColor(th, variant, s.Class)
		r.xs = append(r.xs, x)
		x += v.textWidth(t.Text)
	}
	r.used = len(r.spans)
	r.more.Text = ""
	if more > 0 {
		r.more.Text = " … " + thousands(more) + " more bytes (Copy line copies all)"
		r.more.TextSize = size
		r.more.Color = th.Color(theme.ColorNamePlaceHolder, variant)
		r.xs = append(r.xs, x)
	}
	r.setHits(text, th, variant)
	r.Refresh()
}

// setHits marks the search hits on this line, the current one stronger.
func (r *lineRow) setHits(text string, th fyne.Theme, variant fyne.ThemeVariant) {
	v := r.view
	r.marks = 0
	r.hitXs, r.hitWs = r.hitXs[:0], r.hitWs[:0]
	line := v.doc.Line(r.line)
	for _, k := range v.hitsOn(r.line) {
		if r.marks == maxHitMarks {
			break
		}
		h := v.matches.Hits[k]
		start, _ := jsonview.Display(line[:h.Start], 0)
		if len(start) >= len(text) {
			break // past the cut
		}
		hit, _ := jsonview.Display(line[h.Start:h.End], 0)
		hit = hit[:min(len(hit), len(text)-len(start))]
		if r.marks == len(r.hits) {
			r.hits = append(r.hits, &canvas.Rectangle{CornerRadius: 2})
		}
		rect := r.hits[r.marks]
		rect.FillColor = th.Color(theme.ColorNameSelection, variant)
		if k == v.current {
			rect.FillColor = withAlpha(th.Color(theme.ColorNameWarning, variant), 0x80)
		}
		r.hitXs = append(r.hitXs, v.textWidth(start))
		r.hitWs = append(r.hitWs, max(v.textWidth(hit), 2))
		r.marks++
	}
}

type lineRenderer struct {
	row     *lineRow
	objects []fyne.CanvasObject
}

func (lr *lineRenderer) Destroy() {}

func (lr *lineRenderer) MinSize() fyne.Size {
	return fyne.NewSize(lr.row.view.gutterWidth()+lr.row.view.charWidth()*8, lr.row.view.lineHeight())
}

func (lr *lineRenderer) Layout(size fyne.Size) {
	r := lr.row
	v := r.view
	gutter := v.gutterWidth()
	pad := v.charWidth()
	r.num.Move(fyne.NewPos(0, 0))
	r.num.Resize(fyne.NewSize(gutter-pad, size.Height))
	r.mask.Resize(fyne.NewSize(gutter, size.Height))
	left := gutter + pad - v.hoff
	for k := range r.used {
		t := r.texts[k]
		t.Move(fyne.NewPos(left+r.xs[k], 0))
		t.Resize(fyne.NewSize(v.textWidth(t.Text), size.Height))
	}
	if r.more.Text != "" {
		r.more.Move(fyne.NewPos(left+r.xs[len(r.xs)-1], 0))
		r.more.Resize(fyne.NewSize(v.textWidth(r.more.Text), size.Height))
	}
	for k := range r.marks {
		r.hits[k].Move(fyne.NewPos(left+r.hitXs[k], 0))
		r.hits[k].Resize(fyne.NewSize(r.hitWs[k], size.Height))
	}
}

func (lr *lineRenderer) Objects() []fyne.CanvasObject {
	r := lr.row
	lr.objects = lr.objects[:0]
	for k := range r.marks {
		lr.objects = append(lr.objects, r.hits[k])
	}
	for k := range r.used {
		lr.objects = append(lr.objects, r.texts[k])
	}
	if r.more.Text != "" {
		lr.objects = append(lr.objects, r.more)
	}
	if v := r.view; v.hoff > 0 {
		lr.objects = append(lr.objects, r.mask)
	}
	return append(lr.objects, r.num)
}

func (lr *lineRenderer) Refresh() {
	lr.Layout(lr.row.Size())
	r := lr.row
	r.num.Refresh()
	r.mask.Refresh()
	for k := range r.used {
		r.texts[k].Refresh()
	}
	r.more.Refresh()
	for k := range r.marks {
		r.hits[k].Refresh()
	}
}

// thousands writes n with commas.
func thousands(n int) string {
	s := strconv.Itoa(n)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// isASCII says whether every character of s is one byte, so its width is its length in monospace cells.
func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// withAlpha is c made see-through, so the text on it stays readable.
func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}
