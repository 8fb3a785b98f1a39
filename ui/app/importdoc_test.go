package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"apidesk/engine/imports"
	"apidesk/engine/imports/formats"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/sidebar"
	"apidesk/ui/uitest"
)

// fakeFormat reads a file of lines "METHOD PATH NAME" into one resource, Shop, at two base URLs; a line "bad"
// is a format error; "# …" lines are left out.
func fakeFormat(t *testing.T) {
	t.Helper()
	was := formats.Imports
	t.Cleanup(func() { formats.Imports = was })
	formats.Imports = []formats.Import{{Name: "lines", Title: "Lines", What: "a file of lines", Read: func(_ context.Context, src imports.Source) (*imports.Plan, error) {
		p := &imports.Plan{Format: "Lines"}
		r := imports.Resource{Resource: resource.Resource{Name: "Shop", BaseURL: "https://shop.example/v1"}, BaseURLs: []string{"https://shop.example/v1", "https://staging.shop.example/v1"}}
		for i, line := range strings.Split(strings.TrimSpace(string(src.Data)), "\n") {
			if line == "bad" {
				return nil, &imports.FormatError{Format: "a file of lines", Where: fmt.Sprintf("line %d", i+1), Msg: "a line needs a method, a path and a name"}
			}
			if strings.HasPrefix(line, "#") {
				p.Leave(fmt.Sprintf("line %d", i+1), "a comment", "comments are not requests")
				continue
			}
			f := strings.SplitN(line, " ", 3)
			r.Queries = append(r.Queries, query.Query{Method: f[0], Path: f[1], Name: f[2], Group: "orders", Source: "lines:" + f[1]})
		}
		p.Resources = []imports.Resource{r}
		return p, nil
	}}}
}

// File → Import… reads the file chosen into a preview (what is created, the base URL to choose, what is left
// out), says in words what is wrong with a file it cannot read, and Import writes the resource and its queries,
// then shows the resource.
func TestImportDocumentPreviewsThenImports(t *testing.T) {
	fakeFormat(t)
	fx := newFixture(t, nil)
	w := fx.w
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	good := filepath.Join(dir, "shop.txt")
	_ = os.WriteFile(bad, []byte("GET /a A\nbad\n"), 0o644)
	_ = os.WriteFile(good, []byte("GET /orders List orders\n# staff only\nPOST /orders Create order\n"), 0o644)

	w.ImportDocument()
	d := w.imports
	if d == nil || w.win.Canvas().Overlays().Top() == nil {
		t.Fatal("File → Import… opened no dialog")
	}
	test.Type(d.where, bad)
	d.onRead()
	fx.app.Wait(t, &d.tasks)
	if !d.banner.Visible() || !strings.Contains(d.banner.Message(), "line 2: a line needs a method") || !d.doIt.Disabled() {
		t.Fatalf("a bad file: banner %v %q, Import enabled %v", d.banner.Visible(), d.banner.Message(), !d.doIt.Disabled())
	}

	d.where.SetText(good)
	d.onRead()
	fx.app.Wait(t, &d.tasks)
	if d.doIt.Disabled() || !strings.Contains(d.about.Text, "Lines: the resource Shop, with 2 queries, at https://shop.example/v1") {
		t.Fatalf("preview: %q (Import enabled %v, banner %q)", d.about.Text, !d.doIt.Disabled(), d.banner.Message())
	}
	if !strings.Contains(d.list.Text, "GET     orders › List orders") || !strings.Contains(d.list.Text, "POST    orders › Create order") {
		t.Errorf("queries listed: %q", d.list.Text)
	}
	if !strings.Contains(d.left.Text, "Left out: a comment (line 2): comments are not requests") {
		t.Errorf("left out: %q", d.left.Text)
	}
	if !d.base.Visible() || len(d.base.Options) != 2 {
		t.Fatalf("base URL choice shown %v: %q", d.base.Visible(), d.base.Options)
	}
	d.base.SetSelected("https://staging.shop.example/v1")
	test.Tap(d.doIt)
	fx.app.Wait(t, &d.tasks)
	fx.app.Wait(t, w.Tasks())
	res, err := w.deps.Workspace.ResourceByName("Shop")
	if err != nil {
		t.Fatalf("no resource Shop after Import: %v (banner %q)", err, d.banner.Message())
	}
	if res.BaseURL != "https://staging.shop.example/v1" || len(w.deps.Workspace.QueriesOf(res.ID)) != 2 {
		t.Errorf("imported %s with %d queries", res.BaseURL, len(w.deps.Workspace.QueriesOf(res.ID)))
	}
	if k, id := w.sidebar.Selected(); k != sidebar.Resource || id != res.ID {
		t.Errorf("after the import the sidebar selects %v %q", k, id)
	}
}

// With a Postman collection, File → Import… offers an environment: the file chosen reads the preview again
// with its values (the base URL and the variables' defaults are the environment's), its secret values are
// listed as left out and written nowhere, a file that is not an environment says so, and Clear reads the
// collection alone again. Other formats do not offer it.
func TestImportPostmanWithEnvironment(t *testing.T) {
	fx := newFixture(t, nil)
	w := fx.w
	collection, _ := filepath.Abs("../../engine/imports/postman/testdata/crm.postman_collection.json")
	env, _ := filepath.Abs("../../engine/imports/postman/testdata/staging.postman_environment.json")

	w.ImportDocument()
	d := w.imports
	var chosen string // what the file dialog answers
	var asked []string
	d.chooseFile = func(title, current string, done func(string)) {
		asked = append(asked, title+" | "+current)
		done(chosen)
	}
	d.format.SetSelected("OpenAPI or Swagger")
	if d.envRow.Visible() || d.envLabel.Visible() {
		t.Error("OpenAPI offers an environment")
	}
	d.format.SetSelected("Postman collection")
	if !d.envRow.Visible() || d.envLabel.Text != "Environment (optional)" || d.envClear.Visible() {
		t.Fatalf("Postman's environment: shown %v, label %q, Clear shown %v", d.envRow.Visible(), d.envLabel.Text, d.envClear.Visible())
	}
	if d.envName.Text != "None chosen" || !strings.Contains(d.envHint.Text, "Passwords and tokens in it are not imported") {
		t.Errorf("no environment chosen says %q", d.envName.Text)
	}
	chosen = collection
	test.Tap(d.choose)
	fx.app.Wait(t, &d.tasks)
	if !strings.Contains(d.about.Text, "the resource CRM API, with 13 queries, at https://api.crm.example/v2.") || d.doIt.Disabled() {
		t.Fatalf("the collection alone: %q (banner %q)", d.about.Text, d.banner.Message())
	}

	// A collection chosen as its own environment.
	test.Tap(d.envChoose)
	fx.app.Wait(t, &d.tasks)
	if !d.banner.Visible() || !strings.Contains(d.banner.Message(), "not a Postman environment") || !d.doIt.Disabled() {
		t.Fatalf("a collection as the environment: banner %v %q, Import enabled %v", d.banner.Visible(), d.banner.Message(), !d.doIt.Disabled())
	}

	chosen = env
	test.Tap(d.envChoose)
	fx.app.Wait(t, &d.tasks)
	if want := "Choose a Postman environment (exported from Postman's Environments) | " + collection; asked[len(asked)-1] != want {
		t.Errorf("the file dialog was asked %q, want %q (beside the collection)", asked[len(asked)-1], want)
	}
	if d.envName.Text != "staging.postman_environment.json" || !d.envClear.Visible() {
		t.Errorf("the environment chosen shows as %q (Clear shown %v)", d.envName.Text, d.envClear.Visible())
	}
	if !strings.Contains(d.about.Text, "at https://staging.crm.example/v2.") || !strings.Contains(d.about.Text, "from the environment staging.postman_environment.json") {
		t.Errorf("with the environment: %q (banner %q)", d.about.Text, d.banner.Message())
	}
	for _, s := range []string{"Left out: the value of the variable adminToken (the environment CRM staging)", "Left out: the variable old (the environment CRM staging)"} {
		if !strings.Contains(d.left.Text, s) {
			t.Errorf("left out lacks %q", s)
		}
	}
	if strings.Contains(d.left.Text+d.about.Text+d.list.Text, "env-admin-token-1") {
		t.Error("the preview shows the environment's secret")
	}

	test.Tap(d.envClear)
	fx.app.Wait(t, &d.tasks)
	if d.envClear.Visible() || !strings.Contains(d.about.Text, "at https://api.crm.example/v2.") {
		t.Errorf("after Clear: %q (Clear shown %v)", d.about.Text, d.envClear.Visible())
	}
	test.Tap(d.envChoose)
	fx.app.Wait(t, &d.tasks)
	test.Tap(d.doIt)
	fx.app.Wait(t, &d.tasks)
	fx.app.Wait(t, w.Tasks())
	ws := w.deps.Workspace
	res, err := ws.ResourceByName("CRM API")
	if err != nil {
		t.Fatalf("no resource CRM API after Import: %v (banner %q)", err, d.banner.Message())
	}
	// The environment is the workspace's now; the resource takes its address and values from it, and keeps
	// them as its defaults for when no environment is chosen.
	base, _ := res.Variables.Get("baseUrl", false)
	if res.BaseURL != "{{baseUrl}}" || base != "https://staging.crm.example/v2" {
		t.Errorf("imported at %s (baseUrl %q)", res.BaseURL, base)
	}
	if v, _ := res.Variables.Get("pageSize", false); v != "25" {
		t.Errorf("the resource's pageSize is %q, want the environment's 25", v)
	}
	imported, err := ws.EnvironmentByName("CRM staging")
	if err != nil || imported.Variable("pageSize") == nil || imported.Variable("pageSize").Value != "25" || !imported.Variable("adminToken").Secret {
		t.Errorf("the environment: %+v, %v", imported, err)
	}
	if !strings.Contains(d.about.Text, "The environment CRM staging, with ") {
		t.Errorf("the preview does not name the environment: %q", d.about.Text)
	}
	uitest.NoFileContains(t, ws.Dir(), "env-admin-token-1", "env-pass", "s3cr3t-Value-123")
}

// A new user finds Import on the welcome page of an empty workspace and under the toolbar's Import, which
// offers a file or a cURL command.
func TestImportIsOfferedWhereANewUserLooks(t *testing.T) {
	a := uitest.NewApp(t)
	store := uitest.Keychain(t)
	w := New(a, Deps{Workspace: uitest.Workspace(t), Secrets: store, Runner: uitest.Runner(t, store)})
	w.Load()
	t.Cleanup(w.stopWatching)
	a.Wait(t, w.Tasks())
	if !w.welcomeImport.Visible() {
		t.Fatal("the welcome page of an empty workspace offers no import")
	}
	test.Tap(w.welcomeImport)
	if w.imports == nil || w.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the welcome page's Import opened no dialog")
	}
	w.imports.dlg.Hide()
	w.imports = nil

	test.Tap(w.importBtn)
	if w.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the toolbar's Import shows no menu")
	}
	w.win.Canvas().Overlays().Remove(w.win.Canvas().Overlays().Top())
	var labels []string
	for _, it := range w.importMenu().Items {
		labels = append(labels, it.Label)
	}
	if want := []string{"From a file: OpenAPI, Postman, Insomnia, HAR or Bruno…", "From a cURL command…"}; !slices.Equal(labels, want) {
		t.Errorf("the toolbar's Import offers %q", labels)
	}
	w.importMenu().Items[0].Action()
	if w.imports == nil {
		t.Error("the toolbar's Import › From a file opened no import")
	}
}
