package app

import (
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
	"apidesk/engine/workspace"
	"apidesk/ui/sidebar"
)

// The toolbar's Edit | Run switch says what picking a saved query on the left opens: the editor, or the query
// ready to run (for support staff, who never change a request). Each person's choice is remembered for each
// workspace folder; until they choose, the workspace's settings file (workspace.SettingsFile) decides, and
// Edit is the default without it (Run when it locks editing). The settings file can also lock editing: the resource form, the editor and
// every action that changes the workspace are hidden until the person chooses Unlock editing, for as long as
// the window is open. That is advice to the window, not a permission: the files stay as writable as the
// folder is.

// prefModePrefix, followed by the workspace folder, keys a person's choice of the switch ("edit" or "run").
const prefModePrefix = "mode.workspace:"

// The switch's options.
const (
	modeEdit = "Edit"
	modeRun  = "Run"
)

func (w *App) prefMode() string { return prefModePrefix + w.deps.Workspace.Dir() }

// newModeSwitch builds the Edit | Run switch and the Unlock editing button beside it.
func (w *App) newModeSwitch() {
	w.modeSwitch = &widget.RadioGroup{Options: []string{modeEdit, modeRun}, Horizontal: true, Required: true, OnChanged: w.onModeChanged}
	w.modeSwitch.Selected = modeEdit
	w.unlockBtn = &widget.Button{Text: "Unlock editing", Icon: theme.DocumentCreateIcon(), Importance: widget.LowImportance, OnTapped: w.UnlockEditing}
	w.unlockBtn.Hide()
}

// RunMode reports whether picking a saved query opens it to run: always while editing is locked; else the
// person's choice for this workspace, else the workspace's default (a workspace that locks editing and says no
// mode defaults to Run, also once unlocked).
func (w *App) RunMode() bool {
	if w.editingLocked() {
		return true
	}
	switch w.fyne.Preferences().String(w.prefMode()) {
	case string(workspace.ModeRun):
		return true
	case string(workspace.ModeEdit):
		return false
	}
	st := w.deps.Workspace.Settings()
	return st.Mode == workspace.ModeRun || st.Mode == workspace.ModeUnset && st.EditingLocked
}

// editingLocked reports whether the workspace locks editing and the person has not unlocked it.
func (w *App) editingLocked() bool { return w.deps.Workspace.Settings().EditingLocked && !w.unlocked }

// onModeChanged is the person's choice on the switch: remembered for this workspace, and the query shown (or
// selected) opens the new way.
func (w *App) onModeChanged(option string) {
	if w.quietMode {
		return
	}
	run := option == modeRun
	mode := workspace.ModeEdit
	if run {
		mode = workspace.ModeRun
	}
	w.fyne.Preferences().SetString(w.prefMode(), string(mode))
	id := w.runnable(w.deps.Workspace.Queries())
	switch _, shown := w.page.(runPage); {
	case id == "":
	case run && !shown:
		w.RunQuery(id)
	case !run && shown:
		w.leave(func() { w.showQuery(id) })
	}
}

// UnlockEditing shows the editing the workspace's settings lock, until the window closes.
func (w *App) UnlockEditing() {
	w.unlocked = true
	w.refreshMode()
}

// refreshMode shows the switch as it now stands and, while editing is locked, hides every editing action; a
// form or an editor shown without unsaved edits gives way (an editor to its query ready to run).
func (w *App) refreshMode() {
	locked := w.editingLocked()
	w.quietMode = true
	w.modeSwitch.Selected = modeEdit
	if w.RunMode() {
		w.modeSwitch.Selected = modeRun
	}
	w.modeSwitch.Refresh()
	w.quietMode = false
	for _, b := range w.editButtons {
		if locked {
			b.Hide()
		} else {
			b.Show()
		}
	}
	if locked {
		w.modeSwitch.Hide()
		w.unlockBtn.Show()
	} else {
		w.modeSwitch.Show()
		w.unlockBtn.Hide()
	}
	w.toolbar.Refresh() // lays out what is shown now
	w.sidebar.SetEditing(!locked)
	w.win.SetMainMenu(w.mainMenu())
	w.refreshStart()
	if w.run != nil {
		w.run.OnEdit = w.editQuery
		if locked {
			w.run.OnEdit = nil
		}
		if p, ok := w.page.(runPage); ok {
			p.View.Reload(p.Query(), p.Resource()) // shows or hides its Edit query
		}
	}
	if !locked || w.page.Dirty() {
		return
	}
	switch p := w.page.(type) {
	case formPage:
		w.showWelcome("")
	case editorPage:
		if id := p.Query().ID; id != "" {
			w.showRun(id)
		} else {
			w.showWelcome("")
		}
	}
}

// editQuery is run mode's Edit query: the query in the editor, the switch left as it is.
func (w *App) editQuery(q *query.Query) {
	if w.editingLocked() {
		return
	}
	w.sidebar.Select(sidebar.Query, q.ID)
	w.showQuery(q.ID)
}

// openQuery shows a saved query as the switch says: ready to run, or in the editor.
func (w *App) openQuery(id string) {
	if w.RunMode() {
		w.showRun(id)
	} else {
		w.showQuery(id)
	}
}
