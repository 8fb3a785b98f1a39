package collection

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
)

// hider replaces the values that look secret in one resource's rows by {{variables}}, and remembers what it
// replaced, for the plan's notes.
type hider struct {
	c      *Collection
	hidden []string // "the header X-API-Key as {{x-api-key}}", each once
}

func (h *hider) note(what, key, name string) {
	s := fmt.Sprintf("the %s %s as {{%s}}", what, key, name)
	if key == "" {
		s = fmt.Sprintf("the %s as {{%s}}", what, name)
	}
	if !slices.Contains(h.hidden, s) {
		h.hidden = append(h.hidden, s)
	}
}

// clone returns a hider for a query on the resource qh hid its rows for, which knows the variables qh made:
// used are the names the query takes.
func (qh *queryHider) clone(used []string) *queryHider {
	out := &queryHider{h: qh.h, used: used,
		secret: maps.Clone(qh.secret), optional: maps.Clone(qh.optional), described: maps.Clone(qh.described)}
	for _, n := range qh.used {
		if !slices.Contains(out.used, n) {
			out.used = append(out.used, n)
		}
	}
	return out
}

// queryHider replaces the values that look secret in one query.
type queryHider struct {
	h         *hider
	used      []string          // variable names taken
	secret    map[string]bool   // variables made of secrets: asked for in a password field
	optional  map[string]bool   // variables made of values that may be left empty (a browser's other cookies)
	described map[string]string // what each variable made here stands for
}

func (qh *queryHider) add(what, key string, secret bool) string {
	name := qh.newName(key)
	if qh.secret == nil {
		qh.secret, qh.optional, qh.described = map[string]bool{}, map[string]bool{}, map[string]string{}
	}
	if secret {
		qh.secret[name] = true
		qh.described[name] = strings.Replace(fmt.Sprintf("The %s %s, which looked secret: its value was not imported", what, key), " ,", ",", 1)
	} else {
		qh.optional[name] = true
		qh.described[name] = fmt.Sprintf("The %s %s: its value was not imported; fill it in if the API needs it", what, key)
	}
	qh.h.note(what, key, name)
	return name
}

// newName makes a variable name of a row's name that the query does not use yet.
func (qh *queryHider) newName(key string) string {
	base := VarName(key)
	name := base
	for i := 2; slices.Contains(qh.used, name); i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	qh.used = append(qh.used, name)
	return name
}

// rows replaces the value of each row whose name (per is) or value says it is secret. An Authorization
// header keeps its scheme: Bearer {{authorization}}.
func (qh *queryHider) rows(what string, rows kv.List, is func(string) bool) kv.List {
	for i, p := range rows {
		part := p.Value
		if what == "header" {
			part = sensitive.SecretPart(p.Key, p.Value)
		}
		if template.OnlyPlaceholders(part) {
			continue
		}
		named := is(p.Key)
		if !named && !SecretValue(part) && !(what == "header" && sensitive.Authorization(p.Key)) {
			continue
		}
		secret := true
		if what == "cookie" && !sensitive.Cookie(p.Key) && !SecretValue(part) {
			secret = false // one of a browser's cookies: SecretCookies
		}
		name := qh.add(what, p.Key, secret)
		v := strings.TrimSpace(p.Value)
		if part == p.Value || !strings.HasSuffix(v, part) {
			rows[i].Value = "{{" + name + "}}"
		} else {
			rows[i].Value = strings.TrimSuffix(v, part) + "{{" + name + "}}" // the scheme stays: Bearer {{authorization}}
		}
	}
	return rows
}

// path replaces each segment of a path that looks secret (a token in a reset link, say).
func (qh *queryHider) path(p string) string {
	if !strings.Contains(p, "/") {
		return p
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		plain := s
		if u, err := url.PathUnescape(s); err == nil {
			plain = u
		}
		if SecretValue(plain) {
			segs[i] = "{{" + qh.add("part of the path", "", true) + "}}"
		}
	}
	return strings.Join(segs, "/")
}

// parts replaces the value of each text field of a multipart form that looks secret.
func (qh *queryHider) parts(parts []query.Part) []query.Part {
	for i, p := range parts {
		if p.IsFile() {
			continue
		}
		row := qh.rows("form field", kv.List{kv.On(p.Name, p.Value)}, sensitive.Param)
		parts[i].Value = row[0].Value
	}
	return parts
}

// json replaces the string value of each key of a JSON text whose name or value says it is secret, at any
// depth, keeping the rest of the text as written. A text that is not JSON is left as it is.
func (qh *queryHider) json(text string) string {
	return template.ReplaceJSONStrings(text, func(key, value, raw string) (string, bool) {
		if template.OnlyPlaceholders(raw) || !(key != "" && sensitive.Param(key) || SecretValue(value)) {
			return "", false
		}
		if key == "" {
			key = "value"
		}
		return "{{" + qh.add("JSON field", key, true) + "}}", true
	})
}

// VarName makes a variable name of a header, cookie, parameter or other name: lower case, with _ for each
// character a name may not hold.
func VarName(key string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(key) {
		if r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	name := strings.Trim(b.String(), "_-.")
	if name == "" {
		return "secret"
	}
	return name
}

var (
	jwtValue = regexp.MustCompile(`^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$`)
	awsKey   = regexp.MustCompile(`^(AKIA|ASIA)[A-Z0-9]{16}$`)
	// tokenPrefixes start the tokens of well-known services.
	tokenPrefixes = []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "sk_live_", "sk_test_", "rk_live_",
		"rk_test_", "pk_live_", "xoxb-", "xoxp-", "xoxa-", "xoxs-", "shpat_", "shpss_", "AIza", "sk-ant-", "sk-proj-", "npm_", "pypi-", "hf_"}
)

// SecretValue reports whether a value looks secret whatever the name it is under: a JSON Web Token, a
// credential with its scheme (Bearer …, Basic …), a private key, or a token in the shape a well-known
// service gives out (GitHub's ghp_…, Stripe's sk_live_…, Slack's xoxb-…, an AWS access key…).
func SecretValue(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) < 8 || template.OnlyPlaceholders(v) {
		return false
	}
	if strings.Contains(v, "-----BEGIN") && strings.Contains(v, "PRIVATE KEY") {
		return true
	}
	if scheme, cred, ok := strings.Cut(v, " "); ok && !strings.ContainsAny(strings.TrimSpace(cred), " \t") && !template.OnlyPlaceholders(cred) {
		switch strings.ToLower(scheme) {
		case "bearer", "basic", "token", "digest":
			return true
		}
	}
	if strings.ContainsAny(v, " \t\r\n") {
		return false
	}
	if jwtValue.MatchString(v) || awsKey.MatchString(v) {
		return true
	}
	for _, p := range tokenPrefixes {
		if strings.HasPrefix(v, p) && len(v) >= len(p)+12 {
			return true
		}
	}
	return false
}
