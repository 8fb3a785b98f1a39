// Package recordview shows a response body that is one JSON object as a list of fields and values: nested
// objects as dotted paths (address.city), lists of plain values on one line, lists of objects indexed
// (orders[0].sku). A click on a field shows its whole value, which Copy value copies. Reading the body runs off
// the UI thread (engine/jsonview) and comes back through fyne.Do.
package recordview

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/jsonview"
	"apidesk/ui/task"
)

var _ fyne.Widget = (*RecordView)(nil)

// fieldWidth and valueWidth are the columns' widths, in characters.
const fieldWidth, valueWidth = 28, 60

// RecordView shows the fields of one body at a time.
type RecordView struct {
	widget.BaseWidget

	// OnLoaded is called on the UI goroutine when a body given to SetBody has been read: with its fields, or with
	// nil and the reason there are none (jsonview.ErrNoRecord, wrapped).
	OnLoaded func(*jsonview.Record, error)

	record *jsonview.Record
	tasks  task.Group

	summary   *widget.Label
	notes     *widget.Label
	message   *widget.Label
	list      *widget.Table
	selected  int // the field selected, or -1
	value     *widget.Label
	copyValue *widget.Button
	detail    *fyne.Container
	content   fyne.CanvasObject
}

// New returns an empty record view.
func New() *RecordView {
	v := &RecordView{selected: -1}
	v.ExtendBaseWidget(v)
	v.summary = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	v.notes = &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	v.notes.Hide()
	v.message = &widget.Label{Alignment: fyne.TextAlignCenter} // centred, it gets its MinSize: truncated, only "…"
	v.message.Hide()
	v.list = &widget.Table{
		Length: v.length,
		CreateCell: func() fyne.CanvasObject {
			return &widget.Label{Truncation: fyne.TextTruncateEllipsis}
		},
		UpdateCell: v.updateCell,
		OnSelected: v.onSelected,
	}
	m := fyne.MeasureText("m", theme.TextSize(), fyne.TextStyle{})
	v.list.SetColumnWidth(0, m.Width*fieldWidth)
	v.list.SetColumnWidth(1, m.Width*valueWidth)
	v.value = &widget.Label{Wrapping: fyne.TextWrapBreak, Selectable: true}
	v.copyValue = &widget.Button{Text: "Copy value", Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance, OnTapped: v.onCopyValue}
	scroll := container.NewVScroll(v.value)
	scroll.SetMinSize(fyne.NewSize(0, 72))
	v.detail = container.NewBorder(nil, nil, nil, v.copyValue, scroll)
	v.detail.Hide()
	v.content = container.NewBorder(container.NewVBox(v.summary, v.notes), v.detail, nil, nil,
		container.NewStack(v.list, container.NewCenter(v.message)))
	return v
}

// CreateRenderer is part of fyne.Widget.
func (v *RecordView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

// SetBody reads body's fields in the background and shows them; OnLoaded is called then. Work for a body set
// earlier is cancelled. body must not change afterwards.
func (v *RecordView) SetBody(body []byte) {
	v.tasks.Cancel()
	v.set(nil)
	task.Start(&v.tasks, func(ctx context.Context) (*jsonview.Record, error) {
		return jsonview.FindRecord(ctx, body)
	}, func(r *jsonview.Record, err error) {
		v.set(r)
		if err != nil {
			v.message.SetText("This answer is not a single record.")
			v.message.Show()
		}
		if v.OnLoaded != nil {
			v.OnLoaded(r, err)
		}
	})
}

// Clear shows no fields, and cancels the work for the last body.
func (v *RecordView) Clear() {
	v.tasks.Cancel()
	v.set(nil)
}

// Record is the record shown, or nil.
func (v *RecordView) Record() *jsonview.Record { return v.record }

// Tasks is the view's background work: reading the body's fields.
func (v *RecordView) Tasks() *task.Group { return &v.tasks }

// Select shows field i's whole value, as a click on it does.
func (v *RecordView) Select(i int) { v.list.Select(widget.TableCellID{Row: i, Col: 1}) }

// Detail is the whole value shown for the field selected, or "".
func (v *RecordView) Detail() string {
	if !v.detail.Visible() {
		return ""
	}
	return v.value.Text
}

func (v *RecordView) set(r *jsonview.Record) {
	v.record = r
	v.selected = -1
	v.list.UnselectAll()
	v.detail.Hide()
	v.message.Hide()
	notes := ""
	if r == nil {
		v.summary.SetText("")
		v.list.Hide()
	} else {
		v.summary.SetText(fmt.Sprintf("One record · %s", count(len(r.Fields), "field", "fields")))
		v.list.Show()
		v.list.ScrollToTop()
		notes = strings.Join(r.Notes, " ")
	}
	v.notes.SetText(notes)
	v.notes.Hidden = notes == ""
	v.list.Refresh()
	v.content.Refresh()
}

func (v *RecordView) length() (int, int) {
	if v.record == nil {
		return 0, 0
	}
	return len(v.record.Fields), 2
}

func (v *RecordView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if v.record == nil || id.Row >= len(v.record.Fields) {
		l.SetText("")
		return
	}
	f := v.record.Fields[id.Row]
	l.TextStyle.Bold = id.Col == 0
	if id.Col == 0 {
		l.SetText(f.Path)
	} else {
		l.SetText(strings.ReplaceAll(f.Text, "\n", " "))
	}
}

func (v *RecordView) onSelected(id widget.TableCellID) {
	if v.record == nil || id.Row < 0 || id.Row >= len(v.record.Fields) {
		return
	}
	v.selected = id.Row
	f := v.record.Fields[id.Row]
	v.value.SetText(f.Path + ": " + f.Text)
	v.detail.Show()
	v.content.Refresh()
}

func (v *RecordView) onCopyValue() {
	if v.record != nil && v.selected >= 0 {
		fyne.CurrentApp().Clipboard().SetContent(v.record.Fields[v.selected].Text)
	}
}

// count says how many of a thing there are: "1 field", "12 fields".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
