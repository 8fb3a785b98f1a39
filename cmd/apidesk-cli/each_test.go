package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestRunEach runs a saved query for every row of a CSV file against a real server, end to end.
func TestRunEach(t *testing.T) {
	var mu sync.Mutex
	var seen []string // what the server was sent: path and body
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		seen = append(seen, r.URL.Path+" "+body["password"])
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/404") {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"no such customer"}`)
			return
		}
		fmt.Fprintf(w, `{"path":%q,"plan":"gold","tags":["a","b"]}`, r.URL.Path)
	}))
	defer srv.Close()
	requests := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := seen
		seen = nil
		return out
	}
	ws, dir := t.TempDir(), t.TempDir()
	runCLI(t, ws, "", "resource", "add", "crm", "--base-url", srv.URL+"/v1").must(t, 0)
	runCLI(t, ws, "", "query", "save", "login", "--method", "post", "--resource", "crm", "--path", "/customers/{{id}}", "--json", `{"password": "{{password}}"}`).must(t, 0)
	list := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const secret = "pw-Each-5d6e7f"
	rows := list("rows.csv", "\uFEFFid,password,ticket\n1,"+secret+",T-1\n2,"+secret+",\"=HYPERLINK(\"\"x\"\")\"\n404,"+secret+",T-3\n4,"+secret+",T-4\n")
	out := filepath.Join(dir, "out.csv")

	// A POST for every row is a write: without a terminal to ask on, it needs --yes, and nothing is sent.
	r := runCLI(t, ws, "", "run", "login", "--each", rows, "--results", out).must(t, 2)
	if got := requests(); len(got) != 0 || !strings.Contains(r.stderr, "Pass --yes") {
		t.Fatalf("without --yes: sent %q, stderr %s", got, r.stderr)
	}
	r = runCLI(t, ws, "", "run", "login", "--each", rows, "--results", out, "--yes").must(t, 0)
	if got := requests(); len(got) != 4 || got[0] != "/v1/customers/1 "+secret {
		t.Fatalf("the server was sent %q", got)
	}
	if !strings.HasPrefix(r.stderr, "3 of 4 rows succeeded; 1 failed (line 4). Results in "+out) || strings.Contains(r.stderr, "rows/s") {
		t.Fatalf("stderr (not a terminal: the summary, no progress):\n%s", r.stderr)
	}
	if r.stdout != "" {
		t.Fatalf("stdout with --results: %q", r.stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b)+r.stderr, secret) {
		t.Fatalf("the secret column was written out:\n%s", b)
	}
	got, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatalf("results are not CSV: %v\n%s", err, b)
	}
	want := [][]string{
		{"id", "password", "ticket", "status", "error", "path", "plan", "tags", "result.error"},
		{"1", "•••", "T-1", "200", "", "/v1/customers/1", "gold", `["a","b"]`, ""},
		{"2", "•••", `'=HYPERLINK("x")`, "200", "", "/v1/customers/2", "gold", `["a","b"]`, ""},
		{"404", "•••", "T-3", "404", "the server answered 404 Not Found: “no such customer”", "", "", "", "no such customer"},
		{"4", "•••", "T-4", "200", "", "/v1/customers/4", "gold", `["a","b"]`, ""},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("results\n got %q\nwant %q", got, want)
	}

	// --fail: exit 1 when a row failed; without --results the table goes to standard output.
	r = runCLI(t, ws, "", "run", "login", "--each", rows, "--fail", "--concurrency", "2", "--yes").must(t, 1)
	if !strings.HasPrefix(r.stdout, "id,password,ticket,status,error,") || strings.Count(r.stdout, "\n") != 5 {
		t.Fatalf("stdout:\n%s", r.stdout)
	}
	if len(requests()) != 4 {
		t.Fatal("--fail did not run every row")
	}

	// --stop-on-error: the rows after the first failure are not sent.
	r = runCLI(t, ws, "", "run", "login", "--each", rows, "--stop-on-error", "--results", out, "--yes").must(t, 1)
	if got := requests(); len(got) != 3 || !strings.Contains(r.stderr, "2 of 4 rows succeeded; 1 failed (line 4); 1 not run") ||
		!strings.Contains(r.stderr, "the run stopped at line 4") {
		t.Fatalf("--stop-on-error sent %q\nstderr: %s", got, r.stderr)
	}

	// A malformed list is refused with its line, before anything is sent (exit 2).
	for _, tt := range []struct{ name, text, want string }{
		{"ragged", "id,password\n1,a\n2\n", "line 3: this row has 1 value but the first line names 2 columns"},
		{"no variable", "email,note\na@x,hi\n", "line 1: no column is named after an input of the query"},
		{"duplicate", "id,password,id\n1,a,1\n", `line 1: the column name "id" appears twice`},
		{"empty", "", "the list is empty"},
	} {
		r = runCLI(t, ws, "", "run", "login", "--each", list(tt.name+".csv", tt.text)).must(t, 2)
		if !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
			t.Errorf("%s: stderr %q, stdout %q", tt.name, r.stderr, r.stdout)
		}
		if got := requests(); len(got) != 0 {
			t.Errorf("%s: sent %q", tt.name, got)
		}
	}
	// Flags that go with --each only, and the ones that do not go with it.
	for args, want := range map[string]string{
		"--results x.csv":                     "--results goes with --each FILE.csv",
		"--each " + rows + " -o body":         "use --results FILE instead of --output",
		"--each " + rows + " --delay 1x":      "--delay: The pause must be",
		"--each " + rows + " --concurrency 0": "--concurrency: give how many requests to send at once",
	} {
		r = runCLI(t, ws, "", append([]string{"run", "login"}, strings.Fields(args)...)...).must(t, 2)
		if !strings.Contains(r.stderr, want) {
			t.Errorf("%s: %q, want %q", args, r.stderr, want)
		}
	}
	if got := requests(); len(got) != 0 {
		t.Errorf("bad usage sent %q", got)
	}
}
