package postman_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/imports"
	"apidesk/engine/imports/postman"
	"apidesk/engine/query"
)

func environment(t *testing.T) (map[string]string, []imports.LeftOut) {
	t.Helper()
	env, left, err := postman.ReadEnvironment(source(t, "staging.postman_environment.json"))
	if err != nil {
		t.Fatal(err)
	}
	return env, left
}

// An environment's values are variable defaults; a secret one (by its type, name or value) and one switched
// off are left out.
func TestReadEnvironment(t *testing.T) {
	env, left := environment(t)
	want := map[string]string{"baseUrl": "https://staging.crm.example/v2", "pageSize": "25", "email": "ada@example.com"}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("values %v, want %v", env, want)
	}
	var got []string
	for _, l := range left {
		got = append(got, l.Where+" | "+l.What)
	}
	wantLeft := []string{"the environment CRM staging | the value of the variable adminToken",
		"the environment CRM staging | the value of the variable password", "the environment CRM staging | the variable old"}
	if !reflect.DeepEqual(got, wantLeft) {
		t.Errorf("left out %q", got)
	}
	noSecrets(t, "the environment", fmt.Sprintf("%#v %#v", env, left))

	_, _, err := postman.ReadEnvironment(source(t, "crm.postman_collection.json"))
	if !errors.Is(err, imports.ErrFormat) || !strings.Contains(err.Error(), "a Postman collection, not an environment") {
		t.Errorf("ReadEnvironment of a collection = %v", err)
	}
	_, _, err = postman.ReadEnvironment(imports.Source{Name: "e.json", Data: []byte("{\n\"values\": [\n{\"key\": 1,}\n]}")})
	if !errors.Is(err, imports.ErrFormat) || !strings.Contains(err.Error(), "this is not a Postman environment: line 3") {
		t.Errorf("ReadEnvironment of broken JSON = %v", err)
	}
}

func queryNamed(t *testing.T, p *imports.Plan, name string) *query.Query {
	t.Helper()
	for _, q := range p.Resources[0].Queries {
		if q.Name == name {
			return &q
		}
	}
	t.Fatalf("no query %q", name)
	return nil
}

// With an environment, its values win over the collection's variables, as in Postman: the base URL is the
// environment's, and so are the defaults; a secret of the environment stays a secret without a default.
func TestReadWithEnvironment(t *testing.T) {
	env, _ := environment(t)
	p, err := postman.ReadWithEnvironment(context.Background(), source(t, "crm.postman_collection.json"), env)
	if err != nil {
		t.Fatal(err)
	}
	if b := p.Resources[0].Resource.BaseURL; b != "https://staging.crm.example/v2" {
		t.Errorf("base URL %q", b)
	}
	if v := queryNamed(t, p, "List contacts").Variable("pageSize"); v.Default != "25" {
		t.Errorf("pageSize %+v", v)
	}
	if v := queryNamed(t, p, "Create lead").Variable("email"); v.Default != "ada@example.com" {
		t.Errorf("email %+v", v)
	}
	if v := queryNamed(t, p, "Delete contact").Variable("adminToken"); !v.Secret() || v.Default != "" {
		t.Errorf("adminToken %+v", v)
	}
	noSecrets(t, "the plan", fmt.Sprintf("%#v", p))
}

// ApplyEnvironment gives a plan read without the environment its values: the base URL the collection had
// none for, and the defaults.
func TestApplyEnvironment(t *testing.T) {
	data := []byte(`{"info": {"name": "T"}, "variable": [{"key": "pageSize", "value": "10"}], "item": [
		{"name": "List", "request": {"url": "{{baseUrl}}/contacts?limit={{pageSize}}&to={{email}}"}},
		{"name": "Login", "request": {"url": "{{baseUrl}}/login", "header": [{"key": "X-Password", "value": "{{password}}"}]}}]}`)
	p, err := postman.Read(context.Background(), imports.Source{Name: "t.json", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if b := p.Resources[0].Resource.BaseURL; b != "https://baseUrl.invalid" || len(p.Notes) != 1 || !strings.Contains(p.Notes[0], b) {
		t.Fatalf("base URL %q, notes %q", b, p.Notes)
	}
	env, _ := environment(t)
	env["password"] = "not-kept" // a secret variable of the queries keeps no default, whatever it is given
	postman.ApplyEnvironment(p, env)
	r := p.Resources[0]
	if r.Resource.BaseURL != "https://staging.crm.example/v2" || !reflect.DeepEqual(r.BaseURLs, []string{r.Resource.BaseURL}) || len(p.Notes) != 0 {
		t.Errorf("base URL %q %q, notes %q", r.Resource.BaseURL, r.BaseURLs, p.Notes)
	}
	list := queryNamed(t, p, "List")
	if list.Variable("pageSize").Default != "25" || list.Variable("email").Default != "ada@example.com" {
		t.Errorf("variables %+v", list.Variables)
	}
	if v := queryNamed(t, p, "Login").Variable("password"); !v.Secret() || v.Default != "" {
		t.Errorf("password %+v", v)
	}
}
