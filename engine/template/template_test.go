package template

import (
	"errors"
	"reflect"
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
	if want := "these variables have no value: {{b}}, {{c}}: give each one a value"; me.Error() != want {
		t.Fatalf("message %q", me.Error())
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
