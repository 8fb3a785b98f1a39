package queryeditor

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
)

// pagingForm is the Paging tab: how the query's API hands out more pages (engine/paging), with only the
// fields the chosen kind uses, and what is wrong with them in the engine's words.
type pagingForm struct {
	e *Editor

	kind       *widget.Select
	about      *widget.Label
	cursorPath *widget.Entry
	param      *widget.Entry
	start      *widget.Entry
	limitParam *widget.Entry
	limit      *widget.Entry
	problem    *widget.Label

	form    *fyne.Container
	rows    map[*widget.Entry][2]fyne.CanvasObject // each field's label and cell
	content fyne.CanvasObject
}

func newPagingForm(e *Editor) *pagingForm {
	p := &pagingForm{e: e, rows: map[*widget.Entry][2]fyne.CanvasObject{}}
	words := make([]string, len(query.PagingKinds))
	for i, k := range query.PagingKinds {
		words[i] = k.Words()
	}
	p.kind = &widget.Select{Options: words, OnChanged: func(string) { p.changed() }}
	p.about = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	p.problem = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	p.problem.Hide()
	entry := func(hint string) *widget.Entry {
		en := &widget.Entry{PlaceHolder: hint}
		en.OnChanged = func(string) { p.changed() }
		return en
	}
	p.cursorPath = entry("meta.next_cursor")
	p.param = entry("cursor")
	p.start = entry("1")
	p.limitParam = entry("per_page (optional)")
	p.limit = entry("50")
	p.form = container.New(layout.NewFormLayout())
	for _, f := range []struct {
		label string
		entry *widget.Entry
	}{
		{"Where the next cursor is", p.cursorPath},
		{"Parameter", p.param},
		{"First", p.start},
		{"Page size parameter", p.limitParam},
		{"Page size", p.limit},
	} {
		l := &widget.Label{Text: f.label, TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignTrailing}
		p.rows[f.entry] = [2]fyne.CanvasObject{l, f.entry}
		p.form.Add(l)
		p.form.Add(f.entry)
	}
	top := container.NewBorder(nil, nil, &widget.Label{Text: "How the API pages", TextStyle: fyne.TextStyle{Bold: true}}, nil, p.kind)
	p.content = container.NewVScroll(container.NewPadded(container.NewVBox(top, p.about, p.form, p.problem,
		&widget.Label{Text: "Run mode's Load more and apidesk-cli run --all-pages follow the pages.", Importance: widget.LowImportance,
			SizeName: theme.SizeNameCaptionText, Wrapping: fyne.TextWrapWord})))
	e.filling = true
	p.load(query.Paging{})
	e.filling = false
	return p
}

// load shows a saved paging rule.
func (p *pagingForm) load(pg query.Paging) {
	i := slices.Index(query.PagingKinds, pg.Kind)
	if i < 0 {
		p.kind.Options = append(p.kind.Options[:len(query.PagingKinds):len(query.PagingKinds)], string(pg.Kind))
		i = len(query.PagingKinds)
	} else {
		p.kind.Options = p.kind.Options[:len(query.PagingKinds)]
	}
	p.kind.SetSelectedIndex(i)
	p.cursorPath.SetText(pg.CursorPath)
	p.param.SetText(pg.Param)
	p.start.SetText(number(pg.Start, pg.Kind == query.PagingPage))
	p.limitParam.SetText(pg.LimitParam)
	p.limit.SetText(number(pg.Limit, false))
	p.refresh()
}

func number(n int, always bool) string {
	if n == 0 && !always {
		return ""
	}
	return strconv.Itoa(n)
}

// kindOf is the kind chosen.
func (p *pagingForm) kindOf() query.PagingKind {
	if i := p.kind.SelectedIndex(); i >= 0 && i < len(query.PagingKinds) {
		return query.PagingKinds[i]
	}
	return query.PagingKind(p.kind.Selected)
}

// value is the paging rule as the fields hold it, and what is wrong with a number that is not one.
func (p *pagingForm) value() (query.Paging, string) {
	pg := query.Paging{Kind: p.kindOf()}
	switch pg.Kind {
	case query.PagingCursor:
		pg.CursorPath, pg.Param = strings.TrimSpace(p.cursorPath.Text), strings.TrimSpace(p.param.Text)
	case query.PagingPage, query.PagingOffset:
		pg.Param, pg.LimitParam = strings.TrimSpace(p.param.Text), strings.TrimSpace(p.limitParam.Text)
		var bad []string
		for _, f := range []struct {
			entry *widget.Entry
			to    *int
			what  string
		}{{p.start, &pg.Start, "The first " + firstWord(pg.Kind)}, {p.limit, &pg.Limit, "The page size"}} {
			s := strings.TrimSpace(f.entry.Text)
			if s == "" {
				if f.entry == p.start && pg.Kind == query.PagingPage {
					*f.to = 1
				}
				continue
			}
			n, err := strconv.Atoi(s)
			if err != nil {
				bad = append(bad, fmt.Sprintf("%s must be a whole number, like 10", f.what))
			}
			*f.to = n
		}
		return pg, strings.Join(bad, ". ")
	}
	return pg, ""
}

func firstWord(k query.PagingKind) string {
	if k == query.PagingOffset {
		return "offset"
	}
	return "page number"
}

// changed marks the query edited and shows the fields of the kind chosen.
func (p *pagingForm) changed() {
	p.refresh()
	p.e.edited()
}

// refresh shows the fields the kind uses, what they mean, and what is wrong with them.
func (p *pagingForm) refresh() {
	k := p.kindOf()
	show := map[*widget.Entry]bool{}
	switch k {
	case query.PagingNone:
		p.about.SetText("The answer is the whole list: there is no Load more.")
	case query.PagingLink:
		p.about.SetText(`The API names the next page in a Link header (rel="next"), as GitHub does. A next page on another site is not fetched, so that your credentials go nowhere else.`)
	case query.PagingCursor:
		p.about.SetText("The answer holds a cursor for the next page (give where, keys joined by dots), sent back as the parameter.")
		show[p.cursorPath], show[p.param] = true, true
		p.param.PlaceHolder = "cursor"
	case query.PagingPage:
		p.about.SetText("Pages are numbered: the parameter is the page number, counting from the first.")
		show[p.param], show[p.start], show[p.limitParam], show[p.limit] = true, true, true, true
		p.param.PlaceHolder, p.start.PlaceHolder = "page", "1"
	case query.PagingOffset:
		p.about.SetText("The parameter is how many rows to skip: it grows by the page size (or by the rows a page had).")
		show[p.param], show[p.start], show[p.limitParam], show[p.limit] = true, true, true, true
		p.param.PlaceHolder, p.start.PlaceHolder = "offset", "0"
	}
	for en, row := range p.rows {
		for _, o := range row {
			if show[en] {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}
	pg, bad := p.value()
	var msgs []string
	if bad != "" {
		msgs = append(msgs, bad)
	}
	for _, fe := range pg.Validate() {
		msgs = append(msgs, fe.Msg)
	}
	p.problem.SetText(strings.Join(msgs, ". "))
	p.problem.Hidden = len(msgs) == 0
	p.form.Refresh()
	p.problem.Refresh()
}
