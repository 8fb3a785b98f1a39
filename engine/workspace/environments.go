package workspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"apidesk/engine/environment"
	"apidesk/engine/kv"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

// Environments live one per file in the workspace's environments folder, beside resources and queries:
//
//	environments/staging.yaml
//
//	version: 1
//	id: 5f0c2b7d9a1e4c33
//	name: Staging
//	protected: false
//	variables:
//	  - {name: base, value: https://staging.example.com}
//	  - {name: api_token, secret: true}      the value is in each person's keychain
//
// A person's own values for an environment (LocalEnvDir) are outside the workspace and not shared.
const environmentsDir = "environments"

// EnvLocal is the environment variable that chooses the folder of each person's own values (LocalEnvDir).
const EnvLocal = "APIDESK_LOCAL"

var (
	environmentKeys = []string{"version", "id", "name", "protected", "variables"}
	envVariableKeys = []string{"name", "value", "secret", "description"}
)

const environmentHead = "apidesk environment. A variable marked secret has no value here: each person keeps theirs\n" +
	"in their keychain."

func decodeEnvironment(data []byte) (*environment.Environment, map[string]int, []lineError) {
	return decodeFile(data, "an environment file", environmentKeys, func(d *decoder, root *yaml.Node, f map[string]*yaml.Node) *environment.Environment {
		e := &environment.Environment{
			ID:        d.id(root, f),
			Name:      d.text(f["name"], "name"),
			Protected: d.boolean(f["protected"], "protected", false),
		}
		for i, item := range d.list(f["variables"], "variables") {
			p := fmt.Sprintf("variables[%d]", i)
			d.lines[p] = item.Line
			vf := d.fields(item, p, "a variable (write it as {name: N, value: V}, or {name: N, secret: true})", envVariableKeys)
			v := environment.Variable{
				Name:        d.text(vf["name"], "name"),
				Value:       d.text(vf["value"], "value"),
				Secret:      d.boolean(vf["secret"], "secret", false),
				Description: d.text(vf["description"], "description"),
			}
			for _, k := range []string{"name", "value"} {
				if n := vf[k]; n != nil {
					d.lines[p+"."+k] = n.Line
				}
			}
			e.Variables = append(e.Variables, v)
		}
		return e
	})
}

func encodeEnvironment(e *environment.Environment) ([]byte, error) {
	m := mapping()
	m.HeadComment = environmentHead
	add(m, "version", intNode(Version))
	add(m, "id", str(e.ID))
	add(m, "name", str(e.Name))
	if e.Protected {
		add(m, "protected", boolNode(true))
	}
	if len(e.Variables) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, v := range e.Variables {
			row := flowMapping()
			add(row, "name", str(v.Name))
			if v.Secret {
				add(row, "secret", boolNode(true))
			} else {
				add(row, "value", str(v.Value))
			}
			addText(row, "description", v.Description)
			seq.Content = append(seq.Content, row)
		}
		add(m, "variables", seq)
	}
	return marshal(m)
}

func environmentRows(e *environment.Environment) []rowSet {
	rows := make(kv.List, 0, len(e.Variables))
	for _, v := range e.Variables {
		rows = append(rows, kv.On(v.Name, v.Value))
	}
	return []rowSet{{"variables", rows}}
}

func newEnvironmentShelf(w *Workspace) shelf[environment.Environment] {
	return shelf[environment.Environment]{
		noun: "environment", folder: environmentsDir, dir: w.dir, mu: &w.mu,
		fields:   func(e *environment.Environment) (string, string) { return e.ID, e.Name },
		rows:     environmentRows,
		setID:    func(e *environment.Environment, id string) { e.ID = id },
		clone:    (*environment.Environment).Clone,
		validate: (*environment.Environment).Validate,
		decode:   decodeEnvironment,
		encode:   encodeEnvironment,
		items:    map[string]*entry[environment.Environment]{},
	}
}

// Environments returns every loaded environment, sorted by name. Each is a copy the caller may change.
func (w *Workspace) Environments() []*environment.Environment { return w.environments.list(nil) }

// EnvironmentByName returns a copy of the environment with the name (compared case-insensitively), or an error
// matching ErrNotFound that lists the environments there are.
func (w *Workspace) EnvironmentByName(name string) (*environment.Environment, error) {
	e, err := w.environments.byName(name)
	if err == nil {
		return e, nil
	}
	var names []string
	for _, e := range w.Environments() {
		names = append(names, e.Name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("there is no environment named %q: the workspace has none yet: %w", strings.TrimSpace(name), ErrNotFound)
	}
	return nil, fmt.Errorf("there is no environment named %q: choose one of %s: %w", strings.TrimSpace(name), strings.Join(names, ", "), ErrNotFound)
}

// EnvironmentByID returns a copy of the environment with the id, or an error matching ErrNotFound.
func (w *Workspace) EnvironmentByID(id string) (*environment.Environment, error) {
	return w.environments.byID(id)
}

// SaveEnvironment writes e to its file. A new environment (empty ID) gets a new ID, set in e. One that is not
// valid or whose name another environment has is refused with resource.Errors. A variable that stops being
// secret keeps no value in the keychain: the caller removes it there (environment.SetSecret with "").
func (w *Workspace) SaveEnvironment(ctx context.Context, e *environment.Environment) error {
	end, err := w.begin(ctx, "save the environment")
	if err != nil {
		return err
	}
	defer end()
	es := w.environments.check(e, nil, func(*entry[environment.Environment]) string {
		return fmt.Sprintf("An environment named %q already exists: choose another name", strings.TrimSpace(e.Name))
	})
	if len(es) > 0 {
		return es
	}
	c, err := w.environments.stage(w, e)
	if err != nil {
		return err
	}
	return c.commit()
}

// DeleteEnvironment removes an environment: its secret values and every resource's secrets and sign-in in it
// from keys first (nil: no keychain), then its file, and the person's own values for it.
func (w *Workspace) DeleteEnvironment(ctx context.Context, id string, keys *secret.Store) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete the environment: %w", err)
	}
	w.writing.Lock()
	defer w.writing.Unlock()
	w.mu.Lock()
	if err := w.ensureLoaded(ctx); err != nil {
		w.mu.Unlock()
		return err
	}
	e := w.environments.items[id]
	if e == nil {
		w.mu.Unlock()
		return w.environments.notFound(id)
	}
	if err := w.environments.fresh(w, e); err != nil {
		w.mu.Unlock()
		return err
	}
	env := e.item.Clone()
	var ids []string
	for id := range w.resources.items {
		ids = append(ids, id)
	}
	w.mu.Unlock()
	if err := environment.DeleteSecrets(ctx, keys, env, ids); err != nil {
		return fmt.Errorf("%w, so nothing was deleted", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.environments.remove(w, e); err != nil {
		return fmt.Errorf("delete the environment %q: %w", env.Name, err)
	}
	if f, err := w.localFile(env); err == nil {
		_ = removeFile(f) // the person's own values for an environment that is gone
	}
	return nil
}

// environmentsHeld returns the loaded environments; w.mu is held.
func (w *Workspace) environmentsHeld() []*environment.Environment {
	out := make([]*environment.Environment, 0, len(w.environments.items))
	for _, e := range w.environments.items {
		out = append(out, e.item)
	}
	return out
}

// LocalEnvDir is the folder of each person's own values for environments, outside every workspace: $APIDESK_LOCAL,
// else apidesk-local in the user's config folder (~/.config/apidesk-local on Linux). The workspace's own folder
// is in the name of its files, so two workspaces' values never mix.
func LocalEnvDir() (string, error) {
	if dir := os.Getenv(EnvLocal); dir != "" {
		return dir, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find your settings folder: %w: set %s to the folder apidesk should keep your own values in", err, EnvLocal)
	}
	return filepath.Join(base, "apidesk-local"), nil
}

// localFile is the file of the person's own values for e in this workspace.
func (w *Workspace) localFile(e *environment.Environment) (string, error) {
	dir, err := LocalEnvDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(w.dir))
	return filepath.Join(dir, hex.EncodeToString(sum[:8]), e.ID+".yaml"), nil
}

// LocalFile is the file that holds the person's own values for e in this workspace (it may not exist).
func (w *Workspace) LocalFile(e *environment.Environment) (string, error) { return w.localFile(e) }

// LocalValues returns the person's own values for e, which win over the environment's file for them alone. A
// missing file is none. A value given for one of e's secret variables is not used (it would be a secret on disk):
// the error says so, and the other values are returned all the same.
func (w *Workspace) LocalValues(e *environment.Environment) (map[string]string, error) {
	out := map[string]string{}
	if e == nil {
		return out, nil
	}
	file, err := w.localFile(e)
	if err != nil {
		return out, err
	}
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("cannot read your own values for %s (%s): %w", e.Name, file, err)
	}
	rows, errs := decodeLocal(data)
	if len(errs) > 0 {
		return out, fmt.Errorf("your own values for %s (%s line %d): %s", e.Name, file, errs[0].line, errs[0].msg)
	}
	var refused []string
	for _, p := range rows.Active() {
		if v := e.Variable(p.Key); v != nil && v.Secret {
			refused = append(refused, p.Key)
			continue
		}
		out[p.Key] = p.Value
	}
	if len(refused) > 0 {
		return out, fmt.Errorf("your own values for %s (%s) give %s, which is secret: a secret is kept in your keychain, "+
			"not in a file, so that value is not used: remove it and enter it as a secret", e.Name, file, strings.Join(refused, ", "))
	}
	return out, nil
}

func decodeLocal(data []byte) (kv.List, []lineError) {
	root, perr := parse(data)
	if perr != nil {
		return nil, []lineError{*perr}
	}
	d := newDecoder()
	f := d.fields(root, "", "a file of your own values", []string{"variables"})
	rows := d.rows(f["variables"], "variables")
	return rows, d.errs
}

// SetLocalValue keeps value as the person's own value of name for e (outside the workspace, not shared); an
// empty value removes it. A secret variable of e is refused: its value belongs in the keychain.
func (w *Workspace) SetLocalValue(e *environment.Environment, name, value string) error {
	if v := e.Variable(name); v != nil && v.Secret {
		return fmt.Errorf("%s is secret in %s: its value is kept in your keychain, not in a file", name, e.Name)
	}
	file, err := w.localFile(e)
	if err != nil {
		return err
	}
	var rows kv.List
	if data, err := os.ReadFile(file); err == nil {
		var errs []lineError
		if rows, errs = decodeLocal(data); len(errs) > 0 {
			return fmt.Errorf("your own values for %s (%s line %d): %s: fix or remove the file", e.Name, file, errs[0].line, errs[0].msg)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot read your own values for %s (%s): %w", e.Name, file, err)
	}
	rows = slices.DeleteFunc(rows, func(p kv.Pair) bool { return p.Key == name })
	if value != "" {
		rows = append(rows, kv.On(name, value))
	}
	m := mapping()
	m.HeadComment = "apidesk: your own values for the environment " + commentText(e.Name) + " of " + commentText(w.dir) + ".\nNot shared: they win over the environment's file for you alone."
	addRows(m, "variables", rows)
	data, err := marshal(m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), dirPerm); err != nil {
		return fmt.Errorf("keep your own value of %s: %w", name, err)
	}
	return writeFile(file, data, os.Rename)
}

// Scope returns what the {{variables}} of a request on res take their values from in the environment env (nil:
// none), below the run's own values and the query's defaults: the person's own values for env, their secret
// values of it from keys, the file's, the resource's defaults, then the workspace's variables. res may be nil
// (no resource defaults). A problem with the person's own values is returned beside a Scope that leaves
// them out; a keychain that cannot be read is an error and no Scope.
func (w *Workspace) Scope(ctx context.Context, keys *secret.Store, env *environment.Environment, res *resource.Resource) (*environment.Scope, error) {
	s := &environment.Scope{Env: env, Globals: pairs(w.Settings().Variables)}
	if res != nil {
		s.Resource = pairs(res.Variables)
	}
	if env == nil {
		return s, nil
	}
	secrets, err := environment.SecretValues(ctx, keys, env)
	if err != nil {
		return nil, err
	}
	s.Secrets = secrets
	local, lerr := w.LocalValues(env)
	s.Local = local
	return s, lerr
}

func pairs(l kv.List) map[string]string {
	out := map[string]string{}
	for _, p := range l.Active() {
		out[p.Key] = p.Value
	}
	return out
}

// SaveResourceIn is SaveResource with the secrets typed kept for the environment env (nil: SaveResource itself):
// the file is saved as SaveResource saves it, without them; then each typed secret goes to the environment's
// keychain name (environment.KeyID), noted for the address the resource has there (its {{variables}} filled
// in), and the kinds r no longer keeps are removed there. The resource's own secrets, and other environments',
// stay. An error after the file was saved says what could not be finished; r is saved and its ID set.
func (w *Workspace) SaveResourceIn(ctx context.Context, r *resource.Resource, keys *secret.Store, typed map[resource.SecretKind]string, env *environment.Environment) error {
	if env == nil {
		return w.SaveResource(ctx, r, keys, typed)
	}
	typed = typedSecrets(typed)
	if len(typed) > 0 && keys == nil {
		return fmt.Errorf("there is no keychain to keep the %s in, so nothing was saved", slices.Sorted(maps.Keys(typed))[0].Words())
	}
	for k := range typed {
		if !r.Keeps(k) {
			return fmt.Errorf("save the resource %q: it keeps no %s", r.Name, k.Words())
		}
	}
	existing := r.ID != ""
	if err := w.SaveResource(ctx, r, keys, nil); err != nil {
		return err
	}
	if keys == nil {
		return nil
	}
	ctx = context.WithoutCancel(ctx) // saved: finish the job
	s, err := w.Scope(ctx, keys, env, r)
	if s == nil {
		return fmt.Errorf("the resource was saved, but its secrets for %s were not: %w", env.Name, err)
	}
	id := environment.KeyID(r.ID, env)
	for _, k := range slices.Sorted(maps.Keys(typed)) {
		if err := keys.Set(ctx, id, k, typed[k]); err != nil {
			return fmt.Errorf("the resource was saved, but its %s for %s could not be kept in the keychain: type it again and save: %w", k.Words(), env.Name, err)
		}
	}
	var errs []error
	if len(typed) > 0 || existing {
		// The person saved these secrets for the address the resource has in the environment.
		if err := keys.SetOrigins(ctx, id, s.Bind(r).Origins()); err != nil {
			errs = append(errs, fmt.Errorf("the resource was saved, but its address in %s could not be noted in the keychain (you will be asked before its secrets are sent there): %w", env.Name, err))
		}
	}
	if existing {
		for _, k := range resource.SecretKinds {
			if r.Keeps(k) {
				continue
			}
			if err := keys.Delete(ctx, id, k); err != nil && !errors.Is(err, secret.ErrNotFound) {
				errs = append(errs, fmt.Errorf("the resource was saved, but the %s it no longer uses in %s could not be removed from the keychain: %w", k.Words(), env.Name, err))
			}
		}
	}
	return errors.Join(errs...)
}
