//go:build linux

package keychaintest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

const (
	secretsName      = "org.freedesktop.secrets"
	secretsPath      = dbus.ObjectPath("/org/freedesktop/secrets")
	loginCollection  = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	lockedChildEnv   = "APIDESK_TEST_LOCKED_KEYRING_CHILD"
	keyringPassword  = "unlock-me"
	withKeyringShell = "../../../scripts/with-keyring.sh"
)

// requireKeyring skips unless APIDESK_REAL_KEYRING=1; then the Secret Service must be reachable.
func requireKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv("APIDESK_REAL_KEYRING") != "1" {
		t.Skip("needs a real Secret Service: run `scripts/with-keyring.sh go test ./engine/secret/...`" +
			" (or set APIDESK_REAL_KEYRING=1 inside a session whose keyring is unlocked)")
	}
	if err := secret.CheckSessionBus(); err != nil {
		t.Fatalf("APIDESK_REAL_KEYRING=1 but: %v", err)
	}
}

// newID returns a resource ID no other test uses, and deletes its secrets when the test ends.
func newID(t *testing.T, s *secret.Store) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	id := "it-" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.DeleteAll(ctx, id); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return id
}

// token returns n bytes of random base64url-like text, like a JWT's.
func token(n int) string {
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

// oauthToken is a token as the oauth package may store it: JSON around a 6 KB access token.
func oauthToken() string {
	return fmt.Sprintf(`{"access_token":%q,"token_type":"Bearer","refresh_token":%q,"expiry":"2030-01-02T03:04:05Z"}`,
		token(6*1024), token(64))
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// lookup reads an entry with secret-tool, independently of go-keyring.
func lookup(t *testing.T, account string) string {
	t.Helper()
	out, err := exec.CommandContext(ctxFor(t, 30*time.Second), "secret-tool", "lookup",
		"service", secret.Service, "username", account).Output()
	if err != nil {
		t.Fatalf("secret-tool lookup %s: %v", account, err)
	}
	return string(out)
}

// storedAccounts lists, through the Secret Service's own search, the apidesk account names that
// start with prefix: what go-keyring cannot do.
func storedAccounts(t *testing.T, prefix string) []string {
	t.Helper()
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxFor(t, 30*time.Second)
	var unlocked, locked []dbus.ObjectPath
	err = conn.Object(secretsName, secretsPath).CallWithContext(ctx, "org.freedesktop.Secret.Service.SearchItems", 0,
		map[string]string{"service": secret.Service}).Store(&unlocked, &locked)
	if err != nil {
		t.Fatal(err)
	}
	var accounts []string
	for _, item := range append(unlocked, locked...) {
		v, err := conn.Object(secretsName, item).GetProperty("org.freedesktop.Secret.Item.Attributes")
		if err != nil {
			t.Fatal(err)
		}
		attrs, _ := v.Value().(map[string]string)
		if a := attrs["username"]; strings.HasPrefix(a, prefix) {
			accounts = append(accounts, a)
		}
	}
	slices.Sort(accounts)
	return accounts
}

func TestRealRoundTrip(t *testing.T) {
	requireKeyring(t)
	s := secret.New(secret.KeyringBackend(), secret.Options{})
	id := newID(t, s)
	values := []struct {
		kind  resource.SecretKind
		value string
	}{
		{resource.SecretPassword, token(10 * 1024)},
		{resource.SecretOAuthToken, oauthToken()},
		{resource.SecretAPIKey, "k-123"},
		{resource.SecretClientSecret, strings.Repeat("пароль🔑", 200)},
	}
	for _, v := range values {
		if err := s.Set(ctxFor(t, 30*time.Second), id, v.kind, v.value); err != nil {
			t.Fatalf("Set %s (%d bytes): %v", v.kind, len(v.value), err)
		}
	}
	for _, v := range values {
		got, err := s.Get(ctxFor(t, 30*time.Second), id, v.kind)
		if err != nil {
			t.Fatalf("Get %s: %v", v.kind, err)
		}
		if got != v.value {
			t.Fatalf("Get %s returned %d bytes that differ from the %d stored", v.kind, len(got), len(v.value))
		}
		// On Linux the value is one entry, whole, where the package says it is.
		if got := lookup(t, id+"/"+string(v.kind)); got != v.value {
			t.Fatalf("secret-tool finds %d bytes under %s/%s, want the %d stored", len(got), id, v.kind, len(v.value))
		}
	}
	want := []string{id + "/api-key", id + "/client-secret", id + "/index", id + "/oauth-token", id + "/password"}
	if got := storedAccounts(t, id+"/"); !slices.Equal(got, want) {
		t.Fatalf("entries = %v, want %v (nothing split on Linux)", got, want)
	}
	kinds, err := s.Kinds(ctxFor(t, 30*time.Second), id)
	if err != nil || len(kinds) != len(values) {
		t.Fatalf("Kinds = %v, %v", kinds, err)
	}
	for _, v := range values {
		if strings.Contains(lookup(t, id+"/index"), v.value) {
			t.Fatalf("the index holds the %s", v.kind)
		}
	}
}

// The Windows/macOS splitting, run against the real daemon.
func TestRealSplitValue(t *testing.T) {
	requireKeyring(t)
	s := secret.New(secret.KeyringBackend(), secret.Options{MaxValueBytes: 2560})
	id := newID(t, s)
	value := token(10 * 1024)
	if err := s.Set(ctxFor(t, 30*time.Second), id, resource.SecretOAuthToken, value); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctxFor(t, 30*time.Second), id, resource.SecretOAuthToken); err != nil || got != value {
		t.Fatalf("Get = %d bytes, %v; want the %d stored", len(got), err, len(value))
	}
	if got := storedAccounts(t, id+"/"); len(got) != 6 {
		t.Fatalf("entries = %v, want the head, the index and 4 chunks", got)
	}
	if err := s.Set(ctxFor(t, 30*time.Second), id, resource.SecretOAuthToken, "short"); err != nil {
		t.Fatal(err)
	}
	if got := storedAccounts(t, id+"/"); !slices.Equal(got, []string{id + "/index", id + "/oauth-token"}) {
		t.Fatalf("entries after a short value = %v; the chunks should be gone", got)
	}
}

func TestRealMissing(t *testing.T) {
	requireKeyring(t)
	s := secret.New(secret.KeyringBackend(), secret.Options{})
	id := newID(t, s)
	_, err := s.Get(ctxFor(t, 30*time.Second), id, resource.SecretPassword)
	if !errors.Is(err, secret.ErrNotFound) || errors.Is(err, secret.ErrUnavailable) {
		t.Fatalf("Get of a missing secret: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctxFor(t, 30*time.Second), id, resource.SecretPassword); err != nil {
		t.Fatalf("Delete of a missing secret: %v", err)
	}
	if kinds, err := s.Kinds(ctxFor(t, 30*time.Second), id); err != nil || len(kinds) != 0 {
		t.Fatalf("Kinds = %v, %v; want none", kinds, err)
	}
}

func TestRealDeleteAll(t *testing.T) {
	requireKeyring(t)
	s := secret.New(secret.KeyringBackend(), secret.Options{})
	split := secret.New(secret.KeyringBackend(), secret.Options{MaxValueBytes: 2560})
	id, other := newID(t, s), newID(t, s)
	for _, k := range []resource.SecretKind{resource.SecretPassword, resource.SecretBearerToken, resource.SecretAPIKey, resource.SecretClientSecret} {
		if err := s.Set(ctxFor(t, 30*time.Second), id, k, token(100)); err != nil {
			t.Fatal(err)
		}
	}
	if err := split.Set(ctxFor(t, 30*time.Second), id, resource.SecretOAuthToken, oauthToken()); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctxFor(t, 30*time.Second), other, resource.SecretPassword, "keep me"); err != nil {
		t.Fatal(err)
	}
	if got := storedAccounts(t, id+"/"); len(got) < 9 {
		t.Fatalf("entries = %v, want 5 secrets, 3 chunks and the index", got)
	}
	if err := s.DeleteAll(ctxFor(t, 30*time.Second), id); err != nil {
		t.Fatal(err)
	}
	if got := storedAccounts(t, id+"/"); len(got) != 0 {
		t.Fatalf("entries left after DeleteAll: %v", got)
	}
	if got := storedAccounts(t, other+"/"); len(got) != 2 {
		t.Fatalf("DeleteAll touched another resource: %v", got)
	}
}

// TestRealLockedKeyring runs TestLockedKeyringChild in a keyring of its own (with-keyring.sh
// again), because locking the login keyring would break tests of other packages sharing ours.
func TestRealLockedKeyring(t *testing.T) {
	requireKeyring(t)
	script, err := filepath.Abs(withKeyringShell)
	if err != nil {
		t.Fatal(err)
	}
	runChild(t, "TestLockedKeyringChild", exec.Command("bash", script, os.Args[0]),
		lockedChildEnv+"=1", "APIDESK_KEYRING_PASSWORD="+keyringPassword)
}

// runChild runs this test binary's test name through cmd (whose arguments it completes) and
// fails unless that test ran and passed.
func runChild(t *testing.T, name string, cmd *exec.Cmd, env ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	child := exec.CommandContext(ctx, cmd.Path, append(cmd.Args[1:], "-test.run=^"+name+"$", "-test.v", "-test.count=1")...)
	child.Env = append(os.Environ(), env...)
	// Its own process group, so a timeout ends the D-Bus session and daemons it started too.
	child.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	child.Cancel = func() error { return syscall.Kill(-child.Process.Pid, syscall.SIGTERM) }
	child.WaitDelay = 10 * time.Second
	out, err := child.CombinedOutput()
	t.Logf("%s:\n%s", name, out)
	if err != nil {
		t.Fatalf("%s failed: %v", name, err)
	}
	if !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("%s did not run", name)
	}
}

// countingBackend counts the calls that reach the real backend.
type countingBackend struct {
	secret.Backend
	n atomic.Int64
}

func (c *countingBackend) Get(service, user string) (string, error) {
	c.n.Add(1)
	return c.Backend.Get(service, user)
}

func (c *countingBackend) Set(service, user, password string) error {
	c.n.Add(1)
	return c.Backend.Set(service, user, password)
}

func (c *countingBackend) Delete(service, user string) error {
	c.n.Add(1)
	return c.Backend.Delete(service, user)
}

// TestLockedKeyringChild finds out what a locked login keyring does to the Store, with the real
// gnome-keyring and its real unlock prompt (gcr-prompter):
//   - with no display the prompter cannot start, gnome-keyring dismisses the prompt at once, and
//     go-keyring reports "failed to unlock": ErrUnavailable saying the keyring is locked;
//   - with a display (Xvfb) the prompt waits for a person, and go-keyring waits forever: the Store
//     gives up at the caller's deadline, starts no other backend call while that one hangs, and
//     works again once someone types the password;
//   - a caller with a long deadline (sign-in) gets the value once the person unlocks.
func TestLockedKeyringChild(t *testing.T) {
	if os.Getenv(lockedChildEnv) != "1" {
		t.Skip("runs only inside TestRealLockedKeyring, in a keyring of its own")
	}
	requireKeyring(t)
	backend := &countingBackend{Backend: secret.KeyringBackend()}
	s := secret.New(backend, secret.Options{})
	const id = "locked-test"
	value := oauthToken()
	if err := s.Set(ctxFor(t, 30*time.Second), id, resource.SecretOAuthToken, value); err != nil {
		t.Fatal(err)
	}

	// No display for the prompter, whatever the environment had.
	setActivationEnv(t, map[string]string{"DISPLAY": "", "WAYLAND_DISPLAY": "", "NO_AT_BRIDGE": "1"})
	lockLogin(t)
	t.Run("no prompter", func(t *testing.T) {
		_, err := s.Get(ctxFor(t, time.Minute), id, resource.SecretOAuthToken)
		if !errors.Is(err, secret.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Get from a locked keyring with no prompter: %v; want ErrUnavailable at once", err)
		}
		if !strings.Contains(err.Error(), "locked") || !strings.Contains(err.Error(), "unlock") {
			t.Fatalf("error does not say the keyring is locked and what to do: %v", err)
		}
		err = s.Set(ctxFor(t, time.Minute), id, resource.SecretOAuthToken, "new value")
		if !errors.Is(err, secret.ErrUnavailable) || strings.Contains(err.Error(), "new value") {
			t.Fatalf("Set into a locked keyring with no prompter: %v", err)
		}
	})

	display := startXvfb(t)
	setActivationEnv(t, map[string]string{"DISPLAY": display})
	t.Run("prompt nobody answers", func(t *testing.T) {
		before := backend.n.Load()
		ctx := ctxFor(t, time.Second)
		_, err := s.Get(ctx, id, resource.SecretOAuthToken)
		if !errors.Is(err, secret.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Get while the unlock prompt waits: %v; want ErrUnavailable at the deadline", err)
		}
		if !strings.Contains(err.Error(), "did not answer") || !strings.Contains(err.Error(), "unlock") {
			t.Fatalf("error does not say what happened and what to do: %v", err)
		}
		window := waitPrompt(t, display) // the call really waits on the prompt
		for range 3 {
			_, err := s.Get(ctxFor(t, 300*time.Millisecond), id, resource.SecretOAuthToken)
			if !errors.Is(err, secret.ErrUnavailable) || !strings.Contains(err.Error(), "earlier keychain request") {
				t.Fatalf("Get while an earlier call hangs: %v", err)
			}
		}
		if n := backend.n.Load() - before; n != 1 {
			t.Fatalf("%d backend calls started; want only the one that hangs", n)
		}
		// Someone types the password: the hung call returns and the Store works again.
		answerPrompt(t, display, window)
		got, err := s.Get(ctxFor(t, time.Minute), id, resource.SecretOAuthToken)
		if err != nil || got != value {
			t.Fatalf("Get after unlocking = %d bytes, %v", len(got), err)
		}
	})

	t.Run("unlocked during sign-in", func(t *testing.T) {
		lockLogin(t)
		type result struct {
			v   string
			err error
		}
		done := make(chan result, 1)
		go func() {
			v, err := s.Get(ctxFor(t, 2*time.Minute), id, resource.SecretOAuthToken)
			done <- result{v, err}
		}()
		answerPrompt(t, display, waitPrompt(t, display))
		if r := <-done; r.err != nil || r.v != value {
			t.Fatalf("Get that waited for the unlock = %d bytes, %v", len(r.v), r.err)
		}
	})
}

// setActivationEnv sets variables for the services the session bus starts (the prompter).
func setActivationEnv(t *testing.T, env map[string]string) {
	t.Helper()
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.BusObject().CallWithContext(ctxFor(t, 10*time.Second),
		"org.freedesktop.DBus.UpdateActivationEnvironment", 0, env).Err; err != nil {
		t.Fatal(err)
	}
}

// lockLogin locks the login keyring through the Secret Service. (secret-tool lock crashes in
// libsecret-tools 0.20.5, Debian 12.)
func lockLogin(t *testing.T) {
	t.Helper()
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err = conn.Object(secretsName, secretsPath).CallWithContext(ctxFor(t, 10*time.Second),
		"org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{loginCollection}).Store(&locked, &prompt)
	if err != nil || !slices.Equal(locked, []dbus.ObjectPath{loginCollection}) || prompt != "/" {
		t.Fatalf("locking the login keyring: locked %v, prompt %s, %v", locked, prompt, err)
	}
	v, err := conn.Object(secretsName, loginCollection).GetProperty("org.freedesktop.Secret.Collection.Locked")
	if err != nil || v.Value() != true {
		t.Fatalf("login keyring Locked = %v, %v", v, err)
	}
}

// startXvfb starts a private X server and returns its display, for the prompter to open on.
func startXvfb(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing; install the test packages with: bash scripts/deps.sh test", tool)
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "800x600x24")
	cmd.ExtraFiles = []*os.File{w}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if stderr.Len() > 0 {
			t.Logf("Xvfb: %s", stderr.String())
		}
	})
	got := make(chan string, 1)
	go func() {
		// Xvfb writes "N\n", possibly in two writes; it dies if the pipe closes in between.
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatal("Xvfb did not start")
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		t.Fatal("Xvfb did not report its display within 30 s")
	}
	return ""
}

// xdotool runs xdotool on display, bounded in time.
func xdotool(t *testing.T, display string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctxFor(t, 30*time.Second), "xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xdotool %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// waitPrompt waits for gnome-keyring's unlock prompt to show and returns its window.
func waitPrompt(t *testing.T, display string) string {
	t.Helper()
	out := xdotool(t, display, "search", "--sync", "--onlyvisible", "--classname", "gcr-prompter")
	window, _, _ := strings.Cut(out, "\n")
	return window
}

// answerPrompt types the keyring password into the prompt, as a person would.
func answerPrompt(t *testing.T, display, window string) {
	t.Helper()
	xdotool(t, display, "windowfocus", "--sync", window)
	xdotool(t, display, "type", "--delay", "10", keyringPassword)
	xdotool(t, display, "key", "Return")
}
