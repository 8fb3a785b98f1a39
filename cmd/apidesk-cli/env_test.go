package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

// envServer is one environment's API: it answers only its own bearer token, and notes every request.
type envServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string // "Authorization | X-Sig" of each request
}

func newEnvServer(t *testing.T, token string) *envServer {
	s := &envServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, r.Header.Get("Authorization")+" | "+r.Header.Get("X-Sig"))
		s.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"path": r.URL.Path, "region": r.URL.Query().Get("region")})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *envServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// Two local servers as staging and production, one resource whose base URL is {{base}}, a bearer token per
// environment: each run reaches only its own server with only its own secret, and no file holds a secret.
func TestEnvironments(t *testing.T) {
	needKeychain(t)
	t.Setenv("APIDESK_LOCAL", t.TempDir())
	t.Setenv(EnvVar, "")
	const tokS, tokP, sigS = "tok-Staging-51c0ffee", "tok-Prod-9d0ffe11", "sig-Staging-77aa55cc"
	staging, prod := newEnvServer(t, tokS), newEnvServer(t, tokP)
	ws := t.TempDir()

	runCLI(t, ws, "", "env", "add", "Staging", "base="+staging.URL, "region=eu").must(t, 0)
	runCLI(t, ws, "", "env", "add", "Production", "base="+prod.URL, "--protected").must(t, 0)
	runCLI(t, ws, tokS+"\n", "resource", "add", "crm", "--base-url", "{{base}}/v1", "--auth", "bearer", "--secret-stdin", "--env", "Staging").must(t, 0)
	r := runCLI(t, ws, tokP+"\n", "resource", "secret", "crm", "--env", "production", "--secret-stdin").must(t, 0)
	if !strings.Contains(r.stderr, "for Production") {
		t.Errorf("resource secret said %q", r.stderr)
	}
	runCLI(t, ws, "", "query", "save", "who", "--resource", "crm", "--path", "/who", "--param", "region={{region}}", "--header", "X-Sig: {{sig}}").must(t, 0)
	// The query's own default wins over the environment's region; Production has neither sig nor region.
	runCLI(t, ws, "", "env", "set", "Production", "region=us").must(t, 0)
	if r := runCLI(t, ws, "", "env", "set", "Production", "sig=plain").must(t, 1); !strings.Contains(r.stderr, "make it a secret variable") {
		t.Errorf("a secret-looking value in the shared file: %s", r.stderr)
	}
	runCLI(t, ws, "sig-prod\n", "env", "set", "Production", "--secret", "sig").must(t, 0)

	r = runCLI(t, ws, "x\n", "run", "who", "--var-stdin", "sig").must(t, 2)
	if !strings.Contains(r.stderr, "{{base}}") || !strings.Contains(r.stderr, "looked in the values given, the query's defaults, no environment (none is chosen)") {
		t.Errorf("without an environment: %s", r.stderr)
	}

	// A secret variable: entered once, kept in the keychain, sent, never printed or written.
	runCLI(t, ws, sigS+"\n", "env", "set", "Staging", "--secret", "sig").must(t, 0)
	r = runCLI(t, ws, "", "run", "who", "--env", "Staging").must(t, 0)
	if !strings.Contains(r.stdout, `"region":"eu"`) || !strings.Contains(r.stderr, "Environment: Staging") {
		t.Fatalf("staging run: %s %s", r.stdout, r.stderr)
	}
	if got := staging.requests(); len(got) != 1 || got[0] != "Bearer "+tokS+" | "+sigS {
		t.Errorf("staging saw %q", got)
	}
	if got := prod.requests(); len(got) != 0 {
		t.Errorf("production saw %q during the staging run", got)
	}

	t.Setenv(EnvVar, "Production") // the default when --env is not given
	r = runCLI(t, ws, "", "run", "who", "--yes").must(t, 0)
	if !strings.Contains(r.stdout, `"region":"us"`) || !strings.Contains(r.stderr, "Production (protected)") {
		t.Fatalf("production run: %s %s", r.stdout, r.stderr)
	}
	if got := prod.requests(); len(got) != 1 || got[0] != "Bearer "+tokP+" | sig-prod" {
		t.Errorf("production saw %q", got)
	}
	if got := staging.requests(); len(got) != 1 {
		t.Errorf("staging saw %q during the production run", got)
	}
	r = runCLI(t, ws, "", "env", "list").must(t, 0)
	if !strings.Contains(r.stdout, "* Production\t3 variables\tprotected") || !strings.Contains(r.stdout, "  Staging\t3 variables") {
		t.Errorf("env list:\n%s", r.stdout)
	}
	t.Setenv(EnvVar, "")

	// A person's own value wins for them; the shared file keeps its own.
	runCLI(t, ws, "", "env", "set", "Staging", "--local", "region=ap").must(t, 0)
	r = runCLI(t, ws, "", "run", "who", "--env", "Staging").must(t, 0)
	if !strings.Contains(r.stdout, `"region":"ap"`) {
		t.Errorf("own value: %s", r.stdout)
	}
	r = runCLI(t, ws, "", "query", "show", "who", "--env", "Staging").must(t, 0)
	for _, want := range []string{"  base = " + staging.URL + " (the environment Staging)", "  region = ap (your own value for Staging (not shared))", "  sig = (secret, from your keychain (Staging))"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("query show lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, sigS) {
		t.Error("query show printed the secret")
	}
	r = runCLI(t, ws, "", "env", "show", "Staging").must(t, 0)
	if !strings.Contains(r.stdout, "region = ap   (your own value; the shared one is eu)") || !strings.Contains(r.stdout, "sig = (secret, in your keychain)") || strings.Contains(r.stdout, sigS) {
		t.Errorf("env show:\n%s", r.stdout)
	}
	// The copied command is filled with the environment's values, its secrets left as placeholders.
	r = runCLI(t, ws, "", "export", "curl", "who", "--env", "Staging").must(t, 0)
	if !strings.Contains(r.stdout, staging.URL+"/v1/who?region=ap") || !strings.Contains(r.stdout, "{{sig}}") || strings.Contains(r.stdout, sigS) || strings.Contains(r.stdout, tokS) {
		t.Errorf("export curl:\n%s", r.stdout)
	}
	// Usage errors say what to fix.
	if r = runCLI(t, ws, "", "run", "who", "--env", "Nowhere").must(t, 2); !strings.Contains(r.stderr, `no environment named "Nowhere": choose one of Production, Staging`) {
		t.Errorf("unknown environment: %s", r.stderr)
	}
	if r = runCLI(t, ws, "", "env", "set", "Staging", "sig=leak").must(t, 2); !strings.Contains(r.stderr, "sig is secret in Staging") {
		t.Errorf("a secret as an argument: %s", r.stderr)
	}

	for _, s := range []string{tokS, tokP, sigS} {
		assertNoSecret(t, ws, s)
		assertNoSecret(t, os.Getenv("APIDESK_LOCAL"), s)
	}
	if _, err := os.Stat(filepath.Join(ws, "environments", "staging.yaml")); err != nil {
		t.Errorf("the environment's file: %v", err)
	}

	// Removing Staging removes its secrets and the resource's token kept for it; Production's stays.
	id := resourceID(t, ws, "crm")
	file, _ := os.ReadFile(filepath.Join(ws, "environments", "staging.yaml"))
	var envID string
	for _, line := range strings.Split(string(file), "\n") {
		if v, ok := strings.CutPrefix(line, "id: "); ok {
			envID = v
		}
	}
	runCLI(t, ws, "", "env", "rm", "Staging").must(t, 0)
	store := secret.New(secret.KeyringBackend(), secret.Options{})
	ctx := context.Background()
	if _, err := store.Get(ctx, id+"."+envID, resource.SecretBearerToken); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("Staging's token survived its environment: %v", err)
	}
	if _, err := store.Get(ctx, "env."+envID, "variables"); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("Staging's secret values survived it: %v", err)
	}
	runCLI(t, ws, "", "run", "who", "--env", "Production", "--yes").must(t, 0)
	runCLI(t, ws, "", "resource", "rm", "crm").must(t, 0)
	var prodID string
	file, _ = os.ReadFile(filepath.Join(ws, "environments", "production.yaml"))
	for _, line := range strings.Split(string(file), "\n") {
		if v, ok := strings.CutPrefix(line, "id: "); ok {
			prodID = v
		}
	}
	if _, err := store.Get(ctx, id+"."+prodID, resource.SecretBearerToken); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("Production's token survived the resource: %v", err)
	}
}
