package resource

import "testing"

func TestNetworkValidation(t *testing.T) {
	tests := []struct {
		name  string
		n     Network
		field string
		msg   string
	}{
		{"no proxy url", Network{Proxy: ProxyURL}, "network.proxy_url", "Proxy URL is required, for example http://proxy.example.com:3128"},
		{"password in proxy url", Network{Proxy: ProxyURL, ProxyURL: "http://ann:pw@proxy:3128"}, "network.proxy_url",
			"Proxy URL holds a username or password (user:password@), and workspace files may be shared: take it out of the URL and enter the proxy's username and password in the network settings, which keep them in your keychain"},
		{"ftp proxy", Network{Proxy: ProxyURL, ProxyURL: "ftp://proxy:21"}, "network.proxy_url", "Proxy URL must start with http://, https:// or socks5://, not ftp://"},
		{"bare host", Network{Proxy: ProxyURL, ProxyURL: "proxy:3128"}, "network.proxy_url", "Proxy URL must start with http://, https:// or socks5://, for example http://proxy:3128"},
		{"path", Network{Proxy: ProxyURL, ProxyURL: "http://proxy:3128/x"}, "network.proxy_url", "Proxy URL is only a scheme, a host and a port: take out the path after the port"},
		{"bad port", Network{Proxy: ProxyURL, ProxyURL: "http://proxy:99999"}, "network.proxy_url", "Proxy URL has a port that is not a number from 1 to 65535"},
		{"url without url mode", Network{Proxy: ProxyNone, ProxyURL: "http://proxy:3128"}, "network.proxy_url", "Proxy URL is set but the proxy setting is none: choose url to use it, or remove it"},
		{"unknown mode", Network{Proxy: "pac"}, "network.proxy", `Unknown proxy setting "pac": choose system (the system's proxy), none (no proxy) or url (a proxy URL)`},
		{"no-proxy without a proxy", Network{Proxy: ProxySystem, NoProxy: []string{"a"}}, "network.no_proxy", "The no-proxy list is used only with a proxy URL: choose url, or remove the list"},
		{"no-proxy url", Network{Proxy: ProxyURL, ProxyURL: "http://p:1", NoProxy: []string{"https://intra.example.com/x"}}, "network.no_proxy[0]",
			`the no-proxy entry "https://intra.example.com/x" is a URL: give only its host, such as intra.example.com`},
		{"no-proxy list in one", Network{Proxy: ProxyURL, ProxyURL: "http://p:1", NoProxy: []string{"a, b"}}, "network.no_proxy[0]",
			`the no-proxy entry "a, b" holds a space or a separator: give one host, domain or range an entry`},
		{"key without cert", Network{ClientKey: "me.key"}, "network.client_key", "Client key is set without a client certificate: choose the certificate too, or remove the key"},
		{"path with a space", Network{CACert: "ca.pem "}, "network.ca_cert", "CA certificate path starts or ends with a space: remove it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid()
			r.Network = tt.n
			if got := r.Validate().For(tt.field); got != tt.msg {
				t.Fatalf("message for %s = %q, want %q (all: %v)", tt.field, got, tt.msg, r.Validate())
			}
		})
	}
	for _, n := range []Network{
		{},
		{Proxy: ProxySystem, CACert: "certs/ca.pem", Insecure: true},
		{Proxy: ProxyURL, ProxyURL: "socks5://127.0.0.1:1080", NoProxy: []string{"localhost", ".corp.example", "10.0.0.0/8", "db.corp:5432", "::1", "*"}},
		{Proxy: ProxyURL, ProxyURL: "https://proxy.example.com", ClientCert: "me.pem", ClientKey: "me.key"},
	} {
		r := valid()
		r.Network = n
		if es := r.Validate(); len(es) > 0 {
			t.Errorf("%+v: %v", n, es)
		}
	}
}

func TestDigestNeedsAUsername(t *testing.T) {
	r := valid()
	r.Auth = Auth{Kind: AuthDigest}
	if got := r.Validate().For("auth.username"); got != "Username is required for Digest authentication" {
		t.Fatalf("got %q", got)
	}
	r.Auth.Username = "ann:with:colons" // Digest allows a colon in the name
	if es := r.Validate(); len(es) > 0 {
		t.Fatal(es)
	}
}

func TestProxyOrigin(t *testing.T) {
	r := valid()
	r.Network = Network{Proxy: ProxyURL, ProxyURL: "HTTP://Proxy.Example:3128"}
	if got := r.Origins().Proxy; got != "http://proxy.example:3128" {
		t.Fatalf("proxy origin %q", got)
	}
	r.Network.Proxy = ProxySystem
	if got := r.Origins().Proxy; got != "" {
		t.Fatalf("a system proxy has an origin: %q", got)
	}
	e := &OriginChangedError{Resource: "CRM", Proxy: true, Was: "http://a:1", Now: "http://b:2"}
	if e.Trusted() != (Origins{Proxy: "http://b:2"}) || e.Error() != "The proxy of CRM changed from http://a:1 to http://b:2 since its proxy username and password were saved. apidesk did not send them. Confirm the new proxy to send them there." {
		t.Fatalf("%+v: %s", e.Trusted(), e)
	}
}
