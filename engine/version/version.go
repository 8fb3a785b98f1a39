// Package version carries the version and commit stamped into the binaries at build time
// (go build -ldflags "-X apidesk/engine/version.Version=… -X apidesk/engine/version.Commit=…").
package version

// Set by the linker; "dev" and "unknown" in a plain go build.
var (
	Version = "dev"
	Commit  = "unknown"
)

// String is "apidesk VERSION (COMMIT)".
func String() string { return "apidesk " + Version + " (" + Commit + ")" }
