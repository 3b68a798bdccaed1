package wardfile

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap/config"
)

// familyWorkbook is a ward's household assessment sheet as Excel writes it.
func familyWorkbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "Hộ gia đình"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	all := append([][]any{{"DANH SÁCH HỘ ĐÁNH GIÁ GIA ĐÌNH HỌC TẬP NĂM 2021"},
		{"Mã hộ", "Họ tên chủ hộ", "Xã/phường", "Tổ dân phố", "Số nhân khẩu", "Ngày đánh giá", "TC1", "TC2", "TC3", "TC4"}}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadFamilyGood(t *testing.T) {
	cfg := pilotCfg(t)
	data := familyWorkbook(t, [][]any{
		{"tqd-h001", "Nguyễn Văn Tâm", "Tân Quy Đông", "Khóm 1", 4, "15/06/2021", 28, 27, 18, 17},
		{"TQD-H002", "Lê Thị Mai", "P. Tân Qui Đông", "", "5", "16/06/2021", 20, 22.5, 12, ""},
	})
	g := readData(t, cfg, "Gia_dinh_hoc_tap_06-2021.xlsx", data, Hint{Ward: "tan-quy-dong"})
	checkMessages(t, g.res.Problems)
	if g.res.Errors() > 0 || len(g.rows) != 2 {
		t.Fatalf("%d errors, %d rows: %+v", g.res.Errors(), len(g.rows), g.res.Problems)
	}
	r := g.rows[0]
	if r["_dataset"] != config.DatasetFamilyAssessments || r["household_code"] != "tqd-h001" || r["ward"] != "tan-quy-dong" ||
		r["members"] != int64(4) || r["c_tc1"] != 28.0 || r["c_tc4"] != 17.0 || r["assessed_on"] != day(2021, 6, 15) {
		t.Errorf("row 3 = %v", r)
	}
	if _, ok := g.rows[1]["c_tc4"]; ok || g.rows[1]["c_tc2"] != 22.5 || g.rows[1]["_row"] != 4 {
		t.Errorf("row 4 = %v: want TC2 22.5 and TC4 left empty", g.rows[1])
	}
}

// Each bad cell is an error naming the row, the column and the value.
func TestReadFamilyBad(t *testing.T) {
	cfg := pilotCfg(t)
	data := familyWorkbook(t, [][]any{
		{"TQD-H001", "Nguyễn Văn Tâm", "Tân Quy Đông", "Khóm 1", 4, "15/06/2021", 35, 27, 18, 17},
		{"", "Lê Thị Mai", "Tân Quy Đông", "", "nhiều", "16/06/2021", 20, 22, 12, 10},
		{"TQD-H003", "Phạm Văn Út", "Tân Hòa", "", 3, "31/02/2021", 20, 22, 12, 10},
	})
	g := readData(t, cfg, "Gia_dinh_hoc_tap_06-2021.xlsx", data, Hint{})
	checkMessages(t, g.res.Problems)
	want := []struct {
		row        int
		col, value string
	}{
		{3, `"TC1" (G)`, "35"},
		{4, `"Mã hộ" (A)`, ""},
		{4, `"Số nhân khẩu" (E)`, "nhiều"},
		{5, `"Xã/phường" (C)`, "Tân Hòa"},
		{5, `"Ngày đánh giá" (F)`, "31/02/2021"},
	}
	for _, w := range want {
		found := false
		for _, p := range g.res.Problems {
			if p.Severity == SevError && p.Row == w.row && p.Column == w.col && p.Value == w.value && p.Sheet == "Hộ gia đình" {
				found = true
			}
		}
		if !found {
			t.Errorf("no error at row %d, column %s, value %q in %+v", w.row, w.col, w.value, g.res.Problems)
		}
	}
	if g.res.Errors() != len(want) {
		t.Errorf("%d errors, want %d: %+v", g.res.Errors(), len(want), g.res.Problems)
	}
}

// A yes/no criterion reads Đạt as 1 and Không đạt as 0, and refuses what is
// neither (that row is not emitted).
func TestReadFamilyYesNo(t *testing.T) {
	cfg, err := config.LoadFile("../config/testdata/frameworks.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	csv := "Mã hộ,Họ tên chủ hộ,Xã/phường,Số nhân khẩu,Ngày đánh giá,TC1,Tủ sách gia đình\n" +
		"TK-1,Võ Văn Ba,Tân Khánh Đông,3,10/05/2021,40,Đạt\n" +
		"TK-2,Võ Thị Tư,Tân Khánh Đông,2,10/05/2021,40,Không đạt\n" +
		"TK-3,Võ Văn Năm,Tân Khánh Đông,2,10/05/2021,40,x\n" +
		"TK-4,Võ Văn Sáu,Tân Khánh Đông,2,10/05/2021,40,có lẽ\n"
	g := readData(t, cfg, "gd.csv", []byte(csv), Hint{})
	checkMessages(t, g.res.Problems)
	var vals []any
	for _, r := range g.rows {
		vals = append(vals, r["c_tc3"])
	}
	if len(vals) != 3 || vals[0] != 1.0 || vals[1] != 0.0 || vals[2] != 1.0 {
		t.Errorf("TC3 read as %v", vals)
	}
	p, ok := g.problem("unknown_yes_no")
	if !ok || p.Row != 5 || p.Value != "có lẽ" || !strings.Contains(p.VI, "Đạt") {
		t.Errorf("problem = %+v, %v; want row 5's unknown yes/no naming Đạt", p, ok)
	}
}
