package oauth

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// tunnelProxy is a forward proxy for https: it answers CONNECT, wants Proxy-Authorization, counts the
// tunnels it opened, and sends the tunnel for the host in route to the address there.
type tunnelProxy struct {
	*httptest.Server
	auth  string
	route [2]string // asked host:port, address dialled

	mu      sync.Mutex
	tunnels int
	refused int
}

func newTunnelProxy(t *testing.T, user, pass string, route [2]string) *tunnelProxy {
	p := &tunnelProxy{auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass)), route: route}
	p.Server = httptest.NewServer(p)
	t.Cleanup(p.Close)
	return p
}

func (p *tunnelProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	ok := r.Header.Get("Proxy-Authorization") == p.auth
	if ok {
		p.tunnels++
	} else {
		p.refused++
	}
	p.mu.Unlock()
	switch {
	case !ok:
		http.Error(w, "who are you?", http.StatusProxyAuthRequired)
		return
	case r.Method != http.MethodConnect || r.Host != p.route[0]:
		http.Error(w, "no route to "+r.Host, http.StatusBadGateway)
		return
	}
	upstream, err := net.Dial("tcp", p.route[1])
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	_, _ = conn.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n"))
	go func() {
		_, _ = io.Copy(upstream, buf)
		upstream.Close()
	}()
	_, _ = io.Copy(conn, upstream)
	conn.Close()
}

func (p *tunnelProxy) counts() (tunnels, refused int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tunnels, p.refused
}

// The token, login test and revocation requests of a resource go through the proxy of its network settings,
// with its CA bundle, as its API requests do: the authorization server is reachable only through the proxy.
func TestRequestsTakeTheResourcesProxy(t *testing.T) {
	ctx := t.Context()
	a := newTestAS(t)
	secure := httptest.NewUnstartedServer(a.srv.Config.Handler)
	secure.StartTLS() // httptest's certificate is for example.com, among others
	t.Cleanup(secure.Close)
	host := "example.com:" + strconv.Itoa(secure.Listener.Addr().(*net.TCPAddr).Port)
	proxy := newTunnelProxy(t, "ann", "pr0xy-pw", [2]string{host, secure.Listener.Addr().String()})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: secure.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}

	store := newMemStore()
	r := a.resource()
	o := &r.Auth.OAuth2
	o.Grant = resource.GrantClientCredentials
	o.TokenURL, o.RevokeURL, o.LoginTestURL = "https://"+host+"/token", "https://"+host+"/revoke", "https://"+host+"/me"
	r.Network = resource.Network{Proxy: resource.ProxyURL, ProxyURL: proxy.URL, CACert: caFile}
	if err := store.Set(ctx, r.ID, resource.SecretClientSecret, a.secret); err != nil {
		t.Fatal(err)
	}
	proxyAuth := "ann:pr0xy-pw"
	rn := runner.New(runner.SecretsFunc(func(_ context.Context, id string, k resource.SecretKind) (string, error) {
		if id == r.ID && k == resource.SecretProxyAuth {
			return proxyAuth, nil
		}
		return "", nil
	}), nil)
	c := newClient(t, store)
	c.HTTPClientFor = rn.HTTPClient

	tok, err := c.AccessToken(ctx, r)
	if err != nil || tok == "" || a.count("client_credentials") != 1 {
		t.Fatalf("AccessToken = %q, %v (%d token requests)", tok, err, a.count("client_credentials"))
	}
	if lc, err := c.CheckLogin(ctx, r); err != nil || !lc.OK {
		t.Fatalf("CheckLogin = %+v, %v", lc, err)
	}
	if revoked, err := c.SignOut(ctx, r); err != nil || !revoked {
		t.Fatalf("SignOut = %v, %v", revoked, err)
	}
	if tunnels, refused := proxy.counts(); tunnels == 0 || refused != 0 {
		t.Fatalf("the proxy opened %d tunnels and refused %d", tunnels, refused)
	}

	// Without a way through the proxy, the token request fails, saying so.
	proxyAuth = "ann:wrong"
	if err := store.Set(ctx, r.ID, resource.SecretClientSecret, a.secret); err != nil {
		t.Fatal(err)
	}
	_, err = newClientFor(t, store, rn).AccessToken(ctx, r)
	if !errors.Is(err, runner.ErrProxy) || !strings.Contains(err.Error(), "the proxy "+strings.TrimPrefix(proxy.URL, "http://")+" refused the username and password") {
		t.Fatalf("with the wrong proxy password: %v", err)
	}
	noSecrets(t, err, "wrong", a.secret)

	// A network setting that cannot be used is said before anything is sent.
	broken := *r
	broken.Network.CACert = filepath.Join(t.TempDir(), "missing.pem")
	if _, err := newClientFor(t, store, rn).AccessToken(ctx, &broken); !errors.Is(err, runner.ErrNetworkSettings) {
		t.Fatalf("with a missing CA file: %v", err)
	}
}

func newClientFor(t *testing.T, store SecretStore, rn *runner.Runner) *Client {
	c := newClient(t, store)
	c.HTTPClientFor = rn.HTTPClient
	return c
}
