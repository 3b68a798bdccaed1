package doc

// Table layout in points.
const (
	cellPadX   = 3.5
	cellPadY   = 2.5
	tableRule  = 0.5
	tableLineF = 1.2 // a cell's line height as a multiple of its type size
	// tableMinSize is the smallest type size a table shrinks to so that
	// every column holds its longest word.
	tableMinSize = 9
)

// tableLayout is where a table's columns are, and the type size of its cells.
type tableLayout struct {
	x, w  []float64
	align []Align
	size  float64
}

// lineH is the height of a line in a cell.
func (l tableLayout) lineH() float64 { return l.size * tableLineF }

// layoutTable gives every column the width of its longest word (in the
// header, the rows shown and the total), so that words, codes and dates are
// never broken, and shares what is left by the columns' Width. A table whose
// longest words do not fit the page's width at sizeTable gets smaller type,
// down to tableMinSize; beyond that its longest words are broken.
func (p *pdfWriter) layoutTable(t *Table) tableLayout {
	rows := t.Rows
	if t.Limit > 0 && len(rows) > t.Limit {
		rows = rows[:t.Limit]
	}
	var l tableLayout
	for size := float64(sizeTable); size >= tableMinSize; size -= 0.5 {
		need := p.columnNeeds(t, rows, size)
		l = layoutColumns(t.Columns, need, p.textW)
		l.size = size
		total := 0.0
		for _, n := range need {
			total += n
		}
		if total <= p.textW {
			break
		}
	}
	return l
}

// columnNeeds is the width each column needs for its longest word at size.
func (p *pdfWriter) columnNeeds(t *Table, rows [][]Cell, size float64) []float64 {
	need := make([]float64, len(t.Columns))
	widest := func(i int, s string, style fontStyle) {
		p.setFont(style, size)
		for _, w := range words(clean(s)) {
			need[i] = max(need[i], p.measure(w)+2*cellPadX+0.5)
		}
	}
	for i, c := range t.Columns {
		widest(i, c.Name, bold)
	}
	cells := func(r []Cell, total bool) {
		for i, c := range r[:min(len(r), len(need))] {
			style, _ := markStyle(c.Mark, total)
			widest(i, c.Text, style)
		}
	}
	for _, r := range rows {
		cells(r, false)
	}
	cells(t.Total, true)
	return need
}

// layoutColumns shares the width w among the columns: each its share by
// Width (equal shares if all are 0 or any is negative), but at least its
// need; what the needy columns take comes from the others' slack, in
// proportion.
func layoutColumns(cols []Column, need []float64, w float64) tableLayout {
	n := len(cols)
	l := tableLayout{x: make([]float64, n), w: make([]float64, n), align: make([]Align, n), size: sizeTable}
	total := 0.0
	for _, c := range cols {
		if c.Width < 0 {
			total = 0
			break
		}
		total += c.Width
	}
	sum, slack := 0.0, 0.0
	for i, c := range cols {
		share := 1 / float64(n)
		if total > 0 {
			share = c.Width / total
		}
		l.w[i], l.align[i] = w*share, c.Align
		if i < len(need) && need[i] > l.w[i] {
			l.w[i] = need[i]
		} else if i < len(need) {
			slack += l.w[i] - need[i]
		} else {
			slack += l.w[i]
		}
		sum += l.w[i]
	}
	if over := sum - w; over > 0 && slack > 0 {
		for i := range l.w {
			floor := 0.0
			if i < len(need) {
				floor = need[i]
			}
			if s := l.w[i] - floor; s > 0 {
				l.w[i] -= min(over, slack) * s / slack
			}
		}
	}
	x := float64(marginLeft)
	for i := range l.w {
		l.x[i] = x
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
	l := p.layoutTable(t)
	head := p.headerRow(t.Columns, l)
	rows := t.Rows
	limited := t.cut()
	if limited {
		rows = rows[:min(len(rows), t.Limit)]
	}
	p.space(8)
	// The title, the header and the first row stay together.
	p.ensure(p.tableLead(t, l))
	if title := clean(t.Title); title != "" {
		p.setFont(bold, sizeBody)
		for _, line := range p.wrap(title, p.textW) {
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

// tableLead is the height of a table's title, header row and first row,
// which stay together.
func (p *pdfWriter) tableLead(t *Table, l tableLayout) float64 {
	need := p.headerRow(t.Columns, l).h + 4
	if title := clean(t.Title); title != "" {
		p.setFont(bold, sizeBody)
		need += float64(len(p.wrap(title, p.textW)))*p.lineH() + 3
	}
	first := t.Total
	if len(t.Rows) > 0 {
		first = t.Rows[0]
	}
	if first != nil {
		need += p.bodyRow(first, l, false).h
	}
	return need
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
	for _, line := range p.wrap(s, p.textW) {
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
	return float64(len(p.wrap(s, p.textW))) * p.lineH()
}

// headerRow lays out the column names: bold, centred.
func (p *pdfWriter) headerRow(cols []Column, l tableLayout) tableRow {
	r := tableRow{header: true}
	for i, c := range cols {
		r.cells = append(r.cells, p.layoutCell(c.Name, bold, black, Center, l.w[i], l.size))
	}
	r.h = rowHeight(r.cells, l)
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
		r.cells = append(r.cells, p.layoutCell(c.Text, style, colour, l.align[i], l.w[i], l.size))
	}
	r.h = rowHeight(r.cells, l)
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

// layoutCell wraps a cell's text to its column, at spaces: the column is
// as wide as its longest word.
func (p *pdfWriter) layoutCell(s string, style fontStyle, c rgb, a Align, w, size float64) tableCell {
	p.setFont(style, size)
	return tableCell{lines: p.wrap(clean(s), w-2*cellPadX), style: style, c: c, align: a}
}

// rowHeight is the height of the tallest cell.
func rowHeight(cells []tableCell, l tableLayout) float64 {
	n := 1
	for _, c := range cells {
		n = max(n, len(c.lines))
	}
	return float64(n)*l.lineH() + 2*cellPadY
}

// drawRow draws a row at p.y with thin borders and moves p.y under it.
func (p *pdfWriter) drawRow(r tableRow, l tableLayout) {
	var fill *rgb
	if r.header {
		fill = &fillLight
	}
	for i, c := range r.cells {
		p.rect(l.x[i], p.y, l.w[i], r.h, tableRule, fill)
		p.setFont(c.style, l.size)
		p.setColour(c.c)
		for j, line := range c.lines {
			top := p.y + cellPadY + float64(j)*l.lineH() + (l.lineH()-p.lineH())/2
			p.textAligned(l.x[i]+cellPadX, l.w[i]-2*cellPadX, top, line, c.align)
		}
	}
	p.setColour(black)
	p.y += r.h
}
