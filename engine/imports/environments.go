package imports

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"apidesk/engine/environment"
	"apidesk/engine/kv"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
	"apidesk/engine/workspace"
)

// Environment is one of the document's environments (a Postman environment, an Insomnia sub-environment, a Bruno
// environment): it becomes the workspace's environment of that name, created, or with these variables set in it.
// A secret variable has no value: each person enters theirs, and it is kept in their keychain.
type Environment struct {
	Name      string
	Variables []environment.Variable
}

// AddEnvironment adds an environment to the plan, its variables sorted by name; one of the same name (compared
// without case) gets these variables added to its own.
//
// A value that looks secret (its name says so: sensitive.Variable) is not kept: the variable is made secret, so that
// each person enters their own, and the value is listed as left out.
func (p *Plan) AddEnvironment(name string, vars []environment.Variable) {
	name = strings.Join(strings.Fields(name), " ")
	if r := []rune(name); len(r) > 100 {
		name = strings.TrimSpace(string(r[:100])) // the workspace keeps names under 100 characters
	}
	if name == "" {
		name = "Imported"
	}
	where := "the environment " + name
	var kept []environment.Variable
	for _, v := range vars {
		switch {
		case !template.ValidName(v.Name):
			p.Leave(where, fmt.Sprintf("the variable %q", v.Name), "its name cannot be a {{variable}}: use letters, digits, '_', '-' and '.'")
			continue
		case strings.ContainsAny(v.Value, "\r\n"):
			p.Leave(where, "the value of "+v.Name, "it has several lines, and an environment's values are one line each")
			continue
		}
		if !v.Secret && sensitive.VariableValue(v.Name, v.Value) && !template.OnlyPlaceholders(v.Value) {
			v.Secret = true
		}
		if v.Secret && v.Value != "" {
			p.Leave(where, "the value of "+v.Name, "it looks secret, and workspace files may be shared: each person enters theirs, kept in their keychain")
			v.Value = ""
		}
		if i := slices.IndexFunc(kept, func(k environment.Variable) bool { return k.Name == v.Name }); i >= 0 {
			kept[i] = v // the last one, as the tools read them
			continue
		}
		kept = append(kept, v)
	}
	vars = kept
	slices.SortFunc(vars, func(a, b environment.Variable) int { return strings.Compare(a.Name, b.Name) })
	for i := range p.Environments {
		if strings.EqualFold(p.Environments[i].Name, name) {
			p.Environments[i].Variables = mergeVariables(p.Environments[i].Variables, vars)
			return
		}
	}
	p.Environments = append(p.Environments, Environment{Name: name, Variables: vars})
}

// mergeVariables sets vars in into: a variable of the same name takes the new value (and secrecy), new ones are
// added in order.
func mergeVariables(into, vars []environment.Variable) []environment.Variable {
	out := slices.Clone(into)
	for _, v := range vars {
		if i := slices.IndexFunc(out, func(o environment.Variable) bool { return o.Name == v.Name }); i >= 0 {
			desc := out[i].Description
			out[i] = v
			if v.Description == "" {
				out[i].Description = desc
			}
			continue
		}
		out = append(out, v)
	}
	return out
}

// UseEnvironments makes the plan's resources take from its environments what they define, once the readers have
// filled in the values they knew (the document's own, or its first environment's): a query's default of a
// variable an environment defines becomes the resource's default (below the environment, in the order variables
// resolve in), and a base URL that starts with a value an environment gives a variable starts with that
// {{variable}} instead, its value kept as the resource's default. defaults are the values the document gives
// its variables outside every environment (Insomnia's base environment, a collection's variables): a base URL
// that starts with one of them, for a variable an environment defines, is treated the same. Choosing an
// environment then switches the address and the values; without one, the resource works as the document was read.
func (p *Plan) UseEnvironments(defaults map[string]string) {
	if len(p.Environments) == 0 {
		return
	}
	defined := map[string]bool{}
	var bases []kv.Pair // (name, value) of the values that look like addresses, longest first
	addBase := func(name, value string) {
		if val := strings.TrimRight(strings.TrimSpace(value), "/"); strings.Contains(val, "://") {
			bases = append(bases, kv.On(name, val))
		}
	}
	for _, e := range p.Environments {
		for _, v := range e.Variables {
			defined[v.Name] = true
			if !v.Secret {
				addBase(v.Name, v.Value)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(defaults)) {
		if defined[name] {
			addBase(name, defaults[name])
		}
	}
	slices.SortStableFunc(bases, func(a, b kv.Pair) int { return len(b.Value) - len(a.Value) })
	for ri := range p.Resources {
		pr := &p.Resources[ri]
		defaults := map[string]string{}
		for _, pv := range pr.Resource.Variables {
			defaults[pv.Key] = pv.Value
		}
		rebase := func(u string) string {
			for _, b := range bases {
				if rest, ok := strings.CutPrefix(u, b.Value); ok && (rest == "" || strings.HasPrefix(rest, "/")) {
					if _, ok := defaults[b.Key]; !ok {
						defaults[b.Key] = b.Value
					}
					return "{{" + b.Key + "}}" + rest
				}
			}
			return u
		}
		pr.Resource.BaseURL = rebase(pr.Resource.BaseURL)
		var urls []string // an environment's address is now the environment's to choose
		for _, u := range pr.BaseURLs {
			if u = rebase(u); !slices.Contains(urls, u) {
				urls = append(urls, u)
			}
		}
		pr.BaseURLs = urls
		for qi := range pr.Queries {
			q := &pr.Queries[qi]
			for vi := range q.Variables {
				v := &q.Variables[vi]
				if !defined[v.Name] || v.Default == "" {
					continue
				}
				if _, ok := defaults[v.Name]; !ok {
					defaults[v.Name] = v.Default
				}
				v.Default = ""
			}
		}
		var rows kv.List
		for _, name := range slices.Sorted(maps.Keys(defaults)) {
			rows = append(rows, kv.On(name, defaults[name]))
		}
		pr.Resource.Variables = rows
	}
}

// EnvironmentOutcome is what ApplyEnvironments did (or, with DryRun, would do) for one environment of the plan.
type EnvironmentOutcome struct {
	Name      string
	New       bool
	Variables int
	Secrets   []string // the secret variables, whose values each person enters
}

func (o EnvironmentOutcome) say(dry bool) string {
	verb := map[[2]bool]string{{true, false}: "Created", {false, false}: "Updated", {true, true}: "Would create", {false, true}: "Would update"}[[2]bool{o.New, dry}]
	s := fmt.Sprintf("%s environment %s with %s", verb, o.Name, plural(o.Variables, "variable", "variables"))
	if len(o.Secrets) > 0 {
		s += fmt.Sprintf(" (enter your value of %s: it is kept in your keychain)", strings.Join(o.Secrets, ", "))
	}
	return s
}

// String says what was done, as the CLI prints it.
func (o EnvironmentOutcome) String() string { return o.say(false) }

// Planned says what a dry run would do.
func (o EnvironmentOutcome) Planned() string { return o.say(true) }

// ApplyEnvironments writes the plan's environments into ws: each is the workspace's environment of that name,
// with the plan's variables set in it (a value the person set since is replaced by the document's; their other
// variables stay), or a new one.
func ApplyEnvironments(ctx context.Context, ws *workspace.Workspace, p *Plan, opt Options) ([]EnvironmentOutcome, error) {
	var out []EnvironmentOutcome
	for _, pe := range p.Environments {
		o := EnvironmentOutcome{Name: pe.Name, Variables: len(pe.Variables)}
		for _, v := range pe.Variables {
			if v.Secret {
				o.Secrets = append(o.Secrets, v.Name)
			}
		}
		e, err := ws.EnvironmentByName(pe.Name)
		if err != nil {
			o.New = true
			e = &environment.Environment{Name: pe.Name}
		}
		e.Variables = mergeVariables(e.Variables, pe.Variables)
		if !opt.DryRun {
			if err := ws.SaveEnvironment(ctx, e); err != nil {
				return out, fmt.Errorf("the environment %s could not be saved: %w", pe.Name, err)
			}
		}
		out = append(out, o)
	}
	return out, nil
}
