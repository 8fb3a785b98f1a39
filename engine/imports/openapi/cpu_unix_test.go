//go:build unix

package openapi

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the process has used (on a busy machine the clock says more).
func cpuTime() time.Duration {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
