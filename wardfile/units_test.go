package wardfile

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap/geo"
)

func register(t *testing.T) *geo.Register {
	t.Helper()
	r, err := geo.LoadFiles(filepath.Join("..", "dvhc", "don-vi.csv"), filepath.Join("..", "dvhc", "chuyen-doi.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A ward's name is resolved against the units of the register valid in the
// period the rows are about: in the pilot's time "Tân Phú Đông" is only the
// Sa Đéc commune (29923); across 01/07/2025 it fits it and the new xã Tân
// Phú Đông of former Tiền Giang (28696), and the file is refused naming both;
// after that day it is 28696 alone, not the programme's ward. The folder
// decides, and so does the official code written instead of the name.
func TestReadWardByDate(t *testing.T) {
	cfg, reg := pilotCfg(t), register(t)
	head := "Mã công dân,Họ và tên,Giới tính,Năm sinh,Nhóm đối tượng,Xã/phường,Ngày đăng ký\n"
	rows := func(ward string, days ...string) []byte {
		var b strings.Builder
		b.WriteString(head)
		for i, d := range days {
			b.WriteString(strings.Join([]string{"TPD-" + string(rune('1'+i)), "Lê Văn A", "Nam", "1975", "1", ward, d}, ",") + "\n")
		}
		return []byte(b.String())
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, ward string
		days       []string
		folder     string
		want       string // "" accepted as tan-phu-dong; else the problem's code and fragments of its English
		fragments  []string
	}{
		{"the pilot's time", "Tân Phú Đông", []string{"08/12/2020", "15/01/2021"}, "", "", nil},
		{"across the change", "xã Tân Phú Đông", []string{"15/05/2025", "20/08/2025"}, "", "ambiguous_unit", []string{
			"in the period of the data (15/05/2025–20/08/2025) that name fits 2 administrative units",
			"29923 Xã Tân Phú Đông (in Thành phố Sa Đéc, valid …–30/06/2025)",
			"28696 Xã Tân Phú Đông (in Tỉnh Đồng Tháp, valid 01/07/2025–…)",
			"if it is the programme's Tân Phú Đông, send the file in its folder \"tan-phu-dong\", or write the unit's code (29923)"}},
		{"after the change", "Tân Phú Đông", []string{"10/01/2026"}, "", "ambiguous_unit", []string{
			"that name is 28696 Xã Tân Phú Đông (in Tỉnh Đồng Tháp, valid 01/07/2025–…), not the programme's Tân Phú Đông (code 29923)"}},
		{"the folder decides", "xã Tân Phú Đông", []string{"15/05/2025", "20/08/2025"}, "tan-phu-dong", "", nil},
		{"the code decides", "29923", []string{"15/05/2025", "20/08/2025"}, "", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := readData(t, cfg, "dang-ky.csv", rows(c.ward, c.days...), Hint{Register: reg, Ward: c.folder, Now: now})
			checkMessages(t, g.res.Problems)
			errs := g.codes(SevError)
			if c.want == "" {
				if len(errs) != 0 || len(g.rows) != len(c.days) || g.rows[0]["ward"] != "tan-phu-dong" {
					t.Errorf("rows %v, problems %v", g.rows, g.res.Problems)
				}
				return
			}
			p, ok := g.problem(c.want)
			if len(errs) != 1 || !ok {
				t.Fatalf("problems %v, want one %s", g.res.Problems, c.want)
			}
			if rows := max(p.RowCount, 1); p.Row != 2 || rows != len(c.days) || p.Column != `"Xã/phường" (F)` || p.Value != c.ward {
				t.Errorf("problem at row %d (%d rows), column %s, value %q", p.Row, p.RowCount, p.Column, p.Value)
			}
			for _, f := range c.fragments {
				if !strings.Contains(p.EN, f) {
					t.Errorf("the problem does not say %q:\n%s", f, p.EN)
				}
			}
			t.Logf("%s\n%s", p.VI, p.EN)
		})
	}
	// Without a register, names are the configuration's: the same file passes.
	g := readData(t, cfg, "dang-ky.csv", rows("Tân Phú Đông", "10/01/2026"), Hint{Now: now})
	if g.res.Errors() != 0 || len(g.rows) != 1 {
		t.Errorf("without a register: %v", g.res.Problems)
	}
}

// A city's workbook with a sheet per ward and no ward column: the sheet's
// name is resolved by the period of its rows like a cell.
func TestReadWardSheetByDate(t *testing.T) {
	cfg, reg := pilotCfg(t), register(t)
	f := excelize.NewFile()
	for _, s := range []struct {
		sheet string
		day   time.Time
	}{{"Tân Quy Tây", day(2025, 6, 2)}, {"Tân Phú Đông", day(2025, 8, 4)}} {
		if _, err := f.NewSheet(s.sheet); err != nil {
			t.Fatal(err)
		}
		for r, vals := range [][]any{
			{"Mã công dân", "Họ và tên", "Giới tính", "Năm sinh", "Nhóm đối tượng", "Ngày đăng ký"},
			{"A-1", "Trần Thị B", "Nữ", 1980, 2, s.day},
		} {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.sheet, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	g := readData(t, cfg, "dang-ky-thanh-pho.xlsx", buf.Bytes(), Hint{Register: reg, Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	checkMessages(t, g.res.Problems)
	p, ok := g.problem("ambiguous_unit")
	if g.res.Errors() != 1 || !ok || p.Sheet != "Tân Phú Đông" || !strings.Contains(p.EN, `The sheet's name "Tân Phú Đông"`) || !strings.Contains(p.EN, "28696 Xã Tân Phú Đông") {
		t.Errorf("problems %v", g.res.Problems)
	}
}
