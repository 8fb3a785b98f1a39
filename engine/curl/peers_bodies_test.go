package curl

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"apidesk/engine/query"
)

// These tests hold the new bodies and settings to the real curl: what Parse says a command sends (and what
// Command writes back) is what curl sends, part for part and byte for byte.

// sendIn runs cmd in bash in the folder dir with the real curl, and returns what the server got.
func (p *curlPeer) sendIn(t *testing.T, dir, cmd string) *received {
	t.Helper()
	runCurl(t, p.home, dir, cmd)
	got := p.rec.take()
	if got == nil {
		t.Fatal("the server got no request")
	}
	return got
}

// runCurl runs cmd in bash in dir, with home's .curlrc.
func runCurl(t *testing.T, home, dir, cmd string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-c", cmd)
	c.Dir = dir
	c.Env = []string{"LC_ALL=C.UTF-8", "PATH=/usr/bin:/bin", "HOME=" + home, "CURL_HOME=" + home}
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("curl failed: %v\n%s\n%s", err, out, cmd)
	}
}

// plainCurlHome is a home folder whose .curlrc only keeps curl quiet: no proxy exemptions, TLS checked.
func plainCurlHome(t *testing.T) string {
	t.Helper()
	needBash(t)
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, ".curlrc"), []byte("silent\nshow-error\noutput = /dev/null\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return home
}

// sentPart is one part of a multipart body as a server reads it.
type sentPart struct {
	name, filename, contentType string
	content                     []byte
}

func readMultipart(t *testing.T, got *received) []sentPart {
	t.Helper()
	mt, params, err := mime.ParseMediaType(got.header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("content type %q: %v", got.header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(bytes.NewReader(got.body), params["boundary"])
	var parts []sentPart
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, sentPart{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), b})
	}
}

// checkStreamed compares a multipart or file body curl sent with what Parse says.
func checkStreamed(t *testing.T, r *Request, got *received) {
	t.Helper()
	switch r.Body.Kind {
	case query.BodyMultipart:
		sent := readMultipart(t, got)
		if len(sent) != len(r.Body.Parts) {
			t.Fatalf("curl sent %d parts, Parse says %d", len(sent), len(r.Body.Parts))
		}
		for i, p := range r.Body.Parts {
			s := sent[i]
			content, filename := []byte(p.Value), ""
			if p.IsFile() {
				var err error
				if content, err = os.ReadFile(p.File); err != nil {
					t.Fatal(err)
				}
				filename = cmpOr(p.Filename, filepath.Base(p.File))
			}
			if s.name != p.Name || s.filename != filename || !bytes.Equal(s.content, content) {
				t.Errorf("part %d: curl sent %q (file %q) %q, Parse says %q (file %q) %q", i, s.name, s.filename, s.content, p.Name, filename, content)
			}
			if p.ContentType != "" && s.contentType != p.ContentType {
				t.Errorf("part %d: curl sent the type %q, Parse says %q", i, s.contentType, p.ContentType)
			}
		}
	case query.BodyFile:
		content, err := os.ReadFile(r.Body.File)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.body, content) {
			t.Errorf("body: curl sent %q, the file holds %q", got.body, content)
		}
		if ct := got.header.Get("Content-Type"); ct != r.Body.ContentType {
			t.Errorf("content type: curl sent %q, Parse says %q", ct, r.Body.ContentType)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestStreamedBodiesAgreeWithCurl: forms, files, uploads and cookie files, sent by curl as written and as
// Command writes them.
func TestStreamedBodiesAgreeWithCurl(t *testing.T) {
	peer := newCurlPeer(t)
	jar := "api.example.com\tFALSE\t/\tFALSE\t0\tsid\ts 1\n.example.com\tTRUE\t/v1\tTRUE\t0\tpref\tdark\n" +
		"other.example.org\tFALSE\t/\tFALSE\t0\tno\tx\napi.example.com\tFALSE\t/\tFALSE\t0\tab\t1\napi.example.com\tFALSE\t/\tFALSE\t0\tcd\t2\n" +
		"example.com\tTRUE\t/\tFALSE\t0\tshort\t3\n"
	dir := workDir(t, map[string]string{
		"photo.png": "\x89PNG\r\n\x1a\n\x00\xff", "a;b.txt": "semi;colon", "letter.txt": "Dear team,\r\nhello ü",
		"body.json": "{\"a\": 1}\n", "line.txt": "a=1&b=2", "up/data.bin": "\x00\x01\x02", "cookies.txt": jar,
	})
	cmds := map[string]string{
		"a form with text and files": `curl https://api.example.com/v1/u -F name=Ada -F 'photo=@photo.png;type=image/png;filename="me, too.png"' ` +
			`-F 'semi=@"a;b.txt"' -F 'q="x;y"' -F 'meta={"a": 1};type=application/json' --form-string 'lit=@photo.png;type=x/y' -F 'letter=<letter.txt'`,
		"a form with a PUT":        `curl -X PUT https://api.example.com/v1/u -F 'f=@up/data.bin'`,
		"--data-binary @file":      `curl https://api.example.com/v1/u -H 'Content-Type: application/json' --data-binary @body.json`,
		"--data @file of one line": `curl https://api.example.com/v1/u --data @line.txt`,
		"--json @file":             `curl https://api.example.com/v1/u --json @body.json`,
		"-T to a path ending in /": `curl -T up/data.bin https://api.example.com/v1/files/`,
		"-T with a type":           `curl -T photo.png -H 'Content-Type: image/png' https://api.example.com/v1/p`,
		"stdin from a file":        `curl https://api.example.com/v1/u -H 'Content-Type: text/plain' --data-binary @- < letter.txt`,
		"a cookie file":            `curl -b cookies.txt -b 'x=1' https://api.example.com/v1/c`,
		"a cookie file over http":  `curl -b cookies.txt http://api.example.com/v1/c`,
		"a here-document":          "curl https://api.example.com/v1/u -d @- <<'EOF'\na=1&\nb=2\nEOF",
	}
	for name, cmd := range cmds {
		t.Run(name, func(t *testing.T) {
			r, err := Options{Dir: dir}.Parse(cmd)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []string{cmd, r.Command()} {
				got := peer.sendIn(t, dir, c)
				checkSent(t, r, got)
				checkStreamed(t, r, got)
			}
		})
	}
}

// digestServer answers with a Digest challenge (RFC 7616, MD5, qop=auth) and records whether the answer to it
// was right for the user and password.
type digestServer struct {
	user, password string
	mu             sync.Mutex
	ok             bool
	answered       string // the user name of the last answer
}

func (d *digestServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const realm, nonce = "apidesk", "dcd98b7102dd2f0e8b11d0f600bfb0c093"
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Digest ")
	if !ok {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Digest realm=%q, qop="auth", nonce=%q, algorithm=MD5`, realm, nonce))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	f := map[string]string{}
	for _, kv := range strings.Split(auth, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		f[k] = strings.Trim(v, `"`)
	}
	h := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	ha1 := h(d.user + ":" + realm + ":" + d.password)
	ha2 := h(r.Method + ":" + f["uri"])
	want := h(strings.Join([]string{ha1, nonce, f["nc"], f["cnonce"], "auth", ha2}, ":"))
	d.mu.Lock()
	d.answered, d.ok = f["username"], f["response"] == want && f["username"] == d.user
	d.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// TestDigestAgreesWithCurl: -u with --digest, as Parse reads it and Command writes it, is what curl answers
// a Digest challenge with.
func TestDigestAgreesWithCurl(t *testing.T) {
	home := plainCurlHome(t)
	d := &digestServer{user: "ada", password: "love:lace"}
	srv := httptest.NewServer(d)
	defer srv.Close()
	cmd := fmt.Sprintf("curl %s/v1/x -u 'ada:love:lace' --digest", srv.URL)
	r, err := Parse(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Digest || r.User != "ada" || r.Password != "love:lace" {
		t.Fatalf("Parse: digest %v, user %q", r.Digest, r.User)
	}
	for _, c := range []string{cmd, r.Command()} {
		d.mu.Lock()
		d.ok, d.answered = false, ""
		d.mu.Unlock()
		runCurl(t, home, t.TempDir(), c)
		d.mu.Lock()
		if !d.ok {
			t.Errorf("the server did not get a right Digest answer (user %q) from\n%s", d.answered, c)
		}
		d.mu.Unlock()
	}
}

// TestProxyAgreesWithCurl: -x and -U, as Parse reads them and Command writes them, send the request through
// the proxy with its credentials.
func TestProxyAgreesWithCurl(t *testing.T) {
	home := plainCurlHome(t)
	type seen struct{ uri, auth string }
	var mu sync.Mutex
	var got []seen
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, seen{r.RequestURI, r.Header.Get("Proxy-Authorization")})
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer proxy.Close()
	addr := strings.TrimPrefix(proxy.URL, "http://")
	cmd := fmt.Sprintf("curl -x %s -U 'ann:pr0xy pw' http://api.example.com/v1/x", addr)
	r, err := Parse(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if r.Network.ProxyURL != "http://"+addr || r.ProxyAuth != "ann:pr0xy pw" {
		t.Fatalf("Parse: %+v, proxy auth %q", r.Network, r.ProxyAuth)
	}
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("ann:pr0xy pw"))
	for _, c := range []string{cmd, r.Command()} {
		runCurl(t, home, t.TempDir(), c)
		mu.Lock()
		if len(got) != 1 || got[0].uri != "http://api.example.com/v1/x" || got[0].auth != wantAuth {
			t.Errorf("the proxy got %+v from\n%s", got, c)
		}
		got = nil
		mu.Unlock()
	}
}

// TestClientCertificateAgreesWithCurl: --cacert, --cert (with its key's passphrase) and --key, as Parse reads
// them and Command writes them, reach a server that trusts only its own CA and wants a client certificate.
func TestClientCertificateAgreesWithCurl(t *testing.T) {
	home := plainCurlHome(t)
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	dir := t.TempDir()
	ca, caKey := newCA(t)
	serverCert := issue(t, ca, caKey, "127.0.0.1", x509.ExtKeyUsageServerAuth)
	clientPEM, clientKeyPEM := issuePEM(t, ca, caKey, "ada-client", x509.ExtKeyUsageClientAuth)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}))
	write("client.pem", clientPEM)
	plainKey := write("client.key", clientKeyPEM)
	// The key encrypted with a passphrase, as openssl writes it.
	out, err := exec.Command("openssl", "pkey", "-in", plainKey, "-aes256", "-passout", "pass:k3y:pass", "-out", filepath.Join(dir, "client-enc.key")).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}

	pool := x509.NewCertPool()
	pool.AddCert(ca)
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.TLS.PeerCertificates[0].Subject.CommonName)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.StartTLS()
	defer srv.Close()

	for _, cmd := range []string{
		fmt.Sprintf("curl %s/v1/x --cacert ca.pem --cert client.pem --key client.key", srv.URL),
		fmt.Sprintf("curl %s/v1/x --cacert ca.pem --cert 'client.pem:k3y:pass' --key client-enc.key", srv.URL),
		fmt.Sprintf("curl %s/v1/x --cacert ca.pem --cert client.pem --key client-enc.key --pass 'k3y:pass'", srv.URL),
	} {
		r, err := Options{Dir: dir}.Parse(cmd)
		if err != nil {
			t.Fatal(err)
		}
		if r.Network.CACert != filepath.Join(dir, "ca.pem") || r.Network.ClientCert != filepath.Join(dir, "client.pem") {
			t.Fatalf("Parse: %+v", r.Network)
		}
		if strings.Contains(r.Network.ClientKey, "enc") && r.KeyPassphrase != "k3y:pass" {
			t.Errorf("passphrase %q", r.KeyPassphrase)
		}
		for _, c := range []string{cmd, r.Command()} {
			runCurl(t, home, dir, c)
			mu.Lock()
			if len(seen) != 1 || seen[0] != "ada-client" {
				t.Errorf("the server saw the client certificates %q from\n%s", seen, c)
			}
			seen = nil
			mu.Unlock()
		}
	}
}

func newCA(t *testing.T) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "apidesk test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return ca, key
}

// issuePEM makes a certificate signed by the CA, and returns it and its key in PEM.
func issuePEM(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey, cn string, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
	}
	if ip := net.ParseIP(cn); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb})
}

func issue(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey, cn string, usage x509.ExtKeyUsage) tls.Certificate {
	t.Helper()
	c, k := issuePEM(t, ca, caKey, cn, usage)
	cert, err := tls.X509KeyPair(c, k)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}
