package har_test

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
	"apidesk/engine/imports/har"
	"apidesk/engine/imports/internal/collection"
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
	p, err := har.Read(context.Background(), imports.Source{Name: file, Data: data, Path: path})
	if err != nil {
		t.Fatalf("Read(%s): %v", file, err)
	}
	if err := collection.Check(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRead(t *testing.T) {
	p := read(t, "app.har")
	if p.Format != "HAR 1.2" {
		t.Errorf("format %q", p.Format)
	}
	b, _ := json.Marshal(p)
	for _, secret := range []string{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "sess-abcdef123456", "GA1.2.345678", "csrf-0123456789abcdef",
		"order-pass-77", "sk_live_51Habcdefghijklmnopqrst", "login-pass-1", "multi-secret-9", "abcd1234efgh5678", "YWRhOnMzY3IzdA==",
		"s3cr3t", "AIzaSyA-abcdefghijklmnopqrstuvwxyz123", "response-secret-not-imported", "eyJyZXNldCI6MX0"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the plan holds %q", secret)
		}
	}
	var names []string
	for _, r := range p.Resources {
		names = append(names, r.Resource.Name)
	}
	if want := []string{"api.example.com", "localhost:8080", "maps.example.net"}; !slices.Equal(names, want) {
		t.Errorf("resources %q, want %q: one per origin, the page and its files left out", names, want)
	}

	api := importtest.ResourceNamed(t, p, "api.example.com")
	if api.Resource.BaseURL != "https://api.example.com" || api.Resource.Auth.Kind != resource.AuthBearer {
		t.Errorf("api resource %+v", api.Resource)
	}
	if len(api.Queries) != 8 {
		t.Errorf("%d queries on api.example.com, want 8 (the repeat imported once)", len(api.Queries))
	}
	reset := importtest.QuerySourced(t, api, "har:GET https://api.example.com/v1/reset/***?next=%2Fhome")
	if reset.Path != "/v1/reset/{{secret}}" || reset.Name != "GET /v1/reset/***" || importtest.Variable(reset, "secret").Type != query.TypeSecret {
		t.Errorf("reset %+v: a token in the path is a secret", reset)
	}
	users := importtest.QuerySourced(t, api, "har:GET https://api.example.com/v1/users?page=2&sort=name%20asc")
	if users.Name != "GET /v1/users" || users.Path != "/v1/users" || !slices.Equal(users.Params, kv.List{kv.On("page", "2"), kv.On("sort", "name asc")}) {
		t.Errorf("users %+v", users)
	}
	if want := (kv.List{kv.On("accept", "application/json"), kv.On("accept-language", "en"), kv.On("origin", "https://app.example.com")}); !slices.Equal(users.Headers, want) {
		t.Errorf("users headers %v, want %v: the browser's own dropped, the Authorization the resource's", users.Headers, want)
	}
	if want := (kv.List{kv.On("session", "{{session}}"), kv.On("_ga", "{{ga}}")}); !slices.Equal(users.Cookies, want) {
		t.Errorf("users cookies %v, want %v", users.Cookies, want)
	}
	if v := importtest.Variable(users, "session"); v.Type != query.TypeSecret || v.Default != "" {
		t.Errorf("session %+v: a secret", v)
	}
	if v := importtest.Variable(users, "ga"); !v.Optional || v.Type == query.TypeSecret || v.Default != "" {
		t.Errorf("ga %+v: a cookie that may be left empty, with no value", v)
	}

	orders := importtest.QuerySourced(t, api, "har:POST https://api.example.com/v1/orders")
	if orders.Body.Kind != query.BodyJSON || orders.Body.Text != `{"item":"book","qty":2,"pay":{"password":"{{password}}","key":"{{key}}"}}` {
		t.Errorf("orders body %+v", orders.Body)
	}
	if i := slices.IndexFunc(orders.Headers, func(h kv.Pair) bool { return h.Key == "x-csrf-token" }); i < 0 || orders.Headers[i].Value != "{{x-csrf-token}}" {
		t.Errorf("orders headers %v", orders.Headers)
	}
	if orders.Headers.Has("content-type", true) {
		t.Errorf("orders headers %v: the JSON body sends its Content-Type", orders.Headers)
	}
	login := importtest.QuerySourced(t, api, "har:POST https://api.example.com/v1/login")
	if login.Body.Kind != query.BodyForm || !slices.Equal(login.Body.Form, kv.List{kv.On("username", "ada"), kv.On("password", "{{password}}")}) {
		t.Errorf("login body %+v", login.Body)
	}
	avatar := importtest.QuerySourced(t, api, "har:POST https://api.example.com/v1/avatar")
	if avatar.Body.Kind != query.BodyMultipart || len(avatar.Body.Parts) != 2 ||
		avatar.Body.Parts[1] != (query.Part{Name: "avatar", File: "avatar.png", ContentType: "image/png", Enabled: true}) {
		t.Errorf("avatar body %+v", avatar.Body)
	}
	imp := importtest.QuerySourced(t, api, "har:POST https://api.example.com/v1/import")
	if imp.Body.Kind != query.BodyMultipart || len(imp.Body.Parts) != 3 ||
		imp.Body.Parts[0] != (query.Part{Name: "kind", Value: "csv", Enabled: true}) ||
		imp.Body.Parts[1] != (query.Part{Name: "client_secret", Value: "{{client_secret}}", Enabled: true}) ||
		imp.Body.Parts[2] != (query.Part{Name: "file", File: "rows.csv", ContentType: "text/csv", Enabled: true}) {
		t.Errorf("import body %+v: read from the multipart text", imp.Body)
	}
	notes := importtest.QuerySourced(t, api, "har:PUT https://api.example.com/v1/notes/7")
	if b := notes.Body; b.Kind != query.BodyRaw || b.Text != "remember the milk" || b.ContentType != "text/plain;charset=UTF-8" || notes.Headers.Has("content-type", true) {
		t.Errorf("notes %+v", notes)
	}
	items := importtest.QuerySourced(t, api, "har:GET https://api.example.com/v1/items")
	if items.Headers.Has("x-api-key", true) {
		t.Errorf("items headers %v: the API key is not kept", items.Headers)
	}
	importtest.MustLeave(t, p, "its own authentication (the API key header x-api-key)", "api.example.com uses a bearer token")

	local := importtest.ResourceNamed(t, p, "localhost:8080")
	if local.Resource.BaseURL != "http://localhost:8080" || local.Resource.Auth.Kind != resource.AuthBasic || local.Resource.Auth.Username != "ada" {
		t.Errorf("local %+v", local.Resource)
	}
	if q := local.Queries[0]; len(q.Headers) != 0 || q.Path != "/health" {
		t.Errorf("local query %+v: Host and Connection dropped, Authorization the resource's", q)
	}
	maps := importtest.ResourceNamed(t, p, "maps.example.net")
	if q := maps.Queries[0]; !slices.Equal(q.Params, kv.List{kv.On("z", "3"), kv.On("key", "{{key}}")}) {
		t.Errorf("maps params %v", q.Params)
	}

	importtest.MustLeave(t, p, "the bearer token the browser sent", "keychain")
	importtest.MustLeave(t, p, "the password the browser sent", "keychain")
	importtest.MustLeave(t, p, "the headers :authority, :method, :path, :scheme, accept-encoding, Connection, Host and 6 more", "browser sets them itself")
	importtest.MustLeave(t, p, "3 requests for the web page and its files", "load the page")
	importtest.MustLeave(t, p, "1 CORS preflight request", "apidesk does not need them")
	importtest.MustLeave(t, p, "3 requests to data, wss, chrome-extension URLs", "http:// and https:// requests only")
	importtest.MustLeave(t, p, "the file avatar.png sent in the field avatar", "does not keep the files")
	for _, note := range []string{"1 request had the same method and URL", "answers recorded in the HAR file are not imported",
		"the cookie session as {{session}}", "the header x-csrf-token as {{x-csrf-token}}", "the JSON field key as {{key}}"} {
		if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, note) }) {
			t.Errorf("no note says %q: %q", note, p.Notes)
		}
	}

	if _, out := importtest.Apply(t, p); len(out) != 3 || out[0].String() != "Added 0 queries to api.example.com, updated 8" {
		t.Errorf("second import %v", out)
	}
}

// Some tools save the entries alone, or one request, without the log around them.
func TestReadWithoutLog(t *testing.T) {
	for _, doc := range []string{
		`{"entries": [{"request": {"method": "GET", "url": "https://a.example/x"}}]}`,
		`{"method": "GET", "url": "https://a.example/x", "headers": [{"name": "Host", "value": "a.example"}]}`,
	} {
		p, err := har.Read(context.Background(), imports.Source{Data: []byte(doc)})
		if err != nil || p.Count() != 1 || p.Resources[0].Queries[0].Path != "/x" {
			t.Errorf("Read(%s) = %+v, %v", doc, p, err)
		}
	}
}

func TestReadInvalid(t *testing.T) {
	for _, c := range []struct{ name, doc, where, msg string }{
		{"broken JSON", "{\n  \"log\": {\n    \"entries\": [\n      {\"request\": }\n    ]\n  }\n}", "line 4", "not valid"},
		{"cut short", "{\"log\": {\n\"entries\": [", "line 2", "ends too early"},
		{"entries not a list", "{\"log\": {\n  \"entries\": {\"a\": 1}\n}}", "line 2", "log.entries holds an object where a HAR file has a list"},
		{"entry not an object", "{\"log\": {\"entries\": [\n  1]}}", "line 2", "log.entries holds a number where a HAR file has an object"},
		{"no log", "{\"info\": {}}", "", "has log"},
		{"no entries", "{\"log\": {\"version\": \"1.2\"}}", "", "no entries"},
		{"empty entries", "{\"log\": {\"entries\": []}}", "", "no requests"},
		{"empty", "  ", "", "empty"},
		{"YAML", "log:\n  entries: []\n", "line 1", "not valid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := har.Read(context.Background(), imports.Source{Data: []byte(c.doc)})
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
