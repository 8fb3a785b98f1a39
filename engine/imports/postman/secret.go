package postman

import (
	"encoding/json"
	"regexp"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
)

func decodeQuiet(raw []byte, v any) error {
	if len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, v)
}

// secretVar reports whether a variable of this name and value likely holds a secret: its name says so
// (sensitive.Variable), unless its value is a plain web address (a tokenUrl is none), or its value looks like a
// token or key.
func secretVar(name, value string) bool {
	if secretValue(value) {
		return true
	}
	return sensitive.Variable(name) && !plainURL(value)
}

// plainURL reports whether s is an http(s) address that holds no password nor secret parameter.
func plainURL(s string) bool {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	return (strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")) && !secretURL(s)
}

// secretURL reports whether s, a URL, holds a password in its user:password@ or a URL parameter whose name
// says it is secret, either written out ({{variables}} are none).
func secretURL(s string) bool {
	_, rest, _ := strings.Cut(template.Fill(s, ""), "://")
	rest, _, _ = strings.Cut(rest, "#")
	before, params, _ := strings.Cut(rest, "?")
	authority, _, _ := strings.Cut(before, "/")
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		if _, password, ok := strings.Cut(authority[:at], ":"); ok && password != "" {
			return true
		}
	}
	return params != "" && sensitive.Mask("?"+params) != "?"+params
}

var (
	jwt  = regexp.MustCompile(`^eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*$`)
	uuid = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	// tokenPrefixes start the keys and tokens of well-known services.
	tokenPrefixes = []string{"sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_", "ghp_", "gho_", "ghu_", "ghs_", "github_pat_",
		"glpat-", "xoxb-", "xoxp-", "xoxa-", "xapp-", "AKIA", "ASIA", "AIza", "ya29.", "SG.", "shpat_", "shpss_", "npm_", "sq0atp-", "EAAC"}
)

// secretValue reports whether a value looks like a token, key or password rather than an ordinary value: a
// JWT, a key of a well-known service, credentials after an Authorization scheme, a URL with a password or a
// secret parameter, or a long random-looking word (letters of both cases and digits). A UUID is taken for an
// id. {{variables}} are no secret.
func secretValue(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || template.OnlyPlaceholders(v) {
		return false
	}
	lower := strings.ToLower(v)
	if strings.HasPrefix(lower, "bearer ") || strings.HasPrefix(lower, "basic ") {
		return !template.OnlyPlaceholders(v[strings.IndexByte(v, ' '):])
	}
	if scheme, _, ok := strings.Cut(v, "://"); ok && !strings.ContainsAny(scheme, " /?=&") {
		return secretURL(v)
	}
	if filled := template.Fill(v, ""); sensitive.Mask(filled) != filled || jwt.MatchString(v) || !uuid.MatchString(v) && randomWord(v) {
		return true
	}
	for _, p := range tokenPrefixes {
		if strings.HasPrefix(v, p) && len(v) >= len(p)+12 {
			return true
		}
	}
	return false
}

// randomWord reports whether s is one word of at least 20 letters, digits and + / = _ - . ~, with a digit and
// lower and upper case letters (or at least 32 hexadecimal digits, with letters and digits).
func randomWord(s string) bool {
	if len(s) < 20 {
		return false
	}
	var digit, lower, upper, other bool
	hex := true
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z':
			lower = true
			hex = hex && c <= 'f'
		case c >= 'A' && c <= 'Z':
			upper = true
			hex = hex && c <= 'F'
		case strings.ContainsRune("+/=_-.~", c):
			other = true
			hex = false
		default:
			return false
		}
	}
	if strings.Count(s, "/") > 1 || strings.Count(s, ".") > 2 && !other {
		return false // a path or a host name
	}
	return digit && (lower && upper || hex && len(s) >= 32 && (lower || upper))
}

// hideSecrets replaces each value of the query that looks secret by a {{variable}} the query asks for when it
// runs, and says so: the credentials of an Authorization header, a header, URL parameter, cookie or form field
// whose name says it is secret (package sensitive's rules, as the workspace applies them), and a JSON body's
// string whose key does.
func (r *reader) hideSecrets(p *pending) {
	q := &p.q
	hide := func(what, key, value string) string {
		n := strings.ToLower(varName(key))
		if n == "" {
			n = "secret"
		}
		p.secrets[n] = true
		r.plan.Leave(p.where, "the value of the "+what+" "+key, "it looks secret, and workspace files may be shared: "+
			"the query sends {{"+n+"}} in its place, asked for when it runs")
		return "{{" + n + "}}"
	}
	for i, h := range q.Headers {
		key := h.Key
		switch {
		case sensitive.Authorization(key):
			scheme, cred, ok := strings.Cut(strings.TrimSpace(h.Value), " ")
			if !ok {
				scheme, cred = "", h.Value
			}
			if template.OnlyPlaceholders(cred) {
				continue
			}
			n := "token"
			if !strings.EqualFold(scheme, "Bearer") {
				n = varName(key)
			}
			p.secrets[n] = true
			r.plan.Leave(p.where, "the credentials in the "+key+" header", "workspace files may be shared: the query sends {{"+n+
				"}} in their place, asked for when it runs; or set the resource's authentication, which keeps them in your keychain")
			q.Headers[i].Value = strings.TrimSpace(scheme + " {{" + n + "}}")
		case strings.EqualFold(key, "Cookie"):
			var cs []string
			for c := range strings.SplitSeq(h.Value, ";") {
				name, value, ok := strings.Cut(c, "=")
				if nm := strings.TrimSpace(name); ok && sensitive.Cookie(nm) && !template.OnlyPlaceholders(value) {
					c = name + "=" + hide("cookie", nm, value)
				}
				cs = append(cs, c)
			}
			q.Headers[i].Value = strings.Join(cs, ";")
		case template.OnlyPlaceholders(h.Value):
		case sensitive.Header(key) || secretValue(h.Value):
			q.Headers[i].Value = hide("header", key, h.Value)
		}
	}
	hideRows := func(what string, l kv.List) {
		for i, row := range l {
			if !template.OnlyPlaceholders(row.Value) && (sensitive.Param(row.Key) || secretValue(row.Value)) {
				l[i].Value = hide(what, row.Key, row.Value)
			}
		}
	}
	hideRows("URL parameter", q.Params)
	hideRows("form field", q.Body.Form)
	for i, part := range q.Body.Parts {
		if !part.IsFile() && !template.OnlyPlaceholders(part.Value) && (sensitive.Param(part.Name) || secretValue(part.Value)) {
			q.Body.Parts[i].Value = hide("form field", part.Name, part.Value)
		}
	}
	if q.Body.Kind == query.BodyJSON || q.Body.Kind == query.BodyRaw && mediaType(q.Body.ContentType) == "application/json" {
		q.Body.Text = hideJSON(q.Body.Text, func(key, value string) string { return hide("JSON field", key, value) })
	}
}

// hideJSON replaces the string value of each key of a JSON text whose name says it is secret (sensitive.Param,
// at any depth), or that looks secret, by what hide returns, keeping the rest of the text as written. A text
// that is not JSON is read as far as it is.
func hideJSON(text string, hide func(key, value string) string) string {
	return template.ReplaceJSONStrings(text, func(key, value, raw string) (string, bool) {
		if key == "" || template.OnlyPlaceholders(raw) || !(sensitive.Param(key) || secretValue(value)) {
			return "", false
		}
		return hide(key, raw), true
	})
}
