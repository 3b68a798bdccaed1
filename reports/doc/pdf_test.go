package doc

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// testPNG draws a bar chart of w×h pixels: bars on a white, partly
// transparent background, as a chart writer would.
func testPNG(t testing.TB, w, h int, alpha bool, seed int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	bg := color.NRGBA{255, 255, 255, 255}
	if alpha {
		bg.A = 0
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, bg)
		}
	}
	axis := color.NRGBA{40, 40, 40, 255}
	for x := w / 20; x < w-w/20; x++ {
		img.SetNRGBA(x, h-h/10, axis)
	}
	for y := h / 20; y < h-h/10; y++ {
		img.SetNRGBA(w/20, y, axis)
	}
	bars := []int{70, 45, 90, 30, 60, 80}
	bw := (w - w/10) / (2 * len(bars))
	for i, v := range bars {
		x0 := w/20 + bw/2 + 2*i*bw
		v = 10 + (v+seed*13)%90
		top := h - h/10 - (h-h/5)*v/100
		c := color.NRGBA{uint8(30 + 30*i), 90, uint8(200 - 25*i), 255}
		for y := top; y < h-h/10; y++ {
			for x := x0; x < x0+bw; x++ {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// testGray16PNG is a 16-bit grey PNG, which gopdf cannot read as it is.
func testGray16PNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray16(image.Rect(0, 0, 400, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 400; x++ {
			img.SetGray16(x, y, color.Gray16{uint16(x * 160)})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wards are names with the diacritics that go wrong first.
var wards = []string{"Tân Quy Đông", "Phường 1", "Phường 2", "Phường 3", "An Hòa", "Tân Khánh Đông", "Tân Quy Tây", "Tân Phú Đông", "Mỹ Ngãi", "Mỹ Tân"}

// testTable is a table of n rows of the wards, with marks and a total.
func testTable(id string, n int) *Table {
	t := &Table{
		ID:    id,
		Title: "Bảng " + id + ". Kết quả công nhận Công dân học tập theo khu phố, ấp",
		Columns: []Column{
			{Name: "STT", Align: Right, Width: 0.6},
			{Name: "Khu phố, ấp", Width: 3},
			{Name: "Đăng ký", Align: Right, Width: 1},
			{Name: "Đạt", Align: Right, Width: 1},
			{Name: "Tỉ lệ", Align: Right, Width: 1},
			{Name: "Ghi chú", Align: Center, Width: 1.6},
		},
		Note: "Tỉ lệ = số được công nhận / số đăng ký. Nguồn: báo cáo của các khu phố, ấp.",
	}
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("Dòng %03d – %s", i, wards[i%len(wards)])
		if i%17 == 0 {
			name += ", khu dân cư mới thành lập theo quyết định của Ủy ban nhân dân thành phố"
		}
		mark, note := Plain, ""
		switch i % 9 {
		case 2:
			mark, note = Good, "vượt chỉ tiêu"
		case 5:
			mark, note = Bad, "chưa đạt"
		case 7:
			mark, note = Muted, "chưa báo cáo"
		}
		t.Rows = append(t.Rows, []Cell{
			{Text: strconv.Itoa(i)},
			{Text: name},
			{Text: strconv.Itoa(30 + i%7)},
			{Text: strconv.Itoa(20 + i%11)},
			{Text: fmt.Sprintf("%d,%d%%", 60+i%40, i%10), Mark: mark},
			{Text: note, Mark: mark},
		})
	}
	t.Total = []Cell{{}, {Text: "Tổng cộng"}, {Text: "3.912"}, {Text: "2.874"}, {Text: "73,5%"}, {}}
	return t
}

// testDocument exercises every block type.
func testDocument(t testing.TB, chartPNG []byte) *Document {
	limited := testTable("2", 80)
	limited.Limit = 50
	limited.LimitNote = "Bảng chỉ in 50 dòng đầu; toàn bộ 80 dòng có trong tệp Excel kèm theo."
	return &Document{
		Lang:     "vi",
		Title:    "BÁO CÁO\nKết quả thí điểm mô hình Công dân học tập tháng 3 năm 2021 trên địa bàn thành phố Sa Đéc",
		Subtitle: "Số liệu đến hết ngày 31 tháng 3 năm 2021",
		Header: Header{
			ParentOrg: "Hội khuyến học tỉnh Đồng Tháp",
			Org:       "HỘI KHUYẾN HỌC THÀNH PHỐ SA ĐÉC",
			Number:    "Số: 12/BC-HKH",
			Motto:     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			Motto2:    "Độc lập - Tự do - Hạnh phúc",
			PlaceDate: "Sa Đéc, ngày 01 tháng 4 năm 2021",
		},
		Footer: "Báo cáo tháng 03/2021 — phiên bản 2",
		Blocks: []Block{
			&Heading{Level: 1, Text: "I. KẾT QUẢ CHUNG", ID: "ket-qua"},
			&Paragraph{Text: "Thực hiện Kế hoạch số 05/KH-HKH của Hội Khuyến học thành phố về việc thí điểm mô hình " +
				"Công dân học tập, trong tháng 3 năm 2021 các phường, xã đã tổ chức đăng ký, đánh giá và công nhận " +
				"danh hiệu cho người dân trên địa bàn. Phường Tân Quy Đông dẫn đầu về tỉ lệ được công nhận; " +
				"một số ấp của xã Tân Khánh Đông chưa gửi báo cáo đúng hạn."},
			&Figures{Items: []Figure{
				{Label: "Công dân học tập được công nhận", Value: "25", Change: "+3 so với tháng trước", Note: "80,6% số đăng ký (31)"},
				{Label: "Gia đình học tập", Value: "1.204", Change: "+57", Note: "62,1% số hộ (1.939)"},
				{Label: "Dòng họ học tập", Value: "18", Change: "không đổi", Note: "75,0% số đăng ký (24)"},
				{Label: "Cộng đồng học tập cấp ấp, khu phố", Value: "9", Note: "45,0% (20)"},
				{Label: "Đơn vị học tập", Value: "31", Change: "−2 so với tháng trước", Note: "88,6% (35)"},
			}},
			&Paragraph{Text: "Các chỉ tiêu đạt được:", Bullet: false},
			&Paragraph{Text: "Tỉ lệ hộ gia đình đăng ký đạt 92,3%, vượt chỉ tiêu được giao ở đầu năm.", Bullet: true},
			&Paragraph{Text: "Số người học qua các trung tâm học tập cộng đồng tăng mạnh ở các phường nội ô; ở các xã, " +
				"việc học tập chủ yếu qua các buổi sinh hoạt ấp và câu lạc bộ, cần được ghi nhận đầy đủ hơn trong sổ theo dõi.", Bullet: true},
			&Paragraph{Text: "Nguồn: tổng hợp báo cáo của 9 phường, xã; số liệu ước tính cho các ấp chưa báo cáo.", Note: true},
			&Heading{Level: 2, Text: "1. Kết quả theo khu phố, ấp", ID: "khu-pho"},
			testTable("1", 120),
			&Paragraph{Text: norm.NFD.String("Tân Quy Đông được tách thành hai khu phố từ tháng 2; số liệu của hai khu phố mới được cộng dồn.")},
			limited,
			&PageBreak{},
			&Heading{Level: 1, Text: "II. BIỂU ĐỒ", ID: "bieu-do"},
			&Chart{ID: "01-goals", Title: "Hình 1. Tỉ lệ đạt các chỉ tiêu theo phường, xã", Caption: "Tỉ lệ là số được công nhận trên số đăng ký; vạch đậm là chỉ tiêu năm 2021.",
				PNG: chartPNG, Width: 720, Height: 405},
			&Chart{ID: "02-grey", Title: "Hình 2. Mức độ tham gia (ảnh xám 16 bit)", Caption: "Ảnh thử: thang xám.",
				PNG: testGray16PNG(t)},
			&Paragraph{Text: "Đề nghị Ban Thường vụ Hội xem xét, cho ý kiến chỉ đạo để triển khai mở rộng mô hình trong quý II năm 2021."},
		},
		Closing: Closing{
			RecipientsLabel: "Nơi nhận:",
			Recipients:      []string{"Hội Khuyến học tỉnh Đồng Tháp;", "Thường trực Thành ủy, UBND thành phố;", "Các phường, xã;", "Lưu: VT."},
			SignerRole:      "TM. BAN THƯỜNG VỤ",
			SignerTitle:     "CHỦ TỊCH",
			SignerName:      "Nguyễn Thị Ngọc Ánh",
		},
	}
}

var testInfo = Info{
	Title:     "Báo cáo tháng 3 năm 2021",
	Author:    "Hội Khuyến học thành phố Sa Đéc",
	Generated: time.Date(2021, 4, 1, 8, 30, 0, 0, time.FixedZone("ICT", 7*3600)),
}

// pagesRE matches a page object, not the page tree.
var pagesRE = regexp.MustCompile(`/Type /Page\n`)

// requirePoppler fails, not skips, without pdftotext: the text checks are
// the point of the test.
func requirePoppler(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not found: install poppler-utils (apt-get install -y poppler-utils) to run the PDF tests")
	}
}

// pdfText extracts the text of page n (1-based; 0: all pages).
func pdfText(t *testing.T, file string, n int) string {
	t.Helper()
	args := []string{"-enc", "UTF-8"}
	if n > 0 {
		args = append(args, "-f", strconv.Itoa(n), "-l", strconv.Itoa(n))
	}
	out, err := exec.Command("pdftotext", append(args, file, "-")...).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

func TestWritePDF(t *testing.T) {
	requirePoppler(t)
	d := testDocument(t, testPNG(t, 1600, 900, true, 0))
	var a, b bytes.Buffer
	if err := WritePDF(&a, d, testInfo); err != nil {
		t.Fatal(err)
	}
	if err := WritePDF(&b, d, testInfo); err != nil {
		t.Fatal(err)
	}
	pdf := a.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("does not start with %%PDF: %q", pdf[:min(20, len(pdf))])
	}
	if !bytes.Equal(pdf, b.Bytes()) {
		t.Error("two writes of the same document differ")
	}
	if !bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Error("no embedded TrueType font (/FontFile2)")
	}
	if !bytes.Contains(pdf, []byte("/CreationDate(D:20210401083000+07'00')")) {
		t.Error("creation date is not info.Generated")
	}
	file := filepath.Join(t.TempDir(), "report.pdf")
	if dir := os.Getenv("HOCTAP_PDF_DIR"); dir != "" { // to look at the pages
		file = filepath.Join(dir, "report.pdf")
	}
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}

	const wantPages = 8
	pages := len(pagesRE.FindAll(pdf, -1))
	if pages != wantPages {
		t.Errorf("%d pages, want %d", pages, wantPages)
	}

	all := pdfText(t, file, 0)
	words := strings.Join(strings.Fields(all), " ") // the header's lines may wrap
	for _, s := range []string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"HỘI KHUYẾN HỌC TỈNH ĐỒNG THÁP", // ParentOrg in upper case
		"THÀNH PHỐ SA ĐÉC",              // the issuing body, wrapped beside the motto
		"Sa Đéc, ngày 01 tháng 4 năm 2021",
		"Công dân học tập",
		"Dòng 001 – Phường 1",     // a table cell
		"Dòng 120 – Tân Quy Đông", // the last row of the long table
		"Tổng cộng",
		"Tân Quy Đông được tách", // NFD in, NFC out
		"Bảng chỉ in 50 dòng đầu",
		"Hình 1. Tỉ lệ đạt",
		"Nơi nhận:",
		"Nguyễn Thị Ngọc Ánh",
		"Báo cáo tháng 03/2021 — phiên bản 2",
	} {
		if !strings.Contains(words, s) {
			t.Errorf("text %q not found", s)
		}
	}
	// Limit: 50 rows of table 2, then the limit note.
	if !strings.Contains(all, "Dòng 050 – ") || strings.Count(all, "Dòng 051 – ") != 1 {
		t.Errorf("table 2 should stop at row 50 (row 51 only in table 1)")
	}

	pageTexts := make([]string, pages+1)
	for n := 1; n <= pages; n++ {
		pageTexts[n] = pdfText(t, file, n)
	}
	if strings.Contains(pageTexts[1], "\n1\n") {
		t.Error("page 1 has a page number")
	}
	for n := 2; n <= pages; n++ {
		if !regexp.MustCompile(`(?m)^` + strconv.Itoa(n) + `$`).MatchString(pageTexts[n]) {
			t.Errorf("page %d: no page number", n)
		}
		if !strings.Contains(pageTexts[n], "Báo cáo tháng 03/2021") {
			t.Errorf("page %d: no footer", n)
		}
	}
	// The long table runs over pages: each page holding its middle rows
	// starts again with the header row.
	continued := 0
	for n := 2; n <= pages; n++ {
		pt := pageTexts[n]
		if strings.Contains(pt, "Dòng 1") && !strings.Contains(pt, "Dòng 001 –") && strings.Contains(pt, "Dòng 119 –") == strings.Contains(pt, "Dòng 118 –") {
			if strings.Contains(pt, "Dòng 060 –") || strings.Contains(pt, "Dòng 100 –") {
				continued++
				for _, h := range []string{"STT", "Khu phố, ấp", "Đăng ký", "Tỉ lệ", "Ghi chú"} {
					if !strings.Contains(pt, h) {
						t.Errorf("page %d: header %q not repeated", n, h)
					}
				}
			}
		}
	}
	if continued == 0 {
		t.Error("the long table did not run over to a new page")
	}
	// The page break: the charts section starts a page.
	for n := 1; n <= pages; n++ {
		if strings.Contains(pageTexts[n], "II. BIỂU ĐỒ") && strings.Contains(pageTexts[n], "Dòng 050") {
			t.Errorf("page %d: the page break before II was ignored", n)
		}
	}
}

// TestWritePDFEmpty writes the smallest documents without failing.
func TestWritePDFEmpty(t *testing.T) {
	for _, d := range []*Document{
		{},
		{Title: "Chỉ có tiêu đề", Blocks: []Block{&Table{Title: "Bảng rỗng"}, &Figures{}, &Table{Columns: []Column{{Name: "A"}}}, nil}},
	} {
		var b bytes.Buffer
		if err := WritePDF(&b, d, Info{}); err != nil {
			t.Fatal(err)
		}
		if n := len(pagesRE.FindAll(b.Bytes(), -1)); n != 1 {
			t.Errorf("%d pages, want 1", n)
		}
	}
}

func TestFiguresPerRow(t *testing.T) {
	for n, want := range map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 3, 6: 3, 7: 4, 8: 4, 9: 3, 10: 4} {
		if got := figuresPerRow(n); got != want {
			t.Errorf("figuresPerRow(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestLayoutColumns(t *testing.T) {
	l := layoutColumns([]Column{{Width: 1}, {Width: 3}}, nil, 400)
	if d := l.w[1] - 3*l.w[0]; d > 1e-9 || d < -1e-9 || l.x[1] != l.x[0]+l.w[0] {
		t.Errorf("shares 1:3 gave widths %v at %v", l.w, l.x)
	}
	l = layoutColumns([]Column{{}, {}, {}}, nil, 400)
	if l.w[0] != l.w[2] {
		t.Errorf("equal shares gave %v", l.w)
	}
	// A column that needs more than its share takes it from the others'
	// slack; the widths still add up to the table's.
	l = layoutColumns([]Column{{Width: 1}, {Width: 1}, {Width: 8}}, []float64{90, 10, 10}, 400)
	if l.w[0] < 90-1e-9 || l.w[1] < 10 || math.Abs(l.w[0]+l.w[1]+l.w[2]-400) > 1e-6 {
		t.Errorf("needs 90, 10, 10 of 400 gave %v", l.w)
	}
}

// TestTableWordsWhole: codes, dates and words of a table are never broken
// inside a cell, in a narrow column of a portrait page or of an annex made
// landscape because its table is too wide.
func TestTableWordsWhole(t *testing.T) {
	requirePoppler(t)
	table := func() *Table {
		tb := &Table{ID: "codes", Title: "Danh sách", Columns: []Column{
			{Name: "STT", Align: Right, Width: 1}, {Name: "Họ và tên", Width: 30}, {Name: "Mã", Width: 1},
			{Name: "Thành viên", Width: 1}, {Name: "Ngày đánh giá", Width: 1}, {Name: "Assessed", Width: 1},
		}}
		for i := 1; i <= 30; i++ {
			tb.Rows = append(tb.Rows, []Cell{{Text: strconv.Itoa(i)}, {Text: "Nguyễn Thị Ngọc Ánh"}, {Text: fmt.Sprintf("TPD-%03d", i)},
				{Text: "Thànhviên"}, {Text: fmt.Sprintf("%02d/06/2021", i)}, {Text: fmt.Sprintf("%02d\u00a0Jun\u00a02021", i)}})
		}
		return tb
	}
	wide := table()
	for i := range 8 {
		wide.Columns = append(wide.Columns, Column{Name: fmt.Sprintf("Chỉ số %d", i+1), Align: Right})
		for r := range wide.Rows {
			wide.Rows[r] = append(wide.Rows[r], Cell{Text: "10,0"})
		}
	}
	d := &Document{Title: "BÁO CÁO", Blocks: []Block{table()},
		Closing: Closing{RecipientsLabel: "Nơi nhận:", Recipients: []string{"Lưu: VT."}, SignerTitle: "CHỦ TỊCH"},
		Annexes: []Annex{{Title: "PHỤ LỤC", Ref: "(Kèm theo Báo cáo số 01/BC-HKH ngày 01/4/2021)", Blocks: []Block{wide}}}}
	var b bytes.Buffer
	if err := WritePDF(&b, d, testInfo); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "codes.pdf")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	all := strings.ReplaceAll(pdfText(t, file, 0), "\u00a0", " ")
	for i := 1; i <= 30; i++ {
		for _, s := range []string{fmt.Sprintf("TPD-%03d", i), fmt.Sprintf("%02d/06/2021", i), fmt.Sprintf("%02d Jun 2021", i)} {
			if n := strings.Count(all, s); n != 2 {
				t.Errorf("%q whole %d times, want 2 (once per table)", s, n)
			}
		}
	}
	for _, s := range []string{"Thànhviên", "Assessed", "Ngày"} {
		if strings.Count(all, s) < 2 {
			t.Errorf("%q broken", s)
		}
	}
	if i, j := strings.Index(all, "Nơi nhận"), strings.Index(all, "PHỤ LỤC"); i < 0 || j < i {
		t.Errorf("Nơi nhận at %d, the annex at %d: the closing must come first", i, j)
	}
	out, err := exec.Command("pdfinfo", "-f", "1", "-l", "9", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`Page\s+1 size:\s+595.28 x 841.89`).Match(out) || !regexp.MustCompile(`size:\s+841.89 x 595.28`).Match(out) {
		t.Errorf("want the body portrait and the wide annex landscape:\n%s", out)
	}
}

func BenchmarkWritePDF(b *testing.B) {
	d := &Document{Title: "Thử tốc độ", Footer: "Thử"}
	for i := 1; i <= 10; i++ {
		chart := testPNG(b, 1600, 900, i%2 == 0, i) // five with an alpha channel
		d.Blocks = append(d.Blocks, &Chart{ID: strconv.Itoa(i), Title: fmt.Sprintf("Hình %d", i), Caption: "Chú thích", PNG: chart, Width: 800, Height: 450})
	}
	d.Blocks = append(d.Blocks, testTable("1", 500))
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WritePDF(&buf, d, testInfo); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1e6, "MB")
}

// TestClosingKeepsLastLines: however long the body, the page with the
// signature also holds the body's last lines: when the closing does not fit
// under them, they move to its page with it.
func TestClosingKeepsLastLines(t *testing.T) {
	requirePoppler(t)
	closing := Closing{RecipientsLabel: "Nơi nhận:", Recipients: []string{"Như trên;", "Lưu: VT, VP."},
		SignerRole: "TM. BAN THƯỜNG VỤ", SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Văn A"}
	last := strings.Repeat("Đoạn cuối của phần nội dung, ", 12) + "hết nội dung."
	moved := 0
	for n := 20; n < 60; n++ {
		d := &Document{Title: "BÁO CÁO", Closing: closing}
		for i := range n {
			d.Blocks = append(d.Blocks, &Paragraph{Text: fmt.Sprintf("Dòng %d của báo cáo.", i+1)})
		}
		d.Blocks = append(d.Blocks, &Paragraph{Text: last, Bullet: true})
		file := filepath.Join(t.TempDir(), "report.pdf")
		var buf bytes.Buffer
		if err := WritePDF(&buf, d, testInfo); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		pages := strings.Split(pdfText(t, file, 0), "\f")
		for i, pg := range pages {
			if !strings.Contains(pg, "Nguyễn Văn A") {
				continue
			}
			if !strings.Contains(pg, "hết nội dung.") {
				t.Errorf("%d lines before the last paragraph: page %d has the signature without the body's last lines:\n%s", n, i+1, pg)
			}
			if !strings.Contains(pg, "Dòng") && i > 0 {
				moved++ // the last lines moved with the closing
			}
		}
	}
	if moved == 0 {
		t.Error("no length of the body made the closing move: the test does not reach the case")
	}
}

// TestTableTypeForRoom: a table whose longest words fit but leave a column of
// wrapping text much less than the width it asks for is set in smaller type
// than the largest at which its words fit (the English units' table: long
// single-word headers squeezed the units' names to four or five lines); a
// table with room keeps the full size, and every column still holds its
// longest word.
func TestTableTypeForRoom(t *testing.T) {
	p, err := newPDFWriter(&Document{Lang: "en"}, Info{})
	if err != nil {
		t.Fatal(err)
	}
	p.textW = a4Short - marginLeft - marginRight
	// fit is the largest size at which the table's longest words fit.
	fit := func(tb *Table) float64 {
		for size := float64(sizeTable); size >= tableMinSize; size -= 0.5 {
			need, _ := p.columnNeeds(tb, tb.Rows, size)
			total := 0.0
			for _, n := range need {
				total += n
			}
			if total <= p.textW {
				return size
			}
		}
		return tableMinSize
	}
	units := &Table{}
	for _, c := range []struct {
		name, cell string
		width      float64
	}{
		{"Unit", "Văn phòng UBND phường Tân Quy Đông (TQD-UB)", 26}, {"Ward", "Tân Quy Đông", 11},
		{"TC1 (30)", "25.0", 7}, {"TC2 (30)", "27.0", 7}, {"TC3 (40)", "33.0", 7}, {"Total", "85.0", 7},
		{"Grade", "Average", 9}, {"Recognition", "Recognised", 12}, {"Members", "26", 7},
		{"Members recognised", "2", 8}, {"Share of members recognised", "7.7%", 8},
	} {
		units.Columns = append(units.Columns, Column{Name: c.name, Width: c.width})
		if len(units.Rows) == 0 {
			units.Rows = [][]Cell{nil}
		}
		units.Rows[0] = append(units.Rows[0], Cell{Text: c.cell})
	}
	roomy := &Table{Columns: []Column{{Name: "Unit", Width: 26}, {Name: "Ward", Width: 11}, {Name: "Total", Width: 7}},
		Rows: [][]Cell{{{Text: "Văn phòng UBND phường Tân Quy Đông (TQD-UB)"}, {Text: "Tân Quy Đông"}, {Text: "85.0"}}}}
	for _, c := range []struct {
		name    string
		t       *Table
		smaller bool
	}{{"units", units, true}, {"roomy", roomy, false}} {
		l, f := p.layoutTable(c.t), fit(c.t)
		if got := l.size < f; got != c.smaller {
			t.Errorf("%s: type %.1f pt, its words fit at %.1f: want smaller %v", c.name, l.size, f, c.smaller)
		}
		need, _ := p.columnNeeds(c.t, c.t.Rows, l.size)
		for i, w := range l.w {
			if w < need[i]-1e-6 {
				t.Errorf("%s: column %d is %.1f pt, narrower than its longest word, %.1f", c.name, i, w, need[i])
			}
		}
	}
	if l := p.layoutTable(roomy); l.size != sizeTable {
		t.Errorf("roomy: type %.1f pt, want %d", l.size, sizeTable)
	}
}
