// Package filechooser asks the person for a file from disk (a body to send, a multipart form's file, a
// certificate) with the file dialog, and writes its path as a workspace file keeps it: relative to the
// workspace folder, with forward slashes, when the file is inside it (so a team can keep sample files and
// certificates in git with the workspace), absolute otherwise.
package filechooser

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"apidesk/engine/workspace"
)

// Show opens the file dialog on win titled title, in the folder of current (a path as Rel writes it) when
// that folder exists, else in the workspace folder dir, and calls done with the absolute path of the file
// chosen (Rel writes it as a workspace keeps it). done is not called when the person cancels.
func Show(win fyne.Window, title, dir, current string, done func(path string)) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		p := rc.URI().Path()
		_ = rc.Close() // only its path is wanted: the file is read when the request is sent
		done(p)
	}, win)
	d.SetTitleText(title)
	starts := []string{dir}
	if current != "" {
		starts = append([]string{filepath.Dir(Abs(dir, current))}, starts...)
	}
	for _, start := range starts {
		if st, err := os.Stat(start); err != nil || !st.IsDir() {
			continue
		}
		if l, err := storage.ListerForURI(storage.NewFileURI(start)); err == nil {
			d.SetLocation(l)
			break
		}
	}
	d.Resize(dialogSize(win.Canvas().Size()))
	d.Show()
}

// dialogSize is the file dialog's size in a window of the given size: most of the window, up to 1000×700, so
// so that more than a handful of files show at once (Fyne's own size shows about eight). Fyne keeps the
// dialog at least at its minimum size.
func dialogSize(win fyne.Size) fyne.Size {
	return fyne.NewSize(min(win.Width*0.9, 1000), min(win.Height*0.85, 700))
}

// Rel is the path p as a workspace in the folder dir keeps it (workspace.RelPath): relative to dir with forward
// slashes when p is inside it. A relative p is kept as it is: it is already the workspace's.
func Rel(dir, p string) string {
	if dir == "" || p == "" || !filepath.IsAbs(filepath.FromSlash(p)) {
		return p
	}
	return workspace.RelPath(dir, p)
}

// Abs is the path p, as a workspace in the folder dir keeps it, as an absolute path of this system ("" stays "").
func Abs(dir, p string) string { return workspace.AbsPath(dir, p) }
