package workspace

import (
	"strings"
	"testing"
)

// TestSettings: the workspace's settings file is read with the other files' rules and words; a file that cannot
// be read is one problem, at its line, and none of its settings is used; the rest of the workspace still loads.
func TestSettings(t *testing.T) {
	tests := []struct {
		name    string
		content string // "" writes no file
		want    Settings
		line    int
		problem []string // what the problem says; none for no problem
	}{
		{name: "missing"},
		{name: "empty", content: "\n# nothing yet\n"},
		{name: "run", content: "mode: run\n", want: Settings{Mode: ModeRun}},
		{name: "run and locked", content: "version: 1\nmode: run\nediting: locked\n", want: Settings{Mode: ModeRun, EditingLocked: true}},
		{name: "edit and unlocked", content: "mode: edit\nediting: unlocked\n", want: Settings{Mode: ModeEdit}},
		{name: "unknown field", content: "mode: run\nediting: locked\nlocked: true\neditng: locked\n", line: 3,
			problem: []string{`unknown field "locked"`, "the fields here are version, mode, editing", `unknown field "editng"`, `did you mean "editing"?`, "uses none of this file's settings"}},
		{name: "bad mode", content: "editing: locked\nmode: support\n", line: 2,
			problem: []string{"mode must be run", `not "support"`}},
		{name: "bad editing", content: "editing: yes\n", line: 1, problem: []string{"editing must be locked"}},
		{name: "twice", content: "mode: run\nmode: edit\n", line: 2, problem: []string{`"mode" is given twice`}},
		{name: "not YAML", content: "mode: [run\n", line: 1, problem: []string{"not valid YAML"}},
		{name: "a list", content: "- mode: run\n", line: 1, problem: []string{"list of fields"}},
		{name: "newer", content: "version: 9\nmode: run\nfuture: yes\n", line: 1, problem: []string{"newer apidesk"}},
		{name: "secret", content: "mode: run\npassword: hunter2\n", line: 2, problem: []string{"does not belong in a workspace file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := saveSample(t, t.TempDir())
			if tt.content != "" {
				writeRaw(t, w.Dir(), SettingsFile, tt.content)
			}
			problems, err := w.Load(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if got := w.Settings(); !got.Equal(tt.want) {
				t.Errorf("settings %+v, want %+v", got, tt.want)
			}
			if len(w.Queries()) != len(sampleQueries()) {
				t.Errorf("%d queries loaded, want %d", len(w.Queries()), len(sampleQueries()))
			}
			if len(tt.problem) == 0 {
				if len(problems) != 0 {
					t.Errorf("problems %v", problems)
				}
				return
			}
			if len(problems) != 1 {
				t.Fatalf("problems %v, want one", problems)
			}
			p := problems[0]
			if p.File != SettingsFile || p.Line != tt.line || !p.Skipped {
				t.Errorf("problem at %s line %d (skipped %v), want %s line %d", p.File, p.Line, p.Skipped, SettingsFile, tt.line)
			}
			for _, s := range tt.problem {
				if !strings.Contains(p.Msg, s) {
					t.Errorf("problem %q does not say %q", p.Msg, s)
				}
			}
			if strings.Contains(p.Msg, "hunter2") {
				t.Errorf("the problem repeats the secret: %q", p.Msg)
			}
		})
	}
}

// TestWatchSettings: a window watching its workspace hears when someone ships, changes or removes the settings
// file, and Settings answers the new version.
func TestWatchSettings(t *testing.T) {
	_, window := twoWriters(t)
	changes, err := window.Watch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	writeRaw(t, window.Dir(), SettingsFile, "mode: run\nediting: locked\n")
	if c := next(t, changes); !c.Settings || len(c.Resources)+len(c.Queries) != 0 {
		t.Fatalf("heard %+v, want the settings alone", c)
	}
	if got := window.Settings(); !got.Equal(Settings{Mode: ModeRun, EditingLocked: true}) {
		t.Errorf("settings %+v after the change", got)
	}
	writeRaw(t, window.Dir(), SettingsFile, "mode: run\n")
	if c := next(t, changes); !c.Settings || window.Settings().EditingLocked {
		t.Fatalf("heard %+v, settings %+v: want editing unlocked", c, window.Settings())
	}
}
