package curl

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"apidesk/engine/resource"
)

// proxySetting reads a -x value as curl does: [scheme://][user:password@]host[:port], http:// when no scheme
// is given, port 1080 when none is (443 for an https:// proxy); "" means no proxy at all. It returns the proxy
// URL without credentials and the "user:password" apart.
func proxySetting(opt, v string) (proxyURL, auth string, err error) {
	if v == "" {
		return "", "", nil
	}
	scheme, rest, ok := strings.Cut(v, "://")
	if !ok {
		scheme, rest = "http", v
	}
	scheme = strings.ToLower(scheme)
	switch scheme {
	case "http", "https", "socks5":
	case "socks5h":
		scheme = "socks5" // apidesk lets the SOCKS5 proxy resolve host names, as socks5h:// asks
	case "socks4", "socks4a", "socks": // curl's socks:// is SOCKS4
		return "", "", fmt.Errorf("%w: %s: SOCKS4 proxies are not supported: use an HTTP or SOCKS5 proxy", ErrUnsupported, opt)
	default:
		return "", "", fmt.Errorf("%w: %s: a proxy must be http://, https:// or socks5://", ErrUnsupported, opt)
	}
	u, perr := url.Parse(scheme + "://" + rest)
	if perr != nil || u.Hostname() == "" || strings.ContainsAny(u.Hostname(), "{}") {
		// The message leaves the value out: it may hold the proxy's password.
		return "", "", fmt.Errorf("%w: %s: the proxy address is not valid: write it as http://host:port", ErrBadRequest, opt)
	}
	if u.User != nil {
		auth = u.User.Username()
		if pw, ok := u.User.Password(); ok {
			auth += ":" + pw
		}
	}
	port := u.Port()
	if port == "" {
		port = "1080"
		if scheme == "https" {
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(u.Hostname(), port), auth, nil
}

// certParam splits a --cert value into the certificate's file and its key's passphrase as curl does: the
// first ':' separates them, "\:" is a colon and "\\" a backslash in the name, and the colon of a Windows
// drive letter (C:\…) is part of the name.
func certParam(v string) (file, passphrase string, hasPass bool) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			if i+1 < len(v) && (v[i+1] == '\\' || v[i+1] == ':') {
				b.WriteByte(v[i+1])
				i++
			} else {
				b.WriteByte(c)
			}
		case ':':
			if i == 1 && len(v) > 2 && (v[2] == '\\' || v[2] == '/') && isLetter(v[0]) {
				b.WriteByte(c)
				continue
			}
			return b.String(), v[i+1:], i+1 < len(v)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), "", false
}

// certWord writes a certificate's file name for --cert, so that certParam reads it back.
func certWord(file string) string {
	if len(file) > 2 && file[1] == ':' && (file[2] == '\\' || file[2] == '/') && isLetter(file[0]) {
		return file[:2] + strings.NewReplacer(`\`, `\\`, ":", `\:`).Replace(file[2:])
	}
	return strings.NewReplacer(`\`, `\\`, ":", `\:`).Replace(file)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// noProxyList reads a --noproxy value: hosts, domains and CIDRs separated by commas.
func noProxyList(v string) []string {
	var out []string
	for h := range strings.SplitSeq(v, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// networkWords describes network settings for a message, without any secret.
func networkWords(n resource.Network) []string {
	var out []string
	switch n.Proxy {
	case resource.ProxyURL:
		s := "the proxy " + n.ProxyURL
		if len(n.NoProxy) > 0 {
			s += " (not for " + strings.Join(n.NoProxy, ", ") + ")"
		}
		out = append(out, s)
	case resource.ProxyNone:
		out = append(out, "no proxy")
	case resource.ProxySystem:
		out = append(out, "the system's proxy")
	}
	if n.CACert != "" {
		out = append(out, "the CA certificates "+n.CACert)
	}
	if n.ClientCert != "" {
		s := "the client certificate " + n.ClientCert
		if n.ClientKey != "" {
			s += " with the key " + n.ClientKey
		}
		out = append(out, s)
	} else if n.ClientKey != "" {
		out = append(out, "the client key "+n.ClientKey)
	}
	if n.Insecure {
		out = append(out, "no check of the server's TLS certificate")
	}
	return out
}
