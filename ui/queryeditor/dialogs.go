package queryeditor

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/curl"
	"apidesk/engine/resource"
	"apidesk/ui/problem"
)

// SaveAs asks for a name and saves the query as the editor holds it as a new query under that name; then,
// which may be nil, runs after a successful save.
func (e *Editor) SaveAs(then func()) {
	name := &widget.Entry{PlaceHolder: "e.g. List users"}
	if e.q.Name != "" {
		name.SetText(e.q.Name + " copy")
	}
	name.Validator = func(s string) error {
		if err := resource.ValidateName(s); err != nil {
			return err
		}
		if other, err := e.deps.Workspace.QueryByName(strings.TrimSpace(s)); err == nil && other != nil {
			return fmt.Errorf("A query named %q already exists: choose another name", other.Name)
		}
		return nil
	}
	title := "Save query as"
	if e.q.ID == "" {
		title = "Save query"
	}
	item := &widget.FormItem{Text: "Name", Widget: name, HintText: "Names are unique across the workspace."}
	d := dialog.NewForm(title, "Save", "Cancel", []*widget.FormItem{item}, func(ok bool) {
		if !ok {
			return
		}
		q := e.collect()
		q.ID = ""
		q.Name = strings.TrimSpace(name.Text)
		e.save(q, then)
	}, e.win)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
	e.win.Canvas().Focus(name)
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
	text := &widget.Entry{MultiLine: true, Wrapping: fyne.TextWrapBreak, TextStyle: fyne.TextStyle{Monospace: true},
		PlaceHolder: "curl 'https://api.example.com/users?page=2' -H 'Accept: application/json'"}
	text.SetMinRowsVisible(8)
	banner := problem.NewBanner()
	help := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance,
		Text: "Paste a curl command, for example from your browser's developer tools (Copy as cURL). Passwords, tokens and keys in it are never saved in the query."}
	var d *dialog.CustomDialog
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
