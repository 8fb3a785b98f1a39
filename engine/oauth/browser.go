package oauth

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// SystemBrowser returns the OpenURL the CLI signs in with. When $BROWSER (read through getenv) is set, its
// commands are tried in order, as xdg-open and gh do: they are separated by ':' (';' on Windows), a %s in a
// command is replaced by the URL, else the URL is its last argument; the first command that exits 0 wins.
// Otherwise the OS opener runs: open on macOS, rundll32 url.dll,FileProtocolHandler on Windows, xdg-open
// elsewhere.
//
// The returned function waits for the command: a terminal browser such as w3m runs until the person quits
// it. Prompt.OpenURL is called on its own goroutine, so the sign-in finishes meanwhile.
func SystemBrowser(getenv func(string) string) func(*url.URL) error {
	return func(u *url.URL) error {
		if u == nil || (u.Scheme != "http" && u.Scheme != "https") {
			return errors.New("only http and https addresses are opened in the browser")
		}
		s := u.String()
		if env := strings.TrimSpace(getenv("BROWSER")); env != "" {
			return runBrowsers(env, s)
		}
		var cmd *exec.Cmd
		switch runtime.GOOS {
		case "darwin":
			cmd = exec.Command("open", s)
		case "windows":
			cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", s)
		default:
			cmd = exec.Command("xdg-open", s)
		}
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s could not open the browser (%w): open the address yourself", cmd.Args[0], err)
		}
		return nil
	}
}

// BrowserCommands splits a $BROWSER value into the commands to try, each with the URL in place.
func BrowserCommands(env, u string) [][]string {
	sep := ":"
	if runtime.GOOS == "windows" {
		sep = ";" // C:\… paths contain ':'
	}
	var cmds [][]string
	for _, c := range strings.Split(env, sep) {
		args := strings.Fields(c)
		if len(args) == 0 {
			continue
		}
		placed := false
		for i, a := range args {
			if strings.Contains(a, "%s") {
				args[i] = strings.ReplaceAll(a, "%s", u)
				placed = true
			}
		}
		if !placed {
			args = append(args, u)
		}
		cmds = append(cmds, args)
	}
	return cmds
}

func runBrowsers(env, u string) error {
	var errs []error
	for _, args := range BrowserCommands(env, u) {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr // a terminal browser needs them
		err := cmd.Run()
		if err == nil {
			return nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", args[0], err))
	}
	if len(errs) == 0 {
		return errors.New("$BROWSER names no command")
	}
	return fmt.Errorf("no command in $BROWSER opened the address: %w", errors.Join(errs...))
}
