package resource

import (
	"math"
	"testing"
	"time"
)

func TestParseTimeout(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{in: "", want: 0},
		{in: "  ", want: 0},
		{in: "30", want: 30 * time.Second},
		{in: " 45 ", want: 45 * time.Second},
		{in: "2.5", want: 2500 * time.Millisecond},
		{in: ".5", want: 500 * time.Millisecond},
		{in: "0", want: 0},
		{in: "-5", want: -5 * time.Second},
		{in: "30s", want: 30 * time.Second},
		{in: "2m", want: 2 * time.Minute},
		{in: "1m30s", want: 90 * time.Second},
		{in: "1m 30s", want: 90 * time.Second},
		{in: "500ms", want: 500 * time.Millisecond},
		{in: "1h", want: time.Hour},
		{in: "99999999999999999999", want: math.MaxInt64},
		{in: "-99999999999999999999", want: math.MinInt64},
		{in: "soon", bad: true},
		{in: "30 seconds", bad: true},
		{in: "1e3", bad: true},
		{in: "inf", bad: true},
		{in: "NaN", bad: true},
		{in: "0x10", bad: true},
		{in: "1.2.3", bad: true},
		{in: "-", bad: true},
		{in: ".", bad: true},
		{in: "5 m", want: 5 * time.Minute},
	} {
		got, err := ParseTimeout(tc.in)
		switch {
		case tc.bad && err == nil:
			t.Errorf("ParseTimeout(%q) = %v, want an error", tc.in, got)
		case tc.bad && err.Error() != "Timeout must be a number of seconds or a duration like 30s, 1m30s or 2m":
			t.Errorf("ParseTimeout(%q) says %q", tc.in, err)
		case !tc.bad && (err != nil || got != tc.want):
			t.Errorf("ParseTimeout(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestFormatTimeout(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second:                     "30s",
		2 * time.Minute:                      "2m",
		90 * time.Second:                     "1m30s",
		time.Hour:                            "1h",
		90 * time.Minute:                     "1h30m",
		time.Hour + 30*time.Second:           "1h0m30s",
		500 * time.Millisecond:               "500ms",
		2500 * time.Millisecond:              "2.5s",
		24 * time.Hour:                       "24h",
		2*time.Minute + 500*time.Millisecond: "2m0.5s",
	} {
		got := FormatTimeout(d)
		if got != want {
			t.Errorf("FormatTimeout(%v) = %q, want %q", d, got, want)
		}
		if back, err := ParseTimeout(got); err != nil || back != d {
			t.Errorf("ParseTimeout(FormatTimeout(%v)) = %v, %v", d, back, err)
		}
	}
}

// FuzzTimeout: whatever ParseTimeout accepts, FormatTimeout writes so that it reads back the same.
func FuzzTimeout(f *testing.F) {
	for _, s := range []string{"30", "2m", "1m30s", "2.5", "500ms", "1h0m30s", "-5", "-99999999999999999999", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseTimeout(s)
		if err != nil {
			return
		}
		if back, err := ParseTimeout(FormatTimeout(d)); err != nil || back != d {
			t.Fatalf("%q = %v is written %q, which reads back as %v, %v", s, d, FormatTimeout(d), back, err)
		}
	})
}
