package wardpack

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/reports/doc"
)

// TestLargeWard lays out the pack of a ward of 5,000 registrants with long
// lists of every kind, 300 units, three refused files with long reasons and
// overdue submissions: capped at report.pack_limit, each list says how many
// more there are, and the PDF stays within three A4 pages in both languages.
// The goal is two: this ward takes about a third of a third page (its
// closing), the demo's wards take two.
func TestLargeWard(t *testing.T) {
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	const code = "phuong-lon"
	limit := cfg.Report.PackLimit
	day := func(s string) time.Time { tm, _ := time.Parse(time.DateOnly, s); return tm }
	d := &reports.Data{Month: "2021-03", Prev: "2021-02",
		Programme: reports.Programme{PassTotal: 80, MinPerIndicator: 5, IndicatorMax: 10, Indicators: 10},
		Wards: []reports.Ward{{Code: code, Name: "Phường Có Tên Rất Dài Để Thử Xuống Dòng", Kind: "phường", NameEn: "Phuong Co Ten Rat Dai",
			Label: "phường Có Tên Rất Dài (cũ), nay thuộc phường Sa Đéc", LabelEn: "former Co Ten Rat Dai ward, now part of Sa Dec ward"}},
		Progress: []reports.Progress{
			{Month: "2021-03", Level: "ward", Ward: code, Registered: 5000, Assessed: 3100, Eligible: 1200, Recognised: 400, RateOfRegistered: 0.08, EligibleRate: 0.24, Population: 40000, RateOfPopulation: 0.01},
			{Month: "2021-03", Level: "city", Registered: 50000, Assessed: 31000, Eligible: 12000, Recognised: 4000, RateOfRegistered: 0.08, EligibleRate: 0.24, Population: 400000, RateOfPopulation: 0.01},
		},
		AsOf: day("2021-04-08"),
	}
	for i := range 300 {
		tot := 70.5
		d.Units = append(d.Units, reports.Unit{Code: fmt.Sprint(i), Name: fmt.Sprintf("Trường Trung học cơ sở Nguyễn Văn Số %d", i), Ward: code, Total: &tot,
			GradeName: "Khá", AssessedOn: &d.AsOf, InRound: true, Eligible: i%2 == 0, Recognised: i%3 == 0, Decision: "1234/QĐ-UBND"})
	}
	w := &ward{Code: code, EligibleN: 1200, NotAssN: 1900, CloseN: 700, Undecided: 800, Decisions: "1234/QĐ-UBND, 1301/QĐ-UBND"}
	for i := range limit {
		w.Eligible = append(w.Eligible, person{ID: fmt.Sprint(i), Name: "Nguyễn Thị Hồng Nhung Thứ " + strconv.Itoa(i), Decision: "1234/QĐ-UBND"})
		w.NotAssessed = append(w.NotAssessed, person{ID: fmt.Sprint(i), Name: "Trần Văn Bảo Long Thứ " + strconv.Itoa(i)})
		w.Close = append(w.Close, reports.Near{ID: fmt.Sprintf("PL-%04d", i), Name: "Lê Hoàng Phương Thảo " + strconv.Itoa(i), Total: 78,
			PointsShort: 2, Below: reports.Shortfalls{{Indicator: 3, Score: 4}, {Indicator: 6, Score: 4.5}, {Indicator: 9, Score: 3}}})
	}
	long := reason{Sheet: "Khảo sát", Col: `"Chỉ số 3" (G)`, Row: 12, Vi: strings.Repeat("Giá trị vượt quá điểm tối đa, hãy nhập lại. ", 2), En: strings.Repeat("The value is above the maximum; enter it again. ", 2)}
	// A ward's calendar has a few submissions a month, however large it is.
	for i := range 3 {
		w.Refused = append(w.Refused, refused{Name: fmt.Sprintf("Danh_gia_giua_ky_%d.xlsx", i), SentOn: day("2021-03-20"), Errors: 40, Reasons: reasons{long, long}, Receipt: "x.receipt.txt"})
	}
	for i := range 3 {
		w.Submissions = append(w.Submissions, submission{Dataset: "activities", Period: "2021-02", Due: day("2021-03-05"), Status: []string{"late", "missing", "refused"}[i]})
	}
	for range 2 {
		w.Upcoming = append(w.Upcoming, submission{Dataset: "activities", Period: "2021-03", Due: day("2021-04-05")})
	}
	for range 2 {
		d.Owed = append(d.Owed, reports.Submission{Ward: code, Dataset: "citizen_assessments", Round: "mid", Due: day("2021-03-31"), Status: "refused"})
	}
	dir := t.TempDir()
	if d := os.Getenv("WARDPACK_OUT"); d != "" {
		dir = d
	}
	for _, lang := range []string{"vi", "en"} {
		words, err := reports.NewWords(lang)
		if err != nil {
			t.Fatal(err)
		}
		p := &pack{cfg: cfg, d: d, w: words, ward: w, version: 2, next: day("2021-05-07"), doc: &doc.Document{Lang: lang}}
		p.compose()
		var b bytes.Buffer
		if err := doc.WritePDF(&b, p.doc, doc.Info{Title: "t", Author: "a", Generated: d.AsOf}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, lang+".pdf")
		if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if n := pages(t, path); n > 3 {
			t.Errorf("%s: the large ward's pack has %d pages, want at most 3", lang, n)
		}
		text := pdfText(t, path)
		for _, want := range []string{
			words.T("và %s người khác", "and %s others", words.Int(1200-int64(limit))),
			words.T("và %s người khác", "and %s others", words.Int(1900-int64(limit))),
			words.T("và %s người khác", "and %s others", words.Int(700-int64(limit))),
			words.T("và %s đơn vị khác", "and %s more units", words.Int(300-int64(limit))),
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the pack does not say %q:\n%s", lang, want, text)
			}
		}
	}
}

// pages is the number of pages of the PDF at path (pdfinfo).
func pages(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v (install poppler-utils)", path, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count:\n%s", path, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pdfText is the text of the PDF at path, its spaces and line ends one
// space each.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v (install poppler-utils)", path, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestPeopleCountReadsPeopleRows: a ward's list says how many people it
// leaves out from people_count.sql, which repeats people.sql's rows without
// their sort (seconds at a million registrants). The two must read the same
// rows: their FROM and WHERE, comments and spacing aside, are the same text.
func TestPeopleCountReadsPeopleRows(t *testing.T) {
	rows := func(name string) string {
		t.Helper()
		q, err := query(name)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range strings.Split(q, "\n") {
			if l, _, _ = strings.Cut(l, "--"); strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		q = strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
		from := strings.Index(q, " FROM ")
		if from < 0 {
			t.Fatalf("%s.sql has no FROM: %s", name, q)
		}
		q = q[from:]
		if end := strings.Index(q, " ORDER BY "); end >= 0 {
			q = q[:end]
		}
		return q
	}
	if got, want := rows("people_count"), rows("people"); got != want {
		t.Errorf("people_count.sql reads\n  %s\nbut people.sql reads\n  %s", got, want)
	}
}
