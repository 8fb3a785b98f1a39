package jsonview

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func findTable(t *testing.T, body string, opt TableOptions) *Table {
	t.Helper()
	tb, err := FindTable(context.Background(), []byte(body), opt)
	if err != nil {
		t.Fatalf("FindTable: %v", err)
	}
	return tb
}

// grid is the table as text: the header, then one line per row, cells split by " | ".
func grid(tb *Table) string {
	out := []string{strings.Join(tb.Columns(), " | ")}
	for r := range tb.Rows() {
		var cells []string
		for c := range tb.Columns() {
			cells = append(cells, tb.Cell(r, c))
		}
		out = append(out, strings.Join(cells, " | "))
	}
	return strings.Join(out, "\n")
}

func TestFindTable(t *testing.T) {
	for _, tc := range []struct {
		name, body, path, grid string
		partial                bool
		note                   string
	}{
		{
			name: "the body is the array",
			body: `[{"id":1,"name":"Ada"},{"id":2,"email":"b@x","name":"Bob"},{"name":null}]`,
			grid: "id | name | email\n1 | Ada | \n2 | Bob | b@x\n | null | ",
		},
		{
			name: "the first array of objects inside, past arrays of scalars",
			body: `{"meta":{"tags":["x","y"]},"count":2,"data":[{"a":"x\ny","b":{"c":[1, 2]}},{"a":"\u00e9\"q\""}]}`,
			path: "data",
			grid: "a | b\nx·y | {\"c\":[1,2]}\né\"q\" | ",
		},
		{
			name: "deeper, shallowest first",
			body: `{"result":{"page":{"items":[{"k":1}]},"list":[{"k":2}]}}`,
			path: "result.list",
			grid: "k\n2",
		},
		{
			name: "the largest array of objects, not the first",
			body: `{"links":[{"rel":"self"}],"page":{"items":[{"id":1},{"id":2},{"id":3}]},"tags":["a","b","c","d"]}`,
			path: "page.items",
			grid: "id\n1\n2\n3",
		},
		{
			name: "mixed elements",
			body: `[{"a":1},[1,2],"s"]`,
			grid: "a | (value)\n1 | \n | [1,2]\n | s",
		},
		{
			name: "escaped keys are one column",
			body: `[{"a\u0062":1},{"ab":2}]`,
			grid: "ab\n1\n2",
		},
		{
			name:    "a body cut short keeps its complete rows",
			body:    `{"data":[{"id":1,"s":"x"},{"id":2,"s":"y"},{"id":3,"s":"z`,
			partial: true,
			path:    "data",
			grid:    "id | s\n1 | x\n2 | y",
			note:    "showing the 2 rows that are complete",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := findTable(t, tc.body, TableOptions{Partial: tc.partial})
			if tb.Path() != tc.path {
				t.Errorf("path %q, want %q", tb.Path(), tc.path)
			}
			if got := grid(tb); got != tc.grid {
				t.Errorf("grid\n%s\nwant\n%s", got, tc.grid)
			}
			notes := tb.Notes()
			if tc.note == "" && len(notes) > 0 || tc.note != "" && (len(notes) != 1 || !strings.Contains(notes[0], tc.note)) {
				t.Errorf("notes %q, want %q", notes, tc.note)
			}
		})
	}
}

func TestFindTableNone(t *testing.T) {
	for name, body := range map[string]string{
		"object without arrays":  `{"a":{"b":1}}`,
		"scalar":                 `"x"`,
		"not json":               `[{"a":1},`,
		"too deep":               `{"a":{"b":{"c":{"d":{"e":[{"f":1}]}}}}}`,
		"only arrays of scalars": `{"empty":[],"ids":[3,"x",true]}`,
		"an echo answer":         `{"args":{},"headers":{"Accept-Encoding":["gzip"],"Host":["x"]},"url":"http://x/get"}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := FindTable(context.Background(), []byte(body), TableOptions{}); !errors.Is(err, ErrNoTable) {
				t.Errorf("err = %v, want ErrNoTable", err)
			}
		})
	}
}

func TestTableLimits(t *testing.T) {
	tb := findTable(t, `[{"a":1,"b":2,"c":3},{"d":4,"a":5},{"a":6},{"a":7}]`, TableOptions{MaxRows: 3, MaxColumns: 2, MaxCellLen: 3})
	if got, want := grid(tb), "a | b\n1 | 2\n5 | \n6 | "; got != want {
		t.Errorf("grid\n%s\nwant\n%s", got, want)
	}
	if n := tb.Notes(); len(n) != 2 || !strings.Contains(n[0], "first 3 rows") || !strings.Contains(n[1], "first 2 columns") {
		t.Errorf("notes %q", n)
	}
	long := findTable(t, `[{"s":"abcdef","o":{"k":"vvvv"}}]`, TableOptions{MaxCellLen: 3})
	if got := long.Cell(0, 0) + " " + long.Cell(0, 1); got != "abc… {\"k…" {
		t.Errorf("cut cells %q", got)
	}
	if got := long.Value(0, 1); got != "{\n  \"k\": \"vvvv\"\n}" {
		t.Errorf("full value %q", got)
	}
	if got := long.Value(0, 0); got != "abcdef" {
		t.Errorf("full value %q", got)
	}
}

func TestTableSort(t *testing.T) {
	body := `[
		{"n":"item 10","v":10,"s":"b"},
		{"n":"item 9","v":"9.5","s":"B"},
		{"n":"Item 1","v":null,"s":"a"},
		{"n":"item 2","s":"c"},
		{"n":"item 2","v":-3,"s":"d"},
		{"n":"x","v":"abc","s":"e"},
		{"n":"y","v":true,"s":"f"},
		{"n":"z","v":{"a":1},"s":"g"}
	]`
	tb := findTable(t, body, TableOptions{})
	column := func(tb *Table, c int) string {
		var out []string
		for r := range tb.Rows() {
			out = append(out, tb.Cell(r, c))
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		col  int
		desc bool
		want string // column s after sorting
	}{
		{0, false, "a,c,d,B,b,e,f,g"}, // natural: Item 1, item 2 (twice, stable), item 9, item 10
		{0, true, "g,f,e,b,B,c,d,a"},
		{1, false, "d,B,b,e,f,g,a,c"}, // -3, "9.5", 10, then strings, bools, objects; null and missing last
		{1, true, "b,B,d,e,f,g,a,c"},  // reversed within kinds; kinds keep their order
	} {
		sorted, err := tb.Sort(context.Background(), tc.col, tc.desc)
		if err != nil {
			t.Fatal(err)
		}
		if got := column(sorted, 2); got != tc.want {
			t.Errorf("sort by %d desc=%v: %s, want %s", tc.col, tc.desc, got, tc.want)
		}
		if c, d := sorted.SortedBy(); c != tc.col || d != tc.desc {
			t.Errorf("SortedBy = %d, %v", c, d)
		}
	}
	if got := column(tb, 2); got != "b,B,a,c,d,e,f,g" {
		t.Errorf("the unsorted table changed: %s", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tb.Sort(ctx, 0, false); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sort err = %v", err)
	}
}
