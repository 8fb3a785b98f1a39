package oauth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// A rotated refresh token that the keychain refuses is kept in memory and used for the next refresh, and
// saved once the keychain takes it again: the sign-in survives a locked keychain.
func TestRotatedTokenKeptWhenKeychainRefuses(t *testing.T) {
	a, store, c, r := signedIn(t)
	var mu sync.Mutex
	var told []error
	c.OnUnsaved = func(id string, err error) {
		mu.Lock()
		defer mu.Unlock()
		if id != r.ID {
			t.Errorf("OnUnsaved for %q, want %q", id, r.ID)
		}
		told = append(told, err)
	}
	before := store.token(t, r.ID)
	store.mu.Lock()
	store.failSet = errors.New("the keychain is locked")
	store.mu.Unlock()

	tok, err := c.Refresh(t.Context(), r, before.AccessToken)
	if err != nil || tok == before.AccessToken {
		t.Fatalf("Refresh with a locked keychain = %q, %v; want the new token", tok, err)
	}
	mu.Lock()
	if len(told) != 1 || !strings.Contains(told[0].Error(), "could not be saved in the keychain") {
		t.Errorf("OnUnsaved told %v", told)
	}
	mu.Unlock()
	if st, _ := c.Status(t.Context(), r); st.State != SignedIn {
		t.Errorf("status with unsaved tokens = %v", st.State)
	}

	// The API rejects the new access token: the refresh must use the rotated refresh token, which only
	// this process knows, not the used one in the keychain (which the provider refuses: invalid_grant).
	store.mu.Lock()
	store.failSet = nil
	store.mu.Unlock()
	again, err := c.Refresh(t.Context(), r, tok)
	if err != nil || again == tok {
		t.Fatalf("second Refresh = %q, %v; the sign-in was lost", again, err)
	}
	if got := store.token(t, r.ID); got == nil || got.AccessToken != again {
		t.Errorf("keychain holds %+v, want the newest tokens (%q)", got, again)
	}
	if a.count("refresh_token") != 2 {
		t.Errorf("%d refreshes, want 2", a.count("refresh_token"))
	}
}

// Pressing Cancel while the refresh request is on its way does not lose the tokens the provider issues.
func TestRefreshNotCancelledHalfway(t *testing.T) {
	a, store, c, r := signedIn(t)
	before := store.token(t, r.ID)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	a.set(func(a *testAS) { a.onRefresh = cancel })

	_, _ = c.Refresh(ctx, r, before.AccessToken) // may report the cancel; the tokens must be kept
	a.set(func(a *testAS) { a.onRefresh = nil })
	after := store.token(t, r.ID)
	if after == nil || after.RefreshToken == before.RefreshToken {
		t.Fatalf("keychain after a cancelled refresh: %+v; want the rotated tokens saved", after)
	}
	if _, err := newClient(t, store).Refresh(t.Context(), r, after.AccessToken); err != nil {
		t.Errorf("refresh after the cancelled one: %v", err)
	}
}

// Only invalid_grant and invalid_token end a sign-in; any other refusal keeps the tokens and says what the
// server said.
func TestRefreshRefusalKeepsSignIn(t *testing.T) {
	cases := []struct {
		name   string
		status int
		code   string
		dead   bool
	}{
		{"proxy 407", http.StatusProxyAuthRequired, "html", false},
		{"mistyped URL 404", http.StatusNotFound, "html", false},
		{"rotated client secret", http.StatusUnauthorized, "invalid_client", false},
		{"bad request", http.StatusBadRequest, "invalid_request", false},
		{"dead refresh token", http.StatusBadRequest, "invalid_grant", true},
		{"invalid_token", http.StatusUnauthorized, "invalid_token", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, store, c, r := signedIn(t)
			before := store.token(t, r.ID)
			a.set(func(a *testAS) { a.failRefresh, a.failCode = tc.status, tc.code })
			_, err := c.Refresh(t.Context(), r, before.AccessToken)
			if err == nil {
				t.Fatal("Refresh succeeded against a refusing server")
			}
			if got := errors.Is(err, ErrNotSignedIn); got != tc.dead {
				t.Errorf("signed out = %v, want %v (err %v)", got, tc.dead, err)
			}
			kept := store.token(t, r.ID) != nil
			if kept == tc.dead {
				t.Errorf("tokens kept = %v after %v", kept, err)
			}
			if !tc.dead && !strings.Contains(err.Error(), "it is kept") {
				t.Errorf("err = %q; want it to say the sign-in is kept", err)
			}
			if !tc.dead {
				if _, err := c.Refresh(t.Context(), r, before.AccessToken); err != nil {
					t.Errorf("refresh once the server answers again: %v", err)
				}
			}
		})
	}
}
