package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"apidesk/engine/keychain"
	"apidesk/engine/oauth"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/sidebar"
	"apidesk/ui/uitest"
)

// A 401 the API keeps giving an OAuth 2.0 resource offers "Sign in again" in the editor's answer, and the button
// opens the window's sign-in prompt.
func TestSignInAgainOpensTheSignInPrompt(t *testing.T) {
	var tokens, calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			tokens.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"at-1","token_type":"bearer","expires_in":3600}`))
			return
		}
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_token","error_description":"The token has expired"}`))
	}))
	t.Cleanup(srv.Close)
	a := uitest.NewApp(t)
	ws := uitest.Workspace(t)
	store := uitest.Keychain(t)
	ctx := context.Background()
	res := &resource.Resource{Name: "IdP", BaseURL: srv.URL, Auth: resource.Auth{Kind: resource.AuthOAuth2,
		OAuth2: resource.OAuth2{Grant: resource.GrantClientCredentials, TokenURL: srv.URL + "/token", ClientID: "app"}}}
	if err := ws.SaveResource(ctx, res, store, map[resource.SecretKind]string{resource.SecretClientSecret: "cs-5521"}); err != nil {
		t.Fatal(err)
	}
	q := &query.Query{Name: "me", ResourceID: res.ID, Method: "GET", Path: "/me"}
	if err := ws.SaveQuery(ctx, q); err != nil {
		t.Fatal(err)
	}
	signIns := &oauth.Client{Secrets: keychain.OAuth{Store: store}, HTTPClient: srv.Client(), LockDir: t.TempDir()}
	rn := uitest.Runner(t, store)
	rn.Tokens = signIns
	w := New(a, Deps{Workspace: ws, Secrets: store, Runner: rn, OAuth: signIns})
	t.Cleanup(func() {
		if w.editor != nil {
			w.editor.Response().Close()
		}
	})
	w.Load()
	a.Wait(t, w.Tasks())
	w.Select(sidebar.Query, q.ID)
	a.Wait(t, w.Tasks())
	w.editor.Send()
	a.Wait(t, w.Tasks())
	rv := w.editor.Response()
	if rv.Status() != "401 Unauthorized" || rv.Advice().Action() != "Sign in again" {
		t.Fatalf("status %q, advice %q with action %q", rv.Status(), rv.Advice().Headline(), rv.Advice().Action())
	}
	tokensBefore, callsBefore := tokens.Load(), calls.Load()
	rv.Advice().TapAction()
	a.Wait(t, w.Tasks())
	// The client credentials grant signs in without the person: the prompt gets a token and sends again.
	if w.prompt == nil || tokens.Load() == tokensBefore || calls.Load() == callsBefore {
		t.Fatalf("Sign in again: prompt %v, %d new tokens, %d new requests", w.prompt != nil, tokens.Load()-tokensBefore, calls.Load()-callsBefore)
	}
}

// "Keep for this query" in run mode saves the table's rows and columns in the query's file.
func TestRunModeKeepsTheResultShape(t *testing.T) {
	fx := newFixture(t, nil)
	fx.w.RunQuery(fx.q.ID)
	fx.app.Wait(t, fx.w.Tasks())
	if fx.w.run.OnSaveResult == nil {
		t.Fatal("run mode cannot keep a table's layout: OnSaveResult is not wired")
	}
	fx.w.run.OnSaveResult(fx.q, &query.Result{Rows: "data.items", Columns: []query.Column{{Key: "id", Label: "Number"}}})
	fx.app.Wait(t, fx.w.Tasks())
	q, err := fx.w.deps.Workspace.QueryByID(fx.q.ID)
	if err != nil || q.Result == nil || q.Result.Rows != "data.items" || len(q.Result.Columns) != 1 || q.Result.Columns[0].Label != "Number" {
		t.Fatalf("saved query: %+v, %v", q, err)
	}
	if fx.w.banner.Visible() {
		t.Errorf("banner: %s", fx.w.banner.Message())
	}
}
