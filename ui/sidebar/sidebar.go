// Package sidebar lists the workspace: its resources, each with its saved queries beneath, a filter box, and
// the "+ Resource" and "+ Query" buttons. A resource shows how it signs in (signed in, needs sign-in, no auth).
package sidebar

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
	"apidesk/engine/resource"
)

var _ fyne.Widget = (*Sidebar)(nil)

// Kind says what a sidebar item is.
type Kind int

// The kinds of item.
const (
	Resource Kind = iota
	Query
	Folder // a folder of a resource's queries (query.Query.Group); its id is "RESOURCE_ID|Group/Sub"
)

// Badge is the short state shown beside a resource's name.
type Badge struct {
	Text       string
	Importance widget.Importance
}

// AuthBadge is the badge of a resource before anything is known about its sign-in: how it authenticates.
func AuthBadge(r *resource.Resource) Badge {
	text := "no auth"
	switch r.Auth.Kind {
	case resource.AuthBearer:
		text = "token"
	case resource.AuthBasic, resource.AuthDigest:
		text = "password"
	case resource.AuthAPIKey:
		text = "API key"
	case resource.AuthOAuth2:
		text = "OAuth 2.0"
	}
	return Badge{Text: text, Importance: widget.MediumImportance}
}

// Sidebar is the list of resources and queries. Set its callbacks before it is shown.
type Sidebar struct {
	widget.BaseWidget

	// OnSelected is called when the person picks an item (not when Select is called).
	OnSelected func(k Kind, id string)
	// OnRun is called when a query is double-clicked: open it to run.
	OnRun func(queryID string)
	// OnNewResource and OnNewQuery are the "+ Resource" and "+ Query" buttons; OnNewQuery gets the resource
	// that is selected, or that the selected query is on.
	OnNewResource func()
	OnNewQuery    func(resourceID string)
	// OnRename, OnDuplicate, OnMove and OnDelete are the menu a secondary tap (right-click) on a query shows;
	// nil leaves the item out.
	OnRename    func(queryID string)
	OnDuplicate func(queryID string)
	OnMove      func(queryID string)
	OnDelete    func(queryID string)

	filter      *widget.Entry
	tree        *widget.Tree
	addResource *widget.Button
	addQuery    *widget.Button
	adds        *fyne.Container // the two buttons
	top         *fyne.Container // the filter and the buttons
	empty       *widget.Label
	locked      bool // SetEditing(false)

	resources []*resource.Resource
	queries   map[string][]*query.Query // by resource ID
	badges    map[string]Badge          // by resource ID
	children  map[string][]string       // visible child node IDs by parent node ID, after the filter
	selected  string                    // node ID
	quiet     bool                      // selecting from code: do not call OnSelected
}

// New returns an empty sidebar.
func New() *Sidebar {
	s := &Sidebar{queries: map[string][]*query.Query{}, badges: map[string]Badge{}, children: map[string][]string{}}
	s.filter = &widget.Entry{PlaceHolder: "Filter resources and queries"}
	s.filter.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.filter.OnChanged = s.onFilter
	s.tree = &widget.Tree{
		ChildUIDs:  s.childUIDs,
		IsBranch:   s.isBranch,
		CreateNode: s.createNode,
		UpdateNode: s.updateNode,
		OnSelected: s.onSelected,
	}
	s.addResource = &widget.Button{Text: "Resource", Icon: theme.ContentAddIcon(), OnTapped: s.onNewResource}
	s.addQuery = &widget.Button{Text: "Query", Icon: theme.ContentAddIcon(), OnTapped: s.onNewQuery}
	s.addQuery.Disable()
	s.empty = &widget.Label{Text: "No resources yet.\nA resource is an API you connect to: add one with + Resource.", Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer is part of fyne.Widget.
func (s *Sidebar) CreateRenderer() fyne.WidgetRenderer {
	s.adds = container.NewGridWithColumns(2, s.addResource, s.addQuery)
	if s.locked {
		s.adds.Hide()
	}
	s.top = container.NewVBox(s.filter, s.adds)
	return widget.NewSimpleRenderer(container.NewBorder(s.top, nil, nil, nil, container.NewStack(s.tree, container.NewVBox(s.empty))))
}

// SetItems shows the workspace's resources and queries (each sorted as the workspace sorts them), keeping
// the selection when its item is still there.
func (s *Sidebar) SetItems(resources []*resource.Resource, queries []*query.Query) {
	s.resources = resources
	s.queries = map[string][]*query.Query{}
	for _, q := range queries {
		s.queries[q.ResourceID] = append(s.queries[q.ResourceID], q)
	}
	for _, r := range resources {
		if _, ok := s.badges[r.ID]; !ok || r.Auth.Kind != resource.AuthOAuth2 {
			s.badges[r.ID] = AuthBadge(r)
		}
	}
	s.refreshItems()
	if s.selected != "" && !s.exists(s.selected) {
		s.selected = ""
		s.tree.UnselectAll()
	}
	s.refreshButtons()
}

// SetEditing shows (true) or hides the actions that change the workspace: the "+ Resource" and "+ Query"
// buttons and the menu on a query. A double-click still opens a query to run.
func (s *Sidebar) SetEditing(on bool) {
	s.locked = !on
	if s.adds != nil {
		if on {
			s.adds.Show()
		} else {
			s.adds.Hide()
		}
		s.Refresh() // the list takes the buttons' place
	}
	s.refreshItems()
}

// Editing reports whether the actions that change the workspace are shown.
func (s *Sidebar) Editing() bool { return !s.locked }

// SetBadge sets the state shown beside a resource.
func (s *Sidebar) SetBadge(resourceID string, b Badge) {
	s.badges[resourceID] = b
	s.tree.RefreshItem(resourceNode(resourceID))
}

// BadgeOf is the state shown beside a resource.
func (s *Sidebar) BadgeOf(resourceID string) Badge { return s.badges[resourceID] }

// Select selects an item without calling OnSelected; an empty id clears the selection.
func (s *Sidebar) Select(k Kind, id string) {
	s.quiet = true
	defer func() { s.quiet = false }()
	if id == "" {
		s.selected = ""
		s.tree.UnselectAll()
		s.refreshButtons()
		return
	}
	uid := nodeID(k, id)
	if !s.exists(uid) {
		return
	}
	if k == Query {
		if q := s.query(id); q != nil {
			s.tree.OpenBranch(resourceNode(q.ResourceID))
			path := ""
			for _, name := range strings.Split(q.Group, "/") {
				if q.Group == "" {
					break
				}
				path = strings.TrimPrefix(path+"/"+name, "/")
				s.tree.OpenBranch(folderNode(q.ResourceID, path))
			}
		}
	}
	s.selected = uid
	s.tree.Select(uid)
	s.refreshButtons()
}

// Selected is the selected item; id is "" when there is none.
func (s *Sidebar) Selected() (k Kind, id string) { return parseNode(s.selected) }

// Shown lists the names shown, in order, resources first then their folders (with a "/" after the name) and
// queries, each level indented by two more spaces: what a person sees, for tests.
func (s *Sidebar) Shown() []string {
	var out []string
	var walk func(uid string, depth int)
	walk = func(uid string, depth int) {
		for _, c := range s.children[uid] {
			k, id := parseNode(c)
			name := ""
			switch k {
			case Resource:
				name = s.resource(id).Name
			case Query:
				name = s.query(id).Name
			case Folder:
				name = folderName(id) + "/"
			}
			out = append(out, strings.Repeat("  ", depth)+name)
			walk(c, depth+1)
		}
	}
	walk("", 0)
	return out
}

// SetFilter types text into the filter box.
func (s *Sidebar) SetFilter(text string) { s.filter.SetText(text) }

func (s *Sidebar) onFilter(string) { s.refreshItems() }

func (s *Sidebar) refreshItems() {
	f := strings.ToLower(strings.TrimSpace(s.filter.Text))
	match := func(name string) bool { return f == "" || strings.Contains(strings.ToLower(name), f) }
	s.children = map[string][]string{}
	for _, r := range s.resources {
		rn := resourceNode(r.ID)
		whole := match(r.Name)
		var kids, loose []string
		for _, q := range s.queries[r.ID] {
			if !whole && !match(q.Name) && !match(q.Group) {
				continue
			}
			if q.Group == "" {
				loose = append(loose, queryNode(q.ID))
				continue
			}
			// Each folder of its path is a branch, made when first met: folders first, in the order met.
			parent, path := rn, ""
			for _, name := range strings.Split(q.Group, "/") {
				path = strings.TrimPrefix(path+"/"+name, "/")
				fn := folderNode(r.ID, path)
				if !slices.Contains(s.children[parent], fn) {
					if parent == rn {
						kids = append(kids, fn)
					}
					s.children[parent] = append(s.children[parent], fn)
				}
				parent = fn
			}
			s.children[parent] = append(s.children[parent], queryNode(q.ID))
		}
		kids = append(kids, loose...)
		if whole || len(kids) > 0 {
			s.children[""] = append(s.children[""], rn)
		}
		s.children[rn] = kids
	}
	if len(s.resources) == 0 && s.locked {
		s.empty.SetText("No queries to run yet.")
		s.empty.Show()
	} else if len(s.resources) == 0 {
		s.empty.SetText("No resources yet.\nA resource is an API you connect to: add one with + Resource.")
		s.empty.Show()
	} else if len(s.children[""]) == 0 {
		s.empty.SetText("Nothing matches the filter.")
		s.empty.Show()
	} else {
		s.empty.Hide()
	}
	s.tree.OpenAllBranches()
	s.tree.Refresh()
}

func (s *Sidebar) refreshButtons() {
	if s.currentResource() == "" {
		s.addQuery.Disable()
	} else {
		s.addQuery.Enable()
	}
}

// currentResource is the selected resource, or the resource of the selected query.
func (s *Sidebar) currentResource() string {
	k, id := parseNode(s.selected)
	switch {
	case id == "":
		return ""
	case k == Query:
		if q := s.query(id); q != nil {
			return q.ResourceID
		}
		return ""
	case k == Folder:
		r, _, _ := strings.Cut(id, "|")
		return r
	}
	return id
}

func (s *Sidebar) onNewResource() {
	if s.OnNewResource != nil {
		s.OnNewResource()
	}
}

func (s *Sidebar) onNewQuery() {
	if id := s.currentResource(); id != "" && s.OnNewQuery != nil {
		s.OnNewQuery(id)
	}
}

func (s *Sidebar) onSelected(uid widget.TreeNodeID) {
	s.selected = uid
	s.refreshButtons()
	if s.quiet || s.OnSelected == nil {
		return
	}
	k, id := parseNode(uid)
	if k == Folder { // a folder only holds queries: it opens or closes
		s.tree.ToggleBranch(uid)
		return
	}
	s.OnSelected(k, id)
}

func (s *Sidebar) childUIDs(uid widget.TreeNodeID) []widget.TreeNodeID { return s.children[uid] }

func (s *Sidebar) isBranch(uid widget.TreeNodeID) bool {
	k, _ := parseNode(uid)
	return uid == "" || k == Resource || k == Folder
}

func (s *Sidebar) createNode(bool) fyne.CanvasObject { return newNode(s) }

func (s *Sidebar) updateNode(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
	n := o.(*node)
	n.uid = uid
	k, id := parseNode(uid)
	switch k {
	case Resource:
		r := s.resource(id)
		if r == nil {
			return
		}
		n.icon.SetResource(theme.StorageIcon())
		n.name.SetText(r.Name)
		b := s.badges[id]
		n.badge.Importance = b.Importance
		n.badge.SetText(b.Text)
		n.badge.Show()
	case Query:
		q := s.query(id)
		if q == nil {
			return
		}
		n.icon.SetResource(theme.DocumentIcon())
		n.name.SetText(q.Name)
		n.badge.Importance = widget.MediumImportance
		n.badge.SetText(q.EffectiveMethod())
		n.badge.Show()
	case Folder:
		n.icon.SetResource(theme.FolderIcon())
		n.name.SetText(folderName(id))
		n.badge.SetText("")
		n.badge.Hide()
	}
}

func (s *Sidebar) exists(uid string) bool {
	k, id := parseNode(uid)
	switch k {
	case Resource:
		return s.resource(id) != nil
	case Folder:
		return false // never selected
	}
	return s.query(id) != nil
}

func (s *Sidebar) resource(id string) *resource.Resource {
	for _, r := range s.resources {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (s *Sidebar) query(id string) *query.Query {
	for _, qs := range s.queries {
		for _, q := range qs {
			if q.ID == id {
				return q
			}
		}
	}
	return nil
}

// QueryMenu is the menu a secondary tap on a saved query shows: rename, duplicate, move to another resource,
// delete. Moving is disabled while there is no other resource. It is nil for an id that is not shown, and
// while editing is hidden (SetEditing).
func (s *Sidebar) QueryMenu(id string) *fyne.Menu {
	if s.query(id) == nil || s.locked {
		return nil
	}
	var items []*fyne.MenuItem
	add := func(label string, icon fyne.Resource, action func(string), disabled bool) {
		if action != nil {
			items = append(items, &fyne.MenuItem{Label: label, Icon: icon, Action: func() { action(id) }, Disabled: disabled})
		}
	}
	add("Rename…", theme.DocumentCreateIcon(), s.OnRename, false)
	add("Duplicate…", theme.ContentCopyIcon(), s.OnDuplicate, false)
	add("Move to another resource…", theme.MailForwardIcon(), s.OnMove, len(s.resources) < 2)
	if s.OnDelete != nil && len(items) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
	}
	add("Delete…", theme.DeleteIcon(), s.OnDelete, false)
	if len(items) == 0 {
		return nil
	}
	return fyne.NewMenu("", items...)
}

func resourceNode(id string) string { return "r:" + id }
func queryNode(id string) string    { return "q:" + id }

// folderNode is the node of the folder path (names joined by "/") of a resource's queries.
func folderNode(resourceID, path string) string { return "f:" + resourceID + "|" + path }

// folderName is the last name of a folder node's id.
func folderName(id string) string {
	_, path, _ := strings.Cut(id, "|")
	return path[strings.LastIndex(path, "/")+1:]
}

func nodeID(k Kind, id string) string {
	if k == Query {
		return queryNode(id)
	}
	return resourceNode(id)
}

func parseNode(uid string) (Kind, string) {
	if rest, ok := strings.CutPrefix(uid, "q:"); ok {
		return Query, rest
	}
	if rest, ok := strings.CutPrefix(uid, "f:"); ok {
		return Folder, rest
	}
	return Resource, strings.TrimPrefix(uid, "r:")
}

// node is one row of the tree: an icon, the name and a badge. It takes taps itself so that a double-click on
// a query can open it to run, and selects its row on a single tap as the tree would; a secondary tap on a
// query shows its menu (QueryMenu).
type node struct {
	widget.BaseWidget
	s     *Sidebar
	uid   string
	icon  *widget.Icon
	name  *widget.Label
	badge *widget.Label
}

var (
	_ fyne.Tappable          = (*node)(nil)
	_ fyne.DoubleTappable    = (*node)(nil)
	_ fyne.SecondaryTappable = (*node)(nil)
)

func newNode(s *Sidebar) *node {
	n := &node{
		s:     s,
		icon:  widget.NewIcon(nil),
		name:  &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		badge: &widget.Label{SizeName: theme.SizeNameCaptionText},
	}
	n.ExtendBaseWidget(n)
	return n
}

func (n *node) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, n.icon, n.badge, n.name))
}

// Tapped selects the row.
func (n *node) Tapped(*fyne.PointEvent) {
	if n.uid != "" {
		n.s.tree.Select(n.uid)
	}
}

// DoubleTapped opens a query to run.
func (n *node) DoubleTapped(*fyne.PointEvent) {
	k, id := parseNode(n.uid)
	if n.uid == "" {
		return
	}
	n.s.tree.Select(n.uid)
	if k == Query && n.s.OnRun != nil {
		n.s.OnRun(id)
	}
}

// TappedSecondary shows the menu of a query where the pointer is.
func (n *node) TappedSecondary(ev *fyne.PointEvent) {
	k, id := parseNode(n.uid)
	if n.uid == "" || k != Query {
		return
	}
	m := n.s.QueryMenu(id)
	c := fyne.CurrentApp().Driver().CanvasForObject(n)
	if m == nil || c == nil {
		return
	}
	widget.ShowPopUpMenuAtPosition(m, c, ev.AbsolutePosition)
}
