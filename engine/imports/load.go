package imports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// maxImport bounds a document read from a file, a URL or standard input.
const maxImport = 200 << 20

// ErrNoSource is matched by errors.Is when Load is given something it cannot read from: no such file, a folder
// where a file is wanted, or the other way round.
var ErrNoSource = errors.New("nothing to read there")

func noSource(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrNoSource)
}

// Load reads what an import names: a URL (http or https, through the system's proxy), - for standard input, a
// file, or (folder) a folder, whose files the format's reader reads itself.
func Load(ctx context.Context, arg string, folder bool) (Source, error) {
	lower := strings.ToLower(arg)
	switch {
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		if folder {
			return Source{}, noSource("give the collection's folder on this computer, not a URL")
		}
		ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, arg, nil)
		if err != nil {
			return Source{}, noSource("%s is not a URL that can be fetched: %v", arg, err)
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = http.ProxyFromEnvironment
		resp, err := (&http.Client{Transport: t}).Do(req)
		if err != nil {
			return Source{}, fmt.Errorf("could not fetch %s: %w", arg, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return Source{}, fmt.Errorf("could not fetch %s: the server answered %s", arg, resp.Status)
		}
		data, err := readCapped(resp.Body, arg)
		return Source{Name: arg, Data: data, URL: arg}, err
	case arg == "-":
		if folder {
			return Source{}, noSource("give the collection's folder, not -")
		}
		data, err := readCapped(os.Stdin, "standard input")
		return Source{Name: "standard input", Data: data}, err
	}
	st, err := os.Stat(arg)
	if err != nil {
		return Source{}, noSource("%s: no such file or folder", arg)
	}
	abs, _ := filepath.Abs(arg)
	if folder {
		if !st.IsDir() {
			return Source{}, noSource("%s is a file: give the collection's folder", arg)
		}
		return Source{Name: arg, Path: abs}, nil
	}
	if st.IsDir() {
		return Source{}, noSource("%s is a folder: give the file", arg)
	}
	f, err := os.Open(arg)
	if err != nil {
		return Source{}, fmt.Errorf("could not read %s: %w", arg, err)
	}
	defer f.Close()
	data, err := readCapped(f, arg)
	return Source{Name: arg, Data: data, Path: abs}, err
}

func readCapped(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImport+1))
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", name, err)
	}
	if len(data) > maxImport {
		return nil, fmt.Errorf("%s is larger than %d MB: it is not a document apidesk imports", name, maxImport>>20)
	}
	return data, nil
}
