package reports

import (
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports/doc"
)

// sheets adds the workbook's own sheets: every month so far as a long table
// (month × level × ward × group × measure × value) and the definitions of
// its measures and levels, with the sources.
func (c *composer) sheets() {
	l, d := c.l, c.d
	long := &doc.Table{ID: l.vi("Chuỗi tháng", "Monthly series"),
		Title: l.t("Số liệu từng tháng từ tháng %s đến tháng %s, dạng dài (mỗi dòng một số đo)", "Every month from %s to %s, long form (one measure a row)",
			l.month(c.cfg.Programme.Start.Month().String()), l.month(d.Month)),
		Columns: []doc.Column{
			col(l.vi("Tháng", "Month"), doc.Left, 0, "mm/yyyy"),
			col(l.vi("Cấp", "Level"), doc.Left, 0, ""),
			col(l.vi("Mã xã, phường", "Ward code"), doc.Left, 0, ""),
			col(l.vi("Xã, phường", "Ward"), doc.Left, 0, ""),
			col(l.vi("Nhóm", "Group"), doc.Left, 0, "0"),
			col(l.vi("Tên nhóm", "Group name"), doc.Left, 0, ""),
			col(l.vi("Số đo", "Measure"), doc.Left, 0, ""),
			col(l.vi("Giá trị", "Value"), doc.Right, 0, "General"),
		},
		Note: l.vi("Tháng: ngày đầu tháng, định dạng tháng/năm. Tỷ lệ là phân số 0–1, đầy đủ chữ số. Định nghĩa ở bảng “Định nghĩa”.",
			"Month: its first day, shown month/year. Rates are fractions 0–1, unrounded. Definitions in the “Definitions” sheet."),
	}
	for _, p := range d.Series {
		month, err := config.ParseMonth(p.Month)
		if err != nil {
			continue
		}
		ward, group := doc.Cell{}, doc.Cell{}
		wardName, groupName := doc.Cell{}, doc.Cell{}
		if p.Ward != "" {
			ward, wardName = c.txt(p.Ward), c.txt(l.wardName(d, p.Ward))
		}
		if p.Group != 0 {
			group, groupName = c.n(p.Group), c.txt(l.groupName(d, p.Group))
		}
		for _, m := range []struct {
			name  string
			value any
		}{
			{"registered", p.Registered}, {"assessed", p.Assessed}, {"recognised", p.Recognised}, {"not_yet", p.NotYet},
			{"rate_of_registered", p.RateOfRegistered}, {"population_adults", p.Population}, {"rate_of_population", p.RateOfPopulation},
		} {
			if (m.name == "population_adults" || m.name == "rate_of_population") && p.Population == 0 {
				continue // no population at this level
			}
			long.Rows = append(long.Rows, []doc.Cell{
				{Text: l.month(p.Month), Value: month.Time}, c.txt(p.Level), ward, wardName, group, groupName, c.txt(m.name), {Value: m.value},
			})
		}
	}
	defs := &doc.Table{ID: l.vi("Định nghĩa", "Definitions"), Title: l.vi("Định nghĩa các số đo, nguồn số liệu và phiên bản", "Measures, sources and version"),
		Columns: []doc.Column{col(l.vi("Thuật ngữ", "Term"), doc.Left, 0, ""), col(l.vi("Định nghĩa", "Definition"), doc.Left, 30, "")}}
	def := func(term, vi, en string) { defs.Rows = append(defs.Rows, []doc.Cell{c.txt(term), c.txt(l.vi(vi, en))}) }
	def("registered", "Số người đăng ký phấn đấu danh hiệu Công dân học tập đến cuối tháng.", "People registered for the learning-citizen title by the month's end.")
	def("assessed", "Số người đăng ký đã có ít nhất một lần đánh giá được tính đến cuối tháng.", "Registrants with at least one assessment that counts by the month's end.")
	def("recognised", l.t("Số người có tổng điểm từ %s trở lên và không chỉ số nào dưới %s (đủ điều kiện theo điểm).", "People with a total of %s or more and no indicator below %s (eligible by their scores).",
		l.num(d.Programme.PassTotal, 1), l.num(d.Programme.MinPerIndicator, 1)), "")
	def("not_yet", "Số người đã được đánh giá nhưng chưa đạt.", "People assessed who do not meet the criteria yet.")
	def("rate_of_registered", "recognised / registered, phân số 0–1.", "recognised / registered, a fraction 0–1.")
	def("population_adults", "Dân số người lớn của xã, phường theo cấu hình (ước tính nếu cấu hình ghi vậy).", "The ward's adult population from the configuration (an estimate where it says so).")
	def("rate_of_population", "recognised / population_adults, phân số 0–1.", "recognised / population_adults, a fraction 0–1.")
	def("city", l.t("Cấp: toàn bộ các xã, phường thí điểm (%d).", "Level: all the pilot's wards (%d).", len(d.Wards)), "")
	def("ward", "Cấp: một xã, phường.", "Level: one ward.")
	def("group", "Cấp: một nhóm đối tượng, mọi xã, phường.", "Level: one target group, every ward.")
	def("ward_group", "Cấp: một nhóm đối tượng trong một xã, phường.", "Level: one target group in one ward.")
	def(l.vi("Nguồn", "Sources"), l.t("%d tệp của các xã, phường đã nạp (danh sách trong manifest.json của báo cáo).", "%d ward files loaded (listed in the report's manifest.json).", len(d.Inputs)), "")
	def(l.vi("Báo cáo", "Report"), l.t("Báo cáo tháng %s, ngày %s.", "Report for %s, dated %s.", l.month(d.Month), l.date(d.issued(c.cfg.Location))), "")
	c.doc.Sheets = append(c.doc.Sheets, long, defs)
}
