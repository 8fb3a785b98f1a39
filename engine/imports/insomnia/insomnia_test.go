package insomnia_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"apidesk/engine/imports"
	"apidesk/engine/imports/insomnia"
	"apidesk/engine/imports/internal/importtest"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

func read(t *testing.T, file string) *imports.Plan {
	t.Helper()
	path := filepath.Join("testdata", file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := insomnia.Read(context.Background(), imports.Source{Name: file, Data: data, Path: path})
	if err != nil {
		t.Fatalf("Read(%s): %v", file, err)
	}
	return p
}

// noSecrets fails when any of secrets is anywhere in the plan.
func noSecrets(t *testing.T, p *imports.Plan, secrets ...string) {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if strings.Contains(string(b), s) {
			t.Errorf("the plan holds the secret %q", s)
		}
	}
}

func leftOut(p *imports.Plan, what string) *imports.LeftOut {
	for i, l := range p.LeftOut {
		if strings.Contains(l.What, what) {
			return &p.LeftOut[i]
		}
	}
	return nil
}

func TestReadV4JSON(t *testing.T) {
	p := read(t, "shop.v4.json")
	if p.Format != "Insomnia export v4" {
		t.Errorf("format %q", p.Format)
	}
	noSecrets(t, p, "sk_live_abcdefghijklmnop1234", "eyJhbGciOiJIUzI1NiJ9", "hunter2hunter2", "abc123secretcookie",
		"literal-key-1234", "sess-9876543210", "s3cr3t-pass", "abc.def.literal", "pa55word", "top-secret-client", "old-access-token", "ntlm-pass")

	shop := importtest.ResourceNamed(t, p, "Shop")
	// The environments choose the address: the base environment's is the resource's default.
	if shop.Resource.BaseURL != "{{base_url}}" || !slices.Equal(shop.BaseURLs, []string{"{{base_url}}"}) {
		t.Errorf("base URL %q, %q", shop.Resource.BaseURL, shop.BaseURLs)
	}
	if v, _ := shop.Resource.Variables.Get("base_url", false); v != "https://api.shop.example/v1" {
		t.Errorf("the resource's defaults %v", shop.Resource.Variables)
	}
	if got, want := importtest.Environment(t, p, "Staging"), []string{"base_url=https://staging.shop.example/v1", "password (secret)"}; !slices.Equal(got, want) {
		t.Errorf("Staging %q, want %q", got, want)
	}
	if got := importtest.Environment(t, p, "Mine"); len(got) != 1 || !strings.HasPrefix(got[0], "base_url=") || !strings.HasSuffix(got[0], "://localhost:8080") {
		t.Errorf("Mine %q", got)
	}
	if a := shop.Resource.Auth; a.Kind != resource.AuthBearer {
		t.Errorf("Shop's auth %+v, want the folder's bearer token", a)
	}
	var order []string
	for _, q := range shop.Queries {
		order = append(order, q.Source)
	}
	want := []string{"insomnia:req_list", "insomnia:req_create", "insomnia:req_other_key", "insomnia:req_purge",
		"insomnia:req_login", "insomnia:req_upload", "insomnia:req_blob", "insomnia:req_xml", "insomnia:req_gql", "insomnia:req_chain"}
	if !slices.Equal(order, want) {
		t.Errorf("queries\n %q, want\n %q", order, want)
	}

	list := importtest.QuerySourced(t, shop, "insomnia:req_list")
	if list.Name != "List orders" || list.Method != "GET" || list.Path != "/orders" || list.Group != "Orders" {
		t.Errorf("List orders: %+v", list)
	}
	wantParams := kv.List{kv.On("status", "open"), kv.On("q", "a b"), kv.On("limit", "{{page_size}}"), kv.On("api_key", "{{api_key}}"), {Key: "old", Value: "1"}}
	if !slices.Equal(list.Params, wantParams) {
		t.Errorf("params %v, want %v", list.Params, wantParams)
	}
	if v := importtest.Variable(list, "page_size"); v.Default != "50" {
		t.Errorf("page_size %+v: the folder's environment gives 50", v)
	}
	if v := importtest.Variable(list, "api_key"); v.Type != query.TypeSecret || v.Default != "" {
		t.Errorf("api_key %+v: a secret without a value", v)
	}
	if !slices.Equal(list.Headers, kv.List{kv.On("Accept", "application/json"), kv.On("X-Region", "{{shop.region}}")}) {
		t.Errorf("headers %v", list.Headers)
	}
	if v := importtest.Variable(list, "shop.region"); v.Default != "eu" {
		t.Errorf("shop.region %+v: nested values are read with dotted names", v)
	}
	if !slices.Equal(list.Cookies, kv.List{kv.On("theme", "dark"), kv.On("session_id", "{{session_id}}")}) {
		t.Errorf("cookies %v: the Cookie header's cookies, the session's hidden", list.Cookies)
	}

	create := importtest.QuerySourced(t, shop, "insomnia:req_create")
	if create.Body.Kind != query.BodyJSON || !strings.Contains(create.Body.Text, `"user": "{{user}}"`) ||
		!strings.Contains(create.Body.Text, `"password": "{{password}}"`) || !strings.Contains(create.Body.Text, `"n": {{shop.id}}`) {
		t.Errorf("create body %+v", create.Body)
	}
	if v := importtest.Variable(create, "user"); v.Default != "ada" {
		t.Errorf("user %+v", v)
	}
	if len(create.Headers) != 1 || create.Headers[0].Value != "Bearer {{authorization}}" {
		t.Errorf("create headers %v: the Content-Type the JSON body sends is dropped, the credential hidden", create.Headers)
	}
	importtest.MustLeave(t, p, "the Insomnia template tag {% uuid 'v4' %}", "{{uuid}}")

	purge := importtest.QuerySourced(t, shop, "insomnia:req_purge")
	if purge.Path != "/orders/{{id}}" || purge.Group != "Orders/Admin-Ops" || purge.Method != "DELETE" {
		t.Errorf("purge %+v", purge)
	}
	if v := importtest.Variable(purge, "id"); v.Default != "42" {
		t.Errorf("id %+v: the path parameter's value", v)
	}
	if !slices.Equal(purge.Headers, kv.List{kv.On("X-Admin", "yes")}) {
		t.Errorf("purge headers %v: the folder's", purge.Headers)
	}

	login := importtest.QuerySourced(t, shop, "insomnia:req_login")
	if login.Body.Kind != query.BodyForm || !slices.Equal(login.Body.Form, kv.List{kv.On("username", "{{user}}"), kv.On("password", "{{password}}"), {Key: "remember", Value: "1"}}) {
		t.Errorf("login body %+v", login.Body)
	}
	upload := importtest.QuerySourced(t, shop, "insomnia:req_upload")
	if upload.Body.Kind != query.BodyMultipart || len(upload.Body.Parts) != 2 ||
		upload.Body.Parts[0] != (query.Part{Name: "note", Value: "{{Note_to_send}}", Enabled: true}) ||
		upload.Body.Parts[1] != (query.Part{Name: "file", File: "/tmp/report.pdf", Enabled: true}) {
		t.Errorf("upload body %+v", upload.Body)
	}
	if v := importtest.Variable(upload, "Note_to_send"); v.Default != "hello" {
		t.Errorf("a prompt's default: %+v", v)
	}
	importtest.MustLeave(t, p, "the file field empty", "no file is chosen")
	blob := importtest.QuerySourced(t, shop, "insomnia:req_blob")
	if blob.Body.Kind != query.BodyFile || blob.Body.File != filepath.Join("testdata", "data", "blob.bin") {
		t.Errorf("blob body %+v: a relative path is next to the export", blob.Body)
	}
	xml := importtest.QuerySourced(t, shop, "insomnia:req_xml")
	if xml.Body.Kind != query.BodyRaw || xml.Body.ContentType != "application/xml" || xml.Body.Text != `<order id="{{shop.id}}"/>` {
		t.Errorf("xml body %+v", xml.Body)
	}
	importtest.MustLeave(t, p, "the filter upper of {{shop.id}}", "without filters")
	gql := importtest.QuerySourced(t, shop, "insomnia:req_gql")
	if gql.Body.Kind != query.BodyJSON || !strings.Contains(gql.Body.Text, `"query"`) {
		t.Errorf("graphql body %+v", gql.Body)
	}
	chain := importtest.QuerySourced(t, shop, "insomnia:req_chain")
	if chain.Path != "/orders/{{response_id}}" {
		t.Errorf("chained path %q", chain.Path)
	}

	status := importtest.ResourceNamed(t, p, "Shop (status.shop.example)")
	if status.Resource.BaseURL != "https://status.shop.example" || len(status.Queries) != 1 || status.Queries[0].Path != "/health" {
		t.Errorf("status resource %+v", status)
	}

	identity := importtest.ResourceNamed(t, p, "Identity")
	o := identity.Resource.Auth.OAuth2
	if identity.Resource.Auth.Kind != resource.AuthOAuth2 || o.AuthURL != "https://login.example.com/authorize" ||
		o.TokenURL != "https://login.example.com/token" || o.ClientID != "my-app" || !slices.Equal(o.Scopes, []string{"openid", "profile"}) ||
		o.RedirectPort != 7777 || !slices.Equal(o.AuthParams, kv.List{kv.On("audience", "https://api.example.com")}) {
		t.Errorf("Identity's auth %+v", identity.Resource.Auth)
	}
	legacy := importtest.ResourceNamed(t, p, "Identity (api.example.com)")
	if legacy.Resource.BaseURL != "http://api.example.com" || legacy.Queries[0].Path != "/legacy" || legacy.Resource.Auth.Kind != "" {
		t.Errorf("a URL without a scheme is http's, as in Insomnia: %+v", legacy)
	}

	for _, c := range []struct{ what, why string }{
		{"the value of {{api_key}}", "looks secret"},
		{"the value of {{token}}", "looks secret"},
		{"the value of password", "each person enters theirs"},
		{"the cookie jar's 1 cookie", "not imported"},
		{"the API design document", "OpenAPI import"},
		{"a pre-request script", "does not run scripts"},
		{"an after-response script", "does not run scripts"},
		{"its description", "no description"},
		{"the setting not to follow redirects", "follows redirects"},
		{"its own authentication (the API key X-Key)", "Shop uses a bearer token"},
		{"the bearer token", "keychain"},
		{"the client secret and the tokens of an earlier sign-in", "keychain"},
		{"its authentication (NTLM)", "does not authenticate this way"},
		{"the request", "no URL"},
		{"the gRPC request", "HTTP requests only"},
		{"the WebSocket request", "HTTP requests only"},
		{"the test", "does not run tests"},
	} {
		importtest.MustLeave(t, p, c.what, c.why)
	}
	importtest.MustLeave(t, p, "the value of {{session}}", "looks secret") // by its name
	if l := leftOut(p, "the value of {{user}}"); l != nil {
		t.Errorf("%s: a plain value under a plain name is a default", l)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "the cookie session_id as {{session_id}}") && strings.Contains(n, "the URL parameter api_key as {{api_key}}")
	}) {
		t.Errorf("notes %q should list the values made variables", p.Notes)
	}
	importtest.Apply(t, p)
}

func TestReadV5YAML(t *testing.T) {
	p := read(t, "weather.v5.yaml")
	if p.Format != "Insomnia collection v5.0" {
		t.Errorf("format %q", p.Format)
	}
	noSecrets(t, p, "pa55word", "another-pass", "s3cr3t-cookie", "tok-12345678")
	w := importtest.ResourceNamed(t, p, "Weather")
	if w.Resource.BaseURL != "{{host}}" || !slices.Equal(w.BaseURLs, []string{"{{host}}"}) || !slices.Equal(w.Resource.Variables, kv.List{kv.On("host", "https://weather.test/api")}) {
		t.Errorf("base URLs %q %q", w.Resource.BaseURL, w.BaseURLs)
	}
	if a := w.Resource.Auth; a.Kind != resource.AuthBasic || a.Username != "ada" {
		t.Errorf("auth %+v: the folder's Basic, its user name filled in", a)
	}
	var got []string
	for _, q := range w.Queries {
		got = append(got, q.Group+"|"+q.Name+"|"+q.Path)
	}
	want := []string{"Forecasts/Regions|By city|/cities/{{city}}", "Forecasts|Today|/today", "Forecasts|Digest one|/digest", "|Later|/later"}
	if !slices.Equal(got, want) {
		t.Errorf("queries\n %q, want\n %q", got, want)
	}
	city := importtest.QuerySourced(t, w, "insomnia:req_city")
	if v := importtest.Variable(city, "city"); v.Default != "Oslo" || !slices.Equal(city.Params, kv.List{kv.On("days", "3")}) {
		t.Errorf("city %+v", city)
	}
	if !slices.Equal(city.Headers, kv.List{kv.On("X-Units", "metric")}) {
		t.Errorf("city headers %v: its folder's folder's", city.Headers)
	}
	digest := importtest.QuerySourced(t, w, "insomnia:req_digest")
	if b := digest.Body; b.Kind != query.BodyRaw || b.Text != "hello {{user}}" || b.ContentType != "text/plain" {
		t.Errorf("digest body %+v", digest.Body)
	}
	importtest.MustLeave(t, p, "its own authentication (Digest authentication (user ada))", "Weather uses Basic authentication (user ada)")
	importtest.MustLeave(t, p, "the password", "keychain")
	if got, want := importtest.Environment(t, p, "Staging"), []string{"api_token (secret)", "host=https://staging.weather.test/api"}; !slices.Equal(got, want) {
		t.Errorf("Staging %q, want %q", got, want)
	}
	importtest.MustLeave(t, p, "the cookie jar's 1 cookie", "not imported")
	importtest.MustLeave(t, p, "the WebSocket request", "HTTP requests only")
	importtest.MustLeave(t, p, "a pre-request script", "does not run scripts")
	importtest.Apply(t, p)
}

func TestReadV4YAML(t *testing.T) {
	p := read(t, "small.v4.yaml")
	pets := importtest.ResourceNamed(t, p, "Pets")
	if pets.Resource.BaseURL != "https://pets.example" || len(pets.Queries) != 1 {
		t.Fatalf("pets %+v", pets)
	}
	q := pets.Queries[0]
	if q.Path != "/v2/pets" || !slices.Equal(q.Params, kv.List{kv.On("limit", "{{limit}}")}) ||
		!slices.Equal(q.Headers, kv.List{{Key: "X-Trace", Value: "{{trace}}"}}) {
		t.Errorf("query %+v", q)
	}
	if v := importtest.Variable(&q, "limit"); v.Default != "10" {
		t.Errorf("limit %+v", v)
	}
	importtest.Apply(t, p)
}

// A base URL variable with no value anywhere gives a base URL that cannot reach anything, and says so.
func TestReadMissingBaseURL(t *testing.T) {
	doc := `{"_type":"export","__export_format":4,"resources":[
	{"_id":"wrk","_type":"workspace","name":"Lost"},
	{"_id":"r1","_type":"request","parentId":"wrk","name":"A","method":"GET","url":"{{ _.base_url }}/a"}]}`
	p, err := insomnia.Read(context.Background(), imports.Source{Name: "x.json", Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	r := importtest.ResourceNamed(t, p, "Lost")
	if r.Resource.BaseURL != "https://base-url.invalid" || r.Queries[0].Path != "/a" {
		t.Errorf("resource %+v", r)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "{{base_url}} has no value") }) {
		t.Errorf("notes %q", p.Notes)
	}
	importtest.Apply(t, p)
}

// Folders that are each in the other are not in the workspace: they are listed, not lost.
func TestReadFolderCycle(t *testing.T) {
	doc := `{"_type":"export","__export_format":4,"resources":[
	{"_id":"wrk","_type":"workspace","name":"W"},
	{"_id":"r0","_type":"request","parentId":"wrk","name":"Kept","url":"https://a.example/"},
	{"_id":"a","_type":"request_group","parentId":"b","name":"A"},
	{"_id":"b","_type":"request_group","parentId":"a","name":"B"},
	{"_id":"r1","_type":"request","parentId":"a","name":"Lost","url":"https://a.example/x"}]}`
	p, err := insomnia.Read(context.Background(), imports.Source{Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count() != 1 {
		t.Errorf("%d queries", p.Count())
	}
	importtest.MustLeave(t, p, "the request", "not in the export's tree")
	importtest.MustLeave(t, p, "the folder", "not in the export's tree")
}

func TestReadInvalid(t *testing.T) {
	for _, c := range []struct {
		name, doc, where, msg string
	}{
		{"broken JSON", "{\n  \"_type\": \"export\",\n  \"resources\": [\n    {\"_id\": 1,,}\n  ]\n}", "line 4", "not valid"},
		{"cut short", "{\n\"_type\": \"export\",\n\"resources\": [", "line 3", "ends too early"},
		{"broken YAML", "_type: export\nresources:\n  - _id: a\n   name: b\n", "line 2", "YAML is not valid"},
		{"not an export", "{\"info\": {\"name\": \"Postman\"}, \"item\": []}", "line 1", "has neither"},
		{"a list", "[1, 2]", "line 1", "an object"},
		{"resources not a list", "_type: export\nresources:\n  a: b\n", "line 3", "should be a list"},
		{"resource not an object", "_type: export\nresources:\n  - 1\n", "line 3", "should be an object"},
		{"no resources", "_type: export\n", "line 1", "no resources"},
		{"version 1", "_type: export\n__export_format: 1\nitems: []\n", "", "first version"},
		{"v5 collection not a list", "type: collection.insomnia.rest/5.0\ncollection: 3\n", "line 2", "should be a list"},
		{"environments only", "type: environment.insomnia.rest/5.0\nname: x\n", "", "only environments"},
		{"empty", "", "", "empty"},
		{"nothing in it", "_type: export\nresources: []\n", "", "no workspace"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := insomnia.Read(context.Background(), imports.Source{Name: "x", Data: []byte(c.doc)})
			var fe *imports.FormatError
			if !errors.Is(err, imports.ErrFormat) || !errors.As(err, &fe) {
				t.Fatalf("error %v, want a FormatError", err)
			}
			if fe.Where != c.where || !strings.Contains(fe.Msg, c.msg) {
				t.Errorf("error %q (where %q), want where %q and %q", err, fe.Where, c.where, c.msg)
			}
		})
	}
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := insomnia.Read(ctx, imports.Source{Data: []byte("_type: export\nresources: []\n")}); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v", err)
	}
}
