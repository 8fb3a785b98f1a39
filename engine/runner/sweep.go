package runner

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The temp files of long bodies are named apidesk-body-p<pid>-<random>, after the process that wrote them, so
// that SweepTemp can tell a crashed apidesk's files from those of one still running. Older apidesks wrote
// apidesk-body-<random>.
const tempPrefix = "apidesk-body-"

func tempPattern() string { return tempPrefix + "p" + strconv.Itoa(os.Getpid()) + "-*" }

// How old a left-over temp file must be before SweepTemp removes it. A file whose process is gone is removed
// after sweepDeadAfter: not at once, as a process in another PID namespace (a container or sandbox sharing the
// temp folder) may look dead while it still shows the body. A file without a process (an older apidesk's)
// waits sweepUnknownAfter.
const (
	sweepDeadAfter    = time.Hour
	sweepUnknownAfter = 24 * time.Hour
)

// SweepTemp removes the response temp files that an apidesk which crashed or was killed left in the runner's
// TempDir: files written by a process that is no longer running, and files of an older apidesk that are more
// than a day old. It never removes a file of a running apidesk, nor any other file. It returns how many files
// it removed; a file it cannot remove is an error only when it is sure the file is stale.
func (r *Runner) SweepTemp() (int, error) {
	dir := r.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	paths, err := filepath.Glob(filepath.Join(dir, tempPrefix+"*"))
	if err != nil {
		return 0, err
	}
	now := time.Now()
	removed := 0
	var errs []error
	for _, path := range paths {
		after, owner := sweepUnknownAfter, 0
		rest := strings.TrimPrefix(filepath.Base(path), tempPrefix)
		if pid, _, ok := strings.Cut(strings.TrimPrefix(rest, "p"), "-"); ok && strings.HasPrefix(rest, "p") {
			n, err := strconv.Atoi(pid)
			if err != nil || n <= 0 {
				continue // not a name this runner writes
			}
			after, owner = sweepDeadAfter, n
		} else if _, err := strconv.ParseUint(rest, 10, 32); err != nil {
			continue // not a name os.CreateTemp made from our pattern
		}
		info, err := os.Lstat(path)
		if err != nil || !info.Mode().IsRegular() || now.Sub(info.ModTime()) < after {
			continue
		}
		if owner != 0 && (owner == os.Getpid() || running(owner)) {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	if len(errs) > 0 {
		return removed, fmt.Errorf("cannot remove %d old response temp files: %w", len(errs), errors.Join(errs...))
	}
	return removed, nil
}

// running reports whether a process with the ID pid exists; when it cannot tell, it says yes. On Unix, signal 0
// checks without sending anything (EPERM: it exists, as another user's); on Windows, FindProcess fails with
// ERROR_INVALID_PARAMETER (87) for a process that is gone, and Signal(0) is not supported, which counts as
// running. FindProcess does not fail on Unix.
func running(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return !errors.Is(err, syscall.Errno(87))
	}
	defer p.Release()
	err = p.Signal(syscall.Signal(0))
	return !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.ESRCH)
}
