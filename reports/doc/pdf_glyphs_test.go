package doc

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-fonts/dejavu/dejavusansboldoblique"
	"github.com/go-fonts/dejavu/dejavusansoblique"
)

// marked are Vietnamese letters whose marks a font may build in two levels of
// composite glyphs, with the letters they are made on.
var marked = []struct{ letter, base string }{
	{"ế", "e"}, {"ề", "e"}, {"ể", "e"}, {"ễ", "e"}, {"ệ", "e"},
	{"ố", "o"}, {"ồ", "o"}, {"ổ", "o"}, {"ỗ", "o"}, {"ộ", "o"},
	{"ấ", "a"}, {"ầ", "a"}, {"ẩ", "a"}, {"ẫ", "a"}, {"ậ", "a"},
	{"ắ", "a"}, {"ằ", "a"}, {"ẳ", "a"}, {"ẵ", "a"}, {"ặ", "a"},
	{"ớ", "o"}, {"ờ", "o"}, {"ở", "o"}, {"ỡ", "o"}, {"ợ", "o"},
	{"ứ", "u"}, {"ừ", "u"}, {"ử", "u"}, {"ữ", "u"}, {"ự", "u"},
	{"Ế", "E"}, {"Ố", "O"}, {"Ấ", "A"}, {"Ặ", "A"}, {"Ữ", "U"}, {"Đ", "D"},
}

// glyphPDF writes one page per face and per kind (the marked letters, then
// their bases), a letter a line in 30 pt, in the faces given.
func glyphPDF(t *testing.T, name string, faces [4][]byte) string {
	t.Helper()
	p, err := newPDFWriterFaces(&Document{}, Info{}, faces)
	if err != nil {
		t.Fatal(err)
	}
	for s := regular; s <= boldItalic; s++ {
		for _, base := range []bool{false, true} {
			if err := p.newPage(); err != nil {
				t.Fatal(err)
			}
			p.setFont(s, 30)
			for i, m := range marked {
				text := m.letter
				if base {
					text = m.base
				}
				p.text(marginLeft+float64(i/18)*200, marginTop+float64(i%18)*40, text)
			}
		}
	}
	var b bytes.Buffer
	if _, err := p.gp.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// inkPerLetter renders the PDF's pages and counts the dark pixels of each
// letter's cell: [page][letter].
func inkPerLetter(t *testing.T, file string) [][]int {
	t.Helper()
	dir := filepath.Dir(file)
	if out, err := exec.Command("pdftoppm", "-png", "-r", "72", "-gray", file, filepath.Join(dir, "pg")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	var ink [][]int
	for page := 1; ; page++ {
		f, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("pg-%d.png", page)))
		if err != nil {
			break
		}
		img, err := png.Decode(bytes.NewReader(f))
		if err != nil {
			t.Fatal(err)
		}
		counts := make([]int, len(marked))
		for i := range marked {
			left, top := marginLeft, marginTop
			x0, y0 := int(left)+(i/18)*200, int(top)+(i%18)*40
			counts[i] = dark(img, image.Rect(x0-4, y0-4, x0+40, y0+40))
		}
		ink = append(ink, counts)
	}
	if len(ink) != 8 {
		t.Fatalf("%d pages rendered, want 8", len(ink))
	}
	return ink
}

// dark counts the pixels darker than mid-grey in r.
func dark(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c, _, _, _ := img.At(x, y).RGBA(); c < 0x8000 {
				n++
			}
		}
	}
	return n
}

// TestDiacriticsDrawn renders every face's Vietnamese letters and checks that
// each has more ink than the bare letter it is built on: its marks are drawn.
// It checks the check too: DejaVu Sans builds "ế", "ố" … in two levels of
// composite glyphs, whose second level gopdf's subset leaves out, so its
// letters must come out bare. When that half fails, gopdf subsets composite
// glyphs fully: any font will do, and the control can go.
func TestDiacriticsDrawn(t *testing.T) {
	requirePoppler(t)
	faces := []string{"regular", "bold", "italic", "bold italic"}
	lost := func(ink [][]int) []string {
		var out []string
		for f := range faces {
			for i, m := range marked {
				if with, without := ink[2*f][i], ink[2*f+1][i]; with*100 < without*103 {
					out = append(out, fmt.Sprintf("%s %s (%d dark pixels, %q has %d)", faces[f], m.letter, with, m.base, without))
				}
			}
		}
		return out
	}
	if l := lost(inkPerLetter(t, glyphPDF(t, "liberation", serif))); len(l) > 0 {
		t.Errorf("marks lost in the PDF:\n%v", l)
	}
	dejavu := [4][]byte{dejavusans.TTF, dejavusansbold.TTF, dejavusansoblique.TTF, dejavusansboldoblique.TTF}
	if l := lost(inkPerLetter(t, glyphPDF(t, "dejavu", dejavu))); len(l) == 0 {
		t.Error("DejaVu Sans keeps its marks: gopdf subsets two-level composite glyphs now; drop this control")
	} else {
		t.Logf("the control: gopdf drops %d marks of DejaVu Sans, e.g. %s", len(l), l[0])
	}
}
