package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// import openapi reads an openIdConnect scheme's discovery document, so the resource it creates holds the
// sign-in and token addresses and the person adds only a client ID; a document whose issuer cannot be reached
// is still imported, with a note saying the addresses are to be found again.
func TestImportOpenAPIDiscoversOpenIDConnect(t *testing.T) {
	needKeychain(t)
	var asked atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		asked.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"issuer": %q, "authorization_endpoint": %q, "token_endpoint": %q, "code_challenge_methods_supported": ["S256"]}`,
			srv.URL, srv.URL+"/authorize", srv.URL+"/token")
	}))
	defer srv.Close()
	doc := func(discovery string) string {
		return fmt.Sprintf(`{"openapi": "3.1.0", "info": {"title": "Tickets", "version": "1"},
			"servers": [{"url": "https://tickets.example/v1"}],
			"paths": {"/tickets": {"get": {"operationId": "listTickets", "security": [{"oidc": ["tickets.read"]}],
				"responses": {"200": {"description": "ok"}}}}},
			"components": {"securitySchemes": {"oidc": {"type": "openIdConnect", "openIdConnectUrl": %q}}}}`, discovery)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "tickets.json")
	if err := os.WriteFile(file, []byte(doc(srv.URL+"/.well-known/openid-configuration")), 0o600); err != nil {
		t.Fatal(err)
	}
	ws := t.TempDir()
	r := runCLI(t, ws, "", "import", "openapi", file).must(t, 0)
	if !strings.Contains(r.stdout, "Created resource Tickets with 1 query") {
		t.Fatalf("import:\n%s\n%s", r.stdout, r.stderr)
	}
	if asked.Load() == 0 {
		t.Fatal("the discovery document was not read")
	}
	res, err := os.ReadFile(filepath.Join(ws, "resources", "tickets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{srv.URL + "/authorize", srv.URL + "/token", "tickets.read", "openid"} {
		if !strings.Contains(string(res), want) {
			t.Errorf("the resource does not hold %s:\n%s", want, res)
		}
	}

	// An issuer that does not answer: imported all the same, with a note.
	srv.Close()
	if err := os.WriteFile(file, []byte(doc(srv.URL+"/.well-known/openid-configuration")), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, t.TempDir(), "", "import", "openapi", file).must(t, 0)
	if !strings.Contains(r.stderr, "could not be read from "+srv.URL) {
		t.Errorf("no note of the unreachable issuer:\n%s", r.stderr)
	}
}
