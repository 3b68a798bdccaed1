package transform

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

// pilot returns the Sa Đéc configuration with its paths in a temporary folder,
// and the pipeline's database opened there with the fixture loaded.
func pilot(t *testing.T) (*config.Config, *store.DB) {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse(hoctap.DefaultConfig, filepath.Join(dir, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := hoctap.WriteRegister(dir); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.Paths.Database, store.OptionsFrom(cfg))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile("testdata/fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range store.Statements(string(fixture)) {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("fixture: %v\n%s", err, stmt)
		}
	}
	return cfg, db
}

func sqlFS(t testing.TB) fs.FS {
	sub, err := fs.Sub(hoctap.SQL, "sql")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

var runAt = time.Date(2021, 8, 1, 7, 0, 0, 0, time.UTC)

// The one DuckDB-backed scenario: models, tests and the snapshot, against
// numbers computed by hand from testdata/fixture.sql.
func TestTransformPilotFixture(t *testing.T) {
	cfg, db := pilot(t)
	ctx := context.Background()
	res, err := Run(ctx, db, cfg, sqlFS(t), runAt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Snapshot != cfg.Paths.Snapshot {
		t.Fatalf("snapshot = %q", res.Snapshot)
	}
	// The models live in the published snapshot, where readers read them.
	db = openSnapshot(t, cfg)

	t.Run("citizen status", func(t *testing.T) {
		type key struct{ month, id string }
		want := map[key]string{
			{"2020-11", "TPD-001"}: "not_assessed",
			{"2020-12", "TPD-001"}: "eligible",     // exactly 80, lowest exactly 5
			{"2020-12", "TPD-002"}: "not_yet",      // 79.5
			{"2020-12", "TPD-003"}: "not_yet",      // 94.5 with a 4.5
			{"2020-12", "TPD-004"}: "eligible",     // self 78, reviewed 82
			{"2020-12", "TPD-005"}: "not_assessed", // no baseline
			{"2020-12", "TPD-006"}: "not_yet",      // superseded 90 ignored; corrected 60
			{"2021-03", "TPD-002"}: "eligible",     // 05/03 gave 70, 20/03 gave 85: the latest counts
			{"2021-03", "TPD-005"}: "not_assessed", // assessed 01/04: not yet in March
			{"2021-04", "TPD-005"}: "eligible",
			{"2021-07", "TPD-003"}: "not_yet",
		}
		for k, w := range want {
			var got string
			if err := db.GetContext(ctx, &got, `SELECT status FROM citizen_status_monthly WHERE month = ? AND citizen_id = ?`, k.month, k.id); err != nil {
				t.Fatalf("%v: %v", k, err)
			}
			if got != w {
				t.Errorf("%s %s: status %s, want %s", k.month, k.id, got, w)
			}
		}
		var total float64
		if err := db.GetContext(ctx, &total, `SELECT CAST(total AS DOUBLE) FROM citizen_status_monthly WHERE month = '2020-12' AND citizen_id = 'TPD-001'`); err != nil {
			t.Fatal(err)
		}
		if total != 80 {
			t.Errorf("TPD-001 total = %v, want exactly 80", total)
		}
		var first []string
		if err := db.SelectContext(ctx, &first, `SELECT DISTINCT citizen_id || ':' || coalesce(first_eligible_month, '-') FROM citizen_status_monthly ORDER BY 1`); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(first, " "); got != "TPD-001:2020-12 TPD-002:2021-03 TPD-003:- TPD-004:2020-12 TPD-005:2021-04 TPD-006:-" {
			t.Errorf("first eligible months = %s", got)
		}
		// Recognised only by a decision dated by the month's end: none in
		// December though two were eligible; TPD-002, eligible in March, from
		// 20/04; the reviewed flag says whose scores were reviewed.
		var recognised []string
		if err := db.SelectContext(ctx, &recognised, `SELECT month || ':' || string_agg(citizen_id || '/' || decision_number, ',' ORDER BY citizen_id)
			FROM citizen_status_monthly WHERE recognised AND month IN ('2020-12', '2021-01', '2021-03', '2021-04') GROUP BY month ORDER BY month`); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(recognised, " "); got != "2021-01:TPD-001/12/QĐ-UBND,TPD-004/12/QĐ-UBND 2021-03:TPD-001/12/QĐ-UBND,TPD-004/12/QĐ-UBND "+
			"2021-04:TPD-001/12/QĐ-UBND,TPD-002/20/QĐ-UBND,TPD-004/12/QĐ-UBND,TPD-005/20/QĐ-UBND" {
			t.Errorf("recognised = %s", got)
		}
		var reviewed string
		if err := db.GetContext(ctx, &reviewed, `SELECT string_agg(citizen_id || ':' || reviewed, ' ' ORDER BY citizen_id) FROM citizen_status_monthly WHERE month = '2020-12' AND status = 'eligible'`); err != nil {
			t.Fatal(err)
		}
		if reviewed != "TPD-001:false TPD-004:true" {
			t.Errorf("reviewed = %s, want TPD-004's reviewed scores only", reviewed)
		}
	})

	t.Run("progress", func(t *testing.T) {
		var rows []struct {
			Month      string   `db:"month"`
			Registered int64    `db:"registered"`
			Assessed   int64    `db:"assessed"`
			Eligible   int64    `db:"eligible"`
			Recognised int64    `db:"recognised"`
			Rate       *float64 `db:"rate_of_registered"`
			RatePop    *float64 `db:"rate_of_population"`
		}
		if err := db.SelectContext(ctx, &rows, `SELECT month, registered, assessed, eligible, recognised, rate_of_registered, rate_of_population
			FROM progress_monthly WHERE level = 'ward' AND ward = 'tan-phu-dong' ORDER BY month`); err != nil {
			t.Fatal(err)
		}
		want := map[string][4]int64{"2020-11": {6, 0, 0, 0}, "2020-12": {6, 5, 2, 0}, "2021-02": {6, 5, 2, 2}, "2021-03": {6, 5, 3, 2}, "2021-04": {6, 6, 4, 4}, "2021-07": {6, 6, 4, 4}}
		if len(rows) != 9 {
			t.Fatalf("%d months, want 9", len(rows))
		}
		for _, r := range rows {
			if w, ok := want[r.Month]; ok && (r.Registered != w[0] || r.Assessed != w[1] || r.Eligible != w[2] || r.Recognised != w[3]) {
				t.Errorf("%s: registered/assessed/eligible/recognised = %d/%d/%d/%d, want %v", r.Month, r.Registered, r.Assessed, r.Eligible, r.Recognised, w)
			}
			if r.Month == "2021-02" {
				if r.Rate == nil || !near(*r.Rate, 2.0/6) || r.RatePop == nil || !near(*r.RatePop, 2.0/10400) {
					t.Errorf("February rates = %v, %v; want 1/3 of registered and 2/10400 of the adults", deref(r.Rate), deref(r.RatePop))
				}
			}
			if r.Month == "2020-12" && (r.Rate == nil || *r.Rate != 0) {
				t.Errorf("December's rate of registered = %v, want 0: nobody is recognised before a decision", deref(r.Rate))
			}
		}
		var groupRate *float64
		if err := db.GetContext(ctx, &groupRate, `SELECT rate_of_population FROM progress_monthly WHERE level = 'ward_group' LIMIT 1`); err != nil {
			t.Fatal(err)
		}
		if groupRate != nil {
			t.Error("a ward × group row has a population rate, but no population per group is known")
		}
	})

	t.Run("unit grades", func(t *testing.T) {
		var rows []struct {
			Unit     string `db:"unit_code"`
			Grade    string `db:"grade"`
			InRound  bool   `db:"in_round"`
			Eligible bool   `db:"eligible"`
		}
		if err := db.SelectContext(ctx, &rows, `SELECT unit_code, grade, in_round, eligible FROM unit_scores ORDER BY unit_code`); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"TPD-TH": "tot", "TPD-MN": "kha", "TPD-UB": "kha", "TQT-TH": "trung-binh", "TQT-MN": "trung-binh", "TQT-UB": "chua-dat"}
		if len(rows) != len(want) {
			t.Fatalf("%d unit assessments, want %d", len(rows), len(want))
		}
		for _, r := range rows {
			if r.Grade != want[r.Unit] {
				t.Errorf("%s: grade %s, want %s", r.Unit, r.Grade, want[r.Unit])
			}
			// December's self-assessment is before the round that counts
			// (recognition.unit_assessed_from): it makes no unit eligible.
			if r.InRound || r.Eligible {
				t.Errorf("%s: in round %v, eligible %v on a baseline self-assessment", r.Unit, r.InRound, r.Eligible)
			}
		}
		var holders, eligible, members int64
		if err := db.QueryRowContext(ctx, `SELECT title_holders, eligible_members, members FROM unit_status_monthly WHERE month = '2020-12' AND unit_code = 'TPD-UB'`).Scan(&holders, &eligible, &members); err != nil {
			t.Fatal(err)
		}
		if holders != 0 || eligible != 2 || members != 24 {
			t.Errorf("TPD-UB in December: %d recognised, %d eligible of %d members, want 0, 2 of 24", holders, eligible, members)
		}
		var units string
		if err := db.GetContext(ctx, &units, `SELECT string_agg(unit_code || ':' || recognised, ' ' ORDER BY unit_code) FROM unit_status_monthly WHERE month = '2021-01' AND unit_code LIKE 'TPD%' OR month = '2021-01' AND unit_code LIKE 'TQT%'`); err != nil {
			t.Fatal(err)
		}
		if units != "TPD-MN:true TPD-TH:true TPD-UB:true TQT-MN:true TQT-TH:true TQT-UB:false" {
			t.Errorf("units recognised in January: %s", units)
		}
	})

	t.Run("metrics and goals", func(t *testing.T) {
		metric := func(month, name, denom string) float64 {
			var v *float64
			if err := db.GetContext(ctx, &v, `SELECT value FROM metrics_monthly WHERE month = ? AND metric = ? AND denominator IS NOT DISTINCT FROM ?`, month, name, nullIf(denom)); err != nil {
				t.Fatalf("%s %s: %v", month, name, err)
			}
			return deref(v)
		}
		checks := []struct {
			month, metric, denom string
			want                 float64
		}{
			{"2020-12", "citizens_registered", "", 6},
			{"2020-12", "citizens_recognised_share", "registered", 0},
			{"2020-12", "citizens_eligible_share", "registered", 2.0 / 6},
			{"2021-02", "citizens_recognised_share", "registered", 2.0 / 6},
			{"2021-02", "citizens_recognised_share", "population", 2.0 / 33200},
			{"2020-12", "citizens_baseline_share", "registered", 5.0 / 6},
			{"2020-12", "units_assessed_share", "units", 0},
			{"2020-12", "units_recognised_share", "units", 0},
			{"2021-02", "units_recognised_share", "units", 5.0 / 9},
			{"2021-02", "unit_members_recognised_share", "members", 2.0 / 216},
			{"2021-02", "holders_digital_share", "title_holders", 1},
			{"2021-04", "citizens_recognised_share", "registered", 4.0 / 6},
		}
		for _, c := range checks {
			if got := metric(c.month, c.metric, c.denom); !near(got, c.want) {
				t.Errorf("%s %s (%s) = %v, want %v", c.month, c.metric, c.denom, got, c.want)
			}
		}
		type g struct {
			Path   float64  `db:"path_value"`
			Actual *float64 `db:"actual"`
			Proj   *float64 `db:"projected"`
			Status string   `db:"status"`
		}
		goal := func(id, month string) g {
			var r g
			if err := db.GetContext(ctx, &r, `SELECT path_value, actual, projected, status FROM goal_progress WHERE goal_id = ? AND month = ?`, id, month); err != nil {
				t.Fatalf("%s %s: %v", id, month, err)
			}
			return r
		}
		if r := goal("pilot-baseline", "2020-11"); r.Path != 0 || r.Status != "on_track" {
			t.Errorf("pilot-baseline in November: %+v", r)
		}
		if r := goal("pilot-baseline", "2020-12"); r.Path != 1 || !near(deref(r.Actual), 5.0/6) || r.Status != "behind" {
			t.Errorf("pilot-baseline in December: path %v actual %v status %s; want 1, 5/6, behind", r.Path, deref(r.Actual), r.Status)
		}
		if r := goal("pilot-baseline", "2021-05"); r.Path != 1 {
			t.Errorf("pilot-baseline after its deadline: path %v, want the target 1", r.Path)
		}
		if r := goal("pilot-recognised", "2021-01"); !near(r.Path, 0.10+0.25/3) || r.Status != "on_track" || !near(deref(r.Proj), 1) {
			t.Errorf("pilot-recognised in January: %+v (projected %v); want path 0.1833, on track, projected 1", r, deref(r.Proj))
		}
		if r := goal("pilot-recognised", "2021-04"); !near(r.Path, 0.35+0.35/3) || !near(deref(r.Actual), 4.0/6) {
			t.Errorf("pilot-recognised in April: path %v actual %v", r.Path, deref(r.Actual))
		}
	})

	t.Run("indicator stats", func(t *testing.T) {
		for _, c := range []struct {
			month     string
			indicator int
			people    int64
			mean      float64
			below     int64
		}{
			{"2020-12", 5, 5, (8.1 + 8 + 4.5 + 8 + 6) / 5, 1}, // TPD-003's 4.5 holds him back; TPD-004's reviewed 8 counts
			{"2021-03", 1, 5, (5 + 9 + 10 + 8 + 6) / 5.0, 0},  // TPD-002's latest is 20/03
			{"2021-04", 1, 6, (5 + 9 + 10 + 8 + 6 + 9) / 6.0, 0},
		} {
			var people, below int64
			var mean float64
			if err := db.QueryRowContext(ctx, `SELECT people, mean_score, below_min FROM indicator_stats_monthly
				WHERE month = ? AND indicator = ? AND group_id IS NULL`, c.month, c.indicator).Scan(&people, &mean, &below); err != nil {
				t.Fatalf("%s indicator %d: %v", c.month, c.indicator, err)
			}
			if people != c.people || !near(mean, c.mean) || below != c.below {
				t.Errorf("%s indicator %d: %d people, mean %v, %d below; want %d, %v, %d", c.month, c.indicator, people, mean, below, c.people, c.mean, c.below)
			}
		}
		var groups int64
		if err := db.GetContext(ctx, &groups, `SELECT sum(people) FROM indicator_stats_monthly WHERE month = '2021-04' AND indicator = 1 AND group_id IS NOT NULL`); err != nil {
			t.Fatal(err)
		}
		if groups != 6 {
			t.Errorf("the groups hold %d people in April, want 6", groups)
		}
	})

	t.Run("timeline", func(t *testing.T) {
		status := func(id, month string) string {
			var s string
			if err := db.GetContext(ctx, &s, `SELECT status FROM milestone_status_monthly WHERE milestone = ? AND month = ?`, id, month); err != nil {
				t.Fatalf("%s %s: %v", id, month, err)
			}
			return s
		}
		for _, c := range []struct{ id, month, want string }{
			{"tap-huan", "2020-11", "due"},
			{"tap-huan", "2020-12", "done"},
			{"khao-sat-xong", "2020-12", "late"}, // TPD-005 never surveyed at baseline
			{"dang-ky-ca-nhan", "2020-12", "due"},
			{"dang-ky-ca-nhan", "2021-01", "late"}, // 6 of 31
			{"cuoi-ky-xong", "2021-03", "upcoming"},
		} {
			if got := status(c.id, c.month); got != c.want {
				t.Errorf("%s in %s: %s, want %s", c.id, c.month, got, c.want)
			}
		}
	})

	t.Run("data quality", func(t *testing.T) {
		type dq struct {
			Expected int64 `db:"expected"`
			OnTime   int64 `db:"on_time"`
			Late     int64 `db:"late"`
			Missing  int64 `db:"missing"`
			Refused  int64 `db:"files_refused"`
			Problems int64 `db:"problems"`
		}
		get := func(month, ward string) dq {
			var r dq
			if err := db.GetContext(ctx, &r, `SELECT expected, on_time, late, missing, files_refused, problems FROM data_quality_monthly WHERE month = ? AND ward = ?`, month, ward); err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := get("2020-12", "tan-phu-dong"); r != (dq{Expected: 5, OnTime: 3, Missing: 2}) {
			t.Errorf("tan-phu-dong, December: %+v; want 5 expected, 3 on time, 2 missing", r)
		}
		if r := get("2021-01", "tan-phu-dong"); r != (dq{Expected: 1, Late: 1}) {
			t.Errorf("tan-phu-dong, January: %+v; want November's activities late", r)
		}
		if r := get("2021-01", "tan-quy-tay"); r != (dq{Expected: 1, Missing: 1, Refused: 1, Problems: 3}) {
			t.Errorf("tan-quy-tay, January: %+v; want 1 missing (its file refused with 3 problems)", r)
		}
	})

	t.Run("snapshot", func(t *testing.T) {
		snap := db
		var n int
		if err := snap.GetContext(ctx, &n, `SELECT count(*) FROM citizen_status_monthly WHERE recognised AND month = '2021-07'`); err != nil {
			t.Fatal(err)
		}
		if n != 4 {
			t.Errorf("snapshot: %d recognised in July, want 4", n)
		}
		var raw int
		if err := snap.GetContext(ctx, &raw, `SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'raw%'`); err != nil {
			t.Fatal(err)
		}
		if raw != 0 {
			t.Errorf("snapshot holds %d raw tables", raw)
		}
		var doc string
		if err := snap.GetContext(ctx, &doc, `SELECT comment FROM duckdb_columns() WHERE table_name = 'citizen_status_monthly' AND column_name = 'status'`); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(doc, "eligible, not_yet or not_assessed") {
			t.Errorf("snapshot column comment = %q", doc)
		}
	})
}

// When the same person, round and day come in several rows of loaded files,
// the row of the file received last counts, and within a file the last row.
func TestRepeatedAssessmentsLatestCounts(t *testing.T) {
	cfg, db := pilot(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO ingest_files (file_id, sha256, original_name, ward, dataset, period, received_at, file_modified_at, size_bytes, status, rows_loaded, warnings, problems) VALUES
		 (8, 'a8', 'giua_ky_2.xlsx', 'tan-phu-dong', 'citizen_assessments', 'mid', TIMESTAMP '2021-04-10 09:00:00', TIMESTAMP '2021-04-10 08:00:00', 1, 'loaded', 3, 0, 0)`,
		`INSERT INTO ingest_file_tables (file_id, dataset, sheets, ward, period, rows, status, superseded_by) VALUES
		 (8, 'citizen_assessments', 'GK', 'tan-phu-dong', 'mid', 3, 'loaded', NULL)`,
		// TPD-005's 01/04 again, from a file received after file 4: 60 counts, not 90.
		// TPD-003's baseline day twice in one file: the last row (80) counts, not the
		// first (70) nor file 3's 94.5.
		`INSERT INTO raw_citizen_assessments (file_id, sheet, row_number, citizen_id, round, assessed_on, self_scores, reviewed_scores, reviewer) VALUES
		 (8, 'GK', 5, 'TPD-005', 'mid', DATE '2021-04-01', [6, 6, 6, 6, 6, 6, 6, 6, 6, 6], NULL, NULL),
		 (8, 'GK', 6, 'TPD-003', 'baseline', DATE '2020-12-11', [7, 7, 7, 7, 7, 7, 7, 7, 7, 7], NULL, NULL),
		 (8, 'GK', 7, 'TPD-003', 'baseline', DATE '2020-12-11', [8, 8, 8, 8, 8, 8, 8, 8, 8, 8], NULL, NULL)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Run(ctx, db, cfg, sqlFS(t), runAt); err != nil {
		t.Fatal(err)
	}
	snap := openSnapshot(t, cfg)
	var got []string
	if err := snap.SelectContext(ctx, &got, `SELECT a.assessment_id || ' ' || a.file_id || ':' || a.row_number || ' ' || CAST(s.total AS DOUBLE)
		FROM assessments a JOIN citizen_scores s USING (assessment_id)
		WHERE a.citizen_id IN ('TPD-003', 'TPD-005') ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	want := "TPD-003/baseline/2020-12-11 8:7 80.0|TPD-005/mid/2021-04-01 8:5 60.0"
	if g := strings.Join(got, "|"); g != want {
		t.Errorf("assessments = %s, want %s", g, want)
	}
}

// A failing data test stops publishing and names the test and its rows.
func TestFailingDataTestBlocksPublishing(t *testing.T) {
	cfg, db := pilot(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO raw_citizen_assessments (file_id, sheet, row_number, citizen_id, round, assessed_on, self_scores, reviewed_scores, reviewer) VALUES
		(3, 'KS', 99, 'TPD-404', 'baseline', DATE '2020-12-10', [8, 8, 8, 8, 8, 8, 8, 8, 8, 8], NULL, NULL)`); err != nil {
		t.Fatal(err)
	}
	_, err := Run(ctx, db, cfg, sqlFS(t), runAt)
	var failed *TestsFailedError
	if !errors.As(err, &failed) || !errors.Is(err, ErrTestsFailed) {
		t.Fatalf("err = %v, want the failing data test", err)
	}
	if len(failed.Failures) != 1 || failed.Failures[0].Test != "assessments_reference_citizens" ||
		!strings.Contains(strings.Join(failed.Failures[0].Sample, " "), "TPD-404") {
		t.Errorf("failures = %+v", failed.Failures)
	}
	if _, err := os.Stat(cfg.Paths.Snapshot); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a snapshot was published despite a failing test: %v", err)
	}
	if _, err := os.Stat(cfg.Paths.Snapshot + ".new"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the unpublished snapshot was left behind: %v", err)
	}
}

// openSnapshot opens the published snapshot read-only, as readers do.
func openSnapshot(t *testing.T, cfg *config.Config) *store.DB {
	t.Helper()
	opt := store.OptionsFrom(cfg)
	opt.ReadOnly = true
	snap, err := store.Open(context.Background(), cfg.Paths.Snapshot, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { snap.Close() })
	return snap
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func nullIf(s string) any {
	if s == "" {
		return nil
	}
	return s
}
