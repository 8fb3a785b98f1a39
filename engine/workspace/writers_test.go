package workspace

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// twoWriters returns two workspaces on one folder, as apidesk-cli and the window have it, both loaded with the
// resource Local API and its query Health.
func twoWriters(t *testing.T) (cli, window *Workspace) {
	t.Helper()
	dir := t.TempDir()
	seed := mustOpen(t, dir)
	r := &resource.Resource{Name: "Local API", BaseURL: "http://127.0.0.1:8080"}
	if err := seed.SaveResource(t.Context(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := seed.SaveQuery(t.Context(), &query.Query{Name: "Health", ResourceID: r.ID, Method: "GET", Path: "/health"}); err != nil {
		t.Fatal(err)
	}
	cli, _ = mustLoad(t, dir)
	window, _ = mustLoad(t, dir)
	return cli, window
}

// ids counts the files of the folder by the id they hold.
func ids(t *testing.T, dir, folder string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, text := range files(t, dir) {
		if !strings.HasPrefix(name, folder+"/") {
			continue
		}
		for line := range strings.Lines(text) {
			if id, ok := strings.CutPrefix(line, "id: "); ok {
				id = strings.TrimSpace(id)
				out[id] = append(out[id], name)
			}
		}
	}
	return out
}

// TestStaleSaveIsRefused: the window's save of a resource that apidesk-cli changed since the window read it is
// refused in words, and leaves the CLI's version; after a Load the window saves again.
func TestStaleSaveIsRefused(t *testing.T) {
	cli, window := twoWriters(t)
	r, _ := cli.ResourceByName("Local API")
	r.BaseURL = "http://127.0.0.1:9090"
	if err := cli.SaveResource(t.Context(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	stale, _ := window.ResourceByName("Local API")
	stale.Timeout = time.Minute
	err := window.SaveResource(t.Context(), stale, nil, nil)
	want := `the resource "Local API" was changed on disk by another program since apidesk read it (resources/local-api.yaml): reload the workspace to get that version, then make your changes again`
	if !errors.Is(err, ErrStale) || err.Error() != want {
		t.Fatalf("stale save: %v\nwant %s", err, want)
	}
	if text := files(t, window.Dir())["resources/local-api.yaml"]; !strings.Contains(text, "9090") || strings.Contains(text, "timeout") {
		t.Errorf("the CLI's change was undone:\n%s", text)
	}
	if _, err := window.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	fresh, _ := window.ResourceByName("Local API")
	fresh.Timeout = time.Minute
	if err := window.SaveResource(t.Context(), fresh, nil, nil); err != nil {
		t.Fatalf("save after a reload: %v", err)
	}
	fresh.Timeout = 2 * time.Minute // its own earlier save is no other program's change
	if err := window.SaveResource(t.Context(), fresh, nil, nil); err != nil {
		t.Fatalf("second save: %v", err)
	}
}

// TestStaleCopyOfARenamedResource is the case of issue 10: apidesk-cli renames a resource (its file moves), then
// the window saves its stale copy under the old name. That must not bring the old file back beside the new one,
// two files with one id.
func TestStaleCopyOfARenamedResource(t *testing.T) {
	cli, window := twoWriters(t)
	r, _ := cli.ResourceByName("Local API")
	r.Name = "Staging API"
	if err := cli.SaveResource(t.Context(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	stale, _ := window.ResourceByID(r.ID)
	stale.BaseURL = "http://127.0.0.1:7070"
	err := window.SaveResource(t.Context(), stale, nil, nil)
	if !errors.Is(err, ErrStale) || !strings.Contains(err.Error(), "was renamed or removed on disk by another program") {
		t.Fatalf("save of the stale copy: %v", err)
	}
	if got := ids(t, window.Dir(), "resources")[r.ID]; len(got) != 1 || got[0] != "resources/staging-api.yaml" {
		t.Errorf("files with the id %s: %v, want only resources/staging-api.yaml", r.ID, got)
	}
	if err := window.DeleteResource(t.Context(), r.ID, nil); !errors.Is(err, ErrStale) {
		t.Errorf("delete of the stale copy: %v", err)
	}
	if got := ids(t, window.Dir(), "resources")[r.ID]; len(got) != 1 {
		t.Errorf("after the refused delete, files with the id %s: %v", r.ID, got)
	}
}

// TestStaleQuery: a query changed on disk by another program is neither overwritten nor deleted by a workspace that
// read it before, and a resource whose query changed is not deleted (its secrets stay too).
func TestStaleQuery(t *testing.T) {
	cli, window := twoWriters(t)
	q, _ := cli.QueryByName("Health")
	q.Path = "/healthz"
	if err := cli.SaveQuery(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	stale, _ := window.QueryByName("Health")
	stale.Method = "HEAD"
	if err := window.SaveQuery(t.Context(), stale); !errors.Is(err, ErrStale) || !strings.HasPrefix(err.Error(), `the query "Health" was changed on disk`) {
		t.Errorf("save: %v", err)
	}
	if err := window.DeleteQuery(t.Context(), stale.ID); !errors.Is(err, ErrStale) {
		t.Errorf("delete: %v", err)
	}
	if err := window.DeleteResource(t.Context(), stale.ResourceID, nil); !errors.Is(err, ErrStale) {
		t.Errorf("delete of its resource: %v", err)
	}
	text := files(t, window.Dir())["queries/health.yaml"]
	if !strings.Contains(text, "/healthz") || strings.Contains(text, "HEAD") {
		t.Errorf("the CLI's change was undone:\n%s", text)
	}
	if _, err := window.ResourceByID(stale.ResourceID); err != nil {
		t.Errorf("the resource is gone: %v", err)
	}
}

// next waits for the next change from Watch; the timeout only ends a test that would hang.
func next(t *testing.T, changes <-chan Change) Change {
	t.Helper()
	select {
	case c, ok := <-changes:
		if !ok {
			t.Fatal("Watch closed its channel")
		}
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no change from Watch in 10 s")
	}
	return Change{}
}

// TestWatch: a window's workspace that watches its folder hears of what apidesk-cli changes (a resource edited,
// a query renamed, a file removed, a file that no longer reads), and the lookups answer the new version; its own
// saves are no change to hear of.
func TestWatch(t *testing.T) {
	cli, window := twoWriters(t)
	changes, err := window.Watch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	r, _ := window.ResourceByName("Local API")
	q, _ := window.QueryByName("Health")

	// The window's own save, then the CLI's: the change heard is the CLI's alone.
	mine := *r
	mine.Timeout = time.Minute
	if err := window.SaveResource(t.Context(), &mine, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	cq, _ := cli.QueryByName("Health")
	cq.Name = "Health check"
	if err := cli.SaveQuery(t.Context(), cq); err != nil {
		t.Fatal(err)
	}
	c := next(t, changes)
	if len(c.Resources) != 0 || !slices.Equal(c.Queries, []string{q.ID}) {
		t.Fatalf("heard %+v, want only the query %s", c, q.ID)
	}
	if got, _ := window.QueryByID(q.ID); got.Name != "Health check" {
		t.Errorf("the window's lookup answers %q", got.Name)
	}
	if err := window.SaveQuery(t.Context(), func() *query.Query { g, _ := window.QueryByID(q.ID); g.Path = "/up"; return g }()); err != nil {
		t.Errorf("a save after the reload: %v", err)
	}

	// A file someone breaks by hand is a problem, and its item is gone from the lookups.
	writeRaw(t, window.Dir(), "resources/local-api.yaml", "version: 1\nid: [broken\n")
	c = next(t, changes)
	if !slices.Equal(c.Resources, []string{r.ID}) || len(c.Problems) == 0 {
		t.Fatalf("heard %+v, want the resource %s and a problem", c, r.ID)
	}
	if _, err := window.ResourceByID(r.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("the broken resource still loads: %v", err)
	}
}
