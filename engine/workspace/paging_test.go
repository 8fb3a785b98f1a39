package workspace

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// Each kind of paging comes back from its file as it was saved; a query without paging writes no paging
// section, so the files saved before paging existed stay as they are.
func TestPagingRoundTrip(t *testing.T) {
	for name, p := range map[string]query.Paging{
		"none":   {},
		"link":   {Kind: query.PagingLink},
		"cursor": {Kind: query.PagingCursor, CursorPath: "meta.next_cursor", Param: "cursor"},
		"page":   {Kind: query.PagingPage, Param: "page", Start: 1, LimitParam: "per_page", Limit: 50},
		"page 0": {Kind: query.PagingPage, Param: "p", Start: 0},
		"offset": {Kind: query.PagingOffset, Param: "offset", LimitParam: "limit", Limit: 20},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			w := mustOpen(t, dir)
			r := &resource.Resource{Name: "Shop", BaseURL: "https://shop.example.com"}
			if err := w.SaveResource(t.Context(), r, nil, nil); err != nil {
				t.Fatal(err)
			}
			q := &query.Query{Name: "Orders", ResourceID: r.ID, Path: "/orders", Paging: p}
			if err := w.SaveQuery(t.Context(), q); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(dir, "queries", "orders.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if has := strings.Contains(string(data), "paging:"); has != p.Pages() {
				t.Errorf("paging section written: %v, want %v:\n%s", has, p.Pages(), data)
			}
			back, problems := mustLoad(t, dir)
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			got, err := back.QueryByID(q.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Paging, p) {
				t.Errorf("paging came back as %+v, want %+v\n%s", got.Paging, p, data)
			}
		})
	}
}

// A file written by hand with a paging section that lacks what its kind needs is refused at its line, in words.
func TestPagingFileProblems(t *testing.T) {
	for name, tc := range map[string]struct{ section, want string }{
		"no param":    {"paging:\n  kind: cursor\n  cursor_path: next\n", "Name the URL parameter that carries the cursor"},
		"no path":     {"paging:\n  kind: cursor\n  param: after\n", "Say where the next cursor is in the answer"},
		"bad kind":    {"paging:\n  kind: pages\n", `Unknown kind of paging "pages"`},
		"bad start":   {"paging:\n  kind: page\n  param: page\n  start: one\n", "start must be a whole number"},
		"limit alone": {"paging:\n  kind: offset\n  param: offset\n  limit_param: limit\n", "Give the page size to send as limit"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			w := mustOpen(t, dir)
			r := &resource.Resource{Name: "Shop", BaseURL: "https://shop.example.com"}
			if err := w.SaveResource(t.Context(), r, nil, nil); err != nil {
				t.Fatal(err)
			}
			file := "version: 1\nid: q1\nname: Orders\nresource: " + r.ID + "\nmethod: GET\npath: /orders\n" + tc.section
			if err := os.MkdirAll(filepath.Join(dir, "queries"), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "queries", "orders.yaml"), []byte(file), 0o600); err != nil {
				t.Fatal(err)
			}
			_, problems := mustLoad(t, dir)
			if len(problems) != 1 || !strings.Contains(problems[0].Error(), tc.want) {
				t.Fatalf("problems %v, want one saying %q", problems, tc.want)
			}
		})
	}
}
