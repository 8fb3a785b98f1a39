package resourceform

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"apidesk/engine/environment"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

// saver returns the save of r with the secrets typed, to be called off the UI goroutine. With no environment
// active it is workspace.SaveResource's. With one, the file is saved as SaveResource saves it, and the secrets
// typed are kept for that environment (environment.KeyID), noted for the address they go to in it; the kinds r
// no longer keeps are removed there too. The resource's own secrets, and other environments', stay.
func (f *Form) saver(r *resource.Resource, typed map[resource.SecretKind]string) func(ctx context.Context) error {
	ws, keys := f.deps.Workspace, f.deps.Secrets
	env := f.deps.Env.Env()
	if env == nil {
		return func(ctx context.Context) error { return ws.SaveResource(ctx, r, keys, typed) }
	}
	typed = maps.Clone(typed)
	maps.DeleteFunc(typed, func(_ resource.SecretKind, v string) bool { return v == "" })
	existing := r.ID != ""
	return func(ctx context.Context) error {
		if len(typed) > 0 && keys == nil {
			return errors.New("there is no keychain to keep the secrets in, so nothing was saved")
		}
		if err := ws.SaveResource(ctx, r, keys, nil); err != nil {
			return err
		}
		if keys == nil {
			return nil
		}
		s, err := ws.Scope(ctx, keys, env, r)
		if s == nil {
			return fmt.Errorf("the resource was saved, but its secrets for %s were not: %w", env.Name, err)
		}
		bound := s.Bind(r) // r's ID is set by now
		id := environment.KeyID(r.ID, env)
		for _, k := range slices.Sorted(maps.Keys(typed)) {
			if err := keys.Set(ctx, id, k, typed[k]); err != nil {
				return fmt.Errorf("the resource was saved, but its %s for %s could not be kept in the keychain: type it again and save: %w", k.Words(), env.Name, err)
			}
		}
		var errs []error
		if len(typed) > 0 || existing {
			// The person saved these secrets for the address the resource has in the environment.
			if err := keys.SetOrigins(ctx, id, bound.Origins()); err != nil {
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
}
