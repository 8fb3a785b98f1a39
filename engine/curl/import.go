package curl

import (
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"slices"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
)

// Imported is what Import made of a curl command.
type Imported struct {
	// Query is the request as a query on the resource, without a name (the caller gives it one). It holds no
	// credential and no value that looked secret.
	Query *query.Query
	// Credentials are the authentication the command carried, removed from the query, in the order found.
	Credentials []Credential
	// Secrets are the other values that looked secret; the query asks for each as a {{variable}}.
	Secrets []Secret
	// Network is what the command sets up of how requests reach the server (a proxy, CA certificates, a
	// client certificate, -k), nil when it sets none. It belongs to the resource, so Import leaves the
	// resource as it is: the caller may offer to set it.
	Network *Network
	// Notes say what the person should know about the import (see Request.Notes), in plain sentences.
	Notes []string
}

// Network is the network settings a curl command uses, with the secrets they need, which belong in the
// keychain (resource.SecretProxyAuth, resource.SecretKeyPassphrase), never in a file.
type Network struct {
	Settings      resource.Network
	ProxyAuth     string // the proxy's "user:password"; "" when the command gives none
	KeyPassphrase string // the client key's passphrase; "" when the command gives none
	// Matches says the resource already has these settings, so only the secrets (if any) are new.
	Matches bool
}

// String describes the settings without their secrets, so they may be printed or logged.
func (n Network) String() string {
	words := networkWords(n.Settings)
	if n.ProxyAuth != "" {
		words = append(words, "a proxy user name and password")
	}
	if n.KeyPassphrase != "" {
		words = append(words, "the client key's passphrase")
	}
	if len(words) == 0 {
		return "the default network settings"
	}
	return strings.Join(words, ", ")
}

// GoString keeps %#v from printing the secrets.
func (n Network) GoString() string { return "curl.Network{" + n.String() + "}" }

// Credential is authentication found in a curl command: a -u user and password, an Authorization header, or an
// API key. Import never puts one in the query; the caller may offer to keep Secret in the keychain as the
// resource's authentication (Auth says which), or drop it.
type Credential struct {
	// From says where the command had it, for messages: "-u", "the Authorization header", "the URL parameter
	// api_key".
	From string
	// Auth is the authentication that would send it: Kind, and Username for Basic, KeyName and KeyIn for an
	// API key. An Authorization header with a scheme apidesk has no kind for (Token, Digest…) is an API key in
	// the header Authorization whose value is the whole header.
	Auth resource.Auth
	// Secret is the password, token or key. It is empty when the command had none (-u user alone, which makes
	// curl prompt) or only a {-placeholder-} or {{variable}}.
	Secret string
	// Matches says the resource already authenticates this way (same kind, same user name or key name), so
	// only the secret is new. For an OAuth 2.0 resource a bearer token matches: it is an access token, and
	// apidesk signs in by itself, so callers usually drop it.
	Matches bool
}

// String describes the credential without its secret, so it may be printed or logged.
func (c Credential) String() string {
	s := fmt.Sprintf("%s from %s", c.Auth.Kind.Label(), c.From)
	switch {
	case c.Auth.Username != "":
		s += " for user " + c.Auth.Username
	case c.Auth.KeyName != "":
		s += fmt.Sprintf(" (%s %s)", c.Auth.KeyIn, c.Auth.KeyName)
	}
	return s
}

// GoString keeps %#v from printing the secret.
func (c Credential) GoString() string { return "curl.Credential{" + c.String() + "}" }

// Secret is a value that looked secret (a session cookie, a CSRF token, a password field), replaced in the
// query by the {{variable}} Variable. Pass Value as that variable to run the query as the command would.
type Secret struct {
	From     string // "the cookie sessionid", "the header X-CSRF-Token", "the form field password"…
	Variable string // the variable's name, without braces
	Value    string
}

// String describes the secret without its value.
func (s Secret) String() string { return fmt.Sprintf("%s, now {{%s}}", s.From, s.Variable) }

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return "curl.Secret{" + s.String() + "}" }

// dropped are headers apidesk's HTTP client sets by itself; a browser's copy of them would be wrong or harmful
// (Accept-Encoding would ask for encodings the client does not decode; apidesk asks for gzip on its own).
var dropped = []string{"Content-Length", "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Upgrade", "Accept-Encoding"}

// Import reads a curl command into a query on res. The URL must be under the resource's base URL (same scheme,
// host and port, and below its path); the rest of it becomes the query's path and URL params. Headers, params
// and cookies the resource already sends with the same values are left out. Credentials and values that look
// secret never go into the query: see Imported. --compressed is not kept: apidesk always asks for gzip.
//
// The query is checked as a saved query is (except for its name), so the caller can save it as it is.
// Import is Options{}.Import: relative file paths are kept as written.
func Import(cmd string, res *resource.Resource) (*Imported, error) { return Options{}.Import(cmd, res) }

// Import reads a curl command that would run in the folder o.Dir into a query on res (see Import and
// Options.Parse).
func (o Options) Import(cmd string, res *resource.Resource) (*Imported, error) {
	if res == nil {
		return nil, errors.New("choose the resource to import the command into")
	}
	r, err := o.Parse(cmd)
	if err != nil {
		return nil, err
	}
	relPath, rawQuery, baseQuery, err := pathUnder(r.URL, res.BaseURL)
	if err != nil {
		return nil, err
	}
	q := &query.Query{ID: resource.NewID(), ResourceID: res.ID, Method: r.Method, Path: relPath}
	im := &Imported{Query: q}
	auth := res.Auth

	// Credentials.
	headers := slices.Clone(r.Headers)
	params := parseQuery(rawQuery)
	if r.HasUser {
		kind := resource.AuthBasic
		if r.Digest {
			kind = resource.AuthDigest
		}
		c := Credential{From: "-u", Auth: resource.Auth{Kind: kind, Username: r.User}, Secret: r.Password}
		c.Matches = auth.Kind == kind && auth.Username == r.User
		im.add(c)
	}
	im.Network = importNetwork(r, res)
	im.Notes = r.Notes
	headers = slices.DeleteFunc(headers, func(h kv.Pair) bool {
		if !strings.EqualFold(h.Key, "Authorization") {
			return false
		}
		c, keep := authorizationCredential(h.Value, auth)
		if c != nil {
			im.add(*c)
		}
		return !keep
	})
	if auth.Kind == resource.AuthAPIKey && auth.KeyName != "" {
		inHeader := auth.KeyIn != resource.KeyInQuery
		take := func(from string) func(kv.Pair) bool {
			return func(p kv.Pair) bool {
				if p.Key != auth.KeyName && !(inHeader && strings.EqualFold(p.Key, auth.KeyName)) {
					return false
				}
				im.add(Credential{From: fmt.Sprintf("the %s %s", from, p.Key), Auth: apiKeyAuth(auth.KeyName, auth.KeyIn), Secret: p.Value, Matches: true})
				return true
			}
		}
		if inHeader {
			headers = slices.DeleteFunc(headers, take("header"))
		} else {
			params = slices.DeleteFunc(params, take("URL parameter"))
		}
	}
	if auth.Kind == resource.AuthNone || auth.Kind == "" {
		// A resource without authentication: a plain API key header or parameter is a suggestion for one.
		suggest := func(from, in string, is func(string) bool) func(kv.Pair) bool {
			return func(p kv.Pair) bool {
				if !is(p.Key) || template.OnlyPlaceholders(p.Value) {
					return false
				}
				im.add(Credential{From: fmt.Sprintf("the %s %s", from, p.Key), Auth: apiKeyAuth(p.Key, in), Secret: p.Value})
				return true
			}
		}
		headers = slices.DeleteFunc(headers, suggest("header", resource.KeyInHeader, sensitive.APIKeyHeader))
		params = slices.DeleteFunc(params, suggest("URL parameter", resource.KeyInQuery, sensitive.APIKeyParam))
	}

	// Headers the client sets itself, or that the body kind implies.
	host := ""
	if u, err := url.Parse(r.URL); err == nil {
		host = u.Host
	}
	headers = slices.DeleteFunc(headers, func(h kv.Pair) bool {
		switch {
		case slices.ContainsFunc(dropped, func(d string) bool { return strings.EqualFold(d, h.Key) }):
			return true
		case strings.EqualFold(h.Key, "Host"):
			return strings.EqualFold(h.Value, host)
		case strings.EqualFold(h.Key, "Content-Type"):
			return impliedContentType(r.Body, h.Value)
		}
		return false
	})

	// Rows the resource already sends, then values that look secret.
	resParams := res.Params.Active()
	if baseQuery != "" {
		resParams = append(parseQuery(baseQuery), resParams...)
	}
	h := &hider{im: im, used: variablesOf(r)}
	q.Params = h.hide("URL parameter", withoutDefaults(params, resParams, false), sensitive.Param)
	q.Headers = h.hide("header", withoutDefaults(headers, res.Headers.Active(), true), sensitive.Header)
	q.Cookies = h.hide("cookie", withoutDefaults(r.Cookies, res.Cookies.Active(), false), sensitive.Cookie)
	q.Body = r.Body
	switch {
	case q.Body.Kind == query.BodyRaw && q.Body.Text == "":
		q.Body = query.Body{Kind: query.BodyNone}
	case q.Body.Kind == query.BodyForm:
		q.Body.Form = h.hide("form field", q.Body.Form, sensitive.Param)
	case q.Body.Kind == query.BodyJSON:
		q.Body.Text = h.hideJSON(q.Body.Text)
	case q.Body.Kind == query.BodyMultipart:
		q.Body.Parts = h.hideParts(q.Body.Parts)
	}

	var problems resource.Errors
	for _, e := range q.Validate() {
		if e.Field != "name" {
			problems = append(problems, e)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %v", ErrBadRequest, problems)
	}
	return im, nil
}

// importNetwork is the network settings of r, nil when it has none.
func importNetwork(r *Request, res *resource.Resource) *Network {
	if r.Network.IsZero() && r.ProxyAuth == "" && r.KeyPassphrase == "" {
		return nil
	}
	n := &Network{Settings: r.Network, ProxyAuth: r.ProxyAuth, KeyPassphrase: r.KeyPassphrase}
	if template.OnlyPlaceholders(n.ProxyAuth) {
		n.ProxyAuth = ""
	}
	if template.OnlyPlaceholders(n.KeyPassphrase) {
		n.KeyPassphrase = ""
	}
	n.Matches = sameNetwork(r.Network, res.Network)
	return n
}

// sameNetwork reports whether two network settings are the same.
func sameNetwork(a, b resource.Network) bool {
	return a.Proxy == b.Proxy && a.ProxyURL == b.ProxyURL && slices.Equal(a.NoProxy, b.NoProxy) && a.CACert == b.CACert &&
		a.ClientCert == b.ClientCert && a.ClientKey == b.ClientKey && a.Insecure == b.Insecure
}

// add records a credential. One that is only a placeholder for what the resource already sends (as in a
// command Export wrote) is no news and is left out.
func (im *Imported) add(c Credential) {
	if c.Secret != "" && template.OnlyPlaceholders(c.Secret) {
		if c.Matches {
			return
		}
		c.Secret = ""
	}
	im.Credentials = append(im.Credentials, c)
}

func apiKeyAuth(name, in string) resource.Auth {
	return resource.Auth{Kind: resource.AuthAPIKey, KeyName: name, KeyIn: in}
}

// authorizationCredential reads an Authorization header value. keep says the header stays in the query: when
// it holds no secret of its own (Bearer {{token}}, the person's own way to send one), or the OAuth 2.0 access
// token placeholder on a resource that does not sign in with OAuth 2.0.
func authorizationCredential(v string, auth resource.Auth) (c *Credential, keep bool) {
	scheme, cred, _ := strings.Cut(strings.TrimSpace(v), " ")
	cred = strings.TrimSpace(cred)
	if secret := cmp.Or(cred, v); template.OnlyPlaceholders(secret) && !template.HasPlaceholder(secret) ||
		strings.Contains(v, template.AccessTokenPlaceholder) && auth.Kind != resource.AuthOAuth2 {
		return nil, true
	}
	from := "the Authorization header"
	switch {
	case strings.EqualFold(scheme, "Bearer") && cred != "":
		a := resource.Auth{Kind: resource.AuthBearer}
		if auth.Kind == resource.AuthOAuth2 {
			a.Kind = resource.AuthOAuth2
		}
		matches := auth.Kind == resource.AuthBearer || auth.Kind == resource.AuthOAuth2
		return &Credential{From: from, Auth: a, Secret: cred, Matches: matches}, false
	case strings.EqualFold(scheme, "Basic") && cred != "":
		raw, err := base64.StdEncoding.DecodeString(cred)
		if user, pass, ok := strings.Cut(string(raw), ":"); err == nil && ok && !strings.ContainsAny(user, "\r\n") {
			matches := auth.Kind == resource.AuthBasic && auth.Username == user
			return &Credential{From: from, Auth: resource.Auth{Kind: resource.AuthBasic, Username: user}, Secret: pass, Matches: matches}, false
		}
	}
	matches := auth.Kind == resource.AuthAPIKey && auth.KeyIn != resource.KeyInQuery && strings.EqualFold(auth.KeyName, "Authorization")
	return &Credential{From: from, Auth: apiKeyAuth("Authorization", resource.KeyInHeader), Secret: v, Matches: matches}, false
}

// hider replaces values that look secret by {{variables}} with names the query does not use yet.
type hider struct {
	im   *Imported
	used []string // variable names taken
}

// hide replaces each value in rows that looks secret (per is) by a {{variable}}, and records it.
func (h *hider) hide(what string, rows kv.List, is func(string) bool) kv.List {
	for i, p := range rows {
		if !is(p.Key) || template.OnlyPlaceholders(sensitive.SecretPart(p.Key, p.Value)) {
			continue
		}
		name := h.variableName(p.Key)
		h.im.Secrets = append(h.im.Secrets, Secret{From: fmt.Sprintf("the %s %s", what, p.Key), Variable: name, Value: p.Value})
		rows[i].Value = "{{" + name + "}}"
	}
	return rows
}

// hideParts replaces the value of each text field of a multipart form whose name says it is secret by a
// {{variable}}, as hide does.
func (h *hider) hideParts(parts []query.Part) []query.Part {
	for i, p := range parts {
		if p.IsFile() {
			continue
		}
		row := h.hide("form field", kv.List{kv.On(p.Name, p.Value)}, sensitive.Param)
		parts[i].Value = row[0].Value
	}
	return parts
}

// hideJSON replaces the string value of each key of a JSON body whose name says it is secret (sensitive.Param,
// at any depth) by a {{variable}}, keeping the rest of the text as written, and records it. The variable's
// value is the string as written between its quotes, escapes and all, so the body sends the same bytes. A
// body that is not JSON is left as it is.
func (h *hider) hideJSON(text string) string {
	return template.ReplaceJSONStrings(text, func(key, _, raw string) (string, bool) {
		if key == "" || !sensitive.Param(key) || template.OnlyPlaceholders(raw) {
			return "", false
		}
		name := h.variableName(key)
		h.im.Secrets = append(h.im.Secrets, Secret{From: "the JSON field " + key, Variable: name, Value: raw})
		return "{{" + name + "}}", true
	})
}

// variableName makes a new variable name from a row name.
func (h *hider) variableName(key string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(key) {
		if r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	base := strings.Trim(b.String(), "_-.")
	if base == "" {
		base = "secret"
	}
	name := base
	for i := 2; slices.Contains(h.used, name); i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	h.used = append(h.used, name)
	return name
}

// variablesOf returns the {{variables}} a request's texts use.
func variablesOf(r *Request) []string {
	texts := []string{r.URL, r.Body.Text}
	for _, l := range []kv.List{r.Headers, r.Cookies, r.Body.Form} {
		for _, p := range l {
			texts = append(texts, p.Key, p.Value)
		}
	}
	for _, p := range r.Body.Parts {
		texts = append(texts, p.Name, p.Value)
	}
	return template.Names(texts...)
}

// impliedContentType reports whether a Content-Type header says no more than the body kind does.
func impliedContentType(b query.Body, ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if b.Kind == query.BodyMultipart {
		// The form is sent with its own boundary: a multipart/form-data type, boundary and all, is the form's.
		return strings.EqualFold(mediaType(ct), "multipart/form-data")
	}
	if err != nil || len(params) > 0 {
		return (b.Kind == query.BodyRaw || b.Kind == query.BodyFile) && ct == b.ContentType
	}
	switch b.Kind {
	case query.BodyJSON:
		return mt == "application/json"
	case query.BodyForm:
		return mt == "application/x-www-form-urlencoded"
	case query.BodyRaw, query.BodyFile:
		return ct == b.ContentType // the body carries it
	}
	return false
}

// withoutDefaults leaves out each key whose rows are exactly the resource's rows for that key: the resource
// sends them anyway. Other rows stay (and replace the resource's rows of their key).
func withoutDefaults(rows, defaults kv.List, fold bool) kv.List {
	same := func(a, b string) bool { return a == b || fold && strings.EqualFold(a, b) }
	of := func(l kv.List, key string) []string {
		var vs []string
		for _, p := range l {
			if same(p.Key, key) {
				vs = append(vs, p.Value)
			}
		}
		return vs
	}
	var out kv.List
	for _, p := range rows {
		if d := of(defaults, p.Key); d != nil && slices.Equal(of(rows, p.Key), d) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// parseQuery reads a URL's query string into rows, in order. A %-escape that is not valid stays as written.
func parseQuery(raw string) kv.List {
	var out kv.List
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if s, err := url.QueryUnescape(k); err == nil {
			k = s
		}
		if s, err := url.QueryUnescape(v); err == nil {
			v = s
		}
		out = append(out, kv.On(k, v))
	}
	return out
}

// pathUnder returns the part of rawURL below the base URL (its path, "" or starting with '/'), its query
// string, and the base URL's own query string. Both URLs are compared as written, without decoding the path.
func pathUnder(rawURL, base string) (p, rawQuery, baseQuery string, err error) {
	base = strings.TrimSpace(base)
	if len(template.Names(base)) > 0 {
		return "", "", "", fmt.Errorf("%w: the resource's base URL %s uses {{variables}}, so apidesk cannot tell which part of the URL is the path: import into a resource with a plain base URL, or write the query by hand", ErrNotUnderBase, base)
	}
	b, err := url.Parse(base)
	if err != nil || b.Host == "" {
		return "", "", "", fmt.Errorf("%w: the resource's base URL is not valid: fix it first", ErrNotUnderBase)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", "", "", fmt.Errorf("%w: the URL is not valid", ErrBadRequest)
	}
	uPath, rawQuery := splitURL(rawURL)
	rawBPath, baseQuery := splitURL(base)
	bPath := strings.TrimRight(rawBPath, "/")
	under := strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Hostname(), b.Hostname()) &&
		resource.Port(u) == resource.Port(b) && (uPath == bPath || strings.HasPrefix(uPath, bPath+"/"))
	if !under {
		shown := u.Scheme + "://" + u.Host + uPath // without the query, which may hold a key
		return "", "", "", fmt.Errorf("%w: this URL (%s) is not under the resource's base URL %s: add it as its own resource or change the base URL", ErrNotUnderBase, shown, base)
	}
	if uPath == rawBPath { // the base URL itself, slash and all
		return "", rawQuery, baseQuery, nil
	}
	return uPath[len(bPath):], rawQuery, baseQuery, nil
}

// splitURL returns the path and query string of an absolute URL as written.
func splitURL(s string) (p, rawQuery string) {
	s, _, _ = strings.Cut(s, "#")
	_, rest, _ := strings.Cut(s, "://")
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		rest = rest[i:]
	} else {
		rest = ""
	}
	p, rawQuery, _ = strings.Cut(rest, "?")
	return p, rawQuery
}
