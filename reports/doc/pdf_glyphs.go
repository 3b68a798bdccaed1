package doc

import (
	"encoding/binary"
	"errors"
	"reflect"

	"github.com/signintech/gopdf"
)

// gopdf v0.33.0 subsets a font with the components of the composite glyphs
// used, but not the components of those components
// (PdfDictionaryObj.completeGlyphClosure walks one level). DejaVu Sans builds
// most Vietnamese letters in two levels: "ế" is "e" plus an unencoded
// composite of the circumflex and the acute, so the subset drew "ế" as a
// bare "e". completeGlyphs adds the missing glyphs to each face's subset
// under private-use code points before the PDF is written; gopdf then embeds
// them. The ToUnicode map names them too, which is harmless: no text uses
// those code points.

// privateUse is the first code point given to a glyph only used as a
// component (Unicode Private Use Area).
const privateUse = 0xE000

// errNoSubset says the gopdf internals this file relies on have changed.
var errNoSubset = errors.New("doc: PDF: cannot reach gopdf's font subset (gopdf version changed?): diacritics would be lost")

// completeGlyphs adds to the subset of every face the glyphs its composite
// glyphs need at any depth.
func (p *pdfWriter) completeGlyphs() error {
	for s := regular; s <= boldItalic; s++ {
		p.setFont(s, sizeBody)
		sub, err := currentSubset(p.gp)
		if err != nil {
			return err
		}
		addComponents(sub)
	}
	return nil
}

// currentSubset is gopdf's subset of the current font, an unexported field.
func currentSubset(gp *gopdf.GoPdf) (*gopdf.SubsetFontObj, error) {
	curr := reflect.ValueOf(gp).Elem().FieldByName("curr")
	if !curr.IsValid() {
		return nil, errNoSubset
	}
	f := curr.FieldByName("FontISubset")
	if !f.IsValid() || f.Type() != reflect.TypeFor[*gopdf.SubsetFontObj]() || f.IsNil() {
		return nil, errNoSubset
	}
	return (*gopdf.SubsetFontObj)(f.UnsafePointer()), nil
}

// addComponents maps every glyph reachable through composite glyphs from the
// glyphs of sub to a private-use code point, unless already mapped.
func addComponents(sub *gopdf.SubsetFontObj) {
	m := sub.CharacterToGlyphIndex
	have := make(map[uint]bool)
	queue := append([]uint(nil), m.AllVals()...)
	for _, g := range queue {
		have[g] = true
	}
	ttf := sub.GetTTFParser()
	next := rune(privateUse)
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		for _, c := range glyphComponents(ttf.FontData(), ttf.GetTables()["glyf"].Offset, ttf.LocaTable, g) {
			if have[c] {
				continue
			}
			have[c] = true
			queue = append(queue, c)
			for m.KeyExists(next) {
				next++
			}
			m.Set(next, c)
			next++
		}
	}
}

// TrueType composite glyph flags.
const (
	argWords       = 0x0001
	hasScale       = 0x0008
	moreComponents = 0x0020
	xyScale        = 0x0040
	twoByTwo       = 0x0080
)

// glyphComponents lists the glyphs a composite glyph is made of (none for a
// simple glyph), read from the font's glyf table at glyfOff.
func glyphComponents(font []byte, glyfOff uint, loca []uint, g uint) []uint {
	if int(g)+1 >= len(loca) || loca[g] == loca[g+1] {
		return nil
	}
	off := int(glyfOff + loca[g])
	if off+10 > len(font) || int16(binary.BigEndian.Uint16(font[off:])) >= 0 {
		return nil
	}
	off += 10 // numberOfContours and the bounding box
	var out []uint
	for off+4 <= len(font) {
		flags := binary.BigEndian.Uint16(font[off:])
		out = append(out, uint(binary.BigEndian.Uint16(font[off+2:])))
		if flags&moreComponents == 0 {
			break
		}
		off += 4 + 2
		if flags&argWords != 0 {
			off += 2
		}
		switch {
		case flags&hasScale != 0:
			off += 2
		case flags&xyScale != 0:
			off += 4
		case flags&twoByTwo != 0:
			off += 8
		}
	}
	return out
}
