package curl

import (
	"net/http"
	"net/url"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/query"
)

// Command writes the request as a bash command line, one option per line with " \" continuations. Every value
// is single-quoted ($'…' when it holds control characters), so bash passes it to curl exactly, and Parse reads
// the command back into the same request. The command holds whatever r holds: Export puts placeholders in
// place of secrets before calling it.
func (r *Request) Command() string {
	lines := []string{"curl " + shellQuote(r.URL)}
	if strings.ContainsAny(r.URL, "{}[]") {
		lines = append(lines, "--globoff") // curl would read {…} and […] as URL patterns
	}
	hasBody := r.Body.Kind != query.BodyNone && r.Body.Kind != ""
	switch implied := impliedMethod(hasBody); {
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
	}
	if r.Compressed {
		lines = append(lines, "--compressed")
	}
	switch r.Body.Kind {
	case query.BodyJSON, query.BodyRaw:
		lines = append(lines, "--data-raw "+shellQuote(r.Body.Text))
	case query.BodyForm:
		lines = append(lines, "--data-raw "+shellQuote(encodeForm(r.Body.Form)))
	}
	return strings.Join(lines, " \\\n  ")
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

// shellQuote quotes s for bash: '…' with each ' written as '\”, or $'…' when s holds a control character
// other than tab and newline, so the command can be pasted without a terminal acting on it.
func shellQuote(s string) string {
	control := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			control = true
			break
		}
	}
	if !control {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			b.WriteString(`\x`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c) // other bytes, UTF-8 or not, are literal inside $'…'
		}
	}
	b.WriteByte('\'')
	return b.String()
}
