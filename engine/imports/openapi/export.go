package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
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

// The OpenAPI 3.1 document Export writes, in the order a person reads it.
type (
	xDocument struct {
		OpenAPI    string                          `json:"openapi"`
		Info       xInfo                           `json:"info"`
		Servers    []xServer                       `json:"servers,omitempty"`
		Security   []map[string][]string           `json:"security,omitempty"`
		Tags       []xTag                          `json:"tags,omitempty"`
		Paths      *ordered[*ordered[*xOperation]] `json:"paths"`
		Components *xComponents                    `json:"components,omitempty"`
	}
	xInfo struct {
		Title   string `json:"title"`
		Version string `json:"version"`
	}
	xServer struct {
		URL       string                `json:"url"`
		Variables map[string]xServerVar `json:"variables,omitempty"`
	}
	xServerVar struct {
		Default string `json:"default"`
	}
	xTag struct {
		Name string `json:"name"`
	}
	xComponents struct {
		SecuritySchemes map[string]*xScheme `json:"securitySchemes,omitempty"`
	}
	xScheme struct {
		Type             string  `json:"type"`
		Scheme           string  `json:"scheme,omitempty"`
		Name             string  `json:"name,omitempty"`
		In               string  `json:"in,omitempty"`
		Flows            *xFlows `json:"flows,omitempty"`
		OpenIDConnectURL string  `json:"openIdConnectUrl,omitempty"`
	}
	xFlows struct {
		AuthorizationCode *xFlow `json:"authorizationCode,omitempty"`
		ClientCredentials *xFlow `json:"clientCredentials,omitempty"`
		Device            *xFlow `json:"x-deviceAuthorization,omitempty"` // OpenAPI 3.2's deviceAuthorization
	}
	xFlow struct {
		AuthorizationURL string            `json:"authorizationUrl,omitempty"`
		DeviceURL        string            `json:"deviceAuthorizationUrl,omitempty"`
		TokenURL         string            `json:"tokenUrl"`
		Scopes           map[string]string `json:"scopes"`
	}
	xOperation struct {
		OperationID string               `json:"operationId,omitempty"`
		Summary     string               `json:"summary,omitempty"`
		Tags        []string             `json:"tags,omitempty"`
		Parameters  []*xParameter        `json:"parameters,omitempty"`
		RequestBody *xRequestBody        `json:"requestBody,omitempty"`
		Responses   map[string]xResponse `json:"responses"`
	}
	xParameter struct {
		Name        string   `json:"name"`
		In          string   `json:"in"`
		Description string   `json:"description,omitempty"`
		Required    bool     `json:"required,omitempty"`
		Schema      *xSchema `json:"schema"`
	}
	xRequestBody struct {
		Description string             `json:"description,omitempty"`
		Content     map[string]*xMedia `json:"content"`
	}
	xMedia struct {
		Schema   *xSchema             `json:"schema,omitempty"`
		Example  any                  `json:"example,omitempty"`
		Encoding map[string]xEncoding `json:"encoding,omitempty"`
	}
	xEncoding struct {
		ContentType string `json:"contentType"`
	}
	xResponse struct {
		Description string `json:"description"`
	}
	xSchema struct {
		Type        string              `json:"type,omitempty"`
		Format      string              `json:"format,omitempty"`
		Title       string              `json:"title,omitempty"`
		Description string              `json:"description,omitempty"`
		Enum        []any               `json:"enum,omitempty"`
		Default     any                 `json:"default,omitempty"`
		Pattern     string              `json:"pattern,omitempty"`
		Minimum     *json.Number        `json:"minimum,omitempty"`
		Maximum     *json.Number        `json:"maximum,omitempty"`
		Required    []string            `json:"required,omitempty"`
		Properties  map[string]*xSchema `json:"properties,omitempty"`
		Items       *xSchema            `json:"items,omitempty"`
		Example     any                 `json:"example,omitempty"`
	}
)

// Export writes a resource with its queries as an OpenAPI 3.1 document in JSON; see ExportAll.
func Export(res *resource.Resource, qs []*query.Query) ([]byte, error) {
	b, _, err := ExportAll(res, qs)
	return b, err
}

// ExportAll writes a resource with its queries as an OpenAPI 3.1 document in JSON: the base URL as its server,
// each query an operation (its {{variables}} in the path as path parameters, its params, headers and cookies
// as parameters typed from the variables, its body as the request body), the authentication as the security
// scheme, and no secret (no password, token, key or client secret; a variable kept secret gets no default). It
// also returns the queries it could not write: OpenAPI has one operation per method and path. Read reads the
// document back into the same queries.
func ExportAll(res *resource.Resource, qs []*query.Query) ([]byte, []imports.LeftOut, error) {
	if res == nil {
		return nil, nil, fmt.Errorf("no resource to export")
	}
	doc := &xDocument{
		OpenAPI: "3.1.0",
		Info:    xInfo{Title: strings.TrimSpace(res.Name), Version: "1.0.0"},
		Paths:   &ordered[*ordered[*xOperation]]{},
	}
	if doc.Info.Title == "" {
		doc.Info.Title = "API"
	}
	if base := strings.TrimSpace(res.BaseURL); base != "" {
		s := xServer{URL: base}
		for _, name := range template.Names(base) {
			if s.Variables == nil {
				s.Variables = map[string]xServerVar{}
			}
			s.Variables[name] = xServerVar{Default: name}
		}
		s.URL = toBraces(base)
		doc.Servers = []xServer{s}
	}
	if name, scheme, scopes := exportAuth(res.Auth); scheme != nil {
		doc.Components = &xComponents{SecuritySchemes: map[string]*xScheme{name: scheme}}
		doc.Security = []map[string][]string{{name: scopes}}
	}

	var left []imports.LeftOut
	ids := map[string]bool{}
	taken := map[string]string{} // method and path with its parameters unnamed → the query that has it
	for _, q := range qs {
		if q == nil {
			continue
		}
		method := strings.ToLower(q.EffectiveMethod())
		p, pathQuery := exportPath(q.Path)
		key := method + " " + pathTemplate.ReplaceAllString(p, "{}")
		if other, ok := taken[key]; ok {
			left = append(left, imports.LeftOut{Where: strings.ToUpper(method) + " " + p, What: "the query " + q.Name,
				Why: "OpenAPI has one operation for each method and path, and the query " + other + " has it"})
			continue
		}
		taken[key] = q.Name
		op := exportOperation(res, q, pathQuery)
		op.OperationID = operationID(q, ids)
		item, ok := doc.Paths.get(p)
		if !ok {
			item = &ordered[*xOperation]{}
			doc.Paths.set(p, item)
		}
		item.set(method, op)
		if q.Group != "" && !slices.ContainsFunc(doc.Tags, func(t xTag) bool { return t.Name == q.Group }) {
			doc.Tags = append(doc.Tags, xTag{Name: q.Group})
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, left, fmt.Errorf("the OpenAPI document could not be written: %w", err)
	}
	return buf.Bytes(), left, nil
}

var braces = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}`)

// toBraces writes each {{variable}} as OpenAPI's {variable}.
func toBraces(s string) string { return braces.ReplaceAllString(s, "{$1}") }

// exportPath is a query's path as an OpenAPI path, and the URL params written in it.
func exportPath(p string) (string, kv.List) {
	p = strings.TrimSpace(p)
	p, rawQuery, _ := strings.Cut(p, "?")
	p, _, _ = strings.Cut(p, "#")
	var params kv.List
	if rawQuery != "" {
		for _, part := range strings.Split(rawQuery, "&") {
			k, v, _ := strings.Cut(part, "=")
			if uk, err := url.QueryUnescape(k); err == nil {
				k = uk
			}
			if uv, err := url.QueryUnescape(v); err == nil {
				v = uv
			}
			if k != "" {
				params = append(params, kv.On(k, v))
			}
		}
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return toBraces(p), params
}

// operationID is the query's operationId: the one it was imported from, else one made from its name. A query
// imported from an operation without one ("openapi:GET /pets") gets none, so it reads back the same.
func operationID(q *query.Query, ids map[string]bool) string {
	id := ""
	if rest, ok := strings.CutPrefix(q.Source, "openapi:"); ok {
		if strings.Contains(rest, " ") {
			return ""
		}
		id = rest
	}
	if id == "" {
		var b strings.Builder
		up := false
		for _, r := range q.Name {
			switch {
			case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
				if up && b.Len() > 0 {
					b.WriteString(strings.ToUpper(string(r)))
				} else {
					b.WriteRune(r)
				}
				up = false
			default:
				up = true
			}
		}
		id = b.String()
		if id == "" {
			id = "query"
		}
	}
	out := id
	for i := 2; ids[out]; i++ {
		out = id + "_" + strconv.Itoa(i)
	}
	ids[out] = true
	return out
}

// exportOperation writes one query.
func exportOperation(res *resource.Resource, q *query.Query, pathQuery kv.List) *xOperation {
	op := &xOperation{Summary: q.Name, Responses: map[string]xResponse{"default": {Description: "The API's answer"}}}
	if q.Group != "" {
		op.Tags = []string{q.Group}
	}
	p, _ := exportPath(q.Path)
	for _, name := range template.Names(q.Path) {
		if !strings.Contains(p, "{"+name+"}") {
			continue
		}
		v := q.Variable(name)
		op.Parameters = append(op.Parameters, &xParameter{Name: name, In: "path", Description: v.Description, Required: true, Schema: varSchema(v, "string")})
	}
	rows := func(in string, resRows, own kv.List) {
		var list kv.List
		list = append(list, resRows.Active()...)
		list = append(list, pathQuery...)
		pathQuery = nil
		fold := in == "header"
		for _, r := range own {
			if strings.TrimSpace(r.Key) == "" {
				continue
			}
			list = slices.DeleteFunc(list, func(x kv.Pair) bool {
				return x.Key == r.Key || fold && strings.EqualFold(x.Key, r.Key)
			})
			list = append(list, r)
		}
		for _, r := range list {
			if in == "header" && ignoredHeader(r.Key) {
				continue
			}
			op.Parameters = append(op.Parameters, rowParameter(q, in, r))
		}
	}
	var resParams, resHeaders, resCookies kv.List
	if res != nil {
		resParams, resHeaders, resCookies = res.Params, res.Headers, res.Cookies
	}
	rows("query", resParams, q.Params)
	rows("header", resHeaders, q.Headers)
	rows("cookie", resCookies, q.Cookies)
	contentType, _ := kv.Merge(resHeaders, q.Headers, true).Get("Content-Type", true)
	op.RequestBody = exportBody(q, contentType)
	return op
}

// rowParameter writes a param, header or cookie row: one that is a {{variable}} typed from it, one with a
// value of its own that value as its default (none when its name says it is secret).
func rowParameter(q *query.Query, in string, r kv.Pair) *xParameter {
	p := &xParameter{Name: r.Key, In: in}
	value := strings.TrimSpace(r.Value)
	if m := braces.FindStringSubmatch(value); m != nil && m[0] == value {
		v := q.Variable(m[1])
		p.Description, p.Required, p.Schema = v.Description, !v.Optional, varSchema(v, "string")
		return p
	}
	p.Schema = &xSchema{Type: "string"}
	p.Required = r.Enabled
	secret := in == "header" && sensitive.Header(r.Key) || in == "cookie" && sensitive.Cookie(r.Key) || in == "query" && sensitive.Param(r.Key)
	switch {
	case template.HasPlaceholder(value) || secret && !template.OnlyPlaceholders(value):
	case len(template.Names(value)) > 0:
		p.Schema.Example = value
	case value != "":
		p.Schema.Default = value
	}
	return p
}

// varSchema is the schema of a {{variable}}: its type, choices, default, pattern and bounds. jsonType is the
// type a text variable has (a JSON body's field may hold a bare variable of any type: "").
func varSchema(v query.Variable, jsonType string) *xSchema {
	s := &xSchema{Title: v.Label, Description: v.Description, Type: jsonType}
	switch v.Kind() {
	case query.TypeNumber:
		s.Type = "number"
	case query.TypeInteger:
		s.Type = "integer"
	case query.TypeBoolean:
		s.Type = "boolean"
	case query.TypeDate:
		s.Type, s.Format = "string", "date"
	case query.TypeDateTime:
		s.Type, s.Format = "string", "date-time"
	case query.TypeSecret:
		s.Type, s.Format = "string", "password"
		return s
	case query.TypeChoice:
		if s.Type == "" {
			s.Type = "string"
		}
		for _, o := range v.Options {
			s.Enum = append(s.Enum, typed(o.Value, s.Type))
		}
	case query.TypeMultiline, query.TypeText:
	}
	if v.Default != "" {
		s.Default = typed(v.Default, s.Type)
	}
	if v.Pattern != "" && v.Kind().Patterned() {
		s.Pattern = v.Pattern
		if !(strings.HasPrefix(s.Pattern, "^") && strings.HasSuffix(s.Pattern, "$")) {
			s.Pattern = "^(?:" + v.Pattern + ")$"
		}
	}
	if s.Type == "number" || s.Type == "integer" {
		if n, ok := jsonNumber(v.Min); ok {
			s.Minimum = &n
		}
		if n, ok := jsonNumber(v.Max); ok {
			s.Maximum = &n
		}
	}
	return s
}

func jsonNumber(s string) (json.Number, bool) {
	if _, err := strconv.ParseFloat(s, 64); err != nil || s == "" {
		return "", false
	}
	return json.Number(strings.TrimPrefix(s, "+")), true
}

// typed is a value as JSON of the type: a number, a yes-or-no, else text.
func typed(s, jsonType string) any {
	switch jsonType {
	case "integer", "number":
		if n, ok := jsonNumber(s); ok {
			return n
		}
	case "boolean":
		if b, err := strconv.ParseBool(s); err == nil {
			return b
		}
	}
	return s
}

// exportBody writes the query's body; contentType is its Content-Type header, if it has one.
func exportBody(q *query.Query, contentType string) *xRequestBody {
	b := q.Body
	media := &xMedia{}
	mediaType := ""
	desc := ""
	switch b.Kind {
	case query.BodyJSON:
		mediaType = "application/json"
		if base := strings.TrimSpace(contentType); base != "" && classify(base, nil) == classJSON {
			mediaType = base
		}
		if strings.TrimSpace(b.Text) == "" {
			media.Schema = &xSchema{}
			break
		}
		media.Schema, media.Example = jsonSchema(q, b.Text)
	case query.BodyForm, query.BodyMultipart:
		mediaType = "application/x-www-form-urlencoded"
		obj := &xSchema{Type: "object", Properties: map[string]*xSchema{}}
		add := func(name, value string, enabled, file bool, ct string) {
			var s *xSchema
			required := enabled
			value = strings.TrimSpace(value)
			if m := braces.FindStringSubmatch(value); m != nil && m[0] == value {
				v := q.Variable(m[1])
				s, required = varSchema(v, "string"), !v.Optional
			} else {
				s = &xSchema{Type: "string"}
				if value != "" && !sensitive.Param(name) && !template.HasPlaceholder(value) && len(template.Names(value)) == 0 {
					s.Default = value
				}
			}
			if file {
				s = &xSchema{Type: "string", Format: "binary", Description: s.Description}
				if ct != "" {
					if media.Encoding == nil {
						media.Encoding = map[string]xEncoding{}
					}
					media.Encoding[name] = xEncoding{ContentType: ct}
				}
			}
			obj.Properties[name] = s
			if required && !slices.Contains(obj.Required, name) {
				obj.Required = append(obj.Required, name)
			}
		}
		if b.Kind == query.BodyForm {
			for _, r := range b.Form {
				if strings.TrimSpace(r.Key) != "" {
					add(r.Key, r.Value, r.Enabled, false, "")
				}
			}
		} else {
			mediaType = "multipart/form-data"
			for _, p := range b.Parts {
				if strings.TrimSpace(p.Name) == "" {
					continue
				}
				value := p.Value
				if p.IsFile() {
					value = p.File
					if !braces.MatchString(value) {
						value = "" // a path on this computer means nothing to another
					}
				}
				add(p.Name, value, p.Enabled, p.IsFile(), p.ContentType)
			}
		}
		slices.Sort(obj.Required)
		media.Schema = obj
	case query.BodyRaw:
		mediaType = strings.TrimSpace(b.ContentType)
		if mediaType == "" {
			mediaType = "text/plain"
		}
		media.Schema = &xSchema{Type: "string"}
		if b.Text != "" {
			media.Example = b.Text
		}
	case query.BodyFile:
		mediaType = strings.TrimSpace(b.ContentType)
		if mediaType == "" {
			mediaType = "application/octet-stream"
		}
		media.Schema = &xSchema{Type: "string", Format: "binary"}
		if m := braces.FindStringSubmatch(strings.TrimSpace(b.File)); m != nil {
			desc = q.Variable(m[1]).Description
		}
	default:
		return nil
	}
	return &xRequestBody{Description: desc, Content: map[string]*xMedia{mediaType: media}}
}

// bareVar marks, in a JSON body made parseable, a {{variable}} written outside quotes.
const bareVar = "\x00apidesk-variable:"

// jsonSchema describes a JSON body: as its example when it holds no {{variable}}, else as a schema whose
// fields that are variables are typed from them (the rest carry their values as examples), so that Read
// writes the same body back.
func jsonSchema(q *query.Query, text string) (*xSchema, any) {
	if len(template.Names(text)) == 0 {
		var v any
		if json.Unmarshal([]byte(text), &v) != nil {
			return &xSchema{}, text
		}
		return inferSchema(nil, v, false), json.RawMessage(compactJSON(text))
	}
	// Quoted variables are JSON strings already; bare ones become strings marked as such.
	var b strings.Builder
	last := 0
	for _, loc := range braces.FindAllStringSubmatchIndex(text, -1) {
		start, end := loc[0], loc[1]
		quoted := start > 0 && text[start-1] == '"' && end < len(text) && text[end] == '"'
		b.WriteString(text[last:start])
		if quoted {
			b.WriteString(text[start:end])
		} else {
			enc, _ := json.Marshal(bareVar + text[start:end])
			b.WriteString(string(enc))
		}
		last = end
	}
	b.WriteString(text[last:])
	var v any
	dec := json.NewDecoder(strings.NewReader(b.String()))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return &xSchema{Type: "string"}, text
	}
	return inferSchema(q, v, true), nil
}

func compactJSON(text string) string {
	var buf bytes.Buffer
	if json.Compact(&buf, []byte(text)) != nil {
		return text
	}
	return buf.String()
}

// inferSchema describes a JSON value: an object's fields, a list's first item, a value's type with the value
// as its example. With q, fields that are {{variables}} are typed from the query's variables; top says v is
// the body itself, whose fields' variables say which are required.
func inferSchema(q *query.Query, v any, top bool) *xSchema {
	switch x := v.(type) {
	case map[string]any:
		s := &xSchema{Type: "object"}
		for _, k := range sortedKeys(x) {
			if s.Properties == nil {
				s.Properties = map[string]*xSchema{}
			}
			ps := inferSchema(q, x[k], false)
			s.Properties[k] = ps
			if top && q != nil {
				if name, ok := variableIn(x[k]); ok && !q.Variable(name).Optional {
					s.Required = append(s.Required, k)
				}
			}
		}
		return s
	case []any:
		s := &xSchema{Type: "array"}
		if len(x) > 0 {
			s.Items = inferSchema(q, x[0], false)
		}
		if len(x) > 1 && !hasVariable(x) {
			s.Example = x
		}
		return s
	case string:
		if q != nil {
			if name, ok := variableIn(x); ok {
				jt := "string"
				if strings.HasPrefix(x, bareVar) {
					jt = ""
				}
				return varSchema(q.Variable(name), jt)
			}
		}
		return &xSchema{Type: "string", Example: x}
	case json.Number:
		t := "number"
		if _, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			t = "integer"
		}
		return &xSchema{Type: t, Example: x}
	case float64:
		t := "number"
		if x == float64(int64(x)) {
			t = "integer"
		}
		return &xSchema{Type: t, Example: x}
	case bool:
		return &xSchema{Type: "boolean", Example: x}
	case nil:
		return &xSchema{Type: "null"}
	}
	return &xSchema{}
}

// variableIn is the variable a JSON body's value is, written "{{name}}" or bare.
func variableIn(v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	s = strings.TrimPrefix(s, bareVar)
	if m := braces.FindStringSubmatch(s); m != nil && m[0] == s {
		return m[1], true
	}
	return "", false
}

// exportAuth is the security scheme of a resource's authentication, with no secret, and the scopes asked for.
func exportAuth(a resource.Auth) (string, *xScheme, []string) {
	scopes := []string{}
	switch a.Kind {
	case resource.AuthBearer:
		return "bearerAuth", &xScheme{Type: "http", Scheme: "bearer"}, scopes
	case resource.AuthBasic:
		return "basicAuth", &xScheme{Type: "http", Scheme: "basic"}, scopes
	case resource.AuthDigest:
		return "digestAuth", &xScheme{Type: "http", Scheme: "digest"}, scopes
	case resource.AuthAPIKey:
		in := "header"
		if a.KeyIn == resource.KeyInQuery {
			in = "query"
		}
		return "apiKey", &xScheme{Type: "apiKey", Name: a.KeyName, In: in}, scopes
	case resource.AuthOAuth2:
		o := a.OAuth2
		if len(o.Scopes) > 0 {
			scopes = append(scopes, o.Scopes...)
		}
		if issuer := strings.TrimSpace(o.Issuer); issuer != "" {
			u := issuer
			if !strings.Contains(u, "/.well-known/") {
				u = strings.TrimSuffix(u, "/") + wellKnown
			}
			return "openId", &xScheme{Type: "openIdConnect", OpenIDConnectURL: u}, scopes
		}
		flow := &xFlow{TokenURL: o.TokenURL, Scopes: map[string]string{}}
		for _, s := range o.Scopes {
			flow.Scopes[s] = ""
		}
		flows := &xFlows{}
		switch o.Grant {
		case resource.GrantClientCredentials:
			flows.ClientCredentials = flow
		case resource.GrantDevice:
			flow.DeviceURL = o.DeviceURL
			flows.Device = flow
		default:
			flow.AuthorizationURL = o.AuthURL
			flows.AuthorizationCode = flow
		}
		return "oauth2", &xScheme{Type: "oauth2", Flows: flows}, scopes
	}
	return "", nil, nil
}

// hasVariable reports whether a JSON value made from a body holds a {{variable}}.
func hasVariable(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if hasVariable(e) {
				return true
			}
		}
	case []any:
		return slices.ContainsFunc(x, hasVariable)
	case string:
		return strings.HasPrefix(x, bareVar) || braces.MatchString(x)
	}
	return false
}

// ordered is a JSON object that keeps its keys in the order they were set: the paths in the queries' order.
type ordered[V any] struct {
	keys []string
	m    map[string]V
}

func (o *ordered[V]) get(k string) (V, bool) {
	v, ok := o.m[k]
	return v, ok
}

func (o *ordered[V]) set(k string, v V) {
	if o.m == nil {
		o.m = map[string]V{}
	}
	if _, ok := o.m[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.m[k] = v
}

// MarshalJSON writes the object with its keys in order.
func (o *ordered[V]) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := enc.Encode(o.m[k]); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
