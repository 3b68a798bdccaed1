package chart

import (
	"errors"
	"fmt"
	"math"

	"github.com/go-analyze/charts/chartdraw/drawing"
)

// Histogram counts Values in bins [Min, Min+Width), [Min+Width,
// Min+2·Width), … up to Max (Max is included in the last bin, which ends at
// Max); values outside [Min, Max] and NaN are not counted. A vertical
// threshold line is drawn at Threshold with ThresholdLabel above it (no
// line when Threshold is outside [Min, Max], or is 0 with no label); bins
// starting at or above the threshold are drawn dark, those below light.
// Each non-empty bin is labelled with its count. Weights, when set, says how
// many times each value counts (one weight per value): a distribution read
// already counted, as a month's totals with their people.
type Histogram struct {
	Values          []float64
	Weights         []int64
	Min, Max, Width float64
	Threshold       float64
	ThresholdLabel  string
	XLabel, YLabel  string
	Label           Format // counts and Y ticks; nil: integers
	// AboveLabel and BelowLabel, when either is set, add a legend for the
	// dark (at or above the threshold) and light bins.
	AboveLabel, BelowLabel string
}

var (
	histAbove     = navy
	histBelow     = lightBlue
	thresholdLine = darkRed
)

func histSwatch(fill drawing.Color) func(c *canvas, x, y, w, h float64) {
	return func(c *canvas, x, y, w, h float64) {
		c.rect(x, y, w, h, fill, none, 0)
		c.rect(x, y, w, h, none, axisColor, 0.4)
	}
}

// bins returns the bin edges and counts.
func (h Histogram) bins() (edges []float64, counts []int) {
	n := int(math.Ceil((h.Max-h.Min)/h.Width - 1e-9))
	n = max(n, 1)
	for i := 0; i < n; i++ {
		edges = append(edges, h.Min+float64(i)*h.Width)
	}
	edges = append(edges, h.Max)
	counts = make([]int, n)
	for k, v := range h.Values {
		if !finite(v) || v < h.Min || v > h.Max {
			continue
		}
		i := int(math.Floor((v - h.Min) / h.Width))
		i = min(max(i, 0), n-1)
		if h.Weights != nil {
			counts[i] += int(h.Weights[k])
		} else {
			counts[i]++
		}
	}
	return edges, counts
}

func (h Histogram) draw(c *canvas) error {
	if !finite(h.Min) || !finite(h.Max) || !finite(h.Width) || h.Width <= 0 || h.Max <= h.Min {
		return errors.New("chart: histogram: need finite Min < Max and Width > 0")
	}
	if (h.Max-h.Min)/h.Width > 1000 {
		return errors.New("chart: histogram: more than 1000 bins")
	}
	if h.Weights != nil && len(h.Weights) != len(h.Values) {
		return fmt.Errorf("chart: histogram: %d weights for %d values", len(h.Weights), len(h.Values))
	}
	for _, w := range h.Weights {
		if w < 0 {
			return fmt.Errorf("chart: histogram: a negative weight (%d)", w)
		}
	}
	edges, counts := h.bins()
	format := h.Label
	if format == nil {
		format = func(v float64) string { return defaultFormat(math.Round(v)) }
	}
	maxCount := 0
	for _, n := range counts {
		maxCount = max(maxCount, n)
	}
	sc := newScale(0, float64(maxCount), false, false).integral()

	top := float64(pad)
	if h.AboveLabel != "" || h.BelowLabel != "" {
		items := []legendItem{
			{name: h.AboveLabel, swatch: histSwatch(histAbove)},
			{name: h.BelowLabel, swatch: histSwatch(histBelow)},
		}
		top += c.legend(items, pad, pad, c.w-2*pad) + 4
	}
	showThr := finite(h.Threshold) && h.Threshold >= h.Min && h.Threshold <= h.Max &&
		!(h.Threshold == 0 && clean(h.ThresholdLabel) == "")
	var thrLines []string
	if showThr {
		thrLines = c.wrap(h.ThresholdLabel, refSize, c.w*0.45)
		top += blockHeight(len(thrLines), refSize) + 3
	}
	top += valueSize + 2 // counts above the tallest bar

	// Left: Y tick labels and axis name.
	tw := 0.0
	for _, t := range sc.ticks() {
		tw = math.Max(tw, c.measure(format(t), tickSize))
	}
	left := pad + tw + 4
	var yl fitted
	if clean(h.YLabel) != "" {
		yl = c.fit([]string{h.YLabel}, c.h*0.7, 2, axisSize, 6.5)
		left += float64(yl.maxLines())*lineHeight(yl.size) + 2
	}
	// Half of the last tick label may stick out on the right.
	rightM := pad + c.measure(format(h.Max), tickSize)/2
	x0, x1 := left, c.w-rightM
	xv := func(v float64) float64 { return x0 + (v-h.Min)/(h.Max-h.Min)*(x1-x0) }

	// Bottom: X tick labels at bin edges (every k-th if crowded) and name.
	ew := 0.0
	for _, e := range edges {
		ew = math.Max(ew, c.measure(format(e), tickSize))
	}
	every := 1
	binW := (x1 - x0) * h.Width / (h.Max - h.Min)
	for float64(every)*binW < ew+4 && every < len(edges) {
		every++
	}
	bottom := pad + 3 + tickSize*(capHeight+descent) + 2
	var xl fitted
	if clean(h.XLabel) != "" {
		xl = c.fit([]string{h.XLabel}, x1-x0, 2, axisSize, 6.5)
		bottom += blockHeight(xl.maxLines(), xl.size) + 3
	}
	y0, y1 := top, c.h-bottom
	if y1-y0 < 20 {
		y0 = math.Max(pad, y1-20)
	}
	yv := func(v float64) float64 { return y1 - (v-sc.lo)/(sc.hi-sc.lo)*(y1-y0) }

	// Axes.
	for _, t := range sc.ticks() {
		y := yv(t)
		c.line(x0, y, x1, y, gridColor, 0.5, nil)
		c.text(format(t), x0-4, y+tickSize*capHeight/2, tickSize, textColor, alignRight)
	}
	if len(yl.lines) > 0 {
		for i, l := range yl.lines[0] {
			c.textUp(l, pad+yl.size*0.78+float64(i)*lineHeight(yl.size), (y0+y1)/2, yl.size, textColor)
		}
	}
	for i := 0; i < len(edges); i += every {
		x := xv(edges[i])
		c.line(x, y1, x, y1+3, axisColor, 0.6, nil)
		c.text(format(edges[i]), x, y1+3+tickSize*capHeight+1, tickSize, textColor, alignCenter)
	}
	if len(xl.lines) > 0 {
		c.lines(xl.lines[0], (x0+x1)/2, c.h-pad-blockHeight(xl.maxLines(), xl.size)+xl.size*capHeight, xl.size, textColor, alignCenter)
	}

	// Bars and counts.
	for i, n := range counts {
		if n == 0 {
			continue
		}
		bx0, bx1 := xv(edges[i]), xv(edges[i+1])
		fill := histBelow
		if showThr && edges[i] >= h.Threshold-h.Width*1e-9 {
			fill = histAbove
		}
		gap := math.Min(1, (bx1-bx0)*0.1)
		y := yv(float64(n))
		histSwatch(fill)(c, bx0+gap/2, y, bx1-bx0-gap, y1-y)
		size := float64(valueSize)
		label := format(float64(n))
		for size > minSize && c.measure(label, size) > bx1-bx0+2 {
			size -= 0.5
		}
		c.text(label, (bx0+bx1)/2, y-2, size, textColor, alignCenter)
	}
	c.line(x0, y1, x1, y1, axisColor, 0.8, nil)

	// Threshold line and label.
	if showThr {
		x := xv(h.Threshold)
		lt := float64(pad)
		if h.AboveLabel != "" || h.BelowLabel != "" {
			lt = top - valueSize - 2 - blockHeight(len(thrLines), refSize) - 3
		}
		c.line(x, lt, x, y1, thresholdLine, 1.5, nil)
		if len(thrLines) > 0 {
			w := c.widest(thrLines, refSize)
			if x+3+w <= c.w-pad {
				c.lines(thrLines, x+3, lt+refSize*capHeight, refSize, thresholdLine, alignLeft)
			} else {
				c.lines(thrLines, x-3, lt+refSize*capHeight, refSize, thresholdLine, alignRight)
			}
		}
	}
	return nil
}
