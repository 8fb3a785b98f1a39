package environ

import (
	"image/color"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/environment"
	"apidesk/engine/workspace"
	"apidesk/ui/uitest"
)

// twoEnvironments saves Staging and a protected Production in ws.
func twoEnvironments(t *testing.T, ws *workspace.Workspace) (staging, prod *environment.Environment) {
	t.Helper()
	staging = &environment.Environment{Name: "Staging", Variables: []environment.Variable{{Name: "base", Value: "https://staging.example.com"}}}
	prod = &environment.Environment{Name: "Production", Protected: true, Variables: []environment.Variable{{Name: "base", Value: "https://api.example.com"}}}
	for _, e := range []*environment.Environment{staging, prod} {
		if err := ws.SaveEnvironment(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	return staging, prod
}

func TestSwitcherRemembersTheChoicePerWorkspace(t *testing.T) {
	a := test.NewTempApp(t)
	ws := uitest.Workspace(t)
	_, prod := twoEnvironments(t, ws)

	active := New(ws, nil)
	changes := 0
	active.OnChanged(func() { changes++ })
	s := NewSwitcher(active, a.Preferences(), ws.Dir())
	s.SetEnvironments(ws.Environments())
	if got, want := s.Options(), []string{NoEnvironment, "Production", "Staging"}; !slices.Equal(got, want) {
		t.Fatalf("options %v, want %v", got, want)
	}
	if s.Selected() != NoEnvironment || active.Env() != nil || changes != 0 {
		t.Fatalf("first start: %q, %v, %d changes", s.Selected(), active.Env(), changes)
	}

	s.Select("Production")
	if e := active.Env(); e == nil || e.ID != prod.ID || changes != 1 {
		t.Fatalf("after choosing Production: %+v, %d changes", e, changes)
	}

	// A restart: the same preferences, a new switcher over the workspace read again.
	again := New(ws, nil)
	s2 := NewSwitcher(again, a.Preferences(), ws.Dir())
	s2.SetEnvironments(ws.Environments())
	if s2.Selected() != "Production" || again.Env() == nil || again.Env().ID != prod.ID {
		t.Errorf("after a restart: %q %+v", s2.Selected(), again.Env())
	}

	// Another workspace has its own choice.
	other := uitest.Workspace(t)
	twoEnvironments(t, other)
	s3 := NewSwitcher(New(other, nil), a.Preferences(), other.Dir())
	s3.SetEnvironments(other.Environments())
	if s3.Selected() != NoEnvironment {
		t.Errorf("another workspace starts on %q", s3.Selected())
	}
}

func TestSwitcherFallsBackToNoneWhenTheEnvironmentIsGone(t *testing.T) {
	a := test.NewTempApp(t)
	ws := uitest.Workspace(t)
	_, prod := twoEnvironments(t, ws)
	active := New(ws, nil)
	s := NewSwitcher(active, a.Preferences(), ws.Dir())
	s.SetEnvironments(ws.Environments())
	s.Select("Production")

	if err := ws.DeleteEnvironment(t.Context(), prod.ID, nil); err != nil {
		t.Fatal(err)
	}
	s.SetEnvironments(ws.Environments()) // as the window does when the workspace changed
	if s.Selected() != NoEnvironment || active.Env() != nil || s.ProtectedShown() {
		t.Errorf("Production deleted: %q, %+v, protected shown %v", s.Selected(), active.Env(), s.ProtectedShown())
	}
	if got := s.Options(); !slices.Equal(got, []string{NoEnvironment, "Staging"}) {
		t.Errorf("options %v", got)
	}
	// And so after a restart.
	s2 := NewSwitcher(New(ws, nil), a.Preferences(), ws.Dir())
	s2.SetEnvironments(ws.Environments())
	if s2.Selected() != NoEnvironment {
		t.Errorf("after a restart: %q", s2.Selected())
	}
}

func TestSwitcherShowsAProtectedEnvironmentInTheErrorColour(t *testing.T) {
	a := test.NewTempApp(t)
	ws := uitest.Workspace(t)
	twoEnvironments(t, ws)
	s := NewSwitcher(New(ws, nil), a.Preferences(), ws.Dir())
	s.SetEnvironments(ws.Environments())
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(400, 60))

	errColor := theme.Current().Color(theme.ColorNameError, a.Settings().ThemeVariant())
	for _, c := range []struct {
		name      string
		protected bool
	}{{"Production", true}, {"Staging", false}, {"Production", true}, {NoEnvironment, false}} {
		s.Select(c.name)
		if s.ProtectedShown() != c.protected {
			t.Errorf("%s: the Protected badge shown is %v", c.name, s.ProtectedShown())
		}
		if got := s.bg.StrokeColor; (got == errColor) != c.protected || !c.protected && got != color.Transparent {
			t.Errorf("%s: the frame is %v", c.name, got)
		}
		if s.ProtectedSaid() != c.protected {
			t.Errorf("%s: \"Protected\" said %v in a wide window", c.name, s.ProtectedSaid())
		}
	}
	// The badge says so in words, in the error colour.
	s.Select("Production")
	if s.word.Text != "Protected" || s.word.Importance != widget.DangerImportance {
		t.Errorf("the badge says %q (importance %v)", s.word.Text, s.word.Importance)
	}
	// Where there is no room for the word, the frame's colour says it alone.
	w.Resize(s.MinSize().AddWidthHeight(4, 4))
	if !s.ProtectedShown() || s.ProtectedSaid() {
		t.Errorf("in a narrow toolbar: colour %v, word %v", s.ProtectedShown(), s.ProtectedSaid())
	}
}

// The environment's values show where a request goes: Provided lists what a run need not ask for.
func TestProvidedNamesTheEnvironmentsVariables(t *testing.T) {
	test.NewTempApp(t)
	ws := uitest.Workspace(t)
	staging, _ := twoEnvironments(t, ws)
	a := New(ws, nil)
	if got := a.Provided(nil); len(got) != 0 {
		t.Errorf("no environment: %v", got)
	}
	e := staging.Clone()
	e.Variables = append(e.Variables, environment.Variable{Name: "token", Secret: true}, environment.Variable{Name: "empty"})
	a.Set(e)
	if got := a.Provided(nil); !slices.Equal(got, []string{"base", "token"}) {
		t.Errorf("Staging provides %v", got)
	}
	if h := a.Hint("base"); !strings.HasPrefix(h, "Leave empty for ") || !strings.HasSuffix(h, ", from the environment Staging") {
		t.Errorf("the hint of base: %q", h)
	}
	if h := a.Hint("token"); h != "Leave empty to use your secret value for Staging" {
		t.Errorf("the hint of a secret: %q", h)
	}
	if h := a.Hint("region"); h != "Leave empty to use its default" { // a workspace's or resource's default
		t.Errorf("the hint of region: %q", h)
	}
}

// The switcher's last choice opens the Environments dialog and leaves the environment as it was.
func TestSwitcherOffersToManageEnvironments(t *testing.T) {
	a := test.NewTempApp(t)
	ws := uitest.Workspace(t)
	twoEnvironments(t, ws)
	active := New(ws, nil)
	s := NewSwitcher(active, a.Preferences(), ws.Dir())
	opened := 0
	s.OnManage = func() { opened++ }
	s.SetEnvironments(ws.Environments())
	if got := s.Options(); !slices.Equal(got, []string{NoEnvironment, "Production", "Staging", Manage}) {
		t.Fatalf("options %v", got)
	}
	s.Select("Staging")
	s.Select(Manage)
	if opened != 1 || s.Selected() != "Staging" || active.Env() == nil || active.Env().Name != "Staging" {
		t.Errorf("Manage: opened %d, shows %q, active %+v", opened, s.Selected(), active.Env())
	}
	if got := a.Preferences().String(prefActivePrefix + ws.Dir()); got != active.Env().ID {
		t.Errorf("the choice remembered is %q", got)
	}
}
