package openapi

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"apidesk/engine/imports"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
)

// reader makes the plan of one loaded document.
type reader struct {
	ctx  context.Context
	src  imports.Source
	opt  Options
	doc  *openapi3.T
	plan *imports.Plan
	res  imports.Resource
	// sources are the Sources given so far, so that a repeated operationId does not make two queries update
	// each other.
	sources map[string]bool
	// order is the document's paths in the order written (those not found sort last, by name).
	order []string
}

func (r *reader) read() error {
	r.sources = map[string]bool{}
	r.res.Resource.Name = r.name()
	r.servers()
	if err := r.operations(); err != nil {
		return err
	}
	if err := r.auth(); err != nil {
		return err
	}
	for _, name := range sortedKeys(r.doc.Webhooks) {
		r.plan.Leave("webhooks."+name, "the webhook "+name, "it describes requests the API sends to you: apidesk sends requests, it does not receive them")
	}
	r.plan.Resources = []imports.Resource{r.res}
	return nil
}

// name is the resource's name: the document's title, or its file's name.
func (r *reader) name() string {
	title := ""
	if r.doc.Info != nil {
		title = r.doc.Info.Title
	}
	base := ""
	if r.src.Name != "" {
		base = strings.TrimSuffix(path.Base(filepathToSlash(r.src.Name)), path.Ext(r.src.Name))
	}
	return fitName(imports.QueryName(title, base, "Imported API"))
}

// fitName keeps a name within the 100 bytes the workspace allows (QueryName counts 80 characters, which may
// take more bytes), room left for Apply's " (2)".
func fitName(s string) string {
	const most = 90
	if len(s) <= most {
		return s
	}
	cut := most - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

func filepathToSlash(s string) string { return strings.ReplaceAll(s, `\`, "/") }

// methods are the HTTP methods of a path item, in the order its operations are listed when the document does
// not say where they are.
var methods = []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodOptions,
	http.MethodHead, http.MethodPatch, http.MethodTrace, "QUERY", http.MethodConnect}

// operation is one operation of the document, where it was found.
type operation struct {
	path, method string
	item         *openapi3.PathItem
	op           *openapi3.Operation
	rank         int // the path's place in the document
}

// ordered returns the document's operations in the order of their paths in the document, and on each path in
// the order of methods.
func (r *reader) ordered() ([]operation, error) {
	var ops []operation
	if r.doc.Paths == nil {
		return nil, nil
	}
	rank := make(map[string]int, len(r.order))
	for i, p := range r.order {
		if _, ok := rank[p]; !ok {
			rank[p] = i
		}
	}
	for p, item := range r.doc.Paths.Map() {
		where := "paths." + p
		if item == nil {
			continue
		}
		all := item.Operations()
		if item.Ref != "" && len(all) == 0 {
			return nil, r.circular(where, item.Ref)
		}
		n, ok := rank[p]
		if !ok {
			n = len(r.order)
		}
		for m, op := range all {
			if op != nil {
				ops = append(ops, operation{path: p, method: strings.ToUpper(m), item: item, op: op, rank: n})
			}
		}
	}
	slices.SortFunc(ops, func(a, b operation) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.path, b.path),
			cmp.Compare(methodRank(a.method), methodRank(b.method)), strings.Compare(a.method, b.method))
	})
	return ops, nil
}

func methodRank(m string) int {
	if i := slices.Index(methods, m); i >= 0 {
		return i
	}
	return len(methods)
}

// circular is the error for a $ref that leads nowhere: back to itself, or to something the loader left empty.
func (r *reader) circular(where, ref string) error {
	return &imports.FormatError{Format: formatName, Where: where,
		Msg: fmt.Sprintf("its $ref %s is circular (it leads back to itself) or leads to nothing", ref)}
}

// operations makes a query of each operation.
func (r *reader) operations() error {
	ops, err := r.ordered()
	if err != nil {
		return err
	}
	for i, o := range ops {
		if i%64 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
		}
		where := "paths." + o.path + "." + strings.ToLower(o.method)
		if err := query.ValidateMethod(o.method); err != nil {
			r.plan.Leave(where, "the operation "+o.method+" "+o.path, lowerFirst(err.Error()))
			continue
		}
		if err := query.ValidatePath(o.path); err != nil {
			r.plan.Leave(where, "the operation "+o.method+" "+o.path, lowerFirst(err.Error()))
			continue
		}
		q, err := r.query(o)
		if err != nil {
			return err
		}
		r.res.Queries = append(r.res.Queries, q)
	}
	if len(ops) == 0 {
		r.plan.Notes = append(r.plan.Notes, "The document describes no operation, so no query was made.")
	}
	return nil
}

// query makes the query of one operation.
func (r *reader) query(o operation) (query.Query, error) {
	where := "paths." + o.path + "." + strings.ToLower(o.method)
	op := o.op
	q := query.Query{
		Name:   fitName(imports.QueryName(op.Summary, op.OperationID, o.method+" "+o.path)),
		Method: o.method,
		Group:  group(op.Tags),
	}
	q.Source = "openapi:" + strings.TrimSpace(op.OperationID)
	if strings.TrimSpace(op.OperationID) == "" || r.sources[q.Source] {
		q.Source = "openapi:" + o.method + " " + o.path
	}
	r.sources[q.Source] = true

	names := &namer{taken: map[string]bool{}}
	pathVars := map[string]string{}
	q.Path = pathTemplate.ReplaceAllStringFunc(o.path, func(m string) string {
		raw := m[1 : len(m)-1]
		v, ok := pathVars[raw]
		if !ok {
			v = names.name(raw, "path")
			pathVars[raw] = v
		}
		return "{{" + v + "}}"
	})
	declared := map[string]bool{}

	params, err := r.parameters(o, where)
	if err != nil {
		return q, err
	}
	for _, p := range params {
		pw := where + ".parameters." + p.In + "." + p.Name
		switch p.In {
		case openapi3.ParameterInPath:
			v, ok := pathVars[p.Name]
			if !ok {
				r.plan.Leave(pw, "the path parameter "+p.Name, "the path "+o.path+" has no {"+p.Name+"} in it")
				continue
			}
			declared[p.Name] = true
			q.Variables = append(q.Variables, r.variable(v, p, true, pw))
		case openapi3.ParameterInQuery, openapi3.ParameterInHeader, openapi3.ParameterInCookie:
			if p.In == openapi3.ParameterInHeader && ignoredHeader(p.Name) {
				r.plan.Leave(pw, "the header parameter "+p.Name, "OpenAPI says to ignore it: the body's type and the resource's authentication set it")
				continue
			}
			if err := rowName(p.In, p.Name); err != nil {
				r.plan.Leave(pw, "the "+p.In+" parameter "+p.Name, lowerFirst(err.Error()))
				continue
			}
			name := names.name(p.Name, p.In)
			v := r.variable(name, p, p.Required, pw)
			row := kv.Pair{Key: p.Name, Value: "{{" + name + "}}", Enabled: p.Required || v.Default != ""}
			switch p.In {
			case openapi3.ParameterInQuery:
				q.Params = append(q.Params, row)
			case openapi3.ParameterInHeader:
				q.Headers = append(q.Headers, row)
			default:
				q.Cookies = append(q.Cookies, row)
			}
			q.Variables = append(q.Variables, v)
		default:
			r.plan.Leave(pw, "the parameter "+p.Name+" in "+p.In, "apidesk sends parameters in the path, the URL, a header or a cookie")
		}
	}
	// Path parameters the operation does not declare are plain inputs; say so in their order.
	for raw, v := range pathVars {
		if !declared[raw] {
			q.Variables = append(q.Variables, query.Variable{Name: v})
		}
	}
	slices.SortStableFunc(q.Variables, func(a, b query.Variable) int {
		return cmp.Compare(varRank(q.Path, a.Name), varRank(q.Path, b.Name))
	})

	if rb := op.RequestBody; rb != nil {
		if rb.Value == nil {
			return q, r.circular(where+".requestBody", rb.Ref)
		}
		body, vars, err := r.body(rb.Value, where+".requestBody", names)
		if err != nil {
			return q, err
		}
		if body.Kind == query.BodyJSON && body.ContentType != "" {
			q.Headers = append(q.Headers, kv.On("Content-Type", body.ContentType))
			body.ContentType = ""
		}
		q.Body = body
		q.Variables = append(q.Variables, vars...)
	}
	for _, name := range sortedKeys(op.Callbacks) {
		r.plan.Leave(where+".callbacks."+name, "the callback "+name, "it describes a request the API sends to you: apidesk sends requests, it does not receive them")
	}
	for _, servers := range []*openapi3.Servers{op.Servers, &o.item.Servers} {
		if servers == nil {
			continue
		}
		for _, s := range *servers {
			if s == nil || strings.TrimSuffix(expandDefaults(s), "/") == r.res.Resource.BaseURL {
				continue
			}
			r.plan.Leave(where+".servers", "the operation's own server "+s.URL, "its query is sent to the resource's base URL: make a resource for that server if the operation needs it")
		}
	}
	return q, nil
}

// varRank puts the variables of the path first, in the path's order.
func varRank(p, name string) int {
	if i := strings.Index(p, "{{"+name+"}}"); i >= 0 {
		return i
	}
	return len(p) + 1
}

var pathTemplate = regexp.MustCompile(`\{[^{}/]+\}`)

// rowName checks the name of a URL parameter, header or cookie (or a form's field: "query") as the workspace
// will.
func rowName(in, name string) error {
	switch in {
	case openapi3.ParameterInHeader:
		return resource.ValidateHeaderName(name)
	case openapi3.ParameterInCookie:
		return resource.ValidateCookieName(name)
	}
	return resource.ValidateParamName(name)
}

// ignoredHeader reports whether OpenAPI says a header parameter of this name is ignored (§4.8.12.1).
func ignoredHeader(name string) bool {
	return strings.EqualFold(name, "Accept") || strings.EqualFold(name, "Content-Type") || strings.EqualFold(name, "Authorization")
}

// group is the query's folder: the first tag, its names joined by / as the workspace keeps them.
func group(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	var parts []string
	for _, p := range strings.Split(tags[0], "/") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "/")
}

// parameters are the path item's parameters and the operation's (which replace those of the same name and
// place), each resolved.
func (r *reader) parameters(o operation, where string) ([]*openapi3.Parameter, error) {
	var out []*openapi3.Parameter
	add := func(list openapi3.Parameters, at string) error {
		for i, ref := range list {
			if ref == nil {
				continue
			}
			if ref.Value == nil {
				return r.circular(fmt.Sprintf("%s.parameters[%d]", at, i), ref.Ref)
			}
			p := ref.Value
			if j := slices.IndexFunc(out, func(x *openapi3.Parameter) bool { return x.Name == p.Name && x.In == p.In }); j >= 0 {
				out[j] = p
			} else {
				out = append(out, p)
			}
		}
		return nil
	}
	if err := add(o.item.Parameters, "paths."+o.path); err != nil {
		return nil, err
	}
	if err := add(o.op.Parameters, where); err != nil {
		return nil, err
	}
	return out, nil
}

// variable describes the {{variable}} name a parameter is sent as.
func (r *reader) variable(name string, p *openapi3.Parameter, required bool, where string) query.Variable {
	s := p.Schema
	if s == nil {
		for _, mt := range sortedKeys(p.Content) {
			if c := p.Content[mt]; c != nil && c.Schema != nil {
				s = c.Schema
				break
			}
		}
	}
	secret := false
	switch p.In {
	case openapi3.ParameterInHeader:
		secret = sensitive.Header(p.Name)
	case openapi3.ParameterInCookie:
		secret = sensitive.Cookie(p.Name)
	default:
		secret = sensitive.Param(p.Name)
	}
	v := describe(name, schemaOf(s), required, secret)
	if d := strings.TrimSpace(p.Description); d != "" {
		v.Description = clip(d)
	}
	return v
}

func schemaOf(s *openapi3.SchemaRef) *openapi3.Schema {
	if s == nil {
		return nil
	}
	return s.Value
}

// describe makes a variable's description from a schema: its type, choices, default, pattern and bounds, each
// kept only when apidesk accepts it (a default outside the choices, or a pattern Go cannot compile, is dropped).
func describe(name string, s *openapi3.Schema, required, secret bool) query.Variable {
	v := query.Variable{Name: name, Optional: !required}
	if s == nil {
		if secret {
			v.Type = query.TypeSecret
		}
		return v
	}
	s = concrete(s)
	v.Description = clip(strings.TrimSpace(s.Description))
	v.Label = strings.Join(strings.Fields(s.Title), " ")
	if len(v.Label) > 80 {
		v.Label = ""
	}
	v.Type = varType(s)
	if secret {
		v.Type = query.TypeSecret
		return v
	}
	enum := s.Enum
	if len(enum) == 0 && s.Items != nil && s.Items.Value != nil && typeIs(s, "array") {
		enum = s.Items.Value.Enum
	}
	if len(enum) == 0 && s.Const != nil {
		enum = []any{s.Const}
	}
	for _, e := range enum {
		val, ok := scalar(e)
		if !ok || strings.TrimSpace(val) == "" || slices.ContainsFunc(v.Options, func(o query.Option) bool { return o.Value == val }) {
			continue
		}
		v.Options = append(v.Options, query.Option{Value: val})
	}
	if len(v.Options) > 0 {
		v.Type = query.TypeChoice
	}
	if d, ok := scalar(s.Default); ok && d != "" {
		v.Default = d
		if v.Check(d) != nil {
			v.Default = ""
		}
	}
	if v.Kind().Patterned() && s.Pattern != "" {
		if p := wholePattern(s.Pattern); compiles(p) {
			v.Pattern = p
		}
	}
	if v.Kind() == query.TypeNumber || v.Kind() == query.TypeInteger {
		v.Min, v.Max = bounds(s, v.Kind() == query.TypeInteger)
		probe := query.Variable{Name: v.Name, Type: v.Type}
		if probe.Check(v.Min) != nil {
			v.Min = ""
		}
		if probe.Check(v.Max) != nil {
			v.Max = ""
		}
		if v.Default != "" && v.Check(v.Default) != nil {
			v.Min, v.Max = "", ""
		}
	}
	return v
}

// concrete is the schema itself, or for one made of allOf, anyOf or oneOf alone, its first part with a type.
func concrete(s *openapi3.Schema) *openapi3.Schema {
	seen := map[*openapi3.Schema]bool{}
	for s != nil && !seen[s] && (s.Type == nil || len(*s.Type) == 0) && len(s.Enum) == 0 {
		seen[s] = true
		var next *openapi3.Schema
		for _, list := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, part := range list {
				if part != nil && part.Value != nil {
					next = part.Value
					break
				}
			}
			if next != nil {
				break
			}
		}
		if next == nil {
			break
		}
		// The outer schema's words win over its part's.
		merged := *next
		if s.Description != "" {
			merged.Description = s.Description
		}
		if s.Default != nil {
			merged.Default = s.Default
		}
		if s.Title != "" {
			merged.Title = s.Title
		}
		s = &merged
		seen[next] = true
	}
	return s
}

// types is the schema's types but null.
func types(s *openapi3.Schema) []string {
	if s == nil || s.Type == nil {
		return nil
	}
	var out []string
	for _, t := range *s.Type {
		if t != "null" {
			out = append(out, t)
		}
	}
	return out
}

func typeIs(s *openapi3.Schema, t string) bool {
	ts := types(s)
	return len(ts) == 1 && ts[0] == t
}

// varType is the variable type for a schema.
func varType(s *openapi3.Schema) query.VarType {
	ts := types(s)
	if len(ts) != 1 {
		return ""
	}
	switch ts[0] {
	case "integer":
		return query.TypeInteger
	case "number":
		return query.TypeNumber
	case "boolean":
		return query.TypeBoolean
	case "string":
		switch s.Format {
		case "date":
			return query.TypeDate
		case "date-time":
			return query.TypeDateTime
		case "password":
			return query.TypeSecret
		}
	}
	return ""
}

// wholePattern makes a pattern, which OpenAPI (as JSON Schema) matches anywhere in a value, one that apidesk's
// whole-value match reads the same way.
func wholePattern(p string) string {
	if strings.HasPrefix(p, "^") && strings.HasSuffix(p, "$") && !strings.HasSuffix(p, `\$`) {
		return p
	}
	return "^.*(?:" + p + ").*$"
}

func compiles(p string) bool {
	_, err := regexp.Compile(`^(?:` + p + `)$`)
	return err == nil
}

// bounds are a number's lowest and highest values, as texts; an exclusive bound of a whole number is moved
// in by one, one of a number is left out (apidesk's bounds are inclusive).
func bounds(s *openapi3.Schema, integer bool) (lo, hi string) {
	f := func(v float64, up bool) string {
		if integer {
			if up {
				v = ceil(v)
			} else {
				v = floor(v)
			}
		}
		return number(v)
	}
	if s.ExclusiveMin.Value != nil {
		if integer {
			lo = f(floor(*s.ExclusiveMin.Value)+1, true)
		}
	} else if s.Min != nil {
		switch {
		case !s.ExclusiveMin.IsTrue():
			lo = f(*s.Min, true)
		case integer:
			lo = f(floor(*s.Min)+1, true)
		}
	}
	if s.ExclusiveMax.Value != nil {
		if integer {
			hi = f(ceil(*s.ExclusiveMax.Value)-1, false)
		}
	} else if s.Max != nil {
		switch {
		case !s.ExclusiveMax.IsTrue():
			hi = f(*s.Max, false)
		case integer:
			hi = f(ceil(*s.Max)-1, false)
		}
	}
	return lo, hi
}

// clip keeps a description to a size a field's help can show.
func clip(s string) string {
	if r := []rune(s); len(r) > 1000 {
		return strings.TrimSpace(string(r[:999])) + "…"
	}
	return s
}

// namer gives each of a query's variables its own name.
type namer struct{ taken map[string]bool }

// name is raw made a variable name (characters it may not hold become _), or, when a variable has that name
// already, where_name, name_2…
func (n *namer) name(raw, where string) string {
	b := []byte(raw)
	for i, c := range b {
		if !(c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b[i] = '_'
		}
	}
	s := strings.Trim(string(b), "_")
	if s == "" {
		s = "value"
	}
	out := s
	if n.taken[out] && where != "" {
		out = where + "_" + s
	}
	for i := 2; n.taken[out]; i++ {
		out = fmt.Sprintf("%s_%d", s, i)
	}
	n.taken[out] = true
	return out
}

// servers sets the resource's base URL from the document's servers, and offers the others.
func (r *reader) servers() {
	var urls []string
	add := func(u string) {
		u = strings.TrimSuffix(strings.TrimSpace(u), "/")
		if u != "" && !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	for _, s := range r.doc.Servers {
		if s == nil {
			continue
		}
		for _, u := range expand(s) {
			add(r.absolute(u))
		}
	}
	if len(urls) == 0 {
		add(r.absolute("/"))
	}
	var ok []string
	for _, u := range urls {
		if resource.ValidateBaseURL(u) == nil {
			ok = append(ok, u)
		}
	}
	if len(ok) == 0 {
		ok = []string{"https://{{host}}"}
		r.plan.Notes = append(r.plan.Notes, "The document names no server address, so the base URL is https://{{host}}: change it to the API's address on the resource.")
	}
	r.res.Resource.BaseURL = ok[0]
	r.res.BaseURLs = ok
	if len(ok) > 1 {
		r.plan.Notes = append(r.plan.Notes, fmt.Sprintf("The document names %d server addresses: the resource uses %s; the others can be chosen instead.", len(ok), ok[0]))
	}
}

// absolute resolves a server URL that is relative (allowed by OpenAPI: to where the document was read from).
// One relative to a file has no host: it becomes https://{{host}} with its path, which ValidateBaseURL accepts.
func (r *reader) absolute(u string) string {
	p, err := url.Parse(strings.ReplaceAll(strings.ReplaceAll(u, "{{", "%7B%7B"), "}}", "%7D%7D"))
	if err != nil || p.IsAbs() {
		return u
	}
	if r.src.URL != "" {
		if base, err := url.Parse(r.src.URL); err == nil && base.Host != "" {
			return strings.ReplaceAll(strings.ReplaceAll(base.ResolveReference(p).String(), "%7B%7B", "{{"), "%7D%7D", "}}")
		}
	}
	if strings.HasPrefix(u, "//") {
		return "https:" + u
	}
	if u == "/" || u == "" {
		return ""
	}
	r.plan.Notes = append(r.plan.Notes, fmt.Sprintf("The document names its server only by the path %s, so the base URL is https://{{host}}%s: change {{host}} to the API's address on the resource.", u, strings.TrimSuffix(u, "/")))
	return "https://{{host}}" + "/" + strings.TrimPrefix(u, "/")
}

var serverVar = regexp.MustCompile(`\{([^{}]+)\}`)

// expandDefaults is the server's URL with each variable's default (a variable with none stays a {{variable}}).
func expandDefaults(s *openapi3.Server) string {
	return fillServer(s, nil)
}

func fillServer(s *openapi3.Server, with map[string]string) string {
	return serverVar.ReplaceAllStringFunc(s.URL, func(m string) string {
		name := m[1 : len(m)-1]
		if v, ok := with[name]; ok {
			return v
		}
		if sv := s.Variables[name]; sv != nil && sv.Default != "" {
			return sv.Default
		}
		if sv := s.Variables[name]; sv != nil && len(sv.Enum) > 0 {
			return sv.Enum[0]
		}
		return "{{" + (&namer{taken: map[string]bool{}}).name(name, "") + "}}"
	})
}

// expand is the server's URL with its variables' defaults, then with each other value one variable may take
// (the others at their defaults), at most 12 in all.
func expand(s *openapi3.Server) []string {
	out := []string{expandDefaults(s)}
	for _, name := range sortedKeys(s.Variables) {
		sv := s.Variables[name]
		if sv == nil {
			continue
		}
		for _, e := range sv.Enum {
			if len(out) >= 12 {
				return out
			}
			if u := fillServer(s, map[string]string{name: e}); !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	return out
}
