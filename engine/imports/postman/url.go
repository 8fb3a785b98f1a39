package postman

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
	"apidesk/engine/template"
)

// parseURL reads a request's URL, a string or Postman's object: the URL without its query and fragment (with
// each :name path variable written {{name}}), its URL parameters (disabled ones too, from the object's list)
// and its path variables with their values.
func (r *reader) parseURL(raw json.RawMessage) (full string, params kv.List, pathVars map[string]colVar) {
	var u urlObject
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case raw[0] == '"':
		var s text
		_ = s.UnmarshalJSON(raw)
		u.Raw = s
	default:
		_ = decodeQuiet(raw, &u)
	}
	s := strings.TrimSpace(string(u.Raw))
	if s == "" {
		s = strings.TrimSpace(assemble(&u))
	}
	s, _, _ = strings.Cut(s, "#")
	s, rawQuery, hasQuery := strings.Cut(s, "?")
	if len(u.Query) > 0 {
		params = rows(u.Query)
	} else if hasQuery {
		params = parseQuery(rawQuery)
	}
	for i := range params {
		params[i].Key, params[i].Value = unescape(params[i].Key), unescape(params[i].Value)
	}
	pathVars = map[string]colVar{}
	for _, v := range u.Variable {
		if n := v.name(); n != "" {
			pathVars[n] = colVar{value: string(v.Value), desc: description(v.Desc), secret: secretVar(n, string(v.Value))}
		}
	}
	return pathVariables(s, pathVars), params, pathVars
}

// assemble writes a URL object without raw from its parts.
func assemble(u *urlObject) string {
	var b strings.Builder
	if u.Protocol != "" {
		b.WriteString(strings.TrimSuffix(string(u.Protocol), "://") + "://")
	}
	b.WriteString(strings.Join(stringList(u.Host), "."))
	if u.Port != "" {
		b.WriteString(":" + string(u.Port))
	}
	if path := stringList(u.Path); len(path) > 0 {
		b.WriteString("/" + strings.Join(path, "/"))
	}
	return b.String()
}

// parseQuery reads a query string into rows, as written.
func parseQuery(raw string) kv.List {
	var out kv.List
	for p := range strings.SplitSeq(raw, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		out = append(out, kv.On(k, v))
	}
	return out
}

// unescape decodes a URL parameter's %-escapes (and + for a space), which apidesk sends encoded again; one
// that is not valid stays as written.
func unescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

var pathVar = regexp.MustCompile(`^:([A-Za-z0-9_.\-]+)$`)

// pathVariables writes each :name segment of the URL's path as {{name}}, as Postman fills it from the URL's
// variables. Only the path's segments count: the scheme and port have colons too.
func pathVariables(s string, vars map[string]colVar) string {
	if !strings.Contains(s, "/:") {
		return s
	}
	prefix, path := "", s
	if _, rest, ok := strings.Cut(s, "://"); ok {
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return s
		}
		prefix, path = s[:len(s)-len(rest)+i], rest[i:]
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if m := pathVar.FindStringSubmatch(seg); m != nil && i > 0 {
			segs[i] = "{{" + m[1] + "}}"
			if _, ok := vars[m[1]]; !ok {
				vars[m[1]] = colVar{}
			}
		}
	}
	return prefix + strings.Join(segs, "/")
}

// origin is where a request's URL is: a {{variable}} it starts with, or a scheme and host.
type origin struct {
	key  string // "{{baseUrl}}", "https://api.example.com"; "" for a URL without a host
	vari string // the variable's name, for a URL that starts with one
	abs  string // scheme://host as written
	path string // the rest, from its "/"
}

var leadingVar = regexp.MustCompile(`^\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}`)

func originOf(full string) origin {
	if m := leadingVar.FindStringSubmatch(full); m != nil {
		return origin{key: "{{" + m[1] + "}}", vari: m[1], path: full[len(m[0]):]}
	}
	s := full
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		if s == "" || strings.HasPrefix(s, "/") {
			return origin{path: s}
		}
		scheme, rest = "http", s // Postman's default
	}
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	if authority == "" {
		return origin{path: path}
	}
	abs := scheme + "://" + authority
	return origin{key: strings.ToLower(abs), abs: abs, path: path}
}

// hideUserinfo writes the password of a URL's user:password@ as {{password}}.
func (r *reader) hideUserinfo(full string) string {
	scheme, rest, ok := strings.Cut(full, "://")
	if !ok {
		return full
	}
	end := strings.IndexAny(rest, "/")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndexByte(rest[:end], '@')
	if at < 0 {
		return full
	}
	user, password, ok := strings.Cut(rest[:at], ":")
	if !ok || template.OnlyPlaceholders(password) {
		return full
	}
	r.hidUserinfo = true
	return scheme + "://" + user + ":{{password}}" + rest[at:]
}

// baseURL chooses the resource's base URL from the requests' origins, the one most of them use, and makes
// each query's path relative to it. A request elsewhere is left out.
func (r *reader) baseURL() {
	count := map[string]int{}
	best := ""
	for _, p := range r.reqs {
		p.full = r.hideUserinfo(p.full)
		k := originOf(p.full).key
		if k == "" {
			continue
		}
		count[k]++
		if best == "" || count[k] > count[best] {
			best = k
		}
	}
	if r.hidUserinfo {
		r.plan.Leave("the requests' URLs", "the password written in a URL (user:password@)", "workspace files may be shared: "+
			"it is now {{password}}, asked for when a query runs; or choose Basic authentication in the resource's form")
	}
	var base string
	switch o := originOf(best); {
	case best == "":
		base = r.placeholder("baseUrl", "the requests give no host name")
	case o.vari != "":
		v := r.value(o.vari)
		r.used[o.vari] = true
		switch {
		case strings.TrimSpace(v) == "":
			base = r.placeholder(o.vari, "the collection gives no value for {{"+o.vari+"}}, which the requests start with")
		case !strings.Contains(v, "://"):
			v = "http://" + strings.TrimSpace(v)
			fallthrough
		default:
			base = strings.TrimRight(strings.TrimSpace(v), "/")
			if err := resource.ValidateBaseURL(base); err != nil {
				base = r.placeholder(o.vari, "the value of {{"+o.vari+"}} cannot be one: "+lowerFirst(err.Error()))
			}
		}
	default:
		var paths []string
		for _, p := range r.reqs {
			if po := originOf(p.full); po.key == best {
				paths = append(paths, po.path)
			}
		}
		base = strings.TrimSpace(o.abs + commonDir(paths))
		if err := resource.ValidateBaseURL(base); err != nil {
			base = strings.TrimSpace(o.abs)
			if err := resource.ValidateBaseURL(base); err != nil {
				base = r.placeholder("baseUrl", "the requests' address cannot be one: "+lowerFirst(err.Error()))
			}
		}
	}
	r.res.BaseURL = base
	kept := r.reqs[:0]
	for _, p := range r.reqs {
		if path, ok := r.under(p.full, best, base); ok {
			if path != "" && !strings.HasPrefix(path, "/") {
				path = "/" + path // {{baseUrl}}users: the runner puts the / in between
			}
			p.q.Path = path
			kept = append(kept, p)
			continue
		}
		where := originOf(p.full).abs
		if where == "" {
			where = "a URL without a host"
		}
		r.plan.Leave(p.where, "the request "+p.q.Name, "it calls "+where+", not "+base+" like the collection's other requests: "+
			"import it on its own into a resource for that address")
	}
	r.reqs = kept
}

// under says where full is on the base URL: its path relative to it.
func (r *reader) under(full, best, base string) (string, bool) {
	o := originOf(full)
	switch {
	case best == "" && o.key == "":
		return o.path, true
	case o.key == best && o.vari != "":
		return o.path, true
	}
	abs := full
	if o.vari != "" {
		v := strings.TrimRight(r.value(o.vari), "/")
		if v == "" {
			return "", false
		}
		abs = v + o.path
	} else if !strings.Contains(abs, "://") {
		abs = "http://" + abs
	}
	if len(abs) >= len(base) && strings.EqualFold(abs[:len(base)], base) && (len(abs) == len(base) || abs[len(base)] == '/') {
		return abs[len(base):], true
	}
	return "", false
}

// commonDir is the longest path of folders every path starts with ("/v1"), "" for none. A segment with a
// {{variable}} ends it.
func commonDir(paths []string) string {
	var common []string
	for i, p := range paths {
		segs := strings.Split(strings.Trim(p, "/"), "/")
		segs = segs[:len(segs)-1]
		for j, s := range segs {
			if strings.Contains(s, "{{") || s == "" {
				segs = segs[:j]
				break
			}
		}
		if i == 0 {
			common = segs
			continue
		}
		n := 0
		for n < len(common) && n < len(segs) && common[n] == segs[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) == 0 {
		return ""
	}
	return "/" + strings.Join(common, "/")
}

// placeholderHost ends the base URL given when the collection has none: a name under .invalid, which reaches
// nothing (RFC 2606).
const placeholderHost = ".invalid"

// placeholder is the base URL for a variable without a usable value: https://NAME.invalid, with a note that
// says why (a phrase) and to set the real one.
func (r *reader) placeholder(vari, why string) string {
	base := "https://" + vari + placeholderHost
	r.plan.Notes = append(r.plan.Notes, "Set the resource's base URL: "+strings.TrimSuffix(why, ".")+", so it is "+base+
		", which reaches nothing. Or import the collection again with the Postman environment that gives it.")
	return base
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
