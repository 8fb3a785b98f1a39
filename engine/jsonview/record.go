package jsonview

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"
)

// Limits of a Record.
const (
	// DefaultMaxFields bounds the fields of a record: the ones past it are left out, with a note.
	DefaultMaxFields = 5000
	// maxIndexed is how many elements of an array of objects (or of arrays) a record lists, as path[i].key.
	maxIndexed = 10
	// maxListed is how many values of an array of texts or numbers a record writes on its line.
	maxListed = 20
	// maxRecordDepth is how deep a record goes into objects; a value deeper is shown as compact JSON.
	maxRecordDepth = 8
)

// ErrNoRecord is returned by FindRecord for a body that is not one JSON object.
var ErrNoRecord = errors.New("this body is not a single JSON object")

// Field is one line of a record: where the value is ("address.city", "items[0].sku") and its text on one line
// (a text without quotes, a list of texts or numbers joined by commas, a count for a list of objects).
type Field struct {
	Path, Text string
}

// Record is a JSON object shown as fields: its nested objects flattened into dotted paths, its lists of plain
// values written on one line, its lists of objects indexed.
type Record struct {
	Fields []Field
	// Notes are sentences the reader should see above the fields (fields left out).
	Notes []string
}

// FindRecord reads body, a JSON object, as a Record. It returns ErrNoRecord (wrapped) when the body is anything
// else: an array, a scalar, or not JSON.
func FindRecord(ctx context.Context, body []byte) (*Record, error) {
	if len(body) > maxText || !gojson.Valid(body) {
		return nil, ErrNoRecord
	}
	i := skipSpace(body, 0)
	if i < len(body) && body[i] == '\xef' {
		i = skipSpace(body, i+3)
	}
	if i >= len(body) || body[i] != '{' {
		return nil, ErrNoRecord
	}
	f := &flattener{t: &Table{src: body}, ctx: ctx}
	f.object(i, "", 0)
	if f.err != nil {
		return nil, f.err
	}
	r := &Record{Fields: f.fields}
	if f.full {
		r.Notes = append(r.Notes, fmt.Sprintf("Showing the first %s fields.", thousands(DefaultMaxFields)))
	}
	return r, nil
}

type flattener struct {
	t      *Table
	ctx    context.Context
	fields []Field
	full   bool // DefaultMaxFields were reached
	err    error
}

func (f *flattener) add(path, text string) bool {
	if len(f.fields) >= DefaultMaxFields {
		f.full = true
		return false
	}
	if len(f.fields)%1024 == 1023 {
		if err := f.ctx.Err(); err != nil {
			f.err = fmt.Errorf("reading the fields stopped: %w", err)
			return false
		}
	}
	f.fields = append(f.fields, Field{path, text})
	return true
}

// object adds the members of the object at src[i], their paths under prefix.
func (f *flattener) object(i int, prefix string, depth int) bool {
	ok := true
	empty := true
	f.t.members(i, func(key []byte, vs, ve int) bool {
		empty = false
		p := unescapeKey(key)
		if prefix != "" {
			p = prefix + "." + p
		}
		ok = f.value(vs, ve, p, depth+1)
		return ok
	})
	if empty && prefix != "" {
		return f.add(prefix, "(empty)")
	}
	return ok
}

// value adds the value at src[vs:ve], found at path.
func (f *flattener) value(vs, ve int, path string, depth int) bool {
	src := f.t.src
	raw := src[vs:ve]
	switch {
	case depth > maxRecordDepth && (raw[0] == '{' || raw[0] == '['):
		return f.add(path, f.t.CellText(raw))
	case raw[0] == '{':
		return f.object(vs, path, depth)
	case raw[0] == '[':
		return f.array(vs, path, depth)
	}
	return f.add(path, plainText(raw))
}

// array adds the array at src[i]: its plain values on one line, or its objects and arrays indexed.
func (f *flattener) array(i int, path string, depth int) bool {
	src := f.t.src
	var elems [][2]int
	nested := false
	for j := skipSpace(src, i+1); j < len(src) && src[j] != ']'; {
		end, _ := skipValue(src, j)
		elems = append(elems, [2]int{j, end})
		nested = nested || src[j] == '{' || src[j] == '['
		j = skipSpace(src, end)
		if j < len(src) && src[j] == ',' {
			j = skipSpace(src, j+1)
		}
	}
	switch {
	case len(elems) == 0:
		return f.add(path, "(empty list)")
	case !nested:
		var parts []string
		for _, e := range elems[:min(len(elems), maxListed)] {
			parts = append(parts, plainText(src[e[0]:e[1]]))
		}
		text := strings.Join(parts, ", ")
		if len(elems) > maxListed {
			text += fmt.Sprintf(" … and %s more", thousands(len(elems)-maxListed))
		}
		return f.add(path, text)
	}
	summary := count(len(elems), "item", "items")
	if len(elems) > maxIndexed {
		summary += fmt.Sprintf(" (the first %d shown)", maxIndexed)
	}
	if !f.add(path, summary) {
		return false
	}
	for n, e := range elems[:min(len(elems), maxIndexed)] {
		if !f.value(e[0], e[1], path+"["+strconv.Itoa(n)+"]", depth) {
			return false
		}
	}
	return true
}

// plainText is a scalar's text: a string without quotes or escapes, other values as written.
func plainText(raw []byte) string {
	if len(raw) > 0 && raw[0] == '"' {
		return unquote(raw)
	}
	return string(raw)
}

// count says how many of a thing there are: "1 item", "3 items".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}
