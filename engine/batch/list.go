// Package batch runs a saved query once for every row of a list: a CSV file whose header row names the query's
// {{variables}}. Read checks the whole file before anything is sent (a header, no duplicate names, as many
// values on every line as the header has columns, UTF-8), Check that its columns fill the query's variables, and
// Run sends one request per row through the runner, a few at a time at most, pausing between requests and
// waiting when the server answers 429 Too Many Requests. The results (WriteCSV) are the list's own columns, then
// status and error, then what each answer holds, escaped so that a spreadsheet never runs a value as a formula.
package batch

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// ErrMalformed is what every problem Read and Check find matches: the list cannot be run as it is.
var ErrMalformed = errors.New("the list cannot be run")

// LineError is a problem with the list at a line of the file (the first line is 1); Line 0 is the file as a
// whole. Its message is in plain words.
type LineError struct {
	Line int
	Msg  string
}

func (e *LineError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

func (e *LineError) Unwrap() error { return ErrMalformed }

func lineErr(line int, format string, a ...any) error {
	return &LineError{Line: line, Msg: fmt.Sprintf(format, a...)}
}

// MaxFile is the largest list Read accepts.
const MaxFile = 256 << 20

// List is a CSV file read whole: its header row and its data rows.
type List struct {
	Header []string // the column names, spaces around them trimmed
	Rows   []Row
}

// Row is one data row: the line of the file it starts on and one value per column of the header.
type Row struct {
	Line   int
	Values []string
}

// Read reads a list: UTF-8 text, with or without a byte order mark, comma-separated (or semicolon-separated, as
// spreadsheets write it in countries where the comma is the decimal sign, when the header row has semicolons
// and no comma). Blank lines are skipped. It refuses, with the line, a file that is empty or has only a header,
// a header with a blank or repeated name, a row with more or fewer values than the header has columns, a
// misplaced quote, and text that is not UTF-8.
func Read(r io.Reader) (*List, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, fmt.Errorf("could not read the list: %w", err)
	}
	if len(b) > MaxFile {
		return nil, lineErr(0, "the list is larger than %d MB: split it into smaller files", MaxFile>>20)
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	if !utf8.Valid(b) {
		line := 1 + bytes.Count(b[:firstInvalid(b)], []byte("\n"))
		return nil, lineErr(line, "the file is not UTF-8 text: save it again as “CSV UTF-8”")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, lineErr(0, "the list is empty: its first line should name the query's inputs, and each line after it give their values")
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1 // checked here, to say it in words
	first, _, _ := bytes.Cut(b, []byte("\n"))
	if bytes.IndexByte(first, ',') < 0 && bytes.IndexByte(first, ';') >= 0 {
		cr.Comma = ';'
	}
	l := &List{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, parseError(err)
		}
		line, _ := cr.FieldPos(0)
		if l.Header == nil {
			if err := l.setHeader(line, rec); err != nil {
				return nil, err
			}
			continue
		}
		if len(rec) != len(l.Header) {
			return nil, lineErr(line, "this row has %s but the first line names %s: every row needs one value per column (an empty one is fine)",
				plural(len(rec), "value"), plural(len(l.Header), "column"))
		}
		l.Rows = append(l.Rows, Row{Line: line, Values: rec})
	}
	if len(l.Rows) == 0 {
		return nil, lineErr(0, "the list has a first line of column names but no rows under it to run")
	}
	return l, nil
}

func (l *List) setHeader(line int, rec []string) error {
	seen := make(map[string]int, len(rec))
	for i, name := range rec {
		name = strings.TrimSpace(name)
		rec[i] = name
		if name == "" {
			return lineErr(line, "column %d has no name: the first line must name every column (the query's inputs, and any others you want to keep)", i+1)
		}
		if j, ok := seen[name]; ok {
			return lineErr(line, "the column name %q appears twice (columns %d and %d): give each column its own name", name, j+1, i+1)
		}
		seen[name] = i
	}
	l.Header = rec
	return nil
}

// parseError says what encoding/csv found wrong, in words, with its line.
func parseError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("could not read the list: %w", err)
	}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return lineErr(pe.Line, `a value has a quote (") in it but does not start with one: put the whole value in quotes and double the quote inside ("")`)
	case errors.Is(pe.Err, csv.ErrQuote):
		if pe.StartLine != pe.Line {
			return lineErr(pe.StartLine, "a value starting here opens a quote that is not closed properly (the file ends or goes on oddly at line %d)", pe.Line)
		}
		return lineErr(pe.Line, `a quoted value must end with a quote followed by a comma or the end of the line`)
	}
	return lineErr(pe.Line, "this line cannot be read as CSV")
}

// Check says whether the list can fill the query's variables, names (query.VariableNames): at least one column
// must name one of them, and each must have a column or a value in given (values the same for every row, such as
// saved defaults). A column that names no variable is kept for the results.
func (l *List) Check(names []string, given map[string]string) error {
	if !slices.ContainsFunc(l.Header, func(h string) bool { return slices.Contains(names, h) }) {
		if len(names) == 0 {
			return lineErr(1, "the query has no inputs, so there is nothing for the list to fill in")
		}
		return lineErr(1, "no column is named after an input of the query: name the columns %s (the names in the first line must match exactly)", wordList(names))
	}
	var missing []string
	for _, n := range names {
		if _, ok := given[n]; !ok && !slices.Contains(l.Header, n) {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return lineErr(1, "the query also needs %s: add %s to the list, or give %s for every row", wordList(missing), pluralWord(len(missing), "a column of that name", "columns of those names"), pluralWord(len(missing), "a value", "values"))
	}
	return nil
}

// Vars returns the variable values of a row: given, then the row's columns over them.
func (l *List) Vars(row Row, given map[string]string) map[string]string {
	out := make(map[string]string, len(given)+len(l.Header))
	for k, v := range given {
		out[k] = v
	}
	for i, h := range l.Header {
		out[h] = row.Values[i]
	}
	return out
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// wordList writes names as “a”, “b” and “c”.
func wordList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "“" + n + "”"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
