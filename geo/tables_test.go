package geo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoctap/hoctap/config"
)

// table returns the rows of the named table of ts.
func table(t *testing.T, ts []Table, name string) [][]any {
	t.Helper()
	for _, x := range ts {
		if x.Name == name {
			return x.Rows
		}
	}
	t.Fatalf("no table %s", name)
	return nil
}

func TestTablesPutThePilotOnBothMaps(t *testing.T) {
	cfg, err := config.LoadFile(filepath.Join("..", "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Today().String(); got != "2025-07-01" {
		t.Errorf("Today = %s, want the day of the last change, 2025-07-01", got)
	}
	ts := Tables(cfg, r)
	// as it is now: ward → commune, province, share, estimate, label
	now := map[string][]any{}
	for _, row := range table(t, ts, "geo_ward_now") {
		now[row[0].(string)] = []any{row[1], row[5], row[7], row[8], row[10]}
	}
	want := map[string][]any{
		"tan-quy-dong": {"29905", "82", "1.000000000", false, "phường Tân Quy Đông (cũ), nay thuộc phường Sa Đéc"},
		"tan-quy-tay":  {"29905", "82", "1.000000000", false, "xã Tân Quy Tây (cũ), nay thuộc phường Sa Đéc"},
		"tan-phu-dong": {"30214", "82", "1.000000000", false, "xã Tân Phú Đông (cũ), nay thuộc xã Tân Dương"},
	}
	for w, v := range want {
		if fmtRow(now[w]) != fmtRow(v) {
			t.Errorf("geo_ward_now %s = %v, want %v", w, now[w], v)
		}
	}
	// as it was: every month of the pilot on the old units, under thành phố Sa Đéc and the old tỉnh Đồng Tháp
	months := table(t, ts, "geo_ward_months")
	if len(months) != len(cfg.Wards)*len(cfg.Programme.Months()) {
		t.Errorf("%d rows of geo_ward_months, want one per ward and month", len(months))
	}
	for _, row := range months {
		w, _ := cfg.Ward(row[0].(string))
		if row[2] != w.OfficialCode || row[4] != "867" || row[6] != "87" || row[8] != "1.000000000" || row[10] != w.Kind+" "+w.Name {
			t.Errorf("geo_ward_months row %v, want %s under 867 and 87, named as it was", row, w.OfficialCode)
		}
	}
	// the legacy area: the nine old communes of 867, three of them the pilot's wards
	var communes, wards int
	for _, row := range table(t, ts, "geo_legacy_areas") {
		if row[0] != "tp-sa-dec-cu" || row[1] != "thành phố Sa Đéc (cũ)" {
			t.Errorf("legacy area row %v", row)
		}
		communes++
		if row[3] != nil {
			wards++
		}
	}
	if communes != 9 || wards != 3 {
		t.Errorf("legacy area: %d communes, %d wards; want 9 and 3", communes, wards)
	}
}

func TestTablesMarkEstimatedShares(t *testing.T) {
	dir := t.TempDir()
	units := write(t, dir, "u.csv", `Mã,Tên,Cấp,Mã cấp trên,Hiệu lực từ,Hiệu lực đến,Căn cứ
1,Tỉnh A,Tỉnh,,,,
2,Huyện B,Huyện,1,,30/06/2025,
10,Xã Cũ,Xã,2,,30/06/2025,
11,Xã Bắc,Xã,1,01/07/2025,,
12,Xã Nam,Xã,1,01/07/2025,,
`)
	links := write(t, dir, "c.csv", `Mã cũ,Mã mới,Ngày hiệu lực,Tỷ lệ,Cơ sở tỷ lệ,Ước tính
10,11,01/07/2025,0.35,dân số,có
10,12,01/07/2025,0.65,dân số,có
`)
	r, err := LoadFiles(units, links)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Wards: []config.Ward{{Code: "cu", Name: "Cũ", Kind: "xã", OfficialCode: "10"}}}
	cfg.Programme.Start, cfg.Programme.End = day(t, "2025-06-01"), day(t, "2025-07-31")
	ts := Tables(cfg, r)
	var got []string
	for _, row := range table(t, ts, "geo_ward_now") {
		got = append(got, fmtRow([]any{row[1], row[7], row[8], row[11]}))
	}
	if want := []string{"11 0.350000000 true xã Cũ (former), now part of xã Bắc, xã Nam", "12 0.650000000 true xã Cũ (former), now part of xã Bắc, xã Nam"}; fmtRow(anys(got)) != fmtRow(anys(want)) {
		t.Errorf("geo_ward_now = %q, want %q", got, want)
	}
	// As it was, June is the old commune under its district; July is on the new map, split.
	got = nil
	for _, row := range table(t, ts, "geo_ward_months") {
		got = append(got, fmtRow([]any{row[1], row[2], row[4], row[8], row[9]}))
	}
	if want := []string{"2025-06 10 2 1.000000000 false", "2025-07 11 <nil> 0.350000000 true", "2025-07 12 <nil> 0.650000000 true"}; fmtRow(anys(got)) != fmtRow(anys(want)) {
		t.Errorf("geo_ward_months = %q, want %q", got, want)
	}
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func fmtRow(vs []any) string {
	s := ""
	for i, v := range vs {
		if i > 0 {
			s += " "
		}
		s += fmtAny(v)
	}
	return s
}

func fmtAny(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return "?"
}

// A legacy area is checked: by the configuration, its code, name and units
// given; against the register, every unit in it.
func TestLegacyAreasChecked(t *testing.T) {
	yaml, err := os.ReadFile(filepath.Join("..", "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	good := `units: ["867"]`
	if !strings.Contains(string(yaml), good) {
		t.Fatal("pipeline.yaml has no legacy area of 867")
	}
	cfg, err := config.Parse([]byte(strings.Replace(string(yaml), good, `units: ["867", "999"]`, 1)), filepath.Join("..", "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(cfg)
	if err == nil || !strings.Contains(err.Error(), "geography.legacy_areas[0].units[1]: code 999 is not in the register") {
		t.Errorf("Load = %v, want the unknown code refused", err)
	}
	bad := strings.Replace(string(yaml), "- code: tp-sa-dec-cu", "- code: TP Sa Đéc", 1)
	bad = strings.Replace(bad, good, "units: []", 1)
	_, err = config.Parse([]byte(bad), filepath.Join("..", "pipeline.yaml"))
	for _, want := range []string{`geography.legacy_areas[0].code: "TP Sa Đéc" is not a code`, "geography.legacy_areas[0].units: required"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse = %v, want %q", err, want)
		}
	}
}
