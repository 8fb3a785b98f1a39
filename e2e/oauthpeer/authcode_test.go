package oauthpeer_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"apidesk/e2e/oauthpeer"

	"golang.org/x/oauth2"
)

func TestAuthCodePKCEThroughBrowser(t *testing.T) {
	srv := oauthpeer.Start(t)
	browser := srv.Browser(t)
	lb := listenLoopback(t, "/callback")
	cfg := publicConfig(srv, "openid", "read")
	cfg.RedirectURL = lb.redirectURI // registered without a port: fosite accepts any (RFC 8252)

	verifier := oauth2.GenerateVerifier()
	q := authorize(t, browser, lb, cfg, "state-0123456789", oauth2.S256ChallengeOption(verifier))
	if got := q.Get("state"); got != "state-0123456789" {
		t.Fatalf("state = %q", got)
	}
	tok, err := cfg.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || !strings.EqualFold(tok.TokenType, "bearer") {
		t.Fatalf("token = %+v, want access and refresh tokens of type bearer", tok)
	}
	if idt, _ := tok.Extra("id_token").(string); strings.Count(idt, ".") != 2 {
		t.Errorf("id_token = %q, want a JWT for scope openid", idt)
	}
	if tok.Expiry.IsZero() {
		t.Error("token has no expiry")
	}

	status, _, body := get(t, srv.HTTPClient(), srv.MeURL(), tok.AccessToken)
	if status != http.StatusOK {
		t.Fatalf("/api/me = %d %s", status, body)
	}
	me := decodeJSON(t, body)
	if me["sub"] != srv.Subject() || me["client_id"] != oauthpeer.PublicClientID || me["scope"] != "openid read" {
		t.Errorf("/api/me = %v", me)
	}

	visits := browser.Wait()
	if len(visits) != 1 {
		t.Fatalf("visits = %d, want 1", len(visits))
	}
	v := visits[0]
	if v.Err != nil || v.Status != http.StatusOK || v.Body != "You can close this tab." {
		t.Errorf("visit = %+v, want the listener's page", v)
	}
	if v.Callback == nil || "http://"+v.Callback.Host+v.Callback.Path != lb.redirectURI {
		t.Errorf("callback = %v, want %s", v.Callback, lb.redirectURI)
	}
	if opened := browser.Opened(); len(opened) != 1 || opened[0].Path != oauthpeer.PathAuthorize {
		t.Errorf("opened = %v", opened)
	}
}

func TestAuthCodeRejections(t *testing.T) {
	srv := oauthpeer.Start(t)
	tests := []struct {
		name      string
		state     string
		opts      []oauth2.AuthCodeOption
		deny      bool
		wantError string
	}{
		{name: "public client without PKCE", state: "state-0123456789", wantError: "invalid_request"},
		{name: "plain PKCE is refused", state: "state-0123456789", opts: []oauth2.AuthCodeOption{
			oauth2.SetAuthURLParam("code_challenge", "plain-challenge-that-is-long-enough-0123456789"),
			oauth2.SetAuthURLParam("code_challenge_method", "plain"),
		}, wantError: "invalid_request"},
		{name: "state shorter than 8", state: "short", opts: []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(oauth2.GenerateVerifier())}, wantError: "invalid_state"},
		{name: "scope the client may not have", state: "state-0123456789", opts: []oauth2.AuthCodeOption{
			oauth2.S256ChallengeOption(oauth2.GenerateVerifier()), oauth2.SetAuthURLParam("scope", "admin"),
		}, wantError: "invalid_scope"},
		{name: "user denies", state: "state-0123456789", opts: []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(oauth2.GenerateVerifier())}, deny: true, wantError: "access_denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lb := listenLoopback(t, "/callback")
			cfg := publicConfig(srv, "read")
			cfg.RedirectURL = lb.redirectURI
			if tt.deny {
				srv.DenyNextAuthorization()
			}
			q := authorize(t, srv.Browser(t), lb, cfg, tt.state, tt.opts...)
			if q.Get("error") != tt.wantError || q.Get("code") != "" {
				t.Fatalf("callback = %v, want error=%s", q, tt.wantError)
			}
			if tt.state != "short" && q.Get("state") != tt.state {
				t.Errorf("state = %q, want it echoed", q.Get("state"))
			}
		})
	}

	t.Run("deny applies only once", func(t *testing.T) {
		tok := signIn(t, srv, publicConfig(srv, "read"))
		if tok.AccessToken == "" {
			t.Fatal("no access token")
		}
	})
}

func TestAuthCodeWrongVerifier(t *testing.T) {
	srv := oauthpeer.Start(t)
	lb := listenLoopback(t, "/callback")
	cfg := publicConfig(srv, "read")
	cfg.RedirectURL = lb.redirectURI
	q := authorize(t, srv.Browser(t), lb, cfg, "state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
	_, err := cfg.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier()))
	if err == nil {
		t.Fatal("exchange with the wrong code_verifier succeeded")
	}
}

func TestConfidentialClientCodeFlow(t *testing.T) {
	srv := oauthpeer.Start(t)
	for _, c := range []struct {
		id, secret string
		style      oauth2.AuthStyle
	}{
		{oauthpeer.BasicClientID, oauthpeer.BasicClientSecret, oauth2.AuthStyleInHeader},
		{oauthpeer.PostClientID, oauthpeer.PostClientSecret, oauth2.AuthStyleInParams},
	} {
		t.Run(c.id, func(t *testing.T) {
			ep := srv.Endpoint()
			ep.AuthStyle = c.style
			tok := signIn(t, srv, &oauth2.Config{ClientID: c.id, ClientSecret: c.secret, Endpoint: ep, Scopes: []string{"read"}})
			if tok.AccessToken == "" || tok.RefreshToken == "" {
				t.Fatalf("token = %+v", tok)
			}
		})
	}
}

func TestBrowserRedirectURIs(t *testing.T) {
	srv := oauthpeer.Start(t)

	t.Run("unregistered path gets the server's error page, not a redirect", func(t *testing.T) {
		browser := srv.Browser(t)
		cfg := publicConfig(srv, "read")
		cfg.RedirectURL = "http://127.0.0.1:1/not-registered"
		u, _ := url.Parse(cfg.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		if err := browser.OpenURL(u); err != nil {
			t.Fatal(err)
		}
		v := browser.Wait()[0]
		if v.Err == nil || v.Callback != nil || v.Status != http.StatusBadRequest {
			t.Fatalf("visit = %+v, want a 400 page at the server", v)
		}
	})

	t.Run("localhost is not a loopback IP literal", func(t *testing.T) {
		browser := srv.Browser(t)
		cfg := publicConfig(srv, "read")
		cfg.RedirectURL = "http://localhost:1/callback"
		u, _ := url.Parse(cfg.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		if err := browser.OpenURL(u); err != nil {
			t.Fatal(err)
		}
		if v := browser.Wait()[0]; v.Callback != nil {
			t.Fatalf("visit = %+v, want no redirect to localhost", v)
		}
	})

	t.Run("tampered callback", func(t *testing.T) {
		browser := srv.Browser(t)
		browser.TamperCallback = func(u *url.URL) {
			q := u.Query()
			q.Set("state", "forged-state-value")
			u.RawQuery = q.Encode()
		}
		lb := listenLoopback(t, "/callback")
		cfg := publicConfig(srv, "read")
		cfg.RedirectURL = lb.redirectURI
		q := authorize(t, browser, lb, cfg, "state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
		if q.Get("state") != "forged-state-value" || q.Get("code") == "" {
			t.Fatalf("callback = %v, want the forged state with a real code", q)
		}
	})

	t.Run("non-http URLs are refused", func(t *testing.T) {
		if err := srv.Browser(t).OpenURL(&url.URL{Scheme: "file", Path: "/etc/passwd"}); err == nil {
			t.Fatal("OpenURL accepted a file URL")
		}
	})
}

func TestAuthorizeKeepsExtraParams(t *testing.T) {
	srv := oauthpeer.Start(t)
	lb := listenLoopback(t, "/callback")
	cfg := publicConfig(srv, "read")
	cfg.RedirectURL = lb.redirectURI
	authorize(t, srv.Browser(t), lb, cfg, "state-0123456789",
		oauth2.S256ChallengeOption(oauth2.GenerateVerifier()), oauth2.AccessTypeOffline, oauth2.SetAuthURLParam("prompt", "consent"))
	var found bool
	for _, r := range srv.Requests() {
		if r.Path == oauthpeer.PathAuthorize {
			found = true
			if r.Params.Get("access_type") != "offline" || r.Params.Get("prompt") != "consent" || r.Params.Get("code_challenge_method") != "S256" {
				t.Errorf("authorize params = %v", r.Params)
			}
			if r.Status != http.StatusSeeOther && r.Status != http.StatusFound {
				t.Errorf("authorize status = %d, want a redirect", r.Status)
			}
		}
	}
	if !found {
		t.Fatal("no authorize request recorded")
	}
}
