package look

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// Every colour apidesk draws text in keeps WCAG AA's 4.5:1 against the backgrounds it is drawn on, in both
// variants; a button's text keeps it against the button.
func TestTextColoursAreReadable(t *testing.T) {
	test.NewTempApp(t)
	th := New(System)
	texts := []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNameSuccess, theme.ColorNameWarning,
		theme.ColorNameError, theme.ColorNameHyperlink}
	grounds := []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground}
	buttons := map[fyne.ThemeColorName]fyne.ThemeColorName{
		theme.ColorNameSuccess: theme.ColorNameForegroundOnSuccess,
		theme.ColorNameWarning: theme.ColorNameForegroundOnWarning,
		theme.ColorNameError:   theme.ColorNameForegroundOnError,
	}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		for _, fg := range texts {
			for _, bg := range grounds {
				if c := Contrast(th.Color(fg, v), th.Color(bg, v)); c < 4.5 {
					t.Errorf("variant %d: %s on %s has contrast %.2f, below 4.5", v, fg, bg, c)
				}
			}
		}
		for bg, fg := range buttons {
			if c := Contrast(th.Color(fg, v), th.Color(bg, v)); c < 4.5 {
				t.Errorf("variant %d: a %s button's text has contrast %.2f, below 4.5", v, bg, c)
			}
		}
	}
}

func TestChoiceFixesTheVariant(t *testing.T) {
	test.NewTempApp(t)
	bgOf := func(c Choice, system fyne.ThemeVariant) any { return New(c).Color(theme.ColorNameBackground, system) }
	light, dark := bgOf(System, theme.VariantLight), bgOf(System, theme.VariantDark)
	if light == dark {
		t.Fatal("light and dark backgrounds are the same")
	}
	if bgOf(Dark, theme.VariantLight) != dark || bgOf(Light, theme.VariantDark) != light {
		t.Error("a chosen variant does not override the system's")
	}
	if New("purple").Choice != System {
		t.Error("an unknown choice does not follow the system")
	}
}

func TestContrast(t *testing.T) {
	test.NewTempApp(t)
	th := New(System)
	white, black := th.Color(theme.ColorNameBackground, theme.VariantLight), th.Color(theme.ColorNameBackground, theme.VariantDark)
	if c := Contrast(white, white); c != 1 {
		t.Errorf("white on white = %v", c)
	}
	if c := Contrast(white, black); c < 15 {
		t.Errorf("white on Fyne's dark background = %v", c)
	}
	// Fyne's own green on white, the defect this package exists for.
	if c := Contrast(theme.DefaultTheme().Color(theme.ColorNameSuccess, theme.VariantLight), white); c > 2 {
		t.Errorf("Fyne's green on white = %.2f; the test's premise changed", c)
	}
}
