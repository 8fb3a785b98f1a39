package workspace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Change is what Reload found changed on disk since the workspace last read or wrote it: the IDs of the
// resources and queries that were added, changed or removed by another program, whether the workspace's
// settings (SettingsFile) changed, and the problems of the workspace as it now is. Err is set when Watch could
// not reload.
type Change struct {
	Resources    []string
	Queries      []string
	Environments []string
	Settings     bool
	Problems     []Problem
	Err          error
}

// Empty reports whether nothing changed.
func (c Change) Empty() bool {
	return len(c.Resources) == 0 && len(c.Queries) == 0 && len(c.Environments) == 0 && !c.Settings && c.Err == nil
}

// Reload reads the workspace again, as Load does, and says which items another program changed. Its own saves
// are no change: the files hold what it wrote.
func (w *Workspace) Reload(ctx context.Context) (Change, error) {
	w.writing.Lock()
	defer w.writing.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	oldResources, oldQueries, oldEnvironments, oldSettings := w.resources.items, w.queries.items, w.environments.items, w.settings
	problems, err := w.load(ctx)
	if err != nil {
		return Change{}, err
	}
	return Change{
		Resources:    changed(oldResources, w.resources.items),
		Queries:      changed(oldQueries, w.queries.items),
		Environments: changed(oldEnvironments, w.environments.items),
		Settings:     !w.settings.Equal(oldSettings),
		Problems:     problems,
	}, nil
}

// changed returns the sorted IDs whose entry is in one map only, or in another file or with other content.
func changed[T any](before, after map[string]*entry[T]) []string {
	var ids []string
	for id, a := range after {
		if b := before[id]; b == nil || b.file != a.file || b.sum != a.sum {
			ids = append(ids, id)
		}
	}
	for id := range before {
		if after[id] == nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// watchQuiet is how long the folder must stay quiet after a change before Watch reloads it: a git pull or an
// editor's save is many events, and one reload serves them all.
const watchQuiet = 150 * time.Millisecond

// Watch watches the workspace folder (creating it if need be) and, after each burst of changes by another
// program, reloads the workspace and sends what changed. The channel is closed when ctx is done. A change this
// workspace made itself sends nothing.
//
// After a reload the lookups, and the stale-write check of SaveResource and SaveQuery, know the other program's
// version: a view holding unsaved edits of a changed item must not save them without asking the person, or it
// overwrites that version.
func (w *Workspace) Watch(ctx context.Context) (<-chan Change, error) {
	if err := os.MkdirAll(w.dir, dirPerm); err != nil {
		return nil, fmt.Errorf("watch the workspace folder: %w", err)
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch the workspace folder %s: %w", w.dir, err)
	}
	if err := fw.Add(w.dir); err != nil {
		_ = fw.Close()
		return nil, fmt.Errorf("watch the workspace folder %s: %w", w.dir, err)
	}
	for _, folder := range []string{resourcesDir, queriesDir, environmentsDir} {
		_ = fw.Add(filepath.Join(w.dir, folder)) // a folder that is not there yet is added when it appears
	}
	out := make(chan Change)
	go w.watch(ctx, fw, out)
	return out, nil
}

func (w *Workspace) watch(ctx context.Context, fw *fsnotify.Watcher, out chan<- Change) {
	defer close(out)
	defer fw.Close()
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-fw.Events:
			if !ok {
				return
			}
			rel, err := filepath.Rel(w.dir, ev.Name)
			if err != nil {
				continue
			}
			rel = filepath.ToSlash(rel)
			if (rel == resourcesDir || rel == queriesDir || rel == environmentsDir) && ev.Has(fsnotify.Create) {
				_ = fw.Add(ev.Name)
			}
			if relevant(rel) {
				quiet.Reset(watchQuiet)
			}
		case err, ok := <-fw.Errors:
			if !ok {
				return
			}
			if !send(ctx, out, Change{Err: fmt.Errorf("watch the workspace folder %s: %w", w.dir, err)}) {
				return
			}
		case <-quiet.C:
			c, err := w.Reload(ctx)
			if err != nil {
				c = Change{Err: err}
			}
			if !c.Empty() && !send(ctx, out, c) {
				return
			}
		}
	}
}

// relevant reports whether a path in the workspace, relative and with '/', may change what Load reads: an item
// file, one of the two folders or the settings file, not a hidden file (a write in progress).
func relevant(rel string) bool {
	if rel == resourcesDir || rel == queriesDir || rel == environmentsDir || rel == SettingsFile {
		return true
	}
	folder, name, ok := strings.Cut(rel, "/")
	if !ok || (folder != resourcesDir && folder != queriesDir && folder != environmentsDir) || strings.Contains(name, "/") || strings.HasPrefix(name, ".") {
		return false
	}
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

func send(ctx context.Context, out chan<- Change, c Change) bool {
	select {
	case out <- c:
		return true
	case <-ctx.Done():
		return false
	}
}
