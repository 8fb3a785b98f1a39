// Package environ is the environment the window's requests run in: the one chosen in the toolbar's switcher
// (Switcher), remembered for each person and workspace, and the scope of a request in it (Active.For), which
// the views build off the UI goroutine because it reads the keychain.
package environ

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"

	"apidesk/engine/environment"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
)

// Active is the environment chosen, shared by the views that send requests and sign in. A nil *Active is no
// environment and no workspace defaults: a request runs with its own values and its query's defaults alone, as
// before environments existed. Its methods are called on the UI goroutine, except what For returns.
type Active struct {
	ws   *workspace.Workspace
	keys *secret.Store
	env  *environment.Environment // nil: none

	// hintLocal is the person's own values for env, read once for the fields' placeholders (Hints), which are
	// redrawn as the person types; nil: not read since env was set.
	hintLocal map[string]string

	listeners []func()
	// OnProblem is told (on the UI goroutine) of a problem with the person's own values for the environment
	// (workspace.LocalValues): a request still runs, without them.
	OnProblem func(err error)
}

// New returns no environment active in ws, whose secrets are in keys (nil: no keychain).
func New(ws *workspace.Workspace, keys *secret.Store) *Active {
	return &Active{ws: ws, keys: keys}
}

// Env is the environment active, or nil for none. It is a copy the caller must not change.
func (a *Active) Env() *environment.Environment {
	if a == nil {
		return nil
	}
	return a.env
}

// Set makes e (nil: none) the environment requests run in, and tells those who asked (OnChanged).
func (a *Active) Set(e *environment.Environment) {
	a.env, a.hintLocal = e, nil
	for _, f := range a.listeners {
		f()
	}
}

// OnChanged adds f to what is called after the environment changed.
func (a *Active) OnChanged(f func()) { a.listeners = append(a.listeners, f) }

// Protected reports whether the environment active asks before every request that may change data.
func (a *Active) Protected() bool { return a.Env() != nil && a.env.Protected }

// Scoper builds the scope of a request: call it off the UI goroutine, since it may read the keychain. Its
// scope is never nil when the error is.
type Scoper func(ctx context.Context) (*environment.Scope, error)

// For returns how to build the scope of a request on res (nil: none) in the environment active now, to be
// called off the UI goroutine.
func (a *Active) For(res *resource.Resource) Scoper {
	if a == nil || a.ws == nil {
		return func(context.Context) (*environment.Scope, error) { return &environment.Scope{}, nil }
	}
	ws, keys, env, onProblem := a.ws, a.keys, a.env, a.OnProblem
	return func(ctx context.Context) (*environment.Scope, error) {
		s, err := ws.Scope(ctx, keys, env, res)
		if s != nil && err != nil { // the person's own values could not be used: the scope leaves them out
			if onProblem != nil {
				fyne.Do(func() { onProblem(err) })
			}
			err = nil
		}
		return s, err
	}
}

// Bind returns res as it runs in the environment active now, for the calls that sign in or read a sign-in
// (Scope.Bind): to be called off the UI goroutine.
func (a *Active) Bind(res *resource.Resource) func(ctx context.Context) (*resource.Resource, error) {
	scope := a.For(res)
	return func(ctx context.Context) (*resource.Resource, error) {
		s, err := scope(ctx)
		if err != nil {
			return nil, err
		}
		return s.Bind(res), nil
	}
}

// KeyID is the keychain name of res's secrets and sign-in in the environment active (environment.KeyID).
func (a *Active) KeyID(resourceID string) string { return environment.KeyID(resourceID, a.Env()) }

// Provided lists the variables the environment active, res's defaults (res may be nil) and the workspace's
// variables give a value to, the environment's secret ones included (their values are in the keychain), so
// that a run need not ask for them. The person's own values are left out: they are read with the scope.
func (a *Active) Provided(res *resource.Resource) []string {
	if a == nil || a.ws == nil {
		return nil
	}
	var out []string
	add := func(name string) {
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	if a.env != nil {
		for _, v := range a.env.Variables {
			if v.Secret || v.Value != "" {
				add(v.Name)
			}
		}
	}
	if res != nil {
		for _, p := range res.Variables.Active() {
			add(p.Key)
		}
	}
	for _, p := range a.ws.Settings().Variables.Active() {
		add(p.Key)
	}
	return out
}

// Values returns the values to run q with in s, given the values of the run (q.Values or query.Fill's): as
// Scope.Values, except that an empty value given for a variable the scope has a value for leaves it to the
// scope (a field left empty in run mode does not hide the environment's value).
func Values(s *environment.Scope, q *query.Query, given map[string]string) map[string]string {
	from := s.Resolve(nil, nil)
	kept := make(map[string]string, len(given))
	for k, v := range given {
		if _, ok := from[k]; ok && v == "" {
			continue
		}
		kept[k] = v
	}
	return s.Values(q, kept)
}

// Preview returns the scope of res (nil: none) in the environment active without the keychain's values, for
// what is shown or copied rather than sent (Copy as cURL): the environment's secret variables have no value in
// it, and Scope.Query marks them secret, so they stay placeholders. It reads the person's own values (a small
// file), not the keychain, so it may be called on the UI goroutine.
func (a *Active) Preview(res *resource.Resource) *environment.Scope {
	if a == nil || a.ws == nil {
		return &environment.Scope{}
	}
	s, _ := a.ws.Scope(context.Background(), nil, nil, res) // no environment: no keychain, never an error
	s.Env = a.env
	if a.env != nil {
		s.Local, _ = a.ws.LocalValues(a.env) // a problem with them is said when a request is sent
	}
	return s
}

// Hint is the placeholder of the field of name, a variable that Provided lists: left empty, its value is the
// environment active's, else the resource's or the workspace's default.
func (a *Active) Hint(name string) string { return a.Hints(nil)(name) }

// Hints returns the placeholders of res's fields (res may be nil) for the variables Provided lists, each saying
// the value left empty takes and where it comes from ("Leave empty for https://staging.example.com, from the
// environment Staging"); a secret's value is never shown. It reads the person's own values once (a small file),
// not the keychain, so it may be called on the UI goroutine.
func (a *Active) Hints(res *resource.Resource) func(name string) string {
	s := &environment.Scope{}
	if a != nil && a.ws != nil {
		s, _ = a.ws.Scope(context.Background(), nil, nil, res) // no environment: no keychain, no file
		s.Env = a.env
		if a.env != nil {
			if a.hintLocal == nil {
				a.hintLocal, _ = a.ws.LocalValues(a.env) // once, not on every keystroke
			}
			s.Local = a.hintLocal
		}
	}
	resolved := s.Resolve(nil, nil)
	e := a.Env()
	return func(name string) string {
		if v := e.Variable(name); v != nil && v.Secret {
			return "Leave empty to use your secret value for " + e.Name
		}
		if v, ok := resolved[name]; ok && v.Value != "" {
			return "Leave empty for " + v.Value + ", from " + s.Where(v.Source)
		}
		if e != nil && e.Variable(name) != nil {
			return "Leave empty to use the value of " + e.Name
		}
		return "Leave empty to use its default"
	}
}
