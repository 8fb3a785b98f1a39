// Command apidesk is the apidesk window: resources and saved queries in a sidebar, a form for each resource,
// an editor and response viewer for each query, and a run mode for people who only run saved queries. It is a
// thin shell over the engine that apidesk-cli drives too.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"apidesk/assets"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/version"
	"apidesk/engine/workspace"
	"apidesk/ui/app"
)

// appID is the ID in FyneApp.toml; preferences are kept under it.
const appID = "io.apidesk.app"

func main() {
	wsDir := flag.String("workspace", "", "workspace folder (default $"+workspace.EnvDir+", else apidesk in your config folder)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.String())
		return
	}
	if err := run(*wsDir); err != nil {
		fmt.Fprintln(os.Stderr, "apidesk: "+err.Error())
		os.Exit(1)
	}
}

func run(dir string) error {
	if dir == "" {
		var err error
		if dir, err = workspace.DefaultDir(); err != nil {
			return err
		}
	}
	ws, err := workspace.Open(dir)
	if err != nil {
		return err
	}
	store := secret.New(secret.KeyringBackend(), secret.Options{})

	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	w := app.New(a, app.Deps{
		Workspace: ws,
		Secrets:   store,
		Runner:    runner.New(keychainSecrets(store), nil),
	})
	w.Load()
	w.Window().ShowAndRun()
	return nil
}

// keychainSecrets gives the runner the secrets of a resource from the keychain, as apidesk-cli does: a secret
// that is not stored is "" (the runner says what is missing), any other failure is the keychain's error.
func keychainSecrets(store *secret.Store) runner.Secrets {
	return runner.SecretsFunc(func(ctx context.Context, id, kind string) (string, error) {
		v, err := store.Get(ctx, id, secret.Kind(kind))
		if errors.Is(err, secret.ErrNotFound) {
			return "", nil
		}
		return v, err
	})
}
