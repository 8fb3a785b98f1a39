package resourceform

import (
	"context"
	"maps"

	"apidesk/engine/resource"
)

// saver returns the save of r with the secrets typed in the environment active (workspace.SaveResourceIn), to be
// called off the UI goroutine.
func (f *Form) saver(r *resource.Resource, typed map[resource.SecretKind]string) func(ctx context.Context) error {
	ws, keys, env := f.deps.Workspace, f.deps.Secrets, f.deps.Env.Env()
	typed = maps.Clone(typed)
	return func(ctx context.Context) error { return ws.SaveResourceIn(ctx, r, keys, typed, env) }
}
