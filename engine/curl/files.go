package curl

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
)

// Options say where a command runs, for the files it names.
type Options struct {
	// Dir is the folder the command would run in: a file it names with a relative path (-F file=@photo.png,
	// --data-binary @body.json, -T, --cacert…) is in Dir, and the request keeps it as Dir joined with the
	// path. With Dir "", relative paths are kept as written and looked for in the program's current folder.
	Dir string
}

// maxRead is the most Parse reads of a file whose content goes into the request itself (a -b cookie file,
// a --data-urlencode name@file value, a -F name=<file text field). Bodies sent from a file are never read:
// the request keeps their path.
const maxRead = 1 << 20

// path resolves a file name from the command: ~/ is the home folder (bash would have expanded it), and a
// relative path is joined to Dir.
func (o Options) path(name string) string {
	if rest, ok := strings.CutPrefix(name, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil && home != "" {
			name = filepath.Join(home, rest)
		}
	}
	if o.Dir != "" && !filepath.IsAbs(name) {
		return filepath.Join(o.Dir, name)
	}
	return name
}

// missing reports whether the file at path (as resolved) is not there now, for the warning a request keeps.
func missing(path string) bool {
	_, err := os.Stat(path)
	return err != nil
}

// readSmall reads a regular file of at most maxRead bytes. It never opens a device, a pipe or a folder, so
// reading a command can never block or run long. The errors name the file and say what to do.
func readSmall(opt, path string) ([]byte, error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %s reads the file %s, which does not exist: put the file there, or write its content in the command", ErrUnsupported, opt, shortPath(path))
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%w: %s reads %s, which is not a plain file: write its content in the command instead", ErrUnsupported, opt, shortPath(path))
	case fi.Size() > maxRead:
		return nil, fmt.Errorf("%w: %s reads the file %s, which is larger than 1 MB: write a shorter value in the command", ErrUnsupported, opt, shortPath(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s reads the file %s, which apidesk cannot open: check that you may read it", ErrUnsupported, opt, shortPath(path))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxRead+1))
	if err != nil || len(b) > maxRead {
		return nil, fmt.Errorf("%w: %s reads the file %s, which apidesk cannot read whole: write its content in the command", ErrUnsupported, opt, shortPath(path))
	}
	return b, nil
}

// hasLineBreaks reports whether the regular file at path has a CR or LF in its first maxRead bytes.
func hasLineBreaks(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, maxRead))
	return bytes.ContainsAny(b, "\r\n")
}

// cookieFile reads a -b cookie file (the Netscape format curl and browsers' extensions write, or lines of
// Set-Cookie: headers) and returns the cookies in it that curl would send to rawURL: those for its host and
// path, secure ones only over https, none that has expired; with junkSession (-j), none that lasts only a
// session. A later line for the same cookie replaces an earlier one, as in curl.
func cookieFile(opt, path, rawURL string, junkSession bool, now time.Time) ([]cookie, error) {
	b, err := readSmall(opt, path)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil
	}
	host := strings.ToLower(u.Hostname())
	reqPath := u.EscapedPath()
	if reqPath == "" {
		reqPath = "/"
	}
	https := strings.EqualFold(u.Scheme, "https")
	var all []cookie
	add := func(c cookie) {
		c.domain = strings.TrimPrefix(strings.ToLower(c.domain), ".")
		for i, o := range all {
			if o.name == c.name && o.domain == c.domain && o.path == c.path {
				c.order = o.order
				all[i] = c
				return
			}
		}
		c.order = len(all)
		all = append(all, c)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), maxRead)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if h, ok := cutFold(line, "Set-Cookie:"); ok {
			if c, ok := setCookieLine(h, host, now); ok {
				add(c)
			}
			continue
		}
		line, _ = strings.CutPrefix(line, "#HttpOnly_")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 7 {
			continue
		}
		exp, _ := strconv.ParseInt(f[4], 10, 64)
		add(cookie{domain: f[0], sub: strings.EqualFold(f[1], "TRUE") || strings.HasPrefix(f[0], "."), path: f[2],
			secure: strings.EqualFold(f[3], "TRUE"), expires: exp, name: f[5], value: strings.Join(f[6:], "\t")})
	}
	var out []cookie
	for _, c := range all {
		if !c.sends(host, reqPath, https, junkSession, now) {
			continue
		}
		if err := resource.ValidateHeaderValue(c.name + "=" + c.value); err != nil {
			return nil, fmt.Errorf("%w: cookie %s in the file %s: %v", ErrBadRequest, truncate(strings.ToValidUTF8(c.name, "?")), shortPath(path), err)
		}
		out = append(out, c)
	}
	return out, nil
}

// sortCookies puts cookies from cookie files in the order curl sends them: the longest path first, then the
// longest domain, the longest name, and the cookie read last.
func sortCookies(cs []cookie) kv.List {
	slices.SortStableFunc(cs, func(a, b cookie) int {
		return cmp.Or(cmp.Compare(len(b.path), len(a.path)), cmp.Compare(len(b.domain), len(a.domain)),
			cmp.Compare(len(b.name), len(a.name)), cmp.Compare(b.order, a.order))
	})
	out := make(kv.List, len(cs))
	for i, c := range cs {
		out[i] = kv.On(c.name, c.value)
	}
	return out
}

func cutFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// cookie is one cookie of a cookie file.
type cookie struct {
	domain      string
	sub         bool // for the domain's subdomains too
	path        string
	secure      bool
	expires     int64 // Unix seconds; 0 for a session cookie
	name, value string
	order       int // the order read, across the files
}

// sends reports whether curl sends the cookie in a request to host and reqPath.
func (c cookie) sends(host, reqPath string, https, junkSession bool, now time.Time) bool {
	if c.name == "" || c.secure && !https || c.expires == 0 && junkSession || c.expires > 0 && c.expires < now.Unix() {
		return false
	}
	d := c.domain
	if host != d && !(c.sub && strings.HasSuffix(host, "."+d)) {
		return false
	}
	p := c.path
	if p == "" {
		p = "/"
	}
	return reqPath == p || strings.HasPrefix(reqPath, p) && (strings.HasSuffix(p, "/") || reqPath[len(p)] == '/')
}

// setCookieLine reads the cookie of a "Set-Cookie:" line of a cookie file, for host when it names no domain.
func setCookieLine(h, host string, now time.Time) (cookie, bool) {
	parts := strings.Split(h, ";")
	name, value, ok := strings.Cut(strings.TrimSpace(parts[0]), "=")
	if !ok {
		return cookie{}, false
	}
	c := cookie{domain: host, name: strings.TrimSpace(name), value: strings.TrimSpace(value), path: "/"}
	for _, a := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(a), "=")
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "domain":
			c.domain, c.sub = v, true
		case "path":
			c.path = v
		case "secure":
			c.secure = true
		case "expires":
			if t, err := time.Parse(time.RFC1123, v); err == nil {
				c.expires = max(t.Unix(), 1)
			}
		case "max-age":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				c.expires = 1 // already expired
				if n > 0 {
					c.expires = now.Unix() + n
				}
			}
		}
	}
	return c, true
}

// shortPath is a file's path for a message: the whole of it, or "…" and its end when it is long.
func shortPath(p string) string {
	if r := []rune(p); len(r) > 60 {
		return "…" + string(r[len(r)-59:])
	}
	return p
}
