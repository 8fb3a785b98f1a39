package jsonview

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
)

// The separators of WriteCSV.
const (
	CSV = ','  // comma-separated values, for files
	TSV = '\t' // tab-separated values, as spreadsheets paste them
)

// WriteCSV writes the table as shown (its columns and headers, its rows in their order) to w as UTF-8 text
// separated by comma (CSV or TSV): a header row, then one line per row, quoted as RFC 4180 says. Rows are written
// as they are read, so a big table costs no more memory than a small one. A text that a spreadsheet would take
// for a formula (starting with =, +, -, @, a tab or a carriage return) is written after a single quote, as
// OWASP recommends against CSV injection; numbers are written as they are.
func WriteCSV(ctx context.Context, w io.Writer, t *Table, comma rune) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	cw.Comma = comma
	if err := cw.Write(headerRecord(t)); err != nil {
		return fmt.Errorf("writing the table: %w", err)
	}
	record := make([]string, len(t.Columns()))
	var raw [][]byte
	for r := range t.Rows() {
		if r%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("writing the table stopped: %w", err)
			}
		}
		raw = t.RawRow(r, raw)
		for c, v := range raw {
			record[c] = ExportText(v)
		}
		if err := cw.Write(record); err != nil {
			return fmt.Errorf("writing the table: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing the table: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing the table: %w", err)
	}
	return nil
}

// RowCSV is row r of the table with its column names: two lines separated by comma (CSV or TSV), the headers
// then the values, escaped as WriteCSV escapes them.
func RowCSV(t *Table, r int, comma rune) string {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Comma = comma
	raw := t.RawRow(r, nil)
	record := make([]string, len(raw))
	for c, v := range raw {
		record[c] = ExportText(v)
	}
	_ = cw.Write(headerRecord(t)) // a bytes.Buffer does not fail; the separators are valid
	_ = cw.Write(record)
	cw.Flush()
	return b.String()
}

func headerRecord(t *Table) []string {
	out := make([]string, len(t.Columns()))
	for c, name := range t.Columns() {
		out[c] = Defuse(name)
	}
	return out
}

// ExportText is a cell's whole value as a spreadsheet should get it: a text without quotes or escapes (defused,
// see Defuse), an object or array as compact JSON, a number or true/false as written, and "" for null or a
// missing value.
func ExportText(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case 'n':
		return ""
	case '"':
		return Defuse(unquote(raw))
	case '{', '[':
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			return Defuse(b.String())
		}
	}
	return string(raw)
}

// Defuse puts a single quote before a text a spreadsheet would run as a formula: one that starts with =, +, -,
// @, a tab or a carriage return (OWASP, "CSV Injection").
func Defuse(s string) string {
	if s != "" {
		switch s[0] {
		case '=', '+', '-', '@', '\t', '\r':
			return "'" + s
		}
	}
	return s
}
