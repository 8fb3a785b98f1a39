package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoFyne fails when any engine package (tests included) depends on Fyne or on apidesk/ui.
func TestNoFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-test", "-deps", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "fyne.io/") || pkg == "apidesk/ui" || strings.HasPrefix(pkg, "apidesk/ui/") {
			t.Errorf("engine must not depend on %s: move the code that needs it to ui/", pkg)
		}
	}
}
