package sample

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
)

// This file reads the generated exports back the way a careful person would —
// with excelize and encoding/csv, finding the header row under the titles — so
// that the tests check the files, not the generator's memory.

func pilotConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// generated is one run of Pilot: its folder and what it says it wrote.
type generated struct {
	dir   string
	files []File
}

func runPilot(t testing.TB, cfg *config.Config, seed int64) generated {
	t.Helper()
	dir := t.TempDir()
	files, err := Pilot(cfg, dir, seed)
	if err != nil {
		t.Fatal(err)
	}
	return generated{dir, files}
}

// table is one sheet or CSV read back: its headers, where each is, the data
// rows (up to the first row without a row number, for sheets) and the row
// after them (a totals row, if any).
type table struct {
	sheet   string
	headers []string
	col     map[string]int
	rows    [][]string
	after   []string
	// headerRow is the 1-based sheet row of the headers.
	headerRow int
}

func (tb table) get(row []string, header string) string {
	i, ok := tb.col[header]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// readXLSX reads every sheet of a workbook: the header row is the first that
// holds marker; data rows follow it while their first cell (STT) is set.
func readXLSX(t testing.TB, path, marker string) []table {
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
			tb := table{sheet: name, col: map[string]int{}, headerRow: i + 1}
			for j, c := range r {
				tb.col[c] = j
			}
			if _, ok := tb.col[marker]; !ok {
				continue
			}
			tb.headers = r
			k := i + 1
			for ; k < len(rows) && len(rows[k]) > 0 && rows[k][0] != ""; k++ {
				tb.rows = append(tb.rows, rows[k])
			}
			if k < len(rows) {
				tb.after = rows[k]
			}
			out = append(out, tb)
			break
		}
	}
	return out
}

// readCSV reads a CSV export with the given separator, without its BOM.
func readCSV(t testing.TB, path string, comma rune) table {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.Comma = comma
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	tb := table{col: map[string]int{}, headers: recs[0], rows: recs[1:], headerRow: 1}
	for j, h := range recs[0] {
		tb.col[h] = j
	}
	return tb
}

// read reads a pilot file's tables, whatever its format.
func (g generated) read(t testing.TB, f File, marker string) []table {
	t.Helper()
	p := filepath.Join(g.dir, filepath.FromSlash(f.Path))
	if strings.HasSuffix(f.Path, ".csv") {
		return []table{readCSV(t, p, ';')}
	}
	return readXLSX(t, p, marker)
}

// number reads a cell as a number: 8.5, "8,5".
func number(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	return v, err == nil
}

// cellDate reads a date cell: an Excel serial number, dd/mm/yyyy, or the
// web form's dd/mm/yyyy hh:mm:ss.
func cellDate(s string) (time.Time, bool) {
	if v, ok := number(s); ok {
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(v)), true
	}
	for _, layout := range []string{"02/01/2006", "02/01/2006 15:04:05"} {
		if d, err := time.Parse(layout, s); err == nil {
			return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// pilotData is what the pilot's files say once the faulty file is set aside
// and each corrected file has replaced the one before it.
type pilotData struct {
	units    map[string]string // unit code → ward
	citizens map[string]citizen
	// surveys[round][citizen id]
	surveys map[string]map[string]survey
	// unitTotals[round][unit code]: the total of the item scores
	unitTotals map[string]map[string]float64
	// activities[ward][month]
	activities map[string]map[string]table
}

type citizen struct {
	ward, name, gender, unit, hamlet string
	group, birth                     int
	registered                       time.Time
}

type survey struct {
	self, rev []float64 // rev is nil without reviewed scores
	on        time.Time
}

// counted is the score that counts: reviewed where there is one.
func (s survey) counted() []float64 {
	if s.rev != nil {
		return s.rev
	}
	return s.self
}

// effective lists the files that hold the final data: no faulty file, and of
// the files of one ward, dataset and period, the last sent.
func effective(files []File) []File {
	last := map[string]File{}
	var keys []string
	for _, f := range files {
		if f.Kind == KindErrors {
			continue
		}
		k := f.Ward + "|" + f.Dataset + "|" + f.Period
		if f.Dataset == "" || f.Dataset == config.DatasetUnits || f.Dataset == config.DatasetCitizens {
			k = f.Path // registrations: every file counts
		}
		if prev, ok := last[k]; !ok || prev.SentAt.Before(f.SentAt) {
			if !ok {
				keys = append(keys, k)
			}
			last[k] = f
		}
	}
	out := make([]File, 0, len(keys))
	for _, k := range keys {
		out = append(out, last[k])
	}
	return out
}

func readPilot(t testing.TB, cfg *config.Config, g generated) pilotData {
	t.Helper()
	d := pilotData{units: map[string]string{}, citizens: map[string]citizen{}, surveys: map[string]map[string]survey{},
		unitTotals: map[string]map[string]float64{}, activities: map[string]map[string]table{}}
	n := len(cfg.Citizen.Indicators)
	ward := func(f File, s string) string {
		w, ok := cfg.WardByName(s)
		if !ok || w.Code != f.Ward {
			t.Errorf("%s: ward %q is not read as %s", f.Path, s, f.Ward)
		}
		return w.Code
	}
	for _, f := range effective(g.files) {
		switch f.Dataset {
		case "", config.DatasetUnits, config.DatasetCitizens:
			for _, tb := range g.read(t, f, "Mã đơn vị") {
				if _, ok := tb.col["Tên đơn vị"]; !ok {
					continue
				}
				for _, r := range tb.rows {
					d.units[tb.get(r, "Mã đơn vị")] = ward(f, tb.get(r, "Xã/phường"))
				}
			}
			for _, tb := range g.read(t, f, "Mã công dân") {
				for _, r := range tb.rows {
					grp, ok := cfg.GroupByName(tb.get(r, "Nhóm đối tượng"))
					if !ok {
						t.Errorf("%s: target group %q", f.Path, tb.get(r, "Nhóm đối tượng"))
					}
					birth, _ := strconv.Atoi(tb.get(r, "Năm sinh"))
					reg, ok := cellDate(tb.get(r, "Ngày đăng ký"))
					if !ok {
						t.Errorf("%s: registered on %q", f.Path, tb.get(r, "Ngày đăng ký"))
					}
					d.citizens[tb.get(r, "Mã công dân")] = citizen{ward: ward(f, tb.get(r, "Xã/phường")), name: tb.get(r, "Họ và tên"), gender: tb.get(r, "Giới tính"),
						unit: tb.get(r, "Mã đơn vị"), hamlet: tb.get(r, "Ấp/khóm"), group: grp.ID, birth: birth, registered: reg}
				}
			}
		case config.DatasetCitizenAssessments:
			for _, tb := range g.read(t, f, "Mã công dân") {
				for _, r := range tb.rows {
					roundCell := tb.get(r, "Đợt")
					if roundCell == "" {
						roundCell = tb.get(r, "Đợt khảo sát")
					}
					round, ok := cfg.RoundByName(roundCell)
					if !ok || round.Code != f.Period {
						t.Errorf("%s: round %q is not %s", f.Path, roundCell, f.Period)
					}
					dateCell := tb.get(r, "Ngày đánh giá")
					if dateCell == "" {
						dateCell = tb.get(r, "Dấu thời gian")
					}
					on, ok := cellDate(dateCell)
					if !ok {
						t.Errorf("%s: date %q", f.Path, dateCell)
					}
					s := survey{on: on}
					for i := 1; i <= n; i++ {
						v, ok := number(tb.get(r, "Chỉ số "+strconv.Itoa(i)))
						if !ok {
							t.Errorf("%s: Chỉ số %d = %q", f.Path, i, tb.get(r, "Chỉ số "+strconv.Itoa(i)))
						}
						s.self = append(s.self, v)
						if rv := tb.get(r, "Thẩm định "+strconv.Itoa(i)); rv != "" {
							v, _ := number(rv)
							s.rev = append(s.rev, v)
						}
					}
					if s.rev != nil && len(s.rev) != n {
						t.Errorf("%s: %d reviewed scores", f.Path, len(s.rev))
					}
					if d.surveys[round.Code] == nil {
						d.surveys[round.Code] = map[string]survey{}
					}
					d.surveys[round.Code][tb.get(r, "Mã công dân")] = s
				}
			}
		case config.DatasetUnitAssessments:
			for _, tb := range g.read(t, f, "Mã đơn vị") {
				for _, r := range tb.rows {
					sum := 0.0
					for _, it := range cfg.UnitScheme.Items {
						v, ok := number(tb.get(r, it.Code))
						if !ok || v < 0 || v > it.Max {
							t.Errorf("%s: %s = %q, max %v", f.Path, it.Code, tb.get(r, it.Code), it.Max)
						}
						sum += v
					}
					if written, _ := number(tb.get(r, "Tổng điểm")); math.Abs(written-sum) > 1e-9 {
						t.Errorf("%s: Tổng điểm %v, items add up to %v", f.Path, written, sum)
					}
					if d.unitTotals[f.Period] == nil {
						d.unitTotals[f.Period] = map[string]float64{}
					}
					d.unitTotals[f.Period][tb.get(r, "Mã đơn vị")] = sum
				}
			}
		case config.DatasetActivities:
			tbs := g.read(t, f, "Loại hoạt động")
			if len(tbs) != 1 {
				t.Fatalf("%s: %d activity tables", f.Path, len(tbs))
			}
			for _, r := range tbs[0].rows {
				ward(f, tbs[0].get(r, "Xã/phường"))
			}
			if d.activities[f.Ward] == nil {
				d.activities[f.Ward] = map[string]table{}
			}
			d.activities[f.Ward][f.Period] = tbs[0]
		}
	}
	return d
}

// sortedKeys lists the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
