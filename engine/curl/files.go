package curl

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
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
// Set-Cookie: headers) and returns the cookies curl would send to rawURL: those for its host and path, secure
// ones only over https, none that has expired; with junkSession (-j), none that lasts only a session.
func cookieFile(opt, path, rawURL string, junkSession bool, now time.Time) (kv.List, error) {
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
	var out kv.List
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), maxRead)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if h, ok := cutFold(line, "Set-Cookie:"); ok {
			if c, ok := setCookieLine(h, host, reqPath, https, junkSession, now); ok {
				out = append(out, c)
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
		domain, sub, cpath, secure, expires, name, value := f[0], f[1], f[2], f[3], f[4], f[5], strings.Join(f[6:], "\t")
		exp, _ := strconv.ParseInt(expires, 10, 64)
		c := cookie{domain: domain, sub: strings.EqualFold(sub, "TRUE"), path: cpath, secure: strings.EqualFold(secure, "TRUE"), expires: exp, name: name, value: value}
		if c.sends(host, reqPath, https, junkSession, now) {
			out = append(out, kv.On(name, value))
		}
	}
	for _, c := range out {
		if err := resource.ValidateHeaderValue(c.Key + "=" + c.Value); err != nil {
			return nil, fmt.Errorf("%w: cookie %s in the file %s: %v", ErrBadRequest, truncate(strings.ToValidUTF8(c.Key, "?")), shortPath(path), err)
		}
	}
	return out, nil
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
}

// sends reports whether curl sends the cookie in a request to host and reqPath.
func (c cookie) sends(host, reqPath string, https, junkSession bool, now time.Time) bool {
	if c.name == "" || c.secure && !https || c.expires == 0 && junkSession || c.expires > 0 && c.expires < now.Unix() {
		return false
	}
	d := strings.ToLower(c.domain)
	if strings.HasPrefix(d, ".") {
		d, c.sub = d[1:], true
	}
	if host != d && !(c.sub && strings.HasSuffix(host, "."+d)) {
		return false
	}
	p := c.path
	if p == "" {
		p = "/"
	}
	return reqPath == p || strings.HasPrefix(reqPath, p) && (strings.HasSuffix(p, "/") || reqPath[len(p)] == '/')
}

// setCookieLine reads the cookie of a "Set-Cookie:" line of a cookie file.
func setCookieLine(h, host, reqPath string, https, junkSession bool, now time.Time) (kv.Pair, bool) {
	parts := strings.Split(h, ";")
	name, value, ok := strings.Cut(strings.TrimSpace(parts[0]), "=")
	if !ok {
		return kv.Pair{}, false
	}
	c := cookie{domain: host, name: strings.TrimSpace(name), value: strings.TrimSpace(value), path: "/"}
	for _, a := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(a), "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "domain":
			c.domain, c.sub = strings.TrimSpace(v), true
		case "path":
			c.path = strings.TrimSpace(v)
		case "secure":
			c.secure = true
		case "expires":
			if t, err := time.Parse(time.RFC1123, strings.TrimSpace(v)); err == nil {
				c.expires = max(t.Unix(), 1)
			}
		case "max-age":
			if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				c.expires = 1 // already expired
				if n > 0 {
					c.expires = now.Unix() + n
				}
			}
		}
	}
	return kv.On(c.name, c.value), c.sends(host, reqPath, https, junkSession, now)
}

// shortPath is a file's path for a message: the whole of it, or "…" and its end when it is long.
func shortPath(p string) string {
	if r := []rune(p); len(r) > 60 {
		return "…" + string(r[len(r)-59:])
	}
	return p
}
