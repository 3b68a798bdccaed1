package chart

import (
	"fmt"
	"math"
)

// Series is one named row of values, one per category.
type Series struct {
	Name   string
	Values []float64 // one per category; math.NaN() = no value (a gap, no bar)
	Dashed bool      // lines: draw dashed (a target path, a projection)
	// Labels, if set, are the bars' value labels, one per category, in
	// place of the chart's Label format ("" keeps it). A NaN value with a
	// label draws no bar but its label at the axis: a group too small for a
	// rate shown as "1/2", a group with nobody in it as "–".
	Labels []string
}

// label is the value label of value ci of s.
func (s Series) label(ci int, format Format) string {
	if ci < len(s.Labels) && s.Labels[ci] != "" {
		return s.Labels[ci]
	}
	if !finite(s.Values[ci]) {
		return ""
	}
	return format(s.Values[ci])
}

// Bars is a grouped vertical bar chart: one group per category, one bar
// per series, a legend when there is more than one series, value labels on
// the bars (formatted with Label) and an optional dashed reference line.
// A NaN or zero value draws no bar (zero is still labelled).
type Bars struct {
	Categories []string
	Series     []Series
	YLabel     string
	YMax       float64 // 0: auto (nice rounded max)
	Label      Format  // value labels and Y ticks
	Ref        *Ref
	// Bands are value ranges behind the bars, shaded in turn, each from a
	// dashed line: grade bands, named in the caption.
	Bands []Band
}

// Band is a range of values [From, To) shaded behind a chart.
type Band struct {
	From, To float64
}

// maxBarW is the widest a bar gets, in points.
const maxBarW = 40

// barStyle draws the bar (or legend swatch) of series i: five fills
// (navy, orange, light grey-blue, grey hatched, white hatched); series 5–9
// repeat them with a wide hatch in a contrasting colour.
func barStyle(i int) func(c *canvas, x, y, w, h float64) {
	k := i % (2 * len(barFills))
	base := k % len(barFills)
	fill := barFills[base]
	return func(c *canvas, x, y, w, h float64) {
		c.rect(x, y, w, h, fill, none, 0)
		hc, gap := navy, 3.0
		if base == 0 || base == 3 {
			hc = white
		}
		switch {
		case k >= len(barFills):
			c.hatch(x, y, w, h, hc, 0.9, 5)
		case base >= 3:
			c.hatch(x, y, w, h, hc, 0.6, gap)
		}
		c.rect(x, y, w, h, none, axisColor, 0.4)
	}
}

func checkSeries(kind string, cats []string, series []Series) error {
	if len(cats) == 0 {
		return fmt.Errorf("chart: %s: no categories", kind)
	}
	for _, s := range series {
		if len(s.Values) != len(cats) {
			return fmt.Errorf("chart: %s: series %q has %d values for %d categories", kind, s.Name, len(s.Values), len(cats))
		}
	}
	return nil
}

func (b Bars) draw(c *canvas) error {
	if err := checkSeries("bars", b.Categories, b.Series); err != nil {
		return err
	}
	format := formatOr(b.Label)
	vals := seriesValues(b.Series)
	lo, hi := dataRange(vals...)
	a := catAxes{
		cats:   b.Categories,
		ylabel: b.YLabel,
		sc:     autoScale(lo, hi, b.Ref, 0, b.YMax),
		format: format,
		ref:    b.Ref,
	}
	if allIntegers(vals...) && b.YMax == 0 && (b.Ref == nil || b.Ref.Value == math.Trunc(b.Ref.Value)) && finite(hi) && hi >= 1 {
		a.sc = a.sc.integral()
	}
	a.legend = barLegend(b.Series)

	// Value labels: horizontal if they fit over their bars at a readable
	// size, otherwise reading upwards.
	n := max(1, len(b.Series))
	labelSize, vertical := float64(valueSize), false
	widest := func(size float64) float64 {
		w := 0.0
		for _, s := range b.Series {
			for ci := range s.Values {
				w = math.Max(w, c.measure(s.label(ci, format), size))
			}
		}
		return w
	}
	a.topPad = labelSize + 2
	p := a.layout(c)
	// A group takes 80 % of its category, a bar at most maxBarW.
	groupW := func() float64 { return math.Min(p.band*0.8, float64(n)*maxBarW) }
	barW := groupW() / float64(n)
	for labelSize > 6 && widest(labelSize) > barW+1.5 {
		labelSize -= 0.5
	}
	if widest(labelSize) > barW+1.5 {
		labelSize, vertical = 6.5, true
		a.topPad = widest(labelSize) + 3
		p = a.layout(c)
		barW = groupW() / float64(n)
	}

	a.drawAxes(c, p)
	for i, bd := range b.Bands {
		lo, hi := math.Max(bd.From, p.sc.lo), math.Min(bd.To, p.sc.hi)
		if !(hi > lo) {
			continue
		}
		if i%2 == 0 {
			c.rect(p.x0, p.y(hi), p.x1-p.x0, p.y(lo)-p.y(hi), bandColor, none, 0)
		}
		c.line(p.x0, p.y(lo), p.x1, p.y(lo), axisColor, 0.5, []float64{2, 2})
	}
	type label struct {
		text string
		x, y float64
		neg  bool
	}
	var labels []label
	base := p.base()
	for si, s := range b.Series {
		style := barStyle(si)
		for ci, v := range s.Values {
			x := p.cx(ci) - groupW()/2 + float64(si)*barW
			if !finite(v) {
				if text := s.label(ci, format); text != "" {
					labels = append(labels, label{text, x + barW/2, base, false})
				}
				continue
			}
			y := p.y(math.Min(math.Max(v, p.sc.lo), p.sc.hi))
			gap := math.Min(1, barW*0.1)
			if v != 0 {
				style(c, x+gap/2, math.Min(y, base), barW-gap, math.Abs(base-y))
			}
			labels = append(labels, label{s.label(ci, format), x + barW/2, y, v < 0})
		}
	}
	a.drawFrame(c, p)
	// Labels last, on a white ground so that grid and reference lines do
	// not cross them.
	capH := labelSize * capHeight
	for _, l := range labels {
		w := c.measure(l.text, labelSize)
		if vertical {
			bx, by := l.x+capH/2, l.y-2 // baseline x, start of the text
			if l.neg {
				by = l.y + 2 + w
			}
			c.rect(bx-capH-1, by-w-1, capH+2, w+2, white, none, 0)
			c.textUpAt(l.text, bx, by, labelSize, textColor)
			continue
		}
		by := l.y - 2
		if l.neg {
			by = l.y + 2 + capH
		}
		c.rect(l.x-w/2-1, by-capH-1, w+2, capH+2, white, none, 0)
		c.text(l.text, l.x, by, labelSize, textColor, alignCenter)
	}
	return nil
}
