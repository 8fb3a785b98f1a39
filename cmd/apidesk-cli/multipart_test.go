package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"apidesk/engine/query"
	"apidesk/engine/workspace"
)

func TestParseMultipart(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "note.txt")
	if err := os.WriteFile(small, []byte("from a file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), maxInlineFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want query.Part
		err  string
	}{
		{"name=Ann", query.Part{Name: "name", Value: "Ann"}, ""},
		{"empty=", query.Part{Name: "empty"}, ""},
		{"q=a=b;c", query.Part{Name: "q", Value: "a=b;c"}, ""},
		{"meta={\"a\": 1};type=application/json", query.Part{Name: "meta", Value: `{"a": 1}`, ContentType: "application/json"}, ""},
		{`quoted="a;type=x \"y\" \\";type=text/plain`, query.Part{Name: "quoted", Value: `a;type=x "y" \`, ContentType: "text/plain"}, ""},
		{`at="@not-a-file"`, query.Part{Name: "at", Value: "@not-a-file"}, ""},
		{"photo=@" + filepath.Join(dir, "pics", "me.png"), query.Part{Name: "photo", File: "pics/me.png"}, ""},
		{"photo=@/elsewhere/me.png;type=image/png;filename=avatar.png", query.Part{Name: "photo", File: "/elsewhere/me.png", ContentType: "image/png", Filename: "avatar.png"}, ""},
		{`doc=@/x/a b;c.pdf;filename="my;doc.pdf";type=application/pdf`, query.Part{Name: "doc", File: "/x/a b;c.pdf", Filename: "my;doc.pdf", ContentType: "application/pdf"}, ""},
		{"t=@/x/a.txt;type=text/plain; charset=utf-8", query.Part{Name: "t", File: "/x/a.txt", ContentType: "text/plain; charset=utf-8"}, ""},
		{"note=<" + small, query.Part{Name: "note", Value: "from a file\n"}, ""},
		{"note=<" + small + ";type=text/markdown", query.Part{Name: "note", Value: "from a file\n", ContentType: "text/markdown"}, ""},
		{"novalue", query.Part{}, "write it as name=value, name=@FILE or name=<FILE"},
		{"=x", query.Part{}, "write it as name=value"},
		{"f=@", query.Part{}, "give the file after @"},
		{"big=<" + big, query.Part{}, "larger than 64 KB, too large to put in a text field: send it as a file field, name=@"},
		{"gone=<" + filepath.Join(dir, "gone.txt"), query.Part{}, "could not read"},
		{"a=x;filename=y", query.Part{}, "filename= goes with a file field"},
		{"a=@/f;headers=X-A: 1", query.Part{}, "headers= is not supported"},
		{`a="x";foo=bar`, query.Part{}, "unknown ;foo=bar"},
		{`a="unclosed`, query.Part{}, "a quote is not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseMultipart(tt.in, ws)
			if tt.err != "" {
				var ue usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want a usage error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Enabled = true
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// uploadServer answers each request with what it received: for a multipart form, each part's name, file
// name, type, size and SHA-256 (and a text field's value); for any other body, its type, size and SHA-256.
func uploadServer(t *testing.T, hits *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		type part struct {
			Name, Filename, Type, Value, Sum string
			Size                             int
		}
		sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
		out := map[string]any{"length": r.ContentLength, "type": r.Header.Get("Content-Type")}
		mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt == "multipart/form-data" {
			var parts []part
			mr := multipart.NewReader(r.Body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				b, _ := io.ReadAll(p)
				pt := part{Name: p.FormName(), Filename: p.FileName(), Type: p.Header.Get("Content-Type"), Size: len(b), Sum: sum(b)}
				if pt.Filename == "" {
					pt.Value = string(b)
				}
				parts = append(parts, pt)
			}
			out["parts"] = parts
		} else {
			b, _ := io.ReadAll(r.Body)
			out["size"], out["sum"] = len(b), sum(b)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// runCLIIn is runCLI from the folder dir, so relative paths on the command line are relative to it.
func runCLIIn(t *testing.T, dir, ws string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"--workspace", ws}, args...)...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

func hexSum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// TestMultipartAndFileUpload saves and runs queries that send a multipart form and a file from disk against a
// server that parses them, and sends them with request, checking every part.
func TestMultipartAndFileUpload(t *testing.T) {
	var hits atomic.Int32
	srv := uploadServer(t, &hits)
	ws := t.TempDir()
	photo := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 255}, 50_000)...)
	if err := os.MkdirAll(filepath.Join(ws, "samples"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "samples", "photo.png"), photo, 0o600); err != nil {
		t.Fatal(err)
	}
	elsewhere := t.TempDir()
	doc := []byte("%PDF-1.4 not really\n")
	docPath := filepath.Join(elsewhere, "report.pdf")
	csv := []byte("id,name\n1,Ada\n")
	csvPath := filepath.Join(elsewhere, "rows.csv")
	notePath := filepath.Join(elsewhere, "note.md")
	for p, b := range map[string][]byte{docPath: doc, csvPath: csv, notePath: []byte("# Hello\n")} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	runCLI(t, ws, "", "resource", "add", "files", "--base-url", srv.URL).must(t, 0)

	// Saved from the workspace folder: samples/photo.png is inside it, report.pdf is not.
	r := runCLIIn(t, ws, ws, "query", "save", "upload", "--resource", "files", "--method", "POST", "--path", "/upload",
		"--multipart", "title={{title}}",
		"--multipart", "photo=@samples/photo.png;type=image/x-test;filename=me.png",
		"--multipart", "report=@"+docPath,
		"--multipart", "note=<"+notePath+";type=text/markdown").must(t, 0)
	if strings.Contains(r.stderr, "warning") {
		t.Errorf("save warned: %s", r.stderr)
	}
	file, err := os.ReadFile(filepath.Join(ws, "queries", "upload.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kind: multipart", "{name: photo, file: samples/photo.png, filename: me.png, content_type: image/x-test}", "file: " + docPath,
		"{name: note, value: \"# Hello\\n\", content_type: text/markdown}"} {
		if !bytes.Contains(file, []byte(want)) {
			t.Errorf("queries/upload.yaml lacks %q:\n%s", want, file)
		}
	}
	if bytes.Contains(file, []byte("PDF-1.4")) {
		t.Errorf("queries/upload.yaml holds a file's content:\n%s", file)
	}

	// Run from anywhere: the relative path is in the workspace.
	r = runCLIIn(t, t.TempDir(), ws, "run", "upload", "--var", "title=Hi there", "--yes").must(t, 0)
	var got struct {
		Length int64
		Parts  []struct {
			Name, Filename, Type, Value, Sum string
			Size                             int
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	type part = struct {
		Name, Filename, Type, Value, Sum string
		Size                             int
	}
	want := []part{
		{"title", "", "", "Hi there", hexSum([]byte("Hi there")), 8},
		{"photo", "me.png", "image/x-test", "", hexSum(photo), len(photo)},
		{"report", "report.pdf", "application/pdf", "", hexSum(doc), len(doc)},
		{"note", "", "text/markdown", "# Hello\n", hexSum([]byte("# Hello\n")), 8},
	}
	if !reflect.DeepEqual(got.Parts, want) || got.Length <= 0 {
		t.Fatalf("server got length %d, parts\n%+v\nwant\n%+v", got.Length, got.Parts, want)
	}
	r = runCLI(t, ws, "", "query", "show", "upload").must(t, 0)
	if !strings.Contains(r.stdout, "  photo=@samples/photo.png;filename=me.png;type=image/x-test\n") {
		t.Errorf("show:\n%s", r.stdout)
	}

	// request takes the same flags, relative paths from the current folder.
	r = runCLIIn(t, elsewhere, ws, "request", "files", "PUT", "/import", "--body-file", "rows.csv", "--content-type", "text/csv").must(t, 0)
	var body struct {
		Length int64
		Type   string
		Size   int
		Sum    string
	}
	if err := json.Unmarshal([]byte(r.stdout), &body); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if body.Type != "text/csv" || body.Size != len(csv) || body.Sum != hexSum(csv) || body.Length != int64(len(csv)) {
		t.Errorf("server got %+v", body)
	}
	r = runCLIIn(t, elsewhere, ws, "request", "files", "POST", "/up", "--multipart", "f=@report.pdf").must(t, 0)
	if !strings.Contains(r.stdout, hexSum(doc)) || !strings.Contains(r.stdout, `"Filename":"report.pdf"`) {
		t.Errorf("request --multipart: %s", r.stdout)
	}
	// A file body's type is guessed from its name.
	runCLIIn(t, ws, ws, "query", "save", "photo", "--resource", "files", "--method", "PUT", "--body-file", filepath.Join(ws, "samples", "photo.png")).must(t, 0)
	if b, _ := os.ReadFile(filepath.Join(ws, "queries", "photo.yaml")); !bytes.Contains(b, []byte("  kind: file\n  file: samples/photo.png\n")) {
		t.Errorf("queries/photo.yaml:\n%s", b)
	}
	r = runCLI(t, ws, "", "run", "photo", "--yes").must(t, 0)
	if !strings.Contains(r.stdout, `"type":"image/png"`) || !strings.Contains(r.stdout, hexSum(photo)) {
		t.Errorf("run photo: %s", r.stdout)
	}

	// A missing file: saved with a warning; running it sends nothing and names the path.
	before := hits.Load()
	r = runCLIIn(t, ws, ws, "query", "save", "later", "--resource", "files", "--method", "POST", "--multipart", "f=@samples/later.png").must(t, 0)
	if !strings.Contains(r.stderr, "warning: the file samples/later.png is not there (looked for "+filepath.Join(ws, "samples", "later.png")+")") {
		t.Errorf("save of a missing file said %q", r.stderr)
	}
	r = runCLI(t, ws, "", "run", "later", "--yes").must(t, 1)
	if !strings.Contains(r.stderr, `the file of the field "f", samples/later.png, was not found (looked for `+filepath.Join(ws, "samples", "later.png")+")") {
		t.Errorf("run of a missing file said %q", r.stderr)
	}
	r = runCLIIn(t, elsewhere, ws, "request", "files", "PUT", "/x", "--body-file", "nothere.bin").must(t, 1)
	if !strings.Contains(r.stderr, "the file to send, "+filepath.Join(elsewhere, "nothere.bin")+", was not found") {
		t.Errorf("request of a missing file said %q", r.stderr)
	}
	if n := hits.Load(); n != before {
		t.Errorf("%d requests were sent for missing files", n-before)
	}

	// Bad usage.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"request", "files", "POST", "/", "--multipart", "a=1", "--body-file", "x"}, "give only one body: --json, --form, --raw, --multipart or --body-file"},
		{[]string{"request", "files", "POST", "/", "--multipart", "novalue"}, `--multipart "novalue": write it as name=value`},
		{[]string{"request", "files", "POST", "/", "--body-file", "x", "--content-type", "csv"}, `--content-type: Content type "csv" is not valid`},
		{[]string{"request", "files", "POST", "/", "--multipart", "f=@x.png;type=png"}, `--multipart: Content type "png" is not valid`},
	} {
		if r := runCLI(t, ws, "", c.args...).must(t, 2); !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v said %q, want %q", c.args, r.stderr, c.want)
		}
	}
}
