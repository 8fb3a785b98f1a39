package secret

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"apidesk/engine/resource"
)

// tokenStore is the shape the oauth package will declare; *Store must satisfy it.
type tokenStore interface {
	Get(ctx context.Context, resourceID string, k resource.SecretKind) (string, error)
	Set(ctx context.Context, resourceID string, k resource.SecretKind, value string) error
	Delete(ctx context.Context, resourceID string, k resource.SecretKind) error
}

var _ tokenStore = (*Store)(nil)

// token returns n bytes of pseudo-random base64url text, like a JWT's.
func token(seed uint64, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// storeFor returns a Store over b that splits values as it would on goos.
func storeFor(goos string, b Backend) *Store {
	s := New(b, Options{})
	s.limit = limitFor(goos)
	return s
}

type platform struct {
	goos string
	rule func(service, user, value string) error
}

var platforms = []platform{
	{"linux", nil},
	{"windows", windowsRule},
	{"darwin", darwinRule},
}

func TestRoundTrip(t *testing.T) {
	values := map[string]string{
		"short":               "hunter2",
		"empty":               "",
		"6 KB token":          token(1, 6*1024),
		"10 KB value":         token(2, 10*1024),
		"10 KB multi-byte":    strings.Repeat("пароль🔑", 10*1024/len("пароль🔑")),
		"looks like a header": headPrefix + "abc:1:" + strings.Repeat("0", 64),
		"exactly 2560 bytes":  token(3, 2560),
		"2561 bytes":          token(4, 2561),
	}
	for _, p := range platforms {
		for name, value := range values {
			t.Run(p.goos+"/"+name, func(t *testing.T) {
				b := newMem(p.rule)
				s := storeFor(p.goos, b)
				ctx := t.Context()
				if err := s.Set(ctx, "res-1", resource.SecretOAuthToken, value); err != nil {
					t.Fatalf("Set: %v", err)
				}
				got, err := s.Get(ctx, "res-1", resource.SecretOAuthToken)
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				if got != value {
					t.Fatalf("Get returned %d bytes that differ from the %d stored", len(got), len(value))
				}
				kinds, err := s.Kinds(ctx, "res-1")
				if err != nil || !slices.Equal(kinds, []resource.SecretKind{resource.SecretOAuthToken}) {
					t.Fatalf("Kinds = %v, %v; want [oauth-token]", kinds, err)
				}
				if idx := b.snapshot()[indexAccount("res-1")]; len(value) > 0 && strings.Contains(idx, value) {
					t.Errorf("the index holds the secret: %s", idx)
				}
			})
		}
	}
}

// On Linux nothing is ever split: one entry for the value, one for the index.
func TestLinuxNeverSplits(t *testing.T) {
	b := newMem(nil)
	s := storeFor("linux", b)
	if err := s.Set(t.Context(), "r", resource.SecretOAuthToken, token(5, 100*1024)); err != nil {
		t.Fatal(err)
	}
	want := []string{"r/index", "r/oauth-token"}
	if got := b.accounts(); !slices.Equal(got, want) {
		t.Fatalf("entries = %v, want %v", got, want)
	}
}

func TestSplitsOnlyWhenNeeded(t *testing.T) {
	b := newMem(windowsRule)
	s := storeFor("windows", b)
	ctx := t.Context()
	if err := s.Set(ctx, "r", resource.SecretPassword, token(6, 2560)); err != nil {
		t.Fatal(err)
	}
	if got := b.accounts(); !slices.Equal(got, []string{"r/index", "r/password"}) {
		t.Fatalf("a value at the limit was split: %v", got)
	}
	if err := s.Set(ctx, "r", resource.SecretPassword, token(7, 10*1024)); err != nil {
		t.Fatal(err)
	}
	// 10 KB in 2560-byte parts: 4 chunks, plus the head and the index.
	if got := b.accounts(); len(got) != 6 {
		t.Fatalf("entries after a 10 KB value = %v, want head, index and 4 chunks", got)
	}
}

func TestMaxValueBytesOption(t *testing.T) {
	b := newMem(func(_, _, v string) error {
		if len(v) > 200 {
			return keyring.ErrSetDataTooBig
		}
		return nil
	})
	s := New(b, Options{MaxValueBytes: 200})
	value := token(8, 1000)
	if err := s.Set(t.Context(), "r", resource.SecretAPIKey, value); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(t.Context(), "r", resource.SecretAPIKey); err != nil || got != value {
		t.Fatalf("Get = %d bytes, %v", len(got), err)
	}
	if n := len(b.accounts()); n < 7 {
		t.Fatalf("%d entries; want 1000 bytes split in at least 5 chunks", n)
	}
	tiny := New(newMem(nil), Options{MaxValueBytes: 10})
	if err := tiny.Set(t.Context(), "r", resource.SecretAPIKey, value); err == nil || !strings.Contains(err.Error(), "too little") {
		t.Fatalf("Set with a 10-byte entry limit: %v, want a clear refusal", err)
	}
}

func TestMissing(t *testing.T) {
	for _, p := range platforms {
		t.Run(p.goos, func(t *testing.T) {
			s := storeFor(p.goos, newMem(p.rule))
			ctx := t.Context()
			_, err := s.Get(ctx, "nobody", resource.SecretPassword)
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("Get of a missing secret: %v, want ErrNotFound", err)
			}
			if errors.Is(err, ErrUnavailable) || errors.Is(err, ErrCorrupt) {
				t.Fatalf("missing secret reported as %v", err)
			}
			if err := s.Delete(ctx, "nobody", resource.SecretPassword); err != nil {
				t.Fatalf("Delete of a missing secret: %v", err)
			}
			if err := s.DeleteAll(ctx, "nobody"); err != nil {
				t.Fatalf("DeleteAll of a resource without secrets: %v", err)
			}
			if kinds, err := s.Kinds(ctx, "nobody"); err != nil || len(kinds) != 0 {
				t.Fatalf("Kinds = %v, %v; want none", kinds, err)
			}
		})
	}
}

// Through go-keyring itself, with its in-memory mock as the provider.
func TestKeyringMock(t *testing.T) {
	keyring.MockInit()
	b := keyringBackend{checkBus: func() error { return nil }}
	s := New(b, Options{MaxValueBytes: 2560})
	ctx := t.Context()
	value := token(9, 10*1024)
	if err := s.Set(ctx, "r", resource.SecretOAuthToken, value); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, "r", resource.SecretOAuthToken); err != nil || got != value {
		t.Fatalf("Get = %d bytes, %v", len(got), err)
	}
	if _, err := s.Get(ctx, "r", resource.SecretPassword); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a missing secret: %v, want ErrNotFound", err)
	}
	if err := s.DeleteAll(ctx, "r"); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(Service, indexAccount("r")); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("index left behind after DeleteAll: %v", err)
	}
	if _, err := s.Get(ctx, "r", resource.SecretOAuthToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after DeleteAll: %v, want ErrNotFound", err)
	}

	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.NoReply: no reply"))
	_, err := s.Get(ctx, "r", resource.SecretOAuthToken)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Get with a failing keyring: %v, want ErrUnavailable", err)
	}
	if err := s.Set(ctx, "r", resource.SecretOAuthToken, value); !errors.Is(err, ErrUnavailable) || strings.Contains(err.Error(), value) {
		t.Fatalf("Set with a failing keyring: %v", err)
	}
}

func TestCorruptValue(t *testing.T) {
	value := token(10, 10*1024)
	cases := []struct {
		name    string
		damage  func(b *memBackend, chunks []string)
		message string
	}{
		{"missing chunk", func(b *memBackend, chunks []string) { b.remove(chunks[2]) }, "missing part 3 of 4"},
		{"changed chunk", func(b *memBackend, chunks []string) { b.put(chunks[1], token(11, 2560)) }, "checksum"},
		{"swapped chunks", func(b *memBackend, chunks []string) {
			s := b.snapshot()
			b.put(chunks[0], s[chunks[1]])
			b.put(chunks[1], s[chunks[0]])
		}, "checksum"},
		{"unreadable header", func(b *memBackend, _ []string) { b.put("r/oauth-token", headPrefix+"junk") }, "unreadable header"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newMem(windowsRule)
			s := storeFor("windows", b)
			if err := s.Set(t.Context(), "r", resource.SecretOAuthToken, value); err != nil {
				t.Fatal(err)
			}
			var chunks []string
			for _, a := range b.accounts() {
				if strings.HasPrefix(a, "r/oauth-token/") {
					chunks = append(chunks, a)
				}
			}
			slices.SortFunc(chunks, func(x, y string) int { return len(x) - len(y) }) // "/10" after "/9"
			if len(chunks) != 4 {
				t.Fatalf("chunks = %v, want 4", chunks)
			}
			c.damage(b, chunks)
			got, err := s.Get(t.Context(), "r", resource.SecretOAuthToken)
			if !errors.Is(err, ErrCorrupt) || got != "" {
				t.Fatalf("Get = %d bytes, %v; want nothing and ErrCorrupt", len(got), err)
			}
			if !strings.Contains(err.Error(), c.message) {
				t.Errorf("error %q does not say %q", err, c.message)
			}
			assertNoSecret(t, err, b)
			// Storing it again repairs it.
			if err := s.Set(t.Context(), "r", resource.SecretOAuthToken, value); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Get(t.Context(), "r", resource.SecretOAuthToken); err != nil || got != value {
				t.Fatalf("Get after repair = %d bytes, %v", len(got), err)
			}
		})
	}
}

// assertNoSecret fails when err quotes any stored value (other than the index).
func assertNoSecret(t *testing.T, err error, b *memBackend) {
	t.Helper()
	for account, v := range b.snapshot() {
		if len(v) >= 8 && !strings.HasSuffix(account, "/"+indexName) && strings.Contains(err.Error(), v) {
			t.Errorf("error quotes the value of %s: %v", account, err)
		}
	}
}

func TestFailedWriteKeepsOldValue(t *testing.T) {
	old := token(12, 10*1024)
	next := token(13, 9*1024)
	failure := errors.New("credential manager refused")
	cases := []struct {
		name string
		fail func(user string, n int) bool // n counts the writes of the new value, from 1
	}{
		{"first chunk", func(u string, n int) bool { return strings.Count(u, "/") == 3 }},
		{"third chunk", func(u string, n int) bool { return strings.HasSuffix(u, "/2") && strings.Count(u, "/") == 3 }},
		{"head", func(u string, n int) bool { return u == "r/oauth-token" }},
		{"index", func(u string, n int) bool { return u == "r/index" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newMem(windowsRule)
			s := storeFor("windows", b)
			ctx := t.Context()
			if err := s.Set(ctx, "r", resource.SecretOAuthToken, old); err != nil {
				t.Fatal(err)
			}
			before := b.snapshot()
			n := 0
			b.failSet = func(user string) error {
				n++
				if c.fail(user, n) {
					return failure
				}
				return nil
			}
			err := s.Set(ctx, "r", resource.SecretOAuthToken, next)
			if !errors.Is(err, failure) {
				t.Fatalf("Set = %v, want the backend's failure", err)
			}
			assertNoSecret(t, err, b)
			if strings.Contains(err.Error(), next) {
				t.Fatal("error quotes the new value")
			}
			b.failSet = nil
			got, err := s.Get(ctx, "r", resource.SecretOAuthToken)
			if err != nil || got != old {
				t.Fatalf("after a failed Set, Get = %d bytes, %v; want the old value whole", len(got), err)
			}
			// The half-written value was cleaned up: the keychain is as before.
			if after := b.accounts(); !slices.Equal(after, slices.Sorted(mapKeys(before))) {
				t.Fatalf("entries after the failed Set = %v, before = %v", after, slices.Sorted(mapKeys(before)))
			}
		})
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// A failed write whose cleanup also fails leaves its chunks recorded in the index, and the next
// Set, Delete or DeleteAll removes them.
func TestLeftoverChunksAreCleanedLater(t *testing.T) {
	for _, next := range []string{"set", "delete", "delete-all"} {
		t.Run(next, func(t *testing.T) {
			b := newMem(windowsRule)
			s := storeFor("windows", b)
			ctx := t.Context()
			refused := errors.New("refused")
			b.failSet = func(user string) error {
				if user == "r/oauth-token" {
					return refused
				}
				return nil
			}
			b.failDelete = func(string) error { return refused }
			if err := s.Set(ctx, "r", resource.SecretOAuthToken, token(14, 8000)); !errors.Is(err, refused) {
				t.Fatalf("Set = %v, want the head write to fail", err)
			}
			b.failSet, b.failDelete = nil, nil
			if got := b.accounts(); len(got) != 5 {
				t.Fatalf("entries = %v, want the index and 4 leftover chunks", got)
			}
			if idx := b.snapshot()["r/index"]; !strings.Contains(idx, `"chunks"`) {
				t.Fatalf("index %s does not record the leftover chunks", idx)
			}
			if _, err := s.Get(ctx, "r", resource.SecretOAuthToken); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Get = %v, want ErrNotFound: the head was never written", err)
			}
			var want []string
			switch next {
			case "set":
				if err := s.Set(ctx, "r", resource.SecretOAuthToken, "short"); err != nil {
					t.Fatal(err)
				}
				want = []string{"r/index", "r/oauth-token"}
				if idx := b.snapshot()["r/index"]; strings.Contains(idx, "chunks") {
					t.Fatalf("index still lists chunks: %s", idx)
				}
			case "delete":
				if err := s.Delete(ctx, "r", resource.SecretOAuthToken); err != nil {
					t.Fatal(err)
				}
			case "delete-all":
				if err := s.DeleteAll(ctx, "r"); err != nil {
					t.Fatal(err)
				}
			}
			if got := b.accounts(); !slices.Equal(got, want) {
				t.Fatalf("entries = %v, want %v", got, want)
			}
		})
	}
}

func TestReplaceRemovesStaleChunks(t *testing.T) {
	cases := []struct {
		name        string
		first, then string
		want        int // entries afterwards
	}{
		{"longer by shorter split value", token(15, 10*1024), token(16, 3000), 4},  // head, index, 2 chunks
		{"split value by short value", token(17, 10*1024), "short", 2},             // head, index
		{"short value by split value", "short", token(18, 6*1024), 5},              // head, index, 3 chunks
		{"split value by the same value", token(19, 6*1024), token(19, 6*1024), 5}, // head, index, 3 chunks
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newMem(windowsRule)
			s := storeFor("windows", b)
			ctx := t.Context()
			for _, v := range []string{c.first, c.then} {
				if err := s.Set(ctx, "r", resource.SecretOAuthToken, v); err != nil {
					t.Fatal(err)
				}
			}
			if got := b.accounts(); len(got) != c.want {
				t.Fatalf("entries = %v, want %d", got, c.want)
			}
			if got, err := s.Get(ctx, "r", resource.SecretOAuthToken); err != nil || got != c.then {
				t.Fatalf("Get = %d bytes, %v", len(got), err)
			}
		})
	}
}

func TestDeleteAll(t *testing.T) {
	for _, p := range platforms {
		t.Run(p.goos, func(t *testing.T) {
			b := newMem(p.rule)
			s := storeFor(p.goos, b)
			ctx := t.Context()
			for i, k := range knownKinds {
				if err := s.Set(ctx, "r", k, token(uint64(20+i), 1000*(i*2+1))); err != nil {
					t.Fatal(err)
				}
			}
			// A kind apidesk does not know yet, and another resource that must stay.
			if err := s.Set(ctx, "r", "refresh-token", token(30, 7000)); err != nil {
				t.Fatal(err)
			}
			if err := s.Set(ctx, "other", resource.SecretPassword, "keep me"); err != nil {
				t.Fatal(err)
			}
			kinds, err := s.Kinds(ctx, "r")
			if err != nil || len(kinds) != len(knownKinds)+1 {
				t.Fatalf("Kinds = %v, %v", kinds, err)
			}
			if !slices.IsSorted(kinds) {
				t.Errorf("Kinds not sorted: %v", kinds)
			}
			if err := s.DeleteAll(ctx, "r"); err != nil {
				t.Fatal(err)
			}
			if got := b.accounts(); !slices.Equal(got, []string{"other/index", "other/password"}) {
				t.Fatalf("entries after DeleteAll = %v", got)
			}
		})
	}
}

// Without its index, DeleteAll still removes the known kinds.
func TestDeleteAllWithDamagedIndex(t *testing.T) {
	b := newMem(nil)
	s := storeFor("linux", b)
	ctx := t.Context()
	for _, k := range []resource.SecretKind{resource.SecretPassword, resource.SecretClientSecret} {
		if err := s.Set(ctx, "r", k, "secret "+string(k)); err != nil {
			t.Fatal(err)
		}
	}
	b.put("r/index", "{not json")
	if _, err := s.Kinds(ctx, "r"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Kinds with a damaged index: %v, want ErrCorrupt", err)
	}
	if err := s.Set(ctx, "r", resource.SecretAPIKey, "x"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Set with a damaged index: %v, want ErrCorrupt", err)
	}
	if err := s.Delete(ctx, "r", resource.SecretPassword); err != nil {
		t.Fatalf("Delete with a damaged index: %v", err)
	}
	if err := s.DeleteAll(ctx, "r"); err != nil {
		t.Fatal(err)
	}
	if got := b.accounts(); len(got) != 0 {
		t.Fatalf("entries after DeleteAll = %v", got)
	}
}

func TestDelete(t *testing.T) {
	b := newMem(windowsRule)
	s := storeFor("windows", b)
	ctx := t.Context()
	if err := s.Set(ctx, "r", resource.SecretOAuthToken, token(31, 6000)); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, "r", resource.SecretClientSecret, "cs"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "r", resource.SecretOAuthToken); err != nil {
		t.Fatal(err)
	}
	if got := b.accounts(); !slices.Equal(got, []string{"r/client-secret", "r/index"}) {
		t.Fatalf("entries = %v", got)
	}
	if kinds, _ := s.Kinds(ctx, "r"); !slices.Equal(kinds, []resource.SecretKind{resource.SecretClientSecret}) {
		t.Fatalf("Kinds = %v", kinds)
	}
	if err := s.Delete(ctx, "r", resource.SecretClientSecret); err != nil {
		t.Fatal(err)
	}
	if got := b.accounts(); len(got) != 0 {
		t.Fatalf("entries = %v, want none (the empty index is removed too)", got)
	}
}

func TestHangingBackend(t *testing.T) {
	h := newHang()
	s := New(h, Options{Timeout: time.Hour})

	// The first call starts, hangs, and its caller gets ErrUnavailable when its deadline passes.
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := s.Get(ctx, "r", resource.SecretPassword)
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get on a hung keychain: %v, want ErrUnavailable", err)
	}
	if ctx.Err() == nil {
		t.Fatal("Get returned before its deadline without an answer")
	}
	if !strings.Contains(err.Error(), "did not answer") || !strings.Contains(err.Error(), "unlock") {
		t.Errorf("error does not say what happened and what to do: %v", err)
	}
	<-h.started

	// While it hangs, no other backend call starts: later callers wait on their own context.
	for _, call := range []func(context.Context) error{
		func(ctx context.Context) error { _, err := s.Get(ctx, "r", resource.SecretPassword); return err },
		func(ctx context.Context) error { return s.Set(ctx, "r", resource.SecretPassword, "p") },
		func(ctx context.Context) error { return s.DeleteAll(ctx, "r") },
	} {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		err := call(ctx)
		cancel()
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "earlier keychain request") {
			t.Fatalf("call while the keychain hangs: %v, want ErrUnavailable naming the earlier request", err)
		}
	}
	// A caller that cancels is told so, not that the keychain is unavailable.
	cctx, ccancel := context.WithCancel(t.Context())
	ccancel()
	if err := s.Delete(cctx, "r", resource.SecretPassword); !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) {
		t.Fatalf("canceled Delete: %v, want context.Canceled", err)
	}
	if n := h.calls.Load() + int64(len(h.started)); n != 0 {
		t.Fatalf("%d more backend calls started while the first one hung", n)
	}

	// Once the hung call returns, the Store works again.
	close(h.release)
	if err := s.Set(t.Context(), "r", resource.SecretPassword, "p"); err != nil {
		t.Fatalf("Set after the keychain answered: %v", err)
	}
	if got, err := s.Get(t.Context(), "r", resource.SecretPassword); err != nil || got != "p" {
		t.Fatalf("Get after the keychain answered = %q, %v", got, err)
	}
}

// A caller without a deadline gets Options.Timeout.
func TestDefaultTimeout(t *testing.T) {
	h := newHang()
	defer close(h.release)
	s := New(h, Options{Timeout: 20 * time.Millisecond})
	if err := s.Set(context.Background(), "r", resource.SecretPassword, "p"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Set without a deadline on a hung keychain: %v, want ErrUnavailable", err)
	}
	if err := s.Set(context.Background(), "r", resource.SecretPassword, "p"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("second Set without a deadline on a hung keychain: %v, want ErrUnavailable", err)
	}
	if n := len(h.started); n != 1 {
		t.Fatalf("%d backend calls started, want 1", n)
	}
}

// Many goroutines sharing one Store each read back exactly what they wrote.
func TestConcurrentUse(t *testing.T) {
	b := newMem(windowsRule)
	s := storeFor("windows", b)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			// i%4 and i%5 together are different for each i below 20.
			id, k := fmt.Sprintf("r%d", i%4), knownKinds[i%5]
			v := token(uint64(100+i), 2000+i*300)
			if err := s.Set(t.Context(), id, k, v); err != nil {
				errs <- err
				return
			}
			if got, err := s.Get(t.Context(), id, k); err != nil || got != v {
				errs <- fmt.Errorf("Get(%s, %s) = %d bytes, %v; want the %d bytes written", id, k, len(got), err, len(v))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := range 4 {
		if kinds, err := s.Kinds(t.Context(), fmt.Sprintf("r%d", i)); err != nil || len(kinds) != 5 {
			t.Errorf("Kinds(r%d) = %v, %v; want all 5", i, kinds, err)
		}
		if err := s.DeleteAll(t.Context(), fmt.Sprintf("r%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if got := b.accounts(); len(got) != 0 {
		t.Fatalf("entries after DeleteAll = %v", got)
	}
}

func TestNames(t *testing.T) {
	s := storeFor("linux", newMem(nil))
	ctx := t.Context()
	for _, id := range []string{"", "a/b", "a b", "a\nb", "é", strings.Repeat("x", maxResourceIDLen+1)} {
		if err := s.Set(ctx, id, resource.SecretPassword, "p"); err == nil {
			t.Errorf("Set accepted resource ID %q", id)
		}
	}
	for _, k := range []resource.SecretKind{"", "index", "Password", "a/b", "a:b"} {
		if err := s.Set(ctx, "r", k, "p"); err == nil {
			t.Errorf("Set accepted kind %q", k)
		}
	}
	for _, id := range []string{"0193a3f1-7c2e-7d4b-9a8e-3f2b1c0d9e8f", "res_1.v2", strings.Repeat("x", maxResourceIDLen)} {
		if err := s.Set(ctx, id, resource.SecretPassword, "p"); err != nil {
			t.Errorf("Set refused resource ID %q: %v", id, err)
		}
	}
}

// The macOS limit keeps every entry's Set command within go-keyring's 4096-byte line, for the
// longest account names apidesk makes.
func TestDarwinLimit(t *testing.T) {
	for _, id := range []string{"r", strings.Repeat("x", maxResourceIDLen)} {
		account := chunkAccount(id, resource.SecretClientSecret, newGen(), 999)
		n := darwinLimit(account)
		if n < 2500 {
			t.Errorf("limit for %d-byte account = %d, suspiciously small", len(account), n)
		}
		if err := darwinRule(Service, account, token(40, n)); err != nil {
			t.Errorf("a value at the limit (%d bytes) for %s is refused: %v", n, account, err)
		}
	}
}
