package imports_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"apidesk/engine/imports"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/workspace"
)

func open(t *testing.T) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ws
}

func petstore(summary string) *imports.Plan {
	return &imports.Plan{Format: "test", Resources: []imports.Resource{{
		Resource: resource.Resource{Name: "Petstore", BaseURL: "https://petstore.example/v1"},
		Queries: []query.Query{
			{Name: "List pets", Method: "GET", Path: "/pets", Source: "test:listPets", Group: "pets"},
			{Name: summary, Method: "POST", Path: "/pets", Source: "test:createPet", Group: "pets"},
			{Name: "List pets", Method: "GET", Path: "/v2/pets", Source: "test:listPets2"},
		},
	}}}
}

// A first import creates the resource and its queries (a name taken twice gets a number); a second import of
// the same document updates them, matched by their source, keeping the names and result shapes they have now;
// a dry run writes nothing.
func TestApplyCreatesThenUpdates(t *testing.T) {
	ctx := context.Background()
	ws := open(t)
	out, err := imports.Apply(ctx, ws, nil, petstore("Create a pet"), imports.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].String() != "Created resource Petstore with 3 queries" {
		t.Fatalf("outcome %v", out)
	}
	res, err := ws.ResourceByName("Petstore")
	if err != nil {
		t.Fatal(err)
	}
	qs := ws.QueriesOf(res.ID)
	names := map[string]string{}
	for _, q := range qs {
		names[q.Source] = q.Name
	}
	if len(qs) != 3 || names["test:listPets"] != "List pets" || names["test:listPets2"] != "List pets (2)" || names["test:createPet"] != "Create a pet" {
		t.Fatalf("queries %v", names)
	}
	// The person renames one and keeps a result shape on it.
	for _, q := range qs {
		if q.Source == "test:createPet" {
			q.Name, q.Result = "New pet", &query.Result{Rows: "data"}
			if err := ws.SaveQuery(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	}

	dry, err := imports.Apply(ctx, ws, nil, petstore("Add a pet"), imports.Options{DryRun: true})
	if err != nil || dry[0].Planned() != "Would add 0 queries to Petstore, update 3" {
		t.Fatalf("dry run %v, %v", dry, err)
	}
	out, err = imports.Apply(ctx, ws, nil, petstore("Add a pet"), imports.Options{})
	if err != nil || out[0].String() != "Added 0 queries to Petstore, updated 3" {
		t.Fatalf("second import %v, %v", out, err)
	}
	qs = ws.QueriesOf(res.ID)
	if len(qs) != 3 {
		t.Fatalf("%d queries after the second import", len(qs))
	}
	for _, q := range qs {
		if q.Source == "test:createPet" && (q.Name != "New pet" || q.Result == nil || q.Result.Rows != "data") {
			t.Errorf("the renamed query became %q %+v", q.Name, q.Result)
		}
	}
}

func TestApplyToANamedResource(t *testing.T) {
	ctx := context.Background()
	ws := open(t)
	_, err := imports.Apply(ctx, ws, nil, petstore("x"), imports.Options{Resource: "CRM"})
	if !errors.Is(err, imports.ErrNoResource) {
		t.Fatalf("Apply to a missing resource = %v", err)
	}
	crm := &resource.Resource{Name: "CRM", BaseURL: "https://crm.example"}
	if err := ws.SaveResource(ctx, crm, nil, nil); err != nil {
		t.Fatal(err)
	}
	out, err := imports.Apply(ctx, ws, nil, petstore("x"), imports.Options{Resource: "CRM"})
	if err != nil || out[0].String() != "Added 3 queries to CRM" || len(ws.QueriesOf(crm.ID)) != 3 {
		t.Fatalf("%v, %v", out, err)
	}
	if _, err := ws.ResourceByName("Petstore"); err == nil {
		t.Error("the plan's own resource was created too")
	}
}

// A document's Basic authentication without a username (only the person knows it) does not stop the import:
// the resource is made without authentication, and the outcome says what to set.
func TestApplyWithoutWhatOnlyThePersonKnows(t *testing.T) {
	ws := open(t)
	p := petstore("x")
	p.Resources[0].Resource.Auth = resource.Auth{Kind: resource.AuthBasic}
	out, err := imports.Apply(context.Background(), ws, nil, p, imports.Options{})
	if err != nil || len(out) != 1 || len(out[0].Notes) != 1 || !strings.Contains(out[0].Notes[0], "Username is required") {
		t.Fatalf("%+v, %v", out, err)
	}
	if r, err := ws.ResourceByName("Petstore"); err != nil || r.Auth.Kind != resource.AuthNone || len(ws.QueriesOf(r.ID)) != 3 {
		t.Fatalf("%+v, %v", r, err)
	}
}
