package chart

import (
	"math"
)

// Layout constants in points.
const (
	pad       = 6   // outer margin
	tickSize  = 7.5 // tick label font size
	axisSize  = 8   // axis name font size
	catSize   = 8   // category label font size (largest)
	minSize   = 5.5 // smallest font size used when shrinking labels
	refSize   = 7   // reference line label font size
	refMaxW   = 72  // reference label wrap width
	valueSize = 7   // value label font size (largest)
)

// Ref is a horizontal reference line (e.g. an 80 % target), drawn dashed
// and labelled at the right of the plot.
type Ref struct {
	Value float64
	Label string
}

// catAxes describes a chart with categories along X and values along Y.
type catAxes struct {
	cats   []string
	ylabel string
	sc     scale
	format Format
	ref    *Ref
	legend []legendItem
	topPad float64 // room above the plot (value labels)
}

// catPlot is the laid-out plot area of a catAxes.
type catPlot struct {
	x0, x1, y0, y1 float64 // plot area; y0 top
	band           float64 // width of one category
	sc             scale
	every          int // label every n-th category
	xl             fitted
	yl             fitted
	refLines       []string
}

func (p catPlot) y(v float64) float64 {
	return p.y1 - (v-p.sc.lo)/(p.sc.hi-p.sc.lo)*(p.y1-p.y0)
}

func (p catPlot) cx(i int) float64 { return p.x0 + (float64(i)+0.5)*p.band }

// base is the y of the value axis origin (0, or the nearest bound).
func (p catPlot) base() float64 {
	return p.y(math.Min(math.Max(0, p.sc.lo), p.sc.hi))
}

func (a catAxes) layout(c *canvas) catPlot {
	p := catPlot{sc: a.sc, every: 1}
	top := float64(pad)
	if len(a.legend) > 0 {
		top += c.legend(a.legend, pad, pad, c.w-2*pad) + 4
	}
	right := float64(pad)
	if a.ref != nil && clean(a.ref.Label) != "" {
		p.refLines = c.wrap(a.ref.Label, refSize, refMaxW)
		right += c.widest(p.refLines, refSize) + 4
	}
	tw := 0.0
	for _, t := range a.sc.ticks() {
		tw = math.Max(tw, c.measure(a.format(t), tickSize))
	}
	left := pad + tw + 4
	if clean(a.ylabel) != "" {
		// The axis name reads upwards along the plot's height.
		p.yl = c.fit([]string{a.ylabel}, c.h*0.7, 2, axisSize, 6.5)
		left += float64(p.yl.maxLines())*lineHeight(p.yl.size) + 2
	}
	p.x0, p.x1 = left, c.w-right
	n := len(a.cats)
	p.band = (p.x1 - p.x0) / float64(n)
	p.xl = c.fit(a.cats, p.band-3, 3, catSize, 6)
	if !p.xl.ok {
		// Too many categories: label every k-th one, on one line.
		for k := 2; k <= n; k++ {
			var sub []string
			for i := 0; i < n; i += k {
				sub = append(sub, a.cats[i])
			}
			f := c.fit(sub, float64(k)*p.band-4, 2, 7, 6)
			if f.ok || k == n {
				p.every, p.xl = k, f
				break
			}
		}
	}
	bottom := pad + 4 + blockHeight(p.xl.maxLines(), p.xl.size)
	p.y0 = top + a.topPad
	p.y1 = c.h - bottom
	if p.y1-p.y0 < 20 {
		p.y0 = math.Max(top, p.y1-20)
	}
	return p
}

// drawAxes draws grid lines, tick labels, the axis name and category
// labels (before the data).
func (a catAxes) drawAxes(c *canvas, p catPlot) {
	for _, t := range p.sc.ticks() {
		y := p.y(t)
		c.line(p.x0, y, p.x1, y, gridColor, 0.5, nil)
		c.text(a.format(t), p.x0-4, y+tickSize*capHeight/2, tickSize, textColor, alignRight)
	}
	if len(p.yl.lines) > 0 {
		ls := p.yl.lines[0]
		for i, l := range ls {
			x := pad + p.yl.size*0.78 + float64(i)*lineHeight(p.yl.size)
			c.textUp(l, x, (p.y0+p.y1)/2, p.yl.size, textColor)
		}
	}
	li := 0
	for i := 0; i < len(a.cats); i += p.every {
		if li < len(p.xl.lines) {
			c.lines(p.xl.lines[li], p.cx(i), p.y1+4+p.xl.size*capHeight, p.xl.size, textColor, alignCenter)
		}
		li++
	}
}

// drawFrame draws the value axis origin line and the reference line
// (after the data).
func (a catAxes) drawFrame(c *canvas, p catPlot) {
	c.line(p.x0, p.base(), p.x1, p.base(), axisColor, 0.8, nil)
	if a.ref == nil || !finite(a.ref.Value) || a.ref.Value < p.sc.lo || a.ref.Value > p.sc.hi {
		return
	}
	y := p.y(a.ref.Value)
	c.line(p.x0, y, p.x1, y, refColor, 1.1, dashRef)
	if len(p.refLines) > 0 {
		h := blockHeight(len(p.refLines), refSize)
		yTop := math.Max(1, math.Min(y-h/2, c.h-h-1))
		c.lines(p.refLines, p.x1+4, yTop+refSize*capHeight, refSize, refColor, alignLeft)
	}
}

// autoScale returns the value axis for data (NaN ignored), including zero
// and the reference value, or the caller's bounds when set.
func autoScale(lo, hi float64, ref *Ref, min, max float64) scale {
	if ref != nil && finite(ref.Value) {
		lo, hi = math.Min(nanTo(lo, ref.Value), ref.Value), math.Max(nanTo(hi, ref.Value), ref.Value)
	}
	lo, hi = nanTo(lo, 0), nanTo(hi, 0)
	if lo > 0 {
		lo = 0
	}
	if hi < 0 {
		hi = 0
	}
	fixedLo, fixedHi := false, false
	if min != 0 || max != 0 {
		if finite(min) && (min != 0 || max > 0) {
			lo, fixedLo = min, true
		}
		if finite(max) && max > lo {
			hi, fixedHi = max, true
		}
	}
	return newScale(lo, hi, fixedLo, fixedHi)
}

func nanTo(v, def float64) float64 {
	if math.IsNaN(v) {
		return def
	}
	return v
}
