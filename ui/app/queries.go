package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/workspace"
	"apidesk/ui/problem"
	"apidesk/ui/queryeditor"
	"apidesk/ui/sidebar"
	"apidesk/ui/task"
)

// A saved query is renamed, duplicated, moved to another resource or deleted from the sidebar's menu on it
// (a secondary tap) or from the main menu's Query menu, which acts on the query shown or selected. They are
// the engine's SaveQuery and DeleteQuery, as apidesk-cli's query save and query rm use them. A query shown
// with unsaved edits is asked about first; after each, the sidebar and the page show the query as it now is.

// queryMenu is the main menu's Query menu.
func (w *App) queryMenu() *fyne.Menu {
	on := func(action func(string)) func() {
		return func() {
			id := w.runnable(w.deps.Workspace.Queries())
			if id == "" {
				dialog.ShowInformation("No query chosen", "Pick a saved query on the left first.", w.win)
				return
			}
			action(id)
		}
	}
	return fyne.NewMenu("Query",
		&fyne.MenuItem{Label: "Rename…", Icon: theme.DocumentCreateIcon(), Action: on(w.RenameQuery)},
		&fyne.MenuItem{Label: "Duplicate…", Icon: theme.ContentCopyIcon(), Action: on(w.DuplicateQuery)},
		&fyne.MenuItem{Label: "Move to another resource…", Icon: theme.MailForwardIcon(), Action: on(w.MoveQuery)},
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Delete…", Icon: theme.DeleteIcon(), Action: on(w.DeleteQuery)},
	)
}

// RenameQuery asks for a new name for a saved query and saves it under that name.
func (w *App) RenameQuery(id string) {
	if w.editingLocked() {
		return
	}
	w.leaveQuery(id, func() {
		q, _, ok := w.queryOf(id)
		if !ok {
			return
		}
		queryeditor.AskName(w.win, "Rename "+q.Name, "Rename", q.Name, "Names are unique across the workspace.", w.checkQueryName(id), func(name string) {
			if name == q.Name {
				return
			}
			q.Name = name
			w.saveQuery(q, "renamed")
		})
	})
}

// DuplicateQuery asks for a name and saves a copy of a saved query under it, then opens the copy.
func (w *App) DuplicateQuery(id string) {
	if w.editingLocked() {
		return
	}
	w.leave(func() { // the copy is opened: the page shown is left
		q, _, ok := w.queryOf(id)
		if !ok {
			return
		}
		queryeditor.AskName(w.win, "Duplicate "+q.Name, "Duplicate", q.Name+" copy", "The copy is saved on the same resource; names are unique across the workspace.",
			w.checkQueryName(""), func(name string) {
				q.ID, q.Name = "", name
				w.saveQuery(q, "duplicated")
			})
	})
}

// MoveQuery asks which other resource a saved query should run on and moves it there.
func (w *App) MoveQuery(id string) {
	if w.editingLocked() {
		return
	}
	w.leaveQuery(id, func() {
		q, res, ok := w.queryOf(id)
		if !ok {
			return
		}
		var others []*resource.Resource
		var names []string
		for _, r := range w.deps.Workspace.Resources() {
			if r.ID != res.ID {
				others = append(others, r)
				names = append(names, r.Name)
			}
		}
		if len(others) == 0 {
			dialog.ShowInformation("Move "+q.Name, "There is no other resource to move it to: add one first with New resource.", w.win)
			return
		}
		to := &widget.Select{Options: names}
		to.SetSelectedIndex(0)
		msg := &widget.Label{Text: fmt.Sprintf("%s runs on %s now. Its path, parameters and body stay as they are; the other resource's address and sign-in are used.", q.Name, res.Name),
			Wrapping: fyne.TextWrapWord}
		form := widget.NewForm(widget.NewFormItem("Move to", to))
		d := dialog.NewCustomConfirm("Move "+q.Name+" to another resource", "Move", "Cancel", container.NewVBox(msg, form), func(ok bool) {
			if !ok || to.SelectedIndex() < 0 {
				return
			}
			q.ResourceID = others[to.SelectedIndex()].ID
			w.saveQuery(q, "moved")
		}, w.win)
		d.Resize(fyne.NewSize(480, 0))
		d.Show()
	})
}

// DeleteQuery asks whether to delete a saved query, naming it, and deletes it.
func (w *App) DeleteQuery(id string) {
	if w.editingLocked() {
		return
	}
	q, res, ok := w.queryOf(id)
	if !ok {
		return
	}
	text := fmt.Sprintf("The query %q on %s is deleted from the workspace. This cannot be undone.", q.Name, res.Name)
	if k, shown := w.page.Item(); k == sidebar.Query && shown == id && w.page.Dirty() {
		text += " Your unsaved changes to it are lost too."
	}
	d := dialog.NewCustomConfirm(fmt.Sprintf("Delete %q?", q.Name), "Delete", "Cancel", &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}, func(ok bool) {
		if !ok {
			return
		}
		task.Run(&w.tasks, func(ctx context.Context) error {
			return w.deps.Workspace.DeleteQuery(context.WithoutCancel(ctx), id) // once started, a deletion is finished
		}, func(err error) {
			if err != nil {
				w.queryNotChanged(q.Name, "deleted", err)
				return
			}
			if k, shown := w.page.Item(); k == sidebar.Query && shown == id {
				w.showWelcome(q.Name + " was deleted.")
			}
			w.refreshSidebar()
		})
	}, w.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

// leaveQuery runs next once the page shown has no unsaved edits to the query (it asks to save or discard
// them first); edits to another item are kept, for next does not leave them.
func (w *App) leaveQuery(id string, next func()) {
	if k, shown := w.page.Item(); k == sidebar.Query && shown == id {
		w.leave(next)
		return
	}
	next()
}

// checkQueryName says why s cannot be the name of the query with the id ("" for a new one), or nil.
func (w *App) checkQueryName(id string) func(string) error {
	return func(s string) error {
		if err := resource.ValidateName(s); err != nil {
			return err
		}
		other, err := w.deps.Workspace.QueryByName(strings.TrimSpace(s))
		if err != nil || other.ID == id {
			return nil
		}
		where := ""
		if r, err := w.deps.Workspace.ResourceByID(other.ResourceID); err == nil {
			where = " on " + r.Name
		}
		return fmt.Errorf("a query named %q already exists%s: choose another name", other.Name, where)
	}
}

// saveQuery saves a renamed, duplicated or moved query in the background, then shows it in the sidebar and,
// when it was shown or is a new copy, on the page.
func (w *App) saveQuery(q *query.Query, done string) {
	isNew := q.ID == ""
	task.Run(&w.tasks, func(ctx context.Context) error {
		return w.deps.Workspace.SaveQuery(context.WithoutCancel(ctx), q) // once started, a save is finished
	}, func(err error) {
		if err != nil {
			w.queryNotChanged(q.Name, done, err)
			return
		}
		w.refreshSidebar()
		k, shown := w.page.Item()
		switch p := w.page.(type) {
		case runPage:
			if k == sidebar.Query && shown == q.ID {
				if saved, res, ok := w.queryOf(q.ID); ok {
					w.sidebar.Select(sidebar.Query, q.ID)
					p.Open(saved, res)
					w.show(p)
				}
				return
			}
		default:
			if isNew || k == sidebar.Query && shown == q.ID {
				w.sidebar.Select(sidebar.Query, q.ID)
				w.showQuery(q.ID)
				return
			}
		}
		w.refreshTitle()
	})
}

// queryNotChanged says in the banner that a query could not be renamed, duplicated, moved or deleted, and why.
func (w *App) queryNotChanged(name, done string, err error) {
	if errors.Is(err, workspace.ErrStale) {
		w.reloadWorkspace(func() {})
		w.banner.SetExplanation(problem.Explanation{Headline: name + " was not " + done,
			Message: "Another program changed the workspace: apidesk now shows it as it is. Try again if you still want to."}, true)
		return
	}
	w.banner.SetError(fmt.Errorf("%s could not be %s: %w", name, done, err))
}
