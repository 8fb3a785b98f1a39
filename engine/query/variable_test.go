package query

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"apidesk/engine/kv"
)

func TestCheckEachType(t *testing.T) {
	status := Variable{Name: "status", Type: TypeChoice, Options: []Option{{Value: "open", Label: "Open"}, {Value: "closed", Label: "Closed"}}}
	tests := []struct {
		name  string
		v     Variable
		value string
		want  string // the canonical value; "" with err for a refused one
		err   string // the words, exactly
	}{
		{"text", Variable{Name: "customer_id"}, "c-42", "c-42", ""},
		{"text keeps its spaces", Variable{Name: "q"}, " ann ", " ann ", ""},
		{"text needed", Variable{Name: "customer_id"}, "", "", "Fill in Customer id: the query needs it"},
		{"text on one line", Variable{Name: "q"}, "a\nb", "", "Q must be on one line"},
		{"text optional", Variable{Name: "q", Optional: true}, "", "", ""},
		{"text pattern ok", Variable{Name: "order", Pattern: `[A-Z]{2}-\d+`}, "AB-12", "AB-12", ""},
		{"text pattern is the whole value", Variable{Name: "order", Pattern: `[A-Z]{2}-\d+`}, "xAB-12", "", "Order is not in the form expected"},
		{"text pattern explained", Variable{Name: "order", Label: "Order", Description: "two letters, a dash, digits", Pattern: `[A-Z]{2}-\d+`}, "12", "",
			"Order is not in the form expected: two letters, a dash, digits"},
		{"multi-line", Variable{Name: "note", Type: TypeMultiline}, "a\nb\n", "a\nb\n", ""},
		{"number", Variable{Name: "amount", Type: TypeNumber}, " 10.50 ", "10.50", ""},
		{"number negative", Variable{Name: "amount", Type: TypeNumber}, "-3", "-3", ""},
		{"number exponent", Variable{Name: "amount", Type: TypeNumber}, "1e3", "1e3", ""},
		{"number words", Variable{Name: "amount", Type: TypeNumber}, "ten", "", "Amount must be a number, like 10.50"},
		{"number thousands", Variable{Name: "amount", Type: TypeNumber}, "1,000", "", "Amount must be a number, like 10.50"},
		{"number fraction", Variable{Name: "amount", Type: TypeNumber}, "1/2", "", "Amount must be a number, like 10.50"},
		{"number min", Variable{Name: "amount", Type: TypeNumber, Min: "0.01"}, "0", "", "Amount must be at least 0.01"},
		{"number max", Variable{Name: "amount", Type: TypeNumber, Max: "100"}, "100.01", "", "Amount must be at most 100"},
		{"number in range", Variable{Name: "amount", Type: TypeNumber, Min: "0.01", Max: "100"}, "100", "100", ""},
		{"integer", Variable{Name: "count", Type: TypeInteger}, "+42", "42", ""},
		{"integer decimal", Variable{Name: "count", Type: TypeInteger}, "4.2", "", "Count must be a whole number, like 42"},
		{"integer max", Variable{Name: "count", Type: TypeInteger, Max: "10"}, "11", "", "Count must be at most 10"},
		{"boolean yes", Variable{Name: "notify", Type: TypeBoolean}, "Yes", "true", ""},
		{"boolean 0", Variable{Name: "notify", Type: TypeBoolean}, "0", "false", ""},
		{"boolean empty is false", Variable{Name: "notify", Type: TypeBoolean}, "", "false", ""},
		{"boolean other", Variable{Name: "notify", Type: TypeBoolean}, "maybe", "", "Notify must be yes or no (true or false)"},
		{"date", Variable{Name: "due", Type: TypeDate}, "2026-12-31", "2026-12-31", ""},
		{"date the wrong way round", Variable{Name: "due", Label: "Date", Type: TypeDate}, "31/12/2026", "", "Date must look like 2026-12-31"},
		{"date no such day", Variable{Name: "due", Type: TypeDate}, "2026-02-30", "", "Due must look like 2026-12-31"},
		{"date min", Variable{Name: "due", Type: TypeDate, Min: "2026-01-01"}, "2025-12-31", "", "Due must be on or after 2026-01-01"},
		{"date-time with zone", Variable{Name: "at", Type: TypeDateTime}, "2026-12-31T15:04:05+01:00", "2026-12-31T15:04:05+01:00", ""},
		{"date-time with a space, no seconds", Variable{Name: "at", Type: TypeDateTime}, "2026-12-31 15:04", "2026-12-31T15:04:00", ""},
		{"date-time UTC", Variable{Name: "at", Type: TypeDateTime}, "2026-12-31 15:04:05Z", "2026-12-31T15:04:05Z", ""},
		{"date-time a date only", Variable{Name: "at", Type: TypeDateTime}, "2026-12-31", "", "At must look like 2026-12-31T15:04:05Z (or 2026-12-31 15:04)"},
		{"date-time max", Variable{Name: "at", Type: TypeDateTime, Max: "2026-12-31T00:00:00Z"}, "2026-12-31T01:00:00+00:00", "", "At must be at or before 2026-12-31T00:00:00Z"},
		{"choice value", status, "closed", "closed", ""},
		{"choice label", status, "Open", "open", ""},
		{"choice other", status, "pending", "", "Pick one of: Open, Closed"},
		{"choice needed", status, "", "", "Pick one of: Open, Closed"},
		{"secret", Variable{Name: "session", Type: TypeSecret}, "s3cr3t value", "s3cr3t value", ""},
		{"secret needed", Variable{Name: "session", Type: TypeSecret}, "", "", "Fill in Session: the query needs it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.v.Canonical(tt.value)
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if msg != tt.err || got != tt.want {
				t.Errorf("Canonical(%q) = %q, %q; want %q, %q", tt.value, got, msg, tt.want, tt.err)
			}
			if cerr := tt.v.Check(tt.value); (cerr == nil) != (tt.err == "") {
				t.Errorf("Check(%q) = %v", tt.value, cerr)
			}
		})
	}
}

func TestValidateVariables(t *testing.T) {
	tests := []struct {
		name  string
		v     Variable
		field string
		want  string
	}{
		{"unknown type", Variable{Name: "x", Type: "colour"}, "type", `Unknown type "colour" for {{x}}`},
		{"choice without options", Variable{Name: "x", Type: TypeChoice}, "options", "{{x}} is a choice: give it the options"},
		{"option without value", Variable{Name: "x", Type: TypeChoice, Options: []Option{{Label: "A"}}}, "options[0]", "An option of {{x}} has no value"},
		{"options on text", Variable{Name: "x", Options: []Option{{Value: "a"}}}, "options", "{{x}} has options but is not a choice"},
		{"bad pattern", Variable{Name: "x", Pattern: "("}, "pattern", "The pattern of {{x}} is not a valid regular expression"},
		{"pattern on a number", Variable{Name: "x", Type: TypeNumber, Pattern: `\d+`}, "pattern", "{{x}} is a number: a pattern is only for text"},
		{"min on text", Variable{Name: "x", Min: "1"}, "min", "a lowest or highest value is only for numbers and dates"},
		{"max not a date", Variable{Name: "x", Type: TypeDate, Max: "soon"}, "max", "The highest value of {{x}}: x must look like 2026-12-31"},
		{"default refused", Variable{Name: "x", Type: TypeInteger, Default: "1.5"}, "default", "The default of {{x}}: x must be a whole number, like 42"},
		{"secret default", Variable{Name: "x", Type: TypeSecret, Default: "hunter2"}, "default", "{{x}} holds a secret: it cannot have a saved default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Query{Name: "Q", ResourceID: "r1", Variables: []Variable{tt.v}}
			es := q.Validate()
			msg := es.For("variables[0]." + tt.field)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("problem with %s is %q, want %q (all: %v)", tt.field, msg, tt.want, es)
			}
			if strings.Contains(es.Error(), "hunter2") {
				t.Error("a problem repeats the secret")
			}
		})
	}
	good := Query{Name: "Q", ResourceID: "r1", Variables: []Variable{
		{Name: "a", Type: TypeNumber, Min: "0", Max: "10.5", Default: "3"},
		{Name: "b", Type: TypeChoice, Options: []Option{{Value: "x"}}, Default: "x"},
		{Name: "c", Type: TypeDateTime, Min: "2026-01-01 00:00"},
		{Name: "d", Type: TypeSecret, Pattern: `\S+`},
	}}
	if es := good.Validate(); len(es) > 0 {
		t.Errorf("valid variables refused: %v", es)
	}
}

func TestFillChecksAndCanonicalizes(t *testing.T) {
	q := Query{
		Path:   "/orders/{{order_id}}/refund",
		Params: kv.List{kv.On("amount", "{{amount}}"), kv.On("notify", "{{notify}}"), kv.On("note", "{{note}}"), kv.On("on", "{{day}}"), kv.On("s", "{{session}}")},
		Variables: []Variable{
			{Name: "amount", Type: TypeNumber, Min: "0.01"},
			{Name: "notify", Type: TypeBoolean},
			{Name: "note", Optional: true},
			{Name: "day", Type: TypeDate, Default: "2026-01-02"},
			{Name: "session", Type: TypeSecret, Default: "never used"},
		},
	}
	vals, problems, order := q.Fill(nil, map[string]string{"order_id": "7", "amount": "x", "session": "tok", "extra": "kept"})
	if want := []string{"amount"}; !slices.Equal(order, want) || problems["amount"].Error() != "Amount must be a number, like 10.50" {
		t.Fatalf("problems %v in order %v", problems, order)
	}
	want := map[string]string{"order_id": "7", "amount": "x", "notify": "false", "note": "", "day": "2026-01-02", "session": "tok", "extra": "kept"}
	if !reflect.DeepEqual(vals, want) {
		t.Errorf("values %v, want %v", vals, want)
	}
	vals, problems, _ = q.Fill(nil, map[string]string{"amount": " 10.50 ", "notify": "yes"})
	if len(problems) > 0 || vals["amount"] != "10.50" || vals["notify"] != "true" {
		t.Errorf("values %v, problems %v", vals, problems)
	}
	if _, ok := vals["session"]; ok {
		t.Error("a secret got a saved default")
	}
	if _, ok := vals["order_id"]; ok {
		t.Error("a variable with no value and no default was given one: the runner should name it as missing")
	}
	if got := q.Values(nil)["session"]; got != "" {
		t.Errorf("Values gives a secret its saved default %q", got)
	}
	if got := q.WithoutSecrets(map[string]string{"session": "tok", "amount": "1"}); !reflect.DeepEqual(got, map[string]string{"amount": "1"}) {
		t.Errorf("WithoutSecrets = %v", got)
	}
}

func TestTitle(t *testing.T) {
	for _, c := range []struct {
		v    Variable
		want string
	}{
		{Variable{Name: "customer_id"}, "Customer id"},
		{Variable{Name: "élan"}, "Élan"},
		{Variable{Name: "x", Label: "Order number"}, "Order number"},
	} {
		if got := c.v.Title(); got != c.want {
			t.Errorf("%+v.Title() = %q, want %q", c.v, got, c.want)
		}
	}
}
