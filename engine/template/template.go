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
	"slices"
	"strings"
)

// AccessTokenPlaceholder is replaced at run time by the resource's OAuth 2.0 access token, wherever it appears in
// a header value or URL param (as in Jet Admin).
const AccessTokenPlaceholder = "{-oauth_access_token-}"

// MissingError says which variables had no value.
type MissingError struct{ Names []string }

func (e *MissingError) Error() string {
	if len(e.Names) == 1 {
		return fmt.Sprintf("the variable {{%s}} has no value: give it one (for example --var %s=...)", e.Names[0], e.Names[0])
	}
	return fmt.Sprintf("these variables have no value: {{%s}}: give each one a value", strings.Join(e.Names, "}}, {{"))
}

// ErrMissing is matched by errors.Is for any *MissingError.
var ErrMissing = errors.New("missing variable")

// Is makes errors.Is(err, ErrMissing) true.
func (e *MissingError) Is(target error) bool { return target == ErrMissing }

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

// ValidName reports whether s can be a variable name.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// scan calls fn for every {{name}} in s with its byte range and name.
func scan(s string, fn func(start, end int, name string)) {
	for i := 0; i < len(s); {
		open := strings.Index(s[i:], "{{")
		if open < 0 {
			return
		}
		open += i
		closeRel := strings.Index(s[open+2:], "}}")
		if closeRel < 0 {
			return
		}
		end := open + 2 + closeRel + 2
		name := strings.TrimSpace(s[open+2 : end-2])
		if ValidName(name) {
			fn(open, end, name)
			i = end
		} else {
			i = open + 1
		}
	}
}

// Names returns the distinct variable names used in the given texts, in order of first use.
func Names(texts ...string) []string {
	var out []string
	for _, t := range texts {
		scan(t, func(_, _ int, name string) {
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		})
	}
	return out
}

// Expand replaces every {{name}} in s with vars[name]. Every missing name is reported in one *MissingError.
func Expand(s string, vars map[string]string) (string, error) {
	out, missing := expand(s, vars, false)
	if missing != nil {
		return "", &MissingError{Names: missing}
	}
	return out, nil
}

// expand replaces every {{name}} that has a value and returns the names that have none, unless keep says to
// leave those as written without a word.
func expand(s string, vars map[string]string, keep bool) (string, []string) {
	var missing []string
	out := replace(s, func(name string) (string, bool) {
		v, ok := vars[name]
		if !ok && !keep && !slices.Contains(missing, name) {
			missing = append(missing, name)
		}
		return v, ok
	})
	return out, missing
}

// Fill returns s with every {{variable}} replaced by with: a stand-in, so a validator can check a text that
// uses variables.
func Fill(s, with string) string {
	return replace(s, func(string) (string, bool) { return with, true })
}

// replace replaces each {{name}} for which value gives a value, and leaves the others as written.
func replace(s string, value func(name string) (string, bool)) string {
	var b strings.Builder
	last := 0
	scan(s, func(start, end int, name string) {
		if v, ok := value(name); ok {
			b.WriteString(s[last:start])
			b.WriteString(v)
			last = end
		}
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
}

// Expand returns s expanded; missing names are remembered and s is returned unchanged.
func (x *Expander) Expand(s string) string {
	out, missing := expand(s, x.Vars, x.KeepMissing)
	if missing != nil {
		for _, n := range missing {
			if !slices.Contains(x.missing, n) {
				x.missing = append(x.missing, n)
			}
		}
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
