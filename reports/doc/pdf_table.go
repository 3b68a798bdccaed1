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
// down to tableMinSize; beyond that its longest words are broken. So does a
// table whose longest words fit but leave a column of wrapping text less
// than roomShare of the width it asks for (its share, or its longest cell
// whole if that is less): the English units' table, whose headers are long
// single words ("Recognition", "recognised"), left the units' names 60 pt
// of their 115, four or five lines each.
func (p *pdfWriter) layoutTable(t *Table) tableLayout {
	rows := t.Rows
	if t.Limit > 0 && len(rows) > t.Limit {
		rows = rows[:t.Limit]
	}
	var l, fit tableLayout
	for size := float64(sizeTable); size >= tableMinSize; size -= 0.5 {
		need, whole := p.columnNeeds(t, rows, size)
		l = layoutColumns(t.Columns, need, p.textW)
		l.size = size
		total := 0.0
		for _, n := range need {
			total += n
		}
		if total > p.textW {
			continue
		}
		if fit.w == nil {
			fit = l
		}
		if roomy(t.Columns, whole, l, p.textW) {
			return l
		}
	}
	if fit.w != nil {
		return fit
	}
	return l
}

// roomShare is the least part of the width it asks for that a column of
// wrapping text gets before its table's type is made smaller.
const roomShare = 0.6

// roomy says whether every column whose longest cell does not fit its width
// l.w has at least roomShare of its share of w, or of that cell's width if
// less.
func roomy(cols []Column, whole []float64, l tableLayout, w float64) bool {
	share := shares(cols)
	for i := range cols {
		if i >= len(whole) || whole[i] <= l.w[i] {
			continue
		}
		if l.w[i] < roomShare*min(share[i]*w, whole[i]) {
			return false
		}
	}
	return true
}

// columnNeeds is the width each column needs at size for its longest word
// (need) and for its longest cell unbroken (whole; the header's words may
// always wrap).
func (p *pdfWriter) columnNeeds(t *Table, rows [][]Cell, size float64) (need, whole []float64) {
	need, whole = make([]float64, len(t.Columns)), make([]float64, len(t.Columns))
	widest := func(i int, s string, style fontStyle, cell bool) {
		p.setFont(style, size)
		s = clean(s)
		for _, w := range words(s) {
			need[i] = max(need[i], p.measure(w)+2*cellPadX+0.5)
		}
		if cell {
			whole[i] = max(whole[i], p.measure(s)+2*cellPadX+0.5)
		}
	}
	for i, c := range t.Columns {
		widest(i, c.Name, bold, false)
	}
	cells := func(r []Cell, total bool) {
		for i, c := range r[:min(len(r), len(need))] {
			style, _ := markStyle(c.Mark, total)
			widest(i, c.Text, style, true)
		}
	}
	for _, r := range rows {
		cells(r, false)
	}
	cells(t.Total, true)
	return need, whole
}

// layoutColumns shares the width w among the columns: each its share by
// Width (equal shares if all are 0 or any is negative), but at least its
// need; what the needy columns take comes from the others' slack, in
// proportion.
func layoutColumns(cols []Column, need []float64, w float64) tableLayout {
	n := len(cols)
	l := tableLayout{x: make([]float64, n), w: make([]float64, n), align: make([]Align, n), size: sizeTable}
	share := shares(cols)
	sum, slack := 0.0, 0.0
	for i, c := range cols {
		l.w[i], l.align[i] = w*share[i], c.Align
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

// shares are the columns' parts of a table's width, by Width: equal parts
// if all are 0 or any is negative.
func shares(cols []Column) []float64 {
	total := 0.0
	for _, c := range cols {
		if c.Width < 0 {
			total = 0
			break
		}
		total += c.Width
	}
	s := make([]float64, len(cols))
	for i, c := range cols {
		s[i] = 1 / float64(len(cols))
		if total > 0 {
			s[i] = c.Width / total
		}
	}
	return s
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
