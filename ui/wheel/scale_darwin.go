package wheel

// Scale is 1 on macOS: the system's scroll deltas come accelerated, in points (a touchpad's precisely), and
// are followed as they are, as other programs there do.
func Scale(float32) float32 { return 1 }
