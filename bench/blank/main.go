// Command blank is the baseline for bench/window.sh: the smallest Fyne app with one window and a label, built
// the same way as apidesk, so the script can compare apidesk's start time and memory with Fyne's own floor.
package main

import (
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.apidesk.bench.blank")
	w := a.NewWindow("blank")
	w.SetContent(widget.NewLabel("blank"))
	w.ShowAndRun()
}
