// Package workspace keeps resources and saved queries in a folder of human-readable YAML files that a team can
// keep in git:
//
//	resources/github.yaml         one file per resource, named after it
//	queries/list-repos.yaml       one file per saved query, named after it
//
// Queries sit in one flat folder, not in a folder per resource: a query refers to its resource by the resource's
// stable id (with the resource's name beside it as a comment), so renaming a resource or moving a query to another
// resource changes a line rather than moving files, and query names are unique across the workspace (the CLI runs
// a query by its name alone), so one folder lists them all.
//
// No secret is ever in these files: resource.Resource and query.Query hold none (they live in each person's
// keychain, which SaveResource and DeleteResource change in step with the files, in the order that never leaves
// a secret behind that no file refers to), Save refuses a secret written out in a row (literalSecrets),
// and Load refuses a file into which someone typed a password or token field.
//
// Every write is atomic (a temporary file, flushed, renamed over the old one). A file that cannot be read is
// reported with its path and line and left untouched; the rest of the workspace still loads.
package workspace

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode"

	"apidesk/engine/environment"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
)

// EnvDir is the environment variable that chooses the workspace folder instead of the default.
const EnvDir = "APIDESK_WORKSPACE"

// ErrNotFound is matched by errors.Is when no resource or query has the name or id asked for.
var ErrNotFound = errors.New("not found")

// ErrStale is matched by errors.Is when a save or delete is refused because another program (apidesk-cli, another
// window, a git pull) changed, renamed or removed the item's file since this workspace read it: writing would undo
// that change, or bring a renamed item back as a second file with the same id. Load again to continue.
var ErrStale = errors.New("changed on disk by another program")

// staleError is an ErrStale in words.
type staleError struct{ msg string }

func (e *staleError) Error() string { return e.msg }
func (e *staleError) Unwrap() error { return ErrStale }

// DefaultDir is the workspace folder to use when none is given: $APIDESK_WORKSPACE, else apidesk in the user's
// config folder (~/.config/apidesk on Linux, ~/Library/Application Support/apidesk on macOS, %AppData%\apidesk on
// Windows).
func DefaultDir() (string, error) {
	if dir := os.Getenv(EnvDir); dir != "" {
		return dir, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find your settings folder: %w: set %s to the folder apidesk should keep its workspace in", err, EnvDir)
	}
	return filepath.Join(base, "apidesk"), nil
}

// Problem is something wrong with one file of the workspace.
type Problem struct {
	File    string // relative to the workspace folder, with '/': "resources/github.yaml"
	Line    int    // from 1; 0 when the problem is with the file as a whole or with a field it leaves out
	Field   string // for a problem with an item that loaded: the field, as resource.FieldError names it
	Msg     string
	Skipped bool // the file was not loaded and must be fixed by hand; otherwise the item loaded and can be fixed in apidesk
}

// Error reads "resources/github.yaml line 7: …".
func (p Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s line %d: %s", p.File, p.Line, p.Msg)
	}
	return p.File + ": " + p.Msg
}

// Workspace is a folder of resources and saved queries. Load reads it; the lookups answer from what was loaded and
// saved since; Save and Delete change the files and what the lookups answer together. It is safe for concurrent use
// in one process. Two processes may share a folder: each write is whole, and a save or delete of an item whose
// file another program changed, renamed or removed since it was read is refused with ErrStale rather than undo
// that change.
type Workspace struct {
	dir    string
	rename func(oldpath, newpath string) error // os.Rename; tests make it fail

	// writing is held by every change to the folder (Load too), from its first step to its last: a resource's
	// save or delete holds it across its keychain calls, which may take seconds. It is taken before mu.
	writing sync.Mutex
	// mu guards the loaded items, which the lookups read; it is never held across a keychain call.
	mu           sync.Mutex
	loaded       bool
	resources    shelf[resource.Resource]
	queries      shelf[query.Query]
	environments shelf[environment.Environment]
	settings     Settings
}

// Open returns the workspace in dir. The folder need not exist: it is created on the first save. Open reads
// nothing; call Load.
func Open(dir string) (*Workspace, error) {
	if strings.TrimSpace(dir) == "" {
		return nil, errors.New("no workspace folder given: pass a folder, or set " + EnvDir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("workspace folder %s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("workspace folder %s is a file, not a folder: choose a folder", abs)
	}
	w := &Workspace{dir: abs, rename: os.Rename}
	w.resources = shelf[resource.Resource]{
		noun: "resource", folder: resourcesDir, dir: abs, mu: &w.mu,
		fields:    func(r *resource.Resource) (string, string) { return r.ID, r.Name },
		rows:      resourceRows,
		setID:     func(r *resource.Resource, id string) { r.ID = id },
		clone:     cloneResource,
		validate:  (*resource.Resource).Validate,
		decode:    decodeResource,
		encode:    encodeResource,
		newIDHint: ", and point its queries at it",
		items:     map[string]*entry[resource.Resource]{},
	}
	w.queries = shelf[query.Query]{
		noun: "query", folder: queriesDir, dir: abs, mu: &w.mu,
		fields:   func(q *query.Query) (string, string) { return q.ID, q.Name },
		rows:     queryRows,
		setID:    func(q *query.Query, id string) { q.ID = id },
		clone:    cloneQuery,
		validate: (*query.Query).Validate,
		decode:   decodeQuery,
		// The resource's current name is written beside its id, for readers.
		encode: func(q *query.Query) ([]byte, error) { return encodeQuery(q, w.resourceName(q.ResourceID)) },
		items:  map[string]*entry[query.Query]{},
	}
	w.environments = newEnvironmentShelf(w)
	return w, nil
}

// Dir is the workspace folder, as an absolute path.
func (w *Workspace) Dir() string { return w.dir }

// RelPath is how a query file keeps the path of a file a person chose to send (a file body, a multipart form's
// file): relative to the workspace folder, with '/', when the file is inside it, so that a team can keep sample
// files with the workspace in git; else the absolute path. A relative path is taken as relative to the current
// folder, as a command line gives it.
func (w *Workspace) RelPath(path string) string { return RelPath(w.dir, path) }

// RelPath is (*Workspace).RelPath for a workspace in the folder dir, for a caller that has only its folder.
func RelPath(dir, path string) string {
	if path == "" {
		return ""
	}
	abs, err := filepath.Abs(filepath.FromSlash(path))
	if err != nil || dir == "" {
		return path
	}
	if rel, ok := within(dir, abs); ok {
		return rel
	}
	// The workspace or the file may be reached through a symbolic link (macOS's /var is /private/var).
	rdir, err1 := filepath.EvalSymlinks(dir)
	real, err2 := filepath.EvalSymlinks(abs)
	if err1 == nil && err2 == nil {
		if rel, ok := within(rdir, real); ok {
			return rel
		}
	}
	return abs
}

// within returns path relative to dir, with '/', when it is inside dir.
func within(dir, path string) (string, bool) {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// AbsPath is the file a path kept in a query file names: a relative path is relative to the workspace folder.
func (w *Workspace) AbsPath(path string) string { return AbsPath(w.dir, path) }

// AbsPath is (*Workspace).AbsPath for a workspace in the folder dir ("" stays "").
func AbsPath(dir, path string) string {
	if path == "" {
		return ""
	}
	p := filepath.FromSlash(path)
	if filepath.IsAbs(p) || dir == "" {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// relativePaths returns q, or a copy of it whose body file paths inside the workspace folder are relative
// (RelPath). A relative path is left as it is: it is already relative to the workspace.
func (w *Workspace) relativePaths(q *query.Query) *query.Query {
	rel := func(p string) string {
		if p == "" || strings.Contains(p, "{{") || !filepath.IsAbs(filepath.FromSlash(p)) {
			return p
		}
		return w.RelPath(p)
	}
	out := q
	if f := rel(q.Body.File); f != q.Body.File {
		out = cloneQuery(q)
		out.Body.File = f
	}
	for i, p := range q.Body.Parts {
		if f := rel(p.File); f != p.File {
			if out == q {
				out = cloneQuery(q)
			}
			out.Body.Parts[i].File = f
		}
	}
	return out
}

// Load reads every resource and query file, and the workspace's settings (SettingsFile), replacing what was loaded before. It returns the problems it found,
// each naming its file and line: a file that cannot be read (bad YAML, an unknown field, a newer version, no id) is
// skipped and left untouched; an item that reads but is not valid (a base URL without http://…) is loaded, so it
// can be fixed in apidesk, and its problems are reported too. The error is only for a cancelled ctx.
func (w *Workspace) Load(ctx context.Context) ([]Problem, error) {
	w.writing.Lock()
	defer w.writing.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.load(ctx)
}

func (w *Workspace) load(ctx context.Context) ([]Problem, error) {
	resources, problems, err := w.resources.load(ctx, w, (*resource.Resource).Validate)
	if err != nil {
		return nil, err
	}
	queries, more, err := w.queries.load(ctx, w, func(q *query.Query) resource.Errors {
		es := q.Validate()
		if q.ResourceID != "" && resources[q.ResourceID] == nil {
			es = append(es, resource.FieldError{Field: "resource", Msg: fmt.Sprintf("no resource with the id %s was loaded "+
				"(is its file missing, or listed among these problems?): fix the id or choose the resource in apidesk", q.ResourceID)})
		}
		return es
	})
	if err != nil {
		return nil, err
	}
	problems = append(problems, more...)
	environments, more, err := w.environments.load(ctx, w, (*environment.Environment).Validate)
	if err != nil {
		return nil, err
	}
	problems = append(problems, more...)
	settings, p := w.loadSettings()
	if p != nil {
		problems = append(problems, *p)
	}
	slices.SortStableFunc(problems, func(a, b Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	w.resources.items, w.queries.items, w.environments.items, w.settings, w.loaded = resources, queries, environments, settings, true
	return problems, nil
}

// list returns the item files of a folder, relative and sorted. A missing folder has none.
func (w *Workspace) list(folder string) ([]string, *Problem) {
	entries, err := os.ReadDir(filepath.Join(w.dir, folder))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &Problem{File: folder, Msg: fmt.Sprintf("cannot read the folder: %v", err), Skipped: true}
	}
	var files []string
	for _, e := range entries {
		if isItemFile(e) {
			files = append(files, folder+"/"+e.Name())
		}
	}
	return files, nil
}

func (w *Workspace) read(file string) ([]byte, *lineError) {
	abs := w.abs(file)
	fi, err := os.Stat(abs)
	if err == nil && fi.Size() > maxFileSize {
		return nil, &lineError{0, fmt.Sprintf("the file is larger than %d MB: apidesk does not read it", maxFileSize>>20)}
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, &lineError{0, fmt.Sprintf("cannot read the file: %v", err)}
	}
	return data, nil
}

func (w *Workspace) abs(file string) string { return filepath.Join(w.dir, filepath.FromSlash(file)) }

func (w *Workspace) ensureLoaded(ctx context.Context) error {
	if w.loaded {
		return nil
	}
	_, err := w.load(ctx)
	return err
}

// Resources returns every loaded resource, sorted by name. Each is a copy the caller may change.
func (w *Workspace) Resources() []*resource.Resource { return w.resources.list(nil) }

// ResourceByID returns a copy of the resource with the id, or an error matching ErrNotFound.
func (w *Workspace) ResourceByID(id string) (*resource.Resource, error) { return w.resources.byID(id) }

// ResourceByName returns a copy of the resource with the name (compared case-insensitively), or an error matching
// ErrNotFound.
func (w *Workspace) ResourceByName(name string) (*resource.Resource, error) {
	return w.resources.byName(name)
}

// Queries returns every loaded query, sorted by name. Each is a copy the caller may change.
func (w *Workspace) Queries() []*query.Query { return w.queries.list(nil) }

// QueriesOf returns the queries of a resource, sorted by name.
func (w *Workspace) QueriesOf(resourceID string) []*query.Query {
	return w.queries.list(func(q *query.Query) bool { return q.ResourceID == resourceID })
}

// QueryByID returns a copy of the query with the id, or an error matching ErrNotFound.
func (w *Workspace) QueryByID(id string) (*query.Query, error) { return w.queries.byID(id) }

// QueryByName returns a copy of the query with the name (compared case-insensitively), or an error matching
// ErrNotFound.
func (w *Workspace) QueryByName(name string) (*query.Query, error) { return w.queries.byName(name) }

// File returns the absolute path of the file of the resource, query or environment with the id.
func (w *Workspace) File(id string) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if e := w.resources.items[id]; e != nil {
		return w.abs(e.file), true
	}
	if e := w.queries.items[id]; e != nil {
		return w.abs(e.file), true
	}
	if e := w.environments.items[id]; e != nil {
		return w.abs(e.file), true
	}
	return "", false
}

func (w *Workspace) resourceName(id string) string {
	if e := w.resources.items[id]; e != nil {
		return e.item.Name
	}
	return ""
}

// SaveQuery writes q to its file. A new query (empty ID) gets a new ID, set in q. A query that is not valid, whose
// resource is not in the workspace, or whose name another query has, is refused with resource.Errors. A renamed
// query moves to a file named after its new name. The absolute path of a body file inside the workspace folder
// is saved relative to it (RelPath).
func (w *Workspace) SaveQuery(ctx context.Context, q *query.Query) error {
	end, err := w.begin(ctx, "save the query")
	if err != nil {
		return err
	}
	defer end()
	var more resource.Errors
	if q.ResourceID != "" && w.resources.items[q.ResourceID] == nil {
		more = append(more, resource.FieldError{Field: "resource", Msg: "The resource this query runs on is not in the workspace: choose another"})
	}
	es := w.queries.check(q, more, func(other *entry[query.Query]) string {
		msg := fmt.Sprintf("A query named %q already exists", strings.TrimSpace(q.Name))
		if name := w.resourceName(other.item.ResourceID); name != "" {
			msg += fmt.Sprintf(" (on %s)", name)
		}
		return msg + ": choose another name"
	})
	if len(es) > 0 {
		return es
	}
	saved := w.relativePaths(q)
	c, err := w.queries.stage(w, saved)
	if err != nil {
		return err
	}
	err = c.commit()
	q.ID = saved.ID
	return err
}

// begin starts a change that holds both locks throughout: it checks ctx (what says what was cancelled), takes the
// locks and loads the workspace if need be. end releases the locks.
func (w *Workspace) begin(ctx context.Context, what string) (end func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	w.writing.Lock()
	w.mu.Lock()
	end = func() {
		w.mu.Unlock()
		w.writing.Unlock()
	}
	if err := w.ensureLoaded(ctx); err != nil {
		end()
		return nil, err
	}
	return end, nil
}

// put writes a file atomically, unless it already holds exactly data.
func (w *Workspace) put(file string, data []byte) error {
	abs := w.abs(file)
	if old, err := os.ReadFile(abs); err == nil && string(old) == string(data) {
		return nil
	}
	return writeFile(abs, data, w.rename)
}

// target picks the file for an item: its current file while its name is unchanged (so a file someone named by hand
// keeps its name), else a file named after the new name that no other file in the folder has, loaded or not (a
// file that failed to load is never overwritten).
func (w *Workspace) target(folder, cur, curName, name, fallback string) (string, error) {
	if cur != "" && curName == name {
		return cur, nil
	}
	entries, err := os.ReadDir(filepath.Join(w.dir, folder))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read the folder %s: %w", filepath.Join(w.dir, folder), err)
	}
	var files []string // every file in the folder, and those of loaded items even if someone removed them since
	for _, e := range entries {
		files = append(files, folder+"/"+e.Name())
	}
	for _, e := range w.resources.items {
		files = append(files, e.file)
	}
	for _, e := range w.queries.items {
		files = append(files, e.file)
	}
	for _, e := range w.environments.items {
		files = append(files, e.file)
	}
	taken := func(n string) bool {
		if cur != "" && strings.EqualFold(path.Base(cur), n) {
			return false
		}
		return slices.ContainsFunc(files, func(f string) bool { return strings.EqualFold(f, folder+"/"+n) })
	}
	file := folder + "/" + fileName(name, fallback, taken)
	if strings.EqualFold(file, cur) {
		// Only the case differs: keep the file as it is, for on macOS and Windows both names are one file and
		// removing the "old" one would remove the new.
		return cur, nil
	}
	return file, nil
}

// DeleteQuery removes a query's file.
func (w *Workspace) DeleteQuery(ctx context.Context, id string) error {
	end, err := w.begin(ctx, "delete the query")
	if err != nil {
		return err
	}
	defer end()
	e := w.queries.items[id]
	if e == nil {
		return w.queries.notFound(id)
	}
	if err := w.queries.remove(w, e); err != nil {
		return fmt.Errorf("delete the query %q: %w", e.item.Name, err)
	}
	return nil
}

func sameName(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }

func byName(a, b string) int {
	return strings.Compare(strings.ToLower(strings.TrimSpace(a)), strings.ToLower(strings.TrimSpace(b)))
}

// rowSet is one list of rows of an item, with the field the workspace file calls it.
type rowSet struct {
	field string // "headers", "params", "cookies", "body.form", "auth.oauth2.token_params"…
	rows  kv.List
}

// resourceRows and queryRows are the rows of an item that literalSecrets checks.
func resourceRows(r *resource.Resource) []rowSet {
	return []rowSet{{"headers", r.Headers}, {"params", r.Params}, {"cookies", r.Cookies},
		{"auth.oauth2.auth_params", r.Auth.OAuth2.AuthParams}, {"auth.oauth2.token_params", r.Auth.OAuth2.TokenParams},
		{"variables", r.Variables}}
}

func queryRows(q *query.Query) []rowSet {
	sets := []rowSet{{"headers", q.Headers}, {"params", q.Params}, {"cookies", q.Cookies}, {"body.form", q.Body.Form}}
	if len(q.Body.Parts) > 0 { // the text fields of a multipart form are checked as a form's rows; a file's path is no secret
		rows := make(kv.List, len(q.Body.Parts))
		for i, p := range q.Body.Parts {
			if !p.IsFile() {
				rows[i] = kv.Pair{Key: p.Name, Value: p.Value, Enabled: p.Enabled}
			}
		}
		sets = append(sets, rowSet{"body.parts", rows})
	}
	return sets
}

// literalSecrets finds the secrets written out in rows, which would end up in a file a team shares: an
// Authorization header with credentials after its scheme ("Bearer {-oauth_access_token-}" and "Bearer {{token}}"
// are fine), and a value that is more than {{variables}} and {-placeholders-} in a header, URL parameter, cookie
// (also inside a Cookie header) or form field whose name says it is secret (package sensitive's rule). The
// messages never repeat the value.
func literalSecrets(sets []rowSet) resource.Errors {
	var es resource.Errors
	add := func(field string, i int, msg string) {
		es = append(es, resource.FieldError{Field: fmt.Sprintf("%s[%d].value", field, i), Msg: msg})
	}
	const shared = "holds a secret written out, and workspace files may be shared: "
	const variable = "write a {{variable}} in its place (its value is asked for when the query runs)"
	const apiKey = ", or choose API key authentication for the resource, which keeps the key in your keychain"
	for _, set := range sets {
		for i, p := range set.rows {
			key := strings.TrimSpace(p.Key)
			switch {
			case set.field == "headers" && sensitive.Authorization(key):
				if literalCredential(p.Value) {
					add(set.field, i, fmt.Sprintf("The %s header holds a credential, and workspace files may be shared: set it as the "+
						"resource's authentication (kept in your keychain), or write a {{variable}} or %s in its place",
						key, template.AccessTokenPlaceholder))
				}
			case set.field == "headers" && strings.EqualFold(key, "Cookie"):
				for c := range strings.SplitSeq(p.Value, ";") {
					name, value, _ := strings.Cut(c, "=")
					if name = strings.TrimSpace(name); sensitive.Cookie(name) && !template.OnlyPlaceholders(value) {
						add(set.field, i, fmt.Sprintf("The Cookie header's cookie %s %s%s", name, shared, variable))
						break
					}
				}
			case template.OnlyPlaceholders(p.Value):
			case set.field == "headers" && sensitive.Header(key):
				add(set.field, i, fmt.Sprintf("The header %s %s%s%s", key, shared, variable, apiKey))
			case set.field == "cookies" && sensitive.Cookie(key):
				add(set.field, i, fmt.Sprintf("The cookie %s %s%s", key, shared, variable))
			case set.field == "variables" && sensitive.VariableValue(key, p.Value):
				add(set.field, i, fmt.Sprintf("The variable %s %smake it a secret variable of an environment (each person's value "+
					"is then kept in their keychain)", key, shared))
			case set.field == "params" && sensitive.Param(key):
				add(set.field, i, fmt.Sprintf("The URL parameter %s %s%s%s", key, shared, variable, apiKey))
			case set.field != "headers" && set.field != "cookies" && set.field != "params" && sensitive.Param(key):
				add(set.field, i, fmt.Sprintf("The field %s %s%s", key, shared, variable))
			}
		}
	}
	return es
}

func literalCredential(v string) bool {
	v = strings.ReplaceAll(v, template.AccessTokenPlaceholder, " ")
	if names := template.Names(v); len(names) > 0 {
		blank := make(map[string]string, len(names))
		for _, n := range names {
			blank[n] = " "
		}
		v, _ = template.Expand(v, blank)
	}
	words := strings.Fields(v)
	if len(words) == 0 {
		return false
	}
	for _, w := range words[1:] {
		if hasAlnum(w) {
			return true
		}
	}
	// One word: a scheme alone ("Bearer") or punctuation left between variables is no credential.
	scheme := len(words[0]) <= 20
	for _, r := range words[0] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-') {
			scheme = false
		}
	}
	return !scheme && hasAlnum(words[0])
}

func hasAlnum(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

func cloneResource(r *resource.Resource) *resource.Resource {
	c := *r
	c.Headers = slices.Clone(r.Headers)
	c.Params = slices.Clone(r.Params)
	c.Cookies = slices.Clone(r.Cookies)
	c.Auth.OAuth2.Scopes = slices.Clone(r.Auth.OAuth2.Scopes)
	c.Auth.OAuth2.AuthParams = slices.Clone(r.Auth.OAuth2.AuthParams)
	c.Auth.OAuth2.TokenParams = slices.Clone(r.Auth.OAuth2.TokenParams)
	c.Network.NoProxy = slices.Clone(r.Network.NoProxy)
	c.Variables = slices.Clone(r.Variables)
	return &c
}

func cloneQuery(q *query.Query) *query.Query {
	c := *q
	c.Params = slices.Clone(q.Params)
	c.Headers = slices.Clone(q.Headers)
	c.Cookies = slices.Clone(q.Cookies)
	c.Body.Form = slices.Clone(q.Body.Form)
	c.Body.Parts = slices.Clone(q.Body.Parts)
	c.Variables = slices.Clone(q.Variables)
	for i := range c.Variables {
		c.Variables[i].Options = slices.Clone(c.Variables[i].Options)
	}
	return &c
}
