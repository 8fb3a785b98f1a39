package runner_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	apikeychain "apidesk/engine/keychain"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
)

// host is an API server that notes every request's credentials.
type host struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string // Authorization and the api_key param of each request
}

func newHost(t *testing.T) *host {
	h := &host{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.seen = append(h.seen, r.Header.Get("Authorization")+r.URL.Query().Get("api_key"))
		h.mu.Unlock()
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *host) requests() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.seen...)
}

// TestSecretsStayWithTheirOrigin saves a resource with its secret as the window does, then changes its base URL
// as a teammate's edit of the shared file would: the secret is not sent to the new host, nothing is, until the
// person trusts it. A change the person saves is trusted at once.
func TestSecretsStayWithTheirOrigin(t *testing.T) {
	for _, tt := range []struct {
		name   string
		auth   resource.Auth
		secret string
		want   string // what the API sees
	}{
		{"bearer", resource.Auth{Kind: resource.AuthBearer}, "tok-canary", "Bearer tok-canary"},
		{"basic", resource.Auth{Kind: resource.AuthBasic, Username: "ops"}, "pw", "Basic b3BzOnB3"},
		{"API key", resource.Auth{Kind: resource.AuthAPIKey, KeyName: "api_key", KeyIn: resource.KeyInQuery}, "key-canary", "key-canary"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			was, now := newHost(t), newHost(t)
			keys := secret.New(secret.MockBackend(), secret.Options{})
			ws, err := workspace.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			res := &resource.Resource{Name: "CRM", BaseURL: was.URL + "/v1", Auth: tt.auth}
			if err := ws.SaveResource(ctx, res, keys, map[resource.SecretKind]string{tt.auth.Kind.Secrets()[0]: tt.secret}); err != nil {
				t.Fatal(err)
			}
			rn := runner.New(apikeychain.RunnerSecrets(keys), nil)
			rn.TempDir = t.TempDir()
			send := func(r *resource.Resource) error {
				resp, err := rn.Do(ctx, r, get("/items"), nil)
				if err == nil {
					_ = resp.Close()
				}
				return err
			}
			if err := send(res); err != nil {
				t.Fatal(err)
			}
			if got := was.requests(); len(got) != 1 || got[0] != tt.want {
				t.Fatalf("the saved host saw %q, want %q", got, tt.want)
			}

			// A teammate points the shared file elsewhere.
			moved := *res
			moved.BaseURL = now.URL + "/v1"
			err = send(&moved)
			var oce *resource.OriginChangedError
			if !errors.Is(err, resource.ErrOriginChanged) || !errors.As(err, &oce) {
				t.Fatalf("sent to the new host: err = %v", err)
			}
			if oce.Was != was.URL || oce.Now != now.URL || oce.Token || oce.ID != res.ID {
				t.Errorf("the error says %+v", oce)
			}
			want := "The address of CRM changed from " + was.URL + " to " + now.URL + " since your secrets were saved. apidesk did not send them."
			if msg := err.Error(); !strings.HasPrefix(msg, want) || strings.Contains(msg, tt.secret) {
				t.Errorf("message %q", msg)
			}
			if got := now.requests(); len(got) != 0 {
				t.Fatalf("the new host got %d requests before the person confirmed it: %q", len(got), got)
			}

			// The person confirms.
			if err := keys.Trust(ctx, oce); err != nil {
				t.Fatal(err)
			}
			if err := send(&moved); err != nil {
				t.Fatal(err)
			}
			if got := now.requests(); len(got) != 1 || got[0] != tt.want {
				t.Errorf("after confirming, the new host saw %q, want %q", got, tt.want)
			}
			// …and the old address is now the changed one.
			if err := send(res); !errors.Is(err, resource.ErrOriginChanged) {
				t.Errorf("back to the old host: err = %v", err)
			}

			// The person moves it back in their own form: their choice, no question.
			if err := ws.SaveResource(ctx, res, keys, nil); err != nil {
				t.Fatal(err)
			}
			if err := send(res); err != nil {
				t.Errorf("after the person saved the address: %v", err)
			}
		})
	}
}

// TestAccessTokenStaysWithItsOrigin: an OAuth 2.0 resource whose base URL changed does not even ask the token
// source for its access token.
func TestAccessTokenStaysWithItsOrigin(t *testing.T) {
	ctx := context.Background()
	was, now := newHost(t), newHost(t)
	keys := secret.New(secret.MockBackend(), secret.Options{})
	res := &resource.Resource{ID: "oauthres", Name: "Mail", BaseURL: was.URL, Auth: resource.Auth{Kind: resource.AuthOAuth2}}
	// What a sign-in leaves, by an apidesk that recorded no address: bound on first use.
	if err := keys.Set(ctx, res.ID, resource.SecretOAuthToken, `{"access_token":"at-canary"}`); err != nil {
		t.Fatal(err)
	}
	ts := &tokens{current: "at-canary"}
	rn := &runner.Runner{Secrets: apikeychain.RunnerSecrets(keys), Tokens: ts, TempDir: t.TempDir()}
	resp, err := rn.Do(ctx, res, get("/"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Close()
	if got, _ := keys.Origins(ctx, res.ID); got.API != was.URL {
		t.Fatalf("first use recorded %+v, want the API at %s", got, was.URL)
	}

	moved := *res
	moved.BaseURL = strings.Replace(now.URL, "127.0.0.1", "localhost", 1)
	if _, err := rn.Do(ctx, &moved, get("/"), nil); !errors.Is(err, resource.ErrOriginChanged) {
		t.Fatalf("err = %v", err)
	}
	if got := now.requests(); len(got) != 0 {
		t.Errorf("the new host got %q", got)
	}
	if got := was.requests(); len(got) != 1 || got[0] != "Bearer at-canary" {
		t.Errorf("the saved host saw %q", got)
	}
}
