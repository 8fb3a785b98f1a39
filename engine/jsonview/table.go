package jsonview

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"
)

// Defaults of TableOptions.
const (
	// DefaultMaxRows keeps a table below the heights where float32 coordinates stop placing rows exactly.
	DefaultMaxRows = 1_000_000
	// DefaultMaxColumns bounds the columns: keys past it are left out.
	DefaultMaxColumns = 200
	// DefaultMaxCellLen is how many characters of a value a cell shows.
	DefaultMaxCellLen = 200
	// maxFindDepth is how deep inside objects FindTable looks for an array.
	maxFindDepth = 4
)

// ValueColumn names the column that shows array elements which are not objects.
const ValueColumn = "(value)"

// ErrNoTable is returned by FindTable for a body with no JSON array in it.
var ErrNoTable = errors.New("this body has no JSON array to show as a table")

// TableOptions tune FindTable. The zero value is ready to use.
type TableOptions struct {
	// Partial says the body is only the start of the response: the rows that are complete are shown.
	Partial bool
	// MaxRows, MaxColumns and MaxCellLen default to DefaultMaxRows, DefaultMaxColumns and DefaultMaxCellLen.
	MaxRows, MaxColumns, MaxCellLen int
}

// Table is a JSON array shown as rows and columns: the body itself, or the first array found inside it. Its
// rows are offsets into the body, read only when a cell is asked for, so a large array costs one scan. Its
// columns are the union of the objects' keys in the order they first appear. A Table does not change once
// made (Sort makes another), so any goroutine may read it; the body must not change while it is in use.
type Table struct {
	src      []byte
	path     string
	columns  []string
	colIdx   map[string]int
	rows     []span // the elements' bytes in src
	order    []int32
	valueCol int // the ValueColumn's index, or -1
	sortCol  int
	desc     bool
	notes    []string
	cellLen  int
}

type span struct{ start, end int32 }

// FindTable finds the array to show as a table: the body when it is an array, else the first array of objects
// found in its objects (the shallowest first, in document order), else the first non-empty array found. It
// returns ErrNoTable when there is none, or an error saying the body is not valid JSON.
func FindTable(ctx context.Context, body []byte, opt TableOptions) (*Table, error) {
	if opt.MaxRows <= 0 {
		opt.MaxRows = DefaultMaxRows
	}
	if opt.MaxColumns <= 0 {
		opt.MaxColumns = DefaultMaxColumns
	}
	if opt.MaxCellLen <= 0 {
		opt.MaxCellLen = DefaultMaxCellLen
	}
	if len(body) > maxText {
		body = body[:maxText]
		opt.Partial = true
	}
	if !gojson.Valid(body) && !(opt.Partial && endsEarly(body)) {
		return nil, fmt.Errorf("%w: the body is not valid JSON", ErrNoTable)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("finding the table stopped: %w", err)
	}
	i := skipSpace(body, 0)
	if i < len(body) && body[i] == '\xef' { // a byte order mark
		i = skipSpace(body, i+3)
	}
	t := &Table{src: body, valueCol: -1, sortCol: -1, cellLen: opt.MaxCellLen, colIdx: map[string]int{}}
	start, path, ok := t.findArray(i)
	if !ok {
		return nil, ErrNoTable
	}
	t.path = path
	if err := t.indexRows(ctx, start, opt); err != nil {
		return nil, err
	}
	return t, nil
}

// findArray finds where the array to show starts.
func (t *Table) findArray(i int) (start int, path string, ok bool) {
	src := t.src
	if i >= len(src) {
		return 0, "", false
	}
	if src[i] == '[' {
		return i, "", true
	}
	if src[i] != '{' {
		return 0, "", false
	}
	type object struct {
		start int
		path  string
	}
	level := []object{{i, ""}}
	anyStart, anyPath := -1, ""
	for depth := 0; depth < maxFindDepth && len(level) > 0; depth++ {
		var next []object
		for _, obj := range level {
			t.members(obj.start, func(key []byte, vs, _ int) bool {
				p := unescapeKey(key)
				if obj.path != "" {
					p = obj.path + "." + p
				}
				switch src[vs] {
				case '{':
					next = append(next, object{vs, p})
				case '[':
					first := skipSpace(src, vs+1)
					if first < len(src) && src[first] == '{' {
						start, path, ok = vs, p, true
						return false
					}
					if anyStart < 0 && first < len(src) && src[first] != ']' {
						anyStart, anyPath = vs, p
					}
				}
				return true
			})
			if ok {
				return start, path, true
			}
		}
		if anyStart >= 0 {
			return anyStart, anyPath, true
		}
		level = next
	}
	return 0, "", false
}

// indexRows records each element of the array at start and the columns their keys make.
func (t *Table) indexRows(ctx context.Context, start int, opt TableOptions) error {
	src := t.src
	i := skipSpace(src, start+1)
	tooMany := false
	for i < len(src) && src[i] != ']' {
		if len(t.rows) == opt.MaxRows {
			t.notes = append(t.notes, fmt.Sprintf("Showing the first %s rows.", thousands(opt.MaxRows)))
			break
		}
		end, complete := skipValue(src, i)
		if !complete {
			break // the body is cut short inside this element
		}
		t.rows = append(t.rows, span{int32(i), int32(end)})
		if len(t.rows)%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("finding the table stopped: %w", err)
			}
		}
		if src[i] == '{' {
			t.members(i, func(key []byte, _, _ int) bool {
				if _, ok := t.colIdx[string(key)]; ok {
					return true
				}
				k := unescapeKey(key)
				if _, ok := t.colIdx[k]; ok {
					return true
				}
				if len(t.columns) >= opt.MaxColumns {
					tooMany = true
					return true
				}
				t.colIdx[k] = len(t.columns)
				t.columns = append(t.columns, k)
				return true
			})
		} else if t.valueCol < 0 && len(t.columns) < opt.MaxColumns {
			t.valueCol = len(t.columns)
			t.columns = append(t.columns, ValueColumn)
		}
		i = skipSpace(src, end)
		if i < len(src) && src[i] == ',' {
			i = skipSpace(src, i+1)
		}
	}
	if opt.Partial && (i >= len(src) || src[i] != ']') && len(t.notes) == 0 {
		t.notes = append(t.notes, fmt.Sprintf("The body is cut short: showing the %s rows that are complete.", thousands(len(t.rows))))
	}
	if tooMany {
		t.notes = append(t.notes, fmt.Sprintf("Showing the first %d columns.", opt.MaxColumns))
	}
	return nil
}

// members calls fn with each member of the object at src[start] (its raw key, and its value's bounds) until
// fn returns false. In a body cut short, the last value given may be incomplete.
func (t *Table) members(start int, fn func(key []byte, vs, ve int) bool) {
	src := t.src
	j := skipSpace(src, start+1)
	for j < len(src) && src[j] == '"' {
		kEnd, closed := stringEnd(src, j)
		if !closed {
			return
		}
		key := src[j+1 : kEnd-1]
		j = skipSpace(src, kEnd)
		if j >= len(src) || src[j] != ':' {
			return
		}
		vs := skipSpace(src, j+1)
		if vs >= len(src) {
			return
		}
		ve, complete := skipValue(src, vs)
		if !fn(key, vs, ve) || !complete {
			return
		}
		j = skipSpace(src, ve)
		if j < len(src) && src[j] == ',' {
			j = skipSpace(src, j+1)
		}
	}
}

// Path says where the array is: "" for the body itself, else the keys leading to it, like "data.items".
func (t *Table) Path() string { return t.path }

// Columns are the column names; callers must not change them.
func (t *Table) Columns() []string { return t.columns }

// Rows is the number of rows.
func (t *Table) Rows() int { return len(t.rows) }

// Notes are sentences the reader should see above the table (rows or columns left out).
func (t *Table) Notes() []string { return t.notes }

// SortedBy is the column the rows are sorted by (-1 when they are in the body's order) and the direction.
func (t *Table) SortedBy() (col int, desc bool) { return t.sortCol, t.desc }

// element is the bytes of the element shown as row r.
func (t *Table) element(r int) []byte {
	if t.order != nil {
		r = int(t.order[r])
	}
	s := t.rows[r]
	return t.src[s.start:s.end]
}

// RawRow fills dst (grown to len(Columns)) with the raw JSON of row r's cells, nil where a row has no such
// key, in one pass over the row.
func (t *Table) RawRow(r int, dst [][]byte) [][]byte {
	dst = slices.Grow(dst[:0], len(t.columns))[:len(t.columns)]
	clear(dst)
	el := t.element(r)
	if el[0] != '{' {
		if t.valueCol >= 0 {
			dst[t.valueCol] = el
		}
		return dst
	}
	off := t.offset(r)
	t.members(off, func(key []byte, vs, ve int) bool {
		c, ok := t.colIdx[string(key)]
		if !ok {
			c, ok = t.colIdx[unescapeKey(key)]
		}
		if ok && dst[c] == nil {
			dst[c] = t.src[vs:ve]
		}
		return true
	})
	return dst
}

// offset is where row r starts in src.
func (t *Table) offset(r int) int {
	if t.order != nil {
		r = int(t.order[r])
	}
	return int(t.rows[r].start)
}

// Raw is the raw JSON of the cell at row r, column c, or nil when the row has no such key.
func (t *Table) Raw(r, c int) []byte { return t.rawCell(r, c) }

// rawCell is Raw, reading the row only as far as the column's key.
func (t *Table) rawCell(r, c int) []byte {
	el := t.element(r)
	if el[0] != '{' {
		if c == t.valueCol {
			return el
		}
		return nil
	}
	var found []byte
	t.members(t.offset(r), func(key []byte, vs, ve int) bool {
		k, ok := t.colIdx[string(key)]
		if !ok {
			k, ok = t.colIdx[unescapeKey(key)]
		}
		if ok && k == c {
			found = t.src[vs:ve]
			return false
		}
		return true
	})
	return found
}

// CellText is how a cell shows a raw JSON value on one line: a string without quotes or escapes, other values
// as compact JSON, cut to MaxCellLen characters ("…" at the cut); "" for a missing value.
func (t *Table) CellText(raw []byte) string {
	if raw == nil {
		return ""
	}
	var b []byte
	switch raw[0] {
	case '"':
		b = []byte(unquote(raw))
	case '{', '[':
		var buf bytes.Buffer
		if json.Compact(&buf, raw) != nil {
			b = raw
		} else {
			b = buf.Bytes()
		}
	default:
		b = raw
	}
	s, used := Display(b, t.cellLen)
	if used < len(b) {
		s += "…"
	}
	return s
}

// Cell is CellText of the cell at row r, column c.
func (t *Table) Cell(r, c int) string { return t.CellText(t.Raw(r, c)) }

// Value is the whole value of a cell, to show on request: a string without quotes or escapes, an object or
// array pretty-printed, other values as written; "" for a missing value.
func (t *Table) Value(r, c int) string {
	raw := t.Raw(r, c)
	switch {
	case raw == nil:
		return ""
	case raw[0] == '"':
		return unquote(raw)
	case raw[0] == '{' || raw[0] == '[':
		var buf bytes.Buffer
		if json.Indent(&buf, raw, "", "  ") == nil {
			return buf.String()
		}
	}
	return string(raw)
}

// Sort returns the table with its rows sorted by column c, descending when desc is set. Numbers (and strings
// that are numbers) sort by value before other strings, which sort by their text ignoring case with runs of
// digits compared as numbers ("item 9" before "item 10"); then true/false, objects and arrays; rows without
// the value, or with null, come last either way. Rows that compare equal keep the body's order.
func (t *Table) Sort(ctx context.Context, c int, desc bool) (*Table, error) {
	if c < 0 || c >= len(t.columns) {
		return nil, fmt.Errorf("sorting the table: there is no column %d", c)
	}
	n := len(t.rows)
	keys := make([]sortKey, n)
	natural := *t
	natural.order = nil
	for r := range n {
		if r%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("sorting the table stopped: %w", err)
			}
		}
		keys[r] = makeSortKey(natural.rawCell(r, c))
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		ka, kb := &keys[a], &keys[b]
		if ka.kind != kb.kind {
			return cmp.Compare(ka.kind, kb.kind)
		}
		var r int
		switch ka.kind {
		case kindNumber:
			r = cmp.Compare(ka.num, kb.num)
		case kindMissing:
			return 0
		default:
			r = naturalCompare(ka.str, kb.str)
		}
		if desc {
			r = -r
		}
		return r
	})
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("sorting the table stopped: %w", err)
	}
	sorted := natural
	sorted.order, sorted.sortCol, sorted.desc = order, c, desc
	return &sorted, nil
}

// The kinds of sort key, in the order they sort.
const (
	kindNumber = iota
	kindString
	kindBool
	kindNested
	kindMissing // null or no value
)

type sortKey struct {
	kind int
	num  float64
	str  string
}

func makeSortKey(raw []byte) sortKey {
	if len(raw) == 0 {
		return sortKey{kind: kindMissing}
	}
	switch raw[0] {
	case 'n':
		return sortKey{kind: kindMissing}
	case 't', 'f':
		return sortKey{kind: kindBool, str: string(raw)}
	case '{', '[':
		return sortKey{kind: kindNested, str: string(raw)}
	case '"':
		s := unquote(raw)
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && looksNumeric(s) {
			return sortKey{kind: kindNumber, num: f, str: s}
		}
		return sortKey{kind: kindString, str: strings.ToLower(s)}
	default:
		f, _ := strconv.ParseFloat(string(raw), 64)
		return sortKey{kind: kindNumber, num: f}
	}
}

// looksNumeric rules out what ParseFloat takes that a person would not call a number ("Inf", "NaN", "0x1p3").
func looksNumeric(s string) bool {
	s = strings.TrimSpace(s)
	for i := range len(s) {
		c := s[i]
		if !('0' <= c && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return false
		}
	}
	return s != ""
}

// naturalCompare compares a and b with runs of ASCII digits compared by their value.
func naturalCompare(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			da := strings.TrimLeft(a[si:i], "0")
			db := strings.TrimLeft(b[sj:j], "0")
			if r := cmp.Compare(len(da), len(db)); r != 0 {
				return r
			}
			if r := strings.Compare(da, db); r != 0 {
				return r
			}
			continue
		}
		if ca != cb {
			return cmp.Compare(ca, cb)
		}
		i++
		j++
	}
	return cmp.Compare(len(a)-i, len(b)-j)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// skipValue is the index after the JSON value at src[i], and whether the value is complete.
func skipValue(src []byte, i int) (end int, complete bool) {
	switch src[i] {
	case '"':
		return stringEnd(src, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(src); {
			switch src[j] {
			case '"':
				j, _ = stringEnd(src, j)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			}
			j++
		}
		return len(src), false
	default:
		j := i + 1
		for j < len(src) && !isDelim(src[j]) {
			j++
		}
		return j, j < len(src) // a number at the very end may be cut short
	}
}

func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// unescapeKey is an object key without its JSON escapes.
func unescapeKey(key []byte) string {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key)
	}
	var s string
	if json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &s) != nil {
		return string(key)
	}
	return s
}

// unquote is a JSON string's text; raw includes the quotes.
func unquote(raw []byte) string {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return strings.Trim(string(raw), `"`)
	}
	return s
}
