package queryeditor

import (
	"fmt"
	"image/color"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/filechooser"
)

// Labels of a multipart field's kind.
const (
	partText = "Text"
	partFile = "File"
)

// partsTable edits a multipart form's fields, as kvtable edits pairs: one row per field with an enabled check,
// its name, Text or File, its value (a text, {{variables}} allowed) or its file (typed or chosen, with the name
// and content type it is sent with), and a remove button; an empty last row becomes a new field when typed into.
// A row keeps both its text and its file while the person switches it between the two.
type partsTable struct {
	e    *Editor
	rows []*partRow // the last one is the empty row
	box  *fyne.Container
}

type partRow struct {
	t     *partsTable
	empty bool
	// the content type of a text field, which the row does not show but keeps (a query file or an import may
	// set one)
	textType string

	enabled  *widget.Check
	name     *widget.Entry
	kind     *widget.Select
	value    *widget.Entry
	path     *widget.Entry
	choose   *widget.Button
	filename *widget.Entry
	ctype    *widget.Entry
	remove   *widget.Button
	problem  *widget.Label
	probBox  *fyne.Container // the problem, lined up under the name and value; hidden with it
	valueBox *fyne.Container // value, or path with Choose…
	fileBox  *fyne.Container
	fileLine *fyne.Container // filename and content type, for a file
	box      *fyne.Container
}

func newPartsTable(e *Editor) *partsTable {
	t := &partsTable{e: e, box: container.NewVBox()}
	t.setParts(nil)
	return t
}

// setParts shows parts, and clears any problem shown.
func (t *partsTable) setParts(parts []query.Part) {
	t.rows = nil
	t.box.Objects = nil
	for _, p := range parts {
		t.addRow(p, false)
	}
	t.addRow(query.Part{}, true)
	t.box.Refresh()
}

// parts are the fields that hold something, in order, enabled or not: a file field with its path as the
// workspace keeps it, a file field with no file yet as a text field.
func (t *partsTable) parts() []query.Part {
	var out []query.Part
	for _, r := range t.filled() {
		out = append(out, r.part())
	}
	return out
}

// filled are the rows that hold something: the parts' rows, in order.
func (t *partsTable) filled() []*partRow {
	var out []*partRow
	for _, r := range t.rows {
		if !r.empty && !r.blank() {
			out = append(out, r)
		}
	}
	return out
}

// problems are what the editor itself finds wrong with the fields (the engine checks the rest): an enabled
// file field with no file.
func (t *partsTable) problems() resource.Errors {
	var es resource.Errors
	for i, r := range t.filled() {
		if r.enabled.Checked && r.isFile() && strings.TrimSpace(r.path.Text) == "" {
			name := strings.TrimSpace(r.name.Text)
			if name == "" {
				name = fmt.Sprintf("in row %d", i+1)
			}
			es = append(es, resource.FieldError{Field: fmt.Sprintf("body.parts[%d].file", i),
				Msg: fmt.Sprintf("Choose the file to send for the field %s, or switch it to Text", name)})
		}
	}
	return es
}

// showProblems shows each of es about a field under its row, and a missing file's note where there is no
// problem; it returns the first row with a problem's name entry (nil when there is none).
func (t *partsTable) showProblems(es resource.Errors) fyne.Focusable {
	var first fyne.Focusable
	for i, r := range t.filled() {
		prefix := fmt.Sprintf("body.parts[%d]", i)
		var msgs []string
		for _, e := range es {
			if e.Field == prefix || strings.HasPrefix(e.Field, prefix+".") {
				msgs = append(msgs, e.Msg)
			}
		}
		r.setProblem(strings.Join(msgs, "\n"))
		if len(msgs) > 0 && first == nil {
			first = r.name
			if r.isFile() {
				first = r.path
			}
		}
	}
	t.box.Refresh()
	return first
}

func (t *partsTable) addRow(p query.Part, empty bool) {
	r := &partRow{t: t, empty: empty}
	r.enabled = &widget.Check{Checked: p.Enabled, OnChanged: func(bool) { r.onEdited() }}
	r.name = &widget.Entry{PlaceHolder: "Field", Text: p.Name, Wrapping: fyne.TextWrap(fyne.TextTruncateClip)}
	r.name.OnChanged = func(string) { r.onEdited() }
	r.kind = &widget.Select{Options: []string{partText, partFile}, Selected: partText, PlaceHolder: partText} // as wide as its longest choice
	if p.IsFile() {
		r.kind.Selected = partFile
	} else {
		r.textType = p.ContentType
	}
	r.kind.OnChanged = func(string) { r.refresh(); r.onEdited() }
	r.value = &widget.Entry{PlaceHolder: "Value", Text: p.Value, Wrapping: fyne.TextWrap(fyne.TextTruncateClip)}
	r.value.OnChanged = func(string) { r.onEdited() }
	r.path = &widget.Entry{PlaceHolder: "Choose a file…", Text: p.File, Wrapping: fyne.TextWrap(fyne.TextTruncateClip)}
	r.path.OnChanged = func(string) { r.refreshFile(); r.onEdited() }
	r.choose = &widget.Button{Text: "Choose…", Icon: theme.FolderOpenIcon(), Importance: widget.LowImportance, OnTapped: r.onChoose}
	r.filename = &widget.Entry{Text: p.Filename, Wrapping: fyne.TextWrap(fyne.TextTruncateClip)}
	r.filename.OnChanged = func(string) { r.onEdited() }
	r.ctype = &widget.Entry{Wrapping: fyne.TextWrap(fyne.TextTruncateClip)}
	if p.IsFile() {
		r.ctype.Text = p.ContentType
	}
	r.ctype.OnChanged = func(string) { r.onEdited() }
	r.remove = &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: r.onRemove}
	r.problem = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance, SizeName: theme.SizeNameCaptionText}
	r.problem.Hide()

	r.fileBox = container.NewBorder(nil, nil, nil, r.choose, r.path)
	r.valueBox = container.NewStack(r.value, r.fileBox)
	left, right := spacer(r.enabled.MinSize()), spacer(r.remove.MinSize())
	line := container.NewBorder(nil, nil, r.enabled, container.NewStack(spacer(r.remove.MinSize()), r.remove),
		container.New(nameValueLayout{}, r.name, container.NewBorder(nil, nil, r.kind, nil, r.valueBox)))
	// the file's name and type line up under the name and the value
	r.fileLine = container.NewBorder(nil, nil, left, right, container.NewGridWithColumns(2, r.filename, r.ctype))
	r.probBox = container.NewBorder(nil, nil, spacer(r.enabled.MinSize()), spacer(r.remove.MinSize()), r.problem)
	r.probBox.Hide()
	r.box = container.NewVBox(line, r.fileLine, r.probBox)
	r.refresh()
	r.refreshEmpty()
	t.rows = append(t.rows, r)
	t.box.Add(r.box)
}

// nameValueLayout lays out a field's name and its value side by side: the name a third of the width (or its
// minimum), the value the rest, which a file's path and its Choose… button need.
type nameValueLayout struct{}

func (nameValueLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+theme.Padding()+b.Width, max(a.Height, b.Height))
}

func (nameValueLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	name := max(objs[0].MinSize().Width, (size.Width-pad)/3)
	name = min(name, size.Width-pad-objs[1].MinSize().Width)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(name, size.Height))
	objs[1].Move(fyne.NewPos(name+pad, 0))
	objs[1].Resize(fyne.NewSize(size.Width-name-pad, size.Height))
}

// spacer is an empty object of size.
func spacer(size fyne.Size) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(size)
	return r
}

func (r *partRow) isFile() bool { return r.kind.Selected == partFile }

func (r *partRow) blank() bool {
	return r.name.Text == "" && r.value.Text == "" && r.path.Text == ""
}

func (r *partRow) part() query.Part {
	p := query.Part{Name: strings.TrimSpace(r.name.Text), Enabled: r.enabled.Checked}
	if path := strings.TrimSpace(r.path.Text); r.isFile() && path != "" {
		p.File = filechooser.Rel(r.t.e.workspaceDir(), path)
		p.Filename = strings.TrimSpace(r.filename.Text)
		p.ContentType = strings.TrimSpace(r.ctype.Text)
		return p
	}
	p.Value, p.ContentType = r.value.Text, r.textType
	return p
}

// refresh shows the value or the file, as the row's kind is.
func (r *partRow) refresh() {
	if r.isFile() {
		r.value.Hide()
		r.fileBox.Show()
		r.fileLine.Show()
	} else {
		r.fileBox.Hide()
		r.value.Show()
		r.fileLine.Hide()
	}
	r.refreshFile()
}

// refreshFile shows the name and type a file is sent with unless the person gives others, and says when there is
// no file at the path.
func (r *partRow) refreshFile() {
	path := strings.TrimSpace(r.path.Text)
	name := "File name sent"
	if path != "" {
		name = filepath.Base(filepath.FromSlash(path)) + " (file name sent)"
	}
	r.filename.SetPlaceHolder(name)
	r.ctype.SetPlaceHolder(guessType(path) + " (content type)")
	if r.problem.Importance != widget.DangerImportance || !r.problem.Visible() {
		r.setNote(r.fileNote())
	}
}

// fileNote warns of a file field's missing file ("" when there is nothing to say).
func (r *partRow) fileNote() string {
	path := strings.TrimSpace(r.path.Text)
	if !r.isFile() || path == "" {
		return ""
	}
	return missingFile(r.t.e.workspaceDir(), path)
}

// setProblem shows msg under the row ("" shows the note about its file, if any).
func (r *partRow) setProblem(msg string) {
	if msg == "" {
		r.setNote(r.fileNote())
		return
	}
	r.problem.Importance = widget.DangerImportance
	r.problem.SetText(msg)
	r.problem.Show()
	r.probBox.Show()
	r.t.box.Refresh()
}

func (r *partRow) setNote(note string) {
	r.problem.Importance = widget.WarningImportance
	r.problem.SetText(note)
	if note == "" {
		r.problem.Hide()
		r.probBox.Hide()
	} else {
		r.problem.Show()
		r.probBox.Show()
	}
	r.t.box.Refresh() // lays the rows out again with the note's height
}

func (r *partRow) onChoose() {
	r.t.e.chooseFile("Choose the file to send", strings.TrimSpace(r.path.Text), func(p string) {
		r.path.SetText(filechooser.Rel(r.t.e.workspaceDir(), p))
	})
}

func (r *partRow) onEdited() {
	if r.empty && !r.blank() {
		r.empty = false
		r.enabled.Checked = true // not SetChecked: that would report this edit twice
		r.enabled.Refresh()
		r.refreshEmpty()
		r.t.addRow(query.Part{}, true)
		r.t.box.Refresh()
	}
	if r.problem.Visible() && r.problem.Importance == widget.DangerImportance {
		r.setProblem("") // the person is fixing it; Save or Send checks again
	}
	r.t.e.edited()
}

func (r *partRow) onRemove() {
	for i, x := range r.t.rows {
		if x == r {
			r.t.rows = append(r.t.rows[:i], r.t.rows[i+1:]...)
			break
		}
	}
	r.t.box.Remove(r.box)
	r.t.e.edited()
}

// refreshEmpty shows the empty last row without a check or a remove button to use.
func (r *partRow) refreshEmpty() {
	if r.empty {
		r.enabled.Disable()
		r.remove.Hide()
		return
	}
	r.enabled.Enable()
	r.remove.Show()
}

// guessType is the content type a file is sent with when none is given, from its name's extension.
func guessType(path string) string {
	if t := mime.TypeByExtension(filepath.Ext(path)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// missingFile says when there is no file at path (as a query keeps it, relative to the workspace folder dir),
// "" when there is one.
func missingFile(dir, path string) string {
	st, err := os.Stat(filechooser.Abs(dir, path))
	switch {
	case err != nil:
		return fmt.Sprintf("There is no file at %s: choose it again before sending.", path)
	case st.IsDir():
		return fmt.Sprintf("%s is a folder: choose a file in it.", path)
	}
	return ""
}
