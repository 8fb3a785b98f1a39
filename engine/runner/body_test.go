package runner_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// gotPart is one part as the server parsed it.
type gotPart struct {
	name, filename, contentType string
	data                        []byte
}

// multipartServer parses every request's multipart/form-data body with mime/multipart and keeps what it got.
type multipartServer struct {
	*httptest.Server
	mu       sync.Mutex
	parts    []gotPart
	length   int64  // the request's Content-Length
	received int64  // the bytes of body received
	chunked  bool   // the body was sent chunked
	ctype    string // the Content-Type header
	requests int
}

func newMultipartServer(t *testing.T) *multipartServer {
	t.Helper()
	s := &multipartServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := &countingReader{r: r.Body}
		var parts []gotPart
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err == nil {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err2 := mr.NextRawPart()
				if err2 == io.EOF {
					break
				}
				if err2 != nil {
					err = err2
					break
				}
				data, err2 := io.ReadAll(p)
				if err2 != nil {
					err = err2
					break
				}
				parts = append(parts, gotPart{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), data})
			}
		}
		_, _ = io.Copy(io.Discard, body)
		s.mu.Lock()
		s.requests++
		s.parts, s.length, s.received, s.ctype = parts, r.ContentLength, body.n, r.Header.Get("Content-Type")
		s.chunked = len(r.TransferEncoding) > 0
		s.mu.Unlock()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

func writeBodyFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMultipartEveryByte sends text fields (with variables) and files (relative to the runner's Dir, absolute,
// with and without a chosen name and type) and checks every part the server parsed, byte for byte.
func TestMultipartEveryByte(t *testing.T) {
	srv := newMultipartServer(t)
	dir := t.TempDir()
	binary := make([]byte, 0, 3*256)
	for i := range 3 * 256 {
		binary = append(binary, byte(i))
	}
	binary = append(binary, []byte("\r\n--not-the-boundary\r\n")...)
	png := []byte("\x89PNG\r\n\x1a\nnot really a picture")
	writeBodyFile(t, filepath.Join(dir, "samples", "cat.png"), png)
	writeBodyFile(t, filepath.Join(dir, "samples", "blob"), binary)
	outside := filepath.Join(t.TempDir(), "notes.txt")
	writeBodyFile(t, outside, []byte("notes from elsewhere\n"))
	empty := filepath.Join(dir, "empty.csv")
	writeBodyFile(t, empty, nil)

	q := &query.Query{Method: http.MethodPost, Path: "/upload", Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
		{Name: "title", Value: "Hello {{who}}", Enabled: true},
		{Name: "skipped", Value: "not sent", Enabled: false},
		{Name: "photo", File: "samples/{{pic}}.png", Enabled: true},
		{Name: "data", File: "samples/blob", Filename: "data \"1\".bin", ContentType: "application/x-thing", Enabled: true},
		{Name: "notes", File: outside, Enabled: true},
		{Name: "meta", Value: `{"a": 1}`, ContentType: "application/json", Enabled: true},
		{Name: "multi\nline", Value: "two\r\nlines", Enabled: true},
		{Name: "nothing", File: "empty.csv", Enabled: true},
	}}}
	rn := &runner.Runner{Dir: dir}
	var prog runner.Progress
	resp, err := rn.Do(runner.WithProgress(context.Background(), &prog), newResource(srv.URL), q, map[string]string{"who": "Ann", "pic": "cat"})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("server: %s %s", resp.Status, resp.Body)
	}
	want := []gotPart{
		{"title", "", "", []byte("Hello Ann")},
		{"photo", "cat.png", "image/png", png},
		{"data", `data "1".bin`, "application/x-thing", binary},
		{"notes", "notes.txt", "text/plain; charset=utf-8", []byte("notes from elsewhere\n")},
		{"meta", "", "application/json", []byte(`{"a": 1}`)},
		{"multi%0Aline", "", "", []byte("two\r\nlines")},
		{"nothing", "empty.csv", "text/csv; charset=utf-8", []byte{}},
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.parts) != len(want) {
		t.Fatalf("server got %d parts, want %d: %+v", len(srv.parts), len(want), srv.parts)
	}
	for i, w := range want {
		g := srv.parts[i]
		if g.name != w.name || g.filename != w.filename || g.contentType != w.contentType || !bytes.Equal(g.data, w.data) {
			t.Errorf("part %d = {%q %q %q %q}\nwant      {%q %q %q %q}", i, g.name, g.filename, g.contentType, g.data, w.name, w.filename, w.contentType, w.data)
		}
	}
	if srv.chunked || srv.length != srv.received || srv.length <= 0 {
		t.Errorf("Content-Length %d, received %d, chunked %v: want the length known beforehand and exact", srv.length, srv.received, srv.chunked)
	}
	if n, size := prog.Sent(); n != srv.received || size != srv.received {
		t.Errorf("Progress.Sent() = %d, %d; want %d of %d", n, size, srv.received, srv.received)
	}

	// Preview shows the same parts with their paths made absolute, and the boundary's content type.
	p, err := rn.Preview(newResource(srv.URL), q, map[string]string{"who": "Ann", "pic": "cat"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Body != nil || len(p.Parts) != 7 || p.Parts[1].File != filepath.Join(dir, "samples", "cat.png") || p.Parts[3].File != outside ||
		p.Parts[0].Value != "Hello Ann" || !strings.HasPrefix(p.ContentType, "multipart/form-data; boundary=") {
		t.Errorf("Preview: Body %q, ContentType %q, Parts %+v", p.Body, p.ContentType, p.Parts)
	}
	if !strings.HasPrefix(srv.ctype, "multipart/form-data; boundary=") {
		t.Errorf("Content-Type sent: %q", srv.ctype)
	}
}

// TestMultipartContentTypeHeader: a Content-Type: multipart/form-data header the query writes (as copied
// cURL commands often do) gets the boundary, as curl does; one with its own boundary keeps it.
func TestMultipartContentTypeHeader(t *testing.T) {
	srv := newMultipartServer(t)
	for _, tt := range []struct{ header, want string }{
		{"multipart/form-data", "multipart/form-data; boundary="},
		{"multipart/form-data; boundary=my-own-boundary", "multipart/form-data; boundary=my-own-boundary"},
	} {
		q := &query.Query{Method: http.MethodPost, Headers: kv.List{kv.On("Content-Type", tt.header)},
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{{Name: "a", Value: "1", Enabled: true}}}}
		resp := do(t, &runner.Runner{}, newResource(srv.URL), q, nil)
		srv.mu.Lock()
		ctype, parts := srv.ctype, srv.parts
		srv.mu.Unlock()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(ctype, tt.want) || len(parts) != 1 || string(parts[0].data) != "1" {
			t.Errorf("header %q: status %s, sent %q, parts %+v; want it to start %q", tt.header, resp.Status, ctype, parts, tt.want)
		}
	}
}

// TestFileBody sends a file as the body, its type guessed from its name or chosen, with its length.
func TestFileBody(t *testing.T) {
	srv := newEcho(t)
	dir := t.TempDir()
	data := []byte(`{"rows": [1, 2, 3]}` + "\n")
	writeBodyFile(t, filepath.Join(dir, "data", "rows.json"), data)
	for _, tt := range []struct{ contentType, header, want string }{
		{"", "", "application/json"},
		{"application/vnd.rows+json", "", "application/vnd.rows+json"},
		{"", "text/x-mine", "text/x-mine"}, // a header the query writes wins, as for a raw body
	} {
		q := &query.Query{Method: http.MethodPut, Body: query.Body{Kind: query.BodyFile, File: "data/rows.json", ContentType: tt.contentType}}
		if tt.header != "" {
			q.Headers = kv.List{kv.On("Content-Type", tt.header)}
		}
		s := decodeSeen(t, do(t, &runner.Runner{Dir: dir}, newResource(srv.URL), q, nil))
		if s.Body != string(data) || s.header("Content-Type") != tt.want || s.header("Content-Length") != fmt.Sprint(len(data)) {
			t.Errorf("sent %q as %q, length %q; want %q as %q", s.Body, s.header("Content-Type"), s.header("Content-Length"), data, tt.want)
		}
		p, err := (&runner.Runner{Dir: dir}).Preview(newResource(srv.URL), q, nil)
		if err != nil || p.File != filepath.Join(dir, "data", "rows.json") || p.ContentType != tt.want || p.Body != nil {
			t.Errorf("Preview: %v, File %q, ContentType %q", err, p.File, p.ContentType)
		}
	}
}

// TestMissingFileIsNotSent: a file that is missing, or a folder, stops the request before anything is sent,
// naming the path as written and where it was looked for.
func TestMissingFileIsNotSent(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	dir := t.TempDir()
	writeBodyFile(t, filepath.Join(dir, "ok.txt"), []byte("ok"))
	if err := os.Mkdir(filepath.Join(dir, "folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		body query.Body
		want string
	}{
		{"file body", query.Body{Kind: query.BodyFile, File: "gone/report.csv"},
			"the file to send, gone/report.csv, was not found (looked for " + filepath.Join(dir, "gone", "report.csv") + "): choose the file again, or put it back"},
		{"multipart field", query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
			{Name: "ok", File: "ok.txt", Enabled: true}, {Name: "avatar", File: "pics/me.png", Enabled: true}}},
			`the file of the field "avatar", pics/me.png, was not found (looked for ` + filepath.Join(dir, "pics", "me.png") + ")"},
		{"folder", query.Body{Kind: query.BodyFile, File: "folder"}, "the file to send, folder, is a folder, not a file"},
		{"no file", query.Body{Kind: query.BodyFile}, "no file is chosen for the body: choose the file to send"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &query.Query{Method: http.MethodPost, Body: tt.body}
			_, err := (&runner.Runner{Dir: dir}).Do(context.Background(), newResource(srv.URL), q, nil)
			if !errors.Is(err, runner.ErrFile) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error %v, want ErrFile starting %q", err, tt.want)
			}
			if _, err := (&runner.Runner{Dir: dir}).Build(context.Background(), newResource(srv.URL), q, nil); !errors.Is(err, runner.ErrFile) {
				t.Fatalf("Build: %v, want ErrFile", err)
			}
			// A preview (Copy as cURL) of a query whose file is missing still works: it only shows the path.
			if _, err := runner.Preview(newResource(srv.URL), q, nil); err != nil && tt.name != "no file" {
				t.Fatalf("Preview: %v", err)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the server got %d requests, want none", n)
	}
}

// TestUploadAgainAfterRedirectAndRefresh: a 307 or 308 redirect, and a 401 that refreshes the access token,
// send the whole body from disk again.
func TestUploadAgainAfterRedirectAndRefresh(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MB
	writeBodyFile(t, filepath.Join(dir, "big.bin"), data)
	var mu sync.Mutex
	var got [][]byte
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, body)
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		switch r.URL.Path {
		case "/307":
			http.Redirect(w, r, "/final", http.StatusTemporaryRedirect)
		case "/308":
			http.Redirect(w, r, "/final", http.StatusPermanentRedirect)
		case "/auth":
			if r.Header.Get("Authorization") != "Bearer fresh" {
				w.WriteHeader(http.StatusUnauthorized)
			}
		}
	}))
	defer srv.Close()
	for _, path := range []string{"/307", "/308", "/auth"} {
		t.Run(path, func(t *testing.T) {
			mu.Lock()
			got, auths = nil, nil
			mu.Unlock()
			res := newResource(srv.URL)
			rn := &runner.Runner{Dir: dir}
			if path == "/auth" {
				res.Auth.Kind = resource.AuthOAuth2
				rn.Tokens = &tokens{current: "stale", next: []string{"fresh"}}
			}
			q := &query.Query{Method: http.MethodPost, Path: path, Body: query.Body{Kind: query.BodyFile, File: "big.bin"}}
			resp := do(t, rn, res, q, nil)
			mu.Lock()
			defer mu.Unlock()
			if resp.StatusCode != http.StatusOK || len(got) != 2 {
				t.Fatalf("status %s after %d requests, want 200 after 2", resp.Status, len(got))
			}
			for i, b := range got {
				if !bytes.Equal(b, data) {
					t.Errorf("request %d got %d bytes, want the %d of the file", i+1, len(b), len(data))
				}
			}
		})
	}
}

// TestUploadTimeoutBoundsPauses: the resource's timeout bounds each pause while a body is sent, not the whole
// upload. The server reads a 2 MB file slowly, a little at a time, for several times the timeout, through small
// socket buffers: the upload completes.
func TestUploadTimeoutBoundsPauses(t *testing.T) {
	const timeout = 500 * time.Millisecond
	dir := t.TempDir()
	data := bytes.Repeat([]byte{'x'}, 2<<20)
	writeBodyFile(t, filepath.Join(dir, "slow.bin"), data)
	var got atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 32<<10)
		for {
			n, err := io.ReadFull(r.Body, buf)
			got.Add(int64(n))
			if err != nil {
				return
			}
			time.Sleep(20 * time.Millisecond) // 64 reads: about 1.3 s in all, 2.6 times the timeout
		}
	}))
	srv.Listener = smallBuffers{srv.Listener}
	srv.Start()
	defer srv.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	dialer := &net.Dialer{}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetWriteBuffer(16 << 10)
		}
		return c, err
	}
	res := newResource(srv.URL)
	res.Timeout = timeout
	q := &query.Query{Method: http.MethodPost, Body: query.Body{Kind: query.BodyFile, File: "slow.bin"}}
	resp := do(t, &runner.Runner{Dir: dir, Client: &http.Client{Transport: tr}}, res, q, nil)
	if resp.StatusCode != http.StatusOK || got.Load() != int64(len(data)) {
		t.Fatalf("status %s, server read %d bytes of %d", resp.Status, got.Load(), len(data))
	}
}

// smallBuffers gives each accepted connection a small receive buffer, so the sender waits for the reader.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(16 << 10)
	}
	return c, err
}

// TestFileShorterWhileSent: a file cut short after the request was planned fails the request with a message
// that names it, rather than send a body shorter than its Content-Length.
func TestFileShorterWhileSent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "growing.log")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 256<<20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_ = os.Truncate(path, 0) // the headers arrived; the client cannot have sent 256 MB yet
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	q := &query.Query{Method: http.MethodPost, Body: query.Body{Kind: query.BodyFile, File: "growing.log"}}
	_, err := (&runner.Runner{Dir: dir}).Do(context.Background(), newResource(srv.URL), q, nil)
	if !errors.Is(err, runner.ErrFile) || !strings.Contains(err.Error(), "the file growing.log got shorter while it was sent") {
		t.Fatalf("error %v, want ErrFile naming growing.log", err)
	}
}

// TestLargeUploadBoundedMemory sends 2 GB files, as a file body and as a multipart field, to a server that
// counts the bytes, while sampling the heap: it must not grow by more than a few MB, whatever the file's size.
func TestLargeUploadBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 4 GB over loopback")
	}
	const size = 2 << 30
	dir := t.TempDir()
	path := filepath.Join(dir, "huge.bin")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, size); err != nil { // a sparse file: 2 GB of zeros that use no disk
		t.Fatal(err)
	}
	var received, length atomic.Int64
	var tail atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 256<<10)
		var n int64
		var last []byte
		for {
			k, err := r.Body.Read(buf)
			n += int64(k)
			if k > 0 {
				last = append(last[:0], buf[max(0, k-64):k]...)
			}
			if err != nil {
				break
			}
		}
		received.Store(n)
		length.Store(r.ContentLength)
		tail.Store(string(last))
	}))
	defer srv.Close()

	for _, tt := range []struct {
		name string
		body query.Body
	}{
		{"file", query.Body{Kind: query.BodyFile, File: "huge.bin"}},
		{"multipart", query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
			{Name: "note", Value: "a big one", Enabled: true}, {Name: "upload", File: "huge.bin", Enabled: true}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base)
			var peak atomic.Uint64
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				tick := time.NewTicker(10 * time.Millisecond)
				defer tick.Stop()
				var m runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
						runtime.ReadMemStats(&m)
						if m.HeapInuse > peak.Load() {
							peak.Store(m.HeapInuse)
						}
					}
				}
			}()
			q := &query.Query{Method: http.MethodPost, Body: tt.body}
			resp := do(t, &runner.Runner{Dir: dir}, newResource(srv.URL), q, nil)
			close(stop)
			<-sampled
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %s", resp.Status)
			}
			n := received.Load()
			switch {
			case n != length.Load():
				t.Fatalf("the server received %d bytes, its Content-Length said %d", n, length.Load())
			case tt.name == "file" && n != size:
				t.Fatalf("the server received %d bytes, want %d", n, int64(size))
			case tt.name == "multipart" && (n < size || !strings.HasSuffix(tail.Load().(string), "--\r\n")):
				t.Fatalf("the server received %d bytes ending %q, want more than %d ending with the closing boundary", n, tail.Load(), int64(size))
			}
			growth := int64(peak.Load()) - int64(base.HeapInuse)
			t.Logf("heap in use: %d MB before, peak %d MB", base.HeapInuse>>20, peak.Load()>>20)
			if growth > 64<<20 {
				t.Fatalf("the heap grew by %d MB while sending 2 GB: the file is not streamed", growth>>20)
			}
		})
	}
}
