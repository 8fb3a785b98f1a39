// Package uitest holds what the views' tests share: a real workspace in a temporary folder, the real secret
// store over go-keyring's in-memory keychain, and a runner that reads it, wired as cmd/apidesk wires them.
package uitest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"apidesk/engine/keychain"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
)

// Keychain returns a secret.Store over go-keyring's in-memory mock (secret.MockBackend), which replaces the
// process's keychain provider: each call starts with an empty keychain.
func Keychain(t testing.TB) *secret.Store {
	t.Helper()
	return secret.New(secret.MockBackend(), secret.Options{Timeout: 5 * time.Second})
}

// Workspace opens a workspace in a new temporary folder and loads it.
func Workspace(t testing.TB) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ws
}

// Runner is a runner reading secrets from store through engine/keychain, as cmd/apidesk makes it, with long bodies in a test folder.
func Runner(t testing.TB, store *secret.Store) *runner.Runner {
	r := runner.New(keychain.RunnerSecrets(store), nil)
	r.TempDir = t.TempDir()
	return r
}

// Files returns the text of every file under dir, by path relative to dir.
func Files(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// NoFileContains fails the test when any file under dir holds one of the needles (secrets that must stay in
// the keychain).
func NoFileContains(t testing.TB, dir string, needles ...string) {
	t.Helper()
	for name, text := range Files(t, dir) {
		for _, n := range needles {
			if n != "" && strings.Contains(text, n) {
				t.Errorf("%s holds a secret that belongs in the keychain", name)
			}
		}
	}
}
