// Package chart draws the report's charts — grouped bars, lines, a
// histogram with a threshold, the pilot's Gantt timeline and a heat table —
// from plain data, each both as SVG (for the HTML pages) and as PNG at print
// resolution (for the PDF and the Word document).
//
// The package owns the look of the charts: layout, axes, legends, the
// palette (chosen to stay distinguishable when printed in black and white:
// colours differ in lightness, lines differ in dash and marker), and the
// text, which is always NFC-normalised and drawn with DejaVu Sans so that
// Vietnamese diacritics render. It does not own number formatting (the
// caller passes a Format) nor chart titles (the document prints them).
//
// Every chart kind is drawn by one function on the Renderer interface of
// chartdraw (github.com/go-analyze/charts/chartdraw, the maintained fork of
// the archived wcharczuk/go-chart), so SVG and PNG have the same geometry;
// its own chart types are not used (they cannot do grouped bars, legends on
// bars, thresholds, Gantt charts or heat tables). Output is deterministic: the same input gives byte-identical SVG
// and PNG.
//
// The SVG does not embed the font: its text asks for font-family
// 'DejaVu Sans',sans-serif, and the layout is measured with DejaVu Sans, so
// a page showing the SVG should make DejaVu Sans available (an @font-face
// rule) for labels to fit exactly as in the PNG.
//
// Charts draw no title (the document prints it above the chart); they do
// draw axis names, legends and value labels. Long labels are wrapped and, if
// needed, shrunk; crowded category labels are thinned out.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"strconv"
)

// Format turns a number into text in the report's language (e.g.
// Vietnamese "1.234,5", "80,6 %"). It is supplied by the caller; a nil
// Format prints the number with at most one decimal ("12", "80.5").
type Format func(v float64) string

// DefaultDPI is used when Size.DPI is zero or negative.
const DefaultDPI = 200

// Size of a chart in points (1/72 in). PNG pixels = points/72*DPI. The SVG
// has width and height attributes in pt and a viewBox in the same pixel
// units as the PNG, so it scales and has the same geometry.
type Size struct {
	Width, Height float64
	DPI           float64
}

// Chart is any of the kinds in this package: Bars, HBars, Stack, Lines,
// Histogram, Gantt and Heat (values or pointers).
type Chart interface {
	draw(c *canvas) error
}

// SVG renders c as an SVG document. Every text is XML-escaped; the document
// has width/height attributes in pt and a viewBox, so it is scalable.
func SVG(c Chart, s Size) ([]byte, error) {
	out, err := render(c, s, true)
	if err != nil {
		return nil, err
	}
	// chartdraw writes only a viewBox: add the physical size.
	attr := fmt.Sprintf(` width="%spt" height="%spt" viewBox=`, ftoa(s.Width), ftoa(s.Height))
	return bytes.Replace(out, []byte(` viewBox=`), []byte(attr), 1), nil
}

// PNG renders c as a PNG image of Width/72*DPI × Height/72*DPI pixels
// (rounded) on a white background.
func PNG(c Chart, s Size) ([]byte, error) {
	return render(c, s, false)
}

// ErrSize is returned for a Size with a non-positive or absurd width or height.
var ErrSize = errors.New("chart: invalid size")

func render(c Chart, s Size, svg bool) (out []byte, err error) {
	if c == nil {
		return nil, errors.New("chart: nil chart")
	}
	defer func() {
		// A nil *Bars etc. or a bug must not stop the whole report.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("chart: %T: %v", c, r)
		}
	}()
	if s.DPI <= 0 || math.IsNaN(s.DPI) {
		s.DPI = DefaultDPI
	}
	if !(s.Width > 0 && s.Height > 0 && s.Width <= 5000 && s.Height <= 5000 && s.DPI <= 1200) {
		return nil, fmt.Errorf("%w: %gx%g pt at %g dpi", ErrSize, s.Width, s.Height, s.DPI)
	}
	cv, err := newCanvas(s, svg)
	if err != nil {
		return nil, err
	}
	if svg {
		cv.rect(0, 0, s.Width, s.Height, white, none, 0)
	}
	if err := c.draw(cv); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if svg {
		if err := cv.r.Save(&buf); err != nil {
			return nil, fmt.Errorf("chart: save: %w", err)
		}
		return buf.Bytes(), nil
	}
	// PNG: take the image from the renderer and put it on white (cheaper
	// than rasterising a white rectangle first).
	var col collector
	if err := cv.r.Save(&col); err != nil || col.img == nil {
		return nil, fmt.Errorf("chart: save: no image (%v)", err)
	}
	onWhite(col.img)
	if err := png.Encode(&buf, col.img); err != nil {
		return nil, fmt.Errorf("chart: png: %w", err)
	}
	return buf.Bytes(), nil
}

// collector receives the raster renderer's image (chartdraw's RGBACollector).
type collector struct{ img *image.RGBA }

func (c *collector) SetRGBA(i *image.RGBA) { c.img = i }

func (c *collector) Write([]byte) (int, error) {
	return 0, errors.New("chart: unexpected write")
}

// onWhite composites the premultiplied image over an opaque white ground.
func onWhite(img *image.RGBA) {
	p := img.Pix
	for i := 0; i+3 < len(p); i += 4 {
		if a := p[i+3]; a != 255 {
			k := 255 - a
			p[i] += k
			p[i+1] += k
			p[i+2] += k
			p[i+3] = 255
		}
	}
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// defaultFormat is used when a chart's Label is nil.
func defaultFormat(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func formatOr(f Format) Format {
	if f == nil {
		return defaultFormat
	}
	return f
}

// HasData reports whether c has anything to draw: a finite value (or a
// labelled one) in bars, lines or a heat table, a value in a histogram. A
// chart without data is better said in a sentence.
func HasData(c Chart) bool {
	anyFinite := func(ss []Series) bool {
		for _, s := range ss {
			for i, v := range s.Values {
				if finite(v) || (i < len(s.Labels) && s.Labels[i] != "") {
					return true
				}
			}
		}
		return false
	}
	switch c := c.(type) {
	case *Bars:
		return anyFinite(c.Series)
	case *Lines:
		return anyFinite(c.Series)
	case *Histogram:
		return len(c.Values) > 0
	case *Stack:
		for i := range c.Categories {
			if i < len(c.Notes) && c.Notes[i] != "" {
				return true
			}
			for _, s := range c.Series {
				if i < len(s.Values) && finite(s.Values[i]) && s.Values[i] > 0 {
					return true
				}
			}
		}
		return false
	case *Heat:
		for _, r := range c.Values {
			for _, v := range r {
				if finite(v) {
					return true
				}
			}
		}
		return false
	}
	return c != nil
}
