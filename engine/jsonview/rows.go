package jsonview

import "bytes"

// Elements returns the raw JSON of each row's element, in the body's order (whatever the sort), for a caller
// that joins the rows of several bodies (the pages of a list). The slices share the body's bytes.
func (t *Table) Elements() [][]byte {
	out := make([][]byte, len(t.rows))
	for i, s := range t.rows {
		out[i] = t.src[s.start:s.end]
	}
	return out
}

// JoinArray joins raw JSON values into one JSON array.
func JoinArray(elems [][]byte) []byte {
	n := 2
	for _, e := range elems {
		n += len(e) + 1
	}
	var b bytes.Buffer
	b.Grow(n)
	b.WriteByte('[')
	for i, e := range elems {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(e)
	}
	b.WriteByte(']')
	return b.Bytes()
}
