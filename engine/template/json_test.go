package template

import (
	"strings"
	"testing"
)

// ReplaceJSONStrings sees each string value with its key (at any depth, "" in an array), never a key, gives the
// value as written (escapes and all), keeps the rest of the text byte for byte, and reads a body with
// {{variables}} in place of values, or one that is cut short, as far as it goes.
func TestReplaceJSONStrings(t *testing.T) {
	var seen []string
	got := ReplaceJSONStrings(`{"user": {"name":"ann", "password": "p\u0061ss"}, "tags": ["x", "token"], "n": {{count}}, "password":"cut`,
		func(key, value, raw string) (string, bool) {
			seen = append(seen, key+"="+value+"|"+raw)
			return "{{" + key + "}}", key == "password" || value == "token"
		})
	if want := `{"user": {"name":"ann", "password": "{{password}}"}, "tags": ["x", "{{}}"], "n": {{count}}, "password":"cut`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if want := "[name=ann|ann password=pass|p\\u0061ss =x|x =token|token]"; "["+strings.Join(seen, " ")+"]" != want {
		t.Errorf("seen %q, want %s", seen, want)
	}
	if got := ReplaceJSONStrings("not json", func(string, string, string) (string, bool) { return "x", true }); got != "not json" {
		t.Errorf("not JSON became %q", got)
	}
}
