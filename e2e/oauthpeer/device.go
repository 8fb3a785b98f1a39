package oauthpeer

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/oauth2"
	"github.com/ory/fosite/storage"
)

// The device authorization grant (RFC 8628). fosite v0.49.0 does not have it,
// so the device authorization endpoint and the verification page are small
// handlers here, and the token endpoint part is a fosite TokenEndpointHandler:
// fosite authenticates the client, and the tokens are fosite's own, stored in
// its store, so refresh, revocation and introspection treat them like any
// other.

type deviceStatus int

const (
	devicePending deviceStatus = iota
	deviceApproved
	deviceDenied
	deviceUsed
)

type deviceGrant struct {
	deviceCode string
	userCode   string
	clientID   string
	scopes     []string
	audience   []string
	expiresAt  time.Time
	interval   time.Duration // the polling interval the server enforces
	lastPoll   time.Time
	status     deviceStatus
	subject    string
}

type deviceGrants struct {
	byDevice map[string]*deviceGrant
	order    []*deviceGrant
}

// byUserCode finds a grant by the code a person types; case, spaces and
// dashes do not matter. Callers hold s.mu.
func (d *deviceGrants) byUserCode(code string) *deviceGrant {
	want := normalizeUserCode(code)
	for _, g := range d.order {
		if normalizeUserCode(g.userCode) == want {
			return g
		}
	}
	return nil
}

func normalizeUserCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(code))
}

// handleDeviceAuth is the device authorization endpoint (RFC 8628 §3.1).
func (s *Server) handleDeviceAuth(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_ = r.ParseForm()
	rec := httptest.NewRecorder()
	s.mu.Lock()
	answer, err := s.newDeviceGrant(ctx, r)
	if err != nil {
		s.provider.WriteAccessError(ctx, rec, nil, err)
	} else {
		writeJSON(rec, http.StatusOK, answer)
	}
	s.mu.Unlock()
	copyResponse(w, rec)
}

// newDeviceGrant validates a device authorization request. Callers hold s.mu.
func (s *Server) newDeviceGrant(ctx context.Context, r *http.Request) (map[string]any, error) {
	client, err := s.provider.AuthenticateClient(ctx, r, r.PostForm)
	if err != nil {
		return nil, err
	}
	if !client.GetGrantTypes().Has(GrantDeviceCode) {
		return nil, fosite.ErrUnauthorizedClient.WithHint("The OAuth 2.0 Client is not allowed to use the device authorization grant.")
	}
	scopes := fosite.RemoveEmpty(strings.Split(r.PostForm.Get("scope"), " "))
	for _, sc := range scopes {
		if !s.cfg.GetScopeStrategy(ctx)(client.GetScopes(), sc) {
			return nil, fosite.ErrInvalidScope.WithHintf("The OAuth 2.0 Client is not allowed to request scope '%s'.", sc)
		}
	}
	audience := fosite.GetAudiences(r.PostForm)
	if err := s.cfg.GetAudienceStrategy(ctx)(client.GetAudience(), audience); err != nil {
		return nil, err
	}

	userCode, err := newUserCode()
	if err != nil {
		return nil, fosite.ErrServerError.WithWrap(err)
	}
	seconds := int((s.set.deviceInterval + time.Second - 1) / time.Second)
	seconds = max(seconds, 1)
	g := &deviceGrant{
		deviceCode: rand.Text() + rand.Text(),
		userCode:   userCode,
		clientID:   client.GetID(),
		scopes:     scopes,
		audience:   audience,
		expiresAt:  time.Now().Add(s.set.deviceCodeLifespan),
		interval:   time.Duration(seconds) * time.Second,
	}
	s.device.byDevice[g.deviceCode] = g
	s.device.order = append(s.device.order, g)
	verify := s.URL + PathDeviceVerify
	return map[string]any{
		"device_code":               g.deviceCode,
		"user_code":                 g.userCode,
		"verification_uri":          verify,
		"verification_uri_complete": verify + "?user_code=" + g.userCode,
		"expires_in":                int(s.set.deviceCodeLifespan / time.Second),
		"interval":                  seconds,
	}, nil
}

// newUserCode returns a code like "BDFG-HJKL", without vowels so it never
// spells a word.
func newUserCode() (string, error) {
	const alphabet = "BCDFGHJKLMNPQRSTVWXZ"
	var b strings.Builder
	for i := range 8 {
		if i == 4 {
			b.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b.WriteByte(alphabet[n.Int64()])
	}
	return b.String(), nil
}

// handleDeviceVerify is the verification page a person opens on another
// device. With ?user_code=… the test user approves at once (or denies, after
// DenyNextAuthorization), so a simulated browser can drive the device flow.
func (s *Server) handleDeviceVerify(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("user_code")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if code == "" {
		_, _ = fmt.Fprint(w, `<!doctype html><title>Device sign-in</title><form method="get"><label>Code <input name="user_code"></label> <button>Continue</button></form>`)
		return
	}
	s.mu.Lock()
	approve := !s.denyNext
	s.denyNext = false
	err := s.decideDevice(code, approve)
	s.mu.Unlock()
	switch {
	case err != nil:
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, "<!doctype html><title>Device sign-in</title><p>%s</p>", html.EscapeString(err.Error()))
	case approve:
		_, _ = fmt.Fprint(w, "<!doctype html><title>Device sign-in</title><p>Device approved. You can return to your device.</p>")
	default:
		_, _ = fmt.Fprint(w, "<!doctype html><title>Device sign-in</title><p>Access denied.</p>")
	}
}

// decideDevice approves or denies the pending grant with userCode. Callers
// hold s.mu.
func (s *Server) decideDevice(userCode string, approve bool) error {
	g := s.device.byUserCode(userCode)
	switch {
	case g == nil:
		return errors.New("that code is unknown")
	case time.Now().After(g.expiresAt):
		return errors.New("that code has expired")
	case g.status != devicePending:
		return errors.New("that code was already used")
	case approve:
		g.status, g.subject = deviceApproved, s.set.subject
	default:
		g.status = deviceDenied
	}
	return nil
}

// ApproveDevice lets the test user approve the device sign-in with userCode.
func (s *Server) ApproveDevice(userCode string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.decideDevice(userCode, true)
}

// DenyDevice lets the test user refuse the device sign-in with userCode; the
// next poll gets access_denied.
func (s *Server) DenyDevice(userCode string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.decideDevice(userCode, false)
}

// PendingUserCodes returns the user codes still waiting for a decision, oldest first.
func (s *Server) PendingUserCodes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, g := range s.device.order {
		if g.status == devicePending && time.Now().Before(g.expiresAt) {
			out = append(out, g.userCode)
		}
	}
	return out
}

// ExpireDeviceCodes makes every device code issued so far expired: the next
// poll gets expired_token.
func (s *Server) ExpireDeviceCodes() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := time.Now().Add(-time.Second)
	for _, g := range s.device.order {
		g.expiresAt = past
	}
}

// SlowDownNextDevicePoll makes the next poll of a pending device code get
// slow_down however politely it came, and raises the enforced interval.
func (s *Server) SlowDownNextDevicePoll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slowDownNxt = true
}

func deviceError(code, description string) error {
	return &fosite.RFC6749Error{ErrorField: code, DescriptionField: description, CodeField: http.StatusBadRequest}
}

// deviceTokenHandler answers grant_type=urn:ietf:params:oauth:grant-type:device_code
// inside fosite's token endpoint. fosite calls it with s.mu held.
type deviceTokenHandler struct {
	s        *Server
	strategy oauth2.CoreStrategy
	store    *storage.MemoryStore
}

var _ fosite.TokenEndpointHandler = (*deviceTokenHandler)(nil)

func (h *deviceTokenHandler) CanSkipClientAuth(context.Context, fosite.AccessRequester) bool {
	return false
}

func (h *deviceTokenHandler) CanHandleTokenEndpointRequest(_ context.Context, ar fosite.AccessRequester) bool {
	return ar.GetGrantTypes().ExactOne(GrantDeviceCode)
}

func (h *deviceTokenHandler) HandleTokenEndpointRequest(ctx context.Context, ar fosite.AccessRequester) error {
	if !h.CanHandleTokenEndpointRequest(ctx, ar) {
		return fosite.ErrUnknownRequest
	}
	client := ar.GetClient()
	if !client.GetGrantTypes().Has(GrantDeviceCode) {
		return fosite.ErrUnauthorizedClient.WithHint("The OAuth 2.0 Client is not allowed to use the device authorization grant.")
	}
	code := ar.GetRequestForm().Get("device_code")
	if code == "" {
		return fosite.ErrInvalidRequest.WithHint("The 'device_code' parameter is missing.")
	}
	g := h.s.device.byDevice[code]
	if g == nil || g.clientID != client.GetID() {
		return fosite.ErrInvalidGrant.WithHint("The device code is unknown or belongs to another client.")
	}

	now := time.Now()
	switch {
	case g.status == deviceUsed:
		return fosite.ErrInvalidGrant.WithHint("The device code was already exchanged.")
	case now.After(g.expiresAt):
		return deviceError("expired_token", "The device code has expired; start the device sign-in again.")
	case g.status == deviceDenied:
		return deviceError("access_denied", "The user denied the device sign-in.")
	case g.status == devicePending:
		// A poll that comes sooner than the interval is too fast. Allow a
		// fifth of the interval for scheduling and network jitter.
		tooFast := !g.lastPoll.IsZero() && now.Sub(g.lastPoll) < g.interval-g.interval/5
		g.lastPoll = now
		if h.s.slowDownNxt || tooFast {
			h.s.slowDownNxt = false
			g.interval += h.s.set.deviceSlowDownStep
			return deviceError("slow_down", "Polling too fast; wait longer between requests.")
		}
		return deviceError("authorization_pending", "The user has not approved the device sign-in yet.")
	}

	g.status = deviceUsed
	ar.SetRequestedScopes(g.scopes)
	ar.SetRequestedAudience(g.audience)
	for _, sc := range g.scopes {
		ar.GrantScope(sc)
	}
	for _, aud := range g.audience {
		ar.GrantAudience(aud)
	}
	if sess, ok := ar.GetSession().(*session); ok {
		sess.setSubject(g.subject)
	}
	at := fosite.GetEffectiveLifespan(client, fosite.GrantType(GrantDeviceCode), fosite.AccessToken, h.s.cfg.GetAccessTokenLifespan(ctx))
	ar.GetSession().SetExpiresAt(fosite.AccessToken, now.UTC().Add(at).Round(time.Second))
	if rt := fosite.GetEffectiveLifespan(client, fosite.GrantType(GrantDeviceCode), fosite.RefreshToken, h.s.cfg.GetRefreshTokenLifespan(ctx)); rt > -1 {
		ar.GetSession().SetExpiresAt(fosite.RefreshToken, now.UTC().Add(rt).Round(time.Second))
	}
	return nil
}

func (h *deviceTokenHandler) PopulateTokenEndpointResponse(ctx context.Context, ar fosite.AccessRequester, resp fosite.AccessResponder) error {
	if !h.CanHandleTokenEndpointRequest(ctx, ar) {
		return fosite.ErrUnknownRequest
	}
	access, accessSig, err := h.strategy.GenerateAccessToken(ctx, ar)
	if err != nil {
		return fosite.ErrServerError.WithWrap(err)
	}
	if err := h.store.CreateAccessTokenSession(ctx, accessSig, ar.Sanitize(nil)); err != nil {
		return fosite.ErrServerError.WithWrap(err)
	}
	refreshScopes := h.s.cfg.GetRefreshTokenScopes(ctx)
	if ar.GetClient().GetGrantTypes().Has(GrantRefreshToken) &&
		(len(refreshScopes) == 0 || ar.GetGrantedScopes().HasOneOf(refreshScopes...)) {
		refresh, refreshSig, err := h.strategy.GenerateRefreshToken(ctx, ar)
		if err != nil {
			return fosite.ErrServerError.WithWrap(err)
		}
		if err := h.store.CreateRefreshTokenSession(ctx, refreshSig, accessSig, ar.Sanitize(nil)); err != nil {
			return fosite.ErrServerError.WithWrap(err)
		}
		resp.SetExtra("refresh_token", refresh)
	}
	resp.SetAccessToken(access)
	resp.SetTokenType("bearer")
	resp.SetExpiresIn(time.Until(ar.GetSession().GetExpiresAt(fosite.AccessToken)))
	resp.SetScopes(ar.GetGrantedScopes())
	return nil
}
