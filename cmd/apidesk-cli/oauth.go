package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"apidesk/engine/keychain"
	"apidesk/engine/kv"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
	"apidesk/engine/workspace"
)

// oauthFlags are resource add's OAuth 2.0 flags.
type oauthFlags struct {
	preset, discover, authURL, tokenURL, tokenMethod, clientID, clientAuth string
	loginTestURL, grant, deviceURL, revokeURL                              string
	scopes, authParams, tokenParams, presetVars                            []string
	redirectPort                                                           int
	noPKCE                                                                 bool
}

func (f *oauthFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.preset, "preset", "", "OAuth 2.0 provider preset that fills every URL: "+presetIDs())
	fl.StringArrayVar(&f.presetVars, "preset-var", nil, "a value the preset needs, name=value (e.g. domain=acme.okta.com)")
	fl.StringVar(&f.discover, "discover", "", "OAuth 2.0 issuer URL to discover the endpoints from (/.well-known/…)")
	fl.StringVar(&f.authURL, "auth-url", "", "OAuth 2.0 authorization URL")
	fl.StringVar(&f.tokenURL, "token-url", "", "OAuth 2.0 token URL")
	fl.StringVar(&f.tokenMethod, "token-method", "", "token request method: POST (default) or GET")
	fl.StringVar(&f.clientID, "client-id", "", "OAuth 2.0 client ID (the client secret comes from --secret-stdin)")
	fl.StringVar(&f.clientAuth, "client-auth", "", "how the client authenticates to the token URL: auto (default), basic or body")
	fl.StringArrayVar(&f.scopes, "scope", nil, "OAuth 2.0 scope (repeat, or separate with spaces)")
	fl.StringArrayVar(&f.authParams, "auth-param", nil, "extra authorization request param name=value (repeat)")
	fl.StringArrayVar(&f.tokenParams, "token-param", nil, "extra token request param name=value (repeat)")
	fl.IntVar(&f.redirectPort, "redirect-port", 0, "fixed loopback port for the redirect URI (default: any free port)")
	fl.BoolVar(&f.noPKCE, "no-pkce", false, "do not use PKCE (only for servers that reject it)")
	fl.StringVar(&f.loginTestURL, "login-test-url", "", "URL to GET with the token to check the sign-in (not 2xx: sign in again)")
	fl.StringVar(&f.grant, "grant", "", "OAuth 2.0 grant: code (default), client_credentials or device")
	fl.StringVar(&f.deviceURL, "device-url", "", "device authorization URL, for --grant device")
	fl.StringVar(&f.revokeURL, "revoke-url", "", "token revocation URL, called on logout")
}

func (f *oauthFlags) used(cmd *cobra.Command) bool {
	used := false
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		switch fl.Name {
		case "preset", "preset-var", "discover", "auth-url", "token-url", "token-method", "client-id", "client-auth", "scope",
			"auth-param", "token-param", "redirect-port", "no-pkce", "login-test-url", "grant", "device-url", "revoke-url":
			used = true
		}
	})
	return used
}

func presetIDs() string {
	var ids []string
	for _, p := range oauth.Presets() {
		ids = append(ids, p.ID)
	}
	return strings.Join(ids, ", ")
}

// build fills o from a preset or discovery first, then the explicit flags, which win.
// Discovery goes through hc (nil: a plain client with the environment's proxy).
func (f *oauthFlags) build(ctx context.Context, hc *http.Client, o *resource.OAuth2, stderr interface{ Write([]byte) (int, error) }) error {
	if f.preset != "" {
		p, err := oauth.LookupPreset(f.preset)
		if err != nil {
			return usagef("--preset: %v", err)
		}
		vars, err := parseVarsFlag("preset-var", f.presetVars)
		if err != nil {
			return err
		}
		if err := p.Apply(o, vars); err != nil {
			return usagef("--preset %s: %v", f.preset, err)
		}
	}
	if f.discover != "" {
		md, err := oauth.Discover(ctx, hc, f.discover)
		if err != nil {
			return fmt.Errorf("--discover: %w", err)
		}
		for _, w := range md.Apply(o, f.discover) {
			fmt.Fprintln(stderr, "apidesk-cli: note: "+w)
		}
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&o.AuthURL, f.authURL)
	set(&o.TokenURL, f.tokenURL)
	set(&o.TokenMethod, strings.ToUpper(f.tokenMethod))
	set(&o.ClientID, f.clientID)
	set(&o.ClientAuth, f.clientAuth)
	set(&o.LoginTestURL, f.loginTestURL)
	set(&o.DeviceURL, f.deviceURL)
	set(&o.RevokeURL, f.revokeURL)
	switch f.grant {
	case "":
	case "code", resource.GrantAuthorizationCode:
		o.Grant = resource.GrantAuthorizationCode
	case "client_credentials", "client-credentials":
		o.Grant = resource.GrantClientCredentials
	case "device", resource.GrantDevice:
		o.Grant = resource.GrantDevice
	default:
		return usagef("--grant must be code, client_credentials or device")
	}
	if len(f.scopes) > 0 {
		o.Scopes = nil
		for _, s := range f.scopes {
			o.Scopes = append(o.Scopes, strings.Fields(s)...)
		}
	}
	if f.redirectPort != 0 {
		o.RedirectPort = f.redirectPort
	}
	if f.noPKCE {
		o.DisablePKCE = true
	}
	ap, err := parseRows("auth-param", f.authParams, kv.ParsePair)
	if err != nil {
		return err
	}
	tp, err := parseRows("token-param", f.tokenParams, kv.ParsePair)
	if err != nil {
		return err
	}
	o.AuthParams = kv.Merge(o.AuthParams, ap, false)
	o.TokenParams = kv.Merge(o.TokenParams, tp, false)
	return nil
}

func parseVarsFlag(flag string, vals []string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range vals {
		p, err := kv.ParsePair(v)
		if err != nil {
			return nil, usagef("--%s: %v", flag, err)
		}
		out[p.Key] = p.Value
	}
	return out, nil
}

// oauthClient signs in and hands out tokens, with the keychain as its store.
func (c *cli) oauthClient() *oauth.Client {
	if c.oauth == nil {
		c.oauth = &oauth.Client{Secrets: keychain.OAuth{Store: c.keychain()}}
		c.oauth.HTTPClientFor = func(ctx context.Context, r *resource.Resource) (*http.Client, error) {
			return c.runner().HTTPClient(ctx, r) // the resource's proxy and certificates, as for its API
		}
		c.oauth.OnUnsaved = func(_ string, err error) {
			// This process ends soon, and the tokens with it: say so, in the person's words.
			fmt.Fprintln(c.stderr, "apidesk-cli: warning: "+err.Error()+"; this command's run is the last that can use it")
		}
	}
	return c.oauth
}

// onResourceCommand is the command "use RESOURCE"; runE is onResource's or onOAuthResource's.
func (c *cli) onResourceCommand(use, short string, runE func(*cobra.Command, []string) error) *cobra.Command {
	return &cobra.Command{Use: use + " RESOURCE", Short: short, Args: exactArgs("RESOURCE"), RunE: runE}
}

// onOAuthResource is onResource for a command that only a resource that signs in can take.
func (c *cli) onOAuthResource(run func(ctx context.Context, r *resource.Resource) error) func(*cobra.Command, []string) error {
	return c.onResource(func(ctx context.Context, _ *workspace.Workspace, r *resource.Resource) error {
		if r.Auth.Kind != resource.AuthOAuth2 {
			return fmt.Errorf("%q does not sign in: its authentication is %s, not OAuth 2.0", r.Name, r.Auth.Kind.Label())
		}
		r, err := c.boundResource(ctx, r) // each environment has its own sign-in
		if err != nil {
			return err
		}
		c.envNote(c.active)
		return c.active.Missing(run(ctx, r)) // a {{variable}} without a value says where it was looked for
	})
}

func (c *cli) loginCommand() *cobra.Command {
	var (
		timeout     time.Duration
		secretStdin bool
	)
	cmd := &cobra.Command{
		Use:   "login RESOURCE",
		Short: "Sign in to an OAuth 2.0 resource (opens your browser; $BROWSER is honoured)",
		Long: `Sign in to an OAuth 2.0 resource. With the authorization code grant, apidesk-cli prints the redirect URI to
register with the provider and the URL it opens in your browser (open it by hand on a machine with no browser),
then waits for the provider to send you back. With the device grant it prints a code to enter on another device.
The tokens go to your keychain.`,
		Args: exactArgs("RESOURCE"),
		RunE: c.onOAuthResource(func(ctx context.Context, r *resource.Resource) error {
			client := c.oauthClient()
			if secretStdin {
				v, err := c.readSecret(true, secretOf(resource.SecretClientSecret, r))
				if err != nil {
					return err
				}
				if err := client.Secrets.Set(ctx, r.ID, resource.SecretClientSecret, v); err != nil {
					return fmt.Errorf("could not keep the client secret in the keychain: %w", err)
				}
			}
			prompt := oauth.Prompt{
				OpenURL: oauth.SystemBrowser(os.Getenv),
				Timeout: timeout,
				OnListening: func(uri string) {
					fmt.Fprintf(c.stderr, "Redirect URI (register it with the provider): %s\n", uri)
				},
				OnOpen: func(u *url.URL) {
					fmt.Fprintf(c.stderr, "Opening your browser to sign in. If it does not open, visit:\n  %s\nWaiting for the sign-in (Ctrl+C cancels)…\n", u)
				},
				OnBrowserError: func(err error) {
					fmt.Fprintf(c.stderr, "Could not open a browser (%v): open the URL above by hand.\n", err)
				},
				OnDeviceCode: func(d oauth.DeviceCode) {
					fmt.Fprintf(c.stderr, "To sign in, visit %s and enter the code %s\n", d.VerificationURI, d.UserCode)
					if d.VerificationURIComplete != "" {
						fmt.Fprintf(c.stderr, "(or open %s)\n", d.VerificationURIComplete)
					}
					fmt.Fprintln(c.stderr, "Waiting for you to approve it (Ctrl+C cancels)…")
				},
			}
			st, err := client.SignIn(ctx, r, prompt)
			if errors.Is(err, oauth.ErrNeedsClientSecret) && !secretStdin {
				v, perr := c.readSecret(false, secretOf(resource.SecretClientSecret, r))
				if perr != nil {
					return fmt.Errorf("%w (give it with --secret-stdin)", err)
				}
				if err := client.Secrets.Set(ctx, r.ID, resource.SecretClientSecret, v); err != nil {
					return fmt.Errorf("could not keep the client secret in the keychain: %w", err)
				}
				st, err = client.SignIn(ctx, r, prompt)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stderr, "%s: %s\n", r.Name, st.Summary())
			return nil
		}),
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Minute, "how long to wait for the sign-in")
	cmd.Flags().BoolVar(&secretStdin, "secret-stdin", false, "read the client secret from standard input and keep it in the keychain")
	return cmd
}

func (c *cli) logoutCommand() *cobra.Command {
	const short = "Sign out of an OAuth 2.0 resource: delete its tokens and ask the provider to revoke them"
	return c.onResourceCommand("logout", short, c.onOAuthResource(func(ctx context.Context, r *resource.Resource) error {
		revoked, err := c.oauthClient().SignOut(ctx, r)
		switch {
		case errors.Is(err, oauth.ErrRevocationFailed):
			fmt.Fprintf(c.stderr, "Signed out of %q: the tokens are deleted from this computer, but %v\n", r.Name, err)
			return nil
		case err != nil:
			return err
		case revoked:
			fmt.Fprintf(c.stderr, "Signed out of %q: the tokens are deleted and the provider revoked them\n", r.Name)
		default:
			fmt.Fprintf(c.stderr, "Signed out of %q: the tokens are deleted from this computer\n", r.Name)
		}
		return nil
	}))
}

func (c *cli) statusCommand() *cobra.Command {
	const short = "Is the resource signed in? Expiry, scopes, and the login test URL's answer (exit 1 when not ready)"
	return c.onResourceCommand("status", short, c.onResource(func(ctx context.Context, _ *workspace.Workspace, r *resource.Resource) error {
		if r.Auth.Kind != resource.AuthOAuth2 {
			fmt.Fprintf(c.stdout, "%s: no sign-in needed (%s)\n", r.Name, r.Auth.Kind.Label())
			return nil
		}
		r, err := c.boundResource(ctx, r)
		if err != nil {
			return err
		}
		c.envNote(c.active)
		client := c.oauthClient()
		st, err := client.Status(ctx, r)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s: %s\n", r.Name, st.Summary())
		for _, w := range st.Warnings() {
			fmt.Fprintf(c.stdout, "warning: %s.\n", w)
		}
		// What the tokens say about themselves, when they are JWTs: decoded here, never verified or sent.
		for _, tok := range []struct {
			label string
			jwt   *oauth.JWT
		}{{"access token (JWT, not verified)", st.Access}, {"ID token (JWT, not verified)", st.ID}} {
			if tok.jwt == nil {
				continue
			}
			fmt.Fprintf(c.stdout, "%s:\n", tok.label)
			for _, line := range tok.jwt.Lines(time.Now()) {
				fmt.Fprintf(c.stdout, "  %s\n", line)
			}
		}
		check, err := client.CheckLogin(ctx, r)
		if err != nil {
			return err
		}
		if check.Tested {
			fmt.Fprintf(c.stdout, "login test: %s\n", check.Message)
		}
		if check.Tested && !check.OK || !check.Tested && !st.Ready() {
			return exitError{code: exitFailed, msg: fmt.Sprintf("%q needs sign-in: run apidesk-cli login %s%s", r.Name, shellQuote(r.Name), c.envFlag())}
		}
		return nil
	}))
}
