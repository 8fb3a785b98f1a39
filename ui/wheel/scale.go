//go:build !darwin

package wheel

// Scale is how much farther than Fyne's delta a vertical scroll moves, so that a notch of the wheel moves
// Lines lines of height lineH, as in other programs; Fyne would move about one.
func Scale(lineH float32) float32 { return Lines * lineH / Notch }
