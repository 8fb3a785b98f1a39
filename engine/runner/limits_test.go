package runner_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"apidesk/engine/runner"
)

// bombServer answers with a gzip bomb: members gzip members of one MB of zeros each, a few hundred bytes each on
// the wire. It reports how many bytes of it were written.
func bombServer(t *testing.T, members int) (srv *httptest.Server, wire int64) {
	t.Helper()
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	if _, err := zw.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(member.Len()*members))
		for range members {
			if _, err := w.Write(member.Bytes()); err != nil {
				return // the client hung up
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv, int64(member.Len() * members)
}

// TestGzipBomb: a body that is small on the wire and huge once decoded is stopped at the resource's limit, with
// a message that says how to raise it, having read little of it, and leaves no temp file.
func TestGzipBomb(t *testing.T) {
	srv, wire := bombServer(t, 64) // 64 MB decoded
	dir := t.TempDir()
	rn := &runner.Runner{TempDir: dir, MemCap: 1 << 20}
	res := newResource(srv.URL)
	res.MaxBody = 4_000_000
	var prog runner.Progress
	resp, err := rn.Do(runner.WithProgress(context.Background(), &prog), res, get("/"), nil)
	if resp != nil {
		_ = resp.Close()
	}
	if !errors.Is(err, runner.ErrTooLarge) {
		t.Fatalf("Do = %v, want ErrTooLarge", err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	want := "the answer from " + host + " was larger than 4MB, the largest this resource accepts, so it was stopped: raise the limit in the resource's settings"
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %q, want it to start with %q", err, want)
	}
	if got := prog.Read(); got > wire/4 {
		t.Errorf("read %d of the %d bytes on the wire: the body was not stopped at the limit", got, wire)
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("the temp folder still holds %v", left)
	}
}

// TestMaxBody: a body of exactly the limit is read whole; one byte more is refused, before reading it when its
// Content-Length says so.
func TestMaxBody(t *testing.T) {
	const limit = 100_000
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if r.URL.Query().Has("chunked") {
			w.(http.Flusher).Flush() // no Content-Length: the limit is found while reading
		}
		_, _ = w.Write(bytes.Repeat([]byte("x"), n))
	}))
	defer srv.Close()
	res := newResource(srv.URL)
	res.MaxBody = limit
	for _, tc := range []struct {
		query string
		big   bool
	}{
		{fmt.Sprintf("n=%d", limit), false},
		{fmt.Sprintf("n=%d&chunked", limit), false},
		{fmt.Sprintf("n=%d", limit+1), true},
		{fmt.Sprintf("n=%d&chunked", limit+1), true},
	} {
		dir := t.TempDir()
		rn := &runner.Runner{TempDir: dir, MemCap: 1000}
		resp, err := rn.Do(context.Background(), res, get("/?"+tc.query), nil)
		switch {
		case tc.big && !errors.Is(err, runner.ErrTooLarge):
			t.Errorf("%s: Do = %v, want ErrTooLarge", tc.query, err)
		case !tc.big && (err != nil || resp.Size != limit):
			t.Errorf("%s: Do = %v, %v", tc.query, resp, err)
		}
		if resp != nil {
			_ = resp.Close()
		}
		if left, _ := os.ReadDir(dir); len(left) > 0 {
			t.Errorf("%s: the temp folder still holds %v", tc.query, left)
		}
	}
}

// TestSweepTemp: at start, the temp files of a crashed apidesk are removed; those of a running one (this process,
// its parent), recent ones and every other file are kept.
func TestSweepTemp(t *testing.T) {
	gone := exec.Command(os.Args[0], "-test.run=^$")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	dead := gone.Process.Pid

	dir := t.TempDir()
	old, older := time.Now().Add(-2*time.Hour), time.Now().Add(-48*time.Hour)
	files := map[string]struct {
		mtime time.Time
		swept bool
	}{
		fmt.Sprintf("apidesk-body-p%d-123", dead):        {old, true},
		fmt.Sprintf("apidesk-body-p%d-456", dead):        {time.Now(), false}, // too recent to be sure
		fmt.Sprintf("apidesk-body-p%d-789", os.Getpid()): {older, false},
		fmt.Sprintf("apidesk-body-p%d-1", os.Getppid()):  {older, false},
		"apidesk-body-3141592653":                        {older, true}, // an older apidesk's
		"apidesk-body-2718281828":                        {old, false},
		"apidesk-body-notes.txt":                         {older, false},
		"apidesk-body-p12x-1":                            {older, false},
		"other-program-1234":                             {older, false},
	}
	for name, f := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("body"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, f.mtime, f.mtime); err != nil {
			t.Fatal(err)
		}
	}

	// A response this process holds, in a temp file made an hour ago.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(bytes.Repeat([]byte("x"), 5000))
	}))
	defer srv.Close()
	rn := &runner.Runner{TempDir: dir, MemCap: 1000}
	resp := do(t, rn, newResource(srv.URL), get("/"), nil)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if _, known := files[e.Name()]; !known {
			_ = os.Chtimes(filepath.Join(dir, e.Name()), older, older)
		}
	}

	n, err := rn.SweepTemp()
	if err != nil || n != 2 {
		t.Errorf("SweepTemp = %d, %v; want 2 files removed", n, err)
	}
	for name, f := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if removed := errors.Is(err, os.ErrNotExist); removed != f.swept {
			t.Errorf("%s: removed %v, want %v", name, removed, f.swept)
		}
	}
	var body strings.Builder
	if _, err := resp.WriteTo(&body); err != nil || body.Len() != 5000 {
		t.Errorf("the running response's body was swept: %d bytes, %v", body.Len(), err)
	}
}
