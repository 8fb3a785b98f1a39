package jsonview

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestFindRecord(t *testing.T) {
	many := make([]string, 25)
	for i := range many {
		many[i] = fmt.Sprint(i)
	}
	body := `{"id":7,"name":"Ada \"Countess\"","active":true,"note":null,
		"address":{"city":"London","geo":{"lat":51.5}},"prefs":{},
		"tags":["a","b"],"scores":[` + strings.Join(many, ",") + `],"none":[],
		"orders":[{"sku":"X1","qty":2},{"sku":"Y2","lines":[[1,2]]}]}`
	r, err := FindRecord(context.Background(), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Fields {
		got = append(got, f.Path+" = "+f.Text)
	}
	want := []string{
		"id = 7",
		`name = Ada "Countess"`,
		"active = true",
		"note = null",
		"address.city = London",
		"address.geo.lat = 51.5",
		"prefs = (empty)",
		"tags = a, b",
		"scores = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 … and 5 more",
		"none = (empty list)",
		"orders = 2 items",
		"orders[0].sku = X1",
		"orders[0].qty = 2",
		"orders[1].sku = Y2",
		"orders[1].lines = 1 item",
		"orders[1].lines[0] = 1, 2",
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("fields\n%s\nwant\n%s", g, w)
	}
	for name, b := range map[string]string{"array": `[{"a":1}]`, "scalar": `"x"`, "not json": `{"a":`} {
		if _, err := FindRecord(context.Background(), []byte(b)); !errors.Is(err, ErrNoRecord) {
			t.Errorf("%s: err = %v, want ErrNoRecord", name, err)
		}
	}
}
