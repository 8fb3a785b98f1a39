package oauthtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"apidesk/e2e/oauthpeer"
	"apidesk/engine/environment"
	"apidesk/engine/keychain"
	"apidesk/engine/kv"
	"apidesk/engine/oauth"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
)

// envAPI is one environment's API: it answers only an access token that its own authorization server says is
// active, and notes the token of every request it receives.
type envAPI struct {
	*httptest.Server
	name string
	mu   sync.Mutex
	seen []string // the bearer token of each request, "" for none
}

func newEnvAPI(t *testing.T, name string, as *oauthpeer.Server) *envAPI {
	t.Helper()
	a := &envAPI{name: name}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		a.mu.Lock()
		a.seen = append(a.seen, tok)
		a.mu.Unlock()
		if tok == "" || !as.Active(tok) {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"environment": name, "path": r.URL.Path})
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *envAPI) tokens() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.seen)
}

// envSide is one environment of the test: its authorization server, its API, and the resource bound to it.
type envSide struct {
	name    string
	as      *oauthpeer.Server
	api     *envAPI
	browser *oauthpeer.Browser
	env     *environment.Environment
	scope   *environment.Scope
	bound   *resource.Resource
}

// One resource, two environments (Staging and Production) whose {{auth}} and {{base}} point at two fosite
// servers and two APIs that each take only their own server's tokens, and whose audience={{audience}}
// authorization param asks each server for its own API (a server refuses the other's). (The variable is {{idp}}, not {{auth}}: a
// variable whose name contains "auth" counts as a secret, and its value may not be written in the shared file.) Signing in to one leaves the other
// signed out; each sign-in is kept in the keychain under its own (resource, environment) name; each run reaches
// only its own API with only its own token; signing out of Production leaves Staging signed in; a refresh in
// Staging goes to Staging's server; deleting Staging removes its sign-in; and no file holds a token or the client
// secret.
func TestOAuthSignInPerEnvironment(t *testing.T) {
	ctx := t.Context()
	local := t.TempDir()
	t.Setenv(workspace.EnvLocal, local) // the person's own values: outside the workspace, scanned below
	dir := t.TempDir()
	lockDir := t.TempDir()
	store := newStore(t, 0)

	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ps, err := ws.Load(ctx); err != nil || len(ps) > 0 {
		t.Fatalf("Load: %v %v", ps, err)
	}

	// Staging: a public client, PKCE required. Production: a confidential client (HTTP Basic), whose secret
	// is kept for Production alone.
	// Each server lets its client ask for its own API's audience only (as Auth0 does): the resource's auth
	// param audience={{audience}} takes the environment's value.
	const stagingAud, prodAud = "https://orders.staging.example", "https://orders.example"
	staging := &envSide{name: "Staging", as: oauthpeer.Start(t, oauthpeer.WithPKCERequired(), oauthpeer.WithSubject("staging-user"),
		oauthpeer.WithClient(oauthpeer.Client{ID: oauthpeer.PublicClientID, Audience: []string{stagingAud}}))}
	prod := &envSide{name: "Production", as: oauthpeer.Start(t, oauthpeer.WithSubject("production-user"),
		oauthpeer.WithClient(oauthpeer.Client{ID: oauthpeer.BasicClientID, Secret: oauthpeer.BasicClientSecret, Audience: []string{prodAud}}))}
	clients := map[*envSide]string{staging: oauthpeer.PublicClientID, prod: oauthpeer.BasicClientID}
	audiences := map[*envSide]string{staging: stagingAud, prod: prodAud}
	for _, s := range []*envSide{staging, prod} {
		s.api = newEnvAPI(t, s.name, s.as)
		s.browser = s.as.Browser(t)
		s.env = &environment.Environment{Name: s.name, Protected: s == prod, Variables: []environment.Variable{
			{Name: "idp", Value: s.as.URL},
			{Name: "base", Value: s.api.URL},
			{Name: "client", Value: clients[s]},
			{Name: "audience", Value: audiences[s]},
		}}
		if err := ws.SaveEnvironment(ctx, s.env); err != nil {
			t.Fatalf("SaveEnvironment %s: %v", s.name, err)
		}
	}
	res := &resource.Resource{
		Name: "orders", BaseURL: "{{base}}",
		Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
			AuthURL: "{{idp}}" + oauthpeer.PathAuthorize, TokenURL: "{{idp}}" + oauthpeer.PathToken,
			RevokeURL: "{{idp}}" + oauthpeer.PathRevoke, LoginTestURL: "{{idp}}" + oauthpeer.PathMe,
			ClientID: "{{client}}", Scopes: []string{"openid", "offline_access", "read"},
			AuthParams: kv.List{kv.On("audience", "{{audience}}")},
		}},
	}
	if err := ws.SaveResource(ctx, res, store, nil); err != nil {
		t.Fatalf("SaveResource: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, id := range []string{res.ID, environment.KeyID(res.ID, staging.env), environment.KeyID(res.ID, prod.env)} {
			if err := store.DeleteAll(ctx, id); err != nil {
				t.Errorf("cleanup: %v", err)
			}
		}
	})
	// What the window and apidesk-cli do: the workspace's scope of the environment, the resource bound to it.
	for _, s := range []*envSide{staging, prod} {
		s.scope, err = ws.Scope(ctx, store, s.env, res)
		if err != nil {
			t.Fatalf("Scope %s: %v", s.name, err)
		}
		s.bound = s.scope.Bind(res)
		o := s.bound.Auth.OAuth2
		if s.bound.ID != environment.KeyID(res.ID, s.env) || s.bound.ID == res.ID || s.bound.BaseURL != s.api.URL ||
			o.TokenURL != s.as.TokenURL() || o.AuthURL != s.as.AuthURL() || o.ClientID != clients[s] {
			t.Fatalf("%s: bound resource %+v", s.name, s.bound)
		}
	}
	if staging.bound.ID == prod.bound.ID {
		t.Fatalf("both environments keep their sign-in under %q", staging.bound.ID)
	}
	// Production's client secret, kept as apidesk-cli resource secret --env Production keeps it: for that
	// environment, bound to its addresses there.
	if err := store.Set(ctx, prod.bound.ID, resource.SecretClientSecret, oauthpeer.BasicClientSecret); err != nil {
		t.Fatal(err)
	}
	if err := store.SetOrigins(ctx, prod.bound.ID, prod.bound.Origins()); err != nil {
		t.Fatal(err)
	}

	client := &oauth.Client{Secrets: keychain.OAuth{Store: store}, HTTPClient: &http.Client{}, LockDir: lockDir}
	newProcess := func() *oauth.Client { // another apidesk: its own caches, the same keychain
		return &oauth.Client{Secrets: keychain.OAuth{Store: store}, HTTPClient: &http.Client{}, LockDir: lockDir}
	}
	stored := func(id string) *oauth.Token {
		t.Helper()
		raw, err := store.Get(ctx, id, resource.SecretOAuthToken)
		if errors.Is(err, secret.ErrNotFound) {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		var tok oauth.Token
		if err := json.Unmarshal([]byte(raw), &tok); err != nil {
			t.Fatalf("stored token: %v", err)
		}
		return &tok
	}
	status := func(c *oauth.Client, s *envSide) oauth.Status {
		t.Helper()
		st, err := c.Status(ctx, s.bound)
		if err != nil {
			t.Fatalf("Status %s: %v", s.name, err)
		}
		return st
	}
	signIn := func(s *envSide) {
		t.Helper()
		st, err := client.SignIn(ctx, s.bound, oauth.Prompt{OpenURL: s.browser.OpenURL, Timeout: time.Minute})
		if err != nil {
			t.Fatalf("sign in to %s: %v", s.name, err)
		}
		if st.State != oauth.SignedIn || !st.Refreshable {
			t.Errorf("%s after sign-in: %+v", s.name, st)
		}
		visits := s.browser.Wait()
		if len(visits) != 1 || visits[0].Status != http.StatusOK {
			t.Errorf("%s: browser visits %+v", s.name, visits)
		}
		for _, u := range s.browser.Opened() {
			if resource.OriginOf(u.String()) != resource.OriginOf(s.as.URL) {
				t.Errorf("%s: the browser was sent to %s, not to its own authorization server", s.name, resource.OriginOf(u.String()))
			}
			if aud := u.Query().Get("audience"); aud != audiences[s] {
				t.Errorf("%s: the sign-in asked for the audience %q, want %q", s.name, aud, audiences[s])
			}
		}
	}
	// run sends GET /orders in s, as apidesk-cli run --env does: the environment's query, values and bound
	// resource, the keychain as the runner's secrets (so it checks where the saved secrets may go).
	run := func(s *envSide) (int, error) {
		t.Helper()
		q := s.scope.Query(&query.Query{Method: http.MethodGet, Path: "/orders"})
		r := runner.New(keychain.RunnerSecrets(store), tokenSource{client})
		resp, err := r.Do(ctx, s.bound, q, s.scope.Values(q, nil))
		if err != nil {
			return 0, err
		}
		defer resp.Close()
		var body struct{ Environment string }
		if resp.StatusCode == http.StatusOK {
			if err := json.Unmarshal(resp.Body, &body); err != nil || body.Environment != s.name {
				t.Errorf("%s run reached %q (%v)", s.name, body.Environment, err)
			}
		}
		return resp.StatusCode, nil
	}

	// Nobody is signed in anywhere yet.
	for _, s := range []*envSide{staging, prod} {
		if st := status(client, s); st.State != oauth.NotSignedIn {
			t.Fatalf("%s before any sign-in: %v", s.name, st.State)
		}
	}

	// 1. Sign in to Staging: authorization code with PKCE, through Staging's server.
	signIn(staging)
	stTok := stored(staging.bound.ID)
	if stTok == nil || !staging.as.Active(stTok.AccessToken) || stTok.ClientID != oauthpeer.PublicClientID {
		t.Fatalf("Staging's token in the keychain: %+v", stTok != nil)
	}
	for _, req := range staging.as.Requests() {
		if req.Path == oauthpeer.PathToken && req.Status == http.StatusOK && (req.ClientAuth != oauthpeer.AuthNone || req.Params.Get("code_verifier") == "") {
			t.Errorf("Staging's token request: client auth %q, PKCE verifier sent: %v", req.ClientAuth, req.Params.Get("code_verifier") != "")
		}
	}
	if n := len(prod.as.Requests()); n != 0 {
		t.Errorf("Production's authorization server got %d requests during the Staging sign-in", n)
	}
	// Production is still not signed in, in this process and in another one.
	for _, c := range []*oauth.Client{client, newProcess()} {
		if st := status(c, prod); st.State != oauth.NotSignedIn {
			t.Fatalf("Production after signing in to Staging: %v %q", st.State, st.Summary())
		}
	}
	if tok := stored(prod.bound.ID); tok != nil {
		t.Fatalf("a token is kept for Production after signing in to Staging")
	}
	if tok := stored(res.ID); tok != nil {
		t.Fatalf("a token is kept under the resource's own ID, for no environment")
	}
	// A Production request is not sent with Staging's token, nor with any.
	if _, err := run(prod); !errors.Is(err, resource.ErrNotSignedIn) {
		t.Errorf("a Production run before signing in to Production: %v", err)
	}
	if got := prod.api.tokens(); len(got) != 0 {
		t.Errorf("Production's API got %d requests before Production was signed in", len(got))
	}
	if code, err := run(staging); err != nil || code != http.StatusOK {
		t.Fatalf("Staging run: %d %v", code, err)
	}

	// 2. Sign in to Production: authorization code, the confidential client with its Production secret.
	signIn(prod)
	prTok := stored(prod.bound.ID)
	if prTok == nil || !prod.as.Active(prTok.AccessToken) || prTok.ClientID != oauthpeer.BasicClientID {
		t.Fatalf("Production's token in the keychain: %+v", prTok != nil)
	}
	var prodExchanges int
	for _, req := range prod.as.Requests() {
		if req.Path == oauthpeer.PathToken && req.Status == http.StatusOK {
			prodExchanges++
			if req.ClientAuth != oauthpeer.AuthBasic {
				t.Errorf("Production's token request authenticated with %q", req.ClientAuth)
			}
		}
	}
	if prodExchanges != 1 {
		t.Errorf("%d successful token requests at Production's server, want 1", prodExchanges)
	}
	// Both sign-ins are in the keychain, each under its own name, each its own server's token.
	if again := stored(staging.bound.ID); again == nil || again.AccessToken != stTok.AccessToken {
		t.Fatalf("signing in to Production replaced Staging's sign-in")
	}
	if stTok.AccessToken == prTok.AccessToken || stTok.RefreshToken == prTok.RefreshToken {
		t.Fatalf("Staging and Production keep the same token")
	}
	if staging.as.Active(prTok.AccessToken) || prod.as.Active(stTok.AccessToken) {
		t.Fatalf("a server takes the other environment's token: the test's servers are not separate")
	}
	if _, err := store.Get(ctx, staging.bound.ID, resource.SecretClientSecret); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("Staging has a client secret: %v", err)
	}
	for _, c := range []*oauth.Client{client, newProcess()} {
		for _, s := range []*envSide{staging, prod} {
			if st := status(c, s); st.State != oauth.SignedIn {
				t.Errorf("%s with both signed in: %v", s.name, st.State)
			}
		}
	}
	// Each login test goes to its own server with its own token (/api/me answers 401 to any other).
	for _, s := range []*envSide{staging, prod} {
		if lc, err := newProcess().CheckLogin(ctx, s.bound); err != nil || !lc.OK {
			t.Errorf("%s login test: %+v %v", s.name, lc, err)
		}
	}

	// 3. A run in each environment reaches only its own API, with only its own token.
	for _, s := range []*envSide{prod, staging} {
		if code, err := run(s); err != nil || code != http.StatusOK {
			t.Fatalf("%s run: %d %v", s.name, code, err)
		}
	}
	if got := staging.api.tokens(); len(got) != 2 || got[0] != stTok.AccessToken || got[1] != stTok.AccessToken {
		t.Errorf("Staging's API saw %d requests, not all with Staging's token", len(got))
	}
	if got := prod.api.tokens(); len(got) != 1 || got[0] != prTok.AccessToken {
		t.Errorf("Production's API saw %d requests, not all with Production's token", len(got))
	}

	// 4. Sign out of Production: its tokens are revoked at its server and gone from the keychain; Staging's stay.
	revoked, err := client.SignOut(ctx, prod.bound)
	if err != nil || !revoked {
		t.Fatalf("sign out of Production: %v, %v", revoked, err)
	}
	if prod.as.Active(prTok.AccessToken) || prod.as.Active(prTok.RefreshToken) {
		t.Errorf("Production's tokens are still active after signing out")
	}
	if tok := stored(prod.bound.ID); tok != nil {
		t.Errorf("Production's token is still in the keychain after signing out")
	}
	for _, req := range staging.as.Requests() {
		if req.Path == oauthpeer.PathRevoke {
			t.Errorf("signing out of Production revoked something at Staging's server")
		}
	}
	if !staging.as.Active(stTok.AccessToken) || !staging.as.Active(stTok.RefreshToken) {
		t.Errorf("Staging's tokens were revoked by signing out of Production")
	}
	if again := stored(staging.bound.ID); again == nil || again.AccessToken != stTok.AccessToken {
		t.Fatalf("signing out of Production removed Staging's sign-in")
	}
	for _, c := range []*oauth.Client{client, newProcess()} {
		if st := status(c, prod); st.State != oauth.NotSignedIn {
			t.Errorf("Production after signing out: %v", st.State)
		}
		if st := status(c, staging); st.State != oauth.SignedIn {
			t.Errorf("Staging after signing out of Production: %v", st.State)
		}
	}
	if _, err := run(prod); !errors.Is(err, resource.ErrNotSignedIn) {
		t.Errorf("a Production run after signing out of Production: %v", err)
	}
	if code, err := run(staging); err != nil || code != http.StatusOK {
		t.Errorf("Staging run after signing out of Production: %d %v", code, err)
	}
	if got := prod.api.tokens(); len(got) != 1 {
		t.Errorf("Production's API got %d requests, want 1 (none after signing out)", len(got))
	}
	if got := staging.api.tokens(); len(got) != 3 || got[2] != stTok.AccessToken {
		t.Errorf("Staging's API saw %d requests, the last not with Staging's token", len(got))
	}

	// 5. Staging's access token expires: the API's 401 makes the runner refresh it at Staging's server, and the
	// request goes again with the new token.
	staging.as.ExpireAccessTokens()
	if code, err := run(staging); err != nil || code != http.StatusOK {
		t.Fatalf("Staging run after its access token expired: %d %v", code, err)
	}
	fresh := stored(staging.bound.ID)
	if fresh == nil || fresh.AccessToken == stTok.AccessToken || !staging.as.Active(fresh.AccessToken) {
		t.Fatalf("Staging's token was not refreshed in the keychain")
	}
	if n := staging.as.TokenRequestCount(oauthpeer.GrantRefreshToken); n != 1 {
		t.Errorf("%d refreshes at Staging's server, want 1", n)
	}
	if n := prod.as.TokenRequestCount(oauthpeer.GrantRefreshToken); n != 0 {
		t.Errorf("%d refreshes at Production's server", n)
	}
	if got := staging.api.tokens(); len(got) != 5 || got[3] != stTok.AccessToken || got[4] != fresh.AccessToken {
		t.Errorf("Staging's API saw %d requests, want the expired token then the refreshed one", len(got))
	}

	// 6. Deleting the Staging environment removes its sign-in from the keychain.
	if err := ws.DeleteEnvironment(ctx, staging.env.ID, store); err != nil {
		t.Fatalf("DeleteEnvironment: %v", err)
	}
	if tok := stored(staging.bound.ID); tok != nil {
		t.Errorf("Staging's sign-in survived its environment")
	}
	if st := status(newProcess(), staging); st.State != oauth.NotSignedIn {
		t.Errorf("Staging after deleting the environment: %v", st.State)
	}
	if _, err := store.Get(ctx, prod.bound.ID, resource.SecretClientSecret); err != nil {
		t.Errorf("deleting Staging removed Production's client secret: %v", err)
	}

	// No file in the workspace, the person's own values or the lock directory holds a token or the client secret.
	secrets := []string{oauthpeer.BasicClientSecret}
	for _, s := range []*envSide{staging, prod} {
		for _, it := range s.as.IssuedTokens() {
			secrets = append(secrets, it.AccessToken, it.RefreshToken, it.IDToken)
		}
	}
	if len(secrets) < 7 {
		t.Fatalf("only %d secrets to look for", len(secrets))
	}
	files := 0
	for _, d := range []string{dir, local, lockDir} {
		err := filepath.WalkDir(d, func(path string, de os.DirEntry, err error) error {
			if err != nil || de.IsDir() {
				return err
			}
			files++
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, s := range secrets {
				if s != "" && bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds a secret (%d characters)", path, len(s))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "environments", "production.yaml")); err != nil {
		t.Errorf("the environment's file: %v", err)
	}
	if files < 3 {
		t.Errorf("only %d files scanned: the test looked in the wrong place", files)
	}
}
