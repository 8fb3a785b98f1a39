package openapi

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"apidesk/engine/imports"
)

// FuzzRead reads any bytes as a document: Read never panics or hangs, fails only with an ErrFormat, and a
// plan it makes holds only queries (and a resource) the workspace would save.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"petstore.yaml", "api31.json", "swagger2.yaml", "circular.yaml", "invalid.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {"/a/{b}": {"get": {"parameters": [{"name": "b", "in": "path", "schema": {"type": "integer", "minimum": 1e300}}]}}}}`))
	f.Add([]byte("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    post:\n      parameters: [{in: body, name: b, schema: {type: array, items: {type: object}}}]\n      responses: {'200': {description: ok}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// No Path and no URL: a $ref to another file is refused, never read.
		p, err := Read(context.Background(), imports.Source{Name: "fuzz", Data: data}, Options{})
		if err != nil {
			if !errors.Is(err, imports.ErrFormat) {
				t.Fatalf("an error that is not ErrFormat: %v", err)
			}
			return
		}
		checkPlan(t, p)
	})
}
