// Package bruno reads a Bruno collection — the folder Bruno keeps in git: bruno.json, collection.bru, a .bru
// file per request, folder.bru in each folder, environments/*.bru — into an imports.Plan.
//
// The collection becomes a resource named as in bruno.json (more than one when its requests go to several
// hosts), its folders the queries' folders, and each request a saved query whose Source is "bruno:" and the
// request file's path in the collection, so a second import updates it. The collection's headers become the
// resource's; its, a folder's and a request's variables (vars:pre-request) the defaults of the variables of
// their names, unless they look secret; the base URL comes from the variable the URLs start with, found in
// those variables or else in the environments, whose other values of it are offered as other base URLs.
// Bodies: JSON, text, XML, SPARQL, form-urlencoded, multipart forms (files by their path), a file, and
// GraphQL (as the JSON Bruno sends). The authentication the requests use (their own, their folder's or the
// collection's) becomes the resource's, without its secrets: bearer, basic, digest, API key, and OAuth 2.0's
// authorization code and client credentials grants with their URLs and scopes.
//
// Left out, each listed in the plan: the environments (apidesk has none yet) and the .env file, scripts,
// tests, assertions, variables set from an answer, docs, examples, tags, gRPC and WebSocket requests, Bruno's
// dynamic variables ({{$randomInt}}, asked for as variables), request settings apidesk does not have, and
// authentication it does not do (AWS Signature v4, NTLM, WSSE, OAuth 1.0, Akamai EdgeGrid, OAuth 2.0's
// password and implicit grants).
package bruno

import (
	"apidesk/engine/environment"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"apidesk/engine/imports"
	"apidesk/engine/imports/internal/collection"
	"apidesk/engine/kv"
	"apidesk/engine/query"
)

// maxFile is the largest .bru file read.
const maxFile = 8 << 20

func formatErr(where, msg string) error {
	return &imports.FormatError{Format: "a Bruno collection", Where: where, Msg: msg}
}

// reader reads one collection.
type reader struct {
	ctx    context.Context
	fsys   fs.FS
	dir    string // the collection's folder, for the files its requests send
	plan   *imports.Plan
	c      *collection.Collection
	ignore []string
	broken error // the first .bru file that could not be read
	files  int   // the request files read
	// baseValues are the collection's variables, which the environments' override.
	baseValues map[string]string
}

// Read reads the Bruno collection in the folder src.Path (or the folder of the bruno.json file it names).
// A folder that is not a Bruno collection is an error matched by imports.ErrFormat; so is a collection none
// of whose request files can be read, the error saying which file, at which line, and what is wrong. A
// request file that cannot be read among others that can is left out, with the reason.
func Read(ctx context.Context, src imports.Source) (*imports.Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dir := src.Path
	if dir == "" {
		return nil, formatErr("", "a Bruno collection is a folder: choose the folder that holds its bruno.json")
	}
	if info, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("the folder %s cannot be read: %w", dir, err)
	} else if !info.IsDir() {
		if filepath.Base(dir) != "bruno.json" {
			return nil, formatErr("", "a Bruno collection is a folder: choose the folder that holds its bruno.json, not a file in it")
		}
		dir = filepath.Dir(dir)
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs // the files its requests send are found by their absolute paths
	}
	return read(ctx, os.DirFS(dir), dir)
}

func read(ctx context.Context, fsys fs.FS, dir string) (*imports.Plan, error) {
	r := &reader{ctx: ctx, fsys: fsys, dir: dir, plan: &imports.Plan{Format: "Bruno collection"}}
	data, err := fs.ReadFile(fsys, "bruno.json")
	if err != nil {
		if _, yerr := fs.Stat(fsys, "opencollection.yml"); yerr == nil {
			return nil, formatErr("", "this collection is saved in Bruno's YAML format (opencollection.yml), which apidesk does not read yet: "+
				"export it from Bruno as a Postman collection, or save it in the .bru format")
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, formatErr("", "a Bruno collection is a folder with a bruno.json file in it, and this folder has none")
		}
		return nil, fmt.Errorf("bruno.json cannot be read: %w", err)
	}
	var conf struct {
		Name    string   `json:"name"`
		Version string   `json:"version"`
		Ignore  []string `json:"ignore"`
		Proxy   *struct {
			Enabled any `json:"enabled"`
			Config  *struct {
				Hostname string `json:"hostname"`
			} `json:"config"`
			Hostname string `json:"hostname"`
		} `json:"proxy"`
		ClientCertificates *struct {
			Certs []json.RawMessage `json:"certs"`
		} `json:"clientCertificates"`
	}
	if err := json.Unmarshal(data, &conf); err != nil {
		return nil, jsonErr(err, data)
	}
	name := cmp.Or(strings.TrimSpace(conf.Name), filepath.Base(dir), "Bruno")
	r.plan.Format = "Bruno collection"
	if conf.Version != "" {
		r.plan.Format += " v" + conf.Version
	}
	r.ignore = append([]string{"node_modules", ".git"}, conf.Ignore...)
	r.c = collection.New(name)
	r.c.Where = name
	if p := conf.Proxy; p != nil && (p.Hostname != "" || p.Config != nil && p.Config.Hostname != "") && p.Enabled != false && p.Enabled != "false" {
		r.plan.Leave(name, "the proxy settings", "set them in the resource's network settings")
	}
	if cc := conf.ClientCertificates; cc != nil && len(cc.Certs) > 0 {
		r.plan.Leave(name, "the client certificates", "set them in the resource's network settings")
	}

	// The collection's own settings: its headers, authentication and variables.
	var root folder
	if f, _, ok := r.parse("collection.bru"); ok {
		where := name
		r.c.Headers = pairs(f.get("headers"))
		root.auth, root.authSet = r.auth(f, f.get("auth").value("mode"), where)
		if !root.authSet {
			root.authSet = true // a collection that sets none sends none
		}
		r.baseValues = r.c.Safe(r.plan, "the collection's variables", r.vars(f, where))
		r.c.SetValues(r.baseValues)
		r.extras(f, where, "the collection")
	}
	r.environments(name)
	if _, err := fs.Stat(fsys, ".env"); err == nil {
		r.plan.Leave(name, "the .env file", "it keeps secrets for scripts and {{process.env.…}} variables: they are not imported, and each query that uses one asks for it")
	}
	if err := r.folder(".", nil, root, 0); err != nil {
		return nil, err
	}
	if r.c.Len() == 0 && r.broken != nil {
		return nil, r.broken
	}
	if r.files == 0 {
		return nil, formatErr("", "the collection holds no request files (.bru)")
	}
	r.c.AddTo(r.plan)
	collection.Tidy(r.plan)
	r.plan.UseEnvironments(r.baseValues)
	return r.plan, nil
}

func jsonErr(err error, data []byte) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := strings.Count(string(data[:max(0, min(int(se.Offset)-1, len(data)))]), "\n") + 1
		return formatErr(fmt.Sprintf("bruno.json, line %d", line), "the JSON is not valid here")
	}
	return formatErr("bruno.json", "it cannot be read: its name should be text, its ignore a list of folder names")
}

// parse reads a .bru file; one that cannot be read is left out (and remembered, for when none can).
func (r *reader) parse(name string) (*bru, string, bool) {
	data, err := fs.ReadFile(r.fsys, name)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.plan.Leave(name, "the file", "it cannot be read")
		}
		return nil, name, false
	}
	if len(data) > maxFile {
		r.plan.Leave(name, "the file", fmt.Sprintf("it is larger than %d MB", maxFile>>20))
		return nil, name, false
	}
	f, err := parse(string(data))
	if err != nil {
		var se *syntaxError
		where, msg := name, err.Error()
		if errors.As(err, &se) {
			where, msg = fmt.Sprintf("%s, line %d", name, se.line), se.msg
		}
		r.plan.Leave(where, "the file", msg)
		if r.broken == nil {
			r.broken = formatErr(where, msg)
		}
		return nil, name, false
	}
	return f, name, true
}

// environments lists the environments, left out; their values may give base URLs.
func (r *reader) environments(name string) {
	entries, err := fs.ReadDir(r.fsys, "environments")
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".bru") {
			continue
		}
		env := strings.TrimSuffix(e.Name(), ".bru")
		f, _, ok := r.parse(path.Join("environments", e.Name()))
		if !ok {
			continue
		}
		secret := map[string]bool{}
		var vars []environment.Variable
		if b := f.get("vars:secret"); b != nil {
			for _, v := range b.items {
				v = strings.TrimPrefix(v, "~")
				secret[v] = true
				r.c.MarkSecret(collection.Name(v))
				vars = append(vars, environment.Variable{Name: collection.Name(v), Secret: true})
			}
		}
		for _, p := range f.get("vars").pairsOrNil() {
			v := collection.Name(p.key)
			if !p.enabled {
				r.plan.Leave("the environment "+env, "the variable "+v, "it is switched off in the environment")
				continue
			}
			if secret[p.key] || r.c.Secret(v) || collection.SecretValue(p.value) {
				if collection.SecretValue(p.value) {
					r.c.MarkSecret(v)
				}
				if !secret[p.key] {
					vars = append(vars, environment.Variable{Name: v, Value: p.value, Secret: true}) // its value is listed as left out
				}
				continue
			}
			value := r.dynamic(p.value, "the environment "+env)
			r.c.Alternative(v, value)
			vars = append(vars, environment.Variable{Name: v, Value: value})
		}
		// It becomes one of the workspace's environments.
		r.plan.AddEnvironment(env, vars)
	}
}

func (b *block) pairsOrNil() []pair {
	if b == nil {
		return nil
	}
	return b.pairs
}

// folder is what a request inherits from its folders.
type folder struct {
	names   []string
	auth    *collection.Auth
	authSet bool
	headers kv.List
	values  map[string]string
}

// entry is a folder or a request file of a folder, in the order Bruno lists them.
type entry struct {
	name   string // file or folder name
	dir    bool
	title  string
	seq    float64
	parsed *bru
	where  string
}

func (r *reader) ignored(name string) bool {
	return strings.HasPrefix(name, ".") || slices.Contains(r.ignore, name)
}

// folder reads the folder dir (a path in the collection) and what is in it.
func (r *reader) folder(dir string, trail []string, st folder, depth int) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if depth > 50 {
		r.plan.Leave(dir, "the folder", "its folders nest too deeply")
		return nil
	}
	files, err := fs.ReadDir(r.fsys, dir)
	if err != nil {
		r.plan.Leave(dir, "the folder", "it cannot be read")
		return nil
	}
	var entries []entry
	for _, f := range files {
		name := f.Name()
		p := path.Join(dir, name)
		switch {
		case r.ignored(name), dir == "." && name == "environments" && f.IsDir():
		case f.IsDir():
			e := entry{name: name, dir: true, title: name, seq: 1e9}
			if fb, _, ok := r.parse(path.Join(p, "folder.bru")); ok {
				e.parsed = fb
				meta := fb.get("meta")
				e.title = cmp.Or(strings.TrimSpace(meta.value("name")), name)
				if s, err := strconv.ParseFloat(meta.value("seq"), 64); err == nil {
					e.seq = s
				}
			}
			entries = append(entries, e)
		case !strings.HasSuffix(name, ".bru") || name == "folder.bru" || dir == "." && name == "collection.bru":
		case f.Type().IsRegular():
			r.files++
			fb, where, ok := r.parse(p)
			if !ok {
				continue
			}
			meta := fb.get("meta")
			e := entry{name: name, title: cmp.Or(strings.TrimSpace(meta.value("name")), strings.TrimSuffix(name, ".bru")), seq: 1e9, parsed: fb, where: where}
			if s, err := strconv.ParseFloat(meta.value("seq"), 64); err == nil {
				e.seq = s
			}
			entries = append(entries, e)
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int {
		if c := cmp.Compare(a.seq, b.seq); c != 0 {
			return c
		}
		return cmp.Compare(strings.ToLower(a.title), strings.ToLower(b.title))
	})
	for _, e := range entries {
		where := strings.Join(append(slices.Clone(trail), e.title), " › ")
		if !e.dir {
			r.request(e, where, st)
			continue
		}
		inner := st
		inner.names = append(slices.Clone(st.names), e.title)
		if f := e.parsed; f != nil {
			if a, set := r.auth(f, f.get("auth").value("mode"), where); set {
				inner.auth, inner.authSet = a, true
			}
			own := pairs(f.get("headers"))
			inner.headers = nil
			for _, h := range st.headers {
				if !own.Has(h.Key, true) {
					inner.headers = append(inner.headers, h)
				}
			}
			inner.headers = append(inner.headers, own...)
			if vals := r.c.Safe(r.plan, "the variables of the folder "+where, r.vars(f, where)); len(vals) > 0 {
				inner.values = maps.Clone(st.values)
				if inner.values == nil {
					inner.values = map[string]string{}
				}
				maps.Copy(inner.values, vals)
			}
			r.extras(f, where, "the folder")
		}
		if err := r.folder(path.Join(dir, e.name), append(slices.Clone(trail), e.title), inner, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// pairs are a dictionary's rows.
func pairs(b *block) kv.List {
	var out kv.List
	for _, p := range b.pairsOrNil() {
		out = append(out, kv.Pair{Key: p.key, Value: p.value, Enabled: p.enabled})
	}
	return out
}

// vars reads vars:pre-request (the variables set before a request is sent); the disabled ones are not.
func (r *reader) vars(f *bru, where string) map[string]string {
	out := map[string]string{}
	for _, p := range f.get("vars:pre-request").pairsOrNil() {
		if p.enabled {
			out[collection.Name(strings.TrimPrefix(p.key, "@"))] = r.dynamic(p.value, where)
		}
	}
	return out
}

// extras lists what a collection, folder or request file holds that is not imported.
func (r *reader) extras(f *bru, where, of string) {
	for _, b := range f.blocks {
		switch b.tag {
		case "script:pre-request", "script:post-response":
			if strings.TrimSpace(b.text) != "" {
				r.plan.Leave(where, "a "+strings.TrimPrefix(b.tag, "script:")+" script", "apidesk does not run scripts")
			}
		case "tests":
			if strings.TrimSpace(b.text) != "" {
				r.plan.Leave(where, "its tests", "apidesk does not run tests")
			}
		case "assert":
			if len(b.pairs) > 0 {
				r.plan.Leave(where, "its assertions", "apidesk does not run tests")
			}
		case "vars:post-response":
			if len(b.pairs) > 0 {
				r.plan.Leave(where, "the variables it sets from the answer", "apidesk does not carry values from one answer to the next request")
			}
		case "docs":
			if strings.TrimSpace(b.text) != "" {
				r.plan.Leave(where, "its docs", "apidesk keeps no documentation with "+of)
			}
		case "example":
			r.plan.Leave(where, "a saved example", "apidesk does not keep example answers")
		}
	}
}

// dynamicVariable is one of Bruno's made-up values: {{$randomInt}}, {{$guid}}, {{$timestamp}}…
var dynamicVariable = regexp.MustCompile(`\{\{\s*\$([A-Za-z0-9_.-]+)\s*\}\}`)

// dynamic writes Bruno's dynamic variables as variables the person fills in, and lists them.
func (r *reader) dynamic(s, where string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return dynamicVariable.ReplaceAllStringFunc(s, func(m string) string {
		name := dynamicVariable.FindStringSubmatch(m)[1]
		r.plan.Leave(where, "Bruno's dynamic variable "+m, fmt.Sprintf("apidesk does not make up values: the query asks for it as {{%s}}", name))
		return "{{" + name + "}}"
	})
}

// methods are the blocks that say a request's method.
var methods = []string{"get", "post", "put", "delete", "patch", "options", "head", "connect", "trace", "http"}

// request adds the request of a file.
func (r *reader) request(e entry, where string, st folder) {
	f := e.parsed
	meta := f.get("meta")
	typ := cmp.Or(meta.value("type"), "http")
	switch typ {
	case "grpc":
		r.plan.Leave(where, "the gRPC request", "apidesk sends HTTP requests only")
		return
	case "ws":
		r.plan.Leave(where, "the WebSocket request", "apidesk sends HTTP requests only")
		return
	case "app":
		r.plan.Leave(where, "the app", "apidesk does not run Bruno's apps")
		return
	}
	var hb *block
	method := ""
	for _, m := range methods {
		if b := f.get(m); b != nil {
			hb, method = b, m
			break
		}
	}
	if hb == nil {
		r.plan.Leave(where, "the request", "its file has no get, post or other method block")
		return
	}
	if method == "http" {
		method = hb.value("method")
	}
	d := func(s string) string { return r.dynamic(s, where) }
	req := collection.Request{
		Where:   where,
		Name:    e.title,
		Method:  strings.ToUpper(method),
		URL:     d(strings.TrimSpace(hb.value("url"))),
		Folders: st.names,
		Source:  "bruno:" + strings.TrimSuffix(e.where, ".bru"),
	}
	for _, p := range f.get("params:query").pairsOrNil() {
		if strings.Contains(req.URL, "?") && p.enabled {
			continue // the URL holds the enabled ones
		}
		req.Params = append(req.Params, kv.Pair{Key: p.key, Value: d(p.value), Enabled: p.enabled})
	}
	for _, p := range f.get("params:path").pairsOrNil() {
		req.PathParams = append(req.PathParams, kv.On(p.key, d(p.value)))
	}
	own := pairs(f.get("headers"))
	for _, h := range st.headers {
		if !own.Has(h.Key, true) {
			req.Headers = append(req.Headers, h)
		}
	}
	for _, h := range own {
		h.Key, h.Value = d(h.Key), d(h.Value)
		req.Headers = append(req.Headers, h)
	}
	req.Body = r.body(f, hb.value("body"), where, typ)
	if a, set := r.auth(f, cmp.Or(hb.value("auth"), "none"), where); set {
		req.Auth = a
	} else if st.authSet {
		req.Auth = st.auth
	}
	if vals := r.c.Safe(r.plan, where, r.vars(f, where)); len(vals) > 0 || len(st.values) > 0 {
		req.Values = maps.Clone(st.values)
		if req.Values == nil {
			req.Values = map[string]string{}
		}
		maps.Copy(req.Values, vals)
	}
	for _, n := range templateNames(req) {
		if strings.HasPrefix(n, "process.env.") {
			r.c.MarkSecret(n)
		}
	}
	r.extras(f, where, "the request")
	if s := f.get("settings"); s != nil {
		if s.value("followRedirects") == "false" {
			r.plan.Leave(where, "the setting not to follow redirects", "apidesk follows redirects")
		}
		if t, err := strconv.Atoi(s.value("timeout")); err == nil && t > 0 {
			r.plan.Leave(where, "its own timeout", "apidesk's timeout is the resource's")
		}
	}
	if tags := meta.pairsOrNil(); slices.ContainsFunc(tags, func(p pair) bool { return p.key == "tags" && len(p.list) > 0 }) {
		r.plan.Leave(where, "its tags", "apidesk's queries have no tags")
	}
	r.c.Add(req)
}

// templateNames are the {{variables}} a request's URL and headers use.
func templateNames(req collection.Request) []string {
	var out []string
	for _, m := range regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}`).FindAllStringSubmatch(req.URL+" "+fmt.Sprint(req.Headers), -1) {
		out = append(out, m[1])
	}
	return out
}

// body reads the body a request sends (its mode says which of its body blocks).
func (r *reader) body(f *bru, mode, where, typ string) query.Body {
	d := func(s string) string { return r.dynamic(s, where) }
	text := func(tag string) string {
		if b := f.get(tag); b != nil {
			return d(b.text)
		}
		return ""
	}
	if typ == "graphql" && mode == "" {
		mode = "graphql"
	}
	switch mode {
	case "", "none":
		return query.Body{Kind: query.BodyNone}
	case "json":
		t := text("body:json")
		if f.get("body:json") == nil {
			t = text("body")
		}
		if strings.TrimSpace(t) == "" {
			return query.Body{Kind: query.BodyNone}
		}
		if query.ValidateJSON(t) == nil {
			return query.Body{Kind: query.BodyJSON, Text: t}
		}
		return query.Body{Kind: query.BodyRaw, Text: t, ContentType: "application/json"}
	case "text":
		return query.Body{Kind: query.BodyRaw, Text: text("body:text"), ContentType: "text/plain"}
	case "xml":
		return query.Body{Kind: query.BodyRaw, Text: text("body:xml"), ContentType: "application/xml"}
	case "sparql":
		return query.Body{Kind: query.BodyRaw, Text: text("body:sparql"), ContentType: "application/sparql-query"}
	case "graphql":
		q, _ := json.Marshal(text("body:graphql"))
		vars := strings.TrimSpace(text("body:graphql:vars"))
		if vars == "" || query.ValidateJSON(vars) != nil {
			if vars != "" {
				r.plan.Leave(where, "the GraphQL variables", "they are not valid JSON")
			}
			vars = "{}"
		}
		return query.Body{Kind: query.BodyJSON, Text: fmt.Sprintf("{\n  \"query\": %s,\n  \"variables\": %s\n}", q, vars)}
	case "formUrlEncoded":
		b := query.Body{Kind: query.BodyForm}
		for _, p := range f.get("body:form-urlencoded").pairsOrNil() {
			b.Form = append(b.Form, kv.Pair{Key: d(p.key), Value: d(p.value), Enabled: p.enabled})
		}
		return b
	case "multipartForm":
		b := query.Body{Kind: query.BodyMultipart}
		for _, p := range f.get("body:multipart-form").pairsOrNil() {
			value, ct := contentType(p.value)
			if files, ok := fileRef(value); ok {
				for _, file := range files {
					b.Parts = append(b.Parts, query.Part{Name: d(p.key), File: r.path(file), ContentType: ct, Enabled: p.enabled})
				}
				continue
			}
			b.Parts = append(b.Parts, query.Part{Name: d(p.key), Value: d(value), ContentType: ct, Enabled: p.enabled})
		}
		return b
	case "file":
		for _, p := range f.get("body:file").pairsOrNil() {
			value, ct := contentType(p.value)
			if files, ok := fileRef(value); ok && p.enabled && len(files) > 0 {
				return query.Body{Kind: query.BodyFile, File: r.path(files[0]), ContentType: ct}
			}
		}
		r.plan.Leave(where, "the file body", "no file is chosen for it in Bruno: choose the file in apidesk")
		return query.Body{Kind: query.BodyNone}
	}
	r.plan.Leave(where, "its body ("+mode+")", "apidesk does not know this kind of body")
	return query.Body{Kind: query.BodyNone}
}

var contentTypeAnnotation = regexp.MustCompile(`(?s)^(.*?)\s*@contentType\((.*?)\)\s*$`)

// contentType splits a value from the @contentType(…) after it.
func contentType(v string) (string, string) {
	m := contentTypeAnnotation.FindStringSubmatch(v)
	if m == nil {
		return v, ""
	}
	ct := strings.TrimSpace(m[2])
	if query.ValidateContentType(ct) != nil {
		ct = ""
	}
	return strings.TrimSpace(m[1]), ct
}

// fileRef reads @file(a|b): the paths of files, relative to the collection.
func fileRef(v string) ([]string, bool) {
	inner, ok := strings.CutPrefix(strings.TrimSpace(v), "@file(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return nil, false
	}
	var out []string
	for p := range strings.SplitSeq(strings.TrimSuffix(inner, ")"), "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out, true
}

// path makes a file's path absolute: relative ones are in the collection's folder.
func (r *reader) path(p string) string {
	if filepath.IsAbs(p) || r.dir == "" {
		return p
	}
	return filepath.Join(r.dir, filepath.FromSlash(p))
}
