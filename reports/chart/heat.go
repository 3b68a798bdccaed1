package chart

import (
	"fmt"
	"math"

	"github.com/go-analyze/charts/chartdraw/drawing"
)

// Heat is a table of shaded cells (rows = wards, cols = months), each cell a
// share 0–1 (clamped), shaded darker for higher values with white text on
// dark cells; NaN means nothing was expected and is drawn blank with a light
// hatch. Cell text comes from Text when given and non-empty, otherwise from
// Label(value). Row labels are at the left, column labels on top, and a
// small legend of the scale (Label(0), Label(0.5), Label(1)) below.
type Heat struct {
	Rows, Cols []string
	Values     [][]float64 // [row][col]
	Text       [][]string  // optional; same shape
	Label      Format      // cell text and legend; nil: percent "81%"
	// NALabel, when set, adds a hatched swatch with this text (what a NaN
	// cell means) to the legend.
	NALabel string
}

var (
	heatLow  = drawing.ColorFromHex("f1f4f8")
	heatHigh = navy
	naHatch  = drawing.ColorFromHex("c8c8c8")
)

// maxCellH is the tallest a cell gets (in points); a taller chart leaves
// room below.
const maxCellH = 28

// shade returns the cell colour for v in [0, 1].
func shade(v float64) drawing.Color {
	v = math.Min(math.Max(v, 0), 1)
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*v)) }
	return drawing.Color{R: mix(heatLow.R, heatHigh.R), G: mix(heatLow.G, heatHigh.G), B: mix(heatLow.B, heatHigh.B), A: 255}
}

// darkCell reports whether white text is needed on shade(v).
func darkCell(v float64) bool { return v >= 0.5 }

func percentFormat(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }

func (h Heat) check() error {
	if len(h.Rows) == 0 || len(h.Cols) == 0 {
		return fmt.Errorf("chart: heat: need rows and columns (have %d×%d)", len(h.Rows), len(h.Cols))
	}
	if len(h.Values) != len(h.Rows) {
		return fmt.Errorf("chart: heat: %d value rows for %d rows", len(h.Values), len(h.Rows))
	}
	for i, r := range h.Values {
		if len(r) != len(h.Cols) {
			return fmt.Errorf("chart: heat: row %q has %d values for %d columns", h.Rows[i], len(r), len(h.Cols))
		}
	}
	if h.Text != nil {
		if len(h.Text) != len(h.Rows) {
			return fmt.Errorf("chart: heat: %d text rows for %d rows", len(h.Text), len(h.Rows))
		}
		for i, r := range h.Text {
			if len(r) != len(h.Cols) {
				return fmt.Errorf("chart: heat: row %q has %d texts for %d columns", h.Rows[i], len(r), len(h.Cols))
			}
		}
	}
	return nil
}

func (h Heat) draw(c *canvas) error {
	if err := h.check(); err != nil {
		return err
	}
	format := h.Label
	if format == nil {
		format = percentFormat
	}
	legendH := 22.0 // swatches and their labels

	// Row labels.
	rf := c.fit(h.Rows, c.w*0.3, 2, 7.5, 6)
	rw := 0.0
	for _, ls := range rf.lines {
		rw = math.Max(rw, c.widest(ls, rf.size))
	}
	x0 := pad + rw + 6
	cellW := math.Min(60, (c.w-pad-x0)/float64(len(h.Cols)))
	// Column labels: wrapped to the cell width.
	cf := c.fit(h.Cols, cellW-2, 2, 7, minSize)
	headH := blockHeight(cf.maxLines(), cf.size) + 4
	y0 := pad + headH
	cellH := math.Min(maxCellH, (c.h-y0-pad-legendH-4)/float64(len(h.Rows)))
	if cellH < 6 {
		// No room for the legend: the cells come first.
		legendH = 0
		cellH = math.Min(maxCellH, (c.h-y0-pad)/float64(len(h.Rows)))
	}
	if cellH < 2 {
		return fmt.Errorf("chart: heat: %d rows do not fit in %g pt", len(h.Rows), c.h)
	}
	rowLines := rf.maxLines()
	if cellH < blockHeight(rowLines, rf.size)+1 {
		// Rows too short for wrapped labels: one line, smaller.
		rf = c.fit(h.Rows, c.w*0.3, 1, math.Min(7.5, cellH*0.8), math.Min(minSize, cellH*0.8))
	}

	// Column labels, centred over their cells, bottom-aligned.
	for j := range h.Cols {
		ls := cf.lines[j]
		cx := x0 + (float64(j)+0.5)*cellW
		ty := y0 - 3 - blockHeight(len(ls), cf.size) + cf.size*capHeight
		c.lines(ls, cx, ty, cf.size, textColor, alignCenter)
	}

	// Cells: the text size fits the narrowest need.
	text := func(i, j int) string {
		if h.Text != nil && h.Text[i][j] != "" {
			return h.Text[i][j]
		}
		if v := h.Values[i][j]; finite(v) {
			return format(v)
		}
		return ""
	}
	ts := math.Min(8, cellH*0.6)
	for i := range h.Rows {
		for j := range h.Cols {
			for ts > 4.5 && c.measure(text(i, j), ts) > cellW-3 {
				ts -= 0.5
			}
		}
	}
	for i := range h.Rows {
		y := y0 + float64(i)*cellH
		ls := rf.lines[i]
		ty := y + cellH/2 - capBlock(len(ls), rf.size)/2 + rf.size*capHeight
		c.lines(ls, pad, ty, rf.size, textColor, alignLeft)
		for j := range h.Cols {
			x := x0 + float64(j)*cellW
			v := h.Values[i][j]
			col := textColor
			if finite(v) {
				c.rect(x, y, cellW, cellH, shade(v), none, 0)
				if darkCell(v) {
					col = white
				}
			} else {
				c.hatch(x, y, cellW, cellH, naHatch, 0.5, 3.5)
			}
			if t := text(i, j); t != "" {
				if !finite(v) {
					// Keep text readable over the hatch.
					w := c.measure(t, ts)
					c.rect(x+cellW/2-w/2-1, y+cellH/2-ts*0.5, w+2, ts, white, none, 0)
				}
				c.text(t, x+cellW/2, y+cellH/2+ts*capHeight/2, ts, col, alignCenter)
			}
		}
	}
	// White grid between cells.
	yEnd := y0 + cellH*float64(len(h.Rows))
	xEnd := x0 + cellW*float64(len(h.Cols))
	for j := 0; j <= len(h.Cols); j++ {
		x := x0 + float64(j)*cellW
		c.line(x, y0, x, yEnd, white, 1, nil)
	}
	for i := 0; i <= len(h.Rows); i++ {
		y := y0 + float64(i)*cellH
		c.line(x0, y, xEnd, y, white, 1, nil)
	}
	c.rect(x0, y0, xEnd-x0, yEnd-y0, none, gridColor, 0.5)

	// Legend: five steps from 0 to 1, labelled at 0, 0.5 and 1.
	if legendH == 0 {
		return nil
	}
	ly := yEnd + 6
	sw, sh := 18.0, 8.0
	for k := 0; k < 5; k++ {
		v := float64(k) / 4
		c.rect(x0+float64(k)*sw, ly, sw, sh, shade(v), none, 0)
	}
	c.rect(x0, ly, 5*sw, sh, none, axisColor, 0.4)
	for _, v := range []float64{0, 0.5, 1} {
		c.text(format(v), x0+sw/2+v*4*sw, ly+sh+2+6.5*capHeight, 6.5, textColor, alignCenter)
	}
	if clean(h.NALabel) != "" {
		nx := x0 + 5*sw + 20
		c.hatch(nx, ly, sw, sh, naHatch, 0.5, 3)
		c.rect(nx, ly, sw, sh, none, axisColor, 0.4)
		c.text(h.NALabel, nx+sw+4, ly+sh/2+6.5*capHeight/2, 6.5, textColor, alignLeft)
	}
	return nil
}
