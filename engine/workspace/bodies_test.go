package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// TestBodyPartsRoundTrip saves multipart forms and file bodies with values that are awkward in YAML and reads
// them back unchanged.
func TestBodyPartsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir)
	r := &resource.Resource{Name: "Uploads", BaseURL: "https://up.example.com"}
	if err := w.SaveResource(t.Context(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	awkward := []string{"100", "true", "null", "", " lead", "a: b", "#hash", "{{var}}", "two\nlines\n", "crlf\r\nx", "ünï ✓", `"q"`, "\ttab"}
	var parts []query.Part
	oneLine := strings.NewReplacer("\n", "_", "\r", "_").Replace
	for i, s := range awkward {
		parts = append(parts, query.Part{Name: "f" + oneLine(s) + "x", Value: s, Enabled: i%2 == 0})
		if i%3 == 0 {
			parts = append(parts, query.Part{Name: "file " + oneLine(s) + "x", File: "samples/a " + oneLine(s) + ".png",
				Filename: oneLine(s), ContentType: "image/png", Enabled: i%2 == 1})
		}
	}
	parts[0].ContentType = "text/plain; charset=utf-8"
	queries := []*query.Query{
		{Name: "Multipart", ResourceID: r.ID, Method: "POST", Body: query.Body{Kind: query.BodyMultipart, Parts: parts}},
		{Name: "Empty form", ResourceID: r.ID, Method: "POST", Body: query.Body{Kind: query.BodyMultipart}},
		{Name: "File", ResourceID: r.ID, Method: "PUT", Body: query.Body{Kind: query.BodyFile, File: "data/{{day}} export.csv"}},
		{Name: "Typed file", ResourceID: r.ID, Method: "PUT", Body: query.Body{Kind: query.BodyFile, File: "../shared/x.bin", ContentType: "application/x-thing"}},
	}
	for _, q := range queries {
		if err := w.SaveQuery(t.Context(), q); err != nil {
			t.Fatalf("SaveQuery(%s): %v", q.Name, err)
		}
	}
	back, problems := mustLoad(t, dir)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	for _, q := range queries {
		got, err := back.QueryByID(q.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, normalizedQuery(q)) {
			t.Errorf("query %s:\n got %#v\nwant %#v", q.Name, got.Body, normalizedQuery(q).Body)
		}
	}
}

// TestBodyFilePathsInTheWorkspace: a file inside the workspace folder is kept relative to it, with '/', one
// outside by its absolute path; the query file holds the path, never the content.
func TestBodyFilePathsInTheWorkspace(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir)
	const content = "CONTENT-OF-THE-FILE-never-in-a-query-file"
	inside := filepath.Join(dir, "samples", "logo.png")
	writeRaw(t, dir, "samples/logo.png", content)
	outside := filepath.Join(t.TempDir(), "elsewhere.bin")
	if err := os.WriteFile(outside, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}

	if got := w.RelPath(inside); got != "samples/logo.png" {
		t.Errorf("RelPath(inside) = %q, want samples/logo.png", got)
	}
	if got := w.RelPath(outside); got != outside {
		t.Errorf("RelPath(outside) = %q, want %q", got, outside)
	}
	if got := w.RelPath(dir + "x/y"); got != dir+"x/y" {
		t.Errorf("RelPath of a sibling folder = %q: a folder whose name starts like the workspace's is not in it", got)
	}
	if got := w.AbsPath("samples/logo.png"); got != inside {
		t.Errorf("AbsPath = %q, want %q", got, inside)
	}
	if got := w.AbsPath(outside); got != outside {
		t.Errorf("AbsPath(absolute) = %q, want it unchanged", got)
	}
	// A relative path on a command line is relative to the current folder.
	t.Chdir(filepath.Join(dir, "samples"))
	if got := w.RelPath("logo.png"); got != "samples/logo.png" {
		t.Errorf("RelPath(logo.png) in samples/ = %q, want samples/logo.png", got)
	}
	// Through a symbolic link to the workspace.
	link := filepath.Join(t.TempDir(), "ws-link")
	if err := os.Symlink(dir, link); err == nil {
		if got := w.RelPath(filepath.Join(link, "samples", "logo.png")); got != "samples/logo.png" {
			t.Errorf("RelPath through a link = %q, want samples/logo.png", got)
		}
	}

	r := &resource.Resource{Name: "Uploads", BaseURL: "https://up.example.com"}
	if err := w.SaveResource(t.Context(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	q := &query.Query{Name: "Send logo", ResourceID: r.ID, Method: "POST", Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
		{Name: "logo", File: inside, Enabled: true}, {Name: "other", File: outside, Enabled: true},
	}}}
	f := &query.Query{Name: "Send file", ResourceID: r.ID, Method: "PUT", Body: query.Body{Kind: query.BodyFile, File: inside}}
	for _, x := range []*query.Query{q, f} {
		if err := w.SaveQuery(t.Context(), x); err != nil {
			t.Fatal(err)
		}
	}
	if q.ID == "" || q.Body.Parts[0].File != inside {
		t.Errorf("SaveQuery: ID %q, caller's path %q: want the ID set and the caller's query otherwise as it was", q.ID, q.Body.Parts[0].File)
	}
	got, _ := w.QueryByID(q.ID)
	if got.Body.Parts[0].File != "samples/logo.png" || got.Body.Parts[1].File != outside {
		t.Errorf("saved paths %q, %q; want samples/logo.png and %s", got.Body.Parts[0].File, got.Body.Parts[1].File, outside)
	}
	if got, _ := w.QueryByID(f.ID); got.Body.File != "samples/logo.png" {
		t.Errorf("saved file body path %q, want samples/logo.png", got.Body.File)
	}
	for rel, data := range files(t, dir) {
		if strings.HasPrefix(rel, "queries/") && strings.Contains(data, content) {
			t.Errorf("%s holds the file's content:\n%s", rel, data)
		}
		if rel == "queries/send-logo.yaml" && !strings.Contains(data, "{name: logo, file: samples/logo.png}") {
			t.Errorf("%s:\n%s", rel, data)
		}
	}
}

// TestBodyPartProblems: a field with both a value and a file is a problem of the file, at its line; a field
// without a name loads and is reported by field and line; a secret written out in a text field is refused.
func TestBodyPartProblems(t *testing.T) {
	dir := t.TempDir()
	writeRaw(t, dir, "resources/up.yaml", "version: 1\nid: up\nname: Up\nbase_url: https://up.example.com\n")
	writeRaw(t, dir, "queries/both.yaml", "version: 1\nid: both\nname: Both\nresource: up\nbody:\n  kind: multipart\n  parts:\n"+
		"    - {name: a, value: x}\n    - {name: b, value: y, file: b.png}\n")
	writeRaw(t, dir, "queries/noname.yaml", "version: 1\nid: noname\nname: No name\nresource: up\nbody:\n  kind: multipart\n  parts:\n"+
		"    - {name: a, value: x}\n    - {name: '', file: b.png, content_type: png}\n")
	w, problems := mustLoad(t, dir)
	type got struct {
		file, field string
		line        int
		skipped     bool
	}
	var gots []got
	for _, p := range problems {
		gots = append(gots, got{p.File, p.Field, p.Line, p.Skipped})
	}
	want := []got{
		{"queries/both.yaml", "", 9, true},
		{"queries/noname.yaml", "body.parts[1].name", 9, false},
		{"queries/noname.yaml", "body.parts[1].content_type", 9, false},
	}
	if !reflect.DeepEqual(gots, want) {
		t.Errorf("problems %v\nwant %v\n%v", gots, want, problems)
	}
	if len(problems) > 0 && !strings.Contains(problems[0].Msg, `the field "b" of the multipart form has both a value and a file`) {
		t.Errorf("message: %s", problems[0].Msg)
	}

	const secret = "hunter2-multipart"
	q := &query.Query{Name: "Leaky", ResourceID: "up", Method: "POST", Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
		{Name: "avatar", File: "a.png", Enabled: true}, {Name: "password", Value: secret, Enabled: true},
	}}}
	err := w.SaveQuery(t.Context(), q)
	var es resource.Errors
	if !errors.As(err, &es) || !strings.Contains(es.For("body.parts[1].value"), "workspace files may be shared") || strings.Contains(err.Error(), secret) {
		t.Fatalf("SaveQuery = %v, want body.parts[1].value refused without the secret", err)
	}
	q.Body.Parts[1].Value = "{{password}}"
	if err := w.SaveQuery(t.Context(), q); err != nil {
		t.Fatalf("a variable in its place: %v", err)
	}
}
