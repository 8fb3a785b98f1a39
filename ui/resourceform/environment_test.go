package resourceform

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/environment"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
	"apidesk/ui/environ"
	"apidesk/ui/uitest"
)

// With an environment active, a token typed into the form is kept for that environment alone, Test connection
// sends it to the environment's address, and the form says which secrets the environment active has.
func TestSecretsTypedAreKeptForTheEnvironmentActive(t *testing.T) {
	const token = "canary-staging-token-Ss3"
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer srv.Close()

	a := uitest.NewApp(t)
	fx := &fixture{app: a, ws: uitest.Workspace(t), secrets: uitest.Keychain(t)}
	staging := &environment.Environment{Name: "Staging", Variables: []environment.Variable{{Name: "base", Value: srv.URL}}}
	if err := fx.ws.SaveEnvironment(t.Context(), staging); err != nil {
		t.Fatal(err)
	}
	active := environ.New(fx.ws, fx.secrets)
	active.Set(staging)
	fx.win = a.NewWindow("form")
	t.Cleanup(fx.win.Close)
	fx.form = New(Deps{Workspace: fx.ws, Secrets: fx.secrets, Env: active}, fx.win)
	fx.win.SetContent(fx.form.Content())
	fx.win.Resize(fyne.NewSize(900, 1400))
	f := fx.form

	fx.typeInto(f.name.entry, "Orders")
	fx.typeInto(f.baseURL.entry, "{{base}}/v1")
	f.authKind.SetSelected(resource.AuthBearer.Label())
	fx.typeInto(f.bearer.entry, token)
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if f.banner.Visible() {
		t.Fatalf("save failed: %s %s", f.banner.Headline(), f.banner.Message())
	}
	r, err := fx.ws.ResourceByName("Orders")
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if v, err := fx.secrets.Get(ctx, environment.KeyID(r.ID, staging), resource.SecretBearerToken); err != nil || v != token {
		t.Errorf("the token kept for Staging: %q %v", v, err)
	}
	if _, err := fx.secrets.Get(ctx, r.ID, resource.SecretBearerToken); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("the token was kept for no environment too: %v", err)
	}
	uitest.NoFileContains(t, fx.ws.Dir(), token)
	if !strings.HasPrefix(f.bearer.hint.Text, "Kept in your keychain for Staging.") {
		t.Errorf("after the save the hint says %q", f.bearer.hint.Text)
	}

	// Test connection: the keychain's token for Staging, sent to Staging's address.
	test.Tap(f.conn.button)
	fx.app.Wait(t, f.Tasks())
	if res := f.TestResult(); !strings.HasPrefix(res, "Connected: 200 OK") {
		t.Errorf("the test says %q", res)
	}
	mu.Lock()
	if len(got) != 1 || got[0] != "Bearer "+token {
		t.Errorf("Staging's server got %q", got)
	}
	mu.Unlock()

	// No environment: the resource has no token of its own.
	active.Set(nil)
	f.EnvironmentChanged()
	fx.app.Wait(t, f.Tasks())
	if !strings.HasPrefix(f.bearer.hint.Text, "Not set yet") {
		t.Errorf("with no environment the hint says %q", f.bearer.hint.Text)
	}
}
