package query

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateJSONSaysWhereAndWhatInPlainWords(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		line, col int
		want      string
	}{
		{"missing comma", "{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "The body is not valid JSON: line 3, a comma or } is missing"},
		{"missing value", `{"name": }`, 1, 10, "line 1, a value is missing before }"},
		{"trailing comma", "{\"a\": 1,\n}", 2, 1, "a comma is followed by }: remove the last comma"},
		{"array", `[1 2]`, 1, 4, "a comma or ] is missing"},
		{"colon", `{"a" 1}`, 1, 6, "a colon : is missing after the name"},
		{"single quotes", `{'a': 1}`, 1, 2, "double quotes"},
		{"bare word", `{"a": yes}`, 1, 7, "a value is expected here"},
		{"cut short", `{"a": [1, 2`, 1, 11, "it ends too early"},
		{"two values", `{} {}`, 1, 4, "the body must be one value"},
		{"variable keeps columns", `{"id": {{id}} "x": 1}`, 1, 15, "a comma or } is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateJSON(tt.body)
			var je *JSONError
			if !errors.As(err, &je) {
				t.Fatalf("ValidateJSON(%q) = %v, want a *JSONError", tt.body, err)
			}
			if !strings.Contains(err.Error(), tt.want) || je.Line != tt.line || je.Column != tt.col {
				t.Errorf("got %q at %d:%d, want %q at %d:%d", err, je.Line, je.Column, tt.want, tt.line, tt.col)
			}
			for _, parser := range []string{"invalid character", "looking for", "literal", "JSON input"} {
				if strings.Contains(err.Error(), parser) {
					t.Errorf("the parser's words %q reach the person: %q", parser, err)
				}
			}
		})
	}
	for _, ok := range []string{`{"id": {{id}}}`, ``, `  `, `[{"a": "{{x}}"}]`} {
		if err := ValidateJSON(ok); err != nil {
			t.Errorf("ValidateJSON(%q) = %v", ok, err)
		}
	}
}
