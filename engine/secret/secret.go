// Package secret keeps apidesk's secrets (passwords, tokens, API keys, client secrets) in the
// operating system's keychain and nowhere else: the Secret Service (gnome-keyring, KeePassXC) on
// Linux, the login keychain on macOS, Credential Manager on Windows, through
// github.com/zalando/go-keyring.
//
// Entries live under the service name "apidesk" with account names built from a resource ID and a
// resource.SecretKind ("<resourceID>/<kind>"). The Store adds what go-keyring lacks:
//
//   - Every operation is bounded by its context (or Options.Timeout when the context has no
//     deadline), because a locked keyring whose unlock dialog nobody answers blocks forever.
//   - Operations run one at a time. A backend call that never returns keeps the turn, so later
//     callers wait on their own context and get ErrUnavailable instead of piling up goroutines.
//   - Values larger than one entry may hold on Windows (2560 bytes) and macOS (about 3000 bytes
//     with the service and account names) are split into chunks; on Linux they never are.
//   - A secret-free index entry per resource ("<resourceID>/index") records which kinds are
//     stored, so DeleteAll removes them all although go-keyring cannot list entries.
//
// Create one Store per process and share it: the one-at-a-time rule holds within a Store.
package secret

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"apidesk/engine/resource"
)

// Service is the keychain service name every apidesk entry is stored under.
const Service = "apidesk"

// DefaultTimeout bounds one Store operation whose context has no deadline.
const DefaultTimeout = 10 * time.Second

// knownKinds are tried by DeleteAll even when the index does not list them.
var knownKinds = resource.SecretKinds

var (
	// ErrNotFound means the keychain holds no such secret.
	ErrNotFound = errors.New("secret not found in the keychain")
	// ErrUnavailable means the keychain could not be used: it is not running, not reachable,
	// locked, or did not answer in time. Errors wrapping it say what to do.
	ErrUnavailable = errors.New("keychain unavailable")
	// ErrCorrupt means a stored value could not be put back together (a part is missing or does
	// not match its checksum). Storing the secret again repairs it.
	ErrCorrupt = errors.New("secret in the keychain is damaged")
)

// Backend is the keychain itself: go-keyring's three calls. Get and Delete return ErrNotFound
// (possibly wrapped) for a missing entry.
type Backend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// Options tune a Store. The zero value suits the platform the program runs on.
type Options struct {
	// MaxValueBytes is the largest value one keychain entry may hold; larger values are split.
	// 0 means the platform's limit: 2560 bytes on Windows, about 3000 bytes minus the service and
	// account names on macOS, and no limit elsewhere.
	MaxValueBytes int
	// Timeout bounds one operation whose context has no deadline. 0 means DefaultTimeout.
	Timeout time.Duration
}

// Store reads and writes apidesk's secrets in a keychain Backend. Its methods are safe for
// concurrent use; they run one at a time.
type Store struct {
	backend Backend
	timeout time.Duration
	// limit returns the largest value the entry named account may hold; 0 means no limit.
	limit func(account string) int
	// turn holds a token while an operation may call the backend. A backend call that outlives
	// its operation's context keeps the token until it returns.
	turn chan struct{}
}

// New returns a Store over b, usually KeyringBackend().
func New(b Backend, o Options) *Store {
	s := &Store{
		backend: b,
		timeout: o.Timeout,
		limit:   platformLimit(),
		turn:    make(chan struct{}, 1),
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if o.MaxValueBytes > 0 {
		n := o.MaxValueBytes
		s.limit = func(string) int { return n }
	}
	return s
}

// Get returns the secret of kind k stored for resourceID. It returns an error wrapping
// ErrNotFound when there is none, ErrCorrupt when a split value cannot be put back together, and
// ErrUnavailable when the keychain cannot be used.
func (s *Store) Get(ctx context.Context, resourceID string, k resource.SecretKind) (string, error) {
	if err := checkNames(resourceID, k); err != nil {
		return "", err
	}
	o, err := s.begin(ctx)
	if err != nil {
		return "", err
	}
	defer o.end()
	return o.read(resourceID, k)
}

// Set stores value as the secret of kind k for resourceID, replacing any earlier one. When it
// fails, the earlier value is still there, whole.
func (s *Store) Set(ctx context.Context, resourceID string, k resource.SecretKind, value string) error {
	if err := checkNames(resourceID, k); err != nil {
		return err
	}
	o, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer o.end()
	return o.write(resourceID, k, value)
}

// Delete removes the secret of kind k for resourceID. A secret that is not there is not an error.
func (s *Store) Delete(ctx context.Context, resourceID string, k resource.SecretKind) error {
	if err := checkNames(resourceID, k); err != nil {
		return err
	}
	o, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer o.end()
	return o.remove(resourceID, k)
}

// DeleteAll removes every secret apidesk stored for resourceID, as recorded in its index, and the
// index itself. Call it when a resource is deleted.
func (s *Store) DeleteAll(ctx context.Context, resourceID string) error {
	if err := checkResourceID(resourceID); err != nil {
		return err
	}
	o, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer o.end()
	return o.removeAll(resourceID)
}

// Kinds returns the kinds of secret stored for resourceID, sorted, as recorded in its index. A
// kind whose Set was interrupted may be listed although Get finds nothing.
func (s *Store) Kinds(ctx context.Context, resourceID string) ([]resource.SecretKind, error) {
	if err := checkResourceID(resourceID); err != nil {
		return nil, err
	}
	o, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer o.end()
	idx, err := o.readIndex(resourceID)
	if err != nil {
		return nil, err
	}
	return idx.Kinds, nil
}

// Origins returns the origins the resource's secrets were saved for (see resource.Origins); a field is "" when
// none is recorded for it: no secret is stored, or they were stored by an apidesk that did not record origins.
func (s *Store) Origins(ctx context.Context, resourceID string) (resource.Origins, error) {
	if err := checkResourceID(resourceID); err != nil {
		return resource.Origins{}, err
	}
	o, err := s.begin(ctx)
	if err != nil {
		return resource.Origins{}, err
	}
	defer o.end()
	idx, err := o.readIndex(resourceID)
	if err != nil || idx.Origins == nil {
		return resource.Origins{}, err
	}
	return resource.Origins{API: idx.Origins.API, Token: idx.Origins.Token, Proxy: idx.Origins.Proxy}, nil
}

// SetOrigins records the fields of origins that are not "" as those the resource's secrets are saved for,
// keeping the others as recorded. It records nothing for a resource with no secret stored: a secret saved
// later records its own.
func (s *Store) SetOrigins(ctx context.Context, resourceID string, origins resource.Origins) error {
	if err := checkResourceID(resourceID); err != nil {
		return err
	}
	o, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer o.end()
	if err := o.setOrigins(resourceID, origins); err != nil {
		return fmt.Errorf("secret: recording the addresses the secrets of resource %s are for: %w", resourceID, err)
	}
	return nil
}

// Trust is the person's answer to e: their saved secrets may go to the resource's new address, which is
// recorded in their place.
func (s *Store) Trust(ctx context.Context, e *resource.OriginChangedError) error {
	return s.SetOrigins(ctx, e.ID, e.Trusted())
}

// maxResourceIDLen keeps account names short enough to leave room for values on macOS.
const maxResourceIDLen = 128

// checkResourceID accepts the IDs apidesk generates: letters, digits, '.', '_' and '-'. Other
// characters could make two resources' account names collide, or need quoting on macOS.
func checkResourceID(id string) error {
	if id == "" {
		return errors.New("secret: the resource ID is empty")
	}
	if len(id) > maxResourceIDLen {
		return fmt.Errorf("secret: the resource ID is longer than %d characters", maxResourceIDLen)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r)) {
			return fmt.Errorf("secret: the resource ID %q may contain only letters, digits, '.', '_' and '-'", id)
		}
	}
	return nil
}

// checkKind accepts lower-case letters, digits and '-', except the name the index uses.
func checkKind(k resource.SecretKind) error {
	if k == "" || k == indexName {
		return fmt.Errorf("secret: %q is not a kind of secret", k)
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("secret: the kind %q may contain only lower-case letters, digits and '-'", k)
		}
	}
	return nil
}

func checkNames(resourceID string, k resource.SecretKind) error {
	if err := checkResourceID(resourceID); err != nil {
		return err
	}
	return checkKind(k)
}
