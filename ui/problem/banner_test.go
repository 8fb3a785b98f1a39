package problem

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// An action is a button on the banner that the next problem shown, or Clear, takes away.
func TestBannerAction(t *testing.T) {
	test.NewTempApp(t)
	b := NewBanner()
	w := test.NewWindow(b)
	defer w.Close()
	tapped := 0
	b.SetExplanation(Explanation{Headline: "Changed by another program", Message: "Reload takes theirs."}, true)
	b.SetAction("Reload", func() { tapped++ })
	var button *widget.Button
	for _, o := range test.LaidOutObjects(b) {
		if x, ok := o.(*widget.Button); ok && x.Text == "Reload" && x.Visible() {
			button = x
		}
	}
	if button == nil || b.Action() != "Reload" {
		t.Fatalf("no Reload button shown (Action %q)", b.Action())
	}
	test.Tap(button)
	if tapped != 1 {
		t.Errorf("tapped %d times", tapped)
	}
	b.SetExplanation(Explanation{Headline: "Something else"}, false)
	if b.Action() != "" || button.Visible() {
		t.Errorf("the next problem kept the action %q", b.Action())
	}
	b.SetAction("Reload", func() { tapped++ })
	b.Clear()
	b.TapAction()
	if b.Action() != "" || tapped != 1 {
		t.Errorf("Clear kept the action: %q, tapped %d", b.Action(), tapped)
	}
}
