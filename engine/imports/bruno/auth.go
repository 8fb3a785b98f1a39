package bruno

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"apidesk/engine/imports/internal/collection"
	"apidesk/engine/kv"
	"apidesk/engine/resource"
)

// auth reads the authentication of a request, folder or collection file whose mode is mode: its auth:…
// block. set is false when it inherits its folder's; a nil Auth with set true sends none.
func (r *reader) auth(f *bru, mode, where string) (a *collection.Auth, set bool) {
	mode = strings.ToLower(strings.TrimSpace(mode))
	switch mode {
	case "", "inherit":
		return nil, false
	case "none":
		return nil, true
	}
	b := f.get("auth:" + mode)
	v := func(key string) string { return r.dynamic(strings.TrimSpace(b.value(key)), where) }
	secret := func(words, key string) string {
		if v(key) != "" {
			return words
		}
		return ""
	}
	switch mode {
	case "bearer":
		return &collection.Auth{Auth: resource.Auth{Kind: resource.AuthBearer}, Words: "a bearer token", Secret: secret("the bearer token", "token")}, true
	case "basic", "digest":
		kind, words := resource.AuthBasic, "Basic authentication"
		if mode == "digest" {
			kind, words = resource.AuthDigest, "Digest authentication"
		}
		user := v("username")
		if user != "" {
			words += " (user " + user + ")"
		}
		return &collection.Auth{Auth: resource.Auth{Kind: kind, Username: user}, Words: words, Secret: secret("the password", "password")}, true
	case "apikey":
		key := v("key")
		in := resource.KeyInHeader
		if strings.EqualFold(v("placement"), "queryparams") {
			in = resource.KeyInQuery
		}
		return &collection.Auth{Auth: resource.Auth{Kind: resource.AuthAPIKey, KeyName: key, KeyIn: in},
			Words: "the API key " + key, Secret: secret("the API key's value", "value")}, true
	case "oauth2":
		return r.oauth2(f, v, where)
	}
	names := map[string]string{"awsv4": "AWS Signature Version 4", "ntlm": "NTLM", "wsse": "WSSE", "oauth1": "OAuth 1.0",
		"akamai-edgegrid": "Akamai EdgeGrid"}
	name := names[mode]
	if name == "" {
		name = mode
	}
	r.plan.Leave(where, "its authentication ("+name+")", "apidesk does not authenticate this way: set up the resource's authentication after the import")
	return nil, true
}

func (r *reader) oauth2(f *bru, v func(string) string, where string) (*collection.Auth, bool) {
	o := resource.OAuth2{
		AuthURL:  v("authorization_url"),
		TokenURL: v("access_token_url"),
		ClientID: v("client_id"),
		Scopes:   strings.Fields(strings.ReplaceAll(v("scope"), ",", " ")),
	}
	grant := v("grant_type")
	words := "OAuth 2.0 (authorization code)"
	switch grant {
	case "authorization_code", "":
		o.Grant = resource.GrantAuthorizationCode
	case "client_credentials":
		o.Grant, words = resource.GrantClientCredentials, "OAuth 2.0 (client credentials)"
	default:
		r.plan.Leave(where, fmt.Sprintf("its OAuth 2.0 sign-in with the %s grant", strings.ReplaceAll(grant, "_", " ")),
			"apidesk signs in with the authorization code, client credentials or device grant: set up the resource's authentication after the import")
		return nil, true
	}
	if v("credentials_placement") == "basic_auth_header" {
		o.ClientAuth = resource.ClientAuthBasic
	} else if v("credentials_placement") == "body" {
		o.ClientAuth = resource.ClientAuthBody
	}
	if tp := v("token_placement"); tp != "" && tp != "header" {
		r.plan.Leave(where, "the setting to send the access token in the URL", "apidesk sends it in the Authorization header")
	}
	if p := v("token_header_prefix"); p != "" && !strings.EqualFold(p, "Bearer") {
		r.plan.Leave(where, "the access token's prefix "+p, "apidesk sends the token as Bearer")
	}
	if cb := v("callback_url"); cb != "" && o.Grant == resource.GrantAuthorizationCode {
		if u, err := url.Parse(cb); err == nil && resource.LoopbackHost(u.Hostname()) && u.Port() != "" {
			o.RedirectPort, _ = strconv.Atoi(u.Port())
		} else {
			r.plan.Leave(where, "the callback URL "+cb,
				"apidesk receives the sign-in on this computer (http://127.0.0.1 and a port): register that redirect URL with the provider")
		}
	}
	for _, p := range f.get("auth:oauth2:additional_params:auth_req:queryparams").pairsOrNil() {
		if p.enabled {
			o.AuthParams = append(o.AuthParams, kv.On(p.key, r.dynamic(p.value, where)))
		}
	}
	for _, p := range f.get("auth:oauth2:additional_params:access_token_req:body").pairsOrNil() {
		if p.enabled {
			o.TokenParams = append(o.TokenParams, kv.On(p.key, r.dynamic(p.value, where)))
		}
	}
	for _, tag := range []string{"auth:oauth2:additional_params:auth_req:headers", "auth:oauth2:additional_params:access_token_req:headers",
		"auth:oauth2:additional_params:access_token_req:queryparams", "auth:oauth2:additional_params:refresh_token_req:headers",
		"auth:oauth2:additional_params:refresh_token_req:queryparams", "auth:oauth2:additional_params:refresh_token_req:body"} {
		if len(f.get(tag).pairsOrNil()) > 0 {
			r.plan.Leave(where, "the sign-in's additional "+strings.ReplaceAll(strings.TrimPrefix(tag, "auth:oauth2:additional_params:"), ":", " "),
				"apidesk adds parameters to the authorization request's URL and the token request's body only")
		}
	}
	var secrets []string
	if v("client_secret") != "" {
		secrets = append(secrets, "the client secret")
	}
	if v("password") != "" {
		secrets = append(secrets, "the password")
	}
	return &collection.Auth{Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: o}, Words: words, Secret: strings.Join(secrets, " and ")}, true
}
