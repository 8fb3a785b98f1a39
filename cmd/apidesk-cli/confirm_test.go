package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// A query that may change something (or whose file says confirm: true) runs without a terminal only with
// --yes: otherwise it is bad usage (exit 2), said plainly, and nothing is sent. A GET runs as before.
func TestRunAsksBeforeAWrite(t *testing.T) {
	needKeychain(t)
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		_, _ = w.Write([]byte(`{"ok": true}`))
	}))
	defer srv.Close()
	ws := t.TempDir()
	runCLI(t, ws, "", "resource", "add", "billing", "--base-url", srv.URL).must(t, 0)
	runCLI(t, ws, "", "query", "save", "refund", "--resource", "billing", "--method", "POST", "--path", "/orders/{{order_id}}/refund").must(t, 0)
	runCLI(t, ws, "", "query", "save", "look", "--resource", "billing", "--path", "/orders/{{order_id}}").must(t, 0)
	runCLI(t, ws, "", "query", "save", "careful", "--resource", "billing", "--path", "/orders/{{order_id}}/export").must(t, 0)
	file := filepath.Join(ws, "queries", "careful.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, append(b, "confirm: true\n"...), 0o600); err != nil {
		t.Fatal(err)
	}

	r := runCLI(t, ws, "", "run", "refund", "--var", "order_id=1234").must(t, 2)
	if !strings.Contains(r.stderr, "refund was not run: it may change something (POST)") || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("stderr: %s", r.stderr)
	}
	r = runCLI(t, ws, "", "run", "careful", "--var", "order_id=1234").must(t, 2)
	if !strings.Contains(r.stderr, "careful was not run: its file asks for a confirmation") {
		t.Errorf("stderr: %s", r.stderr)
	}
	if n := sent.Load(); n != 0 {
		t.Fatalf("sent %d requests without --yes", n)
	}
	runCLI(t, ws, "", "run", "refund", "--var", "order_id=1234", "--yes").must(t, 0)
	runCLI(t, ws, "", "run", "careful", "--var", "order_id=1234", "-y").must(t, 0)
	runCLI(t, ws, "", "run", "look", "--var", "order_id=1234").must(t, 0)
	if n := sent.Load(); n != 3 {
		t.Errorf("sent %d requests, want 3", n)
	}
}

// On a terminal, run asks in the window's words and runs only on yes.
func TestRunAsksOnATerminal(t *testing.T) {
	needKeychain(t)
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sent.Add(1) }))
	defer srv.Close()
	ws := t.TempDir()
	runCLI(t, ws, "", "resource", "add", "billing", "--base-url", srv.URL).must(t, 0)
	runCLI(t, ws, "", "query", "save", "refund", "--resource", "billing", "--method", "POST", "--path", "/orders/{{order_id}}",
		"--param", "amount={{amount}}").must(t, 0)
	for _, c := range []struct {
		answer string
		code   int
		sent   int32
	}{{"\n", 1, 0}, {"n\n", 1, 0}, {"y\n", 0, 1}} {
		stdin, closeTTY := openTerminal(t)
		cmd := exec.Command(binary, "--workspace", ws, "run", "refund", "--var", "order_id=1234", "--var", "amount=10.00")
		var errb bytes.Buffer
		cmd.Stdin, cmd.Stderr = stdin, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		closeTTY(c.answer)
		err := cmd.Wait()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		if code != c.code || sent.Load() != c.sent {
			t.Errorf("answer %q: exit %d, sent %d; stderr %s", c.answer, code, sent.Load(), errb.String())
		}
		if want := "This will POST to billing: refund — order_id 1234, amount 10.00. Run it? [y/N]"; !strings.Contains(errb.String(), want) {
			t.Errorf("asked %q", errb.String())
		}
	}
}
