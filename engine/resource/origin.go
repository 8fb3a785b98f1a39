package resource

import (
	"errors"
	"fmt"
	"strings"
)

// Origins are the addresses, as scheme://host[:port], a resource's saved secrets were stored for. The workspace
// file a team shares in git says where a resource's requests go; the secrets are this person's, in this
// person's keychain, keyed by the resource's ID. So the keychain also keeps the origins the secrets were saved
// for (package secret), and a teammate who changes base_url or token_url in the shared file does not silently
// send everyone's secrets to the new address: the runner and package oauth refuse with an *OriginChangedError
// until the person confirms it.
//
// An origin is taken from the URL as written in the file (OriginOf), so a base URL whose host is a {{variable}}
// is bound as written: the values that variable takes are the person's own choice at each run.
type Origins struct {
	API   string // of the base URL: where the password, bearer token, API key and access token go
	Token string // of the OAuth 2.0 token URL: where the refresh token and the client secret go; "" for none
	Proxy string // of the resource's own proxy URL (ProxyOriginOf): where the proxy's username and password go; "" for none
}

// Origins returns the origins of r's URLs as written now: the base URL's, the token URL's for OAuth 2.0, and
// the proxy URL's when r names its own proxy.
func (r *Resource) Origins() Origins {
	o := Origins{API: OriginOf(r.BaseURL)}
	if r.Auth.Kind == AuthOAuth2 {
		o.Token = OriginOf(r.Auth.OAuth2.TokenURL)
	}
	if r.Network.Proxy == ProxyURL {
		o.Proxy = ProxyOriginOf(r.Network.ProxyURL)
	}
	return o
}

// OriginOf returns scheme://host[:port] of a URL as written: lower case, without user info, without the
// scheme's default port. It is "" when raw does not start with http:// or https:// and a host. A host written
// as a {{variable}} stays as written.
func OriginOf(raw string) string {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(raw), "://")
	scheme = strings.ToLower(scheme)
	if !ok || scheme != "http" && scheme != "https" {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	host := strings.ToLower(rest)
	if host == "" {
		return ""
	}
	if scheme == "https" {
		host = strings.TrimSuffix(host, ":443")
	} else {
		host = strings.TrimSuffix(host, ":80")
	}
	return scheme + "://" + host
}

// ErrOriginChanged is matched by errors.Is when apidesk did not send a resource's saved secrets because the
// resource's address changed since they were saved: the error is then an *OriginChangedError.
var ErrOriginChanged = errors.New("the address changed since the secrets were saved")

// OriginChangedError says that a resource's saved secrets were not sent: its base URL (or, with Token, its
// OAuth 2.0 token URL) now points at another origin than the one they were saved for. Nothing was sent. The
// person confirms the new address with secret.Store.Trust, which records Now, and sends again.
type OriginChangedError struct {
	Resource string // the resource's name
	ID       string // the resource's ID
	Was, Now string // the origin the secrets were saved for, and the one the resource has now
	Token    bool   // the token URL changed (the refresh token and client secret); otherwise the base URL
	Proxy    bool   // the proxy URL changed (the proxy's username and password)
}

func (e *OriginChangedError) Error() string {
	if e.Proxy {
		return fmt.Sprintf("The proxy of %s changed from %s to %s since its proxy username and password were saved. apidesk did not "+
			"send them. Confirm the new proxy to send them there.", e.Resource, e.Was, e.Now)
	}
	return fmt.Sprintf("The address of %s changed from %s to %s since your secrets were saved. apidesk did not send them. "+
		"Confirm the new address to send them there.", e.Resource, e.Was, e.Now)
}

// Is makes errors.Is(err, ErrOriginChanged) true.
func (e *OriginChangedError) Is(target error) bool { return target == ErrOriginChanged }

// Trusted is the origin the person confirms by accepting e: Now, in the field that changed.
func (e *OriginChangedError) Trusted() Origins {
	switch {
	case e.Proxy:
		return Origins{Proxy: e.Now}
	case e.Token:
		return Origins{Token: e.Now}
	}
	return Origins{API: e.Now}
}

// CheckOrigin returns an *OriginChangedError when a secret of r saved for the origin was may not go to now.
// It allows the same origin, and the same host and port upgraded from http to https; was or now "" is no change
// (nothing recorded yet, or a URL that cannot be sent to anyway).
func CheckOrigin(r *Resource, was, now string, token bool) error {
	upgraded := strings.HasPrefix(was, "http://") && now == "https://"+strings.TrimPrefix(was, "http://")
	if was == "" || now == "" || was == now || upgraded {
		return nil
	}
	return &OriginChangedError{Resource: r.Name, ID: r.ID, Was: was, Now: now, Token: token}
}
