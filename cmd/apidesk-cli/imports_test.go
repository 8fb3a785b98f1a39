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

// import postman --environment: the environment becomes one of the workspace's, its values the resource's
// defaults and its base URL the resource's (as its {{variable}}), its secret values are listed as left out on standard error and in no file; a collection given as
// the environment is exit 1 naming it; a missing environment file, or the flag on a format without
// environments, is bad usage (exit 2).
func TestImportPostmanWithEnvironment(t *testing.T) {
	needKeychain(t)
	ws := t.TempDir()
	collection, _ := filepath.Abs("../../engine/imports/postman/testdata/crm.postman_collection.json")
	env, _ := filepath.Abs("../../engine/imports/postman/testdata/staging.postman_environment.json")

	r := runCLI(t, ws, "", "import", "postman", collection, "--environment", env, "--dry-run").must(t, 0)
	if !strings.Contains(r.stdout, "Would create resource CRM API with 13 queries") {
		t.Fatalf("dry run:\n%s", r.stdout)
	}
	if files, _ := os.ReadDir(ws); len(files) != 0 {
		t.Fatalf("the dry run wrote %d files", len(files))
	}
	r = runCLI(t, ws, "", "import", "postman", collection, "--environment", env).must(t, 0)
	if !strings.Contains(r.stdout, "Created resource CRM API with 13 queries") {
		t.Fatalf("import:\n%s", r.stdout)
	}
	for _, s := range []string{
		"Left out: the value of the variable adminToken (the environment CRM staging): it looks secret",
		"Left out: the value of the variable password (the environment CRM staging): it looks secret",
		"Left out: the variable old (the environment CRM staging): it is switched off",
		"Left out: a pre-request script (the collection)", // the collection's, as without an environment
	} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("standard error lacks %q:\n%s", s, r.stderr)
		}
	}
	read := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(ws, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if !strings.Contains(r.stdout, "Created environment CRM staging with ") {
		t.Errorf("import:\n%s", r.stdout)
	}
	if s := read("resources/crm-api.yaml"); !strings.Contains(s, "base_url: '{{baseUrl}}'\n") ||
		!strings.Contains(s, "{name: baseUrl, value: 'https://staging.crm.example/v2'}") || !strings.Contains(s, `{name: pageSize, value: "25"}`) {
		t.Errorf("the resource's base URL and defaults are not the environment's (pageSize 25, the collection's is 50):\n%s", s)
	}
	if s := read("queries/list-contacts.yaml"); !strings.Contains(s, "{name: pageSize}") {
		t.Errorf("List contacts keeps a default of pageSize, which would hide the environment's:\n%s", s)
	}
	if s := read("environments/crm-staging.yaml"); !strings.Contains(s, "{name: baseUrl, value: 'https://staging.crm.example/v2'}") ||
		!strings.Contains(s, "{name: adminToken, secret: true}") || !strings.Contains(s, "{name: email, value: ada@example.com}") {
		t.Errorf("the environment's file:\n%s", s)
	}
	r = runCLI(t, ws, "", "env", "show", "CRM staging").must(t, 0)
	if !strings.Contains(r.stdout, "adminToken = (secret, not entered") {
		t.Errorf("env show:\n%s", r.stdout)
	}
	// No secret value of the environment (or the collection) is in any file of the workspace.
	_ = filepath.WalkDir(ws, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			for _, s := range []string{"env-admin-token-1", "env-pass", "s3cr3t-Value-123", "AbCdEf1234567890GhIjKlMn"} {
				if strings.Contains(string(b), s) {
					t.Errorf("%s holds %q", p, s)
				}
			}
		}
		return nil
	})

	r = runCLI(t, ws, "", "import", "postman", collection, "--environment", collection).must(t, 1)
	if !strings.Contains(r.stderr, "crm.postman_collection.json: this is not a Postman environment: this file is a Postman collection") {
		t.Errorf("a collection as the environment: %s", r.stderr)
	}
	r = runCLI(t, ws, "", "import", "postman", collection, "--environment", filepath.Join(ws, "gone.json")).must(t, 2)
	if !strings.Contains(r.stderr, "gone.json: no such file") {
		t.Errorf("a missing environment: %s", r.stderr)
	}
	runCLI(t, ws, "", "import", "postman", "-", "--environment", "-").must(t, 2)
	har, _ := filepath.Abs("../../engine/imports/har/testdata/app.har")
	runCLI(t, ws, "", "import", "har", har, "--environment", env).must(t, 2)
}
