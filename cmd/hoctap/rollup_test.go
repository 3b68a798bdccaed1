package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// area is a synthetic city's place in the register: its code and its wards'.
type area struct {
	dir, code, name string
	wards           [][3]string // official code, name, kind
}

// TestRollUp, on the real binary (issue 15's second "done when"): two cities
// and a neighbouring district of tỉnh Đồng Tháp each transform their own
// files and send a signed package; the province takes the three, and its
// figures are the sum of theirs, month by month; its report renders. A
// tampered package, one of an area outside the province and an older package
// overlapping one taken are each refused with a receipt saying why.
func TestRollUp(t *testing.T) {
	dir := t.TempDir()
	reg, _ := filepath.Abs("testdata/rollup/don-vi.csv")
	cw, _ := filepath.Abs("testdata/rollup/chuyen-doi.csv")
	areas := []area{
		{"sadec", "867", "Sa Đéc", [][3]string{{"29917", "Tân Quy Đông", "phường"}, {"29920", "Tân Quy Tây", "xã"}}},
		{"caolanh", "866", "Cao Lãnh", [][3]string{{"29872", "Phường 1", "phường"}, {"29875", "Phường 2", "phường"}}},
		{"laivung", "876", "Lai Vung", [][3]string{{"30211", "Tân Dương", "xã"}, {"30214", "Hòa Thành", "xã"}}},
		{"tanphudong", "825", "Tân Phú Đông", [][3]string{{"28750", "Phú Đông", "xã"}, {"28753", "Phú Tân", "xã"}}}, // tỉnh Tiền Giang: outside
	}
	keys := map[string]string{}
	for i, a := range areas {
		ws := filepath.Join(dir, a.dir)
		if r := runHoctap(t, dir, "sample", "--dir", a.dir, "--scale", strconv.Itoa(40+10*i), "--wards", "2", "--seed", strconv.Itoa(i+1)); r.code != exitOK {
			t.Fatalf("sample %s: exit %d\n%s", a.dir, r.code, r.stderr)
		}
		r := runHoctap(t, ws, "keygen", "-o", "keys/"+a.dir+".key")
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != exitOK || len(lines[len(lines)-1]) != 44 {
			t.Fatalf("keygen: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		keys[a.code] = lines[len(lines)-1]
		editYAML(t, filepath.Join(ws, "pipeline.yaml"), func(d map[string]any) {
			city := d["city"].(map[string]any)
			city["official_code"], city["name"] = a.code, a.name
			d["geography"] = map[string]any{"units": reg, "crosswalk": cw}
			d["exchange"] = map[string]any{"signing_key": "keys/" + a.dir + ".key"}
			for j, w := range d["wards"].([]any) {
				w := w.(map[string]any)
				w["variants"] = []any{w["name"]}
				w["official_code"], w["name"], w["kind"] = a.wards[j][0], a.wards[j][1], a.wards[j][2]
			}
		})
		for _, cmd := range [][]string{{"ingest"}, {"transform", "--quiet"}} {
			if r := runHoctap(t, ws, cmd...); r.code != exitOK {
				t.Fatalf("%s %s: exit %d\n%s", a.dir, cmd[0], r.code, r.stderr)
			}
		}
		if a.dir == "sadec" { // an earlier package of the same area and months, sent later
			if r := runHoctap(t, ws, "package", "-o", filepath.Join(dir, "sadec-old.zip")); r.code != exitOK {
				t.Fatalf("package: exit %d\n%s", r.code, r.stderr)
			}
		}
		r = runHoctap(t, ws, "package", "-o", filepath.Join(dir, a.dir+".zip"))
		if r.code != exitOK || !strings.Contains(r.stdout, "2 units, 5 tables") {
			t.Fatalf("package %s: exit %d\n%s%s", a.dir, r.code, r.stdout, r.stderr)
		}
	}

	// The province: the base configuration with no wards, its own code and
	// the four areas' keys (the outside one is trusted too: its refusal is
	// for its area, not its key).
	prov := filepath.Join(dir, "province")
	os.MkdirAll(filepath.Join(prov, "data", "inbox"), 0o700)
	b, _ := os.ReadFile(filepath.Join(dir, "sadec", "pipeline.yaml"))
	os.WriteFile(filepath.Join(prov, "pipeline.yaml"), b, 0o644)
	editYAML(t, filepath.Join(prov, "pipeline.yaml"), func(d map[string]any) {
		city := d["city"].(map[string]any)
		city["official_code"], city["name"], city["kind"], city["place"] = "87", "Đồng Tháp", "tỉnh", "Đồng Tháp"
		city["organisation"], city["parent_organisation"] = "HỘI KHUYẾN HỌC TỈNH ĐỒNG THÁP", "HỘI KHUYẾN HỌC VIỆT NAM"
		d["wards"], d["units"] = []any{}, []any{}
		delete(d, "paths") // the defaults: data/inbox, data/quarantine, …
		var trusted []any
		for _, a := range areas {
			trusted = append(trusted, map[string]any{"area": a.code, "name": "Hội Khuyến học " + a.name, "public_key": keys[a.code]})
		}
		d["exchange"] = map[string]any{"trusted": trusted}
		for _, m := range d["timeline"].(map[string]any)["milestones"].([]any) {
			delete(m.(map[string]any), "wards")
		}
		for _, f := range d["frameworks"].([]any) { // no wards: no households of its own
			delete(f.(map[string]any), "population")
		}
	})
	if r := runHoctap(t, prov, "check"); r.code != exitOK {
		t.Fatalf("province check: exit %d\n%s", r.code, r.stderr)
	}
	inbox := filepath.Join(prov, "data", "inbox")
	for _, a := range areas[:3] {
		copyTo(t, filepath.Join(dir, a.dir+".zip"), filepath.Join(inbox, a.dir+".zip"))
	}
	r := runHoctap(t, prov, "ingest")
	if r.code != exitOK || !strings.Contains(r.stdout, "3 loaded, 0 refused") {
		t.Fatalf("ingest of three packages: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	tamper(t, filepath.Join(dir, "laivung.zip"), filepath.Join(inbox, "laivung-sua.zip"))
	copyTo(t, filepath.Join(dir, "tanphudong.zip"), filepath.Join(inbox, "tanphudong.zip"))
	copyTo(t, filepath.Join(dir, "sadec-old.zip"), filepath.Join(inbox, "sadec-old.zip"))
	r = runHoctap(t, prov, "ingest")
	if r.code != exitData || !strings.Contains(r.stdout, "0 loaded, 3 refused") {
		t.Fatalf("ingest of the bad packages: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for file, want := range map[string]string{
		"laivung-sua.zip": "không khớp manifest.json: gói đã bị sửa sau khi ký",
		"tanphudong.zip":  "Huyện Tân Phú Đông (825) không thuộc Tỉnh Đồng Tháp (87) ngày 01/11/2020",
		"sadec-old.zip":   "cũ hơn (hoặc cùng lúc), nên không thay được gói đã nhận",
	} {
		receipt, err := os.ReadFile(filepath.Join(prov, "data", "quarantine", "_city", file+".receipt.txt"))
		if err != nil || !strings.Contains(string(receipt), want) || !strings.Contains(string(receipt), "TỆP BỊ TRẢ LẠI") ||
			!strings.Contains(string(receipt), "lập lại gói bằng lệnh hoctap package") || strings.Contains(string(receipt), "sửa các lỗi dưới đây trong tệp") {
			t.Errorf("receipt of %s (%v) does not say %q:\n%s", file, err, want, receipt)
		}
	}
	if r := runHoctap(t, prov, "transform"); r.code != exitOK {
		t.Fatalf("province transform: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Every month's province total is the sum of the three cities' own totals.
	sum := map[string][4]int64{}
	for _, a := range areas[:3] {
		for _, row := range queryCSV(t, filepath.Join(dir, a.dir), "SELECT month, registered, assessed, eligible, recognised FROM progress_monthly WHERE level = 'city' ORDER BY month") {
			s := sum[row[0]]
			for k := range 4 {
				s[k] += toInt(t, row[k+1])
			}
			sum[row[0]] = s
		}
	}
	got := queryCSV(t, prov, "SELECT month, registered, assessed, eligible, recognised FROM progress_monthly WHERE level = 'total' ORDER BY month")
	if len(got) != 9 || len(sum) != 9 {
		t.Fatalf("%d province months, %d city months", len(got), len(sum))
	}
	for _, row := range got {
		want := sum[row[0]]
		for k := range 4 {
			if toInt(t, row[k+1]) != want[k] {
				t.Errorf("%s: province %v, the three cities add up to %v", row[0], row[1:], want)
				break
			}
		}
	}
	if want := sum["2021-07"]; want[0] != 40+50+60 {
		t.Errorf("July: %d registered in the three cities, want 150", want[0])
	}
	areasRows := queryCSV(t, prov, "SELECT area_code, units FROM progress_monthly WHERE level = 'area' AND month = '2021-07' ORDER BY area_code")
	if len(areasRows) != 3 || areasRows[0][0] != "866" || areasRows[2][0] != "876" || areasRows[1][1] != "2" {
		t.Errorf("the province's areas in July: %v", areasRows)
	}

	r = runHoctap(t, prov, "report", "--month", "2021-07")
	if r.code != exitOK {
		t.Fatalf("province report: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	pdf := filepath.Join(prov, "out", "reports", "2021-07", "tong-hop", "bao-cao-tong-hop-2021-07.pdf")
	text := pdfLayout(t, pdf)
	for _, want := range []string{"HỘI KHUYẾN HỌC TỈNH ĐỒNG THÁP", "Thành phố Sa Đéc (867)", "Thành phố Cao Lãnh (866)", "Huyện Lai Vung (876)",
		"Phường Tân Quy Đông", "Xã Hòa Thành", "Tổng cộng", "3 gói số liệu do 3 đơn vị trực thuộc"} {
		if !strings.Contains(text, want) {
			t.Errorf("the province's report does not say %q", want)
		}
	}
	total := queryCSV(t, prov, "SELECT registered, recognised FROM progress_monthly WHERE level = 'total' AND month = '2021-07'")[0]
	if !strings.Contains(strings.Join(strings.Fields(text), " "), "Tổng cộng 6 "+total[0]) {
		t.Errorf("the report's total line is not 6 communes and %s registered:\n%s", total[0], text)
	}

	// A newer package of an area taken supersedes it: one package of the
	// area in force, the same figures.
	if r := runHoctap(t, filepath.Join(dir, "sadec"), "package", "-o", filepath.Join(inbox, "sadec-moi.zip")); r.code != exitOK {
		t.Fatalf("the newer package: exit %d\n%s", r.code, r.stderr)
	}
	if r := runHoctap(t, prov, "ingest"); r.code != exitOK || !strings.Contains(r.stdout, "1 loaded, 0 refused") {
		t.Fatalf("ingest of the newer package: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runHoctap(t, prov, "transform", "--quiet"); r.code != exitOK {
		t.Fatalf("province transform: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The roll-up reads Sa Đéc's newest package only: the last one taken.
	if held := queryCSV(t, prov, "SELECT count(*) FILTER (area = '867'), max(file_id) FILTER (area = '867') = max(file_id), count(*) FROM packages")[0]; held[0] != "1" || held[1] != "true" || held[2] != "3" {
		t.Errorf("the roll-up's packages after Sa Đéc's newer one: %v, want 1 of Sa Đéc, the newest, of 3", held)
	}
	if again := queryCSV(t, prov, "SELECT registered, recognised FROM progress_monthly WHERE level = 'total' AND month = '2021-07'")[0]; again[0] != total[0] || again[1] != total[1] {
		t.Errorf("July after the newer package: %v, before %v", again, total)
	}

	// The province sends on what it holds, signed with its own key, and the
	// nation's figures are the province's.
	r = runHoctap(t, prov, "keygen", "-o", "keys/province.key")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	provKey := lines[len(lines)-1]
	editYAML(t, filepath.Join(prov, "pipeline.yaml"), func(d map[string]any) {
		d["exchange"].(map[string]any)["signing_key"] = "keys/province.key"
	})
	if r := runHoctap(t, prov, "package", "-o", filepath.Join(dir, "dongthap.zip")); r.code != exitOK || !strings.Contains(r.stdout, "(87), 2020-11..2021-07, 6 units") {
		t.Fatalf("the province's package: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	nation := filepath.Join(dir, "nation")
	os.MkdirAll(filepath.Join(nation, "data", "inbox"), 0o700)
	b, _ = os.ReadFile(filepath.Join(prov, "pipeline.yaml"))
	os.WriteFile(filepath.Join(nation, "pipeline.yaml"), b, 0o644)
	editYAML(t, filepath.Join(nation, "pipeline.yaml"), func(d map[string]any) {
		city := d["city"].(map[string]any)
		city["official_code"], city["name"], city["organisation"], city["parent_organisation"] = "VN", "Việt Nam", "HỘI KHUYẾN HỌC VIỆT NAM", ""
		d["exchange"] = map[string]any{"trusted": []any{map[string]any{"area": "87", "name": "Hội Khuyến học tỉnh Đồng Tháp", "public_key": provKey}}}
	})
	copyTo(t, filepath.Join(dir, "dongthap.zip"), filepath.Join(nation, "data", "inbox", "dongthap.zip"))
	for _, cmd := range [][]string{{"ingest"}, {"transform", "--quiet"}} {
		if r := runHoctap(t, nation, cmd...); r.code != exitOK {
			t.Fatalf("nation %s: exit %d\n%s%s", cmd[0], r.code, r.stdout, r.stderr)
		}
	}
	q := "SELECT month, registered, assessed, eligible, recognised FROM progress_monthly WHERE level = 'total' ORDER BY month"
	if p, n := queryCSV(t, prov, q), queryCSV(t, nation, q); len(n) != 9 || strings.Join(flat(p), ",") != strings.Join(flat(n), ",") {
		t.Errorf("the nation's totals %v are not the province's %v", n, p)
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func editYAML(t *testing.T, path string, edit func(map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := yaml.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	edit(d)
	if b, err = yaml.Marshal(d); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyTo(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// tamper writes src with one byte of one Parquet file changed (the zip's own
// CRC written anew, as an editor of the file would leave it).
func tamper(t *testing.T, src, dst string) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, _ := os.Create(dst)
	zw := zip.NewWriter(f)
	done := false
	for _, e := range zr.File {
		r, _ := e.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		if !done && strings.HasPrefix(e.Name, "data/progress_monthly/") {
			b[len(b)/2] ^= 0x01
			done = true
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Store, Modified: e.Modified})
		w.Write(b)
	}
	zw.Close()
	f.Close()
}

func toInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}
