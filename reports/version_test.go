package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap/reports/doc"
)

// TestChange compares March with a previous version that had fewer files:
// the counts that moved, the milestone whose status changed, the files that
// came since (not those of later months or rounds) and those replaced.
func TestChange(t *testing.T) {
	cfg := testConfig(t)
	d := march()
	at := func(s string) time.Time { return day(s).Add(9 * time.Hour) }
	d.Inputs = []InputFile{
		{Name: "dang_ky.xlsx", Ward: "a", Dataset: "citizens", Period: "2020-11", SHA256: "1", Received: at("2020-11-20")},
		{Name: "giua_ky_sua.xlsx", Ward: "b", Dataset: "citizen_assessments", Period: "mid", SHA256: "3", Received: at("2021-04-09")},
		{Name: "hoat_dong_T04.xlsx", Ward: "a", Dataset: "activities", Period: "2021-04", SHA256: "4", Received: at("2021-05-03")},
		{Name: "cuoi_ky.xlsx", Ward: "a", Dataset: "citizen_assessments", Period: "final", SHA256: "5", Received: at("2021-06-20")},
	}
	prev := &Manifest{Version: 1, AsOf: day("2021-04-08"), Inputs: []InputFile{d.Inputs[0],
		{Name: "giua_ky.xlsx", Ward: "b", Dataset: "citizen_assessments", Period: "mid", SHA256: "2", Received: at("2021-03-29")}}}
	was := march()
	was.Progress[1].Eligible, was.Progress[3].Eligible = 8, 0
	was.Milestones[1].Status = "late"
	d.Milestones[1].Status = "done"
	prev.Figures = was.figures()

	c := d.change(prev, cfg)
	if len(c.Added) != 1 || c.Added[0].Name != "giua_ky_sua.xlsx" {
		t.Errorf("added %+v, want the fixed mid-term file only (not April's activities nor the final round)", c.Added)
	}
	if len(c.Dropped) != 1 || c.Dropped[0].Name != "giua_ky.xlsx" {
		t.Errorf("dropped %+v, want the file it replaced", c.Dropped)
	}
	want := []CountChange{{countEligible, "", 8, 10}, {countEligible, "b", 0, 1}}
	if len(c.Counts) != len(want) {
		t.Fatalf("counts %+v, want %+v", c.Counts, want)
	}
	for i := range want {
		if c.Counts[i] != want[i] {
			t.Errorf("count %d: %+v, want %+v", i, c.Counts[i], want[i])
		}
	}
	if len(c.Milestones) != 1 || c.Milestones[0] != (MilestoneChange{"m2", "late", "done"}) {
		t.Errorf("milestones %+v", c.Milestones)
	}

	// The section comes first and numbers the others after it; its tables
	// are the first ones.
	d.Change, d.AsOf = c, day("2021-04-10")
	document, err := Compose(cfg, d, "vi")
	if err != nil {
		t.Fatal(err)
	}
	var heads, tables []string
	for _, b := range document.Blocks {
		switch x := b.(type) {
		case *doc.Heading:
			if x.Level == 1 {
				heads = append(heads, x.Text)
			}
		case *doc.Table:
			tables = append(tables, x.Title)
		}
	}
	if len(heads) < 3 || heads[0] != "I. NHỮNG ĐIỂM THAY ĐỔI SO VỚI PHIÊN BẢN 1" || heads[1] != "II. SỐ LIỆU CHÍNH" || !strings.HasPrefix(heads[2], "III. ") {
		t.Errorf("headings %q", heads)
	}
	if len(tables) < 4 || tables[0] != "Bảng 1. Các tệp nhận sau phiên bản trước" || tables[1] != "Bảng 2. Các tệp đã được thay thế" ||
		tables[2] != "Bảng 3. Số liệu đã thay đổi" || !strings.HasPrefix(tables[3], "Bảng 4. ") {
		t.Errorf("tables %q", tables)
	}
	s := text(document)
	for _, w := range []string{"Báo cáo này là phiên bản 2, thay thế phiên bản 1 (số liệu nhận đến ngày 07/04/2021).",
		"giua_ky_sua.xlsx\tphiếu đánh giá cá nhân\t09/04/2021", "Người đủ điều kiện đề nghị công nhận\tToàn bộ thí điểm\t8\t10",
		"Mốc “Đánh giá giữa kỳ xong”: trước là “Quá hạn”, nay là “Đã xong”."} {
		if !strings.Contains(s, w) {
			t.Errorf("the change section lacks %q:\n%s", w, s)
		}
	}
	if document.Header.PlaceDate != "Sa Đéc, ngày 10 tháng 4 năm 2021" || !strings.Contains(s, "Số liệu đến hết ngày 31/03/2021, nhận đến ngày 09/04/2021") {
		t.Errorf("dated %q; the data's line lacks the day received by", document.Header.PlaceDate)
	}
}

// TestGoalsInForce: a goal whose document was issued after the month is no
// target of its report: it is listed among the references with its document,
// has no row, chart or status among the goals, and the narrative does not
// count it; a goal without three months of data says it has too few to project.
func TestGoalsInForce(t *testing.T) {
	d := march()
	later := day("2022-06-03")
	d.Goals = append(d.Goals, Goal{ID: "g2", Name: "Người lớn đạt danh hiệu (40% đến 2025)", Denominator: "population", Target: 0.4, Deadline: "2025-12",
		Source: "QĐ 677/QĐ-TTg ngày 03/06/2022", SourceDate: &later, Scope: "người lớn trong các gia đình học tập",
		Course: []GoalMonth{{Month: "2021-03", Actual: ptr(0.0005), Path: ptr(0.05), Status: "reference"}}})
	d.Goals[0].Course[1].Projected = nil
	document, err := Compose(testConfig(t), d, "vi")
	if err != nil {
		t.Fatal(err)
	}
	var goals, refs *doc.Table
	charts := 0
	for _, b := range document.Blocks {
		switch x := b.(type) {
		case *doc.Table:
			switch {
			case strings.HasSuffix(x.Title, "Các mục tiêu"):
				goals = x
			case strings.Contains(x.Title, "tham khảo"):
				refs = x
			}
		case *doc.Chart:
			if strings.Contains(x.ID, "muc-tieu-g2") {
				charts++
			}
		}
	}
	if goals == nil || len(goals.Rows) != 1 || goals.Rows[0][6].Text != "chưa đủ số liệu" || goals.Rows[0][1].Text != "số người đăng ký" {
		t.Fatalf("goals table %+v", goals)
	}
	if refs == nil || len(refs.Rows) != 1 || refs.Rows[0][4].Text != "QĐ 677/QĐ-TTg ngày 03/06/2022" || refs.Rows[0][3].Text != "người lớn trong các gia đình học tập" {
		t.Fatalf("references table %+v", refs)
	}
	if charts != 0 {
		t.Errorf("%d charts of the reference goal", charts)
	}
	if s := text(document); !strings.Contains(s, "Các mục tiêu đang áp dụng (1): 1 đúng tiến độ.") {
		t.Errorf("the narrative counts the reference goal:\n%s", s)
	}
}

// TestActions: the section of shortcomings and proposals names the people
// one indicator short with the indicator, the indicator holding a group back
// with the class proposed, the ward that owes a file and the day to send it
// by; in the programme's last month it compares the rounds and proposes
// recognition for the eligible whom no decision names.
func TestActions(t *testing.T) {
	cfg := testConfig(t)
	d := march()
	d.Short = []Short{{Ward: "b", ID: "B-007", Name: "Châu Hoàng Tuấn", Total: 81.5, Indicator: 6, IndName: "Sử dụng ngoại ngữ", Score: 4.5}}
	d.Owed = []Submission{{Ward: "b", Dataset: "citizen_assessments", Round: "mid", Due: day("2021-03-31"), Status: "refused",
		Refused: []RefusedFile{{Ward: "b", Name: "Danh_gia.xlsx", SentOn: day("2021-03-29"), Problems: 3}}}}
	document, err := Compose(cfg, d, "vi")
	if err != nil {
		t.Fatal(err)
	}
	s := text(document)
	for _, w := range []string{
		"Châu Hoàng Tuấn\tB-007\tTân Quy Đông\t81,5\t6. Sử dụng ngoại ngữ\t4,5",
		"Nhóm Nông dân: chỉ số 2 (Ngoại ngữ) có 4/12 người dưới 5 điểm; đề xuất",
		"Các xã, phường cần gửi (hoặc gửi lại) trước hết ngày 07/05/2021 để kịp đưa vào báo cáo tháng 04/2021:",
		"phường Tân Quy Đông: phiếu đánh giá cá nhân, đợt Giữa kỳ (hạn 31/03/2021) — tệp “Danh_gia.xlsx” gửi ngày 29/03/2021 bị trả lại vì 3 lỗi",
	} {
		if !strings.Contains(s, w) {
			t.Errorf("the section lacks %q:\n%s", w, s)
		}
	}
	if strings.Contains(s, "Kết quả qua các đợt khảo sát") {
		t.Error("March compares the rounds: only the programme's last month does")
	}

	d = march()
	d.Month, d.Prev = "2021-07", "2021-06"
	for i := range d.Progress {
		d.Progress[i].Month = map[string]string{"2021-03": "2021-07", "2021-02": "2021-06"}[d.Progress[i].Month]
	}
	d.Rounds = []RoundResult{{Round: "baseline", Name: "Khảo sát thực trạng", Assessed: 20, Eligible: 2, Mean: 68.5}, {Round: "final", Name: "Cuối kỳ", Assessed: 20, Eligible: 10, Mean: 81}}
	d.Annex = append(d.Annex, Holder{Ward: "b", ID: "B-002", Name: "Ngô Thị Anh", Decision: "125/QĐ-UBND"})
	document, err = Compose(cfg, d, "vi")
	if err != nil {
		t.Fatal(err)
	}
	s = text(document)
	for _, w := range []string{"Khảo sát thực trạng\t20\t2\t10%\t68,5", "Cuối kỳ\t20\t10\t50%\t81,0",
		"Đề nghị UBND thành phố Sa Đéc xem xét, công nhận danh hiệu Công dân học tập cho 1 người đủ điều kiện chưa có quyết định công nhận: Nguyễn Thị Ánh (Tân Phú Đông)."} {
		if !strings.Contains(s, w) {
			t.Errorf("July's section lacks %q:\n%s", w, s)
		}
	}
}

// TestMemberShareReference: a report of a month before the document that asks
// for a share of a unit's members with the title shows that share for
// reference only and marks no unit short of it.
func TestMemberShareReference(t *testing.T) {
	cfg := testConfig(t)
	document, err := Compose(cfg, march(), "vi")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range document.Blocks {
		tb, ok := b.(*doc.Table)
		if !ok || !strings.Contains(tb.Title, "Kết quả tự đánh giá của các đơn vị") {
			continue
		}
		if !strings.Contains(tb.Note, "ban hành ngày 11/12/2023, sau kỳ báo cáo: chỉ để tham khảo") {
			t.Errorf("the units' note: %s", tb.Note)
		}
		for _, r := range tb.Rows {
			if last := r[len(r)-1]; last.Mark == doc.Bad {
				t.Errorf("a unit is marked short of a share no document asked for yet: %+v", r)
			}
		}
		return
	}
	t.Fatal("no units' table")
}
