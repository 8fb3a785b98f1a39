package queryeditor

import "fyne.io/fyne/v2"

// AskName is the one-field name dialog of Save as, for the window's other names (renaming or duplicating a
// saved query): it asks for a name, says under it why a name cannot be used (check) and calls done with the
// name, trimmed. Enter confirms, Escape cancels; the initial text is selected, so typing replaces it.
func AskName(win fyne.Window, title, confirm, initial, hint string, check func(string) error, done func(string)) {
	askName(win, title, confirm, initial, hint, check, done)
}
