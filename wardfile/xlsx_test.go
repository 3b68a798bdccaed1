package wardfile

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
)

// readSheet is a workbook as the sources give it: each sheet's name, whether
// it is hidden, and its rows by number.
type readSheet struct {
	Name   string
	Hidden bool
	Rows   map[int][]string
	Err    string
}

// streamRows reads a workbook with xlsxSource.
func streamRows(data []byte) ([]readSheet, error) {
	x, err := openXLSX(bytes.NewReader(data), int64(len(data)), 32<<10)
	if err != nil {
		return nil, err
	}
	var out []readSheet
	for _, sh := range x.sheets() {
		s := readSheet{Name: sh.name, Hidden: sh.hidden, Rows: map[int][]string{}}
		err := x.rows(sh.name, func(n int, cells []string) error {
			if trimmed := trimRow(cells); len(trimmed) > 0 {
				s.Rows[n] = append([]string(nil), trimmed...)
			}
			return nil
		})
		if err != nil {
			s.Err = err.Error()
		}
		out = append(out, s)
	}
	return out, nil
}

// excelizeRows reads a workbook as the reader before xlsxSource did: excelize's
// row iterator with raw cell values, rows numbered by the iterator.
func excelizeRows(data []byte) ([]readSheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []readSheet
	for _, name := range f.GetSheetList() {
		visible, err := f.GetSheetVisible(name)
		s := readSheet{Name: name, Hidden: err == nil && !visible, Rows: map[int][]string{}}
		rows, err := f.Rows(name)
		if err != nil {
			s.Err = err.Error()
			out = append(out, s)
			continue
		}
		n := 0
		for rows.Next() {
			n++
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				s.Err = err.Error()
				break
			}
			if trimmed := trimRow(cells); len(trimmed) > 0 {
				s.Rows[n] = append([]string(nil), trimmed...)
			}
		}
		rows.Close()
		out = append(out, s)
	}
	return out, nil
}

// trimRow drops a row's trailing empty cells, which the readers need not agree
// on (a formula whose cached value is empty).
func trimRow(cells []string) []string {
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return cells
}

// workbook zips parts into a workbook; a sheet's XML is wrapped in a
// worksheet element unless it starts with one.
func workbook(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	base := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
	}
	for k, v := range parts {
		base[k] = v
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} {
		writePart(t, z, name, base[name])
		delete(base, name)
	}
	for name, v := range base {
		if strings.HasPrefix(name, "xl/worksheets/") && !strings.Contains(v, "worksheet") && !strings.HasPrefix(v, "\xFF\xFE") {
			v = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
				`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` + v + `</worksheet>`
		}
		writePart(t, z, name, v)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writePart(t testing.TB, z *zip.Writer, name, v string) {
	w, err := z.Create(name)
	if err == nil {
		_, err = io.WriteString(w, v)
	}
	if err != nil {
		t.Fatal(err)
	}
}

const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">` +
	`<si><t>Mã công dân</t></si>` +
	`<si><r><rPr><b/><sz val="11"/></rPr><t>Họ và </t></r><r><t xml:space="preserve">tên </t></r></si>` +
	`<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>` +
	`<si><t>dòng 1_x000D_dòng 2 _x005F_x0041_ _xD800_ A&amp;B &lt;&#7855;&#x1EAF;&gt;</t></si>` +
	`<si><t/></si>` +
	`<si><t><![CDATA[<b>in CDATA</b>]]></t></si>` +
	`</sst>`

// Workbooks as Excel, LibreOffice, the OpenXML SDK and form tools write them:
// xlsxSource gives the same rows as excelize did.
func TestXLSXAsExcelize(t *testing.T) {
	tpl := func(dataset string) []byte {
		var b bytes.Buffer
		if err := WriteTemplate(pilotCfg(t), dataset, "tan-phu-dong", &b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"messy", messyWorkbook(t)},
		{"template", tpl("citizen_assessments")},
		{"excel", workbook(t, map[string]string{"xl/sharedStrings.xml": sst, "xl/worksheets/sheet1.xml": `<dimension ref="A1:F9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>` +
			`<sheetData>` +
			`<row r="1" spans="1:6"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v> 3 </v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>` +
			`<row r="3" hidden="1"><c r="A3"><v>44173</v></c><c r="B3" s="2"><v>8.5</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#N/A</v></c></row>` +
			`<row r="4"><c r="A4"><f>SUM(B4:C4)</f><v>3</v></c><c r="B4" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="C4"><f t="shared" ref="C4:C5" si="0">A4+1</f><v>4</v></c><c r="D4"><f>""</f></c></row>` +
			`<row r="5"><c r="C5"><f t="shared" si="0"/><v>5</v></c><c r="F5" s="3"/></row>` +
			`<row r="6"><c r="A6" t="inlineStr"><is><t>inline</t></is></c><c r="B6" t="inlineStr"><is><r><t>rich </t></r><r><rPr><i/></rPr><t>inline</t></r><rPh><t>x</t></rPh></is></c><c r="C6" t="d"><v>2021-03-20T00:00:00</v></c></row>` +
			`<row r="9"><c r="XFD9"><v>1</v></c></row>` +
			`</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`})},
		{"no references", workbook(t, map[string]string{"xl/worksheets/sheet1.xml": `<sheetData><row><c t="inlineStr"><is><t>a</t></is></c><c/><c><v>2</v></c></row><row/><row><c r="C3"><v>3</v></c><c><v>4</v></c></row></sheetData>`})},
		{"prefixed", workbook(t, map[string]string{"xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>SDK</x:t></x:is></x:c><x:c r="C2"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>`})},
		{"sheets", workbook(t, map[string]string{
			"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets>` +
				`<sheet name="Khóm 1 &amp; 2" sheetId="1" r:id="rId1"/><sheet name="Ẩn" sheetId="2" state="hidden" r:id="rId2"/><sheet name="Rất ẩn" sheetId="3" state="veryHidden" r:id="rId4"/></sheets></workbook>`,
			"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="./worksheets/../worksheets/sheet3.xml"/></Relationships>`,
			"xl/worksheets/sheet1.xml":   `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>một</t></is></c></row></sheetData>`,
			"xl/worksheets/sheet2.xml":   `<sheetData><row r="1"><c r="A1"><v>2</v></c></row></sheetData>`,
			"xl/worksheets/sheet3.xml":   `<sheetData><row r="1"><c r="A1"><v>3</v></c></row></sheetData>`,
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := excelizeRows(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			got, err := streamRows(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("xlsxSource:\n%+v\nexcelize:\n%+v", got, want)
			}
			if tc.name == "excel" && got[0].Rows[1][3] != "dòng 1\rdòng 2 _x0041_  A&B <ắắ>" {
				t.Errorf("escapes: %q", got[0].Rows[1][3])
			}
		})
	}
}

// What excelize passed over silently is refused, saying where.
func TestXLSXDamaged(t *testing.T) {
	for _, tc := range []struct {
		name, sheet, says string
	}{
		{"cut short", `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v`, "cut short"},
		{"no end", `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>`, "ends before"},
		{"rows back", `<sheetData><row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row></sheetData>`, "row 1 comes after row 2"},
		{"cells back", `<sheetData><row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row></sheetData>`, `"A1" of row 1`},
		{"past the last row", `<sheetData><row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData>`, "past Excel's last row"},
		{"past the last column", `<sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData>`, `"XFE1"`},
		{"no such string", `<sheetData><row r="1"><c r="A1" t="s"><v>6</v></c></row></sheetData>`, `shared string "6"`},
		{"bad entity", `<sheetData><row r="1"><c r="A1"><v>&nbsp;</v></c></row></sheetData>`, "nbsp"},
		{"doctype", `<!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>`, "document type"},
		{"too long", `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("Nguyễn ", 300_000) + `</t></is></c></row></sheetData>`, "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := workbook(t, map[string]string{"xl/sharedStrings.xml": sst, "xl/worksheets/sheet1.xml": tc.sheet})
			got, err := streamRows(data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got[0].Err, tc.says) {
				t.Errorf("error %q, want it to say %q", got[0].Err, tc.says)
			}
			g := readData(t, pilotCfg(t), "a.xlsx", data, Hint{})
			if p, ok := g.problem("unreadable"); !ok || g.res.Errors() != 1 || !strings.Contains(p.VI, "Không đọc được nội dung trang tính") || p.Sheet != "Sheet1" {
				t.Errorf("problems %v", g.res.Problems)
			}
		})
	}
}

// A sheet in UTF-16, or declaring another encoding, is read as its text.
func TestXLSXEncodings(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="%s"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>%s</t></is></c></row></sheetData></worksheet>`
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(fmt.Sprintf(sheet, "UTF-16", "Tân Phú Đông"))
	if err != nil {
		t.Fatal(err)
	}
	for name, part := range map[string]string{
		"utf-16":     u16,
		"latin-1":    fmt.Sprintf(sheet, "ISO-8859-1", "Caf\xe9"),
		"utf-8 bom":  "\xEF\xBB\xBF" + fmt.Sprintf(sheet, "UTF-8", "Tân Phú Đông"),
		"undeclared": strings.Replace(fmt.Sprintf(sheet, "", "Tân Phú Đông"), ` encoding=""`, "", 1),
	} {
		got, err := streamRows(workbook(t, map[string]string{"xl/worksheets/sheet1.xml": part}))
		if err != nil || got[0].Err != "" {
			t.Fatalf("%s: %v %v", name, err, got)
		}
		want := "Tân Phú Đông"
		if name == "latin-1" {
			want = "Café"
		}
		if c := got[0].Rows[1]; len(c) != 1 || c[0] != want {
			t.Errorf("%s: %q", name, c)
		}
	}
}

// sheetShaped reports whether a sheet's XML is well formed and its elements
// are where the schema puts them: rows in sheetData, cells in rows, values in
// cells, text in strings and their runs.
func sheetShaped(sheet string) bool {
	parents := map[string][]string{
		"row": {"sheetData", "worksheet"}, "c": {"row"}, "v": {"c"}, "f": {"c"}, "is": {"c"},
		"t": {"is", "r", "rPh"}, "r": {"is"}, "rPh": {"is"}, "rPr": {"r"},
	}
	d := xml.NewDecoder(strings.NewReader(sheet))
	var stack []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			if p, ok := parents[tok.Name.Local]; ok && !slices.Contains(p, parent) || parent == "v" || parent == "f" || parent == "t" {
				return false
			}
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.Directive:
			return false
		}
	}
}

var badStyle = regexp.MustCompile(`(^|[^A-Za-z0-9:_.-])s\s*=\s*("[^"]*[^0-9"][^"]*"|'[^']*[^0-9'][^']*'|""|'')`)

// FuzzXLSXAsExcelize: whatever a sheet's XML, xlsxSource does not panic; when
// the XML is well formed it gives excelize's rows, or refuses the sheet for
// one of the reasons excelize passed over.
func FuzzXLSXAsExcelize(f *testing.F) {
	for _, s := range []string{
		`<sheetData><row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1"><v>2.5</v></c></row><row r="3"><c r="B3" t="inlineStr"><is><t>x&amp;y</t></is></c></row></sheetData>`,
		`<sheetData><row><c><v>1</v></c><c t="b"><v>0</v></c></row><row r="5"><c r="D5"><f>A1</f><v></v></c></row></sheetData>`,
		`<x:sheetData xmlns:x="u"><x:row r="2"><x:c r="AA2" t="str"><x:v>s</x:v></x:c></x:row></x:sheetData>`,
		`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r><rPh><t>b</t></rPh><r><t><![CDATA[c]]></t></r></is></c></row></sheetData>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sheet string) {
		data := workbook(t, map[string]string{"xl/sharedStrings.xml": sst, "xl/worksheets/sheet1.xml": "<worksheet>" + sheet + "</worksheet>"})
		got, err := streamRows(data)
		if err != nil {
			t.Fatal(err)
		}
		if !sheetShaped("<worksheet>" + sheet + "</worksheet>") {
			return // excelize's rows are what it read before the fault, or as it guessed
		}
		if m := badStyle.FindString(sheet); m != "" {
			return // excelize drops a cell whose style is not a number: xlsxSource keeps it
		}
		want, err := excelizeRows(data)
		if err != nil {
			return
		}
		if got[0].Err != "" {
			for _, allowed := range []string{"comes after", "out of place", "past Excel", "shared string", "ends before", "escape", "char reference", "bang type", "CDATA"} {
				if strings.Contains(got[0].Err, allowed) {
					return
				}
			}
			t.Fatalf("refused %q: %s", sheet, got[0].Err)
		}
		if want[0].Err != "" {
			return
		}
		if !reflect.DeepEqual(got[0].Rows, want[0].Rows) {
			t.Fatalf("%q:\nxlsxSource %v\nexcelize   %v", sheet, got[0].Rows, want[0].Rows)
		}
	})
}
