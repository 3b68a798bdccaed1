package wardfile

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// This file writes Excel 97-2003 workbooks for the tests: BIFF8 records in a
// compound document, as Excel writes them — shared strings split over
// CONTINUE records (with the width flag restated), numbers as NUMBER, RK and
// MULRK, a formula's cached string in its STRING record, a hidden sheet.

// xlsCell is a value: a string (shared), a float64 (NUMBER), an int (RK), or a
// formulaString (FORMULA + STRING).
type formulaString string

type xlsSheetSpec struct {
	name   string
	hidden bool
	rows   [][]any // rows[i][j]: row i+1, column j
}

func rec(b *bytes.Buffer, typ uint16, data []byte) {
	binary.Write(b, binary.LittleEndian, typ)
	binary.Write(b, binary.LittleEndian, uint16(len(data)))
	b.Write(data)
}

func u16(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func u32(v int) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(v)) }

// wide writes a string as UTF-16 when it has characters beyond Latin-1.
func wide(s string) (high bool, b []byte) {
	for _, r := range s {
		if r > 0xFF {
			high = true
		}
	}
	if !high {
		for _, r := range s {
			b = append(b, byte(r))
		}
		return false, b
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return true, b
}

// biff8 writes the workbook stream; maxRecord bounds the SST's records so
// that strings run on into CONTINUE records.
func biff8(sheets []xlsSheetSpec, maxRecord int, date1904 bool) []byte {
	var sst []string
	index := map[string]int{}
	for _, sh := range sheets {
		for _, row := range sh.rows {
			for _, v := range row {
				if s, ok := v.(string); ok && s != "" {
					if _, seen := index[s]; !seen {
						index[s] = len(sst)
						sst = append(sst, s)
					}
				}
			}
		}
	}
	var g bytes.Buffer
	rec(&g, recBOF, append(u16(biff8Version), u16(0x0005)...))
	if date1904 {
		rec(&g, recDateMode, u16(1))
	}
	var patches []int
	for _, sh := range sheets {
		patches = append(patches, g.Len()+4)
		state := byte(0)
		if sh.hidden {
			state = 1
		}
		high, chars := wide(sh.name)
		flag := byte(0)
		if high {
			flag = 1
		}
		data := append(u32(0), state, 0, byte(len([]rune(sh.name))), flag)
		rec(&g, recBoundSheet, append(data, chars...))
	}
	// SST, split into records of at most maxRecord bytes
	var recs [][]byte
	cur := append(u32(len(sst)), u32(len(sst))...)
	for _, s := range sst {
		high, chars := wide(s)
		n := len([]rune(s))
		if high {
			n = len(utf16.Encode([]rune(s)))
		}
		flag := byte(0)
		width := 1
		if high {
			flag, width = 1, 2
		}
		head := append(u16(n), flag)
		if len(cur)+len(head)+width > maxRecord {
			recs, cur = append(recs, cur), nil
		}
		cur = append(cur, head...)
		for len(chars) > 0 {
			room := (maxRecord - len(cur)) / width * width
			if room <= 0 {
				recs, cur = append(recs, cur), []byte{flag}
				continue
			}
			k := min(room, len(chars))
			cur = append(cur, chars[:k]...)
			chars = chars[k:]
		}
	}
	recs = append(recs, cur)
	for i, r := range recs {
		typ := uint16(recSST)
		if i > 0 {
			typ = recContinue
		}
		rec(&g, typ, r)
	}
	rec(&g, recEOF, nil)
	stream := g.Bytes()
	for i, sh := range sheets {
		binary.LittleEndian.PutUint32(stream[patches[i]:], uint32(len(stream)))
		var s bytes.Buffer
		rec(&s, recBOF, append(u16(biff8Version), u16(sheetWorksheet)...))
		for r, row := range sh.rows {
			for c := 0; c < len(row); c++ {
				at := append(u16(r), u16(c)...)
				at = append(at, u16(15)...)
				switch v := row[c].(type) {
				case string:
					if v != "" {
						rec(&s, recLabelSST, append(at, u32(index[v])...))
					}
				case float64:
					rec(&s, recNumber, binary.LittleEndian.AppendUint64(at, math.Float64bits(v)))
				case int:
					// a run of ints is one MULRK
					j := c
					for j+1 < len(row) {
						if _, ok := row[j+1].(int); !ok {
							break
						}
						j++
					}
					if j == c {
						rec(&s, recRK, append(at, u32(v<<2|2)...))
						continue
					}
					d := append(u16(r), u16(c)...)
					for k := c; k <= j; k++ {
						d = append(d, u16(15)...)
						d = append(d, u32(row[k].(int)<<2|2)...)
					}
					rec(&s, recMulRK, append(d, u16(j)...))
					c = j
				case formulaString:
					val := []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}
					rec(&s, recFormula, append(append(at, val...), 0, 0, 0, 0, 0, 0, 0, 0))
					high, chars := wide(string(v))
					flag := byte(0)
					if high {
						flag = 1
					}
					rec(&s, recString, append(append(u16(len([]rune(string(v)))), flag), chars...))
				}
			}
		}
		rec(&s, recEOF, nil)
		stream = append(stream, s.Bytes()...)
	}
	return stream
}

// compoundFile wraps a stream named "Workbook" in a compound document
// (version 3, 512-byte sectors): the FAT, the directory, the stream.
func compoundFile(stream []byte) []byte {
	const sector = 512
	for len(stream) < 4096 || len(stream)%sector != 0 {
		stream = append(stream, 0) // beyond the mini-stream cutoff, whole sectors
	}
	n := len(stream) / sector
	if n > 126 {
		panic("test workbook too large for one FAT sector")
	}
	const end, free, fatSect, noStream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
	h := make([]byte, sector)
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le := binary.LittleEndian
	le.PutUint16(h[24:], 0x3E)
	le.PutUint16(h[26:], 3)
	le.PutUint16(h[28:], 0xFFFE)
	le.PutUint16(h[30:], 9)
	le.PutUint16(h[32:], 6)
	le.PutUint32(h[44:], 1) // one FAT sector
	le.PutUint32(h[48:], 1) // the directory is sector 1
	le.PutUint32(h[56:], 4096)
	le.PutUint32(h[60:], end)
	le.PutUint32(h[68:], end)
	for i := 0; i < 109; i++ {
		le.PutUint32(h[76+4*i:], free)
	}
	le.PutUint32(h[76:], 0) // the FAT is sector 0
	fat := make([]byte, sector)
	for i := 0; i < 128; i++ {
		le.PutUint32(fat[4*i:], free)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], end)
	for i := 0; i < n; i++ {
		next := uint32(2 + i + 1)
		if i == n-1 {
			next = end
		}
		le.PutUint32(fat[4*(2+i):], next)
	}
	dir := make([]byte, sector)
	entry := func(k int, name string, typ byte, child, start uint32, size int) {
		e := dir[128*k:]
		u := utf16.Encode([]rune(name))
		for i, c := range u {
			le.PutUint16(e[2*i:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66], e[67] = typ, 1
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint64(e[120:], uint64(size))
	}
	entry(0, "Root Entry", 5, 1, end, 0)
	entry(1, "Workbook", 2, noStream, 2, len(stream))
	for k := 2; k < 4; k++ {
		le.PutUint32(dir[128*k+68:], noStream)
		le.PutUint32(dir[128*k+72:], noStream)
		le.PutUint32(dir[128*k+76:], noStream)
	}
	return append(append(append(h, fat...), dir...), stream...)
}

func xlsFile(sheets []xlsSheetSpec, maxRecord int) []byte {
	return compoundFile(biff8(sheets, maxRecord, false))
}

// scoreSheet is a final-round score table as an older office PC saves it.
func scoreSheet() xlsSheetSpec {
	rows := [][]any{
		{"UBND PHƯỜNG TÂN QUY ĐÔNG"},
		{"BẢNG TỔNG HỢP ĐIỂM CÔNG DÂN HỌC TẬP CUỐI KỲ"},
		{},
		{"STT", "Mã CD", "Họ và tên", "Ngày ĐG", "CS1", "CS2", "CS3", "CS4", "CS5", "CS6", "CS7", "CS8", "CS9", "CS10",
			"TĐ1", "TĐ2", "TĐ3", "TĐ4", "TĐ5", "TĐ6", "TĐ7", "TĐ8", "TĐ9", "TĐ10", "Người thẩm định"},
	}
	for i := 0; i < 12; i++ {
		r := []any{i + 1, "TQD-" + string(rune('A'+i)), "Nguyễn Thị Ánh Tuyết Hồng Nhung " + string(rune('A'+i)), 44377.0}
		for k := 0; k < 10; k++ {
			r = append(r, 8+k%3)
		}
		if i%2 == 0 {
			for k := 0; k < 10; k++ {
				r = append(r, 8.5)
			}
			r = append(r, formulaString("Phan Thanh Liêm"))
		}
		rows = append(rows, r)
	}
	return xlsSheetSpec{name: "Cuối kỳ", rows: rows}
}

// An .xls reads as the .xlsx it would have been: its header, title rows and
// file name (the round), shared strings across CONTINUE records in Vietnamese,
// numbers stored three ways, a formula's cached text; a hidden sheet is said.
func TestReadXLS(t *testing.T) {
	cfg := pilotCfg(t)
	hidden := xlsSheetSpec{name: "Nháp", hidden: true, rows: [][]any{{"x"}}}
	for _, maxRecord := range []int{8224, 300, 37} { // Excel's record size; strings split in their characters
		data := xlsFile([]xlsSheetSpec{scoreSheet(), hidden}, maxRecord)
		g := readData(t, cfg, "Bang diem cuoi ky.xls", data, Hint{Ward: "tan-quy-dong", Now: time.Date(2021, 8, 1, 0, 0, 0, 0, time.UTC)})
		checkMessages(t, g.res.Problems)
		if g.res.Format != FormatXLS || g.res.Errors() != 0 || len(g.rows) != 12 {
			t.Fatalf("record size %d: format %s, %d rows, problems %v", maxRecord, g.res.Format, len(g.rows), g.res.Problems)
		}
		r := g.rows[0]
		if r["citizen_id"] != "TQD-A" || r["round"] != "final" || r["assessed_on"] != day(2021, 6, 30) || r["i1"] != 8.0 || r["i2"] != 9.0 ||
			r["r1"] != 8.5 || r["reviewer"] != "Phan Thanh Liêm" || r["_row"] != 5 || g.rows[1]["r1"] != nil {
			t.Errorf("record size %d: row %v", maxRecord, r)
		}
		if _, ok := g.problem("hidden_sheet_skipped"); !ok {
			t.Errorf("record size %d: the hidden sheet is not said: %v", maxRecord, g.res.Problems)
		}
	}
}

// What is not a BIFF8 workbook is refused saying what it is.
func TestReadXLSRefusals(t *testing.T) {
	cfg := pilotCfg(t)
	good := xlsFile([]xlsSheetSpec{scoreSheet()}, 8224)
	enc := biff8([]xlsSheetSpec{scoreSheet()}, 8224, false)
	// a FILEPASS record right after the globals' BOF: a password
	fp := append(append([]byte{}, enc[:4+4]...), append([]byte{0x2F, 0, 2, 0, 0, 0}, enc[8:]...)...)
	for name, tc := range map[string]struct {
		data []byte
		code string
		says string
	}{
		"truncated":   {good[:len(good)/2], "unreadable", "bị hỏng"},
		"encrypted":   {compoundFile(fp), "not_a_spreadsheet", "mật khẩu"},
		"garbage":     {append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "not_a_spreadsheet", "tài liệu Office"},
		"not biff8":   {compoundFile(append([]byte{0x09, 0x08, 4, 0, 0x00, 0x05, 0x10, 0}, make([]byte, 4000)...)), "unreadable", "Excel 97-2003"},
		"empty cells": {xlsFile([]xlsSheetSpec{{name: "Sheet1"}}, 8224), "empty_file", "trống"},
	} {
		g := readData(t, cfg, name+".xls", tc.data, Hint{})
		p, ok := g.problem(tc.code)
		if !ok || !bytes.Contains([]byte(p.VI), []byte(tc.says)) {
			t.Errorf("%s: problems %v, want %s saying %q", name, g.res.Problems, tc.code, tc.says)
		}
	}
}

// FuzzReadXLS: whatever the bytes of an .xls, Read does not panic and says
// something.
func FuzzReadXLS(f *testing.F) {
	cfg := pilotCfg(f)
	f.Add(xlsFile([]xlsSheetSpec{scoreSheet()}, 8224))
	f.Add(xlsFile([]xlsSheetSpec{scoreSheet(), {name: "Nháp", hidden: true, rows: [][]any{{"x", 1, 2, 3}}}}, 37))
	if b, err := os.ReadFile(filepath.Join("testdata", "fuzz-seed.xls")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, cfg, "f.xls", data)
	})
}

// A date Excel stores as a serial number is read as that day whatever format
// shows it: a month-first short date (numFmtId 14, m/d/yy on an English PC)
// must not turn 02/09/2021 into 9 February, in either workbook format.
func TestSerialDatesWhateverTheirFormat(t *testing.T) {
	cfg := pilotCfg(t)
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"Mã đơn vị", "Tên đơn vị", "Xã/phường", "Số thành viên", "Ngày đăng ký"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"TPD-TH", "Trường", "Tân Phú Đông", 30, 44441}) // 2021-09-02
	short, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
	x.SetCellStyle("Sheet1", "E2", "E2", short)
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	old := xlsFile([]xlsSheetSpec{{name: "Sheet1", rows: [][]any{
		{"Mã đơn vị", "Tên đơn vị", "Xã/phường", "Số thành viên", "Ngày đăng ký"},
		{"TPD-TH", "Trường", "Tân Phú Đông", 30, 44441.0},
	}}}, 8224)
	for name, data := range map[string][]byte{"u.xlsx": buf.Bytes(), "u.xls": old} {
		g := readData(t, cfg, name, data, Hint{})
		if len(g.rows) != 1 || g.rows[0]["registered_on"] != day(2021, 9, 2) {
			t.Errorf("%s: rows %v problems %v", name, g.rows, g.res.Problems)
		}
	}
}
