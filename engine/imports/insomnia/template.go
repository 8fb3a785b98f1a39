package insomnia

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"apidesk/engine/imports"
	"apidesk/engine/imports/internal/collection"
)

// Insomnia writes its variables in Nunjucks: {{ _.base_url }}, {{ _['api-key'] }}, {{ base_url }} (before
// version 2021), with filters ({{ _.name | upper }}), and template tags: {% uuid 'v4' %}, {% response … %},
// {% prompt 'Title', 'Label', 'default' %}, {# comments #}.

// path is a variable's path: name, name.sub, name['sub'], name[0].
var path = regexp.MustCompile(`^[A-Za-z_$][\w$-]*(?:\s*(?:\.\s*[\w$-]+|\[\s*'[^']*'\s*\]|\[\s*"[^"]*"\s*\]|\[\s*\d+\s*\]))*$`)

// converter writes the templates of a document's texts as apidesk's {{variables}}.
type converter struct {
	plan *imports.Plan
	// prompts are the values of the {% prompt %} tags found, by the name of the variable made of them; a
	// masked prompt's is never kept.
	prompts map[string]string
	secret  map[string]bool // variables of masked prompts
}

// convert writes s's templates as {{variables}}; where says where s is, for what is left out.
func (c *converter) convert(s, where string) string {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "{%") && !strings.Contains(s, "{#") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexAny(s, "{")
		if i < 0 || i+1 >= len(s) {
			b.WriteString(s)
			return b.String()
		}
		var end string
		switch s[i+1] {
		case '{':
			end = "}}"
		case '%':
			end = "%}"
		case '#':
			end = "#}"
		default:
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		j := strings.Index(s[i+2:], end)
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		inner := strings.TrimSpace(s[i+2 : i+2+j])
		b.WriteString(s[:i])
		whole := s[i : i+2+j+2]
		s = s[i+2+j+2:]
		switch end {
		case "}}":
			b.WriteString(c.variable(inner, whole, where))
		case "%}":
			b.WriteString(c.tag(inner, whole, where))
		}
	}
}

// variable converts the inside of {{ … }}.
func (c *converter) variable(inner, whole, where string) string {
	expr, filter, hasFilter := strings.Cut(inner, "|")
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return whole
	}
	name := ""
	if path.MatchString(expr) {
		name = pathName(expr)
	}
	if name == "" {
		name = collection.Name(expr)
		c.plan.Leave(where, "the template "+whole, fmt.Sprintf("apidesk fills in plain {{variables}} only: the query asks for a value as {{%s}}", name))
		return "{{" + name + "}}"
	}
	if hasFilter {
		c.plan.Leave(where, fmt.Sprintf("the filter %s of {{%s}}", strings.TrimSpace(filter), name),
			"apidesk fills in variables as they are, without filters")
	}
	return "{{" + name + "}}"
}

// pathName turns _.a.b, _['a-b'] or a[0] into a variable name (a.b, a-b, a.0).
func pathName(expr string) string {
	var parts []string
	rest := expr
	for rest != "" {
		rest = strings.TrimSpace(rest)
		switch {
		case strings.HasPrefix(rest, "."):
			rest = rest[1:]
		case strings.HasPrefix(rest, "["):
			end := strings.IndexByte(rest, ']')
			key := strings.Trim(strings.TrimSpace(rest[1:end]), `'"`)
			parts = append(parts, key)
			rest = rest[end+1:]
		default:
			end := strings.IndexAny(rest, ".[ ")
			if end < 0 {
				end = len(rest)
			}
			parts = append(parts, rest[:end])
			rest = rest[end:]
		}
	}
	if len(parts) > 0 && parts[0] == "_" {
		parts = parts[1:]
	}
	if len(parts) == 0 {
		return ""
	}
	return collection.Name(strings.Join(parts, "."))
}

// tagArgs splits a template tag's arguments: 'a', "b", 3, true.
func tagArgs(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimLeft(strings.TrimSpace(s), ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			break
		}
		if q := s[0]; q == '\'' || q == '"' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				out = append(out, s[1:])
				break
			}
			out = append(out, s[1:1+end])
			s = s[end+2:]
			continue
		}
		end := strings.IndexByte(s, ',')
		if end < 0 {
			end = len(s)
		}
		out = append(out, strings.TrimSpace(s[:end]))
		s = s[end:]
	}
	return out
}

// tag converts the inside of {% … %}: a prompt becomes a variable with its default; any other tag becomes a
// variable the person fills in, listed as left out.
func (c *converter) tag(inner, whole, where string) string {
	name, args, _ := strings.Cut(inner, " ")
	name = strings.TrimSpace(name)
	list := tagArgs(args)
	if name == "prompt" {
		label := ""
		for _, a := range list[:min(2, len(list))] {
			if strings.TrimSpace(a) != "" {
				label = a
			}
		}
		v := collection.Name(label)
		if label == "" {
			v = "prompt"
		}
		masked := len(list) > 4 && list[4] == "true"
		if masked {
			c.secret[v] = true
		} else if len(list) > 2 && list[2] != "" {
			c.prompts[v] = list[2]
		}
		return "{{" + v + "}}"
	}
	v := collection.Name(name)
	switch name {
	case "faker":
		if len(list) > 0 {
			v = collection.Name(list[0])
		}
	case "response":
		v = "response"
		if len(list) > 2 {
			field := list[2]
			if enc, ok := strings.CutPrefix(field, "b64::"); ok {
				enc, _, _ = strings.Cut(enc, "::")
				b, err := base64.StdEncoding.DecodeString(enc)
				field = string(b)
				if err != nil {
					field = ""
				}
			}
			if f := strings.Trim(collection.Name(strings.Trim(field, "$.[]' ")), "_.-"); f != "" && f != "value" {
				v = "response_" + f
			}
		}
	case "":
		return whole
	}
	shown := whole
	if r := []rune(shown); len(r) > 60 {
		shown = "{% " + name + " … %}"
	}
	c.plan.Leave(where, "the Insomnia template tag "+shown,
		fmt.Sprintf("apidesk does not run template tags: the query asks for a value as {{%s}}", v))
	return "{{" + v + "}}"
}
