package jsonview

import (
	"bytes"
	"context"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxMatches bounds a search: past it, Matches.More is set and the count shown as "1,000,000+".
const DefaultMaxMatches = 1_000_000

// Match is one place the searched text was found: a line and the byte range within Line(Line).
type Match struct {
	Line, Start, End int32
}

// Matches is the result of Search, in text order.
type Matches struct {
	Hits []Match
	More bool // the search stopped at its limit; there are more
}

// Count says how many matches there are for a "k of N" label: "3", or "1,000,000+" at the limit.
func (m Matches) Count() string {
	if m.More {
		return thousands(len(m.Hits)) + "+"
	}
	return thousands(len(m.Hits))
}

// searchChunk is how much text is searched between looks at the context.
const searchChunk = 4 << 20

// Search finds every place query occurs in the text, up to DefaultMaxMatches, ignoring case when ignoreCase
// is set. Matches do not cross lines: a query with a line break finds nothing.
// An empty query finds nothing.
func (d *Doc) Search(ctx context.Context, query string, ignoreCase bool) (Matches, error) {
	return d.search(ctx, query, ignoreCase, DefaultMaxMatches)
}

func (d *Doc) search(ctx context.Context, query string, ignoreCase bool, limit int) (Matches, error) {
	var m Matches
	if query == "" || bytes.ContainsAny([]byte(query), "\r\n") {
		return m, nil
	}
	find := d.finder(query, ignoreCase)
	var lower []byte // the chunk with ASCII letters lowered, for a case-ignoring ASCII query
	line := 0
	for start := 0; start < len(d.text); {
		if err := ctx.Err(); err != nil {
			return Matches{}, fmt.Errorf("searching the body stopped: %w", err)
		}
		// chunks end at a line break, so a match is never split
		end := min(start+searchChunk, len(d.text))
		if end < len(d.text) {
			if k := bytes.IndexByte(d.text[end:], '\n'); k >= 0 {
				end += k + 1
			} else {
				end = len(d.text)
			}
		}
		chunk := d.text[start:end]
		if ignoreCase {
			lower = foldCase(lower[:0], chunk)
			chunk = lower
		}
		for _, loc := range find(chunk) {
			off := start + loc[0]
			for line+1 < len(d.lines) && int(d.lines[line+1]) <= off {
				line++
			}
			ls := int(d.lines[line])
			if _, le := d.lineBounds(line); start+loc[1] > le {
				continue // ran into a line's trailing \r
			}
			m.Hits = append(m.Hits, Match{Line: int32(line), Start: int32(off - ls), End: int32(start + loc[1] - ls)})
			if len(m.Hits) == limit {
				m.More = true
				return m, nil
			}
		}
		start = end
	}
	return m, nil
}

// finder returns a function that finds every match in a chunk (lowered with foldCase when ignoreCase is
// set) as [start, end) pairs.
func (d *Doc) finder(query string, ignoreCase bool) func([]byte) [][2]int {
	var locs [][2]int
	q := []byte(query)
	if ignoreCase {
		q = foldCase(nil, q)
	}
	return func(b []byte) [][2]int {
		locs = locs[:0]
		for i := 0; ; {
			k := bytes.Index(b[i:], q)
			if k < 0 {
				return locs
			}
			locs = append(locs, [2]int{i + k, i + k + len(q)})
			i += k + len(q)
		}
	}
}

// foldCase appends b to dst with each letter in its lower case, where that takes the same number of bytes,
// so every byte keeps its place and a match in the folded text is a match in the original. (The few letters
// whose cases differ in length, like 'İ' and the Kelvin sign, are matched as they are.)
func foldCase(dst, b []byte) []byte {
	start := len(dst)
	dst = append(dst, b...)
	out := dst[start:]
	for i := 0; i < len(out); {
		c := out[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				out[i] = c + 'a' - 'A'
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(out[i:])
		if l := unicode.ToLower(unicode.ToUpper(r)); l != r && utf8.RuneLen(l) == size {
			utf8.EncodeRune(out[i:], l)
		}
		i += size
	}
	return dst
}
