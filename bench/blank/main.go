// Command blank is the baseline for bench/window.sh: the smallest Fyne app with one window of apidesk's default
// size and a label, built the same way as apidesk, so the script can compare apidesk's start time and memory with Fyne's own floor.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.apidesk.bench.blank")
	w := a.NewWindow("blank")
	w.SetContent(widget.NewLabel("blank"))
	w.Resize(fyne.NewSize(1200, 780)) // apidesk's default window size: the same surface to draw
	w.ShowAndRun()
}
