package history

import "testing"

func TestPolicyPreference(t *testing.T) {
	for _, c := range Choices {
		s := c.Policy.String()
		got, ok := ParsePolicy(s)
		if !ok || got != c.Policy {
			t.Errorf("%s: %q reads back as %+v, %v", c.Label, s, got, ok)
		}
	}
	if DefaultPolicy.String() != "count:50,days:30" {
		t.Errorf("default %q", DefaultPolicy.String())
	}
	for _, bad := range []string{"", "count:", "count:-1", "weeks:2", "count:5,count:6", "on"} {
		if p, ok := ParsePolicy(bad); ok || p != DefaultPolicy {
			t.Errorf("%q: %+v, %v", bad, p, ok)
		}
	}
}
