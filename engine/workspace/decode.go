package workspace

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// lineError is a problem at a line of a file (line 0: the whole file).
type lineError struct {
	line int
	msg  string
}

// The fields each part of a file may have, in the order they are written.
var (
	resourceKeys = []string{"version", "id", "name", "base_url", "headers", "params", "cookies", "timeout", "max_body", "auth", "network", "variables"}
	authKeys     = []string{"kind", "username", "key_name", "key_in"}
	networkKeys  = []string{"proxy", "proxy_url", "no_proxy", "ca_cert", "client_cert", "client_key", "insecure"}
	oauth2Keys   = []string{"grant", "preset", "issuer", "auth_url", "token_url", "token_method", "device_url",
		"revoke_url", "client_id", "client_auth", "scopes", "auth_params", "token_params", "login_test_url",
		"redirect_port", "pkce"}
	queryKeys    = []string{"version", "id", "name", "resource", "method", "path", "params", "headers", "cookies", "body", "variables", "result", "paging", "confirm", "group", "source"}
	pagingKeys   = []string{"kind", "cursor_path", "param", "start", "limit_param", "limit"}
	bodyKeys     = []string{"kind", "content_type", "text", "form", "parts", "file"}
	rowKeys      = []string{"name", "value", "enabled"}
	partKeys     = []string{"name", "value", "file", "filename", "content_type", "enabled"}
	variableKeys = []string{"name", "label", "description", "type", "optional", "default", "options", "pattern", "min", "max"}
	optionKeys   = []string{"value", "label"}
	resultKeys   = []string{"rows", "columns"}
	columnKeys   = []string{"key", "label"}
)

// secretKeys are field names someone might add by hand to put a secret in a file. They get their own message.
var secretKeys = map[string]bool{
	"password": true, "secret": true, "token": true, "client_secret": true, "access_token": true,
	"refresh_token": true, "id_token": true, "api_key": true, "key": true, "key_value": true, "apikey": true,
	"bearer_token": true, "passphrase": true, "credentials": true,
}

// decoder reads a parsed file by hand, so every problem is reported with its line and in plain words, and every
// problem in a file is reported at once rather than the first only.
type decoder struct {
	errs  []lineError
	lines map[string]int // the line of each field, by the name resource.FieldError uses ("headers[2].key")
}

func newDecoder() *decoder { return &decoder{lines: map[string]int{}} }

func (d *decoder) failf(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, lineError{line, fmt.Sprintf(format, args...)})
}

// parse reads data as one YAML document whose top is a mapping.
func parse(data []byte) (*yaml.Node, *lineError) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &lineError{0, "the file is empty: delete it, or save the item again from apidesk"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, yamlError(data, err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		line := 0
		if err == nil {
			line = more.Line
		}
		return nil, &lineError{line, "the file holds more than one YAML document (---): keep one item per file"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &lineError{0, "the file is empty: delete it, or save the item again from apidesk"}
	}
	root := resolve(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, &lineError{0, "the file is empty: delete it, or save the item again from apidesk"}
	}
	if root.Kind != yaml.MappingNode {
		return nil, &lineError{root.Line, "the file must be a list of fields (name: value), starting with version: 1"}
	}
	return root, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns the YAML library's error into a lineError. The library counts lines from 0 in the errors of its
// parser (not of its scanner), leaves the line out when it is the first, names the line where the enclosing list
// or mapping starts rather than the one at fault, and gives no line for an unknown alias; this makes up for all that.
func yamlError(data []byte, err error) *lineError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if isParserProblem(msg) {
			line++
		}
		line = max(1, line)
	}
	if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		name = strings.TrimSuffix(name, "' referenced")
		return &lineError{lineOf(data, "*"+name), "this is not valid YAML: *" + name + " refers to no &" + name}
	}
	return &lineError{line, "this is not valid YAML: " + msg + " (on this line or below it)"}
}

// isParserProblem reports whether a message comes from the YAML parser, which counts lines from 0, rather than
// from its scanner (parserc.go holds these messages).
func isParserProblem(msg string) bool {
	for _, p := range []string{"did not find expected", "found duplicate %", "found incompatible YAML document", "found undefined tag handle"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// clamp keeps the lines of problems within the file: the YAML library places some at the line after the last.
func clamp(data []byte, errs []lineError) {
	last := countLines(data)
	for i := range errs {
		errs[i].line = min(errs[i].line, last)
	}
}

// countLines counts the lines of data as YAML does: \n, \r\n, \r, NEL, LS and PS end a line.
func countLines(data []byte) int {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	n := strings.Count(s, "\n") + strings.Count(s, "\r") + strings.Count(s, "\u0085") + strings.Count(s, "\u2028") + strings.Count(s, "\u2029")
	if s != "" && !strings.ContainsAny(s[len(s)-1:], "\n\r") && !strings.HasSuffix(s, "\u0085") && !strings.HasSuffix(s, "\u2028") && !strings.HasSuffix(s, "\u2029") {
		n++
	}
	return n
}

// lineOf returns the line where s first appears in data (1 if it does not).
func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 1
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// version checks the version field first, so that a file from a newer apidesk says so rather than listing the
// fields this apidesk does not know.
func (d *decoder) version(root *yaml.Node) bool {
	var v *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "version" {
			v = resolve(root.Content[i+1])
		}
	}
	if v == nil {
		d.failf(root, "version is missing: add the line version: %d at the top", Version)
		return false
	}
	n, err := strconv.Atoi(v.Value)
	switch {
	case v.Kind != yaml.ScalarNode || err != nil || n < 1:
		d.failf(v, "version must be a whole number such as %d", Version)
		return false
	case n > Version:
		d.failf(v, "this file was made by a newer apidesk (file version %d; this apidesk reads version %d): update apidesk to open it", n, Version)
		return false
	}
	return true
}

// fields checks that n is a mapping with only the given keys, each at most once, and returns the value of each key
// present. path is where the mapping is ("auth"), what names it for a person ("the auth section").
func (d *decoder) fields(n *yaml.Node, path, what string, keys []string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n = d.want(n, yaml.MappingNode, what, "a list of fields (name: value)"); n == nil {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.failf(k, "a field name in %s must be a plain word", what)
			continue
		}
		name := k.Value
		switch {
		case !contains(keys, name) && secretKeys[strings.ToLower(name)]:
			d.failf(k, "%q does not belong in a workspace file: this folder may be shared, so apidesk keeps secrets "+
				"in each person's keychain. Remove the line (and change that secret if the file was ever shared)", name)
		case !contains(keys, name):
			d.failf(k, "unknown field %q in %s%s", name, what, suggest(name, keys))
		case out[name] != nil:
			d.failf(k, "%q is given twice in %s: keep one", name, what)
		default:
			out[name] = v
			d.lines[join(path, name)] = k.Line
		}
	}
	return out
}

func suggest(name string, keys []string) string {
	best, bestDist := "", 3
	for _, k := range keys {
		if dist := editDistance(strings.ToLower(name), k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best != "" {
		return fmt.Sprintf(": did you mean %q?", best)
	}
	return ": the fields here are " + strings.Join(keys, ", ")
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func contains(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a set of fields"
	}
	return "a single value"
}

// text reads a text field; a missing or empty (null) field is "". Numbers and booleans are read as written.
func (d *decoder) text(n *yaml.Node, key string) string {
	n = resolve(n)
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		d.failf(n, "%s must be text, not %s", key, describe(n))
		return ""
	}
	var s string
	if err := n.Decode(&s); err != nil {
		d.failf(n, "%s is not valid text", key)
	}
	return s
}

func (d *decoder) boolean(n *yaml.Node, key string, missing bool) bool {
	n = resolve(n)
	if n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return missing
	}
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		d.failf(n, "%s must be true or false", key)
		return missing
	}
	return b
}

func (d *decoder) integer(n *yaml.Node, key string) int {
	n = resolve(n)
	if n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return 0
	}
	i, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil {
		d.failf(n, "%s must be a whole number", key)
		return 0
	}
	return i
}

// timeout reads a timeout as the form and apidesk-cli take it (resource.ParseTimeout): 30 is 30s.
func (d *decoder) timeout(n *yaml.Node, key string) time.Duration {
	t, err := resource.ParseTimeout(d.text(n, key))
	if err != nil {
		d.failf(n, "%s", err)
	}
	return t
}

// maxBody reads a response size limit as the form and apidesk-cli take it (resource.ParseMaxBody): 2GB, 500MB.
func (d *decoder) maxBody(n *yaml.Node, key string) int64 {
	b, err := resource.ParseMaxBody(d.text(n, key))
	if err != nil {
		d.failf(n, "%s", err)
	}
	return b
}

// list returns the items of a sequence (none for a missing or null field).
func (d *decoder) list(n *yaml.Node, key string) []*yaml.Node {
	if n = d.want(n, yaml.SequenceNode, key, "a list (lines starting with -)"); n == nil {
		return nil
	}
	return n.Content
}

// want resolves n and returns it when it is of kind. A missing or null field is nil; one of another kind is nil
// and a problem: "what must be must, not …".
func (d *decoder) want(n *yaml.Node, kind yaml.Kind, what, must string) *yaml.Node {
	n = resolve(n)
	switch {
	case n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return nil
	case n.Kind != kind:
		d.failf(n, "%s must be %s, not %s", what, must, describe(n))
		return nil
	}
	return n
}

// rows reads key-value rows; path is the field name resource.FieldError uses ("headers").
func (d *decoder) rows(n *yaml.Node, path string) kv.List {
	items := d.list(n, lastPart(path))
	if items == nil {
		return nil
	}
	out := make(kv.List, 0, len(items))
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.lines[p] = item.Line
		f := d.fields(item, p, "a row of "+lastPart(path)+" (write it as {name: N, value: V})", rowKeys)
		d.lines[p+".key"] = d.lines[p+".name"]
		out = append(out, kv.Pair{
			Key:     d.text(f["name"], "name"),
			Value:   d.text(f["value"], "value"),
			Enabled: d.boolean(f["enabled"], "enabled", true),
		})
	}
	return out
}

// parts reads a multipart form's fields; path is the field name resource.FieldError uses ("body.parts").
func (d *decoder) parts(n *yaml.Node, path string) []query.Part {
	items := d.list(n, lastPart(path))
	if items == nil {
		return nil
	}
	out := make([]query.Part, 0, len(items))
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.lines[p] = item.Line
		f := d.fields(item, p, "a field of the multipart form (write it as {name: N, value: V} or {name: N, file: PATH})", partKeys)
		part := query.Part{
			Name:        d.text(f["name"], "name"),
			Value:       d.text(f["value"], "value"),
			File:        d.text(f["file"], "file"),
			Filename:    d.text(f["filename"], "filename"),
			ContentType: d.text(f["content_type"], "content_type"),
			Enabled:     d.boolean(f["enabled"], "enabled", true),
		}
		if f["value"] != nil && f["file"] != nil {
			d.failf(f["file"], "the field %q of the multipart form has both a value and a file: keep value: for text, or file: for a file", part.Name)
		}
		out = append(out, part)
	}
	return out
}

func lastPart(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

var validID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidateID checks a resource or query ID: it names keychain entries, so it is kept to letters, digits, - and _.
func ValidateID(id string) error {
	if !validID.MatchString(id) {
		return errors.New("ID may only use letters, digits, '-' and '_' (at most 64 of them)")
	}
	return nil
}

func (d *decoder) id(root *yaml.Node, f map[string]*yaml.Node) string {
	if f["id"] == nil {
		d.failf(root, "id is missing: add a line such as id: %s (a new random id; keep it once chosen, "+
			"saved queries and each person's keychain refer to it)", resource.NewID())
		return ""
	}
	id := d.text(f["id"], "id")
	if err := ValidateID(id); err != nil {
		d.failf(f["id"], "%s", err)
	}
	return id
}

// decodeFile reads an item file: one YAML mapping, its version first, then the fields keys allows, from which
// read builds the item; what names the file for a person ("a resource file"). It returns the item and the line
// of each field, or the problems that keep the file from loading, every one of them.
func decodeFile[T any](data []byte, what string, keys []string, read func(d *decoder, root *yaml.Node, f map[string]*yaml.Node) *T) (item *T, lines map[string]int, errs []lineError) {
	defer func() { clamp(data, errs) }()
	root, perr := parse(data)
	if perr != nil {
		return nil, nil, []lineError{*perr}
	}
	d := newDecoder()
	if !d.version(root) {
		return nil, nil, d.errs
	}
	item = read(d, root, d.fields(root, "", what, keys))
	if len(d.errs) > 0 {
		return nil, nil, d.errs
	}
	return item, d.lines, nil
}

// decodeResource reads a resource file.
func decodeResource(data []byte) (*resource.Resource, map[string]int, []lineError) {
	return decodeFile(data, "a resource file", resourceKeys, func(d *decoder, root *yaml.Node, f map[string]*yaml.Node) *resource.Resource {
		return &resource.Resource{
			ID:        d.id(root, f),
			Name:      d.text(f["name"], "name"),
			BaseURL:   d.text(f["base_url"], "base_url"),
			Headers:   d.rows(f["headers"], "headers"),
			Params:    d.rows(f["params"], "params"),
			Cookies:   d.rows(f["cookies"], "cookies"),
			Timeout:   d.timeout(f["timeout"], "timeout"),
			MaxBody:   d.maxBody(f["max_body"], "max_body"),
			Auth:      d.auth(f["auth"]),
			Network:   d.network(f["network"]),
			Variables: d.rows(f["variables"], "variables"),
		}
	})
}

// network reads a network section (of a resource, or the workspace's default in SettingsFile). A proxy_url
// without a proxy line is a proxy URL; no_proxy is a list, or one line of entries separated by commas as the
// NO_PROXY variable writes them. Paths are kept as written: relative ones are relative to the workspace folder.
func (d *decoder) network(n *yaml.Node) resource.Network {
	f := d.fields(n, "network", "the network section", networkKeys)
	nw := resource.Network{
		Proxy:      d.text(f["proxy"], "proxy"),
		ProxyURL:   d.text(f["proxy_url"], "proxy_url"),
		CACert:     d.text(f["ca_cert"], "ca_cert"),
		ClientCert: d.text(f["client_cert"], "client_cert"),
		ClientKey:  d.text(f["client_key"], "client_key"),
		Insecure:   d.boolean(f["insecure"], "insecure", false),
	}
	if f["proxy"] == nil && nw.ProxyURL != "" {
		nw.Proxy = resource.ProxyURL
	}
	if v := resolve(f["no_proxy"]); v != nil && v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		for i, h := range strings.Split(d.text(v, "no_proxy"), ",") {
			d.lines[fmt.Sprintf("network.no_proxy[%d]", i)] = v.Line
			nw.NoProxy = append(nw.NoProxy, strings.TrimSpace(h))
		}
		return nw
	}
	for i, item := range d.list(f["no_proxy"], "no_proxy") {
		d.lines[fmt.Sprintf("network.no_proxy[%d]", i)] = item.Line
		nw.NoProxy = append(nw.NoProxy, d.text(item, "a no_proxy entry"))
	}
	return nw
}

// auth reads the auth section. The fields of every kind are read (a person switching kind by hand may leave some
// behind); only the chosen kind's are written back.
func (d *decoder) auth(n *yaml.Node) resource.Auth {
	f := d.fields(n, "auth", "the auth section", append(append([]string{}, authKeys...), oauth2Keys...))
	for _, k := range oauth2Keys {
		if line, ok := d.lines["auth."+k]; ok {
			d.lines["auth.oauth2."+k] = line
		}
	}
	a := resource.Auth{
		Kind:     resource.AuthKind(d.text(f["kind"], "kind")),
		Username: d.text(f["username"], "username"),
		KeyName:  d.text(f["key_name"], "key_name"),
		KeyIn:    d.text(f["key_in"], "key_in"),
	}
	o := &a.OAuth2
	o.Grant = d.text(f["grant"], "grant")
	o.Preset = d.text(f["preset"], "preset")
	o.Issuer = d.text(f["issuer"], "issuer")
	o.AuthURL = d.text(f["auth_url"], "auth_url")
	o.TokenURL = d.text(f["token_url"], "token_url")
	o.TokenMethod = d.text(f["token_method"], "token_method")
	o.DeviceURL = d.text(f["device_url"], "device_url")
	o.RevokeURL = d.text(f["revoke_url"], "revoke_url")
	o.ClientID = d.text(f["client_id"], "client_id")
	o.ClientAuth = d.text(f["client_auth"], "client_auth")
	for i, s := range d.list(f["scopes"], "scopes") {
		d.lines[fmt.Sprintf("auth.oauth2.scopes[%d]", i)] = s.Line
		o.Scopes = append(o.Scopes, d.text(s, "a scope"))
	}
	o.AuthParams = d.rows(f["auth_params"], "auth.oauth2.auth_params")
	o.TokenParams = d.rows(f["token_params"], "auth.oauth2.token_params")
	o.LoginTestURL = d.text(f["login_test_url"], "login_test_url")
	o.RedirectPort = d.integer(f["redirect_port"], "redirect_port")
	o.DisablePKCE = !d.boolean(f["pkce"], "pkce", true)
	return a
}

// decodeQuery reads a query file.
func decodeQuery(data []byte) (*query.Query, map[string]int, []lineError) {
	return decodeFile(data, "a query file", queryKeys, func(d *decoder, root *yaml.Node, f map[string]*yaml.Node) *query.Query {
		q := &query.Query{
			ID:         d.id(root, f),
			Name:       d.text(f["name"], "name"),
			ResourceID: d.text(f["resource"], "resource"),
			Method:     d.text(f["method"], "method"),
			Path:       d.text(f["path"], "path"),
			Params:     d.rows(f["params"], "params"),
			Headers:    d.rows(f["headers"], "headers"),
			Cookies:    d.rows(f["cookies"], "cookies"),
			Confirm:    d.boolean(f["confirm"], "confirm", false),
			Group:      d.text(f["group"], "group"),
			Source:     d.text(f["source"], "source"),
		}
		if f["body"] != nil {
			bf := d.fields(f["body"], "body", "the body section", bodyKeys)
			q.Body = query.Body{
				Kind:        query.BodyKind(d.text(bf["kind"], "kind")),
				ContentType: d.text(bf["content_type"], "content_type"),
				Text:        d.text(bf["text"], "text"),
				Form:        d.rows(bf["form"], "body.form"),
				Parts:       d.parts(bf["parts"], "body.parts"),
				File:        d.text(bf["file"], "file"),
			}
			if line, ok := d.lines["body.text"]; ok {
				d.lines["body"] = line // a JSON body's problem is in its text
			}
		}
		for i, item := range d.list(f["variables"], "variables") {
			p := fmt.Sprintf("variables[%d]", i)
			d.lines[p] = item.Line
			q.Variables = append(q.Variables, d.variable(item, p))
		}
		if f["result"] != nil {
			q.Result = d.result(f["result"])
		}
		if f["paging"] != nil {
			q.Paging = d.paging(f["paging"])
		}
		return q
	})
}

// paging reads the paging section. A page number counts from 1 unless the file says otherwise.
func (d *decoder) paging(n *yaml.Node) query.Paging {
	f := d.fields(n, "paging", "the paging section", pagingKeys)
	p := query.Paging{
		Kind:       query.PagingKind(d.text(f["kind"], "kind")),
		CursorPath: d.text(f["cursor_path"], "cursor_path"),
		Param:      d.text(f["param"], "param"),
		Start:      d.integer(f["start"], "start"),
		LimitParam: d.text(f["limit_param"], "limit_param"),
		Limit:      d.integer(f["limit"], "limit"),
	}
	if p.Kind == query.PagingPage && f["start"] == nil {
		p.Start = 1
	}
	return p
}

// variable reads a variable; path is where it is ("variables[2]"). A secret's default is refused: the file may
// be shared.
func (d *decoder) variable(item *yaml.Node, path string) query.Variable {
	vf := d.fields(item, path, "a variable (write it as {name: N, description: D, default: V})", variableKeys)
	v := query.Variable{
		Name:        d.text(vf["name"], "name"),
		Label:       d.text(vf["label"], "label"),
		Description: d.text(vf["description"], "description"),
		Type:        query.VarType(d.text(vf["type"], "type")),
		Optional:    d.boolean(vf["optional"], "optional", false),
		Default:     d.text(vf["default"], "default"),
		Pattern:     d.text(vf["pattern"], "pattern"),
		Min:         d.text(vf["min"], "min"),
		Max:         d.text(vf["max"], "max"),
	}
	if v.Type == query.TypeText {
		v.Type = ""
	}
	if v.Secret() && v.Default != "" {
		d.failf(vf["default"], "{{%s}} holds a secret, and its default does not belong in a workspace file: this folder may be "+
			"shared, so each person types the secret in. Remove the line (and change that secret if the file was ever shared)", v.Name)
	}
	for i, o := range d.list(vf["options"], "options") {
		p := fmt.Sprintf("%s.options[%d]", path, i)
		d.lines[p] = o.Line
		of := d.fields(o, p, "an option (write it as {value: V, label: L})", optionKeys)
		v.Options = append(v.Options, query.Option{Value: d.text(of["value"], "value"), Label: d.text(of["label"], "label")})
	}
	return v
}

// result reads the result section: where the rows are and the columns shown.
func (d *decoder) result(n *yaml.Node) *query.Result {
	rf := d.fields(n, "result", "the result section", resultKeys)
	r := &query.Result{Rows: d.text(rf["rows"], "rows")}
	for i, item := range d.list(rf["columns"], "columns") {
		p := fmt.Sprintf("result.columns[%d]", i)
		d.lines[p] = item.Line
		cf := d.fields(item, p, "a column (write it as {key: K, label: L})", columnKeys)
		r.Columns = append(r.Columns, query.Column{Key: d.text(cf["key"], "key"), Label: d.text(cf["label"], "label")})
	}
	return r
}

// lineFor returns the line of a field as resource.FieldError names it, or of the nearest enclosing field found.
func lineFor(lines map[string]int, field string) int {
	for field != "" {
		if line, ok := lines[field]; ok {
			return line
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return 0
}
