package openapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"apidesk/engine/imports"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/workspace"
)

// readFile reads a testdata document as the CLI does: its bytes with its path.
func readFile(t testing.TB, name string, opt Options) *imports.Plan {
	t.Helper()
	p, err := readPath(name, opt)
	if err != nil {
		t.Fatalf("Read %s: %v", name, err)
	}
	checkPlan(t, p)
	return p
}

func readPath(name string, opt Options) (*imports.Plan, error) {
	path := filepath.Join("testdata", name)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Read(context.Background(), imports.Source{Name: filepath.Base(path), Data: data, Path: path}, opt)
}

// checkPlan fails when a query of the plan would not be saved as it is: each must pass the workspace's checks.
func checkPlan(t testing.TB, p *imports.Plan) {
	t.Helper()
	for _, r := range p.Resources {
		res := r.Resource
		if res.Auth.Kind == resource.AuthOAuth2 {
			res.Auth.OAuth2.ClientID = "the person's" // the one field the person adds
		}
		if res.Auth.Kind == resource.AuthBasic || res.Auth.Kind == resource.AuthDigest {
			res.Auth.Username = "someone"
		}
		if res.Auth.OAuth2.Issuer != "" && res.Auth.OAuth2.TokenURL == "" {
			res.Auth.OAuth2.AuthURL, res.Auth.OAuth2.TokenURL = "https://found.example/a", "https://found.example/t" // discovered at sign-in
		}
		if es := res.Validate(); len(es) > 0 {
			t.Errorf("resource %s: %v", res.Name, es)
		}
		for _, q := range r.Queries {
			q.ResourceID = "r"
			if es := q.Validate(); len(es) > 0 {
				t.Errorf("query %s (%s): %v", q.Name, q.Source, es)
			}
			if q.Source == "" {
				t.Errorf("query %s has no source", q.Name)
			}
		}
	}
}

func queryBySource(t *testing.T, p *imports.Plan, source string) query.Query {
	t.Helper()
	for _, q := range p.Resources[0].Queries {
		if q.Source == source {
			return q
		}
	}
	t.Fatalf("no query %s", source)
	return query.Query{}
}

func hasLeftOut(p *imports.Plan, where, why string) bool {
	return slices.ContainsFunc(p.LeftOut, func(l imports.LeftOut) bool { return l.Where == where && strings.Contains(l.Why, why) })
}

func TestPetstore(t *testing.T) {
	p := readFile(t, "petstore.yaml", Options{})
	if p.Format != "OpenAPI 3.0" || len(p.Resources) != 1 {
		t.Fatalf("format %q, %d resources", p.Format, len(p.Resources))
	}
	r := p.Resources[0]
	if r.Resource.Name != "Petstore" || r.Resource.BaseURL != "https://eu.petstore.example/v1" {
		t.Errorf("resource %q at %q", r.Resource.Name, r.Resource.BaseURL)
	}
	if want := []string{"https://eu.petstore.example/v1", "https://us.petstore.example/v1", "https://sandbox.petstore.example/v1"}; !reflect.DeepEqual(r.BaseURLs, want) {
		t.Errorf("base URLs %q", r.BaseURLs)
	}
	wantAuth := resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{Grant: resource.GrantAuthorizationCode,
		AuthURL: "https://auth.petstore.example/authorize", TokenURL: "https://auth.petstore.example/token", Scopes: []string{"read:pets", "write:pets"}}}
	if !reflect.DeepEqual(r.Resource.Auth, wantAuth) {
		t.Errorf("auth %+v", r.Resource.Auth)
	}

	// The queries in the document's order, named from summary, then operationId, grouped by their first tag.
	var got []string
	for _, q := range r.Queries {
		got = append(got, fmt.Sprintf("%s %s | %s | %s | %s", q.Method, q.Path, q.Name, q.Group, q.Source))
	}
	want := []string{
		"GET /pets | List all pets | pets | openapi:listPets",
		"POST /pets | Create a pet | pets | openapi:createPet",
		"GET /pets/{{petId}} | showPetById | pets/details | openapi:showPetById",
		"PUT /pets/{{petId}} | Update a pet | pets | openapi:PUT /pets/{petId}",
		"POST /pets/{{petId}}/photo | Upload a photo |  | openapi:uploadPhoto",
		"POST /login | Log in |  | openapi:login",
		"PUT /pets/{{petId}}/avatar | putAvatar |  | openapi:putAvatar",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("queries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	list := queryBySource(t, p, "openapi:listPets")
	wantParams := kv.List{{Key: "limit", Value: "{{limit}}", Enabled: true}, {Key: "status", Value: "{{status}}", Enabled: true}, {Key: "born_after", Value: "{{born_after}}"}}
	if !reflect.DeepEqual(list.Params, wantParams) {
		t.Errorf("params %+v", list.Params)
	}
	if want := (kv.List{{Key: "X-Request-Id", Value: "{{X-Request-Id}}"}}); !reflect.DeepEqual(list.Headers, want) {
		t.Errorf("headers %+v (Accept is ignored, as OpenAPI says)", list.Headers)
	}
	if want := (kv.List{{Key: "session", Value: "{{session}}", Enabled: true}}); !reflect.DeepEqual(list.Cookies, want) {
		t.Errorf("cookies %+v", list.Cookies)
	}
	wantVars := []query.Variable{
		{Name: "limit", Description: "How many items to return at one time (max 100)", Type: query.TypeInteger, Optional: true, Default: "20", Min: "1", Max: "100"},
		{Name: "status", Type: query.TypeChoice, Options: []query.Option{{Value: "available"}, {Value: "pending"}, {Value: "sold"}}},
		{Name: "born_after", Type: query.TypeDate, Optional: true},
		{Name: "X-Request-Id", Optional: true, Pattern: "^[0-9a-f-]{36}$"},
		{Name: "session", Type: query.TypeSecret}, // a session cookie's value is a secret: never saved
	}
	if !reflect.DeepEqual(list.Variables, wantVars) {
		t.Errorf("variables\n%+v\nwant\n%+v", list.Variables, wantVars)
	}

	create := queryBySource(t, p, "openapi:createPet")
	if create.Body.Kind != query.BodyJSON || create.Body.Text != "{\n  \"age\": 3,\n  \"name\": \"Rex\",\n  \"tag\": \"dog\"\n}" || len(create.Variables) != 0 {
		t.Errorf("body from the example: %+v, variables %+v", create.Body, create.Variables)
	}

	show := queryBySource(t, p, "openapi:showPetById")
	if want := []query.Variable{{Name: "petId", Description: "The id of the pet", Type: query.TypeInteger, Min: "2"}}; !reflect.DeepEqual(show.Variables, want) {
		t.Errorf("path parameter (exclusive minimum 1: at least 2) %+v", show.Variables)
	}

	// A skeleton of an allOf schema: its fields that hold one value are variables; the read-only id is not
	// sent; the recursive parent and owner's pets stop.
	update := queryBySource(t, p, "openapi:PUT /pets/{petId}")
	wantBody := `{
  "age": {{age}},
  "born": "{{born}}",
  "kind": "{{kind}}",
  "name": "{{name}}",
  "owner": {
    "name": "Ada",
    "pets": [
      {}
    ]
  },
  "parent": {},
  "tag": "{{tag}}",
  "vaccinated": {{vaccinated}}
}`
	if update.Body.Kind != query.BodyJSON || update.Body.Text != wantBody {
		t.Errorf("skeleton:\n%s", update.Body.Text)
	}
	names := map[string]query.Variable{}
	for _, v := range update.Variables {
		names[v.Name] = v
	}
	if names["name"].Optional || names["name"].Description != "The pet's name" || !names["tag"].Optional || names["born"].Type != query.TypeDateTime ||
		names["kind"].Type != query.TypeChoice || names["vaccinated"].Type != query.TypeBoolean || names["age"].Type != query.TypeInteger || names["age"].Optional {
		t.Errorf("body variables %+v", update.Variables)
	}

	photo := queryBySource(t, p, "openapi:uploadPhoto")
	wantParts := []query.Part{{Name: "caption", Value: "{{caption}}"}, {Name: "file", File: "{{file}}", ContentType: "image/png", Enabled: true}}
	if photo.Body.Kind != query.BodyMultipart || !reflect.DeepEqual(photo.Body.Parts, wantParts) {
		t.Errorf("multipart %+v", photo.Body)
	}

	login := queryBySource(t, p, "openapi:login")
	wantForm := kv.List{{Key: "password", Value: "{{password}}", Enabled: true}, {Key: "remember", Value: "{{remember}}", Enabled: true}, {Key: "username", Value: "{{username}}", Enabled: true}}
	if login.Body.Kind != query.BodyForm || !reflect.DeepEqual(login.Body.Form, wantForm) || login.Variable("password").Type != query.TypeSecret || login.Variable("remember").Default != "false" {
		t.Errorf("form %+v, variables %+v", login.Body, login.Variables)
	}

	avatar := queryBySource(t, p, "openapi:putAvatar")
	if avatar.Body.Kind != query.BodyFile || avatar.Body.File != "{{file}}" || avatar.Body.ContentType != "image/png" {
		t.Errorf("file body %+v", avatar.Body)
	}

	for _, l := range []struct{ where, why string }{
		{"paths./pets.get.parameters.header.Accept", "ignore"},
		{"paths./pets.post.requestBody.content", "application/json"},
		{"paths./pets.post.callbacks.onAdopted", "does not receive"},
		{"paths./pets/{petId}/avatar.put.servers", "base URL"},
		{"components.securitySchemes.petstore_auth.flows.implicit", "authorization code"},
		{"components.securitySchemes.api_key", "one way"},
		{"components.securitySchemes.session_cookie", "not a cookie"},
	} {
		if !hasLeftOut(p, l.where, l.why) {
			t.Errorf("%s is not left out with %q: %v", l.where, l.why, p.LeftOut)
		}
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "client ID") }) {
		t.Errorf("notes %q do not ask for the client ID", p.Notes)
	}
}

func TestOpenAPI31(t *testing.T) {
	p := readFile(t, "api31.json", Options{})
	r := p.Resources[0]
	if p.Format != "OpenAPI 3.1" || r.Resource.BaseURL != "https://api.tickets.example/v2" {
		t.Fatalf("%s at %s", p.Format, r.Resource.BaseURL)
	}
	if o := r.Resource.Auth.OAuth2; r.Resource.Auth.Kind != resource.AuthOAuth2 || o.Issuer != "https://login.tickets.example" || !reflect.DeepEqual(o.Scopes, []string{"openid", "tickets.read"}) {
		t.Errorf("openIdConnect: %+v", r.Resource.Auth)
	}
	list := queryBySource(t, p, "openapi:listTickets")
	want := []query.Variable{
		{Name: "assignee", Description: "Who works on it", Optional: true}, // "type": ["string", "null"]
		{Name: "priority", Type: query.TypeInteger, Optional: true, Min: "1", Max: "5"},
		{Name: "since", Type: query.TypeDateTime, Optional: true},
		{Name: "closed", Type: query.TypeBoolean, Optional: true, Default: "false"},
		{Name: "api_key", Type: query.TypeSecret, Optional: true},
		{Name: "filter_status", Type: query.TypeChoice, Optional: true, Options: []query.Option{{Value: "open"}}},
	}
	if !reflect.DeepEqual(list.Variables, want) {
		t.Errorf("variables\n%+v\nwant\n%+v", list.Variables, want)
	}
	if list.Params[5].Key != "filter[status]" || list.Params[5].Value != "{{filter_status}}" {
		t.Errorf("a parameter whose name is no variable name: %+v", list.Params[5])
	}
	create := queryBySource(t, p, "openapi:createTicket")
	if ct, _ := create.Headers.Get("Content-Type", true); ct != "application/merge-patch+json" || create.Body.Kind != query.BodyJSON {
		t.Errorf("a JSON body of its own type: %+v %+v", create.Headers, create.Body)
	}
	if create.Variable("score").Default != "4.5" || create.Variable("title").Optional {
		t.Errorf("variables %+v", create.Variables)
	}
	del := queryBySource(t, p, "openapi:deleteTicket")
	if del.Body.Kind != query.BodyRaw || del.Body.Text != "closing because duplicate" || del.Body.ContentType != "text/plain" {
		t.Errorf("text body %+v", del.Body)
	}
	if !hasLeftOut(p, "webhooks.ticketCreated", "does not receive") || !hasLeftOut(p, "components.securitySchemes.mtls", "client certificate") {
		t.Errorf("left out %v", p.LeftOut)
	}
}

// With Discover, an openIdConnect scheme's sign-in addresses are read from its discovery document, served here.
func TestOpenIDConnectDiscovery(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, `{"issuer": %q, "authorization_endpoint": %q, "token_endpoint": %q, "code_challenge_methods_supported": ["S256"]}`,
			srv.URL, srv.URL+"/authorize", srv.URL+"/token")
	}))
	defer srv.Close()
	doc := fmt.Sprintf(`{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {},
		"components": {"securitySchemes": {"id": {"type": "openIdConnect", "openIdConnectUrl": %q}}}}`, srv.URL+wellKnown)
	p, err := Read(context.Background(), imports.Source{Name: "t.json", Data: []byte(doc)}, Options{Discover: true})
	if err != nil {
		t.Fatal(err)
	}
	o := p.Resources[0].Resource.Auth.OAuth2
	if o.Issuer != srv.URL || o.AuthURL != srv.URL+"/authorize" || o.TokenURL != srv.URL+"/token" || o.Grant != resource.GrantAuthorizationCode {
		t.Errorf("discovered %+v", o)
	}
	// Without Discover nothing is fetched.
	srv.Close()
	p, err = Read(context.Background(), imports.Source{Name: "t.json", Data: []byte(doc)}, Options{})
	if err != nil || p.Resources[0].Resource.Auth.OAuth2.TokenURL != "" {
		t.Errorf("%v %+v", err, p)
	}
}

func TestSwagger2(t *testing.T) {
	p := readFile(t, "swagger2.yaml", Options{})
	r := p.Resources[0]
	if p.Format != "Swagger 2.0" || r.Resource.BaseURL != "https://shop.example/api" || !reflect.DeepEqual(r.BaseURLs, []string{"https://shop.example/api", "http://shop.example/api"}) {
		t.Fatalf("%s %q %q", p.Format, r.Resource.BaseURL, r.BaseURLs)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.HasPrefix(n, "1 of the operations ask for another authentication than basic")
	}) {
		t.Errorf("notes %q", p.Notes)
	}
	if r.Resource.Auth.Kind != resource.AuthBasic || !hasLeftOut(p, "components.securitySchemes.token", "one way") {
		t.Errorf("auth %+v, left out %v", r.Resource.Auth, p.LeftOut)
	}
	list := queryBySource(t, p, "openapi:listOrders")
	if v := list.Variable("page"); v.Type != query.TypeInteger || v.Default != "1" || v.Min != "1" || !list.Params[0].Enabled {
		t.Errorf("page %+v %+v", v, list.Params)
	}
	if v := list.Variable("state"); v.Type != query.TypeChoice || len(v.Options) != 2 || list.Params[1].Enabled {
		t.Errorf("state %+v %+v", v, list.Params)
	}
	create := queryBySource(t, p, "openapi:createOrder")
	if create.Body.Text != "{\n  \"gift\": {{gift}},\n  \"item\": \"{{item}}\",\n  \"quantity\": {{quantity}}\n}" || create.Variable("quantity").Min != "1" {
		t.Errorf("body parameter %q %+v", create.Body.Text, create.Variables)
	}
	upload := queryBySource(t, p, "openapi:uploadInvoice")
	if upload.Body.Kind != query.BodyMultipart || len(upload.Body.Parts) != 2 || upload.Body.Parts[1].File != "{{pdf}}" || !upload.Body.Parts[1].Enabled {
		t.Errorf("formData with a file %+v", upload.Body)
	}
}

// $refs to other files are followed next to a document read from its file, and next to one read from an address
// on its server; a document with neither says to import it from its file.
func TestRefsAcrossFiles(t *testing.T) {
	check := func(t *testing.T, p *imports.Plan) {
		t.Helper()
		checkPlan(t, p)
		get := queryBySource(t, p, "openapi:getUser")
		if get.Path != "/users/{{userId}}" || get.Variable("userId").Description != "The user's number" || get.Variable("page").Default != "1" {
			t.Errorf("getUser %+v", get)
		}
		upd := queryBySource(t, p, "openapi:updateUser")
		if !strings.Contains(upd.Body.Text, `"role": "{{role}}"`) || upd.Variable("role").Type != query.TypeChoice || !strings.Contains(upd.Body.Text, `"manager": {`) {
			t.Errorf("updateUser body %s %+v", upd.Body.Text, upd.Variables)
		}
	}
	t.Run("file", func(t *testing.T) { check(t, readFile(t, "multi/main.yaml", Options{})) })
	t.Run("JSON", func(t *testing.T) { check(t, readFile(t, "multi/main.json", Options{})) })

	data, err := os.ReadFile("testdata/multi/main.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("address", func(t *testing.T) {
		srv := httptest.NewServer(http.FileServer(http.Dir("testdata/multi")))
		defer srv.Close()
		p, err := Read(context.Background(), imports.Source{Name: srv.URL + "/main.yaml", URL: srv.URL + "/main.yaml", Data: data}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		check(t, p)
	})
	t.Run("pasted", func(t *testing.T) {
		_, err := Read(context.Background(), imports.Source{Name: "pasted", Data: data}, Options{})
		if !errors.Is(err, imports.ErrFormat) || !strings.Contains(err.Error(), "import the document from its file") || !strings.Contains(err.Error(), "params.yaml") {
			t.Errorf("%v", err)
		}
	})
}

// A $ref to another server is fetched only when allowed, and the error says so; a document from an address may
// not open files on this computer.
func TestRemoteRefs(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "Page:\n  name: page\n  in: query\n  schema: {type: integer}\n")
	}))
	defer other.Close()
	doc := func(ref string) []byte {
		return []byte("openapi: 3.0.3\ninfo: {title: R, version: '1'}\npaths:\n  /x:\n    get:\n      parameters:\n        - $ref: '" + ref + "'\n      responses: {'200': {description: ok}}\n")
	}
	var own *httptest.Server
	own = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/spec.yaml":
			w.Write(doc(other.URL + "/params.yaml#/Page"))
		case "/local.yaml":
			w.Write(doc("file:///etc/passwd#/Page"))
		case "/same.yaml":
			w.Write(doc(own.URL + "/params.yaml#/Page"))
		case "/params.yaml":
			fmt.Fprint(w, "Page:\n  name: page\n  in: query\n  schema: {type: integer}\n")
		}
	}))
	defer own.Close()
	get := func(path string) []byte {
		resp, err := http.Get(own.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := readLimited(resp.Body, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	read := func(path string, opt Options) (*imports.Plan, error) {
		return Read(context.Background(), imports.Source{Name: path, URL: own.URL + path, Data: get(path)}, opt)
	}

	_, err := read("/spec.yaml", Options{})
	if !errors.Is(err, ErrRemoteRef) || !errors.Is(err, imports.ErrFormat) || !strings.Contains(err.Error(), "another server") || !strings.Contains(err.Error(), "line 7") {
		t.Errorf("a $ref to another server: %v", err)
	}
	p, err := read("/spec.yaml", Options{AllowRemote: true})
	if err != nil || p.Resources[0].Queries[0].Variable("page").Type != query.TypeInteger {
		t.Errorf("allowed: %v", err)
	}
	if p, err := read("/same.yaml", Options{}); err != nil || len(p.Resources[0].Queries[0].Params) != 1 {
		t.Errorf("a $ref on the document's own server: %v", err)
	}
	_, err = read("/local.yaml", Options{AllowRemote: true})
	if !errors.Is(err, imports.ErrFormat) || !strings.Contains(err.Error(), "may not open") {
		t.Errorf("a file $ref from an address: %v", err)
	}
	// A file's $ref to an address is remote too.
	dir := t.TempDir()
	path := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(path, doc(own.URL+"/params.yaml#/Page"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(context.Background(), imports.Source{Name: "spec.yaml", Path: path, Data: doc(own.URL + "/params.yaml#/Page")}, Options{}); !errors.Is(err, ErrRemoteRef) {
		t.Errorf("a file's $ref to an address: %v", err)
	}
}

// A document read from a file reads the files of its folder, and others only when allowed.
func TestFileRefsOutsideTheFolder(t *testing.T) {
	dir := t.TempDir()
	params := "Page:\n  name: page\n  in: query\n  schema: {type: integer}\n"
	for name, text := range map[string]string{"shared/params.yaml": params, "api/sub/params.yaml": params} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	read := func(ref string, opt Options) error {
		doc := "openapi: 3.0.3\ninfo: {title: R, version: '1'}\npaths:\n  /x:\n    get:\n      parameters:\n        - $ref: '" + ref + "'\n      responses: {'200': {description: ok}}\n"
		path := filepath.Join(dir, "api", "spec.yaml")
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Read(context.Background(), imports.Source{Name: "spec.yaml", Path: path, Data: []byte(doc)}, opt)
		return err
	}
	if err := read("sub/params.yaml#/Page", Options{}); err != nil {
		t.Errorf("a file in the document's folder: %v", err)
	}
	for _, ref := range []string{"../shared/params.yaml#/Page", filepath.ToSlash(filepath.Join(dir, "shared", "params.yaml")) + "#/Page"} {
		if err := read(ref, Options{}); !errors.Is(err, ErrRemoteRef) || !strings.Contains(err.Error(), "outside the folder") {
			t.Errorf("%s: %v", ref, err)
		}
		if err := read(ref, Options{AllowRemote: true}); err != nil {
			t.Errorf("%s allowed: %v", ref, err)
		}
	}
}

// Circular $refs are refused with where they are, at once; a recursive schema (legal) makes a body that stops.
func TestCircularRefs(t *testing.T) {
	cases := []struct {
		name, doc, where string
	}{
		{"schemas", "", "paths./a.post.requestBody.content.application/json.schema"},
		{"parameters", `openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a:
    get:
      parameters: [{$ref: '#/components/parameters/P'}]
      responses: {'200': {description: ok}}
components:
  parameters:
    P: {$ref: '#/components/parameters/Q'}
    Q: {$ref: '#/components/parameters/P'}
`, "paths./a.get.parameters[0]"},
		{"path items", `openapi: 3.1.0
info: {title: x, version: '1'}
paths:
  /a: {$ref: '#/paths/~1b'}
  /b: {$ref: '#/paths/~1a'}
`, "paths./"},
		{"request bodies", `openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a:
    post:
      requestBody: {$ref: '#/components/requestBodies/A'}
      responses: {'200': {description: ok}}
components:
  requestBodies:
    A: {$ref: '#/components/requestBodies/B'}
    B: {$ref: '#/components/requestBodies/A'}
`, "paths./a.post.requestBody"},
		{"a property", `openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                loop: {$ref: '#/components/schemas/A'}
      responses: {'200': {description: ok}}
components:
  schemas:
    A: {$ref: '#/components/schemas/A'}
`, "paths./a.post.requestBody.content.application/json.schema.properties.loop"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(c.doc)
			if c.doc == "" {
				var err error
				if data, err = os.ReadFile("testdata/circular.yaml"); err != nil {
					t.Fatal(err)
				}
			}
			done := make(chan error, 1)
			go func() {
				_, err := Read(context.Background(), imports.Source{Name: c.name, Data: data}, Options{})
				done <- err
			}()
			select {
			case err := <-done:
				var fe *imports.FormatError
				if !errors.As(err, &fe) || !strings.HasPrefix(fe.Where, c.where) || !strings.Contains(fe.Msg, "circular") {
					t.Errorf("%v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Read hangs on a circular $ref")
			}
		})
	}

	recursive := `openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /tree:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Node'}
      responses: {'200': {description: ok}}
components:
  schemas:
    Node:
      type: object
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        parent: {$ref: '#/components/schemas/Node'}
`
	p, err := Read(context.Background(), imports.Source{Name: "tree", Data: []byte(recursive)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, p)
	want := "{\n  \"children\": [\n    {}\n  ],\n  \"name\": \"{{name}}\",\n  \"parent\": {}\n}"
	if got := p.Resources[0].Queries[0].Body.Text; got != want {
		t.Errorf("a recursive schema's body:\n%s", got)
	}
}

// A document that cannot be read says where, in words.
func TestInvalidDocuments(t *testing.T) {
	invalid, err := os.ReadFile("testdata/invalid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, doc, where, msg string
	}{
		{"yaml", string(invalid), "line 10", "not well formed"},
		{"json", "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"x\" \"version\": \"1\"}\n}", "line 3", "not valid JSON"},
		{"json cut short", "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {", "line 3", "stops before its end"},
		{"a wrong type", "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: 5\n", "line 6 (paths./a.get.parameters)", "a number (5) is not what belongs here"},
		{"a wrong type in JSON", `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"},` + "\n" + `"paths": {"/a": {"get": {"parameters": 5}}}}`, "line 2 (paths./a.get.parameters)", "a number (5) is not what belongs here"},
		{"a wrong type in Swagger", `{"swagger": "2.0", "info": 5}`, "Info", "a number is not what belongs here"},
		{"empty", "", "", "empty"},
		{"a list", "- openapi: 3.0.0\n", "line 1", "list"},
		{"no version", "info: {title: x}\npaths: {}\n", "", "which OpenAPI version"},
		{"swagger 1.2", "swagger: '1.2'\n", "swagger", "Swagger 1.2"},
		{"openapi 4", "openapi: 4.0.0\n", "openapi", "OpenAPI 4.0.0"},
		{"a missing $ref", "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Nope'\n      responses: {'200': {description: ok}}\n", "line 7", "points at nothing"},
		{"a missing file", "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    $ref: 'nowhere.yaml'\n", "line 5", "no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "doc.yaml")
			if err := os.WriteFile(path, []byte(c.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Read(context.Background(), imports.Source{Name: "doc.yaml", Path: path, Data: []byte(c.doc)}, Options{})
			var fe *imports.FormatError
			if !errors.As(err, &fe) || !errors.Is(err, imports.ErrFormat) {
				t.Fatalf("%v is no FormatError", err)
			}
			if fe.Where != c.where || !strings.Contains(fe.Msg, c.msg) {
				t.Errorf("where %q, message %q", fe.Where, fe.Msg)
			}
		})
	}
}

// A body field whose name says it is secret is a secret variable, without the example as its default; an
// operation whose path or method the workspace refuses is left out.
func TestSecretsAndRefusedOperations(t *testing.T) {
	doc := `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {
		"/pin": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object",
			"properties": {"pin": {"type": "integer", "example": 1234}, "password": {"type": "string", "example": "hunter2"}}}}}}}},
		"https://elsewhere.example/x": {"get": {}}}}`
	p, err := Read(context.Background(), imports.Source{Name: "x", Data: []byte(doc)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, p)
	q := p.Resources[0].Queries
	if len(q) != 1 || q[0].Variable("password").Type != query.TypeSecret || q[0].Variable("password").Default != "" || strings.Contains(q[0].Body.Text, "hunter2") {
		t.Errorf("queries %+v", q)
	}
	if !hasLeftOut(p, "paths.https://elsewhere.example/x.get", "relative") {
		t.Errorf("left out %v", p.LeftOut)
	}
}

func TestLongNames(t *testing.T) {
	long := strings.Repeat("é", 79) + "x"
	doc := `{"openapi": "3.0.3", "info": {"title": "` + long + `", "version": "1"}, "paths": {"/a": {"get": {"summary": "` + long + `"}}}}`
	p, err := Read(context.Background(), imports.Source{Name: "x", Data: []byte(doc)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, p)
	if n := p.Resources[0].Queries[0].Name; len(n) > 90 || !strings.HasPrefix(n, "éé") || !strings.HasSuffix(n, "…") {
		t.Errorf("name %q", n)
	}
}

// A plan applies to a workspace, and a second import of the same document updates what the first made.
func TestApplyTwice(t *testing.T) {
	ctx := context.Background()
	ws, err := workspace.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Load(ctx); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"Created resource Split with 2 queries", "Added 0 queries to Split, updated 2"} {
		p := readFile(t, "multi/main.yaml", Options{})
		out, err := imports.Apply(ctx, ws, nil, p, imports.Options{})
		if err != nil || len(out) != 1 || out[0].String() != want {
			t.Fatalf("import %d: %v %v", i+1, out, err)
		}
	}
	res, err := ws.ResourceByName("Split")
	if err != nil {
		t.Fatal(err)
	}
	qs := ws.QueriesOf(res.ID)
	if len(qs) != 2 || qs[0].Variable("userId").Type != query.TypeInteger {
		t.Errorf("%d queries saved: %+v", len(qs), qs)
	}
}

// Read stops when its context is done.
func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data, err := os.ReadFile("testdata/petstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Read(ctx, imports.Source{Name: "p", Data: data}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("%v", err)
	}
}
