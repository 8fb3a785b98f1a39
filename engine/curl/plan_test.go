package curl

import (
	"context"
	"io"
	"reflect"
	"testing"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/template"
)

// placeholderTokens gives the access token placeholder as the token, so the runner sends what Export shows.
type placeholderTokens struct{}

func (placeholderTokens) AccessToken(context.Context, *resource.Resource) (string, error) {
	return template.AccessTokenPlaceholder, nil
}

func (placeholderTokens) Refresh(context.Context, *resource.Resource, string) (string, error) {
	return template.AccessTokenPlaceholder, nil
}

// TestExportSendsWhatTheRunnerSends: the exported command, run by bash and the real curl, sends the request
// the runner builds when the keychain holds the placeholders as secrets: one plan, two ways to send it.
func TestExportSendsWhatTheRunnerSends(t *testing.T) {
	peer := newCurlPeer(t)
	secrets := map[resource.SecretKind]string{resource.SecretPassword: PasswordPlaceholder, resource.SecretBearerToken: BearerTokenPlaceholder, resource.SecretAPIKey: APIKeyPlaceholder}
	rn := &runner.Runner{
		Secrets: runner.SecretsFunc(func(_ context.Context, _ string, kind resource.SecretKind) (string, error) { return secrets[kind], nil }),
		Tokens:  placeholderTokens{},
	}
	tests := []struct {
		name string
		res  *resource.Resource
		q    query.Query
	}{
		{"brackets, a space and ü in the path", resNone, query.Query{Path: "/a[1]/b c/ü", Params: rows("q", "[x] y", "t", `a'b"c`)}},
		{"the base URL's own query", resDefaults, query.Query{Path: "/x?y=[1]&z=a%zz", Params: rows("locale", "de")}},
		{"a Cookie header and cookie rows", resNone, query.Query{Path: "/x", Headers: rows("Cookie", "a=1"), Cookies: rows("b", "2")}},
		{"a Range header: no compressed answer", resNone, query.Query{Path: "/x", Headers: rows("Range", "bytes=0-10")}},
		{"a raw body typed as a form", resNone, query.Query{Method: "POST", Path: "/x", Body: query.Body{Kind: query.BodyRaw, Text: "a=%41&b=c+d", ContentType: "application/x-www-form-urlencoded"}}},
		{"a form body", resBasic, query.Query{Method: "PUT", Path: "/x", Body: query.Body{Kind: query.BodyForm, Form: rows("a b", "c&d", "e", "é/f")}}},
		{"user:password@ in the base URL", newResource("https://svc:{-password-}@api.example.com/v1", resource.Auth{}), query.Query{Path: "/me"}},
		{"an API key parameter", resKeyQuery, query.Query{Method: "DELETE", Path: "/x", Params: rows("force", "1")}},
		{"OAuth 2.0 with the token in a parameter", resOAuth, query.Query{Path: "/x", Params: rows("token", template.AccessTokenPlaceholder)}},
		{"a Host header", resBearer, query.Query{Path: "/x", Headers: rows("Host", "other.example.com", "X-Trace", "t 1")}},
		{"HEAD", resKeyHdr, query.Query{Method: "HEAD", Path: "/health"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd, err := Export(&tc.q, tc.res, nil)
			if err != nil {
				t.Fatal(err)
			}
			req, err := rn.Build(context.Background(), tc.res, &tc.q, nil)
			if err != nil {
				t.Fatal(err)
			}
			var body []byte
			if req.Body != nil {
				if body, err = io.ReadAll(req.Body); err != nil {
					t.Fatal(err)
				}
			}
			// The command keeps the braces of placeholders readable; the runner escapes them.
			uri := braces.Replace(req.URL.RequestURI())
			got := peer.send(t, cmd)
			if got.method != req.Method || got.uri != uri || string(got.body) != string(body) {
				t.Errorf("curl sent %s %s %q, the runner %s %s %q\n%s", got.method, got.uri, got.body, req.Method, uri, body, cmd)
			}
			if req.Host != "" && got.host != req.Host {
				t.Errorf("Host: curl sent %q, the runner %q", got.host, req.Host)
			}
			for k, vs := range req.Header {
				if k == "User-Agent" {
					continue // each client names itself
				}
				if !reflect.DeepEqual(got.header.Values(k), vs) {
					t.Errorf("%s: curl sent %q, the runner %q\n%s", k, got.header.Values(k), vs, cmd)
				}
			}
			p, err := runner.Preview(tc.res, &tc.q, nil)
			if err != nil {
				t.Fatal(err)
			}
			if asked := got.header.Get("Accept-Encoding") != ""; asked != p.Compressed() {
				t.Errorf("curl asked for a compressed answer: %v, the runner: %v", asked, p.Compressed())
			}
		})
	}
}
