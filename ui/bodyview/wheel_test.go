//go:build !darwin

package bodyview

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/jsonview"
	"apidesk/ui/wheel"
)

// A notch of the mouse wheel (a delta of 25 from Fyne's desktop driver) moves the body three lines, as in other
// programs, down and back up.
func TestAWheelNotchScrollsThreeLines(t *testing.T) {
	v, w := newView(t, fyne.NewSize(700, 400))
	load(t, v, strings.Repeat("a line of text\n", 500), jsonview.Options{ContentType: "text/plain"})
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.list).Add(fyne.NewPos(100, 100))
	lineH := v.lineHeight()

	test.Scroll(w.Canvas(), at, 0, -wheel.Notch) // the wheel turned one notch towards the person: down
	if got, want := v.list.GetScrollOffset(), 3*lineH; abs(got-want) > 0.5 {
		t.Errorf("one notch down scrolled %v, want three lines (%v)", got, want)
	}
	if got := v.topLine(); got != 3 {
		t.Errorf("the first line in sight is line %d, want line 4", got+1)
	}
	test.Scroll(w.Canvas(), at, 0, -2*wheel.Notch)
	if got, want := v.list.GetScrollOffset(), 9*lineH; abs(got-want) > 0.5 {
		t.Errorf("two more notches: offset %v, want nine lines (%v)", got, want)
	}
	test.Scroll(w.Canvas(), at, 0, 4*wheel.Notch)
	if got := v.list.GetScrollOffset(); got != 0 {
		t.Errorf("four notches up from line 10: offset %v, want the top", got)
	}
}
