package environ

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/environment"
	"apidesk/engine/secret"
	"apidesk/ui/uitest"
)

// The Environments dialog adds, renames, unsecrets and deletes an environment: a secret's value goes to the
// keychain, never to the file. (A variable named like a token cannot stop being secret with a value: the
// workspace refuses a literal secret in a file.)
func TestManagerKeepsSecretValuesInTheKeychain(t *testing.T) {
	const value = "canary-env-secret-Ee5"
	a := uitest.NewApp(t)
	ws := uitest.Workspace(t)
	keys := uitest.Keychain(t)
	win := a.NewWindow("envs")
	t.Cleanup(win.Close)
	win.Resize(fyne.NewSize(900, 700))
	m := ShowManager(ws, keys, win, "")
	changed := 0
	m.OnChanged = func() { changed++ }
	if m.choice.Selected != newEnvironment {
		t.Fatalf("an empty workspace opens on %q", m.choice.Selected)
	}

	test.Type(m.name, "Staging")
	m.protect.SetChecked(true)
	test.Type(m.rows[0].name, "base")
	test.Type(m.rows[0].value, "https://staging.example.com")
	m.addLine(environment.Variable{}, true)
	test.Type(m.rows[1].name, "tenant")
	m.rows[1].secret.SetChecked(true)
	if !m.rows[1].value.Password {
		t.Error("a secret's value is not a password field")
	}
	test.Type(m.rows[1].value, value)
	m.Save()
	a.Wait(t, m.Tasks())
	if m.banner.Visible() {
		t.Fatalf("not saved: %s %s", m.banner.Headline(), m.banner.Message())
	}
	e, err := ws.EnvironmentByName("Staging")
	if err != nil {
		t.Fatal(err)
	}
	if !e.Protected || len(e.Variables) != 2 || e.Variables[0].Value != "https://staging.example.com" || !e.Variables[1].Secret || e.Variables[1].Value != "" {
		t.Errorf("saved %+v", e)
	}
	uitest.NoFileContains(t, ws.Dir(), value)
	ctx := t.Context()
	if got, err := environment.SecretValues(ctx, keys, e); err != nil || got["tenant"] != value {
		t.Errorf("the keychain holds %v (%v)", got, err)
	}
	if changed != 1 || m.choice.Selected != "Staging" {
		t.Errorf("after the save: %d changes, %q shown", changed, m.choice.Selected)
	}
	if m.rows[1].value.Text != "" || m.rows[1].value.PlaceHolder == "" {
		t.Errorf("the secret's field shows %q, placeholder %q", m.rows[1].value.Text, m.rows[1].value.PlaceHolder)
	}

	// Renamed: the same environment, its secret still kept.
	m.name.SetText("Pre-production")
	m.Save()
	a.Wait(t, m.Tasks())
	renamed, err := ws.EnvironmentByName("Pre-production")
	if err != nil || renamed.ID != e.ID || len(ws.Environments()) != 1 {
		t.Fatalf("renamed: %+v %v, %d environments", renamed, err, len(ws.Environments()))
	}
	if got, _ := environment.SecretValues(ctx, keys, renamed); got["tenant"] != value {
		t.Errorf("the secret was lost in the rename: %v", got)
	}

	// No longer secret: its value leaves the keychain.
	m.rows[1].secret.SetChecked(false)
	test.Type(m.rows[1].value, "public")
	m.Save()
	a.Wait(t, m.Tasks())
	if m.banner.Visible() {
		t.Fatalf("not saved: %s", m.banner.Message())
	}
	if _, err := keys.Get(ctx, "env."+e.ID, environment.SecretVariables); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("the keychain still holds the values: %v", err)
	}
	if v := mustEnv(t, m, "Pre-production").Variable("tenant"); v == nil || v.Secret || v.Value != "public" {
		t.Errorf("token is %+v", v)
	}

	// Deleted.
	m.Delete()
	a.Wait(t, m.Tasks())
	if n := len(ws.Environments()); n != 0 || m.choice.Selected != newEnvironment {
		t.Errorf("after Delete: %d environments, %q shown", n, m.choice.Selected)
	}
}

// A name another environment has, or a variable without a name, is said and nothing is saved.
func TestManagerRefusesWhatCannotBeSaved(t *testing.T) {
	a := uitest.NewApp(t)
	ws := uitest.Workspace(t)
	twoEnvironments(t, ws)
	win := a.NewWindow("envs")
	t.Cleanup(win.Close)
	m := ShowManager(ws, uitest.Keychain(t), win, "Staging")
	if m.name.Text != "Staging" {
		t.Fatalf("opened on %q", m.name.Text)
	}
	m.name.SetText("production")
	m.Save()
	a.Wait(t, m.Tasks())
	if !m.banner.Visible() || m.banner.Message() == "" {
		t.Error("a taken name is not said")
	}
	if _, err := ws.EnvironmentByName("Staging"); err != nil {
		t.Errorf("Staging is gone: %v", err)
	}
	m.name.SetText("Staging")
	m.addLine(environment.Variable{}, false)
	test.Type(m.rows[len(m.rows)-1].value, "a value without a name")
	m.Save()
	if !m.banner.Visible() {
		t.Error("a variable without a name is not said")
	}
}

func mustEnv(t *testing.T, m *Manager, name string) *environment.Environment {
	t.Helper()
	e, err := m.ws.EnvironmentByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
