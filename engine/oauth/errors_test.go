package oauth

import (
	"errors"
	"testing"

	"apidesk/engine/resource"
)

func TestNotSignedInMatchesRunner(t *testing.T) {
	for name, err := range map[string]error{
		"sentinel":    ErrNotSignedIn,
		"why":         &SignInNeededError{Reason: "signed out — sign in again"},
		"wrapped why": errors.Join(errors.New("x"), &SignInNeededError{Reason: "r"}),
	} {
		if !errors.Is(err, resource.ErrNotSignedIn) || !errors.Is(err, ErrNotSignedIn) {
			t.Errorf("%s: %v does not match both sentinels", name, err)
		}
	}
}
