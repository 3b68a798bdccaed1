package transform

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/store"
)

// pilotEmpty is the Sa Đéc configuration with its paths in a temporary
// folder and its pipeline's database, migrated and empty.
func pilotEmpty(t *testing.T) (*config.Config, *store.DB) {
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
	return cfg, db
}

// world makes the ward files of a random sequence of loads and corrections:
// registrations (adding people, moving people between wards), their
// corrections (a file named as one replaces the ward's earlier ones, so
// people drop out), surveys of any round in any order (late files, scores
// lowered by a later survey or by a corrected file), decisions of
// recognition, re-exports under an earlier file's name, and files with an
// error, which ingest refuses.
type world struct {
	t    *testing.T
	cfg  *config.Config
	r    *rand.Rand
	step int
	ward map[string]string // person → the ward that last registered them
	// assessed are the people of any survey file written
	assessed map[string]bool
	files    map[string][]string
	faulty   bool // a faulty file was written
}

func (w *world) header(ds string, keys ...string) []string {
	d, ok := w.cfg.Dataset(ds)
	if !ok {
		w.t.Fatalf("no dataset %s", ds)
	}
	var h []string
	for _, k := range keys {
		c, ok := d.Column(k)
		if !ok {
			w.t.Fatalf("dataset %s: no column %s", ds, k)
		}
		h = append(h, c.Header)
	}
	return h
}

func (w *world) write(ward, name string, head []string, rows [][]string, sent time.Time) string {
	dir := filepath.Join(w.cfg.Paths.Inbox, ward)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		w.t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		w.t.Fatal(err)
	}
	cw := csv.NewWriter(f)
	_ = cw.Write(head)
	_ = cw.WriteAll(rows)
	cw.Flush()
	if err := errors.Join(cw.Error(), f.Close(), os.Chtimes(p, sent, sent)); err != nil {
		w.t.Fatal(err)
	}
	w.files[ward] = append(w.files[ward], name)
	return p
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }

func (w *world) person() string { return fmt.Sprintf("EQ-%03d", w.r.IntN(36)) }

func (w *world) people(n int) []string {
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		if p := w.person(); !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// registered are the people the ward registered last, in a random order
// (drawn from w.r, so that a seed makes the same sequence every time).
func (w *world) registered(ward string) []string {
	var out []string
	for p, wd := range w.ward {
		if wd == ward {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	w.r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// dayIn is a random day from from to the day before to (from when to is
// not after it).
func (w *world) dayIn(from, to time.Time) time.Time {
	n := int(to.Sub(from).Hours() / 24)
	if n < 1 {
		return from
	}
	return from.AddDate(0, 0, w.r.IntN(n))
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// next writes the step's file, received at now, and returns its path and ward.
func (w *world) next(now time.Time) (string, string) {
	w.step++
	ward := w.cfg.Wards[w.r.IntN(len(w.cfg.Wards))]
	sent := now.AddDate(0, 0, -w.r.IntN(4)) // sent a few days before it came, at times
	start := day(2020, 11, 1)
	switch k := w.r.IntN(10); {
	case k < 3 || len(w.registered(ward.Code)) == 0: // registrations, or their correction
		name := fmt.Sprintf("dang_ky_%02d.csv", w.step)
		who := w.people(3 + w.r.IntN(8))
		if k == 0 && len(w.files[ward.Code]) > 0 {
			// A correction replaces the ward's registrations: people it
			// leaves out are no longer registered there, but for those
			// assessed (the data tests want every assessment's person
			// registered), whom it keeps.
			name = fmt.Sprintf("dang_ky_%02d_ban_sua.csv", w.step)
			in := map[string]bool{}
			for _, p := range who {
				in[p] = true
			}
			for _, p := range w.registered(ward.Code) {
				if w.assessed[p] && !in[p] {
					who = append(who, p)
				} else if !in[p] {
					delete(w.ward, p)
				}
			}
		}
		var rows [][]string
		for _, p := range who {
			g := 1 + w.r.IntN(len(w.cfg.Groups))
			unit, hamlet := "", "Ấp 1"
			if units := w.unitsOf(ward.Code); g == 3 && len(units) > 0 {
				unit, hamlet = units[w.r.IntN(len(units))], ""
			}
			reg := w.dayIn(start, sent)
			rows = append(rows, []string{p, "Nguyễn Văn " + p, "Nam", strconv.Itoa(1960 + w.r.IntN(40)), strconv.Itoa(g), ward.Name, hamlet, unit, reg.Format("02/01/2006")})
			w.ward[p] = ward.Code
		}
		return w.write(ward.Code, name, w.header(config.DatasetCitizens, "citizen_id", "full_name", "gender", "birth_year", "target_group", "ward", "hamlet", "unit_code", "registered_on"), rows, sent), ward.Code
	case k < 8: // a survey, a re-export of one, its correction or a faulty one
		rounds := []struct {
			code  string
			start time.Time
		}{{"baseline", day(2020, 12, 1)}, {"mid", day(2021, 3, 1)}, {"final", day(2021, 6, 1)}}
		n := 1
		for n < len(rounds) && !rounds[n].start.After(sent.AddDate(0, 0, -20)) {
			n++
		}
		rd := rounds[w.r.IntN(n)]
		name := fmt.Sprintf("danh_gia_%s_%02d.csv", rd.code, w.step)
		switch w.r.IntN(6) {
		case 0:
			name = fmt.Sprintf("danh_gia_%s_%02d_ban_sua.csv", rd.code, w.step)
		case 1:
			name = fmt.Sprintf("danh_gia_%s.csv", rd.code) // named like an earlier one
		}
		keys := []string{"citizen_id", "round", "assessed_on"}
		for _, ind := range w.cfg.Citizen.Indicators {
			keys = append(keys, fmt.Sprintf("i%d", ind.Number))
		}
		var rows [][]string
		reg := w.registered(ward.Code)
		// (a faulty file at times, and one for sure by the 40th file)
		bad := w.r.IntN(12) == 0 || (!w.faulty && w.step >= 40)
		w.faulty = w.faulty || bad
		for _, p := range reg[:1+w.r.IntN(len(reg))] {
			on := w.dayIn(rd.start, earlier(sent, rd.start.AddDate(0, 0, 20)))
			on = on.AddDate(0, 0, -on.Day()%4) // a few days, so that a person may have two of a round
			rec := []string{p, rd.code, on.Format("02/01/2006")}
			w.assessed[p] = true
			base := 5 + w.r.IntN(5) // some pass (80, none below 5), some do not
			for range w.cfg.Citizen.Indicators {
				v := float64(base) + float64(w.r.IntN(5))/2
				if w.r.IntN(15) == 0 {
					v = 4.5
				}
				rec = append(rec, strconv.FormatFloat(min(v, 10), 'f', -1, 64))
			}
			if bad {
				rec[3] = "11"
			}
			rows = append(rows, rec)
		}
		return w.write(ward.Code, name, w.header(config.DatasetCitizenAssessments, keys...), rows, sent), ward.Code
	default: // decisions naming some of the ward's people
		reg := w.registered(ward.Code)
		number := fmt.Sprintf("%d/QĐ-UBND", 100+w.step)
		on := w.dayIn(start.AddDate(0, 1, 0), sent)
		on = on.AddDate(0, 0, -(on.Day()-1)%10) // the 1st, 11th, 21st or 31st: two decisions may name a person the same day
		var rows [][]string
		for _, p := range reg[:1+w.r.IntN(len(reg))] {
			rows = append(rows, []string{number, on.Format("02/01/2006"), w.cfg.Recognition.Issuer, w.cfg.Citizen.Name, p, "Nguyễn Văn " + p, ward.Name})
		}
		return w.write(ward.Code, fmt.Sprintf("quyet_dinh_%02d.csv", w.step),
			w.header(config.DatasetDecisions, "number", "decided_on", "issuer", "title", "citizen_id", "full_name", "ward"), rows, sent), ward.Code
	}
}

func (w *world) unitsOf(ward string) []string {
	var out []string
	for _, u := range w.cfg.Units {
		if u.Ward == ward {
			out = append(out, u.Code)
		}
	}
	return out
}

// sameTables fails unless every model's table holds the same rows, as a
// multiset, in the snapshots a and b: the same count and the same sum of the
// rows' 64-bit hashes, found for every table of both in one query (a
// twentieth of the time of EXCEPT ALL both ways, table by table, which the
// equivalence test would pay at each of its steps). A table that differs is
// compared with EXCEPT ALL both ways, which says how many rows differ and
// shows some.
func sameTables(t testing.TB, db *store.DB, models []Model, a, b, when string) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range []string{"ATTACH " + store.Literal(a) + " AS inc (READ_ONLY)", "ATTACH " + store.Literal(b) + " AS whole (READ_ONLY)"} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	defer conn.ExecContext(ctx, "DETACH whole")
	defer conn.ExecContext(ctx, "DETACH inc")
	var parts []string
	for i, m := range models {
		for _, d := range []string{"inc", "whole"} {
			parts = append(parts, fmt.Sprintf(`SELECT %d AS i, '%s' AS d, count(*) AS n, CAST(coalesce(sum(CAST(hash(t) AS HUGEINT)), 0) AS VARCHAR) AS h FROM %s.main.%s t`,
				i, d, d, store.Ident(m.Name)))
		}
	}
	var prints []struct {
		I int    `db:"i"`
		D string `db:"d"`
		N int64  `db:"n"`
		H string `db:"h"`
	}
	if err := conn.SelectContext(ctx, &prints, strings.Join(parts, "\nUNION ALL\n")); err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	type print struct {
		n int64
		h string
	}
	got := map[[2]any]print{}
	for _, p := range prints {
		got[[2]any{p.I, p.D}] = print{p.N, p.H}
	}
	for i, m := range models {
		if got[[2]any{i, "inc"}] == got[[2]any{i, "whole"}] {
			continue
		}
		var n [2]int64
		var rows int64
		q := `SELECT (SELECT count(*) FROM (SELECT * FROM inc.main.%[1]s EXCEPT ALL SELECT * FROM whole.main.%[1]s)),
		             (SELECT count(*) FROM (SELECT * FROM whole.main.%[1]s EXCEPT ALL SELECT * FROM inc.main.%[1]s)),
		             (SELECT count(*) FROM whole.main.%[1]s)`
		if err := conn.QueryRowContext(ctx, fmt.Sprintf(q, store.Ident(m.Name))).Scan(&n[0], &n[1], &rows); err != nil {
			t.Fatalf("%s: %s: %v", when, m.Name, err)
		}
		t.Errorf("%s: %s: %d row(s) only in the incremental run's, %d only in the full run's (of %d)", when, m.Name, n[0], n[1], rows)
		for _, d := range [][2]string{{"inc", "whole"}, {"whole", "inc"}} {
			q := fmt.Sprintf(`SELECT * FROM (SELECT * FROM %[2]s.main.%[1]s EXCEPT ALL SELECT * FROM %[3]s.main.%[1]s) ORDER BY ALL LIMIT 6`, store.Ident(m.Name), d[0], d[1])
			rs, err := conn.QueryxContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for rs.Next() {
				r := map[string]any{}
				if err := rs.MapScan(r); err != nil {
					t.Fatal(err)
				}
				t.Logf("  only in the %s run's: %s", map[string]string{"inc": "incremental", "whole": "full"}[d[0]], formatRow(r))
			}
			rs.Close()
		}
	}
}

// eqSeed seeds TestIncrementalEqualsFull's sequence of files.
var eqSeed = flag.Uint64("incremental.seed", 16, "the seed of TestIncrementalEqualsFull's random sequence of files")

// After any sequence of loads and corrections, the marts of incremental
// runs, each built on the one before, are those of a full run, table by
// table.
func TestIncrementalEqualsFull(t *testing.T) {
	cfg, db := pilotEmpty(t)
	ctx := context.Background()
	fsys := sqlFS(t)
	models, err := LoadModels(ctx, db, fsys, "models")
	if err != nil {
		t.Fatal(err)
	}
	seed := *eqSeed
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed %d: go test ./transform -run 'TestIncrementalEqualsFull$' -incremental.seed=%d", seed, seed)
		}
	})
	w := &world{t: t, cfg: cfg, r: rand.New(rand.NewPCG(seed, 2026)), ward: map[string]string{}, assessed: map[string]bool{}, files: map[string][]string{}}
	whole := filepath.Join(filepath.Dir(cfg.Paths.Snapshot), "full.duckdb")
	now := day(2020, 11, 20)
	counts := map[string]int{}
	var fewer, runs, compared int
	var spent [3]time.Duration    // in the incremental runs, the full runs, the comparisons
	status := map[string]string{} // each person's status by month, after the last run
	lowered := map[int]bool{}     // the steps that lowered someone's status from eligible to not_yet
	for runs < 55 {
		now = now.AddDate(0, 0, 5)
		path, ward := w.next(now)
		l := &ingest.Loader{DB: db, Cfg: cfg, Now: now, Sleep: func(context.Context, time.Duration) error { return nil }}
		out, err := l.Load(ctx, path, ward)
		if err != nil && out.Status != ingest.StatusRefused {
			t.Fatalf("step %d: %s: %v", w.step, filepath.Base(path), err)
		}
		counts[string(out.Status)]++
		if out.Status == ingest.StatusRefused && testing.Verbose() {
			t.Logf("step %d: %s refused: %v %s", w.step, filepath.Base(path), err, out.Receipt)
			if out.Result != nil {
				for _, p := range out.Result.Problems {
					t.Logf("  %+v", p)
				}
			}
		}
		if out.Status != ingest.StatusLoaded && out.Status != ingest.StatusRefused {
			continue
		}
		runs++
		res, err := Run(ctx, db, cfg, fsys, now)
		if err != nil {
			t.Fatalf("step %d (%s %s): incremental run: %v", w.step, filepath.Base(path), out.Status, err)
		}
		if runs > 1 && res.Kind != KindIncremental {
			t.Fatalf("step %d: a %s run (%s), want incremental", w.step, res.Kind, res.Reason)
		}
		for _, m := range res.Models {
			if want := ModeSums; res.Kind == KindIncremental && m.Name == "indicator_sums_monthly" && m.Mode != want {
				t.Fatalf("step %d: %s was computed %s, want %s", w.step, m.Name, m.Mode, want)
			}
		}
		var registered int64
		var standing []struct {
			Key    string `db:"k"`
			Status string `db:"status"`
		}
		full := openSnapshot(t, cfg)
		if err := full.GetContext(ctx, &registered, "SELECT count(*) FROM citizens"); err != nil {
			t.Fatal(err)
		}
		if err := full.SelectContext(ctx, &standing, "SELECT citizen_id || ' ' || month AS k, status FROM citizen_status_monthly"); err != nil {
			t.Fatal(err)
		}
		full.Close()
		cur := map[string]string{}
		for _, s := range standing {
			cur[s.Key] = s.Status
			if status[s.Key] == "eligible" && s.Status == "not_yet" {
				lowered[w.step] = true
			}
		}
		status = cur
		if res.Kind == KindIncremental && res.People < registered {
			fewer++
		}
		// A full run to compare with after every file.
		compared++
		spent[0] += res.Duration
		tFull := time.Now()
		if _, err := runPass(ctx, db, cfg, fsys, pass{path: whole, step: func(_ string, _ Step, err error) error { return err }}); err != nil {
			t.Fatalf("step %d: full run: %v", w.step, err)
		}
		tCmp := time.Now()
		sameTables(t, db, models, cfg.Paths.Snapshot, whole, fmt.Sprintf("step %d (%s, %s)", w.step, filepath.Base(path), out.Status))
		spent[1] += tCmp.Sub(tFull)
		spent[2] += time.Since(tCmp)
		if t.Failed() {
			t.FailNow()
		}
	}
	var size [2]int64
	for i, p := range []string{cfg.Paths.Snapshot, whole} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		size[i] = st.Size()
	}
	t.Logf("seed %d, %d files: %v; %d of %d incremental runs recomputed fewer people than were registered; %d compared with a full run; the snapshot %d bytes, a full run's %d; %v in the incremental runs, %v in the full runs, %v comparing",
		seed, w.step, counts, fewer, runs-1, compared, size[0], size[1], spent[0].Round(time.Millisecond), spent[1].Round(time.Millisecond), spent[2].Round(time.Millisecond))
	if counts["loaded"] < 40 || counts["refused"] == 0 {
		t.Errorf("the sequence loaded %d files and refused %d: want at least 40 loaded and one refused", counts["loaded"], counts["refused"])
	}
	if fewer < 10 {
		t.Errorf("only %d incremental runs recomputed fewer people than all", fewer)
	}
	var moved int64
	if err := db.GetContext(ctx, &moved, `SELECT count(DISTINCT citizen_id) FROM (SELECT citizen_id FROM raw_citizens GROUP BY citizen_id HAVING count(DISTINCT ward) > 1)`); err != nil {
		t.Fatal(err)
	}
	if moved == 0 {
		t.Error("no person moved between wards in the sequence")
	}
	if len(lowered) == 0 {
		t.Error("no file lowered a person's status from eligible to not_yet")
	}
	var superseded, decided int64
	if err := db.GetContext(ctx, &superseded, `SELECT count(*) FROM ingest_file_tables WHERE status = 'superseded'`); err != nil {
		t.Fatal(err)
	}
	if err := db.GetContext(ctx, &decided, `SELECT count(*) FROM raw_decisions d SEMI JOIN ingest_file_tables f ON f.file_id = d.file_id AND f.status = 'loaded'`); err != nil {
		t.Fatal(err)
	}
	if superseded == 0 || decided == 0 {
		t.Errorf("the sequence superseded %d files' tables and loaded %d decisions' rows: want some of each", superseded, decided)
	}
	var sameDay int64
	if err := db.GetContext(ctx, &sameDay, `SELECT count(*) FROM (SELECT citizen_id, decided_on FROM raw_decisions d SEMI JOIN ingest_file_tables f ON f.file_id = d.file_id AND f.status = 'loaded'
		GROUP BY citizen_id, decided_on HAVING count(DISTINCT decision_number) > 1)`); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files lowered a status, %d tables superseded, %d decisions' rows, %d people named by two decisions of one day", len(lowered), superseded, decided, sameDay)
}

// A configuration change, a changed SQL model or a full run asked for makes
// a full run, which says why; model_runs records each run's kind.
func TestIncrementalFallsBackToFull(t *testing.T) {
	cfg, db := pilot(t)
	ctx := context.Background()
	fsys := sqlFS(t)
	kind := func(res *Result, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return res.Kind + ": " + res.Reason
	}
	steps := []struct {
		name string
		run  func() (*Result, error)
		want string
	}{
		{"first", func() (*Result, error) { return Run(ctx, db, cfg, fsys, runAt) }, "full: no published snapshot"},
		{"again", func() (*Result, error) { return Run(ctx, db, cfg, fsys, runAt.Add(time.Hour)) }, "incremental: "},
		{"--full", func() (*Result, error) { return RunFull(ctx, db, cfg, fsys, runAt.Add(2*time.Hour)) }, "full: a full run was asked for"},
		{"config", func() (*Result, error) {
			cfg.Citizen.PassTotal = 81
			return Run(ctx, db, cfg, fsys, runAt.Add(3*time.Hour))
		}, "full: the configuration changed"},
		{"model", func() (*Result, error) {
			return Run(ctx, db, cfg, changedModel(t, fsys, "progress_monthly"), runAt.Add(4*time.Hour))
		}, "full: the SQL models or tests changed"},
		{"after", func() (*Result, error) {
			return Run(ctx, db, cfg, changedModel(t, fsys, "progress_monthly"), runAt.Add(5*time.Hour))
		}, "incremental: "},
	}
	for _, s := range steps {
		if got := kind(s.run()); got != s.want {
			t.Errorf("%s: %q, want %q", s.name, got, s.want)
		}
	}
	// A migration applied since makes a full run.
	if _, err := db.ExecContext(ctx, `INSERT INTO schema_version VALUES (999, '999_test.sql', current_timestamp)`); err != nil {
		t.Fatal(err)
	}
	if got := kind(Run(ctx, db, cfg, changedModel(t, fsys, "progress_monthly"), runAt.Add(5*time.Hour+time.Minute))); got != "full: the database's migrations changed" {
		t.Errorf("after a migration: %q", got)
	}
	// A published snapshot that cannot be opened is made again whole.
	if err := os.WriteFile(cfg.Paths.Snapshot, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := kind(Run(ctx, db, cfg, fsys, runAt.Add(6*time.Hour))); !strings.HasPrefix(got, "full: the published snapshot cannot be opened") {
		t.Errorf("after the snapshot was overwritten: %q", got)
	}
	if got := kind(Run(ctx, db, cfg, fsys, runAt.Add(7*time.Hour))); got != "incremental: " {
		t.Errorf("the run after: %q", got)
	}
	var kinds []string
	if err := db.SelectContext(ctx, &kinds, `SELECT DISTINCT run_kind || '/' || coalesce(mode, '-') || '/' || model FROM model_runs
		WHERE model IN ('citizens', 'progress_monthly') AND kind = 'model' AND started_at = ? ORDER BY 1`, runAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kinds, " "); got != "incremental/people/citizens incremental/whole/progress_monthly" {
		t.Errorf("model_runs of the incremental run: %s", got)
	}
}

// changedModel is fsys with one model's SQL changed in a way that changes no
// result.
func changedModel(t *testing.T, fsys fs.FS, model string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if p == "models/"+model+".sql" {
			b = []byte(strings.Replace(string(b), "\nSELECT ", "\nSELECT /* changed */ ", 1))
		}
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A data test run on the changed people only still fails on them: a
// correction that drops an assessed person from the registrations fails
// assessments_reference_citizens in an incremental run as in a full one.
func TestIncrementalTestsTheChangedPeople(t *testing.T) {
	cfg, db := pilotEmpty(t)
	ctx := context.Background()
	fsys := sqlFS(t)
	w := &world{t: t, cfg: cfg, files: map[string][]string{}}
	ward := cfg.Wards[0]
	reg := func(name string, people ...string) string {
		var rows [][]string
		for _, p := range people {
			rows = append(rows, []string{p, "Trần Thị " + p, "Nữ", "1980", "1", ward.Name, "Ấp 1", "", "16/11/2020"})
		}
		return w.write(ward.Code, name, w.header(config.DatasetCitizens, "citizen_id", "full_name", "gender", "birth_year", "target_group", "ward", "hamlet", "unit_code", "registered_on"), rows, day(2020, 11, 20))
	}
	keys, rec := baselineEight(cfg)
	now := day(2020, 12, 20)
	l := &ingest.Loader{DB: db, Cfg: cfg, Now: now, Sleep: func(context.Context, time.Duration) error { return nil }}
	for _, p := range []string{
		reg("dang_ky.csv", "EQ-001", "EQ-002"),
		w.write(ward.Code, "danh_gia.csv", w.header(config.DatasetCitizenAssessments, keys...), [][]string{rec}, day(2020, 12, 15)),
	} {
		if out, err := l.Load(ctx, p, ward.Code); err != nil || out.Status != ingest.StatusLoaded {
			t.Fatalf("%s: %s %v", p, out.Status, err)
		}
	}
	if _, err := Run(ctx, db, cfg, fsys, now); err != nil {
		t.Fatal(err)
	}
	if out, err := l.Load(ctx, reg("dang_ky_ban_sua.csv", "EQ-002"), ward.Code); err != nil || out.Status != ingest.StatusLoaded {
		t.Fatalf("the correction: %s %v", out.Status, err)
	}
	res, err := Run(ctx, db, cfg, fsys, now.Add(time.Hour))
	var failed *TestsFailedError
	if !errors.As(err, &failed) || res.Kind != KindIncremental {
		t.Fatalf("a %s run: %v, want an incremental one failing a data test", res.Kind, err)
	}
	if len(failed.Failures) != 1 || failed.Failures[0].Test != "assessments_reference_citizens" || failed.Failures[0].Rows != 1 {
		t.Errorf("failures: %+v", failed.Failures)
	}
	var mode string
	if err := db.GetContext(ctx, &mode, `SELECT run_kind || '/' || mode FROM model_runs WHERE model = 'assessments_reference_citizens' AND started_at = ?`, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if mode != "incremental/people" {
		t.Errorf("the test's model_runs row: %s", mode)
	}
}

// Of two decisions recognising a person on the same day, the lower number
// counts, whichever file came first: in a full run, and in an incremental
// run, whose tables' rows lie in another order than a full run's.
func TestSameDayDecisions(t *testing.T) {
	cfg, db := pilotEmpty(t)
	ctx := context.Background()
	fsys := sqlFS(t)
	models, err := LoadModels(ctx, db, fsys, "models")
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, cfg: cfg, files: map[string][]string{}}
	ward := cfg.Wards[0]
	var reg [][]string
	for _, p := range []string{"EQ-001", "EQ-002", "EQ-003"} {
		reg = append(reg, []string{p, "Trần Thị " + p, "Nữ", "1980", "1", ward.Name, "Ấp 1", "", "16/11/2020"})
	}
	decisions := func(name string, sent time.Time, rows ...[2]string) string {
		var out [][]string
		for _, r := range rows {
			out = append(out, []string{r[0], "15/03/2021", cfg.Recognition.Issuer, cfg.Citizen.Name, r[1], "Trần Thị " + r[1], ward.Name})
		}
		return w.write(ward.Code, name, w.header(config.DatasetDecisions, "number", "decided_on", "issuer", "title", "citizen_id", "full_name", "ward"), out, sent)
	}
	files := []string{
		w.write(ward.Code, "dang_ky.csv", w.header(config.DatasetCitizens, "citizen_id", "full_name", "gender", "birth_year", "target_group", "ward", "hamlet", "unit_code", "registered_on"), reg, day(2020, 11, 20)),
		decisions("quyet_dinh_1.csv", day(2021, 3, 20), [2]string{"130/QĐ-UBND", "EQ-001"}, [2]string{"95/QĐ-UBND", "EQ-002"}),
		decisions("quyet_dinh_2.csv", day(2021, 3, 25), [2]string{"95/QĐ-UBND", "EQ-001"}, [2]string{"130/QĐ-UBND", "EQ-002"}),
	}
	whole := filepath.Join(filepath.Dir(cfg.Paths.Snapshot), "full.duckdb")
	for i, p := range files {
		now := day(2021, 3, 26).AddDate(0, 0, i)
		l := &ingest.Loader{DB: db, Cfg: cfg, Now: now, Sleep: func(context.Context, time.Duration) error { return nil }}
		if out, err := l.Load(ctx, p, ward.Code); err != nil || out.Status != ingest.StatusLoaded {
			t.Fatalf("%s: %s %v", filepath.Base(p), out.Status, err)
		}
		if _, err := Run(ctx, db, cfg, fsys, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := runPass(ctx, db, cfg, fsys, pass{path: whole, step: func(_ string, _ Step, err error) error { return err }}); err != nil {
		t.Fatal(err)
	}
	for _, snap := range []string{cfg.Paths.Snapshot, whole} {
		opt := store.OptionsFrom(cfg)
		opt.ReadOnly = true
		s, err := store.Open(ctx, snap, opt)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		if err := s.SelectContext(ctx, &got, `SELECT DISTINCT citizen_id || ' ' || decision_number FROM citizen_status_monthly WHERE recognised ORDER BY 1`); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if want := "EQ-001 95/QĐ-UBND, EQ-002 95/QĐ-UBND"; strings.Join(got, ", ") != want {
			t.Errorf("%s: the decisions that count: %s, want %s", filepath.Base(snap), strings.Join(got, ", "), want)
		}
	}
	sameTables(t, db, models, cfg.Paths.Snapshot, whole, "after the second decision")
}

// A model of sums whose sums are not exact cannot be brought up to date by
// shares: an incremental run stops on it, naming the column, instead of
// adding up floating-point totals that drift from a full run's.
func TestIncrementalSumsMustBeExact(t *testing.T) {
	cfg, db := pilotEmpty(t)
	ctx := context.Background()
	fsys := fstest.MapFS{}
	if err := fs.WalkDir(sqlFS(t), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sqlFS(t), p)
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	fsys["models/score_means.sql"] = &fstest.MapFile{Data: []byte("-- incremental sums by: month\n" +
		"SELECT month, count(*) AS people, CAST(sum(total) AS DOUBLE) AS total FROM citizen_status_monthly GROUP BY month")}
	w := &world{t: t, cfg: cfg, files: map[string][]string{}}
	ward := cfg.Wards[0]
	reg := w.write(ward.Code, "dang_ky.csv", w.header(config.DatasetCitizens, "citizen_id", "full_name", "gender", "birth_year", "target_group", "ward", "hamlet", "unit_code", "registered_on"),
		[][]string{{"EQ-001", "Trần Thị Một", "Nữ", "1980", "1", ward.Name, "Ấp 1", "", "16/11/2020"}}, day(2020, 11, 20))
	keys, rec := baselineEight(cfg)
	now := day(2020, 12, 20)
	l := &ingest.Loader{DB: db, Cfg: cfg, Now: now, Sleep: func(context.Context, time.Duration) error { return nil }}
	if out, err := l.Load(ctx, reg, ward.Code); err != nil || out.Status != ingest.StatusLoaded {
		t.Fatalf("%s: %s %v", reg, out.Status, err)
	}
	if _, err := Run(ctx, db, cfg, fsys, now); err != nil {
		t.Fatal(err)
	}
	survey := w.write(ward.Code, "danh_gia.csv", w.header(config.DatasetCitizenAssessments, keys...), [][]string{rec}, day(2020, 12, 15))
	if out, err := l.Load(ctx, survey, ward.Code); err != nil || out.Status != ingest.StatusLoaded {
		t.Fatalf("%s: %s %v", survey, out.Status, err)
	}
	_, err := Run(ctx, db, cfg, fsys, now.Add(time.Hour))
	if err == nil || !strings.Contains(err.Error(), "models/score_means.sql (the changed people's shares): column total is DOUBLE: the sums of a model incremental by its sums are integers or exact decimals") {
		t.Errorf("incremental run: %v", err)
	}
}

// baselineEight is the header and the row of a survey of EQ-001 at the
// baseline, 10/12/2020, scoring 8 on every indicator.
func baselineEight(cfg *config.Config) (keys, rec []string) {
	keys = []string{"citizen_id", "round", "assessed_on"}
	rec = []string{"EQ-001", "baseline", "10/12/2020"}
	for _, ind := range cfg.Citizen.Indicators {
		keys = append(keys, fmt.Sprintf("i%d", ind.Number))
		rec = append(rec, "8")
	}
	return keys, rec
}
