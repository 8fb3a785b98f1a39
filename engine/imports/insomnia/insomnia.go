// Package insomnia reads an Insomnia export into an imports.Plan: version 4 (JSON or YAML, "_type: export",
// what Insomnia 2020–2024 exports) and version 5 (YAML, "type: collection.insomnia.rest/5.0", Insomnia 11's
// collection files).
//
// Each workspace becomes a resource (more than one when its requests go to several hosts), its request groups
// the queries' folders, and its requests saved queries whose Source is "insomnia:" and the request's id, so
// a second import of the same export updates them. Insomnia's templates ({{ _.base_url }}) become apidesk's
// {{variables}}; the base environment's values become the variables' defaults (those that look secret are
// left out, and asked for when a query runs); the base URL comes from the variable the requests' URLs start
// with, and the other environments' values of it are offered as the resource's other base URLs. The
// authentication the requests (or their folders) use becomes the resource's, without its secrets.
//
// Left out, each listed in the plan with the reason: the other environments (apidesk has none yet), scripts,
// template tags other than prompts ({% uuid %}, {% response %}…, each asked for as a variable), gRPC and
// WebSocket requests, tests, API design documents, cookie jars, client certificates, and authentication
// apidesk does not do (NTLM, AWS IAM, Hawk, OAuth 1.0, ASAP, netrc; OAuth 2.0's password and implicit grants).
package insomnia

import (
	"apidesk/engine/environment"
	"cmp"
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"apidesk/engine/imports"
	"apidesk/engine/imports/internal/collection"
	"apidesk/engine/kv"
	"apidesk/engine/query"
)

// item is one resource of an export: a workspace, a request group, a request, an environment…
type item struct {
	id, typ, parent, name string
	n                     *node
	sortKey               float64
	order                 int
}

// reader reads one export.
type reader struct {
	ctx   context.Context
	src   imports.Source
	plan  *imports.Plan
	conv  *converter
	items []*item
	byID  map[string]*item
	kids  map[string][]*item
	seen  map[string]bool // the items walked
	v5    bool
	// baseValues are the base environments' values, which the other environments' override.
	baseValues map[string]string
}

// Read reads an Insomnia export (v4 JSON or YAML, v5 YAML) into a plan. A document that is not one is an
// error matched by imports.ErrFormat, saying where (a line) and what is wrong.
func Read(ctx context.Context, src imports.Source) (*imports.Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := parse(src.Data)
	if err != nil {
		return nil, err
	}
	if root.kind != object {
		return nil, formatErr(lineWhere(root.line), "an Insomnia export is an object with _type: export (version 4) or type: collection.insomnia.rest/5.0 (version 5) at its top")
	}
	r := &reader{ctx: ctx, src: src, plan: &imports.Plan{}, byID: map[string]*item{}, kids: map[string][]*item{}, seen: map[string]bool{}, baseValues: map[string]string{}}
	r.conv = &converter{plan: r.plan, prompts: map[string]string{}, secret: map[string]bool{}}
	typ := root.text("type")
	switch {
	case root.text("_type") == "export" || root.get("__export_format") != nil && root.get("resources") != nil:
		format := cmp.Or(root.text("__export_format"), "4")
		r.plan.Format = "Insomnia export v" + format
		if err := r.readV4(root); err != nil {
			return nil, err
		}
	case strings.HasPrefix(typ, "collection.insomnia.rest/") || strings.HasPrefix(typ, "spec.insomnia.rest/"):
		r.v5 = true
		r.plan.Format = "Insomnia collection v" + strings.TrimPrefix(strings.TrimPrefix(typ, "collection.insomnia.rest/"), "spec.insomnia.rest/")
		if err := r.readV5(root); err != nil {
			return nil, err
		}
	case strings.HasPrefix(typ, "environment.insomnia.rest/"):
		return nil, formatErr("", "this Insomnia file holds only environments, no requests to import")
	case strings.HasPrefix(typ, "mock.insomnia.rest/"):
		return nil, formatErr("", "this Insomnia file is a mock server, with no requests to import")
	default:
		return nil, formatErr(lineWhere(root.line), "an Insomnia export has _type: export (version 4) or type: collection.insomnia.rest/5.0 (version 5) at its top, and this file has neither")
	}
	if err := r.build(); err != nil {
		return nil, err
	}
	collection.Tidy(r.plan)
	r.plan.UseEnvironments(r.baseValues)
	return r.plan, nil
}

// add adds an item of the document.
func (r *reader) add(it *item) {
	it.order = len(r.items)
	if it.id == "" {
		it.id = fmt.Sprintf("%s_%d", cmp.Or(it.typ, "item"), it.order)
	}
	if _, dup := r.byID[it.id]; dup {
		it.id = fmt.Sprintf("%s~%d", it.id, it.order)
	}
	r.items = append(r.items, it)
	r.byID[it.id] = it
}

func (r *reader) readV4(root *node) error {
	res := root.get("resources")
	if res == nil && root.get("items") != nil {
		return formatErr("", "this is an export of Insomnia's first version (2016), which apidesk does not read: open it in a newer Insomnia and export it again")
	}
	if res == nil {
		return formatErr(lineWhere(root.line), "it has no resources: the list of the workspace's requests, folders and environments")
	}
	if res.kind != list {
		return formatErr(lineWhere(res.line), "resources should be a list of the workspace's requests, folders and environments")
	}
	for i, n := range res.items {
		if i%1000 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
		}
		if n.kind != object {
			return formatErr(lineWhere(n.line), "each of the resources should be an object with its _type and _id")
		}
		r.add(&item{id: n.text("_id"), typ: n.text("_type"), parent: n.text("parentId"), name: n.text("name"), n: n, sortKey: n.num("metaSortKey")})
	}
	return nil
}

func (r *reader) readV5(root *node) error {
	meta := root.get("meta")
	ws := &item{id: cmp.Or(meta.text("id"), "wrk_v5"), typ: "workspace", name: root.text("name"), n: root}
	r.add(ws)
	if typ := root.text("type"); strings.HasPrefix(typ, "spec.insomnia.rest/") {
		r.plan.Leave(cmp.Or(ws.name, "Insomnia"), "the API design document", "import it with the OpenAPI import: apidesk reads it there")
	}
	if env := root.get("environments"); env != nil {
		if env.kind != object {
			return formatErr(lineWhere(env.line), "environments should be the base environment, with its data and subEnvironments")
		}
		base := &item{id: cmp.Or(env.get("meta").text("id"), "env_base"), typ: "environment", parent: ws.id, name: env.text("name"), n: env}
		r.add(base)
		for _, sub := range env.get("subEnvironments").list() {
			r.add(&item{id: sub.get("meta").text("id"), typ: "environment", parent: base.id, name: sub.text("name"), n: sub, sortKey: sub.get("meta").num("sortKey")})
		}
	}
	if jar := root.get("cookieJar"); len(jar.get("cookies").list()) > 0 {
		r.add(&item{typ: "cookie_jar", parent: ws.id, name: jar.text("name"), n: jar})
	}
	for _, cert := range root.get("certificates").list() {
		r.add(&item{typ: "client_certificate", parent: ws.id, name: cert.text("host"), n: cert})
	}
	for _, suite := range root.get("testSuites").list() {
		r.add(&item{typ: "unit_test_suite", parent: ws.id, name: suite.text("name"), n: suite})
	}
	coll := root.get("collection")
	if coll != nil && coll.kind != list && coll.kind != null {
		return formatErr(lineWhere(coll.line), "collection should be a list of requests and folders")
	}
	var walk func(items []*node, parent string, depth int) error
	walk = func(items []*node, parent string, depth int) error {
		if depth > maxDepth {
			return formatErr("", "its folders nest too deeply")
		}
		for _, n := range items {
			if n.kind != object {
				return formatErr(lineWhere(n.line), "each entry of the collection should be a request or a folder")
			}
			it := &item{id: n.get("meta").text("id"), parent: parent, name: n.text("name"), n: n, sortKey: n.get("meta").num("sortKey")}
			switch {
			case n.get("children") != nil:
				it.typ = "request_group"
			case n.get("reflectionApi") != nil || n.get("protoMethodName") != nil:
				it.typ = "grpc_request"
			case n.get("method") != nil:
				it.typ = "request"
			default:
				it.typ = "websocket_request"
			}
			r.add(it)
			if it.typ == "request_group" {
				kids := n.get("children")
				if kids.kind != list && kids.kind != null {
					return formatErr(lineWhere(kids.line), "a folder's children should be a list of requests and folders")
				}
				if err := walk(kids.list(), it.id, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(coll.list(), ws.id, 0)
}

// sorted returns the children of id in the order Insomnia shows them.
func (r *reader) sorted(id string) []*item {
	kids := slices.Clone(r.kids[id])
	slices.SortStableFunc(kids, func(a, b *item) int {
		if c := cmp.Compare(a.sortKey, b.sortKey); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	return kids
}

// build makes the plan's resources: one collection per workspace.
func (r *reader) build() error {
	var workspaces []*item
	for _, it := range r.items {
		if it.typ == "workspace" {
			workspaces = append(workspaces, it)
		}
	}
	// Requests and folders whose parent is not in the export (a part of a workspace was exported) belong to
	// a workspace named after the file.
	orphan := &item{id: "\x00orphans", typ: "workspace", name: strings.TrimSuffix(r.src.Name, filepath.Ext(r.src.Name))}
	for _, it := range r.items {
		if it.typ == "workspace" {
			continue
		}
		parent := it.parent
		if _, ok := r.byID[parent]; !ok || parent == it.id {
			switch it.typ {
			case "request", "request_group", "grpc_request", "websocket_request":
				parent = orphan.id
			default:
				if len(workspaces) > 0 {
					parent = workspaces[0].id
				} else {
					parent = orphan.id
				}
			}
		}
		r.kids[parent] = append(r.kids[parent], it)
	}
	if len(r.kids[orphan.id]) > 0 {
		if orphan.name == "" {
			orphan.name = "Insomnia"
		}
		workspaces = append(workspaces, orphan)
	}
	if len(workspaces) == 0 {
		return formatErr("", "it holds no workspace and no requests")
	}
	for _, ws := range workspaces {
		if err := r.workspace(ws); err != nil {
			return err
		}
	}
	for _, it := range r.items {
		if (it.typ == "request" || it.typ == "request_group") && !r.seen[it.id] {
			r.plan.Leave(cmp.Or(strings.TrimSpace(it.name), it.id), "the "+map[string]string{"request": "request", "request_group": "folder"}[it.typ],
				"the folder it is in is not in the export's tree of folders (each is in the other)")
		}
	}
	return nil
}

// workspace adds the resources of a workspace.
func (r *reader) workspace(ws *item) error {
	name := cmp.Or(strings.TrimSpace(ws.name), "Insomnia")
	c := collection.New(name)
	c.Where = name
	r.conv.prompts, r.conv.secret = map[string]string{}, map[string]bool{}
	// Its environments: the base one's values are the variables' defaults; the others are left out.
	var base *item
	for _, it := range r.sorted(ws.id) {
		if it.typ == "environment" && base == nil {
			base = it
		}
	}
	if base != nil {
		vals := r.envValues(base.n.get("data"), "the base environment")
		c.SetValues(c.Safe(r.plan, "the base environment", vals))
		maps.Copy(r.baseValues, vals)
		for _, sub := range r.sorted(base.id) {
			if sub.typ != "environment" {
				continue
			}
			r.subEnvironment(c, sub, name)
		}
	}
	// The rest of the workspace, folder by folder.
	if err := r.walk(c, ws.id, nil, folderState{}); err != nil {
		return err
	}
	c.SetValues(c.Safe(r.plan, "a prompt's default", r.conv.prompts))
	for v := range r.conv.secret {
		c.MarkSecret(v)
	}
	if c.Len() == 0 {
		r.plan.Leave(name, "the workspace "+name, "it has no HTTP requests")
		return nil
	}
	c.AddTo(r.plan)
	return nil
}

func (r *reader) subEnvironment(c *collection.Collection, sub *item, workspace string) {
	envName := cmp.Or(strings.TrimSpace(sub.name), "without a name")
	vals := r.envValues(sub.n.get("data"), "the environment "+envName)
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		if !c.Secret(k) && !collection.SecretValue(vals[k]) {
			c.Alternative(k, vals[k])
		}
	}
	// It becomes one of the workspace's environments; its secret values are left out (AddEnvironment lists them).
	var vars []environment.Variable
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		secret := c.Secret(k) || collection.SecretValue(vals[k])
		if secret {
			c.MarkSecret(k)
		}
		vars = append(vars, environment.Variable{Name: k, Value: vals[k], Secret: secret})
	}
	r.plan.AddEnvironment(envName, vars)
	for _, s := range r.sorted(sub.id) {
		if s.typ == "environment" {
			r.subEnvironment(c, s, workspace)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// envValues reads an environment's data, its templates converted and its names made variable names.
func (r *reader) envValues(data *node, where string) map[string]string {
	raw := map[string]string{}
	data.flat("", raw)
	out := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		out[collection.Name(k)] = r.conv.convert(raw[k], where)
	}
	return out
}

// folderState is what a request inherits from its folders.
type folderState struct {
	names   []string
	auth    *collection.Auth
	authSet bool // a folder set the authentication (possibly to none)
	headers kv.List
	values  map[string]string
}

func (r *reader) walk(c *collection.Collection, parent string, trail []string, st folderState) error {
	for _, it := range r.sorted(parent) {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		r.seen[it.id] = true
		where := strings.Join(append(slices.Clone(trail), cmp.Or(strings.TrimSpace(it.name), it.id)), " › ")
		place := cmp.Or(strings.Join(trail, " › "), c.Where) // where a part that is not a request or a folder is
		switch it.typ {
		case "request_group":
			inner := st
			inner.names = append(slices.Clone(st.names), cmp.Or(strings.TrimSpace(it.name), "Folder"))
			if a, set := r.auth(it.n.get("authentication"), where); set {
				inner.auth, inner.authSet = a, true
			}
			inner.headers = append(slices.Clone(st.headers), r.rows(it.n.get("headers"), where)...)
			if env := it.n.get("environment"); env != nil && len(env.keys) > 0 {
				vals := c.Safe(r.plan, "the environment of the folder "+where, r.envValues(env, "the environment of the folder "+where))
				inner.values = maps.Clone(st.values)
				if inner.values == nil {
					inner.values = map[string]string{}
				}
				maps.Copy(inner.values, vals)
			}
			r.scripts(it.n, where)
			r.description(it.n, where)
			if err := r.walk(c, it.id, append(slices.Clone(trail), cmp.Or(strings.TrimSpace(it.name), "Folder")), inner); err != nil {
				return err
			}
		case "request":
			r.request(c, it, where, st)
		case "environment", "workspace":
			// read with their workspace
		case "grpc_request":
			r.plan.Leave(where, "the gRPC request", "apidesk sends HTTP requests only")
		case "websocket_request", "websocket_payload":
			r.plan.Leave(where, "the WebSocket request", "apidesk sends HTTP requests only")
		case "socketio_request", "socketio_payload":
			r.plan.Leave(where, "the Socket.IO request", "apidesk sends HTTP requests only")
		case "mcp_request":
			r.plan.Leave(where, "the MCP request", "apidesk sends HTTP requests only")
		case "unit_test_suite", "unit_test":
			r.plan.Leave(where, "the test", "apidesk does not run tests")
		case "api_spec":
			r.plan.Leave(place, "the API design document "+cmp.Or(it.name, it.n.text("fileName")), "import it with the OpenAPI import: apidesk reads it there")
		case "cookie_jar":
			if n := len(it.n.get("cookies").list()); n > 0 {
				r.plan.Leave(place, fmt.Sprintf("the cookie jar's %s", plural(n, "cookie", "cookies")),
					"cookies are what a sign-in leaves, and may be secret: they are not imported")
			}
		case "client_certificate":
			r.plan.Leave(place, "the client certificate for "+cmp.Or(it.n.text("host"), it.name), "set it in the resource's network settings")
		case "proto_file", "proto_directory", "grpc_request_meta", "request_meta", "request_group_meta", "workspace_meta",
			"environment_meta", "response", "request_version", "oauth2_token", "git_repository", "plugin_data", "settings", "stats":
			// Insomnia's own bookkeeping, and gRPC's files, with the gRPC requests left out above.
		case "mock_server", "mock_route":
			r.plan.Leave(place, "the mock server "+it.name, "apidesk does not run mock servers")
		case "project":
		default:
			r.plan.Leave(where, fmt.Sprintf("an Insomnia %s", cmp.Or(it.typ, "resource without a _type")), "apidesk does not know this kind of resource")
		}
	}
	return nil
}

func (r *reader) scripts(n *node, where string) {
	pre, post := n.text("preRequestScript"), n.text("afterResponseScript")
	if s := n.get("scripts"); s != nil {
		pre, post = cmp.Or(pre, s.text("preRequest")), cmp.Or(post, s.text("afterResponse"))
	}
	if strings.TrimSpace(pre) != "" {
		r.plan.Leave(where, "a pre-request script", "apidesk does not run scripts")
	}
	if strings.TrimSpace(post) != "" {
		r.plan.Leave(where, "an after-response script", "apidesk does not run scripts")
	}
}

func (r *reader) description(n *node, where string) {
	if strings.TrimSpace(cmp.Or(n.text("description"), n.get("meta").text("description"))) != "" {
		r.plan.Leave(where, "its description", "apidesk's queries and folders have no description")
	}
}

// rows reads a list of {name, value, disabled} rows, their templates converted.
func (r *reader) rows(n *node, where string) kv.List {
	var out kv.List
	for _, row := range n.list() {
		name, value := r.conv.convert(row.text("name"), where), r.conv.convert(row.text("value"), where)
		if strings.TrimSpace(name) == "" && value == "" {
			continue
		}
		out = append(out, kv.Pair{Key: name, Value: value, Enabled: !row.bool("disabled")})
	}
	return out
}

// request adds a request to the collection.
func (r *reader) request(c *collection.Collection, it *item, where string, st folderState) {
	n := it.n
	req := collection.Request{
		Where:   where,
		Name:    cmp.Or(strings.TrimSpace(it.name), "Request"),
		Method:  n.text("method"),
		URL:     r.conv.convert(strings.TrimSpace(n.text("url")), where),
		Params:  r.rows(n.get("parameters"), where),
		Folders: st.names,
		Source:  "insomnia:" + it.id,
		Values:  st.values,
	}
	for _, pp := range n.get("pathParameters").list() {
		req.PathParams = append(req.PathParams, kv.On(pp.text("name"), r.conv.convert(pp.text("value"), where)))
	}
	own := r.rows(n.get("headers"), where)
	for _, h := range st.headers {
		if !own.Has(h.Key, true) {
			req.Headers = append(req.Headers, h)
		}
	}
	req.Headers = append(req.Headers, own...)
	req.Body = r.body(n.get("body"), where)
	if a, set := r.auth(n.get("authentication"), where); set {
		req.Auth = a
	} else if st.authSet {
		req.Auth = st.auth
	}
	r.scripts(n, where)
	r.description(n, where)
	r.settings(n, where)
	c.Add(req)
}

// settings lists the request's settings that apidesk does not have.
func (r *reader) settings(n *node, where string) {
	s := n.get("settings")
	follow := cmp.Or(n.text("settingFollowRedirects"), s.text("followRedirects"))
	if follow == "off" {
		r.plan.Leave(where, "the setting not to follow redirects", "apidesk follows redirects")
	}
	if n.text("settingEncodeUrl") == "false" || s.text("encodeUrl") == "false" {
		r.plan.Leave(where, "the setting not to encode the URL", "apidesk encodes the URL as it sends it")
	}
	if n.bool("settingDisableRenderRequestBody") || s.text("renderRequestBody") == "false" {
		r.plan.Leave(where, "the setting not to fill in variables in the body", "apidesk fills in {{variables}} everywhere in a query")
	}
}

// body reads a request's body.
func (r *reader) body(n *node, where string) query.Body {
	if n == nil || n.kind != object {
		return query.Body{Kind: query.BodyNone}
	}
	mime := strings.TrimSpace(n.text("mimeType"))
	mt := strings.ToLower(mime)
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = strings.TrimSpace(mt[:i])
	}
	text := r.conv.convert(n.text("text"), where)
	file := strings.TrimSpace(n.text("fileName"))
	params := n.get("params").list()
	switch {
	case mt == "application/x-www-form-urlencoded":
		b := query.Body{Kind: query.BodyForm}
		for _, p := range params {
			name, value := r.conv.convert(p.text("name"), where), r.conv.convert(p.text("value"), where)
			if strings.TrimSpace(name) == "" && value == "" {
				continue
			}
			b.Form = append(b.Form, kv.Pair{Key: name, Value: value, Enabled: !p.bool("disabled")})
		}
		return b
	case mt == "multipart/form-data":
		b := query.Body{Kind: query.BodyMultipart}
		for _, p := range params {
			name := r.conv.convert(p.text("name"), where)
			part := query.Part{Name: name, Enabled: !p.bool("disabled")}
			if p.text("type") == "file" {
				f := strings.TrimSpace(p.text("fileName"))
				if f == "" {
					if strings.TrimSpace(name) != "" {
						r.plan.Leave(where, "the file field "+name, "no file is chosen for it in Insomnia: add the field and choose the file in apidesk")
					}
					continue
				}
				part.File = r.path(f)
			} else {
				part.Value = r.conv.convert(p.text("value"), where)
			}
			if strings.TrimSpace(part.Name) == "" && part.Value == "" && part.File == "" {
				continue
			}
			b.Parts = append(b.Parts, part)
		}
		return b
	case mt == "application/octet-stream" || file != "" && text == "":
		if file == "" {
			if mt != "" {
				r.plan.Leave(where, "the file body", "no file is chosen for it in Insomnia: choose the file in apidesk")
			}
			return query.Body{Kind: query.BodyNone}
		}
		return query.Body{Kind: query.BodyFile, File: r.path(file), ContentType: contentType(mime, "")}
	case text == "":
		return query.Body{Kind: query.BodyNone}
	case mt == "application/json" || mt == "application/graphql":
		if query.ValidateJSON(text) == nil {
			return query.Body{Kind: query.BodyJSON, Text: text}
		}
		return query.Body{Kind: query.BodyRaw, Text: text, ContentType: "application/json"}
	}
	return query.Body{Kind: query.BodyRaw, Text: text, ContentType: contentType(mime, "")}
}

// contentType is ct when it is a valid content type, else def.
func contentType(ct, def string) string {
	if ct != "" && query.ValidateContentType(ct) == nil && ct != "application/octet-stream" {
		return ct
	}
	return def
}

// path makes a file's path absolute, next to the export when it is relative.
func (r *reader) path(p string) string {
	if filepath.IsAbs(p) || r.src.Path == "" {
		return p
	}
	return filepath.Join(filepath.Dir(r.src.Path), p)
}
