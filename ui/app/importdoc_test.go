package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"apidesk/engine/imports"
	"apidesk/engine/imports/formats"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/sidebar"
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
