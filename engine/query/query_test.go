package query

import (
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
)

func TestInputsAndValues(t *testing.T) {
	q := Query{
		Path:    "/users/{{id}}",
		Params:  kv.List{kv.On("q", "{{search}}"), {Key: "off", Value: "{{disabled}}", Enabled: false}},
		Headers: kv.List{kv.On("X-Tenant", "{{tenant}}")},
		Body:    Body{Kind: BodyJSON, Text: `{"id": {{id}}, "note": "{{note}}"}`},
		Variables: []Variable{
			{Name: "tenant", Description: "Customer tenant", Default: "acme"},
			{Name: "unused", Default: "x"},
		},
	}
	var names []string
	for _, v := range q.Inputs(nil) {
		names = append(names, v.Name)
	}
	if want := []string{"id", "search", "tenant", "note"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("inputs %v, want %v", names, want)
	}
	if in := q.Inputs(nil)[2]; in.Description != "Customer tenant" || in.Default != "acme" {
		t.Fatalf("tenant input lost its description/default: %+v", in)
	}
	vals := q.Values(map[string]string{"id": "7", "tenant": "other"})
	if vals["tenant"] != "other" || vals["id"] != "7" || vals["unused"] != "x" {
		t.Fatalf("values %v", vals)
	}
}

func TestValidate(t *testing.T) {
	ok := Query{Name: "List users", ResourceID: "r1", Method: "get", Path: "/users"}
	if es := ok.Validate(); len(es) != 0 {
		t.Fatalf("valid query: %v", es)
	}
	tests := []struct {
		name  string
		edit  func(q *Query)
		field string
		want  string
	}{
		{"absolute path", func(q *Query) { q.Path = "https://x.com/users" }, "path", "Path is relative to the resource's base URL"},
		{"method", func(q *Query) { q.Method = "GE T" }, "method", `Method "GE T" is not valid`},
		{"json", func(q *Query) { q.Body = Body{Kind: BodyJSON, Text: "{\n  \"a\": 1,\n}"} }, "body", "The body is not valid JSON: line 3, a comma is followed by }"},
		{"json variable ok", func(q *Query) { q.Body = Body{Kind: BodyJSON, Text: `{"a": {{n}}}`} }, "body", ""},
		{"no resource", func(q *Query) { q.ResourceID = "" }, "resource", "Choose the resource this query runs on"},
		{"header", func(q *Query) { q.Headers = kv.List{kv.On("A:B", "x")} }, "headers[0].key", `Header name may not contain ':'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := ok
			tt.edit(&q)
			got := q.Validate().For(tt.field)
			if tt.want == "" && got != "" || !strings.HasPrefix(got, tt.want) {
				t.Fatalf("message for %s = %q, want prefix %q", tt.field, got, tt.want)
			}
		})
	}
}

func TestVariableNamesOnAResource(t *testing.T) {
	res := &resource.Resource{
		BaseURL: "https://{{host}}/v1",
		Params:  kv.List{kv.On("tenant", "{{tenant}}"), {Key: "off", Value: "{{off}}"}},
		Headers: kv.List{kv.On("X-Trace", "{{trace}}"), kv.On("Accept", "{{accept}}")},
		Cookies: kv.List{kv.On("sid", "{{sid}}")},
	}
	q := &Query{
		Path:    "/users/{{id}}",
		Params:  kv.List{kv.On("q", "{{search}}")},
		Headers: kv.List{kv.On("x-trace", "fixed")}, // replaces the resource's X-Trace: {{trace}} is not sent
		Body:    Body{Kind: BodyForm, Text: "{{stale}}", Form: kv.List{kv.On("name", "{{name}}")}},
	}
	want := []string{"host", "id", "tenant", "search", "accept", "sid", "name"}
	if got := q.VariableNames(res); !reflect.DeepEqual(got, want) {
		t.Errorf("VariableNames(res) = %v, want %v", got, want)
	}
	if got, want := q.VariableNames(nil), []string{"id", "search", "name"}; !reflect.DeepEqual(got, want) {
		t.Errorf("VariableNames(nil) = %v, want %v", got, want)
	}
	var inputs []string
	for _, in := range q.Inputs(res) {
		inputs = append(inputs, in.Name)
	}
	if !reflect.DeepEqual(inputs, want) {
		t.Errorf("Inputs(res) = %v, want %v", inputs, want)
	}
}
