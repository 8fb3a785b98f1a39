package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// lockPoll is how often a process waiting for another one's refresh tries the lock again.
const lockPoll = 25 * time.Millisecond

// lockFile takes the cross-process lock for one resource's tokens, waiting until ctx is done. It returns the
// function that releases it.
func (c *Client) lockFile(ctx context.Context, resourceID string) (unlock func(), err error) {
	dir := c.LockDir
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("could not find a folder for lock files (set XDG_CACHE_HOME or HOME): %w", err)
		}
		dir = filepath.Join(cache, "apidesk", "locks")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("could not create the lock folder %s: %w", dir, err)
	}
	sum := sha256.Sum256([]byte(resourceID)) // any ID makes a safe file name
	path := filepath.Join(dir, "oauth-"+hex.EncodeToString(sum[:8])+".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("could not open the lock file %s: %w", path, err)
	}
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("could not lock %s: %w", path, err)
		}
		if ok {
			return func() {
				_ = unlockFile(f)
				f.Close()
			}, nil
		}
		t := time.NewTimer(lockPoll)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, fmt.Errorf("waited too long for another apidesk to finish refreshing the sign-in: %w", ctx.Err())
		}
	}
}
