package resource

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ValidateProxyURL checks the address of a proxy (Network.ProxyURL): http://host:port, https://host:port or
// socks5://host:port, with no user:password in it (the proxy's credentials are a secret, SecretProxyAuth).
func ValidateProxyURL(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("Proxy URL is required, for example http://proxy.example.com:3128")
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return errors.New("Proxy URL may not contain spaces")
	}
	if !strings.Contains(s, "://") {
		return fmt.Errorf("Proxy URL must start with http://, https:// or socks5://, for example http://%s", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("Proxy URL is not a valid URL: write it as http://host:port, https://host:port or socks5://host:port")
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "socks5", "socks5h":
	default:
		return fmt.Errorf("Proxy URL must start with http://, https:// or socks5://, not %s://", u.Scheme)
	}
	if u.User != nil {
		return errors.New("Proxy URL holds a username or password (user:password@), and workspace files may be shared: " +
			"take it out of the URL and enter the proxy's username and password in the network settings, which keep them in your keychain")
	}
	if u.Hostname() == "" {
		return fmt.Errorf("Proxy URL needs a host name after %s://, for example %s://proxy.example.com:3128", u.Scheme, u.Scheme)
	}
	if p := u.Port(); p != "" {
		if n, err := parsePort(p); err != nil || n == 0 {
			return errors.New("Proxy URL has a port that is not a number from 1 to 65535")
		}
	}
	if strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("Proxy URL is only a scheme, a host and a port: take out the path after the port")
	}
	return nil
}

func parsePort(p string) (int, error) {
	n := 0
	for _, c := range p {
		if c < '0' || c > '9' {
			return 0, errors.New("not a number")
		}
		n = n*10 + int(c-'0')
		if n > 65535 {
			return 0, errors.New("too large")
		}
	}
	return n, nil
}

// ValidateNoProxy checks one entry of a no-proxy list (Network.NoProxy): a host name (it and its subdomains), a
// domain written with a leading dot (its subdomains), an IP address, a CIDR range (10.0.0.0/8), any of them with
// a :port, or * for every host.
func ValidateNoProxy(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errors.New("a no-proxy entry is empty: remove it")
	case s == "*":
		return nil
	case strings.ContainsAny(s, " \t\r\n,;"):
		return fmt.Errorf("the no-proxy entry %q holds a space or a separator: give one host, domain or range an entry", s)
	case strings.Contains(s, "://"):
		return fmt.Errorf("the no-proxy entry %q is a URL: give only its host, such as %s", s, hostOfURL(s))
	}
	if _, _, err := net.ParseCIDR(s); err == nil {
		return nil
	}
	host := s
	if h, p, err := net.SplitHostPort(s); err == nil {
		if n, err := parsePort(p); err != nil || n == 0 {
			return fmt.Errorf("the no-proxy entry %q has a port that is not a number from 1 to 65535", s)
		}
		host = h
	}
	if net.ParseIP(strings.Trim(host, "[]")) != nil {
		return nil
	}
	for _, c := range strings.TrimPrefix(host, ".") {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c > 0x7f) {
			return fmt.Errorf("the no-proxy entry %q is not a host name, a .domain, an IP address or a range such as 10.0.0.0/8", s)
		}
	}
	if strings.Trim(host, ".") == "" {
		return fmt.Errorf("the no-proxy entry %q names no host", s)
	}
	return nil
}

func hostOfURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		return u.Host
	}
	return "the host name"
}

// Validate returns the problems of the network settings; field names start with prefix ("network.").
func (n *Network) Validate(prefix string) Errors {
	var es Errors
	add := func(field string, err error) {
		if err != nil {
			es = append(es, FieldError{prefix + field, err.Error()})
		}
	}
	switch n.Proxy {
	case ProxyDefault, ProxySystem, ProxyNone:
		if strings.TrimSpace(n.ProxyURL) != "" {
			add("proxy_url", fmt.Errorf("Proxy URL is set but the proxy setting is %s: choose url to use it, or remove it", proxyWords(n.Proxy)))
		}
	case ProxyURL:
		add("proxy_url", ValidateProxyURL(n.ProxyURL))
	default:
		add("proxy", fmt.Errorf("Unknown proxy setting %q: choose system (the system's proxy), none (no proxy) or url (a proxy URL)", n.Proxy))
	}
	if len(n.NoProxy) > 0 && n.Proxy != ProxyURL {
		add("no_proxy", errors.New("The no-proxy list is used only with a proxy URL: choose url, or remove the list"))
	}
	for i, h := range n.NoProxy {
		add(fmt.Sprintf("no_proxy[%d]", i), ValidateNoProxy(h))
	}
	for _, f := range []struct{ field, label, path string }{{"ca_cert", "CA certificate", n.CACert}, {"client_cert", "Client certificate", n.ClientCert}, {"client_key", "Client key", n.ClientKey}} {
		if f.path != strings.TrimSpace(f.path) {
			add(f.field, fmt.Errorf("%s path starts or ends with a space: remove it", f.label))
		} else if strings.ContainsAny(f.path, "\r\n") {
			add(f.field, fmt.Errorf("%s path must be on one line", f.label))
		}
	}
	if n.ClientKey != "" && n.ClientCert == "" {
		add("client_key", errors.New("Client key is set without a client certificate: choose the certificate too, or remove the key"))
	}
	return es
}

func proxyWords(p string) string {
	if p == ProxyDefault {
		return "the workspace's default"
	}
	return p
}

// ProxyOriginOf returns scheme://host:port of a proxy URL as written, lower case, without user info: where the
// proxy's username and password go (Origins.Proxy). It is "" when raw is no proxy URL.
func ProxyOriginOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	switch scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return ""
	}
	return scheme + "://" + strings.ToLower(u.Host)
}
