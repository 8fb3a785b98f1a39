// Package kvtable is the key-value table widget that headers, URL params, cookies and form bodies are edited
// in: one row per pair with an enabled check, a key, a value and a remove button, and an empty last row that
// becomes a new row when typed into.
package kvtable

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/kv"
)

var _ fyne.Widget = (*KeyValueTable)(nil)

// KeyValueTable edits a kv.List. Set its fields before it is shown; change rows with SetRows.
type KeyValueTable struct {
	widget.BaseWidget

	// KeyPlaceholder and ValuePlaceholder are shown in empty entries ("Key" and "Value" when empty).
	KeyPlaceholder, ValuePlaceholder string
	// OnChanged is called with the rows after every edit by the user (not after SetRows).
	OnChanged func(kv.List)
	// Validator checks a row as the user leaves one of its entries (and again as they type while it shows a
	// problem). Its messages are shown under the key and the value; nil means both are fine.
	Validator func(kv.Pair) (keyErr, valueErr error)
	// IsSecret says whether a row's value is a secret, shown as a password entry with a reveal button.
	IsSecret func(kv.Pair) bool

	rows []*row // the last one is the empty row that adds a new one
	box  *fyne.Container
}

// New returns a table showing rows, ready for its callbacks to be set.
func New(rows kv.List) *KeyValueTable {
	t := &KeyValueTable{}
	t.ExtendBaseWidget(t)
	t.SetRows(rows)
	return t
}

// CreateRenderer is part of fyne.Widget.
func (t *KeyValueTable) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	if t.box == nil {
		t.SetRows(nil)
	}
	return widget.NewSimpleRenderer(t.box)
}

// SetRows replaces the rows, and clears any problem shown. It does not call OnChanged.
func (t *KeyValueTable) SetRows(rows kv.List) {
	t.ExtendBaseWidget(t)
	if t.box == nil {
		t.box = container.NewVBox()
	}
	t.rows = t.rows[:0]
	t.box.Objects = nil
	for _, p := range rows {
		t.addRow(p, false)
	}
	t.addRow(kv.Pair{}, true)
	t.box.Refresh()
}

// Rows returns the rows that hold something (a key or a value), in order, enabled or not.
func (t *KeyValueTable) Rows() kv.List {
	var out kv.List
	for _, r := range t.rows {
		if p := r.pair(); !r.empty && (p.Key != "" || p.Value != "") {
			out = append(out, p)
		}
	}
	return out
}

// Validate checks every row with Validator, shows each problem under its entry, focuses the first entry with
// a problem (when the table is on a canvas) and returns that problem, or nil when every row is fine.
func (t *KeyValueTable) Validate() error {
	var first error
	var focus *entry
	for _, r := range t.rows {
		if r.empty {
			continue
		}
		keyErr, valErr := r.validate()
		switch {
		case first != nil:
		case keyErr != nil:
			first, focus = keyErr, r.key
		case valErr != nil:
			first, focus = valErr, r.value
		}
	}
	if focus != nil {
		if c := fyne.CurrentApp().Driver().CanvasForObject(focus); c != nil {
			c.Focus(focus)
		}
	}
	return first
}

func (t *KeyValueTable) addRow(p kv.Pair, empty bool) {
	r := &row{table: t, empty: empty}
	r.enabled = &widget.Check{Checked: p.Enabled, OnChanged: func(bool) { r.onEdited() }}
	r.key = newEntry(t.placeholder(t.KeyPlaceholder, "Key"), false)
	r.key.SetText(p.Key)
	r.key.OnChanged = func(string) { r.onKeyChanged() }
	r.key.onFocusLost = r.onLeft
	r.key.onJoined = func() { r.keyNote = joinedNote; r.validate() }
	r.value = r.newValueEntry(p.Value, t.isSecret(p))
	r.remove = &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: r.onRemove}
	r.keyErr = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	r.valErr = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	r.values = container.NewGridWithColumns(2, r.key, r.value)
	// the remove button keeps its place when hidden, so the entries of every row line up; the problems line
	// up under the entries
	keep := spacer(r.remove.MinSize())
	r.problems = container.NewBorder(nil, nil, spacer(r.enabled.MinSize()), spacer(r.remove.MinSize()),
		container.NewGridWithColumns(2, r.keyErr, r.valErr))
	r.problems.Hide()
	r.box = container.NewVBox(container.NewBorder(nil, nil, r.enabled, container.NewStack(keep, r.remove), r.values), r.problems)
	r.refreshEmpty()
	t.rows = append(t.rows, r)
	t.box.Add(r.box)
}

// spacer is an empty object of size.
func spacer(size fyne.Size) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(size)
	return r
}

func (t *KeyValueTable) placeholder(set, fallback string) string {
	if set != "" {
		return set
	}
	return fallback
}

func (t *KeyValueTable) isSecret(p kv.Pair) bool { return t.IsSecret != nil && t.IsSecret(p) }

func (t *KeyValueTable) changed() {
	if t.OnChanged != nil {
		t.OnChanged(t.Rows())
	}
}

func (t *KeyValueTable) removeRow(r *row) {
	for i, x := range t.rows {
		if x == r {
			t.rows = append(t.rows[:i], t.rows[i+1:]...)
			break
		}
	}
	t.box.Remove(r.box)
	t.changed()
}

// row is one pair's widgets.
type row struct {
	table  *KeyValueTable
	empty  bool // the last row, which becomes a real row when typed into
	secret bool
	shown  bool // a problem is shown: check again as the user types
	// keyNote and valNote say what was done to a value pasted into the key or the value (its line breaks
	// were joined), until it is edited again; a problem is shown instead of them
	keyNote, valNote string
	enabled          *widget.Check
	key              *entry
	value            *entry
	remove           *widget.Button
	keyErr           *widget.Label
	valErr           *widget.Label
	problems         *fyne.Container
	values           *fyne.Container
	box              *fyne.Container
}

func (r *row) pair() kv.Pair {
	return kv.Pair{Key: r.key.Text, Value: r.value.Text, Enabled: r.enabled.Checked}
}

func (r *row) newValueEntry(text string, secret bool) *entry {
	e := newEntry(r.table.placeholder(r.table.ValuePlaceholder, "Value"), secret)
	e.SetText(text)
	e.CursorColumn = len([]rune(text))
	e.OnChanged = func(string) { r.onValueChanged() }
	e.onFocusLost = r.onLeft
	e.onJoined = func() { r.valNote = joinedNote; r.validate() }
	r.secret = secret
	return e
}

// onKeyChanged turns the value into a password entry (or back) when the key makes it a secret.
func (r *row) onKeyChanged() {
	r.keyNote = ""
	if secret := r.table.isSecret(r.pair()); secret != r.secret {
		r.value = r.newValueEntry(r.value.Text, secret)
		r.values.Objects[1] = r.value
		r.values.Refresh()
	}
	r.onEdited()
}

func (r *row) onValueChanged() {
	r.valNote = ""
	r.onEdited()
}

func (r *row) onEdited() {
	if r.empty && (r.key.Text != "" || r.value.Text != "") {
		r.empty = false
		r.enabled.Checked = true // not SetChecked: that would report this edit twice
		r.enabled.Refresh()
		r.refreshEmpty()
		r.table.addRow(kv.Pair{}, true)
		r.table.box.Refresh()
	}
	if r.shown {
		r.validate()
	}
	r.table.changed()
}

// onLeft checks the row as the user leaves one of its entries.
func (r *row) onLeft() {
	if !r.empty {
		r.validate()
	}
}

func (r *row) onRemove() { r.table.removeRow(r) }

// validate shows the row's problems and returns them.
func (r *row) validate() (keyErr, valErr error) {
	if r.table.Validator != nil {
		keyErr, valErr = r.table.Validator(r.pair())
	}
	shown := keyErr != nil || valErr != nil || r.keyNote != "" || r.valNote != ""
	if !shown && !r.shown {
		return nil, nil
	}
	r.shown = shown
	showMessage(r.keyErr, keyErr, r.keyNote)
	showMessage(r.valErr, valErr, r.valNote)
	if shown {
		r.problems.Show()
		// A wrapped label knows its height only once it has its width: give it the row's width, then lay
		// the rows out again with the height that makes.
		r.problems.Resize(fyne.NewSize(r.box.Size().Width, r.problems.MinSize().Height))
		r.keyErr.Refresh()
		r.valErr.Refresh()
	} else {
		r.problems.Hide()
	}
	r.table.box.Refresh()
	return keyErr, valErr
}

// showMessage shows err under an entry, or else the note about it.
func showMessage(l *widget.Label, err error, note string) {
	l.Importance = widget.DangerImportance
	if err != nil {
		l.SetText(err.Error())
		return
	}
	if note != "" {
		l.Importance = widget.WarningImportance
	}
	l.SetText(note)
}

// joinedNote is shown under an entry a text with line breaks was pasted into.
const joinedNote = "What you pasted had line breaks: it was joined into one line, with spaces. Check that it is still right."

// refreshEmpty shows the empty last row without a check or a remove button to use.
func (r *row) refreshEmpty() {
	if r.empty {
		r.enabled.Disable()
		r.remove.Hide()
		return
	}
	r.enabled.Enable()
	r.remove.Show()
}

// entry is a widget.Entry that says when it loses focus, so its row is checked as the user leaves it, and
// when a text pasted into it had line breaks, which it joins (a key or value is one line: a header with a
// line break in it would smuggle in another).
type entry struct {
	widget.Entry
	onFocusLost func()
	onJoined    func()
}

func newEntry(placeholder string, password bool) *entry {
	e := &entry{}
	e.PlaceHolder = placeholder
	e.Password = password
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// FocusLost is part of fyne.Focusable.
func (e *entry) FocusLost() {
	e.Entry.FocusLost()
	if e.onFocusLost != nil {
		e.onFocusLost()
	}
}

// TypedShortcut is part of fyne.Shortcutable: a paste with line breaks is pasted as one line, and said so.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	paste, ok := s.(*fyne.ShortcutPaste)
	if !ok || paste.Clipboard == nil || !strings.ContainsAny(paste.Clipboard.Content(), "\r\n") {
		e.Entry.TypedShortcut(s)
		return
	}
	e.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: oneLine{paste.Clipboard}})
	if e.onJoined != nil {
		e.onJoined()
	}
}

// oneLine is a clipboard whose content is read as one line: each line break (CR LF, CR or LF), with the
// spaces around it, becomes one space.
type oneLine struct{ fyne.Clipboard }

func (c oneLine) Content() string {
	lines := strings.FieldsFunc(c.Clipboard.Content(), func(r rune) bool { return r == '\r' || r == '\n' })
	for i, l := range lines {
		if i > 0 {
			l = strings.TrimLeft(l, " \t")
		}
		if i < len(lines)-1 {
			l = strings.TrimRight(l, " \t")
		}
		lines[i] = l
	}
	return strings.Join(lines, " ")
}
