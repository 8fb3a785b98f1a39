package jsonview

import (
	"strconv"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	cases := map[string][]string{
		`  "name": "Ada",`:        {`plain "  "`, `key "\"name\""`, `punct ": "`, `string "\"Ada\""`, `punct ","`},
		`    "n": -1.5e3,`:        {`plain "    "`, `key "\"n\""`, `punct ": "`, `number "-1.5e3"`, `punct ","`},
		`  true`:                  {`plain "  "`, `literal "true"`},
		`  null,`:                 {`plain "  "`, `literal "null"`, `punct ","`},
		`  "cut \" str`:           {`plain "  "`, `string "\"cut \\\" str"`},
		`  "k" : {}`:              {`plain "  "`, `key "\"k\" "`, `punct ": {}"`},
		`nope`:                    {`plain "nope"`},
		`  "a\\": "b\\"`:          {`plain "  "`, `key "\"a\\\\\""`, `punct ": "`, `string "\"b\\\\\""`},
		``:                        nil,
		`    "é": "ü" `:           {`plain "    "`, `key "\"é\""`, `punct ": "`, `string "\"ü\" "`},
		`  "x": truer`:            {`plain "  "`, `key "\"x\""`, `punct ": "`, `plain "truer"`},
		`"a":1,"b":2,"c":3,"d":4`: {`key "\"a\""`, `punct ":"`, `number "1"`, `punct ","`, `key "\"b\""`, `punct ":"`, `number "2"`, `punct ","`, `key "\"c\""`, `punct ":"`, `number "3"`, `punct ","`, `key "\"d\""`, `punct ":"`, `number "4"`},
	}
	for line, want := range cases {
		spans := Classify(line, nil)
		if got := describe(line, spans); strings.Join(got, " | ") != strings.Join(want, " | ") {
			t.Errorf("Classify(%q)\n got %s\nwant %s", line, strings.Join(got, " | "), strings.Join(want, " | "))
		}
	}
}

func TestClassifyBoundsSpans(t *testing.T) {
	line := strings.Repeat(`1,`, 500)
	spans := Classify(line, nil)
	if len(spans) > maxSpans {
		t.Errorf("%d spans, want at most %d", len(spans), maxSpans)
	}
	if end := spans[len(spans)-1].End; end != len(line) {
		t.Errorf("spans end at %d, want %d", end, len(line))
	}
}

func describe(line string, spans []Span) []string {
	names := [...]string{"plain", "punct", "key", "string", "number", "literal"}
	var out []string
	prev := 0
	for _, s := range spans {
		if s.Start != prev {
			out = append(out, "GAP")
		}
		prev = s.End
		out = append(out, names[s.Class]+" "+strconv.Quote(line[s.Start:s.End]))
	}
	return out
}
