package insomnia

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"apidesk/engine/imports/internal/collection"
	"apidesk/engine/kv"
	"apidesk/engine/resource"
)

// auth reads a request's or a folder's authentication. set is false when it sets none of its own (so it
// inherits its folder's); a nil Auth with set true sends none.
func (r *reader) auth(n *node, where string) (a *collection.Auth, set bool) {
	if n == nil || n.kind != object || len(n.keys) == 0 {
		return nil, false
	}
	typ := strings.ToLower(strings.TrimSpace(n.text("type")))
	switch {
	case typ == "" || typ == "inherit":
		return nil, false
	case n.bool("disabled") || typ == "none":
		return nil, true
	}
	t := func(key string) string { return strings.TrimSpace(r.conv.convert(n.text(key), where)) }
	secret := func(words string, keys ...string) string {
		for _, k := range keys {
			if t(k) != "" {
				return words
			}
		}
		return ""
	}
	switch typ {
	case "bearer":
		prefix := t("prefix")
		if prefix != "" && !strings.EqualFold(prefix, "Bearer") {
			return &collection.Auth{
				Auth:   resource.Auth{Kind: resource.AuthAPIKey, KeyName: "Authorization", KeyIn: resource.KeyInHeader},
				Words:  fmt.Sprintf("an Authorization header of %s and a token", prefix),
				Secret: fmt.Sprintf("the token (type it with %s before it, as the API key's value)", prefix),
			}, true
		}
		return &collection.Auth{Auth: resource.Auth{Kind: resource.AuthBearer}, Words: "a bearer token", Secret: secret("the bearer token", "token")}, true
	case "basic", "digest":
		kind, words := resource.AuthBasic, "Basic authentication"
		if typ == "digest" {
			kind, words = resource.AuthDigest, "Digest authentication"
		}
		user := t("username")
		if user != "" {
			words += " (user " + user + ")"
		}
		return &collection.Auth{Auth: resource.Auth{Kind: kind, Username: user}, Words: words, Secret: secret("the password", "password")}, true
	case "apikey":
		key := t("key")
		in := resource.KeyInHeader
		switch strings.ToLower(t("addTo")) {
		case "queryparams", "query":
			in = resource.KeyInQuery
		case "cookie":
			r.plan.Leave(where, "its API key sent as the cookie "+key, "apidesk sends an API key in a header or a URL parameter: set it up on the resource")
			return nil, true
		}
		return &collection.Auth{Auth: resource.Auth{Kind: resource.AuthAPIKey, KeyName: key, KeyIn: in},
			Words: "the API key " + key, Secret: secret("the API key's value", "value")}, true
	case "oauth2":
		return r.oauth2(n, where, t)
	}
	names := map[string]string{"ntlm": "NTLM", "iam": "AWS IAM (Signature Version 4)", "hawk": "Hawk", "oauth1": "OAuth 1.0",
		"asap": "Atlassian ASAP", "netrc": "netrc", "akamai-edgegrid": "Akamai EdgeGrid"}
	name := names[typ]
	if name == "" {
		name = typ
	}
	r.plan.Leave(where, "its authentication ("+name+")", "apidesk does not authenticate this way: set up the resource's authentication after the import")
	return nil, true
}

// oauth2 reads an OAuth 2.0 authentication.
func (r *reader) oauth2(n *node, where string, t func(string) string) (*collection.Auth, bool) {
	o := resource.OAuth2{
		AuthURL:  t("authorizationUrl"),
		TokenURL: t("accessTokenUrl"),
		ClientID: t("clientId"),
		Scopes:   strings.Fields(strings.ReplaceAll(t("scope"), ",", " ")),
	}
	grant := t("grantType")
	switch grant {
	case "authorization_code", "":
		o.Grant = resource.GrantAuthorizationCode
		if aud := t("audience"); aud != "" {
			o.AuthParams = append(o.AuthParams, kv.On("audience", aud))
		}
	case "client_credentials":
		o.Grant = resource.GrantClientCredentials
		if aud := t("audience"); aud != "" {
			o.TokenParams = append(o.TokenParams, kv.On("audience", aud))
		}
	default:
		words := map[string]string{"password": "password", "implicit": "implicit", "refresh_token": "refresh token"}[grant]
		if words == "" {
			words = grant
		}
		r.plan.Leave(where, fmt.Sprintf("its OAuth 2.0 sign-in with the %s grant", words),
			"apidesk signs in with the authorization code, client credentials or device grant: set up the resource's authentication after the import")
		return nil, true
	}
	if res := t("resource"); res != "" {
		o.TokenParams = append(o.TokenParams, kv.On("resource", res))
	}
	if n.bool("credentialsInBody") {
		o.ClientAuth = resource.ClientAuthBody
	}
	if redirect := t("redirectUrl"); redirect != "" && o.Grant == resource.GrantAuthorizationCode {
		if u, err := url.Parse(redirect); err == nil && resource.LoopbackHost(u.Hostname()) && u.Port() != "" {
			o.RedirectPort, _ = strconv.Atoi(u.Port())
		} else {
			r.plan.Leave(where, "the redirect URL "+redirect,
				"apidesk receives the sign-in on this computer (http://127.0.0.1 and a port): register that redirect URL with the provider")
		}
	}
	words := "OAuth 2.0 (authorization code)"
	if o.Grant == resource.GrantClientCredentials {
		words = "OAuth 2.0 (client credentials)"
	}
	var secrets []string
	if t("clientSecret") != "" {
		secrets = append(secrets, "the client secret")
	}
	if t("accessToken") != "" || t("refreshToken") != "" {
		secrets = append(secrets, "the tokens of an earlier sign-in")
	}
	return &collection.Auth{Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: o}, Words: words, Secret: strings.Join(secrets, " and ")}, true
}
