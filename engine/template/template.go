// Package template expands {{name}} variables in the text of a query and finds the variables a query uses.
//
// A variable is written {{name}} (spaces inside the braces are allowed: {{ name }}). Names are letters, digits,
// '_', '-' and '.'. Text that merely looks similar ({{ }} with nothing, or {{a b}}) is left as it is, so JSON
// and other templating syntaxes in a body survive. The magic placeholder {-oauth_access_token-} is not a
// variable; it is replaced by the request runner with the resource's current access token.
package template

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AccessTokenPlaceholder is replaced at run time by the resource's OAuth 2.0 access token, wherever it appears in
// a header value or URL param (as in Jet Admin).
const AccessTokenPlaceholder = "{-oauth_access_token-}"

// placeholder matches a {-name-} placeholder, the shape of AccessTokenPlaceholder: how apidesk writes a
// secret where its value may not appear.
var placeholder = regexp.MustCompile(`\{-[A-Za-z0-9_]+-\}`)

// HasPlaceholder reports whether s holds a {-placeholder-}.
func HasPlaceholder(s string) bool { return placeholder.MatchString(s) }

// OnlyPlaceholders reports whether s is made of {{variables}} and {-placeholders-} alone (and spaces), so it
// holds no value of its own. An empty s holds none either.
func OnlyPlaceholders(s string) bool {
	return strings.TrimSpace(Fill(placeholder.ReplaceAllString(s, ""), "")) == ""
}

// MissingError says which variables had no value. Its message only names them: where to give a value is
// the caller's to say (a field in the window, a flag on the command line).
type MissingError struct{ Names []string }

func (e *MissingError) Error() string {
	if len(e.Names) == 1 {
		return fmt.Sprintf("the variable {{%s}} has no value", e.Names[0])
	}
	return fmt.Sprintf("these variables have no value: {{%s}}", strings.Join(e.Names, "}}, {{"))
}

// ErrMissing is matched by errors.Is for any *MissingError.
var ErrMissing = errors.New("missing variable")

// Is makes errors.Is(err, ErrMissing) true.
func (e *MissingError) Is(target error) bool { return target == ErrMissing }

// ValidName reports whether s can be a variable name.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// spaceAt returns the length of the white space (as strings.TrimSpace sees it) that starts s[i:], or 0.
func spaceAt(s string, i int) int {
	if c := s[i]; c < utf8.RuneSelf {
		if c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if unicode.IsSpace(r) {
		return n
	}
	return 0
}

// scan calls fn for every {{name}} in s with its byte range and name. It reads s once from front to back, so a
// big body costs time in proportion to its size: it returns how many bytes it read, which its test holds to
// about len(s) whatever the text looks like.
//
// After "{{" comes white space, a name, white space and "}}". When anything else turns up, the next "{{" cannot
// start before that byte (the bytes read so far are spaces and name characters), unless it is the very first
// byte after the "{{" ("{{{a}}" holds {{a}} one byte on).
func scan(s string, fn func(start, end int, name string)) (read int) {
	i := 0
	for {
		open := strings.Index(s[i:], "{{")
		if open < 0 {
			return read + len(s) - i
		}
		open += i
		j := open + 2
		read += j - i
		for j < len(s) && spaceAt(s, j) > 0 {
			j += spaceAt(s, j)
		}
		nameStart := j
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		nameEnd := j
		for j < len(s) && spaceAt(s, j) > 0 {
			j += spaceAt(s, j)
		}
		if nameEnd > nameStart && strings.HasPrefix(s[j:], "}}") {
			read += j + 2 - (open + 2)
			fn(open, j+2, s[nameStart:nameEnd])
			i = j + 2
			continue
		}
		read += min(j+1, len(s)) - (open + 2)
		if j == open+2 {
			i = open + 1
		} else {
			i = j
		}
	}
}

// Names returns the distinct variable names used in the given texts, in order of first use.
func Names(texts ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range texts {
		scan(t, func(_, _ int, name string) {
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		})
	}
	return out
}

// Expand replaces every {{name}} in s with vars[name]. Every missing name is reported in one *MissingError.
func Expand(s string, vars map[string]string) (string, error) {
	out, missing, _ := expand(s, vars, false, nil)
	if missing != nil {
		return "", &MissingError{Names: missing}
	}
	return out, nil
}

// expand replaces every {{name}} that has a value. Unless keep says to leave those as written without a word,
// it returns the names that have none and are not in seen yet (each once: seen, which may be nil, keeps the
// set, so many missing names cost no more than a few), and any says whether s had a name with no value at all.
func expand(s string, vars map[string]string, keep bool, seen map[string]bool) (out string, missing []string, any bool) {
	out = replace(s, func(name string) (string, bool) {
		v, ok := vars[name]
		if !ok && !keep {
			any = true
			if !seen[name] {
				if seen == nil {
					seen = map[string]bool{}
				}
				seen[name] = true
				missing = append(missing, name)
			}
		}
		return v, ok
	})
	return out, missing, any
}

// Fill returns s with every {{variable}} replaced by with: a stand-in, so a validator can check a text that
// uses variables.
func Fill(s, with string) string {
	return replace(s, func(string) (string, bool) { return with, true })
}

// Blank returns s with every {{variable}} replaced by a 0 and spaces, as long as the variable was, so that byte
// offsets a parser gives into the result are offsets into s (a JSON body with {{variables}} parses as JSON).
func Blank(s string) string {
	var b []byte
	scan(s, func(start, end int, _ string) {
		if b == nil {
			b = []byte(s)
		}
		b[start] = '0'
		for i := start + 1; i < end; i++ {
			b[i] = ' '
		}
	})
	if b == nil {
		return s
	}
	return string(b)
}

// replace replaces each {{name}} for which value gives a value, and leaves the others as written.
func replace(s string, value func(name string) (string, bool)) string {
	var b strings.Builder
	last := 0
	scan(s, func(start, end int, name string) {
		v, ok := value(name)
		if !ok {
			return
		}
		if last == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:start])
		b.WriteString(v)
		last = end
	})
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// Expander expands many texts with the same variables and collects every missing name, so a person sees all
// of them at once rather than one per attempt.
type Expander struct {
	Vars map[string]string
	// KeepMissing leaves a {{name}} that has no value as written, and reports none missing: what a preview
	// of a request shows.
	KeepMissing bool
	missing     []string
	seen        map[string]bool
}

// Expand returns s expanded; missing names are remembered and s is returned unchanged.
func (x *Expander) Expand(s string) string {
	if x.seen == nil {
		x.seen = map[string]bool{}
	}
	out, missing, any := expand(s, x.Vars, x.KeepMissing, x.seen)
	x.missing = append(x.missing, missing...)
	if any {
		return s
	}
	return out
}

// Err returns a *MissingError naming every missing variable seen, or nil.
func (x *Expander) Err() error {
	if len(x.missing) == 0 {
		return nil
	}
	return &MissingError{Names: x.missing}
}
