package main

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMaxBody: an answer larger than the resource's limit ends the run with a message that says where the limit
// is set and how to raise it for one run, and leaves nothing in the temp folder; --max-body raises it.
func TestMaxBody(t *testing.T) {
	var member bytes.Buffer
	zw := gzip.NewWriter(&member)
	_, _ = zw.Write(make([]byte, 1<<20))
	_ = zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		for range 20 { // 20 MB decoded, a few kB on the wire
			if _, err := w.Write(member.Bytes()); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ws := t.TempDir()
	runCLI(t, ws, "", "resource", "add", "bomb", "--base-url", srv.URL, "--max-body", "5MB").must(t, 0)
	if r := runCLI(t, ws, "", "resource", "show", "bomb").must(t, 0); !strings.Contains(r.stdout, "max body:  5MB\n") {
		t.Errorf("show:\n%s", r.stdout)
	}

	r := runCLI(t, ws, "", "request", "bomb", "GET", "/").must(t, 1)
	file := filepath.Join(ws, "resources", "bomb.yaml")
	for _, want := range []string{"was larger than 5MB", "raise the limit in the resource's settings", "max_body in " + file, "pass --max-body"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
		}
	}
	if r.stdout != "" {
		t.Errorf("stdout: %.200q", r.stdout)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the temp folder still holds %v", left)
	}

	r = runCLI(t, ws, "", "request", "bomb", "GET", "/", "--max-body", "25MB").must(t, 0)
	if len(r.stdout) != 20<<20 {
		t.Errorf("with --max-body 25MB: %d bytes on stdout", len(r.stdout))
	}
	runCLI(t, ws, "", "request", "bomb", "GET", "/", "--max-body", "lots").must(t, 2)
}

// TestMaxTime: --max-time ends a request whose body keeps trickling in, which the resource's timeout (a bound
// on each pause) never would.
func TestMaxTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}))
	defer srv.Close()
	ws := t.TempDir()
	runCLI(t, ws, "", "resource", "add", "drip", "--base-url", srv.URL).must(t, 0)
	r := runCLI(t, ws, "", "request", "drip", "GET", "/", "--max-time", "300ms").must(t, 1)
	if !strings.Contains(r.stderr, "before the deadline (--max-time 300ms)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	runCLI(t, ws, "", "request", "drip", "GET", "/", "--max-time", "soon").must(t, 2)
}
