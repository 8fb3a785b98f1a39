//go:build !unix

package openapi

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
