package jsonview

import (
	"bytes"
	"context"
	"fmt"
)

// formatter pretty-prints JSON as encoding/json.Indent does (each element on its own line, ": " after a
// name, empty objects and arrays kept as {} and []) and records where each line starts as it goes, so the
// text and its line index come out of one pass. It does not validate: Prepare checks validity first (or, for a
// body cut short, that it is a valid start), and whatever is there is copied as it is.
type formatter struct {
	indent   string
	maxLines int
	lenient  bool // the input is the valid start of a value that is cut short

	out   []byte
	lines []int32
	pad   []byte // indentation of the deepest level reached so far
	depth int
	full  bool // stopped at maxLines
}

// format formats src into f.out and f.lines.
func (f *formatter) format(ctx context.Context, src []byte) error {
	f.out = make([]byte, 0, 2*len(src)+64) // compact JSON about doubles when indented
	f.lines = make([]int32, 1, len(src)/16+1)
	open := false // the last token opened an object or array: its first element goes on a new line
	next := checkEvery
	for i := 0; i < len(src); {
		if len(f.out) >= next {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("formatting the body stopped: %w", err)
			}
			if len(f.out) > maxText {
				f.full = true
				return nil
			}
			next = len(f.out) + checkEvery
		}
		c := src[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		case '}', ']':
			if f.depth > 0 {
				f.depth--
			}
			if !open && !f.newline() {
				return nil
			}
			open = false
			f.out = append(f.out, c)
			i++
			continue
		case ',':
			f.out = append(f.out, ',')
			if !f.newline() {
				return nil
			}
			i++
			continue
		case ':':
			f.out = append(f.out, ':', ' ')
			i++
			continue
		}
		// a value, or the first element of an object or array
		if open {
			open = false
			if !f.newline() {
				return nil
			}
		}
		switch c {
		case '{', '[':
			f.out = append(f.out, c)
			f.depth++
			open = true
			i++
		case '"':
			end, _ := stringEnd(src, i)
			f.out = append(f.out, src[i:end]...)
			i = end
		default: // a number, true, false or null (or, when lenient, whatever is there)
			end := i + 1
			for end < len(src) && !isDelim(src[end]) {
				end++
			}
			f.out = append(f.out, src[i:end]...)
			i = end
		}
	}
	return nil
}

// newline ends the line and indents the next one, or reports false when maxLines are written.
func (f *formatter) newline() bool {
	if len(f.lines) >= f.maxLines {
		f.full = true
		return false
	}
	f.out = append(f.out, '\n')
	f.lines = append(f.lines, int32(len(f.out)))
	n := f.depth * len(f.indent)
	for len(f.pad) < n {
		f.pad = append(f.pad, f.indent...)
	}
	f.out = append(f.out, f.pad[:n]...)
	return true
}

// stringEnd is the index after the string that starts with the quote at src[i], and whether the string is
// closed (when it is not, end is len(src)).
func stringEnd(src []byte, i int) (end int, closed bool) {
	for j := i + 1; ; {
		k := bytes.IndexByte(src[j:], '"')
		if k < 0 {
			return len(src), false
		}
		j += k
		bs := 0
		for p := j - 1; p > i && src[p] == '\\'; p-- {
			bs++
		}
		j++
		if bs%2 == 0 {
			return j, true
		}
	}
}

// isDelim says whether c ends a number or literal.
func isDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ',', ':', '{', '}', '[', ']', '"':
		return true
	}
	return false
}
