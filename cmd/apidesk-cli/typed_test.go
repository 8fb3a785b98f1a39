package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestRunChecksTypedVariables: --var values are checked against the types the query file saves, in the words
// the window shows; a refused value is bad usage (exit 2) and nothing is sent. Accepted values go in their
// canonical form, and a secret's value never reaches the exported command.
func TestRunChecksTypedVariables(t *testing.T) {
	needKeychain(t)
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.RequestURI())
		mu.Unlock()
		_, _ = w.Write([]byte(`{"ok": true}`))
	}))
	defer srv.Close()
	sent := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
	ws := t.TempDir()
	runCLI(t, ws, "", "resource", "add", "billing", "--base-url", srv.URL).must(t, 0)
	runCLI(t, ws, "", "query", "save", "refund", "--resource", "billing", "--path", "/refund",
		"--param", "amount={{amount}}", "--param", "notify={{notify}}", "--param", "status={{status}}", "--param", "pin={{pin}}").must(t, 0)
	file := filepath.Join(ws, "queries", "refund.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	typed := string(b) + `variables:
  - {name: amount, type: number, min: "0.01"}
  - {name: notify, type: boolean}
  - name: status
    type: choice
    options:
      - {value: open, label: Open}
      - {value: closed, label: Closed}
  - {name: pin, type: secret}
`
	if err := os.WriteFile(file, []byte(typed), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		vars []string
		want string
	}{
		{[]string{"amount=ten", "status=open"}, "Amount must be a number, like 10.50"},
		{[]string{"amount=0", "status=open"}, "Amount must be at least 0.01"},
		{[]string{"amount=1", "status=pending"}, "Pick one of: Open, Closed"},
		{[]string{"amount=1", "status=open", "notify=perhaps"}, "Notify must be yes or no (true or false)"},
	} {
		args := []string{"run", "refund"}
		for _, v := range c.vars {
			args = append(args, "--var", v)
		}
		r := runCLI(t, ws, "4321\n", append(args, "--var-stdin", "pin")...).must(t, 2)
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: stderr %q, want %q", c.vars, r.stderr, c.want)
		}
	}
	if got := sent(); len(got) != 0 {
		t.Fatalf("sent with refused values: %v", got)
	}

	runCLI(t, ws, "4321\n", "run", "refund", "--var", "amount= 10.50 ", "--var", "status=Closed", "--var", "notify=yes", "--var-stdin", "pin").must(t, 0)
	if got := sent(); len(got) != 1 || got[0] != "/refund?amount=10.50&notify=true&status=closed&pin=4321" {
		t.Errorf("server saw %v", got)
	}
	// A variable saved as secret has no telling name: without a value and a terminal, it is asked for on stdin.
	r := runCLI(t, ws, "", "run", "refund", "--var", "amount=1", "--var", "status=open").must(t, 2)
	if !strings.Contains(r.stderr, "--var-stdin pin") {
		t.Errorf("a missing secret: %s", r.stderr)
	}
	r = runCLI(t, ws, "", "export", "curl", "refund", "--var", "amount=1", "--var", "pin=4321").must(t, 0)
	if strings.Contains(r.stdout, "4321") || !strings.Contains(r.stdout, "pin={{pin}}") {
		t.Errorf("export:\n%s", r.stdout)
	}
}
