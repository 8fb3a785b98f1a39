//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package oauth

import "os"

// tryLock: this platform has no file lock apidesk uses, so only the refreshes within one process are shared.
func tryLock(*os.File) (bool, error) { return true, nil }

func unlockFile(*os.File) error { return nil }
