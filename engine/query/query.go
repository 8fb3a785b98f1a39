// Package query describes a saved request on a resource: method, path, URL params, headers, cookies and body,
// any of which may use {{variables}} that become input fields when someone runs the query.
package query

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
	"apidesk/engine/template"
)

// BodyKind says what a request body is.
type BodyKind string

// The kinds of body a query can send.
const (
	BodyNone      BodyKind = "none"
	BodyJSON      BodyKind = "json"
	BodyForm      BodyKind = "form"      // application/x-www-form-urlencoded
	BodyRaw       BodyKind = "raw"       // any text with its own content type
	BodyMultipart BodyKind = "multipart" // multipart/form-data: text fields and files (Parts)
	BodyFile      BodyKind = "file"      // a file from disk, streamed, with its content type
)

// Body is a request body. Text is used by JSON and Raw, Form by Form, Parts by Multipart, File by File.
type Body struct {
	Kind        BodyKind
	Text        string
	Form        kv.List
	Parts       []Part // Multipart
	File        string // File: the file's path, relative to the workspace folder when it is inside it
	ContentType string // Raw and File (File: "" is guessed from the name); JSON is application/json, Form urlencoded
}

// Part is one field of a multipart/form-data body: a text field (Value, which may use {{variables}}) or, when
// File is set, a file from disk streamed as it is sent. A disabled part is kept but not sent.
type Part struct {
	Name        string
	Value       string // a text field's value
	File        string // a file field's path, relative to the workspace folder when it is inside it
	Filename    string // the file name sent for a file field; "" is the base name of File
	ContentType string // a file field's type ("" is guessed from the name); a text field's, if set
	Enabled     bool
}

// IsFile reports whether the part sends a file.
func (p Part) IsFile() bool { return p.File != "" }

// Query is a saved request on a resource.
type Query struct {
	ID         string // stable: survives renames
	Name       string
	ResourceID string
	Method     string
	Path       string // relative to the resource's base URL; may be empty
	Params     kv.List
	Headers    kv.List
	Cookies    kv.List
	Body       Body
	Variables  []Variable // labels, types, defaults…; the names come from the texts (see VariableNames)
	Result     *Result    // where the answer's rows are and which columns to show; nil lets the table choose
	Paging     Paging     // how the API hands out more pages; the zero value is one page
	Confirm    bool       // run mode asks before running it, whatever its method (see AsksFirst)
	Group      string     // the folder it is listed in, names joined by "/" ("Pets/Admin"); "" for none
	Source     string     // where an import took it from ("openapi:listPets"), so a second import updates it
}

// Result is the shape of a query's answer as a table, saved with the query.
type Result struct {
	// Rows is where the rows are: keys joined by dots ("data.items"), or "" for the answer itself (an array).
	Rows string
	// Columns are the columns shown, in order; none shows every key.
	Columns []Column
}

// Column is one column of a Result: the key of the rows it shows, and its header (the key when Label is empty).
type Column struct {
	Key, Label string
}

// Methods lists the HTTP methods a form offers.
var Methods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead, http.MethodOptions}

// EffectiveMethod is the method to send (GET when none is set).
func (q *Query) EffectiveMethod() string {
	if q.Method == "" {
		return http.MethodGet
	}
	return strings.ToUpper(q.Method)
}

// Parts are the texts a request made from a query on a resource is written with, before its {{variables}} are
// filled: the resource's base URL, the query's path, the resource's params, headers and cookies merged with the
// query's (kv.Merge: a query row replaces the resource's rows of its key; header names compare
// case-insensitively), and what the query's body kind sends. The lists are new: the caller may change them.
type Parts struct {
	BaseURL, Path            string
	Params, Headers, Cookies kv.List
	Body                     Body // Text for JSON and raw bodies, Form for a form, the enabled Parts of a multipart form, File for a file; nothing for none
}

// Parts returns the parts of the request q makes on res. A nil res gives the query's own.
func (q *Query) Parts(res *resource.Resource) Parts {
	var p Parts
	var params, headers, cookies kv.List
	if res != nil {
		p.BaseURL, params, headers, cookies = res.BaseURL, res.Params, res.Headers, res.Cookies
	}
	p.Path = q.Path
	p.Params = kv.Merge(params, q.Params, false)
	p.Headers = kv.Merge(headers, q.Headers, true)
	p.Cookies = kv.Merge(cookies, q.Cookies, false)
	switch q.Body.Kind {
	case BodyJSON, BodyRaw:
		p.Body = Body{Kind: q.Body.Kind, Text: q.Body.Text, ContentType: q.Body.ContentType}
	case BodyForm:
		p.Body = Body{Kind: BodyForm, Form: kv.Merge(nil, q.Body.Form, false)}
	case BodyMultipart:
		p.Body = Body{Kind: BodyMultipart}
		for _, part := range q.Body.Parts {
			if part.Enabled {
				p.Body.Parts = append(p.Body.Parts, part)
			}
		}
	case BodyFile:
		p.Body = Body{Kind: BodyFile, File: q.Body.File, ContentType: q.Body.ContentType}
	}
	return p
}

// Map replaces every text of the parts where a {{variable}} may be written by f(text), in the order a request
// is built from them: the base URL, the path, each param's name and value, the headers', the cookies', then
// the body's: its text, each form row's name and value, each multipart part's name, value, file path and file
// name, and a file body's path.
func (p *Parts) Map(f func(string) string) {
	p.BaseURL, p.Path = f(p.BaseURL), f(p.Path)
	for _, l := range [...]kv.List{p.Params, p.Headers, p.Cookies, p.Body.Form} {
		for i := range l {
			l[i].Key, l[i].Value = f(l[i].Key), f(l[i].Value)
		}
	}
	p.Body.Text = f(p.Body.Text)
	for i := range p.Body.Parts {
		part := &p.Body.Parts[i]
		part.Name, part.Value = f(part.Name), f(part.Value)
		if part.File != "" {
			part.File, part.Filename = f(part.File), f(part.Filename)
		}
	}
	p.Body.File = f(p.Body.File)
}

// VariableNames returns the {{variables}} the request q makes on res uses, in order of first use: the inputs a
// person fills in to run it. A nil res gives the query's own. The runner, which expands the same Parts in the
// same order, names missing variables in this order too.
func (q *Query) VariableNames(res *resource.Resource) []string {
	p := q.Parts(res)
	var texts []string
	p.Map(func(s string) string {
		texts = append(texts, s)
		return s
	})
	return template.Names(texts...)
}

// Inputs returns the variables a person fills in to run the query on res (nil: the query's own variables):
// every name VariableNames gives, with what is saved for it.
func (q *Query) Inputs(res *resource.Resource) []Variable {
	names := q.VariableNames(res)
	out := make([]Variable, 0, len(names))
	for _, n := range names {
		v := Variable{Name: n}
		if i := slices.IndexFunc(q.Variables, func(x Variable) bool { return x.Name == n }); i >= 0 {
			v = q.Variables[i]
		}
		out = append(out, v)
	}
	return out
}

// Values returns the values to run the query with: given values win, then each variable's saved default (a
// secret has none). Fill also checks them.
func (q *Query) Values(given map[string]string) map[string]string {
	out := make(map[string]string, len(given)+len(q.Variables))
	for _, v := range q.Variables {
		if v.Default != "" && !v.Secret() {
			out[v.Name] = v.Default
		}
	}
	for k, v := range given {
		out[k] = v
	}
	return out
}

// ValidateMethod checks an HTTP method.
func ValidateMethod(s string) error {
	if s == "" {
		return nil
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-' || r == '_') {
			return fmt.Errorf("Method %q is not valid: use GET, POST, PUT, PATCH, DELETE…", s)
		}
	}
	return nil
}

// ValidatePath checks a path on the resource: relative (it is joined to the base URL), one line.
func ValidatePath(s string) error {
	if strings.ContainsAny(s, "\r\n") {
		return errors.New("Path must be on one line")
	}
	lower := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		return errors.New("Path is relative to the resource's base URL: give only the part after it, for example /users")
	}
	return nil
}

// Validate returns every problem with the query, field by field.
func (q *Query) Validate() resource.Errors {
	var es resource.Errors
	add := func(field string, err error) {
		if err != nil {
			es = append(es, resource.FieldError{Field: field, Msg: err.Error()})
		}
	}
	add("name", resource.ValidateName(q.Name))
	if q.ResourceID == "" {
		add("resource", errors.New("Choose the resource this query runs on"))
	}
	add("method", ValidateMethod(q.Method))
	add("path", ValidatePath(q.Path))
	es = append(es, resource.ValidateParams("params", q.Params)...)
	es = append(es, resource.ValidateHeaders("headers", q.Headers)...)
	es = append(es, resource.ValidateCookies("cookies", q.Cookies)...)
	switch q.Body.Kind {
	case BodyNone, "", BodyRaw:
	case BodyJSON:
		add("body", ValidateJSON(q.Body.Text))
	case BodyForm:
		es = append(es, resource.ValidateParams("body.form", q.Body.Form)...)
	case BodyMultipart:
		es = append(es, ValidateParts("body.parts", q.Body.Parts)...)
	case BodyFile:
		add("body.file", ValidateFilePath(q.Body.File))
		add("body.content_type", ValidateContentType(q.Body.ContentType))
	default:
		add("body.kind", fmt.Errorf("Unknown body kind %q: choose none, json, form, raw, multipart or file", q.Body.Kind))
	}
	if r := q.Result; r != nil {
		if r.Rows != "" && slices.Contains(strings.Split(r.Rows, "."), "") {
			add("result.rows", fmt.Errorf("Rows %q should be keys joined by dots, for example data.items", r.Rows))
		}
		for i, c := range r.Columns {
			if strings.TrimSpace(c.Key) == "" {
				add(fmt.Sprintf("result.columns[%d].key", i), errors.New("Each column needs the key it shows"))
			}
		}
	}
	if g := q.Group; g != "" && (strings.TrimSpace(g) != g || slices.ContainsFunc(strings.Split(g, "/"), func(s string) bool { return strings.TrimSpace(s) == "" })) {
		add("group", fmt.Errorf("Folder %q should be names joined by /, for example Pets/Admin", g))
	}
	es = append(es, q.Paging.Validate()...)
	for i, v := range q.Variables {
		if !template.ValidName(v.Name) {
			add(fmt.Sprintf("variables[%d].name", i), fmt.Errorf("Variable name %q may only use letters, digits, '_', '-' and '.'", v.Name))
		}
		for _, p := range v.validate() {
			add(fmt.Sprintf("variables[%d].%s", i, p.field), p.err)
		}
	}
	return es
}
