package advice_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"apidesk/engine/advice"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

var now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func answer(code int, ctype, body string, header ...string) *runner.Response {
	h := http.Header{}
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	return &runner.Response{StatusCode: code, Status: http.StatusText(code), Header: h, Body: []byte(body), Size: int64(len(body))}
}

func TestEachStatusIsExplained(t *testing.T) {
	for _, tc := range []struct {
		name     string
		code     int
		auth     resource.AuthKind
		header   []string
		headline string
		message  string
		signIn   bool
	}{
		{"400", 400, resource.AuthNone, nil, "The API did not accept the request", "Check the parameters, the headers and the body.", false},
		{"401 OAuth", 401, resource.AuthOAuth2, nil, "The API refused the credentials", "Sign in again.", true},
		{"401 bearer", 401, resource.AuthBearer, nil, "The API refused the credentials", "Check the token in the resource's settings: it may be wrong or expired.", false},
		{"401 basic", 401, resource.AuthBasic, nil, "The API refused the credentials", "Check the username and password in the resource's settings.", false},
		{"401 API key", 401, resource.AuthAPIKey, nil, "The API refused the credentials", "Check the API key in the resource's settings, and where it is sent (a header or a URL parameter).", false},
		{"401 none", 401, resource.AuthNone, nil, "The API refused the credentials", "This API wants credentials: choose how to sign in under Authentication in the resource's settings.", false},
		{"403 bearer", 403, resource.AuthBearer, nil, "Signed in, but not allowed to do this", "Check the scopes or the account's permissions.", false},
		{"403 OAuth", 403, resource.AuthOAuth2, nil, "Signed in, but not allowed to do this", "Check the scopes in the resource's settings or the account's permissions, then sign in again.", false},
		{"403 none", 403, resource.AuthNone, nil, "The API does not allow this", "It may need credentials: choose how to sign in under Authentication in the resource's settings. Otherwise check the account's permissions.", false},
		{"404", 404, resource.AuthOAuth2, nil, "Not found", "Check the path, the values filled in, and the base URL in the resource's settings.", false},
		{"405", 405, resource.AuthNone, []string{"Allow", "GET, HEAD"}, "The API does not allow this method here", "Check the method (GET, POST…) and the path. It allows GET, HEAD.", false},
		{"405 no Allow", 405, resource.AuthNone, nil, "The API does not allow this method here", "Check the method (GET, POST…) and the path.", false},
		{"408", 408, resource.AuthNone, nil, "The API stopped waiting for the request", "Send it again; if it goes on, the connection may be slow.", false},
		{"413", 413, resource.AuthNone, nil, "The request is too large for the API", "Send a smaller body, or fewer items at once.", false},
		{"415", 415, resource.AuthNone, nil, "The API does not accept this kind of body", "Check the Content-Type header and that the body is written in that format (JSON, a form…).", false},
		{"422", 422, resource.AuthNone, nil, "The API could not use the data sent", "Check the fields and values in the body.", false},
		{"429", 429, resource.AuthBearer, nil, "Too many requests", "Wait a little, then send again.", false},
		{"429 Retry-After", 429, resource.AuthBearer, []string{"Retry-After", "30"}, "Too many requests", "Wait 30 s, then send again.", false},
		{"500", 500, resource.AuthNone, nil, "The API had a problem", "Try again later; if it goes on, tell the API's owner.", false},
		{"502", 502, resource.AuthNone, nil, "The API's server did not answer properly", "Try again later; if it goes on, tell the API's owner.", false},
		{"503", 503, resource.AuthNone, nil, "The API is not available right now", "Try again later; if it goes on, tell the API's owner.", false},
		{"503 Retry-After", 503, resource.AuthNone, []string{"Retry-After", "120"}, "The API is not available right now", "Wait 2 min, then send again. If it goes on, tell the API's owner.", false},
		{"504", 504, resource.AuthNone, nil, "The API's server did not answer properly", "Try again later; if it goes on, tell the API's owner.", false},
		{"418", 418, resource.AuthNone, nil, "The API did not accept the request", "Check the path, the parameters and the body.", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := advice.For(answer(tc.code, "", "", tc.header...), tc.auth, now)
			if a == nil {
				t.Fatal("no advice")
			}
			if a.Headline != tc.headline || a.Message != tc.message || a.SignIn != tc.signIn {
				t.Errorf("got %q / %q / sign in %v\nwant %q / %q / %v", a.Headline, a.Message, a.SignIn, tc.headline, tc.message, tc.signIn)
			}
			if a.Quote != "" {
				t.Errorf("an empty body gave the quote %q", a.Quote)
			}
		})
	}
}

func TestNoAdviceForAnswersThatAreNoError(t *testing.T) {
	for _, code := range []int{100, 200, 201, 204, 301, 304} {
		if a := advice.For(answer(code, "application/json", `{"message":"ok"}`), resource.AuthOAuth2, now); a != nil {
			t.Errorf("%d: got advice %+v", code, a)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		wait   time.Duration
		ok     bool
		text   string
	}{
		{"seconds", []string{"Retry-After", "30"}, 30 * time.Second, true, "Wait 30 s, then send again."},
		{"seconds with spaces", []string{"Retry-After", " 90 "}, 90 * time.Second, true, "Wait 1 min 30 s, then send again."},
		{"hours", []string{"Retry-After", "7500"}, 7500 * time.Second, true, "Wait 2 h 5 min, then send again."},
		{"date from now", []string{"Retry-After", "Sat, 01 Mar 2025 12:00:45 GMT"}, 45 * time.Second, true, "Wait 45 s, then send again."},
		{"date from the answer's Date", []string{"Retry-After", "Sat, 01 Mar 2025 12:10:00 GMT", "Date", "Sat, 01 Mar 2025 12:09:00 GMT"},
			time.Minute, true, "Wait 1 min, then send again."},
		{"RFC 850 date", []string{"Retry-After", "Saturday, 01-Mar-25 12:05:00 GMT"}, 5 * time.Minute, true, "Wait 5 min, then send again."},
		{"date passed", []string{"Retry-After", "Sat, 01 Mar 2025 11:00:00 GMT"}, 0, true, "You may send again now."},
		{"zero", []string{"Retry-After", "0"}, 0, true, "You may send again now."},
		{"unreadable", []string{"Retry-After", "soon"}, 0, false, "Wait a little, then send again."},
		{"negative", []string{"Retry-After", "-5"}, 0, false, "Wait a little, then send again."},
		{"none", nil, 0, false, "Wait a little, then send again."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := answer(429, "", "", tc.header...)
			wait, ok := advice.RetryAfter(resp.Header, now)
			if wait != tc.wait || ok != tc.ok {
				t.Errorf("RetryAfter = %v, %v; want %v, %v", wait, ok, tc.wait, tc.ok)
			}
			a := advice.For(resp, resource.AuthNone, now)
			if a.Message != tc.text || a.Wait != tc.wait {
				t.Errorf("message %q, wait %v; want %q, %v", a.Message, a.Wait, tc.text, tc.wait)
			}
		})
	}
}

func TestTheAPIsMessageIsQuoted(t *testing.T) {
	long := strings.Repeat("word ", 60)
	for _, tc := range []struct {
		name, ctype, body, quote string
	}{
		{"OAuth 2.0 error", "application/json", `{"error":"invalid_token","error_description":"The access token expired"}`, "The access token expired"},
		{"OAuth 2.0 error code only", "application/json", `{"error":"invalid_token"}`, "invalid_token"},
		{"message", "application/json; charset=utf-8", `{"message":"Bad credentials","documentation_url":"https://docs"}`, "Bad credentials"},
		{"error object", "application/json", `{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}`, "The caller does not have permission"},
		{"problem details", "application/problem+json", `{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","detail":"Your current balance is 30, but that costs 50.","status":403}`, "Your current balance is 30, but that costs 50."},
		{"problem title only", "application/problem+json", `{"type":"about:blank","title":"Not Found","status":404}`, "Not Found"},
		{"FastAPI validation", "application/json", `{"detail":[{"loc":["body","email"],"msg":"field required","type":"value_error.missing"}]}`, "field required"},
		{"JSON:API errors", "application/vnd.api+json", `{"errors":[{"status":"422","title":"Invalid Attribute","detail":"First name must contain at least two characters."}]}`, "First name must contain at least two characters."},
		{"GraphQL errors", "application/json", `{"errors":[{"message":"Cannot query field \"nme\""}]}`, `Cannot query field "nme"`},
		{"no content type", "", `{"message":"rate limited"}`, "rate limited"},
		{"one line", "application/json", `{"message":"first line\n\tsecond   line"}`, "first line second line"},
		{"clipped", "application/json", `{"message":"` + long + `"}`, strings.TrimSpace(strings.Repeat("word ", 32)) + "…"},
		{"short plain text", "text/plain; charset=utf-8", "upstream connect error\n", "upstream connect error"},
		{"long plain text", "text/plain", long + long, ""},
		{"HTML page", "text/html", `<html><body><h1>502 Bad Gateway</h1></body></html>`, ""},
		{"not JSON", "application/json", `{"message":`, ""},
		{"no known field", "application/json", `{"code":42,"status":"bad"}`, ""},
		{"a number", "application/json", `{"message":42}`, ""},
		{"an array", "application/json", `[1,2]`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := advice.For(answer(401, tc.ctype, tc.body), resource.AuthBearer, now)
			if a.Quote != tc.quote {
				t.Errorf("quote %q, want %q", a.Quote, tc.quote)
			}
			want := a.Message
			if tc.quote != "" {
				want += " The API said: “" + tc.quote + "”"
			}
			if a.Text() != want {
				t.Errorf("text %q, want %q", a.Text(), want)
			}
		})
	}
}

func TestATruncatedBodyIsNotQuoted(t *testing.T) {
	resp := answer(500, "application/json", `{"message":"boom"}`)
	resp.Truncated = true
	if a := advice.For(resp, resource.AuthNone, now); a.Quote != "" {
		t.Errorf("quoted %q from a body shown in part", a.Quote)
	}
}

// TestNoSecretIsQuoted sends real requests carrying a bearer token and an API key in the URL to a server that
// echoes them in its error message: the quote hides them.
func TestNoSecretIsQuoted(t *testing.T) {
	const token = "tok-4f9a1c7e-secret"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		msg := "the token " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + " expired; GET " + r.URL.RequestURI() +
			" as https://ann:hunter22@example.com"
		_, _ = w.Write([]byte(`{"error":"invalid_token","error_description":` + strconv.Quote(msg) + `}`))
	}))
	t.Cleanup(srv.Close)
	res := &resource.Resource{ID: "r1", Name: "CRM", BaseURL: srv.URL, Auth: resource.Auth{Kind: resource.AuthBearer}}
	secrets := runner.SecretsFunc(func(_ context.Context, id string, kind resource.SecretKind) (string, error) {
		if id == "r1" && kind == resource.SecretBearerToken {
			return token, nil
		}
		return "", nil
	})
	r := &runner.Runner{Client: srv.Client(), Secrets: secrets}
	resp, err := r.Do(context.Background(), res, &query.Query{Method: http.MethodGet, Path: "/people?api_key=k-998877&page=2"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Close() })
	a := advice.For(resp, res.Auth.Kind, now)
	if a == nil {
		t.Fatal("no advice for a 401")
	}
	for _, secret := range []string{token, "k-998877", "hunter22"} {
		if strings.Contains(a.Text(), secret) {
			t.Errorf("the advice repeats the secret %q: %s", secret, a.Text())
		}
	}
	if want := "the token *** expired; GET /people?api_key=***&page=2 as https://ann:***@example.com"; a.Quote != want {
		t.Errorf("quote %q, want %q", a.Quote, want)
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "1 s", 400 * time.Millisecond: "1 s", 30 * time.Second: "30 s", 59 * time.Second: "59 s", time.Minute: "1 min",
		61 * time.Second: "1 min 1 s", time.Hour: "1 h", 3*time.Hour + 20*time.Minute: "3 h 20 min",
	} {
		if got := advice.Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}
