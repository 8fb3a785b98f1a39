package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// The folders of a workspace, and the permissions of what apidesk creates there: the files hold no secret, but
// may name internal hosts, so other users of the machine are kept out.
const (
	resourcesDir = "resources"
	queriesDir   = "queries"
	dirPerm      = 0o700
	filePerm     = 0o600
	maxFileSize  = 16 << 20
	maxSlugLen   = 60
)

// slug turns a name into a file name stem that is safe on every system and reads well in a file browser:
// lower-case ASCII letters and digits, with '-' between words ("GitHub API (prod)" → "github-api-prod").
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		s := string(r)
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			s = latin[r]
		}
		if s == "" {
			dash = true
			continue
		}
		if b.Len()+len(s) > maxSlugLen {
			break
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(s)
	}
	return strings.TrimRight(b.String(), "-")
}

// latin spells common accented letters in ASCII, so "Café" becomes "cafe" rather than "caf".
var latin = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ą': "a", 'æ': "ae",
	'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ę': "e", 'ě': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i",
	'ł': "l", 'ľ': "l", 'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o", 'œ': "oe",
	'ř': "r", 'ś': "s", 'š': "s", 'ş': "s", 'ß': "ss", 'ť': "t", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u",
	'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
}

// reserved are names Windows will not create a file under, whatever the extension.
var reserved = map[string]bool{"con": true, "prn": true, "aux": true, "nul": true}

func isReserved(stem string) bool {
	if reserved[stem] {
		return true
	}
	return len(stem) == 4 && (strings.HasPrefix(stem, "com") || strings.HasPrefix(stem, "lpt")) && stem[3] >= '1' && stem[3] <= '9'
}

// fileName picks the file for an item named name in a folder holding the files taken: the slug, made unique with
// -2, -3… Names are compared case-insensitively, as macOS and Windows do. fallback is used when the name has no
// letter or digit to make a slug from.
func fileName(name, fallback string, taken func(string) bool) string {
	stem := slug(name)
	if stem == "" {
		stem = fallback
	}
	for i := 1; ; i++ {
		try := stem
		if i > 1 {
			try = stem + "-" + strconv.Itoa(i)
		}
		if !isReserved(try) && !taken(try+".yaml") {
			return try + ".yaml"
		}
	}
}

// isItemFile reports whether a folder entry is a file the workspace reads: *.yaml or *.yml, not hidden (the
// temporary files of a write in progress are hidden).
func isItemFile(e fs.DirEntry) bool {
	n := e.Name()
	return !e.IsDir() && !strings.HasPrefix(n, ".") && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml"))
}

// writeFile writes data to path atomically: a temporary file in the same folder, flushed to disk, then renamed over
// path, then the folder flushed. Whatever fails, path holds either its old content or the new, and no temporary
// file is left behind. rename is os.Rename except in tests. An existing file keeps its permissions.
func writeFile(path string, data []byte, rename func(string, string) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, dirPerm); err != nil {
		return fmt.Errorf("create the folder %s: %w", dir, err)
	}
	perm := fs.FileMode(filePerm)
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("cannot write %s: something that is not a file is in the way: move it away", path)
		}
		perm = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: flush to disk: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// removeFile removes path (already gone is fine) and flushes its folder.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir flushes a folder so a rename or removal in it survives a crash. It is best effort: the change itself
// has happened, and Windows cannot flush a folder.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
