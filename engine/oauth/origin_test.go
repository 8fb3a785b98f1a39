package oauth

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

// keychainStore is engine/keychain's adapter (which this package's tests cannot import): the real secret store,
// which records origins too.
type keychainStore struct{ *secret.Store }

func (k keychainStore) Get(ctx context.Context, id string, kind resource.SecretKind) (string, error) {
	v, err := k.Store.Get(ctx, id, kind)
	if errors.Is(err, secret.ErrNotFound) {
		return "", fmt.Errorf("%w: %w", ErrSecretNotFound, err)
	}
	return v, err
}

func newKeychainStore() keychainStore {
	return keychainStore{secret.New(secret.MockBackend(), secret.Options{})}
}

// originChanged fails the test unless err says the token URL moved from was to now.
func originChanged(t *testing.T, err error, was, now *testAS) {
	t.Helper()
	var oce *resource.OriginChangedError
	if !errors.Is(err, resource.ErrOriginChanged) || !errors.As(err, &oce) {
		t.Fatalf("err = %v, want the address changed", err)
	}
	if !oce.Token || oce.Was != was.srv.URL || oce.Now != now.srv.URL {
		t.Errorf("the error says %+v", oce)
	}
}

// A teammate points token_url at another server: the refresh token is not sent there until the person trusts it.
func TestRefreshTokenStaysWithItsTokenURL(t *testing.T) {
	ctx := t.Context()
	a, b := newTestAS(t), newTestAS(t)
	a.secret, b.secret = "", ""
	store := newKeychainStore()
	c := newClient(t, store)
	r := a.resource()
	if _, err := c.SignIn(ctx, r, Prompt{OpenURL: newBrowser().open}); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if got, _ := store.Origins(ctx, r.ID); got.Token != a.srv.URL || got.API != a.srv.URL {
		t.Fatalf("the sign-in recorded %+v", got)
	}
	tok, err := c.AccessToken(ctx, r)
	if err != nil {
		t.Fatal(err)
	}

	r.Auth.OAuth2.TokenURL = b.srv.URL + "/token"
	_, err = c.Refresh(ctx, r, tok)
	originChanged(t, err, a, b)
	if n := b.count("refresh_token"); n != 0 {
		t.Fatalf("the new token URL got %d refresh requests", n)
	}

	var oce *resource.OriginChangedError
	errors.As(err, &oce)
	if err := store.Trust(ctx, oce); err != nil {
		t.Fatal(err)
	}
	saved, err := c.loadToken(ctx, r.ID)
	if err != nil || saved.RefreshToken == "" {
		t.Fatalf("no refresh token saved: %v", err)
	}
	_, _ = c.Refresh(ctx, r, tok) // b knows no such refresh token; it only has to receive it
	b.mu.Lock()
	sent := b.forms["refresh_token"].Get("refresh_token")
	b.mu.Unlock()
	if sent != saved.RefreshToken {
		t.Errorf("after the person confirmed, the new token URL got the refresh token %q, want %q", sent, saved.RefreshToken)
	}
}

// The client secret of a machine-to-machine resource, and of a confidential client signing in, stays with the
// token URL it was saved for; so do the tokens and client secret a sign-out revokes.
func TestClientSecretStaysWithItsTokenURL(t *testing.T) {
	ctx := t.Context()
	a, b := newTestAS(t), newTestAS(t)
	store := newKeychainStore()
	r := a.resource()
	r.Auth.OAuth2.Grant = resource.GrantClientCredentials
	if err := store.Set(ctx, r.ID, resource.SecretClientSecret, a.secret); err != nil {
		t.Fatal(err)
	}
	if _, err := newClient(t, store).AccessToken(ctx, r); err != nil { // bound on first use
		t.Fatal(err)
	}

	moved := *r
	moved.Auth.OAuth2.TokenURL = b.srv.URL + "/token"
	moved.Auth.OAuth2.RevokeURL = b.srv.URL + "/revoke"
	a.set(func(a *testAS) { a.expiresIn = 1 }) // (the token stored is fresh: a new client asks for one)
	if err := store.Delete(ctx, r.ID, resource.SecretOAuthToken); err != nil {
		t.Fatal(err)
	}
	_, err := newClient(t, store).AccessToken(ctx, &moved)
	originChanged(t, err, a, b)
	if n := b.count("client_credentials"); n != 0 {
		t.Errorf("the client secret went to the new token URL (%d requests)", n)
	}

	// A confidential client's sign-in: refused before the browser opens.
	person := moved
	person.Auth.OAuth2.Grant = resource.GrantAuthorizationCode
	br := newBrowser()
	_, err = newClient(t, store).SignIn(ctx, &person, Prompt{OpenURL: br.open})
	originChanged(t, err, a, b)
	if len(br.pages) != 0 || b.count("authorization_code") != 0 {
		t.Errorf("the sign-in went ahead")
	}

	// Sign-out: the tokens are deleted here, and not sent to the new revocation URL.
	c := newClient(t, store)
	if _, err := c.AccessToken(ctx, r); err != nil {
		t.Fatal(err)
	}
	_, err = c.SignOut(ctx, &moved)
	if !errors.Is(err, ErrRevocationFailed) {
		t.Errorf("SignOut: %v", err)
	}
	originChanged(t, err, a, b)
	b.mu.Lock()
	revoked := len(b.revoked)
	b.mu.Unlock()
	if revoked != 0 {
		t.Errorf("the new revocation URL got %d requests", revoked)
	}
}
