package oauthpeer

import (
	"net/http"
	"net/http/httptest"

	"github.com/ory/fosite"
)

// handleAuthorize is the authorization endpoint. The test user is always
// signed in and consents to every scope and audience the client may have,
// unless DenyNextAuthorization was called.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "use GET or POST", http.StatusMethodNotAllowed)
		return
	}
	ctx := r.Context()
	rec := httptest.NewRecorder()

	s.mu.Lock()
	ar, err := s.provider.NewAuthorizeRequest(ctx, r)
	switch {
	case err != nil:
		s.provider.WriteAuthorizeError(ctx, rec, ar, err)
	case s.denyNext:
		s.denyNext = false
		s.provider.WriteAuthorizeError(ctx, rec, ar, fosite.ErrAccessDenied.WithHint("The test user denied the request."))
	default:
		for _, scope := range ar.GetRequestedScopes() {
			ar.GrantScope(scope)
		}
		for _, aud := range ar.GetRequestedAudience() {
			ar.GrantAudience(aud)
		}
		resp, err := s.provider.NewAuthorizeResponse(ctx, ar, s.newSession(s.set.subject))
		if err != nil {
			s.provider.WriteAuthorizeError(ctx, rec, ar, err)
		} else {
			s.provider.WriteAuthorizeResponse(ctx, rec, ar, resp)
		}
	}
	s.mu.Unlock()

	copyResponse(w, rec)
}
