package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
)

func TestSignInAuthorizationCode(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(a *testAS, r *resource.Resource, store *memStore)
		secret bool
	}{
		{"public client with PKCE", func(a *testAS, r *resource.Resource, _ *memStore) { a.secret = "" }, false},
		{"confidential, basic", func(a *testAS, r *resource.Resource, _ *memStore) {
			a.clientAuth = "basic"
			r.Auth.OAuth2.ClientAuth = resource.ClientAuthBasic
		}, true},
		{"confidential, body", func(a *testAS, r *resource.Resource, _ *memStore) {
			a.clientAuth = "body"
			r.Auth.OAuth2.ClientAuth = resource.ClientAuthBody
		}, true},
		{"confidential, auto finds body", func(a *testAS, r *resource.Resource, _ *memStore) { a.clientAuth = "body" }, true},
		{"PKCE off", func(a *testAS, r *resource.Resource, _ *memStore) { r.Auth.OAuth2.DisablePKCE = true }, true},
		{"GET token request", func(a *testAS, r *resource.Resource, _ *memStore) {
			a.tokenMethod = http.MethodGet
			r.Auth.OAuth2.TokenMethod = "GET"
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestAS(t)
			r := a.resource()
			store := newMemStore()
			tt.setup(a, r, store)
			if tt.secret {
				store.Set(t.Context(), r.ID, resource.SecretClientSecret, a.secret)
			}
			c := newClient(t, store)
			b := newBrowser()
			var listening string
			var opened *url.URL
			st, err := c.SignIn(t.Context(), r, Prompt{
				OpenURL:     b.open,
				OnListening: func(u string) { listening = u },
				OnOpen:      func(u *url.URL) { opened = u },
			})
			if err != nil {
				t.Fatalf("SignIn: %v", err)
			}
			if !strings.HasPrefix(listening, "http://127.0.0.1:") || !strings.HasSuffix(listening, CallbackPath) {
				t.Errorf("redirect URI = %q, want http://127.0.0.1:PORT/callback", listening)
			}
			if got := opened.Query().Get("redirect_uri"); got != listening {
				t.Errorf("authorization URL has redirect_uri %q, want %q", got, listening)
			}
			if st.State != SignedIn || !st.Refreshable || strings.Join(st.Scopes, " ") != "read write" {
				t.Errorf("status = %+v", st)
			}
			if p := b.last(t); p.status != http.StatusOK || !strings.Contains(p.body, "You can close this tab and return to apidesk") {
				t.Errorf("callback page = %d %q", p.status, p.body)
			}
			tok := store.token(t, r.ID)
			if tok == nil || !strings.HasPrefix(tok.AccessToken, "at-") || !strings.HasPrefix(tok.RefreshToken, "rt-") || tok.ClientID != "cid" {
				t.Fatalf("stored token = %+v", tok)
			}
			got, err := c.AccessToken(t.Context(), r)
			if err != nil || got != tok.AccessToken {
				t.Errorf("AccessToken = %q, %v; want the stored one", got, err)
			}
			// The listener is gone.
			if _, err := http.Get(listening); err == nil {
				t.Errorf("the loopback listener still answers after the sign-in")
			}
		})
	}
}

func TestAuthCodeURL(t *testing.T) {
	o := &resource.OAuth2{
		AuthURL:    "https://login.example.com/{{tenant}}/authorize?prompt=login&app={{client_id}}",
		ClientID:   "my app",
		Scopes:     []string{"openid", "read:user"},
		AuthParams: kv.List{kv.On("access_type", "offline"), kv.On("state", "mine"), kv.On("login_hint", "{{user}}"), {Key: "off", Value: "x"}},
	}
	verifier := oauth2.GenerateVerifier()
	u, err := authCodeURL(o, map[string]string{"tenant": "contoso", "user": "ann"}, "http://127.0.0.1:5000/callback", "state-123456", verifier)
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/contoso/authorize" {
		t.Errorf("path = %q", u.Path)
	}
	q := u.Query()
	want := map[string]string{
		"prompt": "login", "app": "my app", "response_type": "code", "client_id": "my app",
		"redirect_uri": "http://127.0.0.1:5000/callback", "scope": "openid read:user", "state": "state-123456",
		"code_challenge": oauth2.S256ChallengeFromVerifier(verifier), "code_challenge_method": "S256",
		"access_type": "offline", "login_hint": "ann", "off": "",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}

	o.DisablePKCE = true
	o.AuthURL = "https://login.example.com/authorize?code_challenge=stale"
	u, err = authCodeURL(o, map[string]string{"user": "ann"}, "http://127.0.0.1:5000/callback", "state-123456", "")
	if err != nil {
		t.Fatal(err)
	}
	if u.Query().Has("code_challenge") || u.Query().Has("code_challenge_method") {
		t.Errorf("PKCE off but the URL has a challenge: %s", u)
	}

	o.AuthURL = "https://login.example.com/{{tenant}}/authorize"
	if _, err := authCodeURL(o, nil, "http://127.0.0.1:5000/callback", "state-123456", ""); err == nil || !strings.Contains(err.Error(), "{{tenant}}") {
		t.Errorf("missing variable: err = %v, want one naming {{tenant}}", err)
	}
}

func TestSignInStateMismatchIsRejected(t *testing.T) {
	a := newTestAS(t)
	a.secret = ""
	r := a.resource()
	store := newMemStore()
	c := newClient(t, store)
	b := newBrowser()
	b.tamper = func(u *url.URL) {
		q := u.Query()
		q.Set("state", "forged-state-value")
		u.RawQuery = q.Encode()
	}
	opened := make(chan *url.URL, 1)
	errc := make(chan error, 1)
	go func() {
		_, err := c.SignIn(t.Context(), r, Prompt{OpenURL: b.open, OnOpen: func(u *url.URL) { opened <- u }})
		errc <- err
	}()
	p := b.last(t)
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, "not the one apidesk is waiting for") {
		t.Errorf("forged callback page = %d %q", p.status, p.body)
	}
	if strings.Contains(p.body, "forged-state-value") {
		t.Errorf("the page echoes the state")
	}
	select {
	case err := <-errc:
		t.Fatalf("SignIn ended after a forged callback: %v", err)
	default:
	}
	if store.token(t, r.ID) != nil {
		t.Fatalf("a forged callback led to a token")
	}
	// The sign-in keeps waiting: the real browser coming back with the right state still finishes it.
	honest := newBrowser()
	honest.open(<-opened)
	if err := <-errc; err != nil {
		t.Fatalf("SignIn after the honest callback: %v", err)
	}
	if p := honest.last(t); p.status != http.StatusOK {
		t.Errorf("honest callback page = %d %q", p.status, p.body)
	}
	if store.token(t, r.ID) == nil {
		t.Errorf("no token after the honest callback")
	}
}

func TestLoopbackAcceptsOneValidCallback(t *testing.T) {
	l, err := listenLoopback(0, "the-right-state")
	if err != nil {
		t.Fatal(err)
	}
	defer l.close(t.Context())
	get := func(q string) (int, string) {
		resp, err := http.Get(l.uri + "?" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, _ := get("code=c1&state=wrong-state"); st != http.StatusBadRequest {
		t.Errorf("wrong state: status %d", st)
	}
	if st, _ := get("code=c1"); st != http.StatusBadRequest {
		t.Errorf("no state: status %d", st)
	}
	if resp, err := http.Get(strings.TrimSuffix(l.uri, CallbackPath) + "/other?state=the-right-state&code=x"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("other path: %v %v", resp.StatusCode, err)
	}
	l.finish(nil) // the code exchange succeeds (the page waits for it)
	if st, body := get("code=c1&state=the-right-state"); st != http.StatusOK || !strings.Contains(body, "Signed in") {
		t.Errorf("valid callback: %d %q", st, body)
	}
	if st, body := get("code=c2&state=the-right-state"); st != http.StatusConflict || !strings.Contains(body, "already finished") {
		t.Errorf("second callback: %d %q", st, body)
	}
	if res := <-l.result; res.err != nil || res.code != "c1" {
		t.Errorf("result = %q, %v; want the first valid code", res.code, res.err)
	}
}

func TestSignInAccessDenied(t *testing.T) {
	a := newTestAS(t)
	a.secret = ""
	a.deny = true
	r := a.resource()
	store := newMemStore()
	c := newClient(t, store)
	b := newBrowser()
	_, err := c.SignIn(t.Context(), r, Prompt{OpenURL: b.open})
	if !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("err = %v, want ErrAccessDenied", err)
	}
	if !strings.Contains(err.Error(), "denied") {
		t.Errorf("message = %q", err)
	}
	p := b.last(t)
	if p.status != http.StatusOK || !strings.Contains(p.body, "Sign-in did not finish") || !strings.Contains(p.body, "denied") {
		t.Errorf("error page = %d %q", p.status, p.body)
	}
	if store.token(t, r.ID) != nil {
		t.Errorf("a token was stored after access_denied")
	}
}

func TestSignInTimeoutAndCancel(t *testing.T) {
	a := newTestAS(t)
	r := a.resource()
	c := newClient(t, newMemStore())
	never := func(*url.URL) error { return nil } // the person never comes back

	_, err := c.SignIn(t.Context(), r, Prompt{OpenURL: never, Timeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrTimeout) || errors.Is(err, context.Canceled) {
		t.Errorf("timeout: err = %v, want ErrTimeout", err)
	}

	// No browser opens; the person gives up and cancels.
	ctx, cancel := context.WithCancel(t.Context())
	var browserErr error
	_, err = c.SignIn(ctx, r, Prompt{
		OpenURL:        func(*url.URL) error { return errBrowser },
		OnBrowserError: func(err error) { browserErr = err; cancel() },
	})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Errorf("cancel: err = %v, want context.Canceled", err)
	}
	if !errors.Is(browserErr, errBrowser) {
		t.Errorf("OnBrowserError got %v", browserErr)
	}
}

func TestSignInFixedPort(t *testing.T) {
	// Find a free port, then ask for it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	a := newTestAS(t)
	a.secret = ""
	r := a.resource()
	r.Auth.OAuth2.RedirectPort = port
	c := newClient(t, newMemStore())
	var uri string
	if _, err := c.SignIn(t.Context(), r, Prompt{OpenURL: newBrowser().open, OnListening: func(u string) { uri = u }}); err != nil {
		t.Fatal(err)
	}
	if want := RedirectURI(port); uri != want {
		t.Errorf("redirect URI = %q, want %q", uri, want)
	}

	// A port in use is a plain error that names it.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	r.Auth.OAuth2.RedirectPort = busy.Addr().(*net.TCPAddr).Port
	_, err = c.SignIn(t.Context(), r, Prompt{OpenURL: newBrowser().open})
	if err == nil || !strings.Contains(err.Error(), strconv.Itoa(r.Auth.OAuth2.RedirectPort)) {
		t.Errorf("busy port: err = %v", err)
	}
	if RedirectURI(0) != "http://127.0.0.1:PORT/callback" {
		t.Errorf("RedirectURI(0) = %q", RedirectURI(0))
	}
}

func TestSignInNeedsClientSecret(t *testing.T) {
	a := newTestAS(t)
	r := a.resource()
	r.Auth.OAuth2.ClientAuth = resource.ClientAuthBody
	c := newClient(t, newMemStore())
	opened := false
	_, err := c.SignIn(t.Context(), r, Prompt{OpenURL: func(*url.URL) error { opened = true; return nil }})
	if !errors.Is(err, ErrNeedsClientSecret) || !strings.HasPrefix(err.Error(), "This resource needs its client secret: ") {
		t.Errorf("err = %v, want ErrNeedsClientSecret", err)
	}
	if opened {
		t.Errorf("the browser was opened although the sign-in could not finish")
	}

	// With auto client authentication apidesk tries as a public client; the server's invalid_client then
	// asks for the secret too.
	r.Auth.OAuth2.ClientAuth = resource.ClientAuthAuto
	_, err = c.SignIn(t.Context(), r, Prompt{OpenURL: newBrowser().open})
	if !errors.Is(err, ErrNeedsClientSecret) {
		t.Errorf("auto: err = %v, want ErrNeedsClientSecret", err)
	}
}

func TestWrongSecretErrorShowsServerError(t *testing.T) {
	a := newTestAS(t)
	r := a.resource()
	r.Auth.OAuth2.Grant = resource.GrantClientCredentials
	r.Auth.OAuth2.ClientAuth = resource.ClientAuthBasic
	store := newMemStore()
	store.Set(t.Context(), r.ID, resource.SecretClientSecret, "wrong-secret-xyz")
	c := newClient(t, store)
	_, err := c.AccessToken(t.Context(), r)
	var re *oauth2.RetrieveError
	var se *ServerError
	if !errors.As(err, &re) || !errors.As(err, &se) || se.Code != "invalid_client" || se.Status != 401 {
		t.Fatalf("err = %v (%T)", err, err)
	}
	for _, want := range []string{"invalid_client", "Client authentication failed.", "401"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	noSecrets(t, err, "wrong-secret-xyz", a.secret)
}

func TestNonstandardTokenResponses(t *testing.T) {
	tests := []struct {
		name  string
		setup func(a *testAS)
	}{
		{"form-encoded with comma scopes", func(a *testAS) { a.form = true }},
		{"expires_in as a string", func(a *testAS) { a.expiresIn = "3600" }},
		{"no token_type", func(a *testAS) { a.noType = true }},
		{"no expires_in", func(a *testAS) { a.expiresIn = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestAS(t)
			tt.setup(a)
			r := a.resource()
			r.Auth.OAuth2.Grant = resource.GrantClientCredentials
			store := newMemStore()
			store.Set(t.Context(), r.ID, resource.SecretClientSecret, a.secret)
			c := newClient(t, store)
			if _, err := c.AccessToken(t.Context(), r); err != nil {
				t.Fatal(err)
			}
			tok := store.token(t, r.ID)
			if strings.Join(tok.Scopes, " ") != "read write" {
				t.Errorf("scopes = %q", tok.Scopes)
			}
			if tok.Type() != "Bearer" {
				t.Errorf("type = %q", tok.Type())
			}
			if a.expiresIn != nil && time.Until(tok.Expiry) < 59*time.Minute {
				t.Errorf("expiry = %v, want in an hour", tok.Expiry)
			}
			if a.expiresIn == nil && !tok.Expiry.IsZero() {
				t.Errorf("expiry = %v, want none", tok.Expiry)
			}
		})
	}
}

func TestErrorIn200AndFormErrors(t *testing.T) {
	for _, form := range []bool{false, true} {
		t.Run(fmt.Sprint("form=", form), func(t *testing.T) {
			a := newTestAS(t)
			a.errorIn200, a.form = true, form
			r := a.resource()
			r.Auth.OAuth2.Grant = resource.GrantClientCredentials
			r.Auth.OAuth2.ClientAuth = resource.ClientAuthBody
			store := newMemStore()
			store.Set(t.Context(), r.ID, resource.SecretClientSecret, "not-the-secret")
			_, err := newClient(t, store).AccessToken(t.Context(), r)
			var se *ServerError
			if !errors.As(err, &se) || se.Code != "invalid_client" || se.Description != "Client authentication failed." || se.Status != 200 {
				t.Fatalf("err = %v", err)
			}
			noSecrets(t, err, "not-the-secret")
		})
	}
}

// The resource's token params go with every grant; those named as apidesk's own parameters or the client's
// credentials do not replace them.
func TestTokenParams(t *testing.T) {
	a := newTestAS(t)
	a.secret = ""
	r := a.resource()
	r.Auth.OAuth2.TokenParams = kv.List{
		kv.On("audience", "https://api.example.com"), kv.On("grant_type", "password"), kv.On("client_id", "someone-else"),
		kv.On("code_verifier", "not-the-verifier"), kv.On("refresh_token", "not-the-token"),
	}
	c := newClient(t, newMemStore())
	if _, err := c.SignIn(t.Context(), r, Prompt{OpenURL: newBrowser().open}); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	tok, err := c.AccessToken(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Refresh(t.Context(), r, tok); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	for grant, own := range map[string]string{"authorization_code": "code_verifier", "refresh_token": "refresh_token"} {
		a.mu.Lock()
		f := a.forms[grant]
		a.mu.Unlock()
		if f.Get("audience") != "https://api.example.com" || len(f["grant_type"]) != 1 || len(f["client_id"]) != 1 || f.Get("client_id") != "cid" {
			t.Errorf("%s request = %v", grant, f)
		}
		if len(f[own]) != 1 || strings.HasPrefix(f.Get(own), "not-the-") {
			t.Errorf("%s request: the token param %s replaced apidesk's own: %v", grant, own, f)
		}
	}
}

// The browser's page says "Signed in" only once the code was exchanged; a failed exchange is said there too.
func TestSignInPageWaitsForTheExchange(t *testing.T) {
	a := newTestAS(t)
	a.secret = ""
	r := a.resource()
	store := newMemStore()
	c := newClient(t, store)
	b := newBrowser()
	b.tamper = func(u *url.URL) {
		q := u.Query()
		q.Set("code", "a-code-the-provider-never-issued")
		u.RawQuery = q.Encode()
	}
	_, err := c.SignIn(t.Context(), r, Prompt{OpenURL: b.open})
	if err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("SignIn = %v, want the exchange's invalid_grant", err)
	}
	p := b.last(t)
	if strings.Contains(p.body, "Signed in") || !strings.Contains(p.body, "Sign-in did not finish") || !strings.Contains(p.body, "invalid_grant") {
		t.Errorf("page after a failed exchange = %d %q", p.status, p.body)
	}
	if store.token(t, r.ID) != nil {
		t.Errorf("a token was stored")
	}
}
