package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

var outDir = flag.String("out", "", "TestWriteSamples: directory to write sample PNG and SVG charts to")

var nan = math.NaN()

// viFormat formats like the report's Vietnamese locale: "1.234,5".
func viFormat(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1)
}

func viPercent(v float64) string { return viFormat(v) + " %" }

func viShare(v float64) string { return fmt.Sprintf("%.0f %%", v*100) }

var wards = []string{"Tân Quy Đông", "Tân Phú Đông", "Phú Mỹ", "Tân Thuận Tây", "Bình Thuận", "Tân Kiểng", "Tân Hưng", "Phường Trường Thọ"}

func sampleBars() Bars {
	return Bars{
		Categories: wards,
		Series: []Series{
			{Name: "Gia đình học tập", Values: []float64{82.5, 75.1, 91, 68.4, 80.6, 77, 88.2, 59.3}},
			{Name: "Dòng họ học tập", Values: []float64{70, 64.2, 85.5, 71, nan, 66.7, 79.4, 62.1}},
			{Name: "Cộng đồng học tập", Values: []float64{90, 81.3, 78.8, 0, 84.1, 72.5, 93.7, 69}},
		},
		YLabel: "Tỷ lệ công nhận (% số đăng ký)",
		YMax:   100,
		Label:  viPercent,
		Ref:    &Ref{Value: 80, Label: "Mục tiêu 80 %"},
	}
}

func sampleGroups() Bars {
	return Bars{
		Categories: []string{"Cán bộ, công chức, viên chức", "Người lao động trong doanh nghiệp", "Học sinh, sinh viên", "Người cao tuổi", "Phụ nữ"},
		Series:     []Series{{Name: "Số người tham gia", Values: []float64{1234, 2875.5, 980, 412, 1530}}},
		YLabel:     "Người",
		Label:      viFormat,
	}
}

func sampleLines() Lines {
	var months []string
	for i := 0; i < 18; i++ {
		t := time.Date(2020, 11+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		months = append(months, fmt.Sprintf("%d/%d", t.Month(), t.Year()))
	}
	actual := make([]float64, 18)
	target := make([]float64, 18)
	proj := make([]float64, 18)
	for i := range actual {
		target[i] = 40 + 40*float64(i)/17
		actual[i], proj[i] = nan, nan
		if i < 12 {
			actual[i] = 35 + 3.1*float64(i) + 4*math.Sin(float64(i))
		}
		if i >= 11 {
			proj[i] = 35 + 3.1*11 + 4*math.Sin(11) + 2.6*float64(i-11)
		}
	}
	actual[5] = nan // a month without data
	return Lines{
		Categories: months,
		Series: []Series{
			{Name: "Thực tế", Values: actual},
			{Name: "Lộ trình mục tiêu", Values: target, Dashed: true},
			{Name: "Dự báo", Values: proj, Dashed: true},
		},
		YLabel: "Tỷ lệ hoàn thành (%)",
		Label:  viPercent,
		Ref:    &Ref{Value: 80, Label: "Mục tiêu 80 %"},
	}
}

func sampleHistogram() Histogram {
	var vs []float64
	for i := 0; i < 300; i++ {
		// A deterministic spread of scores around 78.
		vs = append(vs, 78+18*math.Sin(float64(i)*1.7)*math.Cos(float64(i)*0.31))
	}
	vs = append(vs, 100, 0, 80)
	return Histogram{
		Values: vs, Min: 0, Max: 100, Width: 5,
		Threshold: 80, ThresholdLabel: "Ngưỡng công nhận 80",
		XLabel: "Điểm đánh giá", YLabel: "Số hộ gia đình",
		AboveLabel: "Đạt (≥ 80 điểm)", BelowLabel: "Chưa đạt",
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func sampleGantt() Gantt {
	return Gantt{
		Start: day(2020, 11, 1), End: day(2021, 12, 31),
		Today: day(2021, 6, 15), TodayLabel: "Hôm nay 15/06/2021",
		Rows: []GanttRow{
			{Label: "Giai đoạn 1: Khảo sát, xây dựng kế hoạch", Start: day(2020, 11, 1), End: day(2021, 1, 31), Status: "done"},
			{Label: "◆ Ban hành bộ tiêu chí", Start: day(2021, 2, 1), End: day(2021, 2, 1), Milestone: true, Status: "done"},
			{Label: "Giai đoạn 2: Thí điểm tại 8 phường", Start: day(2021, 2, 1), End: day(2021, 7, 31), Status: "due"},
			{Label: "Báo cáo sơ kết 6 tháng", Start: day(2021, 5, 15), End: day(2021, 5, 15), Milestone: true, Status: "late"},
			{Label: "Tập huấn cán bộ phường", Start: day(2021, 3, 1), End: day(2021, 5, 31), Status: "late"},
			{Label: "Giai đoạn 3: Nhân rộng", Start: day(2021, 8, 1), End: day(2021, 11, 30), Status: "upcoming"},
			{Label: "Tổng kết, đánh giá", Start: day(2021, 12, 20), End: day(2021, 12, 20), Milestone: true, Status: "upcoming"},
			{Label: "Truyền thông", Start: day(2020, 12, 1), End: day(2021, 12, 31)},
		},
		StatusLabels: map[string]string{"done": "Đã xong", "late": "Trễ hạn", "due": "Đang thực hiện", "upcoming": "Sắp tới", "": "Giai đoạn"},
	}
}

func sampleHeat() Heat {
	cols := []string{"1/2021", "2/2021", "3/2021", "4/2021", "5/2021", "6/2021", "7/2021", "8/2021", "9/2021", "10/2021"}
	var vals [][]float64
	for i := range wards {
		var row []float64
		for j := range cols {
			v := math.Mod(float64(i*7+j*3)/23, 1)
			if i == 2 && j < 3 {
				v = nan
			}
			row = append(row, v)
		}
		vals = append(vals, row)
	}
	vals[0][0], vals[1][1] = 0, 1
	text := make([][]string, len(wards))
	for i := range text {
		text[i] = make([]string, len(cols))
	}
	text[3] = []string{"12/15", "1/3", "", "", "", "", "", "", "15/15", ""}
	return Heat{Rows: wards, Cols: cols, Values: vals, Text: text, Label: viShare, NALabel: "Không có kế hoạch"}
}

// sampleActivities is a dense chart: months × eight wards.
func sampleActivities() Bars {
	var months []string
	for m := 1; m <= 6; m++ {
		months = append(months, fmt.Sprintf("%d/2021", m))
	}
	var series []Series
	for i, w := range wards {
		var v []float64
		for j := range months {
			v = append(v, float64((i*5+j*7)%13))
		}
		series = append(series, Series{Name: w, Values: v})
	}
	return Bars{Categories: months, Series: series, YLabel: "Hoạt động", Label: viFormat}
}

type named struct {
	name string
	c    Chart
}

func samples() []named {
	return []named{
		{"bars", sampleBars()},
		{"bars_groups", sampleGroups()},
		{"lines", sampleLines()},
		{"histogram", sampleHistogram()},
		{"gantt", sampleGantt()},
		{"heat", sampleHeat()},
		{"activities", sampleActivities()},
		{"stack", Stack{Categories: []string{"Tân Phú Đông", "Tân Quy Tây", "Tân Quy Đông", "Cộng 3 xã, phường"},
			Series: []Series{{Name: "Đủ điều kiện", Values: []float64{8, 7, 8, 23}}, {Name: "Từ 80 điểm, có chỉ số dưới 5", Values: []float64{1, 2, 0, 3}},
				{Name: "Chưa đạt", Values: []float64{2, 1, 2, 5}}}}},
	}
}

var reportSize = Size{Width: 480, Height: 260, DPI: 200}

// checkSVG parses the SVG as XML and returns its character data.
func checkSVG(t *testing.T, svg []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	var text strings.Builder
	root := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not valid XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root {
				root = false
				if tok.Name.Local != "svg" {
					t.Fatalf("root element %q, want svg", tok.Name.Local)
				}
				attrs := map[string]string{}
				for _, a := range tok.Attr {
					attrs[a.Name.Local] = a.Value
				}
				if !strings.HasSuffix(attrs["width"], "pt") || attrs["viewBox"] == "" {
					t.Errorf("svg attributes %v: want width in pt and a viewBox", attrs)
				}
			}
		case xml.CharData:
			text.Write(tok)
			text.WriteByte('\n')
		}
	}
	return text.String()
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	return img
}

func TestAllKinds(t *testing.T) {
	for _, s := range samples() {
		t.Run(s.name, func(t *testing.T) {
			p, err := PNG(s.c, reportSize)
			if err != nil {
				t.Fatal(err)
			}
			img := decodePNG(t, p)
			if b := img.Bounds(); b.Dx() != 1333 || b.Dy() != 722 {
				t.Errorf("PNG size %v, want 1333×722", b.Size())
			}
			svg, err := SVG(s.c, reportSize)
			if err != nil {
				t.Fatal(err)
			}
			checkSVG(t, svg)
		})
	}
}

func TestPNGSize(t *testing.T) {
	p, err := PNG(sampleBars(), Size{Width: 72, Height: 36, DPI: 300})
	if err != nil {
		t.Fatal(err)
	}
	if b := decodePNG(t, p).Bounds(); b.Dx() != 300 || b.Dy() != 150 {
		t.Errorf("size %v, want 300×150", b.Size())
	}
	// DPI 0 means DefaultDPI.
	p, err = PNG(sampleBars(), Size{Width: 72, Height: 72})
	if err != nil {
		t.Fatal(err)
	}
	if b := decodePNG(t, p).Bounds(); b.Dx() != DefaultDPI {
		t.Errorf("width %d, want %d", b.Dx(), DefaultDPI)
	}
	for _, s := range []Size{{}, {Width: -1, Height: 10}, {Width: math.NaN(), Height: 10}, {Width: 1e9, Height: 10}} {
		if _, err := PNG(sampleBars(), s); !errors.Is(err, ErrSize) {
			t.Errorf("size %v: err %v, want ErrSize", s, err)
		}
	}
	if _, err := SVG(nil, reportSize); err == nil {
		t.Error("nil chart: no error")
	}
}

func TestNilPointerChart(t *testing.T) {
	var b *Bars
	if _, err := PNG(b, reportSize); err == nil {
		t.Error("nil *Bars: no error")
	}
}

func TestConcurrent(t *testing.T) {
	want := mustPNG(t, sampleHistogram(), reportSize)
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			got, err := PNG(sampleHistogram(), reportSize)
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("different bytes")
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, s := range samples() {
		p1, _ := PNG(s.c, reportSize)
		p2, _ := PNG(s.c, reportSize)
		if !bytes.Equal(p1, p2) {
			t.Errorf("%s: PNG differs between renderings", s.name)
		}
		s1, _ := SVG(s.c, reportSize)
		s2, _ := SVG(s.c, reportSize)
		if !bytes.Equal(s1, s2) {
			t.Errorf("%s: SVG differs between renderings", s.name)
		}
	}
}

func TestEscaping(t *testing.T) {
	const nasty = `R&D <b>"x"</b> 'y'`
	charts := []named{
		{"bars", Bars{Categories: []string{nasty, "b"}, Series: []Series{{Name: nasty, Values: []float64{1, 2}}, {Name: "<s2>", Values: []float64{2, 1}}}, YLabel: nasty, Ref: &Ref{Value: 1.5, Label: nasty}}},
		{"lines", Lines{Categories: []string{nasty, "b"}, Series: []Series{{Name: nasty, Values: []float64{1, 2}}, {Name: "a&b", Values: []float64{2, 1}}}, YLabel: nasty, Ref: &Ref{Value: 1.5, Label: nasty}}},
		{"histogram", Histogram{Values: []float64{1, 2, 3}, Min: 0, Max: 4, Width: 1, Threshold: 2, ThresholdLabel: nasty, XLabel: nasty, YLabel: nasty, AboveLabel: nasty, BelowLabel: "<"}},
		{"gantt", Gantt{Start: day(2021, 1, 1), End: day(2021, 3, 1), Today: day(2021, 2, 1), TodayLabel: nasty,
			Rows:         []GanttRow{{Label: nasty, Start: day(2021, 1, 5), End: day(2021, 2, 5), Status: "late"}},
			MonthLabel:   func(time.Time) string { return "<&>" },
			StatusLabels: map[string]string{"late": nasty}}},
		{"heat", Heat{Rows: []string{nasty}, Cols: []string{"<&>"}, Values: [][]float64{{0.5}}, Text: [][]string{{"a<b"}}, NALabel: nasty}},
		{"stack", Stack{Categories: []string{nasty}, Series: []Series{{Name: nasty, Values: []float64{1}}}, Notes: []string{"<&>"}}},
	}
	for _, s := range charts {
		svg, err := SVG(s.c, reportSize)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		text := checkSVG(t, svg)
		if !strings.Contains(text, "R&D") || !strings.Contains(text, "<") {
			t.Errorf("%s: text with & and < lost:\n%s", s.name, text)
		}
		if _, err := PNG(s.c, reportSize); err != nil {
			t.Errorf("%s: PNG: %v", s.name, err)
		}
	}
}

func TestVietnameseNFC(t *testing.T) {
	nfd := norm.NFD.String("Tân Quy Đông")
	if nfd == "Tân Quy Đông" {
		t.Fatal("test input is not decomposed")
	}
	b := Bars{Categories: []string{nfd, norm.NFD.String("Phường Trường Thọ")}, Series: []Series{{Name: "x", Values: []float64{1, 2}}}, YLabel: norm.NFD.String("Tỷ lệ công nhận (% số đăng ký)")}
	svg, err := SVG(b, reportSize)
	if err != nil {
		t.Fatal(err)
	}
	text := checkSVG(t, svg)
	for _, want := range []string{"Tân Quy Đông", "Trường Thọ", "Tỷ lệ công nhận (% số đăng ký)"} {
		if !strings.Contains(text, want) {
			t.Errorf("SVG lacks NFC %q:\n%s", want, text)
		}
	}
	if !norm.NFC.IsNormalString(text) {
		t.Error("SVG text is not NFC")
	}
	if !bytes.Contains(svg, []byte("DejaVu Sans")) {
		t.Error("SVG does not name DejaVu Sans")
	}
}

func TestEdgeCases(t *testing.T) {
	allNaN := []float64{nan, nan}
	ok := []named{
		{"bars no series", Bars{Categories: []string{"a", "b"}}},
		{"bars all NaN", Bars{Categories: []string{"a", "b"}, Series: []Series{{Name: "s", Values: allNaN}}}},
		{"bars zeros", Bars{Categories: []string{"a", "b"}, Series: []Series{{Name: "s", Values: []float64{0, 0}}}}},
		{"bars negative", Bars{Categories: []string{"a", "b"}, Series: []Series{{Name: "s", Values: []float64{-3, 5}}}}},
		{"bars one category", Bars{Categories: []string{"Tân Quy Đông"}, Series: []Series{{Name: "s", Values: []float64{42}}}, Ref: &Ref{Value: 80, Label: "Mục tiêu"}}},
		{"bars YMax below data", Bars{Categories: []string{"a"}, Series: []Series{{Name: "s", Values: []float64{150}}}, YMax: 100}},
		{"bars many series", Bars{Categories: []string{"a", "b"}, Series: []Series{{"1", []float64{1, 2}, false, nil}, {"2", []float64{1, 2}, false, nil}, {"3", []float64{1, 2}, false, nil}, {"4", []float64{1, 2}, false, nil}, {"5", []float64{1, 2}, false, nil}, {"6", []float64{1, 2}, false, nil}}}},
		{"lines no series", Lines{Categories: []string{"a"}}},
		{"lines all NaN", Lines{Categories: []string{"a", "b"}, Series: []Series{{Name: "s", Values: allNaN}}}},
		{"lines one point", Lines{Categories: []string{"a"}, Series: []Series{{Name: "s", Values: []float64{3}}}}},
		{"lines constant", Lines{Categories: []string{"a", "b"}, Series: []Series{{Name: "s", Values: []float64{5, 5}}}, YMin: 5, YMax: 5}},
		{"lines many categories", Lines{Categories: make([]string, 200), Series: []Series{{Name: "s", Values: make([]float64, 200)}}}},
		{"histogram empty", Histogram{Min: 0, Max: 100, Width: 10, Threshold: 80}},
		{"histogram odd width", Histogram{Values: []float64{0, 99.9, 100, 101, nan}, Min: 0, Max: 100, Width: 30, Threshold: 200}},
		{"gantt today before", Gantt{Start: day(2021, 1, 1), End: day(2021, 6, 1), Today: day(2020, 1, 1), TodayLabel: "x", Rows: []GanttRow{{Label: "a", Start: day(2020, 1, 1), End: day(2022, 1, 1)}}}},
		{"gantt today after", Gantt{Start: day(2021, 1, 1), End: day(2021, 6, 1), Today: day(2030, 1, 1), Rows: []GanttRow{{Label: "a", Start: day(2021, 7, 1), End: day(2021, 7, 1), Milestone: true}}}},
		{"gantt no rows", Gantt{Start: day(2021, 1, 1), End: day(2021, 1, 2)}},
		{"gantt many rows", Gantt{Start: day(2021, 1, 1), End: day(2025, 1, 1), Rows: make([]GanttRow, 60)}},
		{"heat NaN", Heat{Rows: []string{"a", "b"}, Cols: []string{"x"}, Values: [][]float64{{nan}, {2}}}},
	}
	for _, s := range ok {
		for _, size := range []Size{reportSize, {Width: 60, Height: 40, DPI: 72}} {
			if _, err := PNG(s.c, size); err != nil {
				t.Errorf("%s at %v: PNG: %v", s.name, size, err)
			}
			svg, err := SVG(s.c, size)
			if err != nil {
				t.Errorf("%s at %v: SVG: %v", s.name, size, err)
				continue
			}
			checkSVG(t, svg)
		}
	}
	bad := []named{
		{"bars no categories", Bars{}},
		{"bars length mismatch", Bars{Categories: []string{"a"}, Series: []Series{{Name: "s", Values: []float64{1, 2}}}}},
		{"lines no categories", Lines{Series: []Series{{Name: "s"}}}},
		{"histogram zero width", Histogram{Min: 0, Max: 1}},
		{"histogram max < min", Histogram{Min: 2, Max: 1, Width: 1}},
		{"histogram weights length", Histogram{Values: []float64{1, 2}, Weights: []int64{3}, Min: 0, Max: 4, Width: 1}},
		{"histogram negative weight", Histogram{Values: []float64{1}, Weights: []int64{-1}, Min: 0, Max: 4, Width: 1}},
		{"gantt no range", Gantt{}},
		{"heat empty", Heat{}},
		{"heat shape", Heat{Rows: []string{"a"}, Cols: []string{"x", "y"}, Values: [][]float64{{1}}}},
		{"heat text shape", Heat{Rows: []string{"a"}, Cols: []string{"x"}, Values: [][]float64{{1}}, Text: [][]string{{}}}},
	}
	for _, s := range bad {
		if _, err := PNG(s.c, reportSize); err == nil {
			t.Errorf("%s: no error", s.name)
		} else if !strings.HasPrefix(err.Error(), "chart: ") {
			t.Errorf("%s: error %q lacks the package prefix", s.name, err)
		}
	}
}

// rgb returns the colour at (x, y) as opaque RGB.
func rgb(img image.Image, x, y int) color.RGBA {
	r, g, b, _ := img.At(x, y).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
}

func sameColor(c color.RGBA, hex string) bool {
	var r, g, b uint8
	fmt.Sscanf(hex, "%02x%02x%02x", &r, &g, &b)
	return c == color.RGBA{r, g, b, 255}
}

// TestHistogramWeights: a distribution given as values with their weights
// draws the same picture, byte for byte, as every value repeated.
func TestHistogramWeights(t *testing.T) {
	h := sampleHistogram()
	counts := map[float64]int64{}
	for _, v := range h.Values {
		counts[v]++
	}
	w := h
	w.Values, w.Weights = nil, nil
	for v, n := range counts {
		w.Values, w.Weights = append(w.Values, v), append(w.Weights, n)
	}
	// and values counted three times: every bin's label changes
	tripled := h
	tripled.Values = append(append(append([]float64(nil), h.Values...), h.Values...), h.Values...)
	w3 := w
	w3.Weights = nil
	for _, n := range w.Weights {
		w3.Weights = append(w3.Weights, 3*n)
	}
	for _, c := range []struct {
		name        string
		plain, bins Histogram
	}{{"once", h, w}, {"three times", tripled, w3}} {
		want, got := mustPNG(t, c.plain, reportSize), mustPNG(t, c.bins, reportSize)
		if !bytes.Equal(want, got) {
			t.Errorf("%s: the weighted histogram's PNG differs from the repeated values'", c.name)
		}
	}
	if bytes.Equal(mustPNG(t, h, reportSize), mustPNG(t, w3, reportSize)) {
		t.Error("weights make no difference to the picture")
	}
}

// TestHistogramThresholdPixels finds the threshold line in the PNG: the
// column at the threshold's x is the line colour over most of the plot,
// the bins right of it are dark and those left of it light.
func TestHistogramThresholdPixels(t *testing.T) {
	h := Histogram{Values: []float64{10, 50, 55, 85, 85, 95}, Min: 0, Max: 100, Width: 10, Threshold: 80}
	img := decodePNG(t, mustPNG(t, h, reportSize))
	// Find the columns painted the threshold colour in the middle row.
	b := img.Bounds()
	var cols []int
	midY := b.Dy() / 2
	for x := 0; x < b.Dx(); x++ {
		if sameColor(rgb(img, x, midY), "a61c1c") {
			cols = append(cols, x)
		}
	}
	if len(cols) == 0 {
		t.Fatal("no threshold line colour in the middle row")
	}
	x := cols[len(cols)/2]
	// The line must be at 80 % of the plot's width: the 0 and 100 tick
	// marks bound the plot; find them as the axis extent on the baseline.
	red := 0
	for y := 0; y < b.Dy(); y++ {
		if sameColor(rgb(img, x, y), "a61c1c") {
			red++
		}
	}
	if red < b.Dy()/2 {
		t.Errorf("threshold column %d has %d line pixels of %d", x, red, b.Dy())
	}
	// Bins 80–90 and 90–100 (dark) are right of the line; 50–60 (light) left.
	baseY := int(float64(b.Dy()) * 0.8)
	dark, light := 0, 0
	for xx := x + 3; xx < b.Dx(); xx++ {
		if sameColor(rgb(img, xx, baseY), "1b365d") {
			dark++
		}
		if sameColor(rgb(img, xx, baseY), "b4c7dc") {
			light++
		}
	}
	if dark == 0 || light != 0 {
		t.Errorf("right of the threshold: %d dark and %d light pixels, want dark only", dark, light)
	}
	dark, light = 0, 0
	for xx := 0; xx < x-3; xx++ {
		if sameColor(rgb(img, xx, baseY), "1b365d") {
			dark++
		}
		if sameColor(rgb(img, xx, baseY), "b4c7dc") {
			light++
		}
	}
	if light == 0 || dark != 0 {
		t.Errorf("left of the threshold: %d dark and %d light pixels, want light only", dark, light)
	}
}

func mustPNG(t testing.TB, c Chart, s Size) []byte {
	t.Helper()
	b, err := PNG(c, s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBarsZeroDrawsNoBar compares a chart with a zero value and one with a
// positive value: only the second has bar colour in that category's column.
func TestBarsZeroDrawsNoBar(t *testing.T) {
	count := func(v float64) (first, second int) {
		b := Bars{Categories: []string{"a", "b"}, Series: []Series{{Name: "s", Values: []float64{v, 50}}}, YMax: 100}
		img := decodePNG(t, mustPNG(t, b, reportSize))
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		for y := h / 4; y < h*3/4; y++ {
			for x := 0; x < w; x++ {
				if sameColor(rgb(img, x, y), "1b365d") {
					if x < w/2 {
						first++
					} else {
						second++
					}
				}
			}
		}
		return
	}
	z, other := count(0)
	if z != 0 || other == 0 {
		t.Errorf("value 0: %d bar pixels in its half (want 0), %d in the other (want > 0)", z, other)
	}
	if nz, _ := count(100); nz == 0 {
		t.Error("value 100: no bar pixels")
	}
	if nn, _ := count(nan); nn != 0 {
		t.Errorf("NaN: %d bar pixels", nn)
	}
}

// TestTextSizeMatches checks that PNG and SVG text have the same size: the
// PNG's capital H at 20 pt is about 0.73 em tall.
func TestTextSizeMatches(t *testing.T) {
	cv, err := newCanvas(Size{Width: 100, Height: 50, DPI: 144}, false)
	if err != nil {
		t.Fatal(err)
	}
	cv.rect(0, 0, 100, 50, white, none, 0)
	cv.text("H", 10, 40, 20, black, alignLeft)
	var buf bytes.Buffer
	if err := cv.r.Save(&buf); err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, buf.Bytes())
	top, bottom := -1, -1
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			if c := rgb(img, x, y); c.R < 128 {
				if top < 0 {
					top = y
				}
				bottom = y
			}
		}
	}
	got := float64(bottom-top+1) / 2 // pixels per point at 144 dpi
	if want := 20 * capHeight; math.Abs(got-want) > 1 {
		t.Errorf("H is %.1f pt tall, want %.1f", got, want)
	}
	if math.Abs(float64(bottom+1)/2-40) > 0.75 {
		t.Errorf("baseline at %.1f pt, want 40", float64(bottom+1)/2)
	}
}

// TestWriteSamples writes every sample chart as PNG and SVG to -out:
//
//	go test ./reports/chart/ -run TestWriteSamples -args -out /tmp/charts
func TestWriteSamples(t *testing.T) {
	if *outDir == "" {
		t.Skip("no -out directory")
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	edges := []named{
		{"edge_bars_one", Bars{Categories: []string{"Tân Quy Đông"}, Series: []Series{{Name: "s", Values: []float64{42}}}, Ref: &Ref{Value: 80, Label: "Mục tiêu"}, Label: viPercent, YLabel: "Tỷ lệ"}},
		{"edge_bars_nan", Bars{Categories: []string{"a", "b"}, Series: []Series{{Name: "s", Values: []float64{nan, nan}}}}},
		{"edge_bars_six", Bars{Categories: wards[:4], Series: []Series{{"Một", []float64{1, 2, 3, 4}, false, nil}, {"Hai", []float64{2, 2, 3, 4}, false, nil}, {"Ba", []float64{3, 2, 3, 4}, false, nil}, {"Bốn", []float64{4, 2, 3, 4}, false, nil}, {"Năm", []float64{5, 2, 3, 4}, false, nil}, {"Sáu", []float64{-1, 2, 3, 4}, false, nil}}}},
		{"edge_lines_many", Lines{Categories: sampleLines().Categories[:12], Series: []Series{{Name: "s", Values: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1200}}}, Label: viFormat}},
		{"edge_gantt_today", Gantt{Start: day(2021, 1, 1), End: day(2021, 6, 1), Today: day(2030, 1, 1), TodayLabel: "Hôm nay", Rows: []GanttRow{{Label: "a", Start: day(2020, 1, 1), End: day(2022, 1, 1), Status: "late"}, {Label: "b", Start: day(2021, 3, 1), End: day(2021, 3, 1), Milestone: true, Status: "due"}}}},
		{"edge_heat_small", Heat{Rows: []string{"Tân Quy Đông", "b"}, Cols: []string{"x"}, Values: [][]float64{{nan}, {0.9}}}},
		{"edge_hist_empty", Histogram{Min: 0, Max: 100, Width: 10, Threshold: 80, ThresholdLabel: "Ngưỡng 80"}},
	}
	for _, s := range edges {
		if err := os.WriteFile(filepath.Join(*outDir, s.name+".png"), mustPNG(t, s.c, Size{Width: 240, Height: 150, DPI: 200}), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range samples() {
		size := reportSize
		switch s.name { // the heights the report uses
		case "gantt":
			size.Height = 18*8 + 60
		case "heat":
			size.Height = 30*8 + 70
		}
		p := mustPNG(t, s.c, size)
		svg, err := SVG(s.c, size)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*outDir, s.name+".png"), p, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*outDir, s.name+".svg"), svg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkFullSet(b *testing.B) {
	set := samples()
	size := Size{Width: 480, Height: 260, DPI: 200}
	b.Run("PNG200", func(b *testing.B) {
		for b.Loop() {
			for _, s := range set {
				if _, err := PNG(s.c, size); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("SVG", func(b *testing.B) {
		for b.Loop() {
			for _, s := range set {
				if _, err := SVG(s.c, size); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestTitled: the PNG for reuse is the chart's image, unchanged, between a
// title band and a foot band that both hold text.
func TestTitled(t *testing.T) {
	s := Size{Width: 400, Height: 200, DPI: 100}
	body, err := PNG(Bars{Categories: []string{"Tân Phú Đông", "Tân Quy Tây"}, Series: []Series{{Name: "Đăng ký", Values: []float64{11, 10}}}}, s)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Titled(body, s, "Hình 9. Người đăng ký và người đạt tiêu chí theo xã, phường, một tiêu đề dài đủ để xuống dòng ở khổ này", "Nguồn: Hội Khuyến học thành phố Sa Đéc, báo cáo tháng 03/2021, ngày 01/04/2021.")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	chartImg, _ := png.Decode(bytes.NewReader(body))
	cb, b := chartImg.Bounds(), img.Bounds()
	if b.Dx() != cb.Dx() || b.Dy() < cb.Dy()+40 {
		t.Fatalf("titled %v, chart %v: want the same width and room for two lines of title and a foot", b, cb)
	}
	// Find the chart's rows inside: the bands are what is above and below.
	top := -1
	for y := 0; y+cb.Dy() <= b.Dy() && top < 0; y++ {
		same := true
		for x := 0; x < cb.Dx() && same; x += 7 {
			for yy := 0; yy < cb.Dy() && same; yy += 11 {
				r1, g1, b1, _ := img.At(x, y+yy).RGBA()
				r2, g2, b2, _ := chartImg.At(x, yy).RGBA()
				same = r1 == r2 && g1 == g2 && b1 == b2
			}
		}
		if same {
			top = y
		}
	}
	if top < 0 {
		t.Fatal("the chart is not inside the titled PNG unchanged")
	}
	ink := func(y0, y1 int) int {
		n := 0
		for y := y0; y < y1; y++ {
			for x := 0; x < b.Dx(); x++ {
				if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
					n++
				}
			}
		}
		return n
	}
	if ink(0, top) < 200 || ink(top+cb.Dy(), b.Dy()) < 100 {
		t.Errorf("title band %d dark pixels, foot band %d: want text in both", ink(0, top), ink(top+cb.Dy(), b.Dy()))
	}
}

// TestBarLabels: a series' own labels replace the formatted values, and a NaN
// value with a label draws its label, not a bar, so "1/2" and "–" differ from
// a bar of 0%.
func TestBarLabels(t *testing.T) {
	b := Bars{Categories: []string{"Tân Phú Đông", "Tân Quy Tây", "Tân Quy Đông"}, YMax: 1,
		Series: []Series{{Name: "s", Values: []float64{0, math.NaN(), math.NaN()}, Labels: []string{"", "1/2", "–"}}},
		Label:  func(v float64) string { return strconv.Itoa(int(v*100)) + "%" }}
	svg, err := SVG(b, Size{Width: 300, Height: 150, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">0%<", ">1/2<", ">–<"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks the label %s", want)
		}
	}
}

// TestHBars draws indicators by their names: every name and value label is
// in the SVG, the reference labelled, in both formats.
func TestHBars(t *testing.T) {
	h := HBars{Categories: []string{"1. Đọc và cập nhật thông tin", "6. Sử dụng ngoại ngữ"},
		Series: []Series{{Name: "Nông dân", Values: []float64{7.5, 3.9}}, {Name: "Cán bộ", Values: []float64{8, math.NaN()}, Labels: []string{"", "–"}}},
		XMax:   10, Ref: &Ref{Value: 5, Label: "Tối thiểu 5"}}
	svg, err := SVG(h, Size{Width: 480, Height: 160, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Đọc và cập nhật thông tin", "6. Sử dụng ngoại ngữ", ">7.5<", ">3.9<", ">–<", "Tối thiểu 5", "Nông dân"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if _, err := PNG(h, Size{Width: 480, Height: 160, DPI: 100}); err != nil {
		t.Fatal(err)
	}
	if _, err := SVG(HBars{Categories: []string{"a"}, Series: []Series{{Values: []float64{1, 2}}}}, Size{Width: 100, Height: 100}); err == nil {
		t.Error("a series longer than the categories: want an error")
	}
}

// TestBarBands: grade bands draw their dashed lines, and bands outside the
// axis are left out.
func TestBarBands(t *testing.T) {
	b := Bars{Categories: []string{"TPD-MN", "TQT-TH"}, YMax: 1, Series: []Series{{Name: "TC1", Values: []float64{0.9, 0.6}}}}
	plain, err := SVG(b, Size{Width: 300, Height: 150, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	b.Bands = []Band{{From: 0.5, To: 0.7}, {From: 0.7, To: 0.85}, {From: 0.85, To: 1}, {From: 2, To: 3}}
	banded, err := SVG(b, Size{Width: 300, Height: 150, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	if got := bytes.Count(banded, []byte("stroke-dasharray")) - bytes.Count(plain, []byte("stroke-dasharray")); got != 3 {
		t.Errorf("%d more dashed lines with bands, want 3 (the band out of range left out)", got)
	}
}

// TestStack: each bar splits the full width into the series' shares of the
// category's total (a part of 3 in 4 three times as wide as the part of 1),
// parts are labelled with their counts, a category with a note draws the note
// and no bar, and a chart of zeros has nothing to draw.
func TestStack(t *testing.T) {
	s := Stack{Categories: []string{"Tân Phú Đông", "Tân Quy Tây", "Tân Quy Đông"},
		Series: []Series{{Name: "Đủ điều kiện", Values: []float64{3, 1, 0}}, {Name: "Chưa đạt", Values: []float64{1, 3, 2}}},
		Notes:  []string{"", "", "0/2 đủ điều kiện"}}
	svg, err := SVG(s, Size{Width: 400, Height: 160, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	// The filled rectangles of each colour below the legend: x from, x to.
	parts := map[string][][2]int{}
	re := regexp.MustCompile(`<path d="M (\d+) (\d+)\nL (\d+) \d+\nL \d+ (\d+)\nL \d+ \d+\nZ" style="stroke:none;fill:(rgb\([0-9,]+\))"/>`)
	for _, m := range re.FindAllStringSubmatch(string(svg), -1) {
		x0, _ := strconv.Atoi(m[1])
		y0, _ := strconv.Atoi(m[2])
		x1, _ := strconv.Atoi(m[3])
		if y0 > 20 { // below the legend
			parts[m[5]] = append(parts[m[5]], [2]int{x0, x1})
		}
	}
	navy, orange := parts["rgb(27,54,93)"], parts["rgb(232,137,43)"]
	if len(navy) != 2 || len(orange) != 2 {
		t.Fatalf("parts %v: want two bars of two parts each, none for the category with a note", parts)
	}
	w := func(p [2]int) int { return p[1] - p[0] }
	if a, b := w(navy[0]), w(orange[0]); abs(a-3*b) > 3 {
		t.Errorf("first bar: parts %d and %d wide, want 3:1", a, b)
	}
	if a, b := w(navy[1]), w(orange[1]); abs(3*a-b) > 3 {
		t.Errorf("second bar: parts %d and %d wide, want 1:3", a, b)
	}
	if navy[0][0] != navy[1][0] || orange[0][1] != orange[1][1] {
		t.Errorf("bars %v %v: want the same start and end, 0 to 100%%", navy, orange)
	}
	for _, want := range []string{">3<", ">0/2 đủ điều kiện<", "Tân Quy Đông", "Chưa đạt"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if _, err := PNG(s, Size{Width: 400, Height: 160, DPI: 100}); err != nil {
		t.Fatal(err)
	}
	zero := Stack{Categories: []string{"a"}, Series: []Series{{Name: "x", Values: []float64{0}}}}
	if HasData(&zero) {
		t.Error("a stack of zeros: want nothing to draw")
	}
	if _, err := SVG(Stack{Categories: []string{"a", "b"}, Series: []Series{{Values: []float64{1, 2}}}, Notes: []string{""}}, Size{Width: 100, Height: 100}); err == nil {
		t.Error("fewer notes than categories: want an error")
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
