package curl

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"apidesk/engine/kv"
	"apidesk/engine/query"
)

// These tests hold Parse and Command to the real programs: bash splits the words, and the curl binary sends
// the request to a local server, which records what arrived.

// bashWords runs cmd in bash with curl defined as a function that prints its arguments, and returns them.
func bashWords(t *testing.T, cmd string) ([]string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-c", `curl() { printf '%s\0' "$@"; }`+"\n"+cmd)
	c.Env = []string{"LC_ALL=C.UTF-8", "PATH=/usr/bin:/bin"}
	var stderr bytes.Buffer
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil || stderr.Len() > 0 {
		return nil, &exec.ExitError{Stderr: stderr.Bytes()}
	}
	words := strings.Split(string(out), "\x00")
	return words[:len(words)-1], nil
}

// bashDiffers names the commands where splitWords knowingly reads more kindly than bash.
var bashDiffers = map[string]string{
	"typed: curl.exe and a path to curl":                        "bash runs /usr/bin/curl itself, not the function that prints the words",
	"firefox PUT with \\x and surrogate escapes":                `bash sends \xfc as a Latin-1 byte and keeps surrogates apart; Firefox means "ü" and "😀"`,
	"shell: CRLF continuations, comment, prompt, double quotes": "bash reads a backslash before CR LF as an escaped CR, and runs the pasted prompt '$'",
	"shell: lines without backslashes read as one command":      "bash runs each line as its own command",
}

func needBash(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
}

func TestSplitWordsAgreesWithBash(t *testing.T) {
	needBash(t)
	cmds := map[string]string{}
	for _, tc := range parseCases {
		cmds[tc.name] = tc.cmd
		if r, err := Parse(tc.cmd); err == nil {
			cmds[tc.name+" (written by Command)"] = r.Command()
		}
	}
	cmds["ansi-c escapes"] = `curl $'\x41\101\u00e9\U0001F600\cA\e\a\b\f\v\t\r\n\'\"\?\\\xc3\xa9\q'`
	cmds["quote pieces"] = `curl $'a'"b"'c'd "" '' x\ y "a\b\$\"\\" 'it'\''s' a#b #c`
	cmds["control characters quoted by Command"] = "curl " + shellQuote("a\x01b\x7f'c\\\r\n\td")
	for name, cmd := range cmds {
		t.Run(name, func(t *testing.T) {
			if why, ok := bashDiffers[name]; ok {
				t.Skip(why)
			}
			want, err := bashWords(t, cmd)
			if err != nil {
				t.Fatalf("bash: %v", err)
			}
			got, err := splitWords(cmd)
			if err != nil {
				t.Fatalf("splitWords: %v", err)
			}
			if !reflect.DeepEqual(got[1:], want) {
				t.Errorf("words differ:\n splitWords %q\n bash       %q", got[1:], want)
			}
		})
	}
}

// received is a request as the server saw it.
type received struct {
	method, uri, host string
	header            http.Header
	body              []byte
	user, password    string
	hasBasic          bool
}

// recorder is a server that records the last request it got.
type recorder struct {
	mu   sync.Mutex
	last *received
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	got := &received{method: r.Method, uri: r.RequestURI, host: r.Host, header: r.Header.Clone(), body: body}
	got.user, got.password, got.hasBasic = r.BasicAuth()
	rec.mu.Lock()
	rec.last = got
	rec.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (rec *recorder) take() *received {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	r := rec.last
	rec.last = nil
	return r
}

// curlPeer runs commands with the real curl binary, pointed at local servers for api.example.com (TLS on 443,
// plain on 80) through a .curlrc, so the commands run as written.
type curlPeer struct {
	rec  *recorder
	home string
}

func newCurlPeer(t *testing.T) *curlPeer {
	t.Helper()
	needBash(t)
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	rec := &recorder{}
	tlsSrv := httptest.NewTLSServer(rec)
	t.Cleanup(tlsSrv.Close)
	plain := httptest.NewServer(rec)
	t.Cleanup(plain.Close)
	home := t.TempDir()
	addr := func(s *httptest.Server) string { u, _ := url.Parse(s.URL); return u.Host }
	rc := strings.Join([]string{
		"insecure", "silent", "show-error", "output = /dev/null", `noproxy = "*"`,
		"connect-to = api.example.com:443:" + addr(tlsSrv),
		"connect-to = api.example.com:80:" + addr(plain),
	}, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(home, ".curlrc"), []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	return &curlPeer{rec: rec, home: home}
}

// send runs cmd in bash with the real curl and returns what the server got.
func (p *curlPeer) send(t *testing.T, cmd string) *received {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-c", cmd)
	c.Env = []string{"LC_ALL=C.UTF-8", "PATH=/usr/bin:/bin", "HOME=" + p.home, "CURL_HOME=" + p.home}
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("curl failed: %v\n%s", err, out)
	}
	got := p.rec.take()
	if got == nil {
		t.Fatal("the server got no request")
	}
	return got
}

// curlDiffers names the commands whose request Parse knowingly describes differently from what curl sends.
var curlDiffers = map[string]string{
	"typed: --header= and --request= forms":                     "curl has no --option=value form; people type it, so Parse takes it",
	"typed: -G data with # and a space":                         "curl refuses a space in -G data and cuts the query at #; Parse encodes both",
	"shell: CRLF continuations, comment, prompt, double quotes": "not a command bash runs (see bashDiffers)",
	"shell: lines without backslashes read as one command":      "not a command bash runs (see bashDiffers)",
	"firefox PUT with \\x and surrogate escapes":                "bash sends Latin-1 bytes (see bashDiffers)",
}

func TestParseAgreesWithCurl(t *testing.T) {
	peer := newCurlPeer(t)
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if why, ok := curlDiffers[tc.name]; ok {
				t.Logf("not sending the command as written: %s", why)
			} else {
				checkSent(t, r, peer.send(t, tc.cmd))
			}
			// The command Command writes sends what Parse says.
			checkSent(t, r, peer.send(t, r.Command()))
		})
	}
}

// checkSent compares what curl sent with what Parse says the command sends.
func checkSent(t *testing.T, r *Request, got *received) {
	t.Helper()
	// Parse writes methods in upper case; curl sends them as typed.
	if !strings.EqualFold(got.method, r.Method) {
		t.Errorf("method: curl sent %q, Parse says %q", got.method, r.Method)
	}
	p, q := splitURL(r.URL)
	if p == "" {
		p = "/"
	}
	// curl 7.88 rewrites a query it appends (-G, --url-query): %2F becomes %2f, %20 may become +. Both mean
	// the same to a server, so the query is compared decoded.
	gotPath, gotQuery, _ := strings.Cut(got.uri, "?")
	if gotPath != p || !reflect.DeepEqual(parseQuery(gotQuery), parseQuery(q)) {
		t.Errorf("request URI: curl sent %q, Parse says %q?%s", got.uri, p, q)
	}
	for _, h := range r.Headers {
		if strings.EqualFold(h.Key, "Host") {
			continue
		}
		if vs := got.header.Values(h.Key); !contains(vs, h.Value) {
			t.Errorf("header %s: curl sent %q, Parse says %q", h.Key, vs, h.Value)
		}
	}
	var cookies kv.List
	for _, c := range got.header.Values("Cookie") {
		cs, err := parseCookies(c)
		if err != nil {
			t.Fatal(err)
		}
		cookies = append(cookies, cs...)
	}
	if !reflect.DeepEqual(cookies, r.Cookies) {
		t.Errorf("cookies: curl sent %v, Parse says %v", cookies, r.Cookies)
	}
	if _, explicit := r.Headers.Get("Authorization", true); r.HasUser && !explicit {
		if !got.hasBasic || got.user != r.User || got.password != r.Password {
			t.Errorf("basic auth: curl sent %q:%q (%v), Parse says %q:%q", got.user, got.password, got.hasBasic, r.User, r.Password)
		}
	}
	ct := got.header.Get("Content-Type")
	switch r.Body.Kind {
	case query.BodyNone:
		if len(got.body) != 0 {
			t.Errorf("body: curl sent %q, Parse says none", got.body)
		}
	case query.BodyJSON:
		if string(got.body) != r.Body.Text {
			t.Errorf("body: curl sent %q, Parse says %q", got.body, r.Body.Text)
		}
	case query.BodyRaw:
		if string(got.body) != r.Body.Text {
			t.Errorf("body: curl sent %q, Parse says %q", got.body, r.Body.Text)
		}
		if ct != r.Body.ContentType {
			t.Errorf("content type: curl sent %q, Parse says %q", ct, r.Body.ContentType)
		}
	case query.BodyForm:
		form, ok := parseForm(string(got.body))
		if !ok || !reflect.DeepEqual(form, r.Body.Form) {
			t.Errorf("form: curl sent %q, Parse says %v", got.body, r.Body.Form)
		}
		if mediaType(ct) != "application/x-www-form-urlencoded" {
			t.Errorf("content type: curl sent %q for a form", ct)
		}
	}
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}
