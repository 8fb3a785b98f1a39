package template

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	vars := map[string]string{"id": "42", "user.name": "ann", "empty": ""}
	tests := []struct {
		name, in, want string
		missing        []string
	}{
		{"plain", "/users", "/users", nil},
		{"one", "/users/{{id}}", "/users/42", nil},
		{"spaces", "/users/{{ id }}/x", "/users/42/x", nil},
		{"dotted", "{{user.name}}-{{id}}", "ann-42", nil},
		{"empty value", "a{{empty}}b", "ab", nil},
		{"json braces kept", `{"a":{"b":1}}`, `{"a":{"b":1}}`, nil},
		{"not a name", "{{ }} {{a b}}", "{{ }} {{a b}}", nil},
		{"unclosed", "x {{id", "x {{id", nil},
		{"placeholder untouched", "Bearer {-oauth_access_token-}", "Bearer {-oauth_access_token-}", nil},
		{"missing", "{{id}}/{{nope}}/{{other}}/{{nope}}", "", []string{"nope", "other"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Expand(tt.in, vars)
			if tt.missing != nil {
				var me *MissingError
				if !errors.As(err, &me) || !reflect.DeepEqual(me.Names, tt.missing) || !errors.Is(err, ErrMissing) {
					t.Fatalf("Expand(%q) error = %v, want missing %v", tt.in, err, tt.missing)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNames(t *testing.T) {
	got := Names("/u/{{id}}", "{{ token }} {{id}}", `{"q":"{{query}}"}`)
	want := []string{"id", "token", "query"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Names = %v, want %v", got, want)
	}
}

func TestExpanderCollectsAllMissing(t *testing.T) {
	x := &Expander{Vars: map[string]string{"a": "1"}}
	if got := x.Expand("{{a}}"); got != "1" {
		t.Fatalf("got %q", got)
	}
	x.Expand("{{b}}")
	x.Expand("{{c}} {{b}}")
	var me *MissingError
	if !errors.As(x.Err(), &me) || !reflect.DeepEqual(me.Names, []string{"b", "c"}) {
		t.Fatalf("Err = %v", x.Err())
	}
	if want := "these variables have no value: {{b}}, {{c}}"; me.Error() != want {
		t.Fatalf("message %q", me.Error())
	}
	if one := (&MissingError{Names: []string{"id"}}).Error(); strings.Contains(one, "--var") || !strings.Contains(one, "{{id}}") {
		t.Fatalf("message %q: it names the variable, and leaves how to give it to the caller", one)
	}
}

// span is one {{name}} found by scan.
type span struct {
	start, end int
	name       string
}

func spans(s string) ([]span, int) {
	var out []span
	read := scan(s, func(start, end int, name string) { out = append(out, span{start, end, name}) })
	return out, read
}

// definedSpans is the definition of a variable, written as plainly as possible (and in quadratic time): the text
// from a "{{" to the first "}}" after it, trimmed, is a valid name; otherwise the search goes on one byte later.
func definedSpans(s string) []span {
	var out []span
	for i := 0; i < len(s); {
		open := strings.Index(s[i:], "{{")
		if open < 0 {
			break
		}
		open += i
		closeRel := strings.Index(s[open+2:], "}}")
		if closeRel < 0 {
			break
		}
		end := open + 2 + closeRel + 2
		if name := strings.TrimSpace(s[open+2 : end-2]); ValidName(name) {
			out = append(out, span{open, end, name})
			i = end
		} else {
			i = open + 1
		}
	}
	return out
}

var scanSeeds = []string{
	"", "{{", "}}", "{{}}", "{{a}}", "{{ a }}", "{{{a}}", "{{{{a}}", "{{a}}}", "{{a}b}}", "{{a {{b}}", "{{ }}",
	"{{a b}}", "x {{id", "{{\u00a0id\u2003}}", "{{\u00e9}}", "{{\xffa}}", "{{a\xff}}", "{{\ta\n}}", "{{a}}{{b}}",
	`{"a":{"b":1}}`, "{{{{{{", "{{ {{ {{x}} }} }}", "{-oauth_access_token-}", "{{a.b-c_d}}x{{ e }}",
}

func TestScanMatchesDefinition(t *testing.T) {
	for _, s := range scanSeeds {
		got, _ := spans(s)
		if want := definedSpans(s); !reflect.DeepEqual(got, want) {
			t.Errorf("scan(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, read := spans(s)
		if want := definedSpans(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("scan(%q) = %v, want %v", s, got, want)
		}
		if read > 3*len(s)+8 {
			t.Fatalf("scan(%q) read %d bytes of %d", s, read, len(s))
		}
	})
}

// hostile are texts on which a scan that searches ahead for "}}" from every "{{", or a list of names searched
// one by one, does work that grows with the square of their size.
var hostile = map[string]func(n int) string{
	"distinct names": func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, "{{v%d}} ", i)
		}
		return b.String()
	},
	"opens, one close at the end": func(n int) string { return strings.Repeat("{{ x", n/4) + "}}" },
	"braces":                      func(n int) string { return strings.Repeat("{", n) + "}}" },
	"names with spaces":           func(n int) string { return strings.Repeat("{{a b ", n/6) + "}}" },
	"json":                        func(n int) string { return strings.Repeat(`[{"a":{"b":"{{id}}"}},`, n/22) },
}

// TestScanWorkIsLinear holds scan to reading each byte a few times at most, at two sizes, whatever the text.
func TestScanWorkIsLinear(t *testing.T) {
	for name, gen := range hostile {
		t.Run(name, func(t *testing.T) {
			for _, n := range []int{1 << 12, 1 << 14} {
				s := gen(n)
				if _, read := spans(s); read > 3*len(s)+8 {
					t.Fatalf("scan read %d bytes of a %d-byte text", read, len(s))
				}
			}
		})
	}
}

// TestBigTexts runs Names, Expand and an Expander on 4 MB hostile texts. With the quadratic scan and name lists
// this took about 20 minutes (1 MB of distinct names took 36 s); now it takes a second or two, so a regression
// shows up as the test binary's -timeout (10 minutes unless told) rather than as a flaky time limit.
func TestBigTexts(t *testing.T) {
	if testing.Short() {
		t.Skip("4 MB texts")
	}
	const size = 4 << 20
	distinct := hostile["distinct names"](size)
	names := Names(distinct)
	if len(names) != strings.Count(distinct, "{{") || names[0] != "v0" || names[len(names)-1] != fmt.Sprintf("v%d", len(names)-1) {
		t.Fatalf("Names found %d names, %q … %q", len(names), names[0], names[len(names)-1])
	}
	var me *MissingError
	if _, err := Expand(distinct, nil); !errors.As(err, &me) || len(me.Names) != len(names) {
		t.Fatalf("Expand: %v", err)
	}
	x := &Expander{}
	quarter := distinct[:strings.LastIndexByte(distinct[:size/4], ' ')]
	for _, part := range strings.SplitAfter(quarter, " ") {
		x.Expand(part)
		x.Expand(part)
	}
	if !errors.As(x.Err(), &me) || !reflect.DeepEqual(me.Names, Names(quarter)) {
		t.Fatalf("Expander: %v", x.Err())
	}
	for name, gen := range hostile {
		if name == "distinct names" {
			continue
		}
		s := gen(size)
		vars := map[string]string{"x": "1", "a": "1", "id": "1"}
		if got, err := Expand(s, vars); err != nil || len(got) < len(s)/2 {
			t.Fatalf("%s: Expand = %d bytes, %v", name, len(got), err)
		}
	}
}

func BenchmarkNames(b *testing.B) {
	for _, name := range []string{"distinct names", "opens, one close at the end", "json"} {
		for _, n := range []int{1 << 16, 1 << 20} {
			s := hostile[name](n)
			b.Run(fmt.Sprintf("%s/%dKB", name, n>>10), func(b *testing.B) {
				b.SetBytes(int64(len(s)))
				for b.Loop() {
					Names(s)
				}
			})
		}
	}
}

func BenchmarkExpand(b *testing.B) {
	s := hostile["json"](1 << 20)
	vars := map[string]string{"id": "42"}
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if _, err := Expand(s, vars); err != nil {
			b.Fatal(err)
		}
	}
}

func TestExpanderKeepsMissing(t *testing.T) {
	x := &Expander{Vars: map[string]string{"a": "1"}, KeepMissing: true}
	if got, want := x.Expand("{{a}}/{{ b }}/{{a}}{{c}}"), "1/{{ b }}/1{{c}}"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if err := x.Err(); err != nil {
		t.Fatalf("Err = %v, want none: missing names are kept", err)
	}
}

func TestFillAndOnlyPlaceholders(t *testing.T) {
	if got, want := Fill(`{"id": {{id}}, "n": {{ n }}, "x": "{{}}"}`, "0"), `{"id": 0, "n": 0, "x": "{{}}"}`; got != want {
		t.Errorf("Fill = %q, want %q", got, want)
	}
	for s, want := range map[string]bool{
		"": true, " {{a}} {-api_key-} ": true, "Bearer {{t}}": false, "{-oauth_access_token-}{{x}}": true, "{- x -}": false,
	} {
		if got := OnlyPlaceholders(s); got != want {
			t.Errorf("OnlyPlaceholders(%q) = %v, want %v", s, got, want)
		}
	}
	if !HasPlaceholder("a {-secret-}") || HasPlaceholder("a {{secret}}") {
		t.Error("HasPlaceholder")
	}
}

func TestBlank(t *testing.T) {
	for in, want := range map[string]string{
		`{"n": {{n}}, "s": "a{{ x }}b"}`: `{"n": 0    , "s": "a0      b"}`,
		"no variables":                   "no variables",
		"{{not a name}} {{{a}}":          "{{not a name}} {0    ",
	} {
		if got := Blank(in); got != want || len(got) != len(in) {
			t.Errorf("Blank(%q) = %q, want %q", in, got, want)
		}
	}
}
