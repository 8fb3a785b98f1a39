package curl

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"

	"apidesk/engine/kv"
	"apidesk/engine/query"
)

// Command writes the request as a bash command line, one option per line with " \" continuations. Every value
// is single-quoted ($'…' when it holds control or invisible characters), so bash passes it to curl exactly, and Parse reads
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
