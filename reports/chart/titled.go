package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
)

// Type sizes of a titled PNG's title and foot, in points.
const (
	titledTitleSize = 10.5
	titledFootSize  = 7.5
	titledPad       = 8
)

// Titled puts a chart's PNG (body, as PNG rendered it at s) under its title
// and over foot (the source and the date), both wrapped to the chart's
// width: the PNG written for reuse, which must say what it is and where it
// comes from once forwarded on its own. The chart keeps its size; the image
// is taller by the two bands.
func Titled(body []byte, s Size, title, foot string) ([]byte, error) {
	if s.DPI <= 0 {
		s.DPI = DefaultDPI
	}
	measure, err := newCanvas(Size{Width: s.Width, Height: 1, DPI: s.DPI}, false)
	if err != nil {
		return nil, err
	}
	head := textBand{lines: measure.wrap(title, titledTitleSize, s.Width-2*titledPad), size: titledTitleSize}
	tail := textBand{lines: measure.wrap(foot, titledFootSize, s.Width-2*titledPad), size: titledFootSize}
	var parts [][]byte
	for _, b := range []struct {
		band  textBand
		chart []byte
	}{{head, nil}, {textBand{}, body}, {tail, nil}} {
		if b.chart != nil {
			parts = append(parts, b.chart)
			continue
		}
		if len(b.band.lines) == 0 {
			continue
		}
		img, err := PNG(b.band, Size{Width: s.Width, Height: b.band.height(), DPI: s.DPI})
		if err != nil {
			return nil, err
		}
		parts = append(parts, img)
	}
	return stack(parts)
}

// textBand is lines of text on white, left-aligned.
type textBand struct {
	lines []string
	size  float64
}

func (b textBand) height() float64 {
	return blockHeight(len(b.lines), b.size) + titledPad
}

func (b textBand) draw(c *canvas) error {
	c.lines(b.lines, titledPad, titledPad/2+b.size*capHeight, b.size, textColor, alignLeft)
	return nil
}

// stack puts PNG images one under the other, left-aligned, on white.
func stack(parts [][]byte) ([]byte, error) {
	var imgs []image.Image
	w, h := 0, 0
	for _, p := range parts {
		img, err := png.Decode(bytes.NewReader(p))
		if err != nil {
			return nil, fmt.Errorf("chart: titled: %w", err)
		}
		imgs = append(imgs, img)
		w, h = max(w, img.Bounds().Dx()), h+img.Bounds().Dy()
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	y := 0
	for _, img := range imgs {
		r := img.Bounds()
		draw.Draw(out, image.Rect(0, y, r.Dx(), y+r.Dy()), img, r.Min, draw.Src)
		y += r.Dy()
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, out); err != nil {
		return nil, fmt.Errorf("chart: png: %w", err)
	}
	return buf.Bytes(), nil
}
