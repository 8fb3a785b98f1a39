package curl

import (
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/template"
)

// Export writes the request a query sends on its resource as a bash curl command (see Request.Command), with
// every secret replaced by a placeholder: the resource's Basic password (PasswordPlaceholder), bearer token
// (BearerTokenPlaceholder), API key in a header or URL parameter (APIKeyPlaceholder), the OAuth 2.0 access
// token (template.AccessTokenPlaceholder, kept as written), the value of any Authorization header the query
// writes itself, and every other value whose name says it is secret (SecretPlaceholder).
//
// The request is built as the runner builds it: the resource's headers, URL params and cookies merged with the
// query's (the query wins; header names compare case-insensitively), {{variables}} filled from vars and the
// query's defaults (a variable with no value stays {{written}}), then authentication, which a header or
// parameter the query writes itself overrides. The command asks for a compressed response, as apidesk does.
func Export(q *query.Query, res *resource.Resource, vars map[string]string) (string, error) {
	r, err := exportRequest(q, res, vars)
	if err != nil {
		return "", err
	}
	return r.Command(), nil
}

func exportRequest(q *query.Query, res *resource.Resource, vars map[string]string) (*Request, error) {
	if res == nil || q == nil {
		return nil, errors.New("nothing to export: choose a query and its resource")
	}
	values := q.Values(vars)
	fill := func(s string) string {
		names := template.Names(s)
		if len(names) == 0 {
			return s
		}
		m := make(map[string]string, len(names))
		for _, n := range names {
			if v, ok := values[n]; ok {
				m[n] = v
			} else {
				m[n] = "{{" + n + "}}"
			}
		}
		out, _ := template.Expand(s, m) // every name has a value
		return out
	}
	fillRows := func(l kv.List) kv.List {
		var out kv.List
		for _, p := range l.Active() {
			out = append(out, kv.On(fill(p.Key), fill(p.Value)))
		}
		return out
	}

	r := &Request{Method: q.EffectiveMethod(), Compressed: true}
	if err := query.ValidateMethod(r.Method); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	params := fillRows(kv.Merge(res.Params, q.Params, false))
	headers := fillRows(kv.Merge(res.Headers, q.Headers, true))
	cookies := fillRows(kv.Merge(res.Cookies, q.Cookies, false))

	// Authentication, with placeholders. A row the query writes itself wins, as in the runner.
	a := res.Auth
	switch a.Kind {
	case resource.AuthBearer:
		if _, ok := headers.Get("Authorization", true); !ok {
			headers = append(headers, kv.On("Authorization", "Bearer "+BearerTokenPlaceholder))
		}
	case resource.AuthOAuth2:
		if _, ok := headers.Get("Authorization", true); !ok {
			headers = append(headers, kv.On("Authorization", "Bearer "+template.AccessTokenPlaceholder))
		}
	case resource.AuthBasic:
		if _, ok := headers.Get("Authorization", true); !ok {
			r.HasUser, r.User, r.Password = true, a.Username, PasswordPlaceholder
		}
	case resource.AuthAPIKey:
		if a.KeyIn == resource.KeyInQuery {
			params = setPlaceholder(params, a.KeyName, false)
		} else {
			headers = setPlaceholder(headers, a.KeyName, true)
		}
	}

	// The query's own secrets: values a person wrote in rows, or variables filled with secrets. (The
	// API key rows have their placeholder by now.)
	for i, h := range headers {
		switch n := normName(h.Key); {
		case onlyPlaceholders(h.Value):
		case n == "authorization" || n == "proxyauthorization":
			headers[i].Value = redactAuthorization(h.Value)
		case secretHeader(h.Key):
			headers[i].Value = SecretPlaceholder
		}
	}
	redact(params, secretParam)
	redact(cookies, secretCookie)

	// The body, and the content type the runner sends with it.
	ct := ""
	switch q.Body.Kind {
	case query.BodyJSON:
		if text := fill(q.Body.Text); text != "" {
			r.Body = query.Body{Kind: query.BodyJSON, Text: text}
			ct = "application/json"
		}
	case query.BodyRaw:
		if text := fill(q.Body.Text); text != "" {
			ct = q.Body.ContentType
			if ct == "" {
				ct = "text/plain; charset=utf-8"
			}
			r.Body = query.Body{Kind: query.BodyRaw, Text: text, ContentType: ct}
		}
	case query.BodyForm:
		form := fillRows(q.Body.Form)
		redact(form, secretParam)
		r.Body = query.Body{Kind: query.BodyForm, Form: form}
	}
	if r.Body.Kind == "" {
		r.Body.Kind = query.BodyNone
	}
	if ct != "" {
		if _, ok := headers.Get("Content-Type", true); !ok {
			headers = append(headers, kv.On("Content-Type", ct))
		}
	}
	if r.Body.Kind == query.BodyForm && len(r.Body.Form) == 0 {
		r.Body = query.Body{Kind: query.BodyRaw, Text: "", ContentType: formType(headers)}
	}

	for _, h := range headers {
		if err := resource.ValidateHeaderName(h.Key); err != nil {
			return nil, fmt.Errorf("%w: header %q: %v", ErrBadRequest, h.Key, err)
		}
		if err := resource.ValidateHeaderValue(h.Value); err != nil {
			return nil, fmt.Errorf("%w: header %s: %v: check the variables used in it", ErrBadRequest, h.Key, err)
		}
	}
	for _, c := range cookies {
		if err := resource.ValidateCookieValue(c.Value); err != nil {
			return nil, fmt.Errorf("%w: cookie %s: %v: check the variables used in it", ErrBadRequest, c.Key, err)
		}
	}
	r.Headers, r.Cookies = headers, cookies

	u, user, err := exportURL(fill(res.BaseURL), fill(q.Path), params)
	if err != nil {
		return nil, err
	}
	r.URL = u
	if user != "" && !r.HasUser { // user:password@ in the base URL: the password becomes a placeholder
		r.HasUser, r.User, r.Password = true, user, PasswordPlaceholder
	}
	return r, nil
}

// formType is the content type a form body goes with.
func formType(headers kv.List) string {
	if t, ok := headers.Get("Content-Type", true); ok {
		return t
	}
	return "application/x-www-form-urlencoded"
}

// redact replaces the value of each row whose name says it is secret.
func redact(rows kv.List, is func(string) bool) {
	for i, p := range rows {
		if is(p.Key) && !onlyPlaceholders(p.Value) {
			rows[i].Value = SecretPlaceholder
		}
	}
}

// redactAuthorization keeps an Authorization header's scheme and replaces its credentials.
func redactAuthorization(v string) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	switch {
	case !ok || strings.TrimSpace(cred) == "":
		return SecretPlaceholder
	case onlyPlaceholders(cred):
		return v
	case strings.EqualFold(scheme, "Bearer"):
		return scheme + " " + BearerTokenPlaceholder
	}
	return scheme + " " + SecretPlaceholder
}

// setPlaceholder gives every row named key the API key placeholder, or adds one.
func setPlaceholder(rows kv.List, key string, fold bool) kv.List {
	found := false
	for i, p := range rows {
		if p.Key == key || fold && strings.EqualFold(p.Key, key) {
			found = true
			if !onlyPlaceholders(p.Value) {
				rows[i].Value = APIKeyPlaceholder
			}
		}
	}
	if !found {
		rows = append(rows, kv.On(key, APIKeyPlaceholder))
	}
	return rows
}

// exportURL joins the base URL and the path as the runner does, keeps the query strings either may carry and
// appends the params. A user:password@ in the base URL is taken out and its user returned.
func exportURL(base, path string, params kv.List) (u, user string, err error) {
	base = strings.TrimSpace(base)
	base, _, _ = strings.Cut(base, "#")
	path, _, _ = strings.Cut(path, "#")
	scheme, rest, ok := strings.Cut(base, "://")
	if !ok || (!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https")) {
		return "", "", fmt.Errorf("%w: the resource's base URL must start with http:// or https://", ErrBadRequest)
	}
	authority, basePath := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority, basePath = rest[:i], rest[i:]
	}
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		user, _, _ = strings.Cut(authority[:at], ":")
		if s, err := url.PathUnescape(user); err == nil {
			user = s
		}
		authority = authority[at+1:]
	}
	if authority == "" {
		return "", "", fmt.Errorf("%w: the resource's base URL needs a host name, for example https://api.example.com", ErrBadRequest)
	}
	basePath, baseQuery, _ := strings.Cut(basePath, "?")
	pathOnly, pathQuery, _ := strings.Cut(path, "?")
	joined := basePath
	if pathOnly != "" {
		joined = strings.TrimRight(basePath, "/") + "/" + strings.TrimLeft(pathOnly, "/")
	}
	var b strings.Builder
	b.WriteString(scheme + "://" + escapeURL(authority, false) + escapeURL(joined, false))
	var qs []string
	for _, s := range []string{baseQuery, pathQuery} {
		if s != "" {
			qs = append(qs, escapeURL(s, true))
		}
	}
	if len(params) > 0 {
		qs = append(qs, encodeForm(params))
	}
	if len(qs) > 0 {
		b.WriteString("?" + strings.Join(qs, "&"))
	}
	return b.String(), user, nil
}

// escapeURL percent-encodes the bytes of a URL part that may not appear in a URL as curl sends it: spaces,
// controls, non-ASCII, quotes, # (and ? outside the query), and a % that starts no %XX escape. Braces stay, so
// {{variables}} and {-placeholders-} remain readable.
func escapeURL(s string, inQuery bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(c)
		case c <= ' ' || c >= 0x7f || strings.IndexByte("\"#%<>\\^`|", c) >= 0 || c == '?' && !inQuery:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// mediaType is the lower-case media type of a Content-Type value.
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt
}
