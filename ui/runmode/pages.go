package runmode

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/jsonview"
	"apidesk/engine/paging"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/ui/environ"
	"apidesk/ui/task"
)

// pages is the Load more row under the result of a query that pages (engine/paging): each tap loads the next
// page and appends its rows to the table, and the row says how many rows and pages are shown, and why there
// are no more.
type pages struct {
	v *View

	pager *paging.Pager // nil while the query open does not page or has not run
	q     *query.Query  // the query as run, its res and values, for the next pages
	res   *resource.Resource
	vals  map[string]string
	next  paging.Step
	more  bool
	job   *task.Job

	count *widget.Label
	btn   *widget.Button
	row   *fyne.Container
}

func (p *pages) build(v *View) {
	p.v = v
	p.btn = &widget.Button{Text: "Load more", Icon: theme.MoreHorizontalIcon(), OnTapped: p.onLoadMore}
	p.count = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	p.row = container.NewPadded(container.NewBorder(nil, nil, p.btn, nil, p.count))
	p.row.Hide()
	v.response.Table().OnAppended = p.onAppended
}

// start forgets the pages of the last run and returns the query to send for the first page of a new one. The
// pager is made once the first page is back (onAnswered), with the resource and values as the first page was
// sent in its environment: a next link must stay on the origin the request went to.
func (p *pages) start(q *query.Query, res *resource.Resource, vals map[string]string) *query.Query {
	p.reset()
	if !q.Paging.Pages() {
		return q
	}
	p.q, p.res, p.vals = q, res, vals
	return paging.New(q, nil, nil, 0).First().Query(q)
}

// reset hides the row and stops loading a page.
func (p *pages) reset() {
	if p.job != nil {
		p.job.Cancel()
	}
	p.pager, p.q, p.res, p.vals, p.job, p.more = nil, nil, nil, nil, nil, false
	p.row.Hide()
}

// added is what a page gave: its rows and the request after it.
type added struct {
	rows [][]byte
	next paging.Step
	more bool
}

// onAnswered takes the first page's answer, shown by the response view, to learn what the next page is.
func (p *pages) onAnswered(resp *runner.Response) {
	if p.q == nil || p.pager != nil { // the query does not page, or its first page was read
		return
	}
	sc := p.v.sender.Scope()
	p.q, p.res, p.vals = sc.Query(p.q), sc.Bind(p.res), environ.Values(sc, p.q, p.vals)
	pager := paging.New(p.q, p.res, p.vals, 0)
	p.pager = pager
	p.job = task.Start(&p.v.tasks, func(ctx context.Context) (added, error) {
		a, err := paging.AnswerOf(resp)
		if err != nil {
			return added{}, err
		}
		var r added
		r.rows, r.next, r.more = pager.Add(ctx, a)
		return r, nil
	}, func(r added, err error) {
		if pager != p.pager {
			return
		}
		p.got(r, err)
	})
	p.count.SetText("Reading the first page…")
	p.btn.Disable()
	p.row.Show()
}

// onLoadMore loads the next page in the background.
func (p *pages) onLoadMore() {
	pager := p.pager
	if pager == nil || !p.more || p.job.Running() || p.v.Running() {
		return
	}
	run := p.v.deps.Runner
	q, res, vals, step := p.q, p.res, p.vals, p.next
	p.btn.Disable()
	p.count.SetText(pager.Count() + " · Loading page " + itoa(pager.Pages()+1) + "…")
	p.job = task.Start(&p.v.tasks, func(ctx context.Context) (added, error) {
		var r added
		var err error
		r.rows, r.next, r.more, err = paging.Next(ctx, run, res, q, vals, pager, step)
		return r, err
	}, func(r added, err error) {
		if pager != p.pager {
			return
		}
		if err == nil && len(r.rows) > 0 {
			p.v.response.Table().Append(r.rows)
		}
		p.got(r, err)
	})
}

// got shows what a page gave.
func (p *pages) got(r added, err error) {
	p.job = nil
	if err != nil {
		p.more = false
		p.count.SetText(p.pager.Count() + ". " + err.Error())
		p.btn.Disable()
		return
	}
	p.next, p.more = r.next, r.more
	if p.pager.Pages() == 0 { // the first answer was an error, which the response view explains
		p.row.Hide()
		return
	}
	text := p.pager.Count()
	if !r.more {
		text += ". " + p.pager.Stopped()
	}
	p.count.SetText(text)
	if r.more {
		p.btn.Enable()
	} else {
		p.btn.Disable()
	}
}

// onAppended says when the rows of a page could not be added to the table.
func (p *pages) onAppended(_ *jsonview.Table, err error) {
	if err != nil && p.pager != nil {
		p.count.SetText(p.pager.Count() + ". The rows of the last page could not be added to the table.")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
