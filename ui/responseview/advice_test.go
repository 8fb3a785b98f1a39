package responseview

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/keychain"
	"apidesk/engine/oauth"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/uitest"
)

// errorAPI answers each path with an error, as real APIs do; /ok answers 200. It counts the requests.
func errorAPI(t *testing.T, requests *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Path {
		case "/token": // the OAuth 2.0 token endpoint, for the client credentials grant
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"at-` + r.RemoteAddr + `","token_type":"Bearer","expires_in":3600}`))
		case "/me":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			_, _ = w.Write([]byte(`{"error":"invalid_token","error_description":"The token ` + tok + ` has expired"}`))
		case "/people/42":
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"type":"about:blank","title":"Not Found","status":404,"detail":"No person with id 42"}`))
		case "/busy":
			w.Header().Set("Retry-After", "30")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"message":"API rate limit exceeded"}`))
		case "/down":
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("upstream connect error or disconnect/reset before headers"))
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"ok":true}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// An error answer, sent through the Send button to a real server, is said in plain words under the status line,
// with what to do, the API's own message, and no secret; a good answer after it says nothing of the kind.
func TestErrorAnswersAreExplained(t *testing.T) {
	a := uitest.NewApp(t)
	win := a.NewWindow("response")
	t.Cleanup(win.Close)
	v := New(win, Options{})
	t.Cleanup(v.Close)
	win.SetContent(v.Content())
	size := fyne.NewSize(1000, 700)
	win.Resize(size)

	var requests atomic.Int32
	srv := errorAPI(t, &requests)
	store := uitest.Keychain(t)
	const token = "bt-91c2d7-secret"
	res := &resource.Resource{ID: "crm", Name: "CRM", BaseURL: srv.URL, Auth: resource.Auth{Kind: resource.AuthBearer}}
	if err := store.Set(context.Background(), res.ID, resource.SecretBearerToken, token); err != nil {
		t.Fatal(err)
	}
	q := &query.Query{}
	var s *Sender
	s = NewSender(v, uitest.Runner(t, store), func() { s.Send(res, q, nil) }, SenderLabels{Text: "Send", Waiting: "Waiting…"})
	signIns := 0
	v.OnSignInAgain = func(*resource.Resource, func()) { signIns++ }

	for _, tc := range []struct {
		path, status, headline, message string
	}{
		{"/me", "401 Unauthorized", "The API refused the credentials",
			"Check the token in the resource's settings: it may be wrong or expired. The API said: “The token *** has expired”"},
		{"/people/42", "404 Not Found", "Not found",
			"Check the path, the values filled in, and the base URL in the resource's settings. The API said: “No person with id 42”"},
		{"/busy", "429 Too Many Requests", "Too many requests", "Wait 30 s, then send again. The API said: “API rate limit exceeded”"},
		{"/down", "503 Service Unavailable", "The API is not available right now",
			"Try again later; if it goes on, tell the API's owner. The API said: “upstream connect error or disconnect/reset before headers”"},
		{"/ok", "200 OK", "", ""},
	} {
		q.Path = tc.path
		test.Tap(s.Button())
		a.Wait(t, v.Tasks())
		if v.Status() != tc.status {
			t.Fatalf("%s: status %q, want %q (banner %q)", tc.path, v.Status(), tc.status, v.Problem().Message())
		}
		if got := v.Advice().Headline(); got != tc.headline {
			t.Errorf("%s: headline %q, want %q", tc.path, got, tc.headline)
		}
		if got := v.Advice().Message(); got != tc.message {
			t.Errorf("%s: message %q\nwant %q", tc.path, got, tc.message)
		}
		if v.Advice().Action() != "" {
			t.Errorf("%s: a bearer token resource offers %q", tc.path, v.Advice().Action())
		}
		if shown := labels(v.Content()); strings.Contains(shown, token) && tc.path == "/me" {
			t.Errorf("%s: the window shows the token: %s", tc.path, shown)
		}
		if m := win.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
			t.Errorf("%s: the view asks for %v in a %v window", tc.path, m, size)
		}
		if tc.headline != "" && !strings.Contains(labels(v.Content()), tc.headline) {
			t.Errorf("%s: the headline is not on screen: %s", tc.path, labels(v.Content()))
		}
	}
	if signIns != 0 {
		t.Errorf("signed in %d times without being asked", signIns)
	}

	v.SetWaiting("Waiting…")
	if v.Advice().Visible() {
		t.Error("the last answer's advice stays while the next request runs")
	}
}

// A 401 from an OAuth 2.0 resource (here its token came by the client credentials grant from a real token
// endpoint, and was refused twice) offers "Sign in again", which hands the resource and a retry to the window.
func TestSignInAgainAfterAnOAuth401(t *testing.T) {
	a := uitest.NewApp(t)
	win := a.NewWindow("response")
	t.Cleanup(win.Close)
	v := New(win, Options{Compact: true})
	t.Cleanup(v.Close)
	win.SetContent(v.Content())
	win.Resize(fyne.NewSize(1000, 700))

	var requests atomic.Int32
	srv := errorAPI(t, &requests)
	store := uitest.Keychain(t)
	res := &resource.Resource{ID: "idp", Name: "IdP", BaseURL: srv.URL, Auth: resource.Auth{Kind: resource.AuthOAuth2,
		OAuth2: resource.OAuth2{Grant: resource.GrantClientCredentials, TokenURL: srv.URL + "/token", ClientID: "app"}}}
	if err := store.Set(context.Background(), res.ID, resource.SecretClientSecret, "cs-5521"); err != nil {
		t.Fatal(err)
	}
	r := uitest.Runner(t, store)
	r.Tokens = &oauth.Client{Secrets: keychain.OAuth{Store: store}, HTTPClient: srv.Client(), LockDir: t.TempDir()}
	q := &query.Query{Path: "/me"}
	var s *Sender
	s = NewSender(v, r, func() { s.Send(res, q, nil) }, SenderLabels{Text: "Run", Waiting: "Waiting…"})

	test.Tap(s.Button())
	a.Wait(t, v.Tasks())
	if v.Status() != "401 Unauthorized" {
		t.Fatalf("status %q (banner %q: %q)", v.Status(), v.Problem().Headline(), v.Problem().Message())
	}
	if h, m := v.Advice().Headline(), v.Advice().Message(); h != "The API refused the credentials" ||
		m != "Sign in again. The API said: “The token *** has expired”" {
		t.Errorf("advice %q / %q", h, m)
	}
	if v.Advice().Action() != "" {
		t.Errorf("%q is offered though the window cannot sign in", v.Advice().Action())
	}

	var signedIn *resource.Resource
	var retry func()
	v.OnSignInAgain = func(r *resource.Resource, again func()) { signedIn, retry = r, again }
	test.Tap(s.Button())
	a.Wait(t, v.Tasks())
	if got := v.Advice().Action(); got != "Sign in again" {
		t.Fatalf("action %q, want Sign in again", got)
	}
	v.Advice().TapAction()
	if signedIn != res || retry == nil {
		t.Fatalf("Sign in again gave %v, retry %v", signedIn, retry != nil)
	}
	before := requests.Load()
	q.Path = "/ok" // as if the new sign-in had been accepted
	retry()
	a.Wait(t, v.Tasks())
	if v.Status() != "200 OK" || requests.Load() == before {
		t.Errorf("the retry: status %q, %d requests", v.Status(), requests.Load()-before)
	}
	if v.Advice().Visible() {
		t.Errorf("the advice stays after a good answer: %q", v.Advice().Headline())
	}
}
