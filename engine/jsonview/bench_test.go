package jsonview

import (
	"bytes"
	"context"
	stdjson "encoding/json"
	"sync"
	"testing"

	gojson "github.com/goccy/go-json"
)

// The benchmarks run on a 50 MB compact body, the size the window's measurements use. They show why Prepare
// formats with its own pass (which also indexes lines, can stop at the line cap and be cancelled) while
// goccy/go-json validates alongside: encoding/json.Indent is the slowest way; goccy's Indent is close but
// cannot be cancelled, and needs a separate pass for the lines.

var bench50 = sync.OnceValue(func() []byte { return sampleBody(50 << 20) })

func BenchmarkIndentStd(b *testing.B) {
	body := bench50()
	var buf bytes.Buffer
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		buf.Reset()
		if err := stdjson.Indent(&buf, body, "", "  "); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndentGoccy(b *testing.B) {
	body := bench50()
	var buf bytes.Buffer
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		buf.Reset()
		if err := gojson.Indent(&buf, body, "", "  "); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGoccyIndentAndLines is the alternative to Prepare: goccy's Indent, then a line index.
func BenchmarkGoccyIndentAndLines(b *testing.B) {
	body := bench50()
	var buf bytes.Buffer
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		buf.Reset()
		if err := gojson.Indent(&buf, body, "", "  "); err != nil {
			b.Fatal(err)
		}
		d := &Doc{text: buf.Bytes()}
		if err := d.indexLines(context.Background(), 1<<30); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidStd(b *testing.B) {
	body := bench50()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if !stdjson.Valid(body) {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkValidGoccy(b *testing.B) {
	body := bench50()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if !gojson.Valid(body) {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkPrepare formats all of the body (no line cap).
func BenchmarkPrepare(b *testing.B) {
	body := bench50()
	b.SetBytes(int64(len(body)))
	var d *Doc
	for b.Loop() {
		var err error
		if d, err = Prepare(context.Background(), body, Options{MaxLines: 1 << 30}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(d.Lines()), "lines")
	b.ReportMetric(float64(len(d.Bytes()))/float64(len(body)), "growth")
}

// BenchmarkPrepareCapped is what the window does: formatting stops at DefaultMaxLines.
func BenchmarkPrepareCapped(b *testing.B) {
	body := bench50()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Prepare(context.Background(), body, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrepareText(b *testing.B) {
	body := bench50()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Prepare(context.Background(), body, Options{ContentType: "text/plain"}); err != nil {
			b.Fatal(err)
		}
	}
}

var benchDoc = sync.OnceValue(func() *Doc {
	d, err := Prepare(context.Background(), bench50(), Options{MaxLines: 1 << 30})
	if err != nil {
		panic(err)
	}
	return d
})

func benchSearch(b *testing.B, q string, ignoreCase bool) {
	d := benchDoc()
	b.SetBytes(int64(len(d.Bytes())))
	var m Matches
	for b.Loop() {
		var err error
		if m, err = d.Search(context.Background(), q, ignoreCase); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(m.Hits)), "hits")
}

func BenchmarkSearch(b *testing.B)           { benchSearch(b, "user12345@", false) }
func BenchmarkSearchIgnoreCase(b *testing.B) { benchSearch(b, "USER12345@", true) }
func BenchmarkSearchUnicode(b *testing.B)    { benchSearch(b, "ZÜRICH", true) }

func BenchmarkFindTable(b *testing.B) {
	body := bench50()
	b.SetBytes(int64(len(body)))
	var tb *Table
	for b.Loop() {
		var err error
		if tb, err = FindTable(context.Background(), body, TableOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(tb.Rows()), "rows")
	b.ReportMetric(float64(len(tb.Columns())), "columns")
}

var benchTable = sync.OnceValue(func() *Table {
	tb, err := FindTable(context.Background(), bench50(), TableOptions{})
	if err != nil {
		panic(err)
	}
	return tb
})

func BenchmarkTableSortNumbers(b *testing.B) {
	tb := benchTable()
	for b.Loop() {
		if _, err := tb.Sort(context.Background(), 6, true); err != nil { // score
			b.Fatal(err)
		}
	}
}

func BenchmarkTableSortStrings(b *testing.B) {
	tb := benchTable()
	for b.Loop() {
		if _, err := tb.Sort(context.Background(), 1, false); err != nil { // name
			b.Fatal(err)
		}
	}
}

// BenchmarkTableScreen reads the cells of one screen of rows, as a table widget does when it scrolls.
func BenchmarkTableScreen(b *testing.B) {
	tb := benchTable()
	var raw [][]byte
	r := 0
	for b.Loop() {
		for range 40 {
			raw = tb.RawRow(r, raw)
			for _, v := range raw {
				_ = tb.CellText(v)
			}
			r = (r + 7919) % tb.Rows()
		}
	}
}
