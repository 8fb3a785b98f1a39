package runner

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
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

// Plan is a request ready to send, before it becomes an *http.Request. Do builds one and sends it; Preview
// builds the same one with secrets replaced by placeholders, for "Copy as cURL" and the cURL exporter.
type Plan struct {
	Method string
	URL    string  // absolute, its query included, escaped as it goes on the wire
	Header kv.List // in the order they are sent; cookie rows are joined into one Cookie header
	Body   []byte  // nil when there is none, or when the body is a file or a multipart form (see Parts, File)

	// A body streamed from disk as it is sent: a multipart form (Parts, {{variables}} expanded, file paths
	// absolute) or a file (File, absolute). ContentType is the body's type as sent (for a multipart form, with
	// its boundary), "" when there is no body. Renderers such as the cURL exporter write -F and --data-binary @.
	Parts       []query.Part
	File        string
	ContentType string

	// What must not leave the resource's origin on a redirect.
	secretHeaders []string          // canonical names of headers that carry credentials
	secretBuf     [4]string         // secretHeaders' first backing array
	secretParams  map[string]string // URL param name → placeholder to show instead of its value
	token         string            // the OAuth access token sent, "" if none
	upload        *upload           // the body streamed from disk (Parts, File); nil in a preview

	// Digest says that the plan answers the server's Digest challenge (RFC 7616) with the user name and password
	// BasicAuth gives, rather than send an Authorization header of its own: the resource authenticates with
	// resource.AuthDigest. A renderer writes curl's --digest -u.
	Digest bool

	user, password string // the Basic authentication the plan's Authorization header carries, or Digest's
	basic          bool
}

// BasicAuth returns the user name and password of the Basic authentication the plan sends in its
// Authorization header when the plan made that header itself, from the resource's Basic authentication or
// the base URL's user:password@ (in a Preview the password is PasswordPlaceholder), so a renderer can write
// them as curl's -u. With Digest, they are those the plan answers a Digest challenge with (it sends no
// Authorization header before). An Authorization header the query writes itself is not the plan's: ok is false.
func (p *Plan) BasicAuth() (user, password string, ok bool) {
	return p.user, p.password, p.basic
}

// Compressed reports whether the request asks for a gzip response, as the runner sends it: unless the person
// chose an Accept-Encoding (or a Range, which gzip would change the meaning of). The runner then decodes the
// body itself, so it knows the body's size on the wire.
func (p *Plan) Compressed() bool {
	return !p.Header.Has("Accept-Encoding", true) && !p.Header.Has("Range", true)
}

// Preview builds the request a query would send, without reading the keychain or the token source: every
// secret is replaced by its placeholder (PasswordPlaceholder, BearerTokenPlaceholder, APIKeyPlaceholder,
// template.AccessTokenPlaceholder), also in a row the query writes under the API key's name, and a
// {{variable}} with no value stays as written. Basic auth appears as an Authorization header encoding
// "username:{-password-}" (see Plan.BasicAuth). q may be nil (a request to the base URL). It is what
// "Copy as cURL" and the cURL exporter render.
//
// The files of a multipart form or a file body are not read, nor checked: a relative path is made absolute
// in the current folder. Runner.Preview makes it absolute in the runner's Dir, the workspace folder.
func Preview(res *resource.Resource, q *query.Query, vars map[string]string) (*Plan, error) {
	return plan(&credentials{res: res, preview: true}, res, q, vars)
}

// Preview is the package's Preview, with the relative paths of body files made absolute in r.Dir (the
// workspace folder) as Do finds them.
func (r *Runner) Preview(res *resource.Resource, q *query.Query, vars map[string]string) (*Plan, error) {
	return plan(&credentials{res: res, preview: true, dir: r.Dir}, res, q, vars)
}

// Build returns the *http.Request the runner would send for the query, with real secrets in it, for a caller
// that sends it itself. It is what Do sends, except that Do also asks for gzip, follows redirects, sends it with
// the resource's network settings (HTTPClient) and answers a Digest challenge (the request carries none).
func (r *Runner) Build(ctx context.Context, res *resource.Resource, q *query.Query, vars map[string]string) (*http.Request, error) {
	sent := secretVariables(q, vars)
	p, err := plan(r.credentials(ctx, res, &sent), res, q, vars)
	if err != nil {
		return nil, mask(err, sent)
	}
	req, err := p.request(ctx, false, nil)
	return req, mask(err, sent)
}

// plan builds the request from the query's Parts on the resource (its rows merged with the query's), with
// {{variables}} expanded everywhere (in a preview, one with no value stays as written), the access token
// placeholder substituted, auth applied, cookies joined, the body encoded, and every header checked. The files
// of a body streamed from disk are found and checked here, before anything is sent (not in a preview).
func plan(cred *credentials, res *resource.Resource, q *query.Query, vars map[string]string) (*Plan, error) {
	if res == nil {
		return nil, errors.New("no resource to send the request to")
	}
	if q == nil {
		q = &query.Query{}
	}
	parts := q.Parts(res)
	p := &Plan{Method: q.EffectiveMethod()}
	p.secretHeaders = p.secretBuf[:0]
	for _, h := range parts.Headers {
		// A header whose value comes from a variable may carry anything (cURL import puts secrets in
		// variables): it stays with the origin on a redirect, as do the headers whose names say they are secret.
		if strings.Contains(h.Value, "{{") || sensitive.Header(h.Key) {
			p.addSecretHeader(h.Key)
		}
	}
	x := &template.Expander{Vars: vars, KeepMissing: cred.preview}
	parts.Map(func(s string) string {
		if strings.Contains(s, "{{") {
			return x.Expand(s)
		}
		return s
	})
	if err := x.Err(); err != nil {
		return nil, err
	}
	// The origin the secrets go to is the base URL's as sent: a {{variable}} in it (an environment's base URL)
	// is filled in by now.
	cred.apiOrigin = resource.OriginOf(parts.BaseURL)
	params, headers, cookies := parts.Params, parts.Headers, parts.Cookies
	var body []byte
	contentType := ""
	switch parts.Body.Kind {
	case query.BodyJSON, query.BodyRaw:
		if parts.Body.Text != "" {
			body = []byte(parts.Body.Text)
			contentType = "application/json"
			if parts.Body.Kind == query.BodyRaw {
				contentType = parts.Body.ContentType
				if contentType == "" {
					contentType = "text/plain; charset=utf-8"
				}
			}
		}
	case query.BodyForm:
		body = []byte(encodeRows(parts.Body.Form, cred.preview))
		contentType = "application/x-www-form-urlencoded"
	case query.BodyMultipart:
		boundary, addBoundary := boundaryOf(headers)
		var err error
		if p.Parts, contentType, p.upload, err = multipartBody(cred.dir, parts.Body.Parts, boundary, !cred.preview); err != nil {
			return nil, err
		}
		if addBoundary {
			withBoundary(headers, contentType) // a Content-Type: multipart/form-data the person wrote gets the boundary
		}
	case query.BodyFile:
		var err error
		if p.File, contentType, p.upload, err = fileBody(cred.dir, parts.Body, !cred.preview); err != nil {
			return nil, err
		}
	}

	p.Body = body
	if err := query.ValidateMethod(p.Method); err != nil {
		return nil, err
	}

	// The access token, wherever its placeholder is written, and as a bearer token for OAuth 2.0.
	explicitAuth := headers.Has("Authorization", true)
	if err := p.substituteToken(cred, headers, false); err != nil {
		return nil, err
	}
	if err := p.substituteToken(cred, params, true); err != nil {
		return nil, err
	}

	// Auth. A header or param the person wrote explicitly wins over the resource's auth setting.
	a := res.Auth
	switch a.Kind {
	case resource.AuthBearer:
		if !explicitAuth {
			tok, err := cred.secret(resource.SecretBearerToken, true)
			if err != nil {
				return nil, err
			}
			headers = append(headers, kv.On("Authorization", "Bearer "+tok))
		}
	case resource.AuthBasic:
		if !explicitAuth {
			pw, err := cred.secret(resource.SecretPassword, false)
			if err != nil {
				return nil, err
			}
			headers = p.basicAuth(headers, a.Username, pw)
		}
	case resource.AuthDigest:
		if !explicitAuth {
			pw, err := cred.secret(resource.SecretPassword, false)
			if err != nil {
				return nil, err
			}
			p.user, p.password, p.basic, p.Digest = a.Username, pw, true, true
		}
	case resource.AuthAPIKey:
		rows, fold := &headers, true
		if a.KeyIn == resource.KeyInQuery {
			rows, fold = &params, false
			p.maskParam(a.KeyName, APIKeyPlaceholder)
		} else {
			p.addSecretHeader(a.KeyName)
		}
		switch {
		case !rows.Has(a.KeyName, fold):
			key, err := cred.secret(resource.SecretAPIKey, true)
			if err != nil {
				return nil, err
			}
			*rows = append(*rows, kv.On(a.KeyName, key))
		case cred.preview:
			hideKey(*rows, a.KeyName, fold) // a row the query writes under the key's name holds the key
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
	// user:password@ in the base URL is Basic authentication when nothing else set Authorization, as Go's
	// client and curl send it; the URL goes without it, so that it shows no password.
	base, user, password, hasUser := cutUserinfo(parts.BaseURL)
	if hasUser && !headers.Has("Authorization", true) && !p.Digest {
		if cred.preview {
			password = PasswordPlaceholder
		}
		cred.keep(password)
		headers = p.basicAuth(headers, user, password)
	}
	p.addSecretHeader("Authorization")
	p.token = cred.token

	// Cookies go in one Cookie header, after any the person wrote as a header.
	if len(cookies) > 0 {
		var b strings.Builder
		if headers.Has("Cookie", true) { // rare: Cookie headers and cookie rows
			for _, h := range headers {
				if strings.EqualFold(h.Key, "Cookie") && h.Value != "" {
					if b.Len() > 0 {
						b.WriteString("; ")
					}
					b.WriteString(h.Value)
				}
			}
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

	if contentType != "" && !headers.Has("Content-Type", true) {
		headers = append(headers, kv.On("Content-Type", contentType))
	}
	if body != nil || p.upload != nil || p.Parts != nil || p.File != "" {
		p.ContentType = headerValue(headers, "Content-Type")
	}
	for _, h := range headers {
		if plainHeader(h.Key, h.Value) {
			continue // the common case, checked without the validators' per-rune work
		}
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

	u, err := joinURL(base, parts.Path, params, cred.preview)
	if err != nil {
		return nil, err
	}
	p.URL = u
	return p, nil
}

// request turns the plan into an *http.Request. The body is a bytes.Reader, or the upload streamed from disk,
// so GetBody can replay it on a redirect that keeps the method. With gzip, it asks for a gzip body when the
// plan is Compressed. sent, when not nil, is told how much of an upload has been sent.
func (p *Plan) request(ctx context.Context, gzip bool, sent func(n int64)) (*http.Request, error) {
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
		return nil, badURL("the URL made from the base URL %s and the path is not valid: check them and the variables used in them", origin(p.URL))
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return nil, badURL("the base URL must start with http:// or https://")
	}
	if req.URL.Host == "" {
		return nil, badURL("the base URL needs a host name, for example https://api.example.com")
	}
	if u := p.upload; u != nil {
		req.Body, req.ContentLength = u.body(sent), u.size
		if u.size >= 0 { // a pipe cannot be read twice
			req.GetBody = func() (io.ReadCloser, error) { return u.body(sent), nil }
		}
	}
	// One backing array for every header's value slice, rather than one allocation per header (Header.Add).
	vals := make([]string, len(p.Header)+2)
	for i, h := range p.Header {
		if strings.EqualFold(h.Key, "Host") {
			req.Host = h.Value
			continue
		}
		key := http.CanonicalHeaderKey(h.Key)
		vals[i] = h.Value
		if prev, ok := req.Header[key]; ok {
			req.Header[key] = append(prev, h.Value) // a repeated header: a rare copy
		} else {
			req.Header[key] = vals[i : i+1 : i+1]
		}
	}
	n := len(p.Header)
	if _, ok := req.Header["User-Agent"]; !ok {
		vals[n] = "apidesk/" + version.Version
		req.Header["User-Agent"] = vals[n : n+1 : n+1]
	}
	if gzip && p.Compressed() {
		vals[n+1] = "gzip"
		req.Header["Accept-Encoding"] = vals[n+1 : n+2 : n+2]
	}
	return req, nil
}

// substituteToken puts the access token where rows write its placeholder, and marks those rows as secret.
func (p *Plan) substituteToken(cred *credentials, rows kv.List, inURL bool) error {
	for i := range rows {
		if !strings.Contains(rows[i].Value, template.AccessTokenPlaceholder) {
			continue
		}
		tok, err := cred.accessToken()
		if err != nil {
			return err
		}
		rows[i].Value = strings.ReplaceAll(rows[i].Value, template.AccessTokenPlaceholder, tok)
		if inURL {
			p.maskParam(rows[i].Key, template.AccessTokenPlaceholder)
		} else {
			p.addSecretHeader(rows[i].Key)
		}
	}
	return nil
}

// basicAuth adds the Authorization header of Basic authentication, and remembers its parts for BasicAuth.
func (p *Plan) basicAuth(headers kv.List, user, password string) kv.List {
	p.user, p.password, p.basic = user, password, true
	return append(headers, kv.On("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+password))))
}

// hideKey gives the API key's placeholder to each row named name whose value is more than {{variables}} and
// {-placeholders-}.
func hideKey(rows kv.List, name string, fold bool) {
	for i, r := range rows {
		if (r.Key == name || fold && strings.EqualFold(r.Key, name)) && !template.OnlyPlaceholders(r.Value) {
			rows[i].Value = APIKeyPlaceholder
		}
	}
}

// cutUserinfo takes user:password@ out of a URL and returns the URL without it and its parts, unescaped.
func cutUserinfo(raw string) (u, user, password string, ok bool) {
	scheme, rest, found := strings.Cut(raw, "://")
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndexByte(rest[:end], '@')
	if !found || at < 0 {
		return raw, "", "", false
	}
	user, password, _ = strings.Cut(rest[:at], ":")
	if s, err := url.PathUnescape(user); err == nil {
		user = s
	}
	if s, err := url.PathUnescape(password); err == nil {
		password = s
	}
	return scheme + "://" + rest[at+1:], user, password, true
}

func (p *Plan) maskParam(name, placeholder string) {
	if p.secretParams == nil {
		p.secretParams = map[string]string{}
	}
	p.secretParams[name] = placeholder
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

// plainHeader reports whether a header is certainly valid: a name of RFC 9110 token characters and a value
// of visible ASCII, spaces and tabs. Anything else goes through the resource validators, which explain.
func plainHeader(name, value string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < ' ' && c != '\t' || c >= 0x7f {
			return false
		}
	}
	return true
}

// headerValue is the value of the first header named key, "" when there is none.
func headerValue(l kv.List, key string) string {
	for _, h := range l {
		if strings.EqualFold(h.Key, key) {
			return h.Value
		}
	}
	return ""
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
	if !ok || !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
		return "", badURL("the base URL must start with http:// or https://")
	}
	authority, basePath := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority, basePath = rest[:i], rest[i:]
	}
	if authority == "" {
		return "", badURL("the base URL needs a host name, for example https://api.example.com")
	}
	basePath, baseQuery, _ := strings.Cut(basePath, "?")
	pathOnly, pathQuery, _ := strings.Cut(path, "?")

	var b strings.Builder
	b.Grow(len(base) + len(path) + 16*len(params) + 8)
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(authority)
	if pathOnly == "" {
		b.WriteString(escape(basePath, false, preview))
	} else {
		b.WriteString(escape(strings.TrimRight(basePath, "/"), false, preview))
		b.WriteByte('/')
		b.WriteString(escape(strings.TrimLeft(pathOnly, "/"), false, preview))
	}
	sep := byte('?')
	for _, s := range []string{baseQuery, pathQuery} {
		if s != "" {
			b.WriteByte(sep)
			b.WriteString(escape(s, true, preview))
			sep = '&'
		}
	}
	if len(params) > 0 {
		b.WriteByte(sep)
		writeRows(&b, params, preview)
	}
	return b.String(), nil
}

// encodeRows encodes rows as application/x-www-form-urlencoded, keeping their order. In a preview, braces
// stay as written so {{variables}} and {-placeholders-} remain readable.
func encodeRows(rows kv.List, preview bool) string {
	var b strings.Builder
	writeRows(&b, rows, preview)
	return b.String()
}

func writeRows(b *strings.Builder, rows kv.List, preview bool) {
	for i, p := range rows {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(queryEscape(p.Key, preview))
		b.WriteByte('=')
		b.WriteString(queryEscape(p.Value, preview))
	}
}

func queryEscape(s string, preview bool) string {
	s = url.QueryEscape(s)
	if preview && strings.Contains(s, "%7") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "%7B", "{"), "%7D", "}")
	}
	return s
}

// escape percent-encodes the bytes of a path (or a query string when query is true) that may not appear in a
// URL, keeping valid %XX escapes and, in a preview, braces.
func escape(s string, query, preview bool) string {
	keep := func(i int) bool {
		c := s[i]
		switch {
		case c == '%':
			return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0:
			return true
		case c == '?':
			return query
		case c == '{', c == '}':
			return preview
		}
		return false
	}
	i := 0
	for i < len(s) && keep(i) {
		i++
	}
	if i == len(s) {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		if keep(i) {
			b.WriteByte(s[i])
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[s[i]>>4])
		b.WriteByte(hex[s[i]&15])
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
