package paging_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/paging"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// items is a list of n numbered items, as JSON objects.
func items(from, n int) []map[string]any {
	out := []map[string]any{}
	for i := from; i < from+n; i++ {
		out = append(out, map[string]any{"id": i, "name": fmt.Sprintf("item %d", i)})
	}
	return out
}

// server answers with handler and records each request's URL (path and query).
type server struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newServer(t *testing.T, handler func(w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, r.URL.RequestURI())
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		handler(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

func write(w http.ResponseWriter, v any) { _ = json.NewEncoder(w).Encode(v) }

// all loads every page of a query on srv with paging rule p (at most max pages) and returns the ids of the
// rows, in order, and why it stopped.
func all(t *testing.T, srv *server, path string, p query.Paging, max int) ([]int, string) {
	t.Helper()
	return allShaped(t, srv, path, p, nil, max)
}

// allShaped is all for a query with a result shape.
func allShaped(t *testing.T, srv *server, path string, p query.Paging, shape *query.Result, max int) ([]int, string) {
	t.Helper()
	res := &resource.Resource{ID: "r1", Name: "Shop", BaseURL: srv.URL + "/api"}
	q := &query.Query{Name: "Items", ResourceID: "r1", Path: path, Paging: p, Params: kv.List{kv.On("sort", "id")}, Result: shape}
	pager := paging.New(q, res, nil, max)
	var ids []int
	err := paging.All(context.Background(), runner.New(nil, nil), res, q, nil, pager, func(rows [][]byte) error {
		for _, r := range rows {
			var it struct{ ID int }
			if err := json.Unmarshal(r, &it); err != nil {
				return err
			}
			ids = append(ids, it.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pager.Rows() != len(ids) {
		t.Errorf("Rows() = %d, want %d", pager.Rows(), len(ids))
	}
	return ids, pager.Stopped()
}

func sameInts(a []int, from, n int) bool {
	if len(a) != n {
		return false
	}
	for i, v := range a {
		if v != from+i {
			return false
		}
	}
	return true
}

func TestLinkHeader(t *testing.T) {
	// 7 items, 3 a page; the links are written as GitHub writes them (absolute) or relative, with other
	// relations around them.
	for name, form := range map[string]func(srv string, page int) string{
		"absolute": func(srv string, page int) string {
			return fmt.Sprintf(`<%s/api/items?sort=id&page=1>; rel="first", <%s/api/items?sort=id&page=%d>; rel="next", <%s/api/items?page=3>; rel="last"`, srv, srv, page, srv)
		},
		"relative path": func(_ string, page int) string {
			return fmt.Sprintf(`<items?sort=id&page=%d>; rel="next prefetch"; title="Next, please"`, page)
		},
		"relative query": func(_ string, page int) string { return fmt.Sprintf(`<?page=%d>;rel=next`, page) },
		"root relative":  func(_ string, page int) string { return fmt.Sprintf(`</api/items?page=%d>; REL="Next"`, page) },
	} {
		t.Run(name, func(t *testing.T) {
			var srv *server
			srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
				page, _ := strconv.Atoi(r.URL.Query().Get("page"))
				page = max(page, 1)
				if page < 3 {
					w.Header().Add("Link", form(srv.URL, page+1))
				}
				write(w, items((page-1)*3+1, min(3, 7-(page-1)*3)))
			})
			ids, stop := all(t, srv, "/items", query.Paging{Kind: query.PagingLink}, 0)
			if !sameInts(ids, 1, 7) {
				t.Errorf("ids = %v", ids)
			}
			if want := "Stopped: that was the last page (the API named no next page)"; stop != want {
				t.Errorf("stopped: %q, want %q", stop, want)
			}
			if got := srv.requests(); len(got) != 3 || got[0] != "/api/items?sort=id" || !strings.HasPrefix(got[1], "/api/items?") {
				t.Errorf("requests %v", got)
			}
		})
	}
}

// A Link to another origin is not followed: the key saved for the resource never goes there.
func TestLinkOffOriginRefused(t *testing.T) {
	other := newServer(t, func(w http.ResponseWriter, _ *http.Request) { write(w, items(100, 3)) })
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Link", "<"+other.URL+"/api/items?page=2>; rel=next")
		write(w, items(1, 3))
	})
	ids, stop := all(t, srv, "/items", query.Paging{Kind: query.PagingLink}, 0)
	if !sameInts(ids, 1, 3) {
		t.Errorf("ids = %v", ids)
	}
	if !strings.HasPrefix(stop, "Stopped: the API named a next page on another site (http://127.0.0.1:") ||
		!strings.HasSuffix(stop, "so that your credentials go only to "+srv.URL) {
		t.Errorf("stopped: %q", stop)
	}
	if got := other.requests(); len(got) != 0 {
		t.Errorf("the other origin was asked for %v", got)
	}
}

func TestLinkToItself(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Link", "</api/items?page=2>; rel=next")
		write(w, items(1, 3))
	})
	ids, stop := all(t, srv, "/items", query.Paging{Kind: query.PagingLink}, 0)
	if len(ids) != 6 || stop != "Stopped: the API gave the same next page twice" {
		t.Errorf("ids = %v, stopped: %q", ids, stop)
	}
}

// The cursor is taken at its path in the answer and sent as its param; rows are found where the table finds
// them (the first array of objects, data.items), on every page.
func TestCursor(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		after, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Query().Get("after"), "c")) // "c4" or 4
		next := any(nil)
		if after+4 < 10 {
			next = fmt.Sprintf("c%d", after+4)
		}
		if after+4 == 8 {
			next = 8 // a number works as well as a string
		}
		write(w, map[string]any{"meta": map[string]any{"tags": []string{"a"}, "next_cursor": next}, "data": map[string]any{"items": items(after+1, min(4, 10-after))}})
	})
	ids, stop := all(t, srv, "/items", query.Paging{Kind: query.PagingCursor, CursorPath: "meta.next_cursor", Param: "after"}, 0)
	if !sameInts(ids, 1, 10) {
		t.Errorf("ids = %v", ids)
	}
	if want := "Stopped: that was the last page (the API gave no next cursor)"; stop != want {
		t.Errorf("stopped: %q, want %q", stop, want)
	}
	if got := srv.requests(); len(got) != 3 || got[1] != "/api/items?sort=id&after=c4" || got[2] != "/api/items?sort=id&after=8" {
		t.Errorf("requests %v", got)
	}
}

func TestRepeatedCursor(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		cursor := "abc"
		if r.URL.Query().Get("cursor") == "" {
			cursor = "xyz"
		}
		if r.URL.Query().Get("cursor") == "xyz" {
			cursor = "abc"
		}
		write(w, map[string]any{"next": cursor, "results": items(1, 2)})
	})
	ids, stop := all(t, srv, "/items", query.Paging{Kind: query.PagingCursor, CursorPath: "next", Param: "cursor"}, 0)
	if want := "Stopped: the API gave the same cursor twice"; stop != want || len(ids) != 6 {
		t.Errorf("ids = %v, stopped: %q, want %q", ids, stop, want)
	}
	if got := srv.requests(); len(got) != 3 {
		t.Errorf("requests %v", got)
	}
}

// Page numbers count from Start, with the page size sent; the walk ends on the first empty page.
func TestPageNumbers(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("p"))
		size, _ := strconv.Atoi(r.URL.Query().Get("size"))
		from := page*size + 1
		write(w, items(from, max(0, min(size, 11-from))))
	})
	ids, stop := all(t, srv, "/items", query.Paging{Kind: query.PagingPage, Param: "p", Start: 0, LimitParam: "size", Limit: 5}, 0)
	if !sameInts(ids, 1, 10) || stop != "Stopped: the last page was empty" {
		t.Errorf("ids = %v, stopped: %q", ids, stop)
	}
	want := []string{"/api/items?sort=id&p=0&size=5", "/api/items?sort=id&p=1&size=5", "/api/items?sort=id&p=2&size=5"}
	if got := srv.requests(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("requests %v, want %v", got, want)
	}
}

// An offset advances by the page size, or by the rows received when none is sent.
func TestOffset(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit := 3 // the server's own page size
		if l := r.URL.Query().Get("limit"); l != "" {
			limit, _ = strconv.Atoi(l)
		}
		write(w, items(off+1, max(0, min(limit, 8-off))))
	})
	for name, p := range map[string]query.Paging{
		"with limit":    {Kind: query.PagingOffset, Param: "offset", LimitParam: "limit", Limit: 4},
		"server's size": {Kind: query.PagingOffset, Param: "offset"},
	} {
		t.Run(name, func(t *testing.T) {
			ids, stop := all(t, srv, "/items", p, 0)
			if !sameInts(ids, 1, 8) || stop != "Stopped: the last page was empty" {
				t.Errorf("ids = %v, stopped: %q", ids, stop)
			}
		})
	}
}

// The walk stops at the cap, and says so.
func TestCap(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		write(w, items(page*2, 2)) // never ends
	})
	ids, stop := all(t, srv, "/items", query.Paging{Kind: query.PagingPage, Param: "page", Start: 1}, 3)
	if len(ids) != 6 || stop != "Stopped after 3 pages (the limit)" {
		t.Errorf("ids = %v, stopped: %q", ids, stop)
	}
	if got := srv.requests(); len(got) != 3 {
		t.Errorf("requests %v", got)
	}
	_, stop = all(t, srv, "/items", query.Paging{Kind: query.PagingPage, Param: "page", Start: 1}, 0)
	if stop != "Stopped after 100 pages (the limit)" {
		t.Errorf("default cap: stopped: %q", stop)
	}
}

// An error answer ends the walk, saying which page and what the API said.
func TestErrorAnswer(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" {
			w.WriteHeader(http.StatusTooManyRequests)
			write(w, map[string]string{"error": "slow down"})
			return
		}
		write(w, items(1, 2))
	})
	ids, stop := all(t, srv, "/items", query.Paging{Kind: query.PagingPage, Param: "page", Start: 1}, 0)
	if len(ids) != 2 || stop != "Stopped: page 2 was not given (the API answered 429 Too Many Requests)" {
		t.Errorf("ids = %v, stopped: %q", ids, stop)
	}
}

// The first page's params replace the query's own of the same name, rather than being sent twice.
func TestStepReplacesParams(t *testing.T) {
	q := &query.Query{Params: kv.List{kv.On("page", "7"), kv.On("q", "x"), kv.On("page", "8"), {Key: "size", Value: "1"}}}
	got := paging.Step{Params: kv.List{kv.On("page", "1"), kv.On("size", "5")}}.Query(q)
	want := kv.List{kv.On("page", "1"), kv.On("q", "x"), {Key: "page", Value: "8"}, {Key: "size", Value: "1"}, kv.On("size", "5")}
	if fmt.Sprint(got.Params) != fmt.Sprint(want) {
		t.Errorf("params %v, want %v", got.Params, want)
	}
	if q.Params[0].Value != "7" {
		t.Error("the query itself was changed")
	}
}

// The rows are where the query's result shape says, on every page, though another array is longer.
func TestResultShapeSaysWhereTheRowsAre(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		write(w, map[string]any{"related": items(100, 5), "orders": items(page*2+1, max(0, min(2, 5-page*2)))})
	})
	ids, stop := allShaped(t, srv, "/items", query.Paging{Kind: query.PagingPage, Param: "page"}, &query.Result{Rows: "orders"}, 0)
	if !sameInts(ids, 1, 5) || stop != "Stopped: the last page was empty" {
		t.Errorf("ids = %v, stopped: %q", ids, stop)
	}
	ids, _ = all(t, srv, "/items", query.Paging{Kind: query.PagingPage, Param: "page"}, 2)
	if len(ids) != 10 || ids[0] != 100 {
		t.Errorf("without a shape the rows are the table's choice (related): %v", ids)
	}
}
