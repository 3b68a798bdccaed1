package doc

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
	"golang.org/x/sync/errgroup"
	"golang.org/x/text/unicode/norm"
)

// WriteXLSX writes every table of d as a sheet of a workbook, in the
// document's order, then d's Sheets: a title row, a header row, then the
// detail rows as an Excel table (with its filter) with numbers as numbers,
// shares as fractions shown as percentages and days and months as dates, so
// that they can be filtered, summed and charted again; subtotals and the
// total stand apart under the table. Every row is written, whatever the
// PDF's limit (a table's All when it has one). A first sheet lists the
// sheets.
func WriteXLSX(w io.Writer, d *Document, info Info) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(zipWriter)
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
	type styleKey struct {
		numfmt string
		bold   bool
	}
	styles := map[styleKey]int{}
	style := func(numfmt string, b bool) (int, error) {
		key := styleKey{numfmt, b}
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
	var tables []*Table
	for _, b := range d.AllBlocks() {
		if t, ok := b.(*Table); ok {
			tables = append(tables, t)
		}
	}
	all := append(tables, d.Sheets...)
	// The styles are made first, in the order the sheets use them, each
	// streamed table's from the plain style of each column: the streamed
	// rows are read and written before the sheets, at once, each by a
	// goroutine of its own (its own query), and the same tables give the
	// same bytes.
	for _, t := range all {
		if err := makeStyles(t, style); err != nil {
			return err
		}
	}
	streamed := map[*Table]*fastTable{}
	var g errgroup.Group
	for _, t := range all {
		if t.All == nil {
			continue
		}
		ft := &fastTable{}
		for _, c := range t.Columns {
			plain, _ := style(c.NumFmt, false)
			strong, ok := styles[styleKey{c.NumFmt, true}]
			if !ok {
				strong = -1 // not made yet: a Good cell is excelize's to write
			}
			ft.plain, ft.bold = append(ft.plain, plain), append(ft.bold, strong)
		}
		streamed[t] = ft
		g.Go(func() error { return ft.write(t) })
	}
	defer func() {
		for _, ft := range streamed {
			if ft.rows != nil {
				ft.rows.remove()
			}
		}
	}()
	if err := g.Wait(); err != nil {
		return err
	}
	var splices []splice
	for _, t := range all {
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
		sp, err := writeSheet(f, name, t, bold, head, style, streamed[t])
		if err != nil {
			return fmt.Errorf("doc: xlsx: sheet %q: %w", name, err)
		}
		if sp != nil {
			splices = append(splices, *sp)
		}
	}
	var raw bytes.Buffer
	if _, err := f.WriteTo(&raw); err != nil {
		return err
	}
	return canonicalZip(w, raw.Bytes(), splices)
}

// makeStyles makes the styles of t's cells in the order writeStream puts
// them: the detail rows (a streamed table's: the plain style of each
// column), then the subtotals and the total.
func makeStyles(t *Table, style func(string, bool) (int, error)) error {
	put := func(cells []Cell, total bool) error {
		for i, col := range t.Columns {
			var c Cell
			if i < len(cells) {
				c = cells[i]
			}
			if _, err := style(col.NumFmt, total || c.Mark == Good); err != nil {
				return err
			}
		}
		return nil
	}
	if t.All != nil {
		if err := put(nil, false); err != nil {
			return err
		}
	} else {
		for i, r := range t.Rows {
			if !t.Subtotal[i] {
				if err := put(r, false); err != nil {
					return err
				}
			}
		}
	}
	for i, r := range t.Rows {
		if t.Subtotal[i] {
			if err := put(r, true); err != nil {
				return err
			}
		}
	}
	if t.Total != nil {
		return put(t.Total, true)
	}
	return nil
}

// fastTable is a streamed table's detail rows, written by fastRows: their
// styles by column, plain and bold (a Good cell), and then the rows, or
// uncommon when a value was excelize's to write.
type fastTable struct {
	plain, bold []int
	rows        *fastRows
	n           int
	uncommon    bool
}

// write writes t's detail rows (t.All), numbered from 3, under its title
// and header.
func (ft *fastTable) write(t *Table) error {
	rows, err := newFastRows(3)
	if err != nil {
		return err
	}
	ft.rows = rows
	vals := make([]any, len(t.Columns))
	styles := make([]int, len(t.Columns))
	err = t.All(func(cells []Cell) error {
		for i := range t.Columns {
			var c Cell
			if i < len(cells) {
				c = cells[i]
			}
			vals[i], styles[i] = value(c), ft.plain[i]
			if c.Mark == Good {
				if styles[i] = ft.bold[i]; styles[i] < 0 {
					return errUncommon
				}
			}
		}
		return rows.put(vals, styles)
	})
	if errors.Is(err, errUncommon) {
		ft.uncommon = true
		return nil
	}
	if err != nil {
		return err
	}
	ft.n, err = rows.close(3)
	return err
}

// zipLevel is how hard the workbook's parts are deflated, by
// github.com/klauspost/compress/flate: a city's annexes of 439,000 and
// 316,000 people are sheets of 460 MB of XML, which its level 5 deflates
// 2.3 times as fast as the standard library's level 3, 6% larger.
const zipLevel = 5

// zipWriter is the workbook's zip writer, deflating at zipLevel.
func zipWriter(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, compressor)
	return zw
}

func compressor(out io.Writer) (io.WriteCloser, error) { return flate.NewWriter(out, zipLevel) }

// canonicalZip rewrites an XLSX package with its parts in name order and no
// timestamps: excelize writes them in the random order of a sync.Map, and the
// same tables must give the same bytes.
//
// The sheets of splices have their streamed rows put in place of their
// marker rows, and deflated anew, at once.
func canonicalZip(w io.Writer, b []byte, splices []splice) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	spliced := map[string]*deflated{}
	if len(splices) > 0 {
		var g errgroup.Group
		var found int
		for _, zf := range zr.File {
			if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
				continue
			}
			part, err := readPart(zf)
			if err != nil {
				return err
			}
			for _, sp := range splices {
				if !bytes.Contains(part, sp.marker) {
					continue
				}
				found++
				out := &deflated{}
				spliced[zf.Name] = out
				g.Go(func() error {
					d, err := spliceSheet(part, sp)
					if err == nil {
						*out = *d
					}
					return err
				})
				break
			}
		}
		if err := g.Wait(); err != nil {
			return err
		}
		if found != len(splices) {
			return errors.New("doc: xlsx: a streamed table's sheet is missing")
		}
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
		if d, ok := spliced[zf.Name]; ok {
			h.CRC32, h.UncompressedSize64, h.CompressedSize64 = d.crc, d.size, d.compressed
			out, err := zw.CreateRaw(&h)
			if err != nil {
				return err
			}
			if _, err := out.Write(d.data.Bytes()); err != nil {
				return err
			}
			continue
		}
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

// readPart is a part of the package, inflated.
func readPart(zf *zip.File) ([]byte, error) {
	r, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func border() []excelize.Border {
	var bs []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		bs = append(bs, excelize.Border{Type: side, Color: "BBBBBB", Style: 1})
	}
	return bs
}

// writeSheet writes t as the sheet name; a streamed table whose rows ft
// holds gets a marker row in their place, which the splice returned
// replaces.
func writeSheet(f *excelize.File, name string, t *Table, bold, head int, style func(string, bool) (int, error), ft *fastTable) (*splice, error) {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	sp, err := writeStream(sw, t, bold, head, style, ft)
	if err != nil {
		return nil, err
	}
	return sp, sw.Flush()
}

func writeStream(sw *excelize.StreamWriter, t *Table, bold, head int, style func(string, bool) (int, error), ft *fastTable) (*splice, error) {
	for i, c := range t.Columns {
		width := 10.0
		if c.NumFmt == "" {
			width = 14
			if c.Width >= 20 {
				width = 40
			}
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{Value: nfc(t.Title), StyleID: bold}}); err != nil {
		return nil, err
	}
	header := make([]any, len(t.Columns))
	for i, name := range headerNames(t.Columns) {
		header[i] = excelize.Cell{Value: name, StyleID: head}
	}
	if err := sw.SetRow("A2", header); err != nil {
		return nil, err
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
	// The detail rows form an Excel table (with its filter); subtotals and
	// the total stand under it, apart.
	var sp *splice
	switch {
	case ft != nil && !ft.uncommon:
		marker, err := newMarker()
		if err != nil {
			return nil, err
		}
		if err := sw.SetRow("A3", []any{marker}); err != nil {
			return nil, err
		}
		sp = &splice{marker: markerRow(marker, 3), rows: ft.rows}
		rowNum += ft.n
	case t.All != nil:
		if err := t.All(func(r []Cell) error { return put(r, false) }); err != nil {
			return nil, err
		}
	default:
		for i, r := range t.Rows {
			if !t.Subtotal[i] {
				if err := put(r, false); err != nil {
					return nil, err
				}
			}
		}
	}
	if rowNum > 3 {
		last, _ := excelize.CoordinatesToCellName(len(t.Columns), rowNum-1)
		if err := sw.AddTable(&excelize.Table{Range: "A2:" + last, StyleName: "TableStyleLight1", ShowRowStripes: boolPtr(true)}); err != nil {
			return nil, err
		}
	}
	if len(t.Subtotal) > 0 || t.Total != nil {
		rowNum++
	}
	for i, r := range t.Rows {
		if t.Subtotal[i] {
			if err := put(r, true); err != nil {
				return nil, err
			}
		}
	}
	if t.Total != nil {
		if err := put(t.Total, true); err != nil {
			return nil, err
		}
	}
	if t.Note != "" {
		cell, _ := excelize.CoordinatesToCellName(1, rowNum+1)
		if err := sw.SetRow(cell, []any{nfc(t.Note)}); err != nil {
			return nil, err
		}
	}
	return sp, nil
}

func boolPtr(b bool) *bool { return &b }

// headerNames are the columns' names, unique and never empty, as an Excel
// table's columns must be.
func headerNames(cols []Column) []string {
	used := map[string]bool{}
	out := make([]string, len(cols))
	for i, c := range cols {
		name := strings.Join(strings.Fields(nfc(c.Name)), " ")
		if name == "" {
			name = fmt.Sprintf("%d", i+1)
		}
		for n, base := 2, name; used[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s %d", base, n)
		}
		used[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
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

// nfc is s in Unicode's composed form (NFC), as Excel and the PDF fonts
// expect Vietnamese; ASCII, a code or a number, is already.
func nfc(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return norm.NFC.String(s)
		}
	}
	return s
}
