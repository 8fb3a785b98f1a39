package insomnia

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"apidesk/engine/imports"
)

// node is a value of the document, JSON or YAML, with the line it starts on.
type node struct {
	line   int
	kind   kind
	value  string // a scalar's, as written (a number's digits, true, false)
	items  []*node
	keys   []string // an object's, in order
	fields map[string]*node
}

type kind int

const (
	null kind = iota
	scalar
	list
	object
)

// maxDepth bounds how deeply a document nests.
const maxDepth = 200

// maxNodes bounds the values a YAML document may expand into through its aliases.
const maxNodes = 5_000_000

func formatErr(where, msg string) error {
	return &imports.FormatError{Format: "an Insomnia export", Where: where, Msg: msg}
}

func lineWhere(line int) string {
	if line <= 0 {
		return ""
	}
	return fmt.Sprintf("line %d", line)
}

// get returns the field key of an object, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != object {
		return nil
	}
	return n.fields[key]
}

// str returns a scalar's text ("" for anything else).
func (n *node) str() string {
	if n == nil || n.kind != scalar {
		return ""
	}
	return n.value
}

// text is the text of field key.
func (n *node) text(key string) string { return n.get(key).str() }

// bool reports whether field key is true.
func (n *node) bool(key string) bool { return n.get(key).str() == "true" }

// num is field key as a number, 0 when it is none.
func (n *node) num(key string) float64 {
	f, _ := strconv.ParseFloat(n.text(key), 64)
	return f
}

// list returns a list's items (nil for anything else).
func (n *node) list() []*node {
	if n == nil || n.kind != list {
		return nil
	}
	return n.items
}

// flat returns the values of an object, nested objects flattened with dotted names (a.b), lists written as
// JSON; values are read by read (which converts templates).
func (n *node) flat(prefix string, out map[string]string) {
	if n == nil || n.kind != object {
		return
	}
	for _, k := range n.keys {
		v := n.fields[k]
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		switch v.kind {
		case object:
			v.flat(name, out)
		case list:
			b, _ := json.Marshal(v.plain())
			out[name] = string(b)
		case scalar:
			out[name] = v.value
		default:
			out[name] = ""
		}
	}
}

// plain returns the value as Go values, for writing as JSON.
func (n *node) plain() any {
	switch n.kind {
	case scalar:
		return n.value
	case list:
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = it.plain()
		}
		return out
	case object:
		out := map[string]any{}
		for k, v := range n.fields {
			out[k] = v.plain()
		}
		return out
	}
	return nil
}

// parse reads a JSON or YAML document.
func parse(data []byte) (*node, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	trimmed = bytes.TrimPrefix(trimmed, []byte("\ufeff"))
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return parseJSON(data)
	}
	return parseYAML(data)
}

// lines maps byte offsets to line numbers.
type lines []int // the offset each line starts at

func newLines(data []byte) lines {
	ls := lines{0}
	for i, c := range data {
		if c == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

func (ls lines) at(off int) int { return sort.Search(len(ls), func(i int) bool { return ls[i] > off }) }

func parseJSON(data []byte) (*node, error) {
	ls := newLines(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	start := func(before int) int { // where the token that follows before starts
		for before < len(data) && strings.IndexByte(" \t\r\n,:", data[before]) >= 0 {
			before++
		}
		return ls.at(before)
	}
	var read func(depth int) (*node, error)
	read = func(depth int) (*node, error) {
		if depth > maxDepth {
			return nil, formatErr(lineWhere(start(int(dec.InputOffset()))), "it nests too deeply")
		}
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err, ls, data)
		}
		n := &node{line: start(before)}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				n.kind, n.fields = object, map[string]*node{}
				for dec.More() {
					kt, err := dec.Token()
					if err != nil {
						return nil, jsonErr(err, ls, data)
					}
					key, _ := kt.(string)
					val, err := read(depth + 1)
					if err != nil {
						return nil, err
					}
					if _, dup := n.fields[key]; !dup {
						n.keys = append(n.keys, key)
					}
					n.fields[key] = val
				}
			case '[':
				n.kind = list
				for dec.More() {
					val, err := read(depth + 1)
					if err != nil {
						return nil, err
					}
					n.items = append(n.items, val)
				}
			default:
				return nil, formatErr(lineWhere(n.line), fmt.Sprintf("%c is not expected here", v))
			}
			if _, err := dec.Token(); err != nil {
				return nil, jsonErr(err, ls, data)
			}
		case string:
			n.kind, n.value = scalar, v
		case json.Number:
			n.kind, n.value = scalar, v.String()
		case bool:
			n.kind, n.value = scalar, strconv.FormatBool(v)
		case nil:
			n.kind = null
		}
		return n, nil
	}
	root, err := read(0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, formatErr(lineWhere(start(int(dec.InputOffset()))), "more follows the end of the document")
	}
	return root, nil
}

func jsonErr(err error, ls lines, data []byte) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := max(int(se.Offset)-1, 0)
		return formatErr(lineWhere(ls.at(min(off, len(data)))), "the JSON is not valid here ("+strings.TrimPrefix(se.Error(), "invalid character ")+")")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return formatErr(lineWhere(len(ls)), "the document ends too early: a closing } or ] is missing")
	}
	return formatErr("", "the JSON cannot be read")
}

func parseYAML(data []byte) (*node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		where := ""
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			if num, tail, ok := strings.Cut(rest, ": "); ok {
				where, msg = "line "+num, tail
			}
		}
		return nil, formatErr(where, "the YAML is not valid ("+msg+")")
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, formatErr("", "the file is empty")
	}
	budget := maxNodes
	return fromYAML(doc.Content[0], 0, &budget)
}

func fromYAML(y *yaml.Node, depth int, budget *int) (*node, error) {
	*budget--
	if *budget < 0 {
		return nil, formatErr(lineWhere(y.Line), "its aliases expand into too many values")
	}
	if depth > maxDepth {
		return nil, formatErr(lineWhere(y.Line), "it nests too deeply")
	}
	for y.Kind == yaml.AliasNode && y.Alias != nil {
		y = y.Alias
		depth++
		if depth > maxDepth {
			return nil, formatErr(lineWhere(y.Line), "its aliases nest too deeply")
		}
	}
	n := &node{line: y.Line}
	switch y.Kind {
	case yaml.ScalarNode:
		if y.Tag == "!!null" {
			n.kind = null
			return n, nil
		}
		n.kind, n.value = scalar, y.Value
	case yaml.SequenceNode:
		n.kind = list
		for _, c := range y.Content {
			item, err := fromYAML(c, depth+1, budget)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, item)
		}
	case yaml.MappingNode:
		n.kind, n.fields = object, map[string]*node{}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Tag == "!!merge" { // <<: *base
				merged, err := fromYAML(v, depth+1, budget)
				if err != nil {
					return nil, err
				}
				for _, mk := range merged.keys {
					if _, ok := n.fields[mk]; !ok {
						n.keys = append(n.keys, mk)
						n.fields[mk] = merged.fields[mk]
					}
				}
				continue
			}
			val, err := fromYAML(v, depth+1, budget)
			if err != nil {
				return nil, err
			}
			if _, dup := n.fields[k.Value]; !dup {
				n.keys = append(n.keys, k.Value)
			}
			n.fields[k.Value] = val
		}
	default:
		n.kind = null
	}
	return n, nil
}
