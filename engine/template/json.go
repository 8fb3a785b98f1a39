package template

import (
	"encoding/json"
	"strings"
)

// ReplaceJSONStrings returns text, a JSON text that may hold {{variables}}, with the string values (not the keys)
// that replace chooses replaced, at any depth, and the rest kept as written. replace is given the key the value
// is under ("" in an array or at the top), the value decoded, and raw, the value as written between its quotes,
// escapes and all; it returns the text to write between those quotes, and whether to. A text that is not JSON is
// read as far as it is.
func ReplaceJSONStrings(text string, replace func(key, value, raw string) (string, bool)) string {
	type level struct {
		object, wantKey bool
		key             string
	}
	type span struct {
		start, end int
		with       string
	}
	probe := Blank(text) // the same length, so offsets into probe are offsets into text
	dec := json.NewDecoder(strings.NewReader(probe))
	var stack []level
	var spans []span
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			break // the end, or not JSON: what was found so far stands
		}
		after := int(dec.InputOffset())
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			if top >= 0 {
				stack = stack[:top]
			}
			continue
		}
		if top >= 0 && stack[top].object && stack[top].wantKey {
			stack[top].key, _ = tok.(string)
			stack[top].wantKey = false
			continue
		}
		key := ""
		if top >= 0 && stack[top].object {
			key = stack[top].key
			stack[top].wantKey = true
		}
		switch v := tok.(type) {
		case json.Delim:
			stack = append(stack, level{object: v == '{', wantKey: v == '{'})
		case string:
			start := before + strings.IndexByte(probe[before:after], '"') + 1
			if with, ok := replace(key, v, text[start:after-1]); ok {
				spans = append(spans, span{start, after - 1, with})
			}
		}
	}
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(text[last:sp.start])
		b.WriteString(sp.with)
		last = sp.end
	}
	b.WriteString(text[last:])
	return b.String()
}
