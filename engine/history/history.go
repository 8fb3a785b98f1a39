// Package history keeps a record of the queries a person ran in run mode: when, with which inputs (never a
// secret's), the status, how long it took and the answer, up to a size cap. It lives in the person's own
// folders (DefaultRoot), never in the workspace, in files only they can read (0600, in folders of 0700),
// one folder per query, and is pruned to the Policy the person chose.
package history

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"apidesk/engine/sensitive"
)

// DefaultCap is the most bytes of an answer's body an entry keeps.
const DefaultCap = 1 << 20

// Policy says how much history is kept.
type Policy struct {
	Off    bool          // nothing new is recorded
	Keep   int           // the most entries kept per query; 0: no limit
	MaxAge time.Duration // entries older than this are removed; 0: no limit
}

// DefaultPolicy keeps the last 50 runs of each query, for 30 days.
var DefaultPolicy = Policy{Keep: 50, MaxAge: 30 * 24 * time.Hour}

// Entry is one run of a query.
type Entry struct {
	ID          string            `json:"-"` // names its files; set by Add and List
	At          time.Time         `json:"at"`
	Inputs      map[string]string `json:"inputs,omitempty"` // the values run with, the secrets' left out
	StatusCode  int               `json:"status_code,omitempty"`
	Status      string            `json:"status,omitempty"` // "200 OK"; empty when no answer came
	Error       string            `json:"error,omitempty"`  // why no answer came
	Duration    time.Duration     `json:"duration"`
	URL         string            `json:"url,omitempty"`
	ContentType string            `json:"content_type,omitempty"`
	Size        int64             `json:"size"` // bytes of the answer's body, decoded
	Kept        int64             `json:"kept"` // bytes of it kept (Body)
}

// Truncated reports whether the entry keeps less of the body than the answer had.
func (e Entry) Truncated() bool { return e.Kept < e.Size }

// Store is the history of one workspace's queries, in a folder of its own.
type Store struct {
	dir string
	cap int64
	now func() time.Time

	mu     sync.Mutex
	policy Policy
}

// DefaultRoot is the folder histories are kept in: apidesk/history in the person's cache folder. It is not
// the config folder: apidesk's default workspace is there (apidesk in the config folder), and the history
// must never be in a workspace, which a team may share.
func DefaultRoot() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find your cache folder for the history of runs: %w", err)
	}
	return filepath.Join(base, "apidesk", "history"), nil
}

// Open returns the history of the workspace in the folder workspaceDir, kept under root (DefaultRoot), with
// DefaultPolicy and DefaultCap. Nothing is written until a run is added.
func Open(root, workspaceDir string) *Store {
	if abs, err := filepath.Abs(workspaceDir); err == nil {
		workspaceDir = abs
	}
	sum := sha256.Sum256([]byte(workspaceDir))
	return &Store{dir: filepath.Join(root, hex.EncodeToString(sum[:8])), cap: DefaultCap, now: time.Now, policy: DefaultPolicy}
}

// Dir is the folder the store writes in.
func (s *Store) Dir() string { return s.dir }

// SetCap sets the most bytes of a body an entry keeps (at least 1).
func (s *Store) SetCap(n int64) { s.cap = max(n, 1) }

// Policy is how much history is kept.
func (s *Store) Policy() Policy {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.policy
}

// SetPolicy changes how much history is kept; what the new policy no longer keeps is removed when a query's
// history is next listed or added to.
func (s *Store) SetPolicy(p Policy) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.policy = p
}

var plainID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// queryDir is the folder of a query's history: its ID when that is a plain name, else a hash of it.
func (s *Store) queryDir(queryID string) string {
	if !plainID.MatchString(queryID) {
		sum := sha256.Sum256([]byte(queryID))
		queryID = "h" + hex.EncodeToString(sum[:8])
	}
	return filepath.Join(s.dir, queryID)
}

// Add records a run of the query queryID: e, and body, the answer's body as received (decoded). mask hides
// the secrets the run carried (those of secret variables, the resource's credentials; runner.Response.Mask
// does): it is applied to the inputs, the error, the URL and the body, and inputs whose name says they hold
// a secret are left out. The body kept is cut to the cap. It returns the entry as kept, with its ID; with
// the policy Off it records nothing and returns e.
func (s *Store) Add(queryID string, e Entry, body []byte, mask func(string) string) (Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.policy.Off {
		return e, nil
	}
	if mask == nil {
		mask = func(s string) string { return s }
	}
	inputs := make(map[string]string, len(e.Inputs))
	for k, v := range e.Inputs {
		if m := sensitive.Mask(mask(v)); !sensitive.Variable(k) && (m == v || m != sensitive.Hidden) {
			inputs[k] = m // a value that was all secret is left out with the rest
		}
	}
	e.Inputs = inputs
	e.Error = sensitive.Mask(mask(e.Error))
	e.URL = sensitive.Mask(mask(e.URL))
	if e.Size < int64(len(body)) {
		e.Size = int64(len(body))
	}
	body = s.keep(body, mask)
	e.Kept = int64(len(body))

	dir := s.queryDir(queryID)
	if err := mkdirPrivate(s.dir, dir); err != nil {
		return e, err
	}
	var r [4]byte
	_, _ = rand.Read(r[:])
	e.ID = fmt.Sprintf("%019d-%s", e.At.UnixNano(), hex.EncodeToString(r[:]))
	meta, err := json.Marshal(e)
	if err != nil {
		return e, err
	}
	// The body first: an entry is listed once its meta file exists, and then its body is there.
	if err := writePrivate(filepath.Join(dir, e.ID+".body"), body); err != nil {
		return e, err
	}
	if err := writePrivate(filepath.Join(dir, e.ID+".json"), meta); err != nil {
		_ = os.Remove(filepath.Join(dir, e.ID+".body"))
		return e, err
	}
	_, err = s.prune(dir)
	return e, err
}

// maskSlack is how far past the cap a body is masked: a secret across the cap is still found whole.
const maskSlack = 4096

// keep returns the part of body an entry keeps: masked, cut to the cap (on a character's edge).
func (s *Store) keep(body []byte, mask func(string) string) []byte {
	if limit := s.cap + maskSlack; int64(len(body)) > limit {
		body = body[:limit]
	}
	out := []byte(mask(string(body)))
	if int64(len(out)) > s.cap {
		n := s.cap
		for n > 0 && out[n]&0xC0 == 0x80 {
			n--
		}
		out = out[:n]
	}
	return out
}

// List returns the runs of the query queryID the policy keeps, newest first, removing the others.
func (s *Store) List(queryID string) ([]Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.prune(s.queryDir(queryID))
}

// Body returns the body an entry of the query queryID kept.
func (s *Store) Body(queryID string, e Entry) ([]byte, error) {
	if !validEntryID(e.ID) {
		return nil, errors.New("this run is not in the history")
	}
	b, err := os.ReadFile(filepath.Join(s.queryDir(queryID), e.ID+".body"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New("this run is no longer in the history")
	}
	return b, err
}

// Clear removes the history of the query queryID.
func (s *Store) Clear(queryID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return os.RemoveAll(s.queryDir(queryID))
}

// ClearAll removes the history of every query of the workspace.
func (s *Store) ClearAll() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return os.RemoveAll(s.dir)
}

var entryID = regexp.MustCompile(`^[0-9]{19}-[0-9a-f]{8}$`)

func validEntryID(id string) bool { return entryID.MatchString(id) }

// prune reads the entries in dir, removes those the policy does not keep and returns the others, newest
// first. A file that cannot be read is skipped.
func (s *Store) prune(dir string) ([]Entry, error) {
	files, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var all []Entry
	for _, f := range files {
		id, ok := strings.CutSuffix(f.Name(), ".json")
		if !ok || !validEntryID(id) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			continue
		}
		var e Entry
		if json.Unmarshal(b, &e) != nil {
			continue
		}
		e.ID = id
		all = append(all, e)
	}
	slices.SortFunc(all, func(a, b Entry) int {
		return cmp.Or(b.At.Compare(a.At), strings.Compare(b.ID, a.ID))
	})
	p := s.policy
	kept := all[:0:0]
	var firstErr error
	for i, e := range all {
		tooOld := p.MaxAge > 0 && s.now().Sub(e.At) > p.MaxAge
		tooMany := p.Keep > 0 && i >= p.Keep
		if !tooOld && !tooMany {
			kept = append(kept, e)
			continue
		}
		for _, ext := range []string{".json", ".body"} {
			if err := os.Remove(filepath.Join(dir, e.ID+ext)); err != nil && !errors.Is(err, fs.ErrNotExist) && firstErr == nil {
				firstErr = err
			}
		}
	}
	return kept, firstErr
}

// mkdirPrivate makes dir, inside the store's folder top, and the folders above it that are missing, and makes
// top and dir readable by their owner only.
func mkdirPrivate(top, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("could not make the history folder: %w", err)
	}
	for _, d := range []string{top, dir} {
		if err := os.Chmod(d, 0o700); err != nil {
			return err
		}
	}
	return nil
}

// writePrivate writes a file only its owner can read, whole or not at all.
func writePrivate(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}
