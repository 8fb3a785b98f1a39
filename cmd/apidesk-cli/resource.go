package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"mvdan.cc/sh/v3/syntax"

	"apidesk/engine/kv"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
)

func (c *cli) resourceAddCommand() *cobra.Command {
	var (
		baseURL, auth, username, keyName, keyIn, timeout, maxBody string
		secretStdin                                               bool
		rows                                                      rowFlags
		of                                                        oauthFlags
		nf                                                        networkFlags
	)
	cmd := &cobra.Command{
		Use:   "add NAME --base-url URL [flags]",
		Short: "Add a resource: a named API with its base URL, default rows, authentication and network settings",
		Long: `Add a resource: a named API with its base URL, the rows sent with every request, how it authenticates and
how its requests reach it.

Secrets are never arguments: the password, token, API key or client secret, the proxy's password
(--proxy-user) and a client key's passphrase are asked with a hidden prompt, or read from standard input
with --secret-stdin: the whole input for one secret, or one line each, in that order, when there are more.

Network settings: without --proxy, --no-proxy or --system-proxy the resource takes the workspace's default
(network: in apidesk.yaml), else the system's proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). Certificate paths
inside the workspace folder are saved relative to it, so a team can keep them there; a PKCS#12 file
(.p12, .pfx) is given as --client-cert alone.`,
		Example: `  apidesk-cli resource add github --base-url https://api.github.com --header 'Accept: application/json'
  echo "$TOKEN" | apidesk-cli resource add crm --base-url https://crm.example.com/api --auth bearer --secret-stdin
  apidesk-cli resource add billing --base-url https://billing.example.com --auth basic --username ops
  apidesk-cli resource add intranet --base-url https://intranet.example.com --auth digest --username ops
  apidesk-cli resource add maps --base-url https://maps.example.com --auth apikey --key-name key --key-in query
  apidesk-cli resource add gh --base-url https://api.github.com --auth oauth2 --preset github --client-id Iv1.abc --secret-stdin
  apidesk-cli resource add corp --base-url https://api.corp.example --auth oauth2 --discover https://login.corp.example --client-id apidesk
  apidesk-cli resource add erp --base-url https://erp.corp.example --proxy http://proxy.corp.example:3128 --proxy-user ann --no-proxy-for .corp.example
  apidesk-cli resource add bank --base-url https://api.bank.example --ca-cert certs/bank-root.pem --client-cert certs/me.crt --client-key certs/me.key`,
		Args: exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			headers, params, cookies, err := rows.rows()
			if err != nil {
				return err
			}
			wait, err := resource.ParseTimeout(timeout)
			if err != nil {
				return usagef("--timeout: %v", err)
			}
			limit, err := resource.ParseMaxBody(maxBody)
			if err != nil {
				return usagef("--max-body: %v", err)
			}
			r := &resource.Resource{
				Name: strings.TrimSpace(args[0]), BaseURL: strings.TrimSpace(baseURL),
				Headers: headers, Params: params, Cookies: cookies, Timeout: wait, MaxBody: limit,
				Auth: resource.Auth{Kind: resource.AuthKind(auth), Username: username, KeyName: keyName, KeyIn: keyIn},
			}
			if r.Auth.Kind == resource.AuthAPIKey && r.Auth.KeyIn == "" {
				r.Auth.KeyIn = resource.KeyInHeader
			}
			if r.Network, err = nf.network(cmd); err != nil {
				return err
			}
			if es := r.Network.Validate("network."); len(es) > 0 {
				return usageError{flagWords(es)}
			}
			needPassphrase, err := nf.check()
			if err != nil {
				return err
			}
			ws, err := c.workspace(ctx)
			if err != nil {
				return err
			}
			if r.Auth.Kind == resource.AuthOAuth2 {
				var hc *http.Client // discovery takes the resource's way to the network too
				if !r.Network.IsZero() {
					if hc, err = c.runner().HTTPClient(ctx, r); err != nil {
						return err
					}
				}
				if err := of.build(ctx, hc, &r.Auth.OAuth2, c.stderr); err != nil {
					return err
				}
			} else if of.used(cmd) {
				return usagef("the OAuth 2.0 flags (--preset, --client-id, --token-url…) need --auth oauth2")
			}
			if es := r.Validate(); len(es) > 0 {
				return usageError{flagWords(es)}
			}
			if _, err := ws.ResourceByName(r.Name); err == nil {
				return usagef("a resource named %q already exists: choose another name, or remove it first with apidesk-cli resource rm %s", r.Name, shellQuote(r.Name))
			}
			// Read the secrets before writing anything, so a mistake leaves nothing half-done.
			kind := typedSecret(r.Auth.Kind)
			var asks []resource.SecretKind
			if kind != "" && (kind != resource.SecretClientSecret || secretStdin) {
				// A public client (PKCE) has no secret; login asks for one when the provider wants it.
				asks = append(asks, kind)
			}
			if nf.proxyUser != "" {
				asks = append(asks, resource.SecretProxyAuth)
			}
			if needPassphrase {
				asks = append(asks, resource.SecretKeyPassphrase)
			}
			if secretStdin && len(asks) == 0 {
				return usagef("--secret-stdin was given but --auth %s needs no secret", r.Auth.Kind)
			}
			whats := make([]string, len(asks))
			for i, k := range asks {
				whats[i] = secretOf(k, r)
				if k == resource.SecretProxyAuth {
					whats[i] = fmt.Sprintf("the password of the proxy user %s for %s", nf.proxyUser, r.Name)
				}
			}
			values, err := c.readSecrets(secretStdin, whats)
			if err != nil {
				return err
			}
			typed := map[resource.SecretKind]string{}
			for i, k := range asks {
				typed[k] = values[i]
			}
			if v, ok := typed[resource.SecretProxyAuth]; ok {
				typed[resource.SecretProxyAuth] = nf.proxyUser + ":" + v
			}
			if pw, ok := typed[resource.SecretKeyPassphrase]; ok {
				if _, err := runner.LoadClientCert(nf.clientCert, nf.clientKey, pw); err != nil {
					return usagef("--client-cert: %v", err)
				}
			}
			// Paths as the workspace keeps them: relative to its folder when inside it.
			n := &r.Network
			n.CACert, n.ClientCert, n.ClientKey = ws.StoredPath(n.CACert), ws.StoredPath(n.ClientCert), ws.StoredPath(n.ClientKey)
			env, err := c.activeEnvironment(ws)
			if err != nil {
				return err
			}
			// In an environment, the secrets are that environment's (the file is everyone's).
			if err := ws.SaveResourceIn(ctx, r, c.keychain(), typed, env); err != nil {
				return err
			}
			file, _ := ws.File(r.ID)
			fmt.Fprintf(c.stderr, "Added resource %q (%s)", r.Name, file)
			var kept []string
			for _, k := range asks {
				if typed[k] != "" {
					kept = append(kept, k.Words())
				}
			}
			if len(kept) > 0 {
				fmt.Fprintf(c.stderr, "; its %s %s in the keychain", strings.Join(kept, " and "), plural(len(kept), "is", "are"))
			}
			fmt.Fprintln(c.stderr)
			if n.Insecure {
				fmt.Fprintf(c.stderr, "apidesk-cli: warning: %q does not check the TLS certificates of its servers (--insecure): "+
					"anyone on the way can read and change its requests, your secrets included\n", r.Name)
			}
			if r.Auth.Kind == resource.AuthOAuth2 {
				if r.Auth.OAuth2.Grant == "" || r.Auth.OAuth2.Grant == resource.GrantAuthorizationCode {
					fmt.Fprintf(c.stderr, "Redirect URI to register with the provider: %s\n", oauth.RedirectURI(r.Auth.OAuth2.RedirectPort))
				}
				fmt.Fprintf(c.stderr, "Sign in with: apidesk-cli login %s\n", shellQuote(r.Name))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&baseURL, "base-url", "", "the API's base URL, e.g. https://api.example.com/v1 (required)")
	rows.register(cmd, "sent with every request")
	f.StringVar(&timeout, "timeout", "", "request timeout: seconds, or a duration like 1m30s (default 30s)")
	f.StringVar(&maxBody, "max-body", "", "stop answers larger than SIZE, e.g. 500MB or 5GB (default "+resource.FormatMaxBody(resource.DefaultMaxBody)+")")
	f.StringVar(&auth, "auth", string(resource.AuthNone), "authentication: none, bearer, basic, digest, apikey or oauth2")
	f.StringVar(&username, "username", "", "user name for --auth basic or digest")
	f.StringVar(&keyName, "key-name", "", "header or URL param name of the API key for --auth apikey, e.g. X-API-Key")
	f.StringVar(&keyIn, "key-in", "", "where the API key goes for --auth apikey: header (default) or query")
	f.BoolVar(&secretStdin, "secret-stdin", false, "read the token, password, API key or OAuth client secret from standard input "+
		"(then the proxy password and the key passphrase, one line each)")
	of.register(cmd)
	nf.register(cmd)
	return cmd
}

// flagWords turns validation errors into one line that names the CLI flag to fix.
func flagWords(es resource.Errors) error {
	flags := map[string]string{
		"name": "NAME", "base_url": "--base-url", "timeout": "--timeout", "max_body": "--max-body", "auth.kind": "--auth",
		"auth.username": "--username", "auth.key_name": "--key-name", "auth.key_in": "--key-in",
		"auth.oauth2.auth_url": "--auth-url", "auth.oauth2.token_url": "--token-url", "auth.oauth2.token_method": "--token-method",
		"auth.oauth2.client_id": "--client-id", "auth.oauth2.client_auth": "--client-auth", "auth.oauth2.grant": "--grant",
		"auth.oauth2.device_url": "--device-url", "auth.oauth2.revoke_url": "--revoke-url", "auth.oauth2.login_test_url": "--login-test-url",
		"auth.oauth2.redirect_port": "--redirect-port", "auth.oauth2.issuer": "--discover",
		"method": "--method", "path": "--path", "body": "--json", "resource": "--resource",
		"network.proxy": "--proxy", "network.proxy_url": "--proxy", "network.no_proxy": "--no-proxy-for",
		"network.ca_cert": "--ca-cert", "network.client_cert": "--client-cert", "network.client_key": "--client-key",
	}
	var msgs []string
	for _, e := range es {
		field := e.Field
		if strings.HasPrefix(field, "network.no_proxy[") {
			field = "network.no_proxy"
		}
		if i := strings.IndexByte(field, '['); i > 0 {
			field = strings.TrimSuffix(field[:i], "s")
			if field == "body.form" {
				field = "form"
			}
			msgs = append(msgs, fmt.Sprintf("--%s: %s", field, e.Msg))
			continue
		}
		if f, ok := flags[field]; ok {
			msgs = append(msgs, fmt.Sprintf("%s: %s", f, e.Msg))
		} else {
			msgs = append(msgs, e.Msg)
		}
	}
	return errors.New(strings.Join(msgs, "; "))
}

func (c *cli) resourceListCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the resources in the workspace",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := c.workspace(cmd.Context())
			if err != nil {
				return err
			}
			rs := ws.Resources()
			if len(rs) == 0 {
				fmt.Fprintf(c.stderr, "No resources in %s yet: add one with apidesk-cli resource add NAME --base-url URL\n", ws.Dir())
				return nil
			}
			tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tBASE URL\tAUTH\tQUERIES")
			for _, r := range rs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", r.Name, r.BaseURL, authKind(r.Auth.Kind), len(ws.QueriesOf(r.ID)))
			}
			return tw.Flush()
		},
	}
}

func authKind(k resource.AuthKind) string {
	if k == "" {
		return string(resource.AuthNone)
	}
	return string(k)
}

func (c *cli) resourceShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Show a resource; secrets are masked",
		Args:  exactArgs("NAME"),
		RunE: c.onResource(func(ctx context.Context, ws *workspace.Workspace, r *resource.Resource) error {
			w := c.stdout
			file, _ := ws.File(r.ID)
			fmt.Fprintf(w, "name:      %s\n", r.Name)
			fmt.Fprintf(w, "id:        %s\n", r.ID)
			fmt.Fprintf(w, "file:      %s\n", file)
			fmt.Fprintf(w, "base url:  %s\n", r.BaseURL)
			fmt.Fprintf(w, "timeout:   %s\n", resource.FormatTimeout(r.EffectiveTimeout()))
			fmt.Fprintf(w, "max body:  %s\n", resource.FormatMaxBody(r.EffectiveMaxBody()))
			printRows(w, "headers", r.Headers)
			printRows(w, "params", r.Params)
			printRows(w, "cookies", r.Cookies)
			fmt.Fprintf(w, "auth:      %s\n", r.Auth.Kind.Label())
			switch r.Auth.Kind {
			case resource.AuthBasic, resource.AuthDigest:
				fmt.Fprintf(w, "  username: %s\n", r.Auth.Username)
			case resource.AuthAPIKey:
				fmt.Fprintf(w, "  key:      %s in the %s\n", r.Auth.KeyName, r.Auth.KeyIn)
			}
			if kind := typedSecret(r.Auth.Kind); kind != "" {
				fmt.Fprintf(w, "  %s: %s\n", kind.Words(), c.secretState(ctx, r.ID, kind))
			}
			c.printNetwork(ctx, w, ws, r)
			if qs := ws.QueriesOf(r.ID); len(qs) > 0 {
				fmt.Fprintf(w, "queries:\n")
				for _, q := range qs {
					fmt.Fprintf(w, "  %s  %s %s\n", q.Name, q.EffectiveMethod(), q.Path)
				}
			}
			return nil
		}),
	}
}

// secretState says whether a secret is in the keychain, never what it is.
func (c *cli) secretState(ctx context.Context, id string, kind resource.SecretKind) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := c.keychain().Get(ctx, id, kind)
	switch {
	case err == nil:
		return strings.Repeat("•", min(len(v), 8)) + " (in the keychain)"
	case errors.Is(err, secret.ErrNotFound):
		return "not in this computer's keychain"
	default:
		return "unknown: " + err.Error()
	}
}

func printRows(w interface{ Write([]byte) (int, error) }, label string, rows kv.List) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", label)
	for _, p := range rows {
		off := ""
		if !p.Enabled {
			off = "  (disabled)"
		}
		fmt.Fprintf(w, "  %s: %s%s\n", p.Key, p.Value, off)
	}
}

func (c *cli) resourceRmCommand() *cobra.Command {
	return rmCommand("Remove a resource, its saved queries and its secrets in the keychain",
		c.onResource(func(ctx context.Context, ws *workspace.Workspace, r *resource.Resource) error {
			n := len(ws.QueriesOf(r.ID))
			if err := ws.DeleteResource(ctx, r.ID, c.keychain()); err != nil {
				return err
			}
			fmt.Fprintf(c.stderr, "Removed resource %q, its %d saved quer%s and its secrets\n", r.Name, n, plural(n, "y", "ies"))
			return nil
		}))
}

func (c *cli) resourceTrustCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "trust NAME",
		Short: "Let your saved secrets go to the resource's address, after it changed in the workspace file",
		Long: `Your secrets are sent only to the address they were saved for. When a resource's base URL, token URL or proxy
changed in its file (a teammate's change, say), apidesk-cli sends nothing and asks you to confirm the new
address: trust does, after you have checked it.`,
		Args: exactArgs("NAME"),
		RunE: c.onResource(func(ctx context.Context, _ *workspace.Workspace, r *resource.Resource) error {
			r, err := c.boundResource(ctx, r) // the secrets of the environment chosen, and its address
			if err != nil {
				return err
			}
			keys := c.keychain()
			if kinds, err := keys.Kinds(ctx, r.ID); err != nil {
				return err
			} else if len(kinds) == 0 {
				fmt.Fprintf(c.stderr, "%q has no secrets saved on this computer: there is nothing to confirm\n", r.Name)
				return nil
			}
			was, err := keys.Origins(ctx, r.ID)
			if err != nil {
				return err
			}
			now := r.Origins()
			if err := keys.SetOrigins(ctx, r.ID, now); err != nil {
				return err
			}
			changed := false
			for _, o := range []struct{ what, was, now string }{{"API", was.API, now.API}, {"sign-in", was.Token, now.Token}, {"proxy", was.Proxy, now.Proxy}} {
				if o.now != "" && o.was != o.now {
					fmt.Fprintf(c.stderr, "The saved secrets of %q may now go to %s (its %s)\n", r.Name, o.now, o.what)
					changed = true
				}
			}
			if !changed {
				fmt.Fprintf(c.stderr, "The saved secrets of %q already go to its address\n", r.Name)
			}
			return nil
		}),
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// shellQuote quotes s for bash when it needs quoting, so a printed command can be pasted.
func shellQuote(s string) string {
	q, _ := syntax.Quote(s, syntax.LangBash) // "" only for a NUL, which no shell word can hold
	return cmp.Or(q, strconv.Quote(s))
}
