package doc

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// WriteXLSX writes every table of d as a sheet of a workbook, in the
// document's order: a title row, a header row, then the rows with numbers as
// numbers, shares as fractions shown as percentages and days as dates, so that
// they can be summed and charted again. Every row is written, whatever the
// PDF's limit (a table's All when it has one). A first sheet lists the tables.
func WriteXLSX(w io.Writer, d *Document, info Info) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: nfc(info.Title), Creator: nfc(info.Author), LastModifiedBy: "hoctap",
		Created: info.Generated.UTC().Format(time.RFC3339), Modified: info.Generated.UTC().Format(time.RFC3339), Language: d.Lang,
	}); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8E8E8"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Border: border()})
	if err != nil {
		return err
	}
	styles := map[string]int{}
	style := func(numfmt string, b bool) (int, error) {
		key := fmt.Sprint(numfmt, b)
		if id, ok := styles[key]; ok {
			return id, nil
		}
		s := &excelize.Style{Border: border()}
		if numfmt != "" {
			s.CustomNumFmt = &numfmt
		}
		if b {
			s.Font = &excelize.Font{Bold: true}
		}
		id, err := f.NewStyle(s)
		styles[key] = id
		return id, err
	}

	index := "Bảng"
	if d.Lang == "en" {
		index = "Tables"
	}
	if err := f.SetSheetName("Sheet1", index); err != nil {
		return err
	}
	_ = f.SetCellValue(index, "A1", nfc(strings.ReplaceAll(d.Title, "\n", " — ")))
	_ = f.SetCellStyle(index, "A1", "A1", bold)
	_ = f.SetCellValue(index, "A2", nfc(d.Subtitle))
	_ = f.SetColWidth(index, "A", "A", 32)
	_ = f.SetColWidth(index, "B", "B", 90)
	line := 4
	used := map[string]bool{index: true}
	for _, b := range d.AllBlocks() {
		t, ok := b.(*Table)
		if !ok {
			continue
		}
		name := sheetName(t.ID, used)
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("doc: xlsx: sheet %q: %w", name, err)
		}
		cell, _ := excelize.CoordinatesToCellName(1, line)
		_ = f.SetCellValue(index, cell, name)
		_ = f.SetCellHyperLink(index, cell, "'"+name+"'!A1", "Location")
		cell, _ = excelize.CoordinatesToCellName(2, line)
		_ = f.SetCellValue(index, cell, nfc(t.Title))
		line++
		if err := writeSheet(f, name, t, bold, head, style); err != nil {
			return fmt.Errorf("doc: xlsx: sheet %q: %w", name, err)
		}
	}
	var raw bytes.Buffer
	if _, err := f.WriteTo(&raw); err != nil {
		return err
	}
	return canonicalZip(w, raw.Bytes())
}

// canonicalZip rewrites an XLSX package with its parts in name order and no
// timestamps: excelize writes them in the random order of a sync.Map, and the
// same tables must give the same bytes.
func canonicalZip(w io.Writer, b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool {
		// [Content_Types].xml first, as Office writes it.
		ci, cj := files[i].Name == "[Content_Types].xml", files[j].Name == "[Content_Types].xml"
		if ci != cj {
			return ci
		}
		return files[i].Name < files[j].Name
	})
	zw := zip.NewWriter(w)
	for _, zf := range files {
		// The compressed bytes are copied as they are: only the order and
		// the time change.
		h := zf.FileHeader
		// CreateRaw writes the MS-DOS time fields as given (only
		// CreateHeader derives them from Modified): they are set here.
		//lint:ignore SA1019 the legacy fields are what CreateRaw writes
		h.Modified, h.ModifiedTime, h.ModifiedDate, h.Extra = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), 0, 0, nil
		out, err := zw.CreateRaw(&h)
		if err != nil {
			return err
		}
		in, err := zf.OpenRaw()
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			return err
		}
	}
	return zw.Close()
}

func border() []excelize.Border {
	var bs []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		bs = append(bs, excelize.Border{Type: side, Color: "BBBBBB", Style: 1})
	}
	return bs
}

func writeSheet(f *excelize.File, name string, t *Table, bold, head int, style func(string, bool) (int, error)) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, c := range t.Columns {
		width := 10.0
		if c.NumFmt == "" {
			width = 14
			if c.Width >= 20 {
				width = 40
			}
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{Value: nfc(t.Title), StyleID: bold}}); err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{Value: nfc(c.Name), StyleID: head}
	}
	if err := sw.SetRow("A2", header); err != nil {
		return err
	}
	rowNum := 3
	put := func(cells []Cell, total bool) error {
		vals := make([]any, len(t.Columns))
		for i := range t.Columns {
			var c Cell
			if i < len(cells) {
				c = cells[i]
			}
			id, err := style(t.Columns[i].NumFmt, total || c.Mark == Good)
			if err != nil {
				return err
			}
			vals[i] = excelize.Cell{Value: value(c), StyleID: id}
		}
		cell, _ := excelize.CoordinatesToCellName(1, rowNum)
		rowNum++
		return sw.SetRow(cell, vals)
	}
	if t.All != nil {
		if err := t.All(func(r []Cell) error { return put(r, false) }); err != nil {
			return err
		}
	} else {
		for _, r := range t.Rows {
			if err := put(r, false); err != nil {
				return err
			}
		}
	}
	if t.Total != nil {
		if err := put(t.Total, true); err != nil {
			return err
		}
	}
	if t.Note != "" {
		cell, _ := excelize.CoordinatesToCellName(1, rowNum+1)
		if err := sw.SetRow(cell, []any{nfc(t.Note)}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// value is what a cell stores: its Value, or its Text when it has none
// ("–" for no value is left blank).
func value(c Cell) any {
	switch v := c.Value.(type) {
	case nil:
		if c.Text == "–" {
			return nil
		}
		return nfc(c.Text)
	case string:
		return nfc(v)
	case time.Time:
		return v
	}
	return c.Value
}

// sheetName makes id a valid, unused sheet name: at most 31 characters,
// none of : \ / ? * [ ].
func sheetName(id string, used map[string]bool) string {
	id = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, nfc(id))
	if id == "" {
		id = "Bảng"
	}
	r := []rune(id)
	if len(r) > 31 {
		r = r[:31]
	}
	name := string(r)
	for n := 2; used[name]; n++ {
		suffix := fmt.Sprintf(" %d", n)
		base := []rune(string(r))
		if len(base)+len(suffix) > 31 {
			base = base[:31-len(suffix)]
		}
		name = string(base) + suffix
	}
	used[name] = true
	return name
}

func nfc(s string) string { return norm.NFC.String(s) }
