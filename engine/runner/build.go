package runner

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/template"
	"apidesk/engine/version"
)

// ErrBadHeader is matched by errors.Is when a header or cookie cannot be sent as written (a line break, a
// control character, a space in a name), often because of a variable's value.
var ErrBadHeader = errors.New("header cannot be sent")

// ErrBadURL is matched by errors.Is when the base URL and path do not make a valid http(s) URL.
var ErrBadURL = errors.New("not a valid URL")

func badHeader(what, name string, err error, hint string) error {
	return &plainError{msg: fmt.Sprintf("cannot send the %s %q: %s%s", what, name, lowerFirst(err.Error()), hint), kind: ErrBadHeader}
}

func badURL(format string, args ...any) error {
	return &plainError{msg: fmt.Sprintf(format, args...), kind: ErrBadURL}
}

// Plan is a request ready to send, before it becomes an *http.Request: what Preview returns with secrets
// replaced by placeholders, for "Copy as cURL" and the cURL exporter.
type Plan struct {
	Method string
	URL    string  // absolute, its query included, escaped as it goes on the wire
	Header kv.List // in the order they are sent; cookie rows are joined into one Cookie header
	Body   []byte  // nil when there is none

	// What must not leave the resource's origin on a redirect.
	secretHeaders []string          // canonical names of headers that carry credentials
	secretParams  map[string]string // URL param name → placeholder to show instead of its value
	token         string            // the OAuth access token sent, "" if none
}

// Preview builds the request a query would send, without reading the keychain or the token source: every
// secret is replaced by its placeholder (PasswordPlaceholder, BearerTokenPlaceholder, APIKeyPlaceholder,
// template.AccessTokenPlaceholder), and a {{variable}} with no value stays as written. Basic auth appears as
// an Authorization header encoding "username:{-password-}". q may be nil (a request to the base URL).
func Preview(res *resource.Resource, q *query.Query, vars map[string]string) (*Plan, error) {
	return plan(&credentials{res: res, preview: true}, res, q, vars)
}

// Build returns the *http.Request the runner would send for the query, with real secrets in it. It is what Do
// sends, except that Do also asks for gzip and follows redirects.
func (r *Runner) Build(ctx context.Context, res *resource.Resource, q *query.Query, vars map[string]string) (*http.Request, error) {
	p, err := plan(r.credentials(ctx, res), res, q, vars)
	if err != nil {
		return nil, err
	}
	return p.request(ctx)
}

// plan builds the request: resource rows merged with the query's (the query wins; header names compare
// case-insensitively), {{variables}} expanded everywhere, the access token placeholder substituted, auth
// applied, cookies joined, the body encoded, and every header checked.
func plan(cred *credentials, res *resource.Resource, q *query.Query, vars map[string]string) (*Plan, error) {
	if res == nil {
		return nil, errors.New("no resource to send the request to")
	}
	if q == nil {
		q = &query.Query{}
	}
	if cred.preview {
		vars = keepMissing(vars, res, q)
	}
	x := &template.Expander{Vars: vars}
	expandRows := func(l kv.List) kv.List {
		out := make(kv.List, len(l))
		for i, p := range l {
			out[i] = kv.On(x.Expand(p.Key), x.Expand(p.Value))
		}
		return out
	}
	base := x.Expand(res.BaseURL)
	path := x.Expand(q.Path)
	params := expandRows(kv.Merge(res.Params, q.Params, false))
	headers := expandRows(kv.Merge(res.Headers, q.Headers, true))
	cookies := expandRows(kv.Merge(res.Cookies, q.Cookies, false))
	var body []byte
	contentType := ""
	switch q.Body.Kind {
	case query.BodyJSON, query.BodyRaw:
		if text := x.Expand(q.Body.Text); text != "" {
			body = []byte(text)
			contentType = "application/json"
			if q.Body.Kind == query.BodyRaw {
				contentType = q.Body.ContentType
				if contentType == "" {
					contentType = "text/plain; charset=utf-8"
				}
			}
		}
	case query.BodyForm:
		form := expandRows(q.Body.Form.Active())
		body = []byte(encodeRows(form, cred.preview))
		contentType = "application/x-www-form-urlencoded"
	}
	if err := x.Err(); err != nil {
		return nil, err
	}

	p := &Plan{Method: q.EffectiveMethod(), Body: body, secretParams: map[string]string{}}
	if err := query.ValidateMethod(p.Method); err != nil {
		return nil, err
	}

	// The access token, wherever its placeholder is written, and as a bearer token for OAuth 2.0.
	explicitAuth := hasKey(headers, "Authorization", true)
	for i := range headers {
		if strings.Contains(headers[i].Value, template.AccessTokenPlaceholder) {
			tok, err := cred.accessToken()
			if err != nil {
				return nil, err
			}
			headers[i].Value = strings.ReplaceAll(headers[i].Value, template.AccessTokenPlaceholder, tok)
			p.addSecretHeader(headers[i].Key)
		}
	}
	for i := range params {
		if strings.Contains(params[i].Value, template.AccessTokenPlaceholder) {
			tok, err := cred.accessToken()
			if err != nil {
				return nil, err
			}
			params[i].Value = strings.ReplaceAll(params[i].Value, template.AccessTokenPlaceholder, tok)
			p.secretParams[params[i].Key] = template.AccessTokenPlaceholder
		}
	}

	// Auth. A header or param the person wrote explicitly wins over the resource's auth setting.
	a := res.Auth
	switch a.Kind {
	case resource.AuthBearer:
		if !explicitAuth {
			tok, err := cred.secret(SecretBearerToken, true)
			if err != nil {
				return nil, err
			}
			headers = append(headers, kv.On("Authorization", "Bearer "+tok))
		}
	case resource.AuthBasic:
		if !explicitAuth {
			pw, err := cred.secret(SecretPassword, false)
			if err != nil {
				return nil, err
			}
			headers = append(headers, kv.On("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(a.Username+":"+pw))))
		}
	case resource.AuthAPIKey:
		if a.KeyIn == resource.KeyInQuery {
			if !hasKey(params, a.KeyName, false) {
				key, err := cred.secret(SecretAPIKey, true)
				if err != nil {
					return nil, err
				}
				params = append(params, kv.On(a.KeyName, key))
			}
			p.secretParams[a.KeyName] = APIKeyPlaceholder
		} else {
			if !hasKey(headers, a.KeyName, true) {
				key, err := cred.secret(SecretAPIKey, true)
				if err != nil {
					return nil, err
				}
				headers = append(headers, kv.On(a.KeyName, key))
			}
			p.addSecretHeader(a.KeyName)
		}
	case resource.AuthOAuth2:
		if !explicitAuth {
			tok, err := cred.accessToken()
			if err != nil {
				return nil, err
			}
			headers = append(headers, kv.On("Authorization", "Bearer "+tok))
		}
	}
	p.addSecretHeader("Authorization")
	p.token = cred.token

	// Cookies go in one Cookie header, after any the person wrote as a header.
	if len(cookies) > 0 {
		var b strings.Builder
		if v, ok := headers.Get("Cookie", true); ok {
			b.WriteString(v)
			headers = removeKey(headers, "Cookie")
		}
		for _, c := range cookies {
			if err := resource.ValidateCookieName(c.Key); err != nil {
				return nil, badHeader("cookie", c.Key, err, "")
			}
			if err := resource.ValidateCookieValue(c.Value); err != nil {
				return nil, badHeader("cookie", c.Key, err, ": check the variables used in it")
			}
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			b.WriteString(c.Key + "=" + c.Value)
		}
		headers = append(headers, kv.On("Cookie", b.String()))
	}
	p.addSecretHeader("Cookie")

	if contentType != "" && !hasKey(headers, "Content-Type", true) {
		headers = append(headers, kv.On("Content-Type", contentType))
	}
	for _, h := range headers {
		if err := resource.ValidateHeaderName(h.Key); err != nil {
			return nil, badHeader("header", h.Key, err, "")
		}
		if err := resource.ValidateHeaderValue(h.Value); err != nil {
			return nil, badHeader("header", h.Key, err, ": check the variables and secrets used in it")
		}
	}
	for _, prm := range params {
		if err := resource.ValidateParamName(prm.Key); err != nil {
			return nil, fmt.Errorf("the URL parameter %q cannot be sent: %s", prm.Key, lowerFirst(err.Error()))
		}
	}
	p.Header = headers

	u, err := joinURL(base, path, params, cred.preview)
	if err != nil {
		return nil, err
	}
	p.URL = u
	return p, nil
}

// request turns the plan into an *http.Request. The body is a bytes.Reader, so GetBody can replay it on a
// redirect that keeps the method.
func (p *Plan) request(ctx context.Context) (*http.Request, error) {
	var body *bytes.Reader
	if p.Body != nil {
		body = bytes.NewReader(p.Body)
	}
	var req *http.Request
	var err error
	if body != nil {
		req, err = http.NewRequestWithContext(ctx, p.Method, p.URL, body)
	} else {
		req, err = http.NewRequestWithContext(ctx, p.Method, p.URL, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot make a request of %s %s: %w", p.Method, origin(p.URL), err)
	}
	for _, h := range p.Header {
		if strings.EqualFold(h.Key, "Host") {
			req.Host = h.Value
			continue
		}
		req.Header.Add(h.Key, h.Value)
	}
	if _, ok := req.Header["User-Agent"]; !ok {
		req.Header.Set("User-Agent", "apidesk/"+version.Version)
	}
	return req, nil
}

func (p *Plan) addSecretHeader(name string) {
	name = http.CanonicalHeaderKey(name)
	for _, h := range p.secretHeaders {
		if h == name {
			return
		}
	}
	p.secretHeaders = append(p.secretHeaders, name)
}

// keepMissing returns vars plus every variable the request uses that has no value, mapped to itself written
// as {{name}}, so a preview shows it as written.
func keepMissing(vars map[string]string, res *resource.Resource, q *query.Query) map[string]string {
	texts := []string{res.BaseURL, q.Path, q.Body.Text}
	for _, l := range []kv.List{res.Params, res.Headers, res.Cookies, q.Params, q.Headers, q.Cookies, q.Body.Form} {
		for _, p := range l.Active() {
			texts = append(texts, p.Key, p.Value)
		}
	}
	out := make(map[string]string, len(vars))
	for k, v := range vars {
		out[k] = v
	}
	for _, n := range template.Names(texts...) {
		if _, ok := out[n]; !ok {
			out[n] = "{{" + n + "}}"
		}
	}
	return out
}

func hasKey(l kv.List, key string, fold bool) bool {
	_, ok := l.Get(key, fold)
	return ok
}

func removeKey(l kv.List, key string) kv.List {
	out := l[:0:0]
	for _, p := range l {
		if !strings.EqualFold(p.Key, key) {
			out = append(out, p)
		}
	}
	return out
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// joinURL joins the base URL and the path, keeps the query strings either may carry, and appends the params.
// Characters that cannot appear in a URL are percent-encoded; existing %XX escapes are kept.
func joinURL(base, path string, params kv.List, preview bool) (string, error) {
	base = strings.TrimSpace(base)
	base, _, _ = strings.Cut(base, "#")
	path, _, _ = strings.Cut(path, "#")
	scheme, rest, ok := strings.Cut(base, "://")
	if !ok {
		if preview {
			scheme, rest = "", base
		} else {
			return "", badURL("the base URL must start with http:// or https://")
		}
	}
	authority, basePath := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority, basePath = rest[:i], rest[i:]
	}
	basePath, baseQuery, _ := strings.Cut(basePath, "?")
	pathOnly, pathQuery, _ := strings.Cut(path, "?")

	joined := basePath
	if pathOnly != "" {
		joined = strings.TrimRight(basePath, "/") + "/" + strings.TrimLeft(pathOnly, "/")
	}
	var b strings.Builder
	if scheme != "" {
		b.WriteString(scheme + "://")
	}
	b.WriteString(authority)
	b.WriteString(escape(joined, false, preview))
	var qs []string
	for _, s := range []string{baseQuery, pathQuery} {
		if s != "" {
			qs = append(qs, escape(s, true, preview))
		}
	}
	if len(params) > 0 {
		qs = append(qs, encodeRows(params, preview))
	}
	if len(qs) > 0 {
		b.WriteString("?" + strings.Join(qs, "&"))
	}
	out := b.String()
	if preview {
		return out, nil
	}
	u, err := url.Parse(out)
	if err != nil {
		return "", badURL("the URL made from the base URL %s and the path is not valid: check them and the variables used in them", origin(out))
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", badURL("the base URL must start with http:// or https://")
	}
	if u.Host == "" {
		return "", badURL("the base URL needs a host name, for example https://api.example.com")
	}
	return out, nil
}

// encodeRows encodes rows as application/x-www-form-urlencoded, keeping their order. In a preview, braces
// stay as written so {{variables}} and {-placeholders-} remain readable.
func encodeRows(rows kv.List, preview bool) string {
	var b strings.Builder
	for i, p := range rows {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(queryEscape(p.Key, preview))
		b.WriteByte('=')
		b.WriteString(queryEscape(p.Value, preview))
	}
	return b.String()
}

var braces = strings.NewReplacer("%7B", "{", "%7D", "}")

func queryEscape(s string, preview bool) string {
	s = url.QueryEscape(s)
	if preview {
		s = braces.Replace(s)
	}
	return s
}

// escape percent-encodes the bytes of a path (or a query string when query is true) that may not appear in a
// URL, keeping valid %XX escapes and, in a preview, braces.
func escape(s string, query, preview bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(c)
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0:
			b.WriteByte(c)
		case query && c == '?':
			b.WriteByte(c)
		case preview && (c == '{' || c == '}'):
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// origin returns scheme://host of a URL, for messages: never the path or query, which may carry a secret.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		scheme, rest, ok := strings.Cut(raw, "://")
		if !ok {
			return "the URL"
		}
		host, _, _ := strings.Cut(rest, "/")
		host, _, _ = strings.Cut(host, "?")
		if at := strings.LastIndexByte(host, '@'); at >= 0 {
			host = host[at+1:]
		}
		return scheme + "://" + host
	}
	return u.Scheme + "://" + u.Host
}
