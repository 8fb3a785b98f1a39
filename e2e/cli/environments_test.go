package cli

import (
	"os"
	"strings"
	"testing"

	"apidesk/e2e/oauthpeer"
)

// Sign-ins are kept per environment: login --env Staging leaves Production signed out (status, run), each
// environment's sign-in reaches its own authorization server, and env rm asks the provider to revoke the tokens
// of the environment it removes, leaving the other's.
func TestLoginPerEnvironmentAndEnvRmRevokes(t *testing.T) {
	if os.Getenv("APIDESK_REAL_KEYRING") != "1" {
		t.Skip("needs the real keychain: run with scripts/with-keyring.sh (make test does)")
	}
	staging, prod := oauthpeer.Start(t), oauthpeer.Start(t)
	e := env{t: t, workspace: t.TempDir(), cache: t.TempDir()}
	t.Setenv("APIDESK_LOCAL", t.TempDir())
	t.Setenv("APIDESK_ENV", "")
	for _, c := range []struct {
		name string
		srv  *oauthpeer.Server
	}{{"Staging", staging}, {"Production", prod}} {
		e.run("", "env", "add", c.name, "base="+c.srv.URL).must(t, 0)
	}
	e.run("", "resource", "add", "peer", "--base-url", "{{base}}", "--auth", "oauth2",
		"--auth-url", "{{base}}"+strings.TrimPrefix(staging.AuthURL(), staging.URL),
		"--token-url", "{{base}}"+strings.TrimPrefix(staging.TokenURL(), staging.URL),
		"--revoke-url", "{{base}}"+strings.TrimPrefix(staging.RevokeURL(), staging.URL),
		"--client-id", oauthpeer.PublicClientID, "--scope", strings.Join(oauthpeer.DefaultScopes(), " "),
		"--login-test-url", "{{base}}"+strings.TrimPrefix(staging.MeURL(), staging.URL)).must(t, 0)
	e.run("", "query", "save", "me", "--resource", "peer", "--path", "/api/me").must(t, 0)

	r := e.run("", "login", "peer", "--env", "Staging", "--timeout", "1m").must(t, 0)
	if !strings.Contains(r.stderr, "Environment: Staging") || !strings.Contains(r.stderr, staging.AuthURL()+"?") || !strings.Contains(r.stderr, "Signed in") {
		t.Fatalf("login output:\n%s", r.stderr)
	}
	e.run("", "status", "peer", "--env", "Staging").must(t, 0)
	r = e.run("", "status", "peer", "--env", "Production").must(t, 1)
	if !strings.Contains(r.stderr, "apidesk-cli login peer --env Production") {
		t.Errorf("status in Production: %s", r.stderr)
	}
	if r = e.run("", "run", "me", "--env", "Production").must(t, 1); !strings.Contains(r.stderr, "not signed in") {
		t.Errorf("run in Production before its login: %s", r.stderr)
	}
	if len(prod.IssuedTokens()) != 0 {
		t.Fatal("Production's server issued a token for Staging's sign-in")
	}
	e.run("", "login", "peer", "--env", "Production", "--timeout", "1m").must(t, 0)
	r = e.run("", "run", "me", "--env", "Staging", "--fail").must(t, 0)
	if !strings.Contains(r.stdout, staging.Subject()) {
		t.Errorf("Staging's /api/me answered %s", r.stdout)
	}
	e.run("", "run", "me", "--env", "Production", "--fail").must(t, 0)

	r = e.run("", "env", "rm", "Staging").must(t, 0)
	if !strings.Contains(r.stderr, `Signed out of "peer" in Staging: the provider revoked its tokens`) {
		t.Errorf("env rm: %s", r.stderr)
	}
	for _, tok := range staging.IssuedTokens() {
		if staging.Active(tok.AccessToken) {
			t.Error("a Staging access token is still active after env rm")
		}
	}
	active := 0
	for _, tok := range prod.IssuedTokens() {
		if prod.Active(tok.AccessToken) {
			active++
		}
	}
	if active == 0 {
		t.Error("Production's sign-in was revoked with Staging")
	}
	e.run("", "run", "me", "--env", "Production", "--fail").must(t, 0)
	e.run("", "logout", "peer", "--env", "Production").must(t, 0)
}
