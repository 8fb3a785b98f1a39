package collection

import (
	"fmt"
	"slices"
	"strings"

	"apidesk/engine/imports"
	"apidesk/engine/template"
)

// Tidy merges the parts left out for the same reason in several places into one entry ("a pre-request
// script (Login, Orders › Create and 3 more): …") and drops repeated notes, so a long list reads.
func Tidy(p *imports.Plan) {
	type merged struct {
		l      imports.LeftOut
		wheres []string
	}
	var out []*merged
	index := map[string]*merged{}
	for _, l := range p.LeftOut {
		k := l.What + "\x00" + l.Why
		m := index[k]
		if m == nil {
			m = &merged{l: l}
			index[k] = m
			out = append(out, m)
		}
		if l.Where != "" && !slices.Contains(m.wheres, l.Where) {
			m.wheres = append(m.wheres, l.Where)
		}
	}
	p.LeftOut = p.LeftOut[:0]
	for _, m := range out {
		switch n := len(m.wheres); {
		case n == 0:
			m.l.Where = ""
		case n <= 3:
			m.l.Where = strings.Join(m.wheres, ", ")
		default:
			m.l.Where = fmt.Sprintf("%s and %d more", strings.Join(m.wheres[:2], ", "), n-2)
		}
		p.LeftOut = append(p.LeftOut, m.l)
	}
	var notes []string
	for _, n := range p.Notes {
		if !slices.Contains(notes, n) {
			notes = append(notes, n)
		}
	}
	p.Notes = notes
}

// Name makes a variable name of another tool's: kept as it is when apidesk can write it as a {{variable}},
// else with _ for each character a name may not hold.
func Name(s string) string {
	s = strings.TrimSpace(s)
	if template.ValidName(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			b.WriteByte(c)
		} else if c < 0x80 || c >= 0xC0 { // one _ for each character, not each byte of it
			b.WriteByte('_')
		}
	}
	name := strings.Trim(b.String(), "_")
	if name == "" {
		return "value"
	}
	return name
}
