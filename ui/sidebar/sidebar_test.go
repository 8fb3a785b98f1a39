package sidebar

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
	"apidesk/engine/resource"
)

func items() ([]*resource.Resource, []*query.Query) {
	rs := []*resource.Resource{
		{ID: "r1", Name: "Billing", Auth: resource.Auth{Kind: resource.AuthBasic}},
		{ID: "r2", Name: "CRM", Auth: resource.Auth{Kind: resource.AuthOAuth2}},
	}
	qs := []*query.Query{
		{ID: "q1", Name: "Open invoices", ResourceID: "r1"},
		{ID: "q2", Name: "Deals", ResourceID: "r2", Method: "POST"},
		{ID: "q3", Name: "Contacts", ResourceID: "r2"},
	}
	return rs, qs
}

func newSidebar(t *testing.T) *Sidebar {
	test.NewTempApp(t)
	s := New()
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(320, 600))
	s.SetItems(items())
	return s
}

func TestShowsResourcesWithTheirQueries(t *testing.T) {
	s := newSidebar(t)
	if got := strings.Join(s.Shown(), "|"); got != "Billing|  Open invoices|CRM|  Deals|  Contacts" {
		t.Errorf("shown %q", got)
	}
	if b := s.BadgeOf("r1"); b.Text != "password" {
		t.Errorf("Basic resource badge %q", b.Text)
	}
	s.SetBadge("r2", Badge{Text: "signed in", Importance: widget.SuccessImportance})
	if b := s.BadgeOf("r2"); b.Text != "signed in" {
		t.Errorf("badge after SetBadge %q", b.Text)
	}
	// A refresh of the items keeps what is known of a sign-in.
	s.SetItems(items())
	if b := s.BadgeOf("r2"); b.Text != "signed in" {
		t.Errorf("badge after SetItems %q", b.Text)
	}
}

func TestAuthBadge(t *testing.T) {
	for kind, want := range map[resource.AuthKind]string{
		resource.AuthNone: "no auth", "": "no auth", resource.AuthBearer: "token", resource.AuthBasic: "password",
		resource.AuthDigest: "password", resource.AuthAPIKey: "API key", resource.AuthOAuth2: "OAuth 2.0",
	} {
		if got := AuthBadge(&resource.Resource{Auth: resource.Auth{Kind: kind}}).Text; got != want {
			t.Errorf("badge of a resource with %q auth = %q, want %q", kind, got, want)
		}
	}
}

func TestFilter(t *testing.T) {
	s := newSidebar(t)
	for _, tc := range []struct{ filter, want string }{
		{"deal", "CRM|  Deals"},
		{"crm", "CRM|  Deals|  Contacts"},
		{"INVOICE", "Billing|  Open invoices"},
		{"nothing like it", ""},
		{"", "Billing|  Open invoices|CRM|  Deals|  Contacts"},
	} {
		s.SetFilter(tc.filter)
		if got := strings.Join(s.Shown(), "|"); got != tc.want {
			t.Errorf("filter %q shows %q, want %q", tc.filter, got, tc.want)
		}
	}
	s.SetFilter("nothing like it")
	if !s.empty.Visible() || !strings.Contains(s.empty.Text, "Nothing matches") {
		t.Error("no word that nothing matches")
	}
}

func TestSelectAndNewQueryAndDoubleClickToRun(t *testing.T) {
	s := newSidebar(t)
	var picked []string
	var ran []string
	var newFor []string
	s.OnSelected = func(k Kind, id string) { picked = append(picked, id) }
	s.OnRun = func(id string) { ran = append(ran, id) }
	s.OnNewQuery = func(id string) { newFor = append(newFor, id) }
	if !s.addQuery.Disabled() {
		t.Error("+ Query enabled with nothing selected")
	}
	s.Select(Query, "q3") // from code: no callback
	if len(picked) != 0 {
		t.Errorf("Select called OnSelected: %v", picked)
	}
	test.Tap(s.addQuery)
	if len(newFor) != 1 || newFor[0] != "r2" {
		t.Errorf("+ Query for %v, want the selected query's resource r2", newFor)
	}
	n := newNode(s)
	s.updateNode(queryNode("q1"), false, n)
	test.Tap(n)
	test.DoubleTap(n)
	if len(picked) != 1 || picked[0] != "q1" {
		t.Errorf("picked %v", picked)
	}
	if len(ran) != 1 || ran[0] != "q1" {
		t.Errorf("double-click ran %v", ran)
	}
	if k, id := s.Selected(); k != Query || id != "q1" {
		t.Errorf("selected %v %q", k, id)
	}
}

// A secondary tap (right-click) on a query shows its menu where the pointer is; each item acts on that query.
// A resource has no such menu; moving needs another resource.
func TestQueryMenuOnSecondaryTap(t *testing.T) {
	s := newSidebar(t)
	var acted []string
	s.OnRename = func(id string) { acted = append(acted, "rename "+id) }
	s.OnDuplicate = func(id string) { acted = append(acted, "duplicate "+id) }
	s.OnMove = func(id string) { acted = append(acted, "move "+id) }
	s.OnDelete = func(id string) { acted = append(acted, "delete "+id) }
	c := fyne.CurrentApp().Driver().CanvasForObject(s)

	n := newNode(s)
	s.updateNode(resourceNode("r1"), true, n)
	test.TapSecondary(n)
	if c.Overlays().Top() != nil {
		t.Fatal("a secondary tap on a resource opened something")
	}

	s.updateNode(queryNode("q2"), false, n)
	test.TapSecondaryAt(n, fyne.NewPos(20, 5))
	var pop *widget.PopUpMenu
	if top := c.Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if p, ok := o.(*widget.PopUpMenu); ok {
				pop = p
			}
		}
	}
	if pop == nil {
		t.Fatalf("a secondary tap on a query showed no menu")
	}
	var labels []string
	for _, o := range test.LaidOutObjects(pop) {
		if tx, ok := o.(*canvas.Text); ok && tx.Text != "" {
			labels = append(labels, tx.Text)
		}
	}
	if got := strings.Join(labels, "|"); got != "Rename…|Duplicate…|Move to another resource…|Delete…" {
		t.Errorf("menu %q", got)
	}
	for _, o := range pop.Items {
		if tp, ok := o.(fyne.Tappable); ok {
			test.Tap(tp)
		}
	}
	if got := strings.Join(acted, ", "); got != "rename q2, duplicate q2, move q2, delete q2" {
		t.Errorf("the menu did %q", got)
	}
	if k, id := s.Selected(); id != "" {
		t.Errorf("the secondary tap selected %v %q", k, id)
	}

	rs, qs := items()
	s.SetItems(rs[:1], qs[:1])
	for _, it := range s.QueryMenu("q1").Items {
		if strings.HasPrefix(it.Label, "Move") && !it.Disabled {
			t.Error("Move is offered with no other resource to move to")
		}
	}
	if s.QueryMenu("q2") != nil {
		t.Error("a menu for a query that is not shown")
	}
}

// Queries with a folder (an import's tags or folders) are listed in it, nested folders inside, folders first;
// selecting such a query opens its folders; a folder itself is never selected, and the filter finds its name.
func TestFoldersOfQueries(t *testing.T) {
	s := newSidebar(t)
	rs, qs := items()
	qs = append(qs,
		&query.Query{ID: "q4", Name: "List pets", ResourceID: "r2", Group: "Pets"},
		&query.Query{ID: "q5", Name: "Ban pet", ResourceID: "r2", Group: "Pets/Admin"},
		&query.Query{ID: "q6", Name: "Create pet", ResourceID: "r2", Group: "Pets"},
	)
	s.SetItems(rs, qs)
	if got := strings.Join(s.Shown(), "|"); got != "Billing|  Open invoices|CRM|  Pets/|    List pets|    Admin/|      Ban pet|    Create pet|  Deals|  Contacts" {
		t.Errorf("shown %q", got)
	}
	var picked []string
	s.OnSelected = func(k Kind, id string) { picked = append(picked, id) }
	s.Select(Query, "q5")
	if !s.tree.IsBranchOpen(folderNode("r2", "Pets")) || !s.tree.IsBranchOpen(folderNode("r2", "Pets/Admin")) {
		t.Error("selecting a query in a folder leaves its folders closed")
	}
	s.onSelected(folderNode("r2", "Pets"))
	if len(picked) != 0 {
		t.Errorf("a folder was handed over as a selection: %v", picked)
	}
	if s.currentResource() != "r2" {
		t.Errorf("the resource of a folder is %q", s.currentResource())
	}
	s.SetFilter("admin")
	if got := strings.Join(s.Shown(), "|"); got != "CRM|  Pets/|    Admin/|      Ban pet" {
		t.Errorf("filter shows %q", got)
	}
}
