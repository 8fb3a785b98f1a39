package runner_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"

	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// socksProxy is a SOCKS5 server (RFC 1928) that wants a username and password (RFC 1929) and connects the host
// names in routes to their addresses; it counts the connections it made.
type socksProxy struct {
	ln         net.Listener
	user, pass string
	routes     map[string]string

	mu        sync.Mutex
	connected int
}

func newSocksProxy(t *testing.T, user, pass string, routes map[string]string) *socksProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &socksProxy{ln: ln, user: user, pass: pass, routes: routes}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *socksProxy) url() string { return "socks5://" + p.ln.Addr().String() }

func (p *socksProxy) serve(c net.Conn) {
	defer c.Close()
	head := make([]byte, 2)
	if _, err := io.ReadFull(c, head); err != nil || head[0] != 5 {
		return
	}
	methods := make([]byte, head[1])
	if _, err := io.ReadFull(c, methods); err != nil || !strings.Contains(string(methods), "\x02") {
		_, _ = c.Write([]byte{5, 0xff}) // no acceptable method: this server wants a password
		return
	}
	_, _ = c.Write([]byte{5, 2})
	ver := make([]byte, 2)
	if _, err := io.ReadFull(c, ver); err != nil {
		return
	}
	user := make([]byte, ver[1])
	_, _ = io.ReadFull(c, user)
	n := make([]byte, 1)
	_, _ = io.ReadFull(c, n)
	pass := make([]byte, n[0])
	_, _ = io.ReadFull(c, pass)
	if string(user) != p.user || string(pass) != p.pass {
		_, _ = c.Write([]byte{1, 1})
		return
	}
	_, _ = c.Write([]byte{1, 0})
	req := make([]byte, 4)
	if _, err := io.ReadFull(c, req); err != nil || req[1] != 1 || req[3] != 3 { // CONNECT to a domain name
		return
	}
	_, _ = io.ReadFull(c, n)
	host := make([]byte, n[0])
	_, _ = io.ReadFull(c, host)
	port := make([]byte, 2)
	_, _ = io.ReadFull(c, port)
	addr := string(host) + ":" + strconv.Itoa(int(binary.BigEndian.Uint16(port)))
	up, err := net.Dial("tcp", p.routes[addr])
	if err != nil {
		_, _ = c.Write([]byte{5, 4, 0, 1, 0, 0, 0, 0, 0, 0}) // host unreachable
		return
	}
	defer up.Close()
	p.mu.Lock()
	p.connected++
	p.mu.Unlock()
	_, _ = c.Write([]byte{5, 0, 0, 1, 127, 0, 0, 1, 0, 0})
	go func() { _, _ = io.Copy(up, c); up.Close() }()
	_, _ = io.Copy(c, up)
}

func TestSocksProxy(t *testing.T) {
	peers := newProxyPeers(t)
	socks := newSocksProxy(t, "ann", "s0cks", peers.routes)
	for _, base := range []string{peers.httpURL, peers.httpsURL} {
		rn := runner.New(newKeychain("res1", secrets{resource.SecretProxyAuth: "ann:s0cks"}), nil)
		res := newResource(base)
		res.Network = resource.Network{Proxy: resource.ProxyURL, ProxyURL: socks.url(), CACert: peers.caFile}
		if resp := do(t, rn, res, get("/"), nil); resp.StatusCode != 200 {
			t.Fatalf("%s through SOCKS: %s", base, resp.Status)
		}
	}
	socks.mu.Lock()
	if socks.connected != 2 {
		t.Errorf("the SOCKS proxy made %d connections, want 2", socks.connected)
	}
	socks.mu.Unlock()

	rn := runner.New(newKeychain("res1", secrets{resource.SecretProxyAuth: "ann:nope-pw"}), nil)
	res := newResource(peers.httpsURL)
	res.Network = resource.Network{Proxy: resource.ProxyURL, ProxyURL: socks.url(), CACert: peers.caFile}
	_, err := rn.Do(context.Background(), res, get("/"), nil)
	want := "the SOCKS proxy " + socks.ln.Addr().String() + " refused the username and password: check the proxy's username and password in the resource's network settings"
	if !errors.Is(err, runner.ErrProxy) || err.Error() != want {
		t.Fatalf("error %v\nwant %s", err, want)
	}
}
