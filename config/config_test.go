package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPipelineYAML(t *testing.T) {
	cfg, err := LoadFile("../pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The pilot's facts (DOMAIN.md).
	if len(cfg.Wards) != 3 || len(cfg.Units) != 9 || len(cfg.Groups) != 3 {
		t.Errorf("wards/units/groups = %d/%d/%d, want 3/9/3", len(cfg.Wards), len(cfg.Units), len(cfg.Groups))
	}
	perWard := map[string]int{}
	for _, u := range cfg.Units {
		perWard[u.Ward]++
	}
	for _, w := range cfg.Wards {
		if perWard[w.Code] != 3 {
			t.Errorf("ward %s has %d units, want 3", w.Code, perWard[w.Code])
		}
	}
	f := cfg.Citizen
	if f.PassTotal != 80 || f.MinPerIndicator != 5 || f.IndicatorMax != 10 || len(f.Indicators) != 10 {
		t.Errorf("framework = pass %v, min %v, max %v, %d indicators; want 80, 5, 10, 10", f.PassTotal, f.MinPerIndicator, f.IndicatorMax, len(f.Indicators))
	}
	split := map[string]int{}
	for _, ind := range f.Indicators {
		split[ind.Criterion]++
		if len(ind.Wording) != 3 {
			t.Errorf("indicator %d has %d wordings, want one per target group", ind.Number, len(ind.Wording))
		}
	}
	if split["TC1"] != 4 || split["TC2"] != 4 || split["TC3"] != 2 {
		t.Errorf("indicators per criterion = %v, want 4 + 4 + 2", split)
	}
	total := 0.0
	for _, it := range cfg.UnitScheme.Items {
		total += it.Max
	}
	if total != 100 || len(cfg.UnitScheme.Items) != 10 {
		t.Errorf("unit scheme: %d items worth %v, want 10 worth 100", len(cfg.UnitScheme.Items), total)
	}
	wantGrades := []float64{85, 70, 50, 0}
	for i, g := range cfg.UnitScheme.Grades {
		if g.Min != wantGrades[i] {
			t.Errorf("grade %s min %v, want %v", g.Code, g.Min, wantGrades[i])
		}
	}
	if cfg.Programme.Start.String() != "2020-11-01" || cfg.Programme.End.String() != "2021-07-31" {
		t.Errorf("programme = %s..%s", cfg.Programme.Start, cfg.Programme.End)
	}
	if cfg.Location == nil || cfg.Location.String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("location = %v", cfg.Location)
	}
	if !filepath.IsAbs(cfg.Paths.Database) || filepath.Dir(filepath.Dir(cfg.Paths.Database)) != filepath.Dir(cfg.File) {
		t.Errorf("database path %q is not resolved against %q", cfg.Paths.Database, cfg.File)
	}
	if cfg.Schedule.Report.At.String() != "07:00" || cfg.Schedule.Ingest.Every.Duration != 10*time.Minute {
		t.Errorf("schedule = report %s, ingest every %s", cfg.Schedule.Report.At, cfg.Schedule.Ingest.Every)
	}
	for _, g := range cfg.Goals {
		if g.Source == "" {
			t.Errorf("goal %s has no source", g.ID)
		}
	}
}

func TestMinimalGood(t *testing.T) {
	cfg, err := LoadFile("testdata/minimal.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	// Defaults fill what the file leaves out.
	if cfg.City.TimeZone != "Asia/Ho_Chi_Minh" || cfg.Citizen.IndicatorMax != 10 || cfg.Citizen.ScoreBasis != BasisReviewedIfPresent {
		t.Errorf("defaults not applied: tz %q, max %v, basis %q", cfg.City.TimeZone, cfg.Citizen.IndicatorMax, cfg.Citizen.ScoreBasis)
	}
	if len(cfg.Rounds) != 3 || cfg.Goals[0].Path != "linear" || cfg.Server.Listen != "127.0.0.1:8080" {
		t.Errorf("defaults not applied: %d rounds, path %q, listen %q", len(cfg.Rounds), cfg.Goals[0].Path, cfg.Server.Listen)
	}
	s := cfg.Submissions[0]
	if s.From.String() != "2021-01" || s.To.String() != "2021-06" {
		t.Errorf("monthly submission spans %s..%s, want the programme's months", s.From, s.To)
	}
}

// Every bad file reports every one of its problems, each at its line and path.
func TestBadConfigs(t *testing.T) {
	cases := []struct {
		file string
		want []string // "line: path: message fragment"
	}{
		{"unknown_key.bad.yml", []string{
			`16: wards[0].popluation: unknown key "popluation": did you mean "population"?`,
			`56: schedul: unknown key "schedul": did you mean "schedule"?`,
		}},
		{"bad_types.bad.yml", []string{
			`10: programme.start: "2021-13-01" is not a date: expected YYYY-MM-DD`,
			`16: wards[0].population.total: "many" is not a whole number`,
			`57: schedule.ingest.every: "ten minutes" is not a duration`,
		}},
		{"goals.bad.yml", []string{
			`47: goals[0].denominator: "population": units_recognised_share is a rate of units`,
			`48: goals[0].target: 80: a rate's target is a share from 0 to 1`,
			`51: goals[0].unesco[0]: "happiness" is not an area of UNESCO's Key Features`,
			`54: goals[1].metric: "citizen_recognised" is not a metric the SQL models produce`,
		}},
		{"timeline.bad.yml", []string{
			`55: timeline.milestones[0].phase: "survey" is not a phase`,
			`55: timeline.milestones[0].due: 2021-09-01 is outside the programme, 2021-01-01 to 2021-06-30`,
			`55: timeline.milestones[0].done_when.round: "midterm" is not a round`,
		}},
		{"unit_ward.bad.yml", []string{
			`18: units[0].ward: "tan-khanh-tay" is not a ward code of this file: expected one of tan-khanh-dong`,
			`18: units[0].members: 0 members`,
			`59: server.log_format: "yaml": expected text or json`,
		}},
		{"thresholds.bad.yml", []string{
			`22: citizen_framework.pass_total: 120 is out of range: expected above 0 and at most 30`,
			`23: citizen_framework.min_per_indicator: 11 is out of range`,
			`34: unit_framework.criteria[0].max: criterion TC1 has max 100 but its items add up to 90`,
			`40: unit_framework.grades[1].min: 85: grades are listed from the highest minimum down`,
		}},
		{"server.bad.yml", []string{
			`59: database.max_result_size: 100000 bytes: expected at least 1MB`,
			`60: database.query_memory_limit: "100KB": expected a size of at least 1MB`,
			`61: database.query_workers: -1: expected at least 1`,
			`63: server.write_timeout: 1m0s: expected more than database.query_timeout (2m0s)`,
			`64: server.tls_cert: tls_cert and tls_key go together`,
			`67: server.auth.users[0].wards[0]: "tan-khanh-tay" is not a ward code of this file: expected one of tan-khanh-dong`,
			`67: server.auth.users[0].wards[2]: "tan-khanh-dong" is listed twice`,
			`68: server.auth.users[1].wards: an empty list`,
		}},
		{"delivery.bad.yml", []string{
			`60: delivery.smtp.security: none sends the password and the reports unencrypted: only to a mail server on this machine`,
			`62: delivery.smtp.password: a password is never written in pipeline.yaml`,
			`63: delivery.from.email: "Hội Khuyến học <bao-cao@example.vn>": expected an email address alone`,
			`64: delivery.public_url: "ftp://hoctap.example.vn": expected the web app's address`,
			`66: delivery.committee[0].name: "Ban\r\nBcc: ke-gian@example.com" holds a control character`,
			`66: delivery.committee[0].lang: "fr": expected vi or en`,
			`68: delivery.wards[0].ward: "tan-khanh-tay" is not a ward code of this file`,
			`68: delivery.wards[0].email: "not an address": expected an email address alone`,
			`70: delivery.webhooks[0].url: "http://hooks.example.vn/hoctap": plain http only to this machine`,
			`70: delivery.webhooks[0].secret: a secret is never written in pipeline.yaml`,
			`70: delivery.webhooks[0].events[0]: "report_sent": expected report_published or reminder_due`,
			`71: delivery.retry.attempts: -1: expected at least 1`,
			`71: delivery.retry.max_backoff: 30s: expected at least retry.backoff, 1m0s`,
		}},
		{"frameworks.bad.yml", []string{
			`61: frameworks[0].holder: "clan": gia_dinh is held by a household`,
			`63: frameworks[0].population[0].ward: "tan-khanh-tay" is not a ward code of this file: expected one of tan-khanh-dong`,
			`70: frameworks[0].versions[0].criteria[0].threshold: 60 is out of range: expected 0 to max 50 (criterion TC1)`,
			`71: frameworks[0].versions[0].criteria[1].name: required: criterion TC2 has no Vietnamese name`,
			`72: frameworks[0].versions[0].criteria[2].kind: "maybe": expected yes_no or points`,
			`73: frameworks[0].versions[0].pass.min_total: 120 is out of range: expected 0 to 100, what the points criteria add up to`,
			`76: frameworks[0].versions[1].valid_from: 2021-04-01 overlaps versions[0] (2016-01-01 to 2021-06-30): two versions in force on the same day`,
			`78: frameworks[0].versions[1].criteria[0].kind: a yes_no criterion has no max or threshold (criterion TC1)`,
			`78: frameworks[0].versions[1].criteria[0].kind: "yes_no": criterion TC1 is points in an earlier version; a new kind needs a new code`,
			`79: frameworks[0].versions[1].pass: the rule passes every assessment: set min_total, all_criteria or both`,
			`80: frameworks[1].code: "ho_hang" is not a title of the programme: expected one of gia_dinh, dong_ho, cong_dong, don_vi, cong_dan`,
			`84: frameworks[1].versions: at least one version of the criteria is required`,
		}},
		{"syntax.bad.yml", []string{`18: found character that cannot start any token`}},
		{"empty.bad.yml", []string{`the file is empty`}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			_, err := LoadFile(filepath.Join("testdata", tc.file))
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("err = %v, want a *config.Error", err)
			}
			if len(cerr.Problems) != len(tc.want) {
				t.Errorf("%d problems, want %d:\n%v", len(cerr.Problems), len(tc.want), err)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, "testdata/"+tc.file+":"+w) && !strings.Contains(msg, w) {
					t.Errorf("missing %q in:\n%s", w, msg)
				}
				if line, _, ok := strings.Cut(w, ": "); ok && line[0] >= '0' && line[0] <= '9' && !strings.Contains(msg, tc.file+":"+w) {
					t.Errorf("problem %q not reported at its line in:\n%s", w, msg)
				}
			}
		})
	}
}

// The delivery section: defaults by the security mode, names and languages
// from the city, files resolved against the configuration's folder, and
// nothing to deliver in the default pipeline.yaml until someone is listed.
func TestDeliveryGood(t *testing.T) {
	cfg, err := LoadFile("testdata/delivery.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Delivery
	dir := filepath.Dir(cfg.File)
	if !d.Enabled() || !d.Email() || d.SMTP.Port != 465 || d.SMTP.Timeout.Duration != 30*time.Second {
		t.Errorf("smtp: enabled %v, port %d, timeout %s; want on, 465 for tls, 30s", d.Enabled(), d.SMTP.Port, d.SMTP.Timeout)
	}
	if d.SMTP.PasswordFile != filepath.Join(dir, "secrets/smtp-password") || d.SMTP.CAFile != filepath.Join(dir, "secrets/ca.pem") {
		t.Errorf("files not resolved against %s: %q, %q", dir, d.SMTP.PasswordFile, d.SMTP.CAFile)
	}
	if d.From.Name != cfg.City.Organisation || d.PublicURL != "https://hoctap.example.vn" || d.MaxMessageSize != 5_000_000 {
		t.Errorf("from %q, public_url %q, max %d", d.From.Name, d.PublicURL, d.MaxMessageSize)
	}
	if d.Committee[0].Lang != "vi" || d.Wards[0].Lang != "en" || On(d.Wards[0].Report) || !On(d.Wards[0].Reminders) {
		t.Errorf("recipients: %+v %+v", d.Committee[0], d.Wards[0])
	}
	if r := d.Retry; r.Attempts != 8 || r.Backoff.Duration != 5*time.Minute || r.MaxBackoff.Duration != 6*time.Hour {
		t.Errorf("retry defaults: %+v", r)
	}
	if w := d.Webhooks[0]; w.Wants(EventReportPublished) || !w.Wants(EventReminderDue) || w.Timeout.Duration != 10*time.Second {
		t.Errorf("webhook: %+v", w)
	}
	if cfg.Schedule.Deliver.Every.Duration != time.Minute {
		t.Errorf("schedule.deliver.every = %s, want 1m", cfg.Schedule.Deliver.Every)
	}
	def, err := LoadFile("../pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if def.Delivery.Enabled() {
		t.Error("the default pipeline.yaml delivers to someone")
	}
	for in, want := range map[string]ByteSize{"10MB": 10_000_000, "10MiB": 10 << 20, "512 KB": 512_000, "1048576": 1 << 20, "1.5MB": 1_500_000} {
		if got, err := ParseByteSize(in); err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ParseByteSize("ten MB"); err == nil {
		t.Error(`"ten MB" accepted as a size`)
	}
}

func TestParseBytesNoFolder(t *testing.T) {
	data, err := os.ReadFile("../pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse(data, "")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Paths.Database != "data/hoctap.duckdb" {
		t.Errorf("paths of a config without a folder stay relative, got %q", cfg.Paths.Database)
	}
}

func TestWardByName(t *testing.T) {
	cfg, err := LoadFile("../pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ in, want string }{
		{"Tân Quy Đông", "tan-quy-dong"},
		{"Tân Qui Đông", "tan-quy-dong"},
		{"P. Tân Quy Đông", "tan-quy-dong"},
		{"TAN QUY DONG", "tan-quy-dong"},
		{"phường Tân Quy Đông ", "tan-quy-dong"},
		{"Ta\u0302n Quy \u0110o\u0302ng", "tan-quy-dong"}, // decomposed (NFD) marks
		{"Xã Tân Phú Đông", "tan-phu-dong"},
		{"X.Tân Qui Tây", "tan-quy-tay"},
		{"tan-quy-tay", "tan-quy-tay"},
		{"29920", "tan-quy-tay"}, // its official code: a folder or a cell may name it so
		{"28696", ""},            // another unit's code
		{"Tân Khánh Đông", ""},   // a real commune, not in this programme: refused, not guessed
		{"Tân Quy", ""},
		{"", ""},
	}
	for _, tc := range cases {
		w, ok := cfg.WardByName(tc.in)
		if got := w.Code; got != tc.want || ok != (tc.want != "") {
			t.Errorf("WardByName(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	for in, want := range map[string]int{"1": 1, "Nông dân": 1, "CÔNG NHÂN": 2, "can-bo": 3, "Cán bộ, công chức, viên chức từ cấp xã trở lên": 3} {
		if g, ok := cfg.GroupByName(in); !ok || g.ID != want {
			t.Errorf("GroupByName(%q) = %d, %v; want %d", in, g.ID, ok, want)
		}
	}
	for in, want := range map[string]string{"Khảo sát thực trạng": "baseline", "giữa kì": "mid", "Cuối kỳ": "final", "final": "final"} {
		if r, ok := cfg.RoundByName(in); !ok || r.Code != want {
			t.Errorf("RoundByName(%q) = %q, %v; want %q", in, r.Code, ok, want)
		}
	}
	if _, ok := cfg.GroupByName("4"); ok {
		t.Error("group 4 is not configured but was found")
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Mã công dân":       "ma cong dan",
		"  Họ và   tên ":    "ho va ten",
		"ĐỢT":               "dot",
		"Chỉ số 10":         "chi so 10",
		"Số người_tham-dự.": "so nguoi tham du",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMonths(t *testing.T) {
	a, _ := ParseMonth("2020-11")
	b, _ := ParseMonth("2021-07")
	ms := Months(a, b)
	if len(ms) != 9 || ms[0].String() != "2020-11" || ms[8].String() != "2021-07" {
		t.Errorf("Months = %v", ms)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	end := a.End(loc)
	if end.Format(time.RFC3339) != "2020-12-01T00:00:00+07:00" {
		t.Errorf("end of 2020-11 = %s", end.Format(time.RFC3339))
	}
	if a.LastDay().String() != "2020-11-30" {
		t.Errorf("last day = %s", a.LastDay())
	}
	if _, err := ParseClock("7:5"); err == nil {
		t.Error("7:5 accepted as a time of day")
	}
}

// The ward logins' snapshots: one per distinct set of wards, whatever the
// order or repetition a login lists them in; committee logins have none.
func TestWardSets(t *testing.T) {
	a := Auth{Users: []User{{Name: "a", Wards: []string{"y", "x"}}, {Name: "b"}, {Name: "c", Wards: []string{"x", "y", "x"}}, {Name: "d", Wards: []string{"x"}}}}
	got := a.WardSets()
	if len(got) != 2 || strings.Join(got[0], ",") != "x" || strings.Join(got[1], ",") != "x,y" {
		t.Errorf("WardSets = %v, want [[x] [x y]]", got)
	}
	p := Paths{Snapshot: filepath.Join("data", "published", "hoctap.duckdb")}
	if s := p.WardSnapshot([]string{"y", "x"}); s != filepath.Join("data", "published", "wards", "x+y.duckdb") || s != p.WardSnapshot([]string{"x", "y", "y"}) {
		t.Errorf("WardSnapshot = %s", s)
	}
	long := make([]string, 20)
	for i := range long {
		long[i] = fmt.Sprintf("phuong-so-%02d", i)
	}
	if s := filepath.Base(p.WardSnapshot(long)); !strings.HasPrefix(s, "wards-") || len(s) > 60 {
		t.Errorf("a long list's snapshot is %s", s)
	}
}

// TestReportEnglishForms: the English recipients go one for one with the
// Vietnamese; the report settings outside their ranges are refused.
func TestReportEnglishForms(t *testing.T) {
	data, err := os.ReadFile("../pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), "    - Standing Board, Dong Thap Province Study Encouragement Association\n", "", 1)
	bad = strings.Replace(bad, "close_within: 10", "close_within: -1", 1)
	_, err = Parse([]byte(bad), "pipeline.yaml")
	for _, want := range []string{"report.recipients_en: 4 lines for the 5 recipients", "report.close_within: -1: expected 0 to the pass total (80)"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v: want %q", err, want)
		}
	}
}

// A family title with two dated versions: the file's columns are the criteria
// of both, each once, with the larger max; the pipeline's own has its sources.
func TestFrameworksGood(t *testing.T) {
	cfg, err := LoadFile("testdata/frameworks.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	f, ok := cfg.Framework(FrameworkFamily)
	if !ok || len(f.Versions) != 2 {
		t.Fatalf("framework = %+v, %v", f, ok)
	}
	var got []string
	for _, cr := range f.Criteria() {
		got = append(got, fmt.Sprintf("%s %s %v", cr.Code, cr.Kind, cr.Max))
	}
	if want := "TC1 points 60, TC3 yes_no 0, TC2 points 50"; strings.Join(got, ", ") != want {
		t.Errorf("criteria = %s, want %s", strings.Join(got, ", "), want)
	}
	d, ok := cfg.Dataset(DatasetFamilyAssessments)
	if !ok {
		t.Fatal("no family_assessments dataset")
	}
	if c, ok := d.Column(CriterionKey("TC3")); !ok || c.Type != TypeYesNo || c.Required {
		t.Errorf("TC3 column = %+v, %v; want an optional yes/no", c, ok)
	}
	// Without the family title there is no family file to read.
	min, err := LoadFile("testdata/minimal.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := min.Dataset(DatasetFamilyAssessments); ok {
		t.Error("family_assessments without frameworks: gia_dinh")
	}
	for _, d := range min.Datasets() {
		if d.Name == "" {
			t.Error("Datasets() holds an empty dataset")
		}
	}
	pipe, err := LoadFile("../pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pf, ok := pipe.Framework(FrameworkFamily)
	if !ok || len(pf.Population) != len(pipe.Wards) || pf.Target == nil || pf.Target.Share != 0.70 {
		t.Fatalf("pipeline.yaml's family title = %+v", pf)
	}
	for _, v := range pf.Versions {
		if v.Source == "" || v.MaxTotal() != 100 {
			t.Errorf("version %s: source %q, max total %v", v.Code, v.Source, v.MaxTotal())
		}
	}
}

// A submission of the family file without the family title: no file could answer it.
func TestFamilySubmissionNeedsTitle(t *testing.T) {
	b, err := os.ReadFile("testdata/minimal.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "submissions:\n", "submissions:\n  - {dataset: family_assessments, due: 2021-06-30}\n", 1)
	if s == string(b) {
		t.Fatal("minimal.good.yml has no submissions: section")
	}
	_, err = Parse([]byte(s), "")
	if err == nil || !strings.Contains(err.Error(), `submissions[0].dataset: "family_assessments" needs the family title`) {
		t.Errorf("err = %v", err)
	}
}

// A duration the file gives is kept, 0s included; only one it leaves out
// takes the default. settle_time: 0s takes files at once (they are moved
// into the inbox whole); a written 0s where a duration must be positive is
// refused by its name, not quietly replaced by the default.
func TestWrittenDurations(t *testing.T) {
	base, err := os.ReadFile("../pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	with := func(old, new string) string {
		t.Helper()
		if !strings.Contains(string(base), old) {
			t.Fatalf("pipeline.yaml has no %q", old)
		}
		return strings.Replace(string(base), old, new, 1)
	}
	cfg, err := Parse([]byte(with("  settle_time: 5s\n", "  settle_time: 0s\n")), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Ingest.SettleTime.Duration; got != 0 {
		t.Errorf("settle_time: 0s gives %s, want 0s", got)
	}
	cfg, err = Parse([]byte(with("  settle_time: 5s\n", "")), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Ingest.SettleTime.Duration; got != 5*time.Second {
		t.Errorf("no settle_time gives %s, want the default 5s", got)
	}
	_, err = Parse([]byte(with("  query_timeout: 30s\n", "  query_timeout: 0s\n")), "")
	if err == nil || !strings.Contains(err.Error(), "database.query_timeout: 0s: expected at least 1s") {
		t.Errorf("query_timeout: 0s: %v, want it refused by name", err)
	}
}
