package jsonview

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestArraysRanking(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       string // path:len:objects, best first
	}{
		{
			name: "an echo answer: its header lists rank below the array of objects",
			body: `{"args":{},"headers":{"Accept-Encoding":["gzip"],"X-Tags":["a","b","c"]},"json":{"items":[{"id":1},{"id":2}]}}`,
			want: "json.items:2:true headers.X-Tags:3:false headers.Accept-Encoding:1:false",
		},
		{
			name: "an echo answer with no rows has only its header lists",
			body: `{"headers":{"Accept-Encoding":["gzip"]},"url":"http://x/get"}`,
			want: "headers.Accept-Encoding:1:false",
		},
		{
			name: "longest array of objects first, ties by depth then document order",
			body: `{"a":[{"x":1}],"b":{"c":[{"x":1},{"x":2}]},"d":[{"x":1}],"e":[]}`,
			want: "b.c:2:true a:1:true d:1:true",
		},
		{
			name: "the body itself, and nothing inside it",
			body: ` [{"a":[{"b":1}]},{"a":[]}]`,
			want: ":2:true",
		},
		{name: "a scalar", body: `42`, want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			arrays, err := Arrays(context.Background(), []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range arrays {
				got = append(got, fmt.Sprintf("%s:%d:%v", a.Path, a.Len, a.Objects))
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("arrays %q, want %q", g, tc.want)
			}
		})
	}
}

func TestFindTableAtPathWithColumns(t *testing.T) {
	body := `{"meta":{"tags":["x","y"]},"data":{"items":[{"id":1,"name":"Ada","role":"admin"},{"id":2,"role":"x"}]}}`
	tb := findTable(t, body, TableOptions{Path: "meta.tags"})
	if got := grid(tb); tb.Path() != "meta.tags" || got != "(value)\nx\ny" {
		t.Errorf("meta.tags: path %q, grid\n%s", tb.Path(), got)
	}
	tb = findTable(t, body, TableOptions{Path: "data.items", Columns: []Column{{Key: "role", Label: "Role"}, {Key: "id"}, {Key: "missing", Label: "Gone"}}})
	if got, want := grid(tb), "Role | id | Gone\nadmin | 1 | \nx | 2 | "; got != want {
		t.Errorf("chosen columns: grid\n%s\nwant\n%s", got, want)
	}
	if got := strings.Join(tb.Keys(), ","); got != "role,id,missing" {
		t.Errorf("keys %q", got)
	}
	top := findTable(t, `[{"a":1}]`, TableOptions{Path: TopLevel})
	if top.Path() != "" || top.Rows() != 1 {
		t.Errorf("top level: path %q, %d rows", top.Path(), top.Rows())
	}
	for _, p := range []string{"data", "data.nope", "meta.tags.x", TopLevel} {
		if _, err := FindTable(context.Background(), []byte(body), TableOptions{Path: p}); !errors.Is(err, ErrNoTable) {
			t.Errorf("path %q: err = %v, want ErrNoTable", p, err)
		}
	}
}
