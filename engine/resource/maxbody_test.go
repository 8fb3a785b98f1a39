package resource

import (
	"math"
	"testing"
)

func TestParseMaxBody(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "", want: 0},
		{in: "  ", want: 0},
		{in: "2GB", want: 2_000_000_000},
		{in: "2 GB", want: 2_000_000_000},
		{in: "2gb", want: 2_000_000_000},
		{in: "2g", want: 2_000_000_000},
		{in: "1.5GB", want: 1_500_000_000},
		{in: "500MB", want: 500_000_000},
		{in: "800kB", want: 800_000},
		{in: "800KB", want: 800_000},
		{in: "2GiB", want: 2 << 30},
		{in: "64 MiB", want: 64 << 20},
		{in: "1TB", want: 1e12},
		{in: "4096", want: 4096},
		{in: "4096B", want: 4096},
		{in: "99999999999TB", want: math.MaxInt64},
		{in: "big", bad: true},
		{in: "2 gigabytes", bad: true},
		{in: "GB", bad: true},
		{in: "-2GB", bad: true},
		{in: "+2GB", bad: true},
		{in: "1e9", bad: true},
		{in: "1.2.3MB", bad: true},
		{in: "2 G B", bad: true},
	} {
		got, err := ParseMaxBody(tc.in)
		switch {
		case tc.bad && err == nil:
			t.Errorf("ParseMaxBody(%q) = %v, want an error", tc.in, got)
		case tc.bad && err.Error() != "Answer size limit must be a size like 500MB, 2GB or 1.5GB":
			t.Errorf("ParseMaxBody(%q) says %q", tc.in, err)
		case !tc.bad && (err != nil || got != tc.want):
			t.Errorf("ParseMaxBody(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestFormatMaxBody(t *testing.T) {
	for n, want := range map[int64]string{
		DefaultMaxBody: "1GB",
		2 << 30:        "2GiB",
		1_500_000_000:  "1500MB",
		500_000_000:    "500MB",
		1024:           "1KiB",
		1234:           "1234B",
		1e12:           "1TB",
	} {
		got := FormatMaxBody(n)
		if got != want {
			t.Errorf("FormatMaxBody(%d) = %q, want %q", n, got, want)
		}
		if back, err := ParseMaxBody(got); err != nil || back != n {
			t.Errorf("ParseMaxBody(FormatMaxBody(%d)) = %v, %v", n, back, err)
		}
	}
}

func TestValidateMaxBody(t *testing.T) {
	for n, want := range map[int64]string{
		0:              "",
		1000:           "",
		DefaultMaxBody: "",
		1e12:           "",
		-1:             "Answer size limit may not be negative",
		2:              "Answer size limit is too small: use at least 1kB, or leave it empty for 1GB",
		1e12 + 1:       "Answer size limit is too large: use at most 1TB",
	} {
		err := ValidateMaxBody(n)
		if got := ""; err != nil {
			got = err.Error()
			if got != want {
				t.Errorf("ValidateMaxBody(%d) = %q, want %q", n, got, want)
			}
		} else if want != "" {
			t.Errorf("ValidateMaxBody(%d) = nil, want %q", n, want)
		}
	}
}

// FuzzMaxBody: whatever ParseMaxBody accepts, FormatMaxBody writes so that it reads back the same.
func FuzzMaxBody(f *testing.F) {
	for _, s := range []string{"2GB", "1.5gb", "64 MiB", "4096", "99999999999TB", "0.0001kB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseMaxBody(s)
		if err != nil {
			return
		}
		if back, err := ParseMaxBody(FormatMaxBody(n)); err != nil || back != n {
			t.Fatalf("%q = %d is written %q, which reads back as %d, %v", s, n, FormatMaxBody(n), back, err)
		}
	})
}
