package sample

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"
)

// sheet is one worksheet as a ward office lays it out: title rows, an optional
// merged super-header over some columns, the header row, data rows and an
// optional totals row.
type sheet struct {
	Name   string
	Titles []string // above the header; a blank row follows them
	// Super, when set, is a merged cell above columns SuperFrom..SuperTo (0-based) of the header.
	Super              string
	SuperFrom, SuperTo int
	Header             []string
	Rows               [][]any // cell values: string, int, float64, date (a day, written as an Excel date), textDate
	Totals             []any   // the totals row, if any
}

// date is written as an Excel date cell (a serial number formatted dd/mm/yyyy).
type date time.Time

// textDate is written as text, the way a hand-typed date arrives.
type textDate time.Time

// text is a number or other value written as text ("8,5", "45").
type text string

// workbook writes sheets into an XLSX file whose bytes depend only on its
// content, its author and the time at (when the ward sent it).
func workbook(sheets []sheet, author string, at time.Time) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	var st styles
	var err error
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")}); err != nil {
		return nil, err
	}
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true, Vertical: "center"},
		Border: []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}}); err != nil {
		return nil, err
	}
	if st.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}}); err != nil {
		return nil, err
	}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			return nil, err
		}
		if err := writeSheet(f, sh, st); err != nil {
			return nil, err
		}
	}
	// The document properties are dated by the simulated send time, so that
	// the same content sent at the same time gives the same bytes.
	created := at.Add(-50 * time.Hour).UTC().Format(time.RFC3339)
	modified := at.Add(-6 * time.Minute).UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Creator: author, LastModifiedBy: author, Created: created, Modified: modified, Language: "vi-VN"}); err != nil {
		return nil, err
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: "Microsoft Excel", AppVersion: "16.0300", DocSecurity: 0}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return normalizeZip(buf.Bytes())
}

// styles are a workbook's cell styles.
type styles struct{ date, header, title int }

// writeSheet writes one sheet: its title rows, a blank row, the header (under
// a merged super-header when it has one), the rows and the totals.
func writeSheet(f *excelize.File, sh sheet, st styles) error {
	row := 1
	for _, t := range sh.Titles {
		if err := setRow(f, sh.Name, row, []any{t}, st.date); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh.Name, cell(0, row), cell(0, row), st.title); err != nil {
			return err
		}
		row++
	}
	if len(sh.Titles) > 0 {
		row++ // a blank row under the titles
	}
	if sh.Super != "" {
		if err := f.SetCellValue(sh.Name, cell(sh.SuperFrom, row), sh.Super); err != nil {
			return err
		}
		if err := f.MergeCell(sh.Name, cell(sh.SuperFrom, row), cell(sh.SuperTo, row)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh.Name, cell(sh.SuperFrom, row), cell(sh.SuperTo, row), st.header); err != nil {
			return err
		}
		row++
	}
	head := make([]any, len(sh.Header))
	for j, h := range sh.Header {
		head[j] = h
	}
	if err := setRow(f, sh.Name, row, head, st.date); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh.Name, cell(0, row), cell(len(sh.Header)-1, row), st.header); err != nil {
		return err
	}
	row++
	for _, r := range sh.Rows {
		if err := setRow(f, sh.Name, row, r, st.date); err != nil {
			return err
		}
		row++
	}
	if sh.Totals != nil {
		if err := setRow(f, sh.Name, row, sh.Totals, st.date); err != nil {
			return err
		}
	}
	return f.SetColWidth(sh.Name, "A", columnName(len(sh.Header)), 14)
}

func setRow(f *excelize.File, name string, row int, values []any, dateStyle int) error {
	for j, v := range values {
		c := cell(j, row)
		var err error
		switch x := v.(type) {
		case nil:
			continue
		case date:
			err = f.SetCellFloat(name, c, serial(time.Time(x)), 0, 64)
			if err == nil {
				err = f.SetCellStyle(name, c, c, dateStyle)
			}
		case textDate:
			err = f.SetCellStr(name, c, time.Time(x).Format("02/01/2006"))
		case text:
			err = f.SetCellStr(name, c, string(x))
		case string:
			err = f.SetCellStr(name, c, x)
		case int:
			err = f.SetCellInt(name, c, int64(x))
		case float64:
			err = f.SetCellFloat(name, c, x, -1, 64)
		default:
			err = fmt.Errorf("sample: cell %s: unexpected %T", c, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// serial is the Excel (1900 system) serial number of a day.
func serial(t time.Time) float64 {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.Sub(epoch).Hours() / 24
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col+1, row)
	return c
}

func columnName(n int) string {
	c, _ := excelize.ColumnNumberToName(n)
	return c
}

func ptr[T any](v T) *T { return &v }

// normalizeZip rewrites a zip archive with its entries sorted by name and
// dated 1980-01-01 00:00 as Excel dates them, so that the bytes depend only on
// the content (excelize writes its entries in map order).
func normalizeZip(b []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range files {
		// The MS-DOS date of 1980-01-01, set directly: Modified would add an
		// extended timestamp field.
		//lint:ignore SA1019 the deprecated field is the one that writes no extra field
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, ModifiedDate: 1<<5 | 1})
		if err != nil {
			return nil, err
		}
		r, err := f.Open()
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, r); err != nil {
			r.Close()
			return nil, err
		}
		r.Close()
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
