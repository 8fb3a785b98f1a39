package queryeditor

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/curl"
	"apidesk/engine/resource"
	"apidesk/ui/problem"
)

// SaveAs asks for a name and saves the query as the editor holds it as a new query under that name; then,
// which may be nil, runs after a successful save. A query that has a name already is offered as "Name copy",
// selected, so that typing replaces it.
func (e *Editor) SaveAs(then func()) {
	title, initial := "Save query as", ""
	if e.q.Name == "" {
		title = "Save query"
	} else {
		initial = e.q.Name + " copy"
	}
	askName(e.win, title, "Save", initial, "Names are unique across the workspace.", e.checkNewName, func(name string) {
		q := e.collect()
		q.ID = ""
		q.Name = name
		e.save(q, then)
	})
}

// checkNewName says why s cannot be the name of a new query, or nil.
func (e *Editor) checkNewName(s string) error {
	if err := resource.ValidateName(s); err != nil {
		return err
	}
	other, err := e.deps.Workspace.QueryByName(strings.TrimSpace(s))
	if err != nil || other == nil {
		return nil
	}
	where := "this workspace"
	if res, err := e.deps.Workspace.ResourceByID(other.ResourceID); err == nil {
		where = res.Name
	}
	return fmt.Errorf("A query named %q already exists in %s: choose another name", other.Name, where)
}

// askName is a one-field dialog: it asks for a name, says under it why a name cannot be used (check) and
// calls done with the name, trimmed. Enter confirms, Escape cancels. The initial text is selected, so typing
// replaces it.
func askName(win fyne.Window, title, confirm, initial, hint string, check func(string) error, done func(string)) {
	var d *dialog.CustomDialog
	name := newKeyEntry(func() bool { d.Hide(); return true })
	name.PlaceHolder = "e.g. List users"
	problemText := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	problemText.Hide()
	ok := &widget.Button{Text: confirm, Icon: theme.ConfirmIcon(), Importance: widget.HighImportance}
	cancel := &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: func() { d.Hide() }}
	refresh := func(s string) error {
		err := check(s)
		switch {
		case err == nil:
			ok.Enable()
			problemText.Hide()
		case strings.TrimSpace(s) == "": // nothing typed yet: nothing to explain
			ok.Disable()
			problemText.Hide()
		default:
			ok.Disable()
			problemText.SetText(err.Error())
			problemText.Show()
		}
		return err
	}
	submit := func() {
		if refresh(name.Text) != nil {
			return
		}
		d.Hide()
		done(strings.TrimSpace(name.Text))
	}
	ok.OnTapped = submit
	name.OnSubmitted = func(string) { submit() }
	name.OnChanged = func(s string) { refresh(s) }
	name.SetText(initial)
	refresh(initial)
	content := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Name"), nil, name),
		problemText,
		&widget.Label{Text: hint, Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText})
	d = dialog.NewCustomWithoutButtons(title, content, win)
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(440, 0))
	d.Show()
	win.Canvas().Focus(name)
	name.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// keyEntry is an Entry for which Escape does something: onEscape reports whether it did, else the Entry
// has the key.
type keyEntry struct {
	widget.Entry
	onEscape func() bool
}

func newKeyEntry(onEscape func() bool) *keyEntry {
	e := &keyEntry{onEscape: onEscape}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey is part of fyne.Focusable.
func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil && e.onEscape() {
		return
	}
	e.Entry.TypedKey(ev)
}

// ShowImportDialog asks for a curl command (as a browser's "Copy as cURL" gives it) and the resource it is
// on, and hands the imported query to onImport. A command that cannot be imported is explained in the dialog
// and stays there to be fixed.
func ShowImportDialog(win fyne.Window, resources []*resource.Resource, selectedID string, onImport func(*curl.Imported, *resource.Resource)) {
	if len(resources) == 0 {
		dialog.ShowInformation("Import cURL", "Add a resource first: a curl command is imported as a query on the resource its URL belongs to.", win)
		return
	}
	var names []string
	selected := resources[0]
	for _, r := range resources {
		names = append(names, r.Name)
		if r.ID == selectedID {
			selected = r
		}
	}
	pick := &widget.Select{Options: names, Selected: selected.Name}
	var d *dialog.CustomDialog
	text := newKeyEntry(func() bool { d.Hide(); return true })
	text.MultiLine, text.Wrapping, text.TextStyle = true, fyne.TextWrapBreak, fyne.TextStyle{Monospace: true}
	text.PlaceHolder = "curl 'https://api.example.com/users?page=2' -H 'Accept: application/json'"
	text.SetMinRowsVisible(8)
	banner := problem.NewBanner()
	help := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance,
		Text: "Paste a curl command, for example from your browser's developer tools (Copy as cURL). Passwords, tokens and keys in it are never saved in the query."}
	importBtn := &widget.Button{Text: "Import", Importance: widget.HighImportance, OnTapped: func() {
		var res *resource.Resource
		for _, r := range resources {
			if r.Name == pick.Selected {
				res = r
			}
		}
		if strings.TrimSpace(text.Text) == "" {
			banner.SetError(errors.New("paste a curl command first"))
			return
		}
		im, err := curl.Import(text.Text, res)
		if err != nil {
			banner.SetError(err)
			return
		}
		d.Hide()
		onImport(im, res)
	}}
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() { d.Hide() }}
	content := container.NewBorder(container.NewVBox(help, container.NewBorder(nil, nil, widget.NewLabel("Resource"), nil, pick)),
		banner, nil, nil, text)
	d = dialog.NewCustomWithoutButtons("Import cURL", content, win)
	d.SetButtons([]fyne.CanvasObject{cancel, importBtn})
	d.Resize(fyne.NewSize(720, 460))
	d.Show()
	win.Canvas().Focus(text)
}
