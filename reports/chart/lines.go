package chart

import "math"

// Lines draws one line per series over the categories (e.g. months
// "11/2020"…), with a marker at every value (a different marker shape per
// series), dashed series dashed with hollow markers, gaps at NaN values, an
// optional dashed reference line and a legend when there is more than one
// series. When the category labels do not fit, every k-th is shown.
type Lines struct {
	Categories []string
	Series     []Series
	YLabel     string
	YMin, YMax float64 // both 0: auto (from 0, or below if negative, to a nice max)
	Label      Format  // Y ticks
	Ref        *Ref
}

const (
	lineWidth  = 1.6
	markerSize = 2.6
)

// lineStyle draws a line sample with marker for the legend.
func lineStyle(i int, dashed bool) func(c *canvas, x, y, w, h float64) {
	return func(c *canvas, x, y, w, h float64) {
		col := lineColors[i%len(lineColors)]
		var d []float64
		if dashed {
			d = dashLine
		}
		c.line(x, y+h/2, x+w, y+h/2, col, lineWidth, d)
		drawMarker(c, i, dashed, x+w/2, y+h/2)
	}
}

func drawMarker(c *canvas, i int, dashed bool, x, y float64) {
	col := lineColors[i%len(lineColors)]
	fill := col
	if dashed {
		fill = white
	}
	c.marker(i, x, y, markerSize, fill, col, 1)
}

func (l Lines) draw(c *canvas) error {
	if err := checkSeries("lines", l.Categories, l.Series); err != nil {
		return err
	}
	vals := seriesValues(l.Series)
	lo, hi := dataRange(vals...)
	a := catAxes{
		cats:   l.Categories,
		ylabel: l.YLabel,
		sc:     autoScale(lo, hi, l.Ref, l.YMin, l.YMax),
		format: formatOr(l.Label),
		ref:    l.Ref,
		topPad: markerSize + 2,
	}
	if allIntegers(vals...) && l.YMin == 0 && l.YMax == 0 && (l.Ref == nil || l.Ref.Value == math.Trunc(l.Ref.Value)) && finite(hi) && hi >= 1 {
		a.sc = a.sc.integral()
	}
	if len(l.Series) > 1 {
		for i, s := range l.Series {
			a.legend = append(a.legend, legendItem{name: s.Name, swatch: lineStyle(i, s.Dashed)})
		}
	}
	p := a.layout(c)
	a.drawAxes(c, p)
	a.drawFrame(c, p)
	inRange := func(v float64) bool { return finite(v) && v >= p.sc.lo && v <= p.sc.hi }
	for si, s := range l.Series {
		col := lineColors[si%len(lineColors)]
		var d []float64
		if s.Dashed {
			d = dashLine
		}
		// Runs of consecutive values, broken at NaN (or out of range).
		var run []point
		flush := func() {
			if len(run) > 1 {
				c.path(run, false, none, col, lineWidth, d)
			}
			run = run[:0]
		}
		for ci, v := range s.Values {
			if !inRange(v) {
				flush()
				continue
			}
			run = append(run, point{p.cx(ci), p.y(v)})
		}
		flush()
	}
	for si, s := range l.Series {
		for ci, v := range s.Values {
			if inRange(v) {
				drawMarker(c, si, s.Dashed, p.cx(ci), p.y(v))
			}
		}
	}
	return nil
}
