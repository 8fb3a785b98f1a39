// Package postman reads Postman collections (format v2.0 and v2.1) and environments into an imports.Plan, and
// exports a resource with its queries as a Postman collection v2.1.
//
// # What Read reads
//
// A collection becomes one resource named after it: its base URL is the {{baseUrl}}-style variable the
// requests start with (its value from the collection's variables, or an environment's) or the longest scheme,
// host and path the requests share. Folders become query folders and requests saved queries: the method, the
// URL with its parameters (switched-off ones too), the headers, and the body: raw text (JSON as JSON), a
// urlencoded or form-data form (a file field as its path), a file (its path) and GraphQL (as the JSON a
// GraphQL server reads). A body with nothing in it (a form without rows, raw without text) is read as no body,
// which is what Postman sends for it.
//
// The {{variables}} the queries use get their defaults and descriptions from, first to last: the URL's path
// variables (:id, from url.variable), the environment, the request's own variables (v2.1's item.variable), the
// collection's variables and its folders' (a folder's, for a name the collection has none of, serves every
// request, not only the folder's). Postman's built-in {{$guid}} and the like become plain variables, asked
// for when the query runs.
//
// The collection's authentication becomes the resource's, without its secrets: those are entered in the
// resource's form, which keeps them in the keychain. Postman's “No auth” is none; OAuth 2.0 comes with its
// URLs, scopes, grant, extra parameters and redirect port, and with its client ID when the collection gives one
// (a resource is saved without it: signing in asks for it). A folder's or request's bearer token or API key
// is sent by its queries as a header or URL parameter holding a {{variable}}.
//
// # What Read leaves out
//
// Each is listed in the plan: scripts (never run), saved example responses, Postman's request settings, proxy
// and certificate settings, a switched-off body or variable, authentication apidesk does not have (OAuth 1.0,
// Hawk, AWS Signature, NTLM…, OAuth 2.0's password grant), a folder's or request's own authentication of
// another kind than the resource's, requests on another host, and every value that looks secret (of a
// variable, a header, a URL parameter, a cookie, a form or JSON field, a password in a URL): the query asks
// for it when it runs. The descriptions of the collection, its folders and requests, and variables no request
// uses, are not imported either (the plan's notes say so).
//
// # What Export writes
//
// A collection v2.1 that Postman's own library and runner read (see the tests): the queries' folders as
// folders, each query a request on {{baseUrl}} (a collection variable, the resource's base URL) with its URL
// parameters, headers (the resource's too, and its cookies as a Cookie header) and body of each kind, an empty
// form as Postman writes one, switched-off rows switched off. A path segment that is one variable with a
// default is written as Postman's path variable (:id, with its value and description); the other defaults
// are collection variables, and a query whose default differs from the collection's lists its own in its
// request's variables, which apidesk reads back but Postman does not use. The resource's authentication is
// the collection's, “No auth” (noauth) for none, so that the requests inherit nothing else in Postman; each of
// its secrets is a {{variable}} ({{password}}, {{token}}, {{api_key}}, {{client_secret}}) that Postman asks
// for. Export leaves out every secret, the defaults of secret variables and the descriptions of variables
// without a default; and, as the collection's description then says, the types, labels and checks of
// variables, run mode's settings, the file names sent for multipart files, and OAuth 2.0's device sign-in
// (Postman has none).
package postman

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"apidesk/engine/imports"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// The formats, as a FormatError and a Plan name them.
const (
	formatCollection  = "a Postman collection"
	formatEnvironment = "a Postman environment"
)

// SourcePrefix starts the Source of every query a collection gives: "postman:" and the request's id (or, for
// a request without one, its folders and name joined by "/").
const SourcePrefix = "postman:"

// Read reads a Postman collection (v2.0 or v2.1 JSON). An error that is not ctx's is an *imports.FormatError
// (errors.Is ErrFormat) that says where the problem is, with its line for JSON that is broken.
func Read(ctx context.Context, src imports.Source) (*imports.Plan, error) {
	return ReadWithEnvironment(ctx, src, nil)
}

// ReadWithEnvironment is Read with a Postman environment's values (see ReadEnvironment), which win over the
// collection's variables as they do in Postman: the base URL and the queries' defaults come from them.
func ReadWithEnvironment(ctx context.Context, src imports.Source, env map[string]string) (*imports.Plan, error) {
	var c collection
	if err := decode(src.Data, &c, formatCollection); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	r := newReader(&c, src, env)
	if err := r.read(ctx); err != nil {
		return nil, err
	}
	return r.plan, nil
}

// check refuses what is not a collection of a version Read reads, saying what it is instead.
func (c *collection) check() error {
	schema := strings.ToLower(string(c.Info.Schema))
	switch {
	case len(c.Values) > 0 || c.Scope == "environment" || c.Scope == "globals":
		return &imports.FormatError{Format: formatCollection, Msg: "this file is a Postman environment (its variables), not a collection: " +
			"import the collection, then choose this file as its environment"}
	case len(c.Requests) > 0 || len(c.Order) > 0 && c.Item == nil:
		return &imports.FormatError{Format: formatCollection, Msg: "this collection is in Postman's old format (v1): " +
			"open it in Postman and export it again as Collection v2.1"}
	case strings.Contains(schema, "collection/v1"):
		return &imports.FormatError{Format: formatCollection, Where: "info.schema", Msg: "this collection is in Postman's old format (v1): " +
			"open it in Postman and export it again as Collection v2.1"}
	case c.Item == nil && c.Info.Name == "":
		return &imports.FormatError{Format: formatCollection, Msg: "it has neither the collection's name (info) nor its requests (item): " +
			"in Postman, choose Export on the collection and save it as Collection v2.1"}
	}
	return nil
}

// version is the collection's format version, "v2.0" or "v2.1" (when the schema says neither).
func (c *collection) version() string {
	if strings.Contains(string(c.Info.Schema), "v2.0") {
		return "v2.0"
	}
	return "v2.1"
}

// node is where an item is in the collection: its folders and its name, for messages and Sources.
type node struct {
	folders []string // folder names, outermost first, as Group writes them
	name    string
}

// where words the place of a folder or request: "folder Users › Admin", "item Users › Get user".
func (n node) where(kind string) string {
	return kind + " " + strings.Join(append(append([]string(nil), n.folders...), n.name), " › ")
}

func (n node) group() string { return strings.Join(n.folders, "/") }

// folderName makes a Postman folder's name one a query's Group may hold: one line, no "/".
func folderName(s string) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "/", "-")), " ")
	if s == "" {
		return "Folder"
	}
	return s
}

// name cuts a name to what resource.ValidateName accepts.
func name(candidates ...string) string {
	n := imports.QueryName(candidates...)
	for len(n) > 100 {
		r := []rune(n)
		n = strings.TrimSpace(string(r[:len(r)-2])) + "…"
	}
	return n
}

// events lists the scripts of a collection, folder or request as left out.
func (r *reader) events(where string, evs []event) {
	for _, e := range evs {
		code := script(e.Script.Exec)
		if code == "" {
			continue
		}
		what := "a script"
		switch strings.ToLower(string(e.Listen)) {
		case "prerequest":
			what = "a pre-request script"
		case "test":
			what = "a test script"
		}
		why := "apidesk does not run Postman scripts: do by hand what it did, if the requests need it"
		if e.Disabled {
			why = "it is switched off, and apidesk does not run Postman scripts"
		}
		r.plan.Leave(where, what, why)
	}
}

// request reads an item's request: an object, or a string that is its URL.
func parseRequest(raw json.RawMessage) (*request, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	var req request
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, false
		}
		req.URL, _ = json.Marshal(s)
		return &req, true
	}
	if json.Unmarshal(raw, &req) != nil {
		return nil, false
	}
	return &req, true
}

// valid reports whether q can be saved on a resource; problems are in words.
func valid(q *query.Query) resource.Errors {
	c := *q
	c.ResourceID = "imported"
	return c.Validate()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
