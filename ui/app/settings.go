package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/history"
	"apidesk/ui/look"
	"apidesk/ui/task"
)

// prefHistory is how much of the history of runs is kept (history.Policy.String).
const prefHistory = "history.keep"

// applyHistoryPolicy keeps as much history of runs as the preferences say.
func (w *App) applyHistoryPolicy() {
	if w.deps.History != nil {
		p, _ := history.ParsePolicy(w.fyne.Preferences().String(prefHistory))
		w.deps.History.SetPolicy(p)
	}
}

// historySettings is Settings' History of runs: how much is kept, and Clear history. Nil without a history.
func (w *App) historySettings() *widget.FormItem {
	store := w.deps.History
	if store == nil {
		return nil
	}
	keep := &widget.Select{}
	for _, c := range history.Choices {
		keep.Options = append(keep.Options, c.Label)
		if c.Policy == store.Policy() {
			keep.Selected = c.Label
		}
	}
	keep.OnChanged = func(label string) {
		for _, c := range history.Choices {
			if c.Label == label {
				w.fyne.Preferences().SetString(prefHistory, c.Policy.String())
				store.SetPolicy(c.Policy)
			}
		}
	}
	clearBtn := &widget.Button{Text: "Clear history", Icon: theme.DeleteIcon(), Importance: widget.LowImportance}
	clearBtn.OnTapped = func() {
		dialog.ShowConfirm("Clear history?", "Every run recorded for the queries of this workspace is removed.", func(ok bool) {
			if !ok {
				return
			}
			task.Run(&w.tasks, func(context.Context) error { return store.ClearAll() }, func(err error) {
				if err != nil {
					dialog.ShowError(fmt.Errorf("the history could not be cleared: %w", err), w.win)
				}
			})
		}, w.win)
	}
	note := &widget.Label{Text: "Kept on this computer only, never with a secret you type.", Importance: widget.LowImportance,
		SizeName: theme.SizeNameCaptionText}
	return widget.NewFormItem("History of runs", container.NewVBox(keep, container.NewHBox(clearBtn), note))
}

// applyTheme draws the window in the variant the preferences hold.
func (w *App) applyTheme() {
	w.fyne.Settings().SetTheme(look.New(look.Choice(w.fyne.Preferences().String(look.PrefKey))))
}

// showSettings opens Settings: the appearance (the system's, light or dark), applied at once and remembered,
// and how much history of runs is kept.
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
	if item := w.historySettings(); item != nil {
		form.AppendItem(item)
	}
	d := dialog.NewCustom("Settings", "Close", form, w.win)
	d.Resize(fyne.NewSize(max(form.MinSize().Width+40, 520), form.MinSize().Height+120))
	d.Show()
}
