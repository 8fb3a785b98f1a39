package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"apidesk/engine/imports"
	"apidesk/engine/imports/formats"
)

// importFormatCommand is `apidesk-cli import FORMAT FILE_OR_URL`.
func (c *cli) importFormatCommand(f formats.Import) *cobra.Command {
	var resName, envArg string
	var dry bool
	what := "FILE_OR_URL"
	if f.Folder {
		what = "FOLDER"
	}
	use := f.Name + " " + what
	long := "Create resources and saved queries from " + f.What + `. A second import of the same document updates
the queries the first created instead of adding them again. What is created is printed; each part of the
document left out is listed on standard error with the reason. Nothing secret is written to the workspace.`
	if f.Environment != nil {
		use += " [--environment ENV_FILE]"
		long += "\n\nWith --environment, the values of " + f.Environment.What + ` become the defaults of the
{{variables}} the queries use, and may give the base URL; values that look secret are left out and listed.`
	}
	cmd := &cobra.Command{
		Use:   use + " [--resource NAME] [--dry-run]",
		Short: "Create resources and saved queries from " + f.What,
		Long:  long,
		Args:  exactArgs(what),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ws, err := c.workspace(ctx)
			if err != nil {
				return err
			}
			if envArg == "-" && args[0] == "-" {
				return usagef("standard input can give the document or the environment, not both: give the environment's file")
			}
			src, err := imports.Load(ctx, args[0], f.Folder)
			if errors.Is(err, imports.ErrNoSource) {
				return usagef("%v", err)
			}
			if err != nil {
				return err
			}
			var plan *imports.Plan
			if envArg != "" {
				env, err := imports.Load(ctx, envArg, false)
				if errors.Is(err, imports.ErrNoSource) {
					return usagef("the environment %v", err)
				}
				if err != nil {
					return err
				}
				plan, err = f.Environment.Read(ctx, src, env)
				if err != nil {
					return err
				}
			} else if plan, err = f.Read(ctx, src); err != nil {
				return err
			}
			for _, l := range plan.LeftOut {
				fmt.Fprintln(c.stderr, "Left out:", l)
			}
			for _, n := range plan.Notes {
				fmt.Fprintln(c.stderr, "Note:", n)
			}
			if plan.Count() == 0 {
				return exitError{code: exitFailed, msg: fmt.Sprintf("%s holds no request to import", src.Name)}
			}
			out, err := imports.Apply(ctx, ws, nil, plan, imports.Options{Resource: resName, DryRun: dry})
			for _, o := range out {
				if dry {
					fmt.Fprintln(c.stdout, o.Planned())
				} else {
					fmt.Fprintln(c.stdout, o)
				}
				for _, n := range o.Notes {
					fmt.Fprintln(c.stderr, "Note:", n)
				}
			}
			if errors.Is(err, imports.ErrNoResource) || errors.Is(err, imports.ErrSeveral) {
				return usagef("%v", err)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&resName, "resource", "", "add the queries to this existing resource instead of creating one")
	cmd.Flags().BoolVar(&dry, "dry-run", false, "print what would be created, and what left out, without writing anything")
	if f.Environment != nil {
		cmd.Flags().StringVar(&envArg, "environment", "", "read the {{variables}}' values from "+f.Environment.What+" (a file or a URL)")
	}
	return cmd
}

// exportFormatCommand is `apidesk-cli export FORMAT RESOURCE [-o FILE]`.
func (c *cli) exportFormatCommand(f formats.Export) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   f.Name + " RESOURCE [-o FILE]",
		Short: "Write a resource and its saved queries as " + f.What + ", secrets left out",
		Args:  exactArgs("RESOURCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, r, err := c.resourceNamed(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			data, err := f.Write(r, ws.QueriesOf(r.ID))
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err = c.stdout.Write(data)
				return err
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				return fmt.Errorf("could not write %s: %w", out, err)
			}
			fmt.Fprintf(c.stderr, "Wrote %s (%d queries of %s)\n", out, len(ws.QueriesOf(r.ID)), r.Name)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return cmd
}
