package problem

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var _ fyne.Widget = (*Banner)(nil)

// Banner shows one problem above the thing it is about: an icon, a bold headline, the message, and a
// "Details" button that reveals the error chain (selectable, to paste into a ticket). It is hidden while
// there is no problem to show.
type Banner struct {
	widget.BaseWidget

	// Dismissable adds a close button that hides the banner. Set it before the banner is first drawn.
	Dismissable bool

	icon     *widget.Icon
	headline *widget.Label
	message  *widget.Label
	detail   *widget.Label
	toggle   *widget.Button
	action   *widget.Button  // what to do about the problem, when there is something
	links    *fyne.Container // a list of problems, each a link to where it is
	dismiss  *widget.Button
	bg       *canvas.Rectangle
	warning  bool
	content  *fyne.Container
}

// NewBanner returns a hidden banner.
func NewBanner() *Banner {
	b := &Banner{
		icon:     widget.NewIcon(theme.ErrorIcon()),
		headline: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord},
		message:  &widget.Label{Wrapping: fyne.TextWrapWord, Selectable: true},
		detail:   &widget.Label{Wrapping: fyne.TextWrapBreak, Selectable: true, TextStyle: fyne.TextStyle{Monospace: true}, SizeName: theme.SizeNameCaptionText},
		bg:       &canvas.Rectangle{CornerRadius: 4},
	}
	b.toggle = &widget.Button{Text: "Details", Importance: widget.LowImportance, OnTapped: b.onToggle}
	b.dismiss = &widget.Button{Icon: theme.CancelIcon(), Importance: widget.LowImportance, OnTapped: b.Clear}
	b.action = &widget.Button{Importance: widget.MediumImportance}
	b.action.Hide()
	b.links = container.NewVBox()
	b.links.Hide()
	b.detail.Hide()
	b.ExtendBaseWidget(b)
	b.Hide()
	return b
}

// SetError shows err (hides the banner for nil), with its detail folded away.
func (b *Banner) SetError(err error) {
	if err == nil {
		b.Clear()
		return
	}
	b.SetExplanation(Explain(err), false)
}

// SetExplanation shows a problem already put into words; warning styles it as a caution rather than a failure.
// It has no action until SetAction gives it one, and no links until SetLinks does.
func (b *Banner) SetExplanation(e Explanation, warning bool) {
	b.warning = warning
	b.action.Hide()
	b.setLinks(nil)
	b.headline.SetText(e.Headline)
	b.message.SetText(e.Message)
	if e.Message == "" {
		b.message.Hide()
	} else {
		b.message.Show()
	}
	b.detail.SetText(e.Detail)
	b.detail.Hide()
	b.toggle.SetText("Details")
	if e.Detail == "" {
		b.toggle.Hide()
	} else {
		b.toggle.Show()
	}
	if warning {
		b.icon.SetResource(theme.WarningIcon())
	} else {
		b.icon.SetResource(theme.ErrorIcon())
	}
	b.Show()
	b.Refresh()
}

// SetAction adds a button that does something about the problem shown (Reload); SetExplanation and Clear
// remove it.
func (b *Banner) SetAction(text string, onTapped func()) {
	b.action.SetText(text)
	b.action.OnTapped = onTapped
	b.action.Show()
	b.Refresh()
}

// Link is one line of the list SetLinks shows: a problem, and what tapping it does (take the person to it).
type Link struct {
	Text     string
	OnTapped func()
}

// SetLinks lists problems under the message, each a link; SetExplanation and Clear remove them.
func (b *Banner) SetLinks(links []Link) {
	b.setLinks(links)
	b.Refresh()
}

func (b *Banner) setLinks(links []Link) {
	objs := make([]fyne.CanvasObject, 0, len(links))
	for _, l := range links {
		h := &widget.Hyperlink{Text: l.Text, Wrapping: fyne.TextWrapWord, OnTapped: l.OnTapped}
		h.ExtendBaseWidget(h)
		objs = append(objs, h)
	}
	b.links.Objects = objs
	if len(objs) == 0 {
		b.links.Hide()
	} else {
		b.links.Show()
	}
	b.links.Refresh()
}

// Links are the texts of the links shown, in order; nil when there are none or the banner is hidden.
func (b *Banner) Links() []string {
	if !b.Visible() || !b.links.Visible() {
		return nil
	}
	var out []string
	for _, o := range b.links.Objects {
		out = append(out, o.(*widget.Hyperlink).Text)
	}
	return out
}

// TapLink taps the i-th link shown, as the person would.
func (b *Banner) TapLink(i int) {
	if links := b.Links(); i >= 0 && i < len(links) {
		if h := b.links.Objects[i].(*widget.Hyperlink); h.OnTapped != nil {
			h.OnTapped()
		}
	}
}

// Action is the text of the action button shown, "" when there is none.
func (b *Banner) Action() string {
	if !b.Visible() || !b.action.Visible() {
		return ""
	}
	return b.action.Text
}

// TapAction taps the action button, when there is one, as the person would.
func (b *Banner) TapAction() {
	if b.Action() != "" && b.action.OnTapped != nil {
		b.action.OnTapped()
	}
}

// Clear hides the banner.
func (b *Banner) Clear() {
	b.action.Hide()
	b.action.OnTapped = nil
	b.setLinks(nil)
	b.headline.SetText("")
	b.message.SetText("")
	b.detail.SetText("")
	b.Hide()
}

// Headline is the headline shown, "" when hidden.
func (b *Banner) Headline() string {
	if !b.Visible() {
		return ""
	}
	return b.headline.Text
}

// Message is the message shown, "" when hidden.
func (b *Banner) Message() string {
	if !b.Visible() {
		return ""
	}
	return b.message.Text
}

func (b *Banner) onToggle() {
	if b.detail.Visible() {
		b.detail.Hide()
		b.toggle.SetText("Details")
	} else {
		b.detail.Show()
		b.toggle.SetText("Hide details")
	}
	b.Refresh()
}

// CreateRenderer is part of fyne.Widget.
func (b *Banner) CreateRenderer() fyne.WidgetRenderer {
	if !b.Dismissable {
		b.dismiss.Hide()
	}
	text := container.NewVBox(b.headline, b.message, b.links, container.NewHBox(b.action, b.toggle), b.detail)
	b.content = container.NewStack(b.bg, container.NewPadded(container.NewBorder(nil, nil,
		container.NewVBox(b.icon), container.NewVBox(b.dismiss), text)))
	b.refreshColor()
	return widget.NewSimpleRenderer(b.content)
}

// Refresh is part of fyne.Widget: it follows the theme's colours.
func (b *Banner) Refresh() {
	b.refreshColor()
	b.BaseWidget.Refresh()
}

func (b *Banner) refreshColor() {
	name := theme.ColorNameError
	if b.warning {
		name = theme.ColorNameWarning
	}
	c := b.Theme().Color(name, fyne.CurrentApp().Settings().ThemeVariant())
	r, g, bl, _ := c.RGBA()
	b.bg.FillColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 0x30}
	b.bg.StrokeColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 0x90}
	b.bg.StrokeWidth = 1
	b.bg.Refresh()
}
