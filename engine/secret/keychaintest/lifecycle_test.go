//go:build linux

package keychaintest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
)

// refusing is the real keychain, but a Set of an account ending in suffix fails, and every account touched is
// noted, so a test learns the ID a save picked.
type refusing struct {
	secret.Backend
	suffix string

	mu      sync.Mutex
	touched []string
}

var errRefused = errors.New("refused (injected)")

func (b *refusing) Set(service, user, value string) error {
	b.mu.Lock()
	b.touched = append(b.touched, user)
	b.mu.Unlock()
	if b.suffix != "" && strings.HasSuffix(user, b.suffix) {
		return errRefused
	}
	return b.Backend.Set(service, user, value)
}

func (b *refusing) ids() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, a := range b.touched {
		id, _, _ := strings.Cut(a, "/")
		out = append(out, id)
	}
	return out
}

func openWorkspace(t *testing.T) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// cleanUp deletes the secrets of the resources a test made, whatever happened to them.
func cleanUp(t *testing.T, s *secret.Store, b *refusing) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, id := range b.ids() {
			_ = s.DeleteAll(ctx, id)
		}
	})
}

// TestRealResourceLifecycle saves, renames, switches and deletes a resource through the workspace with the real
// Secret Service, and asks the Secret Service itself what is left.
func TestRealResourceLifecycle(t *testing.T) {
	requireKeyring(t)
	b := &refusing{Backend: secret.KeyringBackend()}
	s := secret.New(b, secret.Options{})
	cleanUp(t, s, b)
	ws := openWorkspace(t)
	ctx := ctxFor(t, 2*time.Minute)

	r := &resource.Resource{Name: "Billing", BaseURL: "https://billing.example.com",
		Auth: resource.Auth{Kind: resource.AuthBasic, Username: "ops"}}
	password := token(40)
	if err := ws.SaveResource(ctx, r, s, map[resource.SecretKind]string{resource.SecretPassword: password}); err != nil {
		t.Fatal(err)
	}
	if got := lookup(t, r.ID+"/password"); got != password {
		t.Fatalf("the Secret Service holds %q for the password", got)
	}
	if err := ws.SaveQuery(ctx, &query.Query{Name: "Invoices", ResourceID: r.ID, Path: "/invoices"}); err != nil {
		t.Fatal(err)
	}

	r.Name = "Billing (EU)"
	r.Auth = resource.Auth{Kind: resource.AuthBearer}
	bearer := token(64)
	if err := ws.SaveResource(ctx, r, s, map[resource.SecretKind]string{resource.SecretBearerToken: bearer}); err != nil {
		t.Fatal(err)
	}
	if got := storedAccounts(t, r.ID+"/"); strings.Join(got, " ") != r.ID+"/bearer-token "+r.ID+"/index" {
		t.Errorf("after switching to bearer the Secret Service holds %v", got)
	}
	if got := lookup(t, r.ID+"/bearer-token"); got != bearer {
		t.Errorf("the Secret Service holds %q for the token", got)
	}

	if err := ws.DeleteResource(ctx, r.ID, s); err != nil {
		t.Fatal(err)
	}
	if got := storedAccounts(t, r.ID+"/"); len(got) != 0 {
		t.Errorf("after the delete the Secret Service holds %v", got)
	}
	if entries, _ := os.ReadDir(filepath.Join(ws.Dir(), "resources")); len(entries) != 0 {
		t.Errorf("files left: %v", entries)
	}
	if entries, _ := os.ReadDir(filepath.Join(ws.Dir(), "queries")); len(entries) != 0 {
		t.Errorf("query files left: %v", entries)
	}
}

// TestRealSaveRollsBack: a new resource whose secret the keychain refuses leaves neither a file nor any entry in
// the Secret Service.
func TestRealSaveRollsBack(t *testing.T) {
	requireKeyring(t)
	b := &refusing{Backend: secret.KeyringBackend(), suffix: "/api-key"}
	s := secret.New(b, secret.Options{})
	cleanUp(t, s, b)
	ws := openWorkspace(t)
	r := &resource.Resource{Name: "Maps", BaseURL: "https://maps.example.com",
		Auth: resource.Auth{Kind: resource.AuthAPIKey, KeyName: "key", KeyIn: resource.KeyInQuery}}
	err := ws.SaveResource(ctxFor(t, time.Minute), r, s, map[resource.SecretKind]string{resource.SecretAPIKey: token(32)})
	if !errors.Is(err, errRefused) || !strings.Contains(err.Error(), "so nothing was saved") {
		t.Fatalf("save: %v", err)
	}
	ids := b.ids()
	if len(ids) == 0 {
		t.Fatal("the save never reached the keychain")
	}
	if got := storedAccounts(t, ids[0]+"/"); len(got) != 0 {
		t.Errorf("the Secret Service holds %v", got)
	}
	if entries, _ := os.ReadDir(filepath.Join(ws.Dir(), "resources")); len(entries) != 0 || r.ID != "" {
		t.Errorf("saved after all: id %q, files %v", r.ID, entries)
	}
}
