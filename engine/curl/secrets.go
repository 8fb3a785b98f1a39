package curl

import (
	"slices"
	"strings"

	"apidesk/engine/runner"
)

// Placeholders Export writes in place of a secret. They read as what they stand for, cannot be mistaken for a
// real value, and have the shape of template.AccessTokenPlaceholder ({-oauth_access_token-}), which Export
// keeps as it is. Import recognises every {-name-} placeholder (template.HasPlaceholder) and never takes one
// for a secret.
const (
	PasswordPlaceholder    = runner.PasswordPlaceholder    // a Basic authentication password
	BearerTokenPlaceholder = runner.BearerTokenPlaceholder // a bearer token
	APIKeyPlaceholder      = runner.APIKeyPlaceholder      // an API key value, in a header or a URL parameter
	SecretPlaceholder      = "{-secret-}"                  // any other value that looks secret: a session cookie, a token…
)

// normName lower-cases a header, cookie or parameter name and drops - _ . and spaces, so X-API-Key, x_api_key
// and xapikey compare equal.
func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != '-' && r != '_' && r != '.' && r != ' ' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func containsAny(s string, subs ...string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}

// The functions below guess from a name whether a value is secret. They are deliberately simple and err on the
// side of hiding: hiding a harmless value costs a prompt, keeping a session cookie in a shared file costs an
// account.

// secretHeader reports whether a header with this name carries a secret.
func secretHeader(name string) bool {
	n := normName(name)
	return containsAny(n, "authorization", "token", "apikey", "secret", "password", "passwd", "session", "credential")
}

// secretCookie reports whether a cookie with this name is likely a login session or a token.
func secretCookie(name string) bool {
	n := normName(name)
	return containsAny(n, "sess", "token", "auth", "secret", "jwt", "password", "remember", "login", "credential") ||
		strings.HasSuffix(n, "sid")
}

// secretParam reports whether a URL parameter or form field with this name carries a secret. Only names that
// say so plainly count: a pageToken is no secret.
func secretParam(name string) bool {
	n := normName(name)
	if strings.HasSuffix(n, "apikey") || strings.HasSuffix(n, "accesstoken") || strings.HasSuffix(n, "secret") ||
		strings.Contains(n, "password") || strings.Contains(n, "passwd") {
		return true
	}
	switch n {
	case "key", "token", "authtoken", "apitoken", "idtoken", "refreshtoken", "pwd", "pass", "sessionid", "sid", "sig", "signature":
		return true
	}
	return false
}

// apiKeyHeader reports whether a header with this name is plainly an API key, the kind a resource's API key
// authentication would send (unlike a CSRF token or a session id, which also look secret).
func apiKeyHeader(name string) bool {
	n := normName(name)
	if containsAny(n, "apikey", "apitoken", "subscriptionkey", "functionskey") {
		return true
	}
	switch n {
	case "xauthtoken", "authtoken", "xaccesstoken", "accesstoken", "xtoken", "token", "xkey", "key":
		return true
	}
	return false
}

// apiKeyParam reports whether a URL parameter with this name is plainly an API key.
func apiKeyParam(name string) bool {
	n := normName(name)
	if strings.HasSuffix(n, "apikey") {
		return true
	}
	switch n {
	case "key", "apitoken", "accesstoken", "token", "authtoken":
		return true
	}
	return false
}

// secretPart is the part of a header value that may be secret: for Authorization and Proxy-Authorization the
// credentials after the scheme ("Bearer {{token}}" holds no secret of its own), else the whole value.
func secretPart(name, v string) string {
	if n := normName(name); n == "authorization" || n == "proxyauthorization" {
		if _, cred, ok := strings.Cut(strings.TrimSpace(v), " "); ok && strings.TrimSpace(cred) != "" {
			return cred
		}
	}
	return v
}
