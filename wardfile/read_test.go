package wardfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
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

// read reads the file at path and keeps every emitted row by column key.
func read(t *testing.T, cfg *config.Config, path string, hint Hint) got {
	t.Helper()
	var g got
	res, err := Read(cfg, path, hint, g.keep)
	if err != nil {
		t.Fatal(err)
	}
	g.res = res
	return g
}

// readData reads data as a file named name.
func readData(t *testing.T, cfg *config.Config, name string, data []byte, hint Hint) got {
	t.Helper()
	var g got
	res, err := ReadBytes(cfg, name, data, hint, g.keep)
	if err != nil {
		t.Fatal(err)
	}
	g.res = res
	return g
}

func (g *got) keep(tb *Table, r Row) error {
	m := map[string]any{"_dataset": tb.Dataset.Name, "_row": r.Number, "_sheet": tb.Sheet}
	for i, c := range tb.Dataset.Columns {
		if r.Values[i] != nil {
			m[c.Key] = r.Values[i]
		}
	}
	g.rows = append(g.rows, m)
	return nil
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

func (g got) problem(code string) (Problem, bool) {
	for _, p := range g.res.Problems {
		if p.Code == code {
			return p, true
		}
	}
	return Problem{}, false
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// checkMessages checks that every problem says where and what in both
// languages, in NFC Vietnamese.
func checkMessages(t *testing.T, ps []Problem) {
	t.Helper()
	for _, p := range ps {
		if p.VI == "" || p.EN == "" || p.Code == "" || p.File == "" || (p.Severity != SevError && p.Severity != SevWarning && p.Severity != SevNote) {
			t.Errorf("incomplete problem %+v", p)
		}
		if !norm.NFC.IsNormalString(p.VI) || !strings.HasSuffix(p.VI, ".") || !strings.HasSuffix(p.EN, ".") {
			t.Errorf("message not a whole NFC sentence: %q / %q", p.VI, p.EN)
		}
	}
}

const citizensCSV = "Mã công dân,Họ và tên,Giới tính,Năm sinh,Nhóm đối tượng,Xã/phường,Ấp/khóm,Mã đơn vị,Ngày đăng ký\n" +
	"TQD-001,Nguyễn Thị Hoa,Nữ,1980,3,P. Tân Qui Đông,,TQD-UB,16/11/2020\n" +
	"tqd-002,Trần Văn Bình,nam,1975,Nông dân,TAN QUY DONG,Khóm 1,,8/12/2020\n"

// toneSeparated writes Vietnamese the way Windows-1258 holds it: letters with
// their circumflex, breve or horn precomposed, tone marks as separate combining
// characters (so that decoding yields decomposed text).
func toneSeparated(s string) string {
	tones := map[rune]bool{0x300: true, 0x301: true, 0x303: true, 0x309: true, 0x323: true}
	var b strings.Builder
	for _, r := range s {
		var base, tone []rune
		for _, x := range norm.NFD.String(string(r)) {
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

func utf16Text(t testing.TB, s string, e unicode.Endianness, bom unicode.BOMPolicy) []byte {
	b, err := unicode.UTF16(e, bom).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every encoding and separator Excel and web forms produce reads to the same rows.
func TestReadCSVEncodings(t *testing.T) {
	cfg := pilotCfg(t)
	semi := strings.ReplaceAll(citizensCSV, ",", ";")
	tabs := strings.ReplaceAll(citizensCSV, ",", "\t")
	cp1258, err := charmap.Windows1258.NewEncoder().Bytes([]byte(toneSeparated(semi)))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, enc string
		delim     rune
		data      []byte
	}{
		{"utf-8, comma", EncUTF8, ',', []byte(citizensCSV)},
		{"utf-8 with BOM, semicolon", EncUTF8BOM, ';', []byte("\ufeff" + semi)},
		{"utf-16le with BOM, tab (Excel Unicode text)", EncUTF16LE, '\t', utf16Text(t, tabs, unicode.LittleEndian, unicode.UseBOM)},
		{"utf-16be with BOM, tab", EncUTF16BE, '\t', utf16Text(t, tabs, unicode.BigEndian, unicode.UseBOM)},
		{"utf-16le without BOM", EncUTF16LE, '\t', utf16Text(t, tabs, unicode.LittleEndian, unicode.IgnoreBOM)},
		{"windows-1258, decomposed tone marks", EncWindows1258, ';', cp1258},
		{"utf-8 NFD (macOS)", EncUTF8, ',', norm.NFD.Bytes([]byte(citizensCSV))},
		{"CRLF line ends", EncUTF8, ',', []byte(strings.ReplaceAll(citizensCSV, "\n", "\r\n"))},
		{"Excel's sep= line", EncUTF8, ';', []byte("sep=;\r\n" + semi)},
		{"title lines above, tab", EncUTF8, '\t', []byte("UBND PHƯỜNG TÂN QUY ĐÔNG\nDANH SÁCH ĐĂNG KÝ\n\n" + tabs)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := readData(t, cfg, "ds.csv", tc.data, Hint{Ward: "tan-quy-dong"})
			if g.res.Errors() != 0 || len(g.rows) != 2 {
				t.Fatalf("%d rows, problems %v", len(g.rows), g.res.Problems)
			}
			if g.res.Format != FormatCSV || g.res.Encoding != tc.enc || g.res.Delimiter != tc.delim {
				t.Errorf("format %s, encoding %q, delimiter %q; want %q, %q", g.res.Format, g.res.Encoding, g.res.Delimiter, tc.enc, tc.delim)
			}
			r0, r1 := g.rows[0], g.rows[1]
			if r0["full_name"] != "Nguyễn Thị Hoa" || r1["full_name"] != "Trần Văn Bình" {
				t.Errorf("names %q, %q are not the NFC names", r0["full_name"], r1["full_name"])
			}
			if r0["ward"] != "tan-quy-dong" || r1["ward"] != "tan-quy-dong" {
				t.Errorf("wards %v, %v", r0["ward"], r1["ward"])
			}
			if r0["gender"] != "Nữ" || r1["gender"] != "Nam" || r0["target_group"] != int64(3) || r1["target_group"] != int64(1) {
				t.Errorf("gender/group: %v %v %v %v", r0["gender"], r1["gender"], r0["target_group"], r1["target_group"])
			}
			if r0["registered_on"] != day(2020, 11, 16) || r1["registered_on"] != day(2020, 12, 8) || r0["birth_year"] != int64(1980) {
				t.Errorf("dates %v %v, year %v", r0["registered_on"], r1["registered_on"], r0["birth_year"])
			}
			if r1["hamlet"] != "Khóm 1" || r0["unit_code"] != "TQD-UB" || r0["hamlet"] != nil {
				t.Errorf("hamlet %v, unit %v", r1["hamlet"], r0["unit_code"])
			}
		})
	}
}

// A UTF-8 file with one broken byte is read as UTF-8: the cell is refused, the
// rest is right (not a whole file of mojibake).
func TestReadCSVBrokenUTF8(t *testing.T) {
	cfg := pilotCfg(t)
	data := []byte(citizensCSV + "TQD-003,Lê Thị \xffa,Nữ,1990,3,Tân Quy Đông,,,01/12/2020\n")
	g := readData(t, cfg, "c.csv", data, Hint{})
	if g.res.Encoding != EncUTF8 || len(g.rows) != 2 {
		t.Fatalf("encoding %s, %d rows", g.res.Encoding, len(g.rows))
	}
	if p, ok := g.problem("encoding"); !ok || p.Row != 4 || p.Column != `"Họ và tên" (B)` || !utf8Valid(p.Value) {
		t.Errorf("problems %v", g.res.Problems)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "?") == s }

// Delimiters are sniffed by the consistency of the field counts, quotes respected.
func TestReadCSVDelimiters(t *testing.T) {
	cfg := pilotCfg(t)
	head := []string{"Mã công dân", "Đợt", "Ngày đánh giá", "Chỉ số 1", "Chỉ số 2", "Chỉ số 3", "Chỉ số 4", "Chỉ số 5", "Chỉ số 6", "Chỉ số 7", "Chỉ số 8", "Chỉ số 9", "Chỉ số 10"}
	row := []string{"A-1", "Cuối kỳ", "15/06/2021", "8,5", "7", "8", "8", "8", "8", "8", "8", "8", "9,5"}
	quoted := make([]string, len(row))
	for i, c := range row {
		quoted[i] = c
		if strings.Contains(c, ",") {
			quoted[i] = `"` + c + `"`
		}
	}
	for name, tc := range map[string]struct {
		data  string
		delim rune
	}{
		"semicolon with decimal commas": {strings.Join(head, ";") + "\n" + strings.Join(row, ";") + "\n", ';'},
		"comma with quoted decimals":    {strings.Join(head, ",") + "\n" + strings.Join(quoted, ",") + "\n", ','},
		"tab":                           {strings.Join(head, "\t") + "\n" + strings.Join(row, "\t") + "\n", '\t'},
	} {
		g := readData(t, cfg, "a.csv", []byte(tc.data), Hint{})
		if g.res.Delimiter != tc.delim || len(g.rows) != 1 || g.rows[0]["i1"] != 8.5 || g.rows[0]["i10"] != 9.5 {
			t.Errorf("%s: delimiter %q, rows %v, problems %v", name, g.res.Delimiter, g.rows, g.res.Problems)
		}
	}
}

const assessHead = "Mã công dân;Đợt;Ngày đánh giá;Chỉ số 1;Chỉ số 2;Chỉ số 3;Chỉ số 4;Chỉ số 5;Chỉ số 6;Chỉ số 7;Chỉ số 8;Chỉ số 9;Chỉ số 10\n"

// Each value rule, with the problem it gives when broken.
func TestReadValues(t *testing.T) {
	cfg := pilotCfg(t)
	scores := ";8;8;8;8;8;8;8;8;8;8\n"
	score := func(s string) string { return "A-1;Cuối kỳ;15/06/2021;" + s + ";8;8;8;8;8;8;8;8;8\n" }
	date := func(s string) string { return "A-1;Cuối kỳ;" + s + scores }
	is := func(k string, v any) func(map[string]any) bool {
		return func(m map[string]any) bool { return m[k] == v }
	}
	cases := []struct {
		name, row string
		code      string // the error expected, or ""
		check     func(map[string]any) bool
	}{
		{"dd/mm/yyyy", date("08/12/2020"), "", is("assessed_on", day(2020, 12, 8))},
		{"d/m/yyyy", date("8/1/2021"), "", is("assessed_on", day(2021, 1, 8))},
		{"dd-mm-yyyy", date("08-12-2020"), "", is("assessed_on", day(2020, 12, 8))},
		{"dd.mm.yyyy", date("08.12.2020"), "", is("assessed_on", day(2020, 12, 8))},
		{"ISO", date("2021-06-15"), "", is("assessed_on", day(2021, 6, 15))},
		{"web-form date-time", date("20/03/2021 09:15:42"), "", is("assessed_on", day(2021, 3, 20))},
		{"date-time with SA/CH", date("20/03/2021 9:15:42 CH"), "", is("assessed_on", day(2021, 3, 20))},
		{"UTC date-time is the city's day", date("2021-03-20T20:15:42Z"), "", is("assessed_on", day(2021, 3, 21))},
		{"Vietnamese long date", date("ngày 8 tháng 12 năm 2020"), "", is("assessed_on", day(2020, 12, 8))},
		{"29 February of a leap year", date("29/02/2020"), "", is("assessed_on", day(2020, 2, 29))},
		{"31 February", date("31/02/2021"), "bad_date", nil},
		{"29 February of another year", date("29/02/2021"), "bad_date", nil},
		{"month/day order is not guessed", date("12/31/2021"), "bad_date", nil},
		{"two-digit year", date("08/12/20"), "bad_date", nil},
		{"a serial number in a CSV", date("44173"), "bad_date", nil},
		{"not a date", date("hôm qua"), "bad_date", nil},
		{"mixed separators", date("08/12-2020"), "bad_date", nil},
		{"a year typed for a date", date("01/01/1921"), "out_of_range", nil},
		{"decimal comma and spaces", score(" 8,5 "), "", is("i1", 8.5)},
		{"decimal point", score("7.5"), "", is("i1", 7.5)},
		{"score 0 and 10 inclusive", "A-1;Cuối kỳ;15/06/2021;0;10;8;8;8;8;8;8;8;8\n", "", func(m map[string]any) bool { return m["i1"] == 0.0 && m["i2"] == 10.0 }},
		{"comma decimal with three places", score("8,500"), "", is("i1", 8.5)},
		{"score of 11", score("11"), "out_of_range", nil},
		{"score of 10,5", score("10,5"), "out_of_range", nil},
		{"negative score", score("-1"), "out_of_range", nil},
		{"score that is not a number", score("tám"), "bad_number", nil},
		{"two decimal marks", score("8,5,1"), "bad_number", nil},
		{"thousands and decimals", score("1.234,5"), "bad_number", nil},
		{"unknown round", "A-1;đợt 4;15/06/2021" + scores, "unknown_round", nil},
		{"round by code", "A-1;mid;15/03/2021" + scores, "", is("round", "mid")},
		{"round by alias, other spelling", "A-1;GIỮA KÌ;15/03/2021" + scores, "", is("round", "mid")},
		{"missing required score", score(""), "missing_required", nil},
		{"missing id", ";Cuối kỳ;15/06/2021" + scores, "missing_required", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := readData(t, cfg, "a.csv", []byte(assessHead+tc.row), Hint{Now: time.Date(2021, 8, 5, 9, 0, 0, 0, time.UTC)})
			checkMessages(t, g.res.Problems)
			errs := g.codes(SevError)
			if tc.code == "" {
				if len(errs) != 0 || len(g.rows) != 1 || !tc.check(g.rows[0]) {
					t.Errorf("rows %v, errors %v", g.rows, g.res.Problems)
				}
				return
			}
			if len(errs) != 1 || errs[0] != tc.code || len(g.rows) != 0 {
				t.Fatalf("errors %v (rows %d), want one %s", g.res.Problems, len(g.rows), tc.code)
			}
			p := g.res.Problems[0]
			if p.Row != 2 || p.Column == "" || p.File != "a.csv" {
				t.Errorf("problem lacks its place: %+v", p)
			}
			t.Logf("%s\n%s", p.VI, p.EN)
		})
	}
}

// The messages a ward officer reads, word for word.
func TestReadMessages(t *testing.T) {
	cfg := pilotCfg(t)
	g := readData(t, cfg, "a.csv", []byte(assessHead+
		"A-1;Cuối kỳ;31/02/2021;8;8;11;8;8;8;8;8;8;8\n"+
		"A-2;Cuối kỳ;12/31/2021;8;8;8;8;8;8;8;8;8;8\n"), Hint{})
	want := []Problem{
		{Row: 2, Column: `"Ngày đánh giá" (C)`, Value: "31/02/2021", Code: "bad_date",
			VI: `Ngày "31/02/2021" không có thật: tháng 2 năm 2021 chỉ có 28 ngày. Hãy kiểm tra lại ngày.`,
			EN: `"31/02/2021" is not a real date: February 2021 has 28 days; check the day.`},
		{Row: 2, Column: `"Chỉ số 3" (F)`, Value: "11", Code: "out_of_range",
			VI: `Giá trị "11" vượt quá điểm tối đa 10. Hãy nhập điểm từ 0 đến 10.`,
			EN: `"11" is above the maximum score of 10; enter a score from 0 to 10.`},
		{Row: 3, Column: `"Ngày đánh giá" (C)`, Value: "12/31/2021", Code: "bad_date",
			VI: `Giá trị "12/31/2021" có vẻ được ghi theo thứ tự tháng/ngày/năm: không có tháng 31. Hãy ghi ngày theo dạng ngày/tháng/năm, ví dụ 31/12/2021.`,
			EN: `"12/31/2021" looks like month/day/year: there is no month 31; write the date as day/month/year, such as 31/12/2021.`},
	}
	if len(g.res.Problems) != len(want) {
		t.Fatalf("problems %v", g.res.Problems)
	}
	for i, w := range want {
		w.Severity, w.File = SevError, "a.csv"
		if !reflect.DeepEqual(g.res.Problems[i], w) {
			t.Errorf("problem %d:\n got %+v\nwant %+v", i, g.res.Problems[i], w)
		}
	}
	if s := g.res.Problems[1].String(); s != `dòng 2, cột "Chỉ số 3" (F): Giá trị "11" vượt quá điểm tối đa 10. Hãy nhập điểm từ 0 đến 10. / row 2, column "Chỉ số 3" (F): "11" is above the maximum score of 10; enter a score from 0 to 10.` {
		t.Errorf("String() = %s", s)
	}
}

// Whole numbers: thousands grouped only where no decimal can be meant.
func TestReadWholeNumbers(t *testing.T) {
	cfg := pilotCfg(t)
	head := "Ngày;Xã/phường;Loại hoạt động;Nội dung;Số người tham dự;Số giờ\n"
	for _, tc := range []struct {
		participants, hours string
		code                string
		want                any
		wantHours           any
	}{
		{"40", "2", "", int64(40), 2.0},
		{" 1.234 ", "1,5", "", int64(1234), 1.5},
		{"1,234", "1.5", "", int64(1234), 1.5},
		{"1.234.567", "0,125", "", int64(1234567), 0.125},
		{"25,0", "2", "", int64(25), 2.0},
		{"25.000", "2", "bad_number", nil, nil}, // 25 or 25000?
		{"2,5", "2", "bad_number", nil, nil},
		{"-3", "2", "out_of_range", nil, nil},
		{"40", "1.500", "bad_number", nil, nil}, // 1,5 or 1500 hours?
		{"40", "-2", "out_of_range", nil, nil},
		{"bốn mươi", "2", "bad_number", nil, nil},
	} {
		g := readData(t, cfg, "h.csv", []byte(head+"08/12/2020;Tân Phú Đông;Tập huấn;Tập huấn lãnh đạo;"+tc.participants+";"+tc.hours+"\n"), Hint{})
		checkMessages(t, g.res.Problems)
		errs := g.codes(SevError)
		if tc.code != "" {
			if len(errs) != 1 || errs[0] != tc.code {
				t.Errorf("%q/%q: problems %v, want %s", tc.participants, tc.hours, g.res.Problems, tc.code)
			} else {
				t.Logf("%s / %s", g.res.Problems[0].VI, g.res.Problems[0].EN)
			}
			continue
		}
		if len(errs) != 0 || len(g.rows) != 1 || g.rows[0]["participants"] != tc.want || g.rows[0]["hours"] != tc.wantHours {
			t.Errorf("%q/%q: rows %v, problems %v", tc.participants, tc.hours, g.rows, g.res.Problems)
		}
	}
}

// Citizens: gender spellings, birth years, groups by number or name.
func TestReadCitizenValues(t *testing.T) {
	cfg := pilotCfg(t)
	head := "Mã công dân,Họ và tên,Giới tính,Năm sinh,Nhóm đối tượng,Xã/phường,Ngày đăng ký\n"
	now := Hint{Now: time.Date(2021, 8, 5, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		gender, year, group, ward, date string
		code                            string
	}{
		{"Nam", "1975", "1", "Tân Phú Đông", "08/12/2020", ""},
		{"NỮ", "1980", "Cán bộ, công chức, viên chức từ cấp xã trở lên", "xã Tân Phú Đông", "08/12/2020", ""},
		{"Nu", "1980", "CBCCVC", "X. TAN PHU DONG", "08/12/2020", ""},
		{"M", "1980", "nông dân", "tan-phu-dong", "08/12/2020", ""},
		{"Female", "1980", "2", "Tân Phú Đông", "08/12/2020", ""},
		{"", "", "3", "Tân Phú Đông", "08/12/2020", ""}, // optional
		{"khác", "1980", "3", "Tân Phú Đông", "08/12/2020", "bad_gender"},
		{"Nam", "1850", "3", "Tân Phú Đông", "08/12/2020", "out_of_range"},
		{"Nam", "2022", "3", "Tân Phú Đông", "08/12/2020", "out_of_range"}, // after Now
		{"Nam", "75", "3", "Tân Phú Đông", "08/12/2020", "out_of_range"},
		{"Nam", "1980", "4", "Tân Phú Đông", "08/12/2020", "unknown_group"},
		{"Nam", "1980", "học sinh", "Tân Phú Đông", "08/12/2020", "unknown_group"},
		{"Nam", "1980", "3", "Tân Khánh Đông", "08/12/2020", "unknown_ward"},
		{"Nam", "1980", "3", "Tân Phú", "08/12/2020", "unknown_ward"}, // never guessed
		{"Nam", "1980", "3", "Tân Phú Đông", "08/12/2031", "out_of_range"},
	} {
		row := strings.Join([]string{"TPD-1", "Lê Văn A", tc.gender, tc.year, `"` + tc.group + `"`, tc.ward, tc.date}, ",")
		g := readData(t, cfg, "c.csv", []byte(head+row+"\n"), now)
		checkMessages(t, g.res.Problems)
		errs := g.codes(SevError)
		if tc.code == "" {
			if len(errs) != 0 || len(g.rows) != 1 || g.rows[0]["ward"] != "tan-phu-dong" {
				t.Errorf("%s: rows %v problems %v", row, g.rows, g.res.Problems)
			}
			continue
		}
		if len(errs) != 1 || errs[0] != tc.code {
			t.Errorf("%s: problems %v, want %s", row, g.res.Problems, tc.code)
		} else {
			t.Logf("%s / %s", g.res.Problems[0].VI, g.res.Problems[0].EN)
		}
	}
	g := readData(t, cfg, "c.csv", []byte(head+"A,B,Nữ,1980,1,Tân Phú Đông,08/12/2020\nC,D,Nữ,1980,2,Tân Phú Đông,08/12/2020\n"), Hint{})
	if len(g.rows) != 2 || g.rows[0]["gender"] != "Nữ" || g.rows[0]["target_group"] != int64(1) || g.rows[1]["target_group"] != int64(2) {
		t.Errorf("rows %v", g.rows)
	}
}

// The ward: its spellings, one outside the programme (refused, listing the
// programme's wards), and one that is not the folder's (refused).
func TestReadWards(t *testing.T) {
	cfg := pilotCfg(t)
	head := "Mã đơn vị,Tên đơn vị,Loại,Xã/phường,Số thành viên,Ngày đăng ký\n"
	g := readData(t, cfg, "u.csv", []byte(head+
		"X-1,Trường A,trường tiểu học,P. Tân Qui Đông,20,01/12/2020\n"+
		"X-2,Trường B,trường tiểu học,TAN QUY DONG,20,01/12/2020\n"+
		"X-3,Trường C,trường tiểu học,Phường Tân Quy Đông,20,01/12/2020\n"+
		"X-4,Trường D,trường tiểu học,Tân Khánh Đông,20,01/12/2020\n"), Hint{})
	if len(g.rows) != 3 || g.rows[2]["ward"] != "tan-quy-dong" {
		t.Errorf("rows %v", g.rows)
	}
	p, ok := g.problem("unknown_ward")
	if !ok || p.Row != 5 || p.Column != `"Xã/phường" (D)` || p.Value != "Tân Khánh Đông" ||
		p.VI != `Xã/phường "Tân Khánh Đông" không hợp lệ: không khớp với xã/phường nào. Hãy ghi một trong các xã/phường: xã Tân Phú Đông; xã Tân Quy Tây; phường Tân Quy Đông.` {
		t.Errorf("problem %+v", p)
	}
	g = readData(t, cfg, "u.csv", []byte(head+"X-1,Trường A,trường tiểu học,Tân Quy Tây,20,01/12/2020\n"), Hint{Ward: "tan-phu-dong"})
	if p, ok := g.problem("wrong_ward"); !ok || g.res.Errors() != 1 || !strings.Contains(p.VI, "thư mục của xã Tân Phú Đông") {
		t.Errorf("problems %v", g.res.Problems)
	}
}

// A score step, when configured, refuses scores between the steps.
func TestReadScoreStep(t *testing.T) {
	cfg := pilotCfg(t)
	cfg.Citizen.ScoreStep = 0.5
	g := readData(t, cfg, "a.csv", []byte(assessHead+
		"A-1;Cuối kỳ;15/06/2021;8,5;8;8;8;8;8;8;8;8;8\n"+
		"A-2;Cuối kỳ;15/06/2021;8,3;8;8;8;8;8;8;8;8;8\n"), Hint{})
	if len(g.rows) != 1 || g.rows[0]["i1"] != 8.5 {
		t.Errorf("rows %v", g.rows)
	}
	if p, ok := g.problem("bad_step"); !ok || p.Row != 3 || !strings.Contains(p.VI, "bội số của 0,5") || !strings.Contains(p.EN, "steps of 0.5") {
		t.Errorf("problems %v", g.res.Problems)
	}
}

func TestReadNotASpreadsheet(t *testing.T) {
	cfg := pilotCfg(t)
	docx := zipWith(t, "word/document.xml", "<w:document/>")
	cases := map[string]struct {
		data []byte
		code string
		says string
	}{
		"empty.xlsx":   {nil, "empty_file", "trống"},
		"blank.csv":    {[]byte("\ufeff\r\n ; ; \r\n\r\n"), "empty_file", "trống"},
		"report.pdf":   {[]byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"), "not_a_spreadsheet", "tệp PDF"},
		"old.xls":      {[]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0}, "not_a_spreadsheet", "bị hỏng"},
		"photo.jpg":    {[]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, "not_a_spreadsheet", "hình ảnh"},
		"broken.xlsx":  {[]byte("PK\x03\x04 this is not a zip"), "not_a_spreadsheet", "bị hỏng"},
		"letter.docx":  {docx, "not_a_spreadsheet", "văn bản Word"},
		"sheet.ods":    {zipWith(t, "content.xml", "<office:document-content/>"), "not_a_spreadsheet", "OpenDocument"},
		"book.xlsb":    {zipWith(t, "xl/workbook.bin", "\x00"), "not_a_spreadsheet", ".xlsb"},
		"2003.xml":     {[]byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`), "not_a_spreadsheet", "XML"},
		"export.xls":   {[]byte("<html><body><table><tr><td>Mã công dân</td></tr></table></body></html>"), "not_a_spreadsheet", "trang web"},
		"letter.txt":   {[]byte("Kính gửi Hội Khuyến học,\nxin gửi danh sách sau.\n"), "no_header", "Không tìm thấy bảng"},
		"binary.dat":   {[]byte{1, 2, 0, 4, 5, 0, 7, 8}, "not_a_spreadsheet", "nhị phân"},
		"numbers.json": {[]byte("[1, 2, 3]"), "bad_json", "không phải là một đối tượng"},
		"broken.json":  {[]byte(`[{"Mã công dân": "A"`), "bad_json", "bị lỗi"},
		"empty.json":   {[]byte(`[]`), "empty_file", "trống"},
	}
	for name, tc := range cases {
		g := readData(t, cfg, name, tc.data, Hint{})
		checkMessages(t, g.res.Problems)
		if errs := g.codes(SevError); len(errs) != 1 || errs[0] != tc.code || !strings.Contains(g.res.Problems[0].VI, tc.says) || !strings.Contains(g.res.Problems[0].VI, name) && tc.code != "bad_json" {
			t.Errorf("%s: problems %v, want %s saying %q", name, g.res.Problems, tc.code, tc.says)
		}
	}
	// a file read from disk says the same
	g := read(t, cfg, write(t, "old.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}), Hint{})
	if p := g.res.Problems[0]; p.Code != "not_a_spreadsheet" || p.File != "old.xls" || g.res.Format != "xls" {
		t.Errorf("problem %+v", p)
	}
	small := *cfg
	small.Ingest.MaxFileBytes = 10
	g = readData(t, &small, "big.csv", []byte(citizensCSV), Hint{})
	if errs := g.codes(SevError); len(errs) != 1 || errs[0] != "too_large" || len(g.rows) != 0 {
		t.Errorf("problems %v", g.res.Problems)
	}
}

func zipWith(t *testing.T, name, content string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Headers are matched loosely: case, marks, spacing, the English alias, the
// English header, configured synonyms, a note after the name.
func TestReadHeaders(t *testing.T) {
	cfg := pilotCfg(t)
	for name, head := range map[string]string{
		"aliases":            "citizen_id;round;assessed_on;i1;i2;i3;i4;i5;i6;i7;i8;i9;i10",
		"english headers":    "Citizen code;Round;Assessed on;Indicator 1;Indicator 2;Indicator 3;Indicator 4;Indicator 5;Indicator 6;Indicator 7;Indicator 8;Indicator 9;Indicator 10",
		"no marks, any case": "MA CONG DAN;dot;ngay  danh gia;CHI SO 1;chi so 2;Chi So 3;chỉ số 4;Chỉ Số 5;chi-so-6;chi_so_7;Chỉ số 8;Chỉ số 9;Chỉ số 10",
		"synonyms and notes": "Mã công dân (*);Đợt khảo sát;Dấu thời gian;Chỉ số 1 - Đọc sách;Chỉ số 2\n(tự đánh giá);Chỉ số 3: kế hoạch;Chỉ số 4;Chỉ số 5;Chỉ số 6;Chỉ số 7;Chỉ số 8;Chỉ số 9;Chỉ số 10",
	} {
		data := strings.ReplaceAll(head, "\n", "\\n")
		data = `"` + strings.ReplaceAll(data, ";", `";"`) + `"`
		data = strings.ReplaceAll(data, "\\n", "\n") + "\nA-1;Cuối kỳ;15/06/2021;8;8;8;8;8;8;8;8;8;9\n"
		g := readData(t, cfg, "h.csv", []byte(data), Hint{})
		if g.res.Errors() != 0 || len(g.rows) != 1 || g.rows[0]["i10"] != 9.0 || len(g.res.Tables[0].Unknown) != 0 {
			t.Errorf("%s: rows %v problems %v", name, g.rows, g.res.Problems)
		}
	}
	// STT and Ghi chú are ignored quietly; another column is named in a warning;
	// the bound columns say where they are.
	g := readData(t, cfg, "u.csv", []byte("STT,Mã đơn vị,Tên đơn vị,Xã/phường,Số thành viên,Ngày đăng ký,Hiệu trưởng,Ghi chú\n1,X-1,Trường A,Tân Phú Đông,20,01/12/2020,Ông B,\n"), Hint{})
	if len(g.rows) != 1 || g.res.Errors() != 0 || len(g.res.Problems) != 1 || g.res.Problems[0].Code != "unknown_header" ||
		g.res.Problems[0].Column != `"Hiệu trưởng" (G)` || !strings.Contains(g.res.Problems[0].VI, `Không hiểu tiêu đề cột "Hiệu trưởng"`) {
		t.Fatalf("problems %v", g.res.Problems)
	}
	tb := g.res.Tables[0]
	if tb.Dataset.Name != config.DatasetUnits || tb.HeaderRow != 1 || len(tb.Columns) != 5 || tb.Columns[0] != (Bound{Key: "unit_code", Header: "Mã đơn vị", Index: 1, Letter: "B"}) ||
		len(tb.Unknown) != 1 || tb.Unknown[0] != "Hiệu trưởng" {
		t.Errorf("table %+v", tb)
	}
	// A required column missing, a column twice.
	g = readData(t, cfg, "c.csv", []byte("Mã công dân,Họ và tên,Xã/phường,Ngày đăng ký,Họ tên\nA-1,Lê Văn C,Tân Phú Đông,01/12/2020,Lê Văn C\n"), Hint{})
	checkMessages(t, g.res.Problems)
	missing, okM := g.problem("missing_column")
	dup, okD := g.problem("duplicate_header")
	if !okM || !okD || g.res.Errors() != 2 || len(g.rows) != 0 ||
		missing.VI != `Thiếu cột bắt buộc "Nhóm đối tượng" của biểu "Danh sách đăng ký Công dân học tập". Hãy thêm cột này vào dòng tiêu đề (dòng 1).` ||
		!strings.Contains(missing.EN, "(Target group, target_group)") || dup.Column != `"Họ tên" (E)` || !strings.Contains(dup.VI, `"Họ và tên" (B)`) {
		t.Errorf("problems %v", g.res.Problems)
	}
}

// The hint decides between datasets whose headers fit equally; headers of
// another dataset than the hint's are refused.
func TestReadHintDataset(t *testing.T) {
	cfg := pilotCfg(t)
	// Mã đơn vị, Xã/phường, Ngày đăng ký, Tên: both a unit and (by the
	// synonym "Tên") a citizen registration lacking columns.
	data := []byte("Mã công dân,Họ và tên,Nhóm đối tượng,Xã/phường,Ngày đăng ký\nA-1,Lê Văn C,1,Tân Phú Đông,01/12/2020\n")
	g := readData(t, cfg, "c.csv", data, Hint{Dataset: config.DatasetCitizens})
	if len(g.rows) != 1 || g.res.Errors() != 0 {
		t.Errorf("problems %v", g.res.Problems)
	}
	g = readData(t, cfg, "c.csv", data, Hint{Dataset: config.DatasetUnits})
	if p, ok := g.problem("dataset_mismatch"); !ok || len(g.rows) != 0 || !strings.Contains(p.VI, `"Danh sách đơn vị đăng ký Đơn vị học tập"`) {
		t.Errorf("problems %v", g.res.Problems)
	}
	if _, err := ReadBytes(cfg, "c.csv", data, Hint{Dataset: "people"}, nil); err == nil {
		t.Error("a hint naming no dataset is not an error")
	}
}

// JSON and NDJSON web-form exports: keys are headers; a key left out of some
// records is read where it is.
func TestReadJSON(t *testing.T) {
	cfg := pilotCfg(t)
	js := `[{"Dấu thời gian": "20/03/2021 09:15:42", "Mã công dân": "TQD-001", "Đợt khảo sát": "Giữa kỳ", "Chỉ số 1": 8, "Chỉ số 2": "7,5", "Chỉ số 3": 8, "Chỉ số 4": 8, "Chỉ số 5": 8, "Chỉ số 6": 8, "Chỉ số 7": 8, "Chỉ số 8": 8, "Chỉ số 9": 8, "Chỉ số 10": 8, "Email": null, "Số điện thoại": null},
	{"Dấu thời gian": "21/03/2021 10:00:00", "Mã công dân": "TQD-002", "Đợt khảo sát": "Giữa kỳ", "Chỉ số 1": 9, "Chỉ số 2": 9, "Chỉ số 3": 9, "Chỉ số 4": 9, "Chỉ số 5": 9, "Chỉ số 6": 9, "Chỉ số 7": 9, "Chỉ số 8": 9, "Chỉ số 9": 9, "Chỉ số 10": 9, "Người thẩm định": "Bà Tư"}]`
	ndjson := strings.ReplaceAll(strings.Trim(js, "[]"), "},\n\t{", "}\n{")
	for name, data := range map[string]string{"form.json": js, "form.ndjson": ndjson, "bom.json": "\ufeff" + js} {
		g := readData(t, cfg, name, []byte(data), Hint{})
		if g.res.Errors() != 0 || len(g.rows) != 2 || g.rows[0]["i2"] != 7.5 || g.rows[1]["assessed_on"] != day(2021, 3, 21) || g.res.Format != FormatJSON ||
			g.rows[1]["reviewer"] != "Bà Tư" || g.rows[0]["reviewer"] != nil || g.rows[1]["_row"] != 2 {
			t.Errorf("%s: rows %v problems %v", name, g.rows, g.res.Problems)
		}
		if p, ok := g.problem("unknown_header"); !ok || p.Column != `"Số điện thoại"` || len(g.codes(SevWarning)) != 1 {
			t.Errorf("%s: problems %v", name, g.res.Problems)
		}
	}
	g := readData(t, cfg, "bad.json", []byte(`[{"Mã công dân": "A", "Đợt": "Cuối kỳ", "Ngày đánh giá": "15/06/2021", "Chỉ số 1": 11, "Chỉ số 2": 8, "Chỉ số 3": 8, "Chỉ số 4": 8, "Chỉ số 5": 8, "Chỉ số 6": 8, "Chỉ số 7": 8, "Chỉ số 8": 8, "Chỉ số 9": 8, "Chỉ số 10": 8}]`), Hint{})
	if p, ok := g.problem("out_of_range"); !ok || p.Row != 1 || p.Column != `"Chỉ số 1"` {
		t.Errorf("problems %v", g.res.Problems)
	}
}

// A workbook as wards make them: title rows, a merged super-header, a header
// split over two rows, STT and notes, a totals row, blank rows, a signature
// at the end, several sheets, Excel dates, numbers stored as text, an unknown
// column, a notes sheet and a hidden sheet.
func messyWorkbook(t testing.TB) []byte {
	f := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	set := func(sheet, cell string, v any) { must(f.SetCellValue(sheet, cell, v)) }
	row := func(sheet string, r int, vals ...any) {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		must(f.SetSheetRow(sheet, cell, &vals))
	}
	must(f.SetSheetName("Sheet1", "Hoạt động"))
	set("Hoạt động", "A1", "UBND XÃ TÂN PHÚ ĐÔNG")
	set("Hoạt động", "A2", "BÁO CÁO HOẠT ĐỘNG THÁNG 12/2020")
	must(f.MergeCell("Hoạt động", "A2", "H2"))
	row("Hoạt động", 4, "STT", "Ngày", "Xã/phường", "Loại hoạt động", "Nội dung", "Số người tham dự", "Số giờ", "Người phụ trách", "Ghi chú")
	row("Hoạt động", 5, 1, 44173, "Tân Phú Đông", "Tập huấn", "Tập huấn lãnh đạo", 40, 4, "Ông A") // 44173 = 08/12/2020
	row("Hoạt động", 6, 2, "15/12/2020", "Xã Tân Phú Đông", "tuyên truyền", "Loa truyền thanh", "120", "1,5", "", "loa")
	row("Hoạt động", 8, 3, 44185.75, "tan phu dong", "đọc sách", "Ngày hội đọc sách", 35, 2, "")
	row("Hoạt động", 9, nil, "Tổng cộng", nil, nil, nil, 195, 7.5)
	row("Hoạt động", 11, nil, nil, nil, nil, "Tân Phú Đông, ngày 31 tháng 12 năm 2020")
	row("Hoạt động", 12, nil, nil, nil, nil, "NGƯỜI LẬP BIỂU")
	row("Hoạt động", 15, nil, nil, nil, nil, "Nguyễn Văn Tư")

	// A second sheet: assessments under a header over two rows.
	_, err := f.NewSheet("Khảo sát")
	must(err)
	set("Khảo sát", "A1", "KẾT QUẢ KHẢO SÁT")
	for i, h := range []string{"STT", "Mã công dân", "Đợt", "Ngày đánh giá"} {
		c, _ := excelize.CoordinatesToCellName(i+1, 3)
		c2, _ := excelize.CoordinatesToCellName(i+1, 4)
		set("Khảo sát", c, h)
		must(f.MergeCell("Khảo sát", c, c2))
	}
	set("Khảo sát", "E3", "Điểm tự đánh giá theo chỉ số")
	must(f.MergeCell("Khảo sát", "E3", "N3"))
	for i := 1; i <= 10; i++ {
		c, _ := excelize.CoordinatesToCellName(4+i, 4)
		set("Khảo sát", c, fmt.Sprintf("Chỉ số %d", i))
	}
	row("Khảo sát", 5, 1, "TPD-001", "Khảo sát thực trạng", 44175, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8.5)
	row("Khảo sát", 6, 2, "TPD-002", "Khảo sát thực trạng", "10/12/2020", "7", "7,5", 8, 8, 8, 8, 8, 8, 8, 11)
	row("Khảo sát", 7, 3, "TPD-003", "Khảo sát thực trạng", "10/12/2020", 9, 9, 9, 9, 9, 9, 9, 9, 9, 9)
	_, err = f.NewSheet("Ghi chú")
	must(err)
	set("Ghi chú", "A1", "Số liệu do cán bộ văn hóa tổng hợp.")
	_, err = f.NewSheet("Cũ")
	must(err)
	row("Cũ", 1, "Mã công dân", "Đợt", "Ngày đánh giá")
	must(f.SetSheetVisible("Cũ", false))
	var b bytes.Buffer
	must(f.Write(&b))
	return b.Bytes()
}

func TestReadMessyWorkbook(t *testing.T) {
	cfg := pilotCfg(t)
	path := write(t, "bao_cao.xlsx", messyWorkbook(t))

	g := read(t, cfg, path, Hint{Ward: "tan-phu-dong"})
	checkMessages(t, g.res.Problems)
	if errs := g.codes(SevError); len(errs) != 1 || errs[0] != "out_of_range" {
		t.Fatalf("errors: %v", g.res.Problems)
	}
	if p, _ := g.problem("out_of_range"); p.Sheet != "Khảo sát" || p.Row != 6 || p.Column != `"Chỉ số 10" (N)` || p.Value != "11" {
		t.Errorf("score problem %+v", p)
	}
	if len(g.res.Tables) != 2 || g.res.Tables[0].Dataset.Name != config.DatasetActivities || g.res.Tables[0].HeaderRow != 4 ||
		g.res.Tables[1].Dataset.Name != config.DatasetCitizenAssessments || g.res.Tables[1].HeaderRow != 4 || g.res.Format != FormatXLSX {
		t.Fatalf("tables %+v", g.res.Tables)
	}
	if len(g.rows) != 5 || g.res.Rows != 5 || g.res.Tables[0].Rows != 3 {
		t.Fatalf("%d rows: %v", len(g.rows), g.rows)
	}
	a := g.rows[0]
	if a["date"] != day(2020, 12, 8) || a["participants"] != int64(40) || a["hours"] != 4.0 || a["ward"] != "tan-phu-dong" || a["_row"] != 5 || a["_sheet"] != "Hoạt động" {
		t.Errorf("first activity %v", a)
	}
	if b := g.rows[1]; b["date"] != day(2020, 12, 15) || b["participants"] != int64(120) || b["hours"] != 1.5 {
		t.Errorf("text numbers and date: %v", b)
	}
	if c := g.rows[2]; c["date"] != day(2020, 12, 20) || c["_row"] != 8 {
		t.Errorf("a serial date with a time: %v", c)
	}
	if s := g.rows[3]; s["citizen_id"] != "TPD-001" || s["assessed_on"] != day(2020, 12, 10) || s["i10"] != 8.5 || s["_sheet"] != "Khảo sát" || s["_row"] != 5 {
		t.Errorf("assessment %v", s)
	}
	var warnings []string
	for _, p := range g.res.Problems {
		if p.Severity == SevWarning || p.Severity == SevNote && strings.HasSuffix(p.Code, "_skipped") {
			warnings = append(warnings, fmt.Sprintf("%s %s %d %s", p.Code, p.Sheet, p.Row, p.Column))
		}
	}
	want := []string{
		`unknown_header Hoạt động 4 "Người phụ trách" (H)`,
		`totals_row_skipped Hoạt động 9 `,
		`footer_skipped Hoạt động 11 `,
		`blank_row_skipped Hoạt động 7 `,
		`sheet_skipped Ghi chú 0 `,
		`hidden_sheet_skipped Cũ 0 `,
	}
	if strings.Join(warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(want, "\n"))
	}
	if p, _ := g.problem("footer_skipped"); !strings.Contains(p.VI, "dòng 11, 12, 15") {
		t.Errorf("footer: %s", p.VI)
	}
}

// A workbook saved in the 1904 date system (old Macs) has other serials.
func TestReadXLSXDate1904(t *testing.T) {
	cfg := pilotCfg(t)
	f := excelize.NewFile()
	date1904 := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
		t.Fatal(err)
	}
	f.SetSheetRow("Sheet1", "A1", &[]any{"Mã đơn vị", "Ngày đánh giá", "TC1.1", "TC1.2", "TC1.3", "TC2.1", "TC2.2", "TC2.3", "TC2.4", "TC3.1", "TC3.2", "TC3.3"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"TPD-TH", 42711, 10, 9, 8, 10, 5, 10, 5, 25, 10, 5}) // 08/12/2020 in 1904 serials
	f.SetSheetRow("Sheet1", "A3", &[]any{"TPD-MN", 42711, 10, 9, 8, 10, 6, 10, 5, 26, 10, 5})
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	g := readData(t, cfg, "ua.xlsx", b.Bytes(), Hint{})
	if len(g.rows) != 1 || g.rows[0]["assessed_on"] != day(2020, 12, 8) || g.rows[0]["tc3_1"] != 25.0 {
		t.Errorf("rows %v problems %v", g.rows, g.res.Problems)
	}
	// the unit scheme's own maxima: TC2.2 at most 5, TC3.1 at most 25
	if errs := g.codes(SevError); len(errs) != 2 || errs[0] != "out_of_range" || !strings.Contains(g.res.Problems[0].VI, "điểm tối đa 5") || !strings.Contains(g.res.Problems[1].VI, "điểm tối đa 25") {
		t.Errorf("problems %v", g.res.Problems)
	}
}

// Problems beyond the first 10,000 are counted, not kept (nor written).
func TestReadProblemsCapped(t *testing.T) {
	cfg := pilotCfg(t)
	var b strings.Builder
	b.WriteString(assessHead)
	for i := 0; i < 12000; i++ {
		fmt.Fprintf(&b, "A-%d;Cuối kỳ;31/02/2021;x%d;8;8;8;8;8;8;8;8;8\n", i, i)
	}
	g := readData(t, cfg, "a.csv", []byte(b.String()), Hint{})
	// the same date on every row is one problem with its rows; every other value its own
	if len(g.res.Problems) != maxProblems || g.res.Dropped != 2001 || g.res.Errors() != 12001 || g.res.Warnings() != 0 || len(g.rows) != 0 {
		t.Errorf("%d problems, %d dropped, %d errors", len(g.res.Problems), g.res.Dropped, g.res.Errors())
	}
	if p := g.res.Problems[0]; p.Code != "bad_date" || p.RowCount != 12000 || len(p.Rows) != maxRowsListed || p.Rows[1] != 3 {
		t.Errorf("the date's problem: %s, %d rows, %d listed", p.Code, p.RowCount, len(p.Rows))
	}
}

// emit's error stops the reading and is returned; so is a failure to open.
func TestReadErrors(t *testing.T) {
	cfg := pilotCfg(t)
	stop := errors.New("stop")
	n := 0
	_, err := ReadBytes(cfg, "c.csv", []byte(citizensCSV), Hint{}, func(*Table, Row) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("err %v after %d rows", err, n)
	}
	if _, err := Read(cfg, filepath.Join(t.TempDir(), "missing.csv"), Hint{}, nil); err == nil {
		t.Error("no error for a missing file")
	}
	// emit may be nil: a dry run
	res, err := ReadBytes(cfg, "c.csv", []byte(citizensCSV), Hint{}, nil)
	if err != nil || res.Rows != 2 {
		t.Errorf("%v, %d rows", err, res.Rows)
	}
}

// Under the header, a row numbering the columns; at the end, a totals row and
// a signature: skipped, each with a warning. A sparse row between data rows is
// data, with its errors.
func TestReadBodyRows(t *testing.T) {
	cfg := pilotCfg(t)
	data := "STT;Mã đơn vị;Tên đơn vị;Loại;Xã/phường;Số thành viên;Ngày đăng ký;Ghi chú\n" +
		"(1);(2);(3);(4);(5);(6);(7);(8)\n" +
		"1;TPD-TH;Trường Tiểu học Tân Phú Đông;trường tiểu học;Tân Phú Đông;32;16/11/2020;\n" +
		";;;;;;;\n" +
		"2;TPD-MN;Trường Mầm non Bình Minh;;;;;\n" + // sparse, but data follows: refused
		"3;TPD-UB;Văn phòng UBND xã;UBND xã/phường;Tân Phú Đông;24;16/11/2020;\n" +
		";TỔNG CỘNG;;;;56;;\n" +
		";;;;Tân Phú Đông, ngày 20 tháng 11 năm 2020;;;\n" +
		";;;;NGƯỜI LẬP BIỂU;;;\n"
	g := readData(t, cfg, "u.csv", []byte(data), Hint{})
	checkMessages(t, g.res.Problems)
	if len(g.rows) != 2 || g.rows[1]["unit_code"] != "TPD-UB" {
		t.Errorf("rows %v", g.rows)
	}
	var got []string
	for _, p := range g.res.Problems {
		got = append(got, fmt.Sprintf("%s %d", p.Code, p.Row))
	}
	want := "numbering_row_skipped 2,missing_required 5,missing_required 5,missing_required 5,totals_row_skipped 7,footer_skipped 8,blank_row_skipped 4"
	if strings.Join(got, ",") != want {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, ","), want)
	}
}

// A JSON key first seen after the records that make the header is not read:
// an error when it is a column of the dataset, a warning otherwise.
func TestReadJSONLateKeys(t *testing.T) {
	cfg := pilotCfg(t)
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i <= jsonScan; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"Mã đơn vị": "U%d", "Tên đơn vị": "T", "Xã/phường": "Tân Phú Đông", "Số thành viên": 3, "Ngày đăng ký": "01/12/2020"`, i)
		if i == jsonScan {
			b.WriteString(`, "Loại": "trường tiểu học", "Điện thoại": "0277"`)
		}
		b.WriteString("}")
	}
	b.WriteString("]")
	g := readData(t, cfg, "units.json", []byte(b.String()), Hint{})
	var got []string
	for _, p := range g.res.Problems {
		got = append(got, p.Severity+" "+p.Code+" "+p.Column+" "+strconv.Itoa(p.Row))
	}
	if len(g.rows) != jsonScan+1 || strings.Join(got, ",") != `error late_key "Loại" 1001,warning late_key "Điện thoại" 1001` {
		t.Errorf("%d rows, problems %v", len(g.rows), got)
	}
}

// Reading streams: the heap stays small while a file far larger is read.
func TestReadStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 20 MB file")
	}
	cfg := pilotCfg(t)
	const n = 300_000
	path := filepath.Join(t.TempDir(), "big.csv")
	writeAssessmentsCSV(t, path, n)
	st, _ := os.Stat(path)
	var peak uint64
	rows := 0
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := Read(cfg, path, Hint{}, func(*Table, Row) error {
		rows++
		if rows%50_000 == 0 {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil || rows != n || res.Errors() != 0 {
		t.Fatalf("%v, %d rows, %v", err, rows, res.Problems)
	}
	peak -= min(peak, before.HeapInuse)
	if peak > uint64(st.Size())/4 {
		t.Errorf("heap in use grew by %d MB reading a %d MB file", peak>>20, st.Size()>>20)
	}
	t.Logf("heap in use grew by at most %.1f MB reading a %.1f MB file", float64(peak)/(1<<20), float64(st.Size())/(1<<20))
}
