package postman_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"apidesk/engine/imports"
	"apidesk/engine/imports/postman"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

func shop(auth resource.Auth) *resource.Resource {
	return &resource.Resource{ID: "r1", Name: "Shop", BaseURL: "https://shop.example/api", Auth: auth}
}

// shopQueries cover each body kind, disabled rows, values Postman would read otherwise in a URL, nested
// folders and variables with defaults.
func shopQueries() []*query.Query {
	return []*query.Query{
		{ID: "q1", Name: "List products", Method: "GET", Path: "/products", Group: "Catalog",
			Params:    kv.List{kv.On("limit", "{{limit}}"), kv.On("q", "a b&c+d 100%#"), {Key: "sort", Value: "name"}},
			Headers:   kv.List{kv.On("Accept", "application/json"), {Key: "X-Debug", Value: "1"}},
			Variables: []query.Variable{{Name: "limit", Default: "20", Description: "How many a page holds"}}},
		{ID: "q2", Name: "Get product", Method: "GET", Path: "/products/{{id}}", Group: "Catalog/Details",
			Variables: []query.Variable{{Name: "id", Default: "7", Description: "The product's number"}}},
		{ID: "q3", Name: "Create product", Method: "POST", Path: "/products", Group: "Catalog",
			Body: query.Body{Kind: query.BodyJSON, Text: `{"name": "{{name}}", "price": 10}`}},
		{ID: "q4", Name: "Import CSV", Method: "PUT", Path: "/imports",
			Body: query.Body{Kind: query.BodyRaw, Text: "a,b\n1,2\n", ContentType: "text/csv"}},
		{ID: "q5", Name: "Upload", Method: "POST", Path: "/uploads",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{{Name: "note", Value: "hi", Enabled: true},
				{Name: "picture", File: "/tmp/a.png", ContentType: "image/png", Enabled: true}, {Name: "x", Value: "off"}}}},
		{ID: "q6", Name: "Log in", Method: "POST", Path: "/login",
			Body:      query.Body{Kind: query.BodyForm, Form: kv.List{kv.On("user", "ada"), kv.On("password", "{{password}}"), {Key: "remember", Value: "1"}}},
			Variables: []query.Variable{{Name: "password", Type: query.TypeSecret}}},
		{ID: "q7", Name: "Send file", Method: "POST", Path: "/files",
			Body: query.Body{Kind: query.BodyFile, File: "data/f.bin", ContentType: "application/octet-stream"}},
		{ID: "q8", Name: "Delete product", Method: "DELETE", Path: "/products/{{id}}", Group: "Catalog/Details",
			Variables: []query.Variable{{Name: "id", Default: "7"}}},
	}
}

var auths = map[string]resource.Auth{
	"none":          {},
	"bearer":        {Kind: resource.AuthBearer},
	"basic":         {Kind: resource.AuthBasic, Username: "ada"},
	"digest":        {Kind: resource.AuthDigest, Username: "ada"},
	"api key":       {Kind: resource.AuthAPIKey, KeyName: "X-API-Key", KeyIn: resource.KeyInHeader},
	"api key query": {Kind: resource.AuthAPIKey, KeyName: "key", KeyIn: resource.KeyInQuery},
	"oauth2": {Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{Grant: resource.GrantAuthorizationCode,
		AuthURL: "https://id.example/authorize", TokenURL: "https://id.example/token", ClientID: "shop-app",
		ClientAuth: resource.ClientAuthBody, Scopes: []string{"read", "write"}, RedirectPort: 8765,
		AuthParams: kv.List{kv.On("audience", "shop"), {Key: "prompt", Value: "login"}}, TokenParams: kv.List{kv.On("resource", "https://shop.example")}}},
	"oauth2 client credentials": {Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{Grant: resource.GrantClientCredentials,
		TokenURL: "https://id.example/token", ClientID: "shop-app"}},
}

// A resource exported and read again gives the same resource (its authentication, without secrets) and the
// same queries.
func TestExportRoundTrip(t *testing.T) {
	for name, auth := range auths {
		t.Run(name, func(t *testing.T) {
			res := shop(auth)
			data, err := postman.Export(res, shopQueries())
			if err != nil {
				t.Fatal(err)
			}
			p, err := postman.Read(context.Background(), imports.Source{Name: "shop.json", Data: data})
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			r := p.Resources[0]
			want := *res
			want.ID = ""
			if !reflect.DeepEqual(r.Resource, want) {
				t.Errorf("resource\n%+v, want\n%+v", r.Resource, want)
			}
			got := map[string]query.Query{}
			for _, q := range r.Queries {
				got[q.Name] = q
			}
			for _, q := range shopQueries() {
				w := *q
				w.ID, w.Source = "", "postman:"+q.ID
				if !reflect.DeepEqual(got[q.Name], w) {
					t.Errorf("query %s\n%+v, want\n%+v", q.Name, got[q.Name], w)
				}
			}
			if len(r.Queries) != len(shopQueries()) {
				t.Errorf("%d queries", len(r.Queries))
			}
			for _, l := range p.LeftOut {
				if !strings.HasPrefix(l.What, "the ") || l.Where != "the collection" {
					t.Errorf("left out: %s", l)
				}
			}
		})
	}
}

// Export writes no secret: the resource holds none, and a secret variable gets no collection variable.
func TestExportSecrets(t *testing.T) {
	data, err := postman.Export(shop(auths["oauth2"]), shopQueries())
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{`"value": "{{client_secret}}"`, `"key": "baseUrl"`, `"value": "https://shop.example/api"`, `"schema": "` + postman.Schema} {
		if !strings.Contains(s, want) {
			t.Errorf("the collection has no %s", want)
		}
	}
	var c struct {
		Variable []struct{ Key string }
	}
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	for _, v := range c.Variable {
		if v.Key == "password" {
			t.Error("a secret variable became a collection variable")
		}
	}
	for kind, v := range map[string]string{"bearer": "{{token}}", "basic": "{{password}}", "api key": "{{api_key}}"} {
		data, _ := postman.Export(shop(auths[kind]), nil)
		if !strings.Contains(string(data), `"value": "`+v+`"`) {
			t.Errorf("%s: no %s in\n%s", kind, v, data)
		}
	}
}

// The resource's own headers, URL parameters and cookies are written into each request; the query's rows of
// the same name replace them.
func TestExportResourceRows(t *testing.T) {
	res := shop(resource.Auth{})
	res.Headers = kv.List{kv.On("X-Tenant", "acme"), kv.On("Accept", "text/plain")}
	res.Params = kv.List{kv.On("v", "2")}
	res.Cookies = kv.List{kv.On("theme", "dark")}
	data, err := postman.Export(res, shopQueries()[:1])
	if err != nil {
		t.Fatal(err)
	}
	p, err := postman.Read(context.Background(), imports.Source{Name: "shop.json", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	q := p.Resources[0].Queries[0]
	wantHeaders := kv.List{kv.On("X-Tenant", "acme"), kv.On("Accept", "application/json"), {Key: "X-Debug", Value: "1"}, kv.On("Cookie", "theme=dark")}
	if !reflect.DeepEqual(q.Headers, wantHeaders) || q.Params[0] != kv.On("v", "2") || len(q.Params) != 4 {
		t.Errorf("headers %v, params %v", q.Headers, q.Params)
	}
}

// sdkOutput is what testdata/sdk/read.js prints of a collection Postman's library read.
type sdkOutput struct {
	Name      string            `json:"name"`
	Auth      *sdkAuth          `json:"auth"`
	Variables map[string]string `json:"variables"`
	Items     []sdkItem         `json:"items"`
	Stable    bool              `json:"stable"`
}

type sdkAuth struct {
	Type   string         `json:"type"`
	Params map[string]any `json:"params"`
}

type sdkItem struct {
	ID, Name, Folder, Method, URL string
	Path                          string // as written, with its :variables
	PathVariables                 []sdkPathVar
	Auth                          string // the type of the authentication it uses, its own or inherited
	Headers                       []sdkRow
	Body                          map[string]any
}

type sdkPathVar struct{ Key, Value, Description string }

type sdkRow struct {
	Key, Value string
	Disabled   bool
}

// postmanSDK installs Postman's own libraries (postman-collection, postman-collection-transformer) and its
// runner, newman, into .npm (which git ignores) and returns the node_modules folder; the test is skipped when
// node or npm is missing.
func postmanSDK(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: the collection is not checked with Postman's library", tool)
		}
	}
	const version, transformer, newman = "5.3.1", "4.1.14", "6.2.2"
	dir, err := filepath.Abs(".npm")
	if err != nil {
		t.Fatal(err)
	}
	modules := filepath.Join(dir, "node_modules")
	installed := func(name, version string) bool {
		var pkg struct{ Version string }
		data, err := os.ReadFile(filepath.Join(modules, name, "package.json"))
		return err == nil && json.Unmarshal(data, &pkg) == nil && pkg.Version == version
	}
	if installed("postman-collection", version) && installed("postman-collection-transformer", transformer) && installed("newman", newman) {
		return modules
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", dir,
		"postman-collection@"+version, "postman-collection-transformer@"+transformer, "newman@"+newman)
	cmd.WaitDelay = 5 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install: %v\n%s", err, out)
	}
	return modules
}

// Postman's own library reads the exported collection as apidesk meant it: folders, requests, URLs, headers,
// bodies, authentication and variables, and writes back what it read.
func TestExportReadByPostman(t *testing.T) {
	data, err := postman.Export(shop(auths["oauth2"]), shopQueries())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "shop.postman_collection.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out := node(t, "read.js", file)
	var got sdkOutput
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Name != "Shop" || !got.Stable {
		t.Errorf("name %q, stable %v", got.Name, got.Stable)
	}
	wantVars := map[string]string{"baseUrl": "https://shop.example/api", "limit": "20"} // id is the requests' :id
	if !reflect.DeepEqual(got.Variables, wantVars) {
		t.Errorf("variables %v", got.Variables)
	}
	wantAuth := sdkAuth{Type: "oauth2", Params: map[string]any{"grant_type": "authorization_code_with_pkce",
		"authUrl": "https://id.example/authorize", "accessTokenUrl": "https://id.example/token", "clientId": "shop-app",
		"clientSecret": "{{client_secret}}", "scope": "read write", "client_authentication": "body", "redirect_uri": "http://127.0.0.1:8765/",
		"addTokenTo": "header",
		"authRequestParams": []any{map[string]any{"key": "audience", "value": "shop", "enabled": true, "send_as": "request_url"},
			map[string]any{"key": "prompt", "value": "login", "enabled": false, "send_as": "request_url"}},
		"tokenRequestParams": []any{map[string]any{"key": "resource", "value": "https://shop.example", "enabled": true, "send_as": "request_body"}}}}
	if got.Auth == nil || !reflect.DeepEqual(*got.Auth, wantAuth) {
		t.Errorf("auth\n%+v, want\n%+v", got.Auth, wantAuth)
	}
	json := sdkRow{Key: "Content-Type", Value: "application/json"}
	want := []sdkItem{
		{ID: "q1", Name: "List products", Folder: "Catalog", Method: "GET", URL: "{{baseUrl}}/products?limit={{limit}}&q=a%20b%26c%2Bd%20100%25%23",
			Headers: []sdkRow{{Key: "Accept", Value: "application/json"}, {Key: "X-Debug", Value: "1", Disabled: true}}},
		{ID: "q2", Name: "Get product", Folder: "Catalog/Details", Method: "GET", URL: "{{baseUrl}}/products/7", Path: "/products/:id",
			PathVariables: []sdkPathVar{{Key: "id", Value: "7", Description: "The product's number"}}, Headers: []sdkRow{}},
		{ID: "q8", Name: "Delete product", Folder: "Catalog/Details", Method: "DELETE", URL: "{{baseUrl}}/products/7", Path: "/products/:id",
			PathVariables: []sdkPathVar{{Key: "id", Value: "7"}}, Headers: []sdkRow{}},
		{ID: "q3", Name: "Create product", Folder: "Catalog", Method: "POST", URL: "{{baseUrl}}/products", Headers: []sdkRow{json},
			Body: map[string]any{"mode": "raw", "raw": `{"name": "{{name}}", "price": 10}`, "language": "json"}},
		{ID: "q4", Name: "Import CSV", Method: "PUT", URL: "{{baseUrl}}/imports", Headers: []sdkRow{{Key: "Content-Type", Value: "text/csv"}},
			Body: map[string]any{"mode": "raw", "raw": "a,b\n1,2\n", "language": "text"}},
		{ID: "q5", Name: "Upload", Method: "POST", URL: "{{baseUrl}}/uploads", Headers: []sdkRow{},
			Body: map[string]any{"mode": "formdata", "rows": []any{
				map[string]any{"key": "note", "type": "text", "value": "hi", "src": "", "contentType": "", "disabled": false},
				map[string]any{"key": "picture", "type": "file", "value": "", "src": "/tmp/a.png", "contentType": "image/png", "disabled": false},
				map[string]any{"key": "x", "type": "text", "value": "off", "src": "", "contentType": "", "disabled": true}}}},
		{ID: "q6", Name: "Log in", Method: "POST", URL: "{{baseUrl}}/login", Headers: []sdkRow{},
			Body: map[string]any{"mode": "urlencoded", "rows": []any{
				map[string]any{"key": "user", "value": "ada", "disabled": false},
				map[string]any{"key": "password", "value": "{{password}}", "disabled": false},
				map[string]any{"key": "remember", "value": "1", "disabled": true}}}},
		{ID: "q7", Name: "Send file", Method: "POST", URL: "{{baseUrl}}/files", Headers: []sdkRow{{Key: "Content-Type", Value: "application/octet-stream"}},
			Body: map[string]any{"mode": "file", "src": "data/f.bin"}},
	}
	if len(got.Items) != len(want) {
		t.Fatalf("%d requests, want %d:\n%s", len(got.Items), len(want), out)
	}
	for i := range want {
		want[i].Auth = "oauth2" // the collection's
		if want[i].Path == "" {
			want[i].Path, _, _ = strings.Cut(strings.TrimPrefix(want[i].URL, "{{baseUrl}}"), "?")
		}
		if want[i].PathVariables == nil {
			want[i].PathVariables = []sdkPathVar{}
		}
		if !reflect.DeepEqual(got.Items[i], want[i]) {
			t.Errorf("request %d\n%+v, want\n%+v", i, got.Items[i], want[i])
		}
	}
}

// node runs a script of testdata/sdk with Postman's libraries on a file and returns what it prints.
func node(t *testing.T, script, file string) []byte {
	t.Helper()
	modules := postmanSDK(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join("testdata", "sdk", script), file)
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, out)
	}
	return out
}

// A collection v2.0 as Postman's own converter writes it (auth attributes in objects, folders before requests,
// new ids for the requests that had none) reads as its v2.1 original does.
func TestReadV20ByPostmanConverter(t *testing.T) {
	data := node(t, "v20.js", filepath.Join("testdata", "crm.postman_collection.json"))
	p20, err := postman.Read(context.Background(), imports.Source{Name: "crm.v2.0.json", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	p21 := read(t, "crm.postman_collection.json")
	if p20.Format != "Postman collection v2.0" || !reflect.DeepEqual(p20.Resources[0].Resource, p21.Resources[0].Resource) {
		t.Fatalf("%s: resource\n%+v, want\n%+v", p20.Format, p20.Resources[0].Resource, p21.Resources[0].Resource)
	}
	noSecrets(t, "the plan", fmt.Sprintf("%#v", p20))
	v20 := map[string]query.Query{}
	for _, q := range p20.Resources[0].Queries {
		v20[q.Name] = q
	}
	if len(v20) != len(p21.Resources[0].Queries) {
		t.Errorf("%d queries, want %d", len(v20), len(p21.Resources[0].Queries))
	}
	for _, want := range p21.Resources[0].Queries {
		got := v20[want.Name]
		if strings.HasPrefix(want.Source, "postman:req-") && got.Source != want.Source {
			t.Errorf("%s: source %s, want %s", want.Name, got.Source, want.Source)
		}
		got.Source, want.Source = "", ""
		if !reflect.DeepEqual(got, want) {
			t.Errorf("query %s\n%+v, want\n%+v", want.Name, got, want)
		}
	}
}

// edgeQueries have the parts whose export Postman reads in its own way: empty bodies of each kind, a path
// variable with a default, a variable whose default differs from another query's, and a secret one.
func edgeQueries() []*query.Query {
	return []*query.Query{
		{ID: "e1", Name: "Empty form", Method: "POST", Path: "/form", Body: query.Body{Kind: query.BodyForm}},
		{ID: "e2", Name: "Empty multipart", Method: "POST", Path: "/multipart", Body: query.Body{Kind: query.BodyMultipart}},
		{ID: "e3", Name: "Empty CSV", Method: "PUT", Path: "/csv", Body: query.Body{Kind: query.BodyRaw, ContentType: "text/csv"}},
		{ID: "e4", Name: "Page", Method: "GET", Path: "/items", Params: kv.List{kv.On("limit", "{{limit}}")},
			Variables: []query.Variable{{Name: "limit", Default: "20", Description: "Page size"}}},
		{ID: "e5", Name: "Small page", Method: "GET", Path: "/items", Params: kv.List{kv.On("limit", "{{limit}}")},
			Variables: []query.Variable{{Name: "limit", Default: "5", Description: "Fewer here"}}},
		{ID: "e6", Name: "Item", Method: "GET", Path: "/items/{{id}}/{{part}}/{{key}}", Headers: kv.List{kv.On("X-Item", "{{id}}")},
			Variables: []query.Variable{{Name: "id", Default: "7", Description: "The item's number"}, {Name: "key", Type: query.TypeSecret},
				{Name: "part", Description: "Which part"}}},
	}
}

// exportJSON is what Export writes, decoded.
type exportJSON struct {
	Auth     map[string]any
	Variable []struct{ Key, Value, Description string }
	Item     []struct {
		ID       string
		Variable []struct{ Key, Value, Description string }
		Request  struct {
			Header []struct{ Key string }
			Body   map[string]any
			URL    struct {
				Raw      string
				Path     []string
				Variable []map[string]string
			}
		}
	}
}

// A resource without authentication is written with Postman's explicit “No auth”, which its requests inherit,
// and read again as none.
func TestExportNoAuth(t *testing.T) {
	data, err := postman.Export(shop(resource.Auth{}), edgeQueries())
	if err != nil {
		t.Fatal(err)
	}
	var c exportJSON
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Auth, map[string]any{"type": "noauth"}) {
		t.Errorf("auth %v", c.Auth)
	}
	p, err := postman.Read(context.Background(), imports.Source{Name: "shop.json", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if a := p.Resources[0].Resource.Auth; !reflect.DeepEqual(a, resource.Auth{}) {
		t.Errorf("read again, auth %+v", a)
	}
	for _, l := range p.LeftOut {
		t.Errorf("left out: %s", l)
	}
}

// The defaults of a query's variables: a path segment that is one variable with a default becomes Postman's
// :name with its value and description; the others are the collection's variables, and a query whose default
// differs lists its own on its request. Secrets and variables without a default are written as {{name}} alone.
// Read again, each query has its own defaults back; empty bodies are written as Postman writes them and read
// again as what Postman sends for them: nothing.
func TestExportVariablesAndEmptyBodies(t *testing.T) {
	data, err := postman.Export(shop(resource.Auth{}), edgeQueries())
	if err != nil {
		t.Fatal(err)
	}
	var c exportJSON
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, v := range c.Variable {
		vars[v.Key] = v.Value + "|" + v.Description
	}
	if want := map[string]string{"baseUrl": "https://shop.example/api|", "limit": "20|Page size", "id": "7|The item's number"}; !reflect.DeepEqual(vars, want) {
		t.Errorf("collection variables %v, want %v", vars, want)
	}
	items := map[string]int{}
	for i, it := range c.Item {
		items[it.ID] = i
	}
	small := c.Item[items["e5"]]
	if len(small.Variable) != 1 || small.Variable[0].Key != "limit" || small.Variable[0].Value != "5" || small.Variable[0].Description != "Fewer here" {
		t.Errorf("Small page's variables %+v", small.Variable)
	}
	for _, id := range []string{"e1", "e2", "e3", "e4", "e6"} {
		if v := c.Item[items[id]].Variable; v != nil {
			t.Errorf("%s has variables of its own: %+v", id, v)
		}
	}
	u := c.Item[items["e6"]].Request.URL
	if u.Raw != "{{baseUrl}}/items/:id/{{part}}/{{key}}" || !reflect.DeepEqual(u.Path, []string{"items", ":id", "{{part}}", "{{key}}"}) ||
		!reflect.DeepEqual(u.Variable, []map[string]string{{"key": "id", "value": "7", "description": "The item's number"}}) {
		t.Errorf("Item's URL %+v", u)
	}
	for id, want := range map[string]map[string]any{
		"e1": {"mode": "urlencoded", "urlencoded": []any{}},
		"e2": {"mode": "formdata", "formdata": []any{}},
		"e3": {"mode": "raw", "raw": "", "options": map[string]any{"raw": map[string]any{"language": "text"}}},
	} {
		r := c.Item[items[id]].Request
		if !reflect.DeepEqual(r.Body, want) || len(r.Header) > 0 {
			t.Errorf("%s: body %v, headers %v", id, r.Body, r.Header)
		}
	}
	if !strings.Contains(string(data), "the request lists its own (in its variable field), which Postman does not use") {
		t.Error("the description does not say Postman uses no request's own variables")
	}

	p, err := postman.Read(context.Background(), imports.Source{Name: "shop.json", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]query.Query{}
	for _, q := range p.Resources[0].Queries {
		got[q.Source] = q
	}
	for _, q := range edgeQueries() {
		w := *q
		w.ID, w.Source = "", "postman:"+q.ID
		if w.Body.Kind != query.BodyJSON && w.Body.Text == "" && len(w.Body.Form) == 0 && len(w.Body.Parts) == 0 {
			w.Body = query.Body{} // nothing to send
		}
		if q.ID == "e6" {
			w.Variables = []query.Variable{{Name: "id", Default: "7", Description: "The item's number"}, secretVar("key")} // part's description is not written
		}
		if !reflect.DeepEqual(got[w.Source], w) {
			t.Errorf("read again, %s is\n%+v, want\n%+v", q.Name, got[w.Source], w)
		}
	}
	if len(p.LeftOut) > 0 {
		t.Errorf("left out %q", leftOut(p))
	}
}

// Postman's own library reads these parts as meant: “No auth”, inherited by every request; each empty body in
// its mode, without rows; the path variable's value and description; and the collection's variables, which
// are what Postman uses (it reads no request's own).
func TestExportEdgesReadByPostman(t *testing.T) {
	data, err := postman.Export(shop(resource.Auth{}), edgeQueries())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "edges.postman_collection.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out := node(t, "read.js", file)
	var got sdkOutput
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Auth == nil || got.Auth.Type != "noauth" || len(got.Auth.Params) > 0 || !got.Stable {
		t.Errorf("auth %+v, stable %v", got.Auth, got.Stable)
	}
	if want := map[string]string{"baseUrl": "https://shop.example/api", "limit": "20", "id": "7"}; !reflect.DeepEqual(got.Variables, want) {
		t.Errorf("variables %v", got.Variables)
	}
	want := []sdkItem{
		{ID: "e1", Name: "Empty form", Method: "POST", URL: "{{baseUrl}}/form", Body: map[string]any{"mode": "urlencoded", "empty": true, "rows": []any{}}},
		{ID: "e2", Name: "Empty multipart", Method: "POST", URL: "{{baseUrl}}/multipart", Body: map[string]any{"mode": "formdata", "empty": true, "rows": []any{}}},
		{ID: "e3", Name: "Empty CSV", Method: "PUT", URL: "{{baseUrl}}/csv", Body: map[string]any{"mode": "raw", "empty": true, "raw": "", "language": "text"}},
		{ID: "e4", Name: "Page", Method: "GET", URL: "{{baseUrl}}/items?limit={{limit}}", Path: "/items"},
		{ID: "e5", Name: "Small page", Method: "GET", URL: "{{baseUrl}}/items?limit={{limit}}", Path: "/items"},
		{ID: "e6", Name: "Item", Method: "GET", URL: "{{baseUrl}}/items/7/{{part}}/{{key}}", Path: "/items/:id/{{part}}/{{key}}",
			PathVariables: []sdkPathVar{{Key: "id", Value: "7", Description: "The item's number"}}, Headers: []sdkRow{{Key: "X-Item", Value: "{{id}}"}}},
	}
	if len(got.Items) != len(want) {
		t.Fatalf("%d requests, want %d:\n%s", len(got.Items), len(want), out)
	}
	for i := range want {
		want[i].Auth = "noauth"
		if want[i].Path == "" {
			want[i].Path = strings.TrimPrefix(want[i].URL, "{{baseUrl}}")
		}
		if want[i].PathVariables == nil {
			want[i].PathVariables = []sdkPathVar{}
		}
		if want[i].Headers == nil {
			want[i].Headers = []sdkRow{}
		}
		if !reflect.DeepEqual(got.Items[i], want[i]) {
			t.Errorf("request %d\n%+v, want\n%+v", i, got.Items[i], want[i])
		}
	}
}
