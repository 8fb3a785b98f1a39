package postman

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"apidesk/engine/imports"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
)

// reader turns a collection into a plan.
type reader struct {
	c    *collection
	src  imports.Source
	plan *imports.Plan
	res  resource.Resource

	vars     map[string]*colVar // the collection's variables (and the environment's), by apidesk name
	varOrder []string
	env      map[string]bool // the variables the environment gives, which win over a request's own
	used     map[string]bool // variables some query (or the resource) uses

	colAuth  *authSpec // the collection's authentication; nil for none
	colConv  authResult
	reported map[*authSpec]bool // the folder and request authentications already listed as left out

	reqs         []*pending
	sources      map[string]int
	descriptions bool // some folder or request has a description (not imported)
	hidUserinfo  bool // a URL's password was made {{password}}
}

// colVar is a variable of the collection or of the environment.
type colVar struct {
	value, desc string
	secret      bool // no default: it looks secret
}

// pending is a request read into a query whose path waits for the base URL.
type pending struct {
	q        query.Query
	where    string
	full     string            // the URL without its query, {{variables}} and all
	pathVars map[string]colVar // the URL's :path variables, now {{variables}}
	ownVars  map[string]colVar // the request's own variables (item.variable), by apidesk name
	ownOrder []string
	secrets  map[string]bool // the variables made for secrets, which get the secret type
	names    []string        // the variables the query uses, once finished
}

func (p *pending) usedOwn(n string) bool { return slices.Contains(p.names, n) }

// ownVariables reads a request's own variables (v2.1's item.variable): defaults of its query that win over the
// collection's. A value that looks secret is left out, and the query asks for it.
func (r *reader) ownVariables(p *pending, vs []variable) {
	for _, v := range vs {
		n := varName(v.name())
		if n == "" {
			continue
		}
		if _, ok := p.ownVars[n]; ok {
			continue
		}
		value := string(v.Value)
		if v.Disabled {
			if value != "" {
				r.plan.Leave(p.where, "the variable "+n, "it is switched off in the request")
			}
			continue
		}
		ov := colVar{value: value, desc: description(v.Desc)}
		ov.secret = strings.EqualFold(string(v.Type), "secret") || secretVar(n, value)
		if ov.secret {
			ov.value = ""
			if value != "" {
				r.plan.Leave(p.where, "the value of the variable "+n, "it looks secret, and workspace files may be shared: "+
					"the query asks for {{"+n+"}} when it runs")
			}
		}
		if p.ownVars == nil {
			p.ownVars = map[string]colVar{}
		}
		p.ownVars[n] = ov
		p.ownOrder = append(p.ownOrder, n)
	}
}

func newReader(c *collection, src imports.Source, env map[string]string) *reader {
	r := &reader{c: c, src: src, plan: &imports.Plan{Format: "Postman collection " + c.version()},
		vars: map[string]*colVar{}, env: map[string]bool{}, used: map[string]bool{}, reported: map[*authSpec]bool{}, sources: map[string]int{}}
	r.addVars("collection variables", c.Variable, "the collection")
	for _, k := range sortedKeys(env) {
		n := varName(k)
		if n == "" {
			continue
		}
		v := env[k]
		if _, ok := r.vars[n]; !ok {
			r.varOrder = append(r.varOrder, n)
		}
		r.vars[n] = &colVar{value: v, secret: secretVar(n, v)}
		r.env[n] = true
	}
	return r
}

// addVars adds variables not yet known; where words them for what is left out ("collection variables").
func (r *reader) addVars(where string, vs []variable, of string) {
	for _, v := range vs {
		n := varName(v.name())
		if n == "" {
			continue
		}
		if _, ok := r.vars[n]; ok {
			continue
		}
		value := string(v.Value)
		if v.Disabled {
			if value != "" {
				r.plan.Leave(where, "the variable "+n, "it is switched off in "+of)
			}
			continue
		}
		cv := &colVar{value: value, desc: description(v.Desc)}
		cv.secret = strings.EqualFold(string(v.Type), "secret") || secretVar(n, value)
		if cv.secret && value != "" {
			r.plan.Leave(where, "the value of the variable "+n, "it looks secret, and workspace files may be shared: "+
				"the queries ask for {{"+n+"}} when they run")
		}
		r.vars[n] = cv
		r.varOrder = append(r.varOrder, n)
	}
}

func (r *reader) read(ctx context.Context) error {
	base := strings.TrimSuffix(filepath.Base(r.src.Name), filepath.Ext(r.src.Name))
	r.res.Name = name(string(r.c.Info.Name), base, "Postman collection")
	if description(r.c.Info.Desc) != "" {
		r.descriptions = true
	}
	r.events("the collection", r.c.Event)
	r.colAuth = parseAuth(r.c.Auth, "the collection")
	r.collectionAuth()
	if err := r.walk(ctx, r.c.Item, nil, r.colAuth); err != nil {
		return err
	}
	r.baseURL()
	res := imports.Resource{Resource: r.res, BaseURLs: []string{r.res.BaseURL}}
	for _, p := range r.reqs {
		if q, ok := r.finish(p); ok {
			res.Queries = append(res.Queries, q)
		}
	}
	r.plan.Resources = []imports.Resource{res}
	if r.descriptions {
		r.plan.Notes = append(r.plan.Notes, "The descriptions of the collection, its folders and requests are not imported.")
	}
	var unused []string
	for _, n := range r.varOrder {
		if !r.used[n] {
			unused = append(unused, "{{"+n+"}}")
		}
	}
	for _, p := range r.reqs {
		for _, n := range p.ownOrder {
			if u := "{{" + n + "}}"; !p.usedOwn(n) && !slices.Contains(unused, u) {
				unused = append(unused, u)
			}
		}
	}
	if len(unused) > 0 {
		if len(unused) == 1 {
			r.plan.Notes = append(r.plan.Notes, "No request uses the variable "+unused[0]+": it is not imported.")
		} else {
			r.plan.Notes = append(r.plan.Notes, "No request uses the variables "+strings.Join(unused, ", ")+": they are not imported.")
		}
	}
	return nil
}

// walk reads items in folders (outermost first), whose authentication is inherited unless an item sets its own.
func (r *reader) walk(ctx context.Context, items []item, folders []string, inherited *authSpec) error {
	for i := range items {
		if err := ctx.Err(); err != nil {
			return err
		}
		it := &items[i]
		if description(it.Desc) != "" {
			r.descriptions = true
		}
		if it.Items != nil {
			n := node{folders: folders, name: folderName(string(it.Name))}
			where := n.where("folder")
			r.events(where, it.Event)
			auth := inherited
			if a := parseAuth(it.Auth, where); a != nil {
				auth = a
			}
			r.addVars(where, it.Variable, "the folder")
			if err := r.walk(ctx, *it.Items, append(slices.Clip(folders), n.name), auth); err != nil {
				return err
			}
			continue
		}
		n := node{folders: folders, name: strings.Join(strings.Fields(string(it.Name)), " ")}
		if n.name == "" {
			n.name = "Untitled request"
		}
		where := n.where("item")
		req, ok := parseRequest(it.Request)
		if !ok {
			r.plan.Leave(where, "the item "+n.name, "it holds neither a request nor a folder")
			continue
		}
		r.request(it, n, req, inherited)
	}
	return nil
}

// source is the query's Source: the request's id, or its folders and name; made unique in the collection.
func (r *reader) source(it *item, n node) string {
	s := strings.TrimSpace(string(cmpText(it.ID, it.PostmanID)))
	if s == "" {
		s = strings.Join(append(append([]string(nil), n.folders...), n.name), "/")
	}
	s = SourcePrefix + s
	r.sources[s]++
	if k := r.sources[s]; k > 1 {
		s += "#" + strconv.Itoa(k)
	}
	return s
}

func (r *reader) request(it *item, n node, req *request, inherited *authSpec) {
	where := n.where("item")
	r.events(where, it.Event)
	if description(req.Desc) != "" {
		r.descriptions = true
	}
	p := &pending{where: where, secrets: map[string]bool{}}
	r.ownVariables(p, it.Variable)
	q := &p.q
	q.Group = n.group()
	q.Source = r.source(it, n)
	q.Method = strings.ToUpper(strings.TrimSpace(string(req.Method)))
	if q.Method == "" {
		q.Method = "GET"
	}
	if query.ValidateMethod(q.Method) != nil {
		r.plan.Leave(where, "the request "+n.name, "its method "+q.Method+" is not one apidesk can send")
		return
	}
	p.full, q.Params, p.pathVars = r.parseURL(req.URL)
	q.Name = name(n.name, q.Method+" "+p.full)
	q.Headers = pairs(req.Header)
	r.body(p, req.Body)
	if n := len(it.Response); n > 0 {
		r.plan.Leave(where, plural(n, "saved example response", "saved example responses"), "examples of answers are not imported")
	}
	if len(it.Behavior) > 0 {
		r.plan.Leave(where, "its Postman settings ("+strings.Join(sortedKeys(it.Behavior), ", ")+")", "apidesk's own request settings apply")
	}
	if present(req.Proxy) || present(req.Certificate) {
		r.plan.Leave(where, "its proxy or certificate settings", "set them on the resource (its network settings) if it needs them")
	}
	r.fixVariables(p)
	if b := &q.Body; b.Kind == query.BodyRaw && b.ContentType == "application/json" && query.ValidateJSON(b.Text) == nil {
		b.Kind, b.ContentType = query.BodyJSON, "" // JSON once its {{$variables}} are apidesk's
	}
	r.hideSecrets(p)
	auth := inherited
	if a := parseAuth(req.Auth, where); a != nil {
		auth = a
	}
	r.requestAuth(p, auth)
	r.reqs = append(r.reqs, p)
}

func present(raw []byte) bool {
	s := strings.TrimSpace(string(raw))
	return s != "" && s != "null" && s != "{}" && s != "[]"
}

// pairs reads a list of headers, or headers written as text ("Name: value" on each line; a line starting with
// // is switched off, as Postman's v1 wrote it). Rows with neither name nor value are dropped.
func pairs(raw []byte) kv.List {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return nil
	}
	if s[0] == '"' {
		var t text
		if t.UnmarshalJSON(raw) != nil {
			return nil
		}
		var out kv.List
		for l := range strings.SplitSeq(string(t), "\n") {
			l = strings.TrimSpace(l)
			off := strings.HasPrefix(l, "//")
			l = strings.TrimSpace(strings.TrimPrefix(l, "//"))
			if p, err := kv.ParseHeader(l); err == nil {
				p.Enabled = !off
				out = append(out, p)
			}
		}
		return out
	}
	var ps []pair
	if decodeQuiet(raw, &ps) != nil {
		return nil
	}
	return rows(ps)
}

// rows makes rows of pairs, switched off where Postman has them disabled.
func rows(ps []pair) kv.List {
	var out kv.List
	for _, p := range ps {
		if p.Key == "" && p.Value == "" {
			continue
		}
		out = append(out, kv.Pair{Key: strings.TrimSpace(string(p.Key)), Value: string(p.Value), Enabled: !bool(p.Disabled)})
	}
	return out
}

// variableRef matches what Postman reads as a variable: {{name}}, where the name may hold spaces and start
// with $ (Postman's built-in dynamic variables: {{$guid}}).
var variableRef = regexp.MustCompile(`\{\{\s*(\$?[A-Za-z0-9_.\- ]*[A-Za-z0-9_.\-])\s*\}\}`)

// varName makes a Postman variable's name one apidesk's {{variables}} accept: letters, digits, '_', '-' and
// '.'; another character becomes '_'. "" for a name of nothing but such characters.
func varName(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			b.WriteByte(c)
		} else {
			b.WriteByte('_')
		}
	}
	if strings.Trim(b.String(), "_") == "" {
		return ""
	}
	return b.String()
}

// fixVariables writes each {{variable}} of the query as apidesk reads it: a name with spaces gets '_' for
// them, and Postman's built-in {{$guid}}, which apidesk does not make up, becomes {{guid}}, an input.
func (r *reader) fixVariables(p *pending) {
	var dynamic []string
	fix := func(s string) string {
		if !strings.Contains(s, "{{") {
			return s
		}
		return variableRef.ReplaceAllStringFunc(s, func(m string) string {
			inner := variableRef.FindStringSubmatch(m)[1]
			n := inner
			if strings.HasPrefix(n, "$") {
				n = n[1:]
				if !slices.Contains(dynamic, "{{"+inner+"}}") {
					dynamic = append(dynamic, "{{"+inner+"}}")
				}
			}
			if n = varName(n); n == "" {
				return m
			}
			return "{{" + n + "}}"
		})
	}
	p.full = fix(p.full)
	p.mapTexts(fix)
	if len(dynamic) > 0 {
		what := "Postman's built-in variable " + dynamic[0]
		if len(dynamic) > 1 {
			what = "Postman's built-in variables " + strings.Join(dynamic, ", ")
		}
		r.plan.Leave(p.where, what, "apidesk does not make up values: each is now a variable without the $, asked for when the query runs")
	}
	for n, v := range p.pathVars {
		if f := varName(n); f != n {
			delete(p.pathVars, n)
			if f != "" {
				p.pathVars[f] = v
			}
		}
	}
}

// mapTexts replaces every text of the query where a {{variable}} may be written (but its path) by f(text).
func (p *pending) mapTexts(f func(string) string) {
	q := &p.q
	for _, l := range []kv.List{q.Params, q.Headers, q.Cookies, q.Body.Form} {
		for i := range l {
			l[i].Key, l[i].Value = f(l[i].Key), f(l[i].Value)
		}
	}
	q.Body.Text = f(q.Body.Text)
	for i := range q.Body.Parts {
		part := &q.Body.Parts[i]
		part.Name, part.Value, part.File = f(part.Name), f(part.Value), f(part.File)
	}
	q.Body.File = f(q.Body.File)
}

// finish gives the query its variables and checks it can be saved: what cannot be (a header whose name has a
// space, a form field without a name…) is left out.
func (r *reader) finish(p *pending) (query.Query, bool) {
	q := p.q
	p.names = q.VariableNames(&r.res)
	for _, n := range p.names {
		r.used[n] = true
		v := query.Variable{Name: n}
		pv, isPath := p.pathVars[n]
		ov, own := p.ownVars[n]
		switch {
		case p.secrets[n]:
			v.Type = query.TypeSecret
		case isPath && pv.value != "":
			v.Description = pv.desc
			if pv.secret {
				v.Type = query.TypeSecret
				r.plan.Leave(p.where, "the value of the path variable "+n, "it looks secret: the query asks for {{"+n+"}} when it runs")
			} else {
				v.Default = pv.value
			}
		case own && !r.env[n]:
			// The request's own variable; where it has no value, the collection's (which Postman uses: its
			// runner reads no request's variables).
			cv := r.vars[n]
			v.Description = ov.desc
			if cv != nil {
				v.Description = cmpString(ov.desc, cv.desc)
			}
			switch {
			case ov.secret || ov.value == "" && cv != nil && cv.secret:
				v.Type = query.TypeSecret
			case ov.value != "":
				v.Default = r.expand(ov.value, 1)
			case cv != nil:
				v.Default = r.value(n)
			}
		case r.vars[n] != nil:
			cv := r.vars[n]
			v.Description = cv.desc
			if cv.secret {
				v.Type = query.TypeSecret
			} else {
				v.Default = r.value(n)
			}
		case isPath:
			v.Description = pv.desc
		case sensitive.Variable(n):
			v.Type = query.TypeSecret
		}
		if strings.ContainsAny(v.Default, "\r\n") {
			v.Type = query.TypeMultiline
		}
		if v.Type != "" || v.Default != "" || v.Description != "" {
			q.Variables = append(q.Variables, v)
		}
	}
	es := valid(&q)
	if len(es) == 0 {
		return q, true
	}
	drop := map[string][]int{}
	for _, e := range es {
		list, i, ok := rowOf(e.Field)
		switch {
		case ok:
			drop[list] = append(drop[list], i)
		case e.Field == "body" && q.Body.Kind == query.BodyJSON: // JSON that is not: sent as it is
			q.Body.Kind, q.Body.ContentType = query.BodyRaw, "application/json"
		}
	}
	leave := func(list, what string, key func(i int) string, del func(i int)) {
		idx := drop[list]
		slices.Sort(idx)
		idx = slices.Compact(idx)
		for k := len(idx) - 1; k >= 0; k-- {
			i := idx[k]
			msg := es.For(list + "[" + strconv.Itoa(i) + "].key")
			for _, sub := range []string{"value", "name", "file", "filename", "content_type"} {
				msg = cmpString(msg, es.For(list+"["+strconv.Itoa(i)+"]."+sub))
			}
			if k := strings.TrimSpace(key(i)); k != "" {
				r.plan.Leave(p.where, what+" "+k, msg)
			} else {
				r.plan.Leave(p.where, what+" without a name", msg)
			}
			del(i)
		}
	}
	leave("headers", "the header", func(i int) string { return q.Headers[i].Key }, func(i int) { q.Headers = slices.Delete(q.Headers, i, i+1) })
	leave("params", "the URL parameter", func(i int) string { return q.Params[i].Key }, func(i int) { q.Params = slices.Delete(q.Params, i, i+1) })
	leave("body.form", "the form field", func(i int) string { return q.Body.Form[i].Key }, func(i int) { q.Body.Form = slices.Delete(q.Body.Form, i, i+1) })
	leave("body.parts", "the form field", func(i int) string { return q.Body.Parts[i].Name }, func(i int) { q.Body.Parts = slices.Delete(q.Body.Parts, i, i+1) })
	q.Headers, q.Params, q.Body.Form = orNil(q.Headers), orNil(q.Params), orNil(q.Body.Form)
	if len(q.Body.Parts) == 0 {
		q.Body.Parts = nil
	}
	if es = valid(&q); len(es) > 0 {
		r.plan.Leave(p.where, "the request "+q.Name, es[0].Msg)
		return q, false
	}
	return q, true
}

func orNil(l kv.List) kv.List {
	if len(l) == 0 {
		return nil
	}
	return l
}

// rowOf reads "headers[2].key" as ("headers", 2).
func rowOf(field string) (list string, i int, ok bool) {
	open := strings.IndexByte(field, '[')
	end := strings.IndexByte(field, ']')
	if open < 0 || end < open {
		return "", 0, false
	}
	n := 0
	for _, c := range field[open+1 : end] {
		if c < '0' || c > '9' {
			return "", 0, false
		}
		n = n*10 + int(c-'0')
	}
	list = field[:open]
	switch list {
	case "headers", "params", "body.form", "body.parts":
		return list, n, true
	}
	return "", 0, false
}

func cmpString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// value is the value of a variable of the collection (or environment) with the variables it uses filled in,
// "" when it has none or looks secret.
func (r *reader) value(n string) string {
	return r.expand("{{"+n+"}}", 0)
}

// resolve fills in the collection's variables that have a value and do not look secret; the others stay as
// written.
func (r *reader) resolve(s string) string { return r.expand(s, 1) }

func (r *reader) expand(s string, depth int) string {
	if depth > 8 || !strings.Contains(s, "{{") {
		return s
	}
	return variableRef.ReplaceAllStringFunc(s, func(m string) string {
		n := varName(variableRef.FindStringSubmatch(m)[1])
		v := r.vars[n]
		if v == nil || v.secret || v.value == "" {
			if depth == 0 {
				return ""
			}
			return m
		}
		r.used[n] = true
		return r.expand(v.value, depth+1)
	})
}

// onlyVariable returns the name of the one {{variable}} s is made of, or "".
func onlyVariable(s string) string {
	s = strings.TrimSpace(s)
	names := template.Names(s)
	if len(names) == 1 && strings.TrimSpace(template.Fill(s, "")) == "" && strings.Count(s, "{{") == 1 {
		return names[0]
	}
	return ""
}
