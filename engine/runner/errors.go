package runner

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
)

// Sentinels for what callers branch on. A cancelled request wraps context.Canceled (or the cause the caller
// gave its context).
var (
	ErrTimeout          = errors.New("no answer in time")
	ErrTooManyRedirects = errors.New("too many redirects")
	ErrConnect          = errors.New("could not connect")
	ErrTLS              = errors.New("TLS failed")
	ErrTooLarge         = errors.New("the answer is too large")
)

// tooLarge says that the answer from rawURL is longer than limit bytes, decoded.
func tooLarge(rawURL string, limit int64) error {
	return &plainError{
		msg: fmt.Sprintf("the answer from %s was larger than %s, the largest this resource accepts, so it was stopped: "+
			"raise the limit in the resource's settings (Answer size limit) if you expect an answer this large", hostPort(rawURL), resource.FormatMaxBody(limit)),
		kind: ErrTooLarge,
	}
}

// plainError is an error whose message is written for a person, matched by errors.Is against a sentinel kind
// and, when there is one, the underlying cause.
type plainError struct {
	msg   string
	kind  error
	cause error
}

func (e *plainError) Error() string { return e.msg }

func (e *plainError) Unwrap() []error {
	out := []error{e.kind}
	if e.cause != nil {
		out = append(out, e.cause)
	}
	return out
}

// maskedError is an error whose text has its secrets hidden; errors.Is and errors.As still see the original.
type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

// mask returns err with every secret in its text hidden (sensitive.Mask): the values the request carried, in
// sent, and whatever the text shows under a secret name (a URL's api_key=…, user:password@). Do and Build pass
// every error through it, whoever wrote it: net/http, the keychain, the token source or the runner.
func mask(err error, sent []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if m := sensitive.Mask(msg, sent...); m != msg {
		return &maskedError{msg: m, err: err}
	}
	return err
}

// secretVariables returns the values of the variables whose names say they are secret (sensitive.Variable)
// and of those q saves as secret.
func secretVariables(q *query.Query, vars map[string]string) []string {
	out := q.SecretValues(vars)
	for name, v := range vars {
		if sensitive.Variable(name) {
			out = append(out, v)
		}
	}
	return out
}

// errTimedOut is the cause a request's context is cancelled with when the resource's timeout passes.
var errTimedOut = errors.New("resource timeout")

// explain turns a transport error into a message in plain words. parent is the caller's context, ctx the one
// the request ran with (cancelled with errTimedOut on a timeout); rawURL is the URL that failed. The message
// names only the host: a URL's query may hold a secret, and *url.Error prints it whole.
func explain(parent, ctx context.Context, rawURL string, timeout time.Duration, midBody bool, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		rawURL, err = ue.URL, ue.Err
	}
	host := hostPort(rawURL)
	switch {
	case parent.Err() != nil:
		cause := context.Cause(parent)
		if errors.Is(cause, context.DeadlineExceeded) {
			return &plainError{msg: fmt.Sprintf("no complete answer from %s before the deadline", host), kind: ErrTimeout, cause: cause}
		}
		return &plainError{msg: fmt.Sprintf("the request to %s was cancelled", host), kind: cause, cause: err}
	case errors.Is(context.Cause(ctx), errTimedOut):
		if midBody {
			return &plainError{msg: fmt.Sprintf("%s stopped sending the response for %s: raise the resource's timeout or check the server", host, timeout), kind: ErrTimeout}
		}
		return &plainError{msg: fmt.Sprintf("no answer from %s within %s: raise the resource's timeout or check the server", host, timeout), kind: ErrTimeout}
	case errors.Is(err, ErrTooManyRedirects):
		return err
	}
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recErr tls.RecordHeaderError
	var netErr net.Error
	var remote *net.OpError
	switch {
	case errors.As(err, &dnsErr):
		return &plainError{msg: fmt.Sprintf("could not find the server %s (%s): check the host name in the base URL and your network", dnsErr.Name, dnsErr.Err), kind: ErrConnect, cause: err}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &plainError{msg: fmt.Sprintf("could not connect to %s: is the server running and the base URL right?", host), kind: ErrConnect, cause: err}
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return &plainError{msg: fmt.Sprintf("could not reach %s: check your network connection and the base URL", host), kind: ErrConnect, cause: err}
	case errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalidCert), errors.As(err, &certErr):
		reason := err.Error()
		switch {
		case errors.As(err, &unknownCA):
			reason = "it is signed by an authority this computer does not trust"
		case errors.As(err, &hostErr):
			reason = "it was issued for another host name"
		case errors.As(err, &invalidCert):
			reason = invalidCert.Error()
		}
		return &plainError{msg: fmt.Sprintf("the TLS certificate of %s is not valid: %s. Check the base URL, or choose the server's CA certificate in the resource's network settings", host, reason), kind: ErrTLS, cause: err}
	case errors.As(err, &remote) && remote.Op == "remote error" && strings.Contains(remote.Err.Error(), "certificate"):
		// The server's TLS alert about the client's certificate: none was sent, or it does not trust it.
		return &plainError{msg: fmt.Sprintf("%s refused the secure connection (%s): it may want a client certificate, or not accept the one chosen: "+
			"check the client certificate in the resource's network settings", host, strings.TrimPrefix(remote.Err.Error(), "tls: ")), kind: ErrTLS, cause: err}
	case strings.Contains(err.Error(), "http2: client conn could not be established"):
		// Over HTTP/2 with TLS 1.3 the server's alert about the client's certificate comes after the handshake,
		// and the HTTP/2 client reports only that the connection died at once.
		return &plainError{msg: fmt.Sprintf("%s refused the secure connection as soon as it was made: it may want a client certificate, or not accept the one chosen: "+
			"check the client certificate in the resource's network settings", host), kind: ErrTLS, cause: err}
	case errors.As(err, &recErr), errors.Is(err, http.ErrSchemeMismatch):
		return &plainError{msg: fmt.Sprintf("%s did not answer with TLS: should the base URL start with http:// instead of https://?", host), kind: ErrTLS, cause: err}
	case errors.As(err, &netErr) && netErr.Timeout():
		return &plainError{msg: fmt.Sprintf("no answer from %s in time (%v): check the server and your network", host, err), kind: ErrTimeout, cause: err}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET):
		if midBody {
			return &plainError{msg: fmt.Sprintf("%s closed the connection before the whole response arrived: try again", host), kind: ErrConnect, cause: err}
		}
		return &plainError{msg: fmt.Sprintf("%s closed the connection without answering: check that the base URL points to an HTTP server", host), kind: ErrConnect, cause: err}
	}
	if strings.Contains(err.Error(), "failed to parse Location header") {
		return &plainError{msg: fmt.Sprintf("%s redirected to an address that is not a valid URL: check the path and the server", host), kind: ErrBadURL, cause: err}
	}
	return &plainError{msg: fmt.Sprintf("the request to %s failed: %v", host, err), kind: err}
}

// proxyRoute is the proxy a request went through, for messages: url is nil when there was none.
type proxyRoute struct {
	url    *url.URL
	system bool // the system's proxy (the environment's), not one the network settings name
}

// explainVia is explain for a request sent through route: what the proxy did is said as the proxy's doing,
// naming the proxy and where it is set.
func explainVia(parent, ctx context.Context, rawURL string, timeout time.Duration, route proxyRoute, err error) error {
	var refusal *proxyRefusal
	if parent.Err() == nil && errors.As(err, &refusal) {
		return &plainError{msg: refusal.Error(), kind: proxyKind, cause: err}
	}
	var op *net.OpError
	if route.url == nil || parent.Err() != nil || errors.Is(context.Cause(ctx), errTimedOut) || !errors.As(err, &op) {
		return explain(parent, ctx, rawURL, timeout, false, err)
	}
	proxy, where := route.url.Host, proxySettings(route.system)
	var dnsErr *net.DNSError
	switch {
	case op.Op == "proxyconnect" && errors.As(err, &dnsErr):
		return &plainError{msg: fmt.Sprintf("could not find the proxy %s (%s): check its address in %s", proxy, dnsErr.Err, where), kind: proxyKind, cause: err}
	case op.Op == "proxyconnect" && errors.Is(err, syscall.ECONNREFUSED):
		return &plainError{msg: fmt.Sprintf("could not connect to the proxy %s: is it running, and is its address right? Check %s", proxy, where), kind: proxyKind, cause: err}
	case op.Op == "proxyconnect":
		return &plainError{msg: fmt.Sprintf("could not connect to the proxy %s (%s): check %s", proxy, lowerFirst(op.Err.Error()), where), kind: proxyKind, cause: err}
	case op.Op == "socks connect" && strings.Contains(op.Err.Error(), "authentication"):
		what := "refused the username and password: check the proxy's username and password in"
		if route.url.User == nil {
			what = "asks for a username and password: enter them in"
		}
		return &plainError{msg: fmt.Sprintf("the SOCKS proxy %s %s %s", proxy, what, where), kind: proxyKind, cause: err}
	case op.Op == "socks connect":
		return &plainError{msg: fmt.Sprintf("the SOCKS proxy %s could not connect to %s (%s): check the base URL, or ask whoever runs the proxy", proxy, hostPort(rawURL), op.Err), kind: proxyKind, cause: err}
	}
	return explain(parent, ctx, rawURL, timeout, false, err)
}

// hostPort returns host:port of a URL, with the scheme's default port when none is written.
func hostPort(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return origin(raw)
	}
	return net.JoinHostPort(u.Hostname(), resource.Port(u))
}
