package oauthpeer_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"apidesk/e2e/oauthpeer"

	"golang.org/x/oauth2"
)

// loopback is the smallest honest loopback redirect listener (RFC 8252 §7.3):
// bound to 127.0.0.1 on a free port, it hands over the first callback.
type loopback struct {
	redirectURI string
	got         chan url.Values
}

func listenLoopback(t *testing.T, path string) *loopback {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening on loopback: %v", err)
	}
	lb := &loopback{
		redirectURI: "http://" + ln.Addr().String() + path,
		got:         make(chan url.Values, 1),
	}
	var once sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { lb.got <- r.URL.Query() })
		_, _ = io.WriteString(w, "You can close this tab.")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return lb
}

// wait returns the callback's query, or fails the test when none comes.
func (lb *loopback) wait(t *testing.T) url.Values {
	t.Helper()
	select {
	case q := <-lb.got:
		return q
	case <-time.After(30 * time.Second):
		t.Fatal("no callback reached the loopback listener")
		return nil
	}
}

// authorize opens cfg's authorization URL in browser and returns the callback query.
func authorize(t *testing.T, browser *oauthpeer.Browser, lb *loopback, cfg *oauth2.Config, state string, opts ...oauth2.AuthCodeOption) url.Values {
	t.Helper()
	u, err := url.Parse(cfg.AuthCodeURL(state, opts...))
	if err != nil {
		t.Fatal(err)
	}
	if err := browser.OpenURL(u); err != nil {
		t.Fatalf("OpenURL: %v", err)
	}
	return lb.wait(t)
}

// signIn runs the authorization code flow with PKCE for cfg and returns the tokens.
func signIn(t *testing.T, srv *oauthpeer.Server, cfg *oauth2.Config) *oauth2.Token {
	t.Helper()
	lb := listenLoopback(t, "/callback")
	cfg.RedirectURL = lb.redirectURI
	verifier := oauth2.GenerateVerifier()
	const state = "state-for-sign-in"
	q := authorize(t, srv.Browser(t), lb, cfg, state, oauth2.S256ChallengeOption(verifier))
	if q.Get("state") != state || q.Get("code") == "" {
		t.Fatalf("callback = %v, want a code and state %q", q, state)
	}
	tok, err := cfg.Exchange(ctxFor(t, srv), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchanging the code: %v", err)
	}
	return tok
}

// ctxFor returns the test's context carrying srv's HTTP client for
// golang.org/x/oauth2 (it trusts the certificate under WithTLS).
func ctxFor(t *testing.T, srv *oauthpeer.Server) context.Context {
	return context.WithValue(t.Context(), oauth2.HTTPClient, srv.HTTPClient())
}

func publicConfig(srv *oauthpeer.Server, scopes ...string) *oauth2.Config {
	return &oauth2.Config{ClientID: oauthpeer.PublicClientID, Endpoint: srv.Endpoint(), Scopes: scopes}
}

// get fetches u with an optional bearer token and returns status, header and body.
func get(t *testing.T, c *http.Client, u, token string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

// postForm posts form to u, with Basic credentials when user is not empty.
func postForm(t *testing.T, c *http.Client, u string, form url.Values, user, pass string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

func decodeJSON(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("decoding %q: %v", body, err)
	}
	return m
}

// errorCode returns the OAuth error code of a golang.org/x/oauth2 error.
func errorCode(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}
