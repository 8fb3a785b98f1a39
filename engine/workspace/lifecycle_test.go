package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

// keychain is a secret.Backend over go-keyring's in-memory mock that fails the calls fail picks, and runs
// observe (if set) before each call, as a test's eye on what the workspace did first.
type keychain struct {
	secret.Backend
	mu      sync.Mutex
	fail    func(op, account string) bool
	observe func(op, account string)
}

var errRefused = errors.New("the keychain refused (injected)")

func (k *keychain) call(op, account string) error {
	k.mu.Lock()
	fail, observe := k.fail, k.observe
	k.mu.Unlock()
	if observe != nil {
		observe(op, account)
	}
	if fail != nil && fail(op, account) {
		return errRefused
	}
	return nil
}

func (k *keychain) Get(service, user string) (string, error) {
	if err := k.call("get", user); err != nil {
		return "", err
	}
	return k.Backend.Get(service, user)
}

func (k *keychain) Set(service, user, value string) error {
	if err := k.call("set", user); err != nil {
		return err
	}
	return k.Backend.Set(service, user, value)
}

func (k *keychain) Delete(service, user string) error {
	if err := k.call("delete", user); err != nil {
		return err
	}
	return k.Backend.Delete(service, user)
}

// failing makes the calls of op on the secret of kind fail (any resource; "" for any kind).
func (k *keychain) failing(op string, kind resource.SecretKind) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.fail = func(o, account string) bool {
		return o == op && (kind == "" || strings.HasSuffix(account, "/"+string(kind)))
	}
}

// heal makes every call succeed again.
func (k *keychain) heal() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.fail = nil
}

// setup returns a workspace in a new folder, the folder, and a keychain over the mock with its backend.
func setup(t *testing.T) (*Workspace, string, *secret.Store, *keychain) {
	t.Helper()
	k := &keychain{Backend: secret.MockBackend()}
	dir := t.TempDir()
	return mustOpen(t, dir), dir, secret.New(k, secret.Options{}), k
}

// secretOf is the secret stored, "" for none; other errors fail the test.
func secretOf(t *testing.T, keys *secret.Store, id string, kind resource.SecretKind) string {
	t.Helper()
	v, err := keys.Get(t.Context(), id, kind)
	if errors.Is(err, secret.ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func typed(kv ...string) map[resource.SecretKind]string {
	out := map[resource.SecretKind]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		out[resource.SecretKind(kv[i])] = kv[i+1]
	}
	return out
}

func basic(name string) *resource.Resource {
	return &resource.Resource{Name: name, BaseURL: "https://billing.example.com",
		Auth: resource.Auth{Kind: resource.AuthBasic, Username: "ops"}}
}

// billing saves the resource Billing (basic authentication, its password "pw") and, with a query, its query
// Invoices.
func billing(t *testing.T, w *Workspace, keys *secret.Store, withQuery bool) *resource.Resource {
	t.Helper()
	r := basic("Billing")
	if err := w.SaveResource(t.Context(), r, keys, typed("password", "pw")); err != nil {
		t.Fatal(err)
	}
	if withQuery {
		if err := w.SaveQuery(t.Context(), &query.Query{Name: "Invoices", ResourceID: r.ID, Path: "/invoices"}); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// asBefore checks that a failed save left the resource r, which billing saved, as it was: the folder holds the
// files before, the lookups answer r, and the keychain holds its password.
func asBefore(t *testing.T, w *Workspace, dir string, before map[string]string, keys *secret.Store, r *resource.Resource) {
	t.Helper()
	if after := files(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("the folder changed:\n%v\nwas\n%v", after, before)
	}
	if got, _ := w.ResourceByID(r.ID); !reflect.DeepEqual(got, normalizedResource(r)) {
		t.Errorf("the lookups answer %+v", got)
	}
	if got := secretOf(t, keys, r.ID, resource.SecretPassword); got != "pw" {
		t.Errorf("the password became %q", got)
	}
}

func TestSaveResourceWithItsSecrets(t *testing.T) {
	w, dir, keys, _ := setup(t)
	ctx := t.Context()
	r := basic("Billing")
	if err := w.SaveResource(ctx, r, keys, typed("password", "pw-1", "api-key", "")); err != nil {
		t.Fatal(err)
	}
	if r.ID == "" || secretOf(t, keys, r.ID, resource.SecretPassword) != "pw-1" {
		t.Fatalf("id %q, password %q", r.ID, secretOf(t, keys, r.ID, resource.SecretPassword))
	}
	if _, ok := files(t, dir)["resources/billing.yaml"]; !ok {
		t.Fatal("no file")
	}

	// A rename keeps the secrets (they are keyed by the ID) and moves the file.
	r.Name = "Billing (EU)"
	if err := w.SaveResource(ctx, r, keys, nil); err != nil {
		t.Fatal(err)
	}
	if got := secretOf(t, keys, r.ID, resource.SecretPassword); got != "pw-1" {
		t.Errorf("after the rename the password is %q", got)
	}
	if fs := files(t, dir); len(fs) != 1 || fs["resources/billing-eu.yaml"] == "" {
		t.Errorf("files after the rename: %v", fs)
	}

	// Switching the authentication removes the secrets the new one does not use, and keeps the typed one.
	r.Auth = resource.Auth{Kind: resource.AuthAPIKey, KeyName: "X-Key", KeyIn: resource.KeyInHeader}
	if err := w.SaveResource(ctx, r, keys, typed("api-key", "key-1")); err != nil {
		t.Fatal(err)
	}
	if got := secretOf(t, keys, r.ID, resource.SecretPassword); got != "" {
		t.Errorf("the password it no longer uses is still there: %q", got)
	}
	if got := secretOf(t, keys, r.ID, resource.SecretAPIKey); got != "key-1" {
		t.Errorf("API key %q", got)
	}
	// An empty value keeps the stored one.
	if err := w.SaveResource(ctx, r, keys, typed("api-key", "")); err != nil || secretOf(t, keys, r.ID, resource.SecretAPIKey) != "key-1" {
		t.Errorf("saving without a new key: %v, key %q", err, secretOf(t, keys, r.ID, resource.SecretAPIKey))
	}
	text := files(t, dir)["resources/billing-eu.yaml"]
	for _, s := range []string{"pw-1", "key-1"} {
		if strings.Contains(text, s) {
			t.Errorf("the file holds a secret:\n%s", text)
		}
	}
}

func TestSaveResourceRefusesSecretsItCannotKeep(t *testing.T) {
	w, dir, keys, _ := setup(t)
	for _, tc := range []struct {
		name  string
		keys  *secret.Store
		typed map[resource.SecretKind]string
		want  string
	}{
		{"no keychain", nil, typed("password", "pw"), "there is no keychain to keep the password in, so nothing was saved"},
		{"a kind basic does not use", keys, typed("bearer-token", "t"), "Basic (username and password) authentication keeps no bearer token"},
	} {
		r := basic("Refused")
		err := w.SaveResource(t.Context(), r, tc.keys, tc.typed)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		if r.ID != "" || len(files(t, dir)) != 0 || len(w.Resources()) != 0 {
			t.Errorf("%s: something was saved: id %q, files %v", tc.name, r.ID, files(t, dir))
		}
	}
}

// TestSaveWritesTheFileBeforeTheSecrets and its delete twin check the order of the steps, which decides what a
// crash between them leaves: never a secret that no file refers to.
func TestSaveWritesTheFileBeforeTheSecrets(t *testing.T) {
	w, dir, keys, k := setup(t)
	var secretsWritten, fileFirst int
	k.observe = func(op, account string) {
		if op == "set" && strings.HasSuffix(account, "/password") {
			secretsWritten++
			if _, err := os.Stat(filepath.Join(dir, "resources", "billing.yaml")); err == nil {
				fileFirst++
			}
		}
	}
	if err := w.SaveResource(t.Context(), basic("Billing"), keys, typed("password", "pw")); err != nil {
		t.Fatal(err)
	}
	if secretsWritten == 0 || fileFirst != secretsWritten {
		t.Errorf("the password was written %d times, %d of them after the file", secretsWritten, fileFirst)
	}
}

func TestDeleteRemovesTheSecretsBeforeTheFiles(t *testing.T) {
	w, dir, keys, k := setup(t)
	ctx := t.Context()
	r := billing(t, w, keys, true)
	var deletes, filesThere int
	k.observe = func(op, account string) {
		if op == "delete" && strings.HasPrefix(account, r.ID+"/") {
			deletes++
			if len(files(t, dir)) == 2 {
				filesThere++
			}
		}
	}
	if err := w.DeleteResource(ctx, r.ID, keys); err != nil {
		t.Fatal(err)
	}
	if deletes == 0 || filesThere != deletes {
		t.Errorf("%d keychain deletes, %d of them while both files were there", deletes, filesThere)
	}
	if fs := files(t, dir); len(fs) != 0 {
		t.Errorf("files left: %v", fs)
	}
	if got := secretOf(t, keys, r.ID, resource.SecretPassword); got != "" {
		t.Errorf("the password is still there")
	}
	if kinds, err := keys.Kinds(ctx, r.ID); err != nil || len(kinds) != 0 {
		t.Errorf("the keychain still lists %v, %v", kinds, err)
	}
}

func TestDeleteKeepsEverythingWhenTheKeychainFails(t *testing.T) {
	w, dir, keys, k := setup(t)
	ctx := t.Context()
	r := billing(t, w, keys, true)
	before := files(t, dir)
	k.failing("delete", "")
	err := w.DeleteResource(ctx, r.ID, keys)
	if !errors.Is(err, errRefused) || !strings.Contains(err.Error(), `the secrets of "Billing" could not be removed from the keychain, so nothing was deleted`) {
		t.Fatalf("delete with the keychain refusing: %v", err)
	}
	if after := files(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("files changed: %v", after)
	}
	if _, err := w.ResourceByID(r.ID); err != nil || len(w.QueriesOf(r.ID)) != 1 {
		t.Errorf("the lookups changed: %v, %d queries", err, len(w.QueriesOf(r.ID)))
	}
	k.heal()
	if got := secretOf(t, keys, r.ID, resource.SecretPassword); got != "pw" {
		t.Errorf("password %q", got)
	}
	// Once the keychain answers, the delete goes through.
	if err := w.DeleteResource(ctx, r.ID, keys); err != nil {
		t.Fatal(err)
	}
}

// TestSaveRollsBack injects failures at each step of a save and checks that the folder, the lookups and the
// keychain are as they were.
func TestSaveRollsBack(t *testing.T) {
	t.Run("a new resource whose secret is refused", func(t *testing.T) {
		w, dir, keys, k := setup(t)
		var id string
		k.observe = func(op, account string) { id, _, _ = strings.Cut(account, "/") }
		k.failing("set", resource.SecretPassword)
		r := basic("Billing")
		err := w.SaveResource(t.Context(), r, keys, typed("password", "pw"))
		if !errors.Is(err, errRefused) || !strings.Contains(err.Error(), "the password could not be kept in the keychain, so nothing was saved") {
			t.Fatalf("save: %v", err)
		}
		if r.ID != "" || len(files(t, dir)) != 0 || len(w.Resources()) != 0 {
			t.Errorf("saved after all: id %q, files %v", r.ID, files(t, dir))
		}
		// Not even the keychain's index of the ID the save had picked is left.
		k.heal()
		if kinds, err := keys.Kinds(t.Context(), id); id == "" || err != nil || len(kinds) != 0 {
			t.Errorf("the keychain lists %v for %q, %v", kinds, id, err)
		}
		if _, err := k.Backend.Get(secret.Service, id+"/index"); !errors.Is(err, secret.ErrNotFound) {
			t.Errorf("the index of %q is left in the keychain: %v", id, err)
		}
	})

	t.Run("an edit whose secret is refused", func(t *testing.T) {
		w, dir, keys, k := setup(t)
		ctx := t.Context()
		r := billing(t, w, keys, true)
		before := files(t, dir)
		for _, edit := range []func(r *resource.Resource){
			func(r *resource.Resource) { r.BaseURL = "https://billing.example.org" },                                 // same file
			func(r *resource.Resource) { r.Name = "Billing (EU)"; r.Headers = kv.List{kv.On("Accept", "text/csv")} }, // a rename
		} {
			e := basic("Billing")
			e.ID = r.ID
			edit(e)
			e.Auth = resource.Auth{Kind: resource.AuthAPIKey, KeyName: "X-Key", KeyIn: resource.KeyInHeader}
			k.failing("set", resource.SecretAPIKey)
			if err := w.SaveResource(ctx, e, keys, typed("api-key", "key")); !errors.Is(err, errRefused) {
				t.Fatalf("save: %v", err)
			}
			k.heal()
			asBefore(t, w, dir, before, keys, r)
			if got := secretOf(t, keys, r.ID, resource.SecretAPIKey); got != "" {
				t.Errorf("the refused API key is there: %q", got)
			}
		}
	})

	t.Run("the second of two secrets is refused", func(t *testing.T) {
		w, _, keys, k := setup(t)
		ctx := t.Context()
		r := &resource.Resource{Name: "Corp", BaseURL: "https://api.corp.example", Auth: resource.Auth{
			Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{AuthURL: "https://login.corp.example/authorize",
				TokenURL: "https://login.corp.example/token", ClientID: "apidesk"}}}
		if err := w.SaveResource(ctx, r, keys, typed("client-secret", "cs-1", "oauth-token", `{"access_token":"a1"}`)); err != nil {
			t.Fatal(err)
		}
		k.failing("set", resource.SecretOAuthToken) // the client secret is written first
		err := w.SaveResource(ctx, r, keys, typed("client-secret", "cs-2", "oauth-token", `{"access_token":"a2"}`))
		if !errors.Is(err, errRefused) {
			t.Fatalf("save: %v", err)
		}
		k.heal()
		if got := secretOf(t, keys, r.ID, resource.SecretClientSecret); got != "cs-1" {
			t.Errorf("the client secret is %q, want the earlier one back", got)
		}
		if got := secretOf(t, keys, r.ID, resource.SecretOAuthToken); got != `{"access_token":"a1"}` {
			t.Errorf("the sign-in is %q", got)
		}
	})

	t.Run("the file cannot be written", func(t *testing.T) {
		w, dir, keys, k := setup(t)
		ctx := t.Context()
		r := billing(t, w, keys, false)
		before := files(t, dir)
		var touched []string
		k.observe = func(op, account string) {
			if op != "get" {
				touched = append(touched, op+" "+account)
			}
		}
		w.rename = func(string, string) error { return errors.New("disk full (injected)") }
		for _, e := range []*resource.Resource{basic("New one"), {ID: r.ID, Name: "Billing", BaseURL: "https://b.example.org",
			Auth: resource.Auth{Kind: resource.AuthBearer}}} {
			kinds := e.Auth.Kind.Secrets()
			if err := w.SaveResource(ctx, e, keys, typed(string(kinds[0]), "new-secret")); err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Fatalf("save: %v", err)
			}
		}
		w.rename = os.Rename
		if len(touched) != 0 {
			t.Errorf("the keychain was changed: %v", touched)
		}
		asBefore(t, w, dir, before, keys, r)
	})

	t.Run("a secret it no longer uses cannot be removed", func(t *testing.T) {
		w, _, keys, k := setup(t)
		ctx := t.Context()
		r := billing(t, w, keys, false)
		r.Auth = resource.Auth{Kind: resource.AuthBearer}
		k.failing("delete", resource.SecretPassword)
		err := w.SaveResource(ctx, r, keys, typed("bearer-token", "tok"))
		if !errors.Is(err, errRefused) || !strings.Contains(err.Error(), "the resource was saved, but the password it no longer uses could not be removed from the keychain") {
			t.Fatalf("save: %v", err)
		}
		k.heal()
		// Saved all the same: the error says what is left to do, and the next save does it.
		if got, _ := w.ResourceByID(r.ID); got == nil || got.Auth.Kind != resource.AuthBearer || secretOf(t, keys, r.ID, resource.SecretBearerToken) != "tok" {
			t.Errorf("not saved: %+v", got)
		}
		if err := w.SaveResource(ctx, r, keys, nil); err != nil || secretOf(t, keys, r.ID, resource.SecretPassword) != "" {
			t.Errorf("the next save: %v, password %q", err, secretOf(t, keys, r.ID, resource.SecretPassword))
		}
	})
}

// noKeychain is a keychain that cannot be reached, as on a machine without a D-Bus session.
type noKeychain struct{}

func (noKeychain) Get(string, string) (string, error) { return "", errors.New("keychain unavailable") }
func (noKeychain) Set(string, string, string) error   { return errors.New("keychain unavailable") }
func (noKeychain) Delete(string, string) error        { return errors.New("keychain unavailable") }

// A new resource that needs no secret is saved without the keychain (apidesk-cli resource add on a server).
func TestNewResourceWithoutSecretsNeedsNoKeychain(t *testing.T) {
	ws, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	keys := secret.New(noKeychain{}, secret.Options{})
	r := &resource.Resource{Name: "Public", BaseURL: "https://api.example.com"}
	if err := ws.SaveResource(t.Context(), r, keys, nil); err != nil {
		t.Fatalf("SaveResource without a keychain: %v", err)
	}
	if _, err := ws.ResourceByName("Public"); err != nil {
		t.Error(err)
	}
}
