package problem

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
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

// Links list problems under the headline; tapping one runs its function, and the next problem takes them away.
func TestBannerLinks(t *testing.T) {
	test.NewTempApp(t)
	b := NewBanner()
	w := test.NewWindow(b)
	defer w.Close()
	var tapped []string
	b.SetExplanation(Explanation{Headline: "Not saved: 2 fields need fixing"}, false)
	b.SetLinks([]Link{
		{Text: "Name is required", OnTapped: func() { tapped = append(tapped, "name") }},
		{Text: "Base URL is required", OnTapped: func() { tapped = append(tapped, "base") }},
	})
	var shown []*widget.Hyperlink
	for _, o := range test.LaidOutObjects(b) {
		if h, ok := o.(*widget.Hyperlink); ok && h.Visible() {
			shown = append(shown, h)
		}
	}
	if len(shown) != 2 || shown[0].Text != "Name is required" || shown[1].Text != "Base URL is required" {
		t.Fatalf("links shown: %v (Links %q)", shown, b.Links())
	}
	test.TapAt(shown[1], fyne.NewPos(theme.InnerPadding()+4, shown[1].Size().Height/2)) // on its text
	b.TapLink(0)
	if strings.Join(tapped, ",") != "base,name" {
		t.Errorf("tapped %v", tapped)
	}
	b.SetExplanation(Explanation{Headline: "Something else"}, false)
	if b.Links() != nil {
		t.Errorf("the next problem kept the links %q", b.Links())
	}
}
