package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strconv"

	"apidesk/engine/jsonview"
	"apidesk/engine/query"
	"apidesk/engine/runner"
	"apidesk/engine/sensitive"
)

// Result is what one row of a list gave.
type Result struct {
	Line   int      // the row's line in the list
	Values []string // the row's values, one per column of the list
	Ran    bool     // the row was sent and answered (or failed to be); false when the run stopped first
	Status int      // the answer's status code; 0 without an answer
	Err    string   // why the row failed, in words; "" when it succeeded
	Fields []Field  // the top-level fields of an answer that is one JSON object, in the answer's order
	Array  bool     // the answer holds a list of rows (see fields), of Count rows
	Count  int
	// Records are the list's first MaxRecords rows, each as the columns the query's result shape names (or
	// every key), in order: a list answer is as many rows of the results, the row's values repeated.
	Records [][]Field
}

// MaxRecords is how many rows of one answer's list a result keeps.
const MaxRecords = 1000

// Field is a top-level field of a JSON object answer, as text: a string as it is, null as nothing, anything
// else as compact JSON.
type Field struct{ Name, Value string }

// Failed reports whether the row was run and did not succeed.
func (r *Result) Failed() bool { return r.Ran && r.Err != "" }

// Results are the results of a run, row by row in the list's order.
type Results struct {
	Header []string // the list's columns
	Rows   []Result
}

// Succeeded counts the rows that were run and succeeded.
func (rs *Results) Succeeded() int {
	n := 0
	for i := range rs.Rows {
		if rs.Rows[i].Ran && rs.Rows[i].Err == "" {
			n++
		}
	}
	return n
}

// Failed returns the lines of the rows that failed.
func (rs *Results) Failed() []int {
	var out []int
	for i := range rs.Rows {
		if rs.Rows[i].Failed() {
			out = append(out, rs.Rows[i].Line)
		}
	}
	return out
}

// NotRun counts the rows the run did not get to.
func (rs *Results) NotRun() int {
	n := 0
	for i := range rs.Rows {
		if !rs.Rows[i].Ran {
			n++
		}
	}
	return n
}

// notRun is the error column of a row the run did not get to.
const notRun = "not run: the run stopped before this row was answered"

// hidden replaces, in the results, the values of the list's columns whose names say they hold a secret.
const hidden = "•••"

// Table returns the results as rows of text with their column names: the list's columns (those whose names
// say they hold a secret, such as password or token, shown as •••), then status and error, then the answers'
// fields: the top-level fields of a single-object answer, or the columns of a list answer's rows, in order of
// first appearance, and then "rows", the count of a list answer's rows. A list answer is as many rows of the
// table as it has rows (one when it has none), each repeating the list's values, status and error. A field
// whose name is taken already is called result.NAME.
func (rs *Results) Table() (columns []string, rows [][]string) {
	columns = append(append([]string(nil), rs.Header...), "status", "error")
	taken := make(map[string]bool, len(columns))
	for _, c := range columns {
		taken[c] = true
	}
	index := map[string]int{} // field name → column
	name := func(n string) string {
		for taken[n] {
			n = "result." + n
		}
		taken[n] = true
		return n
	}
	countCol := -1
	addFields := func(fs []Field) {
		for _, f := range fs {
			if _, ok := index[f.Name]; !ok {
				index[f.Name] = len(columns)
				columns = append(columns, name(f.Name))
			}
		}
	}
	for i := range rs.Rows {
		r := &rs.Rows[i]
		addFields(r.Fields)
		for _, rec := range r.Records {
			addFields(rec)
		}
		if r.Array && countCol < 0 {
			countCol = len(columns)
			columns = append(columns, name("rows"))
		}
	}
	secret := make([]bool, len(rs.Header))
	for i, h := range rs.Header {
		secret[i] = sensitive.Variable(h)
	}
	rows = make([][]string, 0, len(rs.Rows))
	for i := range rs.Rows {
		r := &rs.Rows[i]
		row := make([]string, len(columns))
		for j, v := range r.Values {
			if secret[j] && v != "" {
				v = hidden
			}
			row[j] = v
		}
		n := len(rs.Header)
		if r.Status != 0 {
			row[n] = strconv.Itoa(r.Status)
		}
		row[n+1] = r.Err
		if !r.Ran {
			row[n+1] = notRun
		}
		for _, f := range r.Fields {
			row[index[f.Name]] = f.Value
		}
		if r.Array {
			row[countCol] = strconv.Itoa(r.Count)
		}
		if len(r.Records) == 0 {
			rows = append(rows, row)
			continue
		}
		for _, rec := range r.Records {
			line := slices.Clone(row)
			for _, f := range rec {
				line[index[f.Name]] = f.Value
			}
			rows = append(rows, line)
		}
	}
	return columns, rows
}

// WriteCSV writes the results (Table) as CSV, UTF-8 with a header row. A value that a spreadsheet would take
// for a formula (one that starts with =, +, -, @, a tab or a carriage return) is written with a ' in front.
func (rs *Results) WriteCSV(w io.Writer) error {
	columns, rows := rs.Table()
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	if err := cw.Write(escapeAll(columns)); err != nil {
		return err
	}
	for _, row := range rows {
		if err := cw.Write(escapeAll(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func escapeAll(row []string) []string {
	for i, s := range row {
		row[i] = jsonview.Defuse(s) // the table export's own rule
	}
	return row
}

// fields reads what a result keeps of an answer: the rows of its list (see Result.Records) when the query's
// result shape finds one, or when the answer itself is an array, else the top-level fields of an answer that is
// one JSON object. Any other answer, or one too long to be in memory whole, gives nothing.
func fields(ctx context.Context, resp *runner.Response, shape *query.Result) (r Result) {
	body := bytes.TrimSpace(resp.Body)
	if resp.Truncated || len(body) == 0 || body[0] != '[' && body[0] != '{' {
		return r
	}
	if shape != nil || body[0] == '[' {
		opt := jsonview.ResultOptions(shape)
		opt.MaxCellLen = 1 << 20
		if opt.Path == "" {
			opt.Path = jsonview.TopLevel
		}
		if t, err := jsonview.FindTable(ctx, body, opt); err == nil {
			r.Array, r.Count = true, t.Rows()
			cols := t.Columns()
			for i := range min(t.Rows(), MaxRecords) {
				rec := make([]Field, 0, len(cols))
				for c, name := range cols {
					if raw := t.Raw(i, c); raw != nil {
						rec = append(rec, Field{Name: name, Value: fieldText(raw)})
					}
				}
				r.Records = append(r.Records, rec)
			}
			return r
		}
		if body[0] == '[' {
			return r
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil { // {
		return r
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return Result{}
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return Result{}
		}
		r.Fields = append(r.Fields, Field{Name: key, Value: fieldText(raw)})
	}
	return r
}

func fieldText(raw json.RawMessage) string {
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case 'n':
		return ""
	case '{', '[':
		var buf bytes.Buffer
		if json.Compact(&buf, raw) == nil {
			return buf.String()
		}
	}
	return string(raw)
}
