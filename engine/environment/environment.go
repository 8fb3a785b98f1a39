// Package environment holds the places one workspace's resources run against (Development, Staging,
// Production…) and the order in which a run's {{variables}} take their values.
//
// An environment is a named set of variables kept in the workspace as a plain file a team shares in git
// (package workspace reads and writes it). A variable marked secret has no value in that file: each person
// keeps its value in their keychain, per environment (SecretValues, SetSecret). A person may also keep values
// of their own outside the workspace, not shared (workspace.LocalValues).
//
// A run's variables resolve in one fixed order, the first that has a value winning (Scope):
//
//  1. the values given for the run (run mode's fields, --var),
//  2. the query's defaults,
//  3. the active environment: the person's own value, else the keychain's (a secret), else the file's,
//  4. the resource's defaults,
//  5. the workspace's variables (its globals, in apidesk.yaml).
//
// Tokens and secrets are kept per (resource, environment): KeyID is the keychain name of a resource's secrets
// in an environment, so signing in to Production does not replace the Staging sign-in, and each binds its
// secrets to its own host.
package environment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"apidesk/engine/resource"
	"apidesk/engine/secret"
	"apidesk/engine/template"
)

// Variable is one variable of an environment. A secret one has no Value: its value is in each person's keychain.
type Variable struct {
	Name        string
	Value       string
	Secret      bool
	Description string
}

// Environment is a named set of variables.
type Environment struct {
	ID   string // stable: survives renames; the keychain keys of its secrets and sign-ins refer to it
	Name string
	// Protected marks an environment to be careful in (production): the window shows it in a warning colour and
	// asks before every request that may change data.
	Protected bool
	Variables []Variable
}

// Variable returns the variable named name, or nil.
func (e *Environment) Variable(name string) *Variable {
	if e == nil {
		return nil
	}
	for i := range e.Variables {
		if e.Variables[i].Name == name {
			return &e.Variables[i]
		}
	}
	return nil
}

// Values returns the values the file gives, secret ones left out.
func (e *Environment) Values() map[string]string {
	out := map[string]string{}
	if e == nil {
		return out
	}
	for _, v := range e.Variables {
		if !v.Secret {
			out[v.Name] = v.Value
		}
	}
	return out
}

// SecretNames returns the names of the variables marked secret.
func (e *Environment) SecretNames() []string {
	if e == nil {
		return nil
	}
	var out []string
	for _, v := range e.Variables {
		if v.Secret {
			out = append(out, v.Name)
		}
	}
	return out
}

// Clone returns a copy the caller may change.
func (e *Environment) Clone() *Environment {
	c := *e
	c.Variables = slices.Clone(e.Variables)
	return &c
}

// Validate returns every problem with the environment, field by field (variables[2].name).
func (e *Environment) Validate() resource.Errors {
	var es resource.Errors
	if err := resource.ValidateName(e.Name); err != nil {
		es = append(es, resource.FieldError{Field: "name", Msg: err.Error()})
	}
	seen := map[string]bool{}
	for i, v := range e.Variables {
		field := fmt.Sprintf("variables[%d]", i)
		switch {
		case v.Name == "":
			es = append(es, resource.FieldError{Field: field + ".name", Msg: "A variable has no name: name it, or remove it"})
		case !template.ValidName(v.Name):
			es = append(es, resource.FieldError{Field: field + ".name", Msg: fmt.Sprintf("The variable name %q may use only letters, digits, '_', '-' and '.'", v.Name)})
		case seen[v.Name]:
			es = append(es, resource.FieldError{Field: field + ".name", Msg: fmt.Sprintf("The variable %s is listed twice: keep one", v.Name)})
		}
		seen[v.Name] = true
		if v.Secret && v.Value != "" {
			es = append(es, resource.FieldError{Field: field + ".value", Msg: fmt.Sprintf("The variable %s is secret, so its value is not kept in the file: "+
				"remove the value (each person enters it, and it is kept in their keychain)", v.Name)})
		}
		if strings.ContainsAny(v.Value, "\r\n") {
			es = append(es, resource.FieldError{Field: field + ".value", Msg: fmt.Sprintf("The value of %s must be on one line", v.Name)})
		}
	}
	return es
}

// KeyID is the keychain name under which a resource's secrets and sign-in are kept in e: the resource's own ID
// when e is nil (no environment, as before environments existed), else "<resourceID>.<environmentID>".
func KeyID(resourceID string, e *Environment) string {
	if e == nil || e.ID == "" {
		return resourceID
	}
	return resourceID + "." + e.ID
}

// SplitKeyID is KeyID undone: the resource's own ID and the environment's ("" for none) of a keychain name.
func SplitKeyID(keyID string) (resourceID, environmentID string) {
	resourceID, environmentID, _ = strings.Cut(keyID, ".")
	return resourceID, environmentID
}

// secretsID is the keychain name of e's secret variables.
func secretsID(e *Environment) string { return "env." + e.ID }

// SecretVariables is the kind of keychain entry that holds an environment's secret variables, one JSON object.
const SecretVariables resource.SecretKind = "variables"

// SecretValues returns the values the person's keychain holds for e's secret variables (those e still marks
// secret; others it may hold are left out). None stored is an empty map, not an error.
func SecretValues(ctx context.Context, keys *secret.Store, e *Environment) (map[string]string, error) {
	out := map[string]string{}
	if e == nil || len(e.SecretNames()) == 0 {
		return out, nil
	}
	if keys == nil {
		return nil, errors.New("apidesk was started without access to the keychain")
	}
	all, err := storedSecrets(ctx, keys, e)
	if err != nil {
		return nil, err
	}
	for _, n := range e.SecretNames() {
		if v, ok := all[n]; ok {
			out[n] = v
		}
	}
	return out, nil
}

func storedSecrets(ctx context.Context, keys *secret.Store, e *Environment) (map[string]string, error) {
	raw, err := keys.Get(ctx, secretsID(e), SecretVariables)
	if errors.Is(err, secret.ErrNotFound) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the secret values of %s from the keychain: %w", e.Name, err)
	}
	all := map[string]string{}
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		return nil, fmt.Errorf("the secret values of %s in the keychain are damaged: enter them again", e.Name)
	}
	return all, nil
}

// SetSecret keeps value as the person's value of e's secret variable name, in the keychain; an empty value
// removes it.
func SetSecret(ctx context.Context, keys *secret.Store, e *Environment, name, value string) error {
	if v := e.Variable(name); v == nil || !v.Secret {
		return fmt.Errorf("%s has no secret variable %s: add it as secret first", e.Name, name)
	}
	if keys == nil {
		return errors.New("there is no keychain to keep the value in")
	}
	all, err := storedSecrets(ctx, keys, e)
	if err != nil {
		return err
	}
	if value == "" {
		delete(all, name)
	} else {
		all[name] = value
	}
	if len(all) == 0 {
		if err := keys.Delete(ctx, secretsID(e), SecretVariables); err != nil && !errors.Is(err, secret.ErrNotFound) {
			return fmt.Errorf("cannot remove the value of %s from the keychain: %w", name, err)
		}
		return nil
	}
	data, _ := json.Marshal(all) // a map of strings always encodes
	if err := keys.Set(ctx, secretsID(e), SecretVariables, string(data)); err != nil {
		return fmt.Errorf("cannot keep the value of %s in the keychain: %w", name, err)
	}
	return nil
}

// DeleteSecrets removes e's secret values and every resource's secrets and sign-in in e (resourceIDs) from the
// keychain: what deleting the environment leaves nobody to find.
func DeleteSecrets(ctx context.Context, keys *secret.Store, e *Environment, resourceIDs []string) error {
	if keys == nil || e == nil {
		return nil
	}
	if err := keys.DeleteAll(ctx, secretsID(e)); err != nil {
		return fmt.Errorf("cannot remove the secret values of %s from the keychain: %w", e.Name, err)
	}
	for _, id := range resourceIDs {
		if err := keys.DeleteAll(ctx, KeyID(id, e)); err != nil {
			return fmt.Errorf("cannot remove the secrets kept for %s from the keychain: %w", e.Name, err)
		}
	}
	return nil
}
