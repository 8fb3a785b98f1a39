package app

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"apidesk/assets"
)

// readmeURL is where the README is read on the web: the project's site, as FyneApp.toml names it.
const readmeURL = "https://github.com/apidesk/apidesk#readme"

// showGuide opens the short built-in guide: what resources, queries, variables and run mode are, how to
// register the redirect URI, where secrets are kept, and a link to the README.
func (w *App) showGuide() {
	guide := widget.NewRichTextFromMarkdown(assets.GuideMarkdown)
	guide.Wrapping = fyne.TextWrapWord
	link := widget.NewHyperlink("The complete guide, on the apidesk web site", nil)
	if u, err := url.Parse(readmeURL); err == nil {
		link.SetURL(u)
	}
	content := container.NewBorder(nil, link, nil, nil, container.NewVScroll(guide))
	d := dialog.NewCustom("Getting started", "Close", content, w.win)
	d.Resize(guideSize(w.win.Canvas().Size()))
	d.Show()
}

// guideSize is the guide's size in a window of size s: readable line lengths, and always on screen.
func guideSize(s fyne.Size) fyne.Size {
	return fyne.NewSize(min(640, s.Width*0.9), min(560, s.Height*0.85))
}
