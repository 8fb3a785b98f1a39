package uitest

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// Texts lists the visible texts under o, in the order they are drawn: what a person reads, for tests that
// want a sentence shown once.
func Texts(o fyne.CanvasObject) []string {
	var out []string
	for _, t := range visibleTexts(o) {
		out = append(out, t.Text)
	}
	return out
}

// StretchedTexts lists the visible texts under o that the window would draw stretched or squeezed by a
// pixel, so that their letters look faintly doubled or blurred.
//
// Fyne's OpenGL painter (2.7) draws a text into an image of its rounded size, then spreads that image over
// the pixels between the rounded start and the rounded end of the text, measured from where the text sits in
// its parent. A text at a fractional place (the 7th line of a label, whose lines are 19.08 px apart; a line
// centred in a wider label) can get one pixel more or less than its image has, and is resampled. Texts at
// a whole pixel of their parent never are. The test driver does not draw, so this is computed here, for a
// scale of 1 (the test driver's).
func StretchedTexts(o fyne.CanvasObject) []string {
	var out []string
	round := func(v float32) float32 { return float32(math.Round(float64(v))) }
	for _, t := range visibleTexts(o) {
		if t.Text == "" || t.Text == " " {
			continue // not drawn
		}
		size, pos := t.MinSize(), t.Position()
		w, h := round(pos.X+size.Width)-round(pos.X), round(pos.Y+size.Height)-round(pos.Y)
		if w != round(size.Width) || h != round(size.Height) {
			out = append(out, fmt.Sprintf("%q drawn %v×%v from an image of %v×%v (at %v, %v in its parent)",
				t.Text, w, h, round(size.Width), round(size.Height), pos.X, pos.Y))
		}
	}
	return out
}

func visibleTexts(root fyne.CanvasObject) []*canvas.Text {
	test.LaidOutObjects(root) // lays out every object
	var out []*canvas.Text
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch c := o.(type) {
		case *canvas.Text:
			out = append(out, c)
		case *fyne.Container:
			for _, k := range c.Objects {
				walk(k)
			}
		case fyne.Widget:
			for _, k := range test.WidgetRenderer(c).Objects() {
				walk(k)
			}
		}
	}
	walk(root)
	return out
}
