package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/workspace"
	"apidesk/ui/sidebar"
	"apidesk/ui/uitest"
)

// TestChangedAddressAsksBeforeSendingSecrets: a teammate's edit of the shared file moves a resource to another
// server. Sending its query asks "Send your saved secrets to …?" and sends nothing; Cancel says why; Send
// confirms the new address and sends the request there, with the secret.
func TestChangedAddressAsksBeforeSendingSecrets(t *testing.T) {
	old := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(old.Close)
	var mu sync.Mutex
	var seen []string
	moved := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok": true}`))
	}))
	t.Cleanup(moved.Close)
	requests := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}

	a := uitest.NewApp(t)
	store := uitest.Keychain(t)
	ws := uitest.Workspace(t)
	ctx := context.Background()
	res := &resource.Resource{Name: "CRM", BaseURL: old.URL, Auth: resource.Auth{Kind: resource.AuthBearer}}
	if err := ws.SaveResource(ctx, res, store, map[resource.SecretKind]string{resource.SecretBearerToken: "tok-canary"}); err != nil {
		t.Fatal(err)
	}
	q := &query.Query{Name: "list", ResourceID: res.ID, Method: "GET", Path: "/items"}
	if err := ws.SaveQuery(ctx, q); err != nil {
		t.Fatal(err)
	}
	// The teammate's change, as git brings it; the window reads the folder afresh.
	file, _ := ws.File(res.ID)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(string(b), old.URL, moved.URL)), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err = workspace.Open(ws.Dir())
	if err != nil {
		t.Fatal(err)
	}
	w := New(a, Deps{Workspace: ws, Secrets: store, Runner: uitest.Runner(t, store)})
	t.Cleanup(func() {
		if w.editor != nil {
			w.editor.Response().Close()
		}
	})
	w.Load()
	a.Wait(t, w.Tasks())
	fx := &fixture{app: a, w: w}
	w.Select(sidebar.Query, q.ID)

	host := strings.TrimPrefix(moved.URL, "http://")
	wantTitle := "Send your saved secrets to " + host + "?"
	send := func() {
		t.Helper()
		w.send()
		a.Wait(t, w.Tasks())
		if !dialogSays(w, wantTitle) {
			t.Fatalf("no dialog asking %q", wantTitle)
		}
		if got := requests(); len(got) != 0 {
			t.Fatalf("the new address got %q before the person answered", got)
		}
	}

	send()
	test.Tap(fx.dialogButton(t, "Cancel"))
	a.Wait(t, w.Tasks())
	p := w.editor.Response().Problem()
	if p.Headline() != "The address changed" || !strings.Contains(p.Message(), "changed from "+old.URL+" to "+moved.URL) {
		t.Errorf("after Cancel the response says %q: %q", p.Headline(), p.Message())
	}
	if got := requests(); len(got) != 0 {
		t.Fatalf("Cancel sent %q", got)
	}

	send()
	test.Tap(fx.dialogButton(t, "Send"))
	a.Wait(t, w.Tasks())
	if got := requests(); len(got) != 1 || got[0] != "Bearer tok-canary" {
		t.Fatalf("after Send the new address got %q", got)
	}
	if st := w.editor.Response().Status(); st != "200 OK" {
		t.Errorf("response %q", st)
	}
}

// dialogSays reports whether the window's top overlay shows text.
func dialogSays(w *App, text string) bool {
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok && l.Text == text {
			return true
		}
	}
	return false
}
