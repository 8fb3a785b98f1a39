package problem

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"apidesk/engine/imports"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/template"
)

func TestExplain(t *testing.T) {
	for _, tc := range []struct {
		name     string
		err      error
		headline string
		message  string
	}{
		{"proxy", fmt.Errorf("send: %w", fmt.Errorf("the proxy refused: %w", runner.ErrProxy)), "The proxy did not let the request through", "Send: the proxy refused: the proxy failed."},
		{"connect", fmt.Errorf("send: %w", fmt.Errorf("could not connect to 127.0.0.1:1: is the server running? %w", runner.ErrConnect)), "Could not connect", "Send: could not connect to 127.0.0.1:1: is the server running? could not connect."},
		{"cancelled", fmt.Errorf("the request was cancelled: %w", context.Canceled), "Cancelled", "The request was cancelled: context canceled."},
		{"missing", &template.MissingError{Names: []string{"id"}}, "Some values are missing", ""},
		{"keychain", fmt.Errorf("no Secret Service: %w", secret.ErrUnavailable), "The keychain is not available", "No Secret Service: keychain unavailable."},
		{"fields", resource.Errors{{Field: "name", Msg: "Name is required"}}, "Some fields need fixing", "Name is required."},
		{"import", fmt.Errorf("the environment a.json: %w", &imports.FormatError{Format: "a Postman environment", Msg: "it has no variables"}), "This file cannot be imported",
			"The environment a.json: this is not a Postman environment: it has no variables."},
		{"other", errors.New("disk full"), "Something went wrong", "Disk full."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := Explain(tc.err)
			if e.Headline != tc.headline {
				t.Errorf("headline %q, want %q", e.Headline, tc.headline)
			}
			if tc.message != "" && e.Message != tc.message {
				t.Errorf("message %q, want %q", e.Message, tc.message)
			}
			if !strings.Contains(e.Detail, tc.err.Error()) {
				t.Errorf("detail %q does not hold the error", e.Detail)
			}
		})
	}
	if e := Explain(nil); e != (Explanation{}) {
		t.Errorf("Explain(nil) = %+v", e)
	}
}

func TestDetailListsTheChain(t *testing.T) {
	err := fmt.Errorf("outer: %w", fmt.Errorf("middle: %w", errors.New("root cause")))
	d := Explain(err).Detail
	lines := strings.Split(d, "\n")
	if len(lines) != 3 || lines[0] != "outer: middle: root cause" || lines[2] != "    root cause" {
		t.Errorf("detail:\n%s", d)
	}
}

func TestDetailNamesNoGoTypes(t *testing.T) {
	missing := &template.MissingError{Names: []string{"file"}}
	for _, tc := range []struct {
		name, says string
		err        error
	}{
		{"missing", missing.Error(), missing},
		{"wrapped", missing.Error(), fmt.Errorf("not sent: %w", missing)},
		{"joined", "no answer in time", errors.Join(missing, fmt.Errorf("no answer: %w", runner.ErrTimeout))},
		{"fields", "Name is required", fmt.Errorf("not saved: %w", resource.Errors{{Field: "name", Msg: "Name is required"}})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Explain(tc.err).Detail
			if !strings.Contains(d, tc.says) {
				t.Errorf("detail %q does not say what happened", d)
			}
			for e := range chain(tc.err) {
				if typ := fmt.Sprintf("%T", e); strings.Contains(d, typ) {
					t.Errorf("detail names the Go type %s:\n%s", typ, d)
				}
			}
		})
	}
}

// chain yields err and every error it wraps.
func chain(err error) func(func(error) bool) {
	return func(yield func(error) bool) {
		var walk func(e error) bool
		walk = func(e error) bool {
			if e == nil {
				return true
			}
			if !yield(e) {
				return false
			}
			switch u := e.(type) {
			case interface{ Unwrap() error }:
				return walk(u.Unwrap())
			case interface{ Unwrap() []error }:
				for _, x := range u.Unwrap() {
					if !walk(x) {
						return false
					}
				}
			}
			return true
		}
		walk(err)
	}
}
