// Package advice says in plain words what an API's error answer likely means and what to do about it: a 401
// asks for new credentials (a new sign-in with OAuth 2.0), a 404 for a look at the path and its {{variables}}, a
// 429 for a wait as long as its Retry-After, a 5xx for patience. When the body says why in one of the common
// JSON error shapes ({"error": …}, {"message": …}, RFC 9457 problem details…), its message is quoted, on one
// line, clipped, and with every secret the request carried hidden.
package advice

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// Advice is what an error answer likely means and what to do.
type Advice struct {
	Headline string        // what happened: "The API refused the credentials"
	Message  string        // what to do: "Sign in again."
	Quote    string        // the API's own words from the body, on one line and clipped; "" when it gave none
	SignIn   bool          // signing in again (OAuth 2.0) may help
	Wait     time.Duration // how long the API asked to wait before the next request (Retry-After); 0 when it did not say
}

// Text is the message and, when there is one, the API's own words, as one paragraph.
func (a *Advice) Text() string {
	if a.Quote == "" {
		return a.Message
	}
	return a.Message + " The API said: “" + a.Quote + "”"
}

// MaxQuote is how many characters of the API's message Advice.Quote keeps.
const MaxQuote = 160

// maxParsed is the longest body looked into for a message: an error body is short, and a long one would hold
// up the window for nothing.
const maxParsed = 64 << 10

// For says what resp, an answer to a request on a resource authenticating with auth, likely means, or nil when
// it is no error (1xx, 2xx, 3xx). now is the time a Retry-After date is counted from when the answer has no
// Date header.
func For(resp *runner.Response, auth resource.AuthKind, now time.Time) *Advice {
	code := resp.StatusCode
	if code < 400 {
		return nil
	}
	a := &Advice{}
	switch code {
	case http.StatusBadRequest:
		a.Headline = "The API did not accept the request"
		a.Message = "Check the parameters, the headers and the body."
	case http.StatusUnauthorized:
		a.Headline = "The API refused the credentials"
		a.Message, a.SignIn = refused(auth)
	case http.StatusForbidden:
		a.Headline = "Signed in, but not allowed to do this"
		a.Message = "Check the scopes or the account's permissions."
		switch auth {
		case resource.AuthNone, "":
			a.Headline = "The API does not allow this"
			a.Message = "It may need credentials: choose how to sign in under Authentication in the resource's settings. " +
				"Otherwise check the account's permissions."
		case resource.AuthOAuth2:
			a.Message = "Check the scopes in the resource's settings or the account's permissions, then sign in again."
		}
	case http.StatusNotFound:
		a.Headline = "Not found"
		a.Message = "Check the path, the values filled in, and the base URL in the resource's settings."
	case http.StatusMethodNotAllowed:
		a.Headline = "The API does not allow this method here"
		a.Message = "Check the method (GET, POST…) and the path."
		if allow := strings.TrimSpace(strings.Join(resp.Header.Values("Allow"), ", ")); allow != "" {
			a.Message += " It allows " + clip(allow, 80) + "."
		}
	case http.StatusProxyAuthRequired:
		a.Headline = "A proxy asks for a username and password"
		a.Message = "Enter the proxy's username and password in the resource's network settings, or check the system's proxy settings."
	case http.StatusRequestTimeout:
		a.Headline = "The API stopped waiting for the request"
		a.Message = "Send it again; if it goes on, the connection may be slow."
	case http.StatusRequestEntityTooLarge:
		a.Headline = "The request is too large for the API"
		a.Message = "Send a smaller body, or fewer items at once."
	case http.StatusUnsupportedMediaType:
		a.Headline = "The API does not accept this kind of body"
		a.Message = "Check the Content-Type header and that the body is written in that format (JSON, a form…)."
	case http.StatusUnprocessableEntity:
		a.Headline = "The API could not use the data sent"
		a.Message = "Check the fields and values in the body."
	case http.StatusTooManyRequests:
		a.Headline = "Too many requests"
		a.Message = "Wait a little, then send again."
	case http.StatusServiceUnavailable:
		a.Headline = "The API is not available right now"
		a.Message = "Try again later; if it goes on, tell the API's owner."
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		a.Headline = "The API's server did not answer properly"
		a.Message = "Try again later; if it goes on, tell the API's owner."
	default:
		if code >= 500 {
			a.Headline = "The API had a problem"
			a.Message = "Try again later; if it goes on, tell the API's owner."
		} else {
			a.Headline = "The API did not accept the request"
			a.Message = "Check the path, the parameters and the body."
		}
	}
	if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable || code >= 500 {
		if wait, ok := RetryAfter(resp.Header, now); ok {
			a.Wait = wait
			if wait > 0 {
				a.Message = "Wait " + Duration(wait) + ", then send again."
			} else {
				a.Message = "You may send again now."
			}
			if code >= 500 {
				a.Message += " If it goes on, tell the API's owner."
			}
		}
	}
	if q := quote(resp); q != "" {
		a.Quote = clip(resp.Mask(q), MaxQuote)
	}
	return a
}

// refused says what to do about a 401, and whether signing in again may help.
func refused(auth resource.AuthKind) (string, bool) {
	switch auth {
	case resource.AuthOAuth2:
		return "Sign in again.", true
	case resource.AuthBearer:
		return "Check the token in the resource's settings: it may be wrong or expired.", false
	case resource.AuthBasic, resource.AuthDigest:
		return "Check the username and password in the resource's settings.", false
	case resource.AuthAPIKey:
		return "Check the API key in the resource's settings, and where it is sent (a header or a URL parameter).", false
	}
	return "This API wants credentials: choose how to sign in under Authentication in the resource's settings.", false
}

// RetryAfter reads the Retry-After header: a number of seconds, or an HTTP date, counted from the answer's Date
// header when it has one (so that a clock set wrong here does not matter), else from now. A date in the past
// is no wait (0, true); ok is false when there is no header or it cannot be read.
func RetryAfter(h http.Header, now time.Time) (wait time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		return time.Duration(n) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		now = d
	}
	return max(0, at.Sub(now)).Round(time.Second), true
}

// Duration says a wait as a person reads it: "30 s", "2 min", "1 min 30 s", "2 h 5 min".
func Duration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", max(s, 1))
	case s < 3600:
		if s%60 == 0 {
			return fmt.Sprintf("%d min", s/60)
		}
		return fmt.Sprintf("%d min %d s", s/60, s%60)
	}
	m := (s + 30) / 60
	if m%60 == 0 {
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// quote is the message of a JSON error body, or a short plain-text body; "" when there is none.
func quote(resp *runner.Response) string {
	body := resp.Body
	if len(body) == 0 || len(body) > maxParsed || resp.Truncated {
		return ""
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt == "text/plain" {
		if len(body) > 2*MaxQuote || !utf8.Valid(body) {
			return ""
		}
		return string(body)
	}
	if mt != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return ""
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return ""
	}
	return message(v, 0)
}

// message finds the message in a decoded JSON error: error_description (OAuth 2.0), detail and title (RFC 9457
// problem details, FastAPI), message, error as a text or as an object with a message, the first of errors
// (JSON:API, GraphQL), msg.
func message(v any, depth int) string {
	if depth > 3 {
		return ""
	}
	switch v := v.(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			return message(v[0], depth+1)
		}
	case map[string]any:
		for _, k := range []string{"error_description", "detail", "message", "error", "title", "errors", "msg", "error_message", "description"} {
			if m := message(v[k], depth+1); m != "" {
				return m
			}
		}
	}
	return ""
}

// clip puts s on one line and cuts it to n characters, with an ellipsis when it was longer.
func clip(s string, n int) string {
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:n-1]), unicode.IsSpace) + "…"
}
