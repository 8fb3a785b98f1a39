// Package oauthtest tests package apidesk/engine/oauth against a real authorization server: fosite, run
// by package oauthpeer, with a simulated browser, and the real keychain store (package secret) over
// go-keyring's in-memory mock, or over the real Secret Service when APIDESK_REAL_KEYRING=1 (as
// scripts/with-keyring.sh sets it).
//
// The package holds only tests.
package oauthtest
