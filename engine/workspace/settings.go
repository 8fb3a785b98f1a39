package workspace

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
)

// SettingsFile is the file at the top of a workspace folder that holds the settings of the workspace as a
// whole, which a team lead can ship with a shared folder:
//
//	mode: run         queries open to run rather than in the editor, for everyone who has not chosen
//	editing: locked   the window hides editing until a person chooses Unlock editing
//	network:          the default network settings of every resource, written as a resource's are:
//	  proxy: url        system (the default), none or url
//	  proxy_url: http://proxy.corp.example:3128
//	  no_proxy: [localhost, .corp.example, 10.0.0.0/8]
//	  ca_cert: certs/corp-root.pem   (relative to the workspace folder)
//	variables:        the workspace's {{variables}}, the last place a value is looked for
//	  - {name: region, value: eu}
//
// Mode and editing are advice to the window, not permissions: the files stay as writable as the folder is. A
// resource's own network settings win over the default (resource.Network.Or). The file may be left out, and so
// may each of its lines.
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
	// Network is the default network settings of the workspace's resources (see Workspace.Network). A proxy
	// here has no username and password: a proxy that wants them is set on the resource.
	Network resource.Network
	// Variables are the workspace's globals: the last place a {{variable}} is looked for (package environment).
	Variables kv.List
}

// Equal reports whether s and o are the same settings.
func (s Settings) Equal(o Settings) bool {
	return s.Mode == o.Mode && s.EditingLocked == o.EditingLocked && reflect.DeepEqual(s.Network, o.Network) && slices.Equal(s.Variables, o.Variables)
}

var settingsKeys = []string{"version", "mode", "editing", "network", "variables"}

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
	if f["network"] != nil {
		s.Network = d.network(f["network"])
		for _, e := range s.Network.Validate("network.") {
			d.errs = append(d.errs, lineError{lineFor(d.lines, e.Field), e.Msg})
		}
	}
	s.Variables = d.rows(f["variables"], "variables")
	for _, e := range append(resource.ValidateVariableRows("variables", s.Variables), literalSecrets([]rowSet{{"variables", s.Variables}})...) {
		d.errs = append(d.errs, lineError{lineFor(d.lines, e.Field), e.Msg})
	}
	if len(d.errs) > 0 {
		return Settings{}, d.errs
	}
	return s, nil
}

// Network returns the network settings r's requests use: its own, with what it leaves unset taken from the
// workspace's default (Settings().Network), and its files' paths made absolute: a relative path is relative to
// the workspace folder, and ~/ is the home folder. The runner takes it as its Network.
func (w *Workspace) Network(r *resource.Resource) resource.Network {
	n := r.Network.Or(w.Settings().Network)
	n.CACert, n.ClientCert, n.ClientKey = w.Path(n.CACert), w.Path(n.ClientCert), w.Path(n.ClientKey)
	return n
}

// Path returns the absolute path of a file named in a workspace file: a relative path is relative to the
// workspace folder, ~/ is the home folder. "" stays "".
func (w *Workspace) Path(p string) string {
	switch {
	case p == "":
		return ""
	case p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`):
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, filepath.FromSlash(p[1:]))
		}
	case !filepath.IsAbs(p):
		return w.abs(p)
	}
	return filepath.Clean(p)
}

// StoredPath returns the path to write in a workspace file for a file at p (absolute, or relative to the working
// directory): relative to the workspace folder, with forward slashes, when the file is inside it, so a team can
// keep certificates and sample files in the folder; otherwise absolute.
func (w *Workspace) StoredPath(p string) string {
	if p == "" {
		return ""
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	dir := w.dir
	if d, err := filepath.Abs(dir); err == nil {
		dir = d
	}
	if rel, err := filepath.Rel(dir, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(rel)
	}
	return abs
}
