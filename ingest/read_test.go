package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
)

func pilotCfg(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func write(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type got struct {
	res  *Result
	rows []map[string]any
}

func read(t *testing.T, cfg *config.Config, path string, hint Hint) got {
	t.Helper()
	var g got
	res, err := Read(cfg, path, hint, func(tb *Table, r Row) error {
		m := map[string]any{"_dataset": tb.Dataset.Name, "_row": r.Number, "_sheet": tb.Sheet}
		for i, c := range tb.Dataset.Columns {
			if r.Values[i] != nil {
				m[c.Key] = r.Values[i]
			}
		}
		g.rows = append(g.rows, m)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	g.res = res
	return g
}

func (g got) codes(sev string) []string {
	var c []string
	for _, p := range g.res.Problems {
		if p.Severity == sev {
			c = append(c, p.Code)
		}
	}
	return c
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

const citizensCSV = "Mã công dân,Họ và tên,Giới tính,Năm sinh,Nhóm đối tượng,Xã/phường,Ấp/khóm,Mã đơn vị,Ngày đăng ký\n" +
	"TQD-001,Nguyễn Thị Hoa,Nữ,1980,3,P. Tân Qui Đông,,TQD-UB,16/11/2020\n" +
	"tqd-002,Trần Văn Bình,nam,1975,Nông dân,TAN QUY DONG,Khóm 1,,8/12/2020\n"

// Every encoding and separator Excel and web forms produce reads to the same rows.
func TestReadCSVEncodings(t *testing.T) {
	cfg := pilotCfg(t)
	utf16 := func(s string, e unicode.Endianness) []byte {
		b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cp1258, err := charmap.Windows1258.NewEncoder().Bytes([]byte(toneSeparated(strings.ReplaceAll(citizensCSV, ",", ";"))))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, enc string
		data      []byte
	}{
		{"utf-8, comma", "UTF-8", []byte(citizensCSV)},
		{"utf-8 with BOM, semicolon", "UTF-8 BOM", []byte("\ufeff" + strings.ReplaceAll(citizensCSV, ",", ";"))},
		{"utf-16le, tab (Excel Unicode text)", "UTF-16LE", utf16(strings.ReplaceAll(citizensCSV, ",", "\t"), unicode.LittleEndian)},
		{"utf-16be, tab", "UTF-16BE", utf16(strings.ReplaceAll(citizensCSV, ",", "\t"), unicode.BigEndian)},
		{"windows-1258, decomposed marks", "Windows-1258", cp1258},
		{"utf-8 NFD (macOS)", "UTF-8", norm.NFD.Bytes([]byte(citizensCSV))},
		{"CRLF line ends", "UTF-8", []byte(strings.ReplaceAll(citizensCSV, "\n", "\r\n"))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := read(t, cfg, write(t, "ds.csv", tc.data), Hint{Ward: "tan-quy-dong"})
			if g.res.Errors() != 0 || len(g.rows) != 2 {
				t.Fatalf("%d rows, problems %v", len(g.rows), g.res.Problems)
			}
			if g.res.Encoding != tc.enc {
				t.Errorf("encoding %q, want %q", g.res.Encoding, tc.enc)
			}
			r0, r1 := g.rows[0], g.rows[1]
			if r0["full_name"] != "Nguyễn Thị Hoa" || !norm.NFC.IsNormalString(r0["full_name"].(string)) {
				t.Errorf("name %q is not the NFC name", r0["full_name"])
			}
			if r0["ward"] != "tan-quy-dong" || r1["ward"] != "tan-quy-dong" {
				t.Errorf("wards %v, %v", r0["ward"], r1["ward"])
			}
			if r0["gender"] != "Nữ" || r1["gender"] != "Nam" || r0["target_group"] != int64(3) || r1["target_group"] != int64(1) {
				t.Errorf("gender/group: %v %v %v %v", r0["gender"], r1["gender"], r0["target_group"], r1["target_group"])
			}
			if r0["registered_on"] != day(2020, 11, 16) || r1["registered_on"] != day(2020, 12, 8) {
				t.Errorf("dates %v %v", r0["registered_on"], r1["registered_on"])
			}
			if r1["hamlet"] != "Khóm 1" || r0["unit_code"] != "TQD-UB" {
				t.Errorf("hamlet %v, unit %v", r1["hamlet"], r0["unit_code"])
			}
		})
	}
}

// toneSeparated writes Vietnamese the way Windows-1258 holds it: letters with
// their circumflex, breve or horn precomposed, tone marks as separate combining
// characters (so that decoding yields decomposed text).
func toneSeparated(s string) string {
	tones := map[rune]bool{0x300: true, 0x301: true, 0x303: true, 0x309: true, 0x323: true}
	var b strings.Builder
	for _, r := range s {
		d := []rune(norm.NFD.String(string(r)))
		var base []rune
		var tone []rune
		for _, x := range d {
			if tones[x] {
				tone = append(tone, x)
			} else {
				base = append(base, x)
			}
		}
		b.WriteString(norm.NFC.String(string(base)))
		b.WriteString(string(tone))
	}
	return b.String()
}

func TestReadValues(t *testing.T) {
	cfg := pilotCfg(t)
	head := "Mã công dân;Đợt;Ngày đánh giá;Chỉ số 1;Chỉ số 2;Chỉ số 3;Chỉ số 4;Chỉ số 5;Chỉ số 6;Chỉ số 7;Chỉ số 8;Chỉ số 9;Chỉ số 10\n"
	scores := ";8;8;8;8;8;8;8;8;8;8\n"
	cases := []struct {
		name, row string
		code      string // the error expected, or ""
		check     func(map[string]any) bool
	}{
		{"dd/mm/yyyy", "A-1;Khảo sát thực trạng;08/12/2020" + scores, "", func(m map[string]any) bool { return m["assessed_on"] == day(2020, 12, 8) }},
		{"web-form date-time", "A-1;giữa kì;20/03/2021 09:15:42" + scores, "", func(m map[string]any) bool { return m["assessed_on"] == day(2021, 3, 20) && m["round"] == "mid" }},
		{"ISO date", "A-1;final;2021-06-15" + scores, "", func(m map[string]any) bool { return m["assessed_on"] == day(2021, 6, 15) }},
		{"decimal comma and spaces", "A-1;Cuối kỳ;15/06/2021; 8,5 ;7.5;8;8;8;8;8;8;8;8\n", "", func(m map[string]any) bool { return m["i1"] == 8.5 && m["i2"] == 7.5 }},
		{"score of 11", "A-1;Cuối kỳ;15/06/2021;11;8;8;8;8;8;8;8;8;8\n", "out_of_range", nil},
		{"negative score", "A-1;Cuối kỳ;15/06/2021;-1;8;8;8;8;8;8;8;8;8\n", "out_of_range", nil},
		{"score that is not a number", "A-1;Cuối kỳ;15/06/2021;tám;8;8;8;8;8;8;8;8;8\n", "bad_number", nil},
		{"two decimal marks", "A-1;Cuối kỳ;15/06/2021;8,5,1;8;8;8;8;8;8;8;8;8\n", "bad_number", nil},
		{"31 February", "A-1;Cuối kỳ;31/02/2021" + scores, "bad_date", nil},
		{"month/day order is not guessed", "A-1;Cuối kỳ;12/31/2021" + scores, "bad_date", nil},
		{"unknown round", "A-1;đợt 4;15/06/2021" + scores, "unknown_round", nil},
		{"missing required score", "A-1;Cuối kỳ;15/06/2021;;8;8;8;8;8;8;8;8;8\n", "missing_required", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := read(t, cfg, write(t, "a.csv", []byte(head+tc.row)), Hint{})
			errs := g.codes(SevError)
			if tc.code == "" {
				if len(errs) != 0 || len(g.rows) != 1 || !tc.check(g.rows[0]) {
					t.Errorf("rows %v, errors %v", g.rows, g.res.Problems)
				}
				return
			}
			if len(errs) != 1 || errs[0] != tc.code || len(g.rows) != 0 {
				t.Errorf("errors %v (rows %d), want one %s", g.res.Problems, len(g.rows), tc.code)
			}
			p := g.res.Problems[0]
			if p.Row != 2 || p.Column == "" || p.VI == "" || p.EN == "" {
				t.Errorf("problem lacks its place or message: %+v", p)
			}
		})
	}
}

func TestReadUnknownWard(t *testing.T) {
	cfg := pilotCfg(t)
	g := read(t, cfg, write(t, "u.csv", []byte("Mã đơn vị,Tên đơn vị,Loại,Xã/phường,Số thành viên,Ngày đăng ký\nX-1,Trường A,trường tiểu học,Tân Khánh Đông,20,01/12/2020\n")), Hint{})
	if errs := g.codes(SevError); len(errs) != 1 || errs[0] != "unknown_ward" {
		t.Fatalf("problems %v", g.res.Problems)
	}
	p := g.res.Problems[0]
	if !strings.Contains(p.VI, "\"Tân Khánh Đông\" không phải là xã/phường của chương trình (Tân Phú Đông, Tân Quy Tây, Tân Quy Đông)") {
		t.Errorf("message: %s", p.VI)
	}
	if p.Row != 2 || p.Column != "\"Xã/phường\"" || p.Value != "Tân Khánh Đông" {
		t.Errorf("place: %+v", p)
	}
	// A row of another ward than the folder's is refused, not moved silently.
	g = read(t, cfg, write(t, "u.csv", []byte("Mã đơn vị,Tên đơn vị,Loại,Xã/phường,Số thành viên,Ngày đăng ký\nX-1,Trường A,trường tiểu học,Tân Quy Tây,20,01/12/2020\n")), Hint{Ward: "tan-phu-dong"})
	if errs := g.codes(SevError); len(errs) != 1 || errs[0] != "wrong_ward" {
		t.Errorf("problems %v", g.res.Problems)
	}
}

func TestReadNotASpreadsheet(t *testing.T) {
	cfg := pilotCfg(t)
	cases := map[string]struct {
		data []byte
		code string
	}{
		"empty.xlsx":  {nil, "empty_file"},
		"report.pdf":  {[]byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"), "not_a_spreadsheet"},
		"old.xls":     {[]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0}, "not_a_spreadsheet"},
		"photo.jpg":   {[]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, "not_a_spreadsheet"},
		"broken.xlsx": {[]byte("PK\x03\x04 this is not a zip"), "not_a_spreadsheet"},
		"letter.txt":  {[]byte("Kính gửi Hội Khuyến học,\nxin gửi danh sách sau.\n"), "no_header"},
		"binary.dat":  {[]byte{1, 2, 0, 4, 5, 0}, "not_a_spreadsheet"},
	}
	for name, tc := range cases {
		g := read(t, cfg, write(t, name, tc.data), Hint{})
		if errs := g.codes(SevError); len(errs) != 1 || errs[0] != tc.code {
			t.Errorf("%s: problems %v, want %s", name, g.res.Problems, tc.code)
		}
	}
	g := read(t, cfg, write(t, "old.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}), Hint{})
	if !strings.Contains(g.res.Problems[0].VI, "Lưu thành (Save As) dạng .xlsx") {
		t.Errorf("an .xls file is not told how to fix it: %s", g.res.Problems[0].VI)
	}
}

// A workbook as wards make them: title rows, a merged super-header, a header
// split over two rows, a totals row, blank rows, several sheets, Excel dates,
// numbers stored as text, an unknown column and a sheet of notes.
func TestReadMessyWorkbook(t *testing.T) {
	cfg := pilotCfg(t)
	f := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	set := func(sheet, cell string, v any) { must(f.SetCellValue(sheet, cell, v)) }
	must(f.SetSheetName("Sheet1", "Hoạt động"))
	set("Hoạt động", "A1", "UBND XÃ TÂN PHÚ ĐÔNG")
	set("Hoạt động", "A2", "BÁO CÁO HOẠT ĐỘNG THÁNG 12/2020")
	for i, h := range []string{"STT", "Ngày", "Xã/phường", "Loại hoạt động", "Nội dung", "Số người tham dự", "Số giờ", "Người phụ trách"} {
		c, _ := excelize.CoordinatesToCellName(i+1, 4)
		set("Hoạt động", c, h)
	}
	must(f.SetSheetRow("Hoạt động", "A5", &[]any{1, 44173, "Tân Phú Đông", "Tập huấn", "Tập huấn lãnh đạo", 40, 4, "Ông A"})) // 44173 = 08/12/2020
	must(f.SetSheetRow("Hoạt động", "A6", &[]any{2, "15/12/2020", "Xã Tân Phú Đông", "tuyên truyền", "Loa truyền thanh", "120", "1,5", ""}))
	must(f.SetSheetRow("Hoạt động", "A8", &[]any{3, 44185, "tan phu dong", "đọc sách", "Ngày hội đọc sách", 35, 2, ""}))
	must(f.SetSheetRow("Hoạt động", "A9", &[]any{nil, "Tổng cộng", nil, nil, nil, 195, 7.5}))

	// A second sheet: assessments with a header over two rows.
	_, err := f.NewSheet("Khảo sát")
	must(err)
	set("Khảo sát", "A1", "KẾT QUẢ KHẢO SÁT")
	set("Khảo sát", "A3", "Mã công dân")
	set("Khảo sát", "B3", "Đợt")
	set("Khảo sát", "C3", "Ngày đánh giá")
	must(f.MergeCell("Khảo sát", "A3", "A4"))
	must(f.MergeCell("Khảo sát", "B3", "B4"))
	must(f.MergeCell("Khảo sát", "C3", "C4"))
	set("Khảo sát", "D3", "Điểm tự đánh giá theo chỉ số")
	must(f.MergeCell("Khảo sát", "D3", "M3"))
	for i := 1; i <= 10; i++ {
		c, _ := excelize.CoordinatesToCellName(3+i, 4)
		set("Khảo sát", c, "Chỉ số "+itoa(i))
	}
	must(f.SetSheetRow("Khảo sát", "A5", &[]any{"TPD-001", "Khảo sát thực trạng", 44175, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8.5}))
	_, err = f.NewSheet("Ghi chú")
	must(err)
	set("Ghi chú", "A1", "Số liệu do cán bộ văn hóa tổng hợp.")
	path := filepath.Join(t.TempDir(), "bao_cao.xlsx")
	must(f.SaveAs(path))

	g := read(t, cfg, path, Hint{Ward: "tan-phu-dong"})
	if g.res.Errors() != 0 {
		t.Fatalf("errors: %v", g.res.Problems)
	}
	if len(g.res.Tables) != 2 || g.res.Tables[0].Dataset.Name != config.DatasetActivities || g.res.Tables[0].HeaderRow != 4 ||
		g.res.Tables[1].Dataset.Name != config.DatasetCitizenAssessments || g.res.Tables[1].HeaderRow != 4 {
		t.Fatalf("tables %+v", g.res.Tables)
	}
	if len(g.rows) != 4 {
		t.Fatalf("%d rows: %v", len(g.rows), g.rows)
	}
	a := g.rows[0]
	if a["date"] != day(2020, 12, 8) || a["participants"] != int64(40) || a["hours"] != 4.0 || a["ward"] != "tan-phu-dong" || a["_row"] != 5 {
		t.Errorf("first activity %v", a)
	}
	if b := g.rows[1]; b["date"] != day(2020, 12, 15) || b["participants"] != int64(120) || b["hours"] != 1.5 {
		t.Errorf("text numbers and date: %v", b)
	}
	if s := g.rows[3]; s["citizen_id"] != "TPD-001" || s["assessed_on"] != day(2020, 12, 10) || s["i10"] != 8.5 || s["_sheet"] != "Khảo sát" {
		t.Errorf("assessment %v", s)
	}
	warnings := strings.Join(g.codes(SevWarning), " ")
	for _, w := range []string{"unknown_header", "blank_row_skipped", "totals_row_skipped", "sheet_skipped"} {
		if !strings.Contains(warnings, w) {
			t.Errorf("no %s warning in %s", w, warnings)
		}
	}
	for _, p := range g.res.Problems {
		if p.Code == "unknown_header" && p.Column != "\"Người phụ trách\" (H)" {
			t.Errorf("unknown header named %q", p.Column)
		}
	}
}

func TestReadMissingColumnAndJSON(t *testing.T) {
	cfg := pilotCfg(t)
	g := read(t, cfg, write(t, "c.csv", []byte("Mã công dân,Họ và tên,Xã/phường,Ngày đăng ký\nA-1,Lê Văn C,Tân Phú Đông,01/12/2020\n")), Hint{})
	if errs := g.codes(SevError); len(errs) != 1 || errs[0] != "missing_column" || !strings.Contains(g.res.Problems[0].VI, "Nhóm đối tượng") {
		t.Errorf("problems %v", g.res.Problems)
	}
	js := `[{"Dấu thời gian": "20/03/2021 09:15:42", "Mã công dân": "TQD-001", "Đợt khảo sát": "Giữa kỳ", "Chỉ số 1": 8, "Chỉ số 2": "7,5", "Chỉ số 3": 8, "Chỉ số 4": 8, "Chỉ số 5": 8, "Chỉ số 6": 8, "Chỉ số 7": 8, "Chỉ số 8": 8, "Chỉ số 9": 8, "Chỉ số 10": 8},
	         {"Dấu thời gian": "21/03/2021 10:00:00", "Mã công dân": "TQD-002", "Đợt khảo sát": "Giữa kỳ", "Chỉ số 1": 9, "Chỉ số 2": 9, "Chỉ số 3": 9, "Chỉ số 4": 9, "Chỉ số 5": 9, "Chỉ số 6": 9, "Chỉ số 7": 9, "Chỉ số 8": 9, "Chỉ số 9": 9, "Chỉ số 10": 9}]`
	ndjson := strings.ReplaceAll(strings.Trim(js, "[]"), "},\n\t         {", "}\n{")
	for name, data := range map[string]string{"form.json": js, "form.ndjson": ndjson} {
		g := read(t, cfg, write(t, name, []byte(data)), Hint{})
		if g.res.Errors() != 0 || len(g.rows) != 2 || g.rows[0]["i2"] != 7.5 || g.rows[1]["assessed_on"] != day(2021, 3, 21) || g.res.Format != FormatJSON {
			t.Errorf("%s: rows %v problems %v", name, g.rows, g.res.Problems)
		}
	}
}
