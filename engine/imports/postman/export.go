package postman

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/template"
)

// Schema is the JSON schema Export's collections name: Postman's collection format v2.1.
const Schema = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

// The collection Export writes: v2.1's shapes, fields in the order Postman writes them.
type (
	outCollection struct {
		Info     outInfo       `json:"info"`
		Item     []outItem     `json:"item"`
		Auth     *outAuth      `json:"auth,omitempty"`
		Variable []outVariable `json:"variable,omitempty"`
	}
	outInfo struct {
		ID          string `json:"_postman_id"`
		Name        string `json:"name"`
		Description string `json:"description,omitempty"`
		Schema      string `json:"schema"`
	}
	outItem struct {
		ID       string        `json:"id,omitempty"`
		Name     string        `json:"name"`
		Item     []outItem     `json:"item,omitempty"` // a folder's; a folder always has one at least
		Variable []outVariable `json:"variable,omitempty"`
		Request  *outRequest   `json:"request,omitempty"`
	}
	outRequest struct {
		Method string    `json:"method"`
		Header []outPair `json:"header"`
		Body   *outBody  `json:"body,omitempty"`
		URL    outURL    `json:"url"`
	}
	outURL struct {
		Raw      string       `json:"raw"`
		Host     []string     `json:"host"`
		Path     []string     `json:"path,omitempty"`
		Query    []outPair    `json:"query,omitempty"`
		Variable []outPathVar `json:"variable,omitempty"`
	}
	outPathVar struct {
		Key         string `json:"key"`
		Value       string `json:"value"`
		Description string `json:"description,omitempty"`
	}
	outPair struct {
		Key         string `json:"key"`
		Value       string `json:"value,omitempty"`
		Type        string `json:"type,omitempty"`
		Src         string `json:"src,omitempty"`
		ContentType string `json:"contentType,omitempty"`
		Disabled    bool   `json:"disabled,omitempty"`
	}
	outBody struct { // the list or text of its mode is written even when empty ("urlencoded": []), as Postman does
		Mode       string     `json:"mode"`
		Raw        *string    `json:"raw,omitempty"`
		URLEncoded *[]outPair `json:"urlencoded,omitempty"`
		FormData   *[]outPair `json:"formdata,omitempty"`
		File       *outFile   `json:"file,omitempty"`
		Options    *outOption `json:"options,omitempty"`
	}
	outFile struct {
		Src string `json:"src"`
	}
	outOption struct {
		Raw struct {
			Language string `json:"language"`
		} `json:"raw"`
	}
	outAuth struct {
		Type   string    `json:"type"`
		Bearer []outAttr `json:"bearer,omitempty"`
		Basic  []outAttr `json:"basic,omitempty"`
		Digest []outAttr `json:"digest,omitempty"`
		APIKey []outAttr `json:"apikey,omitempty"`
		OAuth2 []outAttr `json:"oauth2,omitempty"`
	}
	outAttr struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
		Type  string `json:"type"`
	}
	outVariable struct {
		Key         string `json:"key"`
		Value       string `json:"value"`
		Type        string `json:"type"`
		Description string `json:"description,omitempty"`
	}
)

// Export writes a resource with its queries as a Postman collection v2.1: the queries' folders as folders, each
// query a request on {{baseUrl}} (a collection variable, the resource's base URL) with its URL parameters,
// headers and body (an empty form as an empty list, as Postman writes it), disabled rows switched off and
// {{variables}} as they are. A path segment that is one {{variable}} with a default becomes Postman's path
// variable :name with its value and description; the other defaults are collection variables, and a query
// whose default differs from the collection's lists its own in its request's variables. The resource's
// headers, URL parameters and cookies are written in each request (a collection has none of its own); its
// authentication is the collection's, “No auth” for none, with each secret a {{variable}} ({{password}},
// {{token}}, {{api_key}}, {{client_secret}}) that Postman asks for, never its value. What a collection cannot
// hold (the types and labels of variables, run mode's settings) is not written; the collection's description
// says what.
func Export(res *resource.Resource, qs []*query.Query) ([]byte, error) {
	if res == nil {
		return nil, fmt.Errorf("no resource to export")
	}
	e := exporter{res: res, baseVar: "baseUrl", defaults: map[string]outVariable{}}
	taken := map[string]bool{}
	for _, q := range qs {
		for _, n := range q.VariableNames(res) {
			taken[n] = true
		}
	}
	for i := 2; taken[e.baseVar]; i++ {
		e.baseVar = fmt.Sprintf("baseUrl_%d", i)
	}
	c := outCollection{Info: outInfo{ID: collectionID(res), Name: res.Name, Schema: Schema}, Item: []outItem{}}
	c.Auth = e.auth()
	root := &folder{}
	for _, q := range qs {
		if q == nil {
			continue
		}
		f := root
		if q.Group != "" {
			for _, n := range strings.Split(q.Group, "/") {
				f = f.sub(n)
			}
		}
		f.items = append(f.items, &folderItem{item: e.item(q)})
	}
	c.Item = root.out()
	c.Variable = append(c.Variable, outVariable{Key: e.baseVar, Value: res.BaseURL, Type: "string"})
	for _, n := range e.order {
		c.Variable = append(c.Variable, e.defaults[n])
	}
	c.Info.Description = e.description()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "\t")
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("the collection could not be written: %w", err)
	}
	return b.Bytes(), nil
}

// collectionID is the collection's id: a UUID (version 8, RFC 9562) made from the resource's ID, so each
// export of a resource is the same collection to Postman.
func collectionID(res *resource.Resource) string {
	h := sha256.Sum256([]byte("apidesk resource " + cmpString(res.ID, res.Name)))
	h[6] = h[6]&0x0f | 0x80
	h[8] = h[8]&0x3f | 0x80
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

type exporter struct {
	res      *resource.Resource
	baseVar  string
	defaults map[string]outVariable // the collection variables, from the queries' defaults
	order    []string
	lost     []string // what the collection does not hold, for its description
	ownVars  bool     // some request lists defaults of its own (item.variable)
}

// folder is a folder of the collection being written, with its items in the order of the queries.
type folder struct {
	name  string
	items []*folderItem
}

type folderItem struct {
	folder *folder
	item   outItem
}

func (f *folder) sub(name string) *folder {
	for _, it := range f.items {
		if it.folder != nil && it.folder.name == name {
			return it.folder
		}
	}
	s := &folder{name: name}
	f.items = append(f.items, &folderItem{folder: s})
	return s
}

func (f *folder) out() []outItem {
	out := []outItem{}
	for _, it := range f.items {
		if it.folder != nil {
			out = append(out, outItem{Name: it.folder.name, Item: it.folder.out()})
		} else {
			out = append(out, it.item)
		}
	}
	return out
}

// postmanText writes apidesk's access token placeholder as a Postman variable.
func postmanText(s string) string {
	return strings.ReplaceAll(s, template.AccessTokenPlaceholder, "{{oauth_access_token}}")
}

func (e *exporter) item(q *query.Query) outItem {
	it := outItem{Name: q.Name, ID: q.ID}
	if id, ok := strings.CutPrefix(q.Source, SourcePrefix); ok && id != "" && !strings.ContainsAny(id, "/# ") {
		it.ID = id // the request's id in the collection it was imported from: importing this one updates the same queries
	}
	defaults := map[string]query.Variable{} // the variables with a default that may be written out
	for _, v := range q.Variables {
		if v.Typed() {
			e.lose("the types, labels and checks of variables")
		}
		if v.Default != "" && !v.Secret() {
			defaults[v.Name] = v
		}
	}
	if q.Result != nil || q.Paging.Kind != "" || q.Confirm {
		e.lose("how run mode shows answers, pages through them and asks before running")
	}
	req := &outRequest{Method: q.EffectiveMethod(), Header: []outPair{}}
	path, rawQuery, hasQuery := strings.Cut(q.Path, "?")
	path, pathVars := colonPath(path, defaults)
	params := merged(e.res.Params, append(parseQuery(rawQuery), q.Params...), false)
	headers := merged(e.res.Headers, q.Headers, true)
	if c := cookieHeader(kv.Merge(e.res.Cookies, q.Cookies, false)); c != "" && !headers.Has("Cookie", true) {
		headers = append(headers, kv.On("Cookie", c))
	}
	req.URL = e.url(path, params)
	req.URL.Variable = pathVars
	for _, h := range headers {
		req.Header = append(req.Header, outPair{Key: h.Key, Value: postmanText(h.Value), Disabled: !h.Enabled})
	}
	req.Body = e.body(q, req)
	it.Request = req

	// The defaults of the variables the request writes as {{name}} (a :name of the path has its own) are the
	// collection's variables; where a query's differs from the collection's, the request lists its own.
	written := *q
	written.Path = path
	if hasQuery {
		written.Path += "?" + rawQuery
	}
	for _, n := range written.VariableNames(e.res) {
		v, ok := defaults[n]
		if !ok {
			continue
		}
		own := outVariable{Key: n, Value: v.Default, Type: "string", Description: v.Description}
		switch cv, taken := e.defaults[n]; {
		case !taken:
			e.defaults[n] = own
			e.order = append(e.order, n)
		case cv.Value != v.Default:
			it.Variable = append(it.Variable, own)
			e.ownVars = true
		}
	}
	return it
}

// colonPath writes each segment of a path that is one {{variable}} with a default as Postman's path variable,
// :name, and returns those variables (their defaults and descriptions) in the order the path has them.
func colonPath(path string, defaults map[string]query.Variable) (string, []outPathVar) {
	if !strings.Contains(path, "{{") {
		return path, nil
	}
	var vars []outPathVar
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		names := template.Names(seg)
		if len(names) != 1 || seg != "{{"+names[0]+"}}" {
			continue
		}
		v, ok := defaults[names[0]]
		if !ok {
			continue
		}
		segs[i] = ":" + v.Name
		if !slices.ContainsFunc(vars, func(p outPathVar) bool { return p.Key == v.Name }) {
			vars = append(vars, outPathVar{Key: v.Name, Value: v.Default, Description: v.Description})
		}
	}
	return strings.Join(segs, "/"), vars
}

// merged is the resource's enabled rows that the query's do not replace, then all the query's.
func merged(base, over kv.List, fold bool) kv.List {
	var out kv.List
	for _, b := range base {
		if b.Enabled && strings.TrimSpace(b.Key) != "" && !over.Has(b.Key, fold) {
			out = append(out, b)
		}
	}
	return append(out, over...)
}

func cookieHeader(l kv.List) string {
	var parts []string
	for _, c := range l {
		parts = append(parts, c.Key+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

// url writes {{baseUrl}}/path?query: the raw text and its parts.
func (e *exporter) url(path string, params kv.List) outURL {
	u := outURL{Host: []string{"{{" + e.baseVar + "}}"}}
	raw := "{{" + e.baseVar + "}}"
	if path != "" {
		p := strings.TrimPrefix(path, "/")
		u.Path = strings.Split(p, "/") // "/" is [""]: the base URL with a slash at its end
		raw += "/" + p
	}
	var qs []string
	for _, p := range params {
		k, v := escapeQuery(p.Key, true), escapeQuery(postmanText(p.Value), false)
		u.Query = append(u.Query, outPair{Key: k, Value: v, Disabled: !p.Enabled})
		if p.Enabled {
			qs = append(qs, k+"="+v)
		}
	}
	if len(qs) > 0 {
		raw += "?" + strings.Join(qs, "&")
	}
	u.Raw = raw
	return u
}

// escapeQuery escapes what Postman would read otherwise in a URL's query: % & # + and spaces, and = in a key.
// Braces stay, so {{variables}} do.
func escapeQuery(s string, key bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' || c == '&' || c == '#' || c == '+' || c == ' ' || c == '=' && key || c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// rawLanguage is the Postman language of a raw body's content type.
func rawLanguage(ct string) string {
	mt := mediaType(ct)
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return "json"
	case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
		return "xml"
	case mt == "text/html":
		return "html"
	case mt == "application/javascript" || mt == "text/javascript":
		return "javascript"
	}
	return "text"
}

func (e *exporter) body(q *query.Query, req *outRequest) *outBody {
	b := q.Body
	setType := func(ct string) {
		if ct == "" {
			return
		}
		for _, h := range req.Header {
			if !h.Disabled && strings.EqualFold(h.Key, "Content-Type") {
				return
			}
		}
		req.Header = append(req.Header, outPair{Key: "Content-Type", Value: ct})
	}
	raw := func(text, ct string) *outBody {
		if text != "" { // an empty body is sent without its type, by apidesk as by Postman
			setType(ct)
		}
		text = postmanText(text)
		o := &outBody{Mode: "raw", Raw: &text, Options: &outOption{}}
		o.Options.Raw.Language = rawLanguage(ct)
		return o
	}
	switch b.Kind {
	case query.BodyJSON:
		return raw(b.Text, "application/json")
	case query.BodyRaw:
		return raw(b.Text, b.ContentType)
	case query.BodyForm:
		rows := []outPair{}
		for _, p := range b.Form {
			rows = append(rows, outPair{Key: p.Key, Value: postmanText(p.Value), Disabled: !p.Enabled})
		}
		return &outBody{Mode: "urlencoded", URLEncoded: &rows}
	case query.BodyMultipart:
		rows := []outPair{}
		for _, p := range b.Parts {
			op := outPair{Key: p.Name, Type: "text", Value: postmanText(p.Value), ContentType: p.ContentType, Disabled: !p.Enabled}
			if p.IsFile() {
				op = outPair{Key: p.Name, Type: "file", Src: p.File, ContentType: p.ContentType, Disabled: !p.Enabled}
				if p.Filename != "" {
					e.lose("the file names sent for files of multipart forms")
				}
			}
			rows = append(rows, op)
		}
		return &outBody{Mode: "formdata", FormData: &rows}
	case query.BodyFile:
		setType(b.ContentType)
		return &outBody{Mode: "file", File: &outFile{Src: b.File}}
	}
	return nil
}

func (e *exporter) lose(what string) {
	for _, l := range e.lost {
		if l == what {
			return
		}
	}
	e.lost = append(e.lost, what)
}

// auth writes the resource's authentication, each secret as a {{variable}}.
func (e *exporter) auth() *outAuth {
	a := e.res.Auth
	s := func(k string, v any) outAttr {
		t := "string"
		switch v.(type) {
		case bool:
			t = "boolean"
		case []map[string]any:
			t = "any"
		}
		return outAttr{Key: k, Value: v, Type: t}
	}
	switch a.Kind {
	case resource.AuthNone, "":
		return &outAuth{Type: "noauth"} // said outright, so the requests inherit none in Postman
	case resource.AuthBearer:
		return &outAuth{Type: "bearer", Bearer: []outAttr{s("token", "{{token}}")}}
	case resource.AuthBasic:
		return &outAuth{Type: "basic", Basic: []outAttr{s("username", a.Username), s("password", "{{password}}")}}
	case resource.AuthDigest:
		return &outAuth{Type: "digest", Digest: []outAttr{s("username", a.Username), s("password", "{{password}}")}}
	case resource.AuthAPIKey:
		in := "header"
		if a.KeyIn == resource.KeyInQuery {
			in = "query"
		}
		return &outAuth{Type: "apikey", APIKey: []outAttr{s("key", a.KeyName), s("value", "{{api_key}}"), s("in", in)}}
	case resource.AuthOAuth2:
		o := a.OAuth2
		grant := "authorization_code_with_pkce"
		switch o.Grant {
		case resource.GrantClientCredentials:
			grant = "client_credentials"
		case resource.GrantDevice:
			e.lose("the device sign-in (OAuth 2.0 device flow), which Postman does not offer: the collection signs in with the authorization code flow")
		}
		if o.DisablePKCE && grant == "authorization_code_with_pkce" {
			grant = "authorization_code"
		}
		attrs := []outAttr{s("grant_type", grant)}
		if o.AuthURL != "" && grant != "client_credentials" {
			attrs = append(attrs, s("authUrl", o.AuthURL))
		}
		attrs = append(attrs, s("accessTokenUrl", o.TokenURL), s("clientId", o.ClientID), s("clientSecret", "{{client_secret}}"))
		if len(o.Scopes) > 0 {
			attrs = append(attrs, s("scope", strings.Join(o.Scopes, " ")))
		}
		switch o.ClientAuth {
		case resource.ClientAuthBasic:
			attrs = append(attrs, s("client_authentication", "header"))
		case resource.ClientAuthBody:
			attrs = append(attrs, s("client_authentication", "body"))
		}
		if o.RedirectPort > 0 {
			attrs = append(attrs, s("redirect_uri", fmt.Sprintf("http://127.0.0.1:%d/", o.RedirectPort)))
		}
		params := func(l kv.List, sendAs string) []map[string]any {
			var out []map[string]any
			for _, p := range l {
				out = append(out, map[string]any{"key": p.Key, "value": p.Value, "enabled": p.Enabled, "send_as": sendAs})
			}
			return out
		}
		if ps := params(o.AuthParams, "request_url"); ps != nil {
			attrs = append(attrs, s("authRequestParams", ps))
		}
		if ps := params(o.TokenParams, "request_body"); ps != nil {
			attrs = append(attrs, s("tokenRequestParams", ps))
		}
		attrs = append(attrs, s("addTokenTo", "header"))
		return &outAuth{Type: "oauth2", OAuth2: attrs}
	}
	return nil
}

// description says where the collection comes from and what it does not hold.
func (e *exporter) description() string {
	s := "Exported from apidesk (the resource " + e.res.Name + ")."
	switch e.res.Auth.Kind {
	case resource.AuthBearer, resource.AuthBasic, resource.AuthDigest, resource.AuthAPIKey, resource.AuthOAuth2:
		s += " Its secrets are not in it: give them as the values of the variables its authentication uses."
	}
	if e.ownVars {
		s += " Where a request's defaults differ from the collection's variables, the request lists its own (in its variable field), which Postman does not use: it takes the collection's."
	}
	if len(e.lost) > 0 {
		s += " It does not hold " + strings.Join(e.lost, "; ") + "."
	}
	return s
}
