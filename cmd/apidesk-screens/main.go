// Command apidesk-screens renders the main screens of the apidesk window to PNG files for the README: the
// resource form with OAuth 2.0, a query with its JSON response, the table view, run mode, and a resource
// form with a problem. It opens the real window (run it under Xvfb: scripts/screenshots.sh does), against
// a local HTTP server it starts, a workspace in a temporary folder, and an in-memory keychain, so it never
// touches the person's own workspace or keychain. Without a DISPLAY it starts an Xvfb of its own. It saves
// the window with xdotool and ImageMagick's import (scripts/deps.sh test installs them).
//
//	apidesk-screens -out docs -theme dark
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"apidesk/assets"
	"apidesk/engine/keychain"
	"apidesk/engine/kv"
	"apidesk/engine/oauth"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
	"apidesk/ui/app"
	"apidesk/ui/sidebar"
)

func main() {
	os.Exit(screens())
}

// screens renders the screens and returns the exit status (so the Xvfb it may start is always stopped).
func screens() int {
	out := flag.String("out", "docs", "folder the PNG files go to")
	variant := flag.String("theme", "light", "light or dark")
	only := flag.String("only", "", "render only the screens whose name contains this")
	flag.Parse()
	if *variant != "light" && *variant != "dark" {
		fmt.Fprintln(os.Stderr, "apidesk-screens: -theme must be light or dark")
		return 2
	}
	// Fyne reads the theme variant from FYNE_THEME; set before the app starts.
	os.Setenv("FYNE_THEME", *variant)
	if os.Getenv("DISPLAY") == "" {
		stop, err := startXvfb()
		if err != nil {
			fmt.Fprintln(os.Stderr, "apidesk-screens: no DISPLAY, and "+err.Error())
			return 1
		}
		defer stop()
	}
	if err := run(*out, *variant, *only); err != nil {
		fmt.Fprintln(os.Stderr, "apidesk-screens: "+err.Error())
		return 1
	}
	return 0
}

// startXvfb starts an X server of its own on a free display and sets DISPLAY; stop ends it.
func startXvfb() (stop func(), err error) {
	for n := 150; n < 200; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		cmd := exec.Command("Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("Xvfb could not start (install it with: bash scripts/deps.sh test): %w", err)
		}
		stop = func() {
			_ = cmd.Process.Signal(syscall.SIGTERM) // lets Xvfb remove its socket and lock file
			_ = cmd.Wait()
		}
		for range 100 {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				os.Setenv("DISPLAY", display)
				return stop, nil
			}
			time.Sleep(50 * time.Millisecond)
		}
		stop()
		return nil, fmt.Errorf("Xvfb did not open display %s within 5 s", display)
	}
	return nil, errors.New("no free X display number between :150 and :199")
}

// screen puts the window in a state to capture.
type screen struct {
	name  string
	setup func(w *app.App) // on the UI thread
	// ready says the screen is ready to capture (on the UI thread); nil waits for the background work to end.
	ready func(w *app.App) bool
}

func run(out, variant, only string) error {
	srv := httptest.NewServer(demoAPI())
	defer srv.Close()
	dir, err := os.MkdirTemp("", "apidesk-screens-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ws, err := workspace.Open(dir)
	if err != nil {
		return err
	}
	ids, err := seed(ws, srv.URL)
	if err != nil {
		return err
	}
	store := secret.New(secret.MockBackend(), secret.Options{}) // in memory: nothing of the person's is read or written
	_ = store.Set(context.Background(), ids["billing"], resource.SecretPassword, "not-a-real-password")
	if err := demoSignIn(store, ids["crm"]); err != nil {
		return err
	}
	signIns := &oauth.Client{Secrets: keychain.OAuth{Store: store}, LockDir: dir}

	// Fyne keeps preferences under XDG_CONFIG_HOME: a folder of our own leaves the person's alone and starts
	// from the default window size.
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	if err := os.MkdirAll(filepath.Join(dir, "config", "fyne"), 0o700); err != nil {
		return err
	}
	a := fyneapp.NewWithID("io.apidesk.screens")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	rn := runner.New(keychain.RunnerSecrets(store), signIns)
	rn.Dir = ws.Dir()
	w := app.New(a, app.Deps{Workspace: ws, Secrets: store, Runner: rn, OAuth: signIns,
		OpenURL: func(*url.URL) error { return nil }}) // no browser: the sign-in prompt waits, as it would for a person
	w.Window().Resize(fyne.NewSize(1280, 860))

	screens := []screen{
		{name: "resource-oauth", setup: func(w *app.App) {
			w.Select(sidebar.Resource, ids["crm"])
			w.Form().ShowAuthentication()
		}},
		{name: "resource-signed-in", setup: func(w *app.App) {
			w.Select(sidebar.Resource, ids["crm"])
		}, ready: func(w *app.App) bool {
			if w.Busy() {
				return false
			}
			w.Form().ShowSignIn()
			return true
		}},
		{name: "resource-problem", setup: func(w *app.App) {
			w.NewResource()
			w.Form().Edit(&resource.Resource{Name: "Payments", BaseURL: "payments.example.com/api", Timeout: 50 * time.Millisecond,
				Auth: resource.Auth{Kind: resource.AuthAPIKey, KeyIn: resource.KeyInHeader}})
			w.Form().Validate()
		}},
		{name: "query-json", setup: func(w *app.App) {
			w.Select(sidebar.Query, ids["user"])
			w.Editor().SetValue("id", "3")
			w.Editor().Send()
		}},
		{name: "query-not-found", setup: func(w *app.App) {
			w.Select(sidebar.Query, ids["user"])
			w.Editor().SetValue("id", "999") // no such person: the answer is explained in words
			w.Editor().Send()
		}},
		{name: "query-table", setup: func(w *app.App) {
			defer w.Editor().Response().SelectTab("Table")
			w.Select(sidebar.Query, ids["users"])
			w.Editor().Send()
		}},
		{name: "run-mode", setup: func(w *app.App) {
			w.RunQuery(ids["search"])
			w.Run().SetValue("role", "admin")
			w.Run().Run()
		}},
		{name: "signin-prompt", setup: func(w *app.App) {
			w.Select(sidebar.Query, ids["tickets"])
			w.Editor().Send() // not signed in: the prompt opens and waits for the browser
		}, ready: func(w *app.App) bool {
			return w.Prompt() != nil && strings.Contains(w.Prompt().Link(), "authorize")
		}},
	}

	errc := make(chan error, 1)
	go func() {
		err := capture(w, screens, out, variant, only)
		if err != nil {
			fmt.Fprintln(os.Stderr, "apidesk-screens: "+err.Error())
		}
		errc <- err
		fyne.Do(a.Quit)
	}()
	w.Load()
	w.Window().ShowAndRun()
	return <-errc
}

// capture puts the window in each state, lets it settle and saves it. It runs on its own goroutine and talks
// to the window only through fyne.Do and fyne.DoAndWait (never from a Fyne callback).
func capture(w *app.App, screens []screen, out, variant, only string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	settle := func(ready func(*app.App) bool) {
		if ready == nil {
			ready = func(w *app.App) bool { return !w.Busy() }
		}
		deadline := time.Now().Add(30 * time.Second)
		for ok := false; !ok && time.Now().Before(deadline); {
			time.Sleep(50 * time.Millisecond)
			fyne.DoAndWait(func() { ok = ready(w) })
		}
		time.Sleep(600 * time.Millisecond) // let it paint
	}
	time.Sleep(500 * time.Millisecond)
	settle(nil)
	for _, s := range screens {
		if only != "" && !strings.Contains(s.name, only) {
			continue
		}
		fyne.DoAndWait(func() { s.setup(w) })
		settle(s.ready)
		name := filepath.Join(out, fmt.Sprintf("%s-%s.png", s.name, variant))
		if err := grab(name); err != nil {
			return err
		}
		fmt.Println("saved", name)
	}
	return nil
}

// grab saves the apidesk window as the X server shows it (ImageMagick's import, found with xdotool): a GL
// canvas cannot be read back reliably under Xvfb's software GL.
func grab(name string) error {
	out, err := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^apidesk").Output()
	if err != nil {
		return fmt.Errorf("find the window with xdotool (is DISPLAY an X server?): %w", err)
	}
	ids := strings.Fields(string(out))
	if len(ids) == 0 {
		return errors.New("no apidesk window on the screen")
	}
	if msg, err := exec.Command("import", "-window", ids[0], name).CombinedOutput(); err != nil {
		return fmt.Errorf("import: %w: %s", err, msg)
	}
	return nil
}

// seed writes the demo workspace: an API on the local server, an OAuth 2.0 resource, a Basic one.
func seed(ws *workspace.Workspace, base string) (map[string]string, error) {
	ctx := context.Background()
	if _, err := ws.Load(ctx); err != nil {
		return nil, err
	}
	ids := map[string]string{}
	local := &resource.Resource{Name: "Team directory", BaseURL: base + "/api",
		Headers: kv.List{kv.On("Accept", "application/json")}}
	crm := &resource.Resource{Name: "Acme CRM", BaseURL: "https://crm.acme.example/v2",
		Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
			Grant:        resource.GrantAuthorizationCode,
			Issuer:       "https://login.acme.example",
			AuthURL:      "https://login.acme.example/oauth2/authorize",
			TokenURL:     "https://login.acme.example/oauth2/token",
			ClientID:     "apidesk-desktop",
			Scopes:       []string{"openid", "profile", "crm.read", "crm.write"},
			LoginTestURL: "https://crm.acme.example/v2/me",
			AuthParams:   kv.List{kv.On("audience", "https://crm.acme.example")},
		}}}
	billing := &resource.Resource{Name: "Billing", BaseURL: "https://billing.example.com",
		Auth: resource.Auth{Kind: resource.AuthBasic, Username: "support"}}
	helpdesk := &resource.Resource{Name: "Helpdesk", BaseURL: base + "/helpdesk",
		Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
			AuthURL: "https://id.helpdesk.example/authorize", TokenURL: "https://id.helpdesk.example/token",
			ClientID: "apidesk", Scopes: []string{"tickets.read"},
		}}}
	for _, r := range []*resource.Resource{local, crm, billing, helpdesk} {
		if err := ws.SaveResource(ctx, r, nil, nil); err != nil {
			return nil, err
		}
	}
	ids["local"], ids["crm"], ids["billing"] = local.ID, crm.ID, billing.ID
	queries := map[string]*query.Query{
		"users": {Name: "All people", ResourceID: local.ID, Method: "GET", Path: "/users"},
		"user": {Name: "Person by id", ResourceID: local.ID, Method: "GET", Path: "/users/{{id}}",
			Variables: []query.Variable{{Name: "id", Description: "The person's number, from All people", Default: "1"}}},
		"search": {Name: "Find people by role", ResourceID: local.ID, Method: "GET", Path: "/users",
			Params: kv.List{kv.On("role", "{{role}}"), kv.On("active", "{{active}}")},
			Variables: []query.Variable{
				{Name: "role", Description: "admin, engineer, support or sales"},
				{Name: "active", Description: "true for current staff only", Default: "true"},
			}},
		"invoices": {Name: "Open invoices", ResourceID: billing.ID, Method: "GET", Path: "/invoices?status=open"},
		"deals":    {Name: "Deals this quarter", ResourceID: crm.ID, Method: "GET", Path: "/deals"},
		"tickets":  {Name: "Open tickets", ResourceID: helpdesk.ID, Method: "GET", Path: "/tickets?status=open"},
	}
	for k, q := range queries {
		if err := ws.SaveQuery(ctx, q); err != nil {
			return nil, err
		}
		ids[k] = q.ID
	}
	return ids, nil
}

// demoSignIn leaves a made-up sign-in in the in-memory keychain, so the form shows a signed-in resource and
// what its token says. The token is an unsigned JWT nobody would accept.
func demoSignIn(store *secret.Store, resourceID string) error {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	now := time.Now()
	access := enc(map[string]any{"alg": "none", "typ": "JWT"}) + "." + enc(map[string]any{
		"iss": "https://login.acme.example", "sub": "ada@acme.example", "aud": "https://crm.acme.example",
		"scope": "openid profile crm.read crm.write", "iat": now.Add(-8 * time.Minute).Unix(), "exp": now.Add(52 * time.Minute).Unix(),
	}) + ".demo"
	tok, err := json.Marshal(oauth.Token{AccessToken: access, TokenType: "Bearer", RefreshToken: "demo-refresh",
		Expiry: now.Add(52*time.Minute + 30*time.Second), Scopes: []string{"openid", "profile", "crm.read", "crm.write"},
		Grant: resource.GrantAuthorizationCode, ClientID: "apidesk-desktop", Obtained: now.Add(-8 * time.Minute)})
	if err != nil {
		return err
	}
	return keychain.OAuth{Store: store}.Set(context.Background(), resourceID, resource.SecretOAuthToken, string(tok))
}

// demoAPI answers /api/users and /api/users/{id} with made-up people.
func demoAPI() http.Handler {
	type person struct {
		ID      int      `json:"id"`
		Name    string   `json:"name"`
		Email   string   `json:"email"`
		Role    string   `json:"role"`
		Active  bool     `json:"active"`
		Team    string   `json:"team"`
		Started string   `json:"started"`
		Skills  []string `json:"skills"`
	}
	names := []string{"Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "Barbara Liskov",
		"Ken Thompson", "Margaret Hamilton", "Dennis Ritchie", "Frances Allen", "John McCarthy", "Radia Perlman",
		"Donald Knuth", "Hedy Lamarr", "Tim Berners-Lee", "Anita Borg", "Leslie Lamport", "Shafi Goldwasser"}
	roles := []string{"admin", "engineer", "support", "sales"}
	teams := []string{"Platform", "Payments", "Mobile", "Growth"}
	var people []person
	for i, n := range names {
		people = append(people, person{
			ID: i + 1, Name: n, Email: strings.ToLower(strings.ReplaceAll(strings.Fields(n)[0], "-", "")) + "@example.com",
			Role: roles[i%len(roles)], Active: i%5 != 4, Team: teams[(i/2)%len(teams)],
			Started: fmt.Sprintf("20%02d-%02d-%02d", 12+i%11, 1+i%12, 1+(i*7)%28),
			Skills:  []string{[]string{"Go", "SQL", "Kotlin", "Rust"}[i%4], []string{"OAuth", "Kubernetes", "React"}[i%3]},
		})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/users", func(w http.ResponseWriter, r *http.Request) {
		var out []person
		for _, p := range people {
			if role := r.URL.Query().Get("role"); role != "" && p.Role != role {
				continue
			}
			if r.URL.Query().Get("active") == "true" && !p.Active {
				continue
			}
			out = append(out, p)
		}
		writeJSON(w, out)
	})
	mux.HandleFunc("GET /api/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.Atoi(r.PathValue("id"))
		if id < 1 || id > len(people) {
			http.Error(w, `{"error": "no such person"}`, http.StatusNotFound)
			return
		}
		p := people[id-1]
		writeJSON(w, map[string]any{"data": p, "links": map[string]string{"self": r.URL.Path, "team": "/teams/" + strings.ToLower(p.Team)}})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	http.SetCookie(w, &http.Cookie{Name: "region", Value: "eu-west", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	b, _ := json.MarshalIndent(v, "", " ")
	_, _ = w.Write(b)
}
