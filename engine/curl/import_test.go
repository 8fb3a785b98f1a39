package curl

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/template"
)

func newResource(base string, auth resource.Auth) *resource.Resource {
	return &resource.Resource{ID: "r1", Name: "Shop", BaseURL: base, Auth: auth}
}

var (
	resNone     = newResource("https://api.example.com/v1", resource.Auth{Kind: resource.AuthNone})
	resBearer   = newResource("https://api.example.com/v1/", resource.Auth{Kind: resource.AuthBearer})
	resBasic    = newResource("https://api.example.com/v1", resource.Auth{Kind: resource.AuthBasic, Username: "ada"})
	resKeyHdr   = newResource("https://api.example.com/v1", resource.Auth{Kind: resource.AuthAPIKey, KeyName: "X-API-Key", KeyIn: resource.KeyInHeader})
	resKeyQuery = newResource("https://api.example.com/v1", resource.Auth{Kind: resource.AuthAPIKey, KeyName: "api_key", KeyIn: resource.KeyInQuery})
	resOAuth    = newResource("https://api.example.com/v1", resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{ClientID: "app"}})
	resRoot     = newResource("https://api.example.com", resource.Auth{})
	resDefaults = &resource.Resource{
		ID: "r2", Name: "With defaults", BaseURL: "https://api.example.com/v1?version=2",
		Headers: rows("Accept", "application/json", "X-Client", "apidesk"),
		Params:  rows("locale", "en"),
		Cookies: rows("lang", "en"),
	}
)

// want is what a test expects of an import; the query's ID is new each time and not compared.
type want struct {
	method, path string
	params       kv.List
	headers      kv.List
	cookies      kv.List
	body         query.Body
	creds        []Credential
	secrets      []Secret
}

func checkImport(t *testing.T, im *Imported, res *resource.Resource, w want) {
	t.Helper()
	q := im.Query
	if q.ID == "" || q.ResourceID != res.ID || q.Name != "" {
		t.Errorf("query ID %q, resource %q, name %q", q.ID, q.ResourceID, q.Name)
	}
	if q.Method != w.method || q.Path != w.path {
		t.Errorf("got %s %q, want %s %q", q.Method, q.Path, w.method, w.path)
	}
	for _, c := range []struct {
		what      string
		got, want kv.List
	}{{"params", q.Params, w.params}, {"headers", q.Headers, w.headers}, {"cookies", q.Cookies, w.cookies}} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s:\n got  %v\n want %v", c.what, c.got, c.want)
		}
	}
	if w.body.Kind == "" {
		w.body.Kind = query.BodyNone
	}
	if !reflect.DeepEqual(q.Body, w.body) {
		t.Errorf("body:\n got  %#v\n want %#v", q.Body, w.body)
	}
	if !reflect.DeepEqual(im.Credentials, w.creds) {
		t.Errorf("credentials:\n got  %#v\n want %#v", im.Credentials, w.creds)
		for _, c := range im.Credentials {
			t.Logf("  %+v secret %q", c.Auth, c.Secret)
		}
	}
	if !reflect.DeepEqual(im.Secrets, w.secrets) {
		t.Errorf("secrets:\n got  %#v\n want %#v", im.Secrets, w.secrets)
	}
}

const chromeJWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl"

func TestImport(t *testing.T) {
	chromeHeaders := func(skip ...string) kv.List {
		r, _ := Parse(chromeGET)
		var out kv.List
		for _, h := range r.Headers {
			if !contains(skip, h.Key) {
				out = append(out, h)
			}
		}
		return out
	}
	tests := []struct {
		name string
		cmd  string
		res  *resource.Resource
		want want
	}{
		{"chrome GET on a bearer resource", chromeGET, resBearer, want{
			method: "GET", path: "/orders", params: rows("status", "open", "page", "2"),
			headers: chromeHeaders("authorization"),
			cookies: rows("_ga", "GA1.1.1234567890.1700000000", "session_id", "{{session_id}}", "theme", "dark"),
			creds:   []Credential{{From: "the Authorization header", Auth: resource.Auth{Kind: resource.AuthBearer}, Secret: chromeJWT, Matches: true}},
			secrets: []Secret{{From: "the cookie session_id", Variable: "session_id", Value: "s%3AabcDEF123.xyz"}},
		}},
		{"chrome GET on a resource without auth: the token is offered, not kept", chromeGET, resNone, want{
			method: "GET", path: "/orders", params: rows("status", "open", "page", "2"),
			headers: chromeHeaders("authorization"),
			cookies: rows("_ga", "GA1.1.1234567890.1700000000", "session_id", "{{session_id}}", "theme", "dark"),
			creds:   []Credential{{From: "the Authorization header", Auth: resource.Auth{Kind: resource.AuthBearer}, Secret: chromeJWT}},
			secrets: []Secret{{From: "the cookie session_id", Variable: "session_id", Value: "s%3AabcDEF123.xyz"}},
		}},
		{"chrome POST: JSON body, CSRF token and session hidden", chromePOST, resNone, want{
			method: "POST", path: "/orders",
			headers: rows("accept", "application/json", "origin", "https://app.example.com", "x-csrf-token", "{{x-csrf-token}}"),
			cookies: rows("session_id", "{{session_id}}"),
			body:    jsonBody(`{"sku":"A-1","qty":2,"note":"it's a gift!","lines":"one\ntwo"}`),
			secrets: []Secret{
				{From: "the header x-csrf-token", Variable: "x-csrf-token", Value: "4bd1c7f0e2a94d53"},
				{From: "the cookie session_id", Variable: "session_id", Value: "s%3AabcDEF123.xyz"},
			},
		}},
		{"firefox PUT on an OAuth resource", firefoxPUT, resOAuth, want{
			method: "PUT", path: "/orders/42",
			headers: rows("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
				"Accept", "application/json", "Accept-Language", "en-US,en;q=0.5", "Origin", "https://app.example.com",
				"Referer", "https://app.example.com/", "Sec-Fetch-Dest", "empty", "Sec-Fetch-Mode", "cors",
				"Sec-Fetch-Site", "same-site", "Priority", "u=0"),
			cookies: rows("session_id", "{{session_id}}", "theme", "dark"),
			body:    jsonBody(`{"city":"Zürich","emoji":"😀"}`),
			creds:   []Credential{{From: "the Authorization header", Auth: resource.Auth{Kind: resource.AuthOAuth2}, Secret: "abc.def.ghi", Matches: true}},
			secrets: []Secret{{From: "the cookie session_id", Variable: "session_id", Value: "xyz"}},
		}},
		{"firefox form: the password field is hidden", firefoxForm, resRoot, want{
			method: "POST", path: "/login",
			headers: rows("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
				"Accept", "text/html", "Origin", "https://api.example.com"),
			body:    formBody("username", "ada", "password", "{{password}}", "remember", "on"),
			secrets: []Secret{{From: "the form field password", Variable: "password", Value: "s3cr!t"}},
		}},
		{"safari Basic on a Basic resource of the same user", safariPOST, resBasic, want{
			method: "POST", path: "/orders",
			headers: rows("Accept", "application/json", "Accept-Language", "en-GB,en;q=0.9"),
			body:    jsonBody(`{"sku":"A-1"}`),
			creds:   []Credential{{From: "the Authorization header", Auth: resource.Auth{Kind: resource.AuthBasic, Username: "ada"}, Secret: "lovelace", Matches: true}},
		}},
		{"-u for another user", `curl -u 'grace:hopper' https://api.example.com/v1/me`, resBasic, want{
			method: "GET", path: "/me",
			creds: []Credential{{From: "-u", Auth: resource.Auth{Kind: resource.AuthBasic, Username: "grace"}, Secret: "hopper"}},
		}},
		{"-u without a password", `curl -u ada https://api.example.com/v1/me`, resNone, want{
			method: "GET", path: "/me",
			creds: []Credential{{From: "-u", Auth: resource.Auth{Kind: resource.AuthBasic, Username: "ada"}}},
		}},
		{"the resource's API key header, any case", `curl https://api.example.com/v1/items -H 'x-api-key: k-123' -H 'X-Other: 1'`, resKeyHdr, want{
			method: "GET", path: "/items", headers: rows("X-Other", "1"),
			creds: []Credential{{From: "the header x-api-key", Auth: apiKeyAuth("X-API-Key", resource.KeyInHeader), Secret: "k-123", Matches: true}},
		}},
		{"the resource's API key parameter", `curl 'https://api.example.com/v1/items?api_key=k-123&q=lamp'`, resKeyQuery, want{
			method: "GET", path: "/items", params: rows("q", "lamp"),
			creds: []Credential{{From: "the URL parameter api_key", Auth: apiKeyAuth("api_key", resource.KeyInQuery), Secret: "k-123", Matches: true}},
		}},
		{"an API key header offered to a resource without auth", `curl https://api.example.com/v1/items -H 'X-Api-Key: k-123'`, resNone, want{
			method: "GET", path: "/items",
			creds: []Credential{{From: "the header X-Api-Key", Auth: apiKeyAuth("X-Api-Key", resource.KeyInHeader), Secret: "k-123"}},
		}},
		{"an API key parameter offered to a resource without auth", `curl 'https://api.example.com/v1/items?key=k-123&page=2'`, resNone, want{
			method: "GET", path: "/items", params: rows("page", "2"),
			creds: []Credential{{From: "the URL parameter key", Auth: apiKeyAuth("key", resource.KeyInQuery), Secret: "k-123"}},
		}},
		{"an API key header on a bearer resource becomes a variable", `curl https://api.example.com/v1/items -H 'X-Api-Key: k-123'`, resBearer, want{
			method: "GET", path: "/items", headers: rows("X-Api-Key", "{{x-api-key}}"),
			secrets: []Secret{{From: "the header X-Api-Key", Variable: "x-api-key", Value: "k-123"}},
		}},
		{"API-key headers of every vendor on a bearer resource become variables", `curl https://api.example.com/v1/items -H 'Ocp-Apim-Subscription-Key: k-1' -H 'X-Functions-Key: k-2' -H 'X-Key: k-3' -H 'X-Trace: t-1'`, resBearer, want{
			method: "GET", path: "/items",
			headers: rows("Ocp-Apim-Subscription-Key", "{{ocp-apim-subscription-key}}", "X-Functions-Key", "{{x-functions-key}}", "X-Key", "{{x-key}}", "X-Trace", "t-1"),
			secrets: []Secret{
				{From: "the header Ocp-Apim-Subscription-Key", Variable: "ocp-apim-subscription-key", Value: "k-1"},
				{From: "the header X-Functions-Key", Variable: "x-functions-key", Value: "k-2"},
				{From: "the header X-Key", Variable: "x-key", Value: "k-3"},
			},
		}},
		{"an Authorization scheme apidesk has no kind for", `curl https://api.example.com/v1/items -H 'Authorization: Token abc'`, resNone, want{
			method: "GET", path: "/items",
			creds: []Credential{{From: "the Authorization header", Auth: apiKeyAuth("Authorization", resource.KeyInHeader), Secret: "Token abc"}},
		}},
		{"Bearer {{token}} is the person's own: kept", `curl https://api.example.com/v1/items -H 'Authorization: Bearer {{token}}'`, resBearer, want{
			method: "GET", path: "/items", headers: rows("Authorization", "Bearer {{token}}"),
		}},
		{"placeholders of what the resource sends are dropped without a word", `curl https://api.example.com/v1/items -H 'Authorization: Bearer {-oauth_access_token-}' -H 'X-API-Key: {-api_key-}'`, resOAuth, want{
			method: "GET", path: "/items", headers: rows("X-API-Key", "{-api_key-}"),
		}},
		{"a placeholder for other auth is offered without a secret", `curl -u 'ada:{-password-}' https://api.example.com/v1/items`, resNone, want{
			method: "GET", path: "/items",
			creds: []Credential{{From: "-u", Auth: resource.Auth{Kind: resource.AuthBasic, Username: "ada"}}},
		}},
		{"the resource's defaults are left out, other values kept", `curl 'https://api.example.com/v1/items?version=2&locale=en&page=1' -H 'accept: application/json' -H 'X-Client: other' -b 'lang=en; theme=dark'`, resDefaults, want{
			method: "GET", path: "/items", params: rows("page", "1"), headers: rows("X-Client", "other"), cookies: rows("theme", "dark"),
		}},
		{"a default overridden in part stays whole", `curl 'https://api.example.com/v1/items?locale=en&locale=de'`, resDefaults, want{
			method: "GET", path: "/items", params: rows("locale", "en", "locale", "de"),
		}},
		{"the base URL itself, and its default port", `curl https://api.example.com:443/v1`, resNone, want{method: "GET", path: ""}},
		{"the base URL with a slash", `curl https://API.example.com/v1/`, resNone, want{method: "GET", path: "/"}},
		{"at the root", `curl https://api.example.com`, resRoot, want{method: "GET", path: ""}},
		{"escapes in the path are kept", `curl 'https://api.example.com/v1/files/a%20b%2Fc'`, resNone, want{method: "GET", path: "/files/a%20b%2Fc"}},
		{"client-managed headers and --compressed are dropped", `curl https://api.example.com/v1/x --compressed -H 'Accept-Encoding: br' -H 'Connection: close' -H 'Content-Length: 3' -H 'Host: api.example.com' -H 'Host: other.example'`, resNone, want{
			method: "GET", path: "/x", headers: rows("Host", "other.example"),
		}},
		{"a content type with parameters is kept", `curl https://api.example.com/v1/x -H 'Content-Type: application/json; charset=utf-8' -d '{}'`, resNone, want{
			method: "POST", path: "/x", headers: rows("Content-Type", "application/json; charset=utf-8"), body: jsonBody("{}"),
		}},
		{"a raw body carries its type", `curl https://api.example.com/v1/import -H 'Content-Type: text/csv' --data-binary $'id\n1\n'`, resNone, want{
			method: "POST", path: "/import", body: rawBody("id\n1\n", "text/csv"),
		}},
		{"an empty POST has no body", `curl -d '' https://api.example.com/v1/touch`, resNone, want{method: "POST", path: "/touch"}},
		{"variable names do not clash", `curl 'https://api.example.com/v1/x?token=1' -H 'X-Token: 2' -b 'token=3; session={{session}}' -d '{"t":"{{x-token}}"}'`, resBearer, want{
			method: "POST", path: "/x", params: rows("token", "{{token}}"), headers: rows("X-Token", "{{x-token_2}}"),
			cookies: rows("token", "{{token_2}}", "session", "{{session}}"), body: jsonBody(`{"t":"{{x-token}}"}`),
			secrets: []Secret{
				{From: "the URL parameter token", Variable: "token", Value: "1"},
				{From: "the header X-Token", Variable: "x-token_2", Value: "2"},
				{From: "the cookie token", Variable: "token_2", Value: "3"},
			},
		}},
		{"secret keys of a JSON body become variables, at any depth", `curl https://api.example.com/v1/login -H 'Content-Type: application/json' --data-raw '{"user":"ada","password":"p\"w", "nested":{"api_key":"k-1","n":{{n}}},"token":"{{tok}}","list":[{"client_secret":"cs-1"}],"pageToken":"p-2"}'`, resRoot, want{
			method: "POST", path: "/v1/login",
			body: jsonBody(`{"user":"ada","password":"{{password}}", "nested":{"api_key":"{{api_key}}","n":{{n}}},"token":"{{tok}}","list":[{"client_secret":"{{client_secret}}"}],"pageToken":"p-2"}`),
			secrets: []Secret{
				{From: "the JSON field password", Variable: "password", Value: `p\"w`},
				{From: "the JSON field api_key", Variable: "api_key", Value: "k-1"},
				{From: "the JSON field client_secret", Variable: "client_secret", Value: "cs-1"},
			},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			im, err := Import(tc.cmd, tc.res)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			checkImport(t, im, tc.res, tc.want)
			if es := im.Query.Validate(); len(es) != 1 || es[0].Field != "name" {
				t.Errorf("the imported query is not valid but for its name: %v", es)
			}
		})
	}
}

// TestImportedJSONBodySendsTheSameBytes: the secrets of a JSON body, given back as the variables Import made
// of them, make the body the command sent, byte for byte.
func TestImportedJSONBodySendsTheSameBytes(t *testing.T) {
	const body = `{"password": "a\\b\"c\u00e9", "auth": {"refresh_token": "rt-1"}, "n": 1}`
	im, err := Import(`curl https://api.example.com/x -H 'Content-Type: application/json' --data-raw '`+body+`'`, resRoot)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, s := range im.Secrets {
		vars[s.Variable] = s.Value
	}
	if len(im.Secrets) != 2 || strings.Contains(im.Query.Body.Text, "rt-1") {
		t.Fatalf("secrets %v, body %s", im.Secrets, im.Query.Body.Text)
	}
	got, err := template.Expand(im.Query.Body.Text, vars)
	if err != nil || got != body {
		t.Errorf("the body expands to %q, %v; want %q", got, err, body)
	}
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		name string
		cmd  string
		res  *resource.Resource
		is   error
		says string
	}{
		{"another host", `curl 'https://other.example.com/v1/x?api_key=s3cr3t'`, resNone, ErrNotUnderBase,
			"this URL (https://other.example.com/v1/x) is not under the resource's base URL https://api.example.com/v1: add it as its own resource or change the base URL"},
		{"a sibling path", `curl https://api.example.com/v10/x`, resNone, ErrNotUnderBase, "not under the resource's base URL"},
		{"another scheme", `curl http://api.example.com/v1/x`, resNone, ErrNotUnderBase, "not under"},
		{"another port", `curl https://api.example.com:8443/v1/x`, resNone, ErrNotUnderBase, "not under"},
		{"a base URL with variables", `curl https://eu.example.com/v1/x`, newResource("https://{{region}}.example.com/v1", resource.Auth{}), ErrNotUnderBase, "uses {{variables}}"},
		{"a parse error", `curl --ntlm -u a:b https://api.example.com/v1/x`, resNone, ErrUnsupported, "NTLM"},
		{"a cookie name a server would refuse", `curl -b 'a(b)=1' https://api.example.com/v1/x`, resNone, ErrBadRequest, "Cookie name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import(tc.cmd, tc.res)
			if err == nil {
				t.Fatal("Import accepted it")
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error %q shows the API key", err)
			}
		})
	}
}

// TestImportedPrintsNoSecret: printing what Import returns, as a caller might log it, shows no secret.
func TestImportedPrintsNoSecret(t *testing.T) {
	im, err := Import(chromePOST+` -H 'Authorization: Bearer tok-987'`, resBearer)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Credentials) != 1 || len(im.Secrets) != 2 {
		t.Fatalf("credentials %d, secrets %d", len(im.Credentials), len(im.Secrets))
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		s := fmt.Sprintf(format, im) + fmt.Sprintf(format, im.Credentials) + fmt.Sprintf(format, im.Secrets)
		for _, secret := range []string{"tok-987", "4bd1c7f0e2a94d53", "abcDEF123"} {
			if strings.Contains(s, secret) {
				t.Errorf("%s shows %q: %s", format, secret, s)
			}
		}
	}
	if got := im.Credentials[0].String(); got != "Bearer token from the Authorization header" {
		t.Errorf("String() = %q", got)
	}
}
