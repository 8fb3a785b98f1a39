// Package window drives the apidesk window (ui/app, Fyne's test driver) against the in-test OAuth 2.0 server:
// a query on a resource that needs a sign-in opens the sign-in prompt, the simulated browser signs in, and the
// query runs again by itself; the resource form signs in and out and shows what the token says.
package window

import (
	"context"
	"strings"
	"testing"
	"time"

	"apidesk/e2e/oauthpeer"
	"apidesk/engine/keychain"
	"apidesk/engine/oauth"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/ui/app"
	"apidesk/ui/sidebar"
	"apidesk/ui/uitest"
)

type env struct {
	t       *testing.T
	fyne    *uitest.App
	srv     *oauthpeer.Server
	browser *oauthpeer.Browser
	w       *app.App
	res     *resource.Resource
	q       *query.Query
}

func newEnv(t *testing.T, opts ...oauthpeer.Option) *env {
	return newEnvWith(t, resource.GrantAuthorizationCode, opts...)
}

func newEnvWith(t *testing.T, grant string, opts ...oauthpeer.Option) *env {
	t.Helper()
	e := &env{t: t, fyne: uitest.NewApp(t), srv: oauthpeer.Start(t, opts...)}
	e.browser = e.srv.Browser(t)
	ws := uitest.Workspace(t)
	store := uitest.Keychain(t)
	client := &oauth.Client{Secrets: keychain.OAuth{Store: store}, HTTPClient: e.srv.HTTPClient(), LockDir: t.TempDir()}
	run := runner.New(keychain.RunnerSecrets(store), client)
	run.TempDir = t.TempDir()
	ctx := context.Background()
	e.res = &resource.Resource{Name: "Peer API", BaseURL: e.srv.URL,
		Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
			Grant: grant, DeviceURL: e.srv.DeviceAuthURL(),
			AuthURL: e.srv.AuthURL(), TokenURL: e.srv.TokenURL(), RevokeURL: e.srv.RevokeURL(),
			LoginTestURL: e.srv.MeURL(), ClientID: oauthpeer.PublicClientID,
			Scopes: []string{"openid", "offline_access", "read"},
		}}}
	if err := ws.SaveResource(ctx, e.res, nil, nil); err != nil {
		t.Fatal(err)
	}
	items := strings.TrimPrefix(e.srv.ItemsURL(), e.srv.URL)
	e.q = &query.Query{Name: "items", ResourceID: e.res.ID, Method: "GET", Path: items}
	if err := ws.SaveQuery(ctx, e.q); err != nil {
		t.Fatal(err)
	}
	e.w = app.New(e.fyne, app.Deps{Workspace: ws, Secrets: store, Runner: run, OAuth: client, OpenURL: e.browser.OpenURL})
	e.w.Load()
	e.settle()
	return e
}

// settle runs the window's work until all of it has come back: a sign-in prompt's too, which waits for the
// simulated browser (on goroutines of its own) to reach the loopback redirect.
func (e *env) settle() {
	e.t.Helper()
	e.fyne.Wait(e.t, e.w.Tasks())
}

func TestAQueryThatNeedsASignInOpensThePromptAndRunsAgain(t *testing.T) {
	e := newEnv(t)
	if b := e.w.Sidebar().BadgeOf(e.res.ID); b.Text != "needs sign-in" {
		t.Errorf("badge before signing in: %q", b.Text)
	}
	e.w.Select(sidebar.Query, e.q.ID)
	e.w.Editor().Send()
	e.settle()
	p := e.w.Prompt()
	if p == nil {
		t.Fatalf("no sign-in prompt; the response says %q", e.w.Editor().Response().Problem().Message())
	}
	if !p.Closed() {
		t.Fatalf("the prompt is still open: %q, %s", p.Step(), p.Problem().Message())
	}
	if len(e.browser.Opened()) != 1 {
		t.Errorf("the browser opened %d URLs", len(e.browser.Opened()))
	}
	rv := e.w.Editor().Response()
	if rv.Status() != "200 OK" {
		t.Fatalf("the query did not run again after the sign-in: status %q, %s", rv.Status(), rv.Problem().Message())
	}
	if tb := rv.Table().Table(); tb == nil || tb.Rows() != len(oauthpeer.Items()) {
		t.Errorf("items table: %v", tb)
	}
	if b := e.w.Sidebar().BadgeOf(e.res.ID); b.Text != "signed in" {
		t.Errorf("badge after signing in: %q", b.Text)
	}
}

func TestTheFormSignsInShowsTheTokenAndSignsOut(t *testing.T) {
	e := newEnv(t, oauthpeer.WithJWTAccessTokens(0))
	e.w.Select(sidebar.Resource, e.res.ID)
	e.settle()
	f := e.w.Form()
	f.SignIn()
	e.settle()
	if p := f.Prompt(); p == nil || !p.Closed() {
		t.Fatalf("the sign-in prompt did not close (prompt opened: %v)", p != nil)
	}
	status, claims := f.SignInState()
	if !strings.HasPrefix(status, "Signed in") || !strings.Contains(status, "read") {
		t.Fatalf("status line %q", status)
	}
	if !strings.Contains(claims, "Access token:") || !strings.Contains(claims, e.srv.Subject()) {
		t.Errorf("token details:\n%s", claims)
	}
	if b := e.w.Sidebar().BadgeOf(e.res.ID); b.Text != "signed in" {
		t.Errorf("badge %q", b.Text)
	}

	f.TestConnection()
	e.settle()
	if got := f.TestResult(); !strings.Contains(got, "200") && !strings.Contains(strings.ToLower(got), "signed in") {
		t.Errorf("test connection says %q", got)
	}

	f.SignOut()
	e.settle()
	if status, _ := f.SignInState(); !strings.HasPrefix(status, "Not signed in") {
		t.Errorf("after sign-out the status line says %q", status)
	}
	if b := e.w.Sidebar().BadgeOf(e.res.ID); b.Text != "needs sign-in" {
		t.Errorf("badge after sign-out %q", b.Text)
	}
}

func TestADeniedSignInSaysSoAndCanBeTriedAgain(t *testing.T) {
	e := newEnv(t)
	e.srv.DenyNextAuthorization()
	e.w.Select(sidebar.Query, e.q.ID)
	e.w.Editor().Send()
	e.settle()
	p := e.w.Prompt()
	if p == nil || p.Closed() || !p.Problem().Visible() {
		t.Fatal("a denied sign-in did not show a problem in the prompt")
	}
	if p.Problem().Message() == "" {
		t.Error("no words for the denial")
	}
	p.Retry()
	e.settle()
	if !p.Closed() || e.w.Editor().Response().Status() != "200 OK" {
		t.Errorf("after trying again: closed %v, status %q", p.Closed(), e.w.Editor().Response().Status())
	}
}

func TestADeviceSignInShowsTheCodeToEnter(t *testing.T) {
	e := newEnvWith(t, resource.GrantDevice, oauthpeer.WithDeviceInterval(time.Second))
	e.w.Select(sidebar.Query, e.q.ID)
	e.w.Editor().Send()
	// Run the window's work until the prompt shows a code (the sign-in itself waits for its approval), or
	// until the request came back without opening one.
	e.fyne.WaitFor(t, func() bool {
		p := e.w.Prompt()
		return p == nil && !e.w.Tasks().Busy() || p != nil && (p.Code() != "" || p.Problem().Visible())
	})
	p := e.w.Prompt()
	if p == nil {
		t.Fatalf("no sign-in prompt: %s", e.w.Editor().Response().Problem().Message())
	}
	code := p.Code()
	if code == "" || !strings.Contains(p.Step(), "enter this code") {
		t.Fatalf("no code shown: step %q, problem %q", p.Step(), p.Problem().Message())
	}
	if !strings.Contains(p.Link(), e.srv.URL) {
		t.Errorf("no address to open: %q", p.Link())
	}
	if err := e.srv.ApproveDevice(code); err != nil {
		t.Fatal(err)
	}
	e.settle()
	if !p.Closed() || e.w.Editor().Response().Status() != "200 OK" {
		t.Errorf("after approving the code: closed %v, status %q, %s", p.Closed(), e.w.Editor().Response().Status(), p.Problem().Message())
	}
}
