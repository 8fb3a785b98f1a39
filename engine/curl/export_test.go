package curl

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

func TestExport(t *testing.T) {
	res := &resource.Resource{
		ID: "r1", Name: "Shop", BaseURL: "https://api.example.com/v1/",
		Headers: rows("Accept", "application/json"),
		Params:  rows("locale", "en"),
		Cookies: rows("lang", "en"),
		Auth:    resource.Auth{Kind: resource.AuthBasic, Username: "ada"},
	}
	q := &query.Query{
		ID: "q1", Name: "Order", ResourceID: "r1", Method: "post", Path: "/orders/{{id}}",
		Params:    append(rows("expand", "items", "note", "a b&c"), kv.Pair{Key: "off", Value: "1"}),
		Headers:   rows("X-Trace", "{{trace}}", "accept", "application/vnd.shop+json"),
		Cookies:   rows("session", "{{session}}"),
		Body:      query.Body{Kind: query.BodyJSON, Text: `{"qty": {{qty}}, "note": "it's"}`},
		Variables: []query.Variable{{Name: "qty", Default: "1"}},
	}
	got, err := Export(q, res, map[string]string{"id": "42"})
	if err != nil {
		t.Fatal(err)
	}
	want := `curl 'https://api.example.com/v1/orders/42?locale=en&expand=items&note=a+b%26c' \
  -X POST \
  -H 'X-Trace: {{trace}}' \
  -H 'accept: application/vnd.shop+json' \
  -H 'Content-Type: application/json' \
  -b 'lang=en; session={{session}}' \
  -u 'ada:{-password-}' \
  --compressed \
  --data-raw '{"qty": 1, "note": "it'\''s"}'`
	// POST is what --data-raw implies, so -X POST is not written.
	want = strings.Replace(want, "  -X POST \\\n", "", 1)
	if got != want {
		t.Errorf("Export:\n%s\nwant:\n%s", got, want)
	}

	// Without values, variables stay as written, and curl is told not to read {…} as a URL pattern.
	got, err = Export(q, res, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "curl 'https://api.example.com/v1/orders/{{id}}?locale=en&expand=items&note=a+b%26c' \\\n  --globoff \\\n") {
		t.Errorf("Export without values:\n%s", got)
	}
}

// A variable saved as secret stays {{written}} in the command, whatever its name and wherever it is used.
func TestExportLeavesSecretVariablesOut(t *testing.T) {
	res := &resource.Resource{ID: "r1", Name: "Shop", BaseURL: "https://api.example.com"}
	q := &query.Query{Method: "POST", Path: "/pin/{{code}}", Params: rows("c", "{{code}}"),
		Body:      query.Body{Kind: query.BodyJSON, Text: `{"code": "{{code}}", "n": {{n}}}`},
		Variables: []query.Variable{{Name: "code", Type: query.TypeSecret}, {Name: "n", Type: query.TypeInteger}}}
	got, err := Export(q, res, map[string]string{"code": "pin-7731", "n": "3"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "pin-7731") || !strings.Contains(got, "/pin/{{code}}?c={{code}}") || !strings.Contains(got, `{"code": "{{code}}", "n": 3}`) {
		t.Errorf("Export:\n%s", got)
	}
}

func TestExportHidesSecrets(t *testing.T) {
	get := &query.Query{Method: "GET", Path: "/me"}
	tests := []struct {
		name    string
		res     *resource.Resource
		q       *query.Query
		vars    map[string]string
		has     []string // lines or parts the command must have
		hasNot  []string // secrets it must not have
		wantErr string
	}{
		{"bearer", resBearer, get, nil, []string{"-H 'Authorization: Bearer {-bearer_token-}'"}, nil, ""},
		{"oauth2", resOAuth, get, nil, []string{"-H 'Authorization: Bearer {-oauth_access_token-}'"}, nil, ""},
		{"basic", resBasic, get, nil, []string{"-u 'ada:{-password-}'"}, nil, ""},
		{"API key header", resKeyHdr, get, nil, []string{"-H 'X-API-Key: {-api_key-}'"}, nil, ""},
		{"API key parameter", resKeyQuery, get, nil, []string{"curl 'https://api.example.com/v1/me?api_key={-api_key-}'", "--globoff"}, nil, ""},
		{"API key parameter the query writes", resKeyQuery, &query.Query{Path: "/me", Params: rows("api_key", "k-live-123")}, nil,
			[]string{"?api_key={-api_key-}'"}, []string{"k-live-123"}, ""},
		{"API key header the query writes", resKeyHdr, &query.Query{Path: "/me", Headers: rows("x-api-key", "k-live-123")}, nil,
			[]string{"-H 'x-api-key: {-api_key-}'"}, []string{"k-live-123"}, ""},
		{"password in the base URL", newResource("https://svc:hunter2@api.example.com/v1", resource.Auth{}), get, nil,
			[]string{"curl 'https://api.example.com/v1/me'", "-u 'svc:{-password-}'"}, []string{"hunter2"}, ""},
		{"an Authorization header the query writes", resNone, &query.Query{Path: "/me", Headers: rows("Authorization", "Bearer real-token-123", "Proxy-Authorization", "Basic cHJveHk6cHc=")}, nil,
			[]string{"-H 'Authorization: Bearer {-bearer_token-}'", "-H 'Proxy-Authorization: Basic {-secret-}'"}, []string{"real-token-123", "cHJveHk6cHc="}, ""},
		{"an explicit Authorization wins over bearer auth", resBearer, &query.Query{Path: "/me", Headers: rows("Authorization", "Bearer {{token}}")}, nil,
			[]string{"-H 'Authorization: Bearer {{token}}'"}, []string{"{-bearer_token-}"}, ""},
		{"a variable filled with a token", resNone, &query.Query{Path: "/me", Headers: rows("Authorization", "Token {{token}}")}, map[string]string{"token": "tok-live-1"},
			[]string{"-H 'Authorization: Token {-secret-}'"}, []string{"tok-live-1"}, ""},
		{"secret-looking rows", resBearer, &query.Query{Path: "/me",
			Headers: rows("X-Api-Key", "k-9", "X-CSRF-Token", "{{csrf}}"),
			Params:  rows("access_token", "at-9", "pageToken", "p-1"),
			Cookies: rows("sessionid", "{{sid}}", "theme", "dark")}, map[string]string{"sid": "sess-live-9"},
			[]string{"-H 'X-Api-Key: {-secret-}'", "-H 'X-CSRF-Token: {{csrf}}'", "access_token={-secret-}&pageToken=p-1", "-b 'sessionid={-secret-}; theme=dark'"},
			[]string{"k-9", "at-9", "sess-live-9"}, ""},
		{"API-key headers of every vendor on a resource with another auth", resBearer, &query.Query{Path: "/me",
			Headers: rows("Ocp-Apim-Subscription-Key", "k-live-1", "X-Functions-Key", "k-live-2", "X-Key", "k-live-3", "X-Access-Key", "k-live-4")}, nil,
			[]string{"-H 'Ocp-Apim-Subscription-Key: {-secret-}'", "-H 'X-Functions-Key: {-secret-}'", "-H 'X-Key: {-secret-}'", "-H 'X-Access-Key: {-secret-}'"},
			[]string{"k-live-1", "k-live-2", "k-live-3", "k-live-4"}, ""},
		{"a password form field", resNone, &query.Query{Method: "POST", Path: "/login", Body: query.Body{Kind: query.BodyForm, Form: rows("user", "ada", "password", "pw-live-1")}}, nil,
			[]string{"--data-raw 'user=ada&password={-secret-}'"}, []string{"pw-live-1"}, ""},
		{"a header a variable breaks", resNone, &query.Query{Path: "/me", Headers: rows("X-A", "{{v}}")}, map[string]string{"v": "a\r\nX-Injected: 1"},
			nil, nil, "line break"},
		{"a base URL that is not http", newResource("ftp://files.example.com", resource.Auth{}), get, nil, nil, nil, "http:// or https://"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Export(tc.q, tc.res, tc.vars)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrBadRequest) {
					t.Fatalf("Export error %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.has {
				if !strings.Contains(got, s) {
					t.Errorf("the command lacks %q:\n%s", s, got)
				}
			}
			for _, s := range tc.hasNot {
				if strings.Contains(got, s) {
					t.Errorf("the command has %q:\n%s", s, got)
				}
			}
			if _, err := Parse(got); err != nil {
				t.Errorf("Parse(Export()) = %v\n%s", err, got)
			}
		})
	}
}

// TestExportImportRoundTrip: a query exported and imported again on the same resource is the same query, and
// the placeholders bring no credential with them.
func TestExportImportRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		res  *resource.Resource
		q    query.Query
	}{
		{"get with params", resNone, query.Query{Method: "GET", Path: "/items", Params: rows("q", "a b&c=d", "page", "2", "empty", "")}},
		{"json with variables", resBearer, query.Query{Method: "PATCH", Path: "/items/{{id}}", Headers: rows("X-Trace", "t-1"),
			Body: query.Body{Kind: query.BodyJSON, Text: "{\n  \"qty\": {{qty}},\n  \"note\": \"it's \\\"fine\\\"\"\n}"}}},
		{"form", resBasic, query.Query{Method: "POST", Path: "/login", Body: query.Body{Kind: query.BodyForm, Form: rows("user", "ada", "next", "/a?b=c&d")}}},
		{"raw text", resKeyHdr, query.Query{Method: "PUT", Path: "/notes/1", Body: query.Body{Kind: query.BodyRaw, Text: "line 1\r\nline\t2 \x01", ContentType: "text/plain"}}},
		{"api key in the query", resKeyQuery, query.Query{Method: "DELETE", Path: "/items/{{id}}", Params: rows("force", "true"), Cookies: rows("theme", "dark")}},
		{"oauth with the placeholder in a param", resOAuth, query.Query{Method: "GET", Path: "/me", Params: rows("token", "{-oauth_access_token-}")}},
		{"defaults the query overrides", resDefaults, query.Query{Method: "GET", Path: "/x", Params: rows("locale", "de"), Headers: rows("X-Client", "cli"), Cookies: rows("lang", "fr")}},
		{"head", resNone, query.Query{Method: "HEAD", Path: "/health"}},
		{"options with a body", resNone, query.Query{Method: "OPTIONS", Path: "", Body: query.Body{Kind: query.BodyJSON, Text: "[]"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			cmd, err := Export(&q, tc.res, nil)
			if err != nil {
				t.Fatal(err)
			}
			im, err := Import(cmd, tc.res)
			if err != nil {
				t.Fatalf("Import(Export()) = %v\n%s", err, cmd)
			}
			if len(im.Credentials) != 0 || len(im.Secrets) != 0 {
				t.Errorf("credentials %v, secrets %v from\n%s", im.Credentials, im.Secrets, cmd)
			}
			back := im.Query
			if q.Body.Kind == "" {
				q.Body.Kind = query.BodyNone
			}
			if back.Method != q.Method || back.Path != q.Path || !reflect.DeepEqual(back.Params, q.Params) ||
				!reflect.DeepEqual(back.Headers, q.Headers) || !reflect.DeepEqual(back.Cookies, q.Cookies) ||
				!reflect.DeepEqual(back.Body, q.Body) {
				t.Errorf("round trip changed the query:\n%s\n got  %#v\n want %#v", cmd, *back, q)
			}
		})
	}
}

// TestExportRunsInCurl: the exported command, run by bash and the real curl, sends the request Export meant,
// placeholders included.
func TestExportRunsInCurl(t *testing.T) {
	peer := newCurlPeer(t)
	q := &query.Query{
		Method: "PUT", Path: "/items/{{id}}", Params: rows("note", "a b&c", "sig", "s-1"),
		Headers: rows("X-Quote", `it's "quoted" \ $HOME`), Cookies: rows("theme", "dark"),
		Body: query.Body{Kind: query.BodyJSON, Text: "{\"a\": \"$(date) `id` !x\"}"},
	}
	for _, res := range []*resource.Resource{resBearer, resKeyQuery, resBasic} {
		t.Run(string(res.Auth.Kind), func(t *testing.T) {
			cmd, err := Export(q, res, nil)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Parse(cmd)
			if err != nil {
				t.Fatal(err)
			}
			got := peer.send(t, cmd)
			checkSent(t, r, got)
			if want := "/v1/items/{{id}}"; !strings.HasPrefix(got.uri, want+"?") {
				t.Errorf("curl sent %q, want the path %q", got.uri, want)
			}
			if s := got.header.Get("X-Quote"); s != `it's "quoted" \ $HOME` {
				t.Errorf("X-Quote: %q", s)
			}
			switch res.Auth.Kind {
			case resource.AuthBearer:
				if a := got.header.Get("Authorization"); a != "Bearer "+BearerTokenPlaceholder {
					t.Errorf("Authorization: %q", a)
				}
			case resource.AuthAPIKey:
				if !strings.Contains(got.uri, "api_key="+APIKeyPlaceholder) {
					t.Errorf("URI: %q", got.uri)
				}
			case resource.AuthBasic:
				if got.user != "ada" || got.password != PasswordPlaceholder {
					t.Errorf("basic: %q:%q", got.user, got.password)
				}
			}
		})
	}
}
