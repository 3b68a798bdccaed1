package reports

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/sync/errgroup"

	"github.com/hoctap/hoctap/store"
)

//go:embed sql/*.sql
var queries embed.FS

// Data is every number a month's report shows, read from the published
// snapshot. It is what the report's fingerprint is taken of: equal Data, equal
// numbers in every format.
type Data struct {
	Month  string   // YYYY-MM
	Prev   string   // the month before, "" for the programme's first
	Months []string // the programme's months up to Month

	Programme Programme
	Wards     []Ward
	Groups    []Group

	Progress []Progress // Month's and Prev's rows, every level

	Goals []Goal

	Indicators []IndicatorStat
	Totals     []TotalCount // the totals that count at the month's end, with their people

	Phases     []Phase
	Milestones []Milestone

	Units        []Unit
	UnitCriteria []UnitCriterion
	// Families is "Gia đình học tập" per ward and for the city (families.sql);
	// empty, and out of the fingerprint, until a household is assessed.
	Families []FamilyRow `json:",omitempty"`

	Activities []ActivityMonth
	Quality    []QualityMonth
	Refused    []RefusedFile

	// Annex is the first report.annex_limit people meeting the title at the
	// month's end (all of them when the limit is 0), AnnexCount how many
	// there are, AnnexDigest the SHA-256 of their whole list (annex_digest.sql):
	// a change in a row past the limit changes the fingerprint too.
	Annex []Holder
	// Short are the people one indicator short of the title; Rounds, each
	// survey round so far; Owed, the submissions due by the month's end that
	// no accepted file answers yet.
	Short       []Short
	Rounds      []RoundResult
	Owed        []Submission
	AnnexCount  int64
	AnnexDigest string

	// Close is the first report.annex_limit people close to the title
	// (close.sql: not eligible, but the total reached or within
	// report.close_within points of it), CloseCount how many there are,
	// CloseDigest the SHA-256 of their whole list (close_digest.sql).
	Close       []Near
	CloseCount  int64
	CloseDigest string
	// Standing is each ward's registrants by where they stand.
	Standing []Standing

	// Series is progress_monthly for every month up to Month: the
	// workbook's long sheet.
	Series []Progress

	Inputs []InputFile `json:"-"` // in the manifest, not in the fingerprint

	// AsOf is the instant the data stands at: it holds the files received
	// before it (the reporting deadline's end for a month's first version).
	// Not in the fingerprint: the same numbers at a later instant are the
	// same report.
	AsOf time.Time `json:"-"`
	// Change is what changed since the month's previous version, and why;
	// nil for a first version.
	Change *Change `json:"-"`

	// annexAll reads the whole annex from the snapshot, row by row, for the
	// XLSX; nil when Annex is already all of it.
	annexAll func(yield func(Holder) error) error
	// closeAll reads the whole list of people close to the title, likewise.
	closeAll func(yield func(Near) error) error
	// release closes the lists' queries kept open (Options.Keep) that
	// annexAll and closeAll did not read on; nil when none is.
	release func()
}

// Near is a person close to the title: what they lack, and the assessment
// that counts.
type Near struct {
	Ward        string     `db:"ward"`
	ID          string     `db:"citizen_id"`
	Name        string     `db:"full_name"`
	Group       int64      `db:"group_id"`
	Total       float64    `db:"total"`
	PointsShort float64    `db:"points_short"` // what the total lacks of pass_total; 0 when reached
	Below       Shortfalls `db:"below"`        // the indicators below the minimum
	Round       string     `db:"round"`
	RoundName   string     `db:"round_name"`
	RoundNameEn string     `db:"round_name_en"`
	AssessedOn  time.Time  `db:"assessed_on"`
	Reviewed    bool       `db:"reviewed"`
}

// Shortfall is an indicator below the minimum and its score.
type Shortfall struct {
	Indicator int64
	Score     float64
}

// Shortfalls are the indicators below the minimum, as DuckDB returns a list
// of {indicator, score} structs.
type Shortfalls []Shortfall

// Scan reads a DuckDB LIST of STRUCT(indicator BIGINT, score DOUBLE).
func (s *Shortfalls) Scan(src any) error {
	*s = nil
	if src == nil {
		return nil
	}
	list, ok := src.([]any)
	if !ok {
		return fmt.Errorf("report: indicators below the minimum: %T, expected a list", src)
	}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return fmt.Errorf("report: indicators below the minimum: element %T, expected a struct", e)
		}
		n, ok1 := m["indicator"].(int64)
		v, ok2 := m["score"].(float64)
		if !ok1 || !ok2 {
			return fmt.Errorf("report: indicators below the minimum: %v, expected an indicator and its score", m)
		}
		*s = append(*s, Shortfall{Indicator: n, Score: v})
	}
	return nil
}

// Standing is a ward's registrants at the month's end by where they stand.
type Standing struct {
	Ward         string `db:"ward"`
	Registered   int64  `db:"registered"`
	Eligible     int64  `db:"eligible"`
	TotalReached int64  `db:"total_reached"` // the total reached, an indicator below the minimum
	Short        int64  `db:"short"`         // assessed, the total short
	NotAssessed  int64  `db:"not_assessed"`
}

// TotalCount is a total score and the number of people it counts for.
type TotalCount struct {
	Total  float64 `db:"total"`
	People int64   `db:"people"`
}

// Programme is the programme and its thresholds.
type Programme struct {
	City             string    `db:"city"`
	Province         string    `db:"province"`
	Name             string    `db:"name"`
	Start            time.Time `db:"start_date"`
	End              time.Time `db:"end_date"`
	PassTotal        float64   `db:"pass_total"`
	MinPerIndicator  float64   `db:"min_per_indicator"`
	IndicatorMax     float64   `db:"indicator_max"`
	Indicators       int       `db:"indicators"`
	MemberTitleShare float64   `db:"member_title_share"`
	UnitSource       string    `db:"unit_source"`
	CitizenSource    string    `db:"citizen_source"`
}

// Ward is one locality.
type Ward struct {
	Code       string `db:"ward"`
	Name       string `db:"name"`
	Kind       string `db:"kind"`
	NameEn     string `db:"name_en"`
	Population *int64 `db:"population_adults"`
	// Label and LabelEn name the ward as the month's report does: its kind
	// and name, or "xã Tân Quy Tây (cũ), nay thuộc phường Sa Đéc" once its
	// unit had changed (geo_ward_months); "" without a register.
	Label   string `db:"label"`
	LabelEn string `db:"label_en"`
}

// Group is a target group.
type Group struct {
	ID     int64  `db:"group_id"`
	Name   string `db:"name"`
	NameEn string `db:"name_en"`
}

// Progress is one row of progress_monthly.
type Progress struct {
	Month            string  `db:"month"`
	Level            string  `db:"level"`
	Ward             string  `db:"ward"`     // "" on group and city rows
	Group            int64   `db:"group_id"` // 0 on ward and city rows
	Registered       int64   `db:"registered"`
	Assessed         int64   `db:"assessed"`
	Eligible         int64   `db:"eligible"`   // scores meet the criteria
	Recognised       int64   `db:"recognised"` // a decision recognises them
	Reviewed         int64   `db:"reviewed"`   // of the eligible, scores reviewed
	NotYet           int64   `db:"not_yet"`
	RateOfRegistered float64 `db:"rate_of_registered"`
	EligibleRate     float64 `db:"eligible_of_registered"`
	Population       int64   `db:"population_adults"`
	RateOfPopulation float64 `db:"rate_of_population"`
}

// Goal is one goal with its course up to the month.
type Goal struct {
	ID          string      `db:"goal_id"`
	Name        string      `db:"name"`
	NameEn      string      `db:"name_en"`
	Metric      string      `db:"metric"`
	Denominator string      `db:"denominator"`
	Target      float64     `db:"target"`
	Deadline    string      `db:"deadline"`
	Source      string      `db:"source"`
	Uncertain   bool        `db:"uncertain"`
	UNESCO      string      `db:"unesco"`
	SourceDate  *time.Time  `db:"source_date"`
	Scope       string      `db:"scope"`
	ScopeEn     string      `db:"scope_en"`
	SourceEN    string      `db:"source_en"`
	Course      []GoalMonth // every month of the programme; actuals up to the report's month
}

// GoalMonth is a goal at one month's end.
type GoalMonth struct {
	Month     string   `db:"month"`
	Goal      string   `db:"goal_id"`
	Actual    *float64 `db:"actual"`
	Path      *float64 `db:"path_value"`
	Projected *float64 `db:"projected"`
	Gap       *float64 `db:"gap"`
	Status    string   `db:"status"`
}

// InForce says whether the goal's source document was issued by the end of
// month: before, the goal is no target of the month's report.
func (g Goal) InForce(month string) bool {
	if g.SourceDate == nil {
		return true
	}
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return true
	}
	return !g.SourceDate.After(t.AddDate(0, 1, -1))
}

// At is the goal at the end of month, if the goal has a row for it.
func (g Goal) At(month string) (GoalMonth, bool) {
	for _, c := range g.Course {
		if c.Month == month {
			return c, true
		}
	}
	return GoalMonth{}, false
}

// IndicatorStat is one indicator for one target group (0: all groups).
type IndicatorStat struct {
	Group      int64   `db:"group_id"`
	Indicator  int64   `db:"indicator"`
	Criterion  string  `db:"criterion"`
	Name       string  `db:"name"`
	NameEn     string  `db:"name_en"`
	People     int64   `db:"people"`
	Mean       float64 `db:"mean_score"`
	BelowMin   int64   `db:"below_min"`
	ShareBelow float64 `db:"share_below_min"`
}

// Phase is a phase of the programme.
type Phase struct {
	ID     string    `db:"phase"`
	Name   string    `db:"name"`
	NameEn string    `db:"name_en"`
	Start  time.Time `db:"start_date"`
	End    time.Time `db:"end_date"`
}

// Milestone is a milestone at the month's end.
type Milestone struct {
	ID        string    `db:"milestone"`
	Name      string    `db:"name"`
	NameEn    string    `db:"name_en"`
	Phase     string    `db:"phase"`
	Due       time.Time `db:"due"`
	Status    string    `db:"status"` // done, late, due, upcoming
	DoneMonth string    `db:"done_month"`
	Holds     bool      `db:"holds"`
}

// Unit is a learning unit at the month's end.
type Unit struct {
	Code             string     `db:"unit_code"`
	Name             string     `db:"name"`
	Type             string     `db:"unit_type"`
	Ward             string     `db:"ward"`
	Members          int64      `db:"members"`
	AssessedOn       *time.Time `db:"assessed_on"`
	Total            *float64   `db:"total"`
	GradeName        string     `db:"grade_name"`
	GradeNameEn      string     `db:"grade_name_en"`
	Recognised       bool       `db:"recognised"` // by a decision
	Eligible         bool       `db:"eligible"`   // its assessment of the round that counts, and grade
	InRound          bool       `db:"in_round"`
	Decision         string     `db:"decision_number"`
	EligibleMembers  *int64     `db:"eligible_members"`
	TitleHolders     *int64     `db:"title_holders"`
	TitleShare       *float64   `db:"title_share"`
	MeetsMemberShare bool       `db:"meets_member_share"`
}

// FamilyRow is a ward's (or, Level "city", the city's) learning families
// at the month's end, with the title's target and the version in force.
type FamilyRow struct {
	Level                 string     `db:"level"`
	Ward                  string     `db:"ward"`
	Registered            int64      `db:"registered"`
	Eligible              int64      `db:"eligible"`
	Recognised            int64      `db:"recognised"`
	EligibleNotRecognised int64      `db:"eligible_not_recognised"`
	Households            *int64     `db:"households"`
	HouseholdsSource      string     `db:"households_source"`
	HouseholdsSourceEn    string     `db:"households_source_en"`
	Name                  string     `db:"name"`
	NameEn                string     `db:"name_en"`
	TargetShare           float64    `db:"target_share"`
	TargetDeadline        string     `db:"target_deadline"`
	TargetSource          string     `db:"target_source"`
	TargetSourceEn        string     `db:"target_source_en"`
	TargetSourceDate      *time.Time `db:"target_source_date"`
	TargetScope           string     `db:"target_scope"`
	TargetScopeEn         string     `db:"target_scope_en"`
	VersionSource         string     `db:"version_source"`
	VersionSourceEn       string     `db:"version_source_en"`
	VersionFrom           *time.Time `db:"version_from"`
	MinTotal              float64    `db:"min_total"`
	MaxTotal              float64    `db:"max_total"`
	AllCriteria           bool       `db:"all_criteria"`
	Assumptions           int64      `db:"assumptions"`
}

// UnitCriterion is a unit's score on one criterion of the unit scheme.
type UnitCriterion struct {
	Unit      string  `db:"unit_code"`
	Criterion string  `db:"criterion"`
	Name      string  `db:"name"`
	NameEn    string  `db:"name_en"`
	Score     float64 `db:"score"`
	Max       float64 `db:"max"`
}

// ActivityMonth is a ward's activities in one month.
type ActivityMonth struct {
	Month        string  `db:"month"`
	Ward         string  `db:"ward"`
	Activities   int64   `db:"activities"`
	Participants int64   `db:"participants"`
	Hours        float64 `db:"hours"`
}

// QualityMonth is a ward's submissions in one month.
type QualityMonth struct {
	Month          string `db:"month"`
	Ward           string `db:"ward"`
	Expected       int64  `db:"expected"`
	OnTime         int64  `db:"on_time"`
	Late           int64  `db:"late"`
	Missing        int64  `db:"missing"`
	OverdueEarlier int64  `db:"overdue_earlier"`
	FilesReceived  int64  `db:"files_received"`
	FilesRefused   int64  `db:"files_refused"`
	Problems       int64  `db:"problems"`
}

// RefusedFile is a file refused by ingest.
type RefusedFile struct {
	Ward     string    `db:"ward"`
	Name     string    `db:"original_name"`
	SentOn   time.Time `db:"sent_on"`
	Problems int64     `db:"problems"`
	Receipt  string    `db:"receipt_path"`
}

// Holder is a person meeting the title's criteria at the month's end.
type Holder struct {
	Ward       string     `db:"ward"`
	ID         string     `db:"citizen_id"`
	Name       string     `db:"full_name"`
	Gender     string     `db:"gender"`
	BirthYear  *int64     `db:"birth_year"`
	Group      int64      `db:"group_id"`
	Unit       string     `db:"unit_code"`
	Total      float64    `db:"total"`
	Min        float64    `db:"min_score"`
	Round      string     `db:"round"`
	AssessedOn time.Time  `db:"assessed_on"`
	FirstMonth string     `db:"first_month"`
	Reviewed   bool       `db:"reviewed"`
	Decision   string     `db:"decision_number"`
	DecidedOn  *time.Time `db:"decided_on"`
}

// Short is a person whose total reaches the title's but one indicator is
// below the minimum.
type Short struct {
	Ward      string  `db:"ward"`
	ID        string  `db:"citizen_id"`
	Name      string  `db:"full_name"`
	Group     int64   `db:"group_id"`
	Total     float64 `db:"total"`
	Indicator int64   `db:"indicator"`
	IndName   string  `db:"name"`
	IndNameEn string  `db:"name_en"`
	Score     float64 `db:"score"`
}

// RoundResult is one survey round so far.
type RoundResult struct {
	Round    string  `db:"round"`
	Name     string  `db:"name"`
	NameEn   string  `db:"name_en"`
	Assessed int64   `db:"assessed"`
	Eligible int64   `db:"eligible"`
	Mean     float64 `db:"mean_total"`
}

// InputFile is a loaded file the data comes from.
type InputFile struct {
	Name     string    `db:"original_name" json:"name"`
	Ward     string    `db:"ward" json:"ward"`
	Dataset  string    `db:"dataset" json:"dataset"`
	Period   string    `db:"period" json:"period,omitempty"`
	SHA256   string    `db:"sha256" json:"sha256"`
	Received time.Time `db:"received_at" json:"received_at"`
}

// Load reads month's data from the published snapshot db: what the report
// shows, whatever the number of people, with the first annexLimit rows of the
// annex (0: all). The rest of the annex is read again, row by row, when the
// XLSX is written, while ctx lasts. The people close to the title are those
// within one indicator's maximum of the pass total (LoadWith to say).
func Load(ctx context.Context, db *store.DB, month string, annexLimit int) (*Data, error) {
	return LoadWith(ctx, db, month, Options{AnnexLimit: annexLimit})
}

// Options are what Load reads besides the month.
type Options struct {
	// AnnexLimit is how many rows of each annex are read (0: all of them).
	AnnexLimit int
	// CloseWithin is how many points short of the pass total a person with
	// no indicator below the minimum is still close to the title
	// (report.close_within); 0: one indicator's maximum.
	CloseWithin float64
	// Keep keeps each annex's query open after its first AnnexLimit rows,
	// for the XLSX to read the rest on (the Data's release closes it if
	// nothing does): the list is sorted once.
	Keep bool
}

// LoadWith is Load with its options.
func LoadWith(ctx context.Context, db *store.DB, month string, o Options) (*Data, error) {
	annexLimit := o.AnnexLimit
	d := &Data{Month: month}
	if err := sel(ctx, db, &d.Months, "months", month); err != nil {
		return nil, err
	}
	if len(d.Months) == 0 || d.Months[len(d.Months)-1] != month {
		return nil, fmt.Errorf("report: %s is not a month of the programme", month)
	}
	if len(d.Months) > 1 {
		d.Prev = d.Months[len(d.Months)-2]
	}
	if err := get(ctx, db, &d.Programme, "programme"); err != nil {
		return nil, err
	}
	within := o.CloseWithin
	if within <= 0 {
		within = d.Programme.IndicatorMax
	}
	var course []GoalMonth
	var annexDigest, closeDigest struct {
		People int64  `db:"people"`
		Digest string `db:"digest"`
	}
	// The reads are independent, and the long ones (the annexes in
	// Vietnamese collation, their digests, an ordered aggregate each) keep
	// one core busy each: two at a time, the longest first, they take about
	// half as long on two cores.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	annex := &list[Holder]{name: "annex.sql", ctx: ctx, scan: scanHolder, run: func(ctx context.Context, limit any) (*sql.Rows, error) {
		q, err := queries.ReadFile("sql/annex.sql")
		if err != nil {
			return nil, err
		}
		return db.QueryContext(ctx, string(q), month, limit)
	}}
	near := &list[Near]{name: "close.sql", ctx: ctx, scan: scanNear, run: func(ctx context.Context, limit any) (*sql.Rows, error) {
		q, err := queries.ReadFile("sql/close.sql")
		if err != nil {
			return nil, err
		}
		return db.QueryContext(ctx, string(q), month, limit, within, nil)
	}}
	// A query kept open outlives the group's context.
	g.Go(func() (err error) { d.Annex, err = annex.first(ctx, annexLimit, o.Keep); return err })
	g.Go(func() (err error) { d.Close, err = near.first(ctx, annexLimit, o.Keep); return err })
	g.Go(func() error { return get(gctx, db, &annexDigest, "annex_digest", month) })
	g.Go(func() error { return get(gctx, db, &closeDigest, "close_digest", month, within) })
	for _, s := range []struct {
		dest any
		name string
		args []any
	}{
		{&d.Rounds, "rounds", []any{month}},
		{&d.Short, "short", []any{month}},
		{&d.Totals, "totals", []any{month}},
		{&d.Standing, "standing", []any{month}},
		{&d.Wards, "wards", []any{month}},
		{&d.Groups, "groups", nil},
		{&d.Progress, "progress", []any{month, d.Prev}},
		{&d.Goals, "goals", nil},
		{&course, "goal_progress", []any{month}},
		{&d.Indicators, "indicators", []any{month}},
		{&d.Phases, "phases", nil},
		{&d.Milestones, "milestones", []any{month}},
		{&d.Units, "units", []any{month}},
		{&d.UnitCriteria, "unit_criteria", []any{month}},
		{&d.Families, "families", []any{month}},
		{&d.Activities, "activities", []any{month}},
		{&d.Quality, "quality", []any{month}},
		{&d.Refused, "refused", []any{month}},
		{&d.Series, "series", []any{month}},
		{&d.Inputs, "inputs", nil},
	} {
		g.Go(func() error { return sel(gctx, db, s.dest, s.name, s.args...) })
	}
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return nil, err
	}
	g.Go(func() (err error) {
		d.Owed, err = Missing(gctx, db, month, t.AddDate(0, 1, -1))
		return err
	})
	if err := g.Wait(); err != nil {
		annex.close()
		near.close()
		return nil, err
	}
	d.AnnexCount, d.AnnexDigest = annexDigest.People, annexDigest.Digest
	if first := d.Annex; int64(len(first)) < d.AnnexCount {
		d.annexAll = func(yield func(Holder) error) error { return annex.all(first, yield) }
	} else {
		annex.close()
	}
	d.CloseCount, d.CloseDigest = closeDigest.People, closeDigest.Digest
	if first := d.Close; int64(len(first)) < d.CloseCount {
		d.closeAll = func(yield func(Near) error) error { return near.all(first, yield) }
	} else {
		near.close()
	}
	if o.Keep {
		d.release = func() { annex.close(); near.close() }
	}
	byGoal := map[string]int{}
	for i, g := range d.Goals {
		byGoal[g.ID] = i
	}
	for _, c := range course {
		if i, ok := byGoal[c.Goal]; ok {
			d.Goals[i].Course = append(d.Goals[i].Course, c)
		}
	}
	return d, nil
}

// limitArg is a LIMIT's argument: NULL for none.
func limitArg(n int) any {
	if n <= 0 {
		return nil
	}
	return n
}

// scanHolder scans a row of annex.sql, column by column: not by sqlx's
// reflection on the tags, which costs seconds at 439,000 rows.
func scanHolder(rows *sql.Rows, h *Holder) error {
	return rows.Scan(&h.Ward, &h.ID, &h.Name, &h.Gender, &h.BirthYear, &h.Group, &h.Unit, &h.Total, &h.Min, &h.Round, &h.AssessedOn, &h.FirstMonth, &h.Reviewed, &h.Decision, &h.DecidedOn)
}

// scanNear scans a row of close.sql likewise.
func scanNear(rows *sql.Rows, n *Near) error {
	return rows.Scan(&n.Ward, &n.ID, &n.Name, &n.Group, &n.Total, &n.PointsShort, &n.Below, &n.Round, &n.RoundName, &n.RoundNameEn, &n.AssessedOn, &n.Reviewed)
}

// get reads the one row of the query sql/name.sql into dest.
func get(ctx context.Context, db sqlx.QueryerContext, dest any, name string, args ...any) error {
	q, err := queries.ReadFile("sql/" + name + ".sql")
	if err != nil {
		return err
	}
	if err := sqlx.GetContext(ctx, db, dest, string(q), args...); err != nil {
		return fmt.Errorf("report: %s.sql: %w", name, err)
	}
	return nil
}

func sel(ctx context.Context, db *store.DB, dest any, name string, args ...any) error {
	q, err := queries.ReadFile("sql/" + name + ".sql")
	if err != nil {
		return err
	}
	if err := db.SelectContext(ctx, dest, string(q), args...); err != nil {
		return fmt.Errorf("report: %s.sql: %w", name, err)
	}
	return nil
}

// progress finds a row of progress_monthly.
func (d *Data) progress(month, level, ward string, group int64) (Progress, bool) {
	for _, p := range d.Progress {
		if p.Month == month && p.Level == level && p.Ward == ward && p.Group == group {
			return p, true
		}
	}
	return Progress{}, false
}

// ward finds a ward of the configuration by its code.
func (d *Data) ward(code string) (Ward, bool) {
	for _, w := range d.Wards {
		if w.Code == code {
			return w, true
		}
	}
	return Ward{}, false
}
