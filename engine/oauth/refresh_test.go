package oauth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"apidesk/engine/resource"
)

// signedIn returns a test server, its keychain, a Client and a resource of the server the Client signed in
// to through the authorization code grant, as a public client.
func signedIn(t *testing.T) (*testAS, *memStore, *Client, *resource.Resource) {
	t.Helper()
	a := newTestAS(t)
	a.secret = ""
	store := newMemStore()
	c := newClient(t, store)
	r := a.resource()
	if _, err := c.SignIn(t.Context(), r, Prompt{OpenURL: newBrowser().open}); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	return a, store, c, r
}

func TestRefreshKeepsRefreshTokenWhenNotRotated(t *testing.T) {
	a, store, c, r := signedIn(t)
	a.set(func(a *testAS) { a.rotate = false })
	before := store.token(t, r.ID)
	tok, err := c.Refresh(t.Context(), r, before.AccessToken)
	if err != nil || tok == before.AccessToken {
		t.Fatalf("Refresh = %q, %v", tok, err)
	}
	if after := store.token(t, r.ID); after.RefreshToken != before.RefreshToken {
		t.Errorf("refresh token = %q, want the old one kept", after.RefreshToken)
	}
}

func TestRefreshAfter401UsesTokenRefreshedElsewhere(t *testing.T) {
	a, store, c, r := signedIn(t)
	old := store.token(t, r.ID).AccessToken

	fresh, err := c.Refresh(t.Context(), r, old)
	if err != nil || fresh == old || a.count("refresh_token") != 1 {
		t.Fatalf("Refresh = %q, %v (%d refreshes)", fresh, err, a.count("refresh_token"))
	}
	// A request that was sent with the old token comes back 401: the token was already replaced.
	again, err := c.Refresh(t.Context(), r, old)
	if err != nil || again != fresh || a.count("refresh_token") != 1 {
		t.Errorf("second Refresh = %q, %v (%d refreshes); want the new token without a request", again, err, a.count("refresh_token"))
	}
	// Another process (empty cache) that saw the old token rejected also uses the new one.
	other := newClient(t, store)
	other.LockDir = c.LockDir
	if got, err := other.Refresh(t.Context(), r, old); err != nil || got != fresh || a.count("refresh_token") != 1 {
		t.Errorf("other process Refresh = %q, %v (%d refreshes)", got, err, a.count("refresh_token"))
	}
}

func TestTransientRefreshFailureKeepsTokens(t *testing.T) {
	a, store, c, r := signedIn(t)
	old := store.token(t, r.ID)
	a.set(func(a *testAS) { a.failRefresh = http.StatusServiceUnavailable })
	_, err := c.Refresh(t.Context(), r, old.AccessToken)
	if err == nil || errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("err = %v, want a plain error", err)
	}
	if store.token(t, r.ID) == nil {
		t.Errorf("tokens deleted after a 503")
	}
	// A token close to expiry is still handed out while the server is down.
	old.Expiry = time.Now().Add(30 * time.Second)
	store.Set(t.Context(), r.ID, resource.SecretOAuthToken, mustJSON(t, old))
	a.set(func(a *testAS) { a.failRefresh = http.StatusServiceUnavailable })
	c2 := newClient(t, store)
	if tok, err := c2.AccessToken(t.Context(), r); err != nil || tok != old.AccessToken {
		t.Errorf("AccessToken during outage = %q, %v; want the old token", tok, err)
	}
}

func TestExpiredWithoutRefreshToken(t *testing.T) {
	store := newMemStore()
	c := newClient(t, store)
	r := newTestAS(t).resource()
	tok := &Token{AccessToken: "at-old", Expiry: time.Now().Add(-time.Minute), ClientID: "cid"}
	store.Set(t.Context(), r.ID, resource.SecretOAuthToken, mustJSON(t, tok))
	_, err := c.AccessToken(t.Context(), r)
	if !errors.Is(err, ErrNotSignedIn) || !strings.Contains(err.Error(), "no refresh token") {
		t.Errorf("err = %v", err)
	}
	st, _ := c.Status(t.Context(), r)
	if st.State != NeedsSignIn || st.Summary() != "Signed out — sign in again" {
		t.Errorf("status = %v %q", st.State, st.Summary())
	}
}

func TestClientIDChangedNeedsSignIn(t *testing.T) {
	_, _, c, r := signedIn(t)
	r.Auth.OAuth2.ClientID = "another-app"
	if _, err := c.AccessToken(t.Context(), r); !errors.Is(err, ErrNotSignedIn) {
		t.Errorf("err = %v", err)
	}
}

func TestLockFileHonoursContext(t *testing.T) {
	dir := t.TempDir()
	c1 := &Client{Secrets: newMemStore(), LockDir: dir}
	c2 := &Client{Secrets: newMemStore(), LockDir: dir}
	unlock, err := c1.lockFile(t.Context(), "res")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := c2.lockFile(ctx, "res"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second lock: err = %v, want DeadlineExceeded", err)
	}
	// Another resource has its own lock.
	if u, err := c2.lockFile(t.Context(), "other"); err != nil {
		t.Errorf("other resource: %v", err)
	} else {
		u()
	}
	unlock()
	u, err := c2.lockFile(t.Context(), "res")
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	u()
}
