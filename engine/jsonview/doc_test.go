package jsonview

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func prepare(t *testing.T, body string, opt Options) *Doc {
	t.Helper()
	d, err := Prepare(context.Background(), []byte(body), opt)
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	return d
}

func lines(d *Doc) []string {
	var out []string
	for i := range d.Lines() {
		out = append(out, string(d.Line(i)))
	}
	return out
}

func TestPrepareJSONMatchesIndent(t *testing.T) {
	for name, body := range map[string]string{
		"object":        `{"a":1,"b":[true,false,null],"c":{"d":"e"}}`,
		"empty":         `{"a":{},"b":[],"c":[ ],"d":{ }}`,
		"scalar":        `  "just a string"  `,
		"number":        `-12.5e3`,
		"escapes":       `{"q\"uote":"a\\\"b\\","u":"\u00e9\n"}`,
		"nested arrays": `[[1,[2,[3,[]]]],{"x":[{"y":{}}]}]`,
		"spacy":         "{\n\t\"a\" :\r\n 1 , \"b\":[ 1 ,2 ]\n}\n",
		"sample":        string(sampleBody(4 << 10)),
	} {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			if err := json.Indent(&want, []byte(strings.TrimSpace(body)), "", "  "); err != nil {
				t.Fatal(err)
			}
			d := prepare(t, body, Options{ContentType: "application/json"})
			if d.Kind() != JSON {
				t.Fatalf("kind %v, want JSON", d.Kind())
			}
			if got := string(d.Bytes()); got != want.String() {
				t.Errorf("formatted\n%s\nwant\n%s", got, want.String())
			}
			if got, want := strings.Join(lines(d), "\n"), want.String(); got != want {
				t.Errorf("lines joined\n%s\nwant\n%s", got, want)
			}
			if len(d.Notes()) != 0 {
				t.Errorf("notes %q, want none", d.Notes())
			}
		})
	}
}

func FuzzFormatMatchesIndent(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"c\"d"}],"e":{}}`))
	f.Add(sampleBody(600))
	f.Fuzz(func(t *testing.T, body []byte) {
		var want bytes.Buffer
		valid := json.Indent(&want, body, "", "\t") == nil
		d, err := Prepare(context.Background(), body, Options{Indent: "\t", ContentType: "application/json"})
		if err != nil {
			t.Fatal(err)
		}
		if !valid {
			if d.Kind() == JSON {
				t.Fatalf("invalid JSON %q formatted as JSON", body)
			}
			return
		}
		if d.Kind() != JSON {
			t.Fatalf("valid JSON %q shown as %v, notes %q", body, d.Kind(), d.Notes())
		}
		if got, want := string(d.Bytes()), strings.TrimRight(want.String(), " \t\r\n"); got != want {
			t.Fatalf("formatted %q\nwant %q", got, want)
		}
	})
}

func TestPrepareKinds(t *testing.T) {
	for _, tc := range []struct {
		name, body, contentType string
		partial                 bool
		kind                    Kind
		lines                   []string
		note                    string // a part of the only note, "" for none
	}{
		{name: "text as received", body: "hello\r\nworld\n", contentType: "text/plain", kind: Text, lines: []string{"hello", "world"}},
		{name: "log line starting with a bracket", body: "[INFO] up\n", contentType: "text/plain", kind: Text, lines: []string{"[INFO] up"}},
		{name: "json by its first byte", body: `[1,2]`, kind: JSON, lines: []string{"[", "  1,", "  2", "]"}},
		{name: "json type with a scalar", body: `true`, contentType: "application/problem+json; charset=utf-8", kind: JSON, lines: []string{"true"}},
		{
			name: "invalid json is shown raw", body: "{\"a\":1,\n\"b\":x}", contentType: "application/json", kind: Text,
			lines: []string{`{"a":1,`, `"b":x}`}, note: "not valid JSON (invalid character 'x' looking for beginning of value at line 2, column 5)",
		},
		{name: "json type ending early", body: `{"a":[1,2`, contentType: "application/json", kind: Text, lines: []string{`{"a":[1,2`}, note: "not valid JSON (it ends early)"},
		{
			name: "partial json is formatted as far as it goes", body: `{"a":[1,{"b":"c`, partial: true, kind: JSON,
			lines: []string{"{", `  "a": [`, "    1,", "    {", `      "b": "c`}, note: "cut short",
		},
		{name: "partial json invalid before its end", body: `{"a":x,"b":[1`, partial: true, kind: Text, lines: []string{`{"a":x,"b":[1`}, note: "not valid JSON"},
		{name: "empty", body: "", kind: Text, lines: []string{""}},
		{name: "binary", body: "\x89PNG\r\n\x1a\n\x00\x00", kind: Binary, lines: []string{"00000000  89 50 4e 47 0d 0a 1a 0a  00 00                    |.PNG......|"}, note: "binary, 10 bytes"},
		{name: "image type", body: "GIF89a", contentType: "image/gif", kind: Binary, lines: []string{"00000000  47 49 46 38 39 61                                 |GIF89a|"}, note: "binary (image/gif), 6 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := prepare(t, tc.body, Options{ContentType: tc.contentType, Partial: tc.partial})
			if d.Kind() != tc.kind {
				t.Errorf("kind %v, want %v", d.Kind(), tc.kind)
			}
			if got := lines(d); strings.Join(got, "\n") != strings.Join(tc.lines, "\n") {
				t.Errorf("lines %q, want %q", got, tc.lines)
			}
			notes := d.Notes()
			switch {
			case tc.note == "" && len(notes) > 0:
				t.Errorf("notes %q, want none", notes)
			case tc.note != "" && (len(notes) != 1 || !strings.Contains(notes[0], tc.note)):
				t.Errorf("notes %q, want one containing %q", notes, tc.note)
			}
		})
	}
}

func TestPrepareCapsLines(t *testing.T) {
	body := sampleBody(20 << 10)
	full := prepare(t, string(body), Options{})
	for _, tc := range []struct {
		name string
		body string
		ct   string
	}{
		{"json", string(body), ""},
		{"text", string(full.Bytes()), "text/plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := prepare(t, tc.body, Options{MaxLines: 100, ContentType: tc.ct})
			if d.Lines() != 100 {
				t.Fatalf("%d lines, want 100", d.Lines())
			}
			for i := range 100 {
				if got, want := string(d.Line(i)), string(full.Line(i)); got != want {
					t.Fatalf("line %d = %q, want %q", i, got, want)
				}
			}
			if !bytes.HasPrefix(full.Bytes(), d.Bytes()) || bytes.HasSuffix(d.Bytes(), []byte("\n")) {
				t.Errorf("text is not the first 100 lines of the whole")
			}
			if n := d.Notes(); len(n) != 1 || !strings.Contains(n[0], "first 100 lines") {
				t.Errorf("notes %q, want the first 100 lines said", n)
			}
		})
	}
}

func TestDisplayLine(t *testing.T) {
	long := strings.Repeat("é", 20) + "tail"
	d := prepare(t, "a\tb\x01c\xffd\n"+long, Options{ContentType: "text/plain", MaxLineLen: 10})
	if s, more := d.DisplayLine(0); s != "a    b·c\uFFFDd" || more != 0 {
		t.Errorf("line 0 = %q, %d more; want tabs, controls and bad bytes made visible", s, more)
	}
	s, more := d.DisplayLine(1)
	if s != strings.Repeat("é", 10) || more != len(long)-20 {
		t.Errorf("line 1 = %q, %d more; want 10 characters and the rest counted", s, more)
	}
	if string(d.Line(1)) != long {
		t.Errorf("full line 1 = %q", d.Line(1))
	}
	if w := d.Widest(); w != 10 {
		t.Errorf("Widest() = %d, want the cut at 10", w)
	}
	if w := prepare(t, "abc\nabcdef\nab", Options{}).Widest(); w != 6 {
		t.Errorf("Widest() = %d, want 6", w)
	}
}

func TestLineOf(t *testing.T) {
	d := prepare(t, "ab\ncd\n\nef", Options{ContentType: "text/plain"})
	for off, want := range []int{0, 0, 0, 1, 1, 1, 2, 3, 3} {
		if got := d.LineOf(off); got != want {
			t.Errorf("LineOf(%d) = %d, want %d", off, got, want)
		}
	}
}

func TestPrepareCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Prepare(ctx, sampleBody(4<<20), Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
