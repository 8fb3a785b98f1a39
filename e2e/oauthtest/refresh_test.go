package oauthtest

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"apidesk/e2e/oauthpeer"
	"apidesk/engine/kv"
	"apidesk/engine/oauth"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

func TestRefreshBeforeExpiry(t *testing.T) {
	e := newEnv(t, oauthpeer.WithAccessTokenLifespan(30*time.Second)) // inside the 60 s refresh margin
	r := e.resource(oauthpeer.PublicClientID)
	e.signIn(r)
	first := e.stored(r)

	tok, err := e.client.AccessToken(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	if tok == first.AccessToken || e.srv.TokenRequestCount(oauthpeer.GrantRefreshToken) != 1 {
		t.Fatalf("no refresh before expiry: %d refresh requests", e.srv.TokenRequestCount(oauthpeer.GrantRefreshToken))
	}
	// Rotation: the new pair replaced the old one in the keychain, and the server retired the old one.
	second := e.stored(r)
	if second.AccessToken != tok || second.RefreshToken == first.RefreshToken || second.RefreshToken == "" {
		t.Errorf("keychain holds %+v", second)
	}
	if e.srv.Active(first.RefreshToken) || !e.srv.Active(second.RefreshToken) {
		t.Errorf("old refresh token active = %v, new = %v", e.srv.Active(first.RefreshToken), e.srv.Active(second.RefreshToken))
	}
	if len(second.Scopes) == 0 || !slices.Equal(second.Scopes, first.Scopes) || second.Grant != resource.GrantAuthorizationCode {
		t.Errorf("the refreshed token lost its scopes or grant: %q, %q (signed in with %q)", second.Scopes, second.Grant, first.Scopes)
	}

	// With long-lived tokens again, nothing more is refreshed: this process and others get the same token.
	e.srv.SetAccessTokenLifespan(time.Hour)
	tok, err = e.client.AccessToken(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*oauth.Client{e.client, e.newClient(), e.newClient(), e.newClient()} {
		if again, err := c.AccessToken(t.Context(), r); err != nil || again != tok {
			t.Fatalf("AccessToken = %v (the same token: %v); want the long-lived one", err, again == tok)
		}
	}
	if n := e.srv.TokenRequestCount(oauthpeer.GrantRefreshToken); n != 2 {
		t.Errorf("%d refresh requests, want 2", n)
	}
}

// A query with {-oauth_access_token-} through the runner: the server stops accepting the access token, the
// runner gets a 401, the token is refreshed once and the query sent again.
func TestRefreshOn401(t *testing.T) {
	e := newEnv(t)
	r := e.resource(oauthpeer.PublicClientID)
	e.signIn(r)
	run := runner.New(nil, tokenSource{e.client})
	q := &query.Query{Method: http.MethodGet, Path: "/api/items"}
	q.Headers = append(q.Headers, kv.On("X-Token", "{-oauth_access_token-}"))

	resp, err := run.Do(t.Context(), r, q, nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("first query: %v %v", resp, err)
	}
	resp.Close()

	e.srv.ExpireAccessTokens()
	resp, err = run.Do(t.Context(), r, q, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Close()
	if resp.StatusCode != http.StatusOK || e.srv.TokenRequestCount(oauthpeer.GrantRefreshToken) != 1 {
		t.Errorf("after expiry: %s, %d refreshes", resp.Status, e.srv.TokenRequestCount(oauthpeer.GrantRefreshToken))
	}
	// The retried request carried the new token, in the header and in the placeholder.
	reqs := e.srv.Requests()
	last := reqs[len(reqs)-1]
	tok := e.stored(r).AccessToken
	if last.Path != oauthpeer.PathItems || last.Header.Get("Authorization") != "Bearer "+tok || last.Header.Get("X-Token") != tok {
		t.Errorf("last request %s carried other tokens", last.Path)
	}
}

func TestConcurrentRequestsDuringExpiryRefreshOnce(t *testing.T) {
	e := newEnv(t)
	r := e.resource(oauthpeer.PublicClientID)
	e.signIn(r)
	tok := e.stored(r)
	tok.Expiry = time.Now().Add(-time.Second) // expired, as far as apidesk knows
	e.put(r, tok)
	e.srv.ExpireAccessTokens() // and at the server
	c := e.newClient()

	const n = 100
	var wg sync.WaitGroup
	got := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { got[i], errs[i] = c.AccessToken(t.Context(), r) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || got[i] != got[0] {
			t.Fatalf("call %d: %v (tokens differ: %v)", i, errs[i], got[i] != got[0])
		}
	}
	if n := e.srv.TokenRequestCount(oauthpeer.GrantRefreshToken); n != 1 {
		t.Errorf("%d refresh grants at the server, want exactly 1", n)
	}
	if !e.srv.Active(got[0]) {
		t.Errorf("the shared token is not active")
	}
}

// Two processes (two Clients, one keychain, one lock directory) refresh at the same moment: one asks the
// server, the other finds the rotated token in the keychain; fosite would revoke the whole family if the
// old refresh token were used twice.
func TestCrossProcessRefresh(t *testing.T) {
	e := newEnv(t)
	r := e.resource(oauthpeer.PostClientID)
	e.signIn(r)
	for round := 1; round <= 3; round++ {
		tok := e.stored(r)
		tok.Expiry = time.Now().Add(-time.Second)
		e.put(r, tok)
		p1, p2 := e.newClient(), e.newClient()
		var wg sync.WaitGroup
		var t1, t2 string
		var e1, e2 error
		wg.Go(func() { t1, e1 = p1.AccessToken(t.Context(), r) })
		wg.Go(func() { t2, e2 = p2.AccessToken(t.Context(), r) })
		wg.Wait()
		if e1 != nil || e2 != nil || t1 != t2 {
			t.Fatalf("round %d: %v / %v, same token %v", round, e1, e2, t1 == t2)
		}
		if n := e.srv.TokenRequestCount(oauthpeer.GrantRefreshToken); n != round {
			t.Fatalf("round %d: %d refresh grants, want %d", round, n, round)
		}
		if !e.srv.Active(t1) {
			t.Fatalf("round %d: the token is not active (family revoked?)", round)
		}
	}
}

func TestReusedRefreshTokenSignsOut(t *testing.T) {
	e := newEnv(t)
	r := e.resource(oauthpeer.PublicClientID)
	e.signIn(r)
	old := e.stored(r)
	if _, err := e.client.Refresh(t.Context(), r, old.AccessToken); err != nil {
		t.Fatal(err)
	}
	newest := e.stored(r)
	// A stale copy of the old tokens (a backup restored, a second machine) tries to refresh.
	e.put(r, old)
	_, err := e.newClient().Refresh(t.Context(), r, old.AccessToken)
	if !errors.Is(err, oauth.ErrNotSignedIn) || !strings.Contains(err.Error(), "sign in again") {
		t.Fatalf("err = %v, want signed out", err)
	}
	var se *oauth.ServerError
	if !errors.As(err, &se) || se.Code != "invalid_grant" {
		t.Errorf("err does not carry the server's answer: %v", err)
	}
	noneContain(t, "the error", []string{err.Error()}, old.AccessToken, old.RefreshToken, newest.RefreshToken)
	if e.stored(r) != nil {
		t.Errorf("tokens still in the keychain")
	}
	if e.srv.Active(newest.RefreshToken) {
		t.Errorf("fosite did not revoke the family on reuse")
	}
}

// Only a dead refresh token (fosite's invalid_grant) ends the sign-in. Any other refusal of the token endpoint
// (a wrong request, a client the provider no longer lets refresh, a proxy's 403) keeps the tokens and says so.
func TestRefusedRefresh(t *testing.T) {
	for _, tt := range []struct {
		name   string
		reject func(s *oauthpeer.Server)
		dead   bool
	}{
		{"invalid_grant from fosite", func(s *oauthpeer.Server) { s.RevokeAllTokens() }, true},
		{"invalid_request 400", func(s *oauthpeer.Server) { s.RejectNextRefresh(http.StatusBadRequest, "invalid_request") }, false},
		{"unauthorized_client 401", func(s *oauthpeer.Server) { s.RejectNextRefresh(http.StatusUnauthorized, "unauthorized_client") }, false},
		{"403 without a code", func(s *oauthpeer.Server) { s.RejectNextRefresh(http.StatusForbidden, "") }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			r := e.resource(oauthpeer.BasicClientID)
			e.signIn(r)
			tok := e.stored(r)
			tt.reject(e.srv)
			run := runner.New(nil, tokenSource{e.client})
			e.srv.ExpireAccessTokens()
			_, err := run.Do(t.Context(), r, &query.Query{Method: http.MethodGet, Path: "/api/me"}, nil)
			if err == nil {
				t.Fatal("the query ran although the refresh was refused")
			}
			noneContain(t, "the error", []string{err.Error()}, tok.AccessToken, tok.RefreshToken, oauthpeer.BasicClientSecret)
			if !tt.dead {
				if errors.Is(err, oauth.ErrNotSignedIn) || !strings.Contains(err.Error(), "it is kept") {
					t.Fatalf("err = %v, want the sign-in kept", err)
				}
				if e.stored(r) == nil {
					t.Fatal("tokens deleted after a refusal that says nothing about them")
				}
				// Once the provider answers normally again, the kept sign-in refreshes and the query runs.
				resp, err := run.Do(t.Context(), r, &query.Query{Method: http.MethodGet, Path: "/api/me"}, nil)
				if err != nil {
					t.Fatalf("query once the provider accepts the refresh again: %v", err)
				}
				_ = resp.Close()
				return
			}
			if !errors.Is(err, oauth.ErrNotSignedIn) || !errors.Is(err, resource.ErrNotSignedIn) {
				t.Fatalf("query after a rejected refresh: %v", err)
			}
			var sin *oauth.SignInNeededError
			if !errors.As(err, &sin) || !strings.Contains(err.Error(), "signed out — sign in again") {
				t.Errorf("err = %v, want signed out", err)
			}
			if e.stored(r) != nil {
				t.Errorf("tokens still in the keychain")
			}
			if _, err := e.client.AccessToken(t.Context(), r); !errors.Is(err, oauth.ErrNotSignedIn) {
				t.Errorf("AccessToken after sign-out: %v", err)
			}
			st, err := e.client.Status(t.Context(), r)
			if err != nil || st.Ready() || st.State != oauth.NotSignedIn {
				t.Errorf("status = %+v, %v", st, err)
			}
			lc, err := e.client.CheckLogin(t.Context(), r)
			if err != nil || lc.OK {
				t.Errorf("CheckLogin = %+v, %v", lc, err)
			}
		})
	}
}

func TestServerErrorKeepsTokens(t *testing.T) {
	e := newEnv(t)
	r := e.resource(oauthpeer.PublicClientID)
	e.signIn(r)
	tok := e.stored(r)
	e.srv.RejectNextRefresh(http.StatusServiceUnavailable, "temporarily_unavailable")
	_, err := e.client.Refresh(t.Context(), r, tok.AccessToken)
	if err == nil || errors.Is(err, oauth.ErrNotSignedIn) {
		t.Fatalf("err = %v, want a plain error", err)
	}
	if e.stored(r) == nil {
		t.Fatalf("tokens deleted after a 503")
	}
	if _, err := e.client.Refresh(t.Context(), r, tok.AccessToken); err != nil {
		t.Errorf("refresh once the server is back: %v", err)
	}
}
