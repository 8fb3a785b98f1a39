package resource

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// errTimeoutSyntax is what ParseTimeout says of text it cannot read.
var errTimeoutSyntax = errors.New("Timeout must be a number of seconds or a duration like 30s, 1m30s or 2m")

// ParseTimeout reads a timeout as the form, the workspace file and apidesk-cli take it: empty is 0 (the
// DefaultTimeout), a bare number is seconds ("30", "2.5"), anything else a duration such as 500ms, 30s, 1m30s
// or 2h (spaces between the parts are allowed: "1m 30s"). It checks the grammar only; ValidateTimeout checks
// the range.
func ParseTimeout(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if number(s) {
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, errTimeoutSyntax
		}
		secs := n * float64(time.Second)
		switch {
		// Far beyond any limit: keep the sign, so that ValidateTimeout says what is wrong with it.
		case secs >= math.MaxInt64:
			return math.MaxInt64, nil
		case secs <= math.MinInt64:
			return math.MinInt64, nil
		}
		return time.Duration(math.Round(secs)), nil
	}
	d, err := time.ParseDuration(strings.Join(strings.Fields(s), ""))
	if err != nil {
		return 0, errTimeoutSyntax
	}
	return d, nil
}

// number reports whether s is written as a plain decimal number: an optional sign, digits and at most one point
// (not "1e3", "inf" or "0x10", which strconv would take too).
func number(s string) bool {
	s = strings.TrimLeft(s, "+-")
	digits := strings.Trim(s, "0123456789.") == "" && strings.Count(s, ".") <= 1
	return digits && strings.ContainsAny(s, "0123456789")
}

// FormatTimeout writes a timeout as ParseTimeout reads it back and a person would write it: 30s, 2m, 1m30s,
// 1h, 500ms (not 2m0s or 1h0m0s).
func FormatTimeout(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
