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
// Every chart kind is drawn by one function on go-chart's chart.Renderer
// interface, so SVG and PNG have the same geometry. Output is deterministic:
// the same input gives byte-identical SVG and PNG.
package chart

import (
	"bytes"
	"errors"
	"fmt"
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

// Chart is any of the kinds in this package: Bars, Lines, Histogram, Gantt
// and Heat (values or pointers).
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
	// go-chart writes only a viewBox: add the physical size.
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

func render(c Chart, s Size, svg bool) ([]byte, error) {
	if c == nil {
		return nil, errors.New("chart: nil chart")
	}
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
	cv.rect(0, 0, s.Width, s.Height, white, none, 0)
	if err := c.draw(cv); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := cv.r.Save(&buf); err != nil {
		return nil, fmt.Errorf("chart: save: %w", err)
	}
	return buf.Bytes(), nil
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
