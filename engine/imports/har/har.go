// Package har reads a HAR file (HTTP Archive 1.2, what a browser's developer tools save of the requests a page
// made) into an imports.Plan: one resource per origin (scheme and host), and a saved query for each request to
// it, once per method and URL (its Source is "har:", the method, a space and the URL, so a second import of
// the same requests updates them).
//
// A query keeps the request's path, URL params, headers, cookies and body (JSON, a form, a multipart form
// whose files are asked for, or any other text with its type). Nothing secret is kept: the Authorization
// header becomes the resource's authentication (a bearer token, or Basic with its user name) and an API key
// header its API key, without their values; every cookie, and every header, param or body field that looks
// secret, becomes a {{variable}} with no value, listed in the plan's notes.
//
// Left out, each listed in the plan: the answers; the headers a browser sets itself (User-Agent, sec-*,
// Accept-Encoding, conditional caching headers…); the requests for the page itself and for its scripts,
// styles, images, fonts and media; CORS preflight requests; requests that are not http:// or https://; and
// the repeats of a request.
package har

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"apidesk/engine/imports"
	"apidesk/engine/imports/internal/collection"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
)

// text is a JSON string, number or boolean as text; null is "".
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case string(b) == "null":
		*t = ""
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		*t = "" // not what a HAR file holds here: read as nothing, so the rest of the file is read
	default:
		*t = text(b)
	}
	return nil
}

// file is a HAR file. Besides the log, the top may hold the entries alone, or one request (as some tools
// save them).
type file struct {
	Log     *harLog  `json:"log"`
	Entries *[]entry `json:"entries"`
	request
}

type harLog struct {
	Version text     `json:"version"`
	Entries *[]entry `json:"entries"`
}

type entry struct {
	ResourceType text    `json:"_resourceType"`
	Request      request `json:"request"`
	Response     struct {
		Content struct {
			MimeType text `json:"mimeType"`
		} `json:"content"`
	} `json:"response"`
}

type request struct {
	Method   text      `json:"method"`
	URL      text      `json:"url"`
	Headers  []pair    `json:"headers"`
	Cookies  []pair    `json:"cookies"`
	PostData *postData `json:"postData"`
}

type pair struct {
	Name  text `json:"name"`
	Value text `json:"value"`
}

type postData struct {
	MimeType text    `json:"mimeType"`
	Text     text    `json:"text"`
	Params   []param `json:"params"`
}

type param struct {
	Name        text `json:"name"`
	Value       text `json:"value"`
	FileName    text `json:"fileName"`
	ContentType text `json:"contentType"`
}

func formatErr(where, msg string) error {
	return &imports.FormatError{Format: "a HAR file", Where: where, Msg: msg}
}

// lineOf is the line of the byte at off.
func lineOf(data []byte, off int64) string {
	off = max(0, min(off, int64(len(data))))
	return fmt.Sprintf("line %d", bytes.Count(data[:off], []byte("\n"))+1)
}

// Read reads a HAR file into a plan. A file that is not one is an error matched by imports.ErrFormat, saying
// where (a line) and what is wrong.
func Read(ctx context.Context, src imports.Source) (*imports.Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var f file
	if len(bytes.TrimSpace(src.Data)) == 0 {
		return nil, formatErr("", "the file is empty")
	}
	if err := json.Unmarshal(src.Data, &f); err != nil {
		return nil, jsonErr(err, src.Data)
	}
	switch {
	case f.Log != nil:
	case f.Entries != nil:
		f.Log = &harLog{Entries: f.Entries}
	case f.URL != "":
		f.Log = &harLog{Entries: &[]entry{{Request: f.request}}}
	default:
		return nil, formatErr("", "a HAR file has log, with its entries, at its top, and this file has none")
	}
	if f.Log.Entries == nil {
		return nil, formatErr("", "its log has no entries: the requests the browser made")
	}
	r := &reader{ctx: ctx, plan: &imports.Plan{Format: "HAR " + cmp.Or(string(f.Log.Version), "1.2")}, c: collection.New(""),
		dropped: map[string]string{}, seen: map[string]bool{}}
	r.c.ByHost, r.c.SecretCookies = true, true
	for i, e := range *f.Log.Entries {
		if i%500 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		r.entry(e)
	}
	if r.c.Len() == 0 && len(*f.Log.Entries) == 0 {
		return nil, formatErr("", "it holds no requests")
	}
	r.c.AddTo(r.plan)
	r.finish(len(*f.Log.Entries))
	collection.Tidy(r.plan)
	return r.plan, nil
}

func jsonErr(err error, data []byte) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && strings.Contains(se.Error(), "unexpected end"):
		return formatErr(lineOf(data, int64(len(data))), "the file ends too early: a closing } or ] is missing")
	case errors.As(err, &se):
		return formatErr(lineOf(data, se.Offset-1), "the JSON is not valid here ("+strings.TrimPrefix(se.Error(), "invalid character ")+")")
	case errors.As(err, &te):
		want := "a value of another kind"
		if te.Type != nil {
			switch te.Type.Kind() {
			case reflect.Slice:
				want = "a list"
			case reflect.Struct, reflect.Pointer, reflect.Map:
				want = "an object"
			case reflect.String:
				want = "text"
			}
		}
		field := te.Field
		if field == "" {
			field = "the document"
		}
		return formatErr(lineOf(data, te.Offset), fmt.Sprintf("%s holds %s where a HAR file has %s", field, article(te.Value), want))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return formatErr(lineOf(data, int64(len(data))), "the file ends too early: a closing } or ] is missing")
	}
	return formatErr("", "the JSON cannot be read")
}

func article(kind string) string {
	switch kind {
	case "object", "array":
		if kind == "array" {
			return "a list"
		}
		return "an object"
	case "":
		return "a value"
	}
	return "a " + kind
}

// reader reads one HAR file.
type reader struct {
	ctx     context.Context
	plan    *imports.Plan
	c       *collection.Collection
	dropped map[string]string // the headers dropped, by their name in lower case
	seen    map[string]bool   // the sources read
	repeats int
	assets  int // requests for a page, its scripts, styles, images…
	preflight,
	other int // requests that are not http:// or https://
	schemes []string
}

// hopHeaders are the headers the client sets itself or that only matter to a browser; prefixes end in "-".
var hopHeaders = []string{
	"host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
	"proxy-connection", "accept-encoding", "user-agent", "upgrade-insecure-requests", "dnt", "priority",
	"purpose", "sec-purpose", "x-client-data", "referer", "if-none-match", "if-modified-since", "cache-control", "pragma",
	"sec-", "x-devtools-",
}

func browserHeader(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	if strings.HasPrefix(n, ":") {
		return true
	}
	for _, h := range hopHeaders {
		if n == h || strings.HasSuffix(h, "-") && strings.HasPrefix(n, h) {
			return true
		}
	}
	return false
}

// asset reports whether an entry loaded the page or one of its files, not an API.
func asset(e *entry) bool {
	switch strings.ToLower(string(e.ResourceType)) {
	case "xhr", "fetch", "eventsource", "websocket", "ping", "other", "preflight":
		return false
	case "document":
		return strings.EqualFold(string(e.Request.Method), "GET")
	case "script", "stylesheet", "image", "font", "media", "manifest", "texttrack", "imageset", "object", "beacon", "csp_report", "speculationrules":
		return true
	}
	mt := strings.ToLower(string(e.Response.Content.MimeType))
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = strings.TrimSpace(mt[:i])
	}
	switch {
	case strings.HasPrefix(mt, "image/"), strings.HasPrefix(mt, "font/"), strings.HasPrefix(mt, "audio/"), strings.HasPrefix(mt, "video/"),
		mt == "text/css", strings.Contains(mt, "javascript"), mt == "application/wasm", mt == "application/font-woff":
		return true
	case mt == "text/html":
		return strings.EqualFold(string(e.Request.Method), "GET")
	}
	return false
}

func (r *reader) entry(e entry) {
	req := e.Request
	method := strings.ToUpper(strings.TrimSpace(string(req.Method)))
	raw := strings.TrimSpace(string(req.URL))
	u, _, _ := strings.Cut(raw, "#")
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok || !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
		r.other++
		s := strings.ToLower(scheme)
		if !ok {
			s, _, _ = strings.Cut(strings.ToLower(u), ":")
		}
		if s != "" && len(s) < 20 && !slices.Contains(r.schemes, s) {
			r.schemes = append(r.schemes, s)
		}
		return
	}
	if asset(&e) {
		r.assets++
		return
	}
	headers := kv.List{}
	for _, h := range req.Headers {
		headers = append(headers, kv.On(string(h.Name), string(h.Value)))
	}
	if method == "OPTIONS" && headers.Has("Access-Control-Request-Method", true) {
		r.preflight++
		return
	}
	source := "har:" + cmp.Or(method, "GET") + " " + masked(u)
	if r.seen[source] {
		r.repeats++
		return
	}
	r.seen[source] = true

	host, path, _ := strings.Cut(masked(rest), "/")
	path, _, _ = strings.Cut(path, "?")
	where := cmp.Or(method, "GET") + " " + host + "/" + path
	if r := []rune(where); len(r) > 80 {
		where = string(r[:79]) + "…"
	}
	cr := collection.Request{Where: where, Name: cmp.Or(method, "GET") + " /" + path, Method: method, URL: u, Source: source}
	for _, h := range headers {
		switch {
		case browserHeader(h.Key):
			r.dropped[strings.ToLower(h.Key)] = h.Key
		case strings.EqualFold(h.Key, "Cookie") && len(req.Cookies) > 0:
			// the cookies are listed on their own
		case sensitive.Authorization(h.Key) && strings.EqualFold(h.Key, "Authorization") && cr.Auth == nil:
			if a := authorization(h.Value); a != nil {
				cr.Auth = a
				continue
			}
			cr.Headers = append(cr.Headers, h)
		default:
			cr.Headers = append(cr.Headers, h)
		}
	}
	if cr.Auth == nil {
		// An API key header is the resource's API key.
		if i := slices.IndexFunc(cr.Headers, func(h kv.Pair) bool { return sensitive.APIKeyHeader(h.Key) }); i >= 0 {
			name := cr.Headers[i].Key
			cr.Auth = &collection.Auth{Auth: resource.Auth{Kind: resource.AuthAPIKey, KeyName: name, KeyIn: resource.KeyInHeader},
				Words: "the API key header " + name, Secret: "the API key the browser sent"}
			cr.Headers = slices.Delete(cr.Headers, i, i+1)
		}
	}
	for _, c := range req.Cookies {
		cr.Cookies = append(cr.Cookies, kv.On(string(c.Name), string(c.Value)))
	}
	if req.PostData != nil {
		cr.Body = r.body(req.PostData, where)
	}
	r.c.Add(cr)
}

// masked is a URL (or the part after its scheme) with the values that look secret written ***: its
// password, the values of params whose name or value says they are secret, the path's segments that look
// secret. A query's Source, and what names it in the plan, are made of it.
func masked(u string) string {
	u = sensitive.Mask(u)
	base, q, hasQuery := strings.Cut(u, "?")
	segs := strings.Split(base, "/")
	for i, s := range segs {
		if collection.SecretValue(unescape(s)) {
			segs[i] = sensitive.Hidden
		}
	}
	base = strings.Join(segs, "/")
	if !hasQuery {
		return base
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		if k, v, ok := strings.Cut(p, "="); ok && collection.SecretValue(unescape(v)) {
			parts[i] = k + "=" + sensitive.Hidden
		}
	}
	return base + "?" + strings.Join(parts, "&")
}

// authorization reads an Authorization header a browser sent: a bearer token or Basic credentials become the
// resource's authentication (without the secret); other schemes stay a header, their value hidden.
func authorization(v string) *collection.Auth {
	scheme, cred, _ := strings.Cut(strings.TrimSpace(v), " ")
	cred = strings.TrimSpace(cred)
	switch {
	case strings.EqualFold(scheme, "Bearer") && cred != "":
		return &collection.Auth{Auth: resource.Auth{Kind: resource.AuthBearer}, Words: "a bearer token", Secret: "the bearer token the browser sent"}
	case strings.EqualFold(scheme, "Basic") && cred != "":
		raw, err := base64.StdEncoding.DecodeString(cred)
		user, _, ok := strings.Cut(string(raw), ":")
		if err != nil || !ok || strings.TrimSpace(user) == "" || strings.ContainsAny(user, "\r\n\x00") {
			return nil
		}
		return &collection.Auth{Auth: resource.Auth{Kind: resource.AuthBasic, Username: user},
			Words: "Basic authentication (user " + user + ")", Secret: "the password the browser sent"}
	}
	return nil
}

// body reads a request's postData.
func (r *reader) body(pd *postData, where string) query.Body {
	ct := strings.TrimSpace(string(pd.MimeType))
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(ct)
		if i := strings.IndexByte(mt, ';'); i >= 0 {
			mt = strings.TrimSpace(mt[:i])
		}
	}
	body := string(pd.Text)
	switch {
	case mt == "application/x-www-form-urlencoded":
		b := query.Body{Kind: query.BodyForm}
		if len(pd.Params) > 0 {
			for _, p := range pd.Params {
				b.Form = append(b.Form, kv.On(unescape(string(p.Name)), unescape(string(p.Value))))
			}
			return b
		}
		for part := range strings.SplitSeq(body, "&") {
			if part == "" {
				continue
			}
			k, v, _ := strings.Cut(part, "=")
			b.Form = append(b.Form, kv.On(unescape(k), unescape(v)))
		}
		return b
	case mt == "multipart/form-data":
		if len(pd.Params) > 0 {
			b := query.Body{Kind: query.BodyMultipart}
			for _, p := range pd.Params {
				b.Parts = append(b.Parts, r.part(string(p.Name), string(p.Value), string(p.FileName), string(p.ContentType), where))
			}
			return b
		}
		if b, ok := r.multipart(body, params["boundary"], where); ok {
			return b
		}
	}
	if strings.TrimSpace(body) == "" {
		return query.Body{Kind: query.BodyNone}
	}
	if mt == "application/json" || strings.HasSuffix(mt, "+json") {
		if query.ValidateJSON(body) == nil {
			return query.Body{Kind: query.BodyJSON, Text: body}
		}
	}
	if query.ValidateContentType(ct) != nil {
		ct = ""
	}
	return query.Body{Kind: query.BodyRaw, Text: body, ContentType: ct}
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// part is one field of a multipart form; a file's content is not in a HAR file, so the person chooses it.
func (r *reader) part(name, value, fileName, contentType, where string) query.Part {
	if fileName == "" {
		return query.Part{Name: name, Value: value, Enabled: true}
	}
	r.plan.Leave(where, "the file "+fileName+" sent in the field "+name,
		"a HAR file does not keep the files a browser sent: the query sends the file of that name in the workspace folder, or choose another")
	if query.ValidateContentType(contentType) != nil {
		contentType = ""
	}
	return query.Part{Name: name, File: fileName, ContentType: contentType, Enabled: true}
}

// multipart reads a multipart/form-data body written out in the HAR file.
func (r *reader) multipart(body, boundary, where string) (query.Body, bool) {
	if boundary == "" || body == "" {
		return query.Body{}, false
	}
	mr := multipart.NewReader(strings.NewReader(body), boundary)
	b := query.Body{Kind: query.BodyMultipart}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return query.Body{}, false
		}
		value, err := io.ReadAll(io.LimitReader(p, 1<<20))
		if err != nil {
			return query.Body{}, false
		}
		b.Parts = append(b.Parts, r.part(p.FormName(), string(value), p.FileName(), p.Header.Get("Content-Type"), where))
	}
	return b, len(b.Parts) > 0
}

// finish lists what was left out of the file as a whole.
func (r *reader) finish(entries int) {
	p := r.plan
	if entries > 0 {
		p.Notes = append(p.Notes, "The answers recorded in the HAR file are not imported: run a query to see its answer.")
	}
	if r.repeats > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%s the same method and URL as an earlier one: each was imported once.",
			plural(r.repeats, "request had", "requests had")))
	}
	if len(r.dropped) > 0 {
		var names []string
		for _, k := range slices.Sorted(maps.Keys(r.dropped)) {
			names = append(names, r.dropped[k])
		}
		shown := strings.Join(names, ", ")
		if len(names) > 8 {
			shown = fmt.Sprintf("%s and %d more", strings.Join(names[:7], ", "), len(names)-7)
		}
		p.Leave("", "the headers "+shown,
			"your browser sets them itself (or they only matter to a browser, or to its cache): apidesk sends its own")
	}
	if r.assets > 0 {
		p.Leave("", plural(r.assets, "request for the web page or one of its files", "requests for the web page and its files")+" (scripts, styles, images, fonts)",
			"they load the page, not the API")
	}
	if r.preflight > 0 {
		p.Leave("", plural(r.preflight, "CORS preflight request", "CORS preflight requests")+" (OPTIONS)",
			"the browser makes them on its own to check the API lets the page call it; apidesk does not need them")
	}
	if r.other > 0 {
		what := fmt.Sprintf("%s to %s URLs", plural(r.other, "request", "requests"), strings.Join(r.schemes, ", "))
		if len(r.schemes) == 0 {
			what = plural(r.other, "request", "requests") + " without a URL"
		}
		p.Leave("", what, "apidesk sends http:// and https:// requests only")
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
