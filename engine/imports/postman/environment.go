package postman

import (
	"strings"

	"apidesk/engine/environment"
	"apidesk/engine/imports"
	"apidesk/engine/query"
)

// ReadEnvironment reads a Postman environment file (or a globals file): the values of its variables, keyed by
// their names as the queries of Read write them ({{my var}} is {{my_var}}). A value that looks secret (of the
// type secret, or whose name or value says so) is not among them but left out, as is a variable switched off.
// An error is an *imports.FormatError.
func ReadEnvironment(src imports.Source) (map[string]string, []imports.LeftOut, error) {
	e, err := readEnvironment(src)
	if err != nil {
		return nil, nil, err
	}
	return e.values, e.left, nil
}

// Environment is a Postman environment as apidesk keeps one (see ReadEnvironmentAs).
type Environment struct {
	Name      string
	Variables []environment.Variable // those that look secret without their value
	Values    map[string]string      // the values that do not look secret, as ReadEnvironment gives them
	LeftOut   []imports.LeftOut      // the secret values and the variables switched off
}

// ReadEnvironmentAs reads a Postman environment file as an apidesk environment: its name (the file's name when it
// has none), every variable switched on, those that look secret without a value.
func ReadEnvironmentAs(src imports.Source) (*Environment, error) {
	e, err := readEnvironment(src)
	if err != nil {
		return nil, err
	}
	out := &Environment{Name: e.name, Values: e.values, LeftOut: e.left}
	if out.Name == "" {
		out.Name = strings.TrimSuffix(strings.TrimSuffix(src.Name, ".json"), ".postman_environment")
	}
	for n, v := range e.values {
		out.Variables = append(out.Variables, environment.Variable{Name: n, Value: v})
	}
	for _, n := range e.secret {
		out.Variables = append(out.Variables, environment.Variable{Name: n, Secret: true})
	}
	return out, nil
}

type envRead struct {
	name   string
	values map[string]string
	secret []string
	left   []imports.LeftOut
}

func readEnvironment(src imports.Source) (*envRead, error) {
	var c collection
	if err := decode(src.Data, &c, formatEnvironment); err != nil {
		return nil, err
	}
	var vs []variable
	if len(c.Values) == 0 || decodeQuiet(c.Values, &vs) != nil {
		msg := "it has no variables (values): in Postman, choose Export on the environment"
		if c.Item != nil {
			msg = "this file is a Postman collection, not an environment: import it as the collection"
		}
		return nil, &imports.FormatError{Format: formatEnvironment, Msg: msg}
	}
	e := &envRead{}
	where := "the environment"
	if n := strings.TrimSpace(string(c.Info.Name)); n != "" {
		where = "the environment " + n
	}
	var envName struct {
		Name text `json:"name"`
	}
	if n := strings.TrimSpace(string(c.Info.Name)); n != "" {
		e.name = strings.Join(strings.Fields(n), " ")
	}
	if decodeQuiet(src.Data, &envName) == nil && envName.Name != "" {
		e.name = strings.Join(strings.Fields(string(envName.Name)), " ")
		where = "the environment " + e.name
	}
	out := map[string]string{}
	var left []imports.LeftOut
	for _, v := range vs {
		n := varName(v.name())
		value := string(v.Value)
		switch {
		case n == "":
		case bool(v.Disabled) || v.Enabled != nil && !bool(*v.Enabled):
			left = append(left, imports.LeftOut{Where: where, What: "the variable " + n, Why: "it is switched off in the environment"})
		case strings.EqualFold(string(v.Type), "secret") || secretVar(n, value):
			if value != "" {
				left = append(left, imports.LeftOut{Where: where, What: "the value of the variable " + n,
					Why: "it looks secret, and workspace files may be shared: the queries ask for {{" + n + "}} when they run"})
			}
			e.secret = append(e.secret, n)
		default:
			out[n] = value
		}
	}
	e.values, e.left = out, left
	return e, nil
}

// ApplyEnvironment gives the queries of a plan read without an environment (by Read, or another format's
// reader) the environment's values (from ReadEnvironment) as the defaults of the {{variables}} they use, in
// place of those they have; a secret variable keeps none. A resource whose base URL is the placeholder Read
// gives for a variable without a value (https://baseUrl.invalid) gets the variable's value. Read a collection
// with ReadWithEnvironment instead, where the environment also chooses the base URL it gives a value for.
func ApplyEnvironment(p *imports.Plan, env map[string]string) {
	for ri := range p.Resources {
		pr := &p.Resources[ri]
		if host, ok := strings.CutPrefix(pr.Resource.BaseURL, "https://"); ok && strings.HasSuffix(host, placeholderHost) {
			if v := strings.TrimRight(strings.TrimSpace(env[strings.TrimSuffix(host, placeholderHost)]), "/"); v != "" && strings.Contains(v, "://") {
				old := pr.Resource.BaseURL
				pr.Resource.BaseURL = v
				for i, b := range pr.BaseURLs {
					if b == old {
						pr.BaseURLs[i] = v
					}
				}
				notes := p.Notes[:0]
				for _, n := range p.Notes {
					if !strings.Contains(n, old) {
						notes = append(notes, n)
					}
				}
				p.Notes = notes
			}
		}
		for qi := range pr.Queries {
			q := &pr.Queries[qi]
			for _, n := range q.VariableNames(&pr.Resource) {
				value, ok := env[n]
				if !ok {
					continue
				}
				i := -1
				for j, v := range q.Variables {
					if v.Name == n {
						i = j
					}
				}
				if i < 0 {
					q.Variables = append(q.Variables, query.Variable{Name: n})
					i = len(q.Variables) - 1
				}
				v := &q.Variables[i]
				if v.Secret() || v.Check(value) != nil {
					continue
				}
				v.Default = value
				if strings.ContainsAny(value, "\r\n") && v.Kind() == query.TypeText {
					v.Type = query.TypeMultiline
				}
			}
		}
	}
}
