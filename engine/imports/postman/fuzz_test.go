package postman_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"apidesk/engine/imports"
	"apidesk/engine/imports/postman"
	"apidesk/engine/query"
)

// FuzzRead checks that Read never panics and refuses only with a format error; that what it reads can be
// saved (the resource and every query pass their checks, each query has its own Source); and that the
// resource with its queries, exported and read again, gives the same requests.
//
// Run it with: go test ./engine/imports/postman -run '^$' -fuzz FuzzRead -fuzztime 3m
// The seeds are the collections of testdata and a few small ones.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		`{"info": {"name": "x"}, "item": [{"name": "a", "request": "https://a.example/x/:id?b=1#f"}]}`,
		`{"info": {"name": "x"}, "item": [{"name": "f", "item": [{"name": "a", "request": {"url": {"host": "a.example", "path": "p"}}}]}]}`,
		`{"info": {"name": "x"}, "auth": {"type": "apikey", "apikey": {"key": "k", "in": "query"}}, "item": [{"request": {"url": "{{u}}/x", "auth": {"type": "bearer"}}}]}`,
		`{"info": {"name": "x"}, "item": [{"request": {"method": "POST", "url": "h/x", "body": {"mode": "formdata", "formdata": [{"key": "f", "type": "file", "src": ["a", "b"]}]}}}]}`,
		`{"info": {"name": "x"}, "item": [{"request": {"url": "a.example/{{$guid}}", "header": "A: b\n// C: d", "body": {"mode": "graphql", "graphql": {"query": "{a}", "variables": "{{v}}"}}}}]}`,
		`{"info": {"name": "x"}, "item": [{"request": {"url": "https://u:p@a.example", "body": {"mode": "raw", "raw": "{\"password\": \"p\"}"}}}]}`,
		`{"values": []}`, `{"item": 1}`, `[]`, `{"info": {"name": "x"}, "item": [{"item": [{"item": []}]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		p, err := postman.Read(ctx, imports.Source{Name: "f.json", Data: data})
		if err != nil {
			if !errors.Is(err, imports.ErrFormat) {
				t.Fatalf("Read error %q is no format error", err)
			}
			return
		}
		if len(p.Resources) != 1 {
			t.Fatalf("%d resources", len(p.Resources))
		}
		r := p.Resources[0]
		if es := r.Resource.Validate(); len(es) > 0 {
			t.Fatalf("the resource cannot be saved: %v\n%+v", es, r.Resource)
		}
		seen := map[string]bool{}
		qs := make([]*query.Query, len(r.Queries))
		for i, q := range r.Queries {
			if es := valid(q); len(es) > 0 {
				t.Fatalf("the query %q cannot be saved: %v\n%+v", q.Name, es, q)
			}
			if seen[q.Source] {
				t.Fatalf("two queries come from %s", q.Source)
			}
			seen[q.Source] = true
			qs[i] = &r.Queries[i]
		}
		data, err = postman.Export(&r.Resource, qs)
		if err != nil {
			t.Fatal(err)
		}
		back, err := postman.Read(ctx, imports.Source{Name: "f.json", Data: data})
		if err != nil {
			t.Fatalf("the export cannot be read: %v\n%s", err, data)
		}
		b := back.Resources[0]
		if len(qs) > 0 && b.Resource.BaseURL != r.Resource.BaseURL || !reflect.DeepEqual(b.Resource.Auth, r.Resource.Auth) {
			t.Fatalf("read again, the resource is\n%+v, not\n%+v", b.Resource, r.Resource)
		}
		if len(b.Queries) != len(r.Queries) {
			t.Fatalf("read again, %d queries, not %d\n%s", len(b.Queries), len(r.Queries), data)
		}
		for i, q := range b.Queries {
			want := r.Queries[i]
			q.Variables, want.Variables, q.Source, want.Source = nil, nil, "", ""
			if !reflect.DeepEqual(q, want) {
				t.Fatalf("read again, query %d is\n%#v, not\n%#v", i, q, want)
			}
		}
	})
}
