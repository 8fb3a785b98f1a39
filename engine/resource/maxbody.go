package resource

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// DefaultMaxBody is the largest response body, decoded, that a request reads when the resource sets no limit:
// large enough for the viewer's huge exports, small enough that a hostile server's gzip bomb (a few hundred kB
// that unpack to many GB) cannot fill the disk or, where the temp folder is in memory, the memory.
const DefaultMaxBody = 1_000_000_000 // 1GB

// The range ValidateMaxBody allows.
const (
	minMaxBody = 1000              // 1kB: a bare "2" meant as 2GB is refused rather than stopping every answer
	maxMaxBody = 1_000_000_000_000 // 1TB
)

// errMaxBodySyntax is what ParseMaxBody says of text it cannot read.
var errMaxBodySyntax = errors.New("Answer size limit must be a size like 500MB, 2GB or 1.5GB")

// sizeUnits are the units ParseMaxBody reads, in lower case: SI (1kB = 1000 bytes, as FormatSize shows sizes)
// and binary (1KiB = 1024 bytes). FormatMaxBody writes the first spelling of each.
var sizeUnits = []struct {
	names []string
	bytes int64
}{
	{[]string{"TB", "t"}, 1e12},
	{[]string{"TiB"}, 1 << 40},
	{[]string{"GB", "g"}, 1e9},
	{[]string{"GiB"}, 1 << 30},
	{[]string{"MB", "m"}, 1e6},
	{[]string{"MiB"}, 1 << 20},
	{[]string{"kB", "k"}, 1e3},
	{[]string{"KiB"}, 1 << 10},
	{[]string{"B", ""}, 1},
}

// ParseMaxBody reads a response size limit as the form, the workspace file and apidesk-cli take it: empty is 0
// (the DefaultMaxBody), otherwise a number and a unit, in any case and with or without a space: 500MB, 2 GB,
// 1.5gb, 2GiB, 800kB; a bare number is bytes. It checks the grammar only; ValidateMaxBody checks the range.
func ParseMaxBody(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(s)
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	if !number(num) || strings.HasPrefix(num, "+") || strings.HasPrefix(num, "-") {
		return 0, errMaxBodySyntax
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, errMaxBodySyntax
	}
	for _, u := range sizeUnits {
		for _, name := range u.names {
			if strings.EqualFold(unit, name) {
				b := n * float64(u.bytes)
				if b >= math.MaxInt64 {
					return math.MaxInt64, nil // far beyond any limit: ValidateMaxBody says so
				}
				return int64(math.Round(b)), nil
			}
		}
	}
	return 0, errMaxBodySyntax
}

// FormatMaxBody writes a size limit as ParseMaxBody reads it back and a person would write it: 1GB, 500MB,
// 2GiB, 1500MB; a size no unit divides is written in bytes.
func FormatMaxBody(n int64) string {
	if n == 0 {
		return "0B"
	}
	best := strconv.FormatInt(n, 10) + "B"
	for _, u := range sizeUnits {
		if n%u.bytes == 0 {
			if s := strconv.FormatInt(n/u.bytes, 10) + u.names[0]; len(s) < len(best) {
				best = s
			}
		}
	}
	return best
}

// ValidateMaxBody checks a response size limit; 0 is the default.
func ValidateMaxBody(n int64) error {
	switch {
	case n < 0:
		return errors.New("Answer size limit may not be negative")
	case n > 0 && n < minMaxBody:
		return errors.New("Answer size limit is too small: use at least 1kB, or leave it empty for " + FormatMaxBody(DefaultMaxBody))
	case n > maxMaxBody:
		return errors.New("Answer size limit is too large: use at most " + FormatMaxBody(maxMaxBody))
	}
	return nil
}

// EffectiveMaxBody is the largest response body, decoded, to read for a request.
func (r *Resource) EffectiveMaxBody() int64 {
	if r.MaxBody <= 0 {
		return DefaultMaxBody
	}
	return r.MaxBody
}
