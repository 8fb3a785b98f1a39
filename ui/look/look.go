// Package look is apidesk's theme: Fyne's own, in the variant the person chose (the system's, light or dark),
// with status colours that can be read on either background. Fyne's default green, orange and red are bright
// enough for a dark window but too pale on white (its green on white is about 1.5:1); here every text colour
// keeps at least WCAG AA's 4.5:1 against the backgrounds it is drawn on, in both variants.
package look

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Choice is the variant the person picked in Settings.
type Choice string

// The choices, as the preferences store them.
const (
	System Choice = "system"
	Light  Choice = "light"
	Dark   Choice = "dark"
)

// PrefKey is the preference that holds the Choice.
const PrefKey = "appearance.theme"

// Choices in the order Settings offers them, with their labels.
var Choices = []struct {
	Choice Choice
	Label  string
}{{System, "Same as the system"}, {Light, "Light"}, {Dark, "Dark"}}

// Theme is Fyne's default theme with a fixed or the system's variant and readable status colours.
type Theme struct {
	Choice Choice
	base   fyne.Theme
}

// New returns the theme for c; an unknown choice follows the system.
func New(c Choice) *Theme {
	switch c {
	case Light, Dark:
	default:
		c = System
	}
	return &Theme{Choice: c, base: theme.DefaultTheme()}
}

// Variant is the variant drawn for v, the system's: v itself unless the person chose one.
func (t *Theme) Variant(v fyne.ThemeVariant) fyne.ThemeVariant {
	switch t.Choice {
	case Light:
		return theme.VariantLight
	case Dark:
		return theme.VariantDark
	}
	return v
}

// Colours that replace Fyne's, per variant. Text in a status colour is drawn on the background or an input's
// background; a button of that importance draws its text in the "on" colour over it.
var readable = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNameSuccess:             color.NRGBA{R: 0x17, G: 0x6f, B: 0x2c, A: 0xff},
		theme.ColorNameWarning:             color.NRGBA{R: 0x8a, G: 0x52, B: 0x00, A: 0xff},
		theme.ColorNameError:               color.NRGBA{R: 0xc0, G: 0x1f, B: 0x1f, A: 0xff},
		theme.ColorNameHyperlink:           color.NRGBA{R: 0x0b, G: 0x57, B: 0xd0, A: 0xff},
		theme.ColorNameForegroundOnSuccess: color.White,
		theme.ColorNameForegroundOnWarning: color.White,
		theme.ColorNameForegroundOnError:   color.White,
	},
	theme.VariantDark: {
		theme.ColorNameSuccess:             color.NRGBA{R: 0x43, G: 0xf4, B: 0x36, A: 0xff},
		theme.ColorNameWarning:             color.NRGBA{R: 0xff, G: 0x98, B: 0x00, A: 0xff},
		theme.ColorNameError:               color.NRGBA{R: 0xff, G: 0x6b, B: 0x5e, A: 0xff},
		theme.ColorNameHyperlink:           color.NRGBA{R: 0x7c, G: 0xac, B: 0xf8, A: 0xff},
		theme.ColorNameForegroundOnSuccess: color.Black,
		theme.ColorNameForegroundOnWarning: color.Black,
		theme.ColorNameForegroundOnError:   color.Black,
	},
}

// Color is Fyne's colour, or apidesk's readable one, in the chosen variant.
func (t *Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	v = t.Variant(v)
	if c, ok := readable[v][n]; ok {
		return c
	}
	return t.base.Color(n, v)
}

// Font is Fyne's.
func (t *Theme) Font(s fyne.TextStyle) fyne.Resource { return t.base.Font(s) }

// Icon is Fyne's.
func (t *Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

// Size is Fyne's.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 { return t.base.Size(n) }

// Contrast is the WCAG 2 contrast ratio of two colours, from 1 to 21.
func Contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG 2's relative luminance of an opaque colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
