package collection

import (
	"apidesk/engine/environment"
	"fmt"
	"strings"

	"apidesk/engine/imports"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
)

// Check returns the first resource or query of p that the workspace would refuse to save, or that holds a
// value written out under a name that says it is secret, or a value that looks secret (SecretValue); nil
// when there is none. The format packages' tests and fuzzers hold every plan to it.
func Check(p *imports.Plan) error {
	for _, r := range p.Resources {
		if es := r.Resource.Validate(); len(es) > 0 {
			return fmt.Errorf("resource %s: %w", r.Resource.Name, es)
		}
		if err := literal("resource "+r.Resource.Name, r.Resource.Headers, r.Resource.Params, r.Resource.Cookies, nil); err != nil {
			return err
		}
		for _, q := range r.Queries {
			q.ResourceID = "check"
			if es := q.Validate(); len(es) > 0 {
				return fmt.Errorf("query %s: %w", q.Name, es)
			}
			if err := literal("query "+q.Name, q.Headers, q.Params, q.Cookies, &q.Body); err != nil {
				return err
			}
			for _, seg := range strings.Split(q.Path, "/") {
				if SecretValue(seg) {
					return fmt.Errorf("query %s: its path holds a secret", q.Name)
				}
			}
			for _, v := range q.Variables {
				if v.Default != "" && (sensitive.Variable(v.Name) || SecretValue(v.Default)) {
					return fmt.Errorf("query %s: the variable %s has a default that looks secret", q.Name, v.Name)
				}
			}
		}
	}
	for _, e := range p.Environments {
		env := environment.Environment{Name: e.Name, Variables: e.Variables}
		if es := env.Validate(); len(es) > 0 {
			return fmt.Errorf("environment %s: %w", e.Name, es)
		}
		for _, v := range e.Variables {
			if !v.Secret && (sensitive.VariableValue(v.Name, v.Value) || SecretValue(v.Value)) {
				return fmt.Errorf("environment %s: the variable %s has a value that looks secret", e.Name, v.Name)
			}
		}
	}
	for _, r := range p.Resources {
		for _, d := range r.Resource.Variables {
			if sensitive.VariableValue(d.Key, d.Value) || SecretValue(d.Value) {
				return fmt.Errorf("resource %s: the default of %s looks secret", r.Resource.Name, d.Key)
			}
		}
	}
	return nil
}

func literal(where string, headers, params, cookies kv.List, body *query.Body) error {
	check := func(what string, rows kv.List, is func(string) bool) error {
		for _, row := range rows {
			v := row.Value
			if what == "header" {
				v = sensitive.SecretPart(row.Key, row.Value)
			}
			if template.OnlyPlaceholders(v) {
				continue
			}
			if is(row.Key) || SecretValue(v) || what == "header" && sensitive.Authorization(row.Key) {
				return fmt.Errorf("%s: the %s %s holds a secret written out", where, what, row.Key)
			}
			if what == "header" && strings.EqualFold(row.Key, "Cookie") {
				return fmt.Errorf("%s: a Cookie header is left", where)
			}
		}
		return nil
	}
	if err := check("header", headers, sensitive.Header); err != nil {
		return err
	}
	if err := check("URL parameter", params, sensitive.Param); err != nil {
		return err
	}
	if err := check("cookie", cookies, sensitive.Cookie); err != nil {
		return err
	}
	if body == nil {
		return nil
	}
	if err := check("form field", body.Form, sensitive.Param); err != nil {
		return err
	}
	for _, part := range body.Parts {
		if !part.IsFile() {
			if err := check("form field", kv.List{kv.On(part.Name, part.Value)}, sensitive.Param); err != nil {
				return err
			}
		}
	}
	return nil
}
