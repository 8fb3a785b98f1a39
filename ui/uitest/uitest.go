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

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/keychain"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
	"apidesk/ui/task"
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

// App is a test app whose fyne.Do hands the work to the test goroutine, as a real driver runs it on its one
// UI goroutine. Fyne's test driver runs it at once on the calling goroutine instead, where two background
// jobs (a body being formatted, a table being found) would race each other and the test on Fyne's caches,
// which are not synchronised when built with migrated_fynedo. Wait and WaitFor run the work handed over.
type App struct {
	fyne.App
	driver *serialDriver
}

// NewApp returns a test app (test.NewTempApp) made the current app, with fyne.Do queued for Wait.
func NewApp(t testing.TB) *App {
	base := test.NewTempApp(t)
	a := &App{App: base, driver: &serialDriver{Driver: base.Driver(), queue: make(chan func(), 4096)}}
	fyne.SetCurrentApp(a)
	return a
}

// Driver is part of fyne.App.
func (a *App) Driver() fyne.Driver { return a.driver }

// waitLimit bounds a wait: background work that takes longer has hung.
const waitLimit = 30 * time.Second

// Wait runs the work handed to fyne.Do, on the calling (test) goroutine, until every job of g (and of the
// groups it includes) has come back and nothing is left to run.
func (a *App) Wait(t testing.TB, g *task.Group) {
	t.Helper()
	timeout := time.After(waitLimit)
	for {
		select {
		case f := <-a.driver.queue:
			f()
			continue
		default:
		}
		select {
		case <-g.Idle():
			return
		case f := <-a.driver.queue:
			f()
		case <-timeout:
			t.Fatalf("background work did not come back within %s", waitLimit)
		}
	}
}

// WaitFor runs the work handed to fyne.Do, on the calling (test) goroutine, until ready reports true; ready
// is called on the test goroutine before and after each piece of work, never in between. For a state that
// a job reaches before it comes back (a sign-in that shows a code and then waits for it).
func (a *App) WaitFor(t testing.TB, ready func() bool) {
	t.Helper()
	timeout := time.After(waitLimit)
	for !ready() {
		select {
		case f := <-a.driver.queue:
			f()
		case <-timeout:
			t.Fatalf("the window did not get ready within %s", waitLimit)
		}
	}
}

type serialDriver struct {
	fyne.Driver
	queue chan func()
}

// DoFromGoroutine is part of fyne.Driver: it queues fn for Wait, and waits for it to have run when asked.
func (d *serialDriver) DoFromGoroutine(fn func(), wait bool) {
	if !wait {
		d.queue <- fn
		return
	}
	done := make(chan struct{})
	d.queue <- func() {
		defer close(done)
		fn()
	}
	<-done
}
