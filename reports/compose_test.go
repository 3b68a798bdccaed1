package reports

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports/doc"
)

func ptr[T any](v T) *T { return &v }

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// march is a small month of data: two wards, numbers chosen so that each
// sentence and cell can be computed by hand.
func march() *Data {
	d := &Data{
		Month: "2021-03", Prev: "2021-02", Months: []string{"2020-11", "2020-12", "2021-01", "2021-02", "2021-03"},
		Programme: Programme{City: "Sa Đéc", Start: day("2020-11-01"), End: day("2021-07-31"), PassTotal: 80, MinPerIndicator: 5, IndicatorMax: 10, Indicators: 10,
			MemberTitleShare: 0.9, UnitSource: "Thông tư 22/2020/TT-BGDĐT"},
		Wards:  []Ward{{Code: "a", Name: "Tân Phú Đông", Kind: "xã", NameEn: "Tan Phu Dong"}, {Code: "b", Name: "Tân Quy Đông", Kind: "phường", NameEn: "Tan Quy Dong"}},
		Groups: []Group{{ID: 1, Name: "Nông dân", NameEn: "Farmers"}, {ID: 2, Name: "Cán bộ", NameEn: "Officials"}},
		Progress: []Progress{
			// No decision of recognition yet: eligible people, none recognised.
			{Month: "2021-02", Level: "city", Registered: 20, Assessed: 20, Eligible: 7, Population: 20000},
			{Month: "2021-03", Level: "city", Registered: 20, Assessed: 20, Eligible: 10, Reviewed: 4, EligibleRate: 0.5, Population: 20000},
			{Month: "2021-03", Level: "ward", Ward: "a", Registered: 12, Assessed: 12, Eligible: 9, EligibleRate: 0.75, Population: 10000},
			{Month: "2021-03", Level: "ward", Ward: "b", Registered: 8, Assessed: 8, Eligible: 1, EligibleRate: 0.125, Population: 10000},
			{Month: "2021-03", Level: "ward_group", Ward: "a", Group: 1, Registered: 12, Assessed: 12, Eligible: 9},
			{Month: "2021-03", Level: "ward_group", Ward: "b", Group: 2, Registered: 8, Assessed: 8, Eligible: 1},
		},
		Goals: []Goal{{ID: "g1", Name: "Tỷ lệ đạt danh hiệu", NameEn: "Share recognised", Denominator: "registered", Target: 0.7, Deadline: "2021-07",
			Course: []GoalMonth{
				{Month: "2020-11", Actual: ptr(0.0), Path: ptr(0.0), Status: "on_track"},
				{Month: "2021-03", Actual: ptr(0.5), Path: ptr(0.35), Projected: ptr(0.9), Status: "on_track"},
				{Month: "2021-07", Path: ptr(0.7)},
			}}},
		Indicators: []IndicatorStat{
			{Group: 0, Indicator: 1, Name: "Đọc", People: 20, Mean: 7.5},
			{Group: 0, Indicator: 2, Name: "Ngoại ngữ", NameEn: "Foreign language", People: 20, Mean: 5.25, BelowMin: 4, ShareBelow: 0.2},
			{Group: 1, Indicator: 1, People: 12, Mean: 7}, {Group: 1, Indicator: 2, People: 12, Mean: 4.5, BelowMin: 4, ShareBelow: 1.0 / 3},
			{Group: 2, Indicator: 1, People: 8, Mean: 8.25}, {Group: 2, Indicator: 2, People: 8, Mean: 6.375},
		},
		Totals: []TotalCount{{62, 1}, {70, 1}, {79.5, 1}, {80, 2}, {81, 2}, {82, 1}, {83, 1}, {84, 1}, {85, 1}, {88, 1},
			{90, 1}, {91, 1}, {95, 1}, {96, 1}, {97, 1}, {98, 1}, {99, 1}, {100, 1}},
		Phases: []Phase{{ID: "p", Name: "Khảo sát", Start: day("2020-12-01"), End: day("2020-12-31")}},
		Milestones: []Milestone{
			{ID: "m1", Name: "Khảo sát xong", Phase: "p", Due: day("2020-12-31"), Status: "done", DoneMonth: "2020-12"},
			{ID: "m2", Name: "Đánh giá giữa kỳ xong", Phase: "p", Due: day("2021-02-28"), Status: "late"},
		},
		Units:        []Unit{{Code: "U1", Name: "Trường Tiểu học A", Ward: "a", Members: 20, Total: ptr(87.5), GradeName: "Tốt", Recognised: true, TitleHolders: ptr(int64(2)), TitleShare: ptr(0.1)}},
		UnitCriteria: []UnitCriterion{{Unit: "U1", Criterion: "TC1", Name: "Điều kiện", Score: 27.5, Max: 30}},
		Activities:   []ActivityMonth{{Month: "2021-02", Ward: "a", Activities: 2}, {Month: "2021-03", Ward: "a", Activities: 3, Participants: 120, Hours: 6}, {Month: "2021-03", Ward: "b", Activities: 1234, Participants: 5, Hours: 1.5}},
		Quality:      []QualityMonth{{Month: "2021-03", Ward: "a", Expected: 2, OnTime: 2}, {Month: "2021-03", Ward: "b", Expected: 2, OnTime: 0, Late: 1, Missing: 1, FilesReceived: 2, FilesRefused: 1, Problems: 3}},
		Refused:      []RefusedFile{{Ward: "b", Name: "Danh_gia & <sửa>.xlsx", SentOn: day("2021-03-05"), Problems: 3, Receipt: "b/x.receipt.txt"}},
		Annex:        []Holder{{Ward: "a", ID: "A-001", Name: "Nguyễn Thị Ánh", Gender: "Nữ", Group: 1, Total: 85, Min: 6, AssessedOn: day("2021-03-15"), FirstMonth: "2021-03"}},
	}
	return d
}

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func text(d *doc.Document) string {
	var b strings.Builder
	for _, bl := range d.AllBlocks() {
		switch x := bl.(type) {
		case *doc.Paragraph:
			b.WriteString(x.Text + "\n")
		case *doc.Figures:
			for _, f := range x.Items {
				b.WriteString(f.Label + ": " + f.Value + " | " + f.Change + " | " + f.Note + "\n")
			}
		case *doc.Table:
			for _, r := range x.Rows {
				for _, c := range r {
					b.WriteString(c.Text + "\t")
				}
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

func TestComposeVietnamese(t *testing.T) {
	d, err := Compose(testConfig(t), march(), "vi")
	if err != nil {
		t.Fatal(err)
	}
	got := text(d)
	for _, want := range []string{
		// headline: 10 of 20 registered, 3 more than February's 7
		"Người đủ điều kiện đề nghị công nhận: 10 | Tăng 3 người so với tháng 02/2021 | 50% số người đăng ký (20); 4 người có điểm đã thẩm định",
		// no decision: nobody is recognised, and the report says so
		"Người đã được công nhận Công dân học tập: 0 | Không đổi so với tháng 02/2021 | Chưa có quyết định công nhận",
		"Chưa có quyết định công nhận nên chưa có người nào được công nhận danh hiệu Công dân học tập; 10 người đủ điều kiện đề nghị UBND thành phố Sa Đéc xem xét công nhận.",
		"Trong số người đủ điều kiện, 4 người có điểm đã được thẩm định, 6 người mới có điểm tự đánh giá.",
		// narrative, numbers in Vietnamese formats
		"So với tháng 02/2021, số người đủ điều kiện đề nghị công nhận danh hiệu Công dân học tập tăng 3 người, từ 7 lên 10 (50% số người đăng ký).",
		"Tỷ lệ đủ điều kiện trên số đăng ký cao nhất ở xã Tân Phú Đông (75%), thấp nhất ở phường Tân Quy Đông (12,5%).",
		// 17 totals ≥ 80 (80, 80 included), 10 eligible: 7 held back by an indicator
		"7 người có tổng điểm từ 80 trở lên nhưng chưa đủ điều kiện vì có chỉ số dưới 5 điểm",
		"Chỉ số 2 (Ngoại ngữ) có nhiều người dưới 5 điểm nhất: 4 người (20% số người đã đánh giá); điểm trung bình 5,2.",
		"Quá hạn mà chưa hoàn thành: “Đánh giá giữa kỳ xong” (hạn 28/02/2021).",
		"Chưa gửi đủ báo cáo đến hạn: phường Tân Quy Đông (còn thiếu 1 báo cáo).",
		// activities with a thousands separator
		"Hoạt động trong tháng 03/2021: 1.237 | Tăng 1.235 hoạt động so với tháng 02/2021",
		// a group's eligible and recognised in the ward table, the annex with the date and the scores' basis
		"Tân Phú Đông\tNông dân\t12\t12\t9\t0\t75%",
		"15/03/2021\tTự đánh giá\t",
		"Nguyễn Thị Ánh\tA-001\tTân Phú Đông\t1\tNữ\t",
		"15/03/2021",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if d.Header.PlaceDate != "Sa Đéc, ngày 01 tháng 4 năm 2021" {
		t.Errorf("place-date line = %q", d.Header.PlaceDate)
	}
	if !norm.NFC.IsNormalString(got) {
		t.Error("text is not NFC")
	}
	charts := 0
	for _, b := range d.AllBlocks() {
		if c, ok := b.(*doc.Chart); ok {
			charts++
			if len(c.PNG) == 0 || !bytes.HasPrefix(c.PNG, []byte("\x89PNG")) || len(c.SVG) == 0 {
				t.Errorf("chart %s: PNG %d bytes, SVG %d bytes", c.ID, len(c.PNG), len(c.SVG))
			}
		}
	}
	// one per goal, then ward, group rate, indicator means, below 5, histogram, Gantt, units, activities, submissions
	if charts != 1+9 {
		t.Errorf("%d charts, want 10", charts)
	}
}

func TestComposeEnglish(t *testing.T) {
	d, err := Compose(testConfig(t), march(), "en")
	if err != nil {
		t.Fatal(err)
	}
	got := text(d)
	for _, want := range []string{
		"Since Feb 2021, the people eligible for the learning-citizen title rose by 3, from 7 to 10 (50% of registrants).",
		"No decision of recognition yet, so nobody holds the learning-citizen title; 10 people are eligible for Sa Dec City People's Committee to consider.",
		"Indicator 2 (Foreign language) holds most people back: 4 below 5 (20% of those assessed); mean score 5.2.",
		"Activities in Mar 2021: 1,237",
		"Overdue and not done: “Đánh giá giữa kỳ xong” (due 28 Feb 2021).",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if d.Header.PlaceDate != "Sa Đéc, 1 April 2021" {
		t.Errorf("place-date line = %q", d.Header.PlaceDate)
	}
	// The closing from the configuration's English forms.
	cl := d.Closing
	if cl.RecipientsLabel != "To:" || len(cl.Recipients) != 5 || cl.Recipients[0] != "Standing Board, Dong Thap Province Study Encouragement Association;" ||
		cl.Recipients[4] != "Filed: Records, Office." || cl.SignerRole != "ON BEHALF OF THE STANDING COMMITTEE" || cl.SignerTitle != "CHAIR" || cl.SignerName != "Nguyễn Văn A" {
		t.Errorf("closing %+v", cl)
	}
	// Without them, the Vietnamese as they are.
	cfg := testConfig(t)
	cfg.Report.RecipientsEN, cfg.Report.Signer.RoleEN, cfg.Report.Signer.TitleEN = nil, "", ""
	if d, err = Compose(cfg, march(), "en"); err != nil {
		t.Fatal(err)
	}
	if cl := d.Closing; cl.Recipients[0] != "Thường trực Hội Khuyến học tỉnh Đồng Tháp;" || cl.SignerRole != "TM. BAN THƯỜNG VỤ" || cl.SignerTitle != "CHỦ TỊCH" {
		t.Errorf("closing without English forms %+v", cl)
	}
}

func TestComposeIsDeterministic(t *testing.T) {
	cfg := testConfig(t)
	a, err := Compose(cfg, march(), "vi")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Compose(cfg, march(), "vi")
	if err != nil {
		t.Fatal(err)
	}
	var ha, hb bytes.Buffer
	if err := doc.WriteHTML(&ha, a); err != nil {
		t.Fatal(err)
	}
	if err := doc.WriteHTML(&hb, b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ha.Bytes(), hb.Bytes()) {
		t.Error("two compositions of the same data differ")
	}
	// The file name with & and < is escaped in the HTML.
	if !strings.Contains(ha.String(), "Danh_gia &amp; &lt;sửa&gt;.xlsx") {
		t.Error("a refused file's name is not escaped in the HTML")
	}
}

func TestLocale(t *testing.T) {
	vi, _ := newLocale("vi")
	en, _ := newLocale("en")
	for _, c := range []struct{ got, want string }{
		{vi.pct(0.806452), "80,6%"}, {en.pct(0.806452), "80.6%"},
		{vi.pct(0.0003012), "0,030%"}, {vi.pct(0), "0%"}, {vi.pct(1), "100%"},
		{vi.int(1234567), "1.234.567"}, {en.int(1234567), "1,234,567"},
		{vi.fixed(5.25, 1), "5,2"}, {vi.fixed(7, 1), "7,0"},
		{vi.signed(-2), "−2"}, {vi.month("2021-03"), "03/2021"}, {en.month("2021-03"), "Mar 2021"},
		{vi.monthLong("2021-03"), "tháng 3 năm 2021"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if _, err := newLocale("fr"); err == nil {
		t.Error("fr accepted")
	}
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenHTML compares the HTML report of march(), with its inline SVG
// charts, with testdata/march.vi.html (go test ./reports -run Golden -update
// rewrites it; read the diff before committing it).
func TestGoldenHTML(t *testing.T) {
	d, err := Compose(testConfig(t), march(), "vi")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := doc.WriteHTML(&got, d); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "march.vi.html")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		g, w := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(g) && i < len(w); i++ {
			if g[i] != w[i] {
				t.Fatalf("HTML differs from %s at line %d:\ngot:  %.300s\nwant: %.300s", golden, i+1, g[i], w[i])
			}
		}
		t.Fatalf("HTML differs from %s: %d lines, want %d", golden, len(g), len(w))
	}
	// Every inline chart is well-formed XML.
	for _, b := range d.AllBlocks() {
		if c, ok := b.(*doc.Chart); ok {
			dec := xml.NewDecoder(bytes.NewReader(c.SVG))
			for {
				if _, err := dec.Token(); err != nil {
					if err != io.EOF {
						t.Errorf("chart %s: SVG: %v", c.ID, err)
					}
					break
				}
			}
		}
	}
}

// TestGroupRate: a group nobody registered in is "–", a group below the
// configured size its count k/n, a larger one its rate; none is a 0% bar.
func TestGroupRate(t *testing.T) {
	l, _ := newLocale("vi")
	for _, c := range []struct {
		p     Progress
		ok    bool
		label string
		rate  float64
	}{
		{Progress{}, false, "–", math.NaN()},
		{Progress{Registered: 0}, true, "–", math.NaN()},
		{Progress{Registered: 2, Eligible: 1}, true, "1/2", math.NaN()},
		{Progress{Registered: 4, Eligible: 0}, true, "0/4", math.NaN()},
		{Progress{Registered: 5, Eligible: 0}, true, "", 0},
		{Progress{Registered: 10, Eligible: 3}, true, "", 0.3},
	} {
		rate, label := groupRate(c.p, c.ok, 5, l)
		if label != c.label || (math.IsNaN(c.rate) != math.IsNaN(rate)) || (!math.IsNaN(rate) && math.Abs(rate-c.rate) > 1e-12) {
			t.Errorf("%+v ok %v: %v %q, want %v %q", c.p, c.ok, rate, label, c.rate, c.label)
		}
	}
}

// TestGoalFarFromDataIsARow: a goal due years after the report, or with one
// month of data, has no chart but a note naming it with its source; a goal
// with data and a near deadline keeps its chart. A chart with no data at all
// is a sentence.
func TestGoalFarFromDataIsARow(t *testing.T) {
	d := march()
	d.Goals = append(d.Goals, Goal{ID: "far", Name: "Người lớn đạt danh hiệu", Denominator: "registered", Target: 0.4, Deadline: "2025-12", Source: "QĐ 677/QĐ-TTg",
		Course: []GoalMonth{{Month: "2020-11", Actual: ptr(0.0), Path: ptr(0.0)}, {Month: "2021-03", Actual: ptr(0.01), Path: ptr(0.05)}}})
	d.Quality = nil    // nothing due yet: the submissions chart is a sentence
	d.Activities = nil // none reported: neither a chart of zeros nor a table
	document, err := Compose(testConfig(t), d, "vi")
	if err != nil {
		t.Fatal(err)
	}
	var charts []string
	for _, b := range document.AllBlocks() {
		if ch, ok := b.(*doc.Chart); ok {
			charts = append(charts, ch.ID)
		}
	}
	joined := strings.Join(charts, " ")
	if !strings.Contains(joined, "muc-tieu-g1") || strings.Contains(joined, "muc-tieu-far") || strings.Contains(joined, "du-lieu") || strings.Contains(joined, "hoat-dong") {
		t.Errorf("charts %v: want g1's, not the far goal's nor the empty submissions' and activities'", charts)
	}
	got := text(document)
	for _, want := range []string{"Mục tiêu “Người lớn đạt danh hiệu” (QĐ 677/QĐ-TTg) có hạn đến tháng 12/2025, còn xa so với thời gian có số liệu, nên chỉ ghi ở bảng các mục tiêu, không vẽ biểu đồ.", "Chưa có tỷ lệ gửi số liệu đúng hạn: đến cuối tháng 03/2021 chưa có báo cáo nào đến hạn theo lịch gửi số liệu.",
		"Chưa có số liệu hoạt động: đến ngày 31/03/2021 (hạn chốt số liệu) chưa xã, phường nào gửi báo cáo hoạt động."} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// TestChartFootDate: a chart's PNG, forwarded alone, carries the date of the
// report it belongs to — the day after the data's cut-off, as the report's
// header has it — not the first of the next month.
func TestChartFootDate(t *testing.T) {
	cfg := testConfig(t)
	l, _ := newLocale("vi")
	d := &Data{Month: "2021-03", AsOf: time.Date(2021, 4, 8, 0, 0, 0, 0, cfg.Location)}
	c := &composer{cfg: cfg, d: d, l: l}
	want := l.date(d.issued(cfg.Location))
	if foot := c.chartFoot(); !strings.Contains(foot, want) || want != "08/04/2021" {
		t.Errorf("chart foot %q: want the report's date 08/04/2021 (issued %s)", foot, want)
	}
}

// A goal's source is named in the report's language: the English report
// takes source_en, and the Vietnamese form when there is none.
func TestGoalSourceInEnglish(t *testing.T) {
	d := march()
	d.Goals[0].Source, d.Goals[0].SourceEN = "QĐ 677/QĐ-TTg ngày 03/06/2022", "Decision 677/QĐ-TTg of 03/06/2022"
	for lang, want := range map[string]string{"vi": "Nguồn: QĐ 677/QĐ-TTg ngày 03/06/2022.", "en": "Source: Decision 677/QĐ-TTg of 03/06/2022."} {
		doc, err := Compose(testConfig(t), d, lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := captions(doc); !strings.Contains(got, want) {
			t.Errorf("%s: missing %q in\n%s", lang, want, got)
		}
	}
	cfg := testConfig(t)
	if got := text(must(Compose(cfg, d, "en"))); !strings.Contains(got, "Learning-citizen criteria: "+cfg.Citizen.SourceEN+".") || cfg.Citizen.SourceEN == "" {
		t.Errorf("en: the criteria's source is not %q in\n%s", cfg.Citizen.SourceEN, got)
	}
	d.Goals[0].SourceEN = ""
	doc, err := Compose(testConfig(t), d, "en")
	if err != nil {
		t.Fatal(err)
	}
	if got := captions(doc); !strings.Contains(got, "Source: QĐ 677/QĐ-TTg ngày 03/06/2022.") {
		t.Errorf("en without source_en: missing the Vietnamese source in\n%s", got)
	}
}

// captions are the charts' captions of d, one a line.
func captions(d *doc.Document) string {
	var b strings.Builder
	for _, bl := range d.AllBlocks() {
		if c, ok := bl.(*doc.Chart); ok {
			b.WriteString(c.Caption + "\n")
		}
	}
	return b.String()
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestFamilySourcesInEnglish: the learning families' section names its
// sources — the count of households, the target's document, the criteria's
// version — in the report's language, the Vietnamese where no English is set.
func TestFamilySourcesInEnglish(t *testing.T) {
	d := march()
	row := FamilyRow{Name: "Gia đình học tập", NameEn: "Learning family", TargetShare: 0.7, TargetDeadline: "2025-12",
		TargetSource: "QĐ 387/QĐ-TTg ngày 25/03/2022", TargetSourceEn: "Decision 387/QĐ-TTg of 25/03/2022",
		VersionSource: "QĐ 448/QĐ-KHVN", VersionSourceEn: "Decision 448/QĐ-KHVN", MinTotal: 80, MaxTotal: 100,
		HouseholdsSource: "ước tính từ dân số", HouseholdsSourceEn: "estimated from the population", Households: ptr(int64(100))}
	ward, city := row, row
	ward.Level, ward.Ward, ward.Registered = "ward", "a", 4
	city.Level, city.Registered = "city", 4
	for _, c := range []struct {
		lang    string
		english bool
		want    []string
	}{
		{"vi", true, []string{"QĐ 387/QĐ-TTg ngày 25/03/2022", "QĐ 448/QĐ-KHVN;", "(ước tính từ dân số)"}},
		{"en", true, []string{"under Decision 387/QĐ-TTg of 25/03/2022", "the criteria of Decision 448/QĐ-KHVN;", "(estimated from the population)"}},
		{"en", false, []string{"under QĐ 387/QĐ-TTg ngày 25/03/2022", "the criteria of QĐ 448/QĐ-KHVN;", "(ước tính từ dân số)"}},
	} {
		w, ci := ward, city
		if !c.english {
			for _, r := range []*FamilyRow{&w, &ci} {
				r.TargetSourceEn, r.VersionSourceEn, r.HouseholdsSourceEn = "", "", ""
			}
		}
		d.Families = []FamilyRow{w, ci}
		got := familyText(t, must(Compose(testConfig(t), d, c.lang)))
		for _, want := range c.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s (English sources %v): missing %q in\n%s", c.lang, c.english, want, got)
			}
		}
	}
}

// familyText is the learning families' section of d: its paragraphs and its
// table's note.
func familyText(t *testing.T, d *doc.Document) string {
	t.Helper()
	var b strings.Builder
	in := false
	for _, bl := range d.AllBlocks() {
		switch x := bl.(type) {
		case *doc.Heading:
			in = x.ID == "gia-dinh"
		case *doc.Paragraph:
			if in {
				b.WriteString(x.Text + "\n")
			}
		case *doc.Table:
			if in {
				b.WriteString(x.Note + "\n")
			}
		}
	}
	if b.Len() == 0 {
		t.Fatal("no learning families' section")
	}
	return b.String()
}
