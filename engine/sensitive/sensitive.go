// Package sensitive is apidesk's one rule for telling, from its name, whether a header, URL parameter, cookie or
// body field carries a secret, and for masking secrets in text meant for people (error messages).
//
// cURL import uses it to turn such values into {{variables}}, the cURL exporter and Copy as cURL to print
// placeholders for them, the workspace to refuse saving one written out, and the runner to keep them from
// another host on a redirect and out of its error messages. The rules are deliberately simple and err on the
// side of hiding: hiding a harmless value costs a prompt, keeping a session cookie in a shared file costs an
// account.
package sensitive

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Hidden is what Mask writes in place of a secret.
const Hidden = "***"

// Norm lower-cases a header, cookie or parameter name and drops - _ . and spaces, so X-API-Key, x_api_key and
// xapikey compare equal.
func Norm(s string) string {
	var b strings.Builder
	b.Grow(len(s))
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

// Authorization reports whether a header is Authorization or Proxy-Authorization, whose value is a scheme word
// and the credentials.
func Authorization(name string) bool {
	n := Norm(name)
	return n == "authorization" || n == "proxyauthorization"
}

// Header reports whether a header with this name carries a secret: Authorization, an API key (APIKeyHeader),
// a session id, a CSRF token, a password…
func Header(name string) bool {
	n := Norm(name)
	return APIKeyHeader(name) ||
		containsAny(n, "authorization", "token", "apikey", "secret", "password", "passwd", "session", "credential", "signature")
}

// APIKeyHeader reports whether a header with this name is plainly an API key, the kind a resource's API key
// authentication would send (unlike a CSRF token or a session id, which Header also counts): X-API-Key,
// Ocp-Apim-Subscription-Key, X-Functions-Key, X-Auth-Token, X-Key…
func APIKeyHeader(name string) bool {
	n := Norm(name)
	if containsAny(n, "apikey", "apitoken", "subscriptionkey", "functionskey", "accesskey") {
		return true
	}
	switch n {
	case "xauthtoken", "authtoken", "xaccesstoken", "accesstoken", "xtoken", "token", "xkey", "key":
		return true
	}
	return false
}

// Cookie reports whether a cookie with this name is likely a login session or a token.
func Cookie(name string) bool {
	n := Norm(name)
	return containsAny(n, "sess", "token", "auth", "secret", "jwt", "password", "remember", "login", "credential") ||
		strings.HasSuffix(n, "sid")
}

// Param reports whether a URL parameter, form field or JSON body key with this name carries a secret. Only
// names that say so plainly count: a pageToken is no secret.
func Param(name string) bool {
	n := Norm(name)
	if APIKeyParam(name) || strings.HasSuffix(n, "secret") || strings.HasSuffix(n, "subscriptionkey") ||
		strings.HasSuffix(n, "functionskey") || strings.Contains(n, "password") || strings.Contains(n, "passwd") {
		return true
	}
	switch n {
	case "idtoken", "refreshtoken", "sessiontoken", "csrftoken", "xsrftoken", "pwd", "pass", "sessionid", "sid", "sig", "signature":
		return true
	}
	return false
}

// APIKeyParam reports whether a URL parameter with this name is plainly an API key: api_key, key, token,
// access_token…
func APIKeyParam(name string) bool {
	n := Norm(name)
	if strings.HasSuffix(n, "apikey") || strings.HasSuffix(n, "accesstoken") {
		return true
	}
	switch n {
	case "key", "apitoken", "token", "authtoken":
		return true
	}
	return false
}

// Variable reports whether a {{variable}} with this name likely holds a secret: cURL import names the variables
// it makes of secrets after their rows (password, x-api-key, session_id…), so any rule above counts.
func Variable(name string) bool { return Param(name) || Header(name) || Cookie(name) }

// VariableValue reports whether value, given to a {{variable}} of this name in a file a team shares (an
// environment, a resource's defaults), is likely a secret written out: the name says so as a header's or a URL
// parameter's would (not the cookie rule, which counts "auth", "login" and "sess": auth_url and login_hint are
// no secrets), and the value is not an address (http:// or https:// without a password in it).
func VariableValue(name, value string) bool {
	if strings.TrimSpace(value) == "" || !Param(name) && !Header(name) {
		return false
	}
	lower := strings.ToLower(strings.TrimSpace(value))
	if (strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")) && !userinfo.MatchString(value) {
		return false
	}
	return true
}

// SecretPart is the part of a header value that may be secret: for Authorization and Proxy-Authorization the
// credentials after the scheme ("Bearer {{token}}" holds no secret of its own), else the whole value.
func SecretPart(name, v string) string {
	if Authorization(name) {
		if _, cred, ok := strings.Cut(strings.TrimSpace(v), " "); ok && strings.TrimSpace(cred) != "" {
			return cred
		}
	}
	return v
}

var (
	// assignment is name=value as in a query string or a form body; the value ends where a URL or a quoted
	// text would end it.
	assignment = regexp.MustCompile(`([A-Za-z0-9_.~%+\-]+)=([^&#\s"'<>;,)\]}]*)`)
	// userinfo is the user:password@ of a URL.
	userinfo = regexp.MustCompile(`(://[^/?#@\s:"']*):([^/?#@\s"']+)@`)
)

// Mask returns text with every secret it can recognise replaced by Hidden: each of values (the secrets the
// caller sent; values shorter than four characters are left, as they would mask ordinary words), the value
// of every name=value whose name Param counts (as in a URL's query), and the password of a URL's
// user:password@.
func Mask(text string, values ...string) string {
	for _, v := range values {
		if len(v) >= 4 {
			text = strings.ReplaceAll(text, v, Hidden)
			if e := url.QueryEscape(v); e != v {
				text = strings.ReplaceAll(text, e, Hidden)
			}
		}
	}
	if strings.Contains(text, "=") {
		text = assignment.ReplaceAllStringFunc(text, func(m string) string {
			name, value, _ := strings.Cut(m, "=")
			key := name
			if k, err := url.QueryUnescape(name); err == nil {
				key = k
			}
			if value == "" || value == Hidden || !Param(key) {
				return m
			}
			return name + "=" + Hidden
		})
	}
	if strings.Contains(text, "@") {
		text = userinfo.ReplaceAllString(text, "$1:"+Hidden+"@")
	}
	return text
}
