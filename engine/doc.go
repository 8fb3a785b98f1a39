// Package engine is the root of everything a person's data goes through in apidesk: resources, queries,
// templates, the request runner, OAuth 2.0, the keychain and the workspace files. Its packages never import
// Fyne or apidesk/ui, so the CLI, the window and the tests share every rule; deps_test.go enforces that.
package engine
