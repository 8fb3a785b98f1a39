package oauthpeer_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"apidesk/e2e/oauthpeer"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func refresh(t *testing.T, cfg *oauth2.Config, refreshToken string) (*oauth2.Token, error) {
	t.Helper()
	return cfg.TokenSource(t.Context(), &oauth2.Token{RefreshToken: refreshToken}).Token()
}

func TestRefreshRotationAndReuse(t *testing.T) {
	srv := oauthpeer.Start(t)
	cfg := publicConfig(srv, "read")
	first := signIn(t, srv, cfg)

	second, err := refresh(t, cfg, first.RefreshToken)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if second.RefreshToken == "" || second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
		t.Fatalf("refresh did not rotate: %+v", second)
	}
	if srv.Active(first.RefreshToken) || srv.Active(first.AccessToken) {
		t.Error("the rotated-out tokens are still active")
	}
	if status, _, _ := get(t, srv.HTTPClient(), srv.MeURL(), second.AccessToken); status != http.StatusOK {
		t.Fatalf("new access token: /api/me = %d", status)
	}

	// Reusing the old refresh token is taken as theft: the whole family goes.
	_, err = refresh(t, cfg, first.RefreshToken)
	if code := errorCode(err); code != "invalid_grant" {
		t.Fatalf("reuse: err = %v, want invalid_grant", err)
	}
	if srv.Active(second.RefreshToken) || srv.Active(second.AccessToken) {
		t.Error("reuse did not revoke the newer tokens")
	}
	if _, err := refresh(t, cfg, second.RefreshToken); err == nil {
		t.Error("the newer refresh token still works after reuse was detected")
	}
	if status, _, _ := get(t, srv.HTTPClient(), srv.MeURL(), second.AccessToken); status != http.StatusUnauthorized {
		t.Errorf("newer access token after reuse: /api/me = %d, want 401", status)
	}
	if n := srv.TokenRequestCount(oauthpeer.GrantRefreshToken); n != 3 {
		t.Errorf("refresh requests = %d, want 3", n)
	}
}

func TestConcurrentRefreshOfOneToken(t *testing.T) {
	// What a client without single-flight does: the server lets exactly one
	// refresh through, treats the rest as reuse and revokes the family.
	srv := oauthpeer.Start(t)
	cfg := publicConfig(srv, "read")
	tok := signIn(t, srv, cfg)

	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won []*oauth2.Token
	for range n {
		wg.Go(func() {
			if next, err := refresh(t, cfg, tok.RefreshToken); err == nil {
				mu.Lock()
				won = append(won, next)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(won) != 1 {
		t.Fatalf("%d of %d concurrent refreshes succeeded, want 1", len(won), n)
	}
	if srv.Active(won[0].RefreshToken) || srv.Active(won[0].AccessToken) {
		t.Error("the losers' reuse should have revoked the winner's tokens too")
	}
	if got := srv.TokenRequestCount(oauthpeer.GrantRefreshToken); got != n {
		t.Errorf("refresh requests = %d, want %d", got, n)
	}
}

func TestRefreshRejections(t *testing.T) {
	srv := oauthpeer.Start(t)
	cfg := publicConfig(srv, "read")
	tok := signIn(t, srv, cfg)

	srv.RejectNextRefresh(http.StatusBadRequest, "invalid_request")
	_, err := refresh(t, cfg, tok.RefreshToken)
	if code := errorCode(err); code != "invalid_request" {
		t.Fatalf("err = %v, want invalid_request", err)
	}
	next, err := refresh(t, cfg, tok.RefreshToken)
	if err != nil {
		t.Fatalf("the rejection should apply once and leave the token valid: %v", err)
	}

	srv.RevokeAllTokens()
	if _, err := refresh(t, cfg, next.RefreshToken); errorCode(err) != "invalid_grant" {
		t.Fatalf("after RevokeAllTokens: err = %v, want invalid_grant", err)
	}
	if status, _, _ := get(t, srv.HTTPClient(), srv.MeURL(), next.AccessToken); status != http.StatusUnauthorized {
		t.Errorf("after RevokeAllTokens: /api/me = %d, want 401", status)
	}
}

func TestClientCredentialsAuthMethods(t *testing.T) {
	srv := oauthpeer.Start(t)
	tests := []struct {
		name, id, secret string
		style            oauth2.AuthStyle
		wantOK           bool
		wantRequests     int
	}{
		{"basic client with Basic", oauthpeer.BasicClientID, oauthpeer.BasicClientSecret, oauth2.AuthStyleInHeader, true, 1},
		{"basic client with body", oauthpeer.BasicClientID, oauthpeer.BasicClientSecret, oauth2.AuthStyleInParams, false, 1},
		{"post client with body", oauthpeer.PostClientID, oauthpeer.PostClientSecret, oauth2.AuthStyleInParams, true, 1},
		{"post client with Basic", oauthpeer.PostClientID, oauthpeer.PostClientSecret, oauth2.AuthStyleInHeader, false, 1},
		{"post client auto-detected", oauthpeer.PostClientID, oauthpeer.PostClientSecret, oauth2.AuthStyleAutoDetect, true, 2},
		{"wrong secret", oauthpeer.BasicClientID, "not-the-secret", oauth2.AuthStyleInHeader, false, 1},
		{"public client", oauthpeer.PublicClientID, "", oauth2.AuthStyleInParams, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.TokenRequestCount(oauthpeer.GrantClientCredentials)
			cc := clientcredentials.Config{ClientID: tt.id, ClientSecret: tt.secret, TokenURL: srv.TokenURL(), AuthStyle: tt.style, Scopes: []string{"read"}}
			tok, err := cc.Token(t.Context())
			if (err == nil) != tt.wantOK {
				t.Fatalf("err = %v, want ok=%v", err, tt.wantOK)
			}
			if got := srv.TokenRequestCount(oauthpeer.GrantClientCredentials) - before; got != tt.wantRequests {
				t.Errorf("token requests = %d, want %d", got, tt.wantRequests)
			}
			if !tt.wantOK {
				if code := errorCode(err); code != "invalid_client" && code != "invalid_grant" {
					t.Errorf("error code = %q", code)
				}
				return
			}
			if tok.RefreshToken != "" {
				t.Error("client credentials should not get a refresh token")
			}
			status, _, body := get(t, srv.HTTPClient(), srv.MeURL(), tok.AccessToken)
			if status != http.StatusOK || decodeJSON(t, body)["sub"] != tt.id {
				t.Errorf("/api/me = %d %s, want the client as subject", status, body)
			}
		})
	}
}

func TestRequestsLogRedactsSecrets(t *testing.T) {
	srv := oauthpeer.Start(t)
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		cc := clientcredentials.Config{ClientID: oauthpeer.BasicClientID, ClientSecret: oauthpeer.BasicClientSecret, TokenURL: srv.TokenURL(), AuthStyle: style}
		_, _ = cc.Token(t.Context())
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("requests = %d, want 2", len(reqs))
	}
	if reqs[0].ClientAuth != oauthpeer.AuthBasic || reqs[1].ClientAuth != oauthpeer.AuthPost {
		t.Errorf("client auth = %q, %q", reqs[0].ClientAuth, reqs[1].ClientAuth)
	}
	if reqs[0].Status != http.StatusOK || reqs[1].Status != http.StatusUnauthorized {
		t.Errorf("statuses = %d, %d, want 200, 401", reqs[0].Status, reqs[1].Status)
	}
	for _, r := range reqs {
		if strings.Contains(r.Header.Get("Authorization")+r.Params.Encode(), oauthpeer.BasicClientSecret) {
			t.Errorf("the client secret is in the log: %+v", r)
		}
	}
}

func TestTokenEndpointGET(t *testing.T) {
	srv := oauthpeer.Start(t)
	q := url.Values{"grant_type": {"client_credentials"}, "scope": {"read write"}}

	t.Run("Basic credentials", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.TokenURL()+"?"+q.Encode(), nil)
		req.SetBasicAuth(oauthpeer.BasicClientID, oauthpeer.BasicClientSecret)
		resp, err := srv.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET token = %d", resp.StatusCode)
		}
	})

	t.Run("credentials in the query", func(t *testing.T) {
		q := url.Values{"grant_type": {"client_credentials"}, "client_id": {oauthpeer.PostClientID}, "client_secret": {oauthpeer.PostClientSecret}}
		status, _, body := get(t, srv.HTTPClient(), srv.TokenURL()+"?"+q.Encode(), "")
		if status != http.StatusOK {
			t.Fatalf("GET token = %d %s", status, body)
		}
		tok := decodeJSON(t, body)
		if s, _, _ := get(t, srv.HTTPClient(), srv.ItemsURL(), tok["access_token"].(string)); s != http.StatusOK {
			t.Errorf("token from GET: /api/items = %d", s)
		}
	})

	t.Run("refresh by GET", func(t *testing.T) {
		first := signIn(t, srv, publicConfig(srv, "read"))
		q := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}, "client_id": {oauthpeer.PublicClientID}}
		status, _, body := get(t, srv.HTTPClient(), srv.TokenURL()+"?"+q.Encode(), "")
		if status != http.StatusOK || decodeJSON(t, body)["refresh_token"] == "" {
			t.Fatalf("GET refresh = %d %s", status, body)
		}
	})

	var gets int
	for _, r := range srv.Requests() {
		if r.Path == oauthpeer.PathToken && r.Method == http.MethodGet {
			gets++
		}
	}
	if gets != 3 {
		t.Errorf("GET token requests recorded = %d, want 3", gets)
	}

	t.Run("other methods", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, srv.TokenURL(), nil)
		resp, err := srv.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("PUT token = %d, want 405", resp.StatusCode)
		}
	})
}

func TestRevocation(t *testing.T) {
	srv := oauthpeer.Start(t)
	c := srv.HTTPClient()

	t.Run("access token", func(t *testing.T) {
		cc := clientcredentials.Config{ClientID: oauthpeer.BasicClientID, ClientSecret: oauthpeer.BasicClientSecret, TokenURL: srv.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}
		tok, err := cc.Token(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		status, _, body := postForm(t, c, srv.RevokeURL(), url.Values{"token": {tok.AccessToken}}, oauthpeer.BasicClientID, oauthpeer.BasicClientSecret)
		if status != http.StatusOK {
			t.Fatalf("revoke = %d %s", status, body)
		}
		if s, _, _ := get(t, c, srv.MeURL(), tok.AccessToken); s != http.StatusUnauthorized {
			t.Errorf("/api/me after revocation = %d, want 401", s)
		}
	})

	t.Run("refresh token by a public client takes the access token with it", func(t *testing.T) {
		tok := signIn(t, srv, publicConfig(srv, "read"))
		form := url.Values{"token": {tok.RefreshToken}, "token_type_hint": {"refresh_token"}, "client_id": {oauthpeer.PublicClientID}}
		if status, _, body := postForm(t, c, srv.RevokeURL(), form, "", ""); status != http.StatusOK {
			t.Fatalf("revoke = %d %s", status, body)
		}
		if srv.Active(tok.RefreshToken) || srv.Active(tok.AccessToken) {
			t.Error("tokens still active after revoking the refresh token")
		}
	})

	t.Run("unknown token is fine (RFC 7009 §2.2)", func(t *testing.T) {
		status, _, body := postForm(t, c, srv.RevokeURL(), url.Values{"token": {"no-such-token"}, "client_id": {oauthpeer.PublicClientID}}, "", "")
		if status != http.StatusOK {
			t.Errorf("revoke unknown = %d %s", status, body)
		}
	})

	t.Run("another client's token is refused", func(t *testing.T) {
		tok := signIn(t, srv, publicConfig(srv, "read"))
		postForm(t, c, srv.RevokeURL(), url.Values{"token": {tok.RefreshToken}}, oauthpeer.BasicClientID, oauthpeer.BasicClientSecret)
		if !srv.Active(tok.RefreshToken) {
			t.Error("a client revoked a token it does not own")
		}
	})
}

func TestIntrospection(t *testing.T) {
	srv := oauthpeer.Start(t)
	tok := signIn(t, srv, publicConfig(srv, "read"))
	status, _, body := postForm(t, srv.HTTPClient(), srv.IntrospectURL(), url.Values{"token": {tok.AccessToken}}, oauthpeer.BasicClientID, oauthpeer.BasicClientSecret)
	if status != http.StatusOK {
		t.Fatalf("introspect = %d %s", status, body)
	}
	m := decodeJSON(t, body)
	if m["active"] != true || m["client_id"] != oauthpeer.PublicClientID || m["sub"] != srv.Subject() {
		t.Errorf("introspection = %v", m)
	}
	srv.ExpireAccessTokens()
	_, _, body = postForm(t, srv.HTTPClient(), srv.IntrospectURL(), url.Values{"token": {tok.AccessToken}}, oauthpeer.BasicClientID, oauthpeer.BasicClientSecret)
	if decodeJSON(t, body)["active"] != false {
		t.Errorf("introspection after expiry = %s", body)
	}
}

func TestQuirks(t *testing.T) {
	ccForm := url.Values{"grant_type": {"client_credentials"}}
	tests := []struct {
		name   string
		quirks oauthpeer.Quirk
		secret string
		check  func(t *testing.T, status int, h http.Header, body string)
	}{
		{"form encoded", oauthpeer.QuirkFormEncoded, oauthpeer.BasicClientSecret, func(t *testing.T, status int, h http.Header, body string) {
			v, err := url.ParseQuery(body)
			if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "application/x-www-form-urlencoded") || err != nil || v.Get("access_token") == "" || v.Get("expires_in") == "" {
				t.Errorf("got %d %s %q", status, h.Get("Content-Type"), body)
			}
		}},
		{"expires_in string, no token_type", oauthpeer.QuirkExpiresInString | oauthpeer.QuirkNoTokenType, oauthpeer.BasicClientSecret, func(t *testing.T, status int, _ http.Header, body string) {
			m := decodeJSON(t, body)
			if _, isString := m["expires_in"].(string); !isString || m["token_type"] != nil || status != http.StatusOK {
				t.Errorf("got %d %s", status, body)
			}
		}},
		{"errors with 200 as form", oauthpeer.QuirkErrorStatus200 | oauthpeer.QuirkFormEncoded, "wrong-secret", func(t *testing.T, status int, _ http.Header, body string) {
			v, _ := url.ParseQuery(body)
			if status != http.StatusOK || v.Get("error") != "invalid_client" {
				t.Errorf("got %d %q", status, body)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oauthpeer.Start(t, oauthpeer.WithQuirks(tt.quirks))
			status, h, body := postForm(t, srv.HTTPClient(), srv.TokenURL(), ccForm, oauthpeer.BasicClientID, tt.secret)
			tt.check(t, status, h, body)
		})
	}

	t.Run("golang.org/x/oauth2 reads the GitHub style", func(t *testing.T) {
		srv := oauthpeer.Start(t, oauthpeer.WithQuirks(oauthpeer.QuirkFormEncoded))
		cfg := publicConfig(srv, "read")
		tok := signIn(t, srv, cfg)
		if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Expiry.IsZero() {
			t.Errorf("token = %+v", tok)
		}
		srv.SetQuirks(0)
		if _, _, body := postForm(t, srv.HTTPClient(), srv.TokenURL(), ccForm, oauthpeer.BasicClientID, oauthpeer.BasicClientSecret); !strings.HasPrefix(body, "{") {
			t.Errorf("after SetQuirks(0): %q, want JSON", body)
		}
	})
}

func TestTLS(t *testing.T) {
	srv := oauthpeer.Start(t, oauthpeer.WithTLS())
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("URL = %s", srv.URL)
	}
	cfg := publicConfig(srv, "read")
	tok := signIn(t, srv, cfg)
	next, err := cfg.TokenSource(ctxFor(t, srv), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		t.Fatalf("refresh over TLS: %v", err)
	}
	if status, _, _ := get(t, srv.HTTPClient(), srv.MeURL(), next.AccessToken); status != http.StatusOK {
		t.Errorf("/api/me over TLS = %d", status)
	}
}
