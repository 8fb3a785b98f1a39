package runner

import "fmt"

// FormatSize writes a byte count as a person reads it, in SI units as browsers and curl do: "512 B", "1.2 kB",
// "87.0 MB", "1.25 GB". The window and the CLI show response sizes with it, so they say the same thing.
func FormatSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}
