// Package curl reads a `curl …` command line into a request or a saved query, and writes a query back out as
// a curl command line that anyone can paste into bash.
//
// Parse understands what browsers' "Copy as cURL (bash)" produce (Chrome, Firefox, Safari) and what people
// type: bash quoting, $'…' strings, line continuations, $VARIABLES (which become {{variables}}), input from a
// file or a here-document, and the curl options that shape a request: bodies (-d, --data-binary, --json,
// --data-urlencode, -F multipart forms, -T and @file uploads), cookies (-b, also from a cookie file), -u with
// --digest, and network settings (-x, --noproxy, --cacert, --cert, --key, -k). Options that only change how
// curl itself behaves (-L, -s, -v, -o FILE, --compressed…) are accepted and ignored; options apidesk cannot
// reproduce (NTLM, --config, several requests…) are errors that name the option and say what to do instead.
//
// Import turns the command into a query on a resource. Credentials never end up in the query, because a query
// is saved in a workspace file a team may share: a -u password, an Authorization header, and an API key the
// resource sends (or a header or parameter that is plainly an API key when the resource has no authentication)
// are removed and returned as Credentials, so the caller can offer to keep them in the keychain as the
// resource's authentication. Other values that look secret (session cookies, CSRF tokens, password form
// fields) are replaced by {{variables}} and returned as Secrets, so the query asks for them when it runs and
// the file never holds them.
//
// Files: a body sent from a file (-F name=@FILE, --data-binary @FILE, -T FILE) stays a path (see Options.Dir),
// and a file that is not there when the command is read is kept with a note; the content of a -b cookie
// file, --data-urlencode name@FILE and -F name=<FILE goes into the request itself and is read then.
// Network settings (-x, --cacert, --cert…) belong to the resource, not the query: Import returns them
// apart, with the proxy's credentials and the key's passphrase as secrets for the keychain.
//
// Export renders the request the runner would send (runner.Preview: the same plan Send executes) as a curl
// command with every secret replaced by a placeholder (see the Placeholder constants); the command never
// contains a real password, token or key, because the preview never reads one. Multipart forms and file
// bodies become -F and --data-binary @FILE, Digest authentication -u user:{-password-} --digest, and the
// resource's network settings --proxy (without its credentials), --noproxy, --cacert, --cert, --key and
// --insecure.
package curl

import (
	"errors"
	"fmt"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// ErrSyntax is matched by errors.Is when the text is not a command line bash would run as one curl command.
var ErrSyntax = errors.New("the curl command cannot be read")

// ErrUnsupported is matched by errors.Is when the command uses an option or feature apidesk cannot reproduce.
var ErrUnsupported = errors.New("the curl command uses something apidesk cannot import")

// ErrBadRequest is matched by errors.Is when the command is well formed but describes a request apidesk cannot
// send (no URL, a bad header…), and when a query cannot be exported.
var ErrBadRequest = errors.New("the curl command's request is not valid")

// ErrNotUnderBase is matched by errors.Is when the command's URL is not under the resource's base URL.
var ErrNotUnderBase = errors.New("the URL is not under the resource's base URL")

// Request is the HTTP request a curl command line describes.
type Request struct {
	// Method is the method curl sends, upper case: as given with -X, else HEAD with -I, POST when there is
	// data, GET otherwise.
	Method string
	// URL is the full URL with its query string (-G data and --url-query included), without a #fragment or
	// user:password@ (those go to User and Password).
	URL string
	// Headers are the -H headers in command order, then those curl adds from -A, -e, --oauth2-bearer and
	// --json when no -H gave them. A Cookie header is not here: its cookies are in Cookies. A header written
	// "Name:" (curl's way to remove a header) is left out; "Name;" is a header with an empty value.
	Headers kv.List
	// Cookies come from the Cookie headers in order, or, when there is none, from -b (curl sends -b cookies
	// only when no -H gives a Cookie header).
	Cookies kv.List
	// Body is what the command sends: Kind none when it sends no data. The kind follows the content type
	// (the Content-Type header, else curl's default for the option used): JSON when it is JSON and the text
	// is valid JSON, or when no type was given and the text is a JSON object or array; form when it is
	// urlencoded and every field decodes; raw otherwise, with ContentType set to the type sent. -F fields are
	// a multipart body; data read from a file (-d @FILE, --data-binary @FILE, --json @FILE) and -T FILE are a
	// file body, with the type curl sends (none for -T unless a header gives one).
	Body query.Body
	// HasUser says -u (or user@ in the URL) was given; User and Password are its parts. Password is empty
	// when none was given (curl would prompt for it).
	HasUser  bool
	User     string
	Password string
	// Digest says --digest made the -u user and password Digest authentication, not Basic.
	Digest bool
	// Compressed says --compressed asked curl to request and decode a compressed response.
	Compressed bool
	// Network is how the command reaches the server: a proxy (-x, --socks5; ProxyNone for -x "" or --noproxy
	// '*'), the hosts reached without it (--noproxy), CA certificates (--cacert), a client certificate and
	// key (--cert, --key) and -k. Paths are resolved as file paths in the body are.
	Network resource.Network
	// ProxyAuth is the proxy's "user:password" (-U, or user:password@ in the -x URL); "" when none.
	ProxyAuth string
	// KeyPassphrase is the client key's passphrase (--cert FILE:PASSPHRASE, --pass); "" when none.
	KeyPassphrase string
	// Notes say what the person should know about how the command was read: a file the body sends that is
	// not there now, cookies read from a cookie file, shell variables that became {{variables}}, options
	// left out. They name files and options, never a value.
	Notes []string
}

// String describes the request without any secret (no header values, cookies, password or body), so a
// request may be logged safely.
func (r *Request) String() string {
	return fmt.Sprintf("%s request with %d headers, %d cookies, body %s", r.Method, len(r.Headers), len(r.Cookies), bodyKind(r.Body.Kind))
}

func bodyKind(k query.BodyKind) string {
	if k == "" {
		return string(query.BodyNone)
	}
	return string(k)
}
