package runner_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
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

func TestCookiesBothWays(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("sid")
		if err != nil {
			http.Error(w, "no sid", http.StatusBadRequest)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "seen", Value: c.Value, Path: "/", HttpOnly: true, MaxAge: 60})
		http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark"})
		fmt.Fprint(w, r.Header.Get("Cookie"))
	}))
	defer srv.Close()
	res := newResource(srv.URL)
	res.Cookies = kv.List{kv.On("sid", "abc")}
	q := get("/")
	q.Headers = kv.List{kv.On("Cookie", "pre=1")}
	q.Cookies = kv.List{kv.On("lang", "en")}
	resp := do(t, &runner.Runner{}, res, q, nil)
	if string(resp.Body) != "pre=1; sid=abc; lang=en" {
		t.Errorf("server got Cookie %q", resp.Body)
	}
	got := map[string]*http.Cookie{}
	for _, c := range resp.Cookies {
		got[c.Name] = c
	}
	if c := got["seen"]; c == nil || c.Value != "abc" || !c.HttpOnly || c.MaxAge != 60 || c.Path != "/" {
		t.Errorf("cookie seen = %+v", c)
	}
	if c := got["theme"]; c == nil || c.Value != "dark" {
		t.Errorf("cookie theme = %+v", c)
	}
}

// credentialed returns a resource and runner that send every kind of credential at once: Authorization (OAuth
// 2.0), a cookie, an API key in the query, the access token in a header and a param.
func credentialed(base string) (*resource.Resource, *query.Query, *runner.Runner) {
	res := newResource(base)
	res.Auth = resource.Auth{Kind: resource.AuthOAuth2}
	res.Cookies = kv.List{kv.On("sid", "cookie-secret")}
	res.Headers = kv.List{kv.On("X-Api-Key", "{-oauth_access_token-}"), kv.On("X-Plain", "ok")}
	q := get("/start")
	q.Params = kv.List{kv.On("token", "{-oauth_access_token-}"), kv.On("page", "2")}
	return res, q, &runner.Runner{Tokens: &tokens{current: "tok-secret"}}
}

func TestRedirectToAnotherHostDropsCredentials(t *testing.T) {
	other := newEcho(t)
	// Same IP, another port: Go's client alone would keep Authorization here (it compares host names only).
	otherSamePort, _ := url.Parse(other.URL)
	targets := map[string]string{
		"another port":      other.URL,
		"another host name": "http://localhost:" + otherSamePort.Port(),
	}
	for name, target := range targets {
		t.Run(name, func(t *testing.T) {
			first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// A careless server that echoes the whole query (with the credentials) into Location.
				http.Redirect(w, r, target+"/landed?"+r.URL.RawQuery, http.StatusFound)
			}))
			defer first.Close()
			res, q, rn := credentialed(first.URL)
			resp := do(t, rn, res, q, nil)
			s := decodeSeen(t, resp)
			if s.Path != "/landed" {
				t.Fatalf("landed on %s", s.Path)
			}
			for _, h := range []string{"Authorization", "Cookie", "X-Api-Key"} {
				if v := s.header(h); v != "" {
					t.Errorf("%s forwarded to another host: %q", h, v)
				}
			}
			if s.header("X-Plain") != "" || s.Query["page"][0] != "2" {
				t.Errorf("a header not on the safelist went on, or the harmless param was lost: %v %v", s.Header, s.Query)
			}
			for _, v := range []string{s.RawQuery, s.header("Referer")} {
				if strings.Contains(v, "tok-secret") || strings.Contains(v, "cookie-secret") {
					t.Errorf("a secret reached the other host: %q", v)
				}
			}
			if resp.Redirects != 1 {
				t.Errorf("Redirects = %d", resp.Redirects)
			}
		})
	}

	t.Run("API key in the query", func(t *testing.T) {
		first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/landed?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
		}))
		defer first.Close()
		res := newResource(first.URL)
		res.Auth = resource.Auth{Kind: resource.AuthAPIKey, KeyName: "api_key", KeyIn: resource.KeyInQuery}
		rn := &runner.Runner{Secrets: newKeychain(res.ID, secrets{resource.SecretAPIKey: "key-secret"})}
		s := decodeSeen(t, do(t, rn, res, get("/"), nil))
		if strings.Contains(s.RawQuery, "key-secret") || s.Query["api_key"] != nil {
			t.Errorf("the API key reached the other host: %q", s.RawQuery)
		}
	})
	t.Run("API key header, and back to the first host", func(t *testing.T) {
		var back atomic.Value
		var first *httptest.Server
		hop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, first.URL+"/back", http.StatusFound)
		}))
		defer hop.Close()
		first = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/back" {
				back.Store(r.Header.Clone())
				return
			}
			http.Redirect(w, r, hop.URL, http.StatusFound)
		}))
		defer first.Close()
		res := newResource(first.URL)
		res.Auth = resource.Auth{Kind: resource.AuthAPIKey, KeyName: "X-Key", KeyIn: resource.KeyInHeader}
		rn := &runner.Runner{Secrets: newKeychain(res.ID, secrets{resource.SecretAPIKey: "key-secret"})}
		do(t, rn, res, get("/"), nil)
		h, _ := back.Load().(http.Header)
		if h == nil || h.Get("X-Key") != "" {
			t.Errorf("after leaving the origin once, credentials must stay dropped; got %v", h)
		}
	})
}

// TestRedirectToAnotherOriginSendsOnlySafeHeaders: on a redirect to another origin the request keeps only
// headers on the safelist, never one whose value came from a {{variable}}, and no secret-named param the
// server echoed into Location.
func TestRedirectToAnotherOriginSendsOnlySafeHeaders(t *testing.T) {
	second := newEcho(t)
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, second.URL+"/landed?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
	}))
	defer first.Close()
	res := newResource(first.URL)
	res.Auth = resource.Auth{Kind: resource.AuthBearer}
	res.Headers = kv.List{kv.On("Accept", "application/json"), kv.On("Accept-Language", "de")}
	q := &query.Query{Method: http.MethodPost, Path: "/start",
		Headers: kv.List{
			kv.On("X-Auth-Token", "auth-secret"),
			kv.On("X-CSRF-Token", "{{csrf}}"),
			kv.On("X-Tenant", "{{tenant}}"),
			kv.On("X-Custom-Thing", "plain-value"),
			kv.On("Accept-Encoding", "{{enc}}"),
		},
		Params: kv.List{kv.On("session_token", "{{sess}}"), kv.On("access_token", "param-secret"), kv.On("page", "2")},
		Body:   query.Body{Kind: query.BodyJSON, Text: `{"a":1}`},
	}
	vars := map[string]string{"csrf": "csrf-secret", "tenant": "tenant-secret", "enc": "identity", "sess": "sess-secret"}
	rn := &runner.Runner{Secrets: newKeychain(res.ID, secrets{resource.SecretBearerToken: "bearer-secret"})}
	s := decodeSeen(t, do(t, rn, res, q, vars))
	if s.Path != "/landed" {
		t.Fatalf("landed on %s", s.Path)
	}
	for _, h := range []string{"X-Auth-Token", "X-CSRF-Token", "X-Tenant", "X-Custom-Thing", "Authorization"} {
		if v := s.header(h); v != "" {
			t.Errorf("%s reached the other origin: %q", h, v)
		}
	}
	if v := s.header("Accept-Encoding"); v == "identity" {
		t.Errorf("Accept-Encoding, set from a variable, reached the other origin: %q", v)
	}
	for h, want := range map[string]string{"Accept": "application/json", "Accept-Language": "de", "Content-Type": "application/json"} {
		if got := s.header(h); got != want {
			t.Errorf("the safe header %s = %q, want %q", h, got, want)
		}
	}
	if !strings.HasPrefix(s.header("User-Agent"), "apidesk/") || s.Body != `{"a":1}` {
		t.Errorf("User-Agent %q, body %q", s.header("User-Agent"), s.Body)
	}
	for _, secret := range []string{"auth-secret", "csrf-secret", "tenant-secret", "sess-secret", "param-secret", "bearer-secret"} {
		for k, vs := range s.Header {
			if strings.Contains(strings.Join(vs, " "), secret) {
				t.Errorf("%s reached the other origin in %s", secret, k)
			}
		}
		if strings.Contains(s.RawQuery, secret) {
			t.Errorf("%s reached the other origin in the query %q", secret, s.RawQuery)
		}
	}
	if s.Query["page"] == nil || s.Query["page"][0] != "2" {
		t.Errorf("the harmless param page was lost: %q", s.RawQuery)
	}
}

// TestErrorsHideSecrets: an error never quotes a secret, also when it comes from net/http's own words (an
// unreadable Location header echoing the query).
func TestErrorsHideSecrets(t *testing.T) {
	const token, key, session = "tok-live-secret-1", "k-live-secret-2", "sess-live-secret-3"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "http://bad host/cb?"+r.URL.RawQuery+"&next="+token+"&client_secret=cs-live-4")
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	res := newResource(srv.URL)
	res.Auth = resource.Auth{Kind: resource.AuthBearer}
	q := get("/start")
	q.Params = kv.List{kv.On("api_key", key), kv.On("sid", "{{session_id}}"), kv.On("page", "2")}
	rn := &runner.Runner{Secrets: newKeychain(res.ID, secrets{resource.SecretBearerToken: token})}
	_, err := rn.Do(context.Background(), res, q, map[string]string{"session_id": session})
	if err == nil {
		t.Fatal("Do: no error for an unreadable Location")
	}
	for _, secret := range []string{token, key, session, "cs-live-4"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error quotes %s: %v", secret, err)
		}
	}
	if !strings.Contains(err.Error(), "redirected to an address that is not a valid URL") {
		t.Errorf("the error should say in plain words what went wrong: %v", err)
	}

	// A token source's error that quotes the token and the server's words.
	unauthorized := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer unauthorized.Close()
	res = newResource(unauthorized.URL)
	res.Auth = resource.Auth{Kind: resource.AuthOAuth2}
	refuse := errors.New("the provider said: token tok-live-A is revoked (refresh_token=rt-live-B)")
	rn = &runner.Runner{Tokens: &tokens{current: "tok-live-A", err: refuse}}
	_, err = rn.Do(context.Background(), res, get("/"), nil)
	if !errors.Is(err, refuse) {
		t.Fatalf("Do = %v, want the token source's error", err)
	}
	if strings.Contains(err.Error(), "tok-live-A") || strings.Contains(err.Error(), "rt-live-B") {
		t.Errorf("the error quotes a token: %v", err)
	}
	if !strings.Contains(err.Error(), "token *** is revoked (refresh_token=***)") {
		t.Errorf("the error should show where the secrets were: %v", err)
	}
}

// TestErrorsHideSecretTypedVariables: a variable saved as secret is hidden in errors whatever its name.
func TestErrorsHideSecretTypedVariables(t *testing.T) {
	const pin = "pin-live-7731"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "http://bad host/cb?"+r.URL.RawQuery)
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	q := get("/start")
	q.Params = kv.List{kv.On("code", "{{code}}")}
	q.Variables = []query.Variable{{Name: "code", Type: query.TypeSecret}}
	_, err := (&runner.Runner{}).Do(context.Background(), newResource(srv.URL), q, map[string]string{"code": pin})
	if err == nil || strings.Contains(err.Error(), pin) {
		t.Errorf("the error quotes the secret: %v", err)
	}
}

func TestRedirectOnSameHostKeepsCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/landed?"+r.URL.RawQuery, http.StatusMovedPermanently)
			return
		}
		echoHandler(w, r)
	}))
	defer srv.Close()
	res, q, rn := credentialed(srv.URL)
	s := decodeSeen(t, do(t, rn, res, q, nil))
	if s.Path != "/landed" || s.header("Authorization") != "Bearer tok-secret" || s.header("X-Api-Key") != "tok-secret" ||
		s.Cookies["sid"] != "cookie-secret" || s.Query["token"][0] != "tok-secret" {
		t.Errorf("credentials lost on a same-host redirect: %s %v %v", s.Path, s.Header, s.Query)
	}
}

func TestRedirectPostReplaysBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusPermanentRedirect)
			return
		}
		echoHandler(w, r)
	}))
	defer srv.Close()
	q := &query.Query{Method: "POST", Path: "/old", Body: query.Body{Kind: query.BodyJSON, Text: `{"a":1}`}}
	s := decodeSeen(t, do(t, &runner.Runner{}, newResource(srv.URL), q, nil))
	if s.Method != "POST" || s.Body != `{"a":1}` {
		t.Errorf("308 replay: %s %q", s.Method, s.Body)
	}
}

func TestTooManyRedirects(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, fmt.Sprintf("/r%d", n.Add(1)), http.StatusFound)
	}))
	defer srv.Close()
	_, err := (&runner.Runner{}).Do(context.Background(), newResource(srv.URL), get("/"), nil)
	if !errors.Is(err, runner.ErrTooManyRedirects) || !strings.Contains(err.Error(), "10 redirects") {
		t.Fatalf("err = %v", err)
	}
	if got := n.Load(); got != runner.MaxRedirects+1 {
		t.Errorf("%d requests, want %d", got, runner.MaxRedirects+1)
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := io.WriteString(zw, s); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGzip(t *testing.T) {
	text := strings.Repeat(`{"hello":"world"},`, 1000)
	zipped := gzipped(t, text)
	var gotAE atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAE.Store(r.Header.Get("Accept-Encoding"))
		if r.URL.Path == "/empty" {
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.URL.Path == "/broken" {
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write([]byte("this is not gzip"))
			return
		}
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			_, _ = io.WriteString(w, text)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(zipped)
	}))
	defer srv.Close()
	res := newResource(srv.URL)

	tests := []struct {
		name       string
		acceptEnc  string // the person's Accept-Encoding header, "" for none
		wantSent   string
		wantDecode string
	}{
		{"asked for by the runner", "", "gzip", "gzip"},
		{"asked for by the person (curl --compressed)", "gzip, deflate", "gzip, deflate", "gzip"},
		{"refused by the person", "identity", "identity", ""},
	}
	t.Run("not asked for with a Range", func(t *testing.T) {
		q := get("/")
		q.Headers = kv.List{kv.On("Range", "bytes=0-")}
		resp := do(t, &runner.Runner{}, res, q, nil)
		if gotAE.Load() != "" || resp.Decoded != "" || string(resp.Body) != text {
			t.Errorf("Accept-Encoding %q, Decoded %q", gotAE.Load(), resp.Decoded)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := get("/")
			if tt.acceptEnc != "" {
				q.Headers = kv.List{kv.On("Accept-Encoding", tt.acceptEnc)}
			}
			resp := do(t, &runner.Runner{}, res, q, nil)
			if gotAE.Load() != tt.wantSent {
				t.Errorf("server got Accept-Encoding %q, want %q", gotAE.Load(), tt.wantSent)
			}
			if string(resp.Body) != text {
				t.Fatalf("body is not the decoded text: %.40q", resp.Body)
			}
			if resp.Decoded != tt.wantDecode || resp.Size != int64(len(text)) {
				t.Errorf("Decoded %q, Size %d", resp.Decoded, resp.Size)
			}
			wantWire := int64(len(text))
			if tt.wantDecode != "" {
				wantWire = int64(len(zipped))
			}
			if resp.WireSize != wantWire {
				t.Errorf("WireSize = %d, want %d", resp.WireSize, wantWire)
			}
		})
	}
	t.Run("empty gzip body", func(t *testing.T) {
		resp := do(t, &runner.Runner{}, res, get("/empty"), nil)
		if resp.StatusCode != http.StatusNoContent || len(resp.Body) != 0 {
			t.Errorf("%s %q", resp.Status, resp.Body)
		}
	})
	t.Run("not really gzip", func(t *testing.T) {
		_, err := (&runner.Runner{}).Do(context.Background(), res, get("/broken"), nil)
		if err == nil || !strings.Contains(err.Error(), "Content-Encoding: gzip") {
			t.Errorf("err = %v", err)
		}
	})
}

// slowServer sends chunk, flushes, and then sends nothing until the client goes away or the test ends.
func slowServer(t *testing.T, chunk []byte) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000000")
		_, _ = w.Write(chunk)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	return srv
}

func TestCancelMidBody(t *testing.T) {
	srv := slowServer(t, bytes.Repeat([]byte("x"), 64<<10))
	dir := t.TempDir()
	rn := &runner.Runner{TempDir: dir, MemCap: 1 << 10} // small cap: the body is already in a temp file
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var prog runner.Progress
	errc := make(chan error, 1)
	go func() {
		resp, err := rn.Do(runner.WithProgress(ctx, &prog), newResource(srv.URL), get("/"), nil)
		if resp != nil {
			_ = resp.Close()
		}
		errc <- err
	}()
	for prog.Read() < 64<<10 {
		select {
		case err := <-errc:
			t.Fatalf("Do returned before the cancel: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if prog.Total() != 100000000 {
		t.Errorf("Total = %d", prog.Total())
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("%d temp files during the transfer, want 1", len(files))
	}
	cancel()
	err := <-errc
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("err = %v, want a cancellation", err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("temp files left after cancel: %v", files)
	}
}

func TestTimeout(t *testing.T) {
	t.Run("no answer", func(t *testing.T) {
		done := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-done:
			}
		}))
		defer func() { close(done); srv.Close() }()
		res := newResource(srv.URL)
		res.Timeout = 200 * time.Millisecond
		_, err := (&runner.Runner{}).Do(context.Background(), res, get("/"), nil)
		if !errors.Is(err, runner.ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		host := strings.TrimPrefix(srv.URL, "http://")
		if want := "no answer from " + host + " within 200ms: raise the resource's timeout or check the server"; err.Error() != want {
			t.Errorf("err = %q, want %q", err, want)
		}
	})
	t.Run("stops mid-body", func(t *testing.T) {
		srv := slowServer(t, []byte("partial"))
		res := newResource(srv.URL)
		res.Timeout = 300 * time.Millisecond
		// The same timeout bounds the wait for the headers: on a loaded machine they can be late, which is a
		// timeout too, but not the one this test is about, so try again a few times.
		for try := 1; ; try++ {
			_, err := (&runner.Runner{}).Do(context.Background(), res, get("/"), nil)
			if !errors.Is(err, runner.ErrTimeout) {
				t.Fatalf("err = %v, want ErrTimeout", err)
			}
			if strings.Contains(err.Error(), "stopped sending the response for 300ms") {
				break
			}
			if try == 5 {
				t.Fatalf("err = %v, want the mid-body timeout", err)
			}
			t.Logf("try %d: %v", try, err)
		}
	})
}

// TestBigBodyBoundedMemory streams 256 MB and checks that the heap stays small while every byte reaches the
// temp file.
func TestBigBodyBoundedMemory(t *testing.T) {
	const size = 256 << 20
	chunk := make([]byte, 64<<10)
	for i := range chunk {
		chunk[i] = byte(i*7 + i/251)
	}
	want := sha256.New()
	for range size / len(chunk) {
		want.Write(chunk)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		for range size / len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()

	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	})
	dir := t.TempDir()
	resp, err := (&runner.Runner{TempDir: dir}).Do(context.Background(), newResource(srv.URL), get("/"), nil)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 64<<20 {
		t.Errorf("heap in use peaked at %d MB while reading a 256 MB body; want under 64 MB", p>>20)
	}
	t.Logf("peak heap in use: %.1f MB", float64(peak.Load())/(1<<20))
	if resp.Size != size || resp.WireSize != size || !resp.Truncated || len(resp.Body) != runner.DefaultMemCap {
		t.Errorf("Size %d, WireSize %d, Truncated %v, len(Body) %d", resp.Size, resp.WireSize, resp.Truncated, len(resp.Body))
	}
	got := sha256.New()
	if _, err := resp.WriteTo(got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Error("the saved body differs from what the server sent")
	}
	if !bytes.HasPrefix(resp.Body, chunk) {
		t.Error("Body does not start with the body's first bytes")
	}
	if err := resp.Close(); err != nil {
		t.Fatal(err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("Close left %v", files)
	}
	if _, err := resp.Open(); err == nil {
		t.Error("Open after Close should fail")
	}
}

func TestSaveAndOpen(t *testing.T) {
	body := strings.Repeat("0123456789", 300)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body) }))
	defer srv.Close()
	for _, memCap := range []int64{0, 1000, 3000, 2999} {
		t.Run(fmt.Sprint("cap ", memCap), func(t *testing.T) {
			dir := t.TempDir()
			resp := do(t, &runner.Runner{TempDir: dir, MemCap: memCap}, newResource(srv.URL), get("/"), nil)
			wantTrunc := memCap > 0 && memCap < int64(len(body))
			if resp.Truncated != wantTrunc || resp.Size != int64(len(body)) {
				t.Errorf("Truncated %v, Size %d", resp.Truncated, resp.Size)
			}
			if want := body[:min(len(body), int(memCap))]; memCap > 0 && string(resp.Body) != want {
				t.Errorf("Body has %d bytes, want the first %d", len(resp.Body), len(want))
			}
			out := filepath.Join(t.TempDir(), "saved.txt")
			if err := resp.SaveTo(out); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(out); string(got) != body {
				t.Errorf("saved %d bytes, want %d", len(got), len(body))
			}
			if files, _ := os.ReadDir(dir); wantTrunc != (len(files) == 1) {
				t.Errorf("temp files %v (a body within the cap stays in memory)", files)
			}
		})
	}
}

func TestRefreshOn401(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("Authorization") != "Bearer fresh" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"expired"}`)
			return
		}
		echoHandler(w, r)
	}))
	defer srv.Close()
	res := newResource(srv.URL)
	res.Auth = resource.Auth{Kind: resource.AuthOAuth2}
	q := &query.Query{Method: "POST", Path: "/items", Body: query.Body{Kind: query.BodyJSON, Text: `{"n":1}`}}

	t.Run("refreshed once and retried", func(t *testing.T) {
		calls.Store(0)
		ts := &tokens{current: "stale", next: []string{"fresh"}}
		s := decodeSeen(t, do(t, &runner.Runner{Tokens: ts}, res, q, nil))
		if s.Body != `{"n":1}` {
			t.Errorf("retry body = %q", s.Body)
		}
		if got := ts.refreshes(); len(got) != 1 || got[0] != "stale" {
			t.Errorf("Refresh calls = %q, want one with the rejected token", got)
		}
		if calls.Load() != 2 {
			t.Errorf("%d requests, want 2", calls.Load())
		}
	})
	t.Run("still 401 after refresh", func(t *testing.T) {
		calls.Store(0)
		ts := &tokens{current: "stale", next: []string{"also-stale", "fresh"}}
		resp := do(t, &runner.Runner{Tokens: ts}, res, q, nil)
		if resp.StatusCode != http.StatusUnauthorized || len(ts.refreshes()) != 1 || calls.Load() != 2 {
			t.Errorf("status %d, %d refreshes, %d requests; want 401, 1, 2", resp.StatusCode, len(ts.refreshes()), calls.Load())
		}
	})
	t.Run("refresh fails", func(t *testing.T) {
		signedOut := errors.New("signed out: sign in again")
		ts := &tokens{current: "stale", err: signedOut}
		_, err := (&runner.Runner{Tokens: ts}).Do(context.Background(), res, q, nil)
		if !errors.Is(err, signedOut) || strings.Contains(err.Error(), "stale") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("no refresh without OAuth", func(t *testing.T) {
		res := newResource(srv.URL)
		ts := &tokens{current: "stale", next: []string{"fresh"}}
		resp := do(t, &runner.Runner{Tokens: ts}, res, q, nil)
		if resp.StatusCode != http.StatusUnauthorized || len(ts.refreshes()) != 0 {
			t.Errorf("status %d, %d refreshes", resp.StatusCode, len(ts.refreshes()))
		}
	})
}

func TestTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(echoHandler))
	defer srv.Close()
	res := newResource(srv.URL)
	res.Auth = resource.Auth{Kind: resource.AuthBearer}
	keys := newKeychain(res.ID, secrets{resource.SecretBearerToken: "tls-token"})

	resp := do(t, &runner.Runner{Client: srv.Client(), Secrets: keys}, res, get("/secure"), nil)
	s := decodeSeen(t, resp)
	if s.header("Authorization") != "Bearer tls-token" {
		t.Errorf("Authorization = %q", s.header("Authorization"))
	}
	if resp.Timing.TLS <= 0 || resp.Timing.Connect <= 0 || resp.Timing.FirstByte <= 0 || resp.Timing.Total < resp.Timing.FirstByte {
		t.Errorf("timing %+v", resp.Timing)
	}

	t.Run("untrusted certificate", func(t *testing.T) {
		_, err := runner.New(keys, nil).Do(context.Background(), res, get("/"), nil)
		if !errors.Is(err, runner.ErrTLS) || !strings.Contains(err.Error(), "not valid") {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), "tls-token") {
			t.Errorf("secret in error: %v", err)
		}
	})
	t.Run("http to a TLS server", func(t *testing.T) {
		res := newResource(strings.Replace(srv.URL, "https://", "http://", 1))
		resp := do(t, &runner.Runner{}, res, get("/"), nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(resp.Body), "HTTPS server") {
			t.Errorf("%s %q: Go's TLS server answers plain HTTP with a 400 that says why", resp.Status, resp.Body)
		}
	})
	t.Run("https to a plain server", func(t *testing.T) {
		plain := newEcho(t)
		res := newResource(strings.Replace(plain.URL, "http://", "https://", 1))
		_, err := (&runner.Runner{}).Do(context.Background(), res, get("/"), nil)
		if !errors.Is(err, runner.ErrTLS) || !strings.Contains(err.Error(), "http:// instead of https://") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestConnectionErrorsInPlainWords(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	res := newResource("http://" + addr)
	res.Auth = resource.Auth{Kind: resource.AuthAPIKey, KeyName: "key", KeyIn: resource.KeyInQuery}
	keys := newKeychain(res.ID, secrets{resource.SecretAPIKey: "refused-secret"})
	_, err = (&runner.Runner{Secrets: keys}).Do(context.Background(), res, get("/x"), nil)
	if !errors.Is(err, runner.ErrConnect) {
		t.Fatalf("err = %v", err)
	}
	if want := "could not connect to " + addr + ": is the server running and the base URL right?"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}

	t.Run("unknown host", func(t *testing.T) {
		res := newResource("http://no-such-host.invalid")
		_, err := (&runner.Runner{}).Do(context.Background(), res, get("/"), nil)
		if !errors.Is(err, runner.ErrConnect) || !strings.Contains(err.Error(), "could not find the server no-such-host.invalid") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("cancelled before sending", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := (&runner.Runner{}).Do(ctx, newResource("http://"+addr), get("/"), nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestResponseDetails(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/go" {
			http.Redirect(w, r, "/teapot?"+r.URL.RawQuery, http.StatusFound)
			return
		}
		w.Header().Set("X-Reply", "yes")
		w.WriteHeader(http.StatusTeapot)
		fmt.Fprint(w, "short and stout")
	}))
	defer srv.Close()
	res := newResource(srv.URL)
	res.Auth = resource.Auth{Kind: resource.AuthAPIKey, KeyName: "key", KeyIn: resource.KeyInQuery}
	var prog runner.Progress
	rn := &runner.Runner{Secrets: newKeychain(res.ID, secrets{resource.SecretAPIKey: "k-secret"})}
	resp, err := rn.Do(runner.WithProgress(context.Background(), &prog), res, get("/go"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close()
	if resp.StatusCode != 418 || resp.Status != "418 I'm a teapot" || resp.Proto != "HTTP/1.1" || resp.Header.Get("X-Reply") != "yes" {
		t.Errorf("%d %q %q %v", resp.StatusCode, resp.Status, resp.Proto, resp.Header)
	}
	if want := srv.URL + "/teapot?key={-api_key-}"; resp.URL != want {
		t.Errorf("URL = %q, want %q (the key masked)", resp.URL, want)
	}
	if resp.Redirects != 1 || resp.Size != 15 || prog.Read() != 15 || prog.Total() != 15 {
		t.Errorf("redirects %d, size %d, progress %d/%d", resp.Redirects, resp.Size, prog.Read(), prog.Total())
	}
}

// TestProxyFromEnvironment runs a child test process with HTTP_PROXY set (net/http reads the environment once
// per process) and checks that the request goes through the proxy.
func TestProxyFromEnvironment(t *testing.T) {
	if os.Getenv("APIDESK_PROXY_CHILD") != "" {
		resp, err := runner.New(nil, nil).Do(context.Background(), newResource("http://api.example.invalid"), get("/via"), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Close()
		if string(resp.Body) != "proxied http://api.example.invalid/via" {
			t.Fatalf("body %q", resp.Body)
		}
		return
	}
	var hits atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "proxied ", r.URL.String()) // a proxy gets the absolute URL
	}))
	defer proxy.Close()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestProxyFromEnvironment$", "-test.v")
	cmd.Env = append(os.Environ(), "APIDESK_PROXY_CHILD=1", "HTTP_PROXY="+proxy.URL, "http_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if hits.Load() != 1 {
		t.Errorf("the proxy saw %d requests, want 1\n%s", hits.Load(), out)
	}
}
