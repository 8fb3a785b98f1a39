package runner_test

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/youmark/pkcs8"
	"software.sslmate.com/src/go-pkcs12"

	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// newTLSServer starts an HTTPS server (HTTP/2 offered) whose certificate the CA issued for 127.0.0.1;
// with clients set, it requires a client certificate issued by that pool's CA, and answers its common name.
func newTLSServer(t *testing.T, ca *testCA, clients *x509.CertPool) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cn := ""
		if len(r.TLS.PeerCertificates) > 0 {
			cn = r.TLS.PeerCertificates[0].Subject.CommonName
		}
		fmt.Fprintf(w, "client=%s proto=%s", cn, r.Proto)
	}))
	srv.EnableHTTP2 = true
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.issue(t, "server", false, "127.0.0.1").tls()}}
	if clients != nil {
		srv.TLS.ClientAuth = tls.RequireAndVerifyClientCert
		srv.TLS.ClientCAs = clients
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestPrivateCA(t *testing.T) {
	ca := newCA(t, "Private Root")
	srv := newTLSServer(t, ca, nil)
	dir := t.TempDir()
	caFile := writeFile(t, dir, "ca.pem", ca.pem)
	rn := runner.New(nil, nil)
	res := newResource(srv.URL)

	_, err := rn.Do(context.Background(), res, get("/"), nil)
	if !errors.Is(err, runner.ErrTLS) || !strings.Contains(err.Error(), "not trust") || !strings.Contains(err.Error(), "CA certificate in the resource's network settings") {
		t.Fatalf("without the CA: %v", err)
	}

	res.Network.CACert = caFile
	resp := do(t, rn, res, get("/"), nil)
	if resp.StatusCode != 200 || resp.Proto != "HTTP/2.0" || resp.TLSVersion != "TLS 1.3" || resp.Insecure {
		t.Fatalf("with the CA: %s %s %q insecure=%v: %s", resp.Status, resp.Proto, resp.TLSVersion, resp.Insecure, resp.Body)
	}
	// The same settings reuse the connection.
	if again := do(t, rn, res, get("/"), nil); !again.Timing.Reused {
		t.Error("the second request with the same settings made a new connection")
	}

	// A CA file that changed is read again: the transport made from the old one is not used.
	if err := os.WriteFile(caFile, newCA(t, "Another Root").pem, 0o600); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(caFile, later, later); err != nil {
		t.Fatal(err)
	}
	if _, err := rn.Do(context.Background(), res, get("/"), nil); !errors.Is(err, runner.ErrTLS) {
		t.Fatalf("with another CA in the file: %v", err)
	}
	if err := os.WriteFile(caFile, ca.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, rn, res, get("/"), nil)

	insecure := newResource(srv.URL)
	insecure.Network.Insecure = true
	resp = do(t, rn, insecure, get("/"), nil)
	if resp.StatusCode != 200 || !resp.Insecure || resp.TLSVersion == "" {
		t.Fatalf("insecure: %s insecure=%v %q", resp.Status, resp.Insecure, resp.TLSVersion)
	}

	// The workspace's default applies to a resource that sets nothing.
	deflt := &runner.Runner{Network: func(r *resource.Resource) resource.Network { return r.Network.Or(resource.Network{CACert: caFile}) }}
	if resp := do(t, deflt, newResource(srv.URL), get("/"), nil); resp.StatusCode != 200 || resp.Insecure {
		t.Fatalf("with the workspace's CA: %s", resp.Status)
	}

	plain := newEcho(t)
	if resp := do(t, rn, &resource.Resource{ID: "p", Name: "Plain", BaseURL: plain.URL, Network: resource.Network{Insecure: true}}, get("/"), nil); resp.TLSVersion != "" || resp.Insecure {
		t.Errorf("plain http: TLS %q, insecure %v", resp.TLSVersion, resp.Insecure)
	}
}

func TestBadCAFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.pem")
	notPEM := writeFile(t, dir, "notes.txt", []byte("hello"))
	tests := []struct{ name, path, want string }{
		{"missing", missing, "the CA certificate file " + missing + " does not exist: choose the right file in the network settings"},
		{"no certificate", notPEM, "the CA file " + notPEM + " holds no certificate (no -----BEGIN CERTIFICATE----- block): choose a PEM file of CA certificates"},
		{"a folder", dir, "the CA certificate " + dir + " is a folder: choose the file in it"},
	}
	srv := newEcho(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := newResource(srv.URL)
			res.Network.CACert = tt.path
			_, err := runner.New(nil, nil).Do(context.Background(), res, get("/"), nil)
			if !errors.Is(err, runner.ErrNetworkSettings) || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}

// clientFiles are the client certificate files of one test, in every form the runner reads.
type clientFiles struct {
	cert, key, combined   string // PEM
	encPKCS8, encLegacy   string // the key encrypted with passphrase
	p12                   string // PKCS#12 with passphrase
	otherKey, keyAsCert   string // a key of another certificate; a PEM holding only a key
	missing               string
	passphrase, wrongPass string
}

func makeClientFiles(t *testing.T, ca *testCA) clientFiles {
	t.Helper()
	dir := t.TempDir()
	l := ca.issue(t, "ann", true)
	f := clientFiles{passphrase: "correct horse", wrongPass: "battery staple"}
	f.cert = writeFile(t, dir, "ann.crt", l.certPEM)
	f.key = writeFile(t, dir, "ann.key", l.keyPEM)
	f.combined = writeFile(t, dir, "ann.pem", l.certPEM, l.keyPEM)
	enc, err := pkcs8.MarshalPrivateKey(l.key, []byte(f.passphrase), nil)
	if err != nil {
		t.Fatal(err)
	}
	f.encPKCS8 = writeFile(t, dir, "ann-pkcs8.key", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc}))
	ecDER, err := x509.MarshalECPrivateKey(l.key)
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 the older format is what some people still have; the runner must read it
	legacy, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", ecDER, []byte(f.passphrase), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	f.encLegacy = writeFile(t, dir, "ann-legacy.key", pem.EncodeToMemory(legacy))
	p12, err := pkcs12.Modern.Encode(l.key, l.cert, []*x509.Certificate{ca.cert}, f.passphrase)
	if err != nil {
		t.Fatal(err)
	}
	f.p12 = writeFile(t, dir, "ann.p12", p12)
	f.otherKey = writeFile(t, dir, "bob.key", ca.issue(t, "bob", true).keyPEM)
	f.keyAsCert = f.key
	f.missing = filepath.Join(dir, "gone.crt")
	return f
}

func TestClientCertificate(t *testing.T) {
	ca := newCA(t, "Client Root")
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	srv := newTLSServer(t, ca, pool)
	caFile := writeFile(t, t.TempDir(), "ca.pem", ca.pem)
	f := makeClientFiles(t, ca)

	tests := []struct {
		name, cert, key, passphrase string
		want                        string // the answer's body, or the error's text
		kind                        error
	}{
		{"PEM cert and key", f.cert, f.key, "", "client=ann proto=HTTP/2.0", nil},
		{"one PEM file", f.combined, "", "", "client=ann proto=HTTP/2.0", nil},
		{"encrypted PKCS#8 key", f.cert, f.encPKCS8, f.passphrase, "client=ann proto=HTTP/2.0", nil},
		{"encrypted legacy key", f.cert, f.encLegacy, f.passphrase, "client=ann proto=HTTP/2.0", nil},
		{"PKCS#12", f.p12, "", f.passphrase, "client=ann proto=HTTP/2.0", nil},
		{"no certificate", "", "", "", "refused the secure connection", runner.ErrTLS},
		{"wrong PKCS#8 passphrase", f.cert, f.encPKCS8, f.wrongPass,
			"the passphrase of the client key in " + f.encPKCS8 + " is wrong: enter the right one in the network settings", runner.ErrPassphrase},
		{"wrong legacy passphrase", f.cert, f.encLegacy, f.wrongPass,
			"the passphrase of the client key in " + f.encLegacy + " is wrong: enter the right one in the network settings", runner.ErrPassphrase},
		{"no passphrase", f.cert, f.encPKCS8, "",
			"the client key in " + f.encPKCS8 + " is protected by a passphrase: enter it in the network settings", runner.ErrPassphrase},
		{"wrong PKCS#12 passphrase", f.p12, "", f.wrongPass,
			"the passphrase of the client certificate " + f.p12 + " is wrong: enter the right one in the network settings", runner.ErrPassphrase},
		{"key of another certificate", f.cert, f.otherKey, "",
			"the client certificate " + f.cert + " does not match the key " + f.otherKey + ": choose the key that was made with this certificate", runner.ErrNetworkSettings},
		{"PEM with no certificate", f.keyAsCert, f.key, "",
			"the client certificate file " + f.keyAsCert + " holds no certificate (no -----BEGIN CERTIFICATE----- block): choose the certificate file, and its key under Client key", runner.ErrNetworkSettings},
		{"no key", f.cert, "", "",
			"no private key was found in " + f.cert + " (no -----BEGIN … PRIVATE KEY----- block): choose the key file under Client key", runner.ErrNetworkSettings},
		{"missing file", f.missing, "", "",
			"the client certificate file " + f.missing + " does not exist: choose the right file in the network settings", runner.ErrNetworkSettings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := newResource(srv.URL)
			res.Network = resource.Network{CACert: caFile, ClientCert: tt.cert, ClientKey: tt.key}
			keys := newKeychain(res.ID, secrets{resource.SecretKeyPassphrase: tt.passphrase})
			resp, err := runner.New(keys, nil).Do(context.Background(), res, get("/"), nil)
			if tt.kind == nil {
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Close()
				if string(resp.Body) != tt.want {
					t.Fatalf("answer %q, want %q", resp.Body, tt.want)
				}
				return
			}
			if err == nil {
				resp.Close()
				t.Fatalf("no error; answer %s", resp.Body)
			}
			t.Log(err)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v\nwant %q (%v)", err, tt.want, tt.kind)
			}
			if tt.passphrase != "" && strings.Contains(err.Error(), tt.passphrase) {
				t.Fatal("the error shows the passphrase")
			}
		})
	}
}

func TestLoadClientCert(t *testing.T) {
	ca := newCA(t, "Root")
	f := makeClientFiles(t, ca)
	c, err := runner.LoadClientCert(f.p12, "", f.passphrase)
	if err != nil || c.Leaf.Subject.CommonName != "ann" || len(c.Certificate) != 2 {
		t.Fatalf("PKCS#12: %v (%d certificates)", err, len(c.Certificate))
	}
	if _, err := runner.LoadClientCert(f.p12, "", ""); !errors.Is(err, runner.ErrPassphrase) || !strings.Contains(err.Error(), "protected by a passphrase") {
		t.Fatalf("PKCS#12 without its passphrase: %v", err)
	}
	if _, err := runner.LoadClientCert(f.p12, f.key, f.passphrase); err == nil || !strings.Contains(err.Error(), "leave Client key empty") {
		t.Fatalf("PKCS#12 with a key file: %v", err)
	}
	garbage := writeFile(t, t.TempDir(), "x.p12", []byte{0x30, 0x03, 0x02, 0x01, 0x03})
	if _, err := runner.LoadClientCert(garbage, "", "pw"); !errors.Is(err, runner.ErrNetworkSettings) || !strings.Contains(err.Error(), "neither a PEM file nor a PKCS#12 file") {
		t.Fatalf("garbage: %v", err)
	}
	if err := os.Chmod(f.key, 0); err == nil && os.Geteuid() != 0 {
		if _, err := runner.LoadClientCert(f.cert, f.key, ""); !strings.Contains(err.Error(), "cannot read the client key file "+f.key) {
			t.Fatalf("unreadable key: %v", err)
		}
	}
}
