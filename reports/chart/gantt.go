package chart

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/go-analyze/charts/chartdraw/drawing"
)

// Gantt is the pilot timeline: one row per phase or milestone, each row's
// label at the left, month ticks with labels along the top, phases as
// horizontal bars between Start and End, milestones as diamonds at their
// due day, and a dashed vertical "today" line labelled below the rows
// (none when Today is zero or outside [Start, End]). Times are instants:
// a bar spans exactly [Row.Start, Row.End], clipped to the chart's range.
//
// The Status of a row sets its look: "done" filled dark; "late" (overdue)
// hatched with a dark red outline and a "!" after it; "due" light;
// "upcoming" very light; "" (a phase) mid orange.
type Gantt struct {
	Start, End time.Time
	Today      time.Time
	TodayLabel string
	Rows       []GanttRow
	MonthLabel func(time.Time) string // tick text; nil: "11/2020"
	// StatusLabels, when set, adds a legend (in the order done, late, due,
	// upcoming, "") for the statuses that have a label and occur in Rows.
	StatusLabels map[string]string
}

// GanttRow is one row of a Gantt chart.
type GanttRow struct {
	Label      string
	Start, End time.Time // a phase; for a milestone Start == End == due day
	Milestone  bool
	Status     string // "done", "late", "due", "upcoming", "" (a phase)
}

type ganttStyle struct {
	fill, stroke drawing.Color
	sw           float64
	hatch        bool
}

var statusOrder = []string{"done", "late", "due", "upcoming", ""}

func statusStyle(status string) ganttStyle {
	switch status {
	case "done":
		return ganttStyle{fill: navy, stroke: navy, sw: 0.6}
	case "late":
		return ganttStyle{fill: white, stroke: darkRed, sw: 1.3, hatch: true}
	case "due":
		return ganttStyle{fill: lightBlue, stroke: navy, sw: 0.6}
	case "upcoming":
		return ganttStyle{fill: paleBlue, stroke: midBlue, sw: 0.6}
	}
	return ganttStyle{fill: orange, stroke: drawing.ColorFromHex("9a5412"), sw: 0.6}
}

func (s ganttStyle) bar(c *canvas, x, y, w, h float64) {
	c.rect(x, y, w, h, s.fill, none, 0)
	if s.hatch {
		c.hatch(x, y, w, h, s.stroke, 0.7, 3)
	}
	c.rect(x, y, w, h, none, s.stroke, s.sw)
}

func (s ganttStyle) diamond(c *canvas, x, y, r float64) {
	c.path([]point{{x, y - r}, {x + r, y}, {x, y + r}, {x - r, y}}, true, s.fill, s.stroke, s.sw, nil)
	if s.hatch {
		c.line(x-r/2, y+r/2, x+r/2, y-r/2, s.stroke, 0.7, nil)
	}
}

func defaultMonthLabel(t time.Time) string { return fmt.Sprintf("%d/%d", t.Month(), t.Year()) }

func (g Gantt) draw(c *canvas) error {
	if g.Start.IsZero() || g.End.IsZero() || !g.End.After(g.Start) {
		return errors.New("chart: gantt: need Start before End")
	}
	if g.End.Sub(g.Start) > 50*366*24*time.Hour {
		return errors.New("chart: gantt: range longer than 50 years")
	}
	monthLabel := g.MonthLabel
	if monthLabel == nil {
		monthLabel = defaultMonthLabel
	}
	const labelSize, monthSize = 7.5, 7

	top := float64(pad)
	if len(g.StatusLabels) > 0 {
		present := map[string]bool{}
		for _, r := range g.Rows {
			present[r.Status] = true
		}
		var items []legendItem
		for _, st := range statusOrder {
			if name := g.StatusLabels[st]; name != "" && present[st] {
				items = append(items, legendItem{name: name, swatch: statusStyle(st).bar})
			}
		}
		if len(items) > 0 {
			top += c.legend(items, pad, pad, c.w-2*pad) + 4
		}
	}
	monthTop := top
	top += blockHeight(1, monthSize) + 4

	showToday := !g.Today.IsZero() && !g.Today.Before(g.Start) && !g.Today.After(g.End)
	bottom := float64(pad)
	if showToday && clean(g.TodayLabel) != "" {
		bottom += blockHeight(1, monthSize) + 4
	}

	// Row labels at the left; rows share the height left.
	n := max(len(g.Rows), 1)
	rowH := math.Min(24, (c.h-top-bottom)/float64(n))
	maxLines := 2
	if rowH < 2*lineHeight(6)+2 {
		maxLines = 1
	}
	var labels []string
	for _, r := range g.Rows {
		labels = append(labels, r.Label)
	}
	size := math.Min(labelSize, rowH*0.7)
	lf := c.fit(labels, c.w*0.35, maxLines, size, math.Min(minSize, size))
	lw := 0.0
	for _, ls := range lf.lines {
		lw = math.Max(lw, c.widest(ls, lf.size))
	}
	x0, x1 := pad+lw+6, c.w-pad-8
	y0 := top
	y1 := y0 + rowH*float64(len(g.Rows))
	span := g.End.Sub(g.Start).Seconds()
	xt := func(t time.Time) float64 {
		return x0 + t.Sub(g.Start).Seconds()/span*(x1-x0)
	}
	clip := func(t time.Time) time.Time {
		if t.Before(g.Start) {
			return g.Start
		}
		if t.After(g.End) {
			return g.End
		}
		return t
	}

	// Row bands and labels.
	for i := range g.Rows {
		ry := y0 + float64(i)*rowH
		if i%2 == 1 {
			c.rect(pad, ry, c.w-2*pad, rowH, bandColor, none, 0)
		}
		ls := lf.lines[i]
		ty := ry + rowH/2 - capBlock(len(ls), lf.size)/2 + lf.size*capHeight
		c.lines(ls, pad, ty, lf.size, textColor, alignLeft)
	}

	// Months: grid lines at month starts, labels centred in each month.
	loc := g.Start.Location()
	first := time.Date(g.Start.Year(), g.Start.Month(), 1, 0, 0, 0, 0, loc)
	var months []time.Time
	for m := first; m.Before(g.End) && len(months) < 1000; m = m.AddDate(0, 1, 0) {
		months = append(months, m)
	}
	mw, lw2 := (x1-x0)/(span/(30.44*86400)), 0.0
	for _, m := range months {
		lw2 = math.Max(lw2, c.measure(monthLabel(m), monthSize))
	}
	every := max(1, int(math.Ceil((lw2+4)/mw)))
	c.line(x0, y0-2, x0, y1, gridColor, 0.5, nil)
	for i, m := range months {
		a, b := clip(m), clip(m.AddDate(0, 1, 0))
		xa, xb := xt(a), xt(b)
		if m.After(g.Start) {
			c.line(xa, y0-2, xa, y1, gridColor, 0.5, nil)
		}
		label := monthLabel(m)
		if i%every == 0 && c.measure(label, monthSize)+2 <= xb-xa+float64(every-1)*mw {
			c.text(label, (xa+xb)/2, monthTop+monthSize*capHeight, monthSize, textColor, alignCenter)
		}
	}
	c.line(x1, y0-2, x1, y1, gridColor, 0.5, nil)
	c.line(x0, y0, x1, y0, axisColor, 0.6, nil)

	// Phases and milestones.
	for i, r := range g.Rows {
		cy := y0 + (float64(i)+0.5)*rowH
		st := statusStyle(r.Status)
		s, e := r.Start, r.End
		if e.Before(s) {
			s, e = e, s
		}
		var endX float64
		if r.Milestone || s.Equal(e) {
			if e.Before(g.Start) || e.After(g.End) {
				continue
			}
			rad := math.Min(rowH*0.32, 6)
			st.diamond(c, xt(e), cy, rad)
			endX = xt(e) + rad
		} else {
			if !e.After(g.Start) || !s.Before(g.End) {
				continue
			}
			xa, xb := xt(clip(s)), xt(clip(e))
			if xb-xa < 1 {
				xb = xa + 1
			}
			bh := rowH * 0.56
			st.bar(c, xa, cy-bh/2, xb-xa, bh)
			endX = xb
		}
		if r.Status == "late" {
			ms := math.Min(rowH*0.75, 10)
			c.text("!", endX+1.5, cy+ms*capHeight/2, ms, darkRed, alignLeft)
		}
	}

	// Today.
	if showToday {
		x := xt(g.Today)
		c.line(x, y0-2, x, y1+2, refColor, 1, dashRef)
		if clean(g.TodayLabel) != "" {
			w := c.measure(g.TodayLabel, monthSize)
			tx := math.Min(math.Max(x, pad+w/2), c.w-pad-w/2)
			c.text(g.TodayLabel, tx, y1+4+monthSize*capHeight, monthSize, refColor, alignCenter)
		}
	}
	return nil
}
