// Package importtest holds what the tests of the collection formats' readers (har, insomnia, bruno) share:
// applying a plan to a real workspace, finding its resources, queries and variables, and checking what it left
// out or what a fuzzed read returned. It is imported by tests only.
package importtest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"apidesk/engine/imports"
	"apidesk/engine/imports/internal/collection"
	"apidesk/engine/query"
	"apidesk/engine/workspace"
)

// Apply checks the plan (collection.Check: the workspace saves it, no secret is written out in it) and imports
// it twice into a new workspace: the first import creates each resource with all its queries, the second
// updates them all and creates nothing. It returns the workspace and what the second import did.
func Apply(t testing.TB, p *imports.Plan) (*workspace.Workspace, []imports.Outcome) {
	t.Helper()
	if err := collection.Check(p); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ws, err := workspace.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Load(ctx); err != nil {
		t.Fatal(err)
	}
	out, err := imports.Apply(ctx, ws, nil, p, imports.Options{})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(out) != len(p.Resources)+len(p.Environments) {
		t.Fatalf("Apply made %v", out)
	}
	for i, o := range out {
		if i >= len(p.Resources) {
			if e := o.Environment; e == nil || !e.New || e.Name != p.Environments[i-len(p.Resources)].Name {
				t.Errorf("first import of an environment: %s", o)
			}
			continue
		}
		if !o.New || o.Created != len(p.Resources[i].Queries) {
			t.Errorf("first import: %s", o)
		}
	}
	again, err := imports.Apply(ctx, ws, nil, p, imports.Options{})
	if err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	if len(again) != len(p.Resources)+len(p.Environments) {
		t.Fatalf("second Apply made %v", again)
	}
	for i, o := range again {
		if i >= len(p.Resources) {
			if e := o.Environment; e == nil || e.New {
				t.Errorf("second import of an environment: %s", o)
			}
			continue
		}
		if o.New || o.Created != 0 || o.Updated != len(p.Resources[i].Queries) {
			t.Errorf("second import: %s", o)
		}
	}
	if got := len(ws.Environments()); got != len(p.Environments) {
		t.Errorf("%d environments in the workspace, want %d", got, len(p.Environments))
	}
	return ws, again
}

// CheckRead is what a fuzzed Read must give: an error that is an *imports.FormatError, or a plan that passes
// collection.Check.
func CheckRead(t testing.TB, p *imports.Plan, err error) {
	t.Helper()
	if err != nil {
		var fe *imports.FormatError
		if !errors.Is(err, imports.ErrFormat) || !errors.As(err, &fe) {
			t.Fatalf("error %q is not a FormatError", err)
		}
		return
	}
	if err := collection.Check(p); err != nil {
		t.Fatal(err)
	}
}

// ResourceNamed is the plan's resource of that name; the test stops when there is none.
func ResourceNamed(t testing.TB, p *imports.Plan, name string) *imports.Resource {
	t.Helper()
	for i := range p.Resources {
		if p.Resources[i].Resource.Name == name {
			return &p.Resources[i]
		}
	}
	var names []string
	for _, r := range p.Resources {
		names = append(names, r.Resource.Name)
	}
	t.Fatalf("no resource %q in %v", name, names)
	return nil
}

// QuerySourced is the resource's query of that Source; the test stops when there is none.
func QuerySourced(t testing.TB, r *imports.Resource, source string) *query.Query {
	t.Helper()
	for i := range r.Queries {
		if r.Queries[i].Source == source {
			return &r.Queries[i]
		}
	}
	var got []string
	for _, q := range r.Queries {
		got = append(got, q.Source)
	}
	t.Fatalf("no query %s in %s: %q", source, r.Resource.Name, got)
	return nil
}

// MustLeave fails unless a part the plan left out names what and says why.
func MustLeave(t testing.TB, p *imports.Plan, what, why string) {
	t.Helper()
	for _, l := range p.LeftOut {
		if strings.Contains(l.What, what) && strings.Contains(l.String(), why) {
			return
		}
	}
	t.Errorf("nothing left out says %q with %q; left out:\n%s", what, why, LeftOuts(p))
}

// LeftOuts lists what the plan left out, a line each, for a failure's message.
func LeftOuts(p *imports.Plan) string {
	var b strings.Builder
	for _, l := range p.LeftOut {
		b.WriteString("  " + l.String() + "\n")
	}
	return b.String()
}

// Variable is the query's variable of that name, or one with only the name when the query has none.
func Variable(q *query.Query, name string) query.Variable {
	i := slices.IndexFunc(q.Variables, func(v query.Variable) bool { return v.Name == name })
	if i < 0 {
		return query.Variable{Name: name}
	}
	return q.Variables[i]
}

// Environment returns the plan's environment named name, with its variables as "name=value" ("name (secret)").
func Environment(t testing.TB, p *imports.Plan, name string) []string {
	t.Helper()
	for _, e := range p.Environments {
		if e.Name == name {
			var out []string
			for _, v := range e.Variables {
				if v.Secret {
					out = append(out, v.Name+" (secret)")
				} else {
					out = append(out, v.Name+"="+v.Value)
				}
			}
			return out
		}
	}
	var names []string
	for _, e := range p.Environments {
		names = append(names, e.Name)
	}
	t.Fatalf("no environment %q in the plan: %q", name, names)
	return nil
}
