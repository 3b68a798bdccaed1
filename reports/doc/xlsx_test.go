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
	var a, b bytes.Buffer
	info := Info{Title: "thử", Generated: time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)}
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
