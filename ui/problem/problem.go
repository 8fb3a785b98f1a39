// Package problem shows an error where it happened: a headline and what to do in plain words, with the
// technical detail one click away. The engine already writes its messages for a person; this package adds
// the headline a glance needs and keeps the error chain for whoever asks for it.
package problem

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"apidesk/engine/curl"
	"apidesk/engine/imports"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/template"
	"apidesk/engine/workspace"
)

// Explanation is an error as a person reads it.
type Explanation struct {
	Headline string // a few words: "Could not connect"
	Message  string // the engine's sentence: what happened and what to do
	Detail   string // the error chain, for a developer or a support ticket
}

// Explain turns err into words. The engine's messages never hold a secret, so neither does the result.
func Explain(err error) Explanation {
	if err == nil {
		return Explanation{}
	}
	return Explanation{Headline: headline(err), Message: sentence(err.Error()), Detail: detail(err)}
}

// headlines maps what callers can match to the few words shown in bold. The first match wins.
var headlines = []struct {
	err  error
	text string
}{
	{context.Canceled, "Cancelled"},
	{runner.ErrPassphrase, "The client key's passphrase is missing or wrong"},
	{runner.ErrProxy, "The proxy did not let the request through"},
	{runner.ErrNetworkSettings, "The network settings need fixing"},
	{runner.ErrFile, "A file to send cannot be read"},
	{runner.ErrTimeout, "No answer in time"},
	{runner.ErrConnect, "Could not connect"},
	{runner.ErrTLS, "Secure connection failed"},
	{runner.ErrTooManyRedirects, "Too many redirects"},
	{runner.ErrTooLarge, "The answer is too large"},
	{runner.ErrBadURL, "The address is not valid"},
	{runner.ErrBadHeader, "A header cannot be sent"},
	{resource.ErrNotSignedIn, "Sign-in needed"},
	{resource.ErrOriginChanged, "The address changed"},
	{template.ErrMissing, "Some values are missing"},
	{secret.ErrUnavailable, "The keychain is not available"},
	{secret.ErrCorrupt, "A secret in the keychain is damaged"},
	{resource.ErrInvalid, "Some fields need fixing"},
	{workspace.ErrStale, "Changed by another program"},
	{curl.ErrSyntax, "The curl command cannot be read"},
	{curl.ErrUnsupported, "The curl command cannot be imported"},
	{curl.ErrBadRequest, "The curl command's request is not valid"},
	{curl.ErrNotUnderBase, "The URL is not on this resource"},
	{imports.ErrFormat, "This file cannot be imported"},
	{imports.ErrNoSource, "Nothing to import there"},
}

func headline(err error) string {
	for _, h := range headlines {
		if errors.Is(err, h.err) {
			return h.text
		}
	}
	return "Something went wrong"
}

// sentence starts s with a capital letter and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.ContainsAny(s[len(s)-1:], ".!?") {
		s += "."
	}
	return s
}

// detail lists the error chain, one error a line, each indented under the one that wraps it: what a
// support ticket needs, in the engine's words. It never names Go types (*template.MissingError): they mean
// nothing to the person who copies it, and the messages say what happened. An error whose message is its
// wrapper's is left out.
func detail(err error) string {
	var b strings.Builder
	var walk func(e error, parent string, depth int)
	walk = func(e error, parent string, depth int) {
		if e == nil || depth > 8 {
			return
		}
		msg := e.Error()
		if msg != parent {
			fmt.Fprintf(&b, "%s%s\n", strings.Repeat("  ", depth), msg)
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap(), msg, depth+1)
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x, msg, depth+1)
			}
		}
	}
	walk(err, "", 0)
	return strings.TrimRight(b.String(), "\n")
}
