package workspace

import (
	"bytes"
	"errors"
	"io/fs"
	"os"

	"go.yaml.in/yaml/v3"
)

// SettingsFile is the file at the top of a workspace folder that holds the settings of the workspace as a
// whole, which a team lead can ship with a shared folder:
//
//	mode: run         queries open to run rather than in the editor, for everyone who has not chosen
//	editing: locked   the window hides editing until a person chooses Unlock editing
//
// Both are advice to the window, not permissions: the files stay as writable as the folder is. The file may
// be left out, and so may each of its lines.
const SettingsFile = "apidesk.yaml"

// Mode is how the window opens a saved query picked in its list.
type Mode string

// The modes. ModeUnset leaves it to each person (the editor, unless they chose Run).
const (
	ModeUnset Mode = ""
	ModeEdit  Mode = "edit"
	ModeRun   Mode = "run"
)

// Settings are the workspace's own settings (SettingsFile). The zero value is a workspace without the file.
type Settings struct {
	// Mode is how queries open for a person who has not chosen for themselves.
	Mode Mode
	// EditingLocked hides the window's editing (resource form, query editor, New, Delete, Rename, Move, Import
	// cURL) until the person unlocks it for the session. Advisory: anyone can still change the files.
	EditingLocked bool
}

var settingsKeys = []string{"version", "mode", "editing"}

// Settings returns the settings the workspace last read from SettingsFile (the zero Settings when it is
// missing or cannot be read, in which case Load says why).
func (w *Workspace) Settings() Settings {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.settings
}

// loadSettings reads SettingsFile. A missing or empty file is no settings and no problem; a file that cannot
// be read is a problem, and its settings are not used (all of them: half a file's advice could mislead).
func (w *Workspace) loadSettings() (Settings, *Problem) {
	if _, err := os.Stat(w.abs(SettingsFile)); errors.Is(err, fs.ErrNotExist) {
		return Settings{}, nil
	}
	data, lerr := w.read(SettingsFile)
	if lerr != nil {
		return Settings{}, &Problem{File: SettingsFile, Msg: lerr.msg, Skipped: true}
	}
	s, errs := decodeSettings(data)
	if len(errs) > 0 {
		p := &Problem{File: SettingsFile, Line: errs[0].line, Msg: errs[0].msg, Skipped: true}
		for _, e := range errs[1:] {
			p.Msg += "; " + e.msg
		}
		p.Msg += " (until it is fixed, apidesk uses none of this file's settings)"
		return Settings{}, p
	}
	return s, nil
}

// decodeSettings reads a settings file with the same rules and words as the other files: every field known,
// each at most once, each value one of those listed. Unlike an item file, its version line may be left out:
// a person writes this one by hand.
func decodeSettings(data []byte) (s Settings, errs []lineError) {
	defer func() { clamp(data, errs) }()
	var doc yaml.Node
	if len(bytes.TrimSpace(data)) == 0 || yaml.Unmarshal(data, &doc) == nil && len(doc.Content) == 0 {
		return Settings{}, nil // nothing, or comments only
	}
	root, perr := parse(data)
	if perr != nil {
		return Settings{}, []lineError{*perr}
	}
	d := newDecoder()
	for i := 0; i < len(root.Content); i += 2 {
		if root.Content[i].Value == "version" && !d.version(root) {
			return Settings{}, d.errs // a newer apidesk's file says so, rather than list what this one does not know
		}
	}
	f := d.fields(root, "", "the workspace settings file", settingsKeys)
	switch m := d.text(f["mode"], "mode"); m {
	case "", string(ModeEdit), string(ModeRun):
		s.Mode = Mode(m)
	default:
		d.failf(f["mode"], "mode must be run (queries open to run) or edit (queries open in the editor), not %q", m)
	}
	switch e := d.text(f["editing"], "editing"); e {
	case "", "unlocked":
	case "locked":
		s.EditingLocked = true
	default:
		d.failf(f["editing"], "editing must be locked (editing is hidden until a person unlocks it) or unlocked, not %q", e)
	}
	if len(d.errs) > 0 {
		return Settings{}, d.errs
	}
	return s, nil
}
