package jsonview

import (
	"apidesk/engine/query"
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

// TopLevel is the TableOptions.Path of the body itself, when the body is an array.
const TopLevel = "."

// TableOptions tune FindTable. The zero value is ready to use.
type TableOptions struct {
	// Partial says the body is only the start of the response: the rows that are complete are shown.
	Partial bool
	// MaxRows, MaxColumns and MaxCellLen default to DefaultMaxRows, DefaultMaxColumns and DefaultMaxCellLen.
	MaxRows, MaxColumns, MaxCellLen int
	// Path says where the rows are: TopLevel for the body itself, keys joined by dots ("data.items") for an
	// array inside it, or "" to let FindTable choose (see Arrays).
	Path string
	// Columns, when given, are the columns shown, in this order, with their labels; the rows' other keys are
	// left out. Without them every key is a column, in the order the keys first appear.
	Columns []Column
}

// Column is a column chosen for a table: the key it shows and its header (the key when Label is empty). The
// key ValueColumn shows the elements that are not objects.
type Column struct {
	Key, Label string
}

// Table is a JSON array shown as rows and columns: the body itself, or the first array found inside it. Its
// rows are offsets into the body, read only when a cell is asked for, so a large array costs one scan. Its
// columns are the union of the objects' keys in the order they first appear. A Table does not change once
// made (Sort makes another), so any goroutine may read it; the body must not change while it is in use.
type Table struct {
	src      []byte
	path     string
	columns  []string       // the headers shown
	keys     []string       // the key each column shows
	colIdx   map[string]int // a column by its key
	fixed    bool           // the columns were chosen (TableOptions.Columns): keys add none
	rows     []span         // the elements' bytes in src
	order    []int32
	valueCol int // the ValueColumn's index, or -1
	sortCol  int
	desc     bool
	notes    []string
	cellLen  int
}

type span struct{ start, end int32 }

// FindTable finds the array to show as a table: the one at opt.Path, or, without a path, the body when it is an
// array, else the first of Arrays when it holds objects (an object whose arrays hold only texts or numbers, such
// as an echo service's header lists, is one record, not a table). It returns ErrNoTable when there is none, or
// an error saying the body is not valid JSON or has no array at the path.
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
	var start int
	switch {
	case opt.Path == "":
		arrays, err := t.arrays(ctx, i)
		if err != nil {
			return nil, err
		}
		if len(arrays) == 0 || !arrays[0].Objects && arrays[0].Path != "" {
			return nil, ErrNoTable
		}
		start, t.path = arrays[0].start, arrays[0].Path
	case opt.Path == TopLevel:
		if i >= len(body) || body[i] != '[' {
			return nil, fmt.Errorf("%w: the body is not a list", ErrNoTable)
		}
		start = i
	default:
		var ok bool
		if start, ok = t.lookup(i, opt.Path); !ok {
			return nil, fmt.Errorf("%w: the body has no list at %s", ErrNoTable, opt.Path)
		}
		t.path = opt.Path
	}
	t.chooseColumns(opt.Columns)
	if err := t.indexRows(ctx, start, opt); err != nil {
		return nil, err
	}
	return t, nil
}

// Array is an array in a body that could be shown as a table.
type Array struct {
	// Path is where it is: "" for the body itself, else the keys leading to it ("data.items").
	Path string
	// Len is how many elements it has (the complete ones, in a body cut short).
	Len int
	// Objects says its first element is an object: its elements are records, with keys for columns.
	Objects bool

	start int
}

// Arrays lists the arrays of body that could be shown as a table, best first: the body itself when it is an
// array (then nothing else); else the non-empty arrays in its objects, up to 4 levels deep: arrays of objects
// before arrays of other values, each kind longest first, then the shallowest, then in document order. A body
// that is not JSON has none.
func Arrays(ctx context.Context, body []byte) ([]Array, error) {
	if len(body) > maxText {
		body = body[:maxText]
	}
	t := &Table{src: body}
	i := skipSpace(body, 0)
	if i < len(body) && body[i] == '\xef' {
		i = skipSpace(body, i+3)
	}
	return t.arrays(ctx, i)
}

// arrays is Arrays of the value at src[i].
func (t *Table) arrays(ctx context.Context, i int) ([]Array, error) {
	src := t.src
	if i >= len(src) {
		return nil, nil
	}
	if src[i] == '[' {
		n, objects := t.countElements(i)
		return []Array{{Len: n, Objects: objects, start: i}}, nil
	}
	if src[i] != '{' {
		return nil, nil
	}
	type object struct {
		start int
		path  string
	}
	var found []Array
	level := []object{{i, ""}}
	for depth := 0; depth < maxFindDepth && len(level) > 0; depth++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("finding the table stopped: %w", err)
		}
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
					if n, objects := t.countElements(vs); n > 0 {
						found = append(found, Array{Path: p, Len: n, Objects: objects, start: vs})
					}
				}
				return true
			})
		}
		level = next
	}
	slices.SortStableFunc(found, func(a, b Array) int {
		if a.Objects != b.Objects {
			if a.Objects {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Len, a.Len)
	})
	return found, nil
}

// countElements is how many complete elements the array at src[start] has, and whether the first is an object.
func (t *Table) countElements(start int) (n int, objects bool) {
	src := t.src
	i := skipSpace(src, start+1)
	objects = i < len(src) && src[i] == '{'
	for i < len(src) && src[i] != ']' {
		end, complete := skipValue(src, i)
		if !complete {
			break
		}
		n++
		i = skipSpace(src, end)
		if i < len(src) && src[i] == ',' {
			i = skipSpace(src, i+1)
		}
	}
	return n, objects
}

// lookup finds the array at path (keys joined by dots) from the object at src[i].
func (t *Table) lookup(i int, path string) (start int, ok bool) {
	src := t.src
	for _, key := range strings.Split(path, ".") {
		if i >= len(src) || src[i] != '{' {
			return 0, false
		}
		next := -1
		t.members(i, func(k []byte, vs, _ int) bool {
			if string(k) == key || unescapeKey(k) == key {
				next = vs
				return false
			}
			return true
		})
		if next < 0 {
			return 0, false
		}
		i = next
	}
	return i, i < len(src) && src[i] == '['
}

// chooseColumns sets the columns chosen in TableOptions.Columns, if any.
func (t *Table) chooseColumns(cols []Column) {
	for _, c := range cols {
		if _, dup := t.colIdx[c.Key]; dup || c.Key == "" {
			continue
		}
		label := c.Label
		if label == "" {
			label = c.Key
		}
		t.colIdx[c.Key] = len(t.columns)
		if c.Key == ValueColumn {
			t.valueCol = len(t.columns)
		}
		t.columns = append(t.columns, label)
		t.keys = append(t.keys, c.Key)
	}
	t.fixed = len(t.columns) > 0
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
		switch {
		case t.fixed: // the columns were chosen: keys add none
		case src[i] == '{':
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
				t.keys = append(t.keys, k)
				return true
			})
		case t.valueCol < 0 && len(t.columns) < opt.MaxColumns:
			t.valueCol = len(t.columns)
			t.columns = append(t.columns, ValueColumn)
			t.keys = append(t.keys, ValueColumn)
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

// Columns are the column headers; callers must not change them.
func (t *Table) Columns() []string { return t.columns }

// Keys are the key each column shows (ValueColumn for elements that are not objects); callers must not change
// them.
func (t *Table) Keys() []string { return t.keys }

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

// ResultOptions are the options that show a table as a query's saved result shape says: its rows at r.Rows
// (TopLevel when it is ""), its columns with their labels. A nil r lets FindTable choose.
func ResultOptions(r *query.Result) TableOptions {
	if r == nil {
		return TableOptions{}
	}
	opt := TableOptions{Path: r.Rows}
	if opt.Path == "" {
		opt.Path = TopLevel
	}
	for _, c := range r.Columns {
		opt.Columns = append(opt.Columns, Column{Key: c.Key, Label: c.Label})
	}
	return opt
}
