package chart

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode"

	gochart "github.com/go-analyze/charts/chartdraw"
	"github.com/go-analyze/charts/chartdraw/drawing"
	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/text/unicode/norm"
)

// Colours. The palette differs clearly in lightness so that series stay
// distinguishable when printed in black and white.
var (
	none      = drawing.Color{}
	white     = drawing.ColorFromHex("ffffff")
	black     = drawing.ColorFromHex("000000")
	textColor = drawing.ColorFromHex("222222")
	axisColor = drawing.ColorFromHex("444444")
	gridColor = drawing.ColorFromHex("d9d9d9")
	bandColor = drawing.ColorFromHex("f3f3f3")
	navy      = drawing.ColorFromHex("1b365d")
	orange    = drawing.ColorFromHex("e8892b")
	lightBlue = drawing.ColorFromHex("b4c7dc")
	paleBlue  = drawing.ColorFromHex("e8eef5")
	midBlue   = drawing.ColorFromHex("6f8fb0")
	darkRed   = drawing.ColorFromHex("a61c1c")
	refColor  = drawing.ColorFromHex("111111")

	// barFills are the bar colours by series index; series 3 and 4 are
	// also hatched.
	barFills = []drawing.Color{navy, orange, lightBlue, drawing.ColorFromHex("5a5a5a"), white}
	// lineColors are the line colours by series index (lines also differ
	// by marker, and Series.Dashed lines by dash).
	lineColors = []drawing.Color{navy, drawing.ColorFromHex("d9761a"), midBlue, drawing.ColorFromHex("222222"), drawing.ColorFromHex("8c510a")}
)

// Dash patterns in points.
var (
	dashLine = []float64{5, 3}
	dashRef  = []float64{4, 2.5}
)

var (
	fontOnce sync.Once
	fontReg  *truetype.Font
	fontErr  error
)

func loadFont() (*truetype.Font, error) {
	fontOnce.Do(func() {
		fontReg, fontErr = truetype.Parse(dejavusans.TTF)
		if fontErr != nil {
			fontErr = fmt.Errorf("chart: parse DejaVu Sans: %w", fontErr)
		}
	})
	return fontReg, fontErr
}

// clean NFC-normalises s and replaces characters that cannot be drawn or
// are not allowed in XML (control characters, invalid UTF-8) by spaces.
func clean(s string) string {
	s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\uFFFE' || r == '\uFFFF' || (r >= 0xD800 && r <= 0xDFFF) {
			return ' '
		}
		return r
	}, s)
}

// canvas wraps a chartdraw Renderer (go-analyze/charts' maintained fork of
// go-chart): coordinates and sizes are in points, text is normalised and
// measured with the same font metrics for both formats; chartdraw's SVG
// renderer escapes text, and its raster renderer sizes glyphs at the DPI
// (go-chart did neither: this package used to make up for both).
type canvas struct {
	r     gochart.Renderer
	svg   bool
	scale float64 // pixels per point
	w, h  float64 // size in points
	font  *truetype.Font
	faces map[float64]font.Face
}

func newCanvas(s Size, svg bool) (*canvas, error) {
	f, err := loadFont()
	if err != nil {
		return nil, err
	}
	scale := s.DPI / 72
	pw, ph := int(math.Round(s.Width*scale)), int(math.Round(s.Height*scale))
	if pw < 1 || ph < 1 {
		return nil, fmt.Errorf("%w: %gx%g pt is less than a pixel", ErrSize, s.Width, s.Height)
	}
	r := gochart.PNG(pw, ph)
	if svg {
		r = gochart.SVG(pw, ph)
	}
	r.SetDPI(s.DPI)
	r.SetFont(f)
	return &canvas{r: r, svg: svg, scale: scale, w: s.Width, h: s.Height, font: f, faces: map[float64]font.Face{}}, nil
}

func (c *canvas) px(v float64) int { return int(math.Round(v * c.scale)) }

func (c *canvas) strokeWidth(sw float64) float64 {
	return math.Max(1, math.Round(sw*c.scale))
}

func (c *canvas) dash(d []float64) []float64 {
	if len(d) == 0 {
		return nil
	}
	out := make([]float64, len(d))
	for i, v := range d {
		out[i] = math.Max(1, math.Round(v*c.scale))
	}
	return out
}

type point struct{ x, y float64 }

// path draws a polyline or polygon (closed) with the given fill and stroke;
// a zero colour means none.
func (c *canvas) path(pts []point, closed bool, fill, stroke drawing.Color, sw float64, dash []float64) {
	if len(pts) < 2 || (fill.IsZero() && stroke.IsZero()) {
		return
	}
	c.r.ResetStyle()
	c.r.MoveTo(c.px(pts[0].x), c.px(pts[0].y))
	for _, p := range pts[1:] {
		c.r.LineTo(c.px(p.x), c.px(p.y))
	}
	if closed {
		c.r.Close()
	}
	switch {
	case stroke.IsZero():
		c.r.SetFillColor(fill)
		c.r.Fill()
	case fill.IsZero():
		c.r.SetStrokeColor(stroke)
		c.r.SetStrokeWidth(c.strokeWidth(sw))
		c.r.SetStrokeDashArray(c.dash(dash))
		c.r.Stroke()
	default:
		c.r.SetFillColor(fill)
		c.r.SetStrokeColor(stroke)
		c.r.SetStrokeWidth(c.strokeWidth(sw))
		c.r.SetStrokeDashArray(c.dash(dash))
		c.r.FillStroke()
	}
}

func (c *canvas) line(x1, y1, x2, y2 float64, col drawing.Color, sw float64, dash []float64) {
	c.path([]point{{x1, y1}, {x2, y2}}, false, none, col, sw, dash)
}

func (c *canvas) rect(x, y, w, h float64, fill, stroke drawing.Color, sw float64) {
	if w <= 0 || h <= 0 {
		return
	}
	c.path([]point{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}, true, fill, stroke, sw, nil)
}

// hatch draws diagonal lines ("/") every gap points inside the rectangle.
func (c *canvas) hatch(x, y, w, h float64, col drawing.Color, sw, gap float64) {
	if w <= 0 || h <= 0 {
		return
	}
	x1, y1 := x+w, y+h
	for k := x + y + gap/2; k < x1+y1; k += gap {
		// Points on the line x + y = k, clipped to the rectangle.
		ax := math.Max(x, k-y1)
		bx := math.Min(x1, k-y)
		if bx <= ax {
			continue
		}
		c.line(ax, k-ax, bx, k-bx, col, sw, nil)
	}
}

// Marker shapes for line series.
const (
	markCircle = iota
	markSquare
	markTriangle
	markDiamond
	markCross
	numMarks
)

func (c *canvas) marker(kind int, x, y, r float64, fill, stroke drawing.Color, sw float64) {
	var pts []point
	switch kind % numMarks {
	case markCircle:
		for i := 0; i < 16; i++ {
			a := float64(i) * math.Pi / 8
			pts = append(pts, point{x + r*math.Cos(a), y + r*math.Sin(a)})
		}
	case markSquare:
		r *= 0.88
		pts = []point{{x - r, y - r}, {x + r, y - r}, {x + r, y + r}, {x - r, y + r}}
	case markTriangle:
		r *= 1.15
		pts = []point{{x, y - r}, {x + r*0.87, y + r*0.5}, {x - r*0.87, y + r*0.5}}
	case markDiamond:
		r *= 1.2
		pts = []point{{x, y - r}, {x + r, y}, {x, y + r}, {x - r, y}}
	case markCross:
		c.line(x-r, y-r, x+r, y+r, stroke, sw*1.6, nil)
		c.line(x-r, y+r, x+r, y-r, stroke, sw*1.6, nil)
		return
	}
	c.path(pts, true, fill, stroke, sw, nil)
}

// face returns a font face at size points and 72 dpi, so that measures
// are in points.
func (c *canvas) face(size float64) font.Face {
	f, ok := c.faces[size]
	if !ok {
		f = truetype.NewFace(c.font, &truetype.Options{Size: size, DPI: 72})
		c.faces[size] = f
	}
	return f
}

// measure returns the advance width of s in points at the font size.
func (c *canvas) measure(s string, size float64) float64 {
	d := font.Drawer{Face: c.face(size)}
	return float64(d.MeasureString(clean(s))) / 64
}

// Text alignment.
type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// text draws s with its baseline at y, aligned at x.
func (c *canvas) text(s string, x, y, size float64, col drawing.Color, a align) {
	s = clean(s)
	if strings.TrimSpace(s) == "" {
		return
	}
	switch a {
	case alignCenter:
		x -= c.measure(s, size) / 2
	case alignRight:
		x -= c.measure(s, size)
	}
	c.r.ResetStyle()
	c.setFont(size, col)
	c.r.Text(s, c.px(x), c.px(y))
}

// textUp draws s rotated 90° counter-clockwise (reading upwards), centred
// vertically at cy, with its baseline at x.
func (c *canvas) textUp(s string, x, cy, size float64, col drawing.Color) {
	c.textUpAt(s, x, cy+c.measure(s, size)/2, size, col)
}

// textUpAt draws s reading upwards, starting at (x, y).
func (c *canvas) textUpAt(s string, x, y, size float64, col drawing.Color) {
	s = clean(s)
	if strings.TrimSpace(s) == "" {
		return
	}
	c.r.ResetStyle()
	c.setFont(size, col)
	c.r.SetTextRotation(-math.Pi / 2)
	c.r.Text(s, c.px(x), c.px(y))
	c.r.ClearTextRotation()
}

func (c *canvas) setFont(size float64, col drawing.Color) {
	c.r.SetFont(c.font)
	c.r.SetFontColor(col)
	c.r.SetFontSize(size)
}

// lines draws text lines centred at x, the first baseline at y.
func (c *canvas) lines(ls []string, x, y, size float64, col drawing.Color, a align) {
	for i, l := range ls {
		c.text(l, x, y+float64(i)*lineHeight(size), size, col, a)
	}
}

// Typographic constants for DejaVu Sans, in em.
const (
	capHeight = 0.73
	descent   = 0.24
)

func lineHeight(size float64) float64 { return size * 1.18 }

// blockHeight is the height of n lines of text at size, from the top of the
// first line's capitals to the last line's descenders.
func blockHeight(n int, size float64) float64 {
	if n == 0 {
		return 0
	}
	return float64(n-1)*lineHeight(size) + size*(capHeight+descent)
}

// capBlock is the height of n lines from the top of the first line's
// capitals to the last baseline: centre it to centre text optically.
func capBlock(n int, size float64) float64 {
	return float64(n-1)*lineHeight(size) + size*capHeight
}

// wrap splits s into lines no wider than maxW at size, breaking at spaces.
// A word wider than maxW gets a line of its own (and is reported by fits).
func (c *canvas) wrap(s string, size, maxW float64) []string {
	words := strings.Fields(clean(s))
	var out []string
	cur := ""
	for _, w := range words {
		if cur == "" {
			cur = w
			continue
		}
		if c.measure(cur+" "+w, size) <= maxW {
			cur += " " + w
			continue
		}
		out = append(out, cur)
		cur = w
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

func (c *canvas) widest(ls []string, size float64) float64 {
	w := 0.0
	for _, l := range ls {
		w = math.Max(w, c.measure(l, size))
	}
	return w
}

// fitted is a label wrapped and sized to fit a box.
type fitted struct {
	lines [][]string
	size  float64
	ok    bool // false: did not fit even at the smallest size
}

func (f fitted) maxLines() int {
	n := 0
	for _, l := range f.lines {
		n = max(n, len(l))
	}
	return n
}

// fit wraps every label to maxW and at most maxLines lines, trying font
// sizes from size down to minSize in half-point steps; it returns the
// largest size at which all labels fit (or the smallest, with ok false).
func (c *canvas) fit(labels []string, maxW float64, maxLines int, size, minSize float64) fitted {
	var f fitted
	for s := size; s >= minSize-1e-9; s -= 0.5 {
		f = fitted{size: s, ok: true}
		for _, l := range labels {
			ls := c.wrap(l, s, maxW)
			if len(ls) > maxLines || c.widest(ls, s) > maxW {
				f.ok = false
			}
			f.lines = append(f.lines, ls)
		}
		if f.ok {
			return f
		}
	}
	return f
}

// niceStep returns a "nice" step (1, 2, 2.5 or 5 × 10^k) near span/n.
func niceStep(span float64, n int) float64 {
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m == 2.5 && mag == 1 {
			continue // 2.5 would give ticks 2,5; 7,5 on small counts
		}
		if raw <= m*mag*1.0000001 {
			return m * mag
		}
	}
	return 10 * mag
}

// scale is a linear value axis with ticks.
type scale struct {
	lo, hi, step float64
}

// newScale returns an axis covering [lo, hi]; fixedLo/fixedHi keep the
// given bound instead of rounding it to a tick.
func newScale(lo, hi float64, fixedLo, fixedHi bool) scale {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	if hi == lo {
		if hi == 0 {
			hi = 1
		} else if lo > 0 && !fixedLo {
			lo = 0
		} else {
			hi = lo + math.Abs(lo)*0.5
		}
	}
	step := niceStep(hi-lo, 5)
	if !fixedLo {
		lo = math.Floor(lo/step+1e-9) * step
	}
	if !fixedHi {
		hi = math.Ceil(hi/step-1e-9) * step
	}
	return scale{lo: lo, hi: hi, step: step}
}

// integral returns s with a step of at least 1, for data that are counts.
func (s scale) integral() scale {
	if s.step >= 1 {
		return s
	}
	s.step = 1
	s.lo = math.Floor(s.lo + 1e-9)
	s.hi = math.Max(s.lo+1, math.Ceil(s.hi-1e-9))
	return s
}

// allIntegers reports whether every finite value is a whole number.
func allIntegers(vs ...[]float64) bool {
	for _, v := range vs {
		for _, x := range v {
			if finite(x) && x != math.Trunc(x) {
				return false
			}
		}
	}
	return true
}

func (s scale) ticks() []float64 {
	var t []float64
	first := math.Ceil(s.lo/s.step - 1e-9)
	for i := first; i*s.step <= s.hi+s.step*1e-9; i++ {
		v := i * s.step
		if math.Abs(v) < s.step*1e-9 {
			v = 0
		}
		t = append(t, v)
		if len(t) > 50 {
			break
		}
	}
	return t
}

// seriesValues is each series' values, as dataRange and allIntegers take them.
func seriesValues(ss []Series) [][]float64 {
	vals := make([][]float64, 0, len(ss))
	for _, s := range ss {
		vals = append(vals, s.Values)
	}
	return vals
}

// barLegend is the legend of bar series, one swatch each: none for a single
// series, which the chart's title names.
func barLegend(ss []Series) []legendItem {
	if len(ss) < 2 {
		return nil
	}
	items := make([]legendItem, 0, len(ss))
	for i, s := range ss {
		items = append(items, legendItem{name: s.Name, swatch: barStyle(i)})
	}
	return items
}

// dataRange returns the min and max of the finite values (NaN, NaN if none).
func dataRange(vs ...[]float64) (lo, hi float64) {
	lo, hi = math.NaN(), math.NaN()
	for _, v := range vs {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				continue
			}
			if math.IsNaN(lo) || x < lo {
				lo = x
			}
			if math.IsNaN(hi) || x > hi {
				hi = x
			}
		}
	}
	return lo, hi
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// legendItem is one entry of a legend: a swatch drawn in a box and a name.
type legendItem struct {
	name   string
	swatch func(c *canvas, x, y, w, h float64)
}

const (
	legendSize = 7.5
	swatchW    = 16
	swatchH    = 8
)

// legendLayout places items in rows within width; returns the x offsets,
// row indexes and total height.
func (c *canvas) legendLayout(items []legendItem, width float64) (xs []float64, rows []int, height float64) {
	x, row := 0.0, 0
	for _, it := range items {
		w := swatchW + 4 + c.measure(it.name, legendSize)
		if x > 0 && x+w > width {
			x, row = 0, row+1
		}
		xs = append(xs, x)
		rows = append(rows, row)
		x += w + 14
	}
	if len(items) == 0 {
		return nil, nil, 0
	}
	return xs, rows, float64(row+1) * (legendSize * 1.6)
}

// legend draws items in rows starting at (x, y), y being the top; it
// returns the height used.
func (c *canvas) legend(items []legendItem, x, y, width float64) float64 {
	xs, rows, h := c.legendLayout(items, width)
	rowH := legendSize * 1.6
	for i, it := range items {
		ix, iy := x+xs[i], y+float64(rows[i])*rowH
		mid := iy + rowH/2
		it.swatch(c, ix, mid-swatchH/2, swatchW, swatchH)
		c.text(it.name, ix+swatchW+4, mid+legendSize*capHeight/2, legendSize, textColor, alignLeft)
	}
	return h
}
