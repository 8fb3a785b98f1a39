package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"apidesk/engine/environment"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/workspace"
)

// EnvVar chooses the environment when --env is not given.
const EnvVar = "APIDESK_ENV"

// activeEnvironment is the environment --env (else $APIDESK_ENV) names, nil when neither names one.
func (c *cli) activeEnvironment(ws *workspace.Workspace) (*environment.Environment, error) {
	name, from := c.envName, "--env"
	if name == "" {
		name, from = os.Getenv(EnvVar), "$"+EnvVar
	}
	if strings.TrimSpace(name) == "" {
		return nil, nil
	}
	e, err := ws.EnvironmentByName(name)
	if err != nil {
		return nil, usagef("%s: %v", from, strings.TrimSuffix(err.Error(), ": "+workspace.ErrNotFound.Error()))
	}
	return e, nil
}

// scope returns where r's {{variables}} take their values in the active environment. A problem with the person's
// own values is a warning: the rest still applies.
func (c *cli) scope(ctx context.Context, ws *workspace.Workspace, r *resource.Resource) (*environment.Scope, error) {
	env, err := c.activeEnvironment(ws)
	if err != nil {
		return nil, err
	}
	s, err := ws.Scope(ctx, c.keychain(), env, r)
	if s == nil {
		return nil, err
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "apidesk-cli: warning: %v\n", err)
	}
	return s, nil
}

// inEnvironment returns r and q as they run in the active environment (the resource bound to it: its secrets,
// sign-in and addresses; the query with the environment's secret variables marked secret) and the values to run
// with: given, then the query's defaults, the environment's, the resource's and the workspace's. q may be nil.
func (c *cli) inEnvironment(ctx context.Context, r *resource.Resource, q *query.Query, given map[string]string) (*resource.Resource, *query.Query, map[string]string, *environment.Scope, error) {
	ws, err := c.workspace(ctx)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	s, err := c.scope(ctx, ws, r)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	c.active = s
	if q != nil {
		q = s.Query(q)
	}
	return s.Bind(r), q, s.Values(q, given), s, nil
}

func (c *cli) resourceSecretCommand() *cobra.Command {
	var secretStdin bool
	cmd := &cobra.Command{
		Use:   "secret NAME [--secret-stdin]",
		Short: "Enter or replace a resource's secret (token, password, API key or client secret), in the environment chosen with --env",
		Example: `  apidesk-cli resource secret crm --env Staging              # asks for it, input hidden
  printf '%s\n' "$TOKEN" | apidesk-cli resource secret crm --env Production --secret-stdin`,
		Args: exactArgs("NAME"),
		RunE: c.onResource(func(ctx context.Context, ws *workspace.Workspace, r *resource.Resource) error {
			kind := typedSecret(r.Auth.Kind)
			if kind == "" {
				return fmt.Errorf("%q keeps no secret: its authentication is %s", r.Name, r.Auth.Kind.Label())
			}
			env, err := c.activeEnvironment(ws)
			if err != nil {
				return err
			}
			v, err := c.readSecret(secretStdin, secretOf(kind, r))
			if err != nil {
				return err
			}
			if err := ws.SaveResourceIn(ctx, r, c.keychain(), map[resource.SecretKind]string{kind: v}, env); err != nil {
				return err
			}
			where := "in your keychain"
			if env != nil {
				where += " for " + env.Name
			}
			fmt.Fprintf(c.stderr, "The %s of %q is %s\n", kind.Words(), r.Name, where)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&secretStdin, "secret-stdin", false, "read the secret from standard input (it is never taken as an argument)")
	return cmd
}

// envFlag is " --env NAME" when a command runs in an environment, for the commands a message suggests.
func (c *cli) envFlag() string {
	if s := c.active; s != nil && s.Env != nil {
		return " --env " + shellQuote(s.Env.Name)
	}
	return ""
}

// ownID is the resource's own ID of a resource bound to an environment (environment.KeyID), for its file.
func ownID(id string) string {
	own, _ := environment.SplitKeyID(id)
	return own
}

// boundResource is r bound to the active environment, for the sign-in commands.
func (c *cli) boundResource(ctx context.Context, r *resource.Resource) (*resource.Resource, error) {
	r, _, _, _, err := c.inEnvironment(ctx, r, nil, nil)
	return r, err
}

// envNote says on standard error which environment a command works in, when one is chosen.
func (c *cli) envNote(s *environment.Scope) {
	if s == nil || s.Env == nil {
		return
	}
	note := "Environment: " + s.Env.Name
	if s.Env.Protected {
		note += " (protected)"
	}
	fmt.Fprintln(c.stderr, note)
}

func (c *cli) envCommand() *cobra.Command {
	cmd := group("env", "Environments: the same queries against development, staging and production",
		c.envListCommand(), c.envShowCommand(), c.envAddCommand(), c.envSetCommand(), c.envRmCommand())
	cmd.Long = `Environments: the same queries against development, staging and production.

An environment is a named set of variables, kept in the workspace's environments folder (a file each, to share
in git). A variable marked secret has no value in the file: each person keeps theirs in their keychain, per
environment. Each person may also keep values of their own, outside the workspace (env set --local).

Choose the environment of a command with --env NAME, or $` + EnvVar + `. A {{variable}} takes the first value
found in: the values given (--var), the query's defaults, the environment (your own values, your keychain, the
file), the resource's defaults, the workspace's variables (apidesk.yaml). A resource's secrets and sign-in are
kept per environment: login --env Production does not replace the Staging sign-in.`
	return cmd
}

func (c *cli) envListCommand() *cobra.Command {
	return &cobra.Command{
		Use: "list", Aliases: []string{"ls"}, Short: "List the environments", Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := c.workspace(cmd.Context())
			if err != nil {
				return err
			}
			active, err := c.activeEnvironment(ws)
			if err != nil {
				return err
			}
			envs := ws.Environments()
			if len(envs) == 0 {
				fmt.Fprintln(c.stderr, "No environments yet: add one with apidesk-cli env add NAME var=value…")
				return nil
			}
			for _, e := range envs {
				mark := " "
				if active != nil && active.ID == e.ID {
					mark = "*"
				}
				line := fmt.Sprintf("%s %s\t%d %s", mark, e.Name, len(e.Variables), plural(len(e.Variables), "variable", "variables"))
				if e.Protected {
					line += "\tprotected"
				}
				fmt.Fprintln(c.stdout, line)
			}
			return nil
		},
	}
}

func (c *cli) envShowCommand() *cobra.Command {
	return &cobra.Command{
		Use: "show NAME", Short: "Show an environment's variables and where each value comes from (secrets never shown)", Args: exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ws, e, err := c.environmentNamed(ctx, args[0])
			if err != nil {
				return err
			}
			s, err := ws.Scope(ctx, c.keychain(), e, nil)
			if s == nil {
				return err
			}
			if err != nil {
				fmt.Fprintf(c.stderr, "apidesk-cli: warning: %v\n", err)
			}
			file, _ := ws.File(e.ID)
			fmt.Fprintf(c.stdout, "%s (%s)", e.Name, file)
			if e.Protected {
				fmt.Fprint(c.stdout, ", protected: the window asks before every request that may change data")
			}
			fmt.Fprintln(c.stdout)
			resolved := s.Resolve(nil, nil)
			for _, v := range e.Variables {
				r, ok := resolved[v.Name]
				switch {
				case v.Secret && ok:
					fmt.Fprintf(c.stdout, "  %s = (secret, in your keychain)\n", v.Name)
				case v.Secret:
					fmt.Fprintf(c.stdout, "  %s = (secret, not entered: apidesk-cli env set %s --secret %s)\n", v.Name, shellQuote(e.Name), v.Name)
				case r.Source == environment.SourceLocal:
					fmt.Fprintf(c.stdout, "  %s = %s   (your own value; the shared one is %s)\n", v.Name, r.Value, v.Value)
				default:
					fmt.Fprintf(c.stdout, "  %s = %s\n", v.Name, v.Value)
				}
				if v.Description != "" {
					fmt.Fprintf(c.stdout, "      %s\n", v.Description)
				}
			}
			local, _ := ws.LocalValues(e)
			for _, name := range sortedKeys(local) {
				if e.Variable(name) == nil {
					fmt.Fprintf(c.stdout, "  %s = %s   (your own value, not in the shared file)\n", name, local[name])
				}
			}
			return nil
		},
	}
}

// nameFirst accepts an environment's NAME followed by any var=value arguments.
func nameFirst(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return usagef("%s needs NAME (got no arguments)", cmd.CommandPath())
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (c *cli) envAddCommand() *cobra.Command {
	var protected bool
	var secrets []string
	cmd := &cobra.Command{
		Use:   "add NAME [var=value]… [--secret VAR]… [--protected]",
		Short: "Add an environment with its variables",
		Example: `  apidesk-cli env add Staging base=https://staging.example.com region=eu --secret api_token
  apidesk-cli env add Production base=https://api.example.com --protected`,
		Args: nameFirst,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ws, err := c.workspace(ctx)
			if err != nil {
				return err
			}
			if _, err := ws.EnvironmentByName(args[0]); err == nil {
				return usagef("an environment named %q already exists: change it with apidesk-cli env set %s", args[0], shellQuote(args[0]))
			}
			e := &environment.Environment{Name: args[0], Protected: protected}
			if err := setVariables(e, args[1:]); err != nil {
				return err
			}
			for _, s := range secrets {
				markSecret(e, s)
			}
			if es := e.Validate(); len(es) > 0 {
				return usageError{es}
			}
			values, err := c.readEnvSecrets(e, secrets)
			if err != nil {
				return err
			}
			if err := ws.SaveEnvironment(ctx, e); err != nil {
				return err
			}
			file, _ := ws.File(e.ID)
			fmt.Fprintf(c.stderr, "Added the environment %q (%s) with %d %s\n", e.Name, file, len(e.Variables), plural(len(e.Variables), "variable", "variables"))
			return c.keepEnvSecrets(ctx, e, secrets, values)
		},
	}
	cmd.Flags().BoolVar(&protected, "protected", false, "mark it as one to be careful in (production): the window asks before every request that may change data")
	cmd.Flags().StringArrayVar(&secrets, "secret", nil, "a secret variable: its value is read from standard input (one line each) or asked for, and kept in your keychain")
	return cmd
}

func (c *cli) envSetCommand() *cobra.Command {
	var (
		secrets, local, unset []string
		protected, rename     string
	)
	cmd := &cobra.Command{
		Use:   "set NAME [var=value]… [--secret VAR]… [--local var=value]… [--unset VAR]… [--protected true|false] [--rename NEW]",
		Short: "Change an environment: its variables' values, secret ones (into your keychain), your own values, its name",
		Example: `  apidesk-cli env set Staging base=https://staging2.example.com
  printf '%s\n' "$TOKEN" | apidesk-cli env set Staging --secret api_token
  apidesk-cli env set Staging --local user=ann        # your own value, not shared
  apidesk-cli env set Production --protected true`,
		Args: nameFirst,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ws, e, err := c.environmentNamed(ctx, args[0])
			if err != nil {
				return err
			}
			if len(args) == 1 && len(secrets)+len(local)+len(unset) == 0 && protected == "" && rename == "" {
				return usagef("say what to change: var=value, --secret VAR, --local var=value, --unset VAR, --protected or --rename")
			}
			if err := setVariables(e, args[1:]); err != nil {
				return err
			}
			for _, name := range unset {
				i := slices.IndexFunc(e.Variables, func(v environment.Variable) bool { return v.Name == name })
				if i < 0 {
					return usagef("--unset: %s has no variable %s", e.Name, name)
				}
				e.Variables = slices.Delete(e.Variables, i, i+1)
			}
			var wasSecret []string // variables that stop being secret: their keychain value goes
			for _, a := range args[1:] {
				name, _, _ := strings.Cut(a, "=")
				wasSecret = append(wasSecret, strings.TrimSpace(name))
			}
			wasSecret = append(wasSecret, unset...)
			for _, s := range secrets {
				markSecret(e, s)
			}
			switch strings.ToLower(protected) {
			case "":
			case "true", "yes":
				e.Protected = true
			case "false", "no":
				e.Protected = false
			default:
				return usagef("--protected is true or false, not %q", protected)
			}
			if rename != "" {
				e.Name = rename
			}
			if es := e.Validate(); len(es) > 0 {
				return usageError{es}
			}
			localPairs := make([]kv.Pair, 0, len(local))
			for _, l := range local {
				p, err := kv.ParsePair(l)
				if err != nil {
					return usagef("--local: %v", err)
				}
				if v := e.Variable(p.Key); v != nil && v.Secret {
					return usagef("--local: %s is secret in %s: give it with --secret %s (it is kept in your keychain, not in a file)", p.Key, e.Name, p.Key)
				}
				localPairs = append(localPairs, p)
			}
			values, err := c.readEnvSecrets(e, secrets)
			if err != nil {
				return err
			}
			before, _ := ws.EnvironmentByID(e.ID)
			if err := ws.SaveEnvironment(ctx, e); err != nil {
				return err
			}
			for _, name := range wasSecret {
				if v := before.Variable(name); v != nil && v.Secret && (e.Variable(name) == nil || !e.Variable(name).Secret) {
					_ = environment.SetSecret(ctx, c.keychain(), before, name, "") // no longer secret: nothing left in the keychain
				}
			}
			for _, p := range localPairs {
				if err := ws.SetLocalValue(e, p.Key, p.Value); err != nil {
					return err
				}
			}
			file, _ := ws.File(e.ID)
			fmt.Fprintf(c.stderr, "Saved the environment %q (%s)\n", e.Name, file)
			if len(localPairs) > 0 {
				lf, _ := ws.LocalFile(e)
				fmt.Fprintf(c.stderr, "Your own values are in %s (not shared)\n", lf)
			}
			return c.keepEnvSecrets(ctx, e, secrets, values)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&secrets, "secret", nil, "make VAR secret and enter your value of it: read from standard input (one line each) or asked for, kept in your keychain")
	f.StringArrayVar(&local, "local", nil, "your own value of a variable, kept outside the workspace and not shared: var=value (an empty value removes it)")
	f.StringArrayVar(&unset, "unset", nil, "remove the variable VAR from the environment")
	f.StringVar(&protected, "protected", "", "true: the window asks before every request that may change data; false: as usual")
	f.StringVar(&rename, "rename", "", "give the environment a new name (its secrets and sign-ins stay)")
	return cmd
}

func (c *cli) envRmCommand() *cobra.Command {
	return rmCommand("Remove an environment, with the secrets and sign-ins kept for it in your keychain", func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		ws, e, err := c.environmentNamed(ctx, args[0])
		if err != nil {
			return err
		}
		// Its sign-ins are signed out first: the provider is asked to revoke their tokens, which would
		// otherwise stay valid there after the keychain forgets them.
		for _, r := range ws.Resources() {
			if r.Auth.Kind != resource.AuthOAuth2 {
				continue
			}
			s, err := ws.Scope(ctx, c.keychain(), e, r)
			if s == nil {
				return err
			}
			revoked, err := c.oauthClient().SignOut(ctx, s.Bind(r))
			switch {
			case err != nil:
				fmt.Fprintf(c.stderr, "apidesk-cli: warning: signing out of %q in %s: %v\n", r.Name, e.Name, err)
			case revoked:
				fmt.Fprintf(c.stderr, "Signed out of %q in %s: the provider revoked its tokens\n", r.Name, e.Name)
			}
		}
		if err := ws.DeleteEnvironment(ctx, e.ID, c.keychain()); err != nil {
			return err
		}
		fmt.Fprintf(c.stderr, "Removed the environment %q, its secrets and its sign-ins\n", e.Name)
		return nil
	})
}

func (c *cli) environmentNamed(ctx context.Context, name string) (*workspace.Workspace, *environment.Environment, error) {
	ws, err := c.workspace(ctx)
	if err != nil {
		return nil, nil, err
	}
	e, err := ws.EnvironmentByName(name)
	if err != nil {
		return nil, nil, errors.New(strings.TrimSuffix(err.Error(), ": "+workspace.ErrNotFound.Error()))
	}
	return ws, e, nil
}

// setVariables sets var=value arguments in e, adding the variables it lacks. A secret variable is refused: its
// value goes with --secret, never as an argument (it would show in ps and the shell's history).
func setVariables(e *environment.Environment, args []string) error {
	for _, a := range args {
		p, err := kv.ParsePair(a)
		if err != nil || !strings.Contains(a, "=") {
			return usagef("%q: give a variable as name=value", a)
		}
		if v := e.Variable(p.Key); v != nil {
			if v.Secret {
				return usagef("%s is secret in %s: enter your value with --secret %s (never as an argument)", p.Key, e.Name, p.Key)
			}
			v.Value = p.Value
			continue
		}
		e.Variables = append(e.Variables, environment.Variable{Name: p.Key, Value: p.Value})
	}
	return nil
}

func markSecret(e *environment.Environment, name string) {
	if v := e.Variable(name); v != nil {
		v.Secret, v.Value = true, ""
		return
	}
	e.Variables = append(e.Variables, environment.Variable{Name: name, Secret: true})
}

// readEnvSecrets reads the values of the secret variables names: from standard input, one line each, or asked for
// on a terminal (input hidden). An empty value keeps the one in the keychain.
func (c *cli) readEnvSecrets(e *environment.Environment, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		out := make([]string, len(names))
		for i, n := range names {
			v, err := c.readSecret(false, fmt.Sprintf("your value of %s in %s", n, e.Name))
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return c.readLines(names, func(i int) error {
		return usagef("standard input has no line for the value of %s: pipe one line for each secret, in their order", names[i])
	})
}

// keepEnvSecrets keeps the values read for e's secret variables in the keychain.
func (c *cli) keepEnvSecrets(ctx context.Context, e *environment.Environment, names, values []string) error {
	var kept []string
	for i, n := range names {
		if i >= len(values) || values[i] == "" {
			continue
		}
		if err := environment.SetSecret(ctx, c.keychain(), e, n, values[i]); err != nil {
			return fmt.Errorf("the environment was saved, but %w", err)
		}
		kept = append(kept, n)
	}
	if len(kept) > 0 {
		fmt.Fprintf(c.stderr, "Your value of %s is in your keychain\n", strings.Join(kept, " and "))
	}
	return nil
}
