package secret

import (
	"encoding/base64"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/zalando/go-keyring"
)

// memBackend is an in-memory keychain. Its rule, when set, refuses values the way a platform's
// keychain does; failSet, when set, makes chosen writes fail.
type memBackend struct {
	mu         sync.Mutex
	entries    map[string]string // account → value, all under Service
	rule       func(service, user, value string) error
	failSet    func(user string) error
	failDelete func(user string) error
	calls      atomic.Int64
}

func newMem(rule func(service, user, value string) error) *memBackend {
	return &memBackend{entries: map[string]string{}, rule: rule}
}

func (m *memBackend) Get(service, user string) (string, error) {
	m.calls.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.entries[m.key(service, user)]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (m *memBackend) Set(service, user, value string) error {
	m.calls.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failSet != nil {
		if err := m.failSet(user); err != nil {
			return err
		}
	}
	if m.rule != nil {
		if err := m.rule(service, user, value); err != nil {
			return err
		}
	}
	m.entries[m.key(service, user)] = value
	return nil
}

func (m *memBackend) Delete(service, user string) error {
	m.calls.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failDelete != nil {
		if err := m.failDelete(user); err != nil {
			return err
		}
	}
	k := m.key(service, user)
	if _, ok := m.entries[k]; !ok {
		return ErrNotFound
	}
	delete(m.entries, k)
	return nil
}

func (m *memBackend) key(service, user string) string {
	if service != Service {
		panic("unexpected service " + service)
	}
	return user
}

// accounts lists the stored account names, sorted.
func (m *memBackend) accounts() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.entries))
}

func (m *memBackend) snapshot() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.entries)
}

func (m *memBackend) put(account, value string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[account] = value
}

func (m *memBackend) remove(account string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, account)
}

// windowsRule refuses what go-keyring's Windows provider refuses: a secret over 2560 bytes.
func windowsRule(_, _, value string) error {
	if len(value) > 2560 {
		return keyring.ErrSetDataTooBig
	}
	return nil
}

// darwinRule refuses what go-keyring's macOS provider refuses: a `security -i` command line over
// 4096 bytes, built exactly as keyring_darwin.go builds it.
func darwinRule(service, user, value string) error {
	password := "go-keyring-base64:" + base64.StdEncoding.EncodeToString([]byte(value))
	command := fmt.Sprintf("add-generic-password -U -s %s -a %s -w %s\n", shellQuote(service), shellQuote(user), shellQuote(password))
	if len(command) > 4096 {
		return keyring.ErrSetDataTooBig
	}
	return nil
}

var shellUnsafe = regexp.MustCompile(`[^\w@%+=:,./-]`)

// shellQuote is go-keyring's internal shellescape.Quote.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	if shellUnsafe.MatchString(s) {
		return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
	}
	return s
}

// hangBackend is a keychain whose calls block until release is closed, like a Secret Service
// waiting on an unlock prompt nobody answers. It counts the calls that started.
type hangBackend struct {
	memBackend
	started chan struct{} // receives once per call, when it starts
	release chan struct{}
}

func newHang() *hangBackend {
	return &hangBackend{
		memBackend: memBackend{entries: map[string]string{}},
		started:    make(chan struct{}, 100),
		release:    make(chan struct{}),
	}
}

func (h *hangBackend) wait() {
	h.started <- struct{}{}
	<-h.release
}

func (h *hangBackend) Get(service, user string) (string, error) {
	h.wait()
	return h.memBackend.Get(service, user)
}

func (h *hangBackend) Set(service, user, value string) error {
	h.wait()
	return h.memBackend.Set(service, user, value)
}

func (h *hangBackend) Delete(service, user string) error {
	h.wait()
	return h.memBackend.Delete(service, user)
}
