package oauthpeer

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/oauth2"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/token/jwt"
)

// session carries what fosite needs for both ID tokens (openid.Session) and
// JWT access tokens (oauth2.JWTSessionContainer).
type session struct {
	openid.DefaultSession
	JWTClaims *jwt.JWTClaims
	JWTHeader *jwt.Headers
}

var (
	_ openid.Session             = (*session)(nil)
	_ oauth2.JWTSessionContainer = (*session)(nil)
)

// newSession returns a session for subject, the test user or a client id.
// Callers hold s.mu.
func (s *Server) newSession(subject string) *session {
	now := time.Now().UTC()
	extra := map[string]any{}
	if s.set.jwtMinSize > 0 {
		// Base64url turns 3 bytes into 4, so a claim of minSize*3/4 bytes
		// alone makes the token at least minSize long.
		extra["pad"] = strings.Repeat("p", s.set.jwtMinSize*3/4+1)
	}
	return &session{
		DefaultSession: openid.DefaultSession{
			Claims: &jwt.IDTokenClaims{
				Subject:     subject,
				Issuer:      s.URL,
				AuthTime:    now,
				RequestedAt: now,
			},
			Headers:  &jwt.Headers{Extra: map[string]any{"kid": signingKeyID}},
			Subject:  subject,
			Username: subject,
		},
		JWTClaims: &jwt.JWTClaims{Subject: subject, Issuer: s.URL, Extra: extra},
		JWTHeader: &jwt.Headers{Extra: map[string]any{"kid": signingKeyID}},
	}
}

func (s *session) setSubject(sub string) {
	s.Subject, s.Username = sub, sub
	s.Claims.Subject = sub
	s.JWTClaims.Subject = sub
}

func (s *session) GetJWTClaims() jwt.JWTClaimsContainer { return s.JWTClaims }

func (s *session) GetJWTHeader() *jwt.Headers { return s.JWTHeader }

func (s *session) Clone() fosite.Session {
	if s == nil {
		return nil
	}
	c := *s
	if d, ok := s.DefaultSession.Clone().(*openid.DefaultSession); ok && d != nil {
		c.DefaultSession = *d
	}
	if s.JWTClaims != nil {
		jc := *s.JWTClaims
		jc.Extra = maps.Clone(s.JWTClaims.Extra)
		jc.Audience = slices.Clone(s.JWTClaims.Audience)
		jc.Scope = slices.Clone(s.JWTClaims.Scope)
		c.JWTClaims = &jc
	}
	if s.JWTHeader != nil {
		c.JWTHeader = &jwt.Headers{Extra: maps.Clone(s.JWTHeader.Extra)}
	}
	return &c
}

// sessionExpiry makes a JWT access token strategy also honour the expiry kept
// in the stored session, so Server.ExpireAccessTokens works for JWTs, whose
// own exp claim cannot change.
type sessionExpiry struct {
	oauth2.CoreStrategy
}

func (e sessionExpiry) ValidateAccessToken(ctx context.Context, r fosite.Requester, token string) error {
	if exp := r.GetSession().GetExpiresAt(fosite.AccessToken); !exp.IsZero() && exp.Before(time.Now().UTC()) {
		return fosite.ErrTokenExpired.WithHintf("Access token expired at '%s'.", exp)
	}
	return e.CoreStrategy.ValidateAccessToken(ctx, r, token)
}
