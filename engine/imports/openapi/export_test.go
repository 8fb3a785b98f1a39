package openapi

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"apidesk/engine/imports"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

func pointers(qs []query.Query) []*query.Query {
	out := make([]*query.Query, len(qs))
	for i := range qs {
		out[i] = &qs[i]
	}
	return out
}

// validate reads an exported document with kin-openapi and checks it against the OpenAPI rules it knows.
func validate(t *testing.T, doc []byte) {
	t.Helper()
	loader := openapi3.NewLoader()
	d, err := loader.LoadFromData(doc)
	if err != nil {
		t.Fatalf("the export does not load: %v\n%s", err, doc)
	}
	if err := d.Validate(context.Background()); err != nil {
		t.Errorf("the export is not valid OpenAPI: %v\n%s", err, doc)
	}
}

// Each document imports, exports and imports again into the same resource and queries.
func TestExportReadsBack(t *testing.T) {
	for _, name := range []string{"petstore.yaml", "api31.json", "swagger2.yaml", "multi/main.yaml"} {
		t.Run(name, func(t *testing.T) {
			first := readFile(t, name, Options{}).Resources[0]
			doc, left, err := ExportAll(&first.Resource, pointers(first.Queries))
			if err != nil || len(left) > 0 {
				t.Fatalf("export: %v, left out %v", err, left)
			}
			validate(t, doc)
			p, err := Read(context.Background(), imports.Source{Name: "export.json", Data: doc}, Options{})
			if err != nil {
				t.Fatalf("the export does not read back: %v\n%s", err, doc)
			}
			if p.Format != "OpenAPI 3.1" {
				t.Errorf("format %s", p.Format)
			}
			again := p.Resources[0]
			if again.Resource.Name != first.Resource.Name || again.Resource.BaseURL != first.Resource.BaseURL || !reflect.DeepEqual(again.Resource.Auth, first.Resource.Auth) {
				t.Errorf("resource\n%+v\nread back as\n%+v", first.Resource, again.Resource)
			}
			if len(again.Queries) != len(first.Queries) {
				t.Fatalf("%d queries read back as %d", len(first.Queries), len(again.Queries))
			}
			for i, q := range first.Queries {
				if got := again.Queries[i]; !reflect.DeepEqual(got, q) {
					t.Errorf("query %s\n%+v\nread back as\n%+v", q.Name, q, got)
				}
			}
		})
	}
}

// crm is a resource and queries as a person makes them by hand, some of them with secrets written in.
func crm() (*resource.Resource, []*query.Query) {
	res := &resource.Resource{Name: "CRM", BaseURL: "https://{{tenant}}.crm.example/api",
		Headers: kv.List{kv.On("X-Api-Key", "k-resource-secret"), kv.On("X-Client", "apidesk")},
		Auth:    resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{Grant: resource.GrantClientCredentials, TokenURL: "https://crm.example/token", ClientID: "client-123", Scopes: []string{"contacts"}}}}
	qs := []*query.Query{{
		Name: "Find contacts", Method: "GET", Path: "/contacts/search?q=ada&limit=10",
		Headers:   kv.List{kv.On("Authorization", "Bearer t-header-secret"), kv.On("X-Session-Token", "t-session-secret")},
		Cookies:   kv.List{kv.On("sessionid", "c-cookie-secret"), kv.On("theme", "dark")},
		Params:    kv.List{kv.On("api_key", "p-param-secret"), kv.On("token", "{{token}}")},
		Variables: []query.Variable{{Name: "token", Type: query.TypeSecret}},
	}, {
		Name: "Log in", Method: "POST", Path: "login",
		Body: query.Body{Kind: query.BodyForm, Form: kv.List{kv.On("user", "ada"), kv.On("password", "f-form-secret")}},
	}, {
		Name: "Add a contact", Method: "POST", Path: "/contacts",
		Body: query.Body{Kind: query.BodyJSON, Text: `{"name": "Ada", "tags": ["vip", "new"], "age": 36}`},
	}}
	return res, qs
}

// An export holds no secret: not a key, token, password or cookie written in a query or its resource.
func TestExportHoldsNoSecret(t *testing.T) {
	res, qs := crm()
	doc, left, err := ExportAll(res, qs)
	if err != nil || len(left) > 0 {
		t.Fatalf("%v %v", err, left)
	}
	validate(t, doc)
	for _, secret := range []string{"secret", "client-123"} {
		if strings.Contains(string(doc), secret) {
			t.Errorf("the export holds %q:\n%s", secret, doc)
		}
	}
	p, err := Read(context.Background(), imports.Source{Name: "crm.json", Data: doc}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, p)
	r := p.Resources[0]
	if r.Resource.BaseURL != "https://{{tenant}}.crm.example/api" && r.Resource.BaseURL != "https://tenant.crm.example/api" {
		t.Errorf("base URL %s", r.Resource.BaseURL)
	}
	if r.Resource.Auth.OAuth2.Grant != resource.GrantClientCredentials || r.Resource.Auth.OAuth2.TokenURL != "https://crm.example/token" {
		t.Errorf("auth %+v", r.Resource.Auth)
	}
	find := r.Queries[0]
	if find.Path != "/contacts/search" || !find.Params.Has("q", false) || !find.Params.Has("limit", false) || find.Variable("token").Type != query.TypeSecret {
		t.Errorf("find %+v", find)
	}
	if v := find.Variable("X-Client"); v.Default != "apidesk" {
		t.Errorf("the resource's header with its value: %+v", find.Variables)
	}
	if login := r.Queries[1]; login.Path != "/login" || login.Body.Kind != query.BodyForm || login.Variable("password").Type != query.TypeSecret || login.Variable("user").Default != "ada" {
		t.Errorf("login %+v", login)
	}
	if add := r.Queries[2]; add.Body.Text != "{\n  \"age\": 36,\n  \"name\": \"Ada\",\n  \"tags\": [\n    \"vip\",\n    \"new\"\n  ]\n}" {
		t.Errorf("a JSON body reads back as its example:\n%s", add.Body.Text)
	}
}

// OpenAPI has one operation per method and path: a second query of the same is left out, said so.
func TestExportSamePathTwice(t *testing.T) {
	res := &resource.Resource{Name: "X", BaseURL: "https://x.example"}
	qs := []*query.Query{
		{Name: "By id", Method: "GET", Path: "/users/{{id}}"},
		{Name: "By login", Method: "GET", Path: "/users/{{login}}"},
		{Name: "Delete", Method: "DELETE", Path: "/users/{{id}}"},
	}
	doc, left, err := ExportAll(res, qs)
	if err != nil || len(left) != 1 || left[0].What != "the query By login" || !strings.Contains(left[0].Why, "By id") {
		t.Fatalf("%v %v", err, left)
	}
	validate(t, doc)
}
