package runner_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// seen is what the echo server received, sent back as JSON.
type seen struct {
	Method   string
	Path     string // as written on the request line, escaped
	RawQuery string
	Query    map[string][]string
	Header   http.Header
	Cookies  map[string]string
	Body     string
	Host     string
}

func (s seen) header(name string) string { return http.Header(s.Header).Get(name) }

// echoHandler answers every request with what it received.
func echoHandler(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s := seen{
		Method:   r.Method,
		Path:     r.URL.EscapedPath(),
		RawQuery: r.URL.RawQuery,
		Query:    r.URL.Query(),
		Header:   r.Header,
		Cookies:  map[string]string{},
		Body:     string(body),
		Host:     r.Host,
	}
	for _, c := range r.Cookies() {
		s.Cookies[c.Name] = c.Value
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s)
}

func newEcho(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(echoHandler))
	t.Cleanup(srv.Close)
	return srv
}

// decodeSeen reads the echo server's answer from a response.
func decodeSeen(t *testing.T, resp *runner.Response) seen {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s, body %s", resp.Status, resp.Body)
	}
	var s seen
	if err := json.Unmarshal(resp.Body, &s); err != nil {
		t.Fatalf("echo answer: %v: %s", err, resp.Body)
	}
	return s
}

// keychain is an in-memory Secrets keyed by resource ID and kind; the real store is package secret's.
type keychain struct {
	mu     sync.Mutex
	resID  string
	values secrets
	reads  int
	err    error
}

// secrets are the values of one resource's secrets, by kind.
type secrets map[resource.SecretKind]string

func newKeychain(resID string, values secrets) *keychain {
	return &keychain{resID: resID, values: values}
}

func (k *keychain) Secret(_ context.Context, id string, kind resource.SecretKind) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.reads++
	if k.err != nil {
		return "", k.err
	}
	if id != k.resID {
		return "", nil
	}
	return k.values[kind], nil
}

// tokens is a TokenSource double standing in for package oauth: it hands out a current token and, on Refresh,
// the next one from a list.
type tokens struct {
	mu        sync.Mutex
	current   string
	next      []string
	refreshed []string // the rejected tokens Refresh was called with
	err       error    // returned by Refresh
}

func (s *tokens) AccessToken(context.Context, *resource.Resource) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current, nil
}

func (s *tokens) Refresh(_ context.Context, _ *resource.Resource, rejected string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshed = append(s.refreshed, rejected)
	if s.err != nil {
		return "", s.err
	}
	if len(s.next) == 0 {
		return "", errors.New("no refresh token")
	}
	s.current, s.next = s.next[0], s.next[1:]
	return s.current, nil
}

func (s *tokens) refreshes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refreshed...)
}

func newResource(baseURL string) *resource.Resource {
	return &resource.Resource{ID: "res1", Name: "Shop", BaseURL: baseURL}
}

func get(path string) *query.Query { return &query.Query{Method: http.MethodGet, Path: path} }

// do runs a query and fails the test on error; the response is closed at cleanup.
func do(t *testing.T, rn *runner.Runner, res *resource.Resource, q *query.Query, vars map[string]string) *runner.Response {
	t.Helper()
	resp, err := rn.Do(context.Background(), res, q, vars)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	t.Cleanup(func() { _ = resp.Close() })
	return resp
}
