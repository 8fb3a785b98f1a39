package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"apidesk/engine/resource"
)

// Check is what a connection test found: the status of the answer and how long it took, or why no answer
// came. Message says it in words.
type Check struct {
	Host       string            // the host (and port, when one is written) that was asked
	Auth       resource.AuthKind // how the request authenticated, for what to check after a 401
	StatusCode int               // 0 when no answer came
	Status     string            // as the server wrote it, for example "200 OK"
	Took       time.Duration     // until the answer's headers arrived
	Err        error             // why no answer came; nil with an answer
}

// Check sends a GET to the resource's base URL, as Do would send a query with no path: with its headers,
// URL params, cookies, authentication (refreshing an access token once on a 401), timeout and redirect rules.
// It waits only for the answer's headers and leaves the body unread, so a large answer costs nothing. An
// answer of any status is a result; Err says why there was none (the network, a missing secret, a cancel).
func (r *Runner) Check(ctx context.Context, res *resource.Resource) (c Check) {
	c.Host, c.Auth = hostOf(res.BaseURL), res.Auth.Kind
	var sent []string
	start := time.Now()
	a, _, err := r.exchange(ctx, res, nil, nil, "", &sent)
	c.Took = time.Since(start)
	if err != nil {
		c.Err = mask(err, sent)
		return c
	}
	c.StatusCode, c.Status = a.resp.StatusCode, a.resp.Status
	a.discard()
	return c
}

// OK reports whether the API answered and did not refuse: a 2xx or 3xx status.
func (c Check) OK() bool { return c.Err == nil && c.StatusCode >= 200 && c.StatusCode < 400 }

// Message is what the test found, for a person: "Connected: 200 OK in 120 ms", "The API refused the
// credentials (401 Unauthorized): check the token", "Could not reach api.example.com: …".
func (c Check) Message() string {
	if c.Err != nil {
		return c.errMessage()
	}
	status := c.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", c.StatusCode, http.StatusText(c.StatusCode))
	}
	took := roughly(c.Took)
	switch code := c.StatusCode; {
	case code < 400:
		return fmt.Sprintf("Connected: %s in %s", status, took)
	case code == http.StatusUnauthorized:
		return fmt.Sprintf("The API refused the credentials (%s): %s", status, refusedAdvice(c.Auth))
	case code == http.StatusForbidden:
		what := "their permissions"
		if c.Auth == resource.AuthOAuth2 {
			what = "their permissions and the scopes"
		}
		return fmt.Sprintf("The API refused access (%s): the credentials may not use this address; check %s", status, what)
	case code == http.StatusNotFound:
		return fmt.Sprintf("Connected, but %s answered %s in %s: the server is there; check the path of the address", c.Host, status, took)
	case code == http.StatusTooManyRequests:
		return fmt.Sprintf("Connected, but the API asks to slow down (%s): wait a little, then test again", status)
	case code >= 500:
		return fmt.Sprintf("Connected, but the server had a problem (%s): try again later, or ask the API's owner", status)
	}
	return fmt.Sprintf("Connected, but %s answered %s in %s", c.Host, status, took)
}

func (c Check) errMessage() string {
	err := c.Err
	switch {
	case errors.Is(err, context.Canceled):
		return "The test was cancelled."
	case errors.Is(err, resource.ErrNotSignedIn):
		return "Not signed in: sign in, then test again."
	case errors.Is(err, ErrProxy), errors.Is(err, ErrNetworkSettings):
		return "Could not reach " + c.Host + ": " + err.Error()
	case errors.Is(err, ErrConnect), errors.Is(err, ErrTimeout), errors.Is(err, ErrTLS), errors.Is(err, ErrTooManyRedirects):
		msg := err.Error()
		for _, prefix := range []string{"could not connect to ", "could not reach "} {
			if rest, ok := strings.CutPrefix(msg, prefix); ok {
				if _, after, ok := strings.Cut(rest, ": "); ok {
					msg = after
				}
			}
		}
		return "Could not reach " + c.Host + ": " + msg
	}
	return "The test could not be made: " + err.Error()
}

// refusedAdvice is what to check when the API refused the credentials of an authentication kind.
func refusedAdvice(k resource.AuthKind) string {
	switch k {
	case resource.AuthBearer:
		return "check the token"
	case resource.AuthBasic, resource.AuthDigest:
		return "check the username and password"
	case resource.AuthAPIKey:
		return "check the key, its name and where it is sent"
	case resource.AuthOAuth2:
		return "sign in again, or check the scopes"
	}
	return "this API wants credentials: choose how it signs in under Authentication"
}

// roughly says a duration as a person reads a response time: "120 ms", "2.4 s".
func roughly(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// hostOf is the host of a URL as written, with its port when one is written; the URL itself when it has none.
func hostOf(raw string) string {
	if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && u.Host != "" {
		return u.Host
	}
	return strings.TrimSpace(raw)
}
