package runner_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// Check asks the base URL with the resource's authentication and says what came back in words.
func TestCheck(t *testing.T) {
	const token = "canary-bearer-Kk8"
	slowBody := make([]byte, 8<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/big": // a large answer: Check reads only its headers
			w.WriteHeader(http.StatusOK)
			for range 8 {
				if _, err := w.Write(slowBody); err != nil {
					return
				}
			}
		case r.URL.Path == "/missing":
			http.NotFound(w, r)
		case r.URL.Path == "/down":
			http.Error(w, "down", http.StatusServiceUnavailable)
		case r.URL.Path == "/busy":
			http.Error(w, "slow down", http.StatusTooManyRequests)
		case r.Header.Get("Authorization") != "Bearer "+token:
			http.Error(w, "who are you", http.StatusUnauthorized)
		case r.URL.Query().Get("team") != "ops" || r.Header.Get("X-Team") != "ops":
			http.Error(w, "no team", http.StatusBadRequest)
		default:
			_, _ = w.Write([]byte(`{"ok":true}`))
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	bearer := func(base string) *resource.Resource {
		r := newResource(base)
		r.Auth.Kind = resource.AuthBearer
		return r
	}
	ok := bearer(srv.URL + "/v1?team=ops")
	ok.Headers = append(ok.Headers, kv.On("X-Team", "ops"))

	for _, tt := range []struct {
		name   string
		res    *resource.Resource
		token  string
		ok     bool
		status int
		want   string // the start of the message
	}{
		{"connected", ok, token, true, 200, "Connected: 200 OK in "},
		{"refused", ok, "canary-wrong-Zz1", false, 401, "The API refused the credentials (401 Unauthorized): check the token"},
		{"no auth chosen", newResource(srv.URL), "", false, 401, "The API refused the credentials (401 Unauthorized): this API wants credentials"},
		{"not found", bearer(srv.URL + "/missing"), token, false, 404, "Connected, but " + host + " answered 404 Not Found in "},
		{"server problem", bearer(srv.URL + "/down"), token, false, 503, "Connected, but the server had a problem (503 Service Unavailable)"},
		{"too many", bearer(srv.URL + "/busy"), token, false, 429, "Connected, but the API asks to slow down (429 Too Many Requests)"},
		{"big answer", bearer(srv.URL + "/big"), token, true, 200, "Connected: 200 OK in "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rn := &runner.Runner{Secrets: newKeychain("res1", secrets{resource.SecretBearerToken: tt.token})}
			c := rn.Check(context.Background(), tt.res)
			if c.Err != nil || c.OK() != tt.ok || c.StatusCode != tt.status || !strings.HasPrefix(c.Message(), tt.want) {
				t.Errorf("got %d ok=%v %q (err %v); want %d ok=%v %q…", c.StatusCode, c.OK(), c.Message(), c.Err, tt.status, tt.ok, tt.want)
			}
			if strings.Contains(c.Message(), tt.token) && tt.token != "" {
				t.Error("the message shows the token")
			}
		})
	}
}

func TestCheckWithoutAnAnswer(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	host := strings.TrimPrefix(closed.URL, "http://")
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(hang)

	rn := &runner.Runner{Secrets: newKeychain("res1", nil)}
	c := rn.Check(context.Background(), newResource(closed.URL))
	if want := "Could not reach " + host + ": is the server running and the base URL right?"; c.Err == nil || c.OK() || c.Message() != want {
		t.Errorf("closed server: %q (err %v), want %q", c.Message(), c.Err, want)
	}

	bearer := newResource(closed.URL)
	bearer.Auth.Kind = resource.AuthBearer
	if c := rn.Check(context.Background(), bearer); !strings.HasPrefix(c.Message(), "The test could not be made: Shop has no bearer token saved") {
		t.Errorf("no token: %q", c.Message())
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if c := rn.Check(ctx, newResource(slow.URL)); c.Message() != "The test was cancelled." {
		t.Errorf("cancelled: %q (err %v)", c.Message(), c.Err)
	}
	timeout := newResource(slow.URL)
	timeout.Timeout = 100 * time.Millisecond
	if c := rn.Check(context.Background(), timeout); !strings.HasPrefix(c.Message(), "Could not reach "+strings.TrimPrefix(slow.URL, "http://")+": no answer") {
		t.Errorf("timeout: %q", c.Message())
	}
}
