package doc

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifbolditalic"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	"github.com/signintech/gopdf"
	"golang.org/x/text/unicode/norm"
)

// Page geometry in points (1/72 inch): A4 with the margins of Nghị định
// 30/2020/NĐ-CP (top 20 mm, bottom 20 mm, left 30 mm, right 15 mm), portrait
// or, for a wide annex, landscape.
const (
	mm           = 72 / 25.4
	a4Short      = 595.28
	a4Long       = 841.89
	marginTop    = 20 * mm
	marginBottom = 20 * mm
	marginLeft   = 30 * mm
	marginRight  = 15 * mm
)

// Type sizes in points: the body in 13 pt as Nghị định 30 asks (13–14),
// the header block in 12.5–13, notes and tables smaller.
const (
	sizeBody     = 13
	sizeHeader   = 13 // the official header block
	sizeTitle    = 14
	sizeH1       = 13
	sizeH2       = 13
	sizeSmall    = 11
	sizeTable    = 11
	sizeFooter   = 9
	sizeFigValue = 18
	lineFactor   = 1.25 // line height as a multiple of the type size
)

// fontStyle is one of the four Liberation Serif faces.
type fontStyle int

const (
	regular fontStyle = iota
	bold
	italic
	boldItalic
)

// fontFamily is the gopdf family name of Liberation Serif, a serif with the
// metrics of Times New Roman and every Vietnamese letter (licence:
// LICENSE-Liberation).
const fontFamily = "LiberationSerif"

// rgb is a colour; every colour used is dark or light enough to print in
// black and white.
type rgb struct{ r, g, b uint8 }

var (
	black     = rgb{0, 0, 0}
	grey      = rgb{100, 100, 100}
	darkRed   = rgb{150, 0, 0}
	ruleGrey  = rgb{90, 90, 90}
	fillLight = rgb{225, 225, 225}
)

// pdfWriter lays a Document out on pages. y is the top of the next thing to
// draw on the current page.
type pdfWriter struct {
	gp   *gopdf.GoPdf
	d    *Document
	page int
	// landscape: the pages started now are A4 landscape. textW is the width
	// between the margins, bottom the foot of the body, of the current page.
	landscape     bool
	textW, bottom float64
	y             float64
	style         fontStyle
	size          float64
	colour        rgb
	widths        map[widthKey]float64 // measured word widths
	// last is the body's last block, whose last lines go to a new page
	// with the closing when the closing would not fit after them
	// (keepWith high): the signature never stands alone on a page.
	last     Block
	keepWith float64
}

// widthKey identifies a measured piece of text in a face and size.
type widthKey struct {
	style fontStyle
	size  float64
	text  string
}

// WritePDF writes d as an A4 PDF with its fonts embedded.
//
// The same Document and Info always give the same bytes: gopdf writes no
// file identifier and no timestamp but info.Generated as the creation date.
func WritePDF(w io.Writer, d *Document, info Info) error {
	p, err := newPDFWriter(d, info)
	if err != nil {
		return err
	}
	if err := p.document(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := p.gp.WriteTo(bw); err != nil {
		return fmt.Errorf("doc: writing PDF: %w", err)
	}
	return bw.Flush()
}

// serif is the TrueType data of the four faces, regular, bold, italic and
// bold italic, in the order of fontStyle.
//
// gopdf (v0.37.0 too) subsets a font with the components of the composite
// glyphs used but not the components of those components: a font that builds
// "ế" as "e" plus a composite of the circumflex and the acute (DejaVu Sans
// does) loses the marks. Liberation Serif builds its Vietnamese letters in
// one level, which gopdf subsets whole; TestDiacriticsDrawn renders every
// face's letters to check it, and that the check catches DejaVu Sans's loss.
var serif = [4][]byte{liberationserifregular.TTF, liberationserifbold.TTF, liberationserifitalic.TTF, liberationserifbolditalic.TTF}

// newPDFWriter starts an A4 document with the four Liberation Serif faces.
func newPDFWriter(d *Document, info Info) (*pdfWriter, error) {
	return newPDFWriterFaces(d, info, serif)
}

// newPDFWriterFaces starts an A4 document with the four faces given.
func newPDFWriterFaces(d *Document, info Info, faces [4][]byte) (*pdfWriter, error) {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	for s, ttf := range faces {
		style := [...]int{gopdf.Regular, gopdf.Bold, gopdf.Italic, gopdf.Bold | gopdf.Italic}[s]
		if err := gp.AddTTFFontDataWithOption(fontFamily, ttf, gopdf.TtfOption{Style: style}); err != nil {
			return nil, fmt.Errorf("doc: loading the PDF's fonts: %w", err)
		}
	}
	title := info.Title
	if title == "" {
		title = d.Title
	}
	gp.SetInfo(gopdf.PdfInfo{
		Title:        clean(title),
		Author:       clean(info.Author),
		Creator:      "hoctap",
		CreationDate: info.Generated,
	})
	return &pdfWriter{gp: gp, d: d, widths: make(map[widthKey]float64)}, nil
}

// document lays out the whole document: header, title, body, closing, then
// the annexes.
func (p *pdfWriter) document() error {
	if err := p.newPage(); err != nil {
		return err
	}
	p.header(&p.d.Header)
	p.title()
	if n := len(p.d.Blocks); n > 0 {
		p.last, p.keepWith = p.d.Blocks[n-1], p.closingHeight(&p.d.Closing)
	}
	if err := p.blocks(p.d.Blocks); err != nil {
		return err
	}
	p.closing(&p.d.Closing)
	for i := range p.d.Annexes {
		if err := p.annex(&p.d.Annexes[i]); err != nil {
			return err
		}
	}
	return nil
}

// blocks lays out blocks in order, each heading kept with the start of what
// follows it.
func (p *pdfWriter) blocks(bs []Block) error {
	for i, b := range bs {
		var next Block
		if i+1 < len(bs) {
			next = bs[i+1]
		}
		if err := p.block(b, next); err != nil {
			return err
		}
	}
	return nil
}

// annex starts a page with the annex's title and its reference to the
// document, then lays out its blocks. Its pages are landscape if it asks, or
// if one of its tables' longest words do not fit a portrait page's width.
func (p *pdfWriter) annex(a *Annex) error {
	p.landscape = a.Landscape || p.tooWide(a.Blocks)
	if err := p.newPage(); err != nil {
		return err
	}
	if t := clean(a.Title); t != "" {
		p.setFont(bold, sizeTitle)
		p.centredLines(marginLeft, p.textW, t)
	}
	if r := clean(a.Ref); r != "" {
		p.setFont(italic, sizeBody)
		p.centredLines(marginLeft, p.textW, r)
	}
	p.space(10)
	return p.blocks(a.Blocks)
}

// tooWide reports whether a table of bs needs more than a portrait page's
// width for its longest words at the tables' type size.
func (p *pdfWriter) tooWide(bs []Block) bool {
	portrait := a4Short - marginLeft - marginRight
	for _, b := range bs {
		t, ok := b.(*Table)
		if !ok {
			continue
		}
		rows := t.Rows
		if t.Limit > 0 && len(rows) > t.Limit {
			rows = rows[:t.Limit]
		}
		total := 0.0
		need, _ := p.columnNeeds(t, rows, sizeTable)
		for _, n := range need {
			total += n
		}
		if total > portrait {
			return true
		}
	}
	return false
}

// block lays out one block; next is the block after it, which a heading
// keeps on its page.
func (p *pdfWriter) block(b, next Block) error {
	switch b := b.(type) {
	case *Heading:
		p.heading(b, next)
	case *Paragraph:
		p.paragraph(b)
	case *Figures:
		p.figures(b)
	case *Table:
		p.table(b)
	case *Chart:
		return p.chart(b)
	case *PageBreak:
		return p.newPage()
	case nil:
	default:
		return fmt.Errorf("doc: PDF: unknown block %T", b)
	}
	return nil
}

// newPage starts a page, with its number in the top margin (from page 2, as
// Nghị định 30 asks) and the footer in the bottom margin.
func (p *pdfWriter) newPage() error {
	// The page's number and footer must not change the font or colour of
	// the text that goes on: a heading moved to a new page keeps its size.
	style, size, colour := p.style, p.size, p.colour
	defer func() {
		if size > 0 {
			p.setFont(style, size)
			p.setColour(colour)
		}
	}()
	pw, ph := a4Short, a4Long
	if p.landscape {
		pw, ph = ph, pw
	}
	p.gp.AddPageWithOption(gopdf.PageOption{PageSize: &gopdf.Rect{W: pw, H: ph}})
	p.page++
	p.textW, p.bottom = pw-marginLeft-marginRight, ph-marginBottom
	p.y = marginTop
	// The first text colour switches gopdf to writing the colour with every
	// text, so that fills never leak into text.
	p.colour = rgb{1, 1, 1}
	p.setColour(black)
	if p.page > 1 {
		p.setFont(regular, sizeSmall+1)
		p.textCentered(marginLeft, p.textW, 9*mm, strconv.Itoa(p.page))
	}
	if f := clean(p.d.Footer); f != "" {
		p.setFont(regular, sizeFooter)
		p.setColour(grey)
		for i, line := range p.wrap(f, p.textW) {
			p.textCentered(marginLeft, p.textW, p.bottom+6*mm+float64(i)*p.lineH(), line)
		}
		p.setColour(black)
	}
	return nil
}

// ensure starts a new page unless h points fit above the bottom margin. It
// reports whether it started one.
func (p *pdfWriter) ensure(h float64) bool {
	if p.y+h <= p.bottom || p.y <= marginTop {
		return false
	}
	p.newPage()
	return true
}

// space moves down by h points, but not past the bottom margin and not at the
// top of a page.
func (p *pdfWriter) space(h float64) {
	if p.y <= marginTop {
		return
	}
	p.y = min(p.y+h, p.bottom)
}

// setFont selects a face and size.
func (p *pdfWriter) setFont(s fontStyle, size float64) {
	gs := [...]int{gopdf.Regular, gopdf.Bold, gopdf.Italic, gopdf.Bold | gopdf.Italic}[s]
	// The faces were all added: SetFontWithStyle cannot fail.
	_ = p.gp.SetFontWithStyle(fontFamily, gs, size)
	p.style, p.size = s, size
}

// setColour sets the colour of text, lines and fills.
func (p *pdfWriter) setColour(c rgb) {
	if c == p.colour {
		return
	}
	p.colour = c
	p.gp.SetTextColor(c.r, c.g, c.b)
}

// lineH is the line height of the current font.
func (p *pdfWriter) lineH() float64 { return p.size * lineFactor }

// measure is the width of s in the current font.
func (p *pdfWriter) measure(s string) float64 {
	k := widthKey{p.style, p.size, s}
	if w, ok := p.widths[k]; ok {
		return w
	}
	w, err := p.gp.MeasureTextWidth(s)
	if err != nil {
		w = 0
	}
	p.widths[k] = w
	return w
}

// text draws s with the top of its line box at top.
func (p *pdfWriter) text(x, top float64, s string) {
	if s == "" {
		return
	}
	p.gp.SetXY(x, top+p.size*1.02)
	_ = p.gp.Text(s) // fails only for a font not set
}

// textCentered draws s centred in the span [x, x+w].
func (p *pdfWriter) textCentered(x, w, top float64, s string) {
	p.text(x+(w-p.measure(s))/2, top, s)
}

// textRight draws s right-aligned at x+w.
func (p *pdfWriter) textRight(x, w, top float64, s string) {
	p.text(x+w-p.measure(s), top, s)
}

// textAligned draws s in [x, x+w] aligned as a.
func (p *pdfWriter) textAligned(x, w, top float64, s string, a Align) {
	switch a {
	case Right:
		p.textRight(x, w, top, s)
	case Center:
		p.textCentered(x, w, top, s)
	default:
		p.text(x, top, s)
	}
}

// textJustified draws the words of s spread over the width w.
func (p *pdfWriter) textJustified(x, w, top float64, s string) {
	words := words(s)
	if len(words) < 2 {
		p.text(x, top, s)
		return
	}
	total := 0.0
	for _, wd := range words {
		total += p.measure(wd)
	}
	gap := (w - total) / float64(len(words)-1)
	if gap > 4*p.measure(" ") { // a sparse line reads better ragged
		p.text(x, top, s)
		return
	}
	for _, wd := range words {
		p.text(x, top, wd)
		x += p.measure(wd) + gap
	}
}

// rule draws a horizontal line of width lw.
func (p *pdfWriter) rule(x1, x2, y, lw float64, c rgb) {
	p.gp.SetLineWidth(lw)
	p.gp.SetStrokeColor(c.r, c.g, c.b)
	p.gp.Line(x1, y, x2, y)
}

// rect draws a rectangle: its border (lw > 0) and its fill (fill non-nil).
func (p *pdfWriter) rect(x, y, w, h, lw float64, fill *rgb) {
	style := ""
	if fill != nil {
		p.gp.SetFillColor(fill.r, fill.g, fill.b)
		style = "F"
	}
	if lw > 0 {
		p.gp.SetLineWidth(lw)
		p.gp.SetStrokeColor(ruleGrey.r, ruleGrey.g, ruleGrey.b)
		style += "D"
	}
	if style != "" {
		p.gp.RectFromUpperLeftWithStyle(x, y, w, h, style)
	}
}

// clean returns s NFC-normalised, with tabs as spaces and without carriage
// returns.
func clean(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", " ").Replace(s)
	return norm.NFC.String(s)
}

// wrap breaks s into lines no wider than w in the current font: at spaces,
// at the line breaks of s, and inside words longer than a line.
func (p *pdfWriter) wrap(s string, w float64) []string {
	var lines []string
	for _, hard := range strings.Split(s, "\n") {
		lines = append(lines, p.wrapLine(hard, w)...)
	}
	return lines
}

// wrapLine breaks a line without line breaks at its spaces (U+0020; a
// no-break space U+00A0 holds words together, and a run of them keeps its
// width: "Số:\u00a0\u00a0\u00a0\u00a0/BC-HKH").
func (p *pdfWriter) wrapLine(s string, w float64) []string {
	words := words(s)
	if len(words) == 0 {
		return []string{""}
	}
	sp := p.measure(" ")
	var lines []string
	var cur []string
	curW := 0.0
	for _, wd := range words {
		ww := p.measure(wd)
		if len(cur) > 0 && curW+sp+ww <= w {
			cur = append(cur, wd)
			curW += sp + ww
			continue
		}
		if len(cur) > 0 {
			lines = append(lines, strings.Join(cur, " "))
		}
		cur, curW = nil, 0
		if ww > w { // break a word longer than a line
			parts := p.breakWord(wd, w)
			lines = append(lines, parts[:len(parts)-1]...)
			wd = parts[len(parts)-1]
			ww = p.measure(wd)
		}
		cur, curW = []string{wd}, ww
	}
	return append(lines, strings.Join(cur, " "))
}

// words splits s at its spaces, U+0020 only: the places a line may break.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' })
}

// breakWord cuts a word into pieces no wider than w (at least one character
// each).
func (p *pdfWriter) breakWord(s string, w float64) []string {
	var parts []string
	runes := []rune(s)
	start := 0
	for i := 1; i <= len(runes); i++ {
		if i-start > 1 && p.measure(string(runes[start:i])) > w {
			parts = append(parts, string(runes[start:i-1]))
			start = i - 1
		}
	}
	return append(parts, string(runes[start:]))
}
