package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"apidesk/engine/curl"
	"apidesk/engine/imports/formats"
)

func (c *cli) importCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "import", Short: "Import queries from cURL, OpenAPI, Postman, Insomnia, HAR or Bruno", Args: noArgs}
	for _, f := range formats.Imports {
		cmd.AddCommand(c.importFormatCommand(f))
	}
	var resName, name string
	curlCmd := &cobra.Command{
		Use:   "curl - --resource R --name NAME",
		Short: "Save a curl command (as a browser's \"Copy as cURL\" gives it) as a query on a resource",
		Long: `Save a curl command as a query on a resource. Give - to read the command from standard input: a browser's
copy holds session cookies and tokens, and a command-line argument shows in ps and your shell history.`,
		Example: `  xclip -o -selection clipboard | apidesk-cli import curl - --resource example --name users-page-2
  apidesk-cli import curl 'curl https://api.example.com/v1/users?page=2' --resource example --name users-page-2`,
		Args: exactArgs("- (or 'CURL COMMAND')"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if resName == "" || strings.TrimSpace(name) == "" {
				return usagef("--resource and --name are required: the resource the URL is on, and a name for the query")
			}
			ws, r, err := c.resourceNamed(ctx, resName)
			if err != nil {
				return err
			}
			if _, err := ws.QueryByName(name); err == nil {
				return usagef("a query named %q already exists: choose another --name, or remove it first", name)
			}
			text := args[0]
			if text == "-" {
				b, err := io.ReadAll(io.LimitReader(c.stdin, maxStdin))
				if err != nil {
					return fmt.Errorf("could not read the curl command from standard input: %w", err)
				}
				if text = string(b); strings.TrimSpace(text) == "" {
					return usagef("import curl -: standard input was empty: pipe the curl command in")
				}
			}
			dir, _ := os.Getwd() // the files the command names are where it would run
			im, err := curl.Options{Dir: dir}.Import(text, r)
			if err != nil {
				return err
			}
			q := im.Query
			q.Name = strings.TrimSpace(name)
			if err := ws.SaveQuery(ctx, q); err != nil {
				return err
			}
			file, _ := ws.File(q.ID)
			fmt.Fprintf(c.stderr, "Imported query %q on %q (%s): %s %s\n", q.Name, r.Name, file, q.EffectiveMethod(), q.Path)
			for _, cr := range im.Credentials {
				if cr.Matches {
					fmt.Fprintf(c.stderr, "Left out %s: %q already authenticates this way with the secret in your keychain\n", cr, r.Name)
				} else {
					fmt.Fprintf(c.stderr, "Left out %s: it was not saved; to use it, set it as %q's authentication (it is kept in the keychain, never in files)\n", cr, r.Name)
				}
			}
			for _, s := range im.Secrets {
				fmt.Fprintf(c.stderr, "Left out %s: when you run the query, pipe it in with --var-stdin %s, or type it at the hidden prompt\n", s, s.Variable)
			}
			if n := im.Network; n != nil && !(n.Matches && n.ProxyAuth == "" && n.KeyPassphrase == "") {
				fmt.Fprintf(c.stderr, "Left out the network settings (%s): they were not saved; to use them, set them on %q (secrets are kept in the keychain, never in files)\n", n, r.Name)
			}
			for _, n := range im.Notes {
				fmt.Fprintln(c.stderr, "Note:", n)
			}
			if args[0] != "-" && (len(im.Credentials) > 0 || len(im.Secrets) > 0 || im.Network != nil && (im.Network.ProxyAuth != "" || im.Network.KeyPassphrase != "")) {
				fmt.Fprintln(c.stderr, "Note: the command held secrets and was given as an argument, which shows in ps and your shell history: next time pipe it in with 'import curl -'")
			}
			return nil
		},
	}
	curlCmd.Flags().StringVar(&resName, "resource", "", "the resource the command's URL is on (required)")
	curlCmd.Flags().StringVar(&name, "name", "", "name of the new query (required)")
	cmd.AddCommand(curlCmd)
	return cmd
}

func (c *cli) exportCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "export", Short: "Export a query as cURL, or a resource as a Postman collection or an OpenAPI document", Args: noArgs}
	for _, f := range formats.Exports {
		cmd.AddCommand(c.exportFormatCommand(f))
	}
	var vars []string
	curlCmd := &cobra.Command{
		Use:   "curl QUERY [--var name=value]…",
		Short: "Print a saved query as a curl command; every secret is replaced by a placeholder",
		Args:  exactArgs("QUERY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			values, err := parseVars(vars)
			if err != nil {
				return err
			}
			ws, q, r, err := c.queryNamed(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			// The environment's values fill the command; its secrets stay {{variables}}, as the query's do.
			r, q, vals, _, err := c.inEnvironment(cmd.Context(), r, q, values)
			if err != nil {
				return err
			}
			out, err := curl.Options{Dir: ws.Dir()}.Export(q, r, vals)
			if err != nil {
				return err
			}
			fmt.Fprintln(c.stdout, out)
			return nil
		},
	}
	curlCmd.Flags().StringArrayVar(&vars, "var", nil, "value of a {{variable}}: name=value (repeat for more)")
	cmd.AddCommand(curlCmd)
	return cmd
}
