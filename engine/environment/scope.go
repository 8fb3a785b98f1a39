package environment

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/template"
)

// Source says where a variable's value came from, in the order they are looked in.
type Source int

// The places a value is looked for, first to last. SourceNone: nowhere.
const (
	SourceNone     Source = iota
	SourceGiven           // the values given for the run
	SourceQuery           // the query's default
	SourceLocal           // the person's own value for the environment, outside the workspace
	SourceKeychain        // the person's keychain: a secret variable of the environment
	SourceEnv             // the environment's file
	SourceResource        // the resource's defaults
	SourceGlobal          // the workspace's variables
)

// Value is a variable's value and where it came from.
type Value struct {
	Value  string
	Source Source
}

// Scope is what a run's {{variables}} may take values from, below the run's own values and the query's
// defaults (which Values and Resolve are given). The zero Scope has no environment and no defaults.
type Scope struct {
	Env      *Environment      // the active environment; nil: none
	Local    map[string]string // the person's own values for Env (workspace.LocalValues)
	Secrets  map[string]string // the person's values of Env's secret variables (SecretValues)
	Resource map[string]string // the resource's defaults
	Globals  map[string]string // the workspace's variables
}

// layers returns the scope's own layers in order, first wins.
func (s *Scope) layers() []struct {
	src  Source
	vals map[string]string
} {
	if s == nil {
		return nil
	}
	var file map[string]string
	if s.Env != nil {
		file = s.Env.Values()
	}
	return []struct {
		src  Source
		vals map[string]string
	}{{SourceLocal, s.local()}, {SourceKeychain, s.Secrets}, {SourceEnv, file}, {SourceResource, s.Resource}, {SourceGlobal, s.Globals}}
}

// local is the person's own values, except for the environment's secret variables: a value on disk is never
// used for a secret (LocalProblems says so).
func (s *Scope) local() map[string]string {
	if len(s.Local) == 0 || s.Env == nil {
		return s.Local
	}
	out := make(map[string]string, len(s.Local))
	for k, v := range s.Local {
		if vv := s.Env.Variable(k); vv == nil || !vv.Secret {
			out[k] = v
		}
	}
	return out
}

// Resolve returns every variable that has a value, with where it came from: given first, then q's defaults
// (q may be nil), then the scope's layers.
func (s *Scope) Resolve(q *query.Query, given map[string]string) map[string]Value {
	out := map[string]Value{}
	put := func(src Source, vals map[string]string) {
		for k, v := range vals {
			if _, ok := out[k]; !ok {
				out[k] = Value{v, src}
			}
		}
	}
	put(SourceGiven, given)
	if q != nil {
		put(SourceQuery, q.Values(nil))
	}
	for _, l := range s.layers() {
		put(l.src, l.vals)
	}
	return out
}

// Values returns the values to run q with (q may be nil): Resolve's, without where they came from.
func (s *Scope) Values(q *query.Query, given map[string]string) map[string]string {
	r := s.Resolve(q, given)
	out := make(map[string]string, len(r))
	for k, v := range r {
		out[k] = v.Value
	}
	return out
}

// Query returns q (nil: an empty query) as the scope runs it: the environment's secret variables that q does not
// describe itself are added to it as secret, so that their values are masked in errors, left out of history and
// of a copied command, as a query's own secret variables are. The copy is for the run, not to be saved.
func (s *Scope) Query(q *query.Query) *query.Query {
	if q == nil {
		q = &query.Query{}
	}
	names := s.secretNames()
	if len(names) == 0 {
		return q
	}
	c := *q
	c.Variables = slices.Clone(q.Variables)
	for _, n := range names {
		i := slices.IndexFunc(c.Variables, func(v query.Variable) bool { return v.Name == n })
		if i < 0 {
			c.Variables = append(c.Variables, query.Variable{Name: n, Type: query.TypeSecret})
		} else if !c.Variables[i].Secret() { // the query did not know: the environment's word wins
			c.Variables[i].Type, c.Variables[i].Default = query.TypeSecret, ""
		}
	}
	return &c
}

func (s *Scope) secretNames() []string {
	if s == nil {
		return nil
	}
	return s.Env.SecretNames()
}

// Bind returns a copy of res as it runs in the scope: its ID is KeyID (so its secrets and sign-in are the
// environment's), and the {{variables}} of its base URL and authentication (username, API key name, the
// OAuth 2.0 client ID, issuer, addresses, scopes, authorization and token params, the login test URL) take the
// scope's values (a name without one stays as written, for the run's own values or the sign-in's
// {{client_id}}-style ones). Rows (headers, params, cookies) are expanded by the runner with the run's values,
// so a secret in them is treated as one.
func (s *Scope) Bind(res *resource.Resource) *resource.Resource {
	c := *res
	c.Headers, c.Params, c.Cookies = slices.Clone(res.Headers), slices.Clone(res.Params), slices.Clone(res.Cookies)
	o := res.Auth.OAuth2
	o.Scopes, o.AuthParams, o.TokenParams = slices.Clone(o.Scopes), slices.Clone(o.AuthParams), slices.Clone(o.TokenParams)
	c.Auth.OAuth2 = o
	var env *Environment
	if s != nil {
		env = s.Env
	}
	c.ID = KeyID(res.ID, env)
	x := &template.Expander{Vars: s.Values(nil, nil), KeepMissing: true}
	c.BaseURL = x.Expand(c.BaseURL)
	a := &c.Auth
	a.Username, a.KeyName = x.Expand(a.Username), x.Expand(a.KeyName)
	oa := &a.OAuth2
	for _, f := range []*string{&oa.Issuer, &oa.AuthURL, &oa.TokenURL, &oa.DeviceURL, &oa.RevokeURL, &oa.ClientID, &oa.LoginTestURL} {
		*f = x.Expand(*f)
	}
	var scopes []string
	for _, sc := range oa.Scopes {
		scopes = append(scopes, strings.Fields(x.Expand(sc))...) // {{scopes}} may hold several
	}
	oa.Scopes = scopes
	// The sign-in's extra params (audience={{audience}}) go to the authorization server, not through the
	// runner: they take the environment's values here. Package oauth fills in its own ({{client_id}}…) after.
	for _, rows := range []kv.List{oa.AuthParams, oa.TokenParams} {
		for i := range rows {
			rows[i].Value = x.Expand(rows[i].Value)
		}
	}
	return &c
}

// Where says in words where a value came from: "the environment Staging".
func (s *Scope) Where(src Source) string {
	env := "the environment"
	if s != nil && s.Env != nil {
		env = "the environment " + s.Env.Name
	}
	switch src {
	case SourceGiven:
		return "the value given for this run"
	case SourceQuery:
		return "the query's default"
	case SourceLocal:
		return "your own value for " + strings.TrimPrefix(env, "the environment ") + " (not shared)"
	case SourceKeychain:
		return "your keychain (" + strings.TrimPrefix(env, "the environment ") + ")"
	case SourceEnv:
		return env
	case SourceResource:
		return "the resource's defaults"
	case SourceGlobal:
		return "the workspace's variables"
	}
	return "nowhere"
}

// Looked says where a variable without a value was looked for, for the end of a message: "the values given,
// the query's defaults, the environment Staging, the resource's defaults and the workspace's variables".
func (s *Scope) Looked() string {
	env := "no environment (none is chosen)"
	if s != nil && s.Env != nil {
		env = "the environment " + s.Env.Name
	}
	return "the values given, the query's defaults, " + env + ", the resource's defaults and the workspace's variables"
}

// Missing adds to err, when it names variables without a value (template.ErrMissing), where they were looked
// for, and which of them are the environment's secrets not entered yet. Other errors are returned as they are.
func (s *Scope) Missing(err error) error {
	var me *template.MissingError
	if !errors.As(err, &me) {
		return err
	}
	msg := err.Error() + ": looked in " + s.Looked()
	var unset []string
	for _, n := range me.Names {
		if v := s.secretVar(n); v != nil {
			unset = append(unset, n)
		}
	}
	if len(unset) > 0 {
		msg += fmt.Sprintf("; %s is secret in %s: enter your value for it (it is kept in your keychain)", strings.Join(unset, ", "), s.Env.Name)
	}
	return &missingError{msg: msg, err: err}
}

func (s *Scope) secretVar(name string) *Variable {
	if s == nil || s.Env == nil {
		return nil
	}
	if v := s.Env.Variable(name); v != nil && v.Secret {
		return v
	}
	return nil
}

type missingError struct {
	msg string
	err error
}

func (e *missingError) Error() string { return e.msg }
func (e *missingError) Unwrap() error { return e.err }
