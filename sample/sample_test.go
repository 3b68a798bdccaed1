package sample

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
)

func pilotConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// table is one sheet or CSV read back: header → column, and the data rows.
type table struct {
	col  map[string]int
	rows [][]string
}

func (tb table) get(row []string, header string) string {
	i, ok := tb.col[header]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// readSheets reads every sheet of an XLSX file: the header is the row holding
// the marker header; data rows follow it up to the first row without an STT.
func readSheets(t *testing.T, path, marker string) []table {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer f.Close()
	var out []table
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			tb := table{col: map[string]int{}}
			for j, c := range r {
				tb.col[c] = j
			}
			if _, ok := tb.col[marker]; !ok {
				continue
			}
			for _, d := range rows[i+1:] {
				if len(d) == 0 || d[0] == "" {
					break
				}
				tb.rows = append(tb.rows, d)
			}
			out = append(out, tb)
			break
		}
	}
	return out
}

func readWebform(t *testing.T, path string) table {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Errorf("%s has no BOM", path)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tb := table{col: map[string]int{}, rows: recs[1:]}
	for j, h := range recs[0] {
		tb.col[h] = j
	}
	return tb
}

func score(s string) float64 {
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil {
		return -1
	}
	return v
}

func TestPilotReproducesThePilot(t *testing.T) {
	cfg := pilotConfig(t)
	dir := t.TempDir()
	files, err := Pilot(cfg, dir, DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	perWard := map[string]map[string]bool{}
	units := map[string]bool{}
	groupOf := map[string]string{}
	for _, f := range files {
		if f.Dataset != config.DatasetCitizens && f.Dataset != config.DatasetUnits && f.Dataset != "" {
			continue
		}
		for _, tb := range readSheets(t, filepath.Join(dir, f.Path), "Mã đơn vị") {
			if _, ok := tb.col["Tên đơn vị"]; ok {
				for _, r := range tb.rows {
					units[tb.get(r, "Mã đơn vị")] = true
				}
			}
		}
		for _, tb := range readSheets(t, filepath.Join(dir, f.Path), "Mã công dân") {
			for _, r := range tb.rows {
				if perWard[f.Ward] == nil {
					perWard[f.Ward] = map[string]bool{}
				}
				id := tb.get(r, "Mã công dân")
				perWard[f.Ward][id] = true
				groupOf[id] = tb.get(r, "Nhóm đối tượng")
				if tb.get(r, "Họ và tên") == "" || tb.get(r, "Xã/phường") == "" {
					t.Errorf("%s: row without a name or ward: %v", f.Path, r)
				}
			}
		}
	}
	want := map[string]int{"tan-phu-dong": 11, "tan-quy-tay": 10, "tan-quy-dong": 10}
	people := 0
	for w, n := range want {
		if len(perWard[w]) != n {
			t.Errorf("%s: %d people registered, want %d", w, len(perWard[w]), n)
		}
		people += len(perWard[w])
	}
	if len(perWard) != 3 || people != 31 || len(units) != 9 {
		t.Errorf("wards %d, people %d, units %d; want 3, 31, 9", len(perWard), people, len(units))
	}

	// Every registrant has a baseline, a mid-term and a final survey in the
	// files that count (the faulty file aside, the corrected file instead of the first).
	rounds := map[string]map[string]bool{}
	final := map[string][]float64{} // the scores that count
	selfFinal := map[string][]float64{}
	kinds := map[string]int{}
	for _, f := range files {
		kinds[f.Kind]++
		if f.Dataset != config.DatasetCitizenAssessments || f.Kind == KindErrors {
			continue
		}
		var tbs []table
		if strings.HasSuffix(f.Path, ".csv") {
			tbs = []table{readWebform(t, filepath.Join(dir, f.Path))}
		} else {
			tbs = readSheets(t, filepath.Join(dir, f.Path), "Mã công dân")
		}
		for _, tb := range tbs {
			for _, r := range tb.rows {
				id := tb.get(r, "Mã công dân")
				if rounds[f.Period] == nil {
					rounds[f.Period] = map[string]bool{}
				}
				rounds[f.Period][id] = true
				if f.Period != "final" {
					continue
				}
				var self, counted []float64
				for i := 1; i <= 10; i++ {
					s := score(tb.get(r, "Chỉ số "+strconv.Itoa(i)))
					if s < 0 || s > 10 {
						t.Errorf("%s %s: indicator %d = %v", f.Path, id, i, s)
					}
					self = append(self, s)
					c := s
					if rv := tb.get(r, "Thẩm định "+strconv.Itoa(i)); rv != "" {
						c = score(rv)
					}
					counted = append(counted, c)
				}
				selfFinal[id], final[id] = self, counted
			}
		}
	}
	for _, round := range []string{"baseline", "mid", "final"} {
		if len(rounds[round]) != 31 {
			t.Errorf("round %s covers %d people, want 31", round, len(rounds[round]))
		}
	}
	if kinds[KindLate] < 1 || kinds[KindCorrected] != 1 || kinds[KindErrors] != 1 || kinds[KindWebform] != 3 {
		t.Errorf("kinds of files = %v", kinds)
	}

	recognisedN, nearMiss, flips := 0, 0, 0
	for id, s := range final {
		if meets(s, 80, 5) {
			recognisedN++
		} else if total(s) >= 80 {
			nearMiss++
		}
		if meets(selfFinal[id], 80, 5) && !meets(s, 80, 5) {
			flips++
		}
	}
	if share := float64(recognisedN) / 31; share < 0.65 || share > 0.85 {
		t.Errorf("%d of 31 recognised at the final survey (%.0f%%), want 65–85%%", recognisedN, share*100)
	}
	if nearMiss < 2 {
		t.Errorf("%d people reach 80 but miss on one indicator, want at least 2", nearMiss)
	}
	if flips < 1 {
		t.Error("no one's reviewed scores change the outcome of their self scores")
	}
	// Farmers are weakest on IT (5) and foreign language (6); officials score highest.
	mean := func(group string, inds ...int) float64 {
		sum, n := 0.0, 0
		for id, s := range final {
			g := groupOf[id]
			if g != group && !strings.HasPrefix(strings.ToLower(g), map[string]string{"1": "nông", "3": "cán"}[group]) {
				continue
			}
			for _, i := range inds {
				sum += s[i-1]
				n++
			}
		}
		return sum / float64(n)
	}
	if f56, fOther, o56 := mean("1", 5, 6), mean("1", 1, 2, 3, 4, 7, 8, 9, 10), mean("3", 5, 6); !(f56 < fOther-1 && f56 < o56-1) {
		t.Errorf("farmers on 5 and 6: %.2f, on the rest %.2f; officials on 5 and 6: %.2f", f56, fOther, o56)
	}
}

func TestPilotIsDeterministic(t *testing.T) {
	cfg := pilotConfig(t)
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []struct {
		dir  string
		seed int64
	}{{a, DefaultSeed}, {b, DefaultSeed}, {c, DefaultSeed + 1}} {
		if _, err := Pilot(cfg, d.dir, d.seed); err != nil {
			t.Fatal(err)
		}
	}
	ta, tb, tc := tree(t, a), tree(t, b), tree(t, c)
	if len(ta) != len(tb) || len(ta) == 0 {
		t.Fatalf("%d and %d files", len(ta), len(tb))
	}
	differs := 0
	for p, x := range ta {
		if !bytes.Equal(x, tb[p]) {
			t.Errorf("%s differs between two runs with the same seed", p)
		}
		if !bytes.Equal(x, tc[p]) {
			differs++
		}
	}
	if differs == 0 {
		t.Error("another seed gives the same files")
	}
}

func tree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		m[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestScale(t *testing.T) {
	dir := t.TempDir()
	files, err := Scale(hoctap.DefaultConfig, dir, 20000, 7, 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadFile(filepath.Join(dir, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Wards) != 7 || len(cfg.Units) != 21 {
		t.Errorf("%d wards, %d units", len(cfg.Wards), len(cfg.Units))
	}
	rows := map[string]int{}
	var names []string
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, "inbox", f.Path))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		rows[f.Dataset+"/"+f.Period] += len(recs) - 1
		names = append(names, f.Path)
		if _, ok := cfg.WardByName(recs[1][3]); f.Dataset == config.DatasetUnits && !ok {
			t.Errorf("%s: ward %q is not in the scaled configuration", f.Path, recs[1][3])
		}
	}
	sort.Strings(names)
	for _, k := range []string{"citizens/2020-11", "citizen_assessments/baseline", "citizen_assessments/mid", "citizen_assessments/final"} {
		if rows[k] != 20000 {
			t.Errorf("%s: %d rows, want 20000", k, rows[k])
		}
	}
	if rows["units/2020-11"] != 21 || rows["unit_assessments/2021-06"] != 21 {
		t.Errorf("unit rows = %v", rows)
	}
}

func BenchmarkScale(b *testing.B) {
	const n = 100000
	for i := 0; i < b.N; i++ {
		if _, err := Scale(hoctap.DefaultConfig, b.TempDir(), n, 10, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*4*b.N)/b.Elapsed().Seconds(), "rows/s")
}
