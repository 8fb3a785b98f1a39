package runner

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/youmark/pkcs8"
	"golang.org/x/net/http/httpproxy"
	"software.sslmate.com/src/go-pkcs12"

	"apidesk/engine/resource"
)

// ErrNetworkSettings is matched by errors.Is when a resource's network settings cannot be used: a CA bundle or
// client certificate that is missing or is not what it should be, a key passphrase that is missing or wrong, a
// proxy URL that is not valid. The message names the file or setting to fix. Nothing was sent.
var ErrNetworkSettings = errors.New("the network settings cannot be used")

// ErrPassphrase is matched by errors.Is (with ErrNetworkSettings) when a client key is protected by a passphrase
// that was not given or is wrong.
var ErrPassphrase = errors.New("the client key passphrase is missing or wrong")

// ErrProxy is matched by errors.Is (with ErrConnect) when the proxy could not be reached or refused the request,
// its username and password say.
var ErrProxy = errors.New("the proxy failed")

// proxyKind makes a proxy's error match both ErrProxy and ErrConnect.
var proxyKind = errors.Join(ErrProxy, ErrConnect)

func settingsError(format string, args ...any) error {
	return &plainError{msg: fmt.Sprintf(format, args...), kind: ErrNetworkSettings}
}

func passphraseError(format string, args ...any) error {
	return &plainError{msg: fmt.Sprintf(format, args...), kind: ErrNetworkSettings, cause: ErrPassphrase}
}

// network returns the network settings res's requests use.
func (r *Runner) network(res *resource.Resource) resource.Network {
	if r.Network != nil {
		return r.Network(res)
	}
	return res.Network
}

// HTTPClient returns the HTTP client that sends res's requests: the runner's Client when the resource's network
// settings (with the workspace's default: Runner.Network) set nothing, and otherwise a client with their proxy
// (and its username and password, from the keychain), CA bundle, client certificate (its passphrase from the
// keychain) and certificate checking. Its transport is made once and kept while the settings and their files
// stay the same, so connections are reused. Package oauth sends a resource's token, device, revocation and
// discovery requests with it (oauth.Client.HTTPClientFor), so they take the same way as the API's.
//
// An error names the setting or file to fix and matches ErrNetworkSettings; one matching
// resource.ErrOriginChanged says the proxy changed since its password was saved.
func (r *Runner) HTTPClient(ctx context.Context, res *resource.Resource) (*http.Client, error) {
	var sent []string
	nc, err := r.clientFor(ctx, res, &sent)
	if err != nil {
		return nil, mask(err, sent)
	}
	return nc.hc, nil
}

// netClient is how one resource's requests go out: the client, and what the answers and messages need to know.
type netClient struct {
	hc       *http.Client
	insecure bool // TLS certificates are not verified
	system   bool // the proxy, if any, is the system's
}

// clientFor returns the client of res's effective network settings; sent collects the secrets read.
func (r *Runner) clientFor(ctx context.Context, res *resource.Resource, sent *[]string) (*netClient, error) {
	base := r.Client
	if base == nil {
		base = http.DefaultClient
	}
	n := r.network(res)
	if n.IsZero() {
		return &netClient{hc: base, system: true}, nil
	}
	bt, ok := base.Transport.(*http.Transport)
	if !ok {
		bt = http.DefaultTransport.(*http.Transport) // nil, or a RoundTripper these settings cannot be applied to
	}
	key := transportKey{base: bt, proxy: n.Proxy, proxyURL: strings.TrimSpace(n.ProxyURL), noProxy: strings.Join(n.NoProxy, ","),
		insecure: n.Insecure, ca: n.CACert, cert: n.ClientCert, key: n.ClientKey}
	switch n.Proxy {
	case resource.ProxyDefault, resource.ProxySystem, resource.ProxyNone:
	case resource.ProxyURL:
		if err := resource.ValidateProxyURL(key.proxyURL); err != nil {
			return nil, settingsError("the proxy of %s cannot be used: %s", res.Name, lowerFirst(err.Error()))
		}
		if res.Keeps(resource.SecretProxyAuth) {
			auth, err := r.proxyAuth(ctx, res, sent)
			if err != nil {
				return nil, err
			}
			key.auth = auth
		}
	default:
		return nil, settingsError("the proxy setting %q of %s is not known: choose system, none or url", n.Proxy, res.Name)
	}
	var err error
	for _, f := range []struct {
		path  string
		stamp *fileStamp
		what  string
	}{{n.CACert, &key.caStamp, "CA certificate"}, {n.ClientCert, &key.certStamp, "client certificate"}, {n.ClientKey, &key.keyStamp, "client key"}} {
		if f.path != "" {
			if *f.stamp, err = stampOf(f.path, f.what); err != nil {
				return nil, err
			}
		}
	}
	build := func() (*http.Transport, error) {
		return buildTransport(bt, n, key.auth, func() (string, error) { return r.passphrase(ctx, res, sent) })
	}
	var t *http.Transport
	if r.transports != nil {
		t, err = r.transports.get(key, build)
	} else if t, err = build(); err == nil {
		t.DisableKeepAlives = true // made for one request: no connection is left behind
	}
	if err != nil {
		return nil, err
	}
	hc := *base
	hc.Transport = t
	system := n.Proxy == resource.ProxyDefault || n.Proxy == resource.ProxySystem
	return &netClient{hc: &hc, insecure: n.Insecure, system: system}, nil
}

// proxyAuth reads the "username:password" of the resource's own proxy from the keychain: "" when none is
// saved. Like the other secrets, it goes only to the proxy it was saved for (resource.Origins.Proxy).
func (r *Runner) proxyAuth(ctx context.Context, res *resource.Resource, sent *[]string) (string, error) {
	if r.Secrets == nil {
		return "", nil // no keychain: the proxy says whether it wants credentials
	}
	v, err := r.Secrets.Secret(ctx, res.ID, resource.SecretProxyAuth)
	if err != nil {
		return "", fmt.Errorf("cannot read the %s of %s from the keychain: %w", resource.SecretProxyAuth.Words(), res.Name, err)
	}
	if v == "" {
		return "", nil
	}
	if _, pw, ok := strings.Cut(v, ":"); ok && pw != "" {
		*sent = append(*sent, pw)
	}
	*sent = append(*sent, v)
	origins := r.Origins
	if o, ok := r.Secrets.(Origins); ok && origins == nil {
		origins = o
	}
	if origins == nil {
		return v, nil
	}
	now := res.Origins().Proxy
	bound, err := origins.Origins(ctx, res.ID)
	if err != nil {
		return "", fmt.Errorf("cannot read from the keychain where the proxy password of %s may be sent: %w", res.Name, err)
	}
	switch {
	case bound.Proxy == "":
		// Trust on first use, as for the API's secrets: bound to the proxy they first go to.
		if err := origins.SetOrigins(ctx, res.ID, resource.Origins{Proxy: now}); err != nil {
			return "", fmt.Errorf("cannot record in the keychain where the proxy password of %s may be sent: %w", res.Name, err)
		}
	case bound.Proxy != now:
		return "", &resource.OriginChangedError{Resource: res.Name, ID: res.ID, Was: bound.Proxy, Now: now, Proxy: true}
	}
	return v, nil
}

// passphrase reads the passphrase of the resource's own client key from the keychain: "" when none is saved.
func (r *Runner) passphrase(ctx context.Context, res *resource.Resource, sent *[]string) (string, error) {
	if r.Secrets == nil || !res.Keeps(resource.SecretKeyPassphrase) {
		return "", nil
	}
	v, err := r.Secrets.Secret(ctx, res.ID, resource.SecretKeyPassphrase)
	if err != nil {
		return "", fmt.Errorf("cannot read the %s of %s from the keychain: %w", resource.SecretKeyPassphrase.Words(), res.Name, err)
	}
	if v != "" {
		*sent = append(*sent, v)
	}
	return v, nil
}

// fileStamp tells a changed file from the one read before.
type fileStamp struct {
	mod  int64
	size int64
}

func stampOf(path, what string) (fileStamp, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fileStamp{}, settingsError("the %s file %s does not exist: choose the right file in the network settings", what, path)
	case err != nil:
		return fileStamp{}, settingsError("cannot read the %s file %s: %s", what, path, lowerFirst(unwrapPath(err).Error()))
	case fi.IsDir():
		return fileStamp{}, settingsError("the %s %s is a folder: choose the file in it", what, path)
	}
	return fileStamp{fi.ModTime().UnixNano(), fi.Size()}, nil
}

// unwrapPath drops the path and operation an *fs.PathError repeats: the messages name the file themselves.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// transportKey says which transport serves a request: the settings, the runner's own transport they start
// from, the proxy's credentials, and the state of the files read.
type transportKey struct {
	base                         *http.Transport
	proxy, proxyURL, noProxy     string
	auth                         string
	ca, cert, key                string
	caStamp, certStamp, keyStamp fileStamp
	insecure                     bool
}

// maxTransports is how many transports a runner keeps; the one least recently used goes first.
const maxTransports = 16

// transports keeps the transports made for network settings, so that requests with the same settings reuse
// their connections.
type transports struct {
	mu    sync.Mutex
	byKey map[transportKey]*keptTransport
	clock uint64
}

type keptTransport struct {
	t    *http.Transport
	used uint64
}

func newTransports() *transports { return &transports{byKey: map[transportKey]*keptTransport{}} }

// get returns the transport of key, made with build when there is none yet. A failure is not kept: the
// next request tries again (with a file or passphrase put right).
func (ts *transports) get(key transportKey, build func() (*http.Transport, error)) (*http.Transport, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.clock++
	if k, ok := ts.byKey[key]; ok {
		k.used = ts.clock
		return k.t, nil
	}
	t, err := build()
	if err != nil {
		return nil, err
	}
	ts.byKey[key] = &keptTransport{t: t, used: ts.clock}
	if len(ts.byKey) > maxTransports {
		var oldest transportKey
		first := true
		for k, v := range ts.byKey {
			if first || v.used < ts.byKey[oldest].used {
				oldest, first = k, false
			}
		}
		ts.byKey[oldest].t.CloseIdleConnections()
		delete(ts.byKey, oldest)
	}
	return t, nil
}

// buildTransport makes the transport of network settings n from base (the runner's own): its proxy, with
// auth ("username:password") for a proxy URL, and its TLS settings. passphrase is asked only for a key that
// needs one.
func buildTransport(base *http.Transport, n resource.Network, auth string, passphrase func() (string, error)) (*http.Transport, error) {
	t := base.Clone()
	t.ForceAttemptHTTP2 = true // a TLS config of our own would otherwise turn HTTP/2 off
	system := false
	switch n.Proxy {
	case resource.ProxyNone:
		t.Proxy = nil
	case resource.ProxyURL:
		u, err := url.Parse(strings.TrimSpace(n.ProxyURL))
		if err != nil {
			return nil, settingsError("the proxy URL is not valid: write it as http://host:port")
		}
		if user, pw, ok := strings.Cut(auth, ":"); auth != "" {
			if ok {
				u.User = url.UserPassword(user, pw)
			} else {
				u.User = url.User(user)
			}
		}
		pf := (&httpproxy.Config{HTTPProxy: u.String(), HTTPSProxy: u.String(), NoProxy: strings.Join(n.NoProxy, ",")}).ProxyFunc()
		t.Proxy = func(req *http.Request) (*url.URL, error) { return pf(req.URL) }
	default:
		t.Proxy = http.ProxyFromEnvironment
		system = true
	}
	t.OnProxyConnectResponse = proxyConnectResponse(system)

	cfg := t.TLSClientConfig
	if cfg == nil {
		cfg = &tls.Config{}
	}
	if n.CACert != "" {
		pool := cfg.RootCAs
		if pool != nil {
			pool = pool.Clone()
		} else if sys, err := x509.SystemCertPool(); err == nil {
			pool = sys
		} else {
			pool = x509.NewCertPool()
		}
		if err := addCAs(pool, n.CACert); err != nil {
			return nil, err
		}
		cfg.RootCAs = pool
	}
	if n.ClientCert != "" {
		cert, err := loadClientCert(n.ClientCert, n.ClientKey, passphrase)
		if err != nil {
			return nil, err
		}
		// Sent whatever authorities the server lists as acceptable, as curl does: the server decides.
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil }
	}
	cfg.InsecureSkipVerify = n.Insecure
	t.TLSClientConfig = cfg
	return t, nil
}

// CheckCACert reads a PEM bundle of CA certificates as the runner does, for a form or the CLI to check it before
// it is saved. Errors name the file and what to fix, and match ErrNetworkSettings.
func CheckCACert(path string) error { return addCAs(x509.NewCertPool(), path) }

// addCAs adds the certificates of the PEM bundle at path to pool.
func addCAs(pool *x509.CertPool, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return readError("CA certificate", path, err)
	}
	n := 0
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return settingsError("a certificate in the CA file %s cannot be read (%s): choose a PEM file of CA certificates", path, strings.TrimPrefix(err.Error(), "x509: "))
		}
		pool.AddCert(c)
		n++
	}
	if n == 0 {
		return settingsError("the CA file %s holds no certificate (no -----BEGIN CERTIFICATE----- block): choose a PEM file of CA certificates", path)
	}
	return nil
}

func readError(what, path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return settingsError("the %s file %s does not exist: choose the right file in the network settings", what, path)
	}
	return settingsError("cannot read the %s file %s: %s", what, path, lowerFirst(unwrapPath(err).Error()))
}

// LoadClientCert reads a client certificate as the runner does: a PEM file of the certificate (and its chain)
// with its private key in it or in keyFile, or a PKCS#12 file (.p12, .pfx; keyFile then empty). passphrase
// unlocks an encrypted key: PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY), OpenSSL's older Proc-Type: 4,ENCRYPTED, or
// PKCS#12's. Errors name the file and what to fix, and match ErrNetworkSettings; a key that needs a
// passphrase which is missing or wrong matches ErrPassphrase too. A form or the CLI calls it to check a
// certificate before saving it.
func LoadClientCert(certFile, keyFile, passphrase string) (tls.Certificate, error) {
	return loadClientCert(certFile, keyFile, func() (string, error) { return passphrase, nil })
}

func loadClientCert(certFile, keyFile string, passphrase func() (string, error)) (tls.Certificate, error) {
	data, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, readError("client certificate", certFile, err)
	}
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		if keyFile != "" {
			return tls.Certificate{}, settingsError("the client certificate %s is not PEM, so it should be a PKCS#12 file (.p12, .pfx), which holds its "+
				"own key: leave Client key empty", certFile)
		}
		return loadPKCS12(data, certFile, passphrase)
	}
	var certs []*x509.Certificate
	var der [][]byte
	keyData, keyPath := data, certFile
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return tls.Certificate{}, settingsError("the certificate in %s cannot be read (%s): choose a PEM certificate file", certFile, strings.TrimPrefix(err.Error(), "x509: "))
			}
			certs, der = append(certs, c), append(der, b.Bytes)
		}
	}
	if len(certs) == 0 {
		return tls.Certificate{}, settingsError("the client certificate file %s holds no certificate (no -----BEGIN CERTIFICATE----- block): "+
			"choose the certificate file, and its key under Client key", certFile)
	}
	if keyFile != "" {
		if keyData, err = os.ReadFile(keyFile); err != nil {
			return tls.Certificate{}, readError("client key", keyFile, err)
		}
		keyPath = keyFile
	}
	key, err := parseKey(keyData, keyPath, passphrase)
	if err != nil {
		return tls.Certificate{}, err
	}
	if err := matches(certs[0], key, certFile, keyPath); err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: der, PrivateKey: key, Leaf: certs[0]}, nil
}

func loadPKCS12(data []byte, path string, passphrase func() (string, error)) (tls.Certificate, error) {
	pw, err := passphrase()
	if err != nil {
		return tls.Certificate{}, err
	}
	key, cert, chain, err := pkcs12.DecodeChain(data, pw)
	if errors.Is(err, pkcs12.ErrIncorrectPassword) || errors.Is(err, pkcs12.ErrDecryption) {
		if pw == "" {
			return tls.Certificate{}, passphraseError("the client certificate %s is protected by a passphrase: enter it in the network settings", path)
		}
		return tls.Certificate{}, passphraseError("the passphrase of the client certificate %s is wrong: enter the right one in the network settings", path)
	}
	if err != nil {
		return tls.Certificate{}, settingsError("the client certificate %s is neither a PEM file nor a PKCS#12 file (.p12, .pfx) that apidesk can read (%s)",
			path, strings.TrimPrefix(err.Error(), "pkcs12: "))
	}
	if err := matches(cert, key, path, path); err != nil {
		return tls.Certificate{}, err
	}
	out := tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}
	for _, c := range chain {
		out.Certificate = append(out.Certificate, c.Raw)
	}
	return out, nil
}

// parseKey finds the private key in a PEM file and decrypts it with the passphrase when it is encrypted.
func parseKey(data []byte, path string, passphrase func() (string, error)) (crypto.PrivateKey, error) {
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if !strings.HasSuffix(b.Type, "PRIVATE KEY") {
			continue
		}
		der := b.Bytes
		if b.Type == "ENCRYPTED PRIVATE KEY" || legacyEncrypted(b) {
			pw, err := passphrase()
			if err != nil {
				return nil, err
			}
			if pw == "" {
				return nil, passphraseError("the client key in %s is protected by a passphrase: enter it in the network settings", path)
			}
			if b.Type == "ENCRYPTED PRIVATE KEY" {
				key, err := pkcs8.ParsePKCS8PrivateKey(der, []byte(pw))
				switch {
				case err != nil && (strings.Contains(err.Error(), "unsupported") || strings.Contains(err.Error(), "only")):
					return nil, settingsError("the client key in %s is encrypted in a way apidesk cannot read (%s): export it again with a PBES2 cipher "+
						"(openssl pkcs8 -topk8 -v2 aes-256-cbc)", path, strings.TrimPrefix(err.Error(), "pkcs8: "))
				case err != nil:
					return nil, passphraseError("the passphrase of the client key in %s is wrong: enter the right one in the network settings", path)
				}
				return key, nil
			}
			if der, err = legacyDecrypt(b, pw); err != nil {
				return nil, passphraseError("the passphrase of the client key in %s is wrong: enter the right one in the network settings", path)
			}
		}
		key, err := parsePlainKey(der)
		if err != nil {
			return nil, settingsError("the private key in %s cannot be read (%s): choose a PEM key file", path, strings.TrimPrefix(err.Error(), "x509: "))
		}
		return key, nil
	}
	return nil, settingsError("no private key was found in %s (no -----BEGIN … PRIVATE KEY----- block): choose the key file under Client key", path)
}

// legacyEncrypted reports whether b is a key encrypted the way OpenSSL did before PKCS#8 (Proc-Type:
// 4,ENCRYPTED). Go deprecates the format as insecure by design, but such keys are still in use: apidesk reads
// them, never writes them.
func legacyEncrypted(b *pem.Block) bool {
	//lint:ignore SA1019 see above
	return x509.IsEncryptedPEMBlock(b)
}

// legacyDecrypt decrypts a key that legacyEncrypted reports. A wrong passphrase is usually, not always, an
// error here; a wrong one that gets through gives bytes that parse as no key.
func legacyDecrypt(b *pem.Block, passphrase string) ([]byte, error) {
	//lint:ignore SA1019 see legacyEncrypted
	der, err := x509.DecryptPEMBlock(b, []byte(passphrase))
	if err == nil {
		if _, perr := parsePlainKey(der); perr != nil {
			return nil, x509.IncorrectPasswordError
		}
	}
	return der, err
}

func parsePlainKey(der []byte) (crypto.PrivateKey, error) {
	if key, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return key, nil
	}
	if key, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return key, nil
	}
	return x509.ParseECPrivateKey(der)
}

// matches checks that key is the private key of cert's public key.
func matches(cert *x509.Certificate, key crypto.PrivateKey, certPath, keyPath string) error {
	var pub crypto.PublicKey
	switch k := key.(type) {
	case *rsa.PrivateKey:
		pub = k.Public()
	case *ecdsa.PrivateKey:
		pub = k.Public()
	case ed25519.PrivateKey:
		pub = k.Public()
	default:
		return settingsError("the private key in %s is of a kind apidesk cannot use (%T): use an RSA, ECDSA or Ed25519 key", keyPath, key)
	}
	if eq, ok := pub.(interface{ Equal(crypto.PublicKey) bool }); !ok || !eq.Equal(cert.PublicKey) {
		if certPath == keyPath {
			return settingsError("the certificate and the private key in %s do not belong together: choose the key made with this certificate", certPath)
		}
		return settingsError("the client certificate %s does not match the key %s: choose the key that was made with this certificate", certPath, keyPath)
	}
	return nil
}

// proxyRefusal is what a proxy answered to a CONNECT other than 200: its status and whether credentials were sent.
type proxyRefusal struct {
	proxy    string // host:port
	target   string
	status   string
	code     int
	withAuth bool
	system   bool
}

// Is makes a refusal match ErrProxy and ErrConnect, also where it reaches the caller unexplained (package
// oauth's requests).
func (e *proxyRefusal) Is(target error) bool { return target == ErrProxy || target == ErrConnect }

func (e *proxyRefusal) Error() string {
	where := proxySettings(e.system)
	switch {
	case e.code == http.StatusProxyAuthRequired && e.withAuth:
		return fmt.Sprintf("the proxy %s refused the username and password (%s): check the proxy's username and password in %s", e.proxy, e.status, where)
	case e.code == http.StatusProxyAuthRequired:
		return fmt.Sprintf("the proxy %s asks for a username and password (%s): enter them in %s", e.proxy, e.status, where)
	}
	return fmt.Sprintf("the proxy %s refused to connect to %s (%s): check %s, or ask whoever runs the proxy", e.proxy, e.target, e.status, where)
}

// proxySettings says where the proxy in use is set.
func proxySettings(system bool) string {
	if system {
		return "the system's proxy settings (HTTPS_PROXY and HTTP_PROXY), or choose a proxy in the resource's network settings"
	}
	return "the resource's network settings"
}

// proxyConnectResponse turns a proxy's refusal of a CONNECT into a *proxyRefusal.
func proxyConnectResponse(system bool) func(context.Context, *url.URL, *http.Request, *http.Response) error {
	return func(_ context.Context, proxy *url.URL, req *http.Request, resp *http.Response) error {
		if resp.StatusCode == http.StatusOK {
			return nil
		}
		return &proxyRefusal{proxy: proxy.Host, target: req.Host, status: resp.Status, code: resp.StatusCode, withAuth: proxy.User != nil, system: system}
	}
}

// proxyOf returns the proxy the transport rt sends req through, or nil.
func proxyOf(rt http.RoundTripper, req *http.Request) *url.URL {
	if rt == nil {
		rt = http.DefaultTransport
	}
	t, ok := rt.(*http.Transport)
	if !ok || t.Proxy == nil || req == nil {
		return nil
	}
	u, err := t.Proxy(req)
	if err != nil {
		return nil
	}
	return u
}
