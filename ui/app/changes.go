package app

import (
	"context"
	"fmt"
	"reflect"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/workspace"
	"apidesk/ui/problem"
	"apidesk/ui/task"
)

// What another program (apidesk-cli, another window, a git pull) can do to the workspace the window shows is
// followed here: the engine's Watch reloads the workspace after each burst of changes in its folder and says
// which items changed, and onChange shows it. An item shown without unsaved edits is shown again as it now
// is; unsaved edits are never dropped without asking: the page says what happened and offers to reload.

// watch starts following the changes in the workspace folder, in the background; stopWatching ends it.
func (w *App) watch() {
	if w.stopWatch != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.stopWatch = cancel
	type started struct {
		changes <-chan workspace.Change
		missed  workspace.Change // what changed between Load and the start of the watch
	}
	task.Start(&w.tasks, func(context.Context) (started, error) {
		changes, err := w.deps.Workspace.Watch(ctx)
		if err != nil {
			return started{}, err
		}
		missed, err := w.deps.Workspace.Reload(ctx)
		if err != nil {
			missed = workspace.Change{Err: err}
		}
		return started{changes, missed}, nil
	}, func(s started, err error) {
		if err != nil {
			w.banner.SetExplanation(problem.Explanation{Headline: "Changes by other programs will not show",
				Message: "apidesk cannot follow the workspace folder, so what another program changes there shows only when you open apidesk again. " +
					problem.Explain(err).Message}, true)
			return
		}
		if !s.missed.Empty() {
			w.onChange(s.missed)
		}
		done := make(chan struct{})
		w.watched = done
		go func() {
			defer close(done)
			for c := range s.changes {
				fyne.Do(func() { w.onChange(c) })
			}
		}()
	})
}

// stopWatching stops following the changes in the workspace folder, and waits until nothing follows them.
func (w *App) stopWatching() {
	if w.stopWatch == nil {
		return
	}
	w.stopWatch()
	if w.watched != nil {
		<-w.watched // soon: the engine closes the channel once its context is done
	}
}

// onChange shows what another program changed in the workspace: its problems, as Load shows them, the
// sidebar, and the page shown.
func (w *App) onChange(c workspace.Change) {
	if w.closing {
		return
	}
	if c.Err != nil {
		w.banner.SetExplanation(problem.Explanation{Headline: "Changes by other programs may not show",
			Message: "apidesk could not read the workspace folder again. " + problem.Explain(c.Err).Message,
			Detail:  problem.Explain(c.Err).Detail}, true)
		return
	}
	w.showProblems(c.Problems)
	w.refreshSidebar()
	if len(c.Environments) > 0 {
		w.envSwitch.SetEnvironments(w.deps.Workspace.Environments()) // may change the one active
	}
	w.refreshSignIns(c.Resources)
	if c.Settings {
		w.refreshMode()
	}
	switch p := w.page.(type) {
	case formPage:
		w.formChanged(p, c)
	case editorPage:
		w.editorChanged(p, c)
	case runPage:
		w.runChanged(p, c)
	}
	w.refreshTitle()
}

func (w *App) formChanged(p formPage, c workspace.Change) {
	shown := p.Resource()
	if shown.ID == "" || !slices.Contains(c.Resources, shown.ID) {
		return
	}
	r, err := w.deps.Workspace.ResourceByID(shown.ID)
	w.itemChanged(p, shown.Name, p.Problem(), err != nil, func() { p.Reload(r) })
}

func (w *App) editorChanged(p editorPage, c workspace.Change) {
	q, res := p.Query(), p.Resource()
	queryChanged := q.ID != "" && slices.Contains(c.Queries, q.ID)
	if !queryChanged && !slices.Contains(c.Resources, res.ID) {
		return
	}
	if q.ID == "" { // a new query: only its resource can have changed
		if r, err := w.deps.Workspace.ResourceByID(res.ID); err == nil {
			p.SetResource(r)
		} else if !p.Dirty() {
			w.showWelcome(deleted(res.Name))
		} else {
			p.Problem().SetExplanation(problem.Explanation{Headline: "Deleted by another program", Message: deleted(res.Name) +
				" This new query cannot be saved without it: Copy as cURL keeps what you typed."}, true)
		}
		return
	}
	nq, nres, err := w.lookupQuery(q.ID)
	if err == nil && p.Dirty() {
		p.SetResource(nres) // the query's edits stand on the resource as it now is
		if !queryChanged || sameQuery(nq, q) {
			return // a renamed resource rewrites its queries' files with its new name beside its id
		}
	}
	w.itemChanged(p, q.Name, p.Problem(), err != nil, func() { p.Editor.Reload(nq, nres) })
}

// sameQuery reports whether two versions of a query say the same (a list left empty counts as none).
func sameQuery(a, b *query.Query) bool {
	norm := func(q *query.Query) query.Query {
		c := *q
		for _, l := range []*kv.List{&c.Params, &c.Headers, &c.Cookies, &c.Body.Form} {
			if len(*l) == 0 {
				*l = nil
			}
		}
		if len(c.Variables) == 0 {
			c.Variables = nil
		}
		return c
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

func (w *App) runChanged(p runPage, c workspace.Change) {
	q, res := p.Query(), p.Resource()
	if !slices.Contains(c.Queries, q.ID) && !slices.Contains(c.Resources, res.ID) {
		return
	}
	if nq, nres, err := w.lookupQuery(q.ID); err == nil {
		p.View.Reload(nq, nres)
	} else {
		w.showWelcome(deleted(q.Name))
	}
}

// itemChanged shows that another program changed the item a page shows (or deleted it, when gone): without
// unsaved edits, the page is shown again as the item now is (reload), or the welcome page when it is gone;
// unsaved edits are kept, and the page's banner says what happened and what Save and Reload do.
func (w *App) itemChanged(p page, name string, banner *problem.Banner, gone bool, reload func()) {
	switch {
	case !p.Dirty() && gone:
		w.showWelcome(deleted(name))
	case !p.Dirty():
		reload()
	case gone:
		banner.SetExplanation(problem.Explanation{Headline: "Deleted by another program",
			Message: deleted(name) + " Your unsaved changes are kept: Save brings it back."}, true)
	default:
		banner.SetExplanation(problem.Explanation{Headline: "Changed by another program",
			Message: name + " was changed by another program. Your unsaved changes are kept: Save keeps yours, Reload takes theirs."}, true)
		banner.SetAction("Reload", func() { w.confirmReload(name) })
	}
}

func deleted(name string) string { return name + " was deleted by another program." }

// confirmReload asks before the page's unsaved edits are dropped for the other program's version.
func (w *App) confirmReload(name string) {
	d := dialog.NewConfirm("Reload "+name, fmt.Sprintf("Discard your unsaved changes to %s and show the version the other program saved?", name),
		func(ok bool) {
			if ok {
				w.takeTheirs()
			}
		}, w.win)
	d.SetConfirmText("Discard and reload")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// takeTheirs shows the item of the page shown as the workspace now holds it, dropping the unsaved edits; the
// welcome page when it is gone.
func (w *App) takeTheirs() {
	switch p := w.page.(type) {
	case formPage:
		shown := p.Resource()
		if r, err := w.deps.Workspace.ResourceByID(shown.ID); err == nil {
			p.Reload(r)
		} else {
			w.showWelcome(deleted(shown.Name))
		}
	case editorPage:
		shown := p.Query()
		if q, res, err := w.lookupQuery(shown.ID); err == nil {
			p.Editor.Reload(q, res)
		} else {
			w.showWelcome(deleted(shown.Name))
		}
	}
	w.refreshTitle()
}

// onStale is what the form and the editor do when a save was refused because another program changed or
// removed the item's file since the workspace read it (before the window heard of it): ask whether to keep
// the person's version (overwrite) or take the other program's. Either way the workspace is read again
// first, so that the window shows what the other program did.
func (w *App) onStale(name string, overwrite func()) {
	var d *dialog.CustomDialog
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() {
		d.Hide()
		w.reloadWorkspace(func() {})
	}}
	reload := &widget.Button{Text: "Reload", Importance: widget.DangerImportance, OnTapped: func() {
		d.Hide()
		w.reloadWorkspace(w.takeTheirs)
	}}
	keep := &widget.Button{Text: "Overwrite", Importance: widget.HighImportance, OnTapped: func() {
		d.Hide()
		w.reloadWorkspace(overwrite)
	}}
	msg := &widget.Label{Text: name + " was changed by another program. Your unsaved changes are kept: Overwrite saves yours over theirs, Reload takes theirs.",
		Wrapping: fyne.TextWrapWord}
	d = dialog.NewCustomWithoutButtons("Changed by another program", msg, w.win)
	d.SetButtons([]fyne.CanvasObject{cancel, reload, keep})
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

// reloadWorkspace reads the workspace again in the background, shows what changed (onChange), then runs then.
func (w *App) reloadWorkspace(then func()) {
	task.Start(&w.tasks, w.deps.Workspace.Reload, func(c workspace.Change, err error) {
		if err != nil {
			w.banner.SetError(fmt.Errorf("the workspace %s could not be read again: %w", w.deps.Workspace.Dir(), err))
			return
		}
		if !c.Empty() {
			w.onChange(c)
		}
		then()
	})
}
