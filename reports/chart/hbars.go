package chart

import (
	"math"

	"github.com/go-analyze/charts/chartdraw/drawing"
)

// HBars is a grouped horizontal bar chart: one row per category, named in
// full on the left (wrapped to two lines, shrunk if needed), one bar per
// series, value labels at the bars' ends, a legend when there is more than
// one series and an optional dashed reference line. It suits long names —
// the indicators of a score — that a vertical chart can only number.
type HBars struct {
	Categories []string
	Series     []Series
	XLabel     string
	XMax       float64 // 0: auto
	Label      Format
	Ref        *Ref
}

func (b HBars) draw(c *canvas) error {
	if err := checkSeries("hbars", b.Categories, b.Series); err != nil {
		return err
	}
	format := formatOr(b.Label)
	vals := seriesValues(b.Series)
	lo, hi := dataRange(vals...)
	sc := autoScale(lo, hi, b.Ref, 0, b.XMax)
	top := float64(pad)
	if items := barLegend(b.Series); items != nil {
		top += c.legend(items, pad, pad, c.w-2*pad) + 4
	}
	if b.Ref != nil && b.Ref.Label != "" {
		top += refSize * 1.8 // the reference's label, above the bars
	}
	// Category names: at most 40 % of the width, two lines, shrunk to fit.
	labelW := c.w * 0.4
	fit := c.fit(b.Categories, labelW-8, 2, catSize, minSize)
	used := 0.0
	for _, ls := range fit.lines {
		used = math.Max(used, c.widest(ls, fit.size))
	}
	x0 := pad + used + 8
	x1 := c.w - pad - 24 // room for the last value label
	bottom := c.h - pad - tickSize*2
	if b.XLabel != "" {
		bottom -= tickSize * 1.4
	}
	n := len(b.Categories)
	band := (bottom - top) / float64(n)
	ns := float64(max(1, len(b.Series)))
	barH := math.Min(band*0.8/ns, 14)
	xOf := func(v float64) float64 { return x0 + (x1-x0)*(v-sc.lo)/(sc.hi-sc.lo) }
	// Grid and ticks.
	for _, t := range sc.ticks() {
		x := xOf(t)
		c.line(x, top, x, bottom, gridColor, 0.5, nil)
		c.text(format(t), x, bottom+tickSize*1.3, tickSize, textColor, alignCenter)
	}
	if b.XLabel != "" {
		c.text(b.XLabel, (x0+x1)/2, bottom+tickSize*2.8, tickSize, textColor, alignCenter)
	}
	for ci := range b.Categories {
		cy := top + band*(float64(ci)+0.5)
		ls := fit.lines[ci]
		c.lines(ls, x0-6, cy-blockHeight(len(ls), fit.size)/2+fit.size*capHeight, fit.size, textColor, alignRight)
		group := barH * ns
		for si, s := range b.Series {
			y := cy - group/2 + float64(si)*barH
			v := s.Values[ci]
			text := s.label(ci, format)
			end := x0
			if finite(v) {
				end = xOf(math.Min(math.Max(v, sc.lo), sc.hi))
				if v != 0 {
					barStyle(si)(c, math.Min(x0, end), y+0.5, math.Abs(end-x0), barH-1)
				}
			}
			if text != "" {
				size := math.Min(valueSize, barH*0.9)
				c.text(text, end+2, y+barH/2+size*capHeight/2, size, textColor, alignLeft)
			}
		}
	}
	c.line(x0, top, x0, bottom, axisColor, 0.8, nil)
	c.line(x0, bottom, x1, bottom, axisColor, 0.8, nil)
	if b.Ref != nil && finite(b.Ref.Value) {
		x := xOf(b.Ref.Value)
		c.line(x, top, x, bottom, textColor, 1, []float64{4, 3})
		if b.Ref.Label != "" {
			c.labelBox([]string{b.Ref.Label}, x, top-refSize*1.6, refSize, textColor, alignCenter)
		}
	}
	return nil
}

// labelBox draws text with a white background so it stays readable over
// grid lines.
func (c *canvas) labelBox(ls []string, x, yTop, size float64, col drawing.Color, a align) {
	w := c.widest(ls, size)
	bx := x
	switch a {
	case alignCenter:
		bx -= w / 2
	case alignRight:
		bx -= w
	}
	c.rect(bx-1.5, yTop-1, w+3, blockHeight(len(ls), size)+2, white, none, 0)
	c.lines(ls, x, yTop+size*capHeight, size, col, a)
}
