package wardfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap/config"
)

// Every form reads back as its dataset, with its checks, and a filled-in form
// loads without a problem.
func TestTemplates(t *testing.T) {
	cfg := pilotCfg(t)
	for _, ds := range cfg.Datasets() {
		t.Run(ds.Name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteTemplate(cfg, ds.Name, "Tân Qui Đông", &buf); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), ds.Name+".xlsx")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			title, _ := f.GetCellValue("Dữ liệu", "A1")
			if title != "UBND PHƯỜNG TÂN QUY ĐÔNG" {
				t.Errorf("title %q", title)
			}
			head, _ := f.GetRows("Dữ liệu")
			if len(head) < 4 || len(head[3]) != len(ds.Columns) || head[3][0] != ds.Columns[0].Header {
				t.Fatalf("header row %v", head)
			}
			dvs, err := f.GetDataValidations("Dữ liệu")
			if err != nil || len(dvs) == 0 {
				t.Fatalf("no data validation: %v", err)
			}
			if help, _ := f.GetCellValue("Hướng dẫn", "A4"); help != "Cách điền — How to fill in:" {
				t.Errorf("instructions: %q", help)
			}
			// Fill one row as a ward officer would, then read it as ingest does.
			row := map[config.ColumnType]any{config.TypeText: "TQD-UB", config.TypeInt: 12, config.TypeNumber: 2.5, config.TypeDate: 44173,
				config.TypeWard: "Tân Quy Đông", config.TypeGroup: "Cán bộ, công chức, viên chức từ cấp xã trở lên", config.TypeRound: "Giữa kỳ",
				config.TypeGender: "Nữ", config.TypeScore: 4.5, config.TypeUnitType: "trường tiểu học", config.TypeActivityKind: "Tập huấn",
				config.TypeReviewStatus: "Đã duyệt", config.TypeTimestamp: "24/03/2021 19:01:05", config.TypeTitle: "Công dân học tập"}
			for i, c := range ds.Columns {
				v := row[c.Type]
				if c.Key == "citizen_id" {
					v = "TQD-001"
				}
				if c.Key == "birth_year" {
					v = 1980
				}
				cell, _ := excelize.CoordinatesToCellName(i+1, 5)
				if err := f.SetCellValue("Dữ liệu", cell, v); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.Save(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			g := read(t, cfg, path, Hint{Ward: "tan-quy-dong"})
			if g.res.Errors() != 0 || g.res.Warnings() != 0 || len(g.rows) != 1 || g.rows[0]["_dataset"] != ds.Name {
				t.Errorf("filled form: rows %v, problems %v", g.rows, g.res.Problems)
			}
		})
	}
	if err := WriteTemplate(cfg, "people", "", &bytes.Buffer{}); err == nil {
		t.Error("an unknown dataset gave a form")
	}
}
