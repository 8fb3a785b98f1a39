package app

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/environment"
	"apidesk/engine/keychain"
	"apidesk/engine/oauth"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
	"apidesk/ui/environ"
	"apidesk/ui/sidebar"
	"apidesk/ui/uitest"
)

// apiServer is one environment's API: it records the Authorization header of every request it gets.
type apiServer struct {
	*httptest.Server
	mu   sync.Mutex
	auth []string
}

func newAPIServer(t *testing.T) *apiServer {
	s := &apiServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.auth = append(s.auth, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok": true}`))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *apiServer) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}

type envFixture struct {
	app                 *uitest.App
	w                   *App
	store               *secret.Store
	res                 *resource.Resource
	list, refund        *query.Query
	staging, prod       *environment.Environment
	stagingSrv, prodSrv *apiServer
}

const (
	stagingToken = "staging-token-Qx81"
	prodToken    = "prod-token-Zr42"
)

// newEnvFixture is a workspace with one resource whose base URL is {{base}} and whose bearer token is kept for
// each of two environments, Staging and a protected Production, each with its own server.
func newEnvFixture(t *testing.T) *envFixture {
	t.Helper()
	fx := &envFixture{app: uitest.NewApp(t), stagingSrv: newAPIServer(t), prodSrv: newAPIServer(t)}
	ws := uitest.Workspace(t)
	fx.store = uitest.Keychain(t)
	ctx := context.Background()
	fx.res = &resource.Resource{Name: "Orders", BaseURL: "{{base}}", Auth: resource.Auth{Kind: resource.AuthBearer}}
	if err := ws.SaveResource(ctx, fx.res, nil, nil); err != nil {
		t.Fatal(err)
	}
	fx.list = &query.Query{Name: "list", ResourceID: fx.res.ID, Method: "GET", Path: "/items"}
	fx.refund = &query.Query{Name: "refund", ResourceID: fx.res.ID, Method: "POST", Path: "/refund"}
	for _, q := range []*query.Query{fx.list, fx.refund} {
		if err := ws.SaveQuery(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	fx.staging = &environment.Environment{Name: "Staging", Variables: []environment.Variable{{Name: "base", Value: fx.stagingSrv.URL}}}
	fx.staging.Variables = append(fx.staging.Variables, environment.Variable{Name: "api_key", Secret: true})
	fx.prod = &environment.Environment{Name: "Production", Protected: true, Variables: []environment.Variable{{Name: "base", Value: fx.prodSrv.URL}}}
	for e, token := range map[*environment.Environment]string{fx.staging: stagingToken, fx.prod: prodToken} {
		if err := ws.SaveEnvironment(ctx, e); err != nil {
			t.Fatal(err)
		}
		if err := fx.store.Set(ctx, environment.KeyID(fx.res.ID, e), resource.SecretBearerToken, token); err != nil {
			t.Fatal(err)
		}
	}
	fx.w = New(fx.app, Deps{Workspace: ws, Secrets: fx.store, Runner: uitest.Runner(t, fx.store)})
	t.Cleanup(func() {
		if fx.w.editor != nil {
			fx.w.editor.Response().Close()
		}
		if fx.w.run != nil {
			fx.w.run.Response().Close()
		}
	})
	fx.w.Load()
	t.Cleanup(fx.w.stopWatching)
	fx.app.Wait(t, fx.w.Tasks())
	return fx
}

// send sends the list query from the editor in the environment named env.
func (fx *envFixture) send(t *testing.T, env string) {
	t.Helper()
	fx.w.envSwitch.Select(env)
	fx.w.Select(sidebar.Query, fx.list.ID)
	fx.app.Wait(t, fx.w.Tasks())
	fx.w.editor.Send()
	fx.app.Wait(t, fx.w.Tasks())
}

func TestRequestsGoToTheActiveEnvironmentWithItsToken(t *testing.T) {
	fx := newEnvFixture(t)
	if got := fx.w.envSwitch.Options(); strings.Join(got, "|") != environ.NoEnvironment+"|Production|Staging|"+environ.Manage {
		t.Fatalf("the switcher offers %v", got)
	}

	fx.send(t, "Staging")
	if st := fx.w.editor.Response().Status(); st != "200 OK" {
		t.Fatalf("Staging: %q %s", st, fx.w.editor.Response().Problem().Message())
	}
	if got := fx.stagingSrv.got(); len(got) != 1 || got[0] != "GET /items Bearer "+stagingToken {
		t.Errorf("the Staging server got %q", got)
	}
	if got := fx.prodSrv.got(); len(got) != 0 {
		t.Errorf("the Production server got %q while Staging was active", got)
	}

	fx.send(t, "Production")
	if got := fx.prodSrv.got(); len(got) != 1 || got[0] != "GET /items Bearer "+prodToken {
		t.Errorf("the Production server got %q", got)
	}
	if got := fx.stagingSrv.got(); len(got) != 1 {
		t.Errorf("the Staging server got %q while Production was active", got)
	}

	// Copy as cURL writes the environment's address, and its token only as a placeholder.
	fx.w.editor.CopyCurl()
	cmd := fyne.CurrentApp().Clipboard().Content()
	if !strings.Contains(cmd, fx.prodSrv.URL+"/items") || strings.Contains(cmd, prodToken) || strings.Contains(cmd, "{{base}}") {
		t.Errorf("Copy as cURL in Production: %s", cmd)
	}

	// No environment: {{base}} has no value, and the message says where it was looked for.
	fx.send(t, environ.NoEnvironment)
	if msg := fx.w.editor.Response().Problem().Message(); !strings.Contains(msg, "base") || !strings.Contains(msg, "no environment") {
		t.Errorf("without an environment: %q", msg)
	}
	if len(fx.stagingSrv.got()) != 1 || len(fx.prodSrv.got()) != 1 {
		t.Errorf("a request was sent without an environment: %q %q", fx.stagingSrv.got(), fx.prodSrv.got())
	}
}

// Run mode in a protected environment names it in the question before a request that may change data, and
// runs in it once confirmed.
func TestRunModeConfirmsWritesInAProtectedEnvironment(t *testing.T) {
	fx := newEnvFixture(t)
	fx.w.envSwitch.Select("Production")
	fx.w.RunQuery(fx.refund.ID)
	fx.app.Wait(t, fx.w.Tasks())
	if in := fx.w.run.Inputs(); len(in) != 0 {
		t.Errorf("run mode asks for %v, which the environment gives", in)
	}
	fx.w.run.Run()
	ask := fx.w.run.Asking()
	if !strings.Contains(ask, "Production, a protected environment") || !strings.Contains(ask, "POST") {
		t.Fatalf("the question: %q", ask)
	}
	if len(fx.prodSrv.got()) != 0 {
		t.Fatal("sent before the answer")
	}
	fx.w.run.Answer(true)
	fx.app.Wait(t, fx.w.Tasks())
	if got := fx.prodSrv.got(); len(got) != 1 || got[0] != "POST /refund Bearer "+prodToken {
		t.Errorf("the Production server got %q", got)
	}
}

// The switcher and its Protected badge fit the toolbar of a 640 px wide window.
func TestTheSwitcherFitsASmallWindow(t *testing.T) {
	fx := newEnvFixture(t)
	size := fyne.NewSize(640, 480)
	fx.w.win.Resize(size)
	for _, env := range []string{environ.NoEnvironment, "Staging", "Production"} {
		fx.w.envSwitch.Select(env)
		if m := fx.w.win.Content().MinSize(); m.Width > size.Width {
			t.Errorf("%s: the window asks for %v", env, m)
		}
	}
	if !fx.w.envSwitch.ProtectedShown() {
		t.Errorf("at 640 px, Production shows as protected %v, in words %v", fx.w.envSwitch.ProtectedShown(), fx.w.envSwitch.ProtectedSaid())
	}
}

// The editor, too, asks before it sends a request that may change data in a protected environment; a GET is
// sent at once, and nothing is asked in Staging.
func TestTheEditorAsksBeforeAWriteInAProtectedEnvironment(t *testing.T) {
	fx := newEnvFixture(t)
	fx.w.envSwitch.Select("Production")
	fx.w.Select(sidebar.Query, fx.refund.ID)
	fx.app.Wait(t, fx.w.Tasks())
	fx.w.editor.Send()
	if ask := fx.w.editor.Asking(); !strings.Contains(ask, "Production is a protected environment") {
		t.Fatalf("the question: %q", ask)
	}
	fx.app.Wait(t, fx.w.Tasks())
	if len(fx.prodSrv.got()) != 0 {
		t.Fatal("sent before the answer")
	}
	test.Tap((&fixture{w: fx.w}).dialogButton(t, "Cancel"))
	fx.app.Wait(t, fx.w.Tasks())
	if len(fx.prodSrv.got()) != 0 || fx.w.editor.Asking() != "" {
		t.Fatalf("Cancel sent %q", fx.prodSrv.got())
	}
	fx.w.editor.Send()
	test.Tap((&fixture{w: fx.w}).dialogButton(t, "Send"))
	fx.app.Wait(t, fx.w.Tasks())
	if got := fx.prodSrv.got(); len(got) != 1 || got[0] != "POST /refund Bearer "+prodToken {
		t.Errorf("after Send, the Production server got %q", got)
	}

	fx.w.envSwitch.Select("Staging")
	fx.w.editor.Send()
	fx.app.Wait(t, fx.w.Tasks())
	if ask := fx.w.editor.Asking(); ask != "" {
		t.Errorf("Staging asks %q", ask)
	}
	if got := fx.stagingSrv.got(); len(got) != 1 || got[0] != "POST /refund Bearer "+stagingToken {
		t.Errorf("the Staging server got %q", got)
	}
}

// Run for a list in a protected environment asks once before its writes, then sends every row there.
func TestRunForAListAsksInAProtectedEnvironment(t *testing.T) {
	fx := newEnvFixture(t)
	q := fx.refund
	q.Path = "/refund/{{order}}"
	if err := fx.w.deps.Workspace.SaveQuery(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	fx.app.Wait(t, fx.w.Tasks())
	fx.w.envSwitch.Select("Production")
	fx.w.RunQuery(q.ID)
	fx.app.Wait(t, fx.w.Tasks())
	if err := fx.w.run.OpenList("orders.csv", strings.NewReader("order\n1\n2\n")); err != nil {
		t.Fatal(err)
	}
	summary := ""
	fx.w.run.RunOpenList(func(s string) { summary = s })
	if ask := fx.w.run.Asking(); !strings.Contains(ask, "Production, a protected environment") || !strings.Contains(ask, "2 rows") {
		t.Fatalf("the question: %q", ask)
	}
	fx.w.run.Answer(true)
	fx.app.Wait(t, fx.w.Tasks())
	if got := fx.prodSrv.got(); len(got) != 2 || got[0] == got[1] || !strings.HasSuffix(got[0], "Bearer "+prodToken) {
		t.Errorf("the Production server got %q (%s)", got, summary)
	}
	if len(fx.stagingSrv.got()) != 0 {
		t.Errorf("Staging got %q", fx.stagingSrv.got())
	}
}

// The switcher's Environments… opens the dialog; an environment added there is in the switcher at once.
func TestEnvironmentsAddedInTheDialogAreOffered(t *testing.T) {
	fx := newEnvFixture(t)
	fx.w.envSwitch.Select("Staging")
	fx.w.envSwitch.Select(environ.Manage)
	m := fx.w.envManager
	if m == nil {
		t.Fatal("no dialog opened")
	}
	if fx.w.envSwitch.Selected() != "Staging" {
		t.Errorf("the switcher shows %q", fx.w.envSwitch.Selected())
	}
	m.New("QA", map[string]string{"base": fx.stagingSrv.URL})
	fx.app.Wait(t, fx.w.Tasks())
	if got := strings.Join(fx.w.envSwitch.Options(), "|"); got != environ.NoEnvironment+"|Production|QA|Staging|"+environ.Manage {
		t.Errorf("after adding QA the switcher offers %s", got)
	}
}

// An OAuth 2.0 resource's sign-in is the environment's: the sidebar's badge says the state of the environment
// active, and a request in it gets its token with that environment's client secret, kept for it alone.
func TestSignInsAreTheActiveEnvironments(t *testing.T) {
	var mu sync.Mutex
	var secrets []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			_ = r.ParseForm()
			mu.Lock()
			secrets = append(secrets, r.Form.Get("client_secret"))
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"at-staging","token_type":"bearer","expires_in":3600}`))
			return
		}
		if r.Header.Get("Authorization") != "Bearer at-staging" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(srv.Close)
	a := uitest.NewApp(t)
	ws := uitest.Workspace(t)
	store := uitest.Keychain(t)
	ctx := context.Background()
	res := &resource.Resource{Name: "IdP", BaseURL: "{{base}}", Auth: resource.Auth{Kind: resource.AuthOAuth2,
		OAuth2: resource.OAuth2{Grant: resource.GrantClientCredentials, TokenURL: "{{base}}/token", ClientID: "app", ClientAuth: resource.ClientAuthBody}}}
	if err := ws.SaveResource(ctx, res, store, nil); err != nil {
		t.Fatal(err)
	}
	q := &query.Query{Name: "me", ResourceID: res.ID, Method: "GET", Path: "/me"}
	if err := ws.SaveQuery(ctx, q); err != nil {
		t.Fatal(err)
	}
	staging := &environment.Environment{Name: "Staging", Variables: []environment.Variable{{Name: "base", Value: srv.URL}}}
	if err := ws.SaveEnvironment(ctx, staging); err != nil {
		t.Fatal(err)
	}
	if err := store.Set(ctx, environment.KeyID(res.ID, staging), resource.SecretClientSecret, "cs-staging"); err != nil {
		t.Fatal(err)
	}
	signIns := &oauth.Client{Secrets: keychain.OAuth{Store: store}, HTTPClient: srv.Client(), LockDir: t.TempDir()}
	rn := uitest.Runner(t, store)
	rn.Tokens = signIns
	w := New(a, Deps{Workspace: ws, Secrets: store, Runner: rn, OAuth: signIns})
	t.Cleanup(func() {
		if w.editor != nil {
			w.editor.Response().Close()
		}
	})
	w.Load()
	t.Cleanup(w.stopWatching)
	a.Wait(t, w.Tasks())
	if b := w.sidebar.BadgeOf(res.ID); b.Text != "needs secret" {
		t.Errorf("with no environment the badge says %q", b.Text)
	}
	w.envSwitch.Select("Staging")
	a.Wait(t, w.Tasks())
	if b := w.sidebar.BadgeOf(res.ID); b.Text != "ready" {
		t.Errorf("in Staging the badge says %q", b.Text)
	}
	w.Select(sidebar.Query, q.ID)
	a.Wait(t, w.Tasks())
	w.editor.Send()
	a.Wait(t, w.Tasks())
	if st := w.editor.Response().Status(); st != "200 OK" {
		t.Fatalf("in Staging: %q %s", st, w.editor.Response().Problem().Message())
	}
	mu.Lock()
	if len(secrets) != 1 || secrets[0] != "cs-staging" {
		t.Errorf("the token endpoint got the client secrets %q", secrets)
	}
	mu.Unlock()
	if _, err := store.Get(ctx, res.ID, resource.SecretOAuthToken); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("the token was kept for no environment: %v", err)
	}
	if _, err := store.Get(ctx, environment.KeyID(res.ID, staging), resource.SecretOAuthToken); err != nil {
		t.Errorf("the token was not kept for Staging: %v", err)
	}
	w.envSwitch.Select(environ.NoEnvironment)
	a.Wait(t, w.Tasks())
	if b := w.sidebar.BadgeOf(res.ID); b.Text != "needs secret" {
		t.Errorf("back to no environment the badge says %q", b.Text)
	}
}
