package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// import FORMAT: a dry run says what it would create and writes nothing; the import creates it and lists what
// it left out on standard error; a second import updates instead of adding; a file of another format is exit 1
// with the line; a missing file, or a resource that is not there, is bad usage (exit 2).
func TestImportFormats(t *testing.T) {
	needKeychain(t)
	ws := t.TempDir()
	har, _ := filepath.Abs("../../engine/imports/har/testdata/app.har")
	r := runCLI(t, ws, "", "import", "har", har, "--dry-run").must(t, 0)
	if !strings.Contains(r.stdout, "Would create resource api.example.com with 8 queries") || !strings.Contains(r.stderr, "Left out:") {
		t.Fatalf("dry run:\n%s\n%s", r.stdout, r.stderr)
	}
	if files, _ := os.ReadDir(ws); len(files) != 0 {
		t.Fatalf("the dry run wrote %d files", len(files))
	}
	r = runCLI(t, ws, "", "import", "har", har).must(t, 0)
	if !strings.Contains(r.stdout, "Created resource api.example.com with 8 queries") {
		t.Fatalf("import:\n%s", r.stdout)
	}
	r = runCLI(t, ws, "", "import", "har", har).must(t, 0)
	if !strings.Contains(r.stdout, "Added 0 queries to api.example.com, updated 8") {
		t.Fatalf("second import:\n%s", r.stdout)
	}
	if n := strings.Count(runCLI(t, ws, "", "query", "list").must(t, 0).stdout, "\n"); n < 10 || n > 12 {
		t.Errorf("query list has %d lines after two imports of 10 queries", n)
	}
	// No secret the browser sent is in any file of the workspace.
	_ = filepath.WalkDir(ws, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			for _, s := range []string{"Bearer ", "session=", "client_secret="} {
				if strings.Contains(string(b), s) {
					t.Errorf("%s holds %q", p, s)
				}
			}
		}
		return nil
	})

	readme, _ := filepath.Abs("../../README.md")
	r = runCLI(t, ws, "", "import", "insomnia", readme).must(t, 1)
	if !strings.Contains(r.stderr, "this is not an Insomnia export: line ") {
		t.Errorf("a README as Insomnia: %s", r.stderr)
	}
	runCLI(t, ws, "", "import", "insomnia", filepath.Join(ws, "gone.json")).must(t, 2)
	runCLI(t, ws, "", "import", "har", har, "--resource", "Nope").must(t, 2)
}
