package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGeographies: the pilot's data, loaded and transformed by the real
// binary, queried as it is now puts phường Tân Quy Đông and xã Tân Quy Tây
// into phường Sa Đéc (29905) and xã Tân Phú Đông into xã Tân Dương (30214);
// queried as it was, it is the three old wards under thành phố Sa Đéc (867)
// and the old tỉnh Đồng Tháp (87); the legacy area "thành phố Sa Đéc (cũ)",
// the provinces and the nation are the city's total on both maps; and the
// ward rows of progress_monthly carry their units' codes. A city's file whose
// ward name fits two communes in the period of its rows is refused.
func TestGeographies(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	for _, args := range [][]string{{"init", ws}, {"sample", "--dir", filepath.Join(ws, "data", "inbox")}} {
		if r := runHoctap(t, dir, args...); r.code != exitOK {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	for _, cmd := range []string{"ingest", "transform"} {
		if r := runHoctap(t, ws, cmd); r.code != exitOK && !(cmd == "ingest" && r.code == exitData) { // the sample's faulty file is refused
			t.Fatalf("%s: exit %d\n%s", cmd, r.code, r.stderr)
		}
	}
	counts := "registered, assessed, eligible, recognised, reviewed, not_yet"
	// ward → month → counts, as the wards themselves give them
	wards := map[string]map[string]string{}
	for _, r := range queryCSV(t, ws, "SELECT ward, month, commune_code, district_code, province_code, "+counts+" FROM progress_monthly WHERE level = 'ward'") {
		if wards[r[0]] == nil {
			wards[r[0]] = map[string]string{}
		}
		wards[r[0]][r[1]] = strings.Join(r[5:], ",")
		if want := map[string]string{"tan-quy-dong": "29917", "tan-quy-tay": "29920", "tan-phu-dong": "29923"}[r[0]]; r[2] != want || r[3] != "867" || r[4] != "87" {
			t.Errorf("progress_monthly %s %s: commune %s, district %s, province %s; want %s, 867, 87", r[0], r[1], r[2], r[3], r[4], want)
		}
	}
	city := map[string]string{}
	for _, r := range queryCSV(t, ws, "SELECT month, "+counts+" FROM progress_monthly WHERE level = 'city'") {
		city[r[0]] = strings.Join(r[1:], ",")
	}
	if len(wards) != 3 || len(city) != 9 || strings.HasPrefix(city["2021-07"], "0,") {
		t.Fatalf("the pilot's data: %d wards, %d months, July %q", len(wards), len(city), city["2021-07"])
	}
	// sum adds up the wards' counts of a month, as whole numbers written with nine decimals
	sum := func(month string, ws ...string) string {
		total := make([]int, 6)
		for _, w := range ws {
			for i, c := range strings.Split(wards[w][month], ",") {
				n, err := strconv.Atoi(c)
				if err != nil {
					t.Fatalf("%s %s: count %q", w, month, c)
				}
				total[i] += n
			}
		}
		var out []string
		for _, n := range total {
			out = append(out, strconv.Itoa(n)+".000000000")
		}
		return strings.Join(out, ",")
	}
	want := map[string]map[string][]string{ // geography → level/code → the wards it adds up
		"as_now": {"commune/29905": {"tan-quy-dong", "tan-quy-tay"}, "commune/30214": {"tan-phu-dong"}, "province/82": nil, "nation/": nil, "legacy_area/tp-sa-dec-cu": nil},
		"as_was": {"commune/29917": {"tan-quy-dong"}, "commune/29920": {"tan-quy-tay"}, "commune/29923": {"tan-phu-dong"},
			"district/867": nil, "province/87": nil, "nation/": nil, "legacy_area/tp-sa-dec-cu": nil},
	}
	all := []string{"tan-quy-dong", "tan-quy-tay", "tan-phu-dong"}
	seen := map[string]int{}
	for _, r := range queryCSV(t, ws, "SELECT geography, month, level, coalesce(area_code, ''), area_name, estimate, "+counts+
		" FROM area_progress_monthly WHERE group_id IS NULL ORDER BY ALL") {
		geo, month, key := r[0], r[1], r[2]+"/"+r[3]
		parts, ok := want[geo][key]
		if !ok {
			t.Errorf("%s %s: unexpected area %s (%s)", geo, month, key, r[4])
			continue
		}
		seen[geo+" "+key]++
		if parts == nil {
			parts = all
		}
		if got := strings.Join(r[6:], ","); got != sum(month, parts...) {
			t.Errorf("%s %s %s (%s) = %s, want %v: %s", geo, month, key, r[4], got, parts, sum(month, parts...))
		}
		if r[5] != "false" {
			t.Errorf("%s %s %s: estimate %s, but every unit went whole", geo, month, key, r[5])
		}
	}
	for geo, areas := range want {
		for key := range areas {
			if seen[geo+" "+key] != len(city) {
				t.Errorf("%s %s: %d months, want %d", geo, key, seen[geo+" "+key], len(city))
			}
		}
	}
	names := queryCSV(t, ws, "SELECT DISTINCT geography, area_code, area_name FROM area_progress_monthly WHERE area_code IN ('29905', '30214', '29920', 'tp-sa-dec-cu') ORDER BY ALL")
	var got []string
	for _, r := range names {
		got = append(got, strings.Join(r, " "))
	}
	if w := "as_now 29905 Phường Sa Đéc|as_now 30214 Xã Tân Dương|as_now tp-sa-dec-cu thành phố Sa Đéc (cũ)|as_was 29920 Xã Tân Quy Tây|as_was tp-sa-dec-cu thành phố Sa Đéc (cũ)"; strings.Join(got, "|") != w {
		t.Errorf("area names = %q, want %q", strings.Join(got, "|"), w)
	}
	// A city's file naming "Tân Phú Đông" for days across 01/07/2025 fits two
	// communes and is refused naming both; in the ward's folder it is the
	// folder's ward.
	file := "Mã công dân,Họ và tên,Giới tính,Năm sinh,Nhóm đối tượng,Xã/phường,Ngày đăng ký\n" +
		"TPD-91,Lê Văn A,Nam,1975,1,Tân Phú Đông,15/05/2025\nTPD-92,Lê Văn B,Nam,1976,1,Tân Phú Đông,20/08/2025\n"
	for _, p := range []string{"dang-ky.csv", filepath.Join("data", "inbox", "tan-phu-dong", "dang-ky.csv")} {
		if err := os.WriteFile(filepath.Join(ws, p), []byte(file), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := runHoctap(t, ws, "validate", "dang-ky.csv")
	if r.code != exitData || !strings.Contains(r.stdout, "29923 Xã Tân Phú Đông (in Thành phố Sa Đéc, valid …–30/06/2025); 28696 Xã Tân Phú Đông (in Tỉnh Đồng Tháp, valid 01/07/2025–…)") {
		t.Errorf("validate a city file naming Tân Phú Đông across the change: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runHoctap(t, ws, "validate", filepath.Join("data", "inbox", "tan-phu-dong", "dang-ky.csv")); r.code != exitOK {
		t.Errorf("validate the same file in the ward's folder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	label := queryCSV(t, ws, "SELECT label FROM geo_ward_now WHERE ward = 'tan-quy-tay'")
	if len(label) != 1 || label[0][0] != "xã Tân Quy Tây (cũ), nay thuộc phường Sa Đéc" {
		t.Errorf("geo_ward_now's label of tan-quy-tay = %v", label)
	}

	// A report names a ward as it was on its date: the pilot's months plainly;
	// a month after 01/07/2025 (the programme run on) as a former unit, now
	// part of today's.
	cfgPath := filepath.Join(ws, "pipeline.yaml")
	b, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	longer := strings.Replace(string(b), "  end: 2021-07-31", "  end: 2025-07-31", 1)
	if longer == string(b) {
		t.Fatal("pipeline.yaml has no programme end 2021-07-31 to move")
	}
	if err := os.WriteFile(cfgPath, []byte(longer), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runHoctap(t, ws, "transform"); r.code != exitOK {
		t.Fatalf("transform: exit %d\n%s", r.code, r.stderr)
	}
	for month, want := range map[string]bool{"2021-07": false, "2025-07": true} {
		if r := runHoctap(t, ws, "report", "--month", month, "--lang", "vi"); r.code != exitOK {
			t.Fatalf("report %s: exit %d\n%s", month, r.code, r.stderr)
		}
		html, err := os.ReadFile(filepath.Join(ws, "out", "reports", month, "v1", "bao-cao-"+month+".html"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(html), "xã Tân Quy Tây (cũ), nay thuộc phường Sa Đéc"); got != want || strings.Contains(string(html), "(cũ)") != want {
			t.Errorf("report %s says a ward is former: %v, want %v", month, got, want)
		}
	}
}

// queryCSV runs a query through the binary and returns its rows without the header.
func queryCSV(t *testing.T, ws, sql string) [][]string {
	t.Helper()
	r := runHoctap(t, ws, "query", "--format", "csv", sql)
	if r.code != exitOK {
		t.Fatalf("query %s: exit %d\n%s", sql, r.code, r.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("query %s: %v\n%s", sql, err, r.stdout)
	}
	return rows[1:]
}
