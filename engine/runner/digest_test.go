package runner_test

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// digestServer protects every path with Digest authentication (RFC 7616, or RFC 2069 when qop is ""), written
// here from the RFC rather than from the runner's code. It answers the body it received once authenticated.
type digestServer struct {
	*httptest.Server
	algorithm, qop string // as the challenge says them; algorithm "" is MD5 left unsaid
	user, password string

	mu       sync.Mutex
	requests int
	answered []string // the Authorization headers that were right
}

var digestParam = regexp.MustCompile(`(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))`)

func newDigestServer(t *testing.T, algorithm, qop, user, password string) *digestServer {
	t.Helper()
	d := &digestServer{algorithm: algorithm, qop: qop, user: user, password: password}
	d.Server = httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(d.Close)
	return d
}

const testNonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093"

func (d *digestServer) h(s string) string {
	var hh hash.Hash = md5.New()
	if strings.HasPrefix(strings.ToUpper(d.algorithm), "SHA-256") {
		hh = sha256.New()
	}
	hh.Write([]byte(s))
	return hex.EncodeToString(hh.Sum(nil))
}

func (d *digestServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	d.mu.Lock()
	d.requests++
	d.mu.Unlock()
	auth := r.Header.Get("Authorization")
	if d.check(r, auth) {
		d.mu.Lock()
		d.answered = append(d.answered, auth)
		d.mu.Unlock()
		fmt.Fprintf(w, "hello %s: %s %s", d.user, r.Method, body)
		return
	}
	ch := `Digest realm="api@example.org", nonce="` + testNonce + `", opaque="5ccc069c403ebaf9f0171e9517f40e41"`
	if d.qop != "" {
		ch += `, qop="` + d.qop + `"`
	}
	if d.algorithm != "" {
		ch += ", algorithm=" + d.algorithm
	}
	w.Header().Add("WWW-Authenticate", `Basic realm="api@example.org"`)
	w.Header().Add("WWW-Authenticate", ch)
	http.Error(w, "who are you?", http.StatusUnauthorized)
}

func (d *digestServer) check(r *http.Request, auth string) bool {
	rest, ok := strings.CutPrefix(auth, "Digest ")
	if !ok {
		return false
	}
	p := map[string]string{}
	for _, m := range digestParam.FindAllStringSubmatch(rest, -1) {
		p[m[1]] = m[2] + m[3]
	}
	if p["username"] != d.user || p["realm"] != "api@example.org" || p["nonce"] != testNonce || p["uri"] != r.RequestURI ||
		p["opaque"] != "5ccc069c403ebaf9f0171e9517f40e41" || !strings.EqualFold(p["algorithm"], d.algorithm) {
		return false
	}
	ha1 := d.h(d.user + ":api@example.org:" + d.password)
	if strings.HasSuffix(strings.ToLower(d.algorithm), "-sess") {
		ha1 = d.h(ha1 + ":" + testNonce + ":" + p["cnonce"])
	}
	ha2 := d.h(r.Method + ":" + r.RequestURI)
	want := d.h(ha1 + ":" + testNonce + ":" + ha2)
	if d.qop != "" {
		if p["qop"] != "auth" || p["nc"] != "00000001" || len(p["cnonce"]) < 8 {
			return false
		}
		want = d.h(ha1 + ":" + testNonce + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)
	}
	return p["response"] == want
}

func (d *digestServer) counts() (requests, answered int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.requests, len(d.answered)
}

func digestResource(base string) *resource.Resource {
	res := newResource(base)
	res.Auth = resource.Auth{Kind: resource.AuthDigest, Username: "Mufasa"}
	return res
}

func TestDigestAuthentication(t *testing.T) {
	for _, tt := range []struct{ name, algorithm, qop string }{
		{"MD5", "MD5", "auth"},
		{"SHA-256", "SHA-256", "auth,auth-int"},
		{"MD5-sess", "MD5-sess", "auth"},
		{"SHA-256-sess", "SHA-256-sess", "auth"},
		{"RFC 2069", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newDigestServer(t, tt.algorithm, tt.qop, "Mufasa", "Circle of Life")
			rn := runner.New(newKeychain("res1", secrets{resource.SecretPassword: "Circle of Life"}), nil)
			q := &query.Query{Method: http.MethodPost, Path: "/dir/index.html", Params: kv.List{kv.On("page", "2")},
				Body: query.Body{Kind: query.BodyJSON, Text: `{"roar":true}`}}
			resp := do(t, rn, digestResource(srv.URL), q, nil)
			if resp.StatusCode != 200 || string(resp.Body) != `hello Mufasa: POST {"roar":true}` {
				t.Fatalf("%s: %s", resp.Status, resp.Body)
			}
			if n, ok := srv.counts(); n != 2 || ok != 1 {
				t.Fatalf("%d requests, %d answered: want one challenge and one answer", n, ok)
			}
		})
	}
}

func TestDigestWrongPassword(t *testing.T) {
	srv := newDigestServer(t, "SHA-256", "auth", "Mufasa", "Circle of Life")
	rn := runner.New(newKeychain("res1", secrets{resource.SecretPassword: "Circle of Death"}), nil)
	res := digestResource(srv.URL)
	resp := do(t, rn, res, get("/"), nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %s", resp.Status)
	}
	if n, ok := srv.counts(); n != 2 || ok != 0 {
		t.Fatalf("%d requests, %d answered: want the challenge answered once, wrongly", n, ok)
	}
	if c := rn.Check(context.Background(), res); c.Message() != "The API refused the credentials (401 Unauthorized): check the username and password" {
		t.Fatalf("check: %s", c.Message())
	}
}

func TestDigestUnknownAlgorithm(t *testing.T) {
	srv := newDigestServer(t, "SHA3-512", "auth", "Mufasa", "pw")
	_, err := runner.New(newKeychain("res1", secrets{resource.SecretPassword: "pw"}), nil).Do(context.Background(), digestResource(srv.URL), get("/"), nil)
	if err == nil || err.Error() != "Shop asks for Digest authentication in a way apidesk cannot answer: it wants the algorithm SHA3-512, which apidesk does not know (it knows MD5, SHA-256 and SHA-512-256)" {
		t.Fatalf("error %v", err)
	}
}

func TestDigestPreview(t *testing.T) {
	p, err := runner.Preview(digestResource("https://api.example.com"), get("/x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	user, pw, ok := p.BasicAuth()
	if !p.Digest || !ok || user != "Mufasa" || pw != runner.PasswordPlaceholder || p.Header.Has("Authorization", true) {
		t.Fatalf("preview: digest %v, %q %q %v, headers %v", p.Digest, user, pw, ok, p.Header)
	}
	// A base URL's user:password@ is not sent as Basic beside Digest.
	res := digestResource("https://bob:pw@api.example.com")
	if p, err = runner.Preview(res, nil, nil); err != nil || p.Header.Has("Authorization", true) || strings.Contains(p.URL, "@") {
		t.Fatalf("user in the URL: %v %v %s", err, p.Header, p.URL)
	}
}
