package main

import (
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
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/youmark/pkcs8"
)

// certPair makes a certificate signed by parent (nil: self-signed, a CA) and returns it with its key.
func certPair(t *testing.T, cn string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, ca, client bool, hosts ...string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if ca {
		tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.KeyUsage, tmpl.ExtKeyUsage = true, true, x509.KeyUsageCertSign, nil
	}
	if client {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return cert, key
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func writeTestFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestClientCertificateFromTheCLI: a resource added with a private CA and a client certificate whose key is
// encrypted reaches a server that wants both; the files inside the workspace are saved relative to it, the
// passphrase goes to the keychain, and a wrong passphrase is refused before anything is saved.
func TestClientCertificateFromTheCLI(t *testing.T) {
	needKeychain(t)
	ca, caKey := certPair(t, "CLI Root", nil, nil, true, false)
	srvCert, srvKey := certPair(t, "server", ca, caKey, false, false, "127.0.0.1")
	me, meKey := certPair(t, "ann", ca, caKey, false, true)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"client": %q}`, r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.EnableHTTP2 = true
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool,
		Certificates: []tls.Certificate{{Certificate: [][]byte{srvCert.Raw}, PrivateKey: srvKey}}}
	srv.StartTLS()
	defer srv.Close()

	ws := t.TempDir()
	caFile := writeTestFile(t, filepath.Join(ws, "certs", "root.pem"), certPEM(ca))
	certFile := writeTestFile(t, filepath.Join(ws, "certs", "ann.crt"), certPEM(me))
	enc, err := pkcs8.MarshalPrivateKey(meKey, []byte("open sesame"), nil)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := writeTestFile(t, filepath.Join(ws, "certs", "ann.key"), pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc}))
	add := []string{"resource", "add", "bank", "--base-url", srv.URL, "--ca-cert", caFile, "--client-cert", certFile, "--client-key", keyFile, "--secret-stdin"}

	r := runCLI(t, ws, "not it\n", add...).must(t, 2)
	if !strings.Contains(r.stderr, "the passphrase of the client key in "+keyFile+" is wrong") || strings.Contains(r.stderr, "not it") {
		t.Fatalf("wrong passphrase: %s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(ws, "resources", "bank.yaml")); err == nil {
		t.Fatal("the resource was saved with a wrong passphrase")
	}
	r = runCLI(t, ws, "open sesame\n", add...).must(t, 0)
	if !strings.Contains(r.stderr, "its client key passphrase is in the keychain") {
		t.Errorf("add said: %s", r.stderr)
	}
	file, err := os.ReadFile(filepath.Join(ws, "resources", "bank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ca_cert: certs/root.pem", "client_cert: certs/ann.crt", "client_key: certs/ann.key"} {
		if !strings.Contains(string(file), want) {
			t.Errorf("the file lacks %q:\n%s", want, file)
		}
	}
	if strings.Contains(string(file), "open sesame") {
		t.Fatal("the passphrase is in the file")
	}
	r = runCLI(t, ws, "", "request", "bank", "GET", "/").must(t, 0)
	if !strings.Contains(r.stdout, `"client": "ann"`) || !strings.Contains(r.stderr, "HTTP/2.0 200 OK") {
		t.Fatalf("request: %s / %s", r.stdout, r.stderr)
	}
	show := runCLI(t, ws, "", "resource", "show", "bank").must(t, 0)
	for _, want := range []string{"client cert: certs/ann.crt", "client key:  certs/ann.key", "passphrase:  ", "(in the keychain)", "CA:          certs/root.pem"} {
		if !strings.Contains(show.stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, show.stdout)
		}
	}

	// Without its CA, the server is not trusted; --insecure reaches it and says what that means.
	runCLI(t, ws, "", "resource", "add", "untrusted", "--base-url", srv.URL, "--client-cert", certFile, "--client-key", keyFile, "--secret-stdin").must(t, 2)
	r = runCLI(t, ws, "open sesame", "resource", "add", "careless", "--base-url", srv.URL, "--insecure", "--client-cert", certFile, "--client-key", keyFile, "--secret-stdin").must(t, 0)
	if !strings.Contains(r.stderr, "does not check the TLS certificates of its servers (--insecure)") {
		t.Errorf("no warning: %s", r.stderr)
	}
	runCLI(t, ws, "", "request", "careless", "GET", "/").must(t, 0)
}

// digestHandler wants HTTP Digest (MD5, qop=auth) for user and password, computed here from RFC 7616.
func digestHandler(user, password string) http.HandlerFunc {
	param := regexp.MustCompile(`(\w+)=(?:"([^"]*)"|([^,\s]*))`)
	h := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	return func(w http.ResponseWriter, r *http.Request) {
		p := map[string]string{}
		if rest, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Digest "); ok {
			for _, m := range param.FindAllStringSubmatch(rest, -1) {
				p[m[1]] = m[2] + m[3]
			}
		}
		ha1, ha2 := h(user+":cli@example:"+password), h(r.Method+":"+r.RequestURI)
		if p["username"] == user && p["uri"] == r.RequestURI && p["response"] == h(ha1+":n0nce:"+p["nc"]+":"+p["cnonce"]+":auth:"+ha2) {
			fmt.Fprintf(w, `{"hello": %q}`, user)
			return
		}
		w.Header().Set("WWW-Authenticate", `Digest realm="cli@example", nonce="n0nce", qop="auth", algorithm=MD5`)
		w.WriteHeader(http.StatusUnauthorized)
	}
}

func TestDigestFromTheCLI(t *testing.T) {
	needKeychain(t)
	srv := httptest.NewServer(digestHandler("ops", "Circle-of-Life"))
	defer srv.Close()
	ws := t.TempDir()
	runCLI(t, ws, "", "resource", "add", "intranet", "--base-url", srv.URL, "--auth", "digest", "--secret-stdin").must(t, 2)
	runCLI(t, ws, "Circle-of-Life\n", "resource", "add", "intranet", "--base-url", srv.URL, "--auth", "digest", "--username", "ops", "--secret-stdin").must(t, 0)
	r := runCLI(t, ws, "", "request", "intranet", "GET", "/reports?year=2026").must(t, 0)
	if !strings.Contains(r.stdout, `"hello": "ops"`) {
		t.Fatalf("request: %s / %s", r.stdout, r.stderr)
	}
	if show := runCLI(t, ws, "", "resource", "show", "intranet").must(t, 0); !strings.Contains(show.stdout, "auth:      Digest (username and password)\n  username: ops") {
		t.Errorf("show:\n%s", show.stdout)
	}
}

// proxyCounter is a forward proxy for CONNECT that wants Basic proxy credentials and tunnels the one host it
// knows to its address.
type proxyCounter struct {
	auth, host, addr string
	mu               sync.Mutex
	tunnels, refused int
}

func (p *proxyCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	ok := r.Header.Get("Proxy-Authorization") == p.auth
	if ok {
		p.tunnels++
	} else {
		p.refused++
	}
	p.mu.Unlock()
	if !ok || r.Method != http.MethodConnect || r.Host != p.host {
		http.Error(w, "no", http.StatusProxyAuthRequired)
		return
	}
	up, err := net.Dial("tcp", p.addr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, _ := w.(http.Hijacker).Hijack()
	_, _ = conn.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n"))
	go func() { _, _ = io.Copy(up, buf); up.Close() }()
	_, _ = io.Copy(conn, up)
	conn.Close()
}

func TestProxyFromTheCLI(t *testing.T) {
	needKeychain(t)
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"via": "tunnel", "host": %q}`, r.Host)
	}))
	defer api.Close()
	host := "example.com:" + strconv.Itoa(api.Listener.Addr().(*net.TCPAddr).Port) // httptest's certificate names example.com
	counter := &proxyCounter{auth: "Basic " + base64.StdEncoding.EncodeToString([]byte("ann:Pr0xy-pass")), host: host, addr: api.Listener.Addr().String()}
	proxy := httptest.NewServer(counter)
	defer proxy.Close()
	ws := t.TempDir()
	ca := writeTestFile(t, filepath.Join(t.TempDir(), "ca.pem"), certPEM(api.Certificate()))

	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"--proxy-user", "ann"}, "--proxy-user needs --proxy"},
		{[]string{"--proxy", "http://ann:pw@127.0.0.1:1"}, "--proxy: Proxy URL holds a username or password"},
		{[]string{"--proxy", proxy.URL, "--no-proxy"}, "choose one of --proxy, --no-proxy and --system-proxy"},
		{[]string{"--no-proxy-for", "localhost"}, "--no-proxy-for needs --proxy"},
		{[]string{"--ca-cert", filepath.Join(ws, "nope.pem")}, "--ca-cert: the CA certificate file " + filepath.Join(ws, "nope.pem") + " does not exist"},
	} {
		r := runCLI(t, ws, "", append([]string{"resource", "add", "x", "--base-url", "https://" + host}, bad.args...)...).must(t, 2)
		if !strings.Contains(r.stderr, bad.want) {
			t.Errorf("%v: %s\nwant %s", bad.args, r.stderr, bad.want)
		}
	}

	runCLI(t, ws, "Pr0xy-pass\n", "resource", "add", "erp", "--base-url", "https://"+host, "--proxy", proxy.URL,
		"--proxy-user", "ann", "--no-proxy-for", "localhost,.corp.example", "--ca-cert", ca, "--secret-stdin").must(t, 0)
	r := runCLI(t, ws, "", "request", "erp", "GET", "/").must(t, 0)
	if !strings.Contains(r.stdout, `"via": "tunnel"`) {
		t.Fatalf("request: %s / %s", r.stdout, r.stderr)
	}
	show := runCLI(t, ws, "", "resource", "show", "erp").must(t, 0)
	if !strings.Contains(show.stdout, "proxy:       "+proxy.URL+", except for localhost, .corp.example") || !strings.Contains(show.stdout, "proxy user:  ann, its password in the keychain") ||
		strings.Contains(show.stdout, "Pr0xy-pass") {
		t.Errorf("show:\n%s", show.stdout)
	}

	runCLI(t, ws, "wrong-pass\n", "resource", "add", "erp2", "--base-url", "https://"+host, "--proxy", proxy.URL,
		"--proxy-user", "ann", "--ca-cert", ca, "--secret-stdin").must(t, 0)
	r = runCLI(t, ws, "", "request", "erp2", "GET", "/").must(t, 1)
	if !strings.Contains(r.stderr, "refused the username and password (407 Proxy Authentication Required)") || strings.Contains(r.stderr, "wrong-pass") {
		t.Fatalf("wrong proxy password: %s", r.stderr)
	}
	counter.mu.Lock()
	defer counter.mu.Unlock()
	if counter.tunnels != 1 || counter.refused != 1 {
		t.Errorf("the proxy opened %d tunnels and refused %d; want 1 and 1", counter.tunnels, counter.refused)
	}
}
