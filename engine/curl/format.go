package curl

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// Command writes the request as a bash command line, one option per line with " \" continuations. Every value
// is single-quoted ($'…' when it holds control or invisible characters), so bash passes it to curl exactly, and Parse reads
// the command back into the same request. The command holds whatever r holds: Export puts placeholders in
// place of secrets before calling it. A multipart form is written as -F (files as @path;type=…;filename=…,
// text fields as --form-string), a file body as --data-binary @path (or -T path when it is sent without a
// content type), and the network settings as --proxy, --noproxy, --cacert, --cert, --key and --insecure.
func (r *Request) Command() string {
	lines := []string{"curl " + shellQuote(r.URL)}
	if strings.ContainsAny(r.URL, "{}[]") {
		lines = append(lines, "--globoff") // curl would read {…} and […] as URL patterns
	}
	hasBody := r.Body.Kind != query.BodyNone && r.Body.Kind != ""
	// A file sent without a content type is what -T sends (unless the URL ends with '/', where -T would add
	// the file's name).
	upload := r.Body.Kind == query.BodyFile && r.Body.ContentType == "" && !endsWithSlash(r.URL)
	implied := impliedMethod(hasBody)
	if upload {
		implied = http.MethodPut
	}
	switch {
	case r.Method == http.MethodHead && !hasBody:
		lines = append(lines, "--head")
	case r.Method != "" && r.Method != implied:
		lines = append(lines, "-X "+methodWord(r.Method))
	}
	for _, h := range r.Headers {
		if h.Value == "" {
			lines = append(lines, "-H "+shellQuote(h.Key+";"))
		} else {
			lines = append(lines, "-H "+shellQuote(h.Key+": "+h.Value))
		}
	}
	if len(r.Cookies) > 0 {
		parts := make([]string, len(r.Cookies))
		for i, c := range r.Cookies {
			parts[i] = c.Key + "=" + c.Value
		}
		lines = append(lines, "-b "+shellQuote(strings.Join(parts, "; ")))
	}
	if r.HasUser {
		if r.Password == "" {
			lines = append(lines, "-u "+shellQuote(r.User))
		} else {
			lines = append(lines, "-u "+shellQuote(r.User+":"+r.Password))
		}
		if r.Digest {
			lines = append(lines, "--digest")
		}
	}
	if r.Compressed {
		lines = append(lines, "--compressed")
	}
	lines = append(lines, r.networkOptions()...)
	switch r.Body.Kind {
	case query.BodyJSON, query.BodyRaw:
		lines = append(lines, "--data-raw "+shellQuote(r.Body.Text))
	case query.BodyForm:
		lines = append(lines, "--data-raw "+shellQuote(encodeForm(r.Body.Form)))
	case query.BodyMultipart:
		for _, p := range r.Body.Parts {
			if p.Enabled {
				lines = append(lines, formOption(p))
			}
		}
	case query.BodyFile:
		switch {
		case upload:
			lines = append(lines, "-T "+shellQuote(r.Body.File))
		case r.Body.ContentType == "":
			lines = append(lines, "--data-binary "+shellQuote("@"+r.Body.File), "-H 'Content-Type:'")
		default:
			if _, ok := r.Headers.Get("Content-Type", true); !ok && r.Body.ContentType != "application/x-www-form-urlencoded" {
				lines = append(lines, "-H "+shellQuote("Content-Type: "+r.Body.ContentType))
			}
			lines = append(lines, "--data-binary "+shellQuote("@"+r.Body.File))
		}
	}
	return strings.Join(lines, " \\\n  ")
}

// networkOptions writes the network settings as curl options.
func (r *Request) networkOptions() []string {
	n := r.Network
	var lines []string
	switch n.Proxy {
	case resource.ProxyURL:
		lines = append(lines, "--proxy "+shellQuote(n.ProxyURL))
		if r.ProxyAuth != "" {
			lines = append(lines, "--proxy-user "+shellQuote(r.ProxyAuth))
		}
		if len(n.NoProxy) > 0 {
			lines = append(lines, "--noproxy "+shellQuote(strings.Join(n.NoProxy, ",")))
		}
	case resource.ProxyNone:
		lines = append(lines, "--noproxy '*'")
	}
	if n.CACert != "" {
		lines = append(lines, "--cacert "+shellQuote(n.CACert))
	}
	if n.ClientCert != "" {
		lines = append(lines, "--cert "+shellQuote(certWord(n.ClientCert)))
		if ext := strings.ToLower(filepath.Ext(n.ClientCert)); ext == ".p12" || ext == ".pfx" {
			lines = append(lines, "--cert-type P12")
		}
		if n.ClientKey != "" {
			lines = append(lines, "--key "+shellQuote(n.ClientKey))
		}
		if r.KeyPassphrase != "" {
			lines = append(lines, "--pass "+shellQuote(r.KeyPassphrase))
		}
	}
	if n.Insecure {
		lines = append(lines, "--insecure")
	}
	return lines
}

// formOption writes one multipart field: a file as -F name=@path;type=…;filename=…, a text field with a
// content type as -F name="value";type=…, any other text field as --form-string name=value (which curl takes
// as it is).
func formOption(p query.Part) string {
	switch {
	case p.IsFile():
		s := p.Name + "=@" + formQuote(p.File, ',')
		if p.ContentType != "" {
			s += ";type=" + p.ContentType
		}
		if p.Filename != "" {
			s += ";filename=" + formQuote(p.Filename, ',')
		}
		return "-F " + shellQuote(s)
	case p.ContentType != "":
		return "-F " + shellQuote(p.Name+"="+formQuote(p.Value, 0)+";type="+p.ContentType)
	}
	return "--form-string " + shellQuote(p.Name+"="+p.Value)
}

// endsWithSlash reports whether a URL's path ends with '/' (or is empty), where curl -T adds the file's name.
func endsWithSlash(u string) bool {
	base, _, _ := strings.Cut(u, "?")
	_, rest, _ := strings.Cut(base, "://")
	_, p, hasPath := strings.Cut(rest, "/")
	return !hasPath || p == "" || strings.HasSuffix(p, "/")
}

func impliedMethod(hasBody bool) string {
	if hasBody {
		return http.MethodPost
	}
	return http.MethodGet
}

// methodWord writes a method unquoted when it is a plain word (as it always is after Parse).
func methodWord(m string) string {
	for _, c := range m {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_') {
			return shellQuote(m)
		}
	}
	return m
}

// encodeForm writes form fields as application/x-www-form-urlencoded, leaving braces as they are so
// {{variables}} and {-placeholders-} stay readable.
func encodeForm(rows kv.List) string {
	var b strings.Builder
	for i, p := range rows {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(queryEscape(p.Key))
		b.WriteByte('=')
		b.WriteString(queryEscape(p.Value))
	}
	return b.String()
}

var braces = strings.NewReplacer("%7B", "{", "%7D", "}")

func queryEscape(s string) string { return braces.Replace(url.QueryEscape(s)) }

// shellQuote quotes s for bash as one word. When s holds a character a terminal would act on or not show (a
// control character other than tab and newline, an invisible one, a byte that is not UTF-8), it is
// syntax.Quote's $'…' with escapes. Otherwise it is '…' (each ' in s closes the quote, is written \' and
// reopens it), where syntax.Quote would leave a plain word bare and switch to "…" for a word with a quote (in
// which an interactive bash expands !): every value of a command reads the same way and pastes safely.
func shellQuote(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && r != '\t' && (!unicode.IsPrint(r) || r == utf8.RuneError) }) {
		if q, err := syntax.Quote(s, syntax.LangBash); err == nil { // it fails only on a NUL, which bash cannot pass
			return q
		}
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
