package history

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

const day = 24 * time.Hour

// Choice is a policy a person can pick, with its words.
type Choice struct {
	Label  string
	Policy Policy
}

// Choices are the policies Settings offers, DefaultPolicy first.
var Choices = []Choice{
	{"The last 50 runs of each query, for 30 days", DefaultPolicy},
	{"The last 20 runs of each query", Policy{Keep: 20}},
	{"The last 200 runs of each query", Policy{Keep: 200}},
	{"The runs of the last 7 days", Policy{MaxAge: 7 * day}},
	{"The runs of the last 30 days", Policy{MaxAge: 30 * day}},
	{"The runs of the last 90 days", Policy{MaxAge: 90 * day}},
	{"None: keep no record", Policy{Off: true}},
}

// String writes the policy for a preference: "off", or "count:50", "days:30" or both, joined by a comma.
func (p Policy) String() string {
	if p.Off {
		return "off"
	}
	var parts []string
	if p.Keep > 0 {
		parts = append(parts, fmt.Sprintf("count:%d", p.Keep))
	}
	if p.MaxAge > 0 {
		parts = append(parts, fmt.Sprintf("days:%d", int(p.MaxAge/day)))
	}
	return strings.Join(parts, ",")
}

// ParsePolicy reads what String wrote; anything else (an empty text, one written by a later version) gives
// DefaultPolicy and false.
func ParsePolicy(s string) (Policy, bool) {
	if s == "off" {
		return Policy{Off: true}, true
	}
	var p Policy
	for part := range strings.SplitSeq(s, ",") {
		k, v, _ := strings.Cut(part, ":")
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n <= 0:
			return DefaultPolicy, false
		case k == "count" && p.Keep == 0:
			p.Keep = n
		case k == "days" && p.MaxAge == 0:
			p.MaxAge = time.Duration(n) * day
		default:
			return DefaultPolicy, false
		}
	}
	return p, true
}
