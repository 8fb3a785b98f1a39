package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"apidesk/engine/environment"
	"apidesk/engine/keychain"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/version"
	"apidesk/engine/workspace"
)

// cli holds what the commands share: the streams, the workspace and the keychain, opened when first needed.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	wsDir   string
	ws      *workspace.Workspace
	secrets *secret.Store
	oauth   *oauth.Client
	rn      *runner.Runner

	envName string             // --env: the environment commands run in (else $APIDESK_ENV)
	active  *environment.Scope // the scope the last request was run in, for its messages
}

func (c *cli) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "apidesk-cli",
		Short: "Connect to REST APIs, sign in, and run saved queries from the command line",
		Long: `apidesk-cli is the headless face of apidesk: the same resources, saved queries and keychain as the window.

A resource is a named API (base URL, default headers, URL params, cookies, authentication).
A query is a saved request on a resource; {{name}} in it is a variable you give with --var name=value.
Secrets (passwords, tokens, API keys) live only in your OS keychain, never in the workspace files.`,
		Version:       version.Version + " (" + version.Commit + ")",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	root.SetVersionTemplate("apidesk-cli {{.Version}}\n")
	root.PersistentFlags().StringVar(&c.wsDir, "workspace", "", "workspace folder (default $"+workspace.EnvDir+", else apidesk in your config folder)")
	root.PersistentFlags().StringVar(&c.envName, "env", "", "the environment to run in: its variables, secrets and sign-ins (default $"+EnvVar+")")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		group("resource", "Add, list, show and remove resources (named APIs)",
			c.resourceAddCommand(), c.resourceListCommand(), c.resourceShowCommand(), c.resourceRmCommand(), c.resourceTrustCommand(), c.resourceSecretCommand()),
		group("query", "Save, list, show and remove saved queries",
			c.querySaveCommand(), c.queryListCommand(), c.queryShowCommand(), c.queryRmCommand()),
		c.runCommand(), c.requestCommand(),
		c.loginCommand(), c.logoutCommand(), c.statusCommand(), c.envCommand(), c.importCommand(), c.exportCommand())
	root.SetHelpCommand(helpCommand())
	runGroups(root)
	return root
}

// runGroups gives every command that only groups others (resource, query, import, export) a RunE that shows its
// help. Cobra shows the help of a command that cannot run without checking its arguments, and exits 0:
// "apidesk-cli import openapi x" printed the import help and a script took it for success. A group that runs
// has its Args checked, so what follows it that is no subcommand is bad usage (exit 2), with suggestions.
func runGroups(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		runGroups(sub)
	}
	if !cmd.Runnable() && cmd.HasSubCommands() {
		cmd.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	}
	cmd.SuggestionsMinimumDistance = 2 // what cobra uses for the root's own "unknown command" error
}

// helpCommand replaces cobra's, which answers "help frobnicate" with the root's usage and exit 0.
func helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			if err != nil {
				return usageError{err}
			}
			if len(rest) > 0 {
				return unknownCommand(target, rest[0])
			}
			return target.Help()
		},
	}
}

// unknownCommand is the usage error for a word that is no subcommand of cmd, with cobra's suggestions.
func unknownCommand(cmd *cobra.Command, word string) error {
	if hint := cmd.SuggestionsFor(word); len(hint) > 0 {
		return usagef("unknown command %q for %q: did you mean %s?", word, cmd.CommandPath(), strings.Join(quoteAll(hint), " or "))
	}
	return usagef("unknown command %q for %q", word, cmd.CommandPath())
}

// group is a command that only holds subcommands.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short, Args: noArgs}
	cmd.AddCommand(subs...)
	return cmd
}

// rmCommand is a group's rm NAME, also called remove and delete.
func rmCommand(short string, run func(*cobra.Command, []string) error) *cobra.Command {
	return &cobra.Command{Use: "rm NAME", Aliases: []string{"remove", "delete"}, Short: short, Args: exactArgs("NAME"), RunE: run}
}

// noArgs and the others below return usage errors (exit 2), unlike cobra's own validators.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		if cmd.HasSubCommands() {
			return unknownCommand(cmd, args[0])
		}
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}

func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usagef("%s needs %s (got %d argument(s))", cmd.CommandPath(), strings.Join(names, " "), len(args))
		}
		return nil
	}
}

// workspace opens and loads the workspace, printing the problems of files it had to skip or that need fixing.
func (c *cli) workspace(ctx context.Context) (*workspace.Workspace, error) {
	if c.ws != nil {
		return c.ws, nil
	}
	dir := c.wsDir
	if dir == "" {
		var err error
		if dir, err = workspace.DefaultDir(); err != nil {
			return nil, err
		}
	}
	ws, err := workspace.Open(dir)
	if err != nil {
		return nil, err
	}
	problems, err := ws.Load(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range problems {
		what := "warning"
		if p.Skipped {
			what = "skipped"
		}
		fmt.Fprintf(c.stderr, "apidesk-cli: %s: %s\n", what, p.Error())
	}
	c.ws = ws
	return ws, nil
}

// keychain returns the secret store over the OS keychain.
func (c *cli) keychain() *secret.Store {
	if c.secrets == nil {
		c.secrets = secret.New(secret.KeyringBackend(), secret.Options{})
	}
	return c.secrets
}

// runner returns the request runner that reads secrets from the keychain, signs in with OAuth 2.0, sends a
// resource's requests with the network settings the workspace gives it (its own and the workspace's default),
// and finds the files a query sends in the workspace folder.
func (c *cli) runner() *runner.Runner {
	if c.rn == nil {
		c.rn = runner.New(keychain.RunnerSecrets(c.keychain()), c.oauthClient())
		if c.ws != nil {
			c.rn.Dir = c.ws.Dir()
		}
		c.rn.Network = func(r *resource.Resource) resource.Network {
			if c.ws != nil {
				return c.ws.Network(r)
			}
			return r.Network
		}
	}
	return c.rn
}

// onResource is the RunE of a command whose one argument names a resource: do gets the workspace and the resource.
func (c *cli) onResource(do func(ctx context.Context, ws *workspace.Workspace, r *resource.Resource) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		ws, r, err := c.resourceNamed(cmd.Context(), args[0])
		if err != nil {
			return err
		}
		return do(cmd.Context(), ws, r)
	}
}

// resourceNamed finds a resource by name (or ID), with a message that lists what exists.
func (c *cli) resourceNamed(ctx context.Context, name string) (*workspace.Workspace, *resource.Resource, error) {
	ws, err := c.workspace(ctx)
	if err != nil {
		return nil, nil, err
	}
	r, err := ws.ResourceByName(name)
	if err == nil {
		return ws, r, nil
	}
	if r, err2 := ws.ResourceByID(name); err2 == nil {
		return ws, r, nil
	}
	var names []string
	for _, r := range ws.Resources() {
		names = append(names, r.Name)
	}
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("no resource named %q: the workspace %s has none yet; add one with apidesk-cli resource add", name, ws.Dir())
	}
	return nil, nil, fmt.Errorf("no resource named %q: the workspace has %s", name, strings.Join(quoteAll(names), ", "))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// typedSecret is the kind of secret a person gives for a resource authenticating with a, or "" for none.
func typedSecret(a resource.AuthKind) resource.SecretKind {
	if kinds := a.Secrets(); len(kinds) > 0 {
		return kinds[0]
	}
	return ""
}
