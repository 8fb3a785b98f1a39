package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/ui/look"
)

// mainMenuAction finds a main-menu item by its label.
func (fx *fixture) mainMenuAction(t *testing.T, menu, label string) func() {
	t.Helper()
	for _, m := range fx.w.win.MainMenu().Items {
		if m.Label != menu {
			continue
		}
		for _, it := range m.Items {
			if it.Label == label {
				return it.Action
			}
		}
	}
	t.Fatalf("no %s → %s in the main menu", menu, label)
	return nil
}

func TestGettingStartedGuide(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.win.Resize(fyne.NewSize(1024, 600))
	fx.mainMenuAction(t, "Help", "Getting started")()
	top := fx.w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no guide shown")
	}
	var text strings.Builder
	var link *widget.Hyperlink
	for _, o := range test.LaidOutObjects(top) {
		switch o := o.(type) {
		case *widget.RichText:
			segmentText(&text, o.Segments)
		case *widget.Hyperlink:
			link = o
		}
	}
	for _, want := range []string{"A resource", "A query", "A variable", "Run mode", "redirect URI", "keychain"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the guide does not explain %q", want)
		}
	}
	if link == nil || link.URL == nil || !strings.Contains(link.URL.String(), "readme") {
		t.Errorf("no link to the README: %v", link)
	}
	win := fx.w.win.Canvas().Size()
	if s := guideSize(win); s.Width > win.Width || s.Height > win.Height {
		t.Errorf("guide %v does not fit the window %v", s, win)
	}
}

func TestSettingsChangesTheAppearance(t *testing.T) {
	fx := newFixture(t, nil)
	fx.mainMenuAction(t, "File", "Settings…")()
	top := fx.w.win.Canvas().Overlays().Top()
	var radio *widget.RadioGroup
	for _, o := range test.LaidOutObjects(top) {
		if r, ok := o.(*widget.RadioGroup); ok {
			radio = r
		}
	}
	if radio == nil || radio.Selected != "Same as the system" {
		t.Fatalf("appearance choice: %+v", radio)
	}
	radio.SetSelected("Dark")
	if got := fx.app.Preferences().String(look.PrefKey); got != string(look.Dark) {
		t.Errorf("remembered %q, want dark", got)
	}
	th := fyne.CurrentApp().Settings().Theme()
	dark := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark)
	if th.Color(theme.ColorNameBackground, theme.VariantLight) != dark {
		t.Error("the window is not drawn dark")
	}
	// A window opened later (the next start) is drawn as remembered.
	New(fx.app, fx.w.deps).win.Close()
	if lt, ok := fyne.CurrentApp().Settings().Theme().(*look.Theme); !ok || lt.Choice != look.Dark {
		t.Errorf("theme at the next start: %#v", fyne.CurrentApp().Settings().Theme())
	}
}

// segmentText writes the text of rich-text segments, lists included.
func segmentText(b *strings.Builder, segs []widget.RichTextSegment) {
	for _, s := range segs {
		switch s := s.(type) {
		case *widget.ListSegment:
			segmentText(b, s.Items)
		case *widget.ParagraphSegment:
			segmentText(b, s.Texts)
		default:
			b.WriteString(s.Textual() + " ")
		}
	}
}
