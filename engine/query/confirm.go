package query

import (
	"fmt"
	"net/http"
	"strings"

	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
)

// Writes reports whether method (empty: GET) may change something on the server: every method but GET,
// HEAD and OPTIONS.
func Writes(method string) bool {
	switch strings.ToUpper(method) {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// AsksFirst reports whether the query is confirmed before it runs: its method may change something (Writes),
// or its file says confirm: true.
func (q *Query) AsksFirst() bool { return q.Confirm || Writes(q.Method) }

// Hidden reports whether the value of the variable name is kept out of what is shown and recorded: it is saved
// as secret, or its name says it holds one (a password, a token; sensitive.Variable).
func (q *Query) Hidden(name string) bool {
	return q.Variable(name).Secret() || sensitive.Variable(name)
}

// hiddenValue is what is shown for the value of a secret.
const hiddenValue = "•••"

// confirmValueMax is the most characters of a value the confirmation shows.
const confirmValueMax = 60

// Confirmation is the question asked before the query runs on res with vals (the values Fill gives):
// "This will POST to Billing: Refund order — order_id 1234, amount 10.00. Run it?". Each input filled in is
// named (by its label when it has one) with its value on one line, shortened when long; a secret's value is
// •••, and an input left empty is left out.
func (q *Query) Confirmation(res *resource.Resource, vals map[string]string) string {
	var b strings.Builder
	b.WriteString("This will ")
	b.WriteString(q.EffectiveMethod())
	b.WriteString(" to ")
	if res != nil && res.Name != "" {
		b.WriteString(res.Name)
		b.WriteString(": ")
	}
	b.WriteString(q.Name)
	var filled []string
	for _, v := range q.Inputs(res) {
		s := vals[v.Name]
		if s == "" {
			continue
		}
		if q.Hidden(v.Name) {
			s = hiddenValue
		} else {
			s = oneLine(s, confirmValueMax)
		}
		name := v.Name
		if v.Label != "" {
			name = v.Label
		}
		filled = append(filled, fmt.Sprintf("%s %s", name, s))
	}
	if len(filled) > 0 {
		b.WriteString(" — ")
		b.WriteString(strings.Join(filled, ", "))
	}
	b.WriteString(". Run it?")
	return b.String()
}

// oneLine is s with its line breaks and tabs as spaces, cut to max characters with "…".
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
