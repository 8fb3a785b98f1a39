package har_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"apidesk/engine/imports"
	"apidesk/engine/imports/har"
	"apidesk/engine/imports/internal/importtest"
)

// FuzzRead checks that Read never panics, that every error it returns is an imports.FormatError, and that
// every plan it returns passes collection.Check: the workspace saves it, and no secret is written out in it.
//
// Run it with: go test ./engine/imports/har -run '^$' -fuzz FuzzRead -fuzztime 1m -fuzzminimizetime 5s
// The seeds are the files in testdata and a few small ones; testdata/fuzz/FuzzRead keeps the inputs that
// once found a bug.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.har"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		`{"log":{"entries":[{"request":{"method":"POST","url":"https://a.example/x?token=abc&b=1","headers":[{"name":"Authorization","value":"Basic eDp5"},{"name":"Cookie","value":"sid=1; a=b"}],"postData":{"mimeType":"multipart/form-data; boundary=b","text":"--b\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\np\r\n--b--\r\n"}}}]}}`,
		`{"log":{"entries":[{"request":{"method":"PUT","url":"http://u:p@h.example:81/a/b","postData":{"mimeType":"application/x-www-form-urlencoded","text":"a=%20&=x&password=y"}}}]}}`,
		`{"log":{"entries":[{"request":{"method":"GE T","url":"https://a.example/{{x}}","headers":[{"name":"X Y","value":"1"}]}}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := har.Read(context.Background(), imports.Source{Name: "fuzz.har", Data: data})
		importtest.CheckRead(t, p, err)
	})
}
