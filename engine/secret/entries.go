package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"apidesk/engine/resource"
)

// How a resource's entries are named (all under Service):
//
//	<resourceID>/<kind>                 the head: the value itself, or a chunk header
//	<resourceID>/<kind>/<gen>/<i>       chunk i (from 0) of a split value written as generation gen
//	<resourceID>/index                  the index: which kinds and chunk generations exist
//
// A split value's head reads "apidesk-chunked:v1:<gen>:<count>:<sha256 of the whole value>".
// A value that itself starts with headPrefix is always split, so a head is never mistaken for a
// value. Every chunk generation is listed in the index before its first chunk is written and
// stays listed until all its chunks are deleted, so DeleteAll finds every entry.
const (
	indexName  = "index"
	headPrefix = "apidesk-chunked:v1:"
	// minChunk is the smallest useful chunk; a smaller entry limit is a configuration error.
	minChunk = 64
)

func headAccount(id string, k resource.SecretKind) string { return id + "/" + string(k) }

func indexAccount(id string) string { return id + "/" + indexName }

func chunkAccount(id string, k resource.SecretKind, gen string, i int) string {
	return headAccount(id, k) + "/" + gen + "/" + strconv.Itoa(i)
}

// index is the secret-free record of what apidesk stored for one resource.
type index struct {
	Version int                   `json:"version"`
	Kinds   []resource.SecretKind `json:"kinds"`
	Chunks  []chunkSet            `json:"chunks,omitempty"`
	Origins *origins              `json:"origins,omitempty"` // where the secrets were saved for; nil: not recorded yet
}

// origins is resource.Origins as the index stores it. An apidesk older than the record ignores it (and drops it
// when it rewrites the index: the next use then binds the secrets again, see Store.Origins).
type origins struct {
	API   string `json:"api,omitempty"`
	Token string `json:"token,omitempty"`
	Proxy string `json:"proxy,omitempty"`
}

// chunkSet is one generation of chunks of a split value.
type chunkSet struct {
	Kind  resource.SecretKind `json:"kind"`
	Gen   string              `json:"gen"`
	Count int                 `json:"count"`
}

func (x *index) addKind(k resource.SecretKind) bool {
	if slices.Contains(x.Kinds, k) {
		return false
	}
	x.Kinds = append(x.Kinds, k)
	slices.Sort(x.Kinds)
	return true
}

func (x *index) removeKind(k resource.SecretKind) bool {
	n := len(x.Kinds)
	x.Kinds = slices.DeleteFunc(x.Kinds, func(have resource.SecretKind) bool { return have == k })
	return len(x.Kinds) != n
}

func (x *index) removeChunks(c chunkSet) {
	x.Chunks = slices.DeleteFunc(x.Chunks, func(have chunkSet) bool { return have == c })
}

// get, set and del are the backend's calls, bounded by the operation's context.
func (o *op) get(account string) (string, error) {
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	err := o.call(func() error {
		v, err := o.s.backend.Get(Service, account)
		ch <- result{v, err}
		return err
	})
	if err != nil {
		return "", err
	}
	return (<-ch).v, nil
}

func (o *op) set(account, value string) error {
	return o.call(func() error { return o.s.backend.Set(Service, account, value) })
}

// del deletes an entry; one that is not there is not an error.
func (o *op) del(account string) error {
	err := o.call(func() error { return o.s.backend.Delete(Service, account) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

func (o *op) read(id string, k resource.SecretKind) (string, error) {
	head, err := o.get(headAccount(id, k))
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("secret: no %s is stored for resource %s: %w", k, id, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("secret: reading the %s of resource %s: %w", k, id, err)
	}
	if !strings.HasPrefix(head, headPrefix) {
		return head, nil
	}
	damaged := func(what string) error {
		return fmt.Errorf("%w: the %s of resource %s %s; enter it again (or sign in again)", ErrCorrupt, k, id, what)
	}
	c, sum, ok := parseHead(k, head)
	if !ok {
		return "", damaged("has an unreadable header")
	}
	var b strings.Builder
	for i := range c.Count {
		part, err := o.get(chunkAccount(id, k, c.Gen, i))
		if errors.Is(err, ErrNotFound) {
			return "", damaged(fmt.Sprintf("is missing part %d of %d", i+1, c.Count))
		}
		if err != nil {
			return "", fmt.Errorf("secret: reading the %s of resource %s: %w", k, id, err)
		}
		b.WriteString(part)
	}
	got := sha256.Sum256([]byte(b.String()))
	if hex.EncodeToString(got[:]) != sum {
		return "", damaged("does not match its checksum (a part was changed or belongs to another value)")
	}
	return b.String(), nil
}

func formatHead(c chunkSet, value string) string {
	sum := sha256.Sum256([]byte(value))
	return headPrefix + c.Gen + ":" + strconv.Itoa(c.Count) + ":" + hex.EncodeToString(sum[:])
}

// parseHead reads a chunk header: the chunk set it points to and the hex SHA-256 of the value.
func parseHead(k resource.SecretKind, head string) (chunkSet, string, bool) {
	fields := strings.Split(strings.TrimPrefix(head, headPrefix), ":")
	if len(fields) != 3 {
		return chunkSet{}, "", false
	}
	gen, countText, sum := fields[0], fields[1], fields[2]
	count, err := strconv.Atoi(countText)
	if err != nil || count < 1 || gen == "" || strings.Contains(gen, "/") || len(sum) != sha256.Size*2 {
		return chunkSet{}, "", false
	}
	return chunkSet{Kind: k, Gen: gen, Count: count}, sum, true
}

// limitOf is the largest value the entry account may hold, or 0 for no limit.
func (o *op) limitOf(account string) int {
	if o.s.limit == nil {
		return 0
	}
	return o.s.limit(account)
}

func (o *op) needsChunks(account, value string) bool {
	if strings.HasPrefix(value, headPrefix) {
		return true
	}
	n := o.limitOf(account)
	return n > 0 && len(value) > n
}

// split cuts value, which is not empty, into chunks that fit their entries, at UTF-8 character
// boundaries.
func (o *op) split(id string, k resource.SecretKind, gen, value string) ([]string, error) {
	var parts []string
	for rest := value; rest != ""; {
		n := o.limitOf(chunkAccount(id, k, gen, len(parts)))
		if n <= 0 || n >= len(rest) {
			parts = append(parts, rest)
			break
		}
		if n < minChunk {
			return nil, fmt.Errorf("secret: the keychain holds only %d bytes per entry, too little to store the %s of resource %s", n, k, id)
		}
		for n > 0 && !utf8.RuneStart(rest[n]) {
			n--
		}
		parts = append(parts, rest[:n])
		rest = rest[n:]
	}
	return parts, nil
}

func newGen() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails.
	return hex.EncodeToString(b)
}

func (o *op) write(id string, k resource.SecretKind, value string) error {
	failed := func(err error) error {
		return fmt.Errorf("secret: storing the %s of resource %s: %w", k, id, err)
	}
	idx, err := o.readIndex(id)
	if err != nil {
		return failed(err)
	}
	head := headAccount(id, k)
	if !o.needsChunks(head, value) {
		if idx.addKind(k) {
			if err := o.writeIndex(id, idx); err != nil {
				return failed(err)
			}
		}
		if err := o.set(head, value); err != nil {
			return failed(err)
		}
		o.dropChunks(id, k, &idx, "")
		return nil
	}

	gen := newGen()
	parts, err := o.split(id, k, gen, value)
	if err != nil {
		return err
	}
	c := chunkSet{Kind: k, Gen: gen, Count: len(parts)}
	headValue := formatHead(c, value)
	if n := o.limitOf(head); n > 0 && len(headValue) > n {
		return fmt.Errorf("secret: the keychain holds only %d bytes per entry, too little to store the %s of resource %s", n, k, id)
	}
	// Record the new chunks before writing them, so nothing is ever stored that DeleteAll misses.
	idx.addKind(k)
	idx.Chunks = append(idx.Chunks, c)
	if err := o.writeIndex(id, idx); err != nil {
		return failed(err)
	}
	for i, part := range parts {
		if err := o.set(chunkAccount(id, k, gen, i), part); err != nil {
			o.abandon(id, &idx, c)
			return failed(err)
		}
	}
	// The head goes last: until it is written, Get still returns the earlier value, whole.
	if err := o.set(head, headValue); err != nil {
		o.abandon(id, &idx, c)
		return failed(err)
	}
	o.dropChunks(id, k, &idx, gen)
	return nil
}

// abandon removes the chunks of a write that failed, and their index record. It is best effort:
// whatever it cannot remove stays in the index for a later Set, Delete or DeleteAll.
func (o *op) abandon(id string, idx *index, c chunkSet) {
	if !o.held || o.ctx.Err() != nil {
		return
	}
	if o.deleteChunks(id, c) != nil {
		return
	}
	idx.removeChunks(c)
	_ = o.writeIndex(id, *idx)
}

// dropChunks deletes the chunks of every generation of k except keep (an older, longer value or
// a write that failed half way) and updates the index. It is best effort: the value is already
// stored, and chunks it cannot delete stay in the index.
func (o *op) dropChunks(id string, k resource.SecretKind, idx *index, keep string) {
	changed := false
	for _, c := range slices.Clone(idx.Chunks) {
		if c.Kind != k || c.Gen == keep {
			continue
		}
		if o.deleteChunks(id, c) != nil {
			break
		}
		idx.removeChunks(c)
		changed = true
	}
	if changed {
		_ = o.writeIndex(id, *idx)
	}
}

func (o *op) deleteChunks(id string, c chunkSet) error {
	for i := range c.Count {
		if err := o.del(chunkAccount(id, c.Kind, c.Gen, i)); err != nil {
			return err
		}
	}
	return nil
}

func (o *op) remove(id string, k resource.SecretKind) error {
	failed := func(err error) error {
		return fmt.Errorf("secret: deleting the %s of resource %s: %w", k, id, err)
	}
	idx, err := o.readIndex(id)
	indexOK := err == nil
	if err != nil && !errors.Is(err, ErrCorrupt) {
		return failed(err)
	}
	if err := o.del(headAccount(id, k)); err != nil {
		return failed(err)
	}
	if !indexOK {
		// A damaged index cannot say which chunks exist; DeleteAll replaces it.
		return nil
	}
	for _, c := range slices.Clone(idx.Chunks) {
		if c.Kind != k {
			continue
		}
		if err := o.deleteChunks(id, c); err != nil {
			return failed(err)
		}
		idx.removeChunks(c)
	}
	idx.removeKind(k)
	if err := o.writeIndex(id, idx); err != nil {
		return failed(err)
	}
	return nil
}

func (o *op) removeAll(id string) error {
	failed := func(err error) error {
		return fmt.Errorf("secret: deleting the secrets of resource %s (some may remain; try again): %w", id, err)
	}
	idx, err := o.readIndex(id)
	if err != nil && !errors.Is(err, ErrCorrupt) {
		return failed(err)
	}
	// The known kinds too, in case the index was lost or damaged.
	kinds := append(slices.Clone(idx.Kinds), knownKinds...)
	slices.Sort(kinds)
	for _, k := range slices.Compact(kinds) {
		if err := o.del(headAccount(id, k)); err != nil {
			return failed(err)
		}
	}
	for _, c := range idx.Chunks {
		if err := o.deleteChunks(id, c); err != nil {
			return failed(err)
		}
	}
	// The index goes last, so a DeleteAll that fails half way can be repeated.
	if err := o.del(indexAccount(id)); err != nil {
		return failed(err)
	}
	return nil
}

// readIndex returns the resource's index, empty when there is none, or an error wrapping
// ErrCorrupt (with an empty index) when it cannot be read.
func (o *op) readIndex(id string) (index, error) {
	empty := index{Version: 1}
	text, err := o.get(indexAccount(id))
	if errors.Is(err, ErrNotFound) {
		return empty, nil
	}
	if err != nil {
		return empty, err
	}
	var idx index
	if err := json.Unmarshal([]byte(text), &idx); err != nil || idx.Version != 1 {
		return empty, fmt.Errorf("%w: the keychain index of resource %s (entry %s/%s) cannot be read;"+
			" delete the resource's secrets and enter them again", ErrCorrupt, id, Service, indexAccount(id))
	}
	return idx, nil
}

// writeIndex stores idx, or deletes the index entry when idx records nothing.
func (o *op) writeIndex(id string, idx index) error {
	if len(idx.Kinds) == 0 && len(idx.Chunks) == 0 {
		return o.del(indexAccount(id))
	}
	b, err := json.Marshal(idx)
	if err != nil {
		return err
	}
	return o.set(indexAccount(id), string(b))
}

// setOrigins records the fields of set that are not "" in the index of a resource that has secrets.
func (o *op) setOrigins(id string, set resource.Origins) error {
	idx, err := o.readIndex(id)
	if err != nil {
		return err
	}
	if len(idx.Kinds) == 0 {
		return nil
	}
	rec := origins{}
	if idx.Origins != nil {
		rec = *idx.Origins
	}
	next := rec
	if set.API != "" {
		next.API = set.API
	}
	if set.Token != "" {
		next.Token = set.Token
	}
	if set.Proxy != "" {
		next.Proxy = set.Proxy
	}
	if idx.Origins != nil && next == rec {
		return nil
	}
	idx.Origins = &next
	return o.writeIndex(id, idx)
}
