// Package collection turns the requests of another tool's collection (an Insomnia workspace, a Bruno
// collection, the requests of a HAR file) into a Plan's resources and saved queries, the same way for each
// format: each request's URL is split into the resource's base URL, the query's path and its URL params; the
// requests are grouped into one resource per base URL; the authentication most requests share becomes the
// resource's; values that look secret become {{variables}} without a value (listed in the plan's notes); known
// variable values become the variables' defaults, unless they look secret; and every query is checked as the
// workspace checks it, so that imports.Apply can save what the plan holds.
//
// The format packages read their files into Requests, with {{variables}} already written apidesk's way.
package collection

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"apidesk/engine/imports"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
)

// Request is one request as another tool saves it.
type Request struct {
	Where  string // where it is in the document, for what is left out: "Users › Get user"
	Name   string
	Method string // GET when empty
	// URL is absolute (http://… or https://…; a URL without a scheme gets http://, as the tools do), or starts
	// with a {{variable}} whose value is the base URL.
	URL        string
	Params     kv.List // besides those in the URL's query
	PathParams kv.List // the values of the path's :name segments, which become {{name}} with the value as default
	Headers    kv.List
	Cookies    kv.List
	Body       query.Body
	Folders    []string // the folders it is in, from the outermost; a name may hold any character
	Source     string
	Auth       *Auth // how it authenticates; nil for not at all
	// Values are the variables set for this request alone (a folder's environment, a request's own
	// variables), over the collection's; Values made them safe (see Collection.Safe).
	Values map[string]string
}

// Auth is how a request authenticates, without its secret.
type Auth struct {
	Auth resource.Auth // no secret; its texts may use {{variables}}, filled in from the known values
	// Words name it for a person: "a bearer token", "Basic authentication (user ada)".
	Words string
	// Secret names the secret the document had for it, which is not imported: "the bearer token". Empty
	// when it had none.
	Secret string
}

// Collection gathers the requests of one collection and adds its resources to a plan.
type Collection struct {
	// Name is the name of the resource most requests go to; the others are named after it and their host.
	Name string
	// ByHost names every resource after its host alone (a HAR file has no name of its own).
	ByHost bool
	// Headers are sent with every request of the collection: they become each resource's headers.
	Headers kv.List
	// SecretCookies makes every cookie's value a variable, whatever its name (a browser's cookies).
	SecretCookies bool
	// Where names the collection in what is left out of it as a whole: "the workspace Shop".
	Where string

	values       map[string]string
	alternatives map[string][]string
	secret       map[string]bool
	requests     []Request
}

// New returns an empty collection named name.
func New(name string) *Collection {
	return &Collection{Name: name, values: map[string]string{}, alternatives: map[string][]string{}, secret: map[string]bool{}}
}

// Secret reports whether the variable name holds a secret: its name says so, or it was given a value that
// looks secret (see Safe), or MarkSecret was called for it.
func (c *Collection) Secret(name string) bool { return c.secret[name] || sensitive.Variable(name) }

// MarkSecret notes that the variable name holds a secret (a Bruno environment's secret variable, say).
func (c *Collection) MarkSecret(name string) { c.secret[name] = true }

// Safe returns the values that may be saved as variables' defaults: those that do not look secret. Each
// one left out is marked secret and listed in p, as being from where ("the base environment").
func (c *Collection) Safe(p *imports.Plan, where string, values map[string]string) map[string]string {
	out := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		v := values[name]
		if c.Secret(name) || SecretValue(v) {
			c.secret[name] = true
			if v != "" {
				p.Leave(where, fmt.Sprintf("the value of {{%s}}", name),
					"it looks secret, and workspace files may be shared: each query that uses it asks for it when it runs")
			}
			continue
		}
		out[name] = v
	}
	return out
}

// SetValues adds variable values known for every request (a base environment, a collection's variables):
// they become the defaults of the variables of that name. Pass them through Safe first.
func (c *Collection) SetValues(values map[string]string) {
	maps.Copy(c.values, values)
}

// Alternative adds a value a variable has in one of the document's environments, which apidesk does not
// import as such: a base URL and the fields of an authentication may come from it when no other value is
// known, and the base URLs of every environment are offered as the resource's base URLs. Secret values are
// never given.
func (c *Collection) Alternative(name, value string) {
	if value != "" && !slices.Contains(c.alternatives[name], value) {
		c.alternatives[name] = append(c.alternatives[name], value)
	}
}

// Add adds a request.
func (c *Collection) Add(r Request) { c.requests = append(c.requests, r) }

// Len is the number of requests added.
func (c *Collection) Len() int { return len(c.requests) }

// value is the value known for the variable name in a request: its own, the collection's, or (when
// alternatives is true) the first environment's.
func (c *Collection) value(r *Request, name string, alternatives bool) (string, bool) {
	if v, ok := r.Values[name]; ok {
		return v, true
	}
	if v, ok := c.values[name]; ok {
		return v, true
	}
	if alt := c.alternatives[name]; alternatives && len(alt) > 0 {
		return alt[0], true
	}
	return "", false
}

// expand fills in the variables of s whose values are known, a few levels deep (a value may use another).
func (c *Collection) expand(r *Request, s string, alternatives bool) string {
	for range 5 {
		names := template.Names(s)
		vals := map[string]string{}
		for _, n := range names {
			if v, ok := c.value(r, n, alternatives); ok && !c.Secret(n) {
				vals[n] = v
			}
		}
		if len(vals) == 0 {
			return s
		}
		x := template.Expander{Vars: vals, KeepMissing: true}
		s = x.Expand(s)
	}
	return s
}

// target is where a request goes: its base URL and the rest of its URL.
type target struct {
	base string // scheme://host[:port][/path], no trailing /
	rest string // the path and query after base
	key  string // base as it compares
	from string // the variable base came from, if any
	// placeholder is set when the base is made up: the variable it stands for has no value.
	placeholder string
}

// leadingVariable returns the name of the {{variable}} s starts with, and the rest of s.
func leadingVariable(s string) (string, string, bool) {
	if !strings.HasPrefix(s, "{{") {
		return "", "", false
	}
	end := strings.Index(s, "}}")
	if end < 0 {
		return "", "", false
	}
	name := strings.TrimSpace(s[2:end])
	if !template.ValidName(name) {
		return "", "", false
	}
	return name, s[end+2:], true
}

func hasScheme(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// schemeOf returns the scheme s starts with ("ws" of "ws://x"), or "".
func schemeOf(s string) string {
	i := strings.Index(s, "://")
	if i <= 0 {
		return ""
	}
	for _, r := range s[:i] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return ""
		}
	}
	return strings.ToLower(s[:i])
}

// splitOrigin splits an absolute URL into scheme://authority and the rest (which starts with /, ? or # or
// is empty), and the user:password@ it held, taken out.
func splitOrigin(u string) (origin, rest, userinfo string) {
	scheme, after, _ := strings.Cut(u, "://")
	authority := after
	if i := strings.IndexAny(after, "/?#"); i >= 0 {
		authority, rest = after[:i], after[i:]
	}
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		userinfo, authority = authority[:at], authority[at+1:]
	}
	return strings.ToLower(scheme) + "://" + authority, rest, userinfo
}

// targetOf works out where r goes. known are the base URLs that came from variables, which a literal URL
// that starts with one of them is put under.
func (c *Collection) targetOf(r *Request, p *imports.Plan, known []string) (target, bool) {
	u := strings.TrimSpace(r.URL)
	if u == "" {
		p.Leave(r.Where, "the request", "it has no URL")
		return target{}, false
	}
	var t target
	if name, rest, ok := leadingVariable(u); ok {
		v, found := c.value(r, name, true)
		v = strings.TrimSpace(c.expand(r, v, true))
		switch {
		case found && !c.Secret(name) && hasScheme(v):
			origin, path, userinfo := splitOrigin(v)
			if userinfo != "" {
				c.leaveUserinfo(p, r, userinfo)
			}
			path, _, _ = strings.Cut(path, "#")
			base := strings.TrimRight(origin+path, "/")
			if strings.Contains(base, "?") { // a base URL with a query: keep the query on the path
				b, q, _ := strings.Cut(base, "?")
				base, rest = strings.TrimRight(b, "/"), ensureSlash(rest)+"?"+q
			}
			t = target{base: base, rest: rest, from: name}
		case found && !hasScheme(v) && v != "" && schemeOf(v) == "" && !strings.HasPrefix(v, "{{"):
			// host:port without a scheme, as tools accept: http://
			return c.targetOf(&Request{Where: r.Where, Name: r.Name, URL: "http://" + v + rest, Values: r.Values}, p, known)
		default:
			t = target{base: "https://" + hostLabel(name) + ".invalid", rest: rest, placeholder: name}
		}
	} else {
		if s := schemeOf(u); s != "" && s != "http" && s != "https" {
			p.Leave(r.Where, "the request", fmt.Sprintf("its URL starts with %s://, and apidesk sends only http:// and https:// requests", s))
			return target{}, false
		}
		if !hasScheme(u) {
			u = "http://" + u
		}
		origin, rest, userinfo := splitOrigin(u)
		if userinfo != "" {
			c.leaveUserinfo(p, r, userinfo)
		}
		t = target{base: origin, rest: rest}
		whole := origin + rest
		for _, k := range known {
			if strings.HasPrefix(strings.ToLower(whole), strings.ToLower(k)) && (len(whole) == len(k) || strings.ContainsRune("/?#", rune(whole[len(k)]))) {
				t = target{base: whole[:len(k)], rest: whole[len(k):]}
				break
			}
		}
	}
	t.key = strings.ToLower(t.base)
	if !strings.HasPrefix(t.rest, "/") && !strings.HasPrefix(t.rest, "?") && !strings.HasPrefix(t.rest, "#") && t.rest != "" {
		t.rest = "/" + t.rest // "{{host}}users"
	}
	return t, true
}

func ensureSlash(s string) string {
	if s == "" {
		return "/"
	}
	return s
}

func (c *Collection) leaveUserinfo(p *imports.Plan, r *Request, userinfo string) {
	what := "the user name written in its URL"
	if strings.Contains(userinfo, ":") {
		what = "the user name and password written in its URL"
	}
	p.Leave(r.Where, what, "workspace files may be shared: set Basic authentication on the resource, which keeps the password in your keychain")
}

// hostLabel makes a host name label of a variable name: base_url → base-url.
func hostLabel(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "api"
	}
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}

// group is the requests that go to one base URL.
type group struct {
	base, key   string
	from        string   // the variable the base came from
	placeholder string   // set when the base is made up
	requests    []int    // indexes into c.requests
	targets     []target // of each request
}

// AddTo adds the collection's resources to p, with what was left out of them.
func (c *Collection) AddTo(p *imports.Plan) {
	targets := make([]target, len(c.requests))
	ok := make([]bool, len(c.requests))
	// The base URLs that come from variables first, so literal URLs under them join them.
	var known []string
	for i := range c.requests {
		r := &c.requests[i]
		if _, _, lead := leadingVariable(strings.TrimSpace(r.URL)); !lead {
			continue
		}
		targets[i], ok[i] = c.targetOf(r, p, nil)
		if ok[i] && targets[i].from != "" && !slices.Contains(known, targets[i].base) {
			known = append(known, targets[i].base)
		}
	}
	slices.SortFunc(known, func(a, b string) int { return len(b) - len(a) }) // the longest first
	var groups []*group
	for i := range c.requests {
		r := &c.requests[i]
		if _, _, lead := leadingVariable(strings.TrimSpace(r.URL)); !lead {
			targets[i], ok[i] = c.targetOf(r, p, known)
		}
		if !ok[i] {
			continue
		}
		t := targets[i]
		j := slices.IndexFunc(groups, func(g *group) bool { return g.key == t.key })
		if j < 0 {
			groups = append(groups, &group{base: t.base, key: t.key, from: t.from, placeholder: t.placeholder})
			j = len(groups) - 1
		}
		g := groups[j]
		if g.from == "" {
			g.from = t.from
		}
		g.requests = append(g.requests, i)
		g.targets = append(g.targets, t)
	}
	if len(groups) == 0 {
		return
	}
	main := 0
	for i, g := range groups {
		if len(g.requests) > len(groups[main].requests) {
			main = i
		}
	}
	names := map[string]bool{}
	for _, r := range p.Resources {
		names[strings.ToLower(r.Resource.Name)] = true
	}
	for i, g := range groups {
		name := c.resourceName(g, i == main)
		for n := 2; names[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s (%d)", c.resourceName(g, i == main), n)
		}
		names[strings.ToLower(name)] = true
		p.Resources = append(p.Resources, c.resource(p, g, name))
	}
}

func (c *Collection) resourceName(g *group, main bool) string {
	host := g.base
	if _, after, ok := strings.Cut(host, "://"); ok {
		host = after
	}
	host, _, _ = strings.Cut(host, "/")
	name := strings.TrimSpace(strings.Join(strings.Fields(c.Name), " "))
	switch {
	case c.ByHost || name == "":
		name = host
	case !main:
		name = fmt.Sprintf("%s (%s)", name, host)
	}
	if r := []rune(name); len(r) > 90 {
		name = string(r[:89]) + "…"
	}
	if strings.TrimSpace(name) == "" {
		name = "Imported API"
	}
	return name
}

// resource makes the resource of a group, with its queries.
func (c *Collection) resource(p *imports.Plan, g *group, name string) imports.Resource {
	res := resource.Resource{Name: name, BaseURL: g.base}
	if err := resource.ValidateBaseURL(g.base); err != nil {
		p.Leave(name, "the base URL "+g.base, err.Error()+": set the API's address on the resource")
		res.BaseURL = "https://" + hostLabel(name) + ".invalid"
		g.placeholder = cmp.Or(g.placeholder, "base URL")
	}
	out := imports.Resource{Resource: res, BaseURLs: []string{res.BaseURL}}
	if g.placeholder != "" {
		p.Notes = append(p.Notes, fmt.Sprintf("{{%s}} has no value in the document, so the base URL of %s is %s for now: set the API's address on the resource before running its queries.",
			g.placeholder, name, out.Resource.BaseURL))
	}
	if g.from != "" {
		// The other environments' values of the variable the base URL came from are offered too.
		for _, v := range c.alternatives[g.from] {
			r := Request{}
			v = strings.TrimRight(strings.TrimSpace(c.expand(&r, v, true)), "/")
			if hasScheme(v) && resource.ValidateBaseURL(v) == nil && !slices.ContainsFunc(out.BaseURLs, func(b string) bool { return strings.EqualFold(b, v) }) {
				out.BaseURLs = append(out.BaseURLs, v)
			}
		}
	}
	h := &hider{c: c}
	rh := &queryHider{h: h}
	out.Resource.Headers, out.Resource.Cookies = c.rows(p, c.Where, slices.Clone(c.Headers), nil)
	out.Resource.Headers = c.validRows(p, c.Where, "header", out.Resource.Headers, resource.ValidateHeaderName)
	out.Resource.Cookies = c.validRows(p, c.Where, "cookie", out.Resource.Cookies, resource.ValidateCookieName)
	out.Resource.Headers = rh.rows("header", out.Resource.Headers, sensitive.Header)
	out.Resource.Cookies = rh.rows("cookie", out.Resource.Cookies, sensitive.Cookie)
	c.chooseAuth(p, g, &out.Resource)

	for k, i := range g.requests {
		r := &c.requests[i]
		q, ok := c.query(p, r, g.targets[k], &out.Resource, rh)
		if ok {
			out.Queries = append(out.Queries, q)
		}
	}
	if len(h.hidden) > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("These values looked secret and were not imported; the queries of %s ask for them when they run: %s.",
			name, strings.Join(h.hidden, ", ")))
	}
	return out
}

// authKey is what makes two authentications the same.
func authKey(a resource.Auth) string {
	o := a.OAuth2
	return strings.Join([]string{string(a.Kind), a.Username, a.KeyName, a.KeyIn, o.Grant, o.AuthURL, o.TokenURL, o.ClientID, strings.Join(o.Scopes, " ")}, "\x00")
}

// chooseAuth gives res the authentication most of the group's requests use, when apidesk can set it up, and
// lists the requests that authenticate otherwise.
func (c *Collection) chooseAuth(p *imports.Plan, g *group, res *resource.Resource) {
	count := map[string]int{}
	var order []string
	first := map[string]*Auth{}
	firstReq := map[string]*Request{}
	for _, i := range g.requests {
		r := &c.requests[i]
		if r.Auth == nil || r.Auth.Auth.Kind == resource.AuthNone || r.Auth.Auth.Kind == "" {
			continue
		}
		k := authKey(r.Auth.Auth)
		if count[k] == 0 {
			order = append(order, k)
			first[k], firstReq[k] = r.Auth, r
		}
		count[k]++
	}
	if len(order) == 0 {
		return
	}
	best := order[0]
	for _, k := range order {
		if count[k] > count[best] {
			best = k
		}
	}
	chosen := *first[best]
	chosen.Words = c.expand(firstReq[best], chosen.Words, true)
	a := c.authFilled(firstReq[best], chosen.Auth)
	if a.Kind == resource.AuthOAuth2 && len(template.Names(a.OAuth2.ClientID)) > 0 {
		// A client ID the document takes from a variable without a value: the rest of the sign-in is kept,
		// and the person adds only the client ID (sign-in asks for it).
		p.Leave(res.Name, "the client ID of "+chosen.Words, fmt.Sprintf("it is {{%s}}, which has no value in the document: enter the client ID of your app in the resource's authentication",
			strings.Join(template.Names(a.OAuth2.ClientID), "}}, {{")))
		a.OAuth2.ClientID = ""
	}
	try := *res
	try.Auth = a
	var problems []string
	for _, e := range try.Validate() {
		if strings.HasPrefix(e.Field, "auth.") {
			problems = append(problems, e.Msg)
		}
	}
	if names := authVariables(a); len(names) > 0 {
		problems = append([]string{fmt.Sprintf("it uses {{%s}}, which has no value in the document", strings.Join(names, "}}, {{"))}, problems...)
	}
	if len(problems) > 0 {
		p.Leave(res.Name, chosen.Words, strings.Join(problems, "; ")+": set up the resource's authentication after the import")
	} else {
		res.Auth = a
		if chosen.Secret != "" {
			p.Leave(res.Name, chosen.Secret, "secrets are not imported: type it in the resource's authentication, which keeps it in your keychain")
		}
	}
	for _, i := range g.requests {
		r := &c.requests[i]
		if r.Auth == nil || r.Auth.Auth.Kind == resource.AuthNone || r.Auth.Auth.Kind == "" || authKey(r.Auth.Auth) == best {
			continue
		}
		p.Leave(r.Where, "its own authentication ("+c.expand(r, r.Auth.Words, true)+")",
			fmt.Sprintf("apidesk authenticates per resource, and %s uses %s", res.Name, chosen.Words))
	}
}

// authFilled is a with the known values of the variables in its texts filled in.
func (c *Collection) authFilled(r *Request, a resource.Auth) resource.Auth {
	x := func(s string) string { return strings.TrimSpace(c.expand(r, s, true)) }
	a.Username, a.KeyName = x(a.Username), x(a.KeyName)
	o := &a.OAuth2
	o.AuthURL, o.TokenURL, o.ClientID, o.DeviceURL, o.RevokeURL = x(o.AuthURL), x(o.TokenURL), x(o.ClientID), x(o.DeviceURL), x(o.RevokeURL)
	var scopes []string
	for _, s := range o.Scopes {
		scopes = append(scopes, strings.Fields(x(s))...)
	}
	o.Scopes = scopes
	o.AuthParams, o.TokenParams = slices.Clone(o.AuthParams), slices.Clone(o.TokenParams)
	for _, l := range []kv.List{o.AuthParams, o.TokenParams} {
		for i := range l {
			l[i].Value = x(l[i].Value)
		}
	}
	return a
}

// authVariables are the {{variables}} left in the texts of a that apidesk reads as they are.
func authVariables(a resource.Auth) []string {
	o := a.OAuth2
	texts := []string{a.Username, a.KeyName}
	if a.Kind == resource.AuthOAuth2 {
		texts = append(texts, o.AuthURL, o.TokenURL, o.ClientID, o.DeviceURL, o.RevokeURL)
		texts = append(texts, o.Scopes...)
	}
	return template.Names(texts...)
}

// query makes the query of a request, or says why it cannot.
func (c *Collection) query(p *imports.Plan, r *Request, t target, res *resource.Resource, rh *queryHider) (query.Query, bool) {
	rest, _, _ := strings.Cut(t.rest, "#")
	path, rawQuery, _ := strings.Cut(rest, "?")
	method := strings.ToUpper(strings.TrimSpace(r.Method))
	if method == "" {
		method = "GET"
	}
	if err := query.ValidateMethod(method); err != nil {
		p.Leave(r.Where, "the request", err.Error())
		return query.Query{}, false
	}
	q := query.Query{
		Name:   imports.QueryName(r.Name, method+" "+cmp.Or(path, "/")),
		Method: method,
		Group:  groupOf(r.Folders),
		Source: r.Source,
		Body:   r.Body,
	}
	if q.Body.Kind == "" {
		q.Body.Kind = query.BodyNone
	}
	defaults := map[string]string{}
	q.Path = pathParams(path, r.PathParams, defaults)
	q.Params = append(parseQuery(rawQuery), r.Params...)
	q.Params = c.validRows(p, r.Where, "URL parameter", q.Params, func(k string) error { return resource.ValidateParamName(k) })
	var cookies kv.List
	q.Headers, cookies = c.rows(p, r.Where, slices.Clone(r.Headers), &q.Body)
	q.Cookies = append(slices.Clone(r.Cookies), cookies...)
	q.Cookies = c.validRows(p, r.Where, "cookie", q.Cookies, resource.ValidateCookieName)
	q.Body.Form = c.validRows(p, r.Where, "form field", q.Body.Form, func(k string) error { return resource.ValidateParamName(k) })
	var parts []query.Part
	for _, part := range q.Body.Parts {
		switch {
		case strings.TrimSpace(part.Name) == "" && part.Value == "" && part.File == "":
		case strings.TrimSpace(part.Name) == "":
			p.Leave(r.Where, "a field of the multipart form without a name", "each field needs a name: add it again with one")
		default:
			parts = append(parts, part)
		}
	}
	q.Body.Parts = parts

	// Values that look secret become variables.
	hidden := rh.clone(template.Names(queryTexts(&q, res)...))
	cookieSecret := sensitive.Cookie
	if c.SecretCookies {
		cookieSecret = func(string) bool { return true }
	}
	q.Path = hidden.path(q.Path)
	q.Params = hidden.rows("URL parameter", q.Params, sensitive.Param)
	q.Headers = hidden.rows("header", q.Headers, sensitive.Header)
	q.Cookies = hidden.rows("cookie", q.Cookies, cookieSecret)
	switch q.Body.Kind {
	case query.BodyForm:
		q.Body.Form = hidden.rows("form field", q.Body.Form, sensitive.Param)
	case query.BodyMultipart:
		q.Body.Parts = hidden.parts(q.Body.Parts)
	case query.BodyJSON:
		q.Body.Text = hidden.json(q.Body.Text)
	}

	// The variables: defaults from the values known, secrets asked for in a password field.
	for _, name := range q.VariableNames(res) {
		v := query.Variable{Name: name}
		if d, ok := hidden.described[name]; ok {
			v.Description = d
		}
		val, known := defaults[name]
		if !known {
			val, known = c.value(r, name, false)
		}
		switch {
		case c.Secret(name) || hidden.secret[name]:
			v.Type = query.TypeSecret
		case hidden.optional[name]:
			v.Optional = true
		case known && !SecretValue(val) && !strings.ContainsAny(val, "\r\n"):
			v.Default = val
		case known && strings.ContainsAny(val, "\r\n") && !SecretValue(val):
			v.Type, v.Default = query.TypeMultiline, val
		}
		if v.Typed() || v.Default != "" || v.Description != "" {
			q.Variables = append(q.Variables, v)
		}
	}

	q.ResourceID = "check"
	es := q.Validate()
	q.ResourceID = ""
	if len(es) > 0 {
		p.Leave(r.Where, "the request", es.Error())
		return query.Query{}, false
	}
	return q, true
}

// queryTexts are the texts of q (on res) where {{variables}} may be written.
func queryTexts(q *query.Query, res *resource.Resource) []string {
	parts := q.Parts(res)
	var texts []string
	parts.Map(func(s string) string {
		texts = append(texts, s)
		return s
	})
	for _, p := range q.Body.Parts { // disabled ones too
		texts = append(texts, p.Name, p.Value)
	}
	return texts
}

// groupOf joins folder names into a query's Group: a / in a name would start another folder, so it is
// written as a dash.
func groupOf(folders []string) string {
	var names []string
	for _, f := range folders {
		f = strings.Join(strings.Fields(strings.ReplaceAll(f, "/", "-")), " ")
		if f != "" {
			names = append(names, f)
		}
	}
	return strings.Join(names, "/")
}

// pathParams writes each :name segment of path that params names as {{name}}, and notes the param's value as
// the variable's default.
func pathParams(path string, params kv.List, defaults map[string]string) string {
	if len(params) == 0 || !strings.Contains(path, ":") {
		return path
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") {
			continue
		}
		name := s[1:]
		for _, pp := range params {
			if pp.Key == name && template.ValidName(name) {
				segs[i] = "{{" + name + "}}"
				if pp.Value != "" {
					defaults[name] = pp.Value
				}
			}
		}
	}
	return strings.Join(segs, "/")
}

// parseQuery reads a URL's query into rows, in order, their names and values decoded.
func parseQuery(raw string) kv.List {
	var out kv.List
	if raw == "" {
		return nil
	}
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		out = append(out, kv.On(unescape(k), unescape(v)))
	}
	return out
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// validRows drops the rows that cannot be saved (no name, or one the check refuses), listing those that
// held anything.
func (c *Collection) validRows(p *imports.Plan, where, what string, rows kv.List, check func(string) error) kv.List {
	var out kv.List
	for _, row := range rows {
		row.Key = strings.TrimSpace(row.Key)
		if row.Key == "" && row.Value == "" {
			continue
		}
		if err := check(row.Key); err != nil {
			name := row.Key
			if name == "" {
				name = "without a name"
			}
			p.Leave(where, fmt.Sprintf("the %s %s", what, name), err.Error())
			continue
		}
		out = append(out, row)
	}
	return out
}

// rows checks header rows: a Cookie header becomes cookie rows; a Content-Type that the body's kind sends
// anyway is dropped, and a raw body's becomes its content type.
func (c *Collection) rows(p *imports.Plan, where string, headers kv.List, body *query.Body) (kv.List, kv.List) {
	var out, cookies kv.List
	for _, h := range headers {
		h.Key = strings.TrimSpace(h.Key)
		switch {
		case h.Key == "" && h.Value == "":
			continue
		case strings.EqualFold(h.Key, "Cookie"):
			cookies = append(cookies, cookieRows(h.Value, h.Enabled)...)
			continue
		case strings.EqualFold(h.Key, "Content-Type") && body != nil && h.Enabled && sentByBody(body, h.Value):
			continue
		}
		if err := resource.ValidateHeaderName(h.Key); err != nil {
			p.Leave(where, "the header "+cmp.Or(h.Key, "without a name"), err.Error())
			continue
		}
		if err := resource.ValidateHeaderValue(h.Value); err != nil && h.Enabled {
			p.Leave(where, "the header "+h.Key, err.Error())
			continue
		}
		out = append(out, h)
	}
	return out, cookies
}

// sentByBody reports whether a Content-Type header says what the body sends anyway (moving a raw body's
// type into the body).
func sentByBody(b *query.Body, ct string) bool {
	mt := strings.ToLower(strings.TrimSpace(ct))
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = strings.TrimSpace(mt[:i])
	}
	switch b.Kind {
	case query.BodyJSON:
		return mt == "application/json"
	case query.BodyForm:
		return mt == "application/x-www-form-urlencoded"
	case query.BodyMultipart:
		return mt == "multipart/form-data"
	case query.BodyRaw, query.BodyFile:
		if b.ContentType == "" && query.ValidateContentType(ct) == nil && !template.OnlyPlaceholders(ct) {
			b.ContentType = strings.TrimSpace(ct)
		}
		return strings.EqualFold(strings.TrimSpace(b.ContentType), strings.TrimSpace(ct))
	}
	return false
}

// cookieRows reads a Cookie header's value.
func cookieRows(v string, enabled bool) kv.List {
	var out kv.List
	for c := range strings.SplitSeq(v, ";") {
		name, value, _ := strings.Cut(c, "=")
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		out = append(out, kv.Pair{Key: name, Value: strings.TrimSpace(value), Enabled: enabled})
	}
	return out
}
