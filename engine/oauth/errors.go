package oauth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"apidesk/engine/resource"
)

// Errors callers branch on. Match them with errors.Is.
var (
	// ErrNotSignedIn: the resource has no usable token; the person must sign in (again). A *SignInNeededError
	// says why. It wraps resource.ErrNotSignedIn, the runner's own, so the runner's callers (the window's sign-in
	// prompt, the CLI's hint) recognise a Client's errors without an adapter.
	ErrNotSignedIn = fmt.Errorf("%w: sign in to this resource first", resource.ErrNotSignedIn)

	// ErrNeedsClientSecret: the client secret is not in this person's keychain (a workspace shared through git
	// holds the client configuration, never the secret). Ask for it and store it as resource.SecretClientSecret.
	ErrNeedsClientSecret = errors.New("This resource needs its client secret: paste it from the app you registered with the provider; apidesk keeps it in your keychain")

	// ErrAccessDenied: the person (or the provider) declined the sign-in.
	ErrAccessDenied = errors.New("access was denied")

	// ErrTimeout: no answer came from the browser or the device in time.
	ErrTimeout = errors.New("sign-in timed out")

	// ErrRevocationFailed: sign-out deleted the tokens here but the provider did not confirm revoking them.
	ErrRevocationFailed = errors.New("the provider did not confirm the revocation")

	// ErrNotOAuth: the resource does not use OAuth 2.0.
	ErrNotOAuth = errors.New("this resource does not use OAuth 2.0")
)

// SignInNeededError says why a resource needs a new sign-in. It matches ErrNotSignedIn.
type SignInNeededError struct {
	Reason string // in the person's words: "signed out — sign in again", "the sign-in expired"
	Err    error  // what the server said, when it said something (a *ServerError); may be nil
}

func (e *SignInNeededError) Error() string {
	msg := e.Reason
	if msg == "" {
		msg = "not signed in"
	}
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// Is makes errors.Is(err, ErrNotSignedIn) and errors.Is(err, resource.ErrNotSignedIn) true.
func (e *SignInNeededError) Is(target error) bool {
	return target == ErrNotSignedIn || target == resource.ErrNotSignedIn
}

func (e *SignInNeededError) Unwrap() error { return e.Err }

// ServerError is an error answer from the authorization server's token, device or revocation endpoint. It
// shows the server's error code and description and the HTTP status, never the request or response body.
// It unwraps to the *oauth2.RetrieveError when golang.org/x/oauth2 made the request.
type ServerError struct {
	Endpoint    string // "token", "device authorization", "revocation"
	Status      int    // HTTP status; 200 when the server put an error in a successful answer
	Code        string // RFC 6749 §5.2 error, e.g. invalid_grant
	Description string // error_description
	Err         error
}

func (e *ServerError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the %s endpoint refused the request", e.Endpoint)
	switch {
	case e.Code != "" && e.Description != "":
		fmt.Fprintf(&b, ": %s: %s", e.Code, clip(e.Description, 300))
	case e.Code != "":
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d %s)", e.Status, http.StatusText(e.Status))
	}
	if hint := hints[e.Code]; hint != "" {
		b.WriteString(": " + hint)
	}
	return b.String()
}

func (e *ServerError) Unwrap() error { return e.Err }

// deadGrant reports whether the server said the refresh token itself is no good (expired, revoked, reused):
// invalid_grant (RFC 6749 §5.2), or invalid_token, which some providers send for a dead refresh token. Only
// then is a sign-in ended. A proxy's 407, a 404 from a mistyped URL or invalid_client after a rotated client
// secret say nothing about the tokens.
func (e *ServerError) deadGrant() bool {
	return e.Code == "invalid_grant" || e.Code == "invalid_token"
}

// UnsavedError: the provider issued tokens that the keychain would not store. They are kept in memory and
// saved again on their next use; until then they are lost when the program exits.
type UnsavedError struct {
	Err error // from the keychain
}

func (e *UnsavedError) Error() string {
	return "the sign-in could not be saved in the keychain (unlock it, or allow apidesk to use it): it works until apidesk closes, and apidesk tries to save it again on the next request: " + e.Err.Error()
}

func (e *UnsavedError) Unwrap() error { return e.Err }

var hints = map[string]string{
	"invalid_client":         "check the client ID, the client secret and the client authentication (basic or body)",
	"unauthorized_client":    "the provider does not let this client use this kind of sign-in; check the app's settings there",
	"invalid_scope":          "one of the scopes is unknown to the provider or not allowed for this client",
	"redirect_uri_mismatch":  "register the redirect URI apidesk showed with the provider",
	"unsupported_grant_type": "the provider does not support this kind of sign-in for this client",
}

// serverError turns an error from golang.org/x/oauth2 into a *ServerError when the server answered.
func serverError(endpoint string, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return err
	}
	se := &ServerError{Endpoint: endpoint, Code: re.ErrorCode, Description: re.ErrorDescription, Err: re}
	if re.Response != nil {
		se.Status = re.Response.StatusCode
	}
	return se
}

// AuthorizationError is an error the authorization endpoint sent back to the redirect URI (RFC 6749 §4.1.2.1).
// access_denied matches ErrAccessDenied.
type AuthorizationError struct {
	Code        string
	Description string
}

func (e *AuthorizationError) Error() string {
	if e.Code == "access_denied" {
		msg := "access was denied in the browser: sign in again and allow apidesk access"
		if e.Description != "" {
			msg += " (" + clip(e.Description, 300) + ")"
		}
		return msg
	}
	msg := "the provider refused the sign-in: " + e.Code
	if e.Description != "" {
		msg += ": " + clip(e.Description, 300)
	}
	if hint := hints[e.Code]; hint != "" {
		msg += ": " + hint
	}
	return msg
}

// Is makes errors.Is(err, ErrAccessDenied) true for access_denied.
func (e *AuthorizationError) Is(target error) bool {
	return target == ErrAccessDenied && e.Code == "access_denied"
}

// clip shortens s to at most n bytes on a rune boundary and removes line breaks, so an error stays one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
