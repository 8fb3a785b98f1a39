package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRunAllPages: --all-pages follows the Link header the query's file says its API pages with, writes every
// row of every page as one JSON array on standard output, and says how many and why it stopped on standard
// error; --max-pages caps it.
func TestRunAllPages(t *testing.T) {
	needKeychain(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		if page < 3 {
			w.Header().Set("Link", fmt.Sprintf(`<?page=%d>; rel="next"`, page+1))
		}
		w.Header().Set("Content-Type", "application/json")
		var items []map[string]int
		for i := range 2 {
			items = append(items, map[string]int{"id": (page-1)*2 + i + 1})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"data": items, "page": page})
	}))
	defer srv.Close()
	ws := t.TempDir()
	runCLI(t, ws, "", "resource", "add", "shop", "--base-url", srv.URL).must(t, 0)
	runCLI(t, ws, "", "query", "save", "orders", "--resource", "shop", "--path", "/orders").must(t, 0)

	r := runCLI(t, ws, "", "run", "orders", "--all-pages").must(t, 2)
	if !strings.Contains(r.stderr, "loads one page: say how its API pages") {
		t.Errorf("without paging: stderr %q", r.stderr)
	}

	file := filepath.Join(ws, "queries", "orders.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, append(b, "paging:\n  kind: link\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, ws, "", "run", "orders", "--all-pages").must(t, 0)
	var rows []struct{ ID int }
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, r.stdout)
	}
	if len(rows) != 6 || rows[0].ID != 1 || rows[5].ID != 6 {
		t.Errorf("rows %v", rows)
	}
	if want := "6 rows, 3 pages. Stopped: that was the last page (the API named no next page)\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}

	r = runCLI(t, ws, "", "run", "orders", "--all-pages", "--max-pages", "2").must(t, 0)
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 4 {
		t.Errorf("rows %v (%v)", rows, err)
	}
	if want := "4 rows, 2 pages. Stopped after 2 pages (the limit)\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
}
