package app

import (
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"apidesk/ui/look"
)

// applyTheme draws the window in the variant the preferences hold.
func (w *App) applyTheme() {
	w.fyne.Settings().SetTheme(look.New(look.Choice(w.fyne.Preferences().String(look.PrefKey))))
}

// showSettings opens Settings: the appearance (the system's, light or dark), applied at once and remembered.
func (w *App) showSettings() {
	var labels []string
	current := look.Choice(w.fyne.Preferences().StringWithFallback(look.PrefKey, string(look.System)))
	selected := look.Choices[0].Label
	for _, c := range look.Choices {
		labels = append(labels, c.Label)
		if c.Choice == current {
			selected = c.Label
		}
	}
	appearance := widget.NewRadioGroup(labels, nil)
	appearance.Selected = selected
	appearance.Required = true
	appearance.OnChanged = func(label string) {
		for _, c := range look.Choices {
			if c.Label == label {
				w.fyne.Preferences().SetString(look.PrefKey, string(c.Choice))
			}
		}
		w.applyTheme()
	}
	form := widget.NewForm(widget.NewFormItem("Appearance", appearance))
	dialog.ShowCustom("Settings", "Close", form, w.win)
}
