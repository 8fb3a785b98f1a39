// Package kv holds the key-value rows that headers, URL params, cookies and form bodies are made of.
package kv

import (
	"errors"
	"fmt"
	"strings"
)

// Pair is one row of a key-value table. A disabled row is kept (so nothing the user typed is lost) but not sent.
type Pair struct {
	Key     string
	Value   string
	Enabled bool
}

// On returns an enabled pair.
func On(key, value string) Pair { return Pair{Key: key, Value: value, Enabled: true} }

// List is an ordered list of rows; order is kept because some servers care about it.
type List []Pair

// Active returns the enabled rows with a non-empty key.
func (l List) Active() List {
	var out List
	for _, p := range l {
		if p.active() {
			out = append(out, p)
		}
	}
	return out
}

func (p Pair) active() bool { return p.Enabled && strings.TrimSpace(p.Key) != "" }

// Get returns the value of the last enabled row whose key matches (case-insensitively when fold is true).
func (l List) Get(key string, fold bool) (string, bool) {
	val, ok := "", false
	for _, p := range l {
		if p.matches(key, fold) {
			val, ok = p.Value, true
		}
	}
	return val, ok
}

// Has reports whether an enabled row has the key (compared case-insensitively when fold is true).
func (l List) Has(key string, fold bool) bool {
	for _, p := range l {
		if p.matches(key, fold) {
			return true
		}
	}
	return false
}

func (p Pair) matches(key string, fold bool) bool {
	return p.active() && (p.Key == key || fold && strings.EqualFold(p.Key, key))
}

// Merge returns base's active rows overridden by over's active rows: a key present in over replaces every
// row of that key in base (compared case-insensitively when fold is true, as for header names). The result is
// a new list, made in one allocation with room for two more rows (a request adds its auth and cookie rows).
func Merge(base, over List, fold bool) List {
	if len(base) == 0 && len(over) == 0 {
		return nil
	}
	out := make(List, 0, len(base)+len(over)+2)
	for _, b := range base {
		if b.active() && !over.Has(b.Key, fold) {
			out = append(out, b)
		}
	}
	for _, o := range over {
		if o.active() {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ErrBadPair is wrapped by ParsePair and ParseHeader errors.
var ErrBadPair = errors.New("bad key-value row")

// ParsePair parses "key=value" (as a URL param, cookie or form field is written on a command line).
func ParsePair(s string) (Pair, error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return Pair{}, fmt.Errorf("%w: %q: write it as name=value", ErrBadPair, s)
	}
	return On(strings.TrimSpace(k), v), nil
}

// ParseHeader parses "Name: value" (as curl -H writes a header).
func ParseHeader(s string) (Pair, error) {
	k, v, ok := strings.Cut(s, ":")
	if !ok || strings.TrimSpace(k) == "" {
		return Pair{}, fmt.Errorf("%w: %q: write a header as 'Name: value'", ErrBadPair, s)
	}
	return On(strings.TrimSpace(k), strings.TrimLeft(v, " \t")), nil
}
