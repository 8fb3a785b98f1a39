// Package runner sends a saved query to its resource and reads the answer.
//
// It builds the request (resource rows merged with the query's, {{variables}} expanded, secrets from the
// keychain, the OAuth 2.0 access token), sends it with the resource's timeout, follows redirects without
// ever forwarding credentials to another host, and streams the response body: the first MemCap bytes stay in
// memory for display and a longer body goes whole to a temp file, so memory stays bounded for any size. A body
// larger than the resource's limit (resource.DefaultMaxBody unless it sets one), counted after undoing its
// Content-Encoding, is stopped with ErrTooLarge, so a gzip bomb cannot fill the disk. SweepTemp removes the temp
// files that a crashed apidesk left behind.
//
// Preview builds the same request with every secret replaced by a placeholder, for "Copy as cURL".
package runner

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
)

// DefaultMemCap is how much of a response body is kept in memory for display when Runner.MemCap is 0.
const DefaultMemCap = 10 << 20

// MaxRedirects is how many redirects a request follows before giving up.
const MaxRedirects = 10

// Runner sends queries. Its methods are safe for concurrent use; set the fields before the first call.
type Runner struct {
	Client  *http.Client // nil: http.DefaultClient; New uses NewClient. A resource's network settings start from it
	Secrets Secrets      // nil: a resource that needs a secret fails with a clear error
	Tokens  TokenSource  // nil: OAuth 2.0 resources and {-oauth_access_token-} fail with resource.ErrNotSignedIn
	Origins Origins      // where saved secrets may go; nil: Secrets, when it is an Origins too (else no check)
	TempDir string       // where long bodies go; "" is os.TempDir()
	MemCap  int64        // bytes of a body kept in memory; 0 is DefaultMemCap
	Dir     string       // where relative body file paths are resolved: the workspace folder ("" the current one)

	// Network gives the network settings a resource's requests use: its own, with what it leaves unset taken
	// from the workspace's default and relative paths made absolute (workspace.Workspace.Network). nil: the
	// resource's own, relative paths from the working directory.
	Network func(res *resource.Resource) resource.Network

	transports *transports // the transports of network settings, shared by copies of the Runner; made by New
}

// New returns a Runner with its own HTTP client (see NewClient), which keeps the transports it makes for
// resources' network settings so that their connections are reused. A Runner made otherwise makes a transport
// for each request of a resource with network settings.
func New(secrets Secrets, tokens TokenSource) *Runner {
	return &Runner{Client: NewClient(), Secrets: secrets, Tokens: tokens, transports: newTransports()}
}

// NewClient returns an HTTP client with its own transport, cloned from http.DefaultTransport, that takes its
// proxy from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and says in plain words when the proxy refuses.
// The runner sets timeouts per request.
func NewClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = http.ProxyFromEnvironment
	t.OnProxyConnectResponse = proxyConnectResponse(true)
	return &http.Client{Transport: t}
}

func (r *Runner) credentials(ctx context.Context, res *resource.Resource, sent *[]string) *credentials {
	origins := r.Origins
	if o, ok := r.Secrets.(Origins); ok && origins == nil {
		origins = o
	}
	return &credentials{ctx: ctx, res: res, secrets: r.Secrets, tokens: r.Tokens, origins: origins, sent: sent, dir: r.Dir}
}

// Do sends the query to the resource with the given variable values and reads the whole response. The caller
// must Close the response to remove its temp file.
//
// No secret saved in the keychain (password, bearer token, API key, OAuth 2.0 access token) goes to another
// origin than the one it was saved for (see resource.Origins): the request is then not sent, and the error is
// an *resource.OriginChangedError, matching resource.ErrOriginChanged.
//
// The resource's timeout bounds the wait for the response headers and, while a body streamed from disk is sent
// or the answer's body arrives, each pause between two reads. Cancelling ctx stops the request at once, also
// mid-body. With OAuth 2.0 (or the access token placeholder), a 401 makes the runner ask the token source to
// refresh the token once and send the request again. A context made with WithProgress receives the progress of
// the body, and of a body streamed from disk as it is sent.
//
// A multipart form's files and a file body are streamed from disk as they are sent, never read whole into
// memory; a relative path is found in r.Dir. A file that is missing or cannot be read stops the request before
// anything is sent, with an error that names the path (matching ErrFile).
//
// No error repeats a secret: see Mask.
func (r *Runner) Do(ctx context.Context, res *resource.Resource, q *query.Query, vars map[string]string) (resp *Response, err error) {
	sent := secretVariables(q, vars)
	defer func() { err = mask(err, sent) }()
	a, p, err := r.exchange(ctx, res, q, vars, "", &sent)
	if err != nil {
		return nil, err
	}
	if resp, err = r.read(ctx, a, p); resp != nil {
		resp.sent = sent
	}
	return resp, err
}

// Follow sends the query as Do does, but to next, the whole address of the next page that an answer named (a
// Link header's rel="next"), in place of the URL the query makes: with the same headers, body and credentials.
// A secret the query sends as a URL param (an API key, the access token) is added to next when next lacks it.
// next must be on the origin of the query's own URL (the same scheme, host and port, or the same host
// upgraded to https): otherwise nothing is sent and the error matches ErrOffOrigin.
func (r *Runner) Follow(ctx context.Context, res *resource.Resource, q *query.Query, vars map[string]string, next string) (resp *Response, err error) {
	if next == "" {
		return nil, badURL("no address was given for the next page")
	}
	sent := secretVariables(q, vars)
	defer func() { err = mask(err, sent) }()
	a, p, err := r.exchange(ctx, res, q, vars, next, &sent)
	if err != nil {
		return nil, err
	}
	if resp, err = r.read(ctx, a, p); resp != nil {
		resp.sent = sent
	}
	return resp, err
}

// ErrOffOrigin is matched by errors.Is when Follow is given an address on another origin than the query's.
var ErrOffOrigin = errors.New("the next page is on another site")

// retarget makes the plan go to next, keeping its secret URL params, when next is on the plan's origin.
func (p *Plan) retarget(next string) error {
	from, err := url.Parse(p.URL)
	if err != nil {
		return badURL("the URL made from the base URL %s and the path is not valid", origin(p.URL))
	}
	to, err := url.Parse(next)
	if err != nil || to.Host == "" || to.Scheme != "http" && to.Scheme != "https" {
		return badURL("the address of the next page is not a valid URL")
	}
	if !sameOrigin(from, to) {
		return &plainError{msg: fmt.Sprintf("the next page is on %s, not on %s: it was not fetched, so that your credentials "+
			"go nowhere else", origin(next), origin(p.URL)), kind: ErrOffOrigin}
	}
	to.User, to.Fragment = nil, ""
	if len(p.secretParams) > 0 {
		have := to.Query()
		var add []string
		for _, part := range strings.Split(from.RawQuery, "&") {
			key, _, _ := strings.Cut(part, "=")
			name := key
			if k, err := url.QueryUnescape(key); err == nil {
				name = k
			}
			if _, secret := p.secretParams[name]; secret && !have.Has(name) {
				add = append(add, part)
			}
		}
		if len(add) > 0 {
			if to.RawQuery != "" {
				add = append([]string{to.RawQuery}, add...)
			}
			to.RawQuery = strings.Join(add, "&")
		}
	}
	p.URL = to.String()
	return nil
}

// exchange builds the request, sends it and waits for the response headers; with an access token, a 401
// makes it refresh the token once and send the request again. sent collects the secrets the request carried.
func (r *Runner) exchange(ctx context.Context, res *resource.Resource, q *query.Query, vars map[string]string, next string, sent *[]string) (*attempt, *Plan, error) {
	cred := r.credentials(ctx, res, sent)
	p, err := planTo(cred, res, q, vars, next)
	if err != nil {
		return nil, nil, err
	}
	nc, err := r.clientFor(ctx, res, sent)
	if err != nil {
		return nil, nil, err
	}
	a, err := r.send(ctx, res, p, nc)
	if err != nil {
		return nil, nil, err
	}
	if a.resp.StatusCode == http.StatusUnauthorized && p.Digest && p.user != "" && a.sameOrigin {
		if a, p, err = r.answerDigest(ctx, res, p, nc, a); err != nil {
			return nil, nil, err
		}
	}
	if a.resp.StatusCode == http.StatusUnauthorized && p.token != "" && r.Tokens != nil && a.sameOrigin {
		a.discard()
		tok, err := r.Tokens.Refresh(ctx, res, p.token)
		if err != nil {
			return nil, nil, fmt.Errorf("%s refused the access token (401 Unauthorized) and it could not be refreshed: %w", res.Name, err)
		}
		if tok == "" {
			return nil, nil, notSignedIn(res)
		}
		cred = r.credentials(ctx, res, sent)
		cred.token = tok
		*sent = append(*sent, tok)
		if p, err = planTo(cred, res, q, vars, next); err != nil {
			return nil, nil, err
		}
		if a, err = r.send(ctx, res, p, nc); err != nil {
			return nil, nil, err
		}
	}
	return a, p, nil
}

// planTo is plan, sent to next when it is set (see Follow).
func planTo(cred *credentials, res *resource.Resource, q *query.Query, vars map[string]string, next string) (*Plan, error) {
	p, err := plan(cred, res, q, vars)
	if err == nil && next != "" {
		err = p.retarget(next)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// attempt is one request in flight: its response (headers read), the context that bounds it, and its timing.
type attempt struct {
	resp       *http.Response
	ctx        context.Context
	cancel     context.CancelCauseFunc
	timer      *time.Timer
	lastRead   atomic.Int64 // when the body last made progress, in nanoseconds after trace.start
	timeout    time.Duration
	maxBody    int64 // the largest body to read, decoded
	trace      tracer
	hooks      httptrace.ClientTrace
	client     http.Client
	redirects  int
	sameOrigin bool // the response came from the origin the request was sent to
	insecure   bool // the server's TLS certificate was not verified
}

// discard closes an attempt whose response is not wanted.
func (a *attempt) discard() {
	_, _ = io.CopyN(io.Discard, a.resp.Body, 4<<10) // lets a small body's connection be reused
	_ = a.resp.Body.Close()
	a.timer.Stop()
	a.cancel(nil)
}

// onTimer cancels the attempt when nothing has arrived for its timeout, and otherwise waits for the rest of
// it. Reading the body only stores a time, which is cheaper than resetting the timer on every read.
func (a *attempt) onTimer() {
	idle := time.Since(a.trace.start) - time.Duration(a.lastRead.Load())
	if idle < a.timeout {
		a.timer.Reset(a.timeout - idle)
		return
	}
	a.cancel(errTimedOut)
}

// send sends a plan with nc's client and waits for the response headers.
func (r *Runner) send(parent context.Context, res *resource.Resource, p *Plan, nc *netClient) (*attempt, error) {
	a := &attempt{timeout: res.EffectiveTimeout(), maxBody: res.EffectiveMaxBody(), insecure: nc.insecure} // one allocation for the attempt, its trace and its client
	a.trace.start = time.Now()
	a.trace.hooks(&a.hooks)
	a.ctx, a.cancel = context.WithCancelCause(parent)
	a.timer = time.AfterFunc(a.timeout, a.onTimer)
	var sent func(int64)
	if p.upload != nil {
		// A body streamed from disk: its progress restarts the timeout, which then bounds each pause while it is
		// sent rather than the whole upload, and goes to the caller's Progress.
		prog := progressFrom(parent)
		if prog != nil {
			prog.startUpload(p.upload.size)
		}
		sent = func(n int64) {
			a.lastRead.Store(int64(time.Since(a.trace.start)))
			if prog != nil {
				prog.sent.Store(n)
			}
		}
	}
	req, err := p.request(httptrace.WithClientTrace(a.ctx, &a.hooks), true, sent)
	if err != nil {
		a.timer.Stop()
		a.cancel(nil)
		return nil, err
	}
	a.client = *nc.hc
	a.client.CheckRedirect = func(next *http.Request, via []*http.Request) error {
		a.redirects = len(via)
		return p.checkRedirect(next, via)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.timer.Stop()
		err = explainVia(parent, a.ctx, p.URL, a.timeout, proxyRoute{url: proxyOf(a.client.Transport, failed(err, req)), system: nc.system}, err)
		a.cancel(nil)
		return nil, err
	}
	a.resp = resp
	if resp.StatusCode == http.StatusProxyAuthRequired && resp.Request.URL.Scheme == "http" {
		// A plain http request goes to the proxy whole, and its refusal comes back as an answer.
		if via := proxyOf(a.client.Transport, resp.Request); via != nil {
			a.discard()
			refusal := &proxyRefusal{proxy: via.Host, status: resp.Status, code: resp.StatusCode, withAuth: via.User != nil, system: nc.system}
			return nil, &plainError{msg: refusal.Error(), kind: proxyKind, cause: refusal}
		}
	}
	a.sameOrigin = sameOrigin(req.URL, resp.Request.URL)
	return a, nil
}

// failed returns the request an error of client.Do is about: the one sent, or the redirect that failed.
func failed(err error, sent *http.Request) *http.Request {
	var ue *url.Error
	if errors.As(err, &ue) && ue.URL != sent.URL.String() {
		if u, perr := url.Parse(ue.URL); perr == nil {
			return &http.Request{Method: sent.Method, URL: u, Header: http.Header{}}
		}
	}
	return sent
}

// checkRedirect follows up to MaxRedirects redirects. Once a redirect has left the origin of the first request
// (another host or port, or https to http), the next request keeps only the headers on crossOriginHeaders whose
// value came from neither a secret nor a {{variable}} (a Referer only when the person wrote one), and loses the
// API key, token and secret-named params from its URL (wherever the server put them).
func (p *Plan) checkRedirect(next *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return &plainError{
			msg:  fmt.Sprintf("stopped after %d redirects: %s keeps redirecting; check the path and the base URL", MaxRedirects, origin(via[0].URL.String())),
			kind: ErrTooManyRedirects,
		}
	}
	first := via[0].URL
	left := !sameOrigin(first, next.URL)
	for _, v := range via[1:] {
		left = left || !sameOrigin(first, v.URL)
	}
	if !left {
		return nil
	}
	for name := range next.Header {
		safe := crossOriginHeaders[name] || name == "Referer" && p.Header.Has("Referer", true)
		if !safe || slices.Contains(p.secretHeaders, name) {
			delete(next.Header, name)
		}
	}
	next.URL.RawQuery = dropParams(next.URL.RawQuery, p.secretParams)
	return nil
}

// crossOriginHeaders are the headers, in canonical form, a request may take to another origin on a redirect:
// they describe what is sent and wanted, and carry no credential of their own.
var crossOriginHeaders = map[string]bool{
	"Accept": true, "Accept-Charset": true, "Accept-Encoding": true, "Accept-Language": true,
	"Cache-Control": true, "Content-Language": true, "Content-Type": true, "Pragma": true, "User-Agent": true,
}

// sameOrigin reports whether credentials meant for a may go to b: the same host and port, or the same host
// upgraded from http to https on the default ports. https to http never is.
func sameOrigin(a, b *url.URL) bool {
	if !strings.EqualFold(a.Hostname(), b.Hostname()) {
		return false
	}
	as, bs := strings.ToLower(a.Scheme), strings.ToLower(b.Scheme)
	if as == "https" && bs == "http" {
		return false
	}
	if as == bs {
		return resource.Port(a) == resource.Port(b)
	}
	return resource.Port(a) == "80" && resource.Port(b) == "443"
}

// dropParams removes from a raw query string every param named in names or whose name says it is secret
// (sensitive.Param), keeping the rest as written.
func dropParams(raw string, names map[string]string) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	out := parts[:0]
	for _, part := range parts {
		key, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if _, secret := names[key]; !secret && !sensitive.Param(key) {
			out = append(out, part)
		}
	}
	return strings.Join(out, "&")
}

// maskParams replaces the values of the params named in masks by their placeholders.
func maskParams(raw string, masks map[string]string) string {
	if raw == "" || len(masks) == 0 {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, part := range parts {
		key, _, _ := strings.Cut(part, "=")
		name := key
		if k, err := url.QueryUnescape(key); err == nil {
			name = k
		}
		if ph, ok := masks[name]; ok {
			parts[i] = key + "=" + ph
		}
	}
	return strings.Join(parts, "&")
}

// Timing says where the time of a request went. With redirects, the connection figures are the last hop's.
type Timing struct {
	DNS       time.Duration // looking up the host name; 0 when it is an IP address or a connection was reused
	Connect   time.Duration // the TCP connection; 0 when a connection was reused
	TLS       time.Duration // the TLS handshake; 0 for http or a reused connection
	FirstByte time.Duration // from the start to the first byte of the response
	Total     time.Duration // from the start to the last byte of the body
	Reused    bool          // a kept-alive connection was reused
}

// tracer collects Timing from httptrace callbacks, which may come from several goroutines. It uses the end of
// one step as the start of the next (asking for a connection, DNS done, connected, TLS done), so it needs six
// callbacks rather than eight: each one is an allocation on every request.
type tracer struct {
	mu      sync.Mutex
	start   time.Time
	getConn time.Time // the transport started looking for a connection
	last    time.Time // the end of the previous step of making a new connection
	t       Timing
}

// hooks fills t with callbacks that record into tr.
func (tr *tracer) hooks(t *httptrace.ClientTrace) {
	*t = httptrace.ClientTrace{
		GetConn: func(string) {
			now := time.Now()
			tr.mu.Lock()
			tr.getConn, tr.last = now, now
			tr.mu.Unlock()
		},
		DNSDone: func(httptrace.DNSDoneInfo) { tr.step(&tr.t.DNS) },
		ConnectDone: func(_, _ string, err error) {
			if err == nil {
				tr.step(&tr.t.Connect)
			}
		},
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			if err == nil {
				tr.step(&tr.t.TLS)
			}
		},
		GotConn: func(info httptrace.GotConnInfo) {
			tr.mu.Lock()
			tr.t.Reused = info.Reused
			tr.mu.Unlock()
		},
		GotFirstResponseByte: func() {
			now := time.Now()
			tr.mu.Lock()
			tr.t.FirstByte = now.Sub(tr.start)
			tr.mu.Unlock()
		},
	}
}

// step records the time since the end of the previous step in d.
func (tr *tracer) step(d *time.Duration) {
	now := time.Now()
	tr.mu.Lock()
	*d = now.Sub(tr.last)
	tr.last = now
	tr.mu.Unlock()
}

func (tr *tracer) timing(end time.Time) Timing {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	t := tr.t
	if t.Reused {
		// A dial started for this request may have finished after a kept-alive connection served it.
		t.DNS, t.Connect, t.TLS = 0, 0, 0
	}
	t.Total = end.Sub(tr.start)
	return t
}
