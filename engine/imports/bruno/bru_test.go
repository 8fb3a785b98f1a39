package bruno

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"apidesk/engine/imports/internal/importtest"
)

// The syntax Bruno writes (its own test files have each of these), read block by block.
func TestParse(t *testing.T) {
	src := strings.ReplaceAll(`meta {
  name: Send Bulk SMS
  type: http
  seq: 1
  tags: [
    foo
    bar
  ]
}

get {
  url: https://api.example/send/:id
  body: json
  auth: bearer
}

params:query {
  "key with spaces": is allowed
  "colon:parameter": is allowed
  "nested escaped \"quote\"": is allowed
  ~"disabled:colon:parameter": is allowed
  ~message: hello
  empty:
}

headers {
  @description('''
    several
    lines
  ''')
  check: again
  @description('''one''')
  token: {{t}}
}

vars:post-response {
  @orderNumber: $res.body.orderNumber
  ~@transactionId: $res.body.transactionId
}

vars:pre-request {
  @number
  coll_num: 100
  @object
  coll_obj: '''
    {"scope":"collection"}
  '''
}

body:multipart-form {
  multiline: '''
    "multiline-test"
    second
  ''' @contentType(application/json)
}

body:json {
  {
    "hello": "world"
  }
}

docs {}
`, "\n", "\r\n")
	f, err := parse(src)
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, b := range f.blocks {
		tags = append(tags, b.tag)
	}
	if want := []string{"meta", "get", "params:query", "headers", "vars:post-response", "vars:pre-request", "body:multipart-form", "body:json", "docs"}; !slices.Equal(tags, want) {
		t.Fatalf("blocks %q, want %q", tags, want)
	}
	meta := f.get("meta")
	if meta.value("name") != "Send Bulk SMS" || !slices.Equal(meta.pairs[3].list, []string{"foo", "bar"}) {
		t.Errorf("meta %+v", meta.pairs)
	}
	type kv struct {
		k, v string
		on   bool
	}
	read := func(b *block) []kv {
		var out []kv
		for _, p := range b.pairs {
			out = append(out, kv{p.key, p.value, p.enabled})
		}
		return out
	}
	for _, c := range []struct {
		tag  string
		want []kv
	}{
		{"params:query", []kv{{"key with spaces", "is allowed", true}, {"colon:parameter", "is allowed", true}, {`nested escaped "quote"`, "is allowed", true},
			{"disabled:colon:parameter", "is allowed", false}, {"message", "hello", false}, {"empty", "", true}}},
		{"headers", []kv{{"check", "again", true}, {"token", "{{t}}", true}}},
		{"vars:post-response", []kv{{"@orderNumber", "$res.body.orderNumber", true}, {"@transactionId", "$res.body.transactionId", false}}},
		{"vars:pre-request", []kv{{"coll_num", "100", true}, {"coll_obj", `{"scope":"collection"}`, true}}},
		{"body:multipart-form", []kv{{"multiline", "\"multiline-test\"\nsecond @contentType(application/json)", true}}},
	} {
		if got := read(f.get(c.tag)); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n %+v, want\n %+v", c.tag, got, c.want)
		}
	}
	if got := f.get("body:json").text; got != "{\n  \"hello\": \"world\"\n}" {
		t.Errorf("body:json %q", got)
	}
	env, err := parse("vars {\n  host: http://localhost\n  ~off: 1\n}\nvars:secret [\n  token,\n  ~password\n]\ncolor: #FF0000\n")
	if err != nil || !slices.Equal(env.get("vars:secret").items, []string{"token", "~password"}) {
		t.Errorf("environment %+v, %v", env, err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		src  string
		line int
		msg  string
	}{
		{"get {\n  url: x\n", 1, "the block get is not closed"},
		{"hello\n", 1, "this line does not start a block"},
		{"get {\n  url: x\n}\n\n  }\n", 5, "this line does not start a block"},
		{"headers {\n  no colon here\n}\n", 2, "write each line as name: value"},
		{"headers {\n  \"open: b\n}\n", 2, "quoted name is not closed"},
		{"headers {\n  \"a\" b\n}\n", 2, "write each line as name: value"},
		{"body:json {\n  {}\n", 1, "the block body:json is not closed"},
		{"vars {\n  a: '''\n    x\n}\n", 2, "the text of a that starts here is not closed"},
		{"vars:secret [\n  a\n", 1, "the list vars:secret is not closed"},
		{"meta {\n  tags: [\n    a\n}\n", 2, "the list tags is not closed"},
		{"headers {\n  @description('''\n    x\n}\n", 2, "the annotation in headers that starts here is not closed"},
		{"get x {\n}\n", 1, "this line does not start a block"},
	} {
		_, err := parse(c.src)
		var se *syntaxError
		if !errors.As(err, &se) || se.line != c.line || !strings.Contains(se.msg, c.msg) {
			t.Errorf("parse(%q) = %v, want line %d: %s", c.src, err, c.line, c.msg)
		}
	}
}

// FuzzRead checks that reading a collection never panics, that every error it returns is an
// imports.FormatError, and that every plan it returns passes collection.Check: the workspace saves it, and
// no secret is written out in it. The fuzzed text is each of the collection's files at once: a request, a
// folder.bru, collection.bru and an environment.
//
// Run it with: go test ./engine/imports/bruno -run '^$' -fuzz FuzzRead -fuzztime 1m -fuzzminimizetime 5s
// The seeds are the request files of testdata/shop and a few more; testdata/fuzz/FuzzRead keeps the inputs
// that once found a bug.
func FuzzRead(f *testing.F) {
	seeds := []string{
		"get {\n  url: {{base}}/a/:id?x=1\n  auth: bearer\n}\nparams:path {\n  id: 1\n}\nauth:bearer {\n  token: abc\n}\nvars {\n  base: https://a.example\n}\n",
		"http {\n  method: QUERY\n  url: a.example\n  body: multipartForm\n}\nbody:multipart-form {\n  f: @file(|x) @contentType(bad)\n  password: '''\n    p\n  '''\n}\n",
		"post {\n  url: https://a.example\n  body: graphql\n  auth: oauth2\n}\nauth:oauth2 {\n  grant_type: authorization_code\n  authorization_url: https://a.example/a\n  access_token_url: http://a.example/t\n  client_id: c\n  callback_url: https://x\n}\nbody:graphql:vars {\n  {{x}}\n}\n",
		"meta {\n  type: graphql\n}\npost {\n  url: {{$guid}}\n}\nheaders {\n  Cookie: session=abc; a=b\n  Authorization: Basic YTpi\n  ~\"x y\": 1\n}\n",
	}
	for _, pattern := range []string{"testdata/shop/*.bru", "testdata/shop/*/*.bru", "testdata/shop/*/*/*.bru"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, string(data))
		}
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fsys := fstest.MapFS{
			"bruno.json":           {Data: []byte(`{"name": "Fuzz"}`)},
			"collection.bru":       {Data: []byte(src)},
			"environments/Env.bru": {Data: []byte(src)},
			"folder/folder.bru":    {Data: []byte(src)},
			"folder/request.bru":   {Data: []byte(src)},
			"request.bru":          {Data: []byte(src)},
			"folder/sub/other.bru": {Data: []byte("get {\n  url: https://b.example/x\n}\n")},
		}
		p, err := read(context.Background(), fsys, "/collection")
		importtest.CheckRead(t, p, err)
	})
}
