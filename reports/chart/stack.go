package chart

import (
	"fmt"
	"math"
)

// Stack is a 100% stacked horizontal bar chart: one bar per category, split
// into the series' shares of the category's total, each part labelled with
// its count (formatted with Label) where it fits, a legend of the series and
// an axis of shares (formatted with Axis). A category with a Note draws no
// bar but the note at the axis: a group too small for shares ("7/9 đủ điều
// kiện"), or one with nobody in it ("–").
//
// chartdraw has a StackedBarChart (bars normalised to 100%), but it draws a
// chart of its own on its own renderer, with whole-pixel boxes, no legend
// and labels it cannot move off a part too thin for them; this draws on the
// package's canvas, over the same Renderer primitives, like every other kind.
type Stack struct {
	Categories []string
	Series     []Series // counts, one value per category
	Notes      []string // per category: drawn instead of its bar when not ""
	Label      Format   // the parts' labels
	Axis       Format   // the shares' ticks
}

func (s Stack) draw(c *canvas) error {
	if err := checkSeries("stack", s.Categories, s.Series); err != nil {
		return err
	}
	if len(s.Notes) > 0 && len(s.Notes) != len(s.Categories) {
		return fmt.Errorf("chart: stack: %d notes for %d categories", len(s.Notes), len(s.Categories))
	}
	label, axis := formatOr(s.Label), formatOr(s.Axis)
	top := float64(pad)
	items := make([]legendItem, 0, len(s.Series))
	for i, se := range s.Series {
		items = append(items, legendItem{name: se.Name, swatch: barStyle(i)})
	}
	top += c.legend(items, pad, pad, c.w-2*pad) + 6
	fit := c.fit(s.Categories, c.w*0.3-8, 2, catSize, minSize)
	used := 0.0
	for _, ls := range fit.lines {
		used = math.Max(used, c.widest(ls, fit.size))
	}
	x0, x1 := pad+used+8, c.w-pad-8
	bottom := c.h - pad - tickSize*2
	band := (bottom - top) / float64(len(s.Categories))
	barH := math.Min(band*0.7, 22)
	xOf := func(v float64) float64 { return x0 + (x1-x0)*v }
	for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
		x := xOf(t)
		c.line(x, top, x, bottom, gridColor, 0.5, nil)
		c.text(axis(t), x, bottom+tickSize*1.3, tickSize, textColor, alignCenter)
	}
	for ci := range s.Categories {
		cy := top + band*(float64(ci)+0.5)
		ls := fit.lines[ci]
		c.lines(ls, x0-6, cy-blockHeight(len(ls), fit.size)/2+fit.size*capHeight, fit.size, textColor, alignRight)
		y := cy - barH/2
		if ci < len(s.Notes) && s.Notes[ci] != "" {
			c.text(s.Notes[ci], x0+4, cy+valueSize*capHeight/2, valueSize, textColor, alignLeft)
			continue
		}
		total := 0.0
		for _, se := range s.Series {
			if v := se.Values[ci]; finite(v) && v > 0 {
				total += v
			}
		}
		if total <= 0 {
			continue
		}
		at := 0.0
		for si, se := range s.Series {
			v := se.Values[ci]
			if !finite(v) || v <= 0 {
				continue
			}
			a, b := xOf(at/total), xOf((at+v)/total)
			barStyle(si)(c, a, y, b-a, barH)
			if text := label(v); c.measure(text, valueSize)+6 <= b-a {
				switch base := si % (2 * len(barFills)) % len(barFills); {
				case si >= len(barFills) || base >= 3: // hatched: on a white box
					c.labelBox([]string{text}, (a+b)/2, cy-valueSize*capHeight/2-1, valueSize, textColor, alignCenter)
				case base == 0:
					c.text(text, (a+b)/2, cy+valueSize*capHeight/2, valueSize, white, alignCenter)
				default:
					c.text(text, (a+b)/2, cy+valueSize*capHeight/2, valueSize, textColor, alignCenter)
				}
			}
			at += v
		}
	}
	c.line(x0, top, x0, bottom, axisColor, 0.8, nil)
	c.line(x0, bottom, x1, bottom, axisColor, 0.8, nil)
	return nil
}
