package workspace

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"apidesk/engine/environment"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

// A resource lives in two places: its file, here, and its secrets, in the keychain under its ID. SaveResource
// and DeleteResource change both as one step, in the order that never leaves a secret behind that no file refers
// to: nobody could see such a secret, let alone remove it, since a keychain cannot be listed.
//
//   - A save writes the file first and the secrets after it. A crash between the two leaves a file whose secret
//     is not there yet: the resource is in the list, and running it says which secret to enter. The other order
//     would leave a new resource's secrets in the keychain with no file naming their ID.
//   - A delete removes the secrets first and the files after them. A crash between the two leaves a resource
//     with no secrets, still in the list, to delete again. The other order would leave its secrets orphaned.
//
// A failure short of a crash is rolled back: a save whose secrets cannot be kept puts the file back as it was
// (and the secrets it had written), so nothing was saved; a delete whose secrets cannot be removed removes no
// file.

// SaveResource saves r with the secrets typed for it (by kind; an empty value keeps the one stored) as one step:
//
//  1. r is checked: one that is not valid, or whose name another resource has (compared case-insensitively),
//     is refused with resource.Errors, and nothing is written.
//  2. Its file is written. A new resource (empty ID) gets a new ID. A renamed one gets a file named after its
//     new name; the old file stays until step 4, so this is how a resource is renamed (its secrets are keyed by
//     its ID, which a rename keeps).
//  3. The typed secrets go to keys. If one cannot be kept, the secrets written before it get their earlier
//     values back, the file is put back as it was, and the error says that nothing was saved.
//  4. The lookups answer the saved resource; a renamed resource's old file is removed, and its queries' files
//     are written again with its new name beside its id.
//  5. The origins of its base URL and token URL are recorded in keys as those its secrets may be sent to (see
//     resource.Origins): the person chose them. The secrets its authentication no longer uses (a password after
//     switching from basic to bearer, say) are removed from keys.
//
// An error after step 3 says what could not be finished; r is saved all the same and its ID is set. keys nil
// means no keychain: typed secrets are then refused, and nothing is removed from a keychain.
func (w *Workspace) SaveResource(ctx context.Context, r *resource.Resource, keys *secret.Store, typed map[resource.SecretKind]string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("save the resource: %w", err)
	}
	typed = typedSecrets(typed)
	for k := range typed {
		switch {
		case !r.Keeps(k) && k == resource.SecretProxyAuth:
			return fmt.Errorf("save the resource %q: a resource without a proxy URL keeps no %s", r.Name, k.Words())
		case !r.Keeps(k) && k == resource.SecretKeyPassphrase:
			return fmt.Errorf("save the resource %q: a resource without a client certificate keeps no %s", r.Name, k.Words())
		case !r.Keeps(k):
			return fmt.Errorf("save the resource %q: %s authentication keeps no %s", r.Name, r.Auth.Kind.Label(), k.Words())
		case keys == nil:
			return fmt.Errorf("there is no keychain to keep the %s in, so nothing was saved", k.Words())
		}
	}
	w.writing.Lock()
	defer w.writing.Unlock()
	c, err := w.stageResource(ctx, r)
	if err != nil {
		return err
	}
	if err := storeSecrets(ctx, keys, c.id(), c.old != nil, typed); err != nil {
		if uerr := c.undo(); uerr != nil {
			return fmt.Errorf("%w; and the file %s could not be put back as it was: %w", err, c.saved.file, uerr)
		}
		return err
	}
	w.mu.Lock()
	err = w.commitResource(c)
	w.mu.Unlock()
	if keys == nil {
		return err
	}
	if c.old == nil && len(typedSecrets(typed)) == 0 {
		return err // a new resource without a secret: nothing in the keychain to note or remove (none may run)
	}
	ctx = context.WithoutCancel(ctx) // saved: finish the job
	// The person saved these addresses: their secrets may go there (a teammate's change to the file is asked
	// about instead, when the secrets are about to be sent).
	if oerr := keys.SetOrigins(ctx, c.id(), r.Origins()); oerr != nil {
		err = errors.Join(err, fmt.Errorf("the resource was saved, but its new address could not be noted in the keychain (you will be asked before its secrets are sent there): %w", oerr))
	}
	if c.old == nil { // a new ID has no other secrets
		return err
	}
	for _, k := range resource.SecretKinds {
		if r.Keeps(k) {
			continue
		}
		if derr := keys.Delete(ctx, c.id(), k); derr != nil {
			err = errors.Join(err, fmt.Errorf("the resource was saved, but the %s it no longer uses could not be removed from the keychain: %w", k.Words(), derr))
		}
	}
	return err
}

// typedSecrets leaves out the kinds with no value.
func typedSecrets(typed map[resource.SecretKind]string) map[resource.SecretKind]string {
	out := map[resource.SecretKind]string{}
	for k, v := range typed {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// stageResource checks r and writes its file (steps 1 and 2 of SaveResource).
func (w *Workspace) stageResource(ctx context.Context, r *resource.Resource) (*change[resource.Resource], error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ensureLoaded(ctx); err != nil {
		return nil, err
	}
	es := w.resources.check(r, nil, func(*entry[resource.Resource]) string {
		return fmt.Sprintf("A resource named %q already exists: choose another name", strings.TrimSpace(r.Name))
	})
	if len(es) > 0 {
		return nil, es
	}
	return w.resources.stage(w, r)
}

// storeSecrets keeps the typed secrets of the resource with the id in keys, all or none: when one fails, those
// written before it get their earlier values back (existing says the resource may have some; a new one has all
// its secrets removed) and the error says that nothing was saved.
func storeSecrets(ctx context.Context, keys *secret.Store, id string, existing bool, typed map[resource.SecretKind]string) error {
	kinds := slices.Sorted(maps.Keys(typed))
	// The earlier values, to put back; "" for none.
	before := map[resource.SecretKind]string{}
	if existing && len(kinds) > 1 { // a single Set that fails leaves the earlier value as it was
		for _, k := range kinds {
			v, err := keys.Get(ctx, id, k)
			if err != nil && !errors.Is(err, secret.ErrNotFound) {
				return fmt.Errorf("the %s could not be read from the keychain, so nothing was saved: %w", k.Words(), err)
			}
			before[k] = v
		}
	}
	for i, k := range kinds {
		err := keys.Set(ctx, id, k, typed[k])
		if err == nil {
			continue
		}
		back := context.WithoutCancel(ctx)
		if !existing {
			_ = keys.DeleteAll(back, id) // the index too: the ID is never used
		}
		for _, done := range kinds[:i] {
			if v := before[done]; v != "" {
				_ = keys.Set(back, id, done, v)
			} else if existing {
				_ = keys.Delete(back, id, done)
			}
		}
		return fmt.Errorf("the %s could not be kept in the keychain, so nothing was saved: %w", k.Words(), err)
	}
	return nil
}

// commitResource makes a staged resource what the lookups answer and, when it was renamed, writes the files of its
// queries again with its new name beside its id (step 4 of SaveResource). The error is for what failed after the
// resource was saved.
func (w *Workspace) commitResource(c *change[resource.Resource]) error {
	renamed := c.old != nil && c.old.item.Name != c.saved.item.Name
	errs := []error{c.commit()}
	if renamed {
		for _, e := range w.queries.sorted() {
			if e.item.ResourceID != c.id() || w.queries.fresh(w, e) != nil {
				continue // another program's change to a query wins over the note beside its resource's id
			}
			data, err := w.queries.encode(e.item)
			if err == nil {
				err = w.put(e.file, data)
			}
			if err == nil {
				e.sum = sha256.Sum256(data)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("the resource was saved, but the name noted beside its id in %s is out of date: %w", e.file, err))
			}
		}
	}
	return errors.Join(errs...)
}

// DeleteResource deletes a resource, its saved queries and its secrets in keys, in that order: the secrets first,
// so that a keychain that cannot be reached leaves everything as it was, and a crash part way leaves a resource to
// delete again rather than secrets nobody can find. Then the files of its queries, then its own (an interrupted
// delete leaves a resource with fewer queries rather than queries with no resource). keys nil means no keychain.
func (w *Workspace) DeleteResource(ctx context.Context, id string, keys *secret.Store) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete the resource: %w", err)
	}
	w.writing.Lock()
	defer w.writing.Unlock()
	r, err := w.loadedResource(ctx, id)
	if err != nil {
		return err
	}
	if err := w.freshResource(id); err != nil {
		return err // before the keychain: a refused delete changes nothing
	}
	if keys != nil {
		w.mu.Lock()
		envs := w.environmentsHeld()
		w.mu.Unlock()
		ids := []string{id} // its secrets and sign-ins in each environment too
		for _, e := range envs {
			ids = append(ids, environment.KeyID(id, e))
		}
		for _, key := range ids {
			if err := keys.DeleteAll(ctx, key); err != nil {
				return fmt.Errorf("the secrets of %q could not be removed from the keychain, so nothing was deleted: %w", r.Name, err)
			}
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, qe := range w.queries.sorted() {
		if qe.item.ResourceID != id {
			continue
		}
		if err := w.queries.remove(w, qe); err != nil {
			return fmt.Errorf("delete the resource %q: its query %q: %w", r.Name, qe.item.Name, err)
		}
	}
	if err := w.resources.remove(w, w.resources.items[id]); err != nil {
		return fmt.Errorf("delete the resource %q: %w", r.Name, err)
	}
	return nil
}

// freshResource checks that the files of a resource and its queries are as this workspace read them.
func (w *Workspace) freshResource(id string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	errs := []error{w.resources.fresh(w, w.resources.items[id])}
	for _, qe := range w.queries.sorted() {
		if qe.item.ResourceID == id {
			errs = append(errs, w.queries.fresh(w, qe))
		}
	}
	return errors.Join(errs...)
}

func (w *Workspace) loadedResource(ctx context.Context, id string) (*resource.Resource, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ensureLoaded(ctx); err != nil {
		return nil, err
	}
	return w.resources.copyOf(id)
}
