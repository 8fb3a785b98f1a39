package runmode

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// confirmation is the question asked before a query that may change something runs (query.AsksFirst): the
// engine's words, Run and Cancel. Enter runs only while Run has the focus; Escape cancels.
type confirmation struct {
	dlg    *dialog.CustomDialog
	text   *widget.Label
	run    *keyButton
	cancel *keyButton

	canvas  fyne.Canvas
	prevKey func(*fyne.KeyEvent)
	answer  func() // Run's or Cancel's, once
}

// keyButton is a button that Enter presses too while it has the focus, and on which Escape cancels the
// question it belongs to.
type keyButton struct {
	widget.Button
	onEscape func()
}

var _ fyne.Focusable = (*keyButton)(nil)

func newKeyButton(text string, icon fyne.Resource, imp widget.Importance, tapped, escape func()) *keyButton {
	b := &keyButton{onEscape: escape}
	b.Text, b.Icon, b.Importance, b.OnTapped = text, icon, imp, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Enter (and Space), and cancels on Escape.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
	case fyne.KeyEscape:
		b.onEscape()
	default:
		b.Button.TypedKey(ev)
	}
}

// ask shows text, a question the engine wrote (query.Confirmation), and calls run when the person chooses
// Run; Cancel, Escape or closing sends nothing. Nothing has the focus at first, so an Enter meant for the
// field the person was in does not run it.
func (v *View) ask(text string, run func()) {
	c := &confirmation{canvas: v.win.Canvas()}
	c.text = &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
	c.run = newKeyButton("Run", theme.MediaPlayIcon(), widget.HighImportance, func() { c.close(run) }, func() { c.close(nil) })
	c.cancel = newKeyButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { c.close(nil) }, func() { c.close(nil) })
	c.dlg = dialog.NewCustomWithoutButtons("Run this query?", container.NewPadded(c.text), v.win)
	c.dlg.SetButtons([]fyne.CanvasObject{c.cancel, c.run})
	c.dlg.SetOnClosed(func() {
		c.canvas.SetOnTypedKey(c.prevKey)
		if v.confirm == c {
			v.confirm = nil
		}
		if c.answer != nil {
			c.answer()
		}
	})
	c.prevKey = c.canvas.OnTypedKey()
	c.canvas.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			c.close(nil)
			return
		}
		if c.prevKey != nil {
			c.prevKey(ev)
		}
	})
	v.confirm = c
	c.dlg.Resize(fyne.NewSize(480, 220))
	c.dlg.Show()
	c.canvas.Unfocus()
}

// close hides the question, then calls then (nil: nothing).
func (c *confirmation) close(then func()) {
	c.answer = then
	c.dlg.Hide()
}

// Asking is the question run mode is asking before a run, or "" when none is open.
func (v *View) Asking() string {
	if v.confirm == nil {
		return ""
	}
	return v.confirm.text.Text
}

// Answer answers the question open, as the person would with its buttons: run true is Run, false Cancel.
func (v *View) Answer(run bool) {
	if v.confirm == nil {
		return
	}
	if run {
		v.confirm.run.OnTapped()
	} else {
		v.confirm.cancel.OnTapped()
	}
}

// confirmation is the question asked before q runs on res with vals: the engine's, naming the environment
// when one is active ("… in Production, a protected environment.").
func (v *View) confirmation(q *query.Query, res *resource.Resource, vals map[string]string) string {
	text := q.Confirmation(res, vals)
	if e := v.deps.Env.Env(); e != nil {
		where := "This runs in " + e.Name
		if e.Protected {
			where += ", a protected environment: check twice"
		}
		text = where + ". " + text
	}
	return text
}
