//go:build !darwin

package bodyview

// wheelNotch is the scroll delta Fyne's desktop driver makes of one notch of a mouse wheel (outside macOS).
const wheelNotch = 25

// wheelScale is how much farther than Fyne's delta a vertical scroll moves the body, so that a notch of the
// wheel moves wheelLines lines of lineH, as in other programs; Fyne would move about one.
func wheelScale(lineH float32) float32 { return wheelLines * lineH / wheelNotch }
