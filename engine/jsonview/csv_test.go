package jsonview

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
)

func TestWriteCSV(t *testing.T) {
	body := `[
		{"name":"=HYPERLINK(\"http://evil\")","n":-3,"s":"-3","at":"@SUM(A1)","plus":"+1","tab":"\tx","cr":"\rx"},
		{"name":"Zoë, \"the\" best","n":1.5,"o":{"a":[1, 2]},"s":null,"note":"line\nbreak"}
	]`
	tb := findTable(t, body, TableOptions{})
	var b bytes.Buffer
	if err := WriteCSV(context.Background(), &b, tb, CSV); err != nil {
		t.Fatal(err)
	}
	want := "name,n,s,at,plus,tab,cr,o,note\n" +
		`"'=HYPERLINK(""http://evil"")",-3,'-3,'@SUM(A1),'+1,'` + "\tx,\"'\rx\",,\n" +
		`"Zoë, ""the"" best",1.5,,,,,,"{""a"":[1,2]}","line` + "\nbreak\"\n"
	if b.String() != want {
		t.Errorf("CSV\n%q\nwant\n%q", b.String(), want)
	}
	// A spreadsheet reading it back gets every value, the formulas defused.
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][0] != `'=HYPERLINK("http://evil")` || rows[2][8] != "line\nbreak" {
		t.Errorf("read back %q", rows)
	}

	// Chosen columns are written with their labels, in their order; a header that looks like a formula is defused.
	chosen := findTable(t, body, TableOptions{Columns: []Column{{Key: "n", Label: "=Amount"}, {Key: "name", Label: "Who"}}})
	b.Reset()
	if err := WriteCSV(context.Background(), &b, chosen, TSV); err != nil {
		t.Fatal(err)
	}
	if got := strings.SplitN(b.String(), "\n", 2)[0]; got != "'=Amount\tWho" {
		t.Errorf("TSV header %q", got)
	}
	if got := RowCSV(chosen, 1, TSV); got != "'=Amount\tWho\n1.5\t\"Zoë, \"\"the\"\" best\"\n" {
		t.Errorf("row as TSV %q", got)
	}
}

// WriteCSV streams: a table of many rows is written in full, and a cancelled context stops it.
func TestWriteCSVManyRows(t *testing.T) {
	var body strings.Builder
	body.WriteString("[")
	for i := range 10000 {
		if i > 0 {
			body.WriteString(",")
		}
		fmt.Fprintf(&body, `{"id":%d}`, i)
	}
	body.WriteString("]")
	tb := findTable(t, body.String(), TableOptions{})
	var b bytes.Buffer
	if err := WriteCSV(context.Background(), &b, tb, CSV); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 10001 || !strings.HasSuffix(b.String(), "\n9999\n") {
		t.Errorf("%d lines, ends %q", n, b.String()[b.Len()-10:])
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteCSV(ctx, &b, tb, CSV); err == nil {
		t.Error("a cancelled write did not stop")
	}
}
