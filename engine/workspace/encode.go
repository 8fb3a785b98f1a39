package workspace

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// Version is the version of the file format this apidesk writes and the newest it reads.
const Version = 1

// The first lines of every file, for the teammate who opens one and wonders where the password went.
const (
	resourceHead = "apidesk resource. Secrets (passwords, tokens, API keys, client secrets) are not in this file:\n" +
		"each person keeps their own in their keychain."
	queryHead = "apidesk saved query. It runs on the resource whose id is given in resource: (the name beside the id is a\n" +
		"note for readers: the id decides)."
)

// encodeResource returns the file for r: keys in a fixed order, only the fields of its auth kind, empty fields left out.
func encodeResource(r *resource.Resource) ([]byte, error) {
	m := mapping()
	m.HeadComment = resourceHead
	add(m, "version", intNode(Version))
	add(m, "id", str(r.ID))
	add(m, "name", str(r.Name))
	add(m, "base_url", str(r.BaseURL))
	addRows(m, "headers", r.Headers)
	addRows(m, "params", r.Params)
	addRows(m, "cookies", r.Cookies)
	if r.Timeout != 0 {
		add(m, "timeout", str(resource.FormatTimeout(r.Timeout)))
	}
	if r.MaxBody != 0 {
		add(m, "max_body", str(resource.FormatMaxBody(r.MaxBody)))
	}
	add(m, "auth", encodeAuth(&r.Auth))
	if n := encodeNetwork(&r.Network); n != nil {
		add(m, "network", n)
	}
	addRows(m, "variables", r.Variables)
	return marshal(m)
}

// encodeNetwork returns the network mapping, or nil when the settings set nothing. Paths are written as they
// are held: relative to the workspace folder when the file is inside it.
func encodeNetwork(n *resource.Network) *yaml.Node {
	if n.IsZero() {
		return nil
	}
	m := mapping()
	addText(m, "proxy", n.Proxy)
	addText(m, "proxy_url", n.ProxyURL)
	if len(n.NoProxy) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, h := range n.NoProxy {
			seq.Content = append(seq.Content, str(h))
		}
		add(m, "no_proxy", seq)
	}
	addText(m, "ca_cert", n.CACert)
	addText(m, "client_cert", n.ClientCert)
	addText(m, "client_key", n.ClientKey)
	if n.Insecure {
		v := boolNode(true)
		v.LineComment = "the server's TLS certificate is not checked"
		add(m, "insecure", v)
	}
	return m
}

func encodeAuth(a *resource.Auth) *yaml.Node {
	m := mapping()
	kind := a.Kind
	if kind == "" {
		kind = resource.AuthNone
	}
	add(m, "kind", str(string(kind)))
	known := slices.Contains(resource.AuthKinds, kind)
	if kind == resource.AuthBasic || kind == resource.AuthDigest || !known {
		addText(m, "username", a.Username)
	}
	if kind == resource.AuthAPIKey || !known {
		addText(m, "key_name", a.KeyName)
		addText(m, "key_in", a.KeyIn)
	}
	if kind == resource.AuthOAuth2 || !known { // a kind this apidesk does not know: keep everything, lose nothing
		o := &a.OAuth2
		addText(m, "grant", o.Grant)
		addText(m, "preset", o.Preset)
		addText(m, "issuer", o.Issuer)
		addText(m, "auth_url", o.AuthURL)
		addText(m, "token_url", o.TokenURL)
		addText(m, "token_method", o.TokenMethod)
		addText(m, "device_url", o.DeviceURL)
		addText(m, "revoke_url", o.RevokeURL)
		addText(m, "client_id", o.ClientID)
		addText(m, "client_auth", o.ClientAuth)
		if len(o.Scopes) > 0 {
			seq := &yaml.Node{Kind: yaml.SequenceNode}
			for _, s := range o.Scopes {
				seq.Content = append(seq.Content, str(s))
			}
			add(m, "scopes", seq)
		}
		addRows(m, "auth_params", o.AuthParams)
		addRows(m, "token_params", o.TokenParams)
		addText(m, "login_test_url", o.LoginTestURL)
		if o.RedirectPort != 0 {
			add(m, "redirect_port", intNode(o.RedirectPort))
		}
		if o.DisablePKCE {
			add(m, "pkce", boolNode(false))
		}
	}
	return m
}

// encodeQuery returns the file for q. resourceName is written as a comment beside the resource id, for readers:
// the id decides, so renaming a resource never breaks its queries.
func encodeQuery(q *query.Query, resourceName string) ([]byte, error) {
	m := mapping()
	m.HeadComment = queryHead
	add(m, "version", intNode(Version))
	add(m, "id", str(q.ID))
	add(m, "name", str(q.Name))
	res := str(q.ResourceID)
	res.LineComment = commentText(resourceName)
	add(m, "resource", res)
	add(m, "method", str(q.EffectiveMethod()))
	addText(m, "path", q.Path)
	addRows(m, "params", q.Params)
	addRows(m, "headers", q.Headers)
	addRows(m, "cookies", q.Cookies)
	if b := encodeBody(&q.Body); b != nil {
		add(m, "body", b)
	}
	if len(q.Variables) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, v := range q.Variables {
			seq.Content = append(seq.Content, encodeVariable(&v))
		}
		add(m, "variables", seq)
	}
	if r := q.Result; r != nil {
		add(m, "result", encodeResult(r))
	}
	if pg := encodePaging(&q.Paging); pg != nil {
		add(m, "paging", pg)
	}
	addText(m, "group", q.Group)
	addText(m, "source", q.Source)
	if q.Confirm {
		add(m, "confirm", boolNode(true))
	}
	return marshal(m)
}

// encodePaging returns the paging mapping, or nil for a query of one page. Only the fields of the kind are
// written.
func encodePaging(p *query.Paging) *yaml.Node {
	if !p.Pages() {
		return nil
	}
	m := mapping()
	add(m, "kind", str(string(p.Kind)))
	known := slices.Contains(query.PagingKinds, p.Kind)
	if p.Kind == query.PagingCursor || !known {
		addText(m, "cursor_path", p.CursorPath)
	}
	if p.Kind != query.PagingLink || !known {
		addText(m, "param", p.Param)
	}
	if p.Kind == query.PagingPage || p.Kind == query.PagingOffset || !known {
		if p.Kind == query.PagingPage || p.Start != 0 {
			add(m, "start", intNode(p.Start))
		}
		addText(m, "limit_param", p.LimitParam)
		if p.Limit != 0 {
			add(m, "limit", intNode(p.Limit))
		}
	}
	return m
}

// encodeVariable returns a variable's mapping: on one line when only a description and a default are saved
// (as every file before typed variables had), else one field a line. Only what is set is written, and never a
// secret's default.
func encodeVariable(v *query.Variable) *yaml.Node {
	row := flowMapping()
	if v.Typed() {
		row = mapping()
	}
	add(row, "name", str(v.Name))
	addText(row, "label", v.Label)
	addText(row, "description", v.Description)
	if v.Type != "" && v.Type != query.TypeText {
		add(row, "type", str(string(v.Type)))
	}
	if v.Optional {
		add(row, "optional", boolNode(true))
	}
	if !v.Secret() {
		addText(row, "default", v.Default)
	}
	if len(v.Options) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, o := range v.Options {
			opt := flowMapping()
			add(opt, "value", str(o.Value))
			addText(opt, "label", o.Label)
			seq.Content = append(seq.Content, opt)
		}
		add(row, "options", seq)
	}
	addText(row, "pattern", v.Pattern)
	addText(row, "min", v.Min)
	addText(row, "max", v.Max)
	return row
}

// encodeResult returns the result mapping: rows (left out for the answer itself) and the columns in order.
func encodeResult(r *query.Result) *yaml.Node {
	m := mapping()
	addText(m, "rows", r.Rows)
	if len(r.Columns) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, c := range r.Columns {
			row := flowMapping()
			add(row, "key", str(c.Key))
			addText(row, "label", c.Label)
			seq.Content = append(seq.Content, row)
		}
		add(m, "columns", seq)
	}
	if len(m.Content) == 0 {
		m.Style = yaml.FlowStyle // result: {}: the rows are the answer itself, every column shown
	}
	return m
}

// encodeBody returns the body mapping, or nil for no body. Only the fields of the body's kind are written.
func encodeBody(b *query.Body) *yaml.Node {
	if b.Kind == "" || b.Kind == query.BodyNone {
		return nil
	}
	m := mapping()
	add(m, "kind", str(string(b.Kind)))
	switch b.Kind {
	case query.BodyJSON:
		addText(m, "text", b.Text)
	case query.BodyRaw:
		addText(m, "content_type", b.ContentType)
		addText(m, "text", b.Text)
	case query.BodyForm:
		addRows(m, "form", b.Form)
	case query.BodyMultipart:
		addParts(m, b.Parts)
	case query.BodyFile:
		addText(m, "file", b.File)
		addText(m, "content_type", b.ContentType)
	default: // a kind this apidesk does not know: keep everything so nothing is lost
		addText(m, "content_type", b.ContentType)
		addText(m, "text", b.Text)
		addRows(m, "form", b.Form)
		addParts(m, b.Parts)
		addText(m, "file", b.File)
	}
	return m
}

// addParts adds a multipart form's fields as a list of one-line mappings, unless there are none: a text field's
// name and value, a file field's name, file (its path, never its content), and the file name and type when
// they are chosen; content_type for a text field that has one; enabled: false only for a disabled field.
func addParts(m *yaml.Node, parts []query.Part) {
	if len(parts) == 0 {
		return
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, p := range parts {
		row := flowMapping()
		add(row, "name", str(p.Name))
		if p.IsFile() {
			add(row, "file", str(p.File))
			addText(row, "filename", p.Filename)
		} else {
			add(row, "value", str(p.Value))
		}
		addText(row, "content_type", p.ContentType)
		if !p.Enabled {
			add(row, "enabled", boolNode(false))
		}
		seq.Content = append(seq.Content, row)
	}
	add(m, "parts", seq)
}

func marshal(root *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, fmt.Errorf("write YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write YAML: %w", err)
	}
	return buf.Bytes(), nil
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

// flowMapping is a mapping written on one line: {name: Accept, value: application/json}.
func flowMapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle} }

func add(m *yaml.Node, key string, value *yaml.Node) {
	m.Content = append(m.Content, str(key), value)
}

// addText adds a text field unless it is empty.
func addText(m *yaml.Node, key, value string) {
	if value != "" {
		add(m, key, str(value))
	}
}

// addRows adds key-value rows as a list of one-line mappings, unless there are none. enabled: false is written
// only for a disabled row.
func addRows(m *yaml.Node, key string, rows kv.List) {
	if len(rows) == 0 {
		return
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, p := range rows {
		row := flowMapping()
		add(row, "name", str(p.Key))
		add(row, "value", str(p.Value))
		if !p.Enabled {
			add(row, "enabled", boolNode(false))
		}
		seq.Content = append(seq.Content, row)
	}
	add(m, key, seq)
}

// str is a text scalar. The encoder quotes it when it would otherwise read back as something else ("100",
// "true", "{-oauth_access_token-}") and writes multi-line text as a block literal (|). Text that is not valid
// UTF-8 is left untagged so the encoder writes it as !!binary rather than fail.
func str(s string) *yaml.Node {
	if !utf8.ValidString(s) {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.HasPrefix(s, "\t") {
		// The YAML library cannot read back a block literal whose first line starts with a tab.
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// commentText makes s safe to write as a comment: one line of characters YAML allows.
func commentText(s string) string {
	s = strings.ToValidUTF8(s, "?")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r >= 0x20 && r <= 0x7e || r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd && r != 0xfeff || r >= 0x10000 {
			return r
		}
		return ' '
	}, s))
}

func intNode(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}
