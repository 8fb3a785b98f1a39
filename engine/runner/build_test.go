package runner_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/template"
)

func TestAuthKinds(t *testing.T) {
	srv := newEcho(t)
	tests := []struct {
		name    string
		auth    resource.Auth
		headers kv.List // query headers
		check   func(t *testing.T, s seen)
	}{
		{"none", resource.Auth{Kind: resource.AuthNone}, nil, func(t *testing.T, s seen) {
			if got := s.header("Authorization"); got != "" {
				t.Errorf("Authorization = %q, want none", got)
			}
		}},
		{"bearer", resource.Auth{Kind: resource.AuthBearer}, nil, func(t *testing.T, s seen) {
			if got := s.header("Authorization"); got != "Bearer tok-123" {
				t.Errorf("Authorization = %q", got)
			}
		}},
		{"basic", resource.Auth{Kind: resource.AuthBasic, Username: "ann"}, nil, func(t *testing.T, s seen) {
			want := "Basic " + base64.StdEncoding.EncodeToString([]byte("ann:pa:ss wörd"))
			if got := s.header("Authorization"); got != want {
				t.Errorf("Authorization = %q, want %q", got, want)
			}
		}},
		{"apikey header", resource.Auth{Kind: resource.AuthAPIKey, KeyName: "X-Api-Key", KeyIn: resource.KeyInHeader}, nil, func(t *testing.T, s seen) {
			if got := s.header("X-Api-Key"); got != "key&=?/ 1" {
				t.Errorf("X-Api-Key = %q", got)
			}
		}},
		{"apikey query", resource.Auth{Kind: resource.AuthAPIKey, KeyName: "api_key", KeyIn: resource.KeyInQuery}, nil, func(t *testing.T, s seen) {
			if got := s.Query["api_key"]; !reflect.DeepEqual(got, []string{"key&=?/ 1"}) {
				t.Errorf("api_key = %q (raw query %q)", got, s.RawQuery)
			}
			if s.header("X-Api-Key") != "" || s.header("Authorization") != "" {
				t.Errorf("the key also went in a header: %v", s.Header)
			}
		}},
		{"oauth2", resource.Auth{Kind: resource.AuthOAuth2}, nil, func(t *testing.T, s seen) {
			if got := s.header("Authorization"); got != "Bearer oauth-1" {
				t.Errorf("Authorization = %q", got)
			}
		}},
		{"explicit Authorization wins over bearer", resource.Auth{Kind: resource.AuthBearer}, kv.List{kv.On("authorization", "Token abc")}, func(t *testing.T, s seen) {
			if got := s.Header["Authorization"]; !reflect.DeepEqual(got, []string{"Token abc"}) {
				t.Errorf("Authorization = %q", got)
			}
		}},
		{"explicit Authorization wins over oauth2", resource.Auth{Kind: resource.AuthOAuth2}, kv.List{kv.On("Authorization", "token {-oauth_access_token-}")}, func(t *testing.T, s seen) {
			if got := s.Header["Authorization"]; !reflect.DeepEqual(got, []string{"token oauth-1"}) {
				t.Errorf("Authorization = %q", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := newResource(srv.URL)
			res.Auth = tt.auth
			keys := newKeychain(res.ID, secrets{
				resource.SecretBearerToken: "tok-123",
				resource.SecretPassword:    "pa:ss wörd",
				resource.SecretAPIKey:      "key&=?/ 1",
			})
			rn := &runner.Runner{Secrets: keys, Tokens: &tokens{current: "oauth-1"}}
			q := get("/x")
			q.Headers = tt.headers
			tt.check(t, decodeSeen(t, do(t, rn, res, q, nil)))
		})
	}
}

func TestSecretProblems(t *testing.T) {
	srv := newEcho(t)
	res := newResource(srv.URL)
	res.Auth = resource.Auth{Kind: resource.AuthBearer}

	t.Run("not saved", func(t *testing.T) {
		rn := &runner.Runner{Secrets: newKeychain(res.ID, nil)}
		_, err := rn.Do(context.Background(), res, get("/"), nil)
		if err == nil || !strings.Contains(err.Error(), "Shop has no bearer token saved") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("keychain error is wrapped", func(t *testing.T) {
		locked := errors.New("the keychain is locked")
		keys := newKeychain(res.ID, nil)
		keys.err = locked
		rn := &runner.Runner{Secrets: keys}
		_, err := rn.Do(context.Background(), res, get("/"), nil)
		if !errors.Is(err, locked) {
			t.Fatalf("err = %v, want it to wrap %v", err, locked)
		}
	})
	t.Run("no keychain", func(t *testing.T) {
		_, err := (&runner.Runner{}).Do(context.Background(), res, get("/"), nil)
		if err == nil || !strings.Contains(err.Error(), "keychain") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("basic with no password sends an empty one", func(t *testing.T) {
		res := newResource(srv.URL)
		res.Auth = resource.Auth{Kind: resource.AuthBasic, Username: "sk_test"}
		s := decodeSeen(t, do(t, &runner.Runner{Secrets: newKeychain(res.ID, nil)}, res, get("/"), nil))
		if want := "Basic " + base64.StdEncoding.EncodeToString([]byte("sk_test:")); s.header("Authorization") != want {
			t.Errorf("Authorization = %q, want %q", s.header("Authorization"), want)
		}
	})
	t.Run("no keychain read when not needed", func(t *testing.T) {
		keys := newKeychain(res.ID, secrets{resource.SecretBearerToken: "t"})
		q := get("/")
		q.Headers = kv.List{kv.On("Authorization", "Bearer mine")}
		do(t, &runner.Runner{Secrets: keys}, res, q, nil)
		if keys.reads != 0 {
			t.Errorf("the keychain was read %d times for a request with its own Authorization header", keys.reads)
		}
	})
}

func TestVariables(t *testing.T) {
	srv := newEcho(t)
	res := newResource(srv.URL + "/{{version}}")
	res.Headers = kv.List{kv.On("X-Tenant", "{{tenant}}")}
	q := &query.Query{
		Method:  "post",
		Path:    "/users/{{ id }}",
		Params:  kv.List{kv.On("q", "{{search}}"), kv.On("{{key}}", "v")},
		Headers: kv.List{kv.On("X-Trace", "t-{{id}}")},
		Cookies: kv.List{kv.On("session", "{{sid}}")},
		Body:    query.Body{Kind: query.BodyJSON, Text: `{"id": {{id}}, "name": "{{name}}"}`},
	}
	vars := map[string]string{"version": "v2", "tenant": "acme", "id": "42", "search": "a b&c", "key": "k", "sid": "s1", "name": "Zoë"}
	s := decodeSeen(t, do(t, &runner.Runner{}, res, q, vars))
	if s.Method != "POST" || s.Path != "/v2/users/42" {
		t.Errorf("%s %s, want POST /v2/users/42", s.Method, s.Path)
	}
	if s.Query["q"][0] != "a b&c" || s.Query["k"][0] != "v" {
		t.Errorf("query = %v", s.Query)
	}
	if s.header("X-Tenant") != "acme" || s.header("X-Trace") != "t-42" {
		t.Errorf("headers = %v", s.Header)
	}
	if s.Cookies["session"] != "s1" {
		t.Errorf("cookies = %v", s.Cookies)
	}
	if s.Body != `{"id": 42, "name": "Zoë"}` || s.header("Content-Type") != "application/json" {
		t.Errorf("body %q, Content-Type %q", s.Body, s.header("Content-Type"))
	}

	t.Run("every missing variable is named", func(t *testing.T) {
		_, err := (&runner.Runner{}).Do(context.Background(), res, q, map[string]string{"id": "1"})
		var me *template.MissingError
		if !errors.As(err, &me) {
			t.Fatalf("err = %v, want a *template.MissingError", err)
		}
		want := []string{"version", "tenant", "search", "key", "sid", "name"}
		if !sameSet(me.Names, want) {
			t.Errorf("missing = %v, want %v", me.Names, want)
		}
	})
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, s := range a {
		m[s] = true
	}
	for _, s := range b {
		if !m[s] {
			return false
		}
	}
	return true
}

func TestBodies(t *testing.T) {
	srv := newEcho(t)
	res := newResource(srv.URL)
	tests := []struct {
		name     string
		body     query.Body
		headers  kv.List
		wantBody string
		wantType string
	}{
		{"json", query.Body{Kind: query.BodyJSON, Text: `{"a":1}`}, nil, `{"a":1}`, "application/json"},
		{"form keeps order and encodes", query.Body{Kind: query.BodyForm, Form: kv.List{kv.On("z", "1 2"), {Key: "off", Value: "x"}, kv.On("a", "&={{v}}")}}, nil,
			"z=1+2&a=%26%3Dval", "application/x-www-form-urlencoded"},
		{"raw with its type", query.Body{Kind: query.BodyRaw, Text: "<a/>", ContentType: "application/xml"}, nil, "<a/>", "application/xml"},
		{"raw without a type", query.Body{Kind: query.BodyRaw, Text: "hi"}, nil, "hi", "text/plain; charset=utf-8"},
		{"the person's Content-Type wins", query.Body{Kind: query.BodyJSON, Text: `{}`}, kv.List{kv.On("content-type", "application/vnd.api+json")}, `{}`, "application/vnd.api+json"},
		{"none", query.Body{Kind: query.BodyNone, Text: "ignored"}, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &query.Query{Method: "PUT", Body: tt.body, Headers: tt.headers}
			s := decodeSeen(t, do(t, &runner.Runner{}, res, q, map[string]string{"v": "val"}))
			if s.Body != tt.wantBody {
				t.Errorf("body = %q, want %q", s.Body, tt.wantBody)
			}
			if got := s.Header["Content-Type"]; tt.wantType == "" && got != nil || tt.wantType != "" && !reflect.DeepEqual(got, []string{tt.wantType}) {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
		})
	}
}

func TestMergeRules(t *testing.T) {
	srv := newEcho(t)
	res := newResource(srv.URL)
	res.Headers = kv.List{kv.On("X-Version", "1"), kv.On("Accept", "text/plain"), kv.On("X-Keep", "r")}
	res.Params = kv.List{kv.On("limit", "10"), kv.On("Lang", "en"), kv.On("keep", "r")}
	res.Cookies = kv.List{kv.On("theme", "dark"), kv.On("sid", "old")}
	q := get("/")
	q.Headers = kv.List{kv.On("x-version", "2"), kv.On("accept", "application/json"), {Key: "X-Keep", Value: "disabled", Enabled: false}}
	q.Params = kv.List{kv.On("limit", "50"), kv.On("lang", "fr")}
	q.Cookies = kv.List{kv.On("sid", "new")}
	q.Headers = append(q.Headers, kv.On("X-Multi", "a"), kv.On("x-multi", "b"))
	s := decodeSeen(t, do(t, &runner.Runner{}, res, q, nil))
	if got := s.Header["X-Multi"]; !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("X-Multi = %q: repeated rows are all sent, in order", got)
	}

	if got := s.Header["X-Version"]; !reflect.DeepEqual(got, []string{"2"}) {
		t.Errorf("X-Version = %q: the query's header should replace the resource's, case-insensitively", got)
	}
	if got := s.Header["Accept"]; !reflect.DeepEqual(got, []string{"application/json"}) {
		t.Errorf("Accept = %q", got)
	}
	if got := s.header("X-Keep"); got != "r" {
		t.Errorf("X-Keep = %q: a disabled query row must not override or be sent", got)
	}
	if got := s.Query["limit"]; !reflect.DeepEqual(got, []string{"50"}) {
		t.Errorf("limit = %q", got)
	}
	if s.Query["Lang"][0] != "en" || s.Query["lang"][0] != "fr" {
		t.Errorf("params are case-sensitive: got %v", s.Query)
	}
	if s.Cookies["sid"] != "new" || s.Cookies["theme"] != "dark" {
		t.Errorf("cookies = %v", s.Cookies)
	}
	if n := len(s.Header["Cookie"]); n != 1 {
		t.Errorf("%d Cookie headers, want one", n)
	}
}

func TestURLJoin(t *testing.T) {
	tests := []struct{ base, path, want string }{
		{"https://api.example.com", "", "https://api.example.com"},
		{"https://api.example.com", "/", "https://api.example.com/"},
		{"https://api.example.com/", "users", "https://api.example.com/users"},
		{"https://api.example.com/v1", "users", "https://api.example.com/v1/users"},
		{"https://api.example.com/v1/", "/users", "https://api.example.com/v1/users"},
		{"https://api.example.com/v1//", "//users/", "https://api.example.com/v1/users/"},
		{"https://api.example.com/v1/", "", "https://api.example.com/v1/"},
		{"https://api.example.com/v1?key=1", "/users", "https://api.example.com/v1/users?key=1&p=1"},
		{"https://api.example.com/v1?key=1", "/users?sort=name&dir=up", "https://api.example.com/v1/users?key=1&sort=name&dir=up&p=1"},
		{"https://api.example.com?key=1", "", "https://api.example.com?key=1&p=1"},
		{"https://api.example.com", "/a b/ü/%2F/100%", "https://api.example.com/a%20b/%C3%BC/%2F/100%25"},
		{"https://api.example.com#frag", "/x#y", "https://api.example.com/x"},
		{"http://127.0.0.1:8080/base", "x?q=a b", "http://127.0.0.1:8080/base/x?q=a%20b&p=1"},
	}
	for _, tt := range tests {
		res := newResource(tt.base)
		q := get(tt.path)
		if strings.Contains(tt.want, "p=1") {
			q.Params = kv.List{kv.On("p", "1")}
		}
		p, err := runner.Preview(res, q, nil)
		if err != nil {
			t.Errorf("%q + %q: %v", tt.base, tt.path, err)
			continue
		}
		if p.URL != tt.want {
			t.Errorf("%q + %q = %q, want %q", tt.base, tt.path, p.URL, tt.want)
		}
	}

	t.Run("sent as joined", func(t *testing.T) {
		srv := newEcho(t)
		res := newResource(srv.URL + "/v1/?key=1")
		q := get("users/a b?sort=name")
		q.Params = kv.List{kv.On("p", "x y")}
		s := decodeSeen(t, do(t, &runner.Runner{}, res, q, nil))
		if s.Path != "/v1/users/a%20b" || s.RawQuery != "key=1&sort=name&p=x+y" {
			t.Errorf("sent %s?%s", s.Path, s.RawQuery)
		}
	})

	t.Run("bad URLs", func(t *testing.T) {
		for _, base := range []string{"ftp://example.com", "{{host}}/x", "https:///nohost", "http://exa mple.com"} {
			_, err := (&runner.Runner{}).Do(context.Background(), newResource(base), get("/"), map[string]string{"host": "example.com"})
			if !errors.Is(err, runner.ErrBadURL) {
				t.Errorf("%q: err = %v, want ErrBadURL", base, err)
			}
		}
	})
}

func TestHeaderInjectionRejected(t *testing.T) {
	srv := newEcho(t)
	tests := []struct {
		name    string
		mutate  func(res *resource.Resource, q *query.Query)
		keys    secrets
		naming  string
		secret  string // must not appear in the error
		expects error
	}{
		{"variable in a header value", func(_ *resource.Resource, q *query.Query) {
			q.Headers = kv.List{kv.On("X-Trace", "{{trace}}")}
		}, nil, `"X-Trace"`, "evil", runner.ErrBadHeader},
		{"variable in a resource header", func(res *resource.Resource, _ *query.Query) {
			res.Headers = kv.List{kv.On("X-Tenant", "a{{trace}}")}
		}, nil, `"X-Tenant"`, "evil", runner.ErrBadHeader},
		{"variable in a header name", func(_ *resource.Resource, q *query.Query) {
			q.Headers = kv.List{kv.On("X-{{trace}}", "v")}
		}, nil, "header", "", runner.ErrBadHeader},
		{"variable in a cookie", func(_ *resource.Resource, q *query.Query) {
			q.Cookies = kv.List{kv.On("sid", "{{trace}}")}
		}, nil, `"sid"`, "evil", runner.ErrBadHeader},
		{"a line break in the bearer token", func(res *resource.Resource, _ *query.Query) {
			res.Auth = resource.Auth{Kind: resource.AuthBearer}
		}, secrets{resource.SecretBearerToken: "s3cret\r\nX-Evil: 1"}, `"Authorization"`, "s3cret", runner.ErrBadHeader},
		{"a line break in an API key header", func(res *resource.Resource, _ *query.Query) {
			res.Auth = resource.Auth{Kind: resource.AuthAPIKey, KeyName: "X-Key", KeyIn: resource.KeyInHeader}
		}, secrets{resource.SecretAPIKey: "s3cret\nX-Evil: 1"}, `"X-Key"`, "s3cret", runner.ErrBadHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := newResource(srv.URL)
			q := get("/")
			tt.mutate(res, q)
			rn := &runner.Runner{Secrets: newKeychain(res.ID, tt.keys)}
			_, err := rn.Do(context.Background(), res, q, map[string]string{"trace": "1\r\nX-Evil: evil"})
			if !errors.Is(err, tt.expects) {
				t.Fatalf("err = %v, want %v", err, tt.expects)
			}
			if !strings.Contains(err.Error(), tt.naming) {
				t.Errorf("error %q does not name %s", err, tt.naming)
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q shows the value", err)
			}
		})
	}
}

func TestAccessTokenPlaceholder(t *testing.T) {
	srv := newEcho(t)
	res := newResource(srv.URL)
	res.Headers = kv.List{kv.On("X-Token", "t={-oauth_access_token-}")}
	q := get("/")
	q.Params = kv.List{kv.On("access_token", template.AccessTokenPlaceholder)}

	t.Run("substituted in header and param", func(t *testing.T) {
		s := decodeSeen(t, do(t, &runner.Runner{Tokens: &tokens{current: "abc.def"}}, res, q, nil))
		if s.header("X-Token") != "t=abc.def" || s.Query["access_token"][0] != "abc.def" {
			t.Errorf("X-Token %q, access_token %q", s.header("X-Token"), s.Query["access_token"])
		}
		if s.header("Authorization") != "" {
			t.Errorf("Authorization %q added for a resource without OAuth 2.0", s.header("Authorization"))
		}
	})
	t.Run("not signed in without a token source", func(t *testing.T) {
		res := newResource(srv.URL)
		res.Name = "My API"
		for _, q := range []*query.Query{q, {Headers: kv.List{kv.On("X-T", "{-oauth_access_token-}")}}} {
			_, err := (&runner.Runner{}).Do(context.Background(), res, q, nil)
			if !errors.Is(err, resource.ErrNotSignedIn) {
				t.Fatalf("err = %v, want ErrNotSignedIn", err)
			}
			if want := "not signed in to My API: sign in first (apidesk-cli login 'My API')"; err.Error() != want {
				t.Errorf("err = %q, want %q", err, want)
			}
		}
		res.Auth.Kind = resource.AuthOAuth2
		if _, err := (&runner.Runner{}).Do(context.Background(), res, get("/"), nil); !errors.Is(err, resource.ErrNotSignedIn) {
			t.Errorf("oauth2 resource: err = %v, want ErrNotSignedIn", err)
		}
	})
}

func TestPreviewHidesSecrets(t *testing.T) {
	res := newResource("https://{{host}}/v1")
	res.Auth = resource.Auth{Kind: resource.AuthAPIKey, KeyName: "api_key", KeyIn: resource.KeyInQuery}
	res.Headers = kv.List{kv.On("X-Token", "{-oauth_access_token-}")}
	q := &query.Query{Method: "POST", Path: "/users/{{id}}", Params: kv.List{kv.On("q", "{{search}}")},
		Body: query.Body{Kind: query.BodyJSON, Text: `{"n": "{{name}}"}`}}
	p, err := runner.Preview(res, q, map[string]string{"search": "x y"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://{{host}}/v1/users/{{id}}?q=x+y&api_key={-api_key-}"; p.URL != want {
		t.Errorf("URL = %q, want %q", p.URL, want)
	}
	if v, _ := p.Header.Get("X-Token", true); v != template.AccessTokenPlaceholder {
		t.Errorf("X-Token = %q", v)
	}
	if string(p.Body) != `{"n": "{{name}}"}` {
		t.Errorf("body = %q", p.Body)
	}

	res = newResource("https://api.example.com")
	res.Auth = resource.Auth{Kind: resource.AuthBasic, Username: "ann"}
	p, err = runner.Preview(res, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	auth, _ := p.Header.Get("Authorization", true)
	req := http.Request{Header: http.Header{"Authorization": {auth}}}
	if u, pw, ok := req.BasicAuth(); !ok || u != "ann" || pw != runner.PasswordPlaceholder {
		t.Errorf("basic auth in preview = %q, %q, %v", u, pw, ok)
	}
	for kind, want := range map[resource.AuthKind]string{resource.AuthBearer: "Bearer {-bearer_token-}", resource.AuthOAuth2: "Bearer {-oauth_access_token-}"} {
		res.Auth = resource.Auth{Kind: kind}
		p, err := runner.Preview(res, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := p.Header.Get("Authorization", true); got != want {
			t.Errorf("%s: Authorization = %q, want %q", kind, got, want)
		}
	}
}

func TestBuildGivesTheRequest(t *testing.T) {
	res := newResource("https://api.example.com")
	res.Auth = resource.Auth{Kind: resource.AuthBearer}
	rn := &runner.Runner{Secrets: newKeychain(res.ID, secrets{resource.SecretBearerToken: "t1"})}
	q := &query.Query{Method: "PATCH", Path: "/x", Headers: kv.List{kv.On("Host", "other.example.com")}, Body: query.Body{Kind: query.BodyJSON, Text: "{}"}}
	req, err := rn.Build(context.Background(), res, q, nil)
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "PATCH" || req.URL.String() != "https://api.example.com/x" || req.Host != "other.example.com" {
		t.Errorf("%s %s Host %s", req.Method, req.URL, req.Host)
	}
	if req.Header.Get("Authorization") != "Bearer t1" || req.ContentLength != 2 || req.GetBody == nil {
		t.Errorf("headers %v, length %d", req.Header, req.ContentLength)
	}
	if !strings.HasPrefix(req.Header.Get("User-Agent"), "apidesk/") {
		t.Errorf("User-Agent = %q", req.Header.Get("User-Agent"))
	}
}

func TestUserinfoInTheBaseURL(t *testing.T) {
	srv := newEcho(t)
	res := newResource(strings.Replace(srv.URL, "://", "://svc:hun%40ter2@", 1) + "/v1")
	resp := do(t, &runner.Runner{}, res, get("/me"), nil)
	s := decodeSeen(t, resp)
	if want := "Basic " + base64.StdEncoding.EncodeToString([]byte("svc:hun@ter2")); s.header("Authorization") != want {
		t.Errorf("Authorization = %q, want %q", s.header("Authorization"), want)
	}
	if strings.Contains(resp.URL, "hun") || s.Path != "/v1/me" {
		t.Errorf("URL %q, path %q", resp.URL, s.Path)
	}

	p, err := runner.Preview(res, get("/me"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if user, pw, ok := p.BasicAuth(); !ok || user != "svc" || pw != runner.PasswordPlaceholder || strings.Contains(p.URL, "@") {
		t.Errorf("preview: BasicAuth %q %q %v, URL %q", user, pw, ok, p.URL)
	}

	// Another Authorization wins, as in Go's client and curl.
	res.Auth = resource.Auth{Kind: resource.AuthBearer}
	rn := &runner.Runner{Secrets: newKeychain(res.ID, secrets{resource.SecretBearerToken: "t1"})}
	if s := decodeSeen(t, do(t, rn, res, get("/me"), nil)); s.header("Authorization") != "Bearer t1" {
		t.Errorf("Authorization = %q", s.header("Authorization"))
	}
	if p, _ := runner.Preview(res, get("/me"), nil); p == nil {
		t.Fatal("no preview")
	} else if _, _, ok := p.BasicAuth(); ok {
		t.Error("BasicAuth reports the bearer header as Basic")
	}
}

func TestPreviewHidesAnAPIKeyTheQueryWrites(t *testing.T) {
	for _, in := range []string{resource.KeyInHeader, resource.KeyInQuery} {
		res := newResource("https://api.example.com")
		res.Auth = resource.Auth{Kind: resource.AuthAPIKey, KeyName: "X-Key", KeyIn: in}
		q := get("/")
		rows := kv.List{kv.On("x-key", "k-live-1"), kv.On("X-Key", "{{key}}")}
		if in == resource.KeyInQuery {
			rows[0].Key = "X-Key"
			q.Params = rows
		} else {
			q.Headers = rows
		}
		p, err := runner.Preview(res, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := p.URL
		for _, h := range p.Header {
			got += "\n" + h.Key + ": " + h.Value
		}
		if strings.Contains(got, "k-live-1") || !strings.Contains(got, runner.APIKeyPlaceholder) || !strings.Contains(got, "{{key}}") {
			t.Errorf("%s: the preview shows\n%s", in, got)
		}
	}
}

func TestCompressed(t *testing.T) {
	for _, tt := range []struct {
		headers kv.List
		want    bool
	}{
		{nil, true},
		{kv.List{kv.On("accept-encoding", "br")}, false},
		{kv.List{kv.On("Range", "bytes=0-9")}, false},
		{kv.List{{Key: "Range", Value: "bytes=0-9"}}, true}, // a disabled row is not sent
	} {
		p, err := runner.Preview(newResource("https://api.example.com"), &query.Query{Headers: tt.headers}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.Compressed() != tt.want {
			t.Errorf("%v: Compressed = %v, want %v", tt.headers, p.Compressed(), tt.want)
		}
	}
}
