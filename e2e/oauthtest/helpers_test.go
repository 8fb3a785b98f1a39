package oauthtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"apidesk/e2e/oauthpeer"
	"apidesk/engine/keychain"
	"apidesk/engine/oauth"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
)

// mockBackend is go-keyring's in-memory mock as a secret.Backend (secret.KeyringBackend insists on a D-Bus
// session bus, which the mock does not need). The mock's map is not safe for concurrent use, and each test
// has its own Store, so the calls take a lock.
type mockBackend struct{}

var (
	mockOnce sync.Once
	mockMu   sync.Mutex
)

func (mockBackend) Get(service, user string) (string, error) {
	mockMu.Lock()
	defer mockMu.Unlock()
	v, err := keyring.Get(service, user)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", fmt.Errorf("%w: %w", secret.ErrNotFound, err)
	}
	return v, err
}

func (mockBackend) Set(service, user, password string) error {
	mockMu.Lock()
	defer mockMu.Unlock()
	return keyring.Set(service, user, password)
}

func (mockBackend) Delete(service, user string) error {
	mockMu.Lock()
	defer mockMu.Unlock()
	err := keyring.Delete(service, user)
	if errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("%w: %w", secret.ErrNotFound, err)
	}
	return err
}

func realKeyring() bool { return os.Getenv("APIDESK_REAL_KEYRING") == "1" }

// newStore returns the real secret store: over the Secret Service with APIDESK_REAL_KEYRING=1, else over
// go-keyring's mock. maxValue > 0 makes it split values longer than that, as it does on Windows and macOS.
func newStore(t *testing.T, maxValue int) *secret.Store {
	t.Helper()
	if realKeyring() {
		if err := secret.CheckSessionBus(); err != nil {
			t.Fatalf("APIDESK_REAL_KEYRING=1 but: %v", err)
		}
		return secret.New(secret.KeyringBackend(), secret.Options{MaxValueBytes: maxValue, Timeout: 30 * time.Second})
	}
	mockOnce.Do(keyring.MockInit)
	return secret.New(mockBackend{}, secret.Options{MaxValueBytes: maxValue})
}

// env is one test's world: a fosite server, a browser, a keychain and an oauth.Client.
type env struct {
	t       *testing.T
	srv     *oauthpeer.Server
	browser *oauthpeer.Browser
	store   *secret.Store
	client  *oauth.Client
	lockDir string
}

func newEnv(t *testing.T, opts ...oauthpeer.Option) *env {
	t.Helper()
	e := &env{t: t, srv: oauthpeer.Start(t, opts...), lockDir: t.TempDir()}
	e.browser = e.srv.Browser(t)
	e.store = newStore(t, 0)
	e.client = e.newClient()
	return e
}

// newClient is another apidesk process: its own caches, the same keychain and lock directory.
func (e *env) newClient() *oauth.Client {
	return &oauth.Client{Secrets: keychain.OAuth{Store: e.store}, HTTPClient: e.srv.HTTPClient(), LockDir: e.lockDir}
}

// resource returns an OAuth 2.0 resource for one of the server's clients, its secret in the keychain.
func (e *env) resource(clientID string) *resource.Resource {
	e.t.Helper()
	r := &resource.Resource{
		ID: resource.NewID(), Name: "peer", BaseURL: e.srv.URL,
		Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
			AuthURL: e.srv.AuthURL(), TokenURL: e.srv.TokenURL(), RevokeURL: e.srv.RevokeURL(),
			DeviceURL: e.srv.DeviceAuthURL(), LoginTestURL: e.srv.MeURL(),
			ClientID: clientID, Scopes: []string{"openid", "offline_access", "read"},
		}},
	}
	if es := r.Validate(); len(es) > 0 {
		e.t.Fatalf("test resource does not validate: %v", es)
	}
	secretOf := map[string]string{oauthpeer.BasicClientID: oauthpeer.BasicClientSecret, oauthpeer.PostClientID: oauthpeer.PostClientSecret}
	if s := secretOf[clientID]; s != "" {
		if err := e.store.Set(e.t.Context(), r.ID, resource.SecretClientSecret, s); err != nil {
			e.t.Fatal(err)
		}
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := e.store.DeleteAll(ctx, r.ID); err != nil {
			e.t.Errorf("cleanup: %v", err)
		}
	})
	return r
}

func (e *env) prompt() oauth.Prompt {
	return oauth.Prompt{OpenURL: e.browser.OpenURL, Timeout: time.Minute}
}

func (e *env) signIn(r *resource.Resource) oauth.Status {
	e.t.Helper()
	st, err := e.client.SignIn(e.t.Context(), r, e.prompt())
	if err != nil {
		e.t.Fatalf("SignIn: %v", err)
	}
	return st
}

// getMe sends GET /api/me for r through the runner, with c as its token source, and fails the test unless
// the API answers 200.
func (e *env) getMe(r *resource.Resource, c *oauth.Client) {
	e.t.Helper()
	resp, err := runner.New(nil, tokenSource{c}).Do(e.t.Context(), r, &query.Query{Method: http.MethodGet, Path: "/api/me"}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Close()
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("query answered %s", resp.Status)
	}
}

// stored reads the tokens the keychain holds for r, or nil.
func (e *env) stored(r *resource.Resource) *oauth.Token {
	e.t.Helper()
	raw, err := e.store.Get(e.t.Context(), r.ID, resource.SecretOAuthToken)
	if errors.Is(err, secret.ErrNotFound) {
		return nil
	}
	if err != nil {
		e.t.Fatal(err)
	}
	var tok oauth.Token
	if err := json.Unmarshal([]byte(raw), &tok); err != nil {
		e.t.Fatalf("stored token: %v", err)
	}
	return &tok
}

func (e *env) put(r *resource.Resource, tok *oauth.Token) {
	e.t.Helper()
	if err := e.store.Set(e.t.Context(), r.ID, resource.SecretOAuthToken, string(mustJSON(e.t, tok))); err != nil {
		e.t.Fatal(err)
	}
}

// tokenSource is what cmd/ hands the runner: the oauth.Client, with "not signed in" also matching the
// runner's sentinel.
type tokenSource struct{ c *oauth.Client }

func (s tokenSource) AccessToken(ctx context.Context, r *resource.Resource) (string, error) {
	tok, err := s.c.AccessToken(ctx, r)
	return tok, notSignedIn(err)
}

func (s tokenSource) Refresh(ctx context.Context, r *resource.Resource, rejected string) (string, error) {
	tok, err := s.c.Refresh(ctx, r, rejected)
	return tok, notSignedIn(err)
}

func notSignedIn(err error) error {
	if errors.Is(err, oauth.ErrNotSignedIn) {
		return fmt.Errorf("%w: %w", resource.ErrNotSignedIn, err)
	}
	return err
}

// noneContain fails when any text contains any of the secrets.
func noneContain(t *testing.T, what string, texts []string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, x := range texts {
			if strings.Contains(x, s) {
				t.Errorf("%s contains a secret (%d characters)", what, len(s))
			}
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
