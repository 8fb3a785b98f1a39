package paging

import (
	"net/http"
	"strings"
)

// nextLink returns the target of the first link whose relation types include "next" in a response's Link
// headers (RFC 8288 §3), as written: a URI reference, maybe relative.
func nextLink(h http.Header) (string, bool) {
	for _, line := range h.Values("Link") {
		for s := line; s != ""; {
			s = strings.TrimLeft(s, " \t,")
			if !strings.HasPrefix(s, "<") {
				break // not a link-value: nothing more on this line can be trusted
			}
			end := strings.IndexByte(s, '>')
			if end < 0 {
				break
			}
			target := strings.TrimSpace(s[1:end])
			var rel string
			rel, s = linkParams(s[end+1:])
			for _, r := range strings.Fields(rel) {
				if strings.EqualFold(r, "next") {
					return target, true
				}
			}
		}
	}
	return "", false
}

// linkParams reads the ";"-separated params after a link's target up to the "," that ends the link-value, and
// returns its first rel param's value (unquoted) and the rest of the line.
func linkParams(s string) (rel, rest string) {
	seen := false
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" || s[0] == ',' {
			return rel, s
		}
		if s[0] != ';' {
			// Not a param: skip to the next link-value.
			i := strings.IndexByte(s, ',')
			if i < 0 {
				return rel, ""
			}
			return rel, s[i:]
		}
		s = strings.TrimLeft(s[1:], " \t")
		i := strings.IndexAny(s, "=;,")
		name := strings.ToLower(strings.TrimSpace(s[:max(i, 0)]))
		if i < 0 {
			return rel, ""
		}
		if s[i] != '=' { // a param without a value
			s = s[i:]
			continue
		}
		s = strings.TrimLeft(s[i+1:], " \t")
		var value string
		if strings.HasPrefix(s, `"`) {
			var b strings.Builder
			j := 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			value, s = b.String(), s[min(j+1, len(s)):]
		} else {
			j := strings.IndexAny(s, ";,")
			if j < 0 {
				j = len(s)
			}
			value, s = strings.TrimSpace(s[:j]), s[j:]
		}
		if name == "rel" && !seen { // RFC 8288 §3.3: a second rel is ignored
			rel, seen = value, true
		}
	}
}
