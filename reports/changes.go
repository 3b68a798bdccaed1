package reports

import (
	"regexp"
	"strconv"

	"github.com/hoctap/hoctap/reports/doc"
)

// datasetNames name the datasets ward files hold, as a list of them says.
var datasetNames = map[string][2]string{
	"units":               {"danh sách đơn vị đăng ký", "units registered"},
	"citizens":            {"danh sách cá nhân đăng ký", "people registered"},
	"citizen_assessments": {"phiếu đánh giá cá nhân", "citizen assessments"},
	"unit_assessments":    {"tự đánh giá của đơn vị", "unit self-assessments"},
	"activities":          {"báo cáo hoạt động", "activity report"},
	"decisions":           {"quyết định công nhận", "recognition decisions"},
}

// countNames name the counts a change section compares.
var countNames = map[string][2]string{
	countRegistered: {"Người đăng ký phấn đấu", "People registered"},
	countAssessed:   {"Người đã được đánh giá", "People assessed"},
	countEligible:   {"Người đủ điều kiện đề nghị công nhận", "People eligible for recognition"},
	countRecognised: {"Người đã được công nhận", "People recognised"},
	countUnitsAssd:  {"Đơn vị đã tự đánh giá", "Units self-assessed"},
	countUnitsElig:  {"Đơn vị đủ điều kiện đề nghị công nhận", "Units eligible for recognition"},
	countActivities: {"Hoạt động trong tháng", "Activities in the month"},
	countReceived:   {"Báo cáo đến hạn đã nhận", "Submissions due, received"},
	countRefused:    {"Tệp bị trả lại", "Files refused"},
}

// changes is the first section of a version that replaces another: what
// changed since that version and which files made it change.
func (c *composer) changes() {
	ch := c.d.Change
	if ch == nil {
		return
	}
	l, d := c.l, c.d
	version := ch.PrevVersion + 1
	c.h1("thay-doi", "I. NHỮNG ĐIỂM THAY ĐỔI SO VỚI PHIÊN BẢN "+strconv.Itoa(ch.PrevVersion),
		"I. CHANGES SINCE VERSION "+strconv.Itoa(ch.PrevVersion))
	prevBy := ""
	if !ch.PrevAsOf.IsZero() {
		prevBy = l.t(" (số liệu nhận đến ngày %s)", " (data as received by %s)",
			l.date((&Data{Month: d.Month, AsOf: ch.PrevAsOf}).receivedBy(c.cfg.Location)))
	}
	c.para(l.t("Báo cáo này là phiên bản %d, thay thế phiên bản %d%s.", "This report is version %d; it replaces version %d%s.",
		version, ch.PrevVersion, prevBy))
	files := func(fs []InputFile, id, vi, en string) {
		t := &doc.Table{ID: id, Title: l.vi(vi, en), Columns: []doc.Column{
			col(l.vi("Xã, phường", "Ward"), doc.Left, 20, ""),
			col(l.vi("Tệp", "File"), doc.Left, 42, ""),
			col(l.vi("Nội dung", "Contents"), doc.Left, 24, ""),
			col(l.vi("Ngày nhận", "Received"), doc.Left, 14, fmtDate),
		}}
		for _, f := range fs {
			what := l.named(datasetNames, f.Dataset)
			t.Rows = append(t.Rows, []doc.Cell{c.txt(l.wardName(d, f.Ward)), c.txt(f.Name), c.txt(what),
				c.dt(f.Received.In(c.cfg.Location))})
		}
		c.add(t)
	}
	switch {
	case len(ch.Added) > 0:
		c.para(l.t("Lý do: sau phiên bản %d đã nhận thêm %d tệp có số liệu của tháng này hoặc các tháng trước.",
			pick(len(ch.Added) == 1, "Why: %[2]d file with data of this month or earlier ones came after version %[1]d.",
				"Why: %[2]d files with data of this month or earlier ones came after version %[1]d."), ch.PrevVersion, len(ch.Added)))
		files(ch.Added, l.vi("Tệp nhận thêm", "Files since"), "Bảng 1. Các tệp nhận sau phiên bản trước", "Table 1. Files received since the previous version")
	case len(ch.Dropped) == 0 && len(ch.Counts) == 0 && len(ch.Milestones) == 0:
		c.para(l.vi("Số liệu không thay đổi; phiên bản này chỉ thay đổi cách trình bày.",
			"The numbers are the same; only the layout changed."))
		return
	}
	if len(ch.Dropped) > 0 {
		c.para(l.vi("Các tệp sau không còn được tính vì đã có bản sửa thay thế:",
			"These files no longer count: corrected files replaced them:"))
		files(ch.Dropped, l.vi("Tệp thay thế", "Files replaced"), "Bảng 1. Các tệp đã được thay thế", "Table 1. Files replaced")
	}
	if len(ch.Counts) == 0 && len(ch.Milestones) == 0 {
		c.para(l.vi("Các số liệu chính của tháng không thay đổi.", "The month's main figures did not change."))
		return
	}
	if len(ch.Counts) > 0 {
		t := &doc.Table{ID: l.vi("Thay đổi", "Changes"), Title: l.vi("Bảng 1. Số liệu đã thay đổi", "Table 1. Figures that changed"), Columns: []doc.Column{
			col(l.vi("Số liệu", "Figure"), doc.Left, 46, ""),
			col(l.vi("Xã, phường", "Ward"), doc.Left, 22, ""),
			col(l.t("Phiên bản %d", "Version %d", ch.PrevVersion), doc.Right, 16, fmtInt),
			col(l.t("Phiên bản %d", "Version %d", version), doc.Right, 16, fmtInt),
		}}
		for _, k := range ch.Counts {
			ward := l.vi("Toàn bộ thí điểm", "The whole pilot")
			if k.Ward != "" {
				ward = l.wardName(d, k.Ward)
			}
			t.Rows = append(t.Rows, []doc.Cell{c.txt(l.named(countNames, k.Key)), c.txt(ward), c.n(k.Before), c.n(k.After)})
		}
		c.add(t)
	}
	for _, m := range ch.Milestones {
		name := m.ID
		for _, ms := range d.Milestones {
			if ms.ID == m.ID {
				name = l.vi(ms.Name, ms.NameEn)
			}
		}
		c.para(l.t("Mốc “%s”: trước là “%s”, nay là “%s”.", "Milestone “%s”: was “%s”, now “%s”.",
			name, l.status(m.Before), l.status(m.After)))
	}
}

// tableNumber is a table's number in its title: "Bảng 3. ".
var tableNumber = regexp.MustCompile(`^(Bảng|Table) \d+\. `)

// numberTables numbers the document's tables in the order they come, each
// title's "Bảng N." or "Table N.": a section added before others moves their
// numbers, never doubles them.
func (c *composer) numberTables() {
	n := 0
	for _, b := range c.doc.Blocks {
		t, ok := b.(*doc.Table)
		if !ok {
			continue
		}
		if m := tableNumber.FindStringSubmatch(t.Title); m != nil {
			n++
			t.Title = m[1] + " " + strconv.Itoa(n) + ". " + t.Title[len(m[0]):]
		}
	}
}
