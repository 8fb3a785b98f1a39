package postman_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"apidesk/engine/imports"
	"apidesk/engine/imports/postman"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/workspace"
)

// secrets are the secret values written in testdata: none may reach a plan, a workspace file or an error.
var secrets = []string{"s3cr3t-Value-123", "eyJhbGciOiJIUzI1NiJ9", "AbCdEf1234567890GhIjKlMn", "hunter2hunter2", "pw-of-admin",
	"form-pass-1", "cs-form-secret", "aws-secret-XYZ", "literal-key-9f8e", "literal-token-9f8e", "Sess10nValue", "qk-123456",
	"pw-of-ada", "env-admin-token-1", "env-pass"}

func source(t testing.TB, file string) imports.Source {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return imports.Source{Name: file, Data: data, Path: filepath.Join("testdata", file)}
}

func read(t testing.TB, file string) *imports.Plan {
	t.Helper()
	p, err := postman.Read(context.Background(), source(t, file))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func noSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s holds the secret %q", what, s)
		}
	}
}

// leftOut lists what a plan left out as "where | what".
func leftOut(p *imports.Plan) []string {
	var out []string
	for _, l := range p.LeftOut {
		out = append(out, l.Where+" | "+l.What)
	}
	return out
}

func secretVar(name string) query.Variable { return query.Variable{Name: name, Type: query.TypeSecret} }

func TestReadCollectionV21(t *testing.T) {
	p := read(t, "crm.postman_collection.json")
	noSecrets(t, "the plan", fmt.Sprintf("%#v", p))
	if p.Format != "Postman collection v2.1" || len(p.Resources) != 1 {
		t.Fatalf("format %q, %d resources", p.Format, len(p.Resources))
	}
	r := p.Resources[0]
	wantRes := resource.Resource{Name: "CRM API", BaseURL: "https://api.crm.example/v2", Auth: resource.Auth{Kind: resource.AuthOAuth2,
		OAuth2: resource.OAuth2{Grant: resource.GrantAuthorizationCode, AuthURL: "https://login.crm.example/oauth/authorize",
			TokenURL: "https://login.crm.example/oauth/token", ClientID: "crm-desktop", ClientAuth: resource.ClientAuthBasic,
			Scopes: []string{"contacts.read", "contacts.write"}, AuthParams: kv.List{kv.On("audience", "crm-api"), {Key: "prompt", Value: "consent"}}}}}
	if !reflect.DeepEqual(r.Resource, wantRes) {
		t.Errorf("resource\n%+v, want\n%+v", r.Resource, wantRes)
	}
	if !reflect.DeepEqual(r.BaseURLs, []string{wantRes.BaseURL}) {
		t.Errorf("base URLs %v", r.BaseURLs)
	}
	want := []query.Query{
		{Name: "List contacts", Method: "GET", Path: "/contacts", Group: "Contacts", Source: "postman:req-list",
			Params:  kv.List{kv.On("limit", "{{pageSize}}"), kv.On("q", "a b"), {Key: "archived", Value: "true"}},
			Headers: kv.List{kv.On("Accept", "application/json"), {Key: "X-Debug", Value: "1"}, kv.On("X-Label", "{{my_var}}")},
			Variables: []query.Variable{{Name: "pageSize", Default: "50", Description: "How many contacts a page holds"},
				{Name: "my_var", Default: "spaced"}}},
		{Name: "Get contact", Method: "GET", Path: "/contacts/{{contactId}}", Group: "Contacts", Source: "postman:req-get",
			Variables: []query.Variable{{Name: "contactId", Default: "42", Description: "The contact's id"}}},
		{Name: "Delete contact", Method: "DELETE", Path: "/contacts/{{contactId}}", Group: "Contacts/Admin",
			Source: "postman:Contacts/Admin/Delete contact", Headers: kv.List{kv.On("Authorization", "Bearer {{adminToken}}")},
			Variables: []query.Variable{secretVar("adminToken")}},
		{Name: "Merge contacts", Method: "POST", Path: "/contacts/merge", Group: "Contacts/Admin", Source: "postman:Contacts/Admin/Merge contacts",
			Body:      query.Body{Kind: query.BodyJSON, Text: "{\n  \"from\": {{fromId}},\n  \"into\": 7,\n  \"password\": \"{{password}}\"\n}"},
			Variables: []query.Variable{secretVar("password")}},
		{Name: "Upload avatar", Method: "POST", Path: "/contacts/{{contactId}}/avatar", Group: "Uploads", Source: "postman:req-avatar",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
				{Name: "note", Value: "hello", Enabled: true},
				{Name: "avatar", File: "/tmp/avatar.png", ContentType: "image/png", Enabled: true},
				{Name: "debug", Value: "on"},
				{Name: "password", Value: "{{password}}", Enabled: true}}},
			Variables: []query.Variable{secretVar("password")}},
		{Name: "Upload raw file", Method: "PUT", Path: "/imports", Group: "Uploads", Source: "postman:req-file",
			Body: query.Body{Kind: query.BodyFile, File: "data/export.csv", ContentType: "text/csv"}},
		{Name: "Create lead", Method: "POST", Path: "/leads", Source: "postman:req-lead",
			Body: query.Body{Kind: query.BodyForm, Form: kv.List{kv.On("name", "Ada"), kv.On("email", "{{email}}"),
				kv.On("client_secret", "{{client_secret}}"), {Key: "source", Value: "web"}}},
			Variables: []query.Variable{secretVar("client_secret")}},
		{Name: "Search (GraphQL)", Method: "POST", Path: "/graphql", Source: "postman:req-graphql",
			Body: query.Body{Kind: query.BodyJSON, Text: `{"query": "query($first: Int) { contacts(first: $first) { id } }", "variables": {"first": 10}}`}},
		{Name: "Ping XML", Method: "POST", Path: "/ping", Source: "postman:req-xml",
			Body: query.Body{Kind: query.BodyRaw, Text: "<ping/>", ContentType: "application/xml"}},
		{Name: "Public status", Method: "GET", Path: "/status", Source: "postman:req-status"},
		{Name: "List keys", Method: "GET", Path: "/keys", Source: "postman:req-keys",
			Headers: kv.List{kv.On("X-API-Key", "{{apiKey}}")}, Variables: []query.Variable{secretVar("apiKey")}},
		{Name: "Signed", Method: "GET", Path: "/signed", Source: "postman:req-aws"},
		{Name: "Log event", Method: "POST", Path: "/events", Source: "postman:req-events",
			Params: kv.List{kv.On("api_key", "{{api_key}}")},
			Headers: kv.List{kv.On("X-Api-Key", "{{x-api-key}}"), kv.On("Authorization", "Bearer {{token}}"),
				kv.On("Cookie", "session={{session}}; theme=dark")},
			Body:      query.Body{Kind: query.BodyJSON, Text: `{"id": "{{guid}}", "at": {{timestamp}}}`},
			Variables: []query.Variable{secretVar("api_key"), secretVar("x-api-key"), secretVar("token"), secretVar("session")}},
	}
	if len(r.Queries) != len(want) {
		var names []string
		for _, q := range r.Queries {
			names = append(names, q.Name)
		}
		t.Fatalf("queries %q, want %d", names, len(want))
	}
	for i, q := range r.Queries {
		if !reflect.DeepEqual(q, want[i]) {
			t.Errorf("query %d\n%+v, want\n%+v", i, q, want[i])
		}
		if es := valid(q); len(es) > 0 {
			t.Errorf("query %s cannot be saved: %v", q.Name, es)
		}
	}
	wantLeft := []string{
		"collection variables | the value of the variable apiKey",
		"collection variables | the variable off",
		"the collection | a pre-request script",
		"the collection | the OAuth 2.0 redirect URL https://oauth.pstmn.io/v1/callback",
		"the collection | the client secret",
		"the collection | the access token",
		"folder Contacts | a test script",
		"item Contacts › List contacts | 1 saved example response",
		"item Contacts › Admin › Merge contacts | the value of the JSON field password",
		"item Contacts › Admin › Merge contacts | its Basic (username and password) authentication",
		"item Uploads › Upload avatar | the form field empty",
		"item Uploads › Upload avatar | the value of the form field password",
		"item Create lead | the value of the form field client_secret",
		"item Search (GraphQL) | its GraphQL body as Postman keeps it",
		"item Public status | its “No auth” setting",
		"item Signed | its AWS Signature authentication",
		"item Log event | a pre-request script",
		"item Log event | Postman's built-in variables {{$guid}}, {{$timestamp}}",
		"item Log event | the value of the header X-Api-Key",
		"item Log event | the credentials in the Authorization header",
		"item Log event | the value of the cookie session",
		"item Log event | the value of the URL parameter api_key",
		"item Webhook | the request Webhook",
	}
	if got := leftOut(p); !reflect.DeepEqual(got, wantLeft) {
		t.Errorf("left out\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantLeft, "\n"))
	}
	for _, l := range p.LeftOut {
		switch {
		case l.Why == "":
			t.Errorf("%s: no reason", l)
		case l.What == "the client secret" && !strings.Contains(l.Why, "enter it in the resource's form"):
			t.Errorf("the client secret: %s", l.Why)
		case l.What == "the request Webhook" && !strings.Contains(l.Why, "https://hooks.other.example"):
			t.Errorf("the webhook: %s", l.Why)
		}
	}
	wantNotes := []string{"The descriptions of the collection, its folders and requests are not imported.",
		"No request uses the variable {{legacy}}: it is not imported."}
	if !reflect.DeepEqual(p.Notes, wantNotes) {
		t.Errorf("notes %q", p.Notes)
	}
}

func valid(q query.Query) resource.Errors {
	q.ResourceID = "x"
	return q.Validate()
}

// A v2.0 collection: auth attributes in objects, headers as text, URLs as strings and as objects whose host
// and path are strings, a request that is only its URL; the base URL is the path the requests share.
func TestReadCollectionV20(t *testing.T) {
	p := read(t, "petstore.v2.0.json")
	noSecrets(t, "the plan", fmt.Sprintf("%#v", p))
	r := p.Resources[0]
	if p.Format != "Postman collection v2.0" || r.Resource.Name != "Petstore" || r.Resource.BaseURL != "https://petstore.example/v1" ||
		!reflect.DeepEqual(r.Resource.Auth, resource.Auth{Kind: resource.AuthBasic, Username: "ada"}) {
		t.Fatalf("%s: resource %+v", p.Format, r.Resource)
	}
	want := []query.Query{
		{Name: "List pets", Method: "GET", Path: "/pets", Group: "Pets", Source: "postman:a1",
			Params: kv.List{kv.On("limit", "10"), kv.On("tag", "")}, Headers: kv.List{kv.On("Accept", "application/json"), {Key: "X-Trace", Value: "1"}}},
		{Name: "Show pet", Method: "GET", Path: "/pets/{{petId}}", Group: "Pets", Source: "postman:a2",
			Variables: []query.Variable{{Name: "petId", Default: "7"}}},
		{Name: "Add pet", Method: "POST", Path: "/pets", Group: "Pets", Source: "postman:a3",
			Body: query.Body{Kind: query.BodyJSON, Text: `{"name": "Rex", "tag": "dog"}`}},
		{Name: "Inventory", Method: "GET", Path: "/store/inventory", Source: "postman:a4"},
		{Name: "Inventory by key", Method: "GET", Path: "/store/inventory", Source: "postman:a5",
			Params: kv.List{kv.On("api_key", "{{petKey}}")}, Variables: []query.Variable{secretVar("petKey")}},
		{Name: "Same basic", Method: "GET", Path: "/store/orders", Source: "postman:a6"},
	}
	if !reflect.DeepEqual(r.Queries, want) {
		t.Errorf("queries\n%+v\nwant\n%+v", r.Queries, want)
	}
	if got := leftOut(p); !reflect.DeepEqual(got, []string{"the collection | the password"}) {
		t.Errorf("left out %q", got)
	}
}

// Apply writes a plan into a real workspace: every query passes the workspace's checks (among them, that no
// secret is written out), no file holds a secret, and a second import updates what the first created.
func TestApplyToAWorkspace(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Load(ctx); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"crm.postman_collection.json", "petstore.v2.0.json"} {
		p := read(t, f)
		out, err := imports.Apply(ctx, ws, nil, p, imports.Options{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if want := fmt.Sprintf("Created resource %s with %d queries", p.Resources[0].Resource.Name, p.Count()); out[0].String() != want {
			t.Errorf("%s: %s, want %s", f, out[0], want)
		}
		out, err = imports.Apply(ctx, ws, nil, read(t, f), imports.Options{})
		if err != nil || !strings.HasSuffix(out[0].String(), fmt.Sprintf(", updated %d", p.Count())) {
			t.Errorf("%s again: %v, %v", f, out, err)
		}
	}
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		noSecrets(t, path, string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The base URL: a {{variable}} the requests start with (its value, or a placeholder that reaches nothing when
// it has none), or the scheme, host and folders the requests share; a request elsewhere is left out.
func TestBaseURL(t *testing.T) {
	coll := func(vars string, urls ...string) []byte {
		var items []string
		for i, u := range urls {
			items = append(items, fmt.Sprintf(`{"id": "r%d", "name": "R%d", "request": {"url": %q}}`, i, i, u))
		}
		return []byte(`{"info": {"name": "T", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
			"variable": [` + vars + `], "item": [` + strings.Join(items, ",") + `]}`)
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		base  string
		paths []string
		left  int // requests left out
		note  string
	}{
		{"shared folders", coll("", "https://a.example/v1/users", "https://A.example/v1/users/{{id}}?x=1", "https://a.example/v1/orders/7"),
			"https://a.example/v1", []string{"/users", "/users/{{id}}", "/orders/7"}, 0, ""},
		{"one request", coll("", "https://a.example/v1/users/42"), "https://a.example/v1/users", []string{"/42"}, 0, ""},
		{"the host alone", coll("", "https://a.example/users", "https://a.example/orders"), "https://a.example", []string{"/users", "/orders"}, 0, ""},
		{"no scheme", coll("", "localhost:3000/api/x", "localhost:3000/api/y"), "http://localhost:3000/api", []string{"/x", "/y"}, 0, ""},
		{"a variable", coll(`{"key": "host", "value": "https://h.example/api/"}`, "{{host}}/a", "{{ host }}/b/c", "https://h.example/api/d", "https://other.example/e"),
			"https://h.example/api", []string{"/a", "/b/c", "/d"}, 1, ""},
		{"a variable without a value", coll("", "{{baseUrl}}/a", "{{baseUrl}}"), "https://baseUrl.invalid", []string{"/a", ""}, 0,
			"the collection gives no value for {{baseUrl}}"},
		{"a variable that is no URL", coll(`{"key": "u", "value": "not a url"}`, "{{u}}/a"), "https://u.invalid", []string{"/a"}, 0,
			"the value of {{u}} cannot be one"},
		{"a password in the URL", coll("", "https://ada:pw-of-ada@a.example/v1/x", "https://ada:pw-of-ada@a.example/v1/y"),
			"https://ada:{{password}}@a.example/v1", []string{"/x", "/y"}, 0, ""},
		{"no URL", coll("", ""), "https://baseUrl.invalid", []string{""}, 0, "the requests give no host name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := postman.Read(context.Background(), imports.Source{Name: "t.json", Data: tc.data})
			if err != nil {
				t.Fatal(err)
			}
			noSecrets(t, "the plan", fmt.Sprintf("%#v", p))
			r := p.Resources[0]
			if r.Resource.BaseURL != tc.base {
				t.Errorf("base URL %q, want %q", r.Resource.BaseURL, tc.base)
			}
			if err := resource.ValidateBaseURL(r.Resource.BaseURL); err != nil {
				t.Error(err)
			}
			var paths []string
			for _, q := range r.Queries {
				paths = append(paths, q.Path)
			}
			if !reflect.DeepEqual(paths, tc.paths) {
				t.Errorf("paths %q, want %q", paths, tc.paths)
			}
			left := 0
			for _, l := range p.LeftOut {
				if strings.HasPrefix(l.What, "the request ") {
					left++
				}
			}
			if left != tc.left {
				t.Errorf("%d requests left out, want %d: %v", left, tc.left, p.LeftOut)
			}
			if notes := strings.Join(p.Notes, " "); tc.note != "" && !strings.Contains(notes, tc.note) || tc.note == "" && strings.Contains(notes, "base URL") {
				t.Errorf("notes %q, want one with %q", p.Notes, tc.note)
			}
		})
	}
}

// Files that are not collections are refused with where the problem is.
func TestReadRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"broken JSON", "{\n  \"info\": {\n    \"name\": \"x\"\n    \"schema\": \"v2.1\"\n  }\n}", "line 4"},
		{"broken JSON at the end", "{\"info\": {\"name\": \"x\"},\n\"item\": [", "line 2: the JSON is broken here: it ends too early"},
		{"a list where a folder's items are", "{\"info\": {\"name\": \"x\"},\n\"item\": \"none\"}", "line 2: item is text, where a list is expected"},
		{"an environment", `{"name": "Staging", "values": [{"key": "a", "value": "b"}], "_postman_variable_scope": "environment"}`, "Postman environment"},
		{"the old format", `{"id": "1", "name": "Old", "order": ["a"], "requests": [{"id": "a"}]}`, "old format (v1)"},
		{"another document", `{"openapi": "3.1.0", "paths": {}}`, "neither the collection's name"},
		{"empty", " \n", "the file is empty"},
		{"not JSON", "name: x\n", "line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := postman.Read(context.Background(), imports.Source{Name: "x.json", Data: []byte(tc.data)})
			var fe *imports.FormatError
			if !errors.Is(err, imports.ErrFormat) || !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Read = %v, want a format error with %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "this is not a Postman collection") {
				t.Errorf("message %q", err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := postman.Read(ctx, source(t, "crm.postman_collection.json")); !errors.Is(err, context.Canceled) {
		t.Errorf("Read with a cancelled context = %v", err)
	}
}

func readJSON(t *testing.T, doc string) *imports.Plan {
	t.Helper()
	p, err := postman.Read(context.Background(), imports.Source{Name: "t.json", Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	noSecrets(t, "the plan", fmt.Sprintf("%#v", p))
	return p
}

// A request's own variables (v2.1's item.variable) and its URL's path variables give its query's defaults and
// their descriptions: a request's own win over the collection's (but for the environment's), a path
// variable over both; a value that looks secret is left out and listed, and the query asks for it.
func TestReadRequestVariables(t *testing.T) {
	const doc = `{"info": {"name": "V", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
	"variable": [{"key": "baseUrl", "value": "https://v.example"}, {"key": "limit", "value": "20", "description": "Page size"},
		{"key": "region", "value": "eu"}, {"key": "sort", "value": "name", "description": "Order"}],
	"item": [
		{"id": "own", "name": "Own", "variable": [
			{"key": "limit", "value": "50", "description": "Fewer here"},
			{"key": "sort", "value": ""},
			{"key": "ref", "value": "AbCdEf1234567890GhIjKlMn"},
			{"key": "pin", "value": "1234", "type": "secret"},
			{"key": "off", "value": "x", "disabled": true},
			{"key": "spare", "value": "1"},
			{"key": "my var", "value": "spaced", "description": {"content": "With a space"}},
			{"key": "where", "value": "{{region}}-1"}],
		 "request": {"method": "GET", "header": [{"key": "X-Ref", "value": "{{ref}}"}, {"key": "X-Pin", "value": "{{pin}}"}],
			"url": "{{baseUrl}}/items?limit={{limit}}&sort={{sort}}&off={{off}}&m={{my var}}&w={{where}}"}},
		{"id": "path", "name": "Path", "request": {"method": "GET", "url": {"raw": "{{baseUrl}}/items/:id/keys/:key/:blank?limit={{limit}}",
			"host": ["{{baseUrl}}"], "path": ["items", ":id", "keys", ":key", ":blank"], "query": [{"key": "limit", "value": "{{limit}}"}],
			"variable": [{"key": "id", "value": "7", "description": "The item's number"}, {"key": "key", "value": "literal-key-9f8e"},
				{"key": "blank", "description": "Say which"}]}}},
		{"id": "plain", "name": "Plain", "request": {"method": "GET", "url": "{{baseUrl}}/items?limit={{limit}}"}}]}`
	p := readJSON(t, doc)
	qs := p.Resources[0].Queries
	if len(qs) != 3 {
		t.Fatalf("%d queries", len(qs))
	}
	want := map[string][]query.Variable{
		"Own": {{Name: "limit", Default: "50", Description: "Fewer here"}, {Name: "sort", Default: "name", Description: "Order"},
			{Name: "my_var", Default: "spaced", Description: "With a space"}, {Name: "where", Default: "eu-1"},
			secretVar("ref"), secretVar("pin")},
		"Path":  {{Name: "id", Default: "7", Description: "The item's number"}, secretVar("key"), {Name: "blank", Description: "Say which"}, {Name: "limit", Default: "20", Description: "Page size"}},
		"Plain": {{Name: "limit", Default: "20", Description: "Page size"}},
	}
	for _, q := range qs {
		got := map[string]query.Variable{}
		for _, v := range q.Variables {
			got[v.Name] = v
		}
		if len(got) != len(want[q.Name]) {
			t.Errorf("%s: variables %+v, want %+v", q.Name, q.Variables, want[q.Name])
		}
		for _, w := range want[q.Name] {
			if !reflect.DeepEqual(got[w.Name], w) {
				t.Errorf("%s: variable %+v, want %+v", q.Name, got[w.Name], w)
			}
		}
		if es := valid(q); len(es) > 0 {
			t.Errorf("%s cannot be saved: %v", q.Name, es)
		}
	}
	if qs[1].Path != "/items/{{id}}/keys/{{key}}/{{blank}}" {
		t.Errorf("path %q", qs[1].Path)
	}
	for _, l := range []string{"item Own | the value of the variable ref", "item Own | the value of the variable pin", "item Own | the variable off",
		"item Path | the value of the path variable key"} {
		if !slices.Contains(leftOut(p), l) {
			t.Errorf("not left out: %s; left out %q", l, leftOut(p))
		}
	}
	if !slices.Contains(p.Notes, "No request uses the variable {{spare}}: it is not imported.") {
		t.Errorf("notes %q", p.Notes)
	}

	// The environment's values win over a request's own, as in Postman (which uses no request's variables).
	env := map[string]string{"limit": "5", "baseUrl": "https://v.example"}
	pe, err := postman.ReadWithEnvironment(context.Background(), imports.Source{Name: "t.json", Data: []byte(doc)}, env)
	if err != nil {
		t.Fatal(err)
	}
	if v := pe.Resources[0].Queries[0].Variables[0]; v.Name != "limit" || v.Default != "5" {
		t.Errorf("with the environment, limit is %+v", v)
	}
}

// Bodies with nothing in them (a form without rows or without its list, raw without text, an empty GraphQL
// query) are read as no body, which is what Postman sends for them: no row is made up, nothing is left out.
func TestReadEmptyBodies(t *testing.T) {
	for name, body := range map[string]string{
		"urlencoded without rows":     `{"mode": "urlencoded", "urlencoded": []}`,
		"urlencoded without its list": `{"mode": "urlencoded"}`,
		"urlencoded null":             `{"mode": "urlencoded", "urlencoded": null}`,
		"urlencoded of a blank row":   `{"mode": "urlencoded", "urlencoded": [{"key": "", "value": ""}]}`,
		"urlencoded of an empty row":  `{"mode": "urlencoded", "urlencoded": {}}`,
		"formdata without rows":       `{"mode": "formdata", "formdata": []}`,
		"formdata without its list":   `{"mode": "formdata"}`,
		"formdata of text":            `{"mode": "formdata", "formdata": "x"}`,
		"raw without text":            `{"mode": "raw", "raw": "", "options": {"raw": {"language": "json"}}}`,
		"raw without its text":        `{"mode": "raw"}`,
		"raw null":                    `{"mode": "raw", "raw": null}`,
		"graphql without a query":     `{"mode": "graphql", "graphql": {"query": "", "variables": ""}}`,
		"graphql without its object":  `{"mode": "graphql"}`,
	} {
		t.Run(name, func(t *testing.T) {
			p := readJSON(t, `{"info": {"name": "E"}, "item": [{"id": "e", "name": "E", "request": {"method": "POST",
				"url": "https://e.example/x", "header": [{"key": "Accept", "value": "text/plain"}], "body": `+body+`}}]}`)
			q := p.Resources[0].Queries[0]
			if !reflect.DeepEqual(q.Body, query.Body{}) || !reflect.DeepEqual(q.Headers, kv.List{kv.On("Accept", "text/plain")}) {
				t.Errorf("body %+v, headers %v", q.Body, q.Headers)
			}
			if len(p.LeftOut) > 0 {
				t.Errorf("left out %q", leftOut(p))
			}
			if es := valid(q); len(es) > 0 {
				t.Error(es)
			}
		})
	}
	// One row, written as an object, is one row (as Postman's library reads it).
	p := readJSON(t, `{"info": {"name": "E"}, "item": [{"name": "E", "request": {"method": "POST", "url": "https://e.example/x",
		"body": {"mode": "urlencoded", "urlencoded": {"key": "a", "value": "1"}}}}]}`)
	if b := p.Resources[0].Queries[0].Body; !reflect.DeepEqual(b, query.Body{Kind: query.BodyForm, Form: kv.List{kv.On("a", "1")}}) {
		t.Errorf("body %+v", b)
	}
}

// OAuth 2.0 without a client ID (none given, an empty one, or a {{variable}} without a value to import) comes
// through with its URLs and scopes, and the person adds only the client ID (a resource is saved without it;
// signing in asks for it).
func TestReadOAuth2WithoutClientID(t *testing.T) {
	for name, tc := range map[string]struct{ attr, vars, left string }{
		"none given":                 {"", "", ""},
		"an empty one":               {`{"key": "clientId", "value": ""},`, "", ""},
		"a variable without a value": {`{"key": "clientId", "value": "{{clientId}}"},`, "", "Postman takes it from {{clientId}}"},
		"a variable that looks secret": {`{"key": "clientId", "value": "{{cid}}"},`, `{"key": "cid", "value": "AbCdEf1234567890GhIjKlMn"}`,
			"Postman takes it from {{cid}}"},
	} {
		t.Run(name, func(t *testing.T) {
			doc := `{"info": {"name": "O"}, "variable": [` + tc.vars + `], "auth": {"type": "oauth2", "oauth2": [` + tc.attr + `
				{"key": "grant_type", "value": "authorization_code_with_pkce"}, {"key": "authUrl", "value": "https://id.example/authorize"},
				{"key": "accessTokenUrl", "value": "https://id.example/token"}, {"key": "scope", "value": "read write"}]},
				"item": [{"id": "a", "name": "A", "request": {"url": "https://o.example/a"}}]}`
			p := readJSON(t, doc)
			want := resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{Grant: resource.GrantAuthorizationCode,
				AuthURL: "https://id.example/authorize", TokenURL: "https://id.example/token", Scopes: []string{"read", "write"}}}
			if got := p.Resources[0].Resource.Auth; !reflect.DeepEqual(got, want) {
				t.Errorf("auth\n%+v, want\n%+v", got, want)
			}
			var why []string
			for _, l := range p.LeftOut {
				if strings.Contains(l.What, "authentication") {
					t.Errorf("left out: %s", l)
				}
				if l.What == "the OAuth 2.0 client ID" {
					why = append(why, l.Why)
				}
			}
			switch {
			case tc.left == "" && (len(why) > 0 || !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "gives no OAuth 2.0 client ID") })):
				t.Errorf("left out %q, notes %q", why, p.Notes)
			case tc.left != "" && (len(why) != 1 || !strings.Contains(why[0], tc.left) || !strings.Contains(why[0], "enter it in the resource's form")):
				t.Errorf("the client ID: %q", why)
			}

			// All it lacks is the client ID.
			res := p.Resources[0].Resource
			for _, e := range res.Validate() {
				if e.Field != "auth.oauth2.client_id" {
					t.Errorf("the resource cannot be saved: %s", e)
				}
			}
		})
	}
}
