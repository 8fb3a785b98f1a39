package responseview

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var _ fyne.Widget = (*AdviceBar)(nil)

// adviceLines is how many lines the advice takes at most until "More" is tapped.
const adviceLines = 2

// AdviceBar says what an error answer likely means in as little height as it can, for the body under it: the
// headline in bold and the message after it on the same line, wrapped to at most two lines (with a More button
// that shows the rest when longer), and the action when there is one. It is hidden while there is no advice.
type AdviceBar struct {
	widget.BaseWidget

	text     *widget.RichText  // headline and message
	scroll   *container.Scroll // the text's first lines, or all of it once More is tapped
	action   *widget.Button
	more     *widget.Button
	bg       *canvas.Rectangle
	expanded bool
	content  *fyne.Container
}

func newAdviceBar() *AdviceBar {
	b := &AdviceBar{
		text: &widget.RichText{Wrapping: fyne.TextWrapWord},
		bg:   &canvas.Rectangle{CornerRadius: 4, StrokeWidth: 1},
	}
	b.scroll = container.NewVScroll(b.text)
	b.action = &widget.Button{Importance: widget.MediumImportance}
	b.action.Hide()
	b.more = &widget.Button{Text: "More", Importance: widget.LowImportance, OnTapped: b.onMore}
	b.more.Hide()
	b.ExtendBaseWidget(b)
	b.Hide()
	return b
}

// SetAdvice shows headline and message, with no action until SetAction gives it one.
func (b *AdviceBar) SetAdvice(headline, message string) {
	b.text.Segments = []widget.RichTextSegment{
		&widget.TextSegment{Style: widget.RichTextStyleStrong, Text: headline},
		&widget.TextSegment{Style: widget.RichTextStyleInline, Text: "  " + message},
	}
	b.text.Refresh()
	b.scroll.ScrollToTop()
	b.action.Hide()
	b.action.OnTapped = nil
	b.expanded = false
	b.more.SetText("More")
	b.Show()
	b.Refresh()
}

// SetAction adds a button that does something about the answer (Sign in again).
func (b *AdviceBar) SetAction(text string, onTapped func()) {
	b.action.SetText(text)
	b.action.OnTapped = onTapped
	b.action.Show()
	b.Refresh()
}

// Clear hides the advice.
func (b *AdviceBar) Clear() {
	b.text.Segments = nil
	b.action.Hide()
	b.action.OnTapped = nil
	b.Hide()
}

// Headline is the headline shown, "" when hidden.
func (b *AdviceBar) Headline() string { return b.segment(0) }

// Message is the message shown, "" when hidden.
func (b *AdviceBar) Message() string {
	m := b.segment(1)
	if len(m) >= 2 {
		m = m[2:]
	}
	return m
}

func (b *AdviceBar) segment(i int) string {
	if !b.Visible() || len(b.text.Segments) <= i {
		return ""
	}
	return b.text.Segments[i].(*widget.TextSegment).Text
}

// Action is the text of the action button shown, "" when there is none.
func (b *AdviceBar) Action() string {
	if !b.Visible() || !b.action.Visible() {
		return ""
	}
	return b.action.Text
}

// TapAction taps the action button, when there is one, as the person would.
func (b *AdviceBar) TapAction() {
	if b.Action() != "" && b.action.OnTapped != nil {
		b.action.OnTapped()
	}
}

// Cut reports whether the advice is longer than it is shown: More shows the rest.
func (b *AdviceBar) Cut() bool { return b.Visible() && b.more.Visible() && !b.expanded }

func (b *AdviceBar) onMore() {
	b.expanded = !b.expanded
	b.scroll.ScrollToTop()
	if b.expanded {
		b.more.SetText("Less")
	} else {
		b.more.SetText("More")
	}
	b.Refresh()
	if c := fyne.CurrentApp().Driver().CanvasForObject(b); c != nil {
		c.Content().Refresh() // the room the advice takes changed
	}
}

// CreateRenderer is part of fyne.Widget.
func (b *AdviceBar) CreateRenderer() fyne.WidgetRenderer {
	icon := widget.NewIcon(theme.WarningIcon())
	b.content = container.NewStack(b.bg, container.NewBorder(nil, nil,
		container.NewPadded(icon), container.NewHBox(b.action, b.more),
		container.New(&linesLayout{bar: b}, b.scroll)))
	b.refreshColor()
	return widget.NewSimpleRenderer(b.content)
}

// Refresh is part of fyne.Widget: it follows the theme's colours.
func (b *AdviceBar) Refresh() {
	b.refreshColor()
	b.BaseWidget.Refresh()
}

func (b *AdviceBar) refreshColor() {
	c := b.Theme().Color(theme.ColorNameWarning, fyne.CurrentApp().Settings().ThemeVariant())
	r, g, bl, _ := c.RGBA()
	b.bg.FillColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 0x30}
	b.bg.StrokeColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 0x90}
	b.bg.Refresh()
}

// linesLayout gives the advice's text the height of its lines wrapped at the width it has, at most adviceLines
// of them until More is tapped, and shows More when there are more. Its minimum height is that of the lines at the
// width it was last given (one line before it had one: a wrapped text never laid out asks for a line per
// character).
type linesLayout struct {
	bar   *AdviceBar
	width float32
}

func (l *linesLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	h, cut := l.height()
	if cut != l.bar.more.Visible() {
		if cut {
			l.bar.more.Show()
		} else {
			l.bar.more.Hide()
		}
	}
	for _, o := range objects {
		o.Move(fyne.NewPos(0, (size.Height-h)/2))
		o.Resize(fyne.NewSize(size.Width, h))
	}
}

func (l *linesLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	h, _ := l.height()
	return fyne.NewSize(0, h)
}

// height is the text's height at the width last given, and whether it is cut to adviceLines.
func (l *linesLayout) height() (float32, bool) {
	line := fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{Bold: true}).Height
	one := line + 2*theme.InnerPadding()
	if l.width <= 0 {
		return one, false
	}
	t := l.bar.text
	t.Resize(fyne.NewSize(l.width, t.Size().Height)) // to wrap it at the width it has
	need := t.MinSize().Height
	most := one + (adviceLines-1)*line
	if need <= most+1 || l.bar.expanded {
		return need, need > most+1
	}
	return most, true
}
