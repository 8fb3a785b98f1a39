package collection

import (
	"slices"
	"strings"
	"testing"

	"apidesk/engine/imports"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

func TestSecretValue(t *testing.T) {
	for _, v := range []string{
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl", "Bearer abc.def", "Basic YWRhOnB3", "token 0123456789",
		"ghp_abcdefghijklmnopqrstuv", "sk_live_0123456789abcdef", "xoxb-1234-5678-abcdefghijkl", "AKIAABCDEFGHIJKLMNOP",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
	} {
		if !SecretValue(v) {
			t.Errorf("SecretValue(%q) = false", v)
		}
	}
	for _, v := range []string{
		"", "application/json", "Bearer {{token}}", "Bearer", "hello world", "eyJhbGciOiJIUzI1NiJ9", "sk_live_", "ghp_short",
		"550e8400-e29b-41d4-a716-446655440000", "https://api.example.com/v1", "{{token}}", "akiaabcdefghijklmnop",
	} {
		if SecretValue(v) {
			t.Errorf("SecretValue(%q) = true", v)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"base_url": "base_url", "Base URL": "Base_URL", "a.b-c": "a.b-c", "": "value", "ünï": "n", "$x": "x"} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"X-API-Key": "x-api-key", "_ga": "ga", "Cookie Name": "cookie_name", "!!": "secret"} {
		if got := VarName(in); got != want {
			t.Errorf("VarName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Where each request goes: the base URL a leading variable holds (with a path), a literal URL under that
// base, another host, a URL without a scheme, a variable without a value, another scheme.
func TestTargets(t *testing.T) {
	c := New("Shop")
	c.SetValues(map[string]string{"base": "https://api.example.com/v1/", "bare": "localhost:8080"})
	c.Alternative("other", "https://{{host}}/x")
	for _, r := range []Request{
		{Where: "a", Name: "A", URL: "{{base}}/users?x=1#frag", Source: "a"},
		{Where: "b", Name: "B", URL: "https://api.example.com/v1/orders", Source: "b"},
		{Where: "c", Name: "C", URL: "https://api.example.com/health", Source: "c"},
		{Where: "d", Name: "D", URL: "{{ base }}", Source: "d"},
		{Where: "e", Name: "E", URL: "{{bare}}/ping", Source: "e"},
		{Where: "f", Name: "F", URL: "{{nothing}}/x", Source: "f"},
		{Where: "g", Name: "G", URL: "ftp://files.example.com/a", Source: "g"},
		{Where: "h", Name: "H", URL: "status.example.com/up", Source: "h"},
		{Where: "i", Name: "I", URL: "https://ada:pw@api.example.com/v1/me", Source: "i"},
	} {
		c.Add(r)
	}
	p := &imports.Plan{}
	c.AddTo(p)
	type q struct{ res, base, path, source string }
	var got []q
	for _, r := range p.Resources {
		for _, x := range r.Queries {
			got = append(got, q{r.Resource.Name, r.Resource.BaseURL, x.Path, x.Source})
		}
	}
	want := []q{
		{"Shop", "https://api.example.com/v1", "/users", "a"},
		{"Shop", "https://api.example.com/v1", "/orders", "b"},
		{"Shop", "https://api.example.com/v1", "", "d"},
		{"Shop", "https://api.example.com/v1", "/me", "i"},
		{"Shop (localhost:8080)", "http://localhost:8080", "/ping", "e"},
		{"Shop (nothing.invalid)", "https://nothing.invalid", "/x", "f"},
		{"Shop (api.example.com)", "https://api.example.com", "/health", "c"},
		{"Shop (status.example.com)", "http://status.example.com", "/up", "h"},
	}
	slices.SortStableFunc(got, func(a, b q) int { return strings.Compare(a.res, b.res) })
	slices.SortStableFunc(want, func(a, b q) int { return strings.Compare(a.res, b.res) })
	if !slices.Equal(got, want) {
		t.Errorf("queries\n %v, want\n %v", got, want)
	}
	if p.Resources[0].Queries[0].Params[0] != kv.On("x", "1") {
		t.Errorf("params %v", p.Resources[0].Queries[0].Params)
	}
	leaves := map[string]bool{}
	for _, l := range p.LeftOut {
		leaves[l.What+" ("+l.Where+")"] = true
	}
	for _, w := range []string{"the request (g)", "the user name and password written in its URL (i)"} {
		if !leaves[w] {
			t.Errorf("not left out: %s; left out %v", w, p.LeftOut)
		}
	}
	if err := Check(p); err != nil {
		t.Error(err)
	}
}

// The authentication most requests use is the resource's; others are listed. A sign-in whose client ID has
// no value is kept without it (the person enters only that); one whose token URL has none is left out with the
// reason.
func TestAuth(t *testing.T) {
	bearer := &Auth{Auth: resource.Auth{Kind: resource.AuthBearer}, Words: "a bearer token", Secret: "the bearer token"}
	basic := &Auth{Auth: resource.Auth{Kind: resource.AuthBasic, Username: "{{user}}"}, Words: "Basic ({{user}})", Secret: "the password"}
	c := New("A")
	c.SetValues(map[string]string{"user": "ada"})
	c.Add(Request{Where: "1", URL: "https://a.example/1", Auth: basic})
	c.Add(Request{Where: "2", URL: "https://a.example/2", Auth: bearer})
	c.Add(Request{Where: "3", URL: "https://a.example/3", Auth: bearer})
	c.Add(Request{Where: "4", URL: "https://a.example/4"})
	oauth := &Auth{Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{AuthURL: "https://id.example/a", TokenURL: "https://id.example/t", ClientID: "{{cid}}"}}, Words: "OAuth 2.0"}
	c.Add(Request{Where: "5", URL: "https://b.example/5", Auth: oauth})
	c.Add(Request{Where: "6", URL: "https://c.example/6", Auth: basic})
	noURL := &Auth{Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{Grant: resource.GrantClientCredentials, TokenURL: "{{tokenUrl}}", ClientID: "app"}}, Words: "OAuth 2.0"}
	c.Add(Request{Where: "7", URL: "https://d.example/7", Auth: noURL})
	p := &imports.Plan{}
	c.AddTo(p)
	if a := p.Resources[0].Resource.Auth; a.Kind != resource.AuthBearer {
		t.Errorf("A's auth %+v", a)
	}
	if a := p.Resources[1].Resource.Auth; a.Kind != resource.AuthOAuth2 || a.OAuth2.ClientID != "" || a.OAuth2.TokenURL != "https://id.example/t" {
		t.Errorf("b.example's auth %+v: kept, without the client ID that has no value", a)
	}
	if a := p.Resources[3].Resource.Auth; a.Kind != "" {
		t.Errorf("d.example's auth %+v: its token URL has no value", a)
	}
	if a := p.Resources[2].Resource.Auth; a.Kind != resource.AuthBasic || a.Username != "ada" {
		t.Errorf("c.example's auth %+v", a)
	}
	var got []string
	for _, l := range p.LeftOut {
		got = append(got, l.String())
	}
	want := []string{
		"the bearer token (A): secrets are not imported: type it in the resource's authentication, which keeps it in your keychain",
		"its own authentication (Basic (ada)) (1): apidesk authenticates per resource, and A uses a bearer token",
		"the client ID of OAuth 2.0 (A (b.example)): it is {{cid}}, which has no value in the document: enter the client ID of your app in the resource's authentication",
		"the password (A (c.example)): secrets are not imported: type it in the resource's authentication, which keeps it in your keychain",
		"OAuth 2.0 (A (d.example)): it uses {{tokenUrl}}, which has no value in the document: set up the resource's authentication after the import",
	}
	if !slices.Equal(got, want) {
		t.Errorf("left out\n %q, want\n %q", got, want)
	}
}

// Values that look secret become variables without a value, named after their rows, whatever the body.
func TestHide(t *testing.T) {
	c := New("A")
	c.SetValues(c.Safe(&imports.Plan{}, "env", map[string]string{"api_key": "k1234567", "page": "2", "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl"}))
	c.Add(Request{Where: "1", URL: "https://a.example/x?api_key=literal&page={{page}}&k={{api_key}}", Method: "post",
		Headers: kv.List{kv.On("Authorization", "Bearer abc"), kv.On("X-Session", "s"), {Key: "X-Token", Value: "off", Enabled: false}, kv.On("Cookie", "sid=1; theme=dark")},
		Body:    query.Body{Kind: query.BodyJSON, Text: `{"user": {"password": "p", "note": "Bearer xyz"}, "list": ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl"]}`}})
	p := &imports.Plan{}
	c.AddTo(p)
	q := p.Resources[0].Queries[0]
	if want := (kv.List{kv.On("api_key", "{{api_key_2}}"), kv.On("page", "{{page}}"), kv.On("k", "{{api_key}}")}); !slices.Equal(q.Params, want) {
		t.Errorf("params %v, want %v", q.Params, want)
	}
	if want := (kv.List{kv.On("Authorization", "Bearer {{authorization}}"), kv.On("X-Session", "{{x-session}}"), {Key: "X-Token", Value: "{{x-token}}"}}); !slices.Equal(q.Headers, want) {
		t.Errorf("headers %v, want %v", q.Headers, want)
	}
	if want := (kv.List{kv.On("sid", "{{sid}}"), kv.On("theme", "dark")}); !slices.Equal(q.Cookies, want) {
		t.Errorf("cookies %v, want %v", q.Cookies, want)
	}
	if want := `{"user": {"password": "{{password}}", "note": "{{note}}"}, "list": ["{{value}}"]}`; q.Body.Text != want {
		t.Errorf("body %s, want %s", q.Body.Text, want)
	}
	for _, v := range q.Variables {
		if v.Name == "page" && v.Default != "2" || v.Name != "page" && (v.Type != query.TypeSecret || v.Default != "") {
			t.Errorf("variable %+v", v)
		}
	}
	if err := Check(p); err != nil {
		t.Error(err)
	}
}

func TestTidy(t *testing.T) {
	p := &imports.Plan{Notes: []string{"a", "b", "a"}}
	for _, w := range []string{"r1", "r2", "r3", "r4", "r2"} {
		p.Leave(w, "a script", "not run")
	}
	p.Leave("x", "a test", "not run")
	p.Leave("", "a script", "not run")
	Tidy(p)
	want := []imports.LeftOut{{Where: "r1, r2 and 2 more", What: "a script", Why: "not run"}, {Where: "x", What: "a test", Why: "not run"}}
	if !slices.Equal(p.LeftOut, want) || !slices.Equal(p.Notes, []string{"a", "b"}) {
		t.Errorf("left out %v, notes %v", p.LeftOut, p.Notes)
	}
}
