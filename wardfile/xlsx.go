package wardfile

import (
	"archive/zip"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxSource reads the sheets of a workbook row by row, with raw cell values:
// numbers as stored (a date is its serial number), never as formatted for
// display — formatting every cell costs five times the reading.
type xlsxSource struct {
	f        *excelize.File
	date1904 bool
}

// zipKind names what a zip file holds: "xlsx", or what it is instead; for a
// workbook whose parts would unzip to more than maxExpanded bytes, or whose
// large parts are compressed more than any spreadsheet is (a zip bomb),
// "too_expanded" — told from the zip's directory, before anything is unzipped.
func zipKind(r io.ReaderAt, size, maxExpanded int64) string {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return "damaged"
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > bombPart && f.UncompressedSize64 > bombRatio*max(f.CompressedSize64, 1) {
			return "too_expanded"
		}
	}
	if maxExpanded > 0 && total > uint64(maxExpanded) {
		return "too_expanded"
	}
	kind := "zip"
	for _, f := range z.File {
		switch {
		case f.Name == "xl/workbook.xml":
			return FormatXLSX
		case f.Name == "xl/workbook.bin":
			kind = "xlsb"
		case f.Name == "content.xml" && kind == "zip":
			kind = "ods"
		case strings.HasPrefix(f.Name, "word/") && kind == "zip":
			kind = "docx"
		}
	}
	return kind
}

// A part larger than bombPart compressed more than bombRatio to 1 is no
// spreadsheet's: XML of cells compresses 5 to 20 times, a sheet of one value
// repeated perhaps 200; a zip bomb a thousand times.
const (
	bombPart  = 16 << 20
	bombRatio = 400
)

// openXLSX opens a workbook from its path, or from its bytes when path is "";
// excelize unzips at most maxExpanded bytes.
func openXLSX(path string, r io.ReaderAt, size, maxExpanded int64) (*xlsxSource, error) {
	var f *excelize.File
	var err error
	opt := excelize.Options{UnzipSizeLimit: maxExpanded}
	if path != "" {
		f, err = excelize.OpenFile(path, opt)
	} else {
		f, err = excelize.OpenReader(io.NewSectionReader(r, 0, size), opt)
	}
	if err != nil {
		return nil, err
	}
	x := &xlsxSource{f: f}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		x.date1904 = *p.Date1904
	}
	return x, nil
}

func (x *xlsxSource) sheets() []sheetInfo {
	var out []sheetInfo
	for _, name := range x.f.GetSheetList() {
		visible, err := x.f.GetSheetVisible(name)
		out = append(out, sheetInfo{name: name, hidden: err == nil && !visible})
	}
	return out
}

func (x *xlsxSource) close() error { return x.f.Close() }

// rows streams a sheet's rows, numbered as Excel numbers them (a row missing
// from the file comes as an empty row).
func (x *xlsxSource) rows(sheet string, fn func(int, []string) error) (err error) {
	rows, err := x.f.Rows(sheet)
	if err != nil {
		return xlsxError(err)
	}
	defer func() {
		if cerr := rows.Close(); err == nil && cerr != nil {
			err = xlsxError(cerr)
		}
	}()
	opt := excelize.Options{RawCellValue: true}
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns(opt)
		if err != nil {
			return xlsxError(err)
		}
		if err := fn(n, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return xlsxError(err)
	}
	return nil
}

// xlsxError is a workbook whose content cannot be read.
func xlsxError(err error) error {
	return &contentError{code: "unreadable",
		vi: "Không đọc được nội dung trang tính (" + err.Error() + "). Hãy mở tệp bằng Excel và lưu lại dạng .xlsx.",
		en: "The sheet's content cannot be read (" + err.Error() + "); open the file in Excel and save it again as .xlsx."}
}
