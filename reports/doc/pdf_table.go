package doc

// Table layout in points.
const (
	cellPadX   = 3.5
	cellPadY   = 2.5
	tableRule  = 0.5
	tableLineH = sizeTable * 1.3
)

// tableLayout is where a table's columns are.
type tableLayout struct {
	x, w  []float64
	align []Align
}

// layoutColumns shares the text width among the columns by their Width
// (equal shares if all are 0 or any is negative).
func layoutColumns(cols []Column) tableLayout {
	n := len(cols)
	l := tableLayout{x: make([]float64, n), w: make([]float64, n), align: make([]Align, n)}
	total := 0.0
	for _, c := range cols {
		if c.Width < 0 {
			total = 0
			break
		}
		total += c.Width
	}
	x := float64(marginLeft)
	for i, c := range cols {
		share := 1 / float64(n)
		if total > 0 {
			share = c.Width / total
		}
		l.x[i], l.w[i], l.align[i] = x, textW*share, c.Align
		x += l.w[i]
	}
	return l
}

// tableCell is a cell ready to draw: its lines, face and colour.
type tableCell struct {
	lines []string
	style fontStyle
	c     rgb
	align Align
}

// tableRow is a row ready to draw.
type tableRow struct {
	cells  []tableCell
	h      float64
	header bool
}

// table draws a table: its title, a header row repeated on every page the
// table runs over, at most Limit rows (never split across pages), the
// total, the limit note and the note.
func (p *pdfWriter) table(t *Table) {
	if len(t.Columns) == 0 {
		return
	}
	l := layoutColumns(t.Columns)
	head := p.headerRow(t.Columns, l)
	rows := t.Rows
	limited := t.cut()
	if limited {
		rows = rows[:min(len(rows), t.Limit)]
	}
	p.space(8)
	// The title, the header and the first row stay together.
	title := clean(t.Title)
	p.setFont(bold, sizeBody)
	titleLines := p.wrap(title, textW)
	need := head.h + 4
	if title != "" {
		need += float64(len(titleLines)) * p.lineH()
	}
	first := t.Total
	if len(rows) > 0 {
		first = rows[0]
	}
	if first != nil {
		need += p.bodyRow(first, l, false).h
	}
	p.ensure(need)
	if title != "" {
		p.setFont(bold, sizeBody)
		for _, line := range titleLines {
			p.text(marginLeft, p.y, line)
			p.y += p.lineH()
		}
		p.y += 3
	}
	p.drawRow(head, l)
	// The last row keeps the first lines of the notes under it.
	limitNote := ""
	if limited {
		limitNote = t.LimitNote
	}
	trail := min(p.smallTextHeight(limitNote)+p.smallTextHeight(t.Note), 3*sizeSmall*lineFactor) + 3
	// The total stays with the last row.
	var total tableRow
	if t.Total != nil {
		total = p.bodyRow(t.Total, l, true)
		trail += total.h
	}
	for i, r := range rows {
		keep := 0.0
		if i == len(rows)-1 {
			keep = trail
		}
		p.tableRowOnPage(p.bodyRow(r, l, false), head, l, keep)
	}
	if t.Total != nil {
		p.tableRowOnPage(total, head, l, 0)
	}
	p.y += 3
	p.smallText(limitNote, italic, black)
	p.smallText(t.Note, regular, black)
	p.y += 4
}

// tableRowOnPage draws a row, first starting a new page with the header row
// again if the row and keep points under it do not fit.
func (p *pdfWriter) tableRowOnPage(r, head tableRow, l tableLayout, keep float64) {
	if p.ensure(r.h + keep) {
		p.drawRow(head, l)
	}
	p.drawRow(r, l)
}

// smallText draws a note in small type, wrapped to the text width.
func (p *pdfWriter) smallText(s string, style fontStyle, c rgb) {
	s = clean(s)
	if s == "" {
		return
	}
	p.setFont(style, sizeSmall)
	for _, line := range p.wrap(s, textW) {
		p.ensure(p.lineH())
		p.setFont(style, sizeSmall)
		p.setColour(c)
		p.text(marginLeft, p.y, line)
		p.y += p.lineH()
	}
	p.setColour(black)
}

// smallTextHeight is the height smallText takes for s.
func (p *pdfWriter) smallTextHeight(s string) float64 {
	if s = clean(s); s == "" {
		return 0
	}
	p.setFont(regular, sizeSmall)
	return float64(len(p.wrap(s, textW))) * p.lineH()
}

// headerRow lays out the column names: bold, centred.
func (p *pdfWriter) headerRow(cols []Column, l tableLayout) tableRow {
	r := tableRow{header: true}
	for i, c := range cols {
		r.cells = append(r.cells, p.layoutCell(c.Name, bold, black, Center, l.w[i]))
	}
	r.h = rowHeight(r.cells)
	return r
}

// bodyRow lays out a row of values, or the total (bold).
func (p *pdfWriter) bodyRow(cells []Cell, l tableLayout, total bool) tableRow {
	var r tableRow
	for i := range l.w {
		var c Cell
		if i < len(cells) {
			c = cells[i]
		}
		style, colour := markStyle(c.Mark, total)
		r.cells = append(r.cells, p.layoutCell(c.Text, style, colour, l.align[i], l.w[i]))
	}
	r.h = rowHeight(r.cells)
	return r
}

// markStyle is the face and colour of a cell: Good bold, Bad bold italic and
// dark red, Muted grey; a total is bold.
func markStyle(m Mark, total bool) (fontStyle, rgb) {
	style, c := regular, black
	switch m {
	case Good:
		style = bold
	case Bad:
		style, c = boldItalic, darkRed
	case Muted:
		c = grey
	}
	if total && style == regular {
		style = bold
	}
	return style, c
}

// layoutCell wraps a cell's text to its column.
func (p *pdfWriter) layoutCell(s string, style fontStyle, c rgb, a Align, w float64) tableCell {
	p.setFont(style, sizeTable)
	return tableCell{lines: p.wrap(clean(s), w-2*cellPadX), style: style, c: c, align: a}
}

// rowHeight is the height of the tallest cell.
func rowHeight(cells []tableCell) float64 {
	n := 1
	for _, c := range cells {
		n = max(n, len(c.lines))
	}
	return float64(n)*tableLineH + 2*cellPadY
}

// drawRow draws a row at p.y with thin borders and moves p.y under it.
func (p *pdfWriter) drawRow(r tableRow, l tableLayout) {
	var fill *rgb
	if r.header {
		fill = &fillLight
	}
	for i, c := range r.cells {
		p.rect(l.x[i], p.y, l.w[i], r.h, tableRule, fill)
		p.setFont(c.style, sizeTable)
		p.setColour(c.c)
		for j, line := range c.lines {
			top := p.y + cellPadY + float64(j)*tableLineH + (tableLineH-p.lineH())/2
			p.textAligned(l.x[i]+cellPadX, l.w[i]-2*cellPadX, top, line, c.align)
		}
	}
	p.setColour(black)
	p.y += r.h
}
