// Package config owns pipeline.yaml: the one file in which a city describes its
// learning-citizen programme (wards, units, target groups, the criteria and their
// thresholds, goals, the pilot's timeline, the submission calendar, paths,
// schedule, server and who receives what it sends).
//
// Load decodes it strictly: unknown keys are refused with their line, defaults are
// applied, every section is validated, cross-references are checked and relative
// paths are resolved against the file's folder. All problems are returned at once
// as one *Error listing "file:line: path: message".
//
// The package only describes; it opens no database, reads no ward file and never
// reads the clock.
package config

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Config is a whole pipeline.yaml.
type Config struct {
	Version   int           `yaml:"version"`
	City      City          `yaml:"city"`
	Programme Programme     `yaml:"programme"`
	Wards     []Ward        `yaml:"wards"`
	Units     []Unit        `yaml:"units"`
	Groups    []TargetGroup `yaml:"target_groups"`
	Rounds    []Round       `yaml:"rounds"`
	// UnitTypes and ActivityKinds are the lists a unit's type and an
	// activity's kind are read against.
	UnitTypes     []Category       `yaml:"unit_types"`
	ActivityKinds []Category       `yaml:"activity_kinds"`
	Citizen       CitizenFramework `yaml:"citizen_framework"`
	UnitScheme    UnitScheme       `yaml:"unit_framework"`
	// Frameworks are the other titles of the programme (Gia đình học tập…),
	// each with its dated versions of criteria (frameworks.go).
	Frameworks  []TitleFramework `yaml:"frameworks"`
	Recognition Recognition      `yaml:"recognition"`
	GoalStatus  GoalStatusRule   `yaml:"goal_status"`
	Goals       []Goal           `yaml:"goals"`
	Timeline    Timeline         `yaml:"timeline"`
	Submissions []Submission     `yaml:"submissions"`
	Ingest      Ingest           `yaml:"ingest"`
	Paths       Paths            `yaml:"paths"`
	Database    Database         `yaml:"database"`
	Report      Report           `yaml:"report"`
	Schedule    Schedule         `yaml:"schedule"`
	Server      Server           `yaml:"server"`
	Delivery    Delivery         `yaml:"delivery"`
	Geography   Geography        `yaml:"geography"`
	Exchange    Exchange         `yaml:"exchange"`

	// File is the absolute path the configuration was loaded from ("" when it
	// came from bytes without a folder).
	File string `yaml:"-"`
	// Location is City.TimeZone, loaded.
	Location *time.Location `yaml:"-"`

	ix *indexes
}

// City is the place that runs the programme and signs the reports.
type City struct {
	Name     string `yaml:"name"`     // "Sa Đéc"
	Kind     string `yaml:"kind"`     // "thành phố"
	Province string `yaml:"province"` // "Đồng Tháp"
	// Place is the place name of the date line: "Sa Đéc, ngày 01 tháng 4 năm 2021".
	Place string `yaml:"place"`
	// ParentOrganisation and Organisation form the issuing-body block of a report.
	ParentOrganisation string `yaml:"parent_organisation"`
	Organisation       string `yaml:"organisation"`
	OrganisationEN     string `yaml:"organisation_en"`
	// DocumentCode is the suffix of the document number: "Số: 05/BC-HKH".
	DocumentCode string `yaml:"document_code"`
	TimeZone     string `yaml:"time_zone"`
	Language     string `yaml:"language"` // vi | en
	// GNLCMemberSince is the day the city joined UNESCO's Global Network of Learning Cities.
	GNLCMemberSince Date `yaml:"gnlc_member_since"`
	// OfficialCode is the city's code in the register of administrative units
	// ("867", thành phố Sa Đéc until 30/06/2025); "" when it is not one.
	OfficialCode string `yaml:"official_code"`
}

// Programme is the window the pipeline reports on.
type Programme struct {
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"`
	Start  Date   `yaml:"start"`
	End    Date   `yaml:"end"`
}

// Ward is a ward (phường) or commune (xã) that sends data.
type Ward struct {
	Code string `yaml:"code"` // stable slug: "tan-quy-dong"
	Name string `yaml:"name"` // "Tân Quy Đông"
	// OfficialCode is its code in the register of administrative units
	// (geography.units): "29917".
	OfficialCode string `yaml:"official_code"`
	Kind         string `yaml:"kind"` // xã | phường | thị trấn
	NameEN       string `yaml:"name_en"`
	// Variants are other spellings seen in ward files ("Tân Qui Đông", "P. Tân Quy Đông").
	Variants []string `yaml:"variants"`
	// Population holds the denominators for rates on the whole population.
	Population Population `yaml:"population"`
}

// Population is a ward's population denominators and where they come from.
type Population struct {
	Total  int    `yaml:"total"`
	Adults int    `yaml:"adults"` // aged 15 and over
	Year   int    `yaml:"year"`
	Source string `yaml:"source"`
	// SourceEN names the source in the English report; Source when empty.
	SourceEN string `yaml:"source_en"`
}

// Unit is an organisation registered to strive for "Đơn vị học tập".
type Unit struct {
	Code    string `yaml:"code"`
	Name    string `yaml:"name"`
	Type    string `yaml:"type"` // trường tiểu học, trường mầm non, UBND xã/phường, trạm y tế…
	Ward    string `yaml:"ward"` // a ward code
	Members int    `yaml:"members"`
}

// TargetGroup is a group of citizens with its own wording of the indicators.
type TargetGroup struct {
	ID      int      `yaml:"id"`
	Code    string   `yaml:"code"`
	Name    string   `yaml:"name"`
	NameEN  string   `yaml:"name_en"`
	Aliases []string `yaml:"aliases"`
}

// Round is a survey round (đợt khảo sát) of citizen assessments.
type Round struct {
	Code    string   `yaml:"code"` // baseline | mid | final
	Name    string   `yaml:"name"`
	NameEN  string   `yaml:"name_en"`
	Aliases []string `yaml:"aliases"`
}

// Category is one value of a configured list that ward files name in words:
// a unit type, an activity kind. Files may write its name, its code, an alias
// or an abbreviation; what is loaded is its name.
type Category struct {
	Code    string   `yaml:"code"`
	Name    string   `yaml:"name"`
	NameEN  string   `yaml:"name_en"`
	Aliases []string `yaml:"aliases"`
}

// Score bases: which score counts when an assessment has a self and a reviewed score.
const (
	BasisSelf              = "self"
	BasisReviewed          = "reviewed"
	BasisReviewedIfPresent = "reviewed_if_present"
)

// CitizenFramework is the "Công dân học tập" criteria and the title's thresholds.
type CitizenFramework struct {
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"`
	Source string `yaml:"source"`
	// SourceEN names the source in the English report; Source when empty.
	SourceEN string `yaml:"source_en"`
	// IndicatorMax is the most points one indicator can get (10).
	IndicatorMax float64 `yaml:"indicator_max"`
	// PassTotal is the least total that earns the title (80, inclusive).
	PassTotal float64 `yaml:"pass_total"`
	// MinPerIndicator is the least score every indicator needs (5, inclusive).
	MinPerIndicator float64 `yaml:"min_per_indicator"`
	// ScoreStep is the smallest step a score may take (0: any decimal; 0.5: half points).
	ScoreStep float64 `yaml:"score_step"`
	// ScoreBasis says which score counts: self, reviewed or reviewed_if_present.
	ScoreBasis string      `yaml:"score_basis"`
	Criteria   []Criterion `yaml:"criteria"`
	Indicators []Indicator `yaml:"indicators"`
	// DigitalIndicator is the indicator that stands for "digital skills the job
	// needs", and DigitalMin the score on it that counts as having them. (Every
	// title holder already has at least MinPerIndicator on it.)
	DigitalIndicator int     `yaml:"digital_indicator"`
	DigitalMin       float64 `yaml:"digital_min"`
}

// Criterion is one of the framework's criteria (tiêu chí).
type Criterion struct {
	Code   string `yaml:"code"` // TC1
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"`
}

// Indicator is one scored indicator (chỉ số), with its wording per target group.
type Indicator struct {
	Number    int    `yaml:"number"`
	Criterion string `yaml:"criterion"`
	Name      string `yaml:"name"`
	NameEN    string `yaml:"name_en"`
	// Wording maps a target group's id to the indicator's wording for that group.
	Wording map[int]string `yaml:"wording"`
	// Class is what the reports propose for people held back on it ("mở
	// lớp tin học cơ bản"); "" proposes training on the indicator.
	Class   string `yaml:"class"`
	ClassEN string `yaml:"class_en"`
}

// Unit scheme kinds.
const (
	SchemePoints = "points" // Thông tư 22/2020: items with points, total, grade
	SchemeLevels = "levels" // Thông tư 24/2023: levels
)

// UnitScheme is the "Đơn vị học tập" assessment scheme.
type UnitScheme struct {
	Scheme   string          `yaml:"scheme"`
	Name     string          `yaml:"name"`
	Source   string          `yaml:"source"`
	Criteria []UnitCriterion `yaml:"criteria"`
	Items    []UnitItem      `yaml:"items"`
	Grades   []Grade         `yaml:"grades"`
	// RecognisedFrom is the lowest grade code with which a unit counts as recognised.
	RecognisedFrom string `yaml:"recognised_from"`
	// MemberTitleShare is the share of members holding the individual title that a
	// unit is expected to reach (Thông tư 24/2023, level 1: 0.90).
	MemberTitleShare       float64 `yaml:"member_title_share"`
	MemberTitleShareSource string  `yaml:"member_title_share_source"`
	// MemberTitleShareDate is the day that source was issued: a report of an
	// earlier month shows the share for reference only.
	MemberTitleShareDate Date `yaml:"member_title_share_date"`
}

// UnitCriterion is a criterion of the unit scheme with its maximum.
type UnitCriterion struct {
	Code   string  `yaml:"code"`
	Name   string  `yaml:"name"`
	NameEN string  `yaml:"name_en"`
	Max    float64 `yaml:"max"`
}

// UnitItem is one scored item of the unit scheme.
type UnitItem struct {
	Code      string  `yaml:"code"` // TC1.1
	Criterion string  `yaml:"criterion"`
	Name      string  `yaml:"name"`
	NameEN    string  `yaml:"name_en"`
	Max       float64 `yaml:"max"`
}

// Grade is a band of total points: a unit with Min <= total gets the highest such grade.
type Grade struct {
	Code   string  `yaml:"code"`
	Name   string  `yaml:"name"`
	NameEN string  `yaml:"name_en"`
	Min    float64 `yaml:"min"`
}

// Recognition says who confers the titles. Scores make a person or unit
// eligible (đủ điều kiện đề nghị công nhận); only a decision of recognition
// (the decisions dataset) makes them recognised (đã công nhận).
type Recognition struct {
	// Issuer is the body the programme's plan names to issue the decisions:
	// "UBND thành phố Sa Đéc". The reports propose recognition to it.
	Issuer   string `yaml:"issuer"`
	IssuerEN string `yaml:"issuer_en"`
	// UnitAssessedFrom is the first day of the unit assessment round that
	// can make a unit eligible (the plan's evaluation, not the baseline
	// self-assessment); zero: any self-assessment.
	UnitAssessedFrom Date `yaml:"unit_assessed_from"`
}

// GoalStatusRule turns a goal's actual value against its path into a status.
type GoalStatusRule struct {
	// AtRiskMargin: an actual below the path by at most this share of the
	// path (0.05: 5% of the path's value) is "at risk"; further below is
	// "behind".
	AtRiskMargin float64 `yaml:"at_risk_margin"`
	// TrendMonths is how many recent months the projection's trend uses.
	TrendMonths int `yaml:"trend_months"`
}

// Denominator kinds of a rate.
const (
	DenomRegistered = "registered"
	DenomPopulation = "population"
	DenomMembers    = "members"
	DenomUnits      = "units"
	DenomHolders    = "title_holders"
)

// Goal is a target the city tracks month by month.
type Goal struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"`
	// Metric names a metric the SQL models produce (see Metrics).
	Metric string `yaml:"metric"`
	// Target is the value to reach by Deadline: a share 0–1 for rates.
	Target   float64 `yaml:"target"`
	Deadline Month   `yaml:"deadline"`
	// Denominator says what a rate is taken of.
	Denominator string `yaml:"denominator"`
	// Path is "linear" (from Baseline at the programme start to Target at
	// Deadline) or the points given in Points.
	Path     string            `yaml:"path"`
	Baseline float64           `yaml:"baseline"`
	Points   map[Month]float64 `yaml:"points"`
	Source   string            `yaml:"source"`
	// SourceEN names the source in the English report; Source when empty.
	SourceEN string `yaml:"source_en"`
	// SourceDate is the day the source document was issued: before it the
	// goal is no target of a report, at most a reference. Zero: in force
	// throughout the programme.
	SourceDate Date `yaml:"source_date"`
	// Scope says what the goal's denominator counts ("31 người đăng ký của
	// 3 xã, phường thí điểm"), as the report names it.
	Scope   string `yaml:"scope"`
	ScopeEN string `yaml:"scope_en"`
	// Uncertain marks a target whose figure is not confirmed.
	Uncertain bool `yaml:"uncertain"`
	// UNESCO tags the goal with the Key Features of Learning Cities areas.
	UNESCO []string        `yaml:"unesco"`
	Status *GoalStatusRule `yaml:"status"`
}

// Timeline is the pilot's calendar: phases and milestones.
type Timeline struct {
	Phases     []Phase     `yaml:"phases"`
	Milestones []Milestone `yaml:"milestones"`
}

// Phase is a span of the pilot's work.
type Phase struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"`
	Start  Date   `yaml:"start"`
	End    Date   `yaml:"end"`
}

// Milestone is a dated point of the pilot that is done when a condition on the
// data holds.
type Milestone struct {
	ID       string    `yaml:"id"`
	Name     string    `yaml:"name"`
	NameEN   string    `yaml:"name_en"`
	Phase    string    `yaml:"phase"`
	Due      Date      `yaml:"due"`
	DoneWhen Condition `yaml:"done_when"`
}

// Condition is a completion condition evaluated by the SQL models. Kind is one of
// the Conditions; the other fields are its arguments.
type Condition struct {
	Kind string `yaml:"kind"`
	// Round, for all_registrants_assessed.
	Round string `yaml:"round"`
	// Activity kind, for activity_held.
	Activity string `yaml:"activity"`
	// Count, for citizens_registered / units_registered.
	Count int `yaml:"count"`
	// Share, for citizens_recognised_share (0–1).
	Share float64 `yaml:"share"`
}

// Submission is a line of the submission calendar: what each ward sends and by when.
type Submission struct {
	Dataset string `yaml:"dataset"`
	// Wards lists ward codes; empty means every ward.
	Wards []string `yaml:"wards"`
	// Monthly submissions: the data of each month from From to To is due on
	// DueDay of the following month.
	Monthly bool  `yaml:"monthly"`
	From    Month `yaml:"from"`
	To      Month `yaml:"to"`
	DueDay  int   `yaml:"due_day"`
	// One-off submissions: due on Due (with the survey Round, for assessments).
	Due   Date   `yaml:"due"`
	Round string `yaml:"round"`
}

// Ingest holds what helps ingest read what ward offices send.
type Ingest struct {
	// HeaderSynonyms maps dataset → column → further header spellings.
	HeaderSynonyms map[string]map[string][]string `yaml:"header_synonyms"`
	// TotalsWords start a totals row that is skipped with a warning ("Tổng cộng").
	TotalsWords []string `yaml:"totals_words"`
	// MaxFileBytes refuses larger files.
	MaxFileBytes int64 `yaml:"max_file_bytes"`
	// MaxExpandedBytes refuses a workbook whose parts unzip to more.
	MaxExpandedBytes int64 `yaml:"max_expanded_bytes"`
	// MaxCellBytes refuses a cell (a CSV field) longer than this.
	MaxCellBytes int `yaml:"max_cell_bytes"`
	// MaxColumns and MaxRows refuse a sheet wider or longer.
	MaxColumns int `yaml:"max_columns"`
	MaxRows    int `yaml:"max_rows"`
	// SettleTime is how long a file in the inbox must keep its size and
	// modification time before it is taken: a file still being copied waits.
	SettleTime Duration `yaml:"settle_time"`
	// Replace names the datasets whose every later file replaces the ward's
	// earlier ones whole; files of other datasets add to them unless they say
	// they correct an earlier file ("bản sửa", "thay thế").
	Replace []string `yaml:"replace"`
	// MaxShrink refuses, as suspicious, a replacement not declared by its
	// name or title that would remove more than this share of a ward's rows.
	MaxShrink float64 `yaml:"max_shrink"`
}

// Paths are where the pipeline keeps its files, resolved against pipeline.yaml's folder.
type Paths struct {
	Inbox      string `yaml:"inbox"`
	Archive    string `yaml:"archive"`
	Quarantine string `yaml:"quarantine"`
	Database   string `yaml:"database"`
	Snapshot   string `yaml:"snapshot"`
	Reports    string `yaml:"reports"`
	Backups    string `yaml:"backups"`
}

// WardSnapshot is where the snapshot of a ward login's wards is published:
// beside the snapshot, in its folder "wards", named by the sorted ward codes
// joined with "+" (a long list by its SHA-256 instead). It holds only those
// wards' rows (see transform's wards.go).
func (p Paths) WardSnapshot(wards []string) string {
	set := slices.Clone(wards)
	slices.Sort(set)
	set = slices.Compact(set)
	name := strings.Join(set, "+")
	if len(name) > 120 {
		sum := sha256.Sum256([]byte(name))
		name = "wards-" + hex.EncodeToString(sum[:12])
	}
	return filepath.Join(p.WardSnapshots(), name+".duckdb")
}

// WardSnapshots is the folder of the ward snapshots: "wards" beside the
// published snapshot. Publishing removes any *.duckdb there that no login's
// wards name.
func (p Paths) WardSnapshots() string { return filepath.Join(filepath.Dir(p.Snapshot), "wards") }

// Geography names the register of administrative units beside pipeline.yaml:
// the units with their codes, parents and days of validity, and the crosswalk
// from old units to new ones (package geo reads and checks them).
type Geography struct {
	Units     string `yaml:"units"`     // CSV: Mã, Tên, Cấp, Mã cấp trên, Hiệu lực từ, Hiệu lực đến, Căn cứ
	Crosswalk string `yaml:"crosswalk"` // CSV: Mã cũ, Mã mới, Ngày hiệu lực, Tỷ lệ, Cơ sở tỷ lệ, Ước tính, Căn cứ
	// LegacyAreas are named areas of units that keep a series going across a
	// change of the map: "thành phố Sa Đéc (cũ)", its nine old communes and
	// wards, after the city itself ended on 30/06/2025.
	LegacyAreas []LegacyArea `yaml:"legacy_areas"`
}

// LegacyArea is a named set of units of the register: each code a commune or
// ward, or a unit above them standing for every commune it held.
type LegacyArea struct {
	Code   string   `yaml:"code"` // a slug: "tp-sa-dec-cu"
	Name   string   `yaml:"name"` // "thành phố Sa Đéc (cũ)"
	NameEN string   `yaml:"name_en"`
	Units  []string `yaml:"units"` // register codes: "867", or "29917", "29920", …
}

// Exchange is how figures travel between levels in signed packages (package
// exchange): a city signs the package it sends up with its private key, and
// a province or the nation trusts the public keys of the areas below it.
type Exchange struct {
	// SigningKey is the path of the private key file hoctap package signs
	// with (hoctap keygen writes one): never the key itself.
	SigningKey string `yaml:"signing_key"`
	// People lets the person-level rows leave in the package (the names and
	// standing of each registrant). Without it, a package holds aggregates only.
	People bool `yaml:"people"`
	// Trusted lists, for a receiving level, each area it takes packages from
	// and the public key those packages must be signed with.
	Trusted []TrustedKey `yaml:"trusted"`
	// MaxPackageSize bounds a package received ("512MB" by default).
	MaxPackageSize ByteSize `yaml:"max_package_size"`
}

// Receives reports whether this workspace is a receiving level: its figures
// are the packages of the areas below it, not ward files.
func (e Exchange) Receives() bool { return len(e.Trusted) > 0 }

// TrustedKey is one area's public key.
type TrustedKey struct {
	Area      string `yaml:"area"`       // the area's official code: "867"
	Name      string `yaml:"name"`       // who holds the key: "Hội Khuyến học thành phố Sa Đéc"
	PublicKey string `yaml:"public_key"` // Ed25519, base64 (hoctap keygen prints it)
}

// Database pins DuckDB's settings.
type Database struct {
	Threads     int    `yaml:"threads"`
	MemoryLimit string `yaml:"memory_limit"` // DuckDB syntax: "4GB"
	// QueryTimeout bounds one ad-hoc query.
	QueryTimeout Duration `yaml:"query_timeout"`
	// MaxRows caps an ad-hoc query's rows.
	MaxRows int `yaml:"max_rows"`
	// MaxResultSize caps an ad-hoc query's result ("16MB"): the rows
	// beyond it are left out, and the page or command says so.
	MaxResultSize ByteSize `yaml:"max_result_size"`
	// QueryMemoryLimit is DuckDB's memory limit for one ad-hoc query, which
	// runs in a process of its own (DuckDB syntax: "1GB"); that process may
	// hold at most twice as much, and 512 MiB more, in all.
	QueryMemoryLimit string `yaml:"query_memory_limit"`
	// QueryTempLimit caps the files one ad-hoc query may spill to disk
	// (DuckDB's max_temp_directory_size).
	QueryTempLimit string `yaml:"query_temp_limit"`
	// QueryWorkers is how many ad-hoc queries may run at once; more wait
	// for a turn, at most query_timeout.
	QueryWorkers int `yaml:"query_workers"`
}

// Report says how monthly reports look.
type Report struct {
	Languages []string `yaml:"languages"`
	// Basis opens the body: the document the report is made under, ending
	// where the month follows ("Thực hiện Kế hoạch số …, Hội Khuyến học …
	// báo cáo kết quả" + " tháng 3 năm 2021 như sau:"). BasisEN is its
	// English. Empty: no opening sentence.
	Basis   string `yaml:"basis"`
	BasisEN string `yaml:"basis_en"`
	// Recipients ("Nơi nhận") of the official layout, the last one "Lưu:
	// VT, …"; the report ends each with ";" and the last with ".".
	Recipients []string `yaml:"recipients"`
	// RecipientsEN are the recipients in the English report, one for each
	// of Recipients; without them it lists the Vietnamese ones as they are
	// (an office is named as it names itself).
	RecipientsEN []string `yaml:"recipients_en"`
	Signer       Signer   `yaml:"signer"`
	// MinGroupForRate is the fewest registrants a group's rate is charted
	// for; a smaller group shows its count, k/n, without a bar.
	MinGroupForRate int `yaml:"min_group_for_rate"`
	// GoalChartHorizonMonths: a goal whose deadline is more months than this
	// after the report's month is a row of the goals' table, not a chart.
	GoalChartHorizonMonths int `yaml:"goal_chart_horizon_months"`
	// AnnexLimit caps each annex of the PDF and HTML (the people eligible,
	// those close to the title); the XLSX has them all.
	AnnexLimit int `yaml:"annex_limit"`
	// CloseWithin says who is close to the title, for the report's annex of
	// them: a person not yet eligible whose total reaches the pass total
	// though an indicator is below the minimum, or whose indicators all
	// reach the minimum and whose total lacks at most this many points.
	// Unset: one indicator's maximum (citizen_framework.indicator_max).
	CloseWithin float64 `yaml:"close_within"`
	// PackLimit caps each list of people in a ward's pack (eligible, close
	// to the title, not yet assessed) and of its units: past it the pack says
	// "và N người khác", so that it stays one or two pages.
	PackLimit int `yaml:"pack_limit"`
	// ChartDPI is the PNG charts' resolution.
	ChartDPI int `yaml:"chart_dpi"`
	// DataDeadlineDay is the reporting deadline: a month's report counts the
	// files received by the end of this day of the next month, in the city's
	// time zone (7: the March report counts what came by 07/04). A file
	// received later makes a new version of the report. The scheduled report
	// runs after it (schedule.report.day).
	DataDeadlineDay int `yaml:"data_deadline_day"`
}

// DataCutoff is the instant after which a file no longer counts in month's
// first report: the end of report.data_deadline_day of the next month, in
// the city's time zone.
func (c *Config) DataCutoff(month Month) time.Time {
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	next := month.AddDate(0, 1, 0)
	return time.Date(next.Year(), next.Month(), c.Report.DataDeadlineDay+1, 0, 0, 0, 0, loc)
}

// Signer is the signature block of a report.
// The English report uses RoleEN and TitleEN, or the Vietnamese when they
// are not given; the name is the same in both.
type Signer struct {
	Role    string `yaml:"role"`     // "TM. BAN THƯỜNG VỤ"
	RoleEN  string `yaml:"role_en"`  // "ON BEHALF OF THE STANDING COMMITTEE"
	Title   string `yaml:"title"`    // "CHỦ TỊCH"
	TitleEN string `yaml:"title_en"` // "CHAIR"
	Name    string `yaml:"name"`
}

// Schedule is when the scheduler runs each job, in the city's time zone.
type Schedule struct {
	Ingest    IntervalJob `yaml:"ingest"`
	Transform Transform   `yaml:"transform"`
	Report    MonthlyJob  `yaml:"report"`
	Reminder  MonthlyJob  `yaml:"reminder"`
	Backup    DailyJob    `yaml:"backup"`
	// Deliver looks this often for messages of the outbox due (again), when
	// delivery is configured.
	Deliver IntervalJob `yaml:"deliver"`
	Retry   Retry       `yaml:"retry"`
	// ShutdownGrace bounds how long a stop waits for the running job.
	ShutdownGrace Duration `yaml:"shutdown_grace"`
}

// IntervalJob runs every Every.
type IntervalJob struct {
	Enabled *bool    `yaml:"enabled"`
	Every   Duration `yaml:"every"`
}

// Transform runs after an ingest that loaded something.
type Transform struct {
	Enabled     *bool `yaml:"enabled"`
	AfterIngest *bool `yaml:"after_ingest"`
}

// MonthlyJob runs on Day of each month at At.
type MonthlyJob struct {
	Enabled *bool `yaml:"enabled"`
	Day     int   `yaml:"day"`
	At      Clock `yaml:"at"`
}

// DailyJob runs every day at At and keeps Keep copies.
type DailyJob struct {
	Enabled *bool `yaml:"enabled"`
	At      Clock `yaml:"at"`
	Keep    int   `yaml:"keep"`
}

// Retry is the back-off for transient job errors.
type Retry struct {
	Attempts int      `yaml:"attempts"`
	Backoff  Duration `yaml:"backoff"`
}

// Server is the web app's listener and its authentication.
type Server struct {
	Listen string `yaml:"listen"`
	Auth   Auth   `yaml:"auth"`
	// LoginFailuresPerMinute rate-limits failed logins per client.
	LoginFailuresPerMinute int `yaml:"login_failures_per_minute"`
	// LogFormat is how the commands that run unattended (serve, run,
	// ingest, transform, report, backfill, deliver) write their log lines
	// on standard error: text (key=value) or json, one object a line.
	LogFormat string `yaml:"log_format"`
	// ReadTimeout bounds reading a request, WriteTimeout writing its
	// answer (more than database.query_timeout: a query runs first), and
	// IdleTimeout how long a kept-alive connection may wait for the next.
	ReadTimeout  Duration `yaml:"read_timeout"`
	WriteTimeout Duration `yaml:"write_timeout"`
	IdleTimeout  Duration `yaml:"idle_timeout"`
	// TLSCert and TLSKey, both or neither, serve HTTPS (PEM files, paths
	// relative to pipeline.yaml).
	TLSCert string `yaml:"tls_cert"`
	TLSKey  string `yaml:"tls_key"`
	// TLSProxy says that a proxy in front serves HTTPS to the browsers:
	// session cookies are then marked Secure although this server speaks
	// plain HTTP to the proxy.
	TLSProxy bool `yaml:"tls_proxy"`
}

// The log formats.
const (
	LogText = "text"
	LogJSON = "json"
)

// Auth holds hashes only; secrets come from the environment.
type Auth struct {
	// TokenSHA256 is the hex SHA-256 of a bearer token.
	TokenSHA256 string `yaml:"token_sha256"`
	Users       []User `yaml:"users"`
}

// User is a web login with a bcrypt password hash.
type User struct {
	Name         string `yaml:"name"`
	PasswordHash string `yaml:"password_bcrypt"`
	// Wards limits the login to these wards' data (ward codes): its pages,
	// downloads and SQL console show nothing of any other ward. Without
	// the list the login is the committee's and sees every ward.
	Wards []string `yaml:"wards"`
}

// WardSets are the distinct sets of wards the logins are limited to, each
// sorted, in order: transform writes a snapshot for each (Paths.WardSnapshot).
func (a Auth) WardSets() [][]string {
	seen := map[string]bool{}
	var sets [][]string
	for _, u := range a.Users {
		if len(u.Wards) == 0 {
			continue
		}
		set := slices.Clone(u.Wards)
		slices.Sort(set)
		set = slices.Compact(set)
		if k := strings.Join(set, "+"); !seen[k] {
			seen[k] = true
			sets = append(sets, set)
		}
	}
	slices.SortFunc(sets, func(a, b []string) int { return strings.Compare(strings.Join(a, "+"), strings.Join(b, "+")) })
	return sets
}

// Enabled reports whether any authentication is configured.
func (a Auth) Enabled() bool { return a.TokenSHA256 != "" || len(a.Users) > 0 }

// On reports an optional switch, true when unset.
func On(b *bool) bool { return b == nil || *b }
