package bruno_test

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
	"apidesk/engine/imports/bruno"
	"apidesk/engine/imports/internal/collection"
	"apidesk/engine/imports/internal/importtest"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

func TestRead(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "shop"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := bruno.Read(context.Background(), imports.Source{Name: "shop", Path: filepath.Join("testdata", "shop")})
	if err != nil {
		t.Fatal(err)
	}
	if err := collection.Check(p); err != nil {
		t.Fatal(err)
	}
	if p.Format != "Bruno collection v1" {
		t.Errorf("format %q", p.Format)
	}
	b, _ := json.Marshal(p)
	for _, secret := range []string{"local-token-123", "sk_live_abcdefghijklmnop9999", "dotenv-secret-value", "bruno-pass-1", "sk_test_abcdefghijklmnop4242",
		"admin-folder-pass", "multi-pass-2", "apikey-value-77", "form-secret-3", "digest-pass", "aws-secret-key", "AKIAABCDEFGHIJKLMNOP"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the plan holds %q", secret)
		}
	}

	shop := importtest.ResourceNamed(t, p, "Shop API")
	// The environments choose the address; the first one's is the resource's default.
	if shop.Resource.BaseURL != "{{base_url}}" || !slices.Equal(shop.BaseURLs, []string{"{{base_url}}"}) {
		t.Errorf("base URLs %q %q", shop.Resource.BaseURL, shop.BaseURLs)
	}
	if v, _ := shop.Resource.Variables.Get("base_url", false); v != "http://localhost:3000" {
		t.Errorf("the resource's defaults %v", shop.Resource.Variables)
	}
	if got, want := importtest.Environment(t, p, "Local"), []string{"api_secret (secret)", "base_url=http://localhost:3000", "token (secret)", "user=ada"}; !slices.Equal(got, want) {
		t.Errorf("Local %q, want %q", got, want)
	}
	if got, want := importtest.Environment(t, p, "Prod"), []string{"base_url=https://api.shop.example", "webhook_key (secret)"}; !slices.Equal(got, want) {
		t.Errorf("Prod %q, want %q", got, want)
	}
	if shop.Resource.Auth.Kind != resource.AuthBearer {
		t.Errorf("auth %+v: the collection's bearer token, which most requests inherit", shop.Resource.Auth)
	}
	if !slices.Equal(shop.Resource.Headers, kv.List{kv.On("X-Client", "apidesk-test"), {Key: "X-Debug", Value: "1"}}) {
		t.Errorf("resource headers %v: the collection's", shop.Resource.Headers)
	}
	var got []string
	for _, q := range shop.Queries {
		got = append(got, q.Group+"|"+q.Name)
	}
	want := []string{"|Ping", "Users|Get user", "Users|Create user", "Users/Admin|Upload avatar", "Users/Admin|Import",
		"misc|Echo text", "misc|XML", "misc|Binary", "misc|GraphQL", "misc|Custom method"}
	if !slices.Equal(got, want) {
		t.Errorf("queries\n %q, want\n %q", got, want)
	}

	get := importtest.QuerySourced(t, shop, "bruno:users/Get user")
	if get.Method != "GET" || get.Path != "/users/{{id}}" || !slices.Equal(get.Params, kv.List{kv.On("expand", "roles"), {Key: "debug", Value: "1"}}) {
		t.Errorf("get user %+v", get)
	}
	if v := importtest.Variable(get, "id"); v.Default != "42" {
		t.Errorf("id %+v", v)
	}
	if want := (kv.List{kv.On("X-Folder", "users"), kv.On("accept", "application/json"), {Key: "x-trace", Value: "{{guid}}"},
		kv.On("X-Tenant", "{{tenant}}"), kv.On("X-Env", "{{process.env.PROC_SECRET}}")}); !slices.Equal(get.Headers, want) {
		t.Errorf("get headers %v, want %v", get.Headers, want)
	}
	if v := importtest.Variable(get, "tenant"); v.Default != "acme" {
		t.Errorf("tenant %+v: the folder's variable", v)
	}
	if v := importtest.Variable(get, "process.env.PROC_SECRET"); v.Type != query.TypeSecret {
		t.Errorf("process.env %+v: a secret", v)
	}
	create := importtest.QuerySourced(t, shop, "bruno:users/Create user")
	if create.Body.Kind != query.BodyJSON || !strings.Contains(create.Body.Text, `"password": "{{password}}"`) ||
		!strings.Contains(create.Body.Text, `"token": "{{token}}"`) || !strings.Contains(create.Body.Text, `"name": "{{user}}"`) || len(create.Headers) != 1 {
		t.Errorf("create %+v: the JSON body (not the stale text one), its secrets hidden, Content-Type dropped", create)
	}
	if v := importtest.Variable(create, "user"); v.Default != "" {
		t.Errorf("user %+v: an environment's value is not a default", v)
	}
	upload := importtest.QuerySourced(t, shop, "bruno:users/admin/Upload avatar")
	wantParts := []query.Part{
		{Name: "avatar", File: filepath.Join(dir, "files", "a.png"), ContentType: "image/png", Enabled: true},
		{Name: "avatar", File: filepath.Join(dir, "files", "b.png"), ContentType: "image/png", Enabled: true},
		{Name: "meta", Value: `{"a": 1}`, ContentType: "application/json", Enabled: true},
		{Name: "password", Value: "{{password}}", Enabled: true},
		{Name: "note", Value: "off"},
	}
	if upload.Body.Kind != query.BodyMultipart || !slices.Equal(upload.Body.Parts, wantParts) {
		t.Errorf("upload parts\n %+v, want\n %+v", upload.Body.Parts, wantParts)
	}
	imp := importtest.QuerySourced(t, shop, "bruno:users/admin/Import")
	if imp.Body.Kind != query.BodyForm || !slices.Equal(imp.Body.Form, kv.List{kv.On("mode", "merge"), kv.On("client_secret", "{{client_secret}}"), {Key: "dry_run", Value: "true"}}) {
		t.Errorf("import body %+v", imp.Body)
	}
	echo := importtest.QuerySourced(t, shop, "bruno:misc/Echo text")
	if b := echo.Body; b.Kind != query.BodyRaw || b.Text != "hello\n  world" || b.ContentType != "text/plain" || echo.Method != "PUT" {
		t.Errorf("echo %+v", echo)
	}
	xml := importtest.QuerySourced(t, shop, "bruno:misc/XML")
	if b := xml.Body; b.Kind != query.BodyRaw || b.Text != `<a id="{{randomInt}}"/>` || b.ContentType != "application/xml" {
		t.Errorf("xml %+v", xml.Body)
	}
	bin := importtest.QuerySourced(t, shop, "bruno:misc/Binary")
	if b := bin.Body; b.Kind != query.BodyFile || b.File != filepath.Join(dir, "data", "blob.bin") || b.ContentType != "application/octet-stream" {
		t.Errorf("binary %+v", bin.Body)
	}
	gql := importtest.QuerySourced(t, shop, "bruno:misc/GraphQL")
	var parsed struct {
		Query string
	}
	if gql.Body.Kind != query.BodyJSON || query.ValidateJSON(gql.Body.Text) != nil || !strings.Contains(gql.Body.Text, `"limit": {{page_size}}`) {
		t.Errorf("graphql %+v", gql.Body)
	} else if err := json.Unmarshal([]byte(strings.ReplaceAll(gql.Body.Text, "{{page_size}}", "1")), &parsed); err != nil || !strings.HasPrefix(parsed.Query, "query Orders($limit: Int) {") {
		t.Errorf("graphql query %q, %v", parsed.Query, err)
	}
	if v := importtest.Variable(gql, "page_size"); v.Default != "20" {
		t.Errorf("page_size %+v: the collection's variable", v)
	}
	custom := importtest.QuerySourced(t, shop, "bruno:misc/Custom")
	if custom.Method != "PURGE" || custom.Path != "/cache" {
		t.Errorf("custom %+v", custom)
	}

	wiki := importtest.ResourceNamed(t, p, "Shop API (query.wikidata.example)")
	if b := wiki.Queries[0].Body; b.Kind != query.BodyRaw || b.ContentType != "application/sparql-query" {
		t.Errorf("sparql %+v", b)
	}

	for _, c := range []struct{ what, why string }{
		{"the value of webhook_key", "each person enters theirs"},
		{"the .env file", "not imported"},
		{"the proxy settings", "network settings"},
		{"a pre-request script", "does not run scripts"},
		{"its docs", "no documentation"},
		{"its tests", "does not run tests"},
		{"its assertions", "does not run tests"},
		{"the variables it sets from the answer", "answer"},
		{"its tags", "no tags"},
		{"Bruno's dynamic variable {{$guid}}", "asks for it as {{guid}}"},
		{"Bruno's dynamic variable {{$randomInt}}", "asks for it as {{randomInt}}"},
		{"the setting not to follow redirects", "follows redirects"},
		{"its own timeout", "resource's"},
		{"its authentication (AWS Signature Version 4)", "does not authenticate this way"},
		{"its own authentication (Basic authentication (user admin))", "Shop API uses a bearer token"},
		{"its own authentication (the API key X-API-Key)", "Shop API uses a bearer token"},
		{"its own authentication (Digest authentication (user ada))", "Shop API uses a bearer token"},
		{"the bearer token", "keychain"},
		{"the WebSocket request", "HTTP requests only"},
		{"the file", "in get, write each line as name: value"},
	} {
		importtest.MustLeave(t, p, c.what, c.why)
	}
	if !slices.ContainsFunc(p.LeftOut, func(l imports.LeftOut) bool { return l.Where == "misc/Broken.bru, line 7" }) {
		t.Errorf("the broken file's line is not given: %v", p.LeftOut)
	}
	for _, l := range p.LeftOut {
		if strings.Contains(l.Where, "Ignored") || strings.Contains(l.What, "ignored.example") {
			t.Errorf("an ignored folder was read: %s", l)
		}
	}

	if _, out := importtest.Apply(t, p); len(out) != 4 || out[0].String() != "Added 0 queries to Shop API, updated 10" || !strings.HasPrefix(out[3].String(), "Updated environment Prod with 2 variables") {
		t.Errorf("second import %v", out)
	}
}

// writeCollection writes files (by their slash-separated paths) into a new folder.
func writeCollection(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// OAuth 2.0 at the collection's level, its URLs from the collection's variables.
func TestReadOAuth2(t *testing.T) {
	dir := writeCollection(t, map[string]string{
		"bruno.json": `{"name": "Identity"}`,
		"collection.bru": `auth {
  mode: oauth2
}

auth:oauth2 {
  grant_type: client_credentials
  access_token_url: {{idp}}/oauth/token
  client_id: my-client
  client_secret: {{client_secret}}
  scope: read:users write:users
  credentials_placement: basic_auth_header
  token_placement: header
}

auth:oauth2:additional_params:access_token_req:body {
  audience: https://api.identity.example
}

vars:pre-request {
  idp: https://login.identity.example
}
`,
		"Me.bru": "get {\n  url: https://api.identity.example/me\n  auth: inherit\n}\n",
	})
	p, err := bruno.Read(context.Background(), imports.Source{Path: filepath.Join(dir, "bruno.json")})
	if err != nil {
		t.Fatal(err)
	}
	r := importtest.ResourceNamed(t, p, "Identity")
	o := r.Resource.Auth.OAuth2
	if r.Resource.Auth.Kind != resource.AuthOAuth2 || o.Grant != resource.GrantClientCredentials || o.TokenURL != "https://login.identity.example/oauth/token" ||
		o.ClientID != "my-client" || !slices.Equal(o.Scopes, []string{"read:users", "write:users"}) || o.ClientAuth != resource.ClientAuthBasic ||
		!slices.Equal(o.TokenParams, kv.List{kv.On("audience", "https://api.identity.example")}) {
		t.Errorf("auth %+v", r.Resource.Auth)
	}
	importtest.MustLeave(t, p, "the client secret", "keychain")
	if err := collection.Check(p); err != nil {
		t.Fatal(err)
	}
}

func TestReadInvalid(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		where string
		msg   string
	}{
		{"no bruno.json", map[string]string{"a.bru": "get {\n  url: https://a.example\n}\n"}, "", "with a bruno.json file in it, and this folder has none"},
		{"YAML collection", map[string]string{"opencollection.yml": "opencollection: 1.0.0\n"}, "", "YAML format"},
		{"broken bruno.json", map[string]string{"bruno.json": "{\n  \"name\": \"x\",\n}\n"}, "bruno.json, line 3", "not valid"},
		{"bruno.json of another shape", map[string]string{"bruno.json": `{"name": 3}`}, "bruno.json", "cannot be read"},
		{"no requests", map[string]string{"bruno.json": `{"name": "x"}`}, "", "no request files"},
		{"unclosed block", map[string]string{"bruno.json": `{"name": "x"}`, "a/b.bru": "meta {\n  name: b\n}\n\nget {\n  url: https://a.example\n"}, "a/b.bru, line 5", "the block get is not closed"},
		{"text outside a block", map[string]string{"bruno.json": `{"name": "x"}`, "b.bru": "get {\n  url: https://a.example\n}\nhello\n"}, "b.bru, line 4", "this line does not start a block"},
		{"unclosed text", map[string]string{"bruno.json": `{"name": "x"}`, "b.bru": "post {\n  url: https://a.example\n  body: multipartForm\n}\nbody:multipart-form {\n  a: '''\n    x\n}\n"}, "b.bru, line 6", "not closed"},
		{"unclosed quote", map[string]string{"bruno.json": `{"name": "x"}`, "b.bru": "headers {\n  \"a: b\n}\n"}, "b.bru, line 2", "quoted name is not closed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := bruno.Read(context.Background(), imports.Source{Path: writeCollection(t, c.files)})
			var fe *imports.FormatError
			if !errors.Is(err, imports.ErrFormat) || !errors.As(err, &fe) {
				t.Fatalf("error %v, want a FormatError", err)
			}
			if fe.Where != c.where || !strings.Contains(fe.Msg, c.msg) {
				t.Errorf("error %q (where %q), want where %q and %q", err, fe.Where, c.where, c.msg)
			}
		})
	}
	if _, err := bruno.Read(context.Background(), imports.Source{Path: filepath.Join(t.TempDir(), "missing")}); err == nil || errors.Is(err, imports.ErrFormat) {
		t.Errorf("a missing folder: %v", err)
	}
	file := filepath.Join(writeCollection(t, map[string]string{"x.bru": ""}), "x.bru")
	if _, err := bruno.Read(context.Background(), imports.Source{Path: file}); !errors.Is(err, imports.ErrFormat) {
		t.Errorf("a file: %v", err)
	}
}
