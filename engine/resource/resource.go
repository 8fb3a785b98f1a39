// Package resource describes a named API: its base URL, the headers, URL params and cookies sent with every
// request, its timeout, the largest answer it reads and how it authenticates. A Resource holds no secret:
// passwords, tokens, API key values and client secrets live in the keychain (package secret), keyed by the
// resource's ID.
package resource

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"apidesk/engine/kv"
)

// AuthKind says how a resource authenticates.
type AuthKind string

// The kinds of authentication a resource can use.
const (
	AuthNone   AuthKind = "none"
	AuthBearer AuthKind = "bearer"
	AuthBasic  AuthKind = "basic"
	AuthAPIKey AuthKind = "apikey"
	AuthOAuth2 AuthKind = "oauth2"
	AuthDigest AuthKind = "digest" // HTTP Digest access authentication (RFC 7616)
)

// AuthKinds lists every kind, in the order a form offers them.
var AuthKinds = []AuthKind{AuthNone, AuthBearer, AuthBasic, AuthDigest, AuthAPIKey, AuthOAuth2}

// Label is the kind's name as a person reads it.
func (k AuthKind) Label() string {
	switch k {
	case AuthNone, "":
		return "None"
	case AuthBearer:
		return "Bearer token"
	case AuthBasic:
		return "Basic (username and password)"
	case AuthAPIKey:
		return "API key"
	case AuthOAuth2:
		return "OAuth 2.0"
	case AuthDigest:
		return "Digest (username and password)"
	}
	return string(k)
}

// Where an API key is sent.
const (
	KeyInHeader = "header"
	KeyInQuery  = "query"
)

// DefaultTimeout bounds a request when the resource sets none.
const DefaultTimeout = 30 * time.Second

// Resource is a named API.
type Resource struct {
	ID      string // stable: survives renames; secrets and saved queries refer to it
	Name    string
	BaseURL string
	Headers kv.List
	Params  kv.List
	Cookies kv.List
	Timeout time.Duration // 0 means DefaultTimeout
	MaxBody int64         // the largest response body to read, in bytes after decoding; 0 means DefaultMaxBody
	Auth    Auth
	Network Network // proxy and TLS; the zero value uses the workspace's default (see Network.Or)
	// Variables are the resource's defaults for {{variables}}: below the query's and the environment's, above the
	// workspace's (package environment has the order). No secret: a secret variable belongs in an environment.
	Variables kv.List
}

// How a resource reaches the network through a proxy.
const (
	ProxyDefault = ""       // the workspace's setting, and when it sets none, ProxySystem
	ProxySystem  = "system" // the system's proxy: HTTPS_PROXY, HTTP_PROXY and NO_PROXY on Linux
	ProxyNone    = "none"   // straight to the server
	ProxyURL     = "url"    // Network.ProxyURL (http, https or socks5), except for the hosts in Network.NoProxy
)

// Network is how a resource's requests (and its OAuth 2.0 token, device and revocation requests) reach the
// server. Paths are relative to the workspace folder when the file is inside it. The proxy's credentials
// (SecretProxyAuth) and a client key's passphrase (SecretKeyPassphrase) are in the keychain.
type Network struct {
	Proxy      string   // ProxyDefault, ProxySystem, ProxyNone or ProxyURL
	ProxyURL   string   // with ProxyURL: http://host:port, https://… or socks5://…; no user:password in it
	NoProxy    []string // with ProxyURL: hosts, domains (.example.com) and CIDRs that go straight
	CACert     string   // a PEM bundle of CA certificates trusted besides the system's
	ClientCert string   // a client certificate: PEM (the key in it or in ClientKey) or PKCS#12 (.p12, .pfx)
	ClientKey  string   // the client certificate's PEM private key, when not in ClientCert
	Insecure   bool     // do not verify the server's TLS certificate (warned about on the resource and every answer)
}

// IsZero reports whether n sets nothing, so the workspace's default applies whole.
func (n *Network) IsZero() bool {
	return n.Proxy == "" && n.ProxyURL == "" && len(n.NoProxy) == 0 && n.CACert == "" && n.ClientCert == "" && n.ClientKey == "" && !n.Insecure
}

// Or returns n with what it leaves unset taken from def (the workspace's default): the proxy settings when n's
// Proxy is ProxyDefault, the CA bundle and the client certificate when n names none. Insecure is n's or def's.
func (n Network) Or(def Network) Network {
	if n.Proxy == ProxyDefault {
		n.Proxy, n.ProxyURL, n.NoProxy = def.Proxy, def.ProxyURL, def.NoProxy
	}
	if n.CACert == "" {
		n.CACert = def.CACert
	}
	if n.ClientCert == "" {
		n.ClientCert, n.ClientKey = def.ClientCert, def.ClientKey
	}
	n.Insecure = n.Insecure || def.Insecure
	return n
}

// Auth is how a resource authenticates. Only the fields of Kind matter; the secret parts are in the keychain.
type Auth struct {
	Kind     AuthKind
	Username string // basic; the password is SecretPassword
	KeyName  string // apikey: header or query parameter name; the value is SecretAPIKey
	KeyIn    string // apikey: KeyInHeader or KeyInQuery
	OAuth2   OAuth2 // oauth2; the client secret is SecretClientSecret, tokens SecretOAuthToken
}

// OAuth 2.0 grant types.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantClientCredentials = "client_credentials"
	GrantDevice            = "device_code"
)

// How the client authenticates to the token endpoint.
const (
	ClientAuthAuto  = "auto"
	ClientAuthBasic = "basic"
	ClientAuthBody  = "body"
)

// OAuth2 holds a resource's OAuth 2.0 client configuration: everything a team can share in git.
type OAuth2 struct {
	Grant        string // GrantAuthorizationCode (default), GrantClientCredentials or GrantDevice
	Preset       string // provider preset the fields came from, if any
	Issuer       string // issuer URL the endpoints were discovered from, if any
	AuthURL      string // may carry its own query params and {{client_id}}-style variables
	TokenURL     string
	TokenMethod  string // "POST" (default) or "GET"
	DeviceURL    string // device authorization endpoint (RFC 8628)
	RevokeURL    string // revocation endpoint (RFC 7009)
	ClientID     string
	ClientAuth   string // ClientAuthAuto (default), ClientAuthBasic or ClientAuthBody
	Scopes       []string
	AuthParams   kv.List // extra params for the authorization request (audience, prompt, access_type…)
	TokenParams  kv.List // extra params for the token request (resource, audience…)
	LoginTestURL string  // GET with the token; not 2xx means "needs sign-in"
	RedirectPort int     // 0: a random free port
	DisablePKCE  bool    // PKCE S256 is on unless a server rejects it
}

// NewID returns a new random resource or query ID: 16 hex digits, safe in file names and keychain keys.
func NewID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}

// EffectiveTimeout is the timeout to use for a request.
func (r *Resource) EffectiveTimeout() time.Duration {
	if r.Timeout <= 0 {
		return DefaultTimeout
	}
	return r.Timeout
}
