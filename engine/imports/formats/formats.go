// Package formats lists the formats apidesk imports and exports, for the CLI and the window alike.
package formats

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"apidesk/engine/imports"
	"apidesk/engine/imports/bruno"
	"apidesk/engine/imports/har"
	"apidesk/engine/imports/insomnia"
	"apidesk/engine/imports/openapi"
	"apidesk/engine/imports/postman"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// Import is a format an import reads.
type Import struct {
	Name   string // as the CLI names it: openapi, postman…
	Title  string // as a menu names it: "OpenAPI or Swagger"
	What   string // in a sentence: "an OpenAPI 3 or Swagger 2.0 document (JSON or YAML)"
	Folder bool   // it reads a folder (Source.Path), not a file
	Exts   []string
	Read   func(ctx context.Context, src imports.Source) (*imports.Plan, error)
	// Environment is, for a format whose {{variables}} can take their values from a file of their own (a
	// Postman environment), that file and how the document is read with it; nil for the other formats.
	Environment *Environment
}

// Environment is a file of values for a document's {{variables}}, read together with the document: it becomes
// one of the workspace's environments (Plan.Environments), its values also the resource's defaults (and they may
// choose its base URL, which then starts with the environment's {{variable}}); the values that look secret are
// not imported but listed in the plan's LeftOut, their variables secret in the environment.
type Environment struct {
	Title string // as a form names it: "Postman environment"
	What  string // in a sentence: "a Postman environment (exported from Postman's Environments)"
	Exts  []string
	// Read reads the document src with the values of the environment env. An error about env (not such a
	// file) starts "the environment " and env's name.
	Read func(ctx context.Context, src, env imports.Source) (*imports.Plan, error)
}

// Export is a format a resource and its queries are written as.
type Export struct {
	Name, Title, What string
	Ext               string
	Write             func(res *resource.Resource, qs []*query.Query) ([]byte, error)
}

// Imports are the formats read, in the order menus list them.
var Imports = []Import{
	{Name: "openapi", Title: "OpenAPI or Swagger", What: "an OpenAPI 3 or Swagger 2.0 document (JSON or YAML)", Exts: []string{".yaml", ".yml", ".json"},
		Read: func(ctx context.Context, src imports.Source) (*imports.Plan, error) {
			// An openIdConnect scheme's sign-in addresses are read from its discovery document now, so that the
			// person adds only a client ID; a $ref on another server is still refused, naming it.
			return openapi.Read(ctx, src, openapi.Options{Discover: true, Client: &http.Client{Timeout: 15 * time.Second}})
		}},
	{Name: "postman", Title: "Postman collection", What: "a Postman collection (v2.0 or v2.1)", Exts: []string{".json"}, Read: postman.Read,
		Environment: &Environment{Title: "Postman environment", What: "a Postman environment (exported from Postman's Environments)", Exts: []string{".json"},
			Read: readPostmanWithEnvironment}},
	{Name: "insomnia", Title: "Insomnia export", What: "an Insomnia export (v4 JSON or YAML, or a v5 collection)", Exts: []string{".json", ".yaml", ".yml"}, Read: insomnia.Read},
	{Name: "har", Title: "HAR (a browser's network log)", What: "a HAR 1.2 file saved from a browser's developer tools", Exts: []string{".har", ".json"}, Read: har.Read},
	{Name: "bruno", Title: "Bruno collection folder", What: "a Bruno collection folder (bruno.json and its .bru files)", Folder: true, Read: bruno.Read},
}

// readPostmanWithEnvironment reads a Postman collection with a Postman environment's values, adding to the plan
// the environment's values left out.
func readPostmanWithEnvironment(ctx context.Context, src, env imports.Source) (*imports.Plan, error) {
	e, err := postman.ReadEnvironmentAs(env)
	if err != nil {
		return nil, fmt.Errorf("the environment %s: %w", env.Name, err)
	}
	p, err := postman.ReadWithEnvironment(ctx, src, e.Values)
	if err != nil {
		return nil, err
	}
	p.LeftOut = append(p.LeftOut, e.LeftOut...)
	// The environment becomes one of the workspace's, and the resource takes from it what it defines.
	p.AddEnvironment(e.Name, e.Variables)
	p.UseEnvironments(nil)
	return p, nil
}

// Exports are the formats written.
var Exports = []Export{
	{Name: "postman", Title: "Postman collection", What: "a Postman collection v2.1", Ext: ".postman_collection.json", Write: postman.Export},
	{Name: "openapi", Title: "OpenAPI document", What: "an OpenAPI 3.1 document", Ext: ".openapi.json", Write: openapi.Export},
}

// ImportNamed is the import format of that name.
func ImportNamed(name string) (Import, bool) {
	for _, f := range Imports {
		if f.Name == name {
			return f, true
		}
	}
	return Import{}, false
}
