package queryeditor

import (
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/ui/filechooser"
)

// fileBody is the File body's inputs: the file's path, typed or chosen, and the content type it is sent with
// (guessed from its name unless given), with a line that says how large the file is, or that it is missing.
type fileBody struct {
	e      *Editor
	path   *widget.Entry
	choose *widget.Button
	ctype  *widget.Entry
	note   *widget.Label
	box    *fyne.Container
}

func newFileBody(e *Editor) *fileBody {
	b := &fileBody{e: e}
	b.path = &widget.Entry{PlaceHolder: "Choose the file to send…", Wrapping: fyne.TextWrap(fyne.TextTruncateClip)}
	b.path.OnChanged = func(string) { e.setSendProblem(""); b.refresh(); e.edited() }
	b.choose = &widget.Button{Text: "Choose file…", Icon: theme.FolderOpenIcon(), OnTapped: b.onChoose}
	b.ctype = &widget.Entry{Wrapping: fyne.TextWrap(fyne.TextTruncateClip), OnChanged: func(string) { e.edited() }}
	b.note = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("File"), container.NewBorder(nil, nil, nil, b.choose, b.path),
		widget.NewLabel("Content type"), b.ctype,
	)
	hint := &widget.Label{Text: "The file is read from disk as the request is sent, never saved in the query: the query keeps its path.",
		Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	b.box = container.NewVBox(form, b.note, hint)
	b.refresh()
	return b
}

func (b *fileBody) onChoose() {
	b.e.chooseFile("Choose the file to send", strings.TrimSpace(b.path.Text), func(p string) {
		b.path.SetText(filechooser.Rel(b.e.workspaceDir(), p))
	})
}

// file is the path as the query keeps it: relative to the workspace folder when the file is inside it.
func (b *fileBody) file() string {
	return filechooser.Rel(b.e.workspaceDir(), strings.TrimSpace(b.path.Text))
}

// refresh shows the type the file is sent with unless another is given, and how large it is or that it is
// missing.
func (b *fileBody) refresh() {
	path := strings.TrimSpace(b.path.Text)
	b.ctype.SetPlaceHolder(guessType(path) + " (guessed from the name)")
	switch {
	case path == "":
		b.setNote("", widget.MediumImportance)
	case missingFile(b.e.workspaceDir(), path) != "":
		b.setNote(missingFile(b.e.workspaceDir(), path), widget.WarningImportance)
	default:
		if st, err := os.Stat(filechooser.Abs(b.e.workspaceDir(), path)); err == nil {
			b.setNote(fmt.Sprintf("%s, sent as it is on disk when the request goes.", runner.FormatSize(st.Size())), widget.MediumImportance)
		}
	}
}

func (b *fileBody) setNote(s string, imp widget.Importance) {
	b.note.Importance = imp
	b.note.SetText(s)
	if s == "" {
		b.note.Hide()
	} else {
		b.note.Show()
	}
	if b.box != nil {
		b.box.Refresh() // lays the note out in its place
	}
}

// problems are what the editor itself finds wrong with a File body: no file chosen.
func (b *fileBody) problems() resource.Errors {
	if strings.TrimSpace(b.path.Text) == "" {
		return resource.Errors{{Field: "body.file", Msg: "Choose the file to send as the body"}}
	}
	return nil
}

// showProblem shows the message about the file under it ("" shows what refresh says).
func (b *fileBody) showProblem(msg string) {
	if msg == "" {
		b.refresh()
		return
	}
	b.setNote(msg, widget.DangerImportance)
}

// bodyProblems are what the editor itself finds wrong with the body chosen, before the engine's checks.
func (e *Editor) bodyProblems() resource.Errors {
	switch e.bodyKind.Selected {
	case bodyMultipart:
		return e.parts.problems()
	case bodyFile:
		return e.fileBody.problems()
	}
	return nil
}

// showBodyProblems shows each problem with a multipart or file body where it is, on the Body tab, and reports
// whether there was one; the first is focused.
func (e *Editor) showBodyProblems(es resource.Errors) bool {
	var first fyne.Focusable
	switch e.bodyKind.Selected {
	case bodyMultipart:
		first = e.parts.showProblems(es)
	case bodyFile:
		msg := es.For("body.file")
		e.fileBody.showProblem(msg)
		if msg != "" {
			first = e.fileBody.path
		}
	}
	if first == nil {
		return false
	}
	e.tabs.Select(e.bodyTab)
	e.win.Canvas().Focus(first)
	return true
}

// workspaceDir is the workspace's folder, which the paths of the files a query sends are relative to.
func (e *Editor) workspaceDir() string {
	if e.deps.Workspace == nil {
		return ""
	}
	return e.deps.Workspace.Dir()
}
