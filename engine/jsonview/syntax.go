package jsonview

import "strings"

// Class is what a piece of a JSON line is, for colouring.
type Class uint8

// The classes of Span.
const (
	Plain   Class = iota // white space, or text that is not JSON
	Punct                // { } [ ] , :
	Key                  // an object member's name, with its quotes
	String               // a string value, with its quotes
	Number               // a number
	Literal              // true, false or null
)

// Span is a run of a line in one class: bytes [Start, End).
type Span struct {
	Start, End int
	Class      Class
}

// maxSpans bounds the spans of one line; the rest of a line past them is one Plain span.
const maxSpans = 48

// Classify splits a line of pretty-printed JSON (as DisplayLine gives it) into spans that cover it end to end,
// appending them to dst. A string is a Key when a ':' follows it. White space joins the span before it, so a
// typical line is a handful of spans. A cut line (a string without its closing quote) still classifies.
func Classify(line string, dst []Span) []Span {
	add := func(start, end int, c Class) {
		if n := len(dst); n > 0 && dst[n-1].Class == c && dst[n-1].End == start {
			dst[n-1].End = end
			return
		}
		dst = append(dst, Span{start, end, c})
	}
	i := 0
	for i < len(line) {
		if len(dst) >= maxSpans-1 {
			add(i, len(line), Plain)
			return dst
		}
		start := i
		c := line[i]
		var class Class
		switch {
		case c == ' ':
			for i < len(line) && line[i] == ' ' {
				i++
			}
			if n := len(dst); n > 0 && dst[n-1].End == start {
				dst[n-1].End = i // white space joins the span before it
				continue
			}
			class = Plain
		case c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':':
			i++
			class = Punct
		case c == '"':
			i = stringEndIn(line, i)
			class = String
			j := i
			for j < len(line) && line[j] == ' ' {
				j++
			}
			if j < len(line) && line[j] == ':' {
				class = Key
			}
		case c == '-' || '0' <= c && c <= '9':
			i = scalarEnd(line, i)
			class = Number
		case c == 't' || c == 'f' || c == 'n':
			i = scalarEnd(line, i)
			class = Plain
			if w := line[start:i]; w == "true" || w == "false" || w == "null" {
				class = Literal
			}
		default:
			i = scalarEnd(line, i)
			class = Plain
		}
		add(start, i, class)
	}
	return dst
}

func scalarEnd(s string, i int) int {
	for i++; i < len(s) && !isDelim(s[i]); i++ {
	}
	return i
}

// stringEndIn is stringEnd for a string.
func stringEndIn(s string, i int) int {
	for j := i + 1; ; {
		k := strings.IndexByte(s[j:], '"')
		if k < 0 {
			return len(s)
		}
		j += k
		bs := 0
		for p := j - 1; p > i && s[p] == '\\'; p-- {
			bs++
		}
		j++
		if bs%2 == 0 {
			return j
		}
	}
}
