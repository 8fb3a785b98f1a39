package oauthtest

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"apidesk/e2e/oauthpeer"
	"apidesk/engine/query"
	"apidesk/engine/runner"
)

// A 6 KB JWT access token goes through the real secret store, split into chunks as on Windows (and, with
// APIDESK_REAL_KEYRING=1, through gnome-keyring), survives a restart and refreshes.
func TestLargeJWTTokenThroughTheKeychain(t *testing.T) {
	for _, maxValue := range []int{0, 2000} {
		name := "whole"
		if maxValue > 0 {
			name = "split into chunks"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, oauthpeer.WithJWTAccessTokens(6*1024))
			e.store = newStore(t, maxValue)
			e.client = e.newClient()
			r := e.resource(oauthpeer.PublicClientID)
			st := e.signIn(r)
			tok := e.stored(r)
			if len(tok.AccessToken) < 6*1024 {
				t.Fatalf("access token is %d bytes, want at least 6 KB", len(tok.AccessToken))
			}
			if st.Access == nil || st.Access.Subject != e.srv.Subject() || st.Access.Expires.IsZero() {
				t.Errorf("JWT claims = %+v", st.Access)
			}
			// A new process reads it back whole and the API accepts it.
			e.getMe(r, e.newClient())
			if fresh, err := e.client.Refresh(t.Context(), r, tok.AccessToken); err != nil || len(fresh) < 6*1024 || e.stored(r).AccessToken != fresh {
				t.Errorf("refresh of a large token: %v", err)
			}
		})
	}
}

// After a full sign-in, query, refresh and sign-out, no file apidesk wrote and nothing it said holds the
// client secret or any token.
func TestNoSecretLeaks(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache) // the default lock directory
	e := newEnv(t)
	e.client.LockDir = "" // use the default, under the cache directory
	r := e.resource(oauthpeer.BasicClientID)
	var said []string
	p := e.prompt()
	p.OnListening = func(u string) { said = append(said, u) }
	p.OnOpen = func(u *url.URL) { said = append(said, u.String()) }
	if _, err := e.client.SignIn(t.Context(), r, p); err != nil {
		t.Fatal(err)
	}
	bodies := t.TempDir()
	run := runner.New(nil, tokenSource{e.client})
	run.TempDir, run.MemCap = bodies, 1 // every body goes to a temp file
	e.srv.ExpireAccessTokens()
	resp, err := run.Do(t.Context(), r, &query.Query{Method: http.MethodGet, Path: "/api/items"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close() // its temp file is scanned below
	st, _ := e.client.Status(t.Context(), r)
	lc, _ := e.client.CheckLogin(t.Context(), r)
	said = append(said, st.Summary(), lc.Message, resp.URL)
	if _, err := e.client.SignOut(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	// Errors too: a refresh after sign-out.
	_, err = e.client.Refresh(t.Context(), r, "x")
	said = append(said, err.Error())

	secrets := []string{oauthpeer.BasicClientSecret}
	for _, it := range e.srv.IssuedTokens() {
		secrets = append(secrets, it.AccessToken, it.RefreshToken, it.IDToken)
	}
	if len(secrets) < 5 {
		t.Fatalf("only %d secrets to look for", len(secrets))
	}
	noneContain(t, "what apidesk said", said, secrets...)
	for _, dir := range []string{cache, bodies, e.lockDir} {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Error(err)
				return nil
			}
			for _, s := range secrets {
				if s != "" && bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds a secret", path)
				}
			}
			return nil
		})
	}
	if entries, _ := os.ReadDir(filepath.Join(cache, "apidesk", "locks")); len(entries) == 0 {
		t.Errorf("no lock file under the cache directory: the test looked in the wrong place")
	}
}
