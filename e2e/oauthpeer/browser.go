package oauthpeer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sync"
	"testing"
)

// Browser stands in for the system browser. Hand its OpenURL to the code under
// test where the real app would open the OS browser: like a real browser it
// returns at once and, in the background, loads the authorization URL,
// follows the server's redirects with a cookie jar, and loads the loopback
// callback URL the server redirects to, so the client's listener receives it.
type Browser struct {
	// TamperCallback, when set before OpenURL, may change the callback URL
	// before the browser loads it, e.g. to replace state and test that the
	// client rejects a mismatch.
	TamperCallback func(u *url.URL)

	srv    *Server
	client *http.Client
	ctx    context.Context

	wg     sync.WaitGroup
	mu     sync.Mutex
	opened []*url.URL
	visits []Visit
}

// Visit is what happened to one URL the browser was asked to open.
type Visit struct {
	Opened *url.URL
	// Callback is the URL outside the server that the redirects led to (the
	// client's loopback redirect URI, after TamperCallback), nil when the
	// navigation ended at the server, as device verification pages do.
	Callback *url.URL
	// Status and Body are those of the last page loaded: the client's
	// callback page when there was one.
	Status int
	Body   string
	// Err says why the navigation failed: a network error, too many
	// redirects, or an error status from the last page.
	Err error
}

// Browser returns a simulated browser with an empty cookie jar. Navigations
// still running when the test ends are cancelled and waited for.
func (s *Server) Browser(t testing.TB) *Browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatalf("oauthpeer: cookie jar: %v", err)
	}
	base := s.HTTPClient()
	ctx, cancel := context.WithCancel(context.Background())
	b := &Browser{
		srv: s,
		ctx: ctx,
		client: &http.Client{
			Transport: base.Transport,
			Jar:       jar,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse // OpenURL follows redirects itself
			},
		},
	}
	t.Cleanup(func() {
		cancel()
		b.wg.Wait()
	})
	return b
}

// OpenURL records u and loads it in the background. It fails only for a URL
// no browser could open.
func (b *Browser) OpenURL(u *url.URL) error {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("oauthpeer browser: cannot open %v: not an http(s) URL", u)
	}
	opened := *u
	b.mu.Lock()
	b.opened = append(b.opened, &opened)
	tamper := b.TamperCallback
	b.mu.Unlock()

	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		v := b.navigate(&opened, tamper)
		b.mu.Lock()
		b.visits = append(b.visits, v)
		b.mu.Unlock()
	}()
	return nil
}

// Opened returns the URLs OpenURL was given, in order.
func (b *Browser) Opened() []*url.URL {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]*url.URL, len(b.opened))
	copy(out, b.opened)
	return out
}

// Wait waits for every navigation started so far and returns them all, in
// the order they finished.
func (b *Browser) Wait() []Visit {
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Visit, len(b.visits))
	copy(out, b.visits)
	return out
}

const maxRedirects = 10

func (b *Browser) navigate(start *url.URL, tamper func(*url.URL)) Visit {
	v := Visit{Opened: start}
	server, err := url.Parse(b.srv.URL)
	if err != nil {
		v.Err = err
		return v
	}
	next := start
	for range maxRedirects {
		if next.Host != server.Host && v.Callback == nil {
			cb := *next
			if tamper != nil {
				tamper(&cb)
			}
			v.Callback = &cb
			next = &cb
		}
		status, body, location, err := b.get(next)
		v.Status, v.Body = status, body
		if err != nil {
			v.Err = err
			return v
		}
		if location == nil {
			if status >= 400 {
				v.Err = fmt.Errorf("oauthpeer browser: %s answered %d: %s", next.Redacted(), status, body)
			}
			return v
		}
		next = next.ResolveReference(location)
	}
	v.Err = errors.New("oauthpeer browser: too many redirects")
	return v
}

// get loads u and returns its status, body and redirect target, if any.
func (b *Browser) get(u *url.URL) (int, string, *url.URL, error) {
	req, err := http.NewRequestWithContext(b.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, "", nil, err
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return 0, "", nil, fmt.Errorf("oauthpeer browser: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, "", nil, fmt.Errorf("oauthpeer browser: reading %s: %w", u.Redacted(), err)
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		loc, err := resp.Location()
		if err != nil {
			return resp.StatusCode, string(body), nil, fmt.Errorf("oauthpeer browser: redirect without a usable Location: %w", err)
		}
		return resp.StatusCode, string(body), loc, nil
	}
	return resp.StatusCode, string(body), nil, nil
}
