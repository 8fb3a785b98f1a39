package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"apidesk/engine/resource"
)

// memStore is an in-memory SecretStore for unit tests (the e2e tests use the real keychain store).
type memStore struct {
	mu      sync.Mutex
	m       map[string]string
	sets    int
	failSet error // Set fails with this while it is non-nil, as a locked keychain does
}

func newMemStore() *memStore { return &memStore{m: map[string]string{}} }

func (s *memStore) key(id string, k resource.SecretKind) string { return id + "/" + string(k) }

func (s *memStore) Get(ctx context.Context, id string, k resource.SecretKind) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[s.key(id, k)]
	if !ok {
		return "", fmt.Errorf("keychain: %w", ErrSecretNotFound)
	}
	return v, nil
}

func (s *memStore) Set(ctx context.Context, id string, k resource.SecretKind, v string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failSet != nil {
		return s.failSet
	}
	s.m[s.key(id, k)] = v
	s.sets++
	return nil
}

func (s *memStore) Delete(ctx context.Context, id string, k resource.SecretKind) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, s.key(id, k))
	return nil
}

func (s *memStore) token(t *testing.T, id string) *Token {
	t.Helper()
	s.mu.Lock()
	raw, ok := s.m[s.key(id, resource.SecretOAuthToken)]
	s.mu.Unlock()
	if !ok {
		return nil
	}
	var tok Token
	if err := json.Unmarshal([]byte(raw), &tok); err != nil {
		t.Fatalf("stored token is not JSON: %v", err)
	}
	return &tok
}

// testAS is a small authorization server on httptest for the unit tests: authorization code with PKCE,
// refresh with rotation (a reused refresh token is refused), client credentials, device code, revocation,
// a protected /me, and discovery. The e2e module runs the same flows against fosite.
type testAS struct {
	t   *testing.T
	srv *httptest.Server

	mu           sync.Mutex
	clientID     string
	secret       string // "" for a public client
	clientAuth   string // "basic", "body" or "" (either)
	tokenMethod  string // "POST" (default) or "GET"
	expiresIn    any    // value of expires_in in answers; nil leaves it out
	deny         bool   // the next authorization is declined
	failRefresh  int    // status of the next refresh answer (0: normal)
	failCode     string // its error code ("" invalid_request; "html": an HTML page, as a proxy sends)
	onRefresh    func() // called when a refresh request arrives, before it is answered
	rotate       bool   // refresh answers carry a new refresh token
	form         bool   // answer form-encoded, as GitHub does
	noType       bool   // leave out token_type
	errorIn200   bool   // answer errors with 200
	codes        map[string]codeGrant
	refresh      map[string]bool
	access       map[string]bool
	issued       int
	grants       map[string]int        // grant_type → token requests
	forms        map[string]url.Values // grant_type → parameters of the last token request
	authFails    int                   // token requests refused for their client authentication
	revoked      []string              // token_type_hint of each revocation, in order
	revokeFail   int                   // status of revocation answers (0: 200)
	device       []string              // answers of the device polls to come, "" meaning success
	deviceAnswer map[string]any        // fields that replace those of the device authorization answer
}

type codeGrant struct {
	challenge, method, redirect string
}

func newTestAS(t *testing.T) *testAS {
	a := &testAS{
		t: t, clientID: "cid", secret: "s3cret-value", expiresIn: 3600, rotate: true,
		codes: map[string]codeGrant{}, refresh: map[string]bool{}, access: map[string]bool{}, grants: map[string]int{},
		forms: map[string]url.Values{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", a.authorize)
	mux.HandleFunc("/token", a.token)
	mux.HandleFunc("/revoke", a.revoke)
	mux.HandleFunc("/device", a.deviceAuth)
	mux.HandleFunc("/me", a.me)
	a.srv = httptest.NewServer(mux)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *testAS) resource() *resource.Resource {
	return &resource.Resource{
		ID: resource.NewID(), Name: "test", BaseURL: a.srv.URL,
		Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
			AuthURL: a.srv.URL + "/authorize", TokenURL: a.srv.URL + "/token", RevokeURL: a.srv.URL + "/revoke",
			DeviceURL: a.srv.URL + "/device", LoginTestURL: a.srv.URL + "/me",
			ClientID: a.clientID, Scopes: []string{"read", "write"},
		}},
	}
}

func (a *testAS) count(grant string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.grants[grant]
}

func (a *testAS) set(f func(a *testAS)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f(a)
}

func (a *testAS) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a.mu.Lock()
	defer a.mu.Unlock()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Hostname() != "127.0.0.1" || q.Get("client_id") != a.clientID || q.Get("response_type") != "code" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	back := redirect.Query()
	back.Set("state", q.Get("state"))
	if a.deny {
		a.deny = false
		back.Set("error", "access_denied")
		back.Set("error_description", "The resource owner denied the request.")
	} else {
		a.issued++
		code := fmt.Sprintf("code-%d", a.issued)
		a.codes[code] = codeGrant{q.Get("code_challenge"), q.Get("code_challenge_method"), q.Get("redirect_uri")}
		back.Set("code", code)
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// form returns the token request's parameters and the client it authenticated, or "" after writing an
// error.
func (a *testAS) client(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	var form url.Values
	if a.tokenMethod == http.MethodGet {
		if r.Method != http.MethodGet || r.ContentLength > 0 {
			a.fail(w, http.StatusMethodNotAllowed, "invalid_request", "use GET")
			return nil, false
		}
		form = r.URL.Query()
	} else {
		if r.Method != http.MethodPost || r.URL.RawQuery != "" {
			a.fail(w, http.StatusMethodNotAllowed, "invalid_request", "use POST with a form body")
			return nil, false
		}
		_ = r.ParseForm()
		form = r.PostForm
	}
	user, pass, basic := r.BasicAuth()
	if basic {
		user, _ = url.QueryUnescape(user)
		pass, _ = url.QueryUnescape(pass)
	}
	ok := false
	switch {
	case a.secret == "":
		ok = form.Get("client_id") == a.clientID || (basic && user == a.clientID)
	case basic && a.clientAuth != "body":
		ok = user == a.clientID && pass == a.secret && form.Get("client_secret") == ""
	case !basic && a.clientAuth != "basic":
		ok = form.Get("client_id") == a.clientID && form.Get("client_secret") == a.secret
	}
	if !ok {
		a.authFails++
		a.fail(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
		return nil, false
	}
	return form, true
}

func (a *testAS) fail(w http.ResponseWriter, status int, code, desc string) {
	if a.errorIn200 {
		status = http.StatusOK
	}
	if a.form {
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		w.WriteHeader(status)
		io.WriteString(w, url.Values{"error": {code}, "error_description": {desc}}.Encode())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (a *testAS) token(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	form, ok := a.client(w, r)
	if !ok {
		return
	}
	grant := form.Get("grant_type")
	a.grants[grant]++
	a.forms[grant] = form
	refresh := ""
	switch grant {
	case "authorization_code":
		g, ok := a.codes[form.Get("code")]
		delete(a.codes, form.Get("code"))
		if !ok || g.redirect != form.Get("redirect_uri") {
			a.fail(w, http.StatusBadRequest, "invalid_grant", "unknown code or redirect_uri")
			return
		}
		if g.challenge != "" {
			sum := sha256.Sum256([]byte(form.Get("code_verifier")))
			if g.method != "S256" || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
				a.fail(w, http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
				return
			}
		} else if form.Get("code_verifier") != "" {
			a.fail(w, http.StatusBadRequest, "invalid_request", "code_verifier without a challenge")
			return
		}
		refresh = a.newRefresh()
	case "refresh_token":
		if a.onRefresh != nil {
			a.onRefresh()
		}
		if st := a.failRefresh; st != 0 {
			a.failRefresh = 0
			switch a.failCode {
			case "html":
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(st)
				io.WriteString(w, "<html><body>Proxy Authentication Required</body></html>")
			case "":
				a.fail(w, st, "invalid_request", "refresh refused by the test")
			default:
				a.fail(w, st, a.failCode, "refresh refused by the test")
			}
			return
		}
		rt := form.Get("refresh_token")
		if !a.refresh[rt] {
			a.fail(w, http.StatusBadRequest, "invalid_grant", "The refresh token is invalid or was already used.")
			return
		}
		if a.rotate {
			delete(a.refresh, rt)
			refresh = a.newRefresh()
		}
	case "client_credentials":
	case deviceGrantType:
		if len(a.device) == 0 {
			a.fail(w, http.StatusBadRequest, "expired_token", "no device grant")
			return
		}
		next := a.device[0]
		a.device = a.device[1:]
		// "HTTP 503" answers with that status and an HTML page; "HTTP 429 retry=7" adds Retry-After: 7.
		if rest, ok := strings.CutPrefix(next, "HTTP "); ok {
			f := strings.Fields(rest)
			st, _ := strconv.Atoi(f[0])
			if len(f) > 1 {
				w.Header().Set("Retry-After", strings.TrimPrefix(f[1], "retry="))
			}
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(st)
			io.WriteString(w, "<html><body>busy</body></html>")
			return
		}
		if next != "" {
			a.fail(w, http.StatusBadRequest, next, "device poll answer")
			return
		}
		refresh = a.newRefresh()
	default:
		a.fail(w, http.StatusBadRequest, "unsupported_grant_type", grant)
		return
	}
	a.issued++
	access := fmt.Sprintf("at-%d", a.issued)
	a.access[access] = true
	ans := map[string]any{"access_token": access, "token_type": "bearer", "scope": "read write"}
	if a.noType {
		delete(ans, "token_type")
	}
	if a.expiresIn != nil {
		ans["expires_in"] = a.expiresIn
	}
	if refresh != "" {
		ans["refresh_token"] = refresh
	}
	if a.form {
		v := url.Values{}
		for k, x := range ans {
			v.Set(k, fmt.Sprint(x))
		}
		v.Set("scope", "read,write") // GitHub separates with commas
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		io.WriteString(w, v.Encode())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(ans)
}

func (a *testAS) newRefresh() string {
	a.issued++
	rt := fmt.Sprintf("rt-%d", a.issued)
	a.refresh[rt] = true
	return rt
}

func (a *testAS) revoke(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	method := a.tokenMethod
	a.tokenMethod = http.MethodPost
	form, ok := a.client(w, r)
	a.tokenMethod = method
	if !ok {
		return
	}
	a.revoked = append(a.revoked, form.Get("token_type_hint"))
	if a.revokeFail != 0 {
		a.fail(w, a.revokeFail, "temporarily_unavailable", "try later")
		return
	}
	delete(a.refresh, form.Get("token"))
	delete(a.access, form.Get("token"))
}

func (a *testAS) deviceAuth(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	if r.PostForm.Get("client_id") != a.clientID {
		a.fail(w, http.StatusUnauthorized, "invalid_client", "unknown client")
		return
	}
	ans := map[string]any{
		"device_code": "dev-code", "user_code": "BCDF-GHJK", "verification_uri": a.srv.URL + "/verify",
		"verification_uri_complete": a.srv.URL + "/verify?user_code=BCDF-GHJK", "expires_in": 600, "interval": 1,
	}
	a.mu.Lock()
	for k, v := range a.deviceAnswer {
		ans[k] = v
	}
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(ans)
}

func (a *testAS) me(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !a.access[tok] {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	io.WriteString(w, `{"sub":"test-user"}`)
}

// browser returns an OpenURL that behaves like a browser: it follows the redirects to the loopback listener
// and records the page it shows.
type browser struct {
	mu     sync.Mutex
	tamper func(*url.URL)
	pages  []shownPage
	done   chan struct{}
}

type shownPage struct {
	status int
	body   string
	err    error
}

func newBrowser() *browser { return &browser{done: make(chan struct{}, 16)} }

func (b *browser) open(u *url.URL) error {
	go func() {
		defer func() { b.done <- struct{}{} }()
		hc := &http.Client{CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			if b.tamper != nil && req.URL.Hostname() == "127.0.0.1" && req.URL.Path == CallbackPath {
				b.tamper(req.URL)
			}
			return nil
		}}
		resp, err := hc.Get(u.String())
		p := shownPage{err: err}
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			p.status, p.body = resp.StatusCode, string(body)
		}
		b.mu.Lock()
		b.pages = append(b.pages, p)
		b.mu.Unlock()
	}()
	return nil
}

func (b *browser) last(t *testing.T) shownPage {
	t.Helper()
	<-b.done
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.pages[len(b.pages)-1]
}

// newClient returns a Client on store with its own lock directory.
func newClient(t *testing.T, store SecretStore) *Client {
	return &Client{Secrets: store, LockDir: t.TempDir()}
}

// noSecrets fails the test when err's message contains any of the secrets.
func noSecrets(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("error message contains a secret: %q", err.Error())
		}
	}
}

var errBrowser = errors.New("no browser here")
