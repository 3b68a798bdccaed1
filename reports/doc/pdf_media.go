package doc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/signintech/gopdf"
)

// Headline figure boxes, in points.
const (
	figGap  = 8
	figPad  = 6
	figRule = 0.6
)

// figuresPerRow is how many boxes a row holds for n figures: all of them up
// to 4, else rows as even as possible of at most 4.
func figuresPerRow(n int) int {
	if n <= 4 {
		return max(n, 1)
	}
	rows := (n + 3) / 4
	return (n + rows - 1) / rows
}

// figureBox is a figure laid out in a box of width w.
type figureBox struct {
	label, value, change, note []string
}

// figures draws the headline figures as rows of boxes.
func (p *pdfWriter) figures(f *Figures) {
	if len(f.Items) == 0 {
		return
	}
	per := figuresPerRow(len(f.Items))
	w := (p.textW - figGap*float64(per-1)) / float64(per)
	p.space(6)
	for start := 0; start < len(f.Items); start += per {
		row := f.Items[start:min(start+per, len(f.Items))]
		boxes := make([]figureBox, len(row))
		h := 0.0
		for i, it := range row {
			boxes[i] = p.layoutFigure(it, w-2*figPad)
			h = max(h, p.figureHeight(boxes[i]))
		}
		h += 2 * figPad
		p.ensure(h)
		for i, b := range boxes {
			x := marginLeft + float64(i)*(w+figGap)
			p.rect(x, p.y, w, h, figRule, nil)
			p.drawFigure(b, x+figPad, p.y+figPad, w-2*figPad)
		}
		p.y += h + figGap
	}
	p.y += 2
}

// Faces and sizes of the parts of a figure box.
var (
	figLabel = struct {
		style fontStyle
		size  float64
	}{regular, sizeSmall}
	figValue = struct {
		style fontStyle
		size  float64
	}{bold, sizeFigValue}
	figChange = struct {
		style fontStyle
		size  float64
	}{regular, sizeSmall}
	figNote = struct {
		style fontStyle
		size  float64
	}{italic, sizeSmall - 0.5}
)

// layoutFigure wraps the parts of a figure to the width w.
func (p *pdfWriter) layoutFigure(f Figure, w float64) figureBox {
	wrap := func(s string, style fontStyle, size float64) []string {
		if s = clean(s); s == "" {
			return nil
		}
		p.setFont(style, size)
		return p.wrap(s, w)
	}
	return figureBox{
		label:  wrap(f.Label, figLabel.style, figLabel.size),
		value:  wrap(f.Value, figValue.style, figValue.size),
		change: wrap(f.Change, figChange.style, figChange.size),
		note:   wrap(f.Note, figNote.style, figNote.size),
	}
}

// figureHeight is the height of a figure's text.
func (p *pdfWriter) figureHeight(b figureBox) float64 {
	return float64(len(b.label))*figLabel.size*lineFactor +
		float64(len(b.value))*figValue.size*lineFactor + 2 +
		float64(len(b.change))*figChange.size*lineFactor +
		float64(len(b.note))*figNote.size*lineFactor
}

// drawFigure draws a figure's text centred in [x, x+w] from top.
func (p *pdfWriter) drawFigure(b figureBox, x, top, w float64) {
	y := p.y
	p.y = top
	part := func(lines []string, style fontStyle, size float64, c rgb) {
		p.setFont(style, size)
		p.setColour(c)
		for _, line := range lines {
			p.textCentered(x, w, p.y, line)
			p.y += p.lineH()
		}
	}
	part(b.label, figLabel.style, figLabel.size, black)
	part(b.value, figValue.style, figValue.size, black)
	p.y += 2
	part(b.change, figChange.style, figChange.size, black)
	part(b.note, figNote.style, figNote.size, grey)
	p.setColour(black)
	p.y = y
}

// chart draws a chart's title, its PNG at the text width (smaller if the
// page is not tall enough) and its caption, the title and the image kept
// together.
func (p *pdfWriter) chart(c *Chart) error {
	img, _, _, err := pdfPNG(c.PNG)
	if err != nil {
		return fmt.Errorf("doc: PDF: chart %q: %w", c.ID, err)
	}
	titleH, w, h := p.chartSize(c)
	p.space(8)
	p.ensure(titleH + h)
	if title := clean(c.Title); title != "" {
		p.setFont(bold, sizeChartTitle)
		for _, line := range p.wrap(title, p.textW) {
			p.text(marginLeft, p.y, line)
			p.y += p.lineH()
		}
		p.y += 4
	}
	x := marginLeft + (p.textW-w)/2
	if err := p.gp.ImageByHolder(img, x, p.y, &gopdf.Rect{W: w, H: h}); err != nil {
		return fmt.Errorf("doc: PDF: chart %q: %w", c.ID, err)
	}
	p.y += h + 4
	p.smallText(c.Caption, italic, black)
	p.y += 4
	return nil
}

// sizeChartTitle is the type size of a chart's title.
const sizeChartTitle = sizeBody - 1

// chartSize is the height of a chart's title and the size the image is
// drawn at: the text width, keeping the chart's aspect (its Width and
// Height, else its pixels), smaller if a page is not tall enough.
func (p *pdfWriter) chartSize(c *Chart) (titleH, w, h float64) {
	aw, ah := c.Width, c.Height
	if aw <= 0 || ah <= 0 {
		cfg, err := png.DecodeConfig(bytes.NewReader(c.PNG))
		if err != nil || cfg.Width == 0 || cfg.Height == 0 {
			aw, ah = 16, 9 // chart reports the error
		} else {
			aw, ah = float64(cfg.Width), float64(cfg.Height)
		}
	}
	if title := clean(c.Title); title != "" {
		p.setFont(bold, sizeChartTitle)
		titleH = float64(len(p.wrap(title, p.textW)))*p.lineH() + 4
	}
	w, h = p.textW, p.textW*ah/aw
	// A chart taller than a page shrinks to fit one.
	if maxH := p.bottom - marginTop - titleH - 30; h > maxH {
		w, h = w*maxH/h, maxH
	}
	return titleH, w, h
}

// pdfPNG returns a PNG ready for gopdf and its size in pixels. gopdf reads
// 8-bit, non-interlaced PNGs as they are; others are decoded and written
// again as 8-bit RGB on white.
func pdfPNG(b []byte) (gopdf.ImageHolder, int, int, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, 0, 0, err
	}
	// IHDR: width, height, bit depth (24), colour type (25), interlace (28).
	if len(b) < 29 || b[24] > 8 || b[28] != 0 || binary.BigEndian.Uint32(b[16:]) == 0 {
		if b, err = flattenPNG(b); err != nil {
			return nil, 0, 0, err
		}
	}
	h, err := gopdf.ImageHolderByBytes(b)
	return h, cfg.Width, cfg.Height, err
}

// flattenPNG decodes a PNG and encodes it again as 8-bit RGB on white.
func flattenPNG(b []byte) ([]byte, error) {
	src, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	dst := image.NewRGBA(src.Bounds())
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Over)
	// Opaque RGBA is written as colour type 2 (RGB) by image/png.
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, dst); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
