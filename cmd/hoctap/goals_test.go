package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap/config"
)

// checkGoals reads the goals of every report of the demo — every month and
// version, in both languages — from its XLSX, as numbers, against the goals of
// the workspace's pipeline.yaml: no goal is a target before its source
// document's day (it is in the references' sheet instead); every goal's rate
// names its scope; no projection of a rate is outside 0–100%; and the status
// agrees with the actual, the path and the projection by the rule of the
// methodology notes: "đã đạt" exactly when the actual reaches the target;
// "đúng tiến độ" only on the path with no projection short of the target;
// "chậm tiến độ" only below the path by more than the margin with no
// projection reaching the target; "có nguy cơ chậm" in every other case.
func checkGoals(t *testing.T, ws string) {
	t.Helper()
	cfg, err := config.LoadFile(filepath.Join(ws, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	books, _ := filepath.Glob(filepath.Join(ws, "out/reports/*/v*/*.xlsx"))
	if len(books) < 18 {
		t.Fatalf("%d workbooks, want every month in both languages", len(books))
	}
	statuses := map[bool]map[string]string{
		false: {"Đã đạt": "achieved", "Đúng tiến độ": "on_track", "Có nguy cơ chậm": "at_risk", "Chậm tiến độ": "behind", "Chưa có số liệu": "no_data"},
		true:  {"Achieved": "achieved", "On track": "on_track", "At risk": "at_risk", "Behind": "behind", "No data": "no_data"},
	}
	checked := 0
	for _, book := range books {
		en := strings.HasSuffix(book, ".en.xlsx")
		month, err := config.ParseMonth(filepath.Base(filepath.Dir(filepath.Dir(book))))
		if err != nil {
			t.Fatalf("%s: %v", book, err)
		}
		end := month.LastDay().Time
		f, err := excelize.OpenFile(book)
		if err != nil {
			t.Fatal(err)
		}
		sheet, refSheet := "Mục tiêu", "Tham khảo"
		if en {
			sheet, refSheet = "Goals", "References"
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s: %v", book, err)
		}
		refs, _ := f.GetRows(refSheet) // none when every goal is in force
		f.Close()
		for _, g := range cfg.Goals {
			name, scope := g.Name, g.Scope
			if en {
				name, scope = orElse(g.NameEN, g.Name), orElse(g.ScopeEN, g.Scope)
			}
			inForce := g.SourceDate.IsZero() || !g.SourceDate.After(end)
			row := findRow(rows, name)
			if !inForce {
				if row != nil {
					t.Errorf("%s: %q is a target before its source (%s)", book, name, g.SourceDate.Format("02/01/2006"))
				}
				if findRow(refs, name) == nil {
					t.Errorf("%s: %q is not among the references", book, name)
				}
				continue
			}
			if row == nil || len(row) < 8 {
				t.Errorf("%s: no row of %q in %s: %v", book, name, sheet, row)
				continue
			}
			if scope != "" && row[1] != scope {
				t.Errorf("%s: %q is a rate of %q, want its scope %q", book, name, row[1], scope)
			}
			if row[1] == "" {
				t.Errorf("%s: %q does not name what its rate is of", book, name)
			}
			status, ok := statuses[en][row[7]]
			if !ok {
				t.Errorf("%s: %q: status %q", book, name, row[7])
				continue
			}
			actual, okA := number(row[4])
			path, okP := number(row[5])
			proj, okJ := number(row[6])
			if okJ && g.Denominator != "" && (proj < 0 || proj > 1) {
				t.Errorf("%s: %q projected at %v, outside 0–100%%", book, name, proj)
			}
			if !okA || !okP {
				if status != "no_data" {
					t.Errorf("%s: %q is %s without an actual value and path (%q, %q)", book, name, status, row[4], row[5])
				}
				continue
			}
			margin := cfg.GoalStatus.AtRiskMargin
			if g.Status != nil {
				margin = g.Status.AtRiskMargin
			}
			const eps = 1e-9
			reachesTarget := okJ && proj >= g.Target-eps
			shortOfTarget := okJ && proj < g.Target-eps
			var want string
			switch {
			case actual >= g.Target-eps:
				want = "achieved"
			case actual >= path-eps && !shortOfTarget:
				want = "on_track"
			case actual < path*(1-margin)-eps && !reachesTarget:
				want = "behind"
			default:
				want = "at_risk"
			}
			if status != want {
				t.Errorf("%s: %q is %q with actual %v, path %v, projection %q, target %v: want %s", book, name, row[7], actual, path, row[6], g.Target, want)
			}
			checked++
		}
	}
	if checked < 9*2*3 {
		t.Errorf("%d goal rows checked: want the goals of every month in both languages", checked)
	}
}

func findRow(rows [][]string, first string) []string {
	for _, r := range rows {
		if len(r) > 0 && r[0] == first {
			return r
		}
	}
	return nil
}

// number is a cell's raw number, if it holds one.
func number(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

func orElse(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
