package oauthpeer_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"apidesk/e2e/oauthpeer"
)

func TestProtectedResource(t *testing.T) {
	srv := oauthpeer.Start(t)
	c := srv.HTTPClient()
	tok := signIn(t, srv, publicConfig(srv, "read"))

	tests := []struct {
		name       string
		url, token string
		wantStatus int
		wantError  string // in WWW-Authenticate
	}{
		{"no token", srv.MeURL(), "", http.StatusUnauthorized, ""},
		{"garbage", srv.MeURL(), "not-a-token", http.StatusUnauthorized, `error="invalid_token"`},
		{"refresh token is not an access token", srv.MeURL(), tok.RefreshToken, http.StatusUnauthorized, `error="invalid_token"`},
		{"valid", srv.MeURL(), tok.AccessToken, http.StatusOK, ""},
		{"access_token query parameter", srv.MeURL() + "?access_token=" + tok.AccessToken, "", http.StatusOK, ""},
		{"items", srv.ItemsURL(), tok.AccessToken, http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := get(t, c, tt.url, tt.token)
			if status != tt.wantStatus {
				t.Fatalf("status = %d %s, want %d", status, body, tt.wantStatus)
			}
			challenge := h.Get("WWW-Authenticate")
			if status == http.StatusUnauthorized && (!strings.HasPrefix(challenge, "Bearer ") || !strings.Contains(challenge, tt.wantError)) {
				t.Errorf("WWW-Authenticate = %q, want Bearer with %q", challenge, tt.wantError)
			}
		})
	}

	status, _, body := get(t, c, srv.ItemsURL(), tok.AccessToken)
	var items []oauthpeer.Item
	if err := json.Unmarshal([]byte(body), &items); err != nil || status != http.StatusOK || !reflect.DeepEqual(items, oauthpeer.Items()) {
		t.Errorf("/api/items = %d %s (%v)", status, body, err)
	}

	srv.ExpireAccessTokens()
	if status, _, _ := get(t, c, srv.MeURL(), tok.AccessToken); status != http.StatusUnauthorized {
		t.Errorf("after ExpireAccessTokens: %d, want 401", status)
	}
	next, err := refresh(t, publicConfig(srv, "read"), tok.RefreshToken)
	if err != nil {
		t.Fatalf("refresh after expiry: %v", err)
	}
	if status, _, _ := get(t, c, srv.MeURL(), next.AccessToken); status != http.StatusOK {
		t.Errorf("refreshed token: %d, want 200", status)
	}
}

func TestAccessTokenLifespan(t *testing.T) {
	srv := oauthpeer.Start(t, oauthpeer.WithAccessTokenLifespan(-time.Second))
	tok := signIn(t, srv, publicConfig(srv, "read"))
	if status, _, _ := get(t, srv.HTTPClient(), srv.MeURL(), tok.AccessToken); status != http.StatusUnauthorized {
		t.Errorf("token born expired: /api/me = %d, want 401", status)
	}
	srv.SetAccessTokenLifespan(time.Hour)
	next, err := refresh(t, publicConfig(srv, "read"), tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, _ := get(t, srv.HTTPClient(), srv.MeURL(), next.AccessToken); status != http.StatusOK {
		t.Errorf("after SetAccessTokenLifespan: /api/me = %d, want 200", status)
	}
	if time.Until(next.Expiry) < 30*time.Minute {
		t.Errorf("expiry = %v, want about an hour away", next.Expiry)
	}
}

func TestManyConcurrentAPIRequests(t *testing.T) {
	srv := oauthpeer.Start(t)
	tok := signIn(t, srv, publicConfig(srv, "read"))
	var wg sync.WaitGroup
	statuses := make([]int, 100)
	for i := range statuses {
		wg.Go(func() {
			statuses[i], _, _ = get(t, srv.HTTPClient(), srv.ItemsURL(), tok.AccessToken)
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusOK {
			t.Fatalf("request %d = %d", i, s)
		}
	}
	if n := srv.TokenRequestCount(oauthpeer.GrantRefreshToken); n != 0 {
		t.Errorf("refreshes = %d, want 0", n)
	}
}

func TestJWTAccessTokens(t *testing.T) {
	srv := oauthpeer.Start(t, oauthpeer.WithJWTAccessTokens(6*1024))
	cfg := publicConfig(srv, "read")
	tok := signIn(t, srv, cfg)
	if len(tok.AccessToken) < 6*1024 || strings.Count(tok.AccessToken, ".") != 2 {
		t.Fatalf("access token is %d bytes, %d dots; want a JWT of at least 6 KiB", len(tok.AccessToken), strings.Count(tok.AccessToken, "."))
	}
	if status, _, _ := get(t, srv.HTTPClient(), srv.MeURL(), tok.AccessToken); status != http.StatusOK {
		t.Fatalf("/api/me = %d", status)
	}
	srv.ExpireAccessTokens()
	if status, _, _ := get(t, srv.HTTPClient(), srv.MeURL(), tok.AccessToken); status != http.StatusUnauthorized {
		t.Errorf("expired JWT: /api/me = %d, want 401", status)
	}
	next, err := refresh(t, cfg, tok.RefreshToken)
	if err != nil || len(next.AccessToken) < 6*1024 {
		t.Fatalf("refresh: %v", err)
	}
	if status, _, _ := get(t, srv.HTTPClient(), srv.MeURL(), next.AccessToken); status != http.StatusOK {
		t.Errorf("refreshed JWT: /api/me = %d", status)
	}
	issued := srv.IssuedTokens()
	if len(issued) != 2 || issued[1].AccessToken != next.AccessToken || issued[0].GrantType != oauthpeer.GrantAuthorizationCode {
		t.Errorf("issued tokens = %d, want the code exchange and the refresh", len(issued))
	}
}

func TestDiscovery(t *testing.T) {
	srv := oauthpeer.Start(t)
	for _, path := range []string{oauthpeer.PathOpenIDConfig, oauthpeer.PathASMetadata} {
		t.Run(path, func(t *testing.T) {
			status, _, body := get(t, srv.HTTPClient(), srv.URL+path, "")
			if status != http.StatusOK {
				t.Fatalf("status = %d", status)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatal(err)
			}
			if doc["issuer"] != srv.URL {
				t.Errorf("issuer = %v, want %s", doc["issuer"], srv.URL)
			}
			for name, want := range map[string]string{
				"authorization_endpoint": srv.AuthURL(), "token_endpoint": srv.TokenURL(), "revocation_endpoint": srv.RevokeURL(),
				"introspection_endpoint": srv.IntrospectURL(), "device_authorization_endpoint": srv.DeviceAuthURL(),
				"jwks_uri": srv.URL + oauthpeer.PathJWKS,
			} {
				if doc[name] != want {
					t.Errorf("%s = %v, want %s", name, doc[name], want)
				}
				// Every advertised endpoint is really there.
				if status, _, _ := get(t, srv.HTTPClient(), want, ""); status == http.StatusNotFound {
					t.Errorf("%s is advertised but answers 404", want)
				}
			}
			var lists struct {
				Scopes []string `json:"scopes_supported"`
				PKCE   []string `json:"code_challenge_methods_supported"`
			}
			if err := json.Unmarshal([]byte(body), &lists); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(lists.Scopes, "openid") || !slices.Contains(lists.Scopes, "read") || !slices.Equal(lists.PKCE, []string{"S256"}) {
				t.Errorf("scopes = %v, PKCE = %v", lists.Scopes, lists.PKCE)
			}
		})
	}

	t.Run("jwks", func(t *testing.T) {
		_, _, body := get(t, srv.HTTPClient(), srv.URL+oauthpeer.PathJWKS, "")
		var set struct {
			Keys []struct{ Kty, Kid, Use string } `json:"keys"`
		}
		if err := json.Unmarshal([]byte(body), &set); err != nil || len(set.Keys) != 1 || set.Keys[0].Kty != "RSA" || set.Keys[0].Use != "sig" {
			t.Errorf("jwks = %s", body)
		}
	})

	t.Run("only RFC 8414 metadata", func(t *testing.T) {
		srv := oauthpeer.Start(t, oauthpeer.WithoutOpenIDConfiguration())
		if status, _, _ := get(t, srv.HTTPClient(), srv.URL+oauthpeer.PathOpenIDConfig, ""); status != http.StatusNotFound {
			t.Errorf("openid-configuration = %d, want 404", status)
		}
		if status, _, _ := get(t, srv.HTTPClient(), srv.URL+oauthpeer.PathASMetadata, ""); status != http.StatusOK {
			t.Errorf("oauth-authorization-server = %d, want 200", status)
		}
	})
}

func TestClientOptions(t *testing.T) {
	srv := oauthpeer.Start(t,
		oauthpeer.WithClient(oauthpeer.Client{ID: oauthpeer.BasicClientID, Secret: "replaced-secret-000", AuthMethod: oauthpeer.AuthPost}),
		oauthpeer.WithClient(oauthpeer.Client{ID: "narrow", Secret: "narrow-secret-000", Scopes: []string{"read"}, Audience: []string{"https://api.example.test"}}),
		oauthpeer.WithRefreshTokenScopes("offline_access"),
	)
	c := srv.HTTPClient()

	form := map[string][]string{"grant_type": {"client_credentials"}, "client_id": {oauthpeer.BasicClientID}, "client_secret": {"replaced-secret-000"}}
	if status, _, body := postForm(t, c, srv.TokenURL(), form, "", ""); status != http.StatusOK {
		t.Errorf("replaced default client = %d %s", status, body)
	}

	for _, tt := range []struct {
		name   string
		extra  map[string]string
		wantOK bool
	}{
		{"allowed audience", map[string]string{"audience": "https://api.example.test"}, true},
		{"other audience", map[string]string{"audience": "https://other.example.test"}, false},
		{"scope it lacks", map[string]string{"scope": "write"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := map[string][]string{"grant_type": {"client_credentials"}}
			for k, v := range tt.extra {
				form[k] = []string{v}
			}
			status, _, body := postForm(t, c, srv.TokenURL(), form, "narrow", "narrow-secret-000")
			if (status == http.StatusOK) != tt.wantOK {
				t.Errorf("status = %d %s, want ok=%v", status, body, tt.wantOK)
			}
		})
	}

	t.Run("refresh token only with offline_access", func(t *testing.T) {
		if tok := signIn(t, srv, publicConfig(srv, "read")); tok.RefreshToken != "" {
			t.Error("got a refresh token without offline_access")
		}
		if tok := signIn(t, srv, publicConfig(srv, "read", "offline_access")); tok.RefreshToken == "" {
			t.Error("no refresh token with offline_access")
		}
	})
}

func TestEcho(t *testing.T) {
	srv := oauthpeer.Start(t)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.EchoURL()+"?token=abc&x=1", nil)
	req.Header.Set("X-Token", "secret-token-value")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var echo oauthpeer.Echo
	if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil {
		t.Fatal(err)
	}
	if echo.Method != http.MethodGet || echo.Query.Get("token") != "abc" || echo.Header.Get("X-Token") != "secret-token-value" {
		t.Errorf("echo = %+v", echo)
	}
}
