package query

import (
	"errors"
	"fmt"
	"strings"

	"apidesk/engine/resource"
)

// PagingKind is how an API hands out a long list one page at a time.
type PagingKind string

// The kinds of paging. The zero value is none: the query's answer is one page.
const (
	PagingNone   PagingKind = ""
	PagingLink   PagingKind = "link"   // a Link: <…>; rel="next" header names the next page (RFC 8288)
	PagingCursor PagingKind = "cursor" // a value in the answer (CursorPath) is sent as a param (Param) for the next page
	PagingPage   PagingKind = "page"   // a page number param, counting from Start
	PagingOffset PagingKind = "offset" // an offset param, from Start, advancing by the page size
)

// PagingKinds lists the kinds in the order a form offers them.
var PagingKinds = []PagingKind{PagingNone, PagingLink, PagingCursor, PagingPage, PagingOffset}

// Words names a kind for a person.
func (k PagingKind) Words() string {
	switch k {
	case PagingNone:
		return "One page only"
	case PagingLink:
		return "Link header (next page's address)"
	case PagingCursor:
		return "Cursor from the answer"
	case PagingPage:
		return "Page number"
	case PagingOffset:
		return "Offset and limit"
	}
	return string(k)
}

// Paging says how a query's API pages, so its rows can be loaded page after page.
type Paging struct {
	Kind PagingKind
	// CursorPath is where the next page's cursor is in an answer (cursor): keys joined by dots, like
	// meta.next_cursor (a number picks an array's element).
	CursorPath string
	// Param is the URL param that carries the cursor (cursor), the page number (page) or the offset (offset).
	Param string
	// Start is the first page's number (page, usually 1) or offset (offset, usually 0).
	Start int
	// LimitParam, when set, is the URL param that carries the page size (page, offset), sent as Limit.
	LimitParam string
	// Limit is the page size (page, offset). An offset advances by it; without it, by the rows a page had.
	Limit int
}

// Pages reports whether the query's answer may be followed by more pages.
func (p Paging) Pages() bool { return p.Kind != PagingNone }

// Validate says what is wrong with a paging rule, naming the fields as Validate does ("paging.param").
func (p Paging) Validate() resource.Errors {
	var es resource.Errors
	add := func(field string, err error) {
		es = append(es, resource.FieldError{Field: "paging." + field, Msg: err.Error()})
	}
	needParam := func(what string) {
		if strings.TrimSpace(p.Param) == "" {
			add("param", fmt.Errorf("Name the URL parameter that carries the %s", what))
		} else if err := resource.ValidateParamName(p.Param); err != nil {
			add("param", err)
		}
	}
	switch p.Kind {
	case PagingNone, PagingLink:
	case PagingCursor:
		if strings.TrimSpace(p.CursorPath) == "" {
			add("cursor_path", errors.New("Say where the next cursor is in the answer, for example meta.next_cursor"))
		} else if strings.Contains(p.CursorPath, "..") || strings.HasPrefix(p.CursorPath, ".") || strings.HasSuffix(p.CursorPath, ".") {
			add("cursor_path", fmt.Errorf("%q is not a path: write keys joined by dots, for example meta.next_cursor", p.CursorPath))
		}
		needParam("cursor")
	case PagingPage, PagingOffset:
		what := "page number"
		if p.Kind == PagingOffset {
			what = "offset"
		}
		needParam(what)
		if p.Start < 0 {
			add("start", fmt.Errorf("The first %s cannot be below 0", what))
		}
		if p.Limit < 0 {
			add("limit", errors.New("The page size cannot be below 0"))
		}
		if p.LimitParam != "" && p.Limit == 0 {
			add("limit", fmt.Errorf("Give the page size to send as %s", p.LimitParam))
		}
		if p.LimitParam != "" {
			if err := resource.ValidateParamName(p.LimitParam); err != nil {
				add("limit_param", err)
			}
		}
	default:
		add("kind", fmt.Errorf("Unknown kind of paging %q: choose link, cursor, page or offset", p.Kind))
	}
	return es
}
