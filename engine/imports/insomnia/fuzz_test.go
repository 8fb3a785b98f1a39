package insomnia_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"apidesk/engine/imports"
	"apidesk/engine/imports/insomnia"
	"apidesk/engine/imports/internal/importtest"
)

// FuzzRead checks that Read never panics, that every error it returns is an imports.FormatError, and that
// every plan it returns passes collection.Check: the workspace saves it, and no secret is written out in it.
//
// Run it with: go test ./engine/imports/insomnia -run '^$' -fuzz FuzzRead -fuzztime 1m -fuzzminimizetime 5s
// (the seeds are whole exports, which take the fuzzer a long time to minimize otherwise). The seeds are the
// files in testdata and a few small documents; testdata/fuzz/FuzzRead keeps the inputs that once found a bug.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"_type: export\nresources:\n  - {_id: w, _type: workspace, name: W}\n  - {_id: r, _type: request, parentId: w, url: 'x.example/{% now %}?a={{ _.b | upper }}', body: {mimeType: multipart/form-data, params: [{name: f, type: file, fileName: a.txt}]}}\n",
		"type: collection.insomnia.rest/5.0\ncollection:\n  - name: F\n    children:\n      - {name: R, method: POST, url: '{{ _.u }}', authentication: {type: oauth2, grantType: client_credentials, accessTokenUrl: 'https://t.example/token', clientId: c}}\nenvironments: {data: {u: 'https://a.example'}, subEnvironments: [{name: S, data: {u: 'https://b.example'}}]}\n",
		`{"_type":"export","resources":[{"_id":"r","_type":"request","url":"{{ _['a b'] }}/:id","pathParameters":[{"name":"id","value":"1"}],"headers":[{"name":"Authorization","value":"Basic YTpi"}]}]}`,
		"a: &a [*a]", "a: &a {b: *a}\n_type: export\nresources: *a",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := insomnia.Read(context.Background(), imports.Source{Name: "fuzz.yaml", Data: data})
		importtest.CheckRead(t, p, err)
	})
}
