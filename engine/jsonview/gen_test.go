package jsonview

import (
	"bytes"
	"fmt"
	"strconv"
)

// sampleBody returns a compact JSON body of about size bytes shaped like a paged API answer:
// {"page":1,"data":[{…10 fields, some nested…}, …]}. It is deterministic.
func sampleBody(size int) []byte {
	var b bytes.Buffer
	b.Grow(size + 1024)
	b.WriteString(`{"page":1,"total":null,"data":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"item %d","price":%s,"active":%t,"tags":["a","b\"q\""],`+
			`"owner":{"id":%d,"email":"user%d@example.com"},"score":%d.5,"note":"caf\u00e9 \\ %s","city":"Zürich","n":null}`,
			i, i, strconv.FormatFloat(float64(i%997)*1.25, 'f', -1, 64), i%3 == 0, i%101, i, (i*7919)%1000, "x")
	}
	b.WriteString(`]}`)
	return b.Bytes()
}
