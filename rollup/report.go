package rollup

import (
	"context"
	"embed"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports/doc"
	"github.com/hoctap/hoctap/store"
)

//go:embed report/*.sql
var reportSQL embed.FS

func query(name string) string {
	b, err := reportSQL.ReadFile("report/" + name + ".sql")
	if err != nil {
		panic(err) // embedded: a missing file is a build mistake
	}
	return string(b)
}

type areaRow struct {
	Level      string `db:"level"`
	AreaCode   string `db:"area_code"`
	AreaName   string `db:"area_name"`
	Units      int64  `db:"units"`
	Registered int64  `db:"registered"`
	Assessed   int64  `db:"assessed"`
	Eligible   int64  `db:"eligible"`
	Recognised int64  `db:"recognised"`
	Adults     int64  `db:"population_adults"`
}

type communeRow struct {
	AreaCode   string `db:"area_code"`
	AreaName   string `db:"area_name"`
	UnitCode   string `db:"unit_code"`
	UnitName   string `db:"unit_name"`
	Registered int64  `db:"registered"`
	Assessed   int64  `db:"assessed"`
	Eligible   int64  `db:"eligible"`
	Recognised int64  `db:"recognised"`
	Adults     int64  `db:"population_adults"`
}

type unitRow struct {
	Level      string `db:"level"`
	AreaName   string `db:"area_name"`
	Units      int64  `db:"units"`
	Assessed   int64  `db:"assessed"`
	Eligible   int64  `db:"eligible"`
	Recognised int64  `db:"recognised"`
}

type packageRow struct {
	FileID    int64     `db:"file_id"`
	Area      string    `db:"area"`
	AreaName  string    `db:"area_name"`
	First     string    `db:"first_month"`
	Last      string    `db:"last_month"`
	CreatedAt time.Time `db:"created_at"`
	KeyName   string    `db:"key_name"`
}

// data is what the report of a month shows.
type data struct {
	month    config.Month
	areas    []areaRow
	communes []communeRow
	units    []unitRow
	packages []packageRow
}

func read(ctx context.Context, db *store.DB, m config.Month) (*data, error) {
	d := &data{month: m}
	for _, q := range []struct {
		name string
		dst  any
		args []any
	}{
		{"areas", &d.areas, []any{m.String()}},
		{"communes", &d.communes, []any{m.String()}},
		{"units", &d.units, []any{m.String()}},
		{"packages", &d.packages, nil},
	} {
		if err := db.SelectContext(ctx, q.dst, query(q.name), q.args...); err != nil {
			return nil, fmt.Errorf("rollup report %s: %w", q.name, err)
		}
	}
	if len(d.areas) == 0 {
		return nil, fmt.Errorf("không gói số liệu nào có tháng %s — no package holds the month %s", m.Label(), m)
	}
	return d, nil
}

// Files are the files of one month's report.
type Files struct {
	Dir     string
	Written []string
}

// Report renders the roll-up's report of month m, in each of langs, from the
// published snapshot db into cfg.Paths.Reports/YYYY-MM/tong-hop/: HTML and
// PDF. issued is the report's date (the day after the month's end, or later).
func Report(ctx context.Context, db *store.DB, cfg *config.Config, m config.Month, langs []string, generated time.Time) (*Files, error) {
	d, err := read(ctx, db, m)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(cfg.Paths.Reports, m.String(), "tong-hop")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	out := &Files{Dir: dir}
	for _, lang := range langs {
		document := compose(cfg, d, lang)
		stem := "bao-cao-tong-hop-" + m.String()
		if lang == "en" {
			stem = "summary-report-" + m.String() + ".en"
		}
		html := filepath.Join(dir, stem+".html")
		pdf := filepath.Join(dir, stem+".pdf")
		if err := writeFile(html, func(f *os.File) error { return doc.WriteHTML(f, document) }); err != nil {
			return nil, err
		}
		info := doc.Info{Title: document.Title + " " + document.Subtitle, Author: cfg.City.Organisation, Generated: generated}
		if err := writeFile(pdf, func(f *os.File) error { return doc.WritePDF(f, document, info) }); err != nil {
			return nil, err
		}
		out.Written = append(out.Written, html, pdf)
	}
	return out, nil
}

func writeFile(path string, fill func(*os.File) error) error {
	f, err := os.OpenFile(path+".new", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		os.Remove(path + ".new")
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(path+".new", path)
}

// loc formats for one language.
type loc struct {
	en bool
	p  *message.Printer
}

func (l loc) t(vi, en string, args ...any) string {
	if l.en {
		return fmt.Sprintf(en, args...)
	}
	return fmt.Sprintf(vi, args...)
}

func (l loc) n(v int64) string { return l.p.Sprint(number.Decimal(v)) }

func (l loc) pct(num, den int64) string {
	if den <= 0 {
		return "–"
	}
	return l.p.Sprint(number.Percent(float64(num)/float64(den), number.MaxFractionDigits(1)))
}

func share(num, den int64) any {
	if den <= 0 {
		return nil
	}
	return math.Round(float64(num)/float64(den)*10000) / 10000
}

func compose(cfg *config.Config, d *data, lang string) *doc.Document {
	l := loc{en: lang == "en", p: message.NewPrinter(language.Vietnamese)}
	if l.en {
		l.p = message.NewPrinter(language.English)
	}
	issued := d.month.LastDay().AddDate(0, 0, 1)
	city := cfg.City
	place := fmt.Sprintf("%s, ngày %02d tháng %d năm %d", city.Place, issued.Day(), int(issued.Month()), issued.Year())
	if l.en {
		place = fmt.Sprintf("%s, %s", city.Place, issued.Format("2 January 2006"))
	}
	monthText := fmt.Sprintf("tháng %d năm %d", int(d.month.Time.Month()), d.month.Year())
	if l.en {
		monthText = d.month.Format("January 2006")
	}
	programme := cfg.Programme.Name
	if l.en && cfg.Programme.NameEN != "" {
		programme = cfg.Programme.NameEN
	}
	org := city.Organisation
	if l.en && city.OrganisationEN != "" {
		org = city.OrganisationEN
	}
	dd := &doc.Document{
		Lang:     lang,
		Title:    l.t("BÁO CÁO", "REPORT"),
		Subtitle: l.t("Tổng hợp kết quả %s của các đơn vị trực thuộc, %s", "Summary of the %s across the areas below, %s", programme, monthText),
		Header: doc.Header{
			ParentOrg: city.ParentOrganisation, Org: org,
			Number:    l.t("Số:      /%s", "No.      /%s", city.DocumentCode),
			Motto:     l.t("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
			Motto2:    l.t("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
			PlaceDate: place,
		},
		Footer: l.t("Báo cáo tổng hợp tháng %s", "Summary report, %s", d.month.Label()),
	}
	var total areaRow
	var areas []areaRow
	for _, a := range d.areas {
		if a.Level == "total" {
			total = a
		} else {
			areas = append(areas, a)
		}
	}
	add := func(b ...doc.Block) { dd.Blocks = append(dd.Blocks, b...) }
	add(&doc.Paragraph{Text: l.t(
		"Số liệu của báo cáo được cộng từ %s gói số liệu do %s đơn vị trực thuộc gửi lên (mỗi gói đã kiểm tra chữ ký số, mã kiểm tra từng tệp và phạm vi đơn vị), gồm %s xã, phường. Mỗi người được tính ở xã, phường nơi đăng ký.",
		"The figures add up %s data packages sent by %s areas below (each checked for its digital signature, every file's checksum and its area), covering %s communes and wards. Each person counts in the commune or ward where they registered.",
		l.n(int64(len(d.packages))), l.n(int64(len(areas))), l.n(total.Units))})
	add(&doc.Figures{Items: []doc.Figure{
		{Label: l.t("Đăng ký Công dân học tập", "Registered for the title"), Value: l.n(total.Registered)},
		{Label: l.t("Đủ điều kiện đề nghị công nhận", "Eligible for recognition"), Value: l.n(total.Eligible), Note: l.t("%s số đăng ký", "%s of those registered", l.pct(total.Eligible, total.Registered))},
		{Label: l.t("Đã được công nhận", "Recognised"), Value: l.n(total.Recognised), Note: l.t("%s số đăng ký", "%s of those registered", l.pct(total.Recognised, total.Registered))},
	}})
	cols := []doc.Column{
		{Name: l.t("Đơn vị", "Area"), Width: 2.5},
		{Name: l.t("Số xã, phường", "Communes"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Đăng ký", "Registered"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Đã đánh giá", "Assessed"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Đủ điều kiện", "Eligible"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Đã công nhận", "Recognised"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Tỷ lệ công nhận/đăng ký", "Recognised / registered"), Align: doc.Right, NumFmt: "0.0%", Width: 1.2},
	}
	row := func(name string, a areaRow) []doc.Cell {
		return []doc.Cell{{Text: name, Value: name}, {Text: l.n(a.Units), Value: a.Units}, {Text: l.n(a.Registered), Value: a.Registered},
			{Text: l.n(a.Assessed), Value: a.Assessed}, {Text: l.n(a.Eligible), Value: a.Eligible}, {Text: l.n(a.Recognised), Value: a.Recognised},
			{Text: l.pct(a.Recognised, a.Registered), Value: share(a.Recognised, a.Registered)}}
	}
	t := &doc.Table{ID: "don-vi", Title: l.t("Bảng 1. Kết quả theo đơn vị, %s", "Table 1. Results by area, %s", monthText), Columns: cols,
		Note: l.t("Số người tại cuối tháng. Đủ điều kiện: tổng điểm và điểm từng chỉ số đạt tiêu chuẩn; đã công nhận: có quyết định công nhận.",
			"People at the month's end. Eligible: the total and every indicator meet the criteria; recognised: by a decision.")}
	for _, a := range areas {
		t.Rows = append(t.Rows, row(a.AreaName+" ("+a.AreaCode+")", a))
	}
	t.Total = row(l.t("Tổng cộng", "Total"), total)
	add(&doc.Heading{Level: 1, Text: l.t("1. Kết quả theo đơn vị", "1. Results by area"), ID: "don-vi"}, t)

	ut := &doc.Table{ID: "don-vi-hoc-tap", Title: l.t("Bảng 2. Đơn vị học tập, %s", "Table 2. Learning units, %s", monthText), Columns: []doc.Column{
		{Name: l.t("Đơn vị", "Area"), Width: 2.5},
		{Name: l.t("Đơn vị học tập đăng ký", "Units registered"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Đã tự đánh giá", "Self-assessed"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Đủ điều kiện", "Eligible"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Đã công nhận", "Recognised"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
	}}
	for _, u := range d.units {
		name := u.AreaName
		if u.Level == "total" {
			name = l.t("Tổng cộng", "Total")
		}
		cells := []doc.Cell{{Text: name, Value: name}, {Text: l.n(u.Units), Value: u.Units}, {Text: l.n(u.Assessed), Value: u.Assessed},
			{Text: l.n(u.Eligible), Value: u.Eligible}, {Text: l.n(u.Recognised), Value: u.Recognised}}
		if u.Level == "total" {
			ut.Total = cells
		} else {
			ut.Rows = append(ut.Rows, cells)
		}
	}
	add(&doc.Heading{Level: 1, Text: l.t("2. Đơn vị học tập", "2. Learning units"), ID: "dvht"}, ut)

	pt := &doc.Table{ID: "goi-so-lieu", Title: l.t("Bảng 3. Các gói số liệu đã dùng", "Table 3. The packages used"), Columns: []doc.Column{
		{Name: l.t("Đơn vị gửi", "Sent by"), Width: 3},
		{Name: l.t("Các tháng", "Months")},
		{Name: l.t("Lập lúc", "Made at")},
		{Name: l.t("Khóa ký", "Signing key"), Width: 2},
	}, Note: l.t("Một gói mới hơn của cùng đơn vị và các tháng thay gói cũ; gói cũ hơn đến sau bị trả lại.",
		"A newer package of the same area and months replaces the older; an older one arriving later is returned.")}
	for _, p := range d.packages {
		months := monthLabel(p.First) + "–" + monthLabel(p.Last)
		made := p.CreatedAt.In(cfg.Location).Format("02/01/2006 15:04")
		pt.Rows = append(pt.Rows, []doc.Cell{{Text: p.AreaName + " (" + p.Area + ")", Value: p.AreaName}, {Text: months, Value: months}, {Text: made, Value: made}, {Text: p.KeyName, Value: p.KeyName}})
	}
	add(&doc.Heading{Level: 1, Text: l.t("3. Nguồn số liệu", "3. Where the figures come from"), ID: "nguon"}, pt)

	ct := &doc.Table{ID: "xa-phuong", Title: l.t("Kết quả theo xã, phường, %s", "Results by commune and ward, %s", monthText), Columns: []doc.Column{
		{Name: l.t("Đơn vị", "Area"), Width: 2},
		{Name: l.t("Xã, phường", "Commune or ward"), Width: 2.5},
		{Name: l.t("Mã", "Code")},
		{Name: l.t("Đăng ký", "Registered"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Đủ điều kiện", "Eligible"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Đã công nhận", "Recognised"), Align: doc.Right, NumFmt: "#,##0", Width: 1},
		{Name: l.t("Tỷ lệ công nhận/đăng ký", "Recognised / registered"), Align: doc.Right, NumFmt: "0.0%", Width: 1.2},
	}, Limit: 2000, LimitNote: l.t("Bảng đầy đủ có trong cơ sở dữ liệu (bảng progress_monthly, level = 'commune').", "The full table is in the database (progress_monthly, level = 'commune').")}
	for _, c := range d.communes {
		if len(ct.Rows) >= ct.Limit {
			break
		}
		ct.Rows = append(ct.Rows, []doc.Cell{{Text: c.AreaName, Value: c.AreaName}, {Text: c.UnitName, Value: c.UnitName}, {Text: c.UnitCode, Value: c.UnitCode},
			{Text: l.n(c.Registered), Value: c.Registered}, {Text: l.n(c.Eligible), Value: c.Eligible}, {Text: l.n(c.Recognised), Value: c.Recognised},
			{Text: l.pct(c.Recognised, c.Registered), Value: share(c.Recognised, c.Registered)}})
	}
	if len(d.communes) > ct.Limit {
		ct.Note = l.t("%s xã, phường; bảng này in %s dòng đầu.", "%s communes and wards; this table prints the first %s.", l.n(int64(len(d.communes))), l.n(int64(ct.Limit)))
	}
	dd.Closing = doc.Closing{RecipientsLabel: l.t("Nơi nhận:", "To:"), Recipients: cfg.Report.Recipients,
		SignerRole: cfg.Report.Signer.Role, SignerTitle: cfg.Report.Signer.Title, SignerName: cfg.Report.Signer.Name}
	dd.Annexes = []doc.Annex{{
		Title: l.t("PHỤ LỤC\nKẾT QUẢ THEO XÃ, PHƯỜNG", "ANNEX\nRESULTS BY COMMUNE AND WARD"),
		Ref:   l.t("(Kèm theo Báo cáo tổng hợp tháng %s của %s)", "(Attached to the summary report of %s by %s)", d.month.Label(), org),
		ID:    "phu-luc", Blocks: []doc.Block{ct},
	}}
	return dd
}

// monthLabel writes YYYY-MM as 03/2021.
func monthLabel(s string) string {
	m, err := config.ParseMonth(s)
	if err != nil {
		return s
	}
	return m.Label()
}
