package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

// These tests run the built apidesk-cli binary against real HTTP servers and the real keychain (the test
// command runs them inside scripts/with-keyring.sh, with a private gnome-keyring).

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "apidesk-cli-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "apidesk-cli")
	if out, err := exec.Command("go", "build", "-race", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func needKeychain(t *testing.T) {
	t.Helper()
	if os.Getenv("APIDESK_REAL_KEYRING") != "1" {
		t.Skip("needs the real keychain: run with scripts/with-keyring.sh go test ./cmd/apidesk-cli (make test does)")
	}
}

type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the binary with the workspace ws and stdin.
func runCLI(t *testing.T, ws, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"--workspace", ws}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

func (r result) must(t *testing.T, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

const token = "tok-Secret-7f3a9c1e" // distinctive, so a leak is found by grep

// api is a server that wants the bearer token and answers JSON describing the request.
func api(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/v1/missing" {
			http.Error(w, `{"error":"no such thing"}`, http.StatusNotFound)
			return
		}
		var body any
		_ = json.NewDecoder(r.Body).Decode(&body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Served-By", "test")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery,
			"tenant": r.Header.Get("X-Tenant"), "body": body,
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestResourceQueryRun(t *testing.T) {
	needKeychain(t)
	srv := api(t)
	ws := t.TempDir()

	r := runCLI(t, ws, token+"\n", "resource", "add", "crm", "--base-url", srv.URL+"/v1", "--header", "X-Tenant: acme", "--auth", "bearer", "--secret-stdin").must(t, 0)
	if !strings.Contains(r.stderr, `Added resource "crm"`) {
		t.Fatalf("add said %q", r.stderr)
	}
	// Flags after positional arguments work too.
	runCLI(t, ws, "", "query", "save", "user", "--resource", "crm", "--path", "/users/{{id}}", "--param", "expand={{expand}}").must(t, 0)
	runCLI(t, ws, "", "query", "save", "create", "--method", "post", "--resource", "crm", "--path", "/users", "--json", `{"name": "{{name}}"}`).must(t, 0)

	r = runCLI(t, ws, "", "run", "user", "--var", "id=42", "--var", "expand=teams").must(t, 0)
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("stdout is not the JSON body: %v\n%s", err, r.stdout)
	}
	if got["path"] != "/v1/users/42" || got["query"] != "expand=teams" || got["tenant"] != "acme" {
		t.Fatalf("server saw %v", got)
	}
	if !strings.HasPrefix(r.stderr, "HTTP/1.1 200 OK · ") {
		t.Fatalf("status line %q", r.stderr)
	}

	r = runCLI(t, ws, "", "run", "create", "--var", "name=Ann", "--include", "--yes").must(t, 0)
	if !strings.HasPrefix(r.stdout, "HTTP/1.1 200 OK\n") || !strings.Contains(r.stdout, "X-Served-By: test\n") || !strings.Contains(r.stdout, `"body":{"name":"Ann"}`) {
		t.Fatalf("--include output:\n%s", r.stdout)
	}

	out := filepath.Join(t.TempDir(), "body.json")
	runCLI(t, ws, "", "run", "user", "--var", "id=1", "--var", "expand=x", "--output", out).must(t, 0)
	if b, err := os.ReadFile(out); err != nil || !bytes.Contains(b, []byte(`"/v1/users/1"`)) {
		t.Fatalf("--output wrote %q, %v", b, err)
	}

	// A missing variable is named; it is bad usage (exit 2).
	r = runCLI(t, ws, "", "run", "user", "--var", "id=1").must(t, 2)
	if !strings.Contains(r.stderr, "{{expand}} has no value") || !strings.Contains(r.stderr, "--var expand=") {
		t.Fatalf("missing variable message %q", r.stderr)
	}
	// Non-2xx: exit 0 without --fail, 1 with it.
	runCLI(t, ws, "", "request", "crm", "GET", "/missing").must(t, 0)
	r = runCLI(t, ws, "", "request", "crm", "GET", "/missing", "--fail").must(t, 1)
	if !strings.Contains(r.stderr, "404 Not Found") {
		t.Fatalf("--fail message %q", r.stderr)
	}

	// list and show; show masks the secret.
	r = runCLI(t, ws, "", "resource", "list").must(t, 0)
	if !strings.Contains(r.stdout, "crm") || !strings.Contains(r.stdout, "bearer") {
		t.Fatalf("list:\n%s", r.stdout)
	}
	r = runCLI(t, ws, "", "resource", "show", "crm").must(t, 0)
	if strings.Contains(r.stdout, token) || !strings.Contains(r.stdout, "(in the keychain)") {
		t.Fatalf("show must mask the token:\n%s", r.stdout)
	}
	r = runCLI(t, ws, "", "query", "list").must(t, 0)
	if !strings.Contains(r.stdout, "user") || !strings.Contains(r.stdout, "id, expand") {
		t.Fatalf("query list:\n%s", r.stdout)
	}

	// Export replaces the token by a placeholder.
	r = runCLI(t, ws, "", "export", "curl", "user", "--var", "id=7").must(t, 0)
	if strings.Contains(r.stdout, token) || !strings.Contains(r.stdout, "/v1/users/7") || !strings.Contains(r.stdout, "Authorization: Bearer {-") {
		t.Fatalf("export:\n%s", r.stdout)
	}
	// Import a browser's copy; its token is left out of the query.
	r = runCLI(t, ws, "", "import", "curl", "curl '"+srv.URL+"/v1/users/9?expand=all' -H 'Authorization: Bearer "+token+"' -H 'accept: application/json' --compressed", "--resource", "crm", "--name", "nine").must(t, 0)
	if strings.Contains(r.stderr, token) {
		t.Fatalf("import printed the token: %s", r.stderr)
	}
	r = runCLI(t, ws, "", "run", "nine").must(t, 0)
	if !strings.Contains(r.stdout, `"/v1/users/9"`) {
		t.Fatalf("imported query ran as %s", r.stdout)
	}

	// Nothing in the workspace holds the secret.
	assertNoSecret(t, ws, token)

	// rm deletes the resource, its queries and its keychain secret.
	id := resourceID(t, ws, "crm")
	runCLI(t, ws, "", "resource", "rm", "crm").must(t, 0)
	store := secret.New(secret.KeyringBackend(), secret.Options{})
	if _, err := store.Get(context.Background(), id, resource.SecretBearerToken); !errors.Is(err, secret.ErrNotFound) {
		t.Fatalf("the token is still in the keychain after rm: %v", err)
	}
	r = runCLI(t, ws, "", "query", "list").must(t, 0)
	if strings.Contains(r.stdout, "user") {
		t.Fatalf("queries survived rm:\n%s", r.stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	ws := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown subcommand", []string{"import", "wsdl", "x"}, `unknown command "wsdl" for "apidesk-cli import"`},
		{"unknown command suggests", []string{"imprt", "curl"}, `unknown command "imprt" for "apidesk-cli": did you mean "import"?`},
		{"unknown help topic", []string{"help", "frobnicate"}, `unknown command "frobnicate" for "apidesk-cli"`},
		{"unknown help subtopic", []string{"help", "resource", "frob"}, `unknown command "frob" for "apidesk-cli resource"`},
		{"extra argument", []string{"query", "list", "extra"}, `apidesk-cli query list takes no arguments, got "extra"`},
		{"unknown flag", []string{"resource", "list", "--nope"}, "unknown flag: --nope"},
		{"bad base url", []string{"resource", "add", "x", "--base-url", "api.example.com"}, "--base-url: Base URL must start with http:// or https://"},
		{"bad header", []string{"resource", "add", "x", "--base-url", "https://a.b", "--header", "X Key: 1"}, "--header: Header name may not contain spaces"},
		{"header syntax", []string{"resource", "add", "x", "--base-url", "https://a.b", "--header", "novalue"}, "write a header as 'Name: value'"},
		{"secret as flag value is refused", []string{"resource", "add", "x", "--base-url", "https://a.b", "--auth", "bearer"}, "pipe it in with --secret-stdin"},
		{"missing name", []string{"resource", "add"}, "needs NAME"},
		{"timeout in words", []string{"resource", "add", "x", "--base-url", "https://a.b", "--timeout", "soon"}, "--timeout: Timeout must be a number of seconds or a duration like 30s"},
		{"timeout too long", []string{"resource", "add", "x", "--base-url", "https://a.b", "--timeout", "90000"}, "--timeout: Timeout is too long"},
		{"query needs resource", []string{"query", "save", "q"}, "--resource is required"},
		{"two bodies", []string{"request", "r", "GET", "/", "--json", "{}", "--raw", "x"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, ws, "", tt.args...)
			if tt.name == "two bodies" { // no such resource: a plain failure, exit 1
				r.must(t, 1)
				return
			}
			r.must(t, 2)
			if r.stdout != "" {
				t.Fatalf("bad usage printed to stdout:\n%s", r.stdout)
			}
			first := strings.SplitN(r.stderr, "\n", 2)[0]
			if !strings.HasPrefix(first, "apidesk-cli: ") || !strings.Contains(first, tt.want) {
				t.Fatalf("stderr %q, want one line containing %q", r.stderr, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(ws); len(entries) != 0 {
		t.Fatalf("bad usage wrote to the workspace: %v", entries)
	}
}

// TestTimeoutAsTheFileWritesIt: --timeout takes a bare number as seconds, as the form and the file do, and
// show writes it as the file does.
func TestTimeoutAsTheFileWritesIt(t *testing.T) {
	ws := t.TempDir()
	runCLI(t, ws, "", "resource", "add", "slow", "--base-url", "https://slow.example.com", "--timeout", "90").must(t, 0)
	r := runCLI(t, ws, "", "resource", "show", "slow").must(t, 0)
	if !strings.Contains(r.stdout, "timeout:   1m30s\n") {
		t.Errorf("show:\n%s", r.stdout)
	}
	runCLI(t, ws, "", "resource", "add", "quick", "--base-url", "https://quick.example.com").must(t, 0)
	if r := runCLI(t, ws, "", "resource", "show", "quick").must(t, 0); !strings.Contains(r.stdout, "timeout:   30s\n") {
		t.Errorf("show, default timeout:\n%s", r.stdout)
	}
	if b, err := os.ReadFile(filepath.Join(ws, "resources", "slow.yaml")); err != nil || !bytes.Contains(b, []byte("timeout: 1m30s\n")) {
		t.Errorf("resources/slow.yaml: %v\n%s", err, b)
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, t.TempDir(), "", "--version").must(t, 0)
	if !strings.HasPrefix(r.stdout, "apidesk-cli ") {
		t.Fatalf("--version printed %q", r.stdout)
	}
}

func assertNoSecret(t *testing.T, dir, s string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil && bytes.Contains(b, []byte(s)) {
			t.Errorf("%s contains the secret", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func resourceID(t *testing.T, ws, name string) string {
	t.Helper()
	r := runCLI(t, ws, "", "resource", "show", name).must(t, 0)
	for _, line := range strings.Split(r.stdout, "\n") {
		if id, ok := strings.CutPrefix(line, "id:"); ok {
			return strings.TrimSpace(id)
		}
	}
	t.Fatalf("no id in:\n%s", r.stdout)
	return ""
}

// TestImportCurlFromStdinAndSecretVariables: the command to import comes on standard input, never as an
// argument; the secrets it held are given back with --var-stdin (never suggested as --var name=secret).
func TestImportCurlFromStdinAndSecretVariables(t *testing.T) {
	needKeychain(t)
	const csrf, password = "csrf-live-0a1b2c", "pw-live-9z8y7x"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		_ = json.NewEncoder(w).Encode(map[string]any{"csrf": r.Header.Get("X-CSRF-Token"), "body": body})
	}))
	defer srv.Close()
	ws := t.TempDir()
	runCLI(t, ws, "", "resource", "add", "shop", "--base-url", srv.URL+"/v1").must(t, 0)

	cmd := "curl '" + srv.URL + "/v1/login' -H 'X-CSRF-Token: " + csrf + "' -H 'Content-Type: application/json' --data-raw '{\"user\":\"ada\",\"password\":\"" + password + "\"}'\n"
	r := runCLI(t, ws, cmd, "import", "curl", "-", "--resource", "shop", "--name", "login").must(t, 0)
	for _, s := range []string{csrf, password} {
		if strings.Contains(r.stderr, s) {
			t.Errorf("import printed a secret: %s", r.stderr)
		}
	}
	if strings.Contains(r.stderr, "--var x-csrf-token=") || strings.Contains(r.stderr, "--var password=") ||
		!strings.Contains(r.stderr, "--var-stdin x-csrf-token") || !strings.Contains(r.stderr, "--var-stdin password") {
		t.Errorf("import should suggest --var-stdin for each secret, never --var name=…:\n%s", r.stderr)
	}
	assertNoSecret(t, ws, csrf)
	assertNoSecret(t, ws, password)

	// Each --var-stdin reads one line of standard input, in order.
	r = runCLI(t, ws, csrf+"\n"+password+"\n", "run", "login", "--var-stdin", "x-csrf-token", "--var-stdin", "password", "--yes").must(t, 0)
	var got struct {
		CSRF string         `json:"csrf"`
		Body map[string]any `json:"body"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.CSRF != csrf || got.Body["password"] != password || got.Body["user"] != "ada" {
		t.Fatalf("the server got %s (%v)", r.stdout, err)
	}

	// A secret variable left out, with no terminal to ask on: say how to pipe it in, not --var.
	r = runCLI(t, ws, csrf+"\n", "run", "login", "--var-stdin", "x-csrf-token").must(t, 2)
	if !strings.Contains(r.stderr, "--var-stdin password") || strings.Contains(r.stderr, "--var password=") {
		t.Errorf("a missing secret variable: %s", r.stderr)
	}
	r = runCLI(t, ws, "", "import", "curl", "-", "--resource", "shop", "--name", "empty").must(t, 2)
	if !strings.Contains(r.stderr, "standard input was empty") {
		t.Errorf("import curl - with nothing on stdin: %s", r.stderr)
	}
}

// status warns, in words, when a resource signs in without PKCE (a shared workspace file can say pkce: false).
func TestStatusWarnsWhenPKCEIsOff(t *testing.T) {
	needKeychain(t)
	ws := t.TempDir()
	runCLI(t, ws, "", "resource", "add", "shared", "--base-url", "https://api.example.com", "--auth", "oauth2",
		"--auth-url", "https://as.example.com/auth", "--token-url", "https://as.example.com/token", "--client-id", "cid").must(t, 0)
	if r := runCLI(t, ws, "", "status", "shared"); strings.Contains(r.stdout+r.stderr, "PKCE") {
		t.Errorf("PKCE on, but status says: %s%s", r.stdout, r.stderr)
	}
	runCLI(t, ws, "", "resource", "add", "nopkce", "--base-url", "https://api.example.com", "--auth", "oauth2",
		"--auth-url", "https://as.example.com/auth", "--token-url", "https://as.example.com/token", "--client-id", "cid", "--no-pkce").must(t, 0)
	r := runCLI(t, ws, "", "status", "nopkce")
	if !strings.Contains(r.stdout, "warning: PKCE is turned off for this resource") {
		t.Errorf("status of a resource without PKCE: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}
