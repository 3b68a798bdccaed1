package geo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoctap/hoctap/config"
)

func day(t *testing.T, s string) config.Date {
	t.Helper()
	d, err := config.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// shipped loads the register that ships with the default pipeline.yaml.
func shipped(t *testing.T) *Register {
	t.Helper()
	r, err := LoadFiles(filepath.Join("..", "dvhc", "don-vi.csv"), filepath.Join("..", "dvhc", "chuyen-doi.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func codes(us []Unit) []string {
	var cs []string
	for _, u := range us {
		cs = append(cs, u.Code+" "+u.Name)
	}
	return cs
}

func TestShippedRegisterFollowsThePilotWards(t *testing.T) {
	r := shipped(t)
	pilot, now := day(t, "2021-03-31"), day(t, "2026-12-01")
	for _, c := range []struct{ old, now string }{
		{"29917", "29905"}, // phường Tân Quy Đông → phường Sa Đéc
		{"29920", "29905"}, // xã Tân Quy Tây → phường Sa Đéc
		{"29923", "30214"}, // xã Tân Phú Đông → xã Tân Dương
		{"29905", "29905"}, // Phường 1 → phường Sa Đéc: the same code, another unit
	} {
		parts := r.Follow(c.old, pilot, now)
		if len(parts) != 1 || parts[0].Unit.Code != c.now || parts[0].Share != 1 || parts[0].Estimate {
			t.Errorf("Follow(%s) = %+v, want all of it in %s", c.old, parts, c.now)
		}
	}
	if got := r.Follow("29917", pilot, day(t, "2025-06-30")); len(got) != 1 || got[0].Unit.Name != "Phường Tân Quy Đông" {
		t.Errorf("on its last day a unit is still itself: %+v", got)
	}
	if got := r.Describe("29920", pilot, now); got != "xã Tân Quy Tây (cũ), nay thuộc phường Sa Đéc" {
		t.Errorf("Describe = %q", got)
	}
	if got := r.Describe("29920", pilot, pilot); got != "xã Tân Quy Tây" {
		t.Errorf("Describe in its time = %q", got)
	}
	if got := codes(r.Ancestors("29917", pilot)); strings.Join(got, "; ") != "867 Thành phố Sa Đéc; 87 Tỉnh Đồng Tháp" {
		t.Errorf("Ancestors(29917, 2021) = %v", got)
	}
	if got := codes(r.Ancestors("29905", now)); strings.Join(got, "; ") != "82 Tỉnh Đồng Tháp" {
		t.Errorf("Ancestors(29905, 2026) = %v", got)
	}
	if u, _ := r.On("82", pilot); u.Name != "Tỉnh Tiền Giang" {
		t.Errorf("code 82 in 2021 = %q, want Tỉnh Tiền Giang", u.Name)
	}
}

func TestFindTellsTheTwoTanPhuDongApart(t *testing.T) {
	r := shipped(t)
	for _, c := range []struct {
		name, from, to, within string
		want                   []string
	}{
		{"Tân Phú Đông", "2020-11-01", "2021-07-31", "", []string{"29923 Xã Tân Phú Đông"}},
		{"xã Tân Phú Đông", "2026-01-01", "2026-03-31", "", []string{"28696 Xã Tân Phú Đông"}},
		// Data about a period across the change: both fit, the caller must refuse.
		{"TAN PHU DONG", "2025-01-01", "2026-01-31", "", []string{"29923 Xã Tân Phú Đông", "28696 Xã Tân Phú Đông"}},
		// …unless the area decides: within the old city, only one.
		{"Tân Phú Đông", "2025-01-01", "2026-01-31", "867", []string{"29923 Xã Tân Phú Đông"}},
		{"P. Tân Qui Đông", "2021-01-01", "2021-01-31", "", nil}, // a variant spelling is the configuration's business, not the register's
		{"P. Tân Quy Đông", "2021-01-01", "2021-01-31", "", []string{"29917 Phường Tân Quy Đông"}},
		{"xã Tân Quy Đông", "2021-01-01", "2021-01-31", "", nil}, // the kind written must fit
		{"Sa Đéc", "2021-01-01", "2021-01-31", "", nil},          // the city is not a commune in 2021
		{"Sa Đéc", "2025-07-01", "2025-07-31", "", []string{"29905 Phường Sa Đéc"}},
	} {
		var a, b config.Date
		a, b = day(t, c.from), day(t, c.to)
		got := codes(r.Find(c.name, Commune, a, b, c.within))
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("Find(%q, %s..%s, within %q) = %v, want %v", c.name, c.from, c.to, c.within, got, c.want)
		}
	}
	if got := codes(r.Find("Tân Phú Đông", District, day(t, "2021-01-01"), day(t, "2021-01-31"), "")); strings.Join(got, "") != "825 Huyện Tân Phú Đông" {
		t.Errorf("the district of that name: %v", got)
	}
}

func TestSplitSharesAreFollowedAndMarked(t *testing.T) {
	dir := t.TempDir()
	units := write(t, dir, "u.csv", `Mã,Tên,Cấp,Mã cấp trên,Hiệu lực từ,Hiệu lực đến,Căn cứ
1,Tỉnh A,Tỉnh,,,,
10,Xã Cũ,Xã,1,,31/12/2023,
11,Xã Bắc,Xã,1,01/01/2024,30/06/2025,
12,Xã Nam,Xã,1,01/01/2024,,
13,Xã Mới,Xã,1,01/07/2025,,
`)
	links := write(t, dir, "c.csv", `Mã cũ,Mã mới,Ngày hiệu lực,Tỷ lệ,Cơ sở tỷ lệ,Ước tính
10,11,01/01/2024,0.6,dân số,có
10,12,01/01/2024,40%,dân số,có
11,13,01/07/2025,1,,
`)
	r, err := LoadFiles(units, links)
	if err != nil {
		t.Fatal(err)
	}
	parts := r.Follow("10", day(t, "2023-06-01"), day(t, "2026-01-01"))
	if len(parts) != 2 || parts[0].Unit.Code != "12" || parts[0].Share != 0.4 || !parts[0].Estimate ||
		parts[1].Unit.Code != "13" || parts[1].Share != 0.6 || !parts[1].Estimate {
		t.Errorf("Follow through a split and a merge = %+v", parts)
	}
}

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBadRegisters: each file under testdata/*.bad.csv (a register, with its
// crosswalk in the file of the same name ending .links.csv when there is one)
// must be refused with every problem its first line's comment lists.
func TestBadRegisters(t *testing.T) {
	const header = "Mã,Tên,Cấp,Mã cấp trên,Hiệu lực từ,Hiệu lực đến,Căn cứ\n"
	const base = "1,Tỉnh A,Tỉnh,,,,\n2,Huyện B,Huyện,1,,30/06/2025,\n"
	const linkHeader = "Mã cũ,Tên cũ,Mã mới,Tên mới,Ngày hiệu lực,Tỷ lệ,Cơ sở tỷ lệ,Ước tính,Căn cứ\n"
	for _, c := range []struct {
		name, units, links string
		want               []string // a fragment of each problem, in English
	}{
		{"overlap", base + "20,Xã C,Xã,2,,30/06/2025,\n20,Xã D,Xã,1,01/06/2025,,\n", "20,,20,,01/07/2025,,,,\n",
			[]string{"u.csv:5: code 20 has two units valid at once"}},
		{"gap", base + "20,Xã C,Xã,2,,30/06/2025,\n20,Xã D,Xã,1,01/08/2025,,\n", "20,,20,,01/07/2025,,,,\n",
			[]string{"code 20 has a gap in its history: line 4 ends on 30/06/2025 but this line starts on 01/08/2025", "new code 20 names no unit valid on 01/07/2025"}},
		{"parent outlived", base + "20,Xã C,Xã,2,,,\n", "",
			[]string{"u.csv:4: parent 2 is not valid for the whole life of Xã C"}},
		{"parent missing", base + "20,Xã C,Xã,9,,,\n", "", []string{"parent code 9 of Xã C is not in the register"}},
		{"parent of the same level", base + "20,Xã C,Xã,,,,\n21,Xã D,Xã,20,,,\n", "",
			[]string{"Xã C has no parent code", "the parent of Xã D is Xã C, not a higher level"}},
		{"province with a parent", base + "5,Tỉnh E,Tỉnh,1,,,\n", "", []string{"Tỉnh E is a province and has no parent"}},
		{"unknown kind and dates", base + "20,Xã C,Làng,2,32/13/2020,hôm qua,\n", "",
			[]string{`kind "Làng" is not known`, `valid_from "32/13/2020" is not a date`, `valid_to "hôm qua" is not a date`}},
		{"backwards", base + "20,Xã C,Xã,2,01/01/2024,01/01/2023,\n", "", []string{"valid_to (2023-01-01) is before valid_from (2024-01-01)"}},
		{"ended without a successor", base + "20,Xã C,Xã,2,,30/06/2025,\n", "",
			[]string{"Xã C (code 20) ended on 30/06/2025 but no crosswalk line says which unit it became part of"}},
		{"shares", base + "20,Xã C,Xã,2,,30/06/2025,\n21,Xã D,Xã,1,01/07/2025,,\n22,Xã E,Xã,1,01/07/2025,,\n",
			"20,Xã C,21,Xã D,01/07/2025,0.5,dân số,có,\n20,Xã C,22,Xã E,01/07/2025,0.3,dân số,có,\n",
			[]string{"c.csv:2: the shares of code 20 on 01/07/2025 add up to 0.8, not 1"}},
		{"share without basis", base + "20,Xã C,Xã,2,,30/06/2025,\n21,Xã D,Xã,1,01/07/2025,,\n22,Xã E,Xã,1,01/07/2025,,\n",
			"20,,21,,01/07/2025,0.5,,,\n20,,22,,01/07/2025,0.5,,,\n", []string{"c.csv:2: a share of 0.5 needs its basis", "c.csv:3: a share of 0.5 needs its basis"}},
		{"crosswalk names", base + "20,Xã C,Xã,2,,30/06/2025,\n21,Xã D,Xã,1,01/07/2025,,\n",
			"20,Xã Khác,21,Phường D,01/07/2025,,,,\n99,,21,,01/07/2025,,,,\n",
			[]string{`old name "Xã Khác" does not match code 20`, `new name "Phường D" does not match code 21`, "old code 99 names no unit valid on 30/06/2025"}},
		{"share out of range", base + "20,Xã C,Xã,2,,30/06/2025,\n21,Xã D,Xã,1,01/07/2025,,\n", "20,,21,,01/07/2025,1.5,,,\n",
			[]string{`c.csv:2: share "1.5" is not valid`}},
		{"level across", base + "20,Xã C,Xã,2,,30/06/2025,\n21,Xã D,Xã,1,01/07/2025,,\n", "20,,1,,01/07/2025,,,,\n",
			[]string{"Xã C (xã) and Tỉnh A (tỉnh) are not of the same level"}},
		{"missing columns", "Mã,Tên\n1,Tỉnh A\n", "", []string{`missing column(s) "Cấp" (kind)`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			units := c.units
			if !strings.HasPrefix(units, "Mã,Tên\n") {
				units = header + units
			}
			u := write(t, dir, "u.csv", units)
			l := write(t, dir, "c.csv", linkHeader+c.links)
			_, err := LoadFiles(u, l)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("LoadFiles = %v, want problems", err)
			}
			var lines []string
			for _, p := range e.Problems {
				lines = append(lines, fmt.Sprintf("%s:%d: %s", filepath.Base(p.File), p.Line, p.EN))
			}
			msg := strings.Join(lines, "\n")
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("no problem says %q:\n%s", w, msg)
				}
			}
			if len(e.Problems) != len(c.want) {
				t.Errorf("%d problems, want %d:\n%s", len(e.Problems), len(c.want), msg)
			}
		})
	}
}
