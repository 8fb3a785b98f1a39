package secret

import "runtime"

// Per-entry size limits of the platforms' keychains, as go-keyring v0.2.8 meets them.
const (
	// windowsMaxValue is Credential Manager's limit on one credential's blob
	// (CRED_MAX_CREDENTIAL_BLOB_SIZE, 5*512 bytes); go-keyring refuses anything longer.
	windowsMaxValue = 2560
	// darwinCommandBudget bounds the line go-keyring writes to `security -i` for Set:
	//	add-generic-password -U -s SERVICE -a ACCOUNT -w go-keyring-base64:BASE64(VALUE)\n
	// go-keyring refuses lines over 4096 bytes; `security` reads them into a buffer of that size,
	// so we stay well below it.
	darwinCommandBudget = 4000
)

// platformLimit is the entry size limit of the keychain this program runs with.
func platformLimit() func(account string) int {
	return limitFor(runtime.GOOS)
}

// limitFor returns the largest value one entry named account may hold on goos, or nil when the
// platform has no limit worth splitting values for (the Secret Service: gnome-keyring rewrites
// its whole file on every write, so more entries would only cost more).
func limitFor(goos string) func(account string) int {
	switch goos {
	case "windows":
		return func(string) int { return windowsMaxValue }
	case "darwin":
		return darwinLimit
	default:
		return nil
	}
}

// darwinLimit is the largest value whose Set command line fits darwinCommandBudget. The service,
// the account names checkResourceID and checkKind allow, and base64 need no shell quoting.
func darwinLimit(account string) int {
	overhead := len("add-generic-password -U -s ") + len(Service) + len(" -a ") + len(account) +
		len(" -w ") + len("go-keyring-base64:") + len("\n")
	base64Len := darwinCommandBudget - overhead
	if base64Len < 4 {
		return 1 // too long an account name: split reports it
	}
	return base64Len / 4 * 3
}
