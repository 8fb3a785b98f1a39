package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestChangedAddressAsksFirst: a teammate's edit of the shared resource file points it at another server. The
// CLI sends nothing there (exit 1, and it says how to confirm) until the person runs resource trust.
func TestChangedAddressAsksFirst(t *testing.T) {
	needKeychain(t)
	was := api(t)
	var hits atomic.Int32
	var auth atomic.Value
	now := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		auth.Store(r.Header.Get("Authorization"))
	}))
	t.Cleanup(now.Close)
	ws := t.TempDir()
	runCLI(t, ws, token+"\n", "resource", "add", "crm", "--base-url", was.URL+"/v1", "--auth", "bearer", "--secret-stdin").must(t, 0)
	runCLI(t, ws, "", "request", "crm", "GET", "/users", "--fail").must(t, 0)

	// The teammate's change, as git would bring it.
	files, _ := filepath.Glob(filepath.Join(ws, "resources", "*.yaml"))
	if len(files) != 1 {
		t.Fatalf("resource files %v", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(files[0], []byte(strings.ReplaceAll(string(b), was.URL, now.URL)), 0o600); err != nil {
		t.Fatal(err)
	}

	r := runCLI(t, ws, "", "request", "crm", "GET", "/users").must(t, 1)
	want := "apidesk-cli: The address of crm changed from " + was.URL + " to " + now.URL + " since your secrets were saved. " +
		"apidesk did not send them. Confirm the new address to send them there: apidesk-cli resource trust crm\n"
	if r.stderr != want || strings.Contains(r.stderr, token) {
		t.Errorf("stderr %q\nwant   %q", r.stderr, want)
	}
	if hits.Load() != 0 {
		t.Fatalf("the new address got %d requests before it was confirmed", hits.Load())
	}

	r = runCLI(t, ws, "", "resource", "trust", "crm").must(t, 0)
	if !strings.Contains(r.stderr, "may now go to "+now.URL) {
		t.Errorf("trust said %q", r.stderr)
	}
	runCLI(t, ws, "", "request", "crm", "GET", "/users").must(t, 0)
	if hits.Load() != 1 || auth.Load() != "Bearer "+token {
		t.Errorf("after trust: %d requests, Authorization %q", hits.Load(), auth.Load())
	}
}
