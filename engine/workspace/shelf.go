package workspace

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"

	"apidesk/engine/resource"
)

// shelf holds the loaded items of one kind, resources or queries, by ID, with what the workspace needs to
// know of that kind. One implementation serves both: listing, lookups, loading and saving.
type shelf[T any] struct {
	noun   string // "resource" or "query", for messages
	folder string // resourcesDir or queriesDir
	// fields gives what the shelf reads of an item.
	fields func(*T) (id, name string)
	// rows gives the item's rows, which may not hold a secret written out.
	rows  func(*T) []rowSet
	setID func(*T, string)
	clone func(*T) *T
	// validate is the item's own Validate.
	validate func(*T) resource.Errors
	decode   func([]byte) (*T, map[string]int, []lineError)
	encode   func(*T) ([]byte, error)
	// newIDHint ends the problem of a file that repeats another's id, after "give this … a new id, such as id: X".
	newIDHint string

	dir   string               // the workspace folder, for messages
	mu    *sync.Mutex          // the workspace's: list, byID and byName take it
	items map[string]*entry[T] // by ID
}

// entry is a loaded item and its file, relative to the workspace folder, with '/', with a digest of what the
// file held when it was read or last written here: another program's change shows as a different digest.
type entry[T any] struct {
	file string
	item *T
	sum  [sha256.Size]byte
}

// fresh returns nil when e's file still holds what this workspace read or wrote, and otherwise an error matching
// ErrStale: another program (apidesk-cli, another window, a git pull) changed, renamed or removed it since.
func (s *shelf[T]) fresh(w *Workspace, e *entry[T]) error {
	data, err := os.ReadFile(w.abs(e.file))
	switch {
	case err == nil && sha256.Sum256(data) == e.sum:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return &staleError{fmt.Sprintf("%s %q was renamed or removed on disk by another program since apidesk read it "+
			"(its file was %s): reload the workspace to see what it is now, then make your changes again", "the "+s.noun, s.name(e), e.file)}
	case err != nil:
		return fmt.Errorf("cannot check that %s is as apidesk read it: %w", e.file, err)
	}
	return &staleError{fmt.Sprintf("%s %q was changed on disk by another program since apidesk read it (%s): reload "+
		"the workspace to get that version, then make your changes again", "the "+s.noun, s.name(e), e.file)}
}

func (s *shelf[T]) name(e *entry[T]) string {
	_, name := s.fields(e.item)
	return name
}

// sorted orders the items by name, then file (the first file wins a name two share), so lookups and listings do
// not depend on map order.
func (s *shelf[T]) sorted() []*entry[T] { return s.order(s.items) }

func (s *shelf[T]) order(items map[string]*entry[T]) []*entry[T] {
	out := make([]*entry[T], 0, len(items))
	for _, e := range items {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *entry[T]) int {
		return cmp.Or(byName(s.name(a), s.name(b)), strings.Compare(a.file, b.file))
	})
	return out
}

// list returns copies of the items keep accepts (nil: all), sorted by name.
func (s *shelf[T]) list(keep func(*T) bool) []*T {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*T
	for _, e := range s.sorted() {
		if keep == nil || keep(e.item) {
			out = append(out, s.clone(e.item))
		}
	}
	return out
}

// byID returns a copy of the item with the id, or an error matching ErrNotFound.
func (s *shelf[T]) byID(id string) (*T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.copyOf(id)
}

// copyOf is byID for a caller that holds the lock.
func (s *shelf[T]) copyOf(id string) (*T, error) {
	if e := s.items[id]; e != nil {
		return s.clone(e.item), nil
	}
	return nil, s.notFound(id)
}

func (s *shelf[T]) notFound(id string) error {
	return fmt.Errorf("%w: no %s with the id %s in the workspace %s", ErrNotFound, s.noun, id, s.dir)
}

// byName returns a copy of the item with the name (compared case-insensitively), or an error matching ErrNotFound.
func (s *shelf[T]) byName(name string) (*T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.named(name, ""); e != nil {
		return s.clone(e.item), nil
	}
	return nil, fmt.Errorf("%w: no %s named %q in the workspace %s", ErrNotFound, s.noun, strings.TrimSpace(name), s.dir)
}

// named is the first item with the name other than the one with the id except.
func (s *shelf[T]) named(name, except string) *entry[T] {
	for _, e := range s.sorted() {
		if id, n := s.fields(e.item); id != except && sameName(n, name) {
			return e
		}
	}
	return nil
}

// load reads every file of the shelf's folder in w into a new map of items, which it returns with the problems
// it found. A file that cannot be read or repeats an id is skipped; an item that reads is loaded with the
// problems check finds, so it can be fixed in apidesk. The error is only for a cancelled ctx.
func (s *shelf[T]) load(ctx context.Context, w *Workspace, check func(*T) resource.Errors) (map[string]*entry[T], []Problem, error) {
	items := map[string]*entry[T]{}
	files, problem := w.list(s.folder)
	var problems []Problem
	if problem != nil {
		problems = append(problems, *problem)
	}
	skip := func(file string, errs ...lineError) {
		for _, e := range errs {
			problems = append(problems, Problem{File: file, Line: e.line, Msg: e.msg, Skipped: true})
		}
	}
	for _, file := range files {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("load the workspace: %w", err)
		}
		data, rerr := w.read(file)
		if rerr != nil {
			skip(file, *rerr)
			continue
		}
		item, lines, errs := s.decode(data)
		if errs != nil {
			skip(file, errs...)
			continue
		}
		id, name := s.fields(item)
		if other := items[id]; other != nil {
			skip(file, lineError{lines["id"], fmt.Sprintf("%s has the same id: give this %s a new id, such as id: %s%s",
				other.file, s.noun, resource.NewID(), s.newIDHint)})
			continue
		}
		es := append(check(item), literalSecrets(s.rows(item))...)
		for _, other := range s.order(items) {
			if sameName(s.name(other), name) {
				es = append(es, resource.FieldError{Field: "name", Msg: fmt.Sprintf("%s has the same name: rename one of them", other.file)})
				break
			}
		}
		for _, e := range es {
			problems = append(problems, Problem{File: file, Line: lineFor(lines, e.Field), Field: e.Field, Msg: e.Msg})
		}
		items[id] = &entry[T]{file, item, sha256.Sum256(data)}
	}
	return items, problems, nil
}

// check returns every reason not to save item: its own validation, its ID, more (what its kind adds), a
// credential in its headers, and a name another item has, which taken words.
func (s *shelf[T]) check(item *T, more resource.Errors, taken func(other *entry[T]) string) resource.Errors {
	id, name := s.fields(item)
	es := s.validate(item)
	if id != "" {
		if err := ValidateID(id); err != nil {
			es = append(es, resource.FieldError{Field: "id", Msg: err.Error()})
		}
	}
	es = append(es, more...)
	es = append(es, literalSecrets(s.rows(item))...)
	if other := s.named(name, id); other != nil {
		es = append(es, resource.FieldError{Field: "name", Msg: taken(other)})
	}
	return es
}

// change is an item's file written but not yet what the lookups answer: commit makes it so, undo puts the
// folder back as it was.
type change[T any] struct {
	s       *shelf[T]
	w       *Workspace
	item    *T // the caller's, which gets the ID on commit
	saved   *entry[T]
	old     *entry[T] // what the lookups held before; nil for a new item
	before  []byte    // saved.file's content before it was written
	existed bool      // whether saved.file existed before
}

// stage writes a copy of item, which check accepted, to its file: a new item (empty ID) gets a new ID, set in
// item on commit; one whose name changed gets a file named after it. The lookups are unchanged until commit.
func (s *shelf[T]) stage(w *Workspace, item *T) (*change[T], error) {
	saved := s.clone(item)
	id, name := s.fields(saved)
	if id == "" {
		id = resource.NewID()
		s.setID(saved, id)
	}
	c := &change[T]{s: s, w: w, item: item, old: s.items[id]}
	var oldFile, oldName string
	if c.old != nil {
		if err := s.fresh(w, c.old); err != nil {
			return nil, err // writing would undo another program's change, or bring back a renamed file
		}
		oldFile, oldName = c.old.file, s.name(c.old)
	}
	file, err := w.target(s.folder, oldFile, oldName, name, s.noun+"-"+id[:min(8, len(id))])
	if err != nil {
		return nil, err
	}
	data, err := s.encode(saved)
	if err != nil {
		return nil, fmt.Errorf("save the %s %q: %w", s.noun, name, err)
	}
	c.saved = &entry[T]{file, saved, sha256.Sum256(data)}
	before, err := os.ReadFile(w.abs(file))
	c.before, c.existed = before, err == nil
	if err := w.put(file, data); err != nil {
		return nil, fmt.Errorf("save the %s %q: %w", s.noun, name, err)
	}
	return c, nil
}

// commit makes the lookups answer the saved item and removes the file it moved from. The error is for an old
// file that could not be removed: the item is saved all the same.
func (c *change[T]) commit() error {
	id := c.id()
	c.s.setID(c.item, id)
	c.s.items[id] = c.saved
	if c.old == nil || c.old.file == c.saved.file {
		return nil
	}
	if err := removeFile(c.w.abs(c.old.file)); err != nil {
		return fmt.Errorf("the %s was saved as %s, but its old file is still there: remove it by hand: %w", c.s.noun, c.saved.file, err)
	}
	return nil
}

// undo puts the saved file back as it was: its earlier content, or no file.
func (c *change[T]) undo() error {
	if c.existed {
		return c.w.put(c.saved.file, c.before)
	}
	return removeFile(c.w.abs(c.saved.file))
}

// id is the saved item's ID (a new one for a new item).
func (c *change[T]) id() string {
	id, _ := c.s.fields(c.saved.item)
	return id
}

// remove removes an item's file and forgets it; a file another program changed since is kept (ErrStale).
func (s *shelf[T]) remove(w *Workspace, e *entry[T]) error {
	if err := s.fresh(w, e); err != nil {
		return err
	}
	if err := removeFile(w.abs(e.file)); err != nil {
		return err
	}
	id, _ := s.fields(e.item)
	delete(s.items, id)
	return nil
}
