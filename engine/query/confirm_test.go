package query

import (
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
)

func TestAsksFirst(t *testing.T) {
	for _, c := range []struct {
		method  string
		confirm bool
		want    bool
	}{
		{"", false, false}, {"GET", false, false}, {"head", false, false}, {"OPTIONS", false, false},
		{"GET", true, true}, {"POST", false, true}, {"put", false, true}, {"PATCH", false, true}, {"DELETE", false, true},
		{"PURGE", false, true},
	} {
		q := &Query{Method: c.method, Confirm: c.confirm}
		if got := q.AsksFirst(); got != c.want {
			t.Errorf("%q confirm=%v: AsksFirst = %v, want %v", c.method, c.confirm, got, c.want)
		}
	}
}

func TestConfirmation(t *testing.T) {
	res := &resource.Resource{Name: "Billing", BaseURL: "https://billing.example.com"}
	q := &Query{Name: "Refund order", Method: "post", Path: "/orders/{{order_id}}/refund",
		Params:  kv.List{kv.On("amount", "{{amount}}"), kv.On("note", "{{note}}"), kv.On("reason", "{{reason}}")},
		Headers: kv.List{kv.On("X-Pin", "{{pin}}"), kv.On("X-Token", "{{api_token}}")},
		Variables: []Variable{
			{Name: "amount", Type: TypeNumber},
			{Name: "note", Type: TypeMultiline, Optional: true},
			{Name: "reason", Label: "Reason", Optional: true},
			{Name: "pin", Type: TypeSecret},
		}}
	for _, c := range []struct {
		name string
		vals map[string]string
		want string
	}{
		{"the example", map[string]string{"order_id": "1234", "amount": "10.00"},
			"This will POST to Billing: Refund order — order_id 1234, amount 10.00. Run it?"},
		{"secrets as dots, typed or named so", map[string]string{"order_id": "1234", "pin": "4321", "api_token": "tok-abc"},
			"This will POST to Billing: Refund order — order_id 1234, pin •••, api_token •••. Run it?"},
		{"a label, one line, shortened", map[string]string{"note": "first\nsecond", "reason": strings.Repeat("x", 80)},
			"This will POST to Billing: Refund order — note first second, Reason " + strings.Repeat("x", 59) + "…. Run it?"},
		{"nothing filled", nil, "This will POST to Billing: Refund order. Run it?"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := q.Confirmation(res, c.vals)
			if got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
			for _, secret := range []string{"4321", "tok-abc"} {
				if strings.Contains(got, secret) {
					t.Errorf("shows the secret %q: %s", secret, got)
				}
			}
		})
	}
}
