package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"apidesk/engine/resource"
)

// State is where a resource's sign-in stands.
type State int

// The states of a sign-in.
const (
	NotSignedIn State = iota // no token: sign in (a client credentials resource gets one by itself)
	SignedIn                 // a token that is good now
	Expired                  // the access token expired; a refresh token renews it on next use
	NeedsSignIn              // the token is no longer usable: sign in again
)

func (s State) String() string {
	switch s {
	case SignedIn:
		return "signed in"
	case Expired:
		return "expired, refreshes on next use"
	case NeedsSignIn:
		return "needs sign-in"
	}
	return "not signed in"
}

// Status describes a resource's sign-in without showing any token.
type Status struct {
	State       State
	Grant       string        // resource.Grant*
	Expiry      time.Time     // zero when the server gave no lifetime
	ExpiresIn   time.Duration // from the time of the call; 0 with no expiry, negative when past
	Scopes      []string      // granted
	TokenType   string        // as the Authorization header spells it
	Refreshable bool          // a refresh token is stored
	Obtained    time.Time

	// NeedsClientSecret: the resource's client authenticates with a secret and it is not in this keychain.
	NeedsClientSecret bool

	// PKCEOff: the resource signs in through the browser without PKCE (pkce: false in its file, which may
	// have come from someone else through a shared folder). Warnings says so.
	PKCEOff bool

	// Access and ID hold the claims of the access and ID tokens when they are JWTs (nil otherwise), decoded
	// without verifying them.
	Access *JWT
	ID     *JWT
}

// Ready reports whether queries can run: signed in (or refreshable), or a client credentials resource that
// has its secret and gets tokens by itself.
func (s Status) Ready() bool {
	switch {
	case s.NeedsClientSecret:
		return false
	case s.State == SignedIn || s.State == Expired:
		return true
	case s.Grant == resource.GrantClientCredentials:
		return s.State != NeedsSignIn
	}
	return false
}

// Summary is one line a person reads: "Signed in · expires in 52 min · scopes read write".
func (s Status) Summary() string {
	var parts []string
	switch {
	case s.NeedsClientSecret:
		parts = append(parts, "Needs its client secret — enter it to sign in")
	case s.State == SignedIn:
		parts = append(parts, "Signed in")
		if r := s.Renewal(); r != "" {
			parts = append(parts, r)
		}
	case s.State == Expired:
		parts = append(parts, "Signed in", "access token expired "+humanDuration(-s.ExpiresIn)+" ago, renewed on next use")
	case s.State == NeedsSignIn:
		parts = append(parts, "Signed out — sign in again")
	case s.Grant == resource.GrantClientCredentials:
		parts = append(parts, "No token yet — one is fetched on first use")
	default:
		parts = append(parts, "Not signed in")
	}
	if (s.State == SignedIn || s.State == Expired) && len(s.Scopes) > 0 {
		parts = append(parts, "scopes "+strings.Join(s.Scopes, " "))
	}
	return strings.Join(parts, " · ")
}

// Renewal says, for a sign-in that is good now, when it runs out and what happens then: "expires in 52 min,
// renews by itself" when a refresh token is stored (or a client credentials resource fetches a new token),
// "you will need to sign in again in 60 s" when not, "no expiry given" when the server gave no lifetime. It is
// "" in any other state.
func (s Status) Renewal() string {
	switch {
	case s.State != SignedIn:
		return ""
	case s.Expiry.IsZero():
		return "no expiry given"
	case s.Refreshable:
		return "expires in " + humanDuration(s.ExpiresIn) + ", renews by itself"
	case s.Grant == resource.GrantClientCredentials:
		return "expires in " + humanDuration(s.ExpiresIn) + ", a new token is fetched by itself"
	}
	return "you will need to sign in again in " + humanDuration(s.ExpiresIn)
}

// At is the status as it stands at now, for a view that counts down: ExpiresIn counted from now, and a
// sign-in whose access token has expired meanwhile Expired (with a refresh token), NotSignedIn (client
// credentials fetch a new one) or NeedsSignIn. It reads nothing.
func (s Status) At(now time.Time) Status {
	if s.Expiry.IsZero() {
		return s
	}
	s.ExpiresIn = s.Expiry.Sub(now)
	if s.State == SignedIn && !now.Before(s.Expiry) {
		switch {
		case s.Refreshable:
			s.State = Expired
		case s.Grant == resource.GrantClientCredentials:
			s.State = NotSignedIn
		default:
			s.State = NeedsSignIn
		}
	}
	return s
}

// humanDuration says d the way a person would: "45 s", "90 s", "52 min", "3 h 5 min", "2 days". Under two
// minutes it counts seconds, so that a countdown moves.
func humanDuration(d time.Duration) string {
	switch {
	case d < 2*time.Minute:
		return fmt.Sprintf("%d s", max(0, int(d.Round(time.Second)/time.Second)))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}

// PKCEOffWarning is what the window and the CLI say about a resource that signs in without PKCE.
const PKCEOffWarning = "PKCE is turned off for this resource, so a sign-in code caught on its way back from the browser could be used by someone else. Turn PKCE back on unless the provider refuses sign-ins with it"

// Warnings are what the person should know about how the resource signs in, in their words.
func (s Status) Warnings() []string {
	var w []string
	if s.PKCEOff {
		w = append(w, PKCEOffWarning)
	}
	return w
}

func statusOf(t *Token, o *resource.OAuth2, now time.Time) Status {
	s := Status{Grant: grantOf(o)}
	s.PKCEOff = s.Grant == resource.GrantAuthorizationCode && o.DisablePKCE
	if t == nil {
		return s
	}
	s.Expiry, s.Scopes, s.TokenType = t.Expiry, t.Scopes, t.Type()
	s.Refreshable, s.Obtained = t.RefreshToken != "", t.Obtained
	if !t.Expiry.IsZero() {
		s.ExpiresIn = t.Expiry.Sub(now)
	}
	switch {
	case t.ClientID != "" && t.ClientID != o.ClientID:
		s.State = NeedsSignIn
	case !t.expired(now):
		s.State = SignedIn
	case s.Refreshable:
		s.State = Expired
	case s.Grant == resource.GrantClientCredentials:
		s.State = NotSignedIn // a new token is fetched on use
	default:
		s.State = NeedsSignIn
	}
	s.Access, _ = DecodeJWT(t.AccessToken)
	s.ID, _ = DecodeJWT(t.IDToken)
	return s
}

// Status reads the resource's sign-in from the keychain. It makes no network request.
func (c *Client) Status(ctx context.Context, r *resource.Resource) (Status, error) {
	ctx = forResource(ctx, r)
	o, err := oauth2Of(r)
	if err != nil {
		return Status{}, err
	}
	t := c.unsavedToken(r.ID) // newer than the keychain's
	if t == nil {
		if t, err = c.loadToken(ctx, r.ID); err != nil {
			return Status{}, err
		}
	}
	s := statusOf(t, o, time.Now())
	if grantOf(o) == resource.GrantClientCredentials || o.ClientAuth == resource.ClientAuthBasic || o.ClientAuth == resource.ClientAuthBody {
		secret, err := c.clientSecret(ctx, r.ID)
		if err != nil {
			return Status{}, err
		}
		s.NeedsClientSecret = secret == ""
	}
	return s, nil
}

// LoginCheck is the answer of a resource's login test URL.
type LoginCheck struct {
	Tested     bool   // false when the resource has no login test URL
	OK         bool   // signed in and the URL answered 2xx
	HTTPStatus int    // 0 when no request was made
	Message    string // for a person: what happened and what to do
}

// CheckLogin GETs the resource's login test URL with its access token (refreshing it once on a 401). Not
// being signed in or a non-2xx answer is a result (OK false, the state is "needs sign-in"), not an error;
// the error is for a test that could not be made (network, keychain).
func (c *Client) CheckLogin(ctx context.Context, r *resource.Resource) (LoginCheck, error) {
	ctx = forResource(ctx, r)
	o, err := oauth2Of(r)
	if err != nil {
		return LoginCheck{}, err
	}
	if strings.TrimSpace(o.LoginTestURL) == "" {
		return LoginCheck{OK: true, Message: "no login test URL is set"}, nil
	}
	testURL, err := expandURL("Login test URL", o.LoginTestURL, oauthVars(o, nil))
	if err != nil {
		return LoginCheck{}, err
	}
	token, err := c.AccessToken(ctx, r)
	if errors.Is(err, ErrNotSignedIn) {
		return LoginCheck{Tested: true, Message: err.Error()}, nil
	}
	if err != nil {
		return LoginCheck{}, err
	}
	status, err := c.getWithToken(ctx, testURL, token)
	if err == nil && status == http.StatusUnauthorized {
		if token, err = c.Refresh(ctx, r, token); errors.Is(err, ErrNotSignedIn) {
			return LoginCheck{Tested: true, HTTPStatus: status, Message: err.Error()}, nil
		} else if err == nil {
			status, err = c.getWithToken(ctx, testURL, token)
		}
	}
	if err != nil {
		return LoginCheck{}, err
	}
	lc := LoginCheck{Tested: true, HTTPStatus: status, OK: status >= 200 && status < 300}
	if lc.OK {
		lc.Message = fmt.Sprintf("the login test URL answered %d %s", status, http.StatusText(status))
	} else {
		lc.Message = fmt.Sprintf("the login test URL answered %d %s: sign in again (or check the URL and the scopes)", status, http.StatusText(status))
	}
	return lc, nil
}

func (c *Client) getWithToken(ctx context.Context, u, token string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.requestTimeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, fmt.Errorf("Login test URL is not valid: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	hc, err := c.httpClient(ctx)
	if err != nil {
		return 0, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("could not reach the login test URL at %s: %w", hostOf(u), unwrapURLError(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.StatusCode, nil
}
