package doc

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestStreamedRowsAsExcelize writes the same rows with fastRows and with
// excelize's StreamWriter: the same bytes, value for value; and the values
// fastRows leaves to excelize it refuses.
func TestStreamedRowsAsExcelize(t *testing.T) {
	hanoi := time.FixedZone("ICT", 7*3600)
	common := [][]any{
		{int64(1), "Nguyễn Thị Ánh", "W0001-000001", int64(-42), 85.5, 6.0, time.Date(2021, 3, 15, 0, 0, 0, 0, time.UTC), true, nil, ""},
		{int64(1 << 40), "Lê & <Bình> \"Út\" 'Tí'", "a\nb\tc\rd", 0.1, 1e-7, 123456789012345.0, time.Date(2021, 3, 15, 13, 30, 0, 0, hanoi), false, 0, "x_y"},
		{int64(0), "chỉ số 6 – Sử dụng ngoại ngữ (4,5 điểm); tổng còn thiếu 2,5 điểm", "\x01bad\uFFFEchar", math.Copysign(0, -1), 1e14, 5.25, time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), nil, 7, "\u00a0ngày\u00a0"},
	}
	styles := []int{3, 0, 5, 7, 11, 2, 13, 3, 4, 1}

	rows, err := newFastRows(3)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.remove()
	for _, r := range common {
		if err := rows.put(r, styles); err != nil {
			t.Fatalf("%v: %v", r, err)
		}
	}
	if n, err := rows.close(3); err != nil || n != len(common) {
		t.Fatalf("%d rows, %v", n, err)
	}
	got, err := os.ReadFile(rows.file.Name())
	if err != nil {
		t.Fatal(err)
	}

	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range common {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = excelize.Cell{Value: v, StyleID: styles[j]}
		}
		if err := sw.SetRow("A"+string(rune('3'+i)), cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var pkg bytes.Buffer
	if err := f.Write(&pkg); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(pkg.Bytes()), int64(pkg.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var sheet []byte
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			if sheet, err = readPart(zf); err != nil {
				t.Fatal(err)
			}
		}
	}
	start, end := bytes.Index(sheet, []byte(`<row r="3"`)), bytes.Index(sheet, []byte(`</sheetData>`))
	if start < 0 || end < start {
		t.Fatalf("no rows in excelize's sheet: %.400s", sheet)
	}
	if want := sheet[start:end]; !bytes.Equal(got, want) {
		t.Errorf("fastRows wrote\n%s\nexcelize\n%s", got, want)
	}

	for _, v := range []any{" leading space", "trailing\n", "a_x0041_b", strings.Repeat("a", excelize.TotalCellChars+1),
		math.NaN(), math.Inf(1), math.Nextafter(0.3, 1), 1e21, time.Date(1899, 12, 1, 0, 0, 0, 0, time.UTC), int32(5), []byte("x")} {
		if err := rows.put([]any{v}, []int{1}); !errors.Is(err, errUncommon) {
			t.Errorf("%T %.20v: %v, want excelize to write it", v, v, err)
		}
	}
	if err := rows.put([]any{time.Date(2021, 3, 15, 0, 0, 0, 0, time.UTC)}, []int{0}); !errors.Is(err, errUncommon) {
		t.Errorf("a date without a style: %v, want excelize to write it (with its own date style)", err)
	}
}

// TestXLSXStreamedTable writes a table whose rows are streamed (All) beside
// the same table held whole: the same cells, the Excel table over the same
// rows, the note under them; and a streamed table with a value only
// excelize writes is written whole by excelize.
func TestXLSXStreamedTable(t *testing.T) {
	cols := []Column{{Name: "STT", NumFmt: "0"}, {Name: "Họ và tên"}, {Name: "Tổng điểm", NumFmt: "0.0"}, {Name: "Ngày", NumFmt: "dd/mm/yyyy"}}
	var rows [][]Cell
	for i := range 2000 {
		rows = append(rows, []Cell{{Value: int64(i + 1)}, {Value: "Trần Văn Ân"}, {Value: 80 + float64(i%40)/2}, {Value: time.Date(2021, 3, 1+i%28, 0, 0, 0, 0, time.UTC)}})
	}
	all := func(rows [][]Cell) func(func([]Cell) error) error {
		return func(yield func([]Cell) error) error {
			for _, r := range rows {
				if err := yield(r); err != nil {
					return err
				}
			}
			return nil
		}
	}
	odd := append([][]Cell{{{Value: int64(0)}, {Value: " có dấu cách"}, {Value: math.Nextafter(0.3, 1)}, {}}}, rows...)
	d := &Document{Lang: "vi", Title: "BÁO CÁO", Blocks: []Block{
		&Table{ID: "Whole", Title: "Cả bảng", Columns: cols, Rows: rows, Note: "Ghi chú."},
		&Table{ID: "Streamed", Title: "Cả bảng", Columns: cols, Rows: rows[:5], Limit: 5, All: all(rows), Note: "Ghi chú."},
		&Table{ID: "Odd", Title: "Cả bảng", Columns: cols, Rows: odd[:5], Limit: 5, All: all(odd), Note: "Ghi chú."},
	}}
	f, raw := writeTwice(t, d, Info{})
	read := func(sheet string) ([][]string, string) {
		t.Helper()
		got, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		tables, err := f.GetTables(sheet)
		if err != nil || len(tables) != 1 {
			t.Fatalf("%s: tables %+v, %v", sheet, tables, err)
		}
		return got, tables[0].Range
	}
	whole, wholeRange := read("Whole")
	streamed, streamedRange := read("Streamed")
	if len(whole) != 2004 || wholeRange != "A2:D2002" {
		t.Fatalf("the whole table: %d rows, table %s", len(whole), wholeRange)
	}
	if len(streamed) != len(whole) || streamedRange != wholeRange {
		t.Fatalf("streamed: %d rows, table %s; want %d, %s", len(streamed), streamedRange, len(whole), wholeRange)
	}
	for i := range whole {
		if strings.Join(whole[i], "|") != strings.Join(streamed[i], "|") {
			t.Fatalf("row %d: streamed %q, whole %q", i+1, streamed[i], whole[i])
		}
	}
	if v, _ := f.GetCellValue("Streamed", "D2002"); v != "12/03/2021" {
		t.Errorf("the last date shows %q, want 12/03/2021", v)
	}
	if v, _ := f.GetCellValue("Streamed", "A2004"); v != "Ghi chú." {
		t.Errorf("under the table %q, want the note", v)
	}
	odds, oddRange := read("Odd")
	if len(odds) != 2005 || oddRange != "A2:D2003" || len(odds[2]) < 2 || odds[2][1] != " có dấu cách" || odds[2002][0] != "2000" {
		t.Errorf("the table excelize wrote: %d rows, table %s, first %q", len(odds), oddRange, odds[2])
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		if bytes.Contains(b, []byte("hoctaprows")) {
			t.Errorf("%s keeps a marker row", zf.Name)
		}
	}
}
