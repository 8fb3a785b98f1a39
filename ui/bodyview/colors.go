package bodyview

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"apidesk/engine/jsonview"
)

// syntaxColors are the colours of the JSON classes that stand out, on a light and on a dark background
// (GitHub's code colours: the theme's success and warning colours are too pale on white to read as text).
var syntaxColors = map[jsonview.Class][2]color.NRGBA{
	jsonview.Key:     {{0x05, 0x50, 0xae, 0xff}, {0x79, 0xc0, 0xff, 0xff}},
	jsonview.String:  {{0x0a, 0x7d, 0x2f, 0xff}, {0x7e, 0xe7, 0x87, 0xff}},
	jsonview.Number:  {{0xb3, 0x59, 0x00, 0xff}, {0xff, 0xa6, 0x57, 0xff}},
	jsonview.Literal: {{0xcf, 0x22, 0x2e, 0xff}, {0xff, 0x7b, 0x72, 0xff}},
}

// classColor is the colour of a syntax class in theme th: the theme's foreground for plain text and
// punctuation, else one of syntaxColors for the theme's background.
func classColor(th fyne.Theme, v fyne.ThemeVariant, c jsonview.Class) color.Color {
	pair, ok := syntaxColors[c]
	if !ok {
		return th.Color(theme.ColorNameForeground, v)
	}
	if isDark(th.Color(theme.ColorNameBackground, v)) {
		return pair[1]
	}
	return pair[0]
}

// isDark says whether a background is dark, whatever variant the theme was asked for (a theme may fix one).
func isDark(c color.Color) bool {
	if c == nil {
		return false
	}
	r, g, b, _ := c.RGBA()
	return 299*r+587*g+114*b < 500*0xffff
}
