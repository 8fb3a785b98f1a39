// Package imports brings API descriptions and other tools' collections into a workspace: each format's package
// (openapi, postman, insomnia, har, bruno) reads its files into a Plan — the resources and saved queries to
// create, and every part left out with the reason — and Apply writes a Plan into a workspace, updating what an
// earlier import of the same document created (matched by each query's Source) instead of duplicating it.
//
// A Plan holds no secret: a value that looks secret (a token in a header, a password in a Basic auth, an API
// key's value) becomes a {{variable}} or is left out, and is listed in LeftOut.
package imports

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
)

// Plan is what an import creates: resources with their queries, and what it left out.
type Plan struct {
	Format    string     // the format read, as a person names it: "OpenAPI 3.1", "Postman collection v2.1"
	Resources []Resource // in the document's order
	LeftOut   []LeftOut  // every part of the document not imported, and why
	// Environments are the document's environments, made the workspace's by Apply (see UseEnvironments).
	Environments []Environment
	Notes        []string // what the person should know that is not a part left out, in sentences
}

// Resource is a resource to create (or, matched by name, to update) with its queries.
type Resource struct {
	Resource resource.Resource // no ID: Apply finds or makes it
	// BaseURLs are the base URLs the document offers (its servers), the first being Resource.BaseURL's; a
	// window lets the person choose another.
	BaseURLs []string
	Queries  []query.Query // no ID and no ResourceID: Apply sets them; Source identifies each in its document
}

// LeftOut is a part of the document that was not imported.
type LeftOut struct {
	Where string // where in the document: "paths./pets.post", "item Login › Get token"
	What  string // what it is: "a pre-request script", "the callback onEvent"
	Why   string // why, in words
}

func (l LeftOut) String() string {
	s := l.What
	if l.Where != "" {
		s += " (" + l.Where + ")"
	}
	if l.Why != "" {
		s += ": " + l.Why
	}
	return s
}

// Leave adds a part left out.
func (p *Plan) Leave(where, what, why string) {
	p.LeftOut = append(p.LeftOut, LeftOut{Where: where, What: what, Why: why})
}

// Count is the number of queries in the plan.
func (p *Plan) Count() int {
	n := 0
	for _, r := range p.Resources {
		n += len(r.Queries)
	}
	return n
}

// Options say how a Plan is applied.
type Options struct {
	// Resource, when set, names an existing resource that every query of the plan is added to (the plan's own
	// resources are then not created); the plan must have one resource.
	Resource string
	// DryRun reports what Apply would do without writing anything.
	DryRun bool
}

// Outcome is what Apply did (or, with DryRun, would do) for one resource of the plan.
type Outcome struct {
	Resource string   // its name
	New      bool     // the resource was created
	Created  int      // queries created
	Updated  int      // queries updated (the same Source as an earlier import's)
	Notes    []string // what the person must still do, in sentences
	// Environment, when set, is what was done for one of the plan's environments rather than a resource.
	Environment *EnvironmentOutcome
}

// String says what was done, as the CLI prints it: "Created resource Petstore with 19 queries", "Added 3 queries
// to CRM, updated 2".
func (o Outcome) String() string { return o.say(false) }

// Planned says what a dry run would do: "Would create resource Petstore with 19 queries".
func (o Outcome) Planned() string { return o.say(true) }

func (o Outcome) say(dry bool) string {
	if o.Environment != nil {
		return o.Environment.say(dry)
	}
	if o.New {
		verb := "Created"
		if dry {
			verb = "Would create"
		}
		return fmt.Sprintf("%s resource %s with %s", verb, o.Resource, plural(o.Created, "query", "queries"))
	}
	add, update := "Added", "updated"
	if dry {
		add, update = "Would add", "update"
	}
	s := fmt.Sprintf("%s %s to %s", add, plural(o.Created, "query", "queries"), o.Resource)
	if o.Updated > 0 {
		s += fmt.Sprintf(", %s %d", update, o.Updated)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// ErrSeveral is matched by errors.Is when Options.Resource is given for a plan of several resources.
var ErrSeveral = errors.New("one resource cannot take several APIs")

// ErrNoResource is matched by errors.Is when Options.Resource names no resource of the workspace.
var ErrNoResource = errors.New("no such resource")

// Apply writes the plan into ws, its environments last (ApplyEnvironments, each outcome's Environment set): each resource of the plan is the workspace's resource of the same name (its
// base URL, rows and auth left as the person set them) or a new one; each query replaces the query of that
// resource with the same Source (keeping its ID, name and what run mode saved with it: result shape, confirm),
// or is created, with a name made unique among the resource's queries. keys may be nil: nothing goes to the
// keychain, since a plan holds no secret.
func Apply(ctx context.Context, ws *workspace.Workspace, keys *secret.Store, p *Plan, opt Options) ([]Outcome, error) {
	if opt.Resource != "" && len(p.Resources) > 1 {
		return nil, fmt.Errorf("%w: the document describes %d; import it without naming a resource, so each becomes its own", ErrSeveral, len(p.Resources))
	}
	var out []Outcome
	for _, pr := range p.Resources {
		o, err := apply(ctx, ws, keys, pr, opt)
		if err != nil {
			return out, err
		}
		out = append(out, o)
	}
	envs, err := ApplyEnvironments(ctx, ws, p, opt)
	for i := range envs {
		out = append(out, Outcome{Resource: envs[i].Name, Environment: &envs[i]})
	}
	return out, err
}

func apply(ctx context.Context, ws *workspace.Workspace, keys *secret.Store, pr Resource, opt Options) (Outcome, error) {
	name := pr.Resource.Name
	if opt.Resource != "" {
		name = opt.Resource
	}
	o := Outcome{Resource: name}
	res, err := ws.ResourceByName(name)
	switch {
	case err == nil:
	case opt.Resource != "":
		return o, fmt.Errorf("%w %q in this workspace: check the name, or leave the resource out to create one", ErrNoResource, opt.Resource)
	default:
		o.New = true
		r := pr.Resource
		r.ID = ""
		if !opt.DryRun {
			err := ws.SaveResource(ctx, &r, keys, nil)
			var es resource.Errors
			if errors.As(err, &es) && !slices.ContainsFunc(es, func(e resource.FieldError) bool { return !strings.HasPrefix(e.Field, "auth.") }) {
				// The document's authentication lacks what only the person knows (a Basic username): the
				// resource is made without it, and the person is told what to set.
				o.Notes = append(o.Notes, fmt.Sprintf("%s was created without its %s authentication, which needs what the document cannot give: %s. Set it in the resource's form.",
					name, r.Auth.Kind.Label(), strings.TrimSuffix(es[0].Msg, ".")))
				r.Auth = resource.Auth{Kind: resource.AuthNone}
				err = ws.SaveResource(ctx, &r, keys, nil)
			}
			if err != nil {
				return o, fmt.Errorf("the resource %s could not be created: %w", name, err)
			}
		}
		res = &r
	}
	existing := map[string]*query.Query{}
	taken := map[string]bool{}
	if res.ID != "" {
		for _, q := range ws.QueriesOf(res.ID) {
			taken[strings.ToLower(q.Name)] = true
			if q.Source != "" {
				existing[q.Source] = q
			}
		}
	}
	for _, src := range pr.Queries {
		q := src
		q.ResourceID = res.ID
		if old, ok := existing[q.Source]; ok && q.Source != "" {
			q.ID, q.Name = old.ID, old.Name
			q.Result, q.Confirm = old.Result, old.Confirm || q.Confirm
			o.Updated++
		} else {
			q.ID = ""
			q.Name = uniqueName(q.Name, taken)
			o.Created++
		}
		taken[strings.ToLower(q.Name)] = true
		if opt.DryRun {
			continue
		}
		if err := ws.SaveQuery(ctx, &q); err != nil {
			return o, fmt.Errorf("the query %s could not be saved: %w", q.Name, err)
		}
	}
	return o, nil
}

// uniqueName is name, or "name (2)", "name (3)"… when it is taken (compared without case).
func uniqueName(name string, taken map[string]bool) string {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "Imported query"
	}
	if !taken[strings.ToLower(name)] {
		return name
	}
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s (%d)", name, i)
		if !taken[strings.ToLower(n)] {
			return n
		}
	}
}

// QueryName makes a query's name from an operation's summary, id or method and path, as a person would read it:
// one line, at most 80 characters.
func QueryName(candidates ...string) string {
	for _, c := range candidates {
		c = strings.Join(strings.Fields(c), " ")
		if c == "" {
			continue
		}
		if r := []rune(c); len(r) > 80 {
			c = strings.TrimSpace(string(r[:79])) + "…"
		}
		return c
	}
	return "Imported query"
}

// Source is a document to import: its bytes, and where they came from (a file's path, for the files it refers
// to, or a URL).
type Source struct {
	Name string // as a person names it in a message: the file's name or the URL
	Data []byte
	Path string // the file read, "" when it came from elsewhere; relative references are resolved next to it
	URL  string // the address read, "" for a file
}

// ErrFormat is matched by errors.Is when a document cannot be read as the format asked for. Its message says
// where the problem is (a line, or a path in the document) and what is wrong, in words.
var ErrFormat = errors.New("the document cannot be read")

// FormatError is an ErrFormat with where and what.
type FormatError struct {
	Format string // "an OpenAPI document"
	Where  string // "line 12", "paths./pets.get.responses"; "" when it is the whole document
	Msg    string
}

func (e *FormatError) Error() string {
	if e.Where == "" {
		return fmt.Sprintf("this is not %s: %s", e.Format, e.Msg)
	}
	return fmt.Sprintf("this is not %s: %s: %s", e.Format, e.Where, e.Msg)
}

func (e *FormatError) Is(target error) bool { return target == ErrFormat }
