package doc

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestWriteXLSX writes a table and reads it back: numbers as numbers, dates as
// dates, every row whatever the PDF's limit, and the same bytes twice.
func TestWriteXLSX(t *testing.T) {
	d := &Document{Lang: "vi", Title: "BÁO CÁO\nthử", Blocks: []Block{
		&Table{ID: "Phụ lục: danh sách [đầy đủ] rất dài hơn ba mươi mốt ký tự", Title: "Danh sách", Limit: 1,
			Columns: []Column{{Name: "Họ và tên"}, {Name: "Tổng điểm", NumFmt: "0.0"}, {Name: "Tỷ lệ", NumFmt: "0.0%"}, {Name: "Ngày", NumFmt: "dd/mm/yyyy"}},
			Rows: [][]Cell{
				{{Text: "Nguyễn Thị Ánh", Value: "Nguyễn Thị Ánh"}, {Text: "85,5", Value: 85.5}, {Text: "80,6%", Value: 0.806}, {Text: "15/03/2021", Value: time.Date(2021, 3, 15, 0, 0, 0, 0, time.UTC)}},
				{{Text: "Lê Văn Bình", Value: "Lê Văn Bình"}, {Text: "–"}, {Text: "–"}, {Text: ""}},
			}},
	}}
	f, _ := writeTwice(t, d, Info{Title: "thử", Generated: time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)})
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "Bảng" || len([]rune(sheets[1])) != 31 {
		t.Fatalf("sheets %q", sheets)
	}
	s := sheets[1]
	rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[2][0] != "Nguyễn Thị Ánh" || rows[2][1] != "85.5" || rows[2][2] != "0.806" || rows[2][3] != "44270" || rows[3][0] != "Lê Văn Bình" {
		t.Errorf("rows %q", rows)
	}
	if typ, _ := f.GetCellType(s, "B3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B3 is %v, want a number", typ)
	}
	if v, _ := f.GetCellValue(s, "C3"); v != "80.6%" {
		t.Errorf("C3 shows %q, want 80.6%%", v)
	}
}

// TestXLSXTablesAndSubtotals reads a workbook back: every sheet with rows
// has an Excel table (so a filter) over its header and detail rows only;
// subtotals and the total stand under it; the workbook's own sheets follow;
// months are dates; a small rate keeps its decimals.
func TestXLSXTablesAndSubtotals(t *testing.T) {
	wards := &Table{ID: "Xã phường", Title: "Theo xã, phường",
		Columns: []Column{{Name: "Xã, phường"}, {Name: "Nhóm"}, {Name: "Đạt", NumFmt: "#,##0"}, {Name: "Tỷ lệ", NumFmt: "0.0##%"}, {Name: ""}},
		Rows: [][]Cell{
			{{Text: "Tân Phú Đông"}, {Text: "Nông dân"}, {Text: "1", Value: int64(1)}, {Text: "0,069%", Value: 0.00069}, {}},
			{{Text: "Tân Phú Đông"}, {Text: "Cán bộ"}, {Text: "3", Value: int64(3)}, {Text: "60%", Value: 0.6}, {}},
			{{Text: "Cộng Tân Phú Đông"}, {}, {Text: "4", Value: int64(4)}, {Text: "36,4%", Value: 0.364}, {}},
			{{Text: "Tân Quy Tây"}, {Text: "Cán bộ"}, {Text: "2", Value: int64(2)}, {Text: "40%", Value: 0.4}, {}},
			{{Text: "Cộng Tân Quy Tây"}, {}, {Text: "2", Value: int64(2)}, {Text: "40%", Value: 0.4}, {}},
		},
		Subtotal: map[int]bool{2: true, 4: true},
		Total:    []Cell{{Text: "Cộng"}, {}, {Text: "6", Value: int64(6)}, {}, {}},
	}
	series := &Table{ID: "Chuỗi tháng", Title: "Chuỗi",
		Columns: []Column{{Name: "Tháng", NumFmt: "mm/yyyy"}, {Name: "Số đo"}, {Name: "Giá trị", NumFmt: "General"}},
		Rows:    [][]Cell{{{Text: "03/2021", Value: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)}, {Text: "registered"}, {Value: int64(31)}}}}
	d := &Document{Lang: "vi", Title: "BÁO CÁO", Blocks: []Block{wards}, Sheets: []*Table{series}}
	var b bytes.Buffer
	if err := WriteXLSX(&b, d, Info{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 3 || got[1] != "Xã phường" || got[2] != "Chuỗi tháng" {
		t.Fatalf("sheets %q", got)
	}
	tables, err := f.GetTables("Xã phường")
	if err != nil || len(tables) != 1 || tables[0].Range != "A2:E5" {
		t.Fatalf("tables %+v, %v: want one over the header and the 3 detail rows, A2:E5", tables, err)
	}
	rows, _ := f.GetRows("Xã phường", excelize.Options{RawCellValue: true})
	if len(rows) < 9 || rows[1][4] != "5" || rows[6][0] != "Cộng Tân Phú Đông" || rows[7][0] != "Cộng Tân Quy Tây" || rows[8][0] != "Cộng" {
		t.Errorf("rows %q: want the detail, a blank row, then the subtotals and the total; an empty header named", rows)
	}
	if v, _ := f.GetCellValue("Xã phường", "D3"); v != "0.069%" {
		t.Errorf("D3 shows %q, want 0.069%%", v)
	}
	if tables, _ := f.GetTables("Chuỗi tháng"); len(tables) != 1 {
		t.Errorf("the series sheet has %d tables, want 1", len(tables))
	}
	if v, _ := f.GetCellValue("Chuỗi tháng", "A3", excelize.Options{RawCellValue: true}); v != "44256" {
		t.Errorf("the month is %q, want the date 01/03/2021 (serial 44256)", v)
	}
	if v, _ := f.GetCellValue("Chuỗi tháng", "A3"); v != "03/2021" {
		t.Errorf("the month shows %q, want 03/2021", v)
	}
}

// writeTwice writes d as a workbook twice, fails unless both writes are the
// same bytes, and opens them: the workbook and its bytes.
func writeTwice(t *testing.T, d *Document, info Info) (*excelize.File, []byte) {
	t.Helper()
	var a, b bytes.Buffer
	if err := WriteXLSX(&a, d, info); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&b, d, info); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same document differ")
	}
	f, err := excelize.OpenReader(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return f, a.Bytes()
}
