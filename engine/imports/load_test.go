package imports_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"apidesk/engine/imports"
)

func TestLoadFileFolderAndURL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "api.yaml")
	if err := os.WriteFile(file, []byte("openapi: 3.1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := imports.Load(ctx, file, false)
	if err != nil || string(src.Data) != "openapi: 3.1.0\n" || src.Path != file {
		t.Fatalf("file: %+v, %v", src, err)
	}
	if src, err = imports.Load(ctx, dir, true); err != nil || src.Path != dir || src.Data != nil {
		t.Fatalf("folder: %+v, %v", src, err)
	}
	for _, c := range []struct {
		arg    string
		folder bool
		want   string
	}{
		{filepath.Join(dir, "gone.json"), false, "no such file or folder"},
		{dir, false, "is a folder: give the file"},
		{file, true, "is a file: give the collection's folder"},
	} {
		if _, err := imports.Load(ctx, c.arg, c.folder); !errors.Is(err, imports.ErrNoSource) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%s, %v) = %v, want %q", c.arg, c.folder, err, c.want)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `{"openapi":"3.0.0"}`)
	}))
	defer srv.Close()
	if src, err = imports.Load(ctx, srv.URL+"/api.json", false); err != nil || string(src.Data) != `{"openapi":"3.0.0"}` || src.URL == "" {
		t.Fatalf("URL: %+v, %v", src, err)
	}
	if _, err := imports.Load(ctx, srv.URL+"/missing", false); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("a 404 = %v", err)
	}
}
