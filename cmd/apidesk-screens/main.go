// Command apidesk-screens renders the main screens of the apidesk window to PNG files for the README: the
// resource form with OAuth 2.0, a query with its JSON response, the table view, run mode, and a resource
// form with a problem. It opens the real window (run it under Xvfb: scripts/screenshots.sh does), against
// a local HTTP server it starts, a workspace in a temporary folder, and an in-memory keychain, so it never
// touches the person's own workspace or keychain.
//
//	apidesk-screens -out docs -theme dark
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"apidesk/assets"
	"apidesk/engine/keychain"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
	"apidesk/ui/app"
	"apidesk/ui/sidebar"
)

func main() {
	out := flag.String("out", "docs", "folder the PNG files go to")
	variant := flag.String("theme", "light", "light or dark")
	only := flag.String("only", "", "render only the screens whose name contains this")
	flag.Parse()
	if *variant != "light" && *variant != "dark" {
		log.Fatal("-theme must be light or dark")
	}
	// Fyne reads the theme variant from FYNE_THEME; set before the app starts.
	os.Setenv("FYNE_THEME", *variant)
	if err := run(*out, *variant, *only); err != nil {
		fmt.Fprintln(os.Stderr, "apidesk-screens: "+err.Error())
		os.Exit(1)
	}
}

// screen puts the window in a state to capture.
type screen struct {
	name  string
	setup func(w *app.App) // on the UI thread
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
	_ = store.Set(context.Background(), ids["billing"], secret.Password, "not-a-real-password")

	a := fyneapp.NewWithID("io.apidesk.screens")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	w := app.New(a, app.Deps{Workspace: ws, Secrets: store, Runner: runner.New(keychain.RunnerSecrets(store), nil)})
	w.Window().Resize(fyne.NewSize(1280, 860))

	screens := []screen{
		{"resource-oauth", func(w *app.App) {
			w.Select(sidebar.Resource, ids["crm"])
			w.Form().ShowAuthentication()
		}},
		{"resource-problem", func(w *app.App) {
			w.NewResource()
			w.Form().Edit(&resource.Resource{Name: "Payments", BaseURL: "payments.example.com/api", Timeout: 50 * time.Millisecond,
				Auth: resource.Auth{Kind: resource.AuthAPIKey, KeyIn: resource.KeyInHeader}})
			w.Form().Validate()
		}},
		{"query-json", func(w *app.App) {
			w.Select(sidebar.Query, ids["user"])
			w.Editor().SetValue("id", "3")
			w.Editor().Send()
		}},
		{"query-table", func(w *app.App) {
			defer w.Editor().Response().SelectTab("Table")
			w.Select(sidebar.Query, ids["users"])
			w.Editor().Send()
		}},
		{"run-mode", func(w *app.App) {
			w.RunQuery(ids["search"])
			w.Run().SetValue("role", "admin")
			w.Run().Run()
		}},
	}

	errc := make(chan error, 1)
	go func() {
		errc <- capture(w, screens, out, variant, only)
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
	settle := func() {
		for busy := true; busy; {
			time.Sleep(50 * time.Millisecond)
			fyne.DoAndWait(func() { busy = w.Busy() })
		}
		time.Sleep(600 * time.Millisecond) // let it paint
	}
	time.Sleep(500 * time.Millisecond)
	settle()
	for _, s := range screens {
		if only != "" && !strings.Contains(s.name, only) {
			continue
		}
		fyne.DoAndWait(func() { s.setup(w) })
		settle()
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
		return fmt.Errorf("find the window with xdotool: %w", err)
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
	for _, r := range []*resource.Resource{local, crm, billing} {
		if err := ws.SaveResource(ctx, r); err != nil {
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
	}
	for k, q := range queries {
		if err := ws.SaveQuery(ctx, q); err != nil {
			return nil, err
		}
		ids[k] = q.ID
	}
	return ids, nil
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
