package oauthpeer_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"apidesk/e2e/oauthpeer"

	"golang.org/x/oauth2"
)

// poll asks once for the device's tokens and returns the status and error code.
func poll(t *testing.T, srv *oauthpeer.Server, deviceCode string) (int, string) {
	t.Helper()
	form := url.Values{"grant_type": {oauthpeer.GrantDeviceCode}, "device_code": {deviceCode}, "client_id": {oauthpeer.PublicClientID}}
	status, _, body := postForm(t, srv.HTTPClient(), srv.TokenURL(), form, "", "")
	code, _ := decodeJSON(t, body)["error"].(string)
	return status, code
}

func TestDeviceFlow(t *testing.T) {
	srv := oauthpeer.Start(t)
	cfg := publicConfig(srv, "read", "offline_access")
	ctx := ctxFor(t, srv)

	da, err := cfg.DeviceAuth(ctx)
	if err != nil {
		t.Fatalf("DeviceAuth: %v", err)
	}
	if da.UserCode == "" || da.VerificationURI != srv.URL+oauthpeer.PathDeviceVerify || da.Interval != 1 || da.Expiry.IsZero() {
		t.Fatalf("device auth = %+v", da)
	}
	if got := srv.PendingUserCodes(); !slices.Equal(got, []string{da.UserCode}) {
		t.Fatalf("pending = %v", got)
	}
	if status, code := poll(t, srv, da.DeviceCode); status != http.StatusBadRequest || code != "authorization_pending" {
		t.Fatalf("first poll = %d %s, want authorization_pending", status, code)
	}

	// The person opens the complete verification URI on their phone.
	browser := srv.Browser(t)
	u, _ := url.Parse(da.VerificationURIComplete)
	if err := browser.OpenURL(u); err != nil {
		t.Fatal(err)
	}
	if v := browser.Wait()[0]; v.Err != nil || v.Callback != nil {
		t.Fatalf("verification visit = %+v", v)
	}

	tok, err := cfg.DeviceAccessToken(ctx, da)
	if err != nil {
		t.Fatalf("DeviceAccessToken: %v", err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("token = %+v", tok)
	}
	status, _, body := get(t, srv.HTTPClient(), srv.MeURL(), tok.AccessToken)
	if status != http.StatusOK || decodeJSON(t, body)["sub"] != srv.Subject() {
		t.Fatalf("/api/me = %d %s", status, body)
	}
	// Device tokens are fosite's own: they refresh like any other.
	if _, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err != nil {
		t.Errorf("refreshing a device token: %v", err)
	}
	if status, code := poll(t, srv, da.DeviceCode); status != http.StatusBadRequest || code != "invalid_grant" {
		t.Errorf("poll after use = %d %s, want invalid_grant", status, code)
	}
}

func TestDeviceFlowOutcomes(t *testing.T) {
	tests := []struct {
		name   string
		act    func(srv *oauthpeer.Server, userCode string) error
		want   string
		viaLib bool // let golang.org/x/oauth2 poll
	}{
		{"denied", (*oauthpeer.Server).DenyDevice, "access_denied", true},
		{"expired", func(srv *oauthpeer.Server, _ string) error { srv.ExpireDeviceCodes(); return nil }, "expired_token", true},
		{"forced slow_down", func(srv *oauthpeer.Server, _ string) error { srv.SlowDownNextDevicePoll(); return nil }, "slow_down", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oauthpeer.Start(t)
			cfg := publicConfig(srv, "read")
			ctx := ctxFor(t, srv)
			da, err := cfg.DeviceAuth(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.act(srv, da.UserCode); err != nil {
				t.Fatal(err)
			}
			if tt.viaLib {
				_, err = cfg.DeviceAccessToken(ctx, da)
				if code := errorCode(err); code != tt.want {
					t.Fatalf("err = %v, want %s", err, tt.want)
				}
				return
			}
			if _, code := poll(t, srv, da.DeviceCode); code != tt.want {
				t.Fatalf("poll = %s, want %s", code, tt.want)
			}
			if _, code := poll(t, srv, da.DeviceCode); code != "slow_down" {
				t.Errorf("an immediate second poll = %s, want slow_down: the interval grew", code)
			}
		})
	}

	t.Run("polling too fast", func(t *testing.T) {
		// A long interval keeps "at once" clearly too fast on a loaded machine.
		srv := oauthpeer.Start(t, oauthpeer.WithDeviceInterval(5*time.Second))
		da, err := publicConfig(srv, "read").DeviceAuth(ctxFor(t, srv))
		if err != nil {
			t.Fatal(err)
		}
		if _, code := poll(t, srv, da.DeviceCode); code != "authorization_pending" {
			t.Fatalf("first poll = %s", code)
		}
		if _, code := poll(t, srv, da.DeviceCode); code != "slow_down" {
			t.Fatalf("second poll at once = %s, want slow_down", code)
		}
	})

	t.Run("deny via the verification page", func(t *testing.T) {
		srv := oauthpeer.Start(t)
		da, err := publicConfig(srv, "read").DeviceAuth(ctxFor(t, srv))
		if err != nil {
			t.Fatal(err)
		}
		srv.DenyNextAuthorization()
		if status, _, _ := get(t, srv.HTTPClient(), da.VerificationURIComplete, ""); status != http.StatusOK {
			t.Fatalf("verification page = %d", status)
		}
		if _, code := poll(t, srv, da.DeviceCode); code != "access_denied" {
			t.Errorf("poll = %s, want access_denied", code)
		}
		if err := srv.ApproveDevice(da.UserCode); err == nil {
			t.Error("a denied code could be approved afterwards")
		}
	})

	t.Run("user code is forgiving", func(t *testing.T) {
		srv := oauthpeer.Start(t)
		da, err := publicConfig(srv, "read").DeviceAuth(ctxFor(t, srv))
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.ApproveDevice(" " + da.UserCode[:4] + da.UserCode[5:] + " "); err != nil {
			t.Errorf("approving without the dash: %v", err)
		}
		if err := srv.ApproveDevice("NOPE-NOPE"); err == nil {
			t.Error("an unknown code was approved")
		}
	})

	t.Run("client without the device grant", func(t *testing.T) {
		srv := oauthpeer.Start(t, oauthpeer.WithClient(oauthpeer.Client{ID: "code-only", GrantTypes: []string{oauthpeer.GrantAuthorizationCode}}))
		cfg := &oauth2.Config{ClientID: "code-only", Endpoint: srv.Endpoint()}
		if _, err := cfg.DeviceAuth(ctxFor(t, srv)); err == nil {
			t.Error("a client without the device grant got a device code")
		}
	})
}
