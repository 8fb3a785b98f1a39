package queryeditor

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// pathEntry is the path after the base URL. A whole URL pasted into it that starts with the base URL keeps
// only the part after it; the path is checked as the person leaves it.
type pathEntry struct {
	widget.Entry
	e *Editor
}

func newPathEntry(e *Editor) *pathEntry {
	p := &pathEntry{e: e}
	p.PlaceHolder = "/customers/{{id}} — put a name in double braces for a value you fill in each time"
	p.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	p.OnChanged = p.onChanged
	p.OnSubmitted = func(string) { e.Send() }
	p.ExtendBaseWidget(p)
	return p
}

func (p *pathEntry) onChanged(s string) {
	base := strings.TrimRight(p.e.res.BaseURL, "/")
	if base != "" && len(s) > len(base) && strings.EqualFold(s[:len(base)], base) {
		p.SetText(s[len(base):]) // calls onChanged again with the path alone
		return
	}
	if p.e.pathProblem.Visible() {
		p.e.checkPath()
	}
	p.e.edited()
}

// TypedKey is part of fyne.Focusable: Escape cancels the request on its way.
func (p *pathEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && p.e.escape() {
		return
	}
	p.Entry.TypedKey(ev)
}

// FocusLost is part of fyne.Focusable.
func (p *pathEntry) FocusLost() {
	p.Entry.FocusLost()
	p.e.checkPath()
}
