// Package wheel makes the mouse wheel scroll as far as in other programs. Fyne's desktop driver turns a notch
// of the wheel into a delta of 25, which scrolls about one line of text (12 px in a form): slow enough that a
// long form or body seems stuck. Box passes the wheel on to a scroll container, farther.
package wheel

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Notch is the scroll delta Fyne's desktop driver makes of one notch of a mouse wheel (outside macOS).
const Notch = 25

// Lines is how many lines of text a notch scrolls.
const Lines = 3

// Box shows its content and scrolls Target when the wheel turns over a part of the content that does not
// scroll by itself (labels, gaps, headings): Lines lines of text a notch.
type Box struct {
	widget.BaseWidget
	Content fyne.CanvasObject
	Target  *container.Scroll
}

// NewBox returns a Box of content that scrolls target.
func NewBox(content fyne.CanvasObject, target *container.Scroll) *Box {
	b := &Box{Content: content, Target: target}
	b.ExtendBaseWidget(b)
	return b
}

// CreateRenderer shows the content.
func (b *Box) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(b.Content) }

// Scrolled scrolls the target, Scale(line height) times as far as Fyne would.
func (b *Box) Scrolled(ev *fyne.ScrollEvent) {
	if b.Target == nil {
		return
	}
	k := Scale(fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{}).Height + theme.LineSpacing())
	b.Target.Scrolled(&fyne.ScrollEvent{PointEvent: ev.PointEvent, Scrolled: fyne.NewDelta(ev.Scrolled.DX*k, ev.Scrolled.DY*k)})
}
