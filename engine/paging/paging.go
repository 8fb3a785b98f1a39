// Package paging follows a query's answer page after page, as its saved paging rule says (query.Paging): a
// Link header's rel="next" (RFC 8288; a relative address is resolved against the answer's URL, and an address
// on another origin than the resource's is never fetched, so credentials go nowhere else), a cursor taken from
// the answer and sent as a param, or a page number or offset param with a page size.
//
// A Pager knows the rule and what it has seen: First is the first page's request, and Add takes each answer
// and says what the next request is, or why there is none ("Stopped: the last page was empty"). Each page's
// rows are found as the table finds them on the first page (where the query's result shape says, else
// engine/jsonview.FindTable's choice: the top-level array, else the longest array of objects), and at the same
// place on the others. Fetch, Next and All send the requests.
package paging

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"apidesk/engine/jsonview"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/template"
)

// DefaultMaxPages is how many pages are loaded at most, unless the caller says otherwise.
const DefaultMaxPages = 100

// Step is the request of one page: the query with some of its params set, or a whole address (Link).
type Step struct {
	Params kv.List // sent in place of the query's params of the same names (and the resource's)
	URL    string  // the page's whole address, on the resource's origin; "" builds it from the query
}

// Query returns a copy of q that sends the step's params in place of its own of the same names.
func (s Step) Query(q *query.Query) *query.Query {
	c := *q
	c.Params = slices.Clone(q.Params)
	for _, p := range s.Params {
		set := false
		for i := range c.Params {
			if c.Params[i].Key == p.Key && c.Params[i].Enabled {
				if !set {
					c.Params[i].Value = p.Value
				} else {
					c.Params[i].Enabled = false // a repeated row would send the param twice
				}
				set = true
			}
		}
		if !set {
			c.Params = append(c.Params, kv.On(p.Key, p.Value))
		}
	}
	return &c
}

// Answer is what Add needs of one page's response.
type Answer struct {
	StatusCode int
	Status     string // "404 Not Found"
	Header     http.Header
	URL        string // where the answer came from (after redirects): a relative Link is resolved against it
	Body       []byte // the whole body
}

// Pager follows one query's pages. It is not safe for concurrent use.
type Pager struct {
	rule   query.Paging
	origin *url.URL // the resource's base URL, whose origin a Link must stay on; nil when it cannot be known
	max    int
	pages  int
	rows   int
	path   string // where the rows are in an answer: the query's result shape, else as found on the first page
	seen   map[string]bool
	offset int
	stop   string
	failed bool // the last answer was an error (not 2xx)
}

// New returns a pager for q on res, whose base URL is expanded with vars, that loads at most maxPages pages
// (DefaultMaxPages when maxPages <= 0).
func New(q *query.Query, res *resource.Resource, vars map[string]string, maxPages int) *Pager {
	if maxPages <= 0 {
		maxPages = DefaultMaxPages
	}
	p := &Pager{rule: q.Paging, max: maxPages, seen: map[string]bool{}, offset: q.Paging.Start}
	if q.Result != nil {
		p.path = q.Result.Rows
	}
	if res != nil {
		x := &template.Expander{Vars: vars}
		if u, err := url.Parse(strings.TrimSpace(x.Expand(res.BaseURL))); err == nil && u.Host != "" {
			p.origin = u
		}
	}
	return p
}

// First is the first page's request: with a page number or an offset (and the page size) when the rule uses them.
func (p *Pager) First() Step { return Step{Params: p.numbered()} }

// numbered is the page number or offset params of the next page.
func (p *Pager) numbered() kv.List {
	r := p.rule
	var out kv.List
	switch r.Kind {
	case query.PagingPage:
		out = append(out, kv.On(r.Param, strconv.Itoa(r.Start+p.pages)))
	case query.PagingOffset:
		out = append(out, kv.On(r.Param, strconv.Itoa(p.offset)))
	default:
		return nil
	}
	if r.LimitParam != "" && r.Limit > 0 {
		out = append(out, kv.On(r.LimitParam, strconv.Itoa(r.Limit)))
	}
	return out
}

// Pages is how many pages were added.
func (p *Pager) Pages() int { return p.pages }

// Rows is how many rows the pages added had.
func (p *Pager) Rows() int { return p.rows }

// Count says how many rows and pages were loaded: "120 rows, 3 pages".
func (p *Pager) Count() string {
	return fmt.Sprintf("%s, %s", plural(p.rows, "row", "rows"), plural(p.pages, "page", "pages"))
}

// Stopped says in words why there is no next page, "" while there may be one.
func (p *Pager) Stopped() string { return p.stop }

// Failed reports whether the pages stopped on an error answer (not 2xx).
func (p *Pager) Failed() bool { return p.failed }

// Add takes the answer to the last request: it returns the page's rows and, when there is one, the next page's
// request (more is true). When there is none, Stopped says why.
func (p *Pager) Add(ctx context.Context, a Answer) (rows [][]byte, next Step, more bool) {
	if p.stop != "" {
		return nil, Step{}, false
	}
	if a.StatusCode < 200 || a.StatusCode > 299 {
		p.stop = fmt.Sprintf("Stopped: page %d was not given (the API answered %s)", p.pages+1, a.Status)
		p.failed = true
		return nil, Step{}, false
	}
	rows = p.rowsOf(ctx, a.Body)
	p.pages++
	p.rows += len(rows)
	if len(rows) == 0 {
		p.stop = "Stopped: the last page was empty"
		return rows, Step{}, false
	}
	next, ok := p.next(a, len(rows))
	if !ok {
		return rows, Step{}, false
	}
	if p.pages >= p.max {
		p.stop = fmt.Sprintf("Stopped after %s (the limit)", plural(p.pages, "page", "pages"))
		return rows, Step{}, false
	}
	return rows, next, true
}

// next is the request after a page of n rows, or false with the reason in p.stop.
func (p *Pager) next(a Answer, n int) (Step, bool) {
	r := p.rule
	switch r.Kind {
	case query.PagingLink:
		target, ok := nextLink(a.Header)
		if !ok {
			p.stop = "Stopped: that was the last page (the API named no next page)"
			return Step{}, false
		}
		u, err := resolve(a.URL, target)
		if err != nil {
			p.stop = "Stopped: the address the API gave for the next page is not valid"
			return Step{}, false
		}
		if p.origin != nil && !sameOrigin(p.origin, u) {
			p.stop = fmt.Sprintf("Stopped: the API named a next page on another site (%s), and it was not fetched so that your "+
				"credentials go only to %s", u.Scheme+"://"+u.Host, p.origin.Scheme+"://"+p.origin.Host)
			return Step{}, false
		}
		next := u.String()
		if p.seen[next] || next == a.URL {
			p.stop = "Stopped: the API gave the same next page twice"
			return Step{}, false
		}
		p.seen[next] = true
		return Step{URL: next}, true
	case query.PagingCursor:
		raw, found := valueAt(a.Body, r.CursorPath)
		cursor, ok := cursorText(raw)
		switch {
		case !found || ok && cursor == "":
			p.stop = "Stopped: that was the last page (the API gave no next cursor)"
			return Step{}, false
		case !ok:
			p.stop = fmt.Sprintf("Stopped: the next cursor (at %s) is not a text or a number", r.CursorPath)
			return Step{}, false
		case p.seen[cursor]:
			p.stop = "Stopped: the API gave the same cursor twice"
			return Step{}, false
		}
		p.seen[cursor] = true
		return Step{Params: kv.List{kv.On(r.Param, cursor)}}, true
	case query.PagingPage:
		return Step{Params: p.numbered()}, true
	case query.PagingOffset:
		if r.Limit > 0 {
			p.offset += r.Limit
		} else {
			p.offset += n
		}
		return Step{Params: p.numbered()}, true
	}
	p.stop = "This query has one page: set its paging in the editor to load more"
	return Step{}, false
}

// rowsOf finds a page's rows: where the query's result shape says, else on the first page as the table does
// and on the others at the same place.
func (p *Pager) rowsOf(ctx context.Context, body []byte) [][]byte {
	opt := jsonview.TableOptions{Path: p.path}
	if p.pages > 0 && opt.Path == "" {
		opt.Path = jsonview.TopLevel
	}
	t, err := jsonview.FindTable(ctx, body, opt)
	if err != nil {
		return nil
	}
	if p.pages == 0 && p.path == "" {
		p.path = t.Path()
	}
	return t.Elements()
}

// valueAt is the raw JSON value at path in body: keys joined by dots ("" is the body), a number picking an
// element of an array.
func valueAt(body []byte, path string) (json.RawMessage, bool) {
	cur := json.RawMessage(body)
	if path == "" {
		return cur, json.Valid(body)
	}
	for _, key := range strings.Split(path, ".") {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(cur, &obj); err == nil {
			v, ok := obj[key]
			if !ok {
				return nil, false
			}
			cur = v
			continue
		}
		var arr []json.RawMessage
		i, err := strconv.Atoi(key)
		if err != nil || json.Unmarshal(cur, &arr) != nil || i < 0 || i >= len(arr) {
			return nil, false
		}
		cur = arr[i]
	}
	return cur, true
}

// cursorText is a cursor's text: a string's, or a number as written; "" for null. ok is false for any other
// value.
func cursorText(raw json.RawMessage) (string, bool) {
	var v any
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	if len(raw) == 0 || d.Decode(&v) != nil {
		return "", len(raw) == 0
	}
	switch c := v.(type) {
	case nil:
		return "", true
	case string:
		return c, true
	case json.Number:
		return c.String(), true
	}
	return "", false
}

// resolve resolves a Link's target against the address of the answer that carried it (RFC 3986 §5).
func resolve(base, target string) (*url.URL, error) {
	ref, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	b, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	u := b.ResolveReference(ref)
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, errors.New("not a web address")
	}
	u.Fragment = ""
	return u, nil
}

// sameOrigin reports whether b is on a's origin: the same host and port, and scheme (or http upgraded to https
// on the default ports), as the runner lets credentials go.
func sameOrigin(a, b *url.URL) bool {
	if !strings.EqualFold(a.Hostname(), b.Hostname()) {
		return false
	}
	as, bs := strings.ToLower(a.Scheme), strings.ToLower(b.Scheme)
	if as == bs {
		return resource.Port(a) == resource.Port(b)
	}
	return as == "http" && bs == "https" && resource.Port(a) == "80" && resource.Port(b) == "443"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
