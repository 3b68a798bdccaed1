package doc

import (
	"strings"
)

// headerBlock is the layout of the official header block: the issuing body
// on the left, the national motto on the right (Nghị định 30/2020/NĐ-CP,
// Phụ lục I), both in one type size.
type headerBlock struct {
	size   float64 // type size of every line
	leftW  float64 // width of the left column; the right one has the rest
	parent string  // ParentOrg in upper case
}

// Header type sizes: the largest that fits every line unwrapped, else the
// smallest, wrapping.
const (
	headerMaxSize = sizeHeader
	headerMinSize = 12
	headerGap     = 10 // between the columns' texts
)

// headerLayout chooses the type size and where the columns divide: at 42 %
// of the text width (the usual layout), moved so that each column's longest
// line fits if it can.
func (p *pdfWriter) headerLayout(h *Header) headerBlock {
	textW := p.textW
	b := headerBlock{size: headerMinSize, leftW: textW * 0.42, parent: strings.ToUpper(clean(h.ParentOrg))}
	right := 0.0
	for size := float64(headerMaxSize); size >= headerMinSize; size -= 0.5 {
		left := max(p.widthIn(regular, size, b.parent), p.widthIn(bold, size, clean(h.Org)), p.widthIn(regular, size, clean(h.Number)))
		right = max(p.widthIn(bold, size, clean(h.Motto)), p.widthIn(bold, size+0.5, clean(h.Motto2)), p.widthIn(italic, size, clean(h.PlaceDate)))
		if left+right+headerGap > textW {
			continue
		}
		b.size = size
		// Each column's text centred in it: keep 42 % if both fit.
		b.leftW = min(max(b.leftW, left+headerGap/2), textW-right-headerGap/2)
		return b
	}
	// The issuing body wraps: it gets all the width the motto leaves, less
	// the gap on both sides of the motto.
	if right+2*headerGap < textW*0.7 {
		b.leftW = max(b.leftW, textW-right-2*headerGap)
	}
	return b
}

// widthIn is the width of s in a face and size.
func (p *pdfWriter) widthIn(s fontStyle, size float64, text string) float64 {
	p.setFont(s, size)
	return p.measure(text)
}

// header draws the official header block on the first page.
func (p *pdfWriter) header(h *Header) {
	b := p.headerLayout(h)
	top := p.y
	lineTop := max(p.headerLeft(h, b, top), p.headerRight(h, b, top)) + 4
	end := lineTop
	// The number and the place-and-date line share a line.
	if n := clean(h.Number); n != "" {
		p.setFont(regular, b.size)
		p.y = lineTop
		p.centredLines(marginLeft, b.leftW, n)
		end = max(end, p.y)
	}
	if pd := clean(h.PlaceDate); pd != "" {
		p.setFont(italic, b.size)
		p.y = lineTop
		p.centredLines(marginLeft+b.leftW, p.textW-b.leftW, pd)
		end = max(end, p.y)
	}
	p.y = end
}

// headerLeft draws the issuing body from top and returns where it ends.
func (p *pdfWriter) headerLeft(h *Header, b headerBlock, top float64) float64 {
	p.y = top
	if b.parent != "" {
		p.setFont(regular, b.size)
		p.centredLines(marginLeft, b.leftW, b.parent)
	}
	if org := clean(h.Org); org != "" {
		p.setFont(bold, b.size)
		widest := p.centredLines(marginLeft, b.leftW, org)
		// A short rule, a third of the line, under the name.
		rw := widest / 3
		cx := marginLeft + b.leftW/2
		p.rule(cx-rw/2, cx+rw/2, p.y+1.5, 0.6, black)
		p.y += 7
	}
	return p.y
}

// headerRight draws the national motto from top and returns where it ends.
func (p *pdfWriter) headerRight(h *Header, b headerBlock, top float64) float64 {
	x, w := marginLeft+b.leftW, p.textW-b.leftW
	p.y = top
	if m := clean(h.Motto); m != "" {
		p.setFont(bold, b.size)
		p.centredLines(x, w, m)
	}
	if m2 := clean(h.Motto2); m2 != "" {
		p.setFont(bold, b.size+0.5)
		widest := p.centredLines(x, w, m2)
		// Underlined: a rule as long as the line.
		cx := x + w/2
		p.rule(cx-widest/2, cx+widest/2, p.y+1.5, 0.6, black)
		p.y += 7
	}
	return p.y
}

// centredLines draws s wrapped and centred in [x, x+w] from p.y, moves p.y
// under it and returns the width of its widest line. Lines wrapped are
// balanced: "HỘI KHUYẾN HỌC / TỈNH ĐỒNG THÁP", not a last word alone.
func (p *pdfWriter) centredLines(x, w float64, s string) float64 {
	widest := 0.0
	for _, line := range p.balancedWrap(s, w) {
		p.textCentered(x, w, p.y, line)
		widest = max(widest, p.measure(line))
		p.y += p.lineH()
	}
	return widest
}

// balancedWrap wraps s to the narrowest width that needs no more lines
// than w does.
func (p *pdfWriter) balancedWrap(s string, w float64) []string {
	lines := p.wrap(s, w)
	if len(lines) < 2 {
		return lines
	}
	lo, hi := w/float64(len(lines)+1), w
	for hi-lo > 0.5 {
		mid := (lo + hi) / 2
		if len(p.wrap(s, mid)) > len(lines) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return p.wrap(s, hi)
}

// title draws the title ("BÁO CÁO") and the summary line under it, bold and
// centred, with a short rule under the summary (Nghị định 30/2020, Phụ lục I).
func (p *pdfWriter) title() {
	t := clean(p.d.Title)
	if t != "" {
		p.space(22)
		p.setFont(bold, sizeTitle)
		p.centredLines(marginLeft, p.textW, t)
	}
	if st := clean(p.d.Subtitle); st != "" {
		p.space(1)
		p.setFont(bold, sizeTitle)
		widest := p.centredLines(marginLeft, p.textW, st)
		rw := min(widest, p.textW) / 3
		cx := marginLeft + p.textW/2
		p.rule(cx-rw/2, cx+rw/2, p.y+3, 0.6, black)
		p.y += 6
	}
	p.space(14)
}

// heading draws a section (Level 1) or sub-section heading, kept on a page
// with the start of next: its first lines, a table's title, header and first
// row, a chart.
func (p *pdfWriter) heading(h *Heading, next Block) {
	style, size, before := bold, float64(sizeH1), 12.0
	if h.Level > 1 {
		style, size, before = boldItalic, sizeH2, 8.0
	}
	p.setFont(style, size)
	lines := p.wrap(clean(h.Text), p.textW)
	p.space(before)
	own := float64(len(lines))*p.lineH() + 3
	p.ensure(own + p.leadHeight(next))
	p.setFont(style, size)
	for _, line := range lines {
		p.text(marginLeft, p.y, line)
		p.y += p.lineH()
	}
	p.y += 3
}

// leadHeight is the height of the start of b that must share a page with a
// heading before it.
func (p *pdfWriter) leadHeight(b Block) float64 {
	switch b := b.(type) {
	case *Paragraph:
		p.setFont(regular, sizeBody)
		n := min(len(p.wrap(clean(b.Text), p.textW)), 2)
		return float64(n) * p.lineH()
	case *Table:
		if len(b.Columns) == 0 {
			return 0
		}
		return p.tableLead(b, p.layoutTable(b))
	case *Chart:
		titleH, _, h := p.chartSize(b)
		return titleH + h
	case *Figures:
		if len(b.Items) == 0 {
			return 0
		}
		per := figuresPerRow(len(b.Items))
		w := (p.textW - figGap*float64(per-1)) / float64(per)
		h := 0.0
		for _, it := range b.Items[:per] {
			h = max(h, p.figureHeight(p.layoutFigure(it, w-2*figPad)))
		}
		return h + 2*figPad + 6
	case *Heading:
		p.setFont(bold, sizeH1)
		return p.lineH() + 3*sizeBody*lineFactor
	}
	return 3 * sizeBody * lineFactor
}

// paragraph draws running text justified, a bullet with a hanging dash, or
// a note smaller and grey.
func (p *pdfWriter) paragraph(par *Paragraph) {
	style, size, c := regular, float64(sizeBody), black
	if par.Note {
		style, size, c = italic, sizeSmall, grey
	}
	x, w := marginLeft, p.textW
	if par.Bullet {
		x, w = marginLeft+14, p.textW-14
	}
	first := true
	hards := strings.Split(clean(par.Text), "\n")
	for hi, hard := range hards {
		p.setFont(style, size)
		lines := p.wrapLine(hard, w)
		// The body's last lines share a page with the closing.
		keep := -1
		if par == p.last && p.keepWith > 0 && hi == len(hards)-1 {
			keep = max(0, len(lines)-2)
		}
		for i, line := range lines {
			if i == keep {
				p.setFont(style, size)
				p.ensure(float64(len(lines)-i)*p.lineH() + size*0.45 + p.keepWith)
			}
			p.ensure(p.lineH())
			p.setFont(style, size)
			p.setColour(c)
			if par.Bullet && first {
				p.text(marginLeft, p.y, "–")
			}
			first = false
			// Justify all but the last line of each hard line.
			if i == len(lines)-1 || par.Note {
				p.text(x, p.y, line)
			} else {
				p.textJustified(x, w, p.y, line)
			}
			p.y += p.lineH()
		}
	}
	p.setColour(black)
	p.y += size * 0.45
}

// closing draws the recipients on the left and the signer on the right,
// kept together on one page: it closes the body, before any annex.
func (p *pdfWriter) closing(c *Closing) {
	label := clean(c.RecipientsLabel)
	if label == "" && len(c.Recipients) == 0 && c.SignerRole == "" && c.SignerTitle == "" && c.SignerName == "" {
		return
	}
	leftW := p.textW * 0.45
	rightX, rightW := marginLeft+leftW, p.textW-leftW
	p.space(closingSpace)
	p.ensure(max(p.recipientsHeight(c, leftW), p.signerHeight(c, rightW)))
	top := p.y
	// Right: the signer.
	p.setFont(bold, sizeBody)
	for _, s := range []string{c.SignerRole, c.SignerTitle} {
		if s = clean(s); s != "" {
			p.centredLines(rightX, rightW, s)
		}
	}
	p.y += signatureSpace
	if n := clean(c.SignerName); n != "" {
		p.centredLines(rightX, rightW, n)
	}
	right := p.y
	// Left: the recipients.
	p.y = top
	if label != "" {
		p.setFont(boldItalic, sizeRecipientsLabel)
		for _, line := range p.wrap(label, leftW) {
			p.text(marginLeft, p.y, line)
			p.y += p.lineH()
		}
	}
	p.setFont(regular, sizeRecipients)
	for _, r := range c.Recipients {
		for i, line := range p.wrap(clean(r), leftW-8) {
			if i == 0 {
				p.text(marginLeft, p.y, "- ")
			}
			p.text(marginLeft+8, p.y, line)
			p.y += p.lineH()
		}
	}
	p.y = max(p.y, right)
}

// closingSpace is the space above the closing.
const closingSpace = 16

// closingHeight is the height of the closing with the space above it; 0
// when there is none.
func (p *pdfWriter) closingHeight(c *Closing) float64 {
	if clean(c.RecipientsLabel) == "" && len(c.Recipients) == 0 && c.SignerRole == "" && c.SignerTitle == "" && c.SignerName == "" {
		return 0
	}
	leftW := p.textW * 0.45
	return closingSpace + max(p.recipientsHeight(c, leftW), p.signerHeight(c, p.textW-leftW))
}

// Type sizes of the recipients (Nghị định 30/2020: "Nơi nhận" 12 pt bold
// italic, the list 11 pt).
const (
	sizeRecipientsLabel = 12
	sizeRecipients      = 11
)

// signatureSpace is the room left for the signature and the seal (about
// 25 mm).
const signatureSpace = 72

// recipientsHeight is the height of the left column of the closing.
func (p *pdfWriter) recipientsHeight(c *Closing, w float64) float64 {
	p.setFont(boldItalic, sizeRecipientsLabel)
	h := float64(len(p.wrap(clean(c.RecipientsLabel), w))) * p.lineH()
	p.setFont(regular, sizeRecipients)
	for _, r := range c.Recipients {
		h += float64(len(p.wrap(clean(r), w-8))) * p.lineH()
	}
	return h
}

// signerHeight is the height of the right column of the closing.
func (p *pdfWriter) signerHeight(c *Closing, w float64) float64 {
	p.setFont(bold, sizeBody)
	h := float64(signatureSpace)
	for _, s := range []string{c.SignerRole, c.SignerTitle, c.SignerName} {
		if s = clean(s); s != "" {
			h += float64(len(p.wrap(s, w))) * p.lineH()
		}
	}
	return h
}
