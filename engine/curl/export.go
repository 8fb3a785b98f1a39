package curl

import (
	"cmp"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"path/filepath"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
)

// Export writes the request a query sends on its resource as a bash curl command (see Request.Command), with
// every secret replaced by a placeholder. The request is the runner's own plan (runner.Preview), so the
// command sends what apidesk sends, byte for byte in the URL: the resource's rows merged with the query's,
// {{variables}} filled from vars and the query's defaults (a variable with no value, and one saved as secret,
// stays {{written}}),
// authentication with its placeholder (PasswordPlaceholder as curl's -u, BearerTokenPlaceholder,
// APIKeyPlaceholder, template.AccessTokenPlaceholder), and a compressed response asked for when apidesk asks
// for one. On top of the plan, the value of any Authorization header the query writes itself, and every other
// header, URL parameter, cookie or form field whose name says it is secret, becomes SecretPlaceholder (or
// BearerTokenPlaceholder for a bearer token).
func Export(q *query.Query, res *resource.Resource, vars map[string]string) (string, error) {
	return Options{}.Export(q, res, vars)
}

// Export is the package's Export for a query of the workspace in the folder o.Dir: the files its body sends
// and the certificates its resource names, kept relative to the workspace, are written by their absolute paths
// in o.Dir, so the command runs from any folder.
func (o Options) Export(q *query.Query, res *resource.Resource, vars map[string]string) (string, error) {
	if res == nil || q == nil {
		return "", errors.New("nothing to export: choose a query and its resource")
	}
	p, err := (&runner.Runner{Dir: o.Dir}).Preview(res, q, q.WithoutSecrets(q.Values(vars)))
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadRequest, err)
	}
	r := fromPlan(p, res)
	for _, f := range []*string{&r.Network.CACert, &r.Network.ClientCert, &r.Network.ClientKey} {
		if *f != "" && o.Dir != "" && !filepath.IsAbs(filepath.FromSlash(*f)) {
			*f = filepath.Join(o.Dir, filepath.FromSlash(*f))
		}
	}
	return r.Command(), nil
}

// fromPlan describes the request a plan sends on res as curl options, with the values that look secret
// hidden: the plan's body (a multipart form and a file as the plan streams them), the resource's Digest
// authentication (-u user:{-password-} --digest, which curl answers the server's challenge with) and its
// network settings (the proxy without its credentials, the CA and client certificates, -k).
func fromPlan(p *runner.Plan, res *resource.Resource) *Request {
	r := &Request{Method: p.Method, URL: hideParams(p.URL), Compressed: p.Compressed(), Network: res.Network}
	user, password, basic := p.BasicAuth()
	if basic { // the plan's own Authorization header: curl makes it from -u
		r.HasUser, r.User, r.Password = true, user, password
	}
	if res.Auth.Kind == resource.AuthDigest && !p.Header.Has("Authorization", true) {
		r.HasUser, r.User, r.Password, r.Digest = true, res.Auth.Username, PasswordPlaceholder, true
	}
	streamed := len(p.Parts) > 0 || p.File != ""
	ct := ""
	for _, h := range p.Header {
		switch {
		case basic && strings.EqualFold(h.Key, "Authorization"):
			continue
		case len(p.Parts) > 0 && strings.EqualFold(h.Key, "Content-Type") && strings.EqualFold(mediaType(h.Value), "multipart/form-data"):
			continue // curl writes the form with a boundary of its own
		case strings.EqualFold(h.Key, "Cookie"): // as -b, one cookie at a time, so the secret ones can be hidden
			cs, err := parseCookies(h.Value)
			if err == nil {
				redact(cs, sensitive.Cookie)
				r.Cookies = append(r.Cookies, cs...)
				continue
			}
			h.Value = SecretPlaceholder
		case strings.EqualFold(h.Key, "Content-Type"):
			ct = h.Value
		case template.OnlyPlaceholders(h.Value):
		case sensitive.Authorization(h.Key):
			h.Value = redactAuthorization(h.Value)
		case sensitive.Header(h.Key):
			h.Value = SecretPlaceholder
		}
		r.Headers = append(r.Headers, h)
	}
	r.Body = query.Body{Kind: query.BodyNone}
	switch {
	case len(p.Parts) > 0:
		parts := make([]query.Part, 0, len(p.Parts))
		for _, part := range p.Parts {
			part.Enabled = true // the plan holds the parts it sends
			if !part.IsFile() && sensitive.Param(part.Name) && !template.OnlyPlaceholders(part.Value) {
				part.Value = SecretPlaceholder
			}
			parts = append(parts, part)
		}
		r.Body = query.Body{Kind: query.BodyMultipart, Parts: parts}
	case p.File != "":
		r.Body = query.Body{Kind: query.BodyFile, File: p.File, ContentType: cmp.Or(ct, p.ContentType)}
		if ct == "" && p.ContentType != "" {
			r.Headers = append(r.Headers, kv.On("Content-Type", p.ContentType))
		}
	}
	if p.Body != nil && !streamed {
		r.Body = interpretBody(string(p.Body), ct, true)
		if r.Body.Kind == query.BodyForm && !redact(r.Body.Form, sensitive.Param) {
			r.Body = query.Body{Kind: query.BodyRaw, Text: string(p.Body), ContentType: ct} // the bytes as sent
		}
	}
	return r
}

// hideParams gives SecretPlaceholder to each parameter of a URL's query string whose name says it is secret,
// and keeps the rest as written, so the command sends the URL apidesk sends.
func hideParams(u string) string {
	base, raw, ok := strings.Cut(u, "?")
	if !ok {
		return u
	}
	var b strings.Builder
	b.WriteString(base)
	sep := "?"
	for part := range strings.SplitSeq(raw, "&") {
		name, value, _ := strings.Cut(part, "=")
		if sensitive.Param(unescape(name)) && !template.OnlyPlaceholders(unescape(value)) {
			part = name + "=" + SecretPlaceholder
		}
		b.WriteString(sep)
		b.WriteString(part)
		sep = "&"
	}
	return b.String()
}

// unescape decodes a query string's name or value, or gives it as written when it does not decode.
func unescape(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// redact replaces the value of each row whose name says it is secret, and reports whether there was one.
func redact(rows kv.List, is func(string) bool) bool {
	hid := false
	for i, p := range rows {
		if is(p.Key) && !template.OnlyPlaceholders(p.Value) {
			rows[i].Value = SecretPlaceholder
			hid = true
		}
	}
	return hid
}

// redactAuthorization keeps an Authorization header's scheme and replaces its credentials.
func redactAuthorization(v string) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	switch {
	case !ok || strings.TrimSpace(cred) == "":
		return SecretPlaceholder
	case template.OnlyPlaceholders(cred):
		return v
	case strings.EqualFold(scheme, "Bearer"):
		return scheme + " " + BearerTokenPlaceholder
	}
	return scheme + " " + SecretPlaceholder
}

// mediaType is the lower-case media type of a Content-Type value.
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt
}
