package reports

import (
	"fmt"
	"math"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports/chart"
	"github.com/hoctap/hoctap/reports/doc"
)

// textWidth is the A4 text width in points (210 mm less 30 + 15 mm margins).
const textWidth = 482

// composer builds one document from one month's data.
type composer struct {
	cfg    *config.Config
	d      *Data
	l      *locale
	dpi    float64
	doc    *doc.Document
	charts int
	// sections is the number of the last numbered section.
	sections int
	pending  []pendingChart
	// overview: the goals without a chart each, and sections without the
	// report's numbers, which would skip (Excerpt).
	overview bool
}

// Compose lays out the report of d in lang ("vi" or "en"), its charts drawn at
// the configuration's DPI. The same data gives the same document, byte for byte.
func Compose(cfg *config.Config, d *Data, lang string) (*doc.Document, error) {
	l, err := newLocale(lang)
	if err != nil {
		return nil, err
	}
	dpi := float64(cfg.Report.ChartDPI)
	if dpi <= 0 {
		dpi = 200
	}
	c := &composer{cfg: cfg, d: d, l: l, dpi: dpi, doc: &doc.Document{Lang: lang}}
	c.header()
	c.changes()
	c.headline()
	c.narrative()
	c.goals()
	c.wards()
	c.indicators()
	c.timeline()
	c.units()
	c.families()
	c.activities()
	c.quality()
	c.actions()
	c.method()
	c.closing()
	c.annex()
	c.closeAnnex()
	c.numberAnnexes()
	c.numberTables()
	c.sheets()
	if err := c.draw(); err != nil {
		return nil, err
	}
	return c.doc, nil
}

// Part is a section of the report that a page can show on its own.
type Part int

// The parts Excerpt lays out.
const (
	Headline Part = iota // the headline figures
	Goals                // the goals' table, without a chart for each
	Timeline             // the Gantt chart and the milestones
	Quality              // data completeness and timeliness, refused files
)

// Excerpt lays out parts of d's report in lang, in the report's words and
// formats, its charts drawn at dpi: what the web app shows of a month.
func Excerpt(cfg *config.Config, d *Data, lang string, dpi float64, parts ...Part) ([]doc.Block, error) {
	l, err := newLocale(lang)
	if err != nil {
		return nil, err
	}
	c := &composer{cfg: cfg, d: d, l: l, dpi: dpi, doc: &doc.Document{Lang: lang}, overview: true}
	for _, p := range parts {
		switch p {
		case Headline:
			c.headline()
		case Goals:
			c.goals()
		case Timeline:
			c.timeline()
		case Quality:
			c.quality()
		default:
			return nil, fmt.Errorf("report: no part %d", p)
		}
	}
	if err := c.draw(); err != nil {
		return nil, err
	}
	return c.doc.Blocks, nil
}

// add appends blocks to the body, or to the annex started last.
func (c *composer) add(b ...doc.Block) {
	if n := len(c.doc.Annexes); n > 0 {
		c.doc.Annexes[n-1].Blocks = append(c.doc.Annexes[n-1].Blocks, b...)
		return
	}
	c.doc.Blocks = append(c.doc.Blocks, b...)
}

// startAnnex starts an annex after the closing: what is added next goes in
// it. Its title's first line is "PHỤ LỤC" (numbered by numberAnnexes if
// there are several); the line under it ties it to this report.
func (c *composer) startAnnex(id, vi, en string) {
	l := c.l
	c.doc.Annexes = append(c.doc.Annexes, doc.Annex{
		ID:    id,
		Title: l.vi("PHỤ LỤC", "ANNEX") + "\n" + l.vi(vi, en),
		Ref: l.t("(Kèm theo Báo cáo số%s/%s ngày %s)", "(Attached to Report No.%s/%s of %s)", numberBlank,
			c.cfg.City.DocumentCode, l.date(c.d.issued(c.cfg.Location))),
	})
}

// numberAnnexes numbers the annexes I, II, … when there are more than one,
// as Nghị định 30/2020 asks.
func (c *composer) numberAnnexes() {
	if len(c.doc.Annexes) < 2 {
		return
	}
	for i := range c.doc.Annexes {
		a := &c.doc.Annexes[i]
		head, rest, _ := strings.Cut(a.Title, "\n")
		a.Title = head + " " + roman(i+1) + "\n" + rest
	}
}

// roman is n (1–39) in Roman numerals.
func roman(n int) string {
	var b strings.Builder
	for _, r := range []struct {
		v int
		s string
	}{{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for ; n >= r.v; n -= r.v {
			b.WriteString(r.s)
		}
	}
	return b.String()
}

// h1 adds a section's heading. A numbered section ("III. …") takes the
// next number of the report, whatever sections come before it; an
// excerpt's headings have none.
func (c *composer) h1(id, vi, en string) {
	text := c.l.vi(vi, en)
	if sectionNumber.MatchString(text) {
		text = sectionNumber.ReplaceAllString(text, "")
		if !c.overview {
			c.sections++
			text = roman(c.sections) + ". " + text
		}
	}
	c.add(&doc.Heading{Level: 1, ID: id, Text: text})
}

// sectionNumber is a section's number in the report: "III. ".
var sectionNumber = regexp.MustCompile(`^[IVX]+\. `)

func (c *composer) para(text string) { c.add(&doc.Paragraph{Text: text}) }
func (c *composer) note(text string) { c.add(&doc.Paragraph{Text: text, Note: true}) }

// chart adds ch as the next numbered figure; draw renders it later. A
// chart with nothing to draw is a sentence instead.
func (c *composer) chart(id, title, caption string, ch chart.Chart, height float64) {
	if !chart.HasData(ch) {
		c.para(c.noData(id, title))
		return
	}
	c.charts++
	fig := &doc.Chart{
		ID:      fmt.Sprintf("%02d-%s", c.charts, id),
		Title:   c.l.t("Hình %d. %s", "Figure %d. %s", c.charts, title),
		Caption: caption, Width: textWidth, Height: height,
	}
	c.add(fig)
	c.pending = append(c.pending, pendingChart{fig, ch})
}

// noData is the one sentence that stands for a chart with nothing to draw
// (no empty axes): what there is not yet, and why.
func (c *composer) noData(id, title string) string {
	l, m := c.l, c.l.month(c.d.Month)
	switch id {
	case "xa-phuong", "ty-le-nhom":
		return l.t("Đến cuối tháng %s chưa có người đăng ký phấn đấu nên chưa có số liệu theo xã, phường.",
			"By the end of %s nobody had registered yet, so there are no figures by ward.", m)
	case "diem-chi-so", "duoi-nguong", "phan-bo-diem":
		return l.t("%s: chưa có, vì đến cuối tháng %s chưa có ai được đánh giá.", "%s: none yet, as nobody had been assessed by the end of %s.", title, m)
	case "hoat-dong":
		return l.t("Chưa có số liệu hoạt động: đến ngày %s (hạn chốt số liệu) chưa xã, phường nào gửi báo cáo hoạt động.",
			"No activities yet: by %s (the reporting deadline) no ward had sent a report of its activities.", l.date(c.d.receivedBy(c.cfg.Location)))
	case "du-lieu":
		return l.t("Chưa có tỷ lệ gửi số liệu đúng hạn: đến cuối tháng %s chưa có báo cáo nào đến hạn theo lịch gửi số liệu.",
			"No share of submissions on time yet: by the end of %s no submission was due under the submission calendar.", m)
	}
	return l.t("%s: chưa có số liệu đến cuối tháng %s.", "%s: no data by the end of %s yet.", title, m)
}

// pendingChart is a figure whose drawing is not rendered yet.
type pendingChart struct {
	fig   *doc.Chart
	chart chart.Chart
}

// draw renders every figure in both formats, on every core: each drawing
// is independent and deterministic, so the order they finish in does not
// matter.
func (c *composer) draw() error {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, p := range c.pending {
		g.Go(func() error {
			size := chart.Size{Width: p.fig.Width, Height: p.fig.Height, DPI: c.dpi}
			svg, err := chart.SVG(p.chart, size)
			if err != nil {
				return fmt.Errorf("report: chart %s: %w", p.fig.ID, err)
			}
			png, err := chart.PNG(p.chart, size)
			if err != nil {
				return fmt.Errorf("report: chart %s: %w", p.fig.ID, err)
			}
			titled, err := chart.Titled(png, size, p.fig.Title, c.chartFoot())
			if err != nil {
				return fmt.Errorf("report: chart %s: %w", p.fig.ID, err)
			}
			p.fig.SVG, p.fig.PNG, p.fig.Titled = svg, png, titled
			return nil
		})
	}
	return g.Wait()
}

// chartFoot is the line under a chart's PNG written on its own: its source
// and the report it belongs to, with the report's date.
func (c *composer) chartFoot() string {
	l, city := c.l, c.cfg.City
	return l.t("Nguồn: %s, Báo cáo tháng %s, ngày %s (số liệu từ các xã, phường gửi về).",
		"Source: %s, report for %s, dated %s (data the wards sent).",
		l.vi(city.Organisation, city.OrganisationEN), l.month(c.d.Month), l.date(c.d.issued(c.cfg.Location)))
}

// reportDate is the first day after month (YYYY-MM, a month of the
// programme: Load): the issue date of a report whose data has no cut-off
// (Data.issued).
func reportDate(month string) time.Time {
	m, _ := config.ParseMonth(month)
	return m.Next().Time
}

func (c *composer) header() {
	l, city := c.l, c.cfg.City
	month, _ := config.ParseMonth(c.d.Month) // a month of the programme (Load)
	org, parent := l.vi(city.Organisation, city.OrganisationEN), city.ParentOrganisation
	if l.lang == "en" && city.OrganisationEN != "" {
		parent = "" // the English name stands alone
	}
	c.doc.Header = doc.Header{
		ParentOrg: parent,
		Org:       org,
		Number:    l.t("Số:%s/%s", "No.%s/%s", numberBlank, city.DocumentCode),
		Motto:     l.vi("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
		Motto2:    l.vi("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
		PlaceDate: l.placeDate(city.Place, c.d.issued(c.cfg.Location)),
	}
	name := c.cfg.Programme.Name
	if l.lang == "en" && c.cfg.Programme.NameEN != "" {
		name = c.cfg.Programme.NameEN
	}
	// "BÁO CÁO" and the summary line of what it reports (Nghị định 30/2020).
	c.doc.Title = l.vi("BÁO CÁO", "REPORT")
	c.doc.Subtitle = l.t("Kết quả %s %s", "Results of the %s, %s", curlyQuotes(lowerFirst(name)), l.monthLong(c.d.Month))
	start, end := c.cfg.Programme.Start.Month(), c.cfg.Programme.End.Month()
	// The basis the report is made on opens the body.
	if basis := l.vi(c.cfg.Report.Basis, c.cfg.Report.BasisEN); basis != "" {
		c.para(l.t("%s %s như sau:", "%s %s as follows.", basis, l.monthLong(c.d.Month)))
	}
	if c.d.AsOf.IsZero() {
		c.note(l.t("Số liệu đến hết ngày %s; thời gian thí điểm %s – %s.", "Data as of %s; pilot period %s – %s.",
			l.date(month.LastDay().Time), l.month(start.String()), l.month(end.String())))
	} else {
		c.note(l.t("Số liệu đến hết ngày %s, nhận đến ngày %s; thời gian thí điểm %s – %s.", "Data to %s, as received by %s; pilot period %s – %s.",
			l.date(month.LastDay().Time), l.date(c.d.receivedBy(c.cfg.Location)), l.month(start.String()), l.month(end.String())))
	}
	c.doc.Footer = l.t("Báo cáo tháng %s", "Report for %s", l.month(c.d.Month))
}

// curlyQuotes turns straight double quotes into typographic ones, opening
// and closing in turn: "Công dân học tập" → “Công dân học tập”.
func curlyQuotes(s string) string {
	var b strings.Builder
	open := true
	for _, r := range s {
		if r == '"' {
			r = map[bool]rune{true: '“', false: '”'}[open]
			open = !open
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lowerFirst lowers the first letter of a name that begins a clause in a
// sentence: "Thí điểm mô hình …" → "thí điểm mô hình …".
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// numberBlank is the room left for the document's number, written in by
// hand when the report is issued: no-break spaces, which keep their width.
const numberBlank = "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"

// rate is a rate with its denominator: "80,6% số người đăng ký (31)".
func (c *composer) rate(share float64, denom string, base int64) string {
	return c.l.t("%s %s (%s)", "%s of %s (%s)", c.l.pct(share), c.l.denominator(denom), c.l.int(base))
}

func (c *composer) headline() {
	l, d := c.l, c.d
	c.h1("so-lieu-chinh", "I. SỐ LIỆU CHÍNH", "I. HEADLINE FIGURES")
	cur, _ := d.progress(d.Month, "city", "", 0)
	prev, hasPrev := d.progress(d.Prev, "city", "", 0)
	people := [2]string{"người", ""}
	change := func(now, before int64, unit [2]string) string {
		if !hasPrev {
			return l.vi("Tháng đầu thí điểm", "First month of the pilot")
		}
		return l.change(now-before, d.Prev, unit)
	}
	units, assessed, eligible, recognised := 0, 0, 0, 0
	for _, u := range d.Units {
		units++
		if u.InRound {
			assessed++
		}
		if u.Eligible {
			eligible++
		}
		if u.Recognised {
			recognised++
		}
	}
	var acts, actsPrev int64
	for _, a := range d.Activities {
		if a.Month == d.Month {
			acts += a.Activities
		}
		if a.Month == d.Prev {
			actsPrev += a.Activities
		}
	}
	var expected, received int64
	for _, q := range d.Quality {
		if q.Month == d.Month {
			expected += q.Expected
			received += q.OnTime + q.Late
		}
	}
	recognisedNote := l.vi("Chưa có quyết định công nhận", "No decision of recognition yet")
	if cur.Recognised > 0 {
		recognisedNote = l.t("Theo quyết định công nhận; %s; %s", "By decisions of recognition; %s; %s",
			c.rate(cur.RateOfRegistered, "registered", cur.Registered), c.rate(cur.RateOfPopulation, "population", cur.Population))
	}
	items := []doc.Figure{
		{Label: l.vi("Người đăng ký phấn đấu", "People registered"), Value: l.int(cur.Registered), Change: change(cur.Registered, prev.Registered, people),
			Note: l.t("%s người đã được đánh giá", "%s of them assessed", l.int(cur.Assessed))},
		{Label: l.vi("Người đủ điều kiện đề nghị công nhận", "People eligible for recognition"), Value: l.int(cur.Eligible), Change: change(cur.Eligible, prev.Eligible, people),
			Note: c.rate(cur.EligibleRate, "registered", cur.Registered) + l.t("; %s người có điểm đã thẩm định", "; %s with reviewed scores", l.int(cur.Reviewed))},
		{Label: l.vi("Người đã được công nhận Công dân học tập", "People recognised as learning citizens"), Value: l.int(cur.Recognised), Change: change(cur.Recognised, prev.Recognised, people),
			Note: recognisedNote},
		{Label: l.vi("Đơn vị học tập được công nhận", "Learning units recognised"), Value: l.int(int64(recognised)),
			Note: l.t("%s đơn vị đủ điều kiện; %s trong %s đơn vị đã tự đánh giá ở đợt xét công nhận", "%s units eligible; %s of %s self-assessed in the round that counts",
				l.int(int64(eligible)), l.int(int64(assessed)), l.int(int64(units)))},
		{Label: l.t("Hoạt động trong tháng %s", "Activities in %s", l.month(d.Month)), Value: l.int(acts)},
		{Label: l.vi("Báo cáo đến hạn trong tháng đã nhận", "Submissions due this month, received"), Value: l.int(received) + "/" + l.int(expected)},
	}
	if hasPrev {
		items[4].Change = change(acts, actsPrev, [2]string{"hoạt động", ""})
	}
	c.add(&doc.Figures{Items: items})
	c.note(l.t("Người đủ điều kiện: có điểm đạt tiêu chí (tổng từ %s điểm, không chỉ số nào dưới %s điểm); người được công nhận: có tên trong quyết định công nhận. "+
		"Tỷ lệ theo số đăng ký chia cho số người đăng ký phấn đấu đến cuối tháng; tỷ lệ theo dân số chia cho dân số từ 15 tuổi trở lên của %s (số ước tính, xem mục Ghi chú phương pháp).",
		"Eligible: scores that meet the criteria (a total of %s or more, no indicator below %s); recognised: named in a decision of recognition. "+
			"A rate of registrants divides by the people registered by the month's end; a rate of population by the population aged 15 and over of %s (an estimate; see the methodology notes).",
		l.num(d.Programme.PassTotal, 1), l.num(d.Programme.MinPerIndicator, 1), c.wardsScope()))
}

// wardsScope names the wards a total covers: "3 xã, phường thí điểm".
func (c *composer) wardsScope() string {
	n := len(c.d.Wards)
	return c.l.t("%d xã, phường thí điểm", "the %d pilot wards", n)
}

func share(n, of int64) float64 {
	if of == 0 {
		return math.NaN()
	}
	return float64(n) / float64(of)
}

// goalCharted reports whether a goal gets a chart: at least two months of
// actual data by the report's month, and a deadline no more than
// report.goal_chart_horizon_months after it. A chart of a 2025 goal over a
// pilot of 2020–2021 is an invented path with the data flat under it: such a
// goal is a row of the goals' table.
func (c *composer) goalCharted(g Goal) bool {
	points := 0
	for _, m := range g.Course {
		if m.Actual != nil && m.Month <= c.d.Month {
			points++
		}
	}
	now, err1 := config.ParseMonth(c.d.Month)
	deadline, err2 := config.ParseMonth(g.Deadline)
	if err1 != nil || err2 != nil {
		return false
	}
	horizon := config.Month{Time: now.AddDate(0, c.cfg.Report.GoalChartHorizonMonths, 0)}
	return points >= 2 && !deadline.After(horizon)
}

// goalFar reports whether a goal's deadline lies more than
// report.goal_chart_horizon_months after the report's month.
func (c *composer) goalFar(g Goal) bool {
	now, err1 := config.ParseMonth(c.d.Month)
	deadline, err2 := config.ParseMonth(g.Deadline)
	return err1 == nil && err2 == nil && deadline.After(config.Month{Time: now.AddDate(0, c.cfg.Report.GoalChartHorizonMonths, 0)})
}

// gradeBands are the unit grades as shares of the scheme's full marks (the
// criteria's maxima added up), and their names for the caption: "Trung
// bình ≥ 50%, Khá ≥ 70%, Tốt ≥ 85%".
func (c *composer) gradeBands() ([]chart.Band, string) {
	full := 0.0
	for _, k := range c.cfg.UnitScheme.Criteria {
		full += k.Max
	}
	if full <= 0 {
		return nil, ""
	}
	grades := append([]config.Grade(nil), c.cfg.UnitScheme.Grades...)
	sort.Slice(grades, func(i, j int) bool { return grades[i].Min < grades[j].Min })
	var bands []chart.Band
	var names []string
	for i, g := range grades {
		if g.Min <= 0 {
			continue
		}
		to := 1.0
		if i+1 < len(grades) {
			to = grades[i+1].Min / full
		}
		bands = append(bands, chart.Band{From: g.Min / full, To: to})
		names = append(names, c.l.vi(g.Name, g.NameEN)+" ≥ "+c.l.pct(g.Min/full))
	}
	return bands, strings.Join(names, ", ")
}

// hbarsHeight is the height in points of a horizontal bar chart of n
// categories with k bars each: room for two lines of name per row.
func hbarsHeight(n, k int) float64 {
	return 40 + float64(n)*math.Max(22, 7*float64(k)+6)
}

// groupRate is a group's rate for a chart and its label: none and "–" for
// a group nobody registered in (ok false or no registrant), none and "k/n"
// for a group of fewer than minGroup registrants, whose rate would mislead
// (1 of 2 is not "50%"), else the rate.
func groupRate(p Progress, ok bool, minGroup int, l *locale) (float64, string) {
	switch {
	case !ok || p.Registered == 0:
		return math.NaN(), "–"
	case p.Registered < int64(minGroup):
		return math.NaN(), l.int(p.Eligible) + "/" + l.int(p.Registered)
	}
	return share(p.Eligible, p.Registered), ""
}

// cell helpers
func (c *composer) txt(s string) doc.Cell { return doc.Cell{Text: s, Value: s} }
func (c *composer) n(v int64) doc.Cell    { return doc.Cell{Text: c.l.int(v), Value: v} }
func (c *composer) f(v float64, dec int) doc.Cell {
	return doc.Cell{Text: c.l.fixed(v, dec), Value: v}
}
func (c *composer) p(v float64) doc.Cell {
	if math.IsNaN(v) {
		return doc.Cell{Text: "–"}
	}
	return doc.Cell{Text: c.l.pct(v), Value: v}
}
func (c *composer) pp(v *float64) doc.Cell {
	if v == nil {
		return doc.Cell{Text: "–"}
	}
	return c.p(*v)
}

// dt is a date's cell, its spaces ("8 Jun 2021") no-break spaces: a date
// is never wrapped inside a cell.
func (c *composer) dt(t time.Time) doc.Cell {
	return doc.Cell{Text: strings.ReplaceAll(c.l.date(t), " ", "\u00a0"), Value: t}
}

// mo is a month's cell (YYYY-MM; "" none), its spaces ("Dec 2020")
// no-break spaces: a month is never wrapped inside a cell.
func (c *composer) mo(m string) doc.Cell {
	if m == "" {
		return doc.Cell{}
	}
	s := c.l.month(m)
	return doc.Cell{Text: strings.ReplaceAll(s, " ", "\u00a0"), Value: s}
}

func col(name string, a doc.Align, w float64, numfmt string) doc.Column {
	return doc.Column{Name: name, Align: a, Width: w, NumFmt: numfmt}
}

const (
	fmtInt  = "#,##0"
	fmtDec1 = "0.0"
	fmtPct  = "0.0##%" // as many decimals as the report shows: 0.069%, 50.0%
	fmtDate = "dd/mm/yyyy"
)

// recipientLines ends each recipient of "Nơi nhận" with ";" and the last
// ("Lưu: VT, …") with ".", as Nghị định 30/2020 lays them out.
func recipientLines(rs []string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		r = strings.TrimRight(strings.TrimSpace(r), ";.,")
		if i == len(rs)-1 {
			out[i] = r + "."
		} else {
			out[i] = r + ";"
		}
	}
	return out
}
