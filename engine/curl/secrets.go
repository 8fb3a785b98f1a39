package curl

import "apidesk/engine/runner"

// Placeholders Export writes in place of a secret. They read as what they stand for, cannot be mistaken for a
// real value, and have the shape of template.AccessTokenPlaceholder ({-oauth_access_token-}), which Export
// keeps as it is. Import recognises every {-name-} placeholder (template.HasPlaceholder) and never takes one
// for a secret.
const (
	PasswordPlaceholder    = runner.PasswordPlaceholder    // a Basic authentication password
	BearerTokenPlaceholder = runner.BearerTokenPlaceholder // a bearer token
	APIKeyPlaceholder      = runner.APIKeyPlaceholder      // an API key value, in a header or a URL parameter
	SecretPlaceholder      = "{-secret-}"                  // any other value that looks secret: a session cookie, a token…
)

// Which names carry a secret is package sensitive's rule, the one the runner and the workspace use too.
