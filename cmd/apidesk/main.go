// Command apidesk is the apidesk window: resources and saved queries in a sidebar, a form for each resource,
// an editor and response viewer for each query, and a run mode for people who only run saved queries. It is a
// thin shell over the engine that apidesk-cli drives too, wired the same way (engine/keychain adapts the
// keychain to the runner and to the OAuth 2.0 client, which is the runner's token source).
package main

import (
	"flag"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"apidesk/assets"
	"apidesk/engine/history"
	"apidesk/engine/keychain"
	"apidesk/engine/oauth"
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
	signIns := &oauth.Client{Secrets: keychain.OAuth{Store: store}}
	rn := runner.New(keychain.RunnerSecrets(store), signIns)
	rn.Dir = ws.Dir()                     // the files queries send are kept relative to the workspace
	rn.Network = ws.Network               // a resource's proxy and certificates, with the workspace's default
	signIns.HTTPClientFor = rn.HTTPClient // its sign-ins take the same way as its API requests
	go func() { _, _ = rn.SweepTemp() }() // the response temp files of a crashed apidesk; a leftover harms no one

	var runs *history.Store // a record of what run mode runs; without a cache folder, none
	if root, err := history.DefaultRoot(); err == nil {
		runs = history.Open(root, ws.Dir())
	}

	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.WindowIconPNG))
	w := app.New(a, app.Deps{
		Workspace: ws,
		Secrets:   store,
		Runner:    rn,
		OAuth:     signIns,
		History:   runs,
	})
	w.Load()
	w.Window().ShowAndRun()
	return nil
}
