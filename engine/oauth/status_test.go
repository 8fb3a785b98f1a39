package oauth

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"apidesk/engine/resource"
)

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSignOutRevokesRefreshThenAccess(t *testing.T) {
	a, store, c, r := signedIn(t)
	tok := store.token(t, r.ID)

	revoked, err := c.SignOut(t.Context(), r)
	if err != nil || !revoked {
		t.Fatalf("SignOut = %v, %v", revoked, err)
	}
	if !slices.Equal(a.revoked, []string{"refresh_token", "access_token"}) {
		t.Errorf("revocations = %v, want refresh_token then access_token", a.revoked)
	}
	if a.refresh[tok.RefreshToken] || a.access[tok.AccessToken] {
		t.Errorf("the server still knows the tokens")
	}
	if store.token(t, r.ID) != nil {
		t.Errorf("tokens still stored")
	}
	if _, err := c.AccessToken(t.Context(), r); !errors.Is(err, ErrNotSignedIn) {
		t.Errorf("AccessToken after sign-out: %v", err)
	}
	// Signing out again is fine and does nothing.
	if revoked, err := c.SignOut(t.Context(), r); err != nil || revoked {
		t.Errorf("second SignOut = %v, %v", revoked, err)
	}
}

func TestSignOutRevocationFailureStillDeletes(t *testing.T) {
	a, store, c, r := signedIn(t)
	tok := store.token(t, r.ID)
	a.set(func(a *testAS) { a.revokeFail = http.StatusServiceUnavailable })
	revoked, err := c.SignOut(t.Context(), r)
	if revoked || !errors.Is(err, ErrRevocationFailed) || !strings.Contains(err.Error(), "signed out on this computer") {
		t.Fatalf("SignOut = %v, %v", revoked, err)
	}
	noSecrets(t, err, tok.AccessToken, tok.RefreshToken)
	if store.token(t, r.ID) != nil {
		t.Errorf("tokens kept after a failed revocation")
	}
}

// The refresh token and the client secret go only to a revocation endpoint of the token URL's site, or to the
// one the issuer's own metadata names.
func TestSignOutRevokesOnlyAtTheProvidersSite(t *testing.T) {
	var got []string
	var doc map[string]any
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/.well-known/") {
			json.NewEncoder(w).Encode(doc)
			return
		}
		r.ParseForm()
		got = append(got, r.PostForm.Get("token_type_hint"))
	}))
	defer other.Close()

	a, store, c, r := signedIn(t)
	tok := store.token(t, r.ID)
	r.Auth.OAuth2.RevokeURL = other.URL + "/revoke"
	revoked, err := c.SignOut(t.Context(), r)
	if revoked || !errors.Is(err, ErrRevocationFailed) || !strings.Contains(err.Error(), "did not send your tokens there") {
		t.Errorf("SignOut = %v, %v; want the revocation refused", revoked, err)
	}
	if len(got) != 0 || len(a.revoked) != 0 {
		t.Errorf("tokens sent to another site: %v", got)
	}
	if store.token(t, r.ID) != nil {
		t.Errorf("tokens kept here")
	}
	noSecrets(t, err, tok.AccessToken, tok.RefreshToken)

	// The issuer (the other site) names that revocation endpoint itself: then it is the provider's.
	_, _, c, r = signedIn(t)
	r.Auth.OAuth2.Issuer = other.URL
	r.Auth.OAuth2.RevokeURL = other.URL + "/revoke"
	doc = map[string]any{"issuer": other.URL, "authorization_endpoint": r.Auth.OAuth2.AuthURL,
		"token_endpoint": r.Auth.OAuth2.TokenURL, "revocation_endpoint": other.URL + "/revoke"}
	if _, err := c.SignOut(t.Context(), r); err != nil {
		t.Errorf("SignOut with the issuer's revocation endpoint: %v", err)
	}
	if !slices.Equal(got, []string{"refresh_token", "access_token"}) {
		t.Errorf("revocations at the issuer's endpoint = %v", got)
	}
}

func TestSignOutWithoutRevokeURL(t *testing.T) {
	a, store, c, r := signedIn(t)
	r.Auth.OAuth2.RevokeURL = ""
	if revoked, err := c.SignOut(t.Context(), r); err != nil || revoked {
		t.Errorf("SignOut = %v, %v", revoked, err)
	}
	if len(a.revoked) != 0 || store.token(t, r.ID) != nil {
		t.Errorf("revoked %v, stored %v", a.revoked, store.token(t, r.ID))
	}
}

func TestCheckLogin(t *testing.T) {
	a, _, c, r := signedIn(t)

	lc, err := c.CheckLogin(t.Context(), r)
	if err != nil || !lc.OK || lc.HTTPStatus != 200 {
		t.Fatalf("CheckLogin = %+v, %v", lc, err)
	}

	// The server forgot the access token: one refresh, then OK.
	a.set(func(a *testAS) { a.access = map[string]bool{} })
	lc, err = c.CheckLogin(t.Context(), r)
	if err != nil || !lc.OK || a.count("refresh_token") != 1 {
		t.Errorf("after 401: %+v, %v, %d refreshes", lc, err, a.count("refresh_token"))
	}

	// A login test URL that always answers 403: needs sign-in.
	forbidden := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer forbidden.Close()
	r.Auth.OAuth2.LoginTestURL = forbidden.URL
	lc, err = c.CheckLogin(t.Context(), r)
	if err != nil || lc.OK || !lc.Tested || lc.HTTPStatus != 403 || !strings.Contains(lc.Message, "sign in again") {
		t.Errorf("403: %+v, %v", lc, err)
	}

	// Not signed in: a result, not an error.
	c.SignOut(t.Context(), r)
	lc, err = c.CheckLogin(t.Context(), r)
	if err != nil || lc.OK || !lc.Tested {
		t.Errorf("signed out: %+v, %v", lc, err)
	}

	r.Auth.OAuth2.LoginTestURL = ""
	if lc, err := c.CheckLogin(t.Context(), r); err != nil || !lc.OK || lc.Tested {
		t.Errorf("no URL: %+v, %v", lc, err)
	}
}

func TestStatusSummary(t *testing.T) {
	now := time.Now()
	o := &resource.OAuth2{ClientID: "cid"}
	tests := []struct {
		name  string
		tok   *Token
		o     *resource.OAuth2
		state State
		want  string
		ready bool
	}{
		{"signed in, refreshable", &Token{AccessToken: "a", RefreshToken: "r", Expiry: now.Add(52*time.Minute + 10*time.Second), Scopes: []string{"read", "write"}, ClientID: "cid"}, o, SignedIn, "Signed in · expires in 52 min, renews by itself · scopes read write", true},
		{"signed in, no refresh token", &Token{AccessToken: "a", Expiry: now.Add(60 * time.Second), Scopes: []string{"read"}, ClientID: "cid"}, o, SignedIn, "Signed in · you will need to sign in again in 60 s · scopes read", true},
		{"client credentials", &Token{AccessToken: "a", Expiry: now.Add(time.Hour)}, &resource.OAuth2{Grant: resource.GrantClientCredentials}, SignedIn, "Signed in · expires in 1 h, a new token is fetched by itself", true},
		{"no expiry", &Token{AccessToken: "a", ClientID: "cid"}, o, SignedIn, "Signed in · no expiry given", true},
		{"expired, refreshable", &Token{AccessToken: "a", RefreshToken: "r", Expiry: now.Add(-3 * time.Hour), ClientID: "cid"}, o, Expired, "Signed in · access token expired 3 h ago, renewed on next use", true},
		{"expired", &Token{AccessToken: "a", Expiry: now.Add(-time.Minute), ClientID: "cid"}, o, NeedsSignIn, "Signed out — sign in again", false},
		{"none", nil, o, NotSignedIn, "Not signed in", false},
		{"client credentials, none yet", nil, &resource.OAuth2{Grant: resource.GrantClientCredentials}, NotSignedIn, "No token yet — one is fetched on first use", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := statusOf(tt.tok, tt.o, now)
			if s.State != tt.state || s.Summary() != tt.want || s.Ready() != tt.ready {
				t.Errorf("got %v %q ready=%v, want %v %q ready=%v", s.State, s.Summary(), s.Ready(), tt.state, tt.want, tt.ready)
			}
		})
	}
	for d, want := range map[time.Duration]string{
		45 * time.Second: "45 s", 90 * time.Second: "90 s", 2 * time.Minute: "2 min", 52 * time.Minute: "52 min", 3*time.Hour + 5*time.Minute: "3 h 5 min",
		2 * time.Hour: "2 h", 72 * time.Hour: "3 days",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// At counts a status down without reading the keychain again, and turns it over when the token expires.
func TestStatusAt(t *testing.T) {
	now := time.Now()
	o := &resource.OAuth2{ClientID: "cid"}
	for _, tt := range []struct {
		name        string
		tok         *Token
		o           *resource.OAuth2
		later       time.Duration
		state       State
		summary     string
		renewal     string
		wantExpires time.Duration
	}{
		{"counts down", &Token{AccessToken: "a", Expiry: now.Add(60 * time.Second), ClientID: "cid"}, o, 15 * time.Second,
			SignedIn, "Signed in · you will need to sign in again in 45 s", "you will need to sign in again in 45 s", 45 * time.Second},
		{"refreshable, counts down", &Token{AccessToken: "a", RefreshToken: "r", Expiry: now.Add(60 * time.Second), ClientID: "cid"}, o, 30 * time.Second,
			SignedIn, "Signed in · expires in 30 s, renews by itself", "expires in 30 s, renews by itself", 30 * time.Second},
		{"expires, refreshable", &Token{AccessToken: "a", RefreshToken: "r", Expiry: now.Add(60 * time.Second), ClientID: "cid"}, o, 90 * time.Second,
			Expired, "Signed in · access token expired 30 s ago, renewed on next use", "", -30 * time.Second},
		{"expires, sign in again", &Token{AccessToken: "a", Expiry: now.Add(60 * time.Second), ClientID: "cid"}, o, 61 * time.Second,
			NeedsSignIn, "Signed out — sign in again", "", -time.Second},
		{"expires, client credentials", &Token{AccessToken: "a", Expiry: now.Add(60 * time.Second)}, &resource.OAuth2{Grant: resource.GrantClientCredentials}, 2 * time.Minute,
			NotSignedIn, "No token yet — one is fetched on first use", "", -time.Minute},
		{"no expiry", &Token{AccessToken: "a", ClientID: "cid"}, o, time.Hour, SignedIn, "Signed in · no expiry given", "no expiry given", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := statusOf(tt.tok, tt.o, now).At(now.Add(tt.later))
			if s.State != tt.state || s.Summary() != tt.summary || s.Renewal() != tt.renewal || s.ExpiresIn != tt.wantExpires {
				t.Errorf("got %v %q %q in %v, want %v %q %q in %v", s.State, s.Summary(), s.Renewal(), s.ExpiresIn, tt.state, tt.summary, tt.renewal, tt.wantExpires)
			}
		})
	}
}

func TestStatusDecodesJWTs(t *testing.T) {
	store := newMemStore()
	c := newClient(t, store)
	r := newTestAS(t).resource()
	access := makeJWT(t, map[string]any{"iss": "https://issuer.example", "sub": "ann", "scp": []string{"read"}, "exp": time.Now().Add(time.Hour).Unix()})
	store.Set(t.Context(), r.ID, resource.SecretOAuthToken, mustJSON(t, &Token{AccessToken: access, ClientID: "cid", IDToken: "opaque"}))
	st, err := c.Status(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	if st.Access == nil || st.Access.Subject != "ann" || st.ID != nil {
		t.Errorf("Access = %+v, ID = %+v", st.Access, st.ID)
	}
}

func TestStatusWarnsWhenPKCEIsOff(t *testing.T) {
	_, _, c, r := signedIn(t)
	st, err := c.Status(t.Context(), r)
	if err != nil || st.PKCEOff || len(st.Warnings()) != 0 {
		t.Fatalf("PKCE on: %+v %v %q", st, err, st.Warnings())
	}
	r.Auth.OAuth2.DisablePKCE = true
	st, _ = c.Status(t.Context(), r)
	if w := st.Warnings(); len(w) != 1 || !strings.Contains(w[0], "PKCE is turned off") {
		t.Errorf("PKCE off: warnings %q", w)
	}
	r.Auth.OAuth2.Grant = resource.GrantClientCredentials // no browser, no PKCE to speak of
	if st, _ := c.Status(t.Context(), r); len(st.Warnings()) != 0 {
		t.Errorf("client credentials: warnings %q", st.Warnings())
	}
}
