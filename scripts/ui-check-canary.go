//go:build ignore

// ui-check-canary is a Fyne window with the one bug scripts/ui-check.sh looks for: it sets a label from a
// goroutine instead of through fyne.Do. ui-check.sh runs it first and expects Fyne's "Error in Fyne call
// thread" line, which proves the thread checks are on in the build and the environment the check uses.
package main

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.apidesk.uicheck-canary")
	w := a.NewWindow("apidesk ui-check canary")
	l := widget.NewLabel("waiting")
	w.SetContent(l)
	go func() {
		time.Sleep(time.Second)
		l.SetText("set from a goroutine: Fyne must complain")
		time.Sleep(500 * time.Millisecond)
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
}
