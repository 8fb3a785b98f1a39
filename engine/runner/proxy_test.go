package runner_test

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// forwardProxy is an HTTP forward proxy: CONNECT tunnels for https and whole requests for http. It counts what
// went through it, wants Proxy-Authorization when user is set, and sends a request for a host in routes to the
// address given there (so that the tests need no name server).
type forwardProxy struct {
	*httptest.Server
	user, pass string
	routes     map[string]string

	mu       sync.Mutex
	connects int
	plain    int
	refused  int
}

func newForwardProxy(t *testing.T, user, pass string, routes map[string]string) *forwardProxy {
	t.Helper()
	p := &forwardProxy{user: user, pass: pass, routes: routes}
	p.Server = httptest.NewServer(p)
	t.Cleanup(p.Close)
	return p
}

func (p *forwardProxy) counts() (connects, plain, refused int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.connects, p.plain, p.refused
}

func (p *forwardProxy) addr(host string) string {
	if a, ok := p.routes[host]; ok {
		return a
	}
	return host
}

func (p *forwardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.user != "" && r.Header.Get("Proxy-Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte(p.user+":"+p.pass)) {
		p.mu.Lock()
		p.refused++
		p.mu.Unlock()
		w.Header().Set("Proxy-Authenticate", `Basic realm="test proxy"`)
		http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
		return
	}
	if r.Method == http.MethodConnect {
		p.mu.Lock()
		p.connects++
		p.mu.Unlock()
		upstream, err := net.Dial("tcp", p.addr(r.Host))
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
		return
	}
	if !r.URL.IsAbs() {
		http.Error(w, "not a proxy request", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.plain++
	p.mu.Unlock()
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Authorization")
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, p.addr(r.URL.Host))
	}}
	defer tr.CloseIdleConnections()
	resp, err := tr.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// mappedClient dials the hosts in routes at the addresses given there, and any other address as it is: a
// request that goes straight to api.example.test needs no name server either.
func mappedClient(routes map[string]string) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if a, ok := routes[addr]; ok {
			addr = a
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: t}
}

// originKeychain is a keychain that also records where each resource's secrets may go (runner.Origins).
type originKeychain struct {
	*keychain
	origins resource.Origins
}

func (k *originKeychain) Origins(context.Context, string) (resource.Origins, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.origins, nil
}

func (k *originKeychain) SetOrigins(_ context.Context, _ string, o resource.Origins) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if o.API != "" {
		k.origins.API = o.API
	}
	if o.Proxy != "" {
		k.origins.Proxy = o.Proxy
	}
	return nil
}

// proxyPeers are the servers of a proxy test: an http and an https API reached by name through the proxy.
type proxyPeers struct {
	httpURL, httpsURL string
	caFile            string
	routes            map[string]string
}

func newProxyPeers(t *testing.T) proxyPeers {
	t.Helper()
	plain := newEcho(t)
	ca := newCA(t, "Proxy Test Root")
	secure := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "secure "+r.Proto+" "+r.Host)
	}))
	secure.EnableHTTP2 = true
	secure.TLS = &tls.Config{Certificates: []tls.Certificate{ca.issue(t, "api", false, "api.example.test").tls()}}
	secure.StartTLS()
	t.Cleanup(secure.Close)
	httpHost := "api.example.test:" + strconv.Itoa(plain.Listener.Addr().(*net.TCPAddr).Port)
	httpsHost := "api.example.test:" + strconv.Itoa(secure.Listener.Addr().(*net.TCPAddr).Port)
	return proxyPeers{
		httpURL: "http://" + httpHost, httpsURL: "https://" + httpsHost,
		caFile: writeFile(t, t.TempDir(), "ca.pem", ca.pem),
		routes: map[string]string{httpHost: plain.Listener.Addr().String(), httpsHost: secure.Listener.Addr().String()},
	}
}

func TestProxyCarriesRequests(t *testing.T) {
	peers := newProxyPeers(t)
	proxy := newForwardProxy(t, "ann", "s3cret:pw", peers.routes)
	keys := &originKeychain{keychain: newKeychain("res1", secrets{resource.SecretProxyAuth: "ann:s3cret:pw"})}
	rn := runner.New(keys, nil)
	rn.Client = mappedClient(peers.routes) // straight to the API, a request would reach it too: the proxy's counts tell
	via := resource.Network{Proxy: resource.ProxyURL, ProxyURL: proxy.URL, CACert: peers.caFile}

	res := newResource(peers.httpURL)
	res.Network = via
	s := decodeSeen(t, do(t, rn, res, get("/orders"), nil))
	if s.Path != "/orders" || s.header("Proxy-Authorization") != "" {
		t.Fatalf("the API saw %+v", s)
	}
	secure := newResource(peers.httpsURL)
	secure.Network = via
	for range 2 {
		resp := do(t, rn, secure, get("/"), nil)
		if want := "secure HTTP/2.0 " + strings.TrimPrefix(peers.httpsURL, "https://"); string(resp.Body) != want || resp.TLSVersion != "TLS 1.3" {
			t.Fatalf("answer %q (%s), want %q", resp.Body, resp.TLSVersion, want)
		}
	}
	if c, p, r := proxy.counts(); c != 1 || p != 1 || r != 0 {
		t.Fatalf("the proxy saw %d CONNECT (want 1: the second request reuses the tunnel), %d plain (want 1), %d refused", c, p, r)
	}
	if keys.origins.Proxy != strings.ToLower(proxy.URL) {
		t.Errorf("the proxy password was bound to %q, want %q", keys.origins.Proxy, proxy.URL)
	}

	// A host on the no-proxy list goes straight to the API.
	direct := newResource(peers.httpURL)
	direct.Network = via
	direct.Network.NoProxy = []string{".example.test"}
	decodeSeen(t, do(t, rn, direct, get("/straight"), nil))
	if _, p, _ := proxy.counts(); p != 1 {
		t.Fatalf("a host on the no-proxy list went through the proxy (%d plain requests)", p)
	}

	// No proxy at all, whatever the runner's client says.
	none := newResource(peers.httpURL)
	none.Network.Proxy = resource.ProxyNone
	decodeSeen(t, do(t, rn, none, get("/"), nil))
	if _, p, _ := proxy.counts(); p != 1 {
		t.Fatal("proxy none went through the proxy")
	}
}

func TestProxyRefuses(t *testing.T) {
	peers := newProxyPeers(t)
	proxy := newForwardProxy(t, "ann", "h0rse", peers.routes)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	host := strings.TrimPrefix(proxy.URL, "http://")
	tests := []struct {
		name, proxy, auth, base, want string
	}{
		{"wrong password, http", proxy.URL, "ann:wrong-pw", peers.httpURL,
			"the proxy " + host + " refused the username and password (407 Proxy Authentication Required): check the proxy's username and password in the resource's network settings"},
		{"wrong password, https", proxy.URL, "ann:wrong-pw", peers.httpsURL,
			"the proxy " + host + " refused the username and password (407 Proxy Authentication Required): check the proxy's username and password in the resource's network settings"},
		{"no password", proxy.URL, "", peers.httpsURL,
			"the proxy " + host + " asks for a username and password (407 Proxy Authentication Required): enter them in the resource's network settings"},
		{"not running", closed.URL, "ann:h0rse", peers.httpsURL,
			"could not connect to the proxy " + strings.TrimPrefix(closed.URL, "http://") + ": is it running, and is its address right? Check the resource's network settings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rn := runner.New(newKeychain("res1", secrets{resource.SecretProxyAuth: tt.auth}), nil)
			rn.Client = mappedClient(peers.routes)
			res := newResource(tt.base)
			res.Network = resource.Network{Proxy: resource.ProxyURL, ProxyURL: tt.proxy, CACert: peers.caFile}
			resp, err := rn.Do(context.Background(), res, get("/"), nil)
			if err == nil {
				resp.Close()
				t.Fatalf("no error: %s", resp.Status)
			}
			if !errors.Is(err, runner.ErrProxy) || !errors.Is(err, runner.ErrConnect) || err.Error() != tt.want {
				t.Fatalf("error %v\nwant %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "wrong-pw") {
				t.Fatal("the error shows the password")
			}
			c := rn.Check(context.Background(), res)
			if !strings.Contains(c.Message(), "the proxy "+strings.TrimPrefix(tt.proxy, "http://")) {
				t.Errorf("Check says %q", c.Message())
			}
		})
	}
	if c, p, _ := proxy.counts(); c != 0 || p != 0 {
		t.Errorf("the proxy let %d CONNECT and %d requests through", c, p)
	}
}

func TestProxyPasswordGoesOnlyToItsProxy(t *testing.T) {
	peers := newProxyPeers(t)
	first := newForwardProxy(t, "ann", "pw", peers.routes)
	other := newForwardProxy(t, "", "", peers.routes)
	keys := &originKeychain{keychain: newKeychain("res1", secrets{resource.SecretProxyAuth: "ann:pw"})}
	rn := runner.New(keys, nil)
	res := newResource(peers.httpURL)
	res.Network = resource.Network{Proxy: resource.ProxyURL, ProxyURL: first.URL}
	decodeSeen(t, do(t, rn, res, get("/"), nil))

	res.Network.ProxyURL = other.URL // a teammate's change to the shared file
	_, err := rn.Do(context.Background(), res, get("/"), nil)
	var oc *resource.OriginChangedError
	if !errors.As(err, &oc) || !oc.Proxy || oc.Now != strings.ToLower(other.URL) || !strings.HasPrefix(err.Error(), "The proxy of Shop changed from "+first.URL) {
		t.Fatalf("error %v", err)
	}
	if _, p, _ := other.counts(); p != 0 {
		t.Fatal("the request went to the new proxy")
	}
	if _, err := rn.HTTPClient(context.Background(), res); !errors.As(err, &oc) {
		t.Fatalf("HTTPClient: %v", err)
	}
}

func TestBadProxySettings(t *testing.T) {
	srv := newEcho(t)
	for _, tt := range []struct {
		name string
		n    resource.Network
		want string
	}{
		{"password in the URL", resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://ann:pw@proxy.example:3128"},
			"the proxy of Shop cannot be used: proxy URL holds a username or password"},
		{"ftp", resource.Network{Proxy: resource.ProxyURL, ProxyURL: "ftp://proxy.example"}, "proxy URL must start with http://, https:// or socks5://, not ftp://"},
		{"unknown mode", resource.Network{Proxy: "auto"}, `the proxy setting "auto" of Shop is not known: choose system, none or url`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := newResource(srv.URL)
			res.Network = tt.n
			_, err := runner.New(nil, nil).Do(context.Background(), res, get("/"), nil)
			if !errors.Is(err, runner.ErrNetworkSettings) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), ":pw") {
				t.Fatalf("error %v\nwant %s", err, tt.want)
			}
		})
	}
}
