package runmode

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// ordersServer has 5 orders, given page by page (?page=N&per_page=M) inside {"data": {"orders": […]}}.
func ordersServer(t *testing.T) (*httptest.Server, func() []string) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.RequestURI())
		mu.Unlock()
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"meta": {"total": 5}, "data": {"orders": [`)
		for i, n := 0, (page-1)*size+1; i < size && n <= 5; i, n = i+1, n+1 {
			if i > 0 {
				fmt.Fprint(w, ",")
			}
			fmt.Fprintf(w, `{"id": %d}`, n)
		}
		fmt.Fprint(w, `]}}`)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// Load more appends the next page's rows to the table and says how many there are, until the API has no more.
func TestLoadMoreAppendsPages(t *testing.T) {
	srv, seen := ordersServer(t)
	a, v := newView(t)
	res := &resource.Resource{ID: "r1", Name: "Shop", BaseURL: srv.URL}
	v.Open(&query.Query{ID: "q1", Name: "Orders", ResourceID: "r1", Path: "/orders",
		Paging: query.Paging{Kind: query.PagingPage, Param: "page", Start: 1, LimitParam: "per_page", Limit: 2}}, res)
	if v.pages.row.Visible() {
		t.Error("Load more shows before the query ran")
	}
	v.Run()
	a.Wait(t, v.Tasks())
	table := func() int { return v.Response().Table().Table().Rows() }
	if !v.pages.row.Visible() || v.pages.btn.Disabled() || v.pages.count.Text != "2 rows, 1 page" || table() != 2 {
		t.Fatalf("after the first page: shown %v, disabled %v, %q, %d rows", v.pages.row.Visible(), v.pages.btn.Disabled(), v.pages.count.Text, table())
	}
	for _, want := range []struct {
		count string
		rows  int
	}{
		{"4 rows, 2 pages", 4},
		{"5 rows, 3 pages", 5},
		{"5 rows, 4 pages. Stopped: the last page was empty", 5},
	} {
		test.Tap(v.pages.btn)
		a.Wait(t, v.Tasks())
		if v.pages.count.Text != want.count || table() != want.rows {
			t.Errorf("says %q with %d rows, want %q with %d", v.pages.count.Text, table(), want.count, want.rows)
		}
	}
	if !v.pages.btn.Disabled() {
		t.Error("Load more is enabled after the last page")
	}
	want := []string{"/orders?page=1&per_page=2", "/orders?page=2&per_page=2", "/orders?page=3&per_page=2", "/orders?page=4&per_page=2"}
	if got := seen(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("server saw %v, want %v", got, want)
	}

	// A query that does not page shows no Load more.
	v.Open(&query.Query{ID: "q2", Name: "Some orders", ResourceID: "r1", Path: "/orders?page=1&per_page=2"}, res)
	v.Run()
	a.Wait(t, v.Tasks())
	if v.pages.row.Visible() {
		t.Error("Load more shows for a query of one page")
	}
}
