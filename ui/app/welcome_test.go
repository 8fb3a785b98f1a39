package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/uitest"
)

// Each line of the welcome page is drawn once, at its own size: none is stretched by a pixel (which the window
// shows as faintly doubled letters), at the default size of the window and at smaller ones.
func TestWelcomeTextIsDrawnOnceAndSharp(t *testing.T) {
	fx := newFixture(t, nil)
	for _, size := range []fyne.Size{{Width: defaultWidth, Height: defaultHeight}, {Width: 1024, Height: 600}, {Width: 800, Height: 600}, {Width: 640, Height: 480}} {
		fx.w.win.Resize(size)
		page := fx.w.welcome.Content()
		if bad := uitest.StretchedTexts(page); len(bad) > 0 {
			t.Errorf("at %v: %s", size, strings.Join(bad, "; "))
		}
		seen := map[string]int{}
		for _, s := range uitest.Texts(page) {
			seen[s]++
		}
		for s, n := range seen {
			if n > 1 && strings.TrimSpace(s) != "" {
				t.Errorf("at %v: %q is drawn %d times", size, s, n)
			}
		}
	}
}

// From an empty workspace the welcome page says what to do first, with the button to do it, and the toolbar
// offers New query only once there is a resource and Run only once there is a query.
func TestWelcomeSaysWhatToDoFirst(t *testing.T) {
	a := uitest.NewApp(t)
	ws := uitest.Workspace(t)
	store := uitest.Keychain(t)
	w := New(a, Deps{Workspace: ws, Secrets: store, Runner: uitest.Runner(t, store)})
	w.Load()
	t.Cleanup(w.stopWatching)
	a.Wait(t, w.Tasks())
	t.Cleanup(func() {
		if w.editor != nil {
			w.editor.Response().Close()
		}
	})

	check := func(step, next, action string, newQuery bool) {
		t.Helper()
		if !strings.Contains(w.welcomeNext.Text, next) {
			t.Errorf("%s: the welcome page says %q, want %q", step, w.welcomeNext.Text, next)
		}
		if action == "" && w.welcomeAction.Visible() {
			t.Errorf("%s: the welcome page offers %q", step, w.welcomeAction.Text)
		} else if action != "" && (!w.welcomeAction.Visible() || w.welcomeAction.Text != action) {
			t.Errorf("%s: the welcome page's button is %q (shown %v), want %q", step, w.welcomeAction.Text, w.welcomeAction.Visible(), action)
		}
		if got := !w.newQueryBtn.Disabled(); got != newQuery {
			t.Errorf("%s: the toolbar's New query enabled %v", step, got)
		}
	}
	check("empty", "Start by adding the API you want to use", "New resource", false)
	for _, s := range uitest.Texts(w.welcome.Content()) {
		if strings.Contains(s, "Pick a resource") {
			t.Errorf("an empty workspace's welcome page says %q", s)
		}
	}

	// The button opens the form; a saved resource brings the next step.
	test.Tap(w.welcomeAction)
	if w.page != (formPage{Form: w.form}) {
		t.Fatal("New resource on the welcome page did not open the form")
	}
	w.form.Edit(&resource.Resource{Name: "Shop", BaseURL: "https://shop.example.com"})
	w.save()
	a.Wait(t, w.Tasks())
	w.showWelcome("")
	check("one resource", "Next, add a query", "New query", true)

	test.Tap(w.welcomeAction)
	if w.page != (editorPage{w.editor}) || w.editor.Resource().Name != "Shop" {
		t.Fatal("New query on the welcome page did not open the editor on the resource")
	}
	if err := ws.SaveQuery(context.Background(), &query.Query{Name: "orders", ResourceID: w.editor.Resource().ID, Method: "GET", Path: "/orders"}); err != nil {
		t.Fatal(err)
	}
	w.refreshSidebar()
	w.showWelcome("")
	check("one query", "Pick a resource or a query on the left", "", true)
}
