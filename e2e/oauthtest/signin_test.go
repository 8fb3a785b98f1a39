package oauthtest

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"apidesk/e2e/oauthpeer"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
)

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	for _, tt := range []struct {
		name, clientID, clientAuth, wantAuth string
	}{
		{"public client", oauthpeer.PublicClientID, resource.ClientAuthAuto, oauthpeer.AuthNone},
		{"Basic client", oauthpeer.BasicClientID, resource.ClientAuthBasic, oauthpeer.AuthBasic},
		{"body client", oauthpeer.PostClientID, resource.ClientAuthBody, oauthpeer.AuthPost},
		{"body client, auto", oauthpeer.PostClientID, resource.ClientAuthAuto, oauthpeer.AuthPost},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, oauthpeer.WithPKCERequired())
			r := e.resource(tt.clientID)
			r.Auth.OAuth2.ClientAuth = tt.clientAuth
			var redirect string
			var opened *url.URL
			p := e.prompt()
			p.OnListening = func(u string) { redirect = u }
			p.OnOpen = func(u *url.URL) { opened = u }
			st, err := e.client.SignIn(t.Context(), r, p)
			if err != nil {
				t.Fatalf("SignIn: %v", err)
			}
			if st.State != oauth.SignedIn || !st.Refreshable || !strings.HasPrefix(st.Summary(), "Signed in · expires in ") {
				t.Errorf("status = %+v %q", st, st.Summary())
			}
			q := opened.Query()
			if q.Get("code_challenge_method") != "S256" || q.Get("redirect_uri") != redirect || len(q.Get("state")) < 8 {
				t.Errorf("authorization request = %v", q)
			}
			visits := e.browser.Wait()
			if len(visits) != 1 || visits[0].Status != http.StatusOK || !strings.Contains(visits[0].Body, "You can close this tab and return to apidesk") {
				t.Errorf("visits = %+v", visits)
			}
			// The token request authenticated the way the client must.
			var exchange *oauthpeer.Request
			for _, req := range e.srv.Requests() {
				if req.Path == oauthpeer.PathToken && req.Status == http.StatusOK {
					exchange = &req
				}
			}
			if exchange == nil || exchange.ClientAuth != tt.wantAuth || exchange.Params.Get("code_verifier") == "" {
				t.Errorf("token request = %+v", exchange)
			}

			// Survives a restart: another process finds the token in the keychain and the API takes it.
			other := e.newClient()
			lc, err := other.CheckLogin(t.Context(), r)
			if err != nil || !lc.OK {
				t.Errorf("CheckLogin from a new process = %+v, %v", lc, err)
			}
			if tok := e.stored(r); tok == nil || !e.srv.Active(tok.AccessToken) || !e.srv.Active(tok.RefreshToken) {
				t.Errorf("stored token missing or inactive")
			}
		})
	}
}

func TestStateMismatchIsRejected(t *testing.T) {
	e := newEnv(t)
	r := e.resource(oauthpeer.PublicClientID)
	e.browser.TamperCallback = func(u *url.URL) {
		q := u.Query()
		q.Set("state", "forged-state-0123456789")
		u.RawQuery = q.Encode()
	}
	opened := make(chan *url.URL, 1)
	done := make(chan error, 1)
	p := e.prompt()
	p.OpenURL = func(u *url.URL) error {
		err := e.browser.OpenURL(u)
		opened <- u
		return err
	}
	go func() {
		_, err := e.client.SignIn(t.Context(), r, p)
		done <- err
	}()
	authURL := <-opened
	visits := e.browser.Wait()
	if len(visits) != 1 || visits[0].Status != http.StatusBadRequest || strings.Contains(visits[0].Body, "forged-state") {
		t.Fatalf("forged callback: %+v", visits)
	}
	select {
	case err := <-done:
		t.Fatalf("the forged callback ended the sign-in: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	if e.stored(r) != nil {
		t.Fatalf("a forged callback led to a token")
	}
	honest := e.srv.Browser(t)
	if err := honest.OpenURL(authURL); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("SignIn after the honest callback: %v", err)
	}
	if e.stored(r) == nil {
		t.Errorf("no token after the honest callback")
	}
}

func TestAccessDenied(t *testing.T) {
	e := newEnv(t)
	r := e.resource(oauthpeer.PublicClientID)
	e.srv.DenyNextAuthorization()
	_, err := e.client.SignIn(t.Context(), r, e.prompt())
	var ae *oauth.AuthorizationError
	if !errors.Is(err, oauth.ErrAccessDenied) || !errors.As(err, &ae) {
		t.Fatalf("err = %v, want access denied", err)
	}
	visits := e.browser.Wait()
	if len(visits) != 1 || !strings.Contains(visits[0].Body, "Sign-in did not finish") {
		t.Errorf("error page: %+v", visits)
	}
	if st, _ := e.client.Status(t.Context(), r); st.State != oauth.NotSignedIn {
		t.Errorf("state = %v", st.State)
	}
}

func TestSignInCancel(t *testing.T) {
	e := newEnv(t)
	r := e.resource(oauthpeer.PublicClientID)
	ctx, cancel := context.WithCancel(t.Context())
	var redirect string
	_, err := e.client.SignIn(ctx, r, oauth.Prompt{
		OpenURL:     func(*url.URL) error { cancel(); return nil }, // the person closes the dialog
		OnListening: func(u string) { redirect = u },
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, err := http.Get(redirect); err == nil {
		t.Errorf("the loopback listener still answers after cancel")
	}
}

func TestGETTokenMethod(t *testing.T) {
	e := newEnv(t)
	r := e.resource(oauthpeer.PostClientID)
	r.Auth.OAuth2.TokenMethod = http.MethodGet
	r.Auth.OAuth2.ClientAuth = resource.ClientAuthBody
	e.signIn(r)
	if _, err := e.client.Refresh(t.Context(), r, e.stored(r).AccessToken); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, req := range e.srv.Requests() {
		if req.Path != oauthpeer.PathToken {
			continue
		}
		n++
		if req.Method != http.MethodGet || req.Status != http.StatusOK || req.ClientAuth != oauthpeer.AuthPost {
			t.Errorf("token request %s %d auth %q", req.Method, req.Status, req.ClientAuth)
		}
	}
	if n != 2 {
		t.Errorf("%d token requests, want 2 (code, refresh)", n)
	}
}

func TestNonstandardResponses(t *testing.T) {
	for _, q := range []oauthpeer.Quirk{
		oauthpeer.QuirkFormEncoded, oauthpeer.QuirkExpiresInString, oauthpeer.QuirkNoTokenType,
		oauthpeer.QuirkFormEncoded | oauthpeer.QuirkNoTokenType | oauthpeer.QuirkErrorStatus200,
	} {
		t.Run(quirkName(q), func(t *testing.T) {
			e := newEnv(t, oauthpeer.WithQuirks(q))
			r := e.resource(oauthpeer.BasicClientID)
			st := e.signIn(r)
			if st.State != oauth.SignedIn || st.TokenType != "Bearer" || st.Expiry.IsZero() || time.Until(st.Expiry) < 50*time.Minute {
				t.Errorf("status = %+v", st)
			}
			if !slices.Contains(st.Scopes, "read") {
				t.Errorf("scopes = %q", st.Scopes)
			}
			if lc, err := e.client.CheckLogin(t.Context(), r); err != nil || !lc.OK {
				t.Errorf("CheckLogin = %+v, %v", lc, err)
			}
			// An error answer is read too, whatever its shape.
			e.srv.RevokeAllTokens()
			_, err := e.client.Refresh(t.Context(), r, e.stored(r).AccessToken)
			var se *oauth.ServerError
			var re *oauth2.RetrieveError
			if !errors.Is(err, oauth.ErrNotSignedIn) || !errors.As(err, &se) || !errors.As(err, &re) || se.Code == "" {
				t.Errorf("refresh after revocation: %v", err)
			}
		})
	}
}

func quirkName(q oauthpeer.Quirk) string {
	var names []string
	for _, n := range []struct {
		q    oauthpeer.Quirk
		name string
	}{{oauthpeer.QuirkFormEncoded, "form"}, {oauthpeer.QuirkExpiresInString, "expires_in string"}, {oauthpeer.QuirkNoTokenType, "no token_type"}, {oauthpeer.QuirkErrorStatus200, "errors 200"}} {
		if q&n.q != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, "+")
}

func TestClientCredentials(t *testing.T) {
	for _, tt := range []struct {
		name, clientID, clientAuth, want string
		remembered                       string // the client authentication the token keeps
		refused                          int    // token requests refused for their client authentication
	}{
		{"Basic", oauthpeer.BasicClientID, resource.ClientAuthBasic, oauthpeer.AuthBasic, resource.ClientAuthBasic, 0},
		{"body", oauthpeer.PostClientID, resource.ClientAuthBody, oauthpeer.AuthPost, resource.ClientAuthBody, 0},
		{"auto finds Basic", oauthpeer.BasicClientID, resource.ClientAuthAuto, oauthpeer.AuthBasic, resource.ClientAuthBasic, 0},
		{"auto finds body", oauthpeer.PostClientID, resource.ClientAuthAuto, oauthpeer.AuthPost, resource.ClientAuthBody, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			r := e.resource(tt.clientID)
			r.Auth.OAuth2.Grant = resource.GrantClientCredentials
			r.Auth.OAuth2.ClientAuth = tt.clientAuth
			r.Auth.OAuth2.Scopes = []string{"read"}
			// No sign-in: a query just works.
			e.getMe(r, e.client)
			var ok []string
			for _, req := range e.srv.Requests() {
				if req.Path == oauthpeer.PathToken && req.Status == http.StatusOK {
					ok = append(ok, req.ClientAuth)
				}
			}
			if !slices.Equal(ok, []string{tt.want}) {
				t.Errorf("successful token requests authenticated with %q, want [%s]", ok, tt.want)
			}
			if e.srv.TokenRequestCount(oauthpeer.GrantClientCredentials) > 2 {
				t.Errorf("too many token requests")
			}

			// Another process finds the token in the keychain. When the API refuses it, a new one is fetched
			// with no sign-in, with the client authentication found the first time, also by another process.
			first := e.stored(r)
			if first == nil || first.ClientAuth != tt.remembered {
				t.Fatalf("stored token = %+v, want client authentication %q", first, tt.remembered)
			}
			if tok, err := e.newClient().AccessToken(t.Context(), r); err != nil || tok != first.AccessToken {
				t.Errorf("another process: %v (the same token: %v)", err, tok == first.AccessToken)
			}
			fresh, err := e.client.Refresh(t.Context(), r, first.AccessToken)
			if err != nil || fresh == first.AccessToken {
				t.Fatalf("Refresh = %v (a new token: %v)", err, fresh != first.AccessToken)
			}
			if _, err := e.newClient().Refresh(t.Context(), r, fresh); err != nil {
				t.Fatalf("Refresh from another process: %v", err)
			}
			refused := 0
			for _, req := range e.srv.Requests() {
				if req.Path == oauthpeer.PathToken && req.Status != http.StatusOK {
					refused++
				}
			}
			if n := e.srv.TokenRequestCount(oauthpeer.GrantClientCredentials); refused != tt.refused || n != 3+tt.refused {
				t.Errorf("%d token requests, %d refused; want %d refused (then remembered)", n, refused, tt.refused)
			}
		})
	}

	t.Run("wrong method is refused with the server's words", func(t *testing.T) {
		e := newEnv(t)
		r := e.resource(oauthpeer.BasicClientID)
		r.Auth.OAuth2.Grant = resource.GrantClientCredentials
		r.Auth.OAuth2.ClientAuth = resource.ClientAuthBody
		_, err := e.client.AccessToken(t.Context(), r)
		var se *oauth.ServerError
		if !errors.As(err, &se) || se.Code != "invalid_client" || !strings.Contains(err.Error(), "invalid_client") {
			t.Fatalf("err = %v", err)
		}
		noneContain(t, "the error", []string{err.Error()}, oauthpeer.BasicClientSecret)
	})

	t.Run("missing secret", func(t *testing.T) {
		e := newEnv(t)
		r := e.resource(oauthpeer.PublicClientID) // no secret stored
		r.Auth.OAuth2.Grant = resource.GrantClientCredentials
		r.Auth.OAuth2.ClientID = oauthpeer.BasicClientID
		_, err := e.client.AccessToken(t.Context(), r)
		if !errors.Is(err, oauth.ErrNeedsClientSecret) || !strings.HasPrefix(err.Error(), "This resource needs its client secret") {
			t.Errorf("err = %v", err)
		}
		st, err := e.client.Status(t.Context(), r)
		if err != nil || !st.NeedsClientSecret || st.Ready() {
			t.Errorf("status without a secret = %+v, %v", st, err)
		}
	})
}

func TestDiscovery(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []oauthpeer.Option
	}{
		{"openid-configuration", nil},
		{"oauth-authorization-server only", []oauthpeer.Option{oauthpeer.WithoutOpenIDConfiguration()}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.opts...)
			md, err := oauth.Discover(t.Context(), e.srv.HTTPClient(), e.srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			r := e.resource(oauthpeer.PublicClientID)
			o := &r.Auth.OAuth2
			o.AuthURL, o.TokenURL, o.RevokeURL, o.DeviceURL = "", "", "", ""
			if w := md.Apply(o, e.srv.URL); len(w) > 0 {
				t.Errorf("warnings: %q", w)
			}
			if o.AuthURL != e.srv.AuthURL() || o.TokenURL != e.srv.TokenURL() || o.RevokeURL != e.srv.RevokeURL() || o.DeviceURL != e.srv.DeviceAuthURL() {
				t.Errorf("discovered %+v", o)
			}
			if !slices.Contains(md.ScopesSupported, "read") {
				t.Errorf("scopes supported = %q", md.ScopesSupported)
			}
			e.signIn(r)

			// Sign-out finds the revocation endpoint through the issuer when none is set.
			o.RevokeURL = ""
			tok := e.stored(r)
			revoked, err := e.client.SignOut(t.Context(), r)
			if err != nil || !revoked || e.srv.Active(tok.RefreshToken) || e.srv.Active(tok.AccessToken) {
				t.Errorf("SignOut = %v, %v", revoked, err)
			}
		})
	}
}

func TestRevocation(t *testing.T) {
	e := newEnv(t)
	r := e.resource(oauthpeer.BasicClientID)
	r.Auth.OAuth2.ClientAuth = resource.ClientAuthBasic
	e.signIn(r)
	tok := e.stored(r)
	revoked, err := e.client.SignOut(t.Context(), r)
	if err != nil || !revoked {
		t.Fatalf("SignOut = %v, %v", revoked, err)
	}
	if e.srv.Active(tok.AccessToken) || e.srv.Active(tok.RefreshToken) {
		t.Errorf("tokens still active at the server")
	}
	var hints []string
	for _, req := range e.srv.Requests() {
		if req.Path == oauthpeer.PathRevoke {
			hints = append(hints, req.Params.Get("token_type_hint"))
			if req.Status != http.StatusOK || req.ClientAuth != oauthpeer.AuthBasic {
				t.Errorf("revocation answered %d, client auth %q", req.Status, req.ClientAuth)
			}
		}
	}
	if !slices.Equal(hints, []string{"refresh_token", "access_token"}) {
		t.Errorf("revoked %q, want the refresh token first", hints)
	}
	if e.stored(r) != nil {
		t.Errorf("tokens still in the keychain")
	}
	st, _ := e.client.Status(t.Context(), r)
	if st.State != oauth.NotSignedIn || st.Summary() != "Not signed in" {
		t.Errorf("status after sign-out: %v %q", st.State, st.Summary())
	}
	if _, err := e.newClient().AccessToken(t.Context(), r); !errors.Is(err, oauth.ErrNotSignedIn) {
		t.Errorf("AccessToken after sign-out: %v", err)
	}
}
