package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/workspace"
)

// requestFlags describe a request: its resource, method, path, rows and body. Shared by query save and request.
type requestFlags struct {
	resource, method, path, jsonBody, raw, contentType, bodyFile string
	form, multipart                                              []string
	rows                                                         rowFlags
}

func (f *requestFlags) register(cmd *cobra.Command, withMethod bool) {
	fl := cmd.Flags()
	if withMethod {
		fl.StringVar(&f.method, "method", "GET", "HTTP method")
		fl.StringVar(&f.path, "path", "", "path on the resource's base URL, e.g. /users/{{id}}")
	}
	f.rows.register(cmd, "")
	fl.StringVar(&f.jsonBody, "json", "", "JSON body: the text, or @FILE to read it from a file")
	fl.StringArrayVar(&f.form, "form", nil, "form field name=value for an application/x-www-form-urlencoded body (repeat for more)")
	fl.StringVar(&f.raw, "raw", "", "raw text body (@FILE reads a file); set its type with --content-type")
	fl.StringArrayVar(&f.multipart, "multipart", nil, "field of a multipart/form-data body, as curl's -F: name=value, name=@FILE[;type=T][;filename=F] "+
		"(a file, streamed), name=<FILE (a small file's text) (repeat for more)")
	fl.StringVar(&f.bodyFile, "body-file", "", "send FILE as the body, streamed from disk; its type is guessed from its name unless --content-type gives it")
	fl.StringVar(&f.contentType, "content-type", "", "content type of a --raw body (default text/plain) or a --body-file (default guessed)")
}

// query finds the flags' resource and builds the query named name that the flags describe on it, checked.
func (c *cli) query(ctx context.Context, f *requestFlags, name string) (*workspace.Workspace, *resource.Resource, *query.Query, error) {
	ws, r, err := c.resourceNamed(ctx, f.resource)
	if err != nil {
		return nil, nil, nil, err
	}
	q := &query.Query{Name: name, ResourceID: r.ID}
	if err := f.apply(q, ws); err != nil {
		return nil, nil, nil, err
	}
	return ws, r, q, nil
}

// apply fills q's method, path, rows and body from the flags, and checks the query: a problem is a usage error
// that names the flag to fix. The paths of files to send are made relative to ws when inside it.
func (f *requestFlags) apply(q *query.Query, ws *workspace.Workspace) error {
	headers, params, cookies, err := f.rows.rows()
	if err != nil {
		return err
	}
	q.Method, q.Path = strings.ToUpper(f.method), f.path
	q.Headers, q.Params, q.Cookies = headers, params, cookies
	bodies := 0
	for _, set := range []bool{f.jsonBody != "", len(f.form) > 0, f.raw != "", len(f.multipart) > 0, f.bodyFile != ""} {
		if set {
			bodies++
		}
	}
	if bodies > 1 {
		return usagef("give only one body: --json, --form, --raw, --multipart or --body-file")
	}
	switch {
	case f.jsonBody != "":
		text, err := textOrFile("json", f.jsonBody)
		if err != nil {
			return err
		}
		q.Body = query.Body{Kind: query.BodyJSON, Text: text}
	case len(f.form) > 0:
		form, err := parseRows("form", f.form, kv.ParsePair)
		if err != nil {
			return err
		}
		q.Body = query.Body{Kind: query.BodyForm, Form: form}
	case f.raw != "":
		text, err := textOrFile("raw", f.raw)
		if err != nil {
			return err
		}
		ct := f.contentType
		if ct == "" {
			ct = "text/plain"
		}
		q.Body = query.Body{Kind: query.BodyRaw, Text: text, ContentType: ct}
	case len(f.multipart) > 0:
		q.Body = query.Body{Kind: query.BodyMultipart}
		for _, v := range f.multipart {
			p, err := parseMultipart(v, ws)
			if err != nil {
				return err
			}
			q.Body.Parts = append(q.Body.Parts, p)
		}
	case f.bodyFile != "":
		path := f.bodyFile
		if ws != nil {
			path = ws.RelPath(path)
		}
		q.Body = query.Body{Kind: query.BodyFile, File: path, ContentType: f.contentType}
	default:
		q.Body = query.Body{Kind: query.BodyNone}
	}
	if es := q.Validate(); len(es) > 0 {
		body, rest := bodyFlagWords(es)
		if len(rest) > 0 {
			body = append(body, flagWords(rest).Error())
		}
		return usagef("%s", strings.Join(body, "; "))
	}
	return nil
}

// missingFiles names the files q sends that are not there (yet): a saved query is kept all the same, and the
// runner refuses to send it until they are. A path with a {{variable}} is found when the query runs.
func missingFiles(ws *workspace.Workspace, q *query.Query) []string {
	var paths []string
	if q.Body.Kind == query.BodyFile {
		paths = append(paths, q.Body.File)
	}
	for _, p := range q.Body.Parts {
		if q.Body.Kind == query.BodyMultipart && p.IsFile() {
			paths = append(paths, p.File)
		}
	}
	var out []string
	for _, p := range paths {
		if strings.Contains(p, "{{") {
			continue
		}
		if _, err := os.Stat(ws.AbsPath(p)); err != nil {
			out = append(out, p)
		}
	}
	return out
}

// textOrFile returns s, or the contents of FILE when s is @FILE.
func textOrFile(flag, s string) (string, error) {
	name, ok := strings.CutPrefix(s, "@")
	if !ok {
		return s, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return "", usagef("--%s: could not read %s: %v", flag, name, err)
	}
	return string(b), nil
}

func (c *cli) querySaveCommand() *cobra.Command {
	var f requestFlags
	cmd := &cobra.Command{
		Use:   "save NAME --resource R [flags]",
		Short: "Save a query on a resource (replaces a saved query of the same name)",
		Example: `  apidesk-cli query save users --resource crm --path /users --param 'q={{search}}'
  apidesk-cli query save new-user --resource crm --method POST --path /users --json '{"name": "{{name}}"}'
  apidesk-cli query save login --resource crm --method POST --path /login --form user={{user}} --form 'remember=1'
  apidesk-cli query save avatar --resource crm --method POST --path /users/{{id}}/avatar \
      --multipart 'caption={{caption}}' --multipart 'photo=@samples/me.png;type=image/png;filename=avatar.png'
  apidesk-cli query save import --resource crm --method PUT --path /imports --body-file samples/rows.csv --content-type text/csv

A file to send (--multipart name=@FILE, --body-file) is kept as its path, never its content: relative to the
workspace folder when it is inside it, so the workspace's git can hold sample files. It is read, streamed, each
time the query runs. --multipart name=<FILE puts a small file's text (at most 64 KB) in a text field, now.`,
		Args: exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if f.resource == "" {
				return usagef("--resource is required: name the resource the query runs on (apidesk-cli resource list shows them)")
			}
			ws, r, q, err := c.query(ctx, &f, strings.TrimSpace(args[0]))
			if err != nil {
				return err
			}
			replaced := false
			if old, err := ws.QueryByName(q.Name); err == nil {
				q.ID, q.Variables, replaced = old.ID, old.Variables, true
			}
			if err := ws.SaveQuery(ctx, q); err != nil {
				return err
			}
			file, _ := ws.File(q.ID)
			verb := "Saved"
			if replaced {
				verb = "Replaced"
			}
			fmt.Fprintf(c.stderr, "%s query %q on %q (%s)", verb, q.Name, r.Name, file)
			if names := q.VariableNames(r); len(names) > 0 {
				fmt.Fprintf(c.stderr, "; run it with --var %s", strings.Join(names, "=… --var ")+"=…")
			}
			fmt.Fprintln(c.stderr)
			for _, p := range missingFiles(ws, q) {
				fmt.Fprintf(c.stderr, "apidesk-cli: warning: the file %s is not there (looked for %s): the query runs once it is\n", p, ws.AbsPath(p))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&f.resource, "resource", "", "the resource the query runs on (required)")
	f.register(cmd, true)
	return cmd
}

func (c *cli) queryListCommand() *cobra.Command {
	var resName string
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List saved queries",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			ws, err := c.workspace(ctx)
			if err != nil {
				return err
			}
			qs := ws.Queries()
			if resName != "" {
				_, r, err := c.resourceNamed(ctx, resName)
				if err != nil {
					return err
				}
				qs = ws.QueriesOf(r.ID)
			}
			if len(qs) == 0 {
				fmt.Fprintln(c.stderr, "No saved queries yet: save one with apidesk-cli query save NAME --resource R --path /x")
				return nil
			}
			tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tRESOURCE\tREQUEST\tVARIABLES")
			for _, q := range qs {
				r, _ := ws.ResourceByID(q.ResourceID) // nil when it is missing: the query's own variables
				fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\n", q.Name, resourceName(ws, q.ResourceID), q.EffectiveMethod(), q.Path, strings.Join(q.VariableNames(r), ", "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&resName, "resource", "", "only the queries of this resource")
	return cmd
}

func resourceName(ws *workspace.Workspace, id string) string {
	if r, err := ws.ResourceByID(id); err == nil {
		return r.Name
	}
	return "(missing resource " + id + ")"
}

// queryNamed finds a saved query and its resource.
func (c *cli) queryNamed(ctx context.Context, name string) (*workspace.Workspace, *query.Query, *resource.Resource, error) {
	ws, err := c.workspace(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	q, err := ws.QueryByName(name)
	if err != nil {
		if q, err = ws.QueryByID(name); err != nil {
			var names []string
			for _, q := range ws.Queries() {
				names = append(names, q.Name)
			}
			if len(names) == 0 {
				return nil, nil, nil, fmt.Errorf("no saved query named %q: there are none yet; save one with apidesk-cli query save", name)
			}
			return nil, nil, nil, fmt.Errorf("no saved query named %q: the workspace has %s", name, strings.Join(quoteAll(names), ", "))
		}
	}
	r, err := ws.ResourceByID(q.ResourceID)
	if err != nil {
		file, _ := ws.File(q.ID)
		return nil, nil, nil, fmt.Errorf("query %q (%s) belongs to a resource that is not in the workspace (id %s): add the resource or save the query on another one", q.Name, file, q.ResourceID)
	}
	return ws, q, r, nil
}

func (c *cli) queryShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Show a saved query",
		Args:  exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, q, r, err := c.queryNamed(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			w := c.stdout
			file, _ := ws.File(q.ID)
			fmt.Fprintf(w, "name:      %s\n", q.Name)
			fmt.Fprintf(w, "id:        %s\n", q.ID)
			fmt.Fprintf(w, "file:      %s\n", file)
			fmt.Fprintf(w, "resource:  %s (%s)\n", r.Name, r.BaseURL)
			fmt.Fprintf(w, "request:   %s %s\n", q.EffectiveMethod(), q.Path)
			printRows(w, "params", q.Params)
			printRows(w, "headers", q.Headers)
			printRows(w, "cookies", q.Cookies)
			switch q.Body.Kind {
			case query.BodyJSON, query.BodyRaw:
				ct := "application/json"
				if q.Body.Kind == query.BodyRaw {
					ct = q.Body.ContentType
				}
				fmt.Fprintf(w, "body (%s):\n", ct)
				for _, line := range strings.Split(strings.TrimRight(q.Body.Text, "\n"), "\n") {
					fmt.Fprintf(w, "  %s\n", line)
				}
			case query.BodyForm:
				printRows(w, "form body", q.Body.Form)
			case query.BodyMultipart:
				fmt.Fprintln(w, "multipart body:")
				for _, p := range q.Body.Parts {
					line := "  " + p.Name + "=" + p.Value
					if p.IsFile() {
						line = "  " + p.Name + "=@" + p.File
						if p.Filename != "" {
							line += ";filename=" + p.Filename
						}
					}
					if p.ContentType != "" {
						line += ";type=" + p.ContentType
					}
					if !p.Enabled {
						line += " (off)"
					}
					fmt.Fprintln(w, strings.ReplaceAll(line, "\n", "\\n"))
				}
			case query.BodyFile:
				ct := q.Body.ContentType
				if ct == "" {
					ct = query.ContentTypeOf(q.Body.File) + ", guessed"
				}
				fmt.Fprintf(w, "body:      the file %s (%s)\n", q.Body.File, ct)
			}
			if in := q.Inputs(r); len(in) > 0 {
				// Each variable with the value it takes, and where from, in the environment chosen.
				s, err := c.scope(cmd.Context(), ws, r)
				if err != nil {
					return err
				}
				sq := s.Query(q)
				resolved := s.Resolve(sq, nil)
				fmt.Fprintln(w, "variables:")
				for _, v := range in {
					line := "  " + v.Name
					if v.Description != "" {
						line += " — " + v.Description
					}
					switch val, ok := resolved[v.Name]; {
					case !ok:
						line += " (no value: give it with --var " + v.Name + "=…)"
					case sq.Variable(v.Name).Secret():
						line += " = (secret, from " + s.Where(val.Source) + ")"
					default:
						line += " = " + val.Value + " (" + s.Where(val.Source) + ")"
					}
					fmt.Fprintln(w, line)
				}
			}
			return nil
		},
	}
}

func (c *cli) queryRmCommand() *cobra.Command {
	return rmCommand("Remove a saved query", func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		ws, err := c.workspace(ctx)
		if err != nil {
			return err
		}
		q, err := ws.QueryByName(args[0])
		if err != nil {
			return fmt.Errorf("no saved query named %q: apidesk-cli query list shows them", args[0])
		}
		if err := ws.DeleteQuery(ctx, q.ID); err != nil {
			return err
		}
		fmt.Fprintf(c.stderr, "Removed query %q\n", q.Name)
		return nil
	})
}
