package resourceform

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// field is one labelled input of the form with the engine's message under it. It checks itself as the person
// leaves it, and again at every keystroke while it shows a problem, so the message goes as soon as it is fixed.
type field struct {
	key     string // the FieldError.Field it shows: "base_url", "auth.oauth2.token_url"…
	label   *widget.Label
	input   fyne.CanvasObject // entry, or entry with buttons beside it
	entry   *entry            // nil for a field whose input is not an entry
	hint    *widget.Label     // a note under the input, shown while there is no problem
	problem *widget.Label
	cell    *fyne.Container
	check   func() error // nil: nothing to check as the person types
	shown   bool
}

func newField(key, label string, e *entry, check func() error) *field {
	f := &field{
		key:     key,
		label:   &widget.Label{Text: label, Alignment: fyne.TextAlignTrailing},
		input:   e,
		entry:   e,
		hint:    &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText},
		problem: &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance, SizeName: theme.SizeNameCaptionText},
		check:   check,
	}
	f.hint.Hide()
	f.problem.Hide()
	if e != nil {
		e.onFocusLost = func() { f.validate() }
		prev := e.OnChanged
		e.OnChanged = func(s string) {
			if prev != nil {
				prev(s)
			}
			if f.shown {
				f.validate()
			}
		}
	}
	f.cell = container.NewVBox(f.input, f.hint, f.problem)
	return f
}

// newOtherField labels an input that is not an entry (a select, a check).
func newOtherField(key, label string, input fyne.CanvasObject) *field {
	f := newField(key, label, nil, nil)
	f.input = input
	f.cell.Objects[0] = input
	return f
}

// withButtons puts buttons to the right of the field's entry.
func (f *field) withButtons(objs ...fyne.CanvasObject) *field {
	f.input = container.NewBorder(nil, nil, nil, container.NewHBox(objs...), f.entry)
	f.cell.Objects[0] = f.input
	return f
}

// validate checks the field and shows its message; it returns the problem.
func (f *field) validate() error {
	if f.check == nil {
		return nil
	}
	err := f.check()
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	f.setProblem(msg)
	return err
}

// setProblem shows msg under the field, or clears it.
func (f *field) setProblem(msg string) {
	f.shown = msg != ""
	f.problem.SetText(msg)
	if f.shown {
		f.problem.Show()
		f.hint.Hide()
	} else {
		f.problem.Hide()
		if f.hint.Text != "" {
			f.hint.Show()
		}
	}
}

// setHint shows a note under the field while it has no problem.
func (f *field) setHint(s string) {
	f.hint.SetText(s)
	if s != "" && !f.shown {
		f.hint.Show()
	} else {
		f.hint.Hide()
	}
}

func (f *field) setVisible(v bool) {
	if v {
		f.label.Show()
		f.cell.Show()
	} else {
		f.label.Hide()
		f.cell.Hide()
	}
}

func (f *field) visible() bool { return f.cell.Visible() }

// focusable is what to focus when the field has the first problem.
func (f *field) focusable() fyne.Focusable {
	if f.entry != nil {
		return f.entry
	}
	if fo, ok := f.input.(fyne.Focusable); ok {
		return fo
	}
	return nil
}

// entry is a widget.Entry that says when the person leaves it.
type entry struct {
	widget.Entry
	onFocusLost func()
}

func newEntry(placeholder string) *entry {
	e := &entry{}
	e.PlaceHolder = placeholder
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

func newPasswordEntry(placeholder string) *entry {
	e := newEntry(placeholder)
	e.Password = true
	e.ActionItem = nil
	return e
}

// FocusLost is part of fyne.Focusable.
func (e *entry) FocusLost() {
	e.Entry.FocusLost()
	if e.onFocusLost != nil {
		e.onFocusLost()
	}
}
