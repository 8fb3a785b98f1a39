package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
)

// networkFlags are resource add's network settings: the proxy and the TLS certificates.
type networkFlags struct {
	proxy, proxyUser              string
	noProxy, systemProxy          bool
	noProxyFor                    []string
	caCert, clientCert, clientKey string
	insecure                      bool
}

func (f *networkFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.proxy, "proxy", "", "send the requests through this proxy: http://host:port, https://host:port or socks5://host:port")
	fl.BoolVar(&f.noProxy, "no-proxy", false, "send the requests straight to the server, whatever the system's proxy")
	fl.BoolVar(&f.systemProxy, "system-proxy", false, "use the system's proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), whatever the workspace's default")
	fl.StringArrayVar(&f.noProxyFor, "no-proxy-for", nil, "with --proxy, hosts, .domains and ranges (10.0.0.0/8) reached without it (repeat, or separate with commas)")
	fl.StringVar(&f.proxyUser, "proxy-user", "", "with --proxy, the proxy's user name; its password is asked (or read with --secret-stdin)")
	fl.StringVar(&f.caCert, "ca-cert", "", "a PEM file of CA certificates to trust besides the system's")
	fl.StringVar(&f.clientCert, "client-cert", "", "a client certificate: a PEM file (its key in it or in --client-key) or PKCS#12 (.p12, .pfx)")
	fl.StringVar(&f.clientKey, "client-key", "", "the client certificate's PEM private key, when not in --client-cert")
	fl.BoolVar(&f.insecure, "insecure", false, "do not check the servers' TLS certificates (unsafe: for a test server only)")
}

// network returns the settings the flags give, paths as given (relative to the working directory).
func (f *networkFlags) network(cmd *cobra.Command) (resource.Network, error) {
	n := resource.Network{CACert: f.caCert, ClientCert: f.clientCert, ClientKey: f.clientKey, Insecure: f.insecure}
	if cmd.Flags().Changed("proxy") && (f.noProxy || f.systemProxy) || f.noProxy && f.systemProxy {
		return n, usagef("choose one of --proxy, --no-proxy and --system-proxy")
	}
	switch {
	case cmd.Flags().Changed("proxy"):
		n.Proxy, n.ProxyURL = resource.ProxyURL, strings.TrimSpace(f.proxy)
	case f.noProxy:
		n.Proxy = resource.ProxyNone
	case f.systemProxy:
		n.Proxy = resource.ProxySystem
	}
	for _, v := range f.noProxyFor {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				n.NoProxy = append(n.NoProxy, h)
			}
		}
	}
	switch {
	case len(n.NoProxy) > 0 && n.Proxy != resource.ProxyURL:
		return n, usagef("--no-proxy-for needs --proxy: it lists the hosts reached without that proxy")
	case f.proxyUser != "" && n.Proxy != resource.ProxyURL:
		return n, usagef("--proxy-user needs --proxy")
	case strings.Contains(f.proxyUser, ":"):
		return n, usagef("--proxy-user: give the user name alone; its password is asked, or read with --secret-stdin")
	case f.clientKey != "" && f.clientCert == "":
		return n, usagef("--client-key needs --client-cert")
	}
	return n, nil
}

// check reads the CA bundle and the client certificate as the runner will, so that a file that cannot be used
// is refused before anything is saved, and says whether the client key needs a passphrase.
func (f *networkFlags) check() (needPassphrase bool, err error) {
	if f.caCert != "" {
		if err := runner.CheckCACert(f.caCert); err != nil {
			return false, usagef("--ca-cert: %v", err)
		}
	}
	if f.clientCert == "" {
		return false, nil
	}
	_, err = runner.LoadClientCert(f.clientCert, f.clientKey, "")
	switch {
	case errors.Is(err, runner.ErrPassphrase):
		return true, nil
	case err != nil:
		return false, usagef("--client-cert: %v", err)
	}
	return false, nil
}

// readSecrets reads the secrets whats names ("the password of billing"): with fromStdin the whole of standard
// input for one, one line each for more; else a hidden prompt each.
func (c *cli) readSecrets(fromStdin bool, whats []string) ([]string, error) {
	if len(whats) == 1 || !fromStdin {
		out := make([]string, len(whats))
		for i, what := range whats {
			v, err := c.readSecret(fromStdin, what)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	b, err := io.ReadAll(io.LimitReader(c.stdin, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("could not read the secrets from standard input: %w", err)
	}
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
	if len(lines) != len(whats) || strings.Join(lines, "") == "" {
		return nil, usagef("--secret-stdin: %d secrets are needed, one a line in this order: %s; standard input had %d line(s)",
			len(whats), strings.Join(whats, ", "), len(lines))
	}
	for i, l := range lines {
		if l == "" {
			return nil, usagef("--secret-stdin: line %d, %s, is empty", i+1, whats[i])
		}
	}
	return lines, nil
}

// printNetwork shows the network settings the resource uses, and whether their secrets are in the keychain.
func (c *cli) printNetwork(ctx context.Context, w io.Writer, ws *workspace.Workspace, r *resource.Resource) {
	n := r.Network.Or(ws.Settings().Network)
	from := func(own bool) string {
		if own {
			return ""
		}
		return " (the workspace's default)"
	}
	fmt.Fprintf(w, "network:\n")
	switch n.Proxy {
	case resource.ProxyNone:
		fmt.Fprintf(w, "  proxy:       none%s\n", from(r.Network.Proxy != ""))
	case resource.ProxyURL:
		except := ""
		if len(n.NoProxy) > 0 {
			except = ", except for " + strings.Join(n.NoProxy, ", ")
		}
		fmt.Fprintf(w, "  proxy:       %s%s%s\n", n.ProxyURL, except, from(r.Network.Proxy != ""))
		if r.Keeps(resource.SecretProxyAuth) {
			fmt.Fprintf(w, "  proxy user:  %s\n", c.proxyUserState(ctx, r.ID))
		}
	default:
		fmt.Fprintf(w, "  proxy:       the system's (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)%s\n", from(r.Network.Proxy != ""))
	}
	if n.CACert != "" {
		fmt.Fprintf(w, "  CA:          %s%s\n", n.CACert, from(r.Network.CACert != ""))
	}
	if n.ClientCert != "" {
		fmt.Fprintf(w, "  client cert: %s%s\n", n.ClientCert, from(r.Network.ClientCert != ""))
		if n.ClientKey != "" {
			fmt.Fprintf(w, "  client key:  %s\n", n.ClientKey)
		}
		if r.Keeps(resource.SecretKeyPassphrase) {
			fmt.Fprintf(w, "  passphrase:  %s\n", c.secretState(ctx, r.ID, resource.SecretKeyPassphrase))
		}
	}
	if n.Insecure {
		fmt.Fprintf(w, "  TLS:         certificates are NOT checked (insecure)%s\n", from(r.Network.Insecure))
	}
}

// proxyUserState names the proxy's user saved in the keychain, never its password.
func (c *cli) proxyUserState(ctx context.Context, id string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := c.keychain().Get(ctx, id, resource.SecretProxyAuth)
	switch {
	case err == nil:
		user, _, _ := strings.Cut(v, ":")
		return user + ", its password in the keychain"
	case errors.Is(err, secret.ErrNotFound):
		return "none in this computer's keychain (the proxy is asked without one)"
	default:
		return "unknown: " + err.Error()
	}
}
