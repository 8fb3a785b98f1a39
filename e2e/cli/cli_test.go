// Package cli tests apidesk-cli as a built binary against a real OAuth 2.0 server (fosite, in oauthpeer) and the
// real keychain: sign in through the browser, run a query with {-oauth_access_token-}, survive a restart (every
// command is a new process), refresh by itself, and sign out.
package cli

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"apidesk/e2e/oauthpeer"
)

var binary string

func TestMain(m *testing.M) {
	// Started by apidesk-cli as $BROWSER: load the URL as a browser would, following redirects with a cookie jar
	// down to the loopback callback.
	if os.Getenv("APIDESK_E2E_BROWSER") == "1" {
		os.Exit(browse(os.Args[len(os.Args)-1]))
	}
	dir, err := os.MkdirTemp("", "apidesk-cli-oauth")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "apidesk-cli")
	// Built in the app's own module, with its go.mod, as it ships.
	build := exec.Command("go", "build", "-race", "-o", binary, "./cmd/apidesk-cli")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func browse(u string) int {
	jar, _ := cookiejar.New(nil)
	resp, err := (&http.Client{Jar: jar}).Get(u)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "browser: the callback page answered", resp.Status)
		return 1
	}
	return 0
}

type result struct {
	code           int
	stdout, stderr string
}

type env struct {
	t         *testing.T
	workspace string
	cache     string
}

func (e env) run(stdin string, args ...string) result {
	e.t.Helper()
	cmd := exec.Command(binary, append([]string{"--workspace", e.workspace}, args...)...)
	self, err := os.Executable()
	if err != nil {
		e.t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), "BROWSER="+self, "APIDESK_E2E_BROWSER=1", "XDG_CACHE_HOME="+e.cache, "TMPDIR="+e.cache)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("run %v: %v", args, err)
	}
	r := result{code, out.String(), errb.String()}
	e.t.Logf("apidesk-cli %s → %d\n%s%s", strings.Join(args, " "), code, r.stdout, r.stderr)
	return r
}

func (r result) must(t *testing.T, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

func TestLoginRunRefreshLogout(t *testing.T) {
	if os.Getenv("APIDESK_REAL_KEYRING") != "1" {
		t.Skip("needs the real keychain: run with scripts/with-keyring.sh (make test does)")
	}
	srv := oauthpeer.Start(t)
	e := env{t: t, workspace: t.TempDir(), cache: t.TempDir()}

	e.run("", "resource", "add", "peer", "--base-url", srv.URL, "--auth", "oauth2",
		"--auth-url", srv.AuthURL(), "--token-url", srv.TokenURL(), "--revoke-url", srv.RevokeURL(),
		"--client-id", oauthpeer.PostClientID, "--client-auth", "body",
		"--scope", strings.Join(oauthpeer.DefaultScopes(), " "),
		"--login-test-url", srv.MeURL(),
		"--header", "X-Token-Copy: {-oauth_access_token-}").must(t, 0)
	// A query that sends the token in a URL param too, as Jet Admin's placeholder allows.
	e.run("", "query", "save", "me", "--resource", "peer", "--path", "/api/me").must(t, 0)
	e.run("", "query", "save", "echo", "--resource", "peer", "--path", "/api/echo", "--param", "access_token={-oauth_access_token-}").must(t, 0)

	r := e.run("", "status", "peer").must(t, 1)
	if !strings.Contains(r.stderr, "apidesk-cli login peer") {
		t.Fatalf("status should say how to sign in: %s", r.stderr)
	}
	r = e.run("", "run", "me").must(t, 1)
	if !strings.Contains(r.stderr, "not signed in") {
		t.Fatalf("run before login: %s", r.stderr)
	}

	// The confidential client's secret is asked for, read from stdin, and kept in the keychain.
	r = e.run(oauthpeer.PostClientSecret+"\n", "login", "peer", "--secret-stdin", "--timeout", "1m").must(t, 0)
	if !strings.Contains(r.stderr, "Redirect URI (register it with the provider): http://127.0.0.1:") ||
		!strings.Contains(r.stderr, srv.AuthURL()+"?") || !strings.Contains(r.stderr, "Signed in") {
		t.Fatalf("login output:\n%s", r.stderr)
	}
	e.run("", "status", "peer").must(t, 0)

	r = e.run("", "run", "me", "--fail").must(t, 0)
	if !strings.Contains(r.stdout, srv.Subject()) {
		t.Fatalf("/api/me answered %s", r.stdout)
	}
	r = e.run("", "run", "echo", "--fail").must(t, 0)
	issued := srv.IssuedTokens()
	access := issued[len(issued)-1].AccessToken
	if !strings.Contains(r.stdout, access) {
		t.Fatalf("the placeholder was not replaced by the access token in the URL param or header: %s", r.stdout)
	}

	// The token expires at the server: the next run refreshes once, by itself, and goes on.
	refreshes := srv.TokenRequestCount("refresh_token")
	srv.ExpireAccessTokens()
	e.run("", "run", "me", "--fail").must(t, 0)
	if got := srv.TokenRequestCount("refresh_token"); got != refreshes+1 {
		t.Fatalf("refresh grants %d, want %d", got, refreshes+1)
	}
	e.run("", "run", "me", "--fail").must(t, 0) // the rotated refresh token was kept for the next process
	if got := srv.TokenRequestCount("refresh_token"); got != refreshes+1 {
		t.Fatalf("a fresh token was refreshed again: %d grants", got)
	}

	r = e.run("", "logout", "peer").must(t, 0)
	if !strings.Contains(r.stderr, "revoked") {
		t.Fatalf("logout: %s", r.stderr)
	}
	for _, tok := range srv.IssuedTokens() {
		if srv.Active(tok.AccessToken) {
			t.Fatalf("an access token is still active after logout")
		}
	}
	e.run("", "status", "peer").must(t, 1)
	e.run("", "run", "me").must(t, 1)

	// No secret anywhere on disk: workspace, cache and temp dirs.
	var secrets []string
	secrets = append(secrets, oauthpeer.PostClientSecret)
	for _, tok := range srv.IssuedTokens() {
		secrets = append(secrets, tok.AccessToken, tok.RefreshToken)
	}
	for _, dir := range []string{e.workspace, e.cache} {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, _ := os.ReadFile(path)
			for _, s := range secrets {
				if s != "" && bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds a secret", path)
				}
			}
			return nil
		})
	}
}
