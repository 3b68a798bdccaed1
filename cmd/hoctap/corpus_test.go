package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap/store"
)

// The practice corpus (shared/corpus/sadec-practice: files made the way ward
// offices and form tools make them) in a new workspace, dated as sent, loaded
// and transformed by the real binary: every file has the outcome its
// truth.json gives — loaded with its rows, refused with every problem it
// lists, or a duplicate — and every figure truth.json states follows. The
// numbers are read from truth.json, never written here.

// truth is what the test reads of truth.json.
type truth struct {
	Layout struct {
		Root        string            `json:"root"`
		WardFolders map[string]string `json:"ward_folders"`
	} `json:"layout"`
	Files []struct {
		Path      string `json:"path"`
		Ward      string `json:"ward"`
		Outcome   string `json:"outcome"`
		Dataset   string `json:"dataset"`
		Rows      int    `json:"rows"`
		SentAt    string `json:"sent_at"`
		Duplicate string `json:"duplicate_of"`
		Sheets    []struct {
			Name  *string `json:"name"`
			First int     `json:"first_data_row"`
			Last  int     `json:"last_data_row"`
			Rows  int     `json:"rows"`
		} `json:"sheets"`
		Problems []struct {
			Sheet  *string `json:"sheet"`
			Row    int     `json:"row"`
			Column *string `json:"column"`
			Letter *string `json:"column_letter"`
			Value  *string `json:"value"`
			Code   string  `json:"code"`
		} `json:"problems"`
	} `json:"files"`
	Registered struct {
		ByWard         map[string]int            `json:"by_ward"`
		ByWardAndGroup map[string]map[string]int `json:"by_ward_and_group"`
		Total          int                       `json:"total"`
	} `json:"registered"`
	Units struct {
		Count   int            `json:"count"`
		Members int            `json:"members"`
		ByWard  map[string]int `json:"by_ward"`
	} `json:"units"`
	UnitAssessments struct {
		Count      int            `json:"count"`
		Recognised int            `json:"recognised"`
		ByGrade    map[string]int `json:"by_grade"`
	} `json:"unit_assessments"`
	Assessments struct {
		RowsLoaded  int                       `json:"rows_loaded"`
		Counting    int                       `json:"counting"`
		ByWardRound map[string]map[string]int `json:"counting_by_ward_and_round"`
	} `json:"assessments"`
	Months map[string]struct {
		Registered map[string]int `json:"registered"`
		Assessed   map[string]int `json:"assessed"`
		Recognised map[string]int `json:"recognised"`
		Codes      []string       `json:"recognised_codes"`
	} `json:"months"`
	Status     map[string]map[string]monthStatus `json:"status_by_month"`
	Activities struct {
		Count        int                                   `json:"count"`
		Participants int                                   `json:"participants"`
		Hours        float64                               `json:"hours"`
		ByWardMonth  map[string]map[string]activityFigures `json:"by_ward_and_month"`
	} `json:"activities"`
}

type monthStatus struct {
	Status     string   `json:"status"`
	Round      string   `json:"round"`
	AssessedOn string   `json:"assessed_on"`
	Total      *float64 `json:"total"`
	Min        *float64 `json:"min_score"`
}

type activityFigures struct {
	Activities   int     `json:"activities"`
	Participants int     `json:"participants"`
	Hours        float64 `json:"hours"`
}

// corpusDir finds shared/corpus/sadec-practice beside the repository or a
// folder above it (where the workplace and CI put shared/).
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		c := filepath.Join(dir, "shared", "corpus", "sadec-practice")
		if _, err := os.Stat(filepath.Join(c, "truth.json")); err == nil {
			return c
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("the practice corpus shared/corpus/sadec-practice is not beside the repository or above it")
		}
		dir = up
	}
}

func TestPracticeCorpus(t *testing.T) {
	corpus := corpusDir(t)
	var tr truth
	b, err := os.ReadFile(filepath.Join(corpus, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if r := runHoctap(t, dir, "init", "ws"); r.code != 0 {
		t.Fatalf("init: %d %s", r.code, r.stderr)
	}
	ws := filepath.Join(dir, "ws")
	inbox := filepath.Join(ws, "data", "inbox")
	for _, f := range tr.Files {
		dst := filepath.Join(inbox, filepath.FromSlash(f.Path))
		copyCorpusFile(t, filepath.Join(corpus, filepath.FromSlash(f.Path)), dst)
		sent, err := time.Parse(time.RFC3339, f.SentAt)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(dst, sent, sent); err != nil { // the modification time is the send time
			t.Fatal(err)
		}
	}
	r := runHoctap(t, ws, "ingest")
	refused := 0
	for _, f := range tr.Files {
		if f.Outcome == "refused" {
			refused++
		}
	}
	if want := map[bool]int{true: exitData, false: exitOK}[refused > 0]; r.code != want {
		t.Fatalf("ingest: exit %d, want %d\n%s\n%s", r.code, want, r.stdout, r.stderr)
	}
	t.Log(r.stdout)
	checkOutcomes(t, ws, tr)
	if r := runHoctap(t, ws, "transform"); r.code != exitOK {
		t.Fatalf("transform: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	checkFigures(t, ws, tr)
	if left, _ := filepath.Glob(filepath.Join(inbox, "*", "*")); len(left) != 0 {
		t.Errorf("files left in the inbox: %v", left)
	}
}

func copyCorpusFile(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// checkOutcomes compares every file's outcome with the pipeline's bookkeeping.
func checkOutcomes(t *testing.T, ws string, tr truth) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(ws, "data", "hoctap.duckdb"), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range tr.Files {
		name := filepath.Base(f.Path)
		var rec []struct {
			ID     int64   `db:"file_id"`
			Status string  `db:"status"`
			Ward   *string `db:"ward"`
			Rows   int     `db:"rows_loaded"`
			DS     *string `db:"dataset"`
		}
		if err := db.SelectContext(ctx, &rec, `SELECT file_id, status, ward, rows_loaded, dataset FROM ingest_files WHERE original_name = ?`, name); err != nil {
			t.Fatal(err)
		}
		switch f.Outcome {
		case "duplicate":
			if len(rec) != 0 {
				t.Errorf("%s: a duplicate recorded as a file of its own: %+v", f.Path, rec)
			}
			continue
		case "loaded", "refused":
			if len(rec) != 1 {
				t.Errorf("%s: %d records, want 1", f.Path, len(rec))
				continue
			}
		}
		got := rec[0]
		ward := ""
		if got.Ward != nil {
			ward = *got.Ward
		}
		if want := f.Ward; ward != want && !(f.Ward == "" && got.Ward == nil) {
			t.Errorf("%s: ward %q, want %q", f.Path, ward, want)
		}
		switch f.Outcome {
		case "loaded":
			if got.Status != "loaded" || got.Rows != f.Rows || got.DS == nil || *got.DS != f.Dataset {
				t.Errorf("%s: %s with %d rows of %v, want loaded with %d rows of %s", f.Path, got.Status, got.Rows, got.DS, f.Rows, f.Dataset)
			}
			checkSheets(t, db, f.Path, got.ID, f.Dataset, f.Sheets)
		case "refused":
			var ps []struct {
				Sheet  *string `db:"sheet"`
				Row    *int    `db:"row_number"`
				Column *string `db:"column_name"`
				Value  *string `db:"value"`
				Code   string  `db:"code"`
			}
			if err := db.SelectContext(ctx, &ps, `SELECT sheet, row_number, column_name, value, code FROM ingest_problems WHERE file_id = ? AND severity = 'error'`, got.ID); err != nil {
				t.Fatal(err)
			}
			if got.Status != "refused" || len(ps) != len(f.Problems) {
				t.Errorf("%s: %s with %d problems, want refused with %d: %+v", f.Path, got.Status, len(ps), len(f.Problems), ps)
			}
			for _, want := range f.Problems {
				found := slices.ContainsFunc(ps, func(p struct {
					Sheet  *string `db:"sheet"`
					Row    *int    `db:"row_number"`
					Column *string `db:"column_name"`
					Value  *string `db:"value"`
					Code   string  `db:"code"`
				}) bool {
					row := 0
					if p.Row != nil {
						row = *p.Row
					}
					col := ""
					if p.Column != nil {
						col = *p.Column
					}
					val := ""
					if p.Value != nil {
						val = *p.Value
					}
					return p.Code == want.Code && row == want.Row &&
						(want.Column == nil || strings.Contains(col, `"`+*want.Column+`"`)) &&
						(want.Letter == nil || strings.Contains(col, "("+*want.Letter+")")) &&
						(want.Value == nil || val == *want.Value) &&
						(want.Sheet == nil || p.Sheet != nil && *p.Sheet == *want.Sheet)
				})
				if !found {
					t.Errorf("%s: no problem %s at row %d, column %v (%v), value %v; problems %+v", f.Path, want.Code, want.Row, str(want.Column), str(want.Letter), str(want.Value), ps)
				}
			}
		}
	}
}

func str(s *string) string {
	if s == nil {
		return "—"
	}
	return *s
}

// checkSheets compares the rows a loaded file's sheets gave with truth.json.
func checkSheets(t *testing.T, db *store.DB, path string, id int64, dataset string, sheets []struct {
	Name  *string `json:"name"`
	First int     `json:"first_data_row"`
	Last  int     `json:"last_data_row"`
	Rows  int     `json:"rows"`
}) {
	for _, sh := range sheets {
		var got struct {
			Rows  int  `db:"rows"`
			First *int `db:"first"`
			Last  *int `db:"last"`
		}
		q := fmt.Sprintf(`SELECT count(DISTINCT row_number) AS rows, min(row_number) AS first, max(row_number) AS last
			FROM raw_%s WHERE file_id = ? AND sheet IS NOT DISTINCT FROM ?`, dataset)
		if err := db.GetContext(context.Background(), &got, q, id, sh.Name); err != nil {
			t.Fatal(err)
		}
		if got.Rows != sh.Rows || got.First == nil || *got.First != sh.First || *got.Last != sh.Last {
			t.Errorf("%s, sheet %v: rows %d (%v–%v), want %d (%d–%d)", path, str(sh.Name), got.Rows, got.First, got.Last, sh.Rows, sh.First, sh.Last)
		}
	}
}

// The figures, from the published snapshot as a reader sees it. The status of
// a month is what the scores make of a person: truth.json's "recognised" is
// meeting the title's criteria, what the models call eligible (recognised,
// there, takes a decision).
const (
	qRegisteredByGroup = `SELECT ward, CAST(group_id AS VARCHAR) AS k, count(*) AS n FROM citizens GROUP BY ALL`
	qUnits             = `SELECT count(*) AS count, coalesce(sum(members), 0) AS members FROM units WHERE registered`
	qUnitsByWard       = `SELECT ward AS k, count(*) AS n FROM units WHERE registered GROUP BY ALL`
	qUnitGrades        = `SELECT grade AS k, count(*) AS n FROM unit_scores GROUP BY ALL`
	qUnitRecognised    = `SELECT count(*) FROM unit_scores u, cfg_unit_scheme s WHERE u.total >= s.recognised_min` // the grade, whatever the round
	qCounting          = `SELECT count(*) FROM assessments`
	qCountingByWard    = `SELECT c.ward, a.round AS k, count(*) AS n FROM assessments a JOIN citizens c USING (citizen_id) GROUP BY ALL`
	qMonthWard         = `SELECT ward AS k, registered, assessed, eligible AS recognised FROM progress_monthly WHERE level = 'ward' AND month = ?`
	qMonthCity         = `SELECT registered, assessed, eligible AS recognised FROM progress_monthly WHERE level = 'city' AND month = ?`
	qRecognisedCodes   = `SELECT citizen_id FROM citizen_status_monthly WHERE month = ? AND status = 'eligible' ORDER BY citizen_id`
	qStatus            = `SELECT citizen_id, month, replace(status, 'eligible', 'recognised') AS status, coalesce(round, '') AS round, coalesce(strftime(assessed_on, '%Y-%m-%d'), '') AS assessed_on,
	                             CAST(total AS DOUBLE) AS total, CAST(min_score AS DOUBLE) AS min_score FROM citizen_status_monthly`
	qActivities        = `SELECT count(*) AS count, coalesce(sum(participants), 0) AS participants, coalesce(CAST(sum(hours) AS DOUBLE), 0) AS hours FROM activities`
	qActivitiesMonthly = `SELECT ward, month, activities, participants, CAST(hours AS DOUBLE) AS hours FROM activities_monthly`
)

func checkFigures(t *testing.T, ws string, tr truth) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(ws, "data", "published", "hoctap.duckdb"), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	get := func(dest any, q string, args ...any) {
		t.Helper()
		if err := db.GetContext(ctx, dest, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	type kn struct {
		Ward string `db:"ward"`
		K    string `db:"k"`
		N    int    `db:"n"`
	}
	counts := func(q string) []kn {
		t.Helper()
		var rows []kn
		if err := db.SelectContext(ctx, &rows, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return rows
	}
	// registrations
	groups := map[string]map[string]int{}
	total := 0
	for _, r := range counts(qRegisteredByGroup) {
		if groups[r.Ward] == nil {
			groups[r.Ward] = map[string]int{}
		}
		groups[r.Ward][r.K] = r.N
		total += r.N
	}
	if total != tr.Registered.Total || fmt.Sprint(groups) != fmt.Sprint(tr.Registered.ByWardAndGroup) {
		t.Errorf("registered: %d %v, want %d %v", total, groups, tr.Registered.Total, tr.Registered.ByWardAndGroup)
	}
	// units and their self-assessments
	var u struct {
		Count   int `db:"count"`
		Members int `db:"members"`
	}
	get(&u, qUnits)
	byWard := map[string]int{}
	for _, r := range counts(qUnitsByWard) {
		byWard[r.K] = r.N
	}
	if u.Count != tr.Units.Count || u.Members != tr.Units.Members || fmt.Sprint(byWard) != fmt.Sprint(tr.Units.ByWard) {
		t.Errorf("units: %d, %d members, %v; want %d, %d, %v", u.Count, u.Members, byWard, tr.Units.Count, tr.Units.Members, tr.Units.ByWard)
	}
	grades := map[string]int{}
	n := 0
	for _, r := range counts(qUnitGrades) {
		grades[r.K] = r.N
		n += r.N
	}
	var recognisedUnits int
	get(&recognisedUnits, qUnitRecognised)
	if n != tr.UnitAssessments.Count || recognisedUnits != tr.UnitAssessments.Recognised || fmt.Sprint(grades) != fmt.Sprint(tr.UnitAssessments.ByGrade) {
		t.Errorf("unit self-assessments: %d, %d recognised, %v; want %d, %d, %v", n, recognisedUnits, grades, tr.UnitAssessments.Count, tr.UnitAssessments.Recognised, tr.UnitAssessments.ByGrade)
	}
	// assessments
	var counting int
	get(&counting, qCounting)
	rounds := map[string]map[string]int{}
	for w := range tr.Assessments.ByWardRound {
		rounds[w] = map[string]int{}
		for r := range tr.Assessments.ByWardRound[w] {
			rounds[w][r] = 0
		}
	}
	for _, r := range counts(qCountingByWard) {
		if rounds[r.Ward] == nil {
			rounds[r.Ward] = map[string]int{}
		}
		rounds[r.Ward][r.K] = r.N
	}
	if counting != tr.Assessments.Counting || fmt.Sprint(rounds) != fmt.Sprint(tr.Assessments.ByWardRound) {
		t.Errorf("assessments that count: %d %v, want %d %v", counting, rounds, tr.Assessments.Counting, tr.Assessments.ByWardRound)
	}
	// month by month
	for month, m := range tr.Months {
		var wards []struct {
			K          string `db:"k"`
			Registered int    `db:"registered"`
			Assessed   int    `db:"assessed"`
			Recognised int    `db:"recognised"`
		}
		if err := db.SelectContext(ctx, &wards, qMonthWard, month); err != nil {
			t.Fatal(err)
		}
		var city struct {
			Registered int `db:"registered"`
			Assessed   int `db:"assessed"`
			Recognised int `db:"recognised"`
		}
		get(&city, qMonthCity, month)
		got := map[string][3]int{"total": {city.Registered, city.Assessed, city.Recognised}}
		want := map[string][3]int{}
		for _, w := range wards {
			got[w.K] = [3]int{w.Registered, w.Assessed, w.Recognised}
		}
		for k := range m.Registered {
			want[k] = [3]int{m.Registered[k], m.Assessed[k], m.Recognised[k]}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: registered, assessed, recognised %v, want %v", month, got, want)
		}
		var codes []string
		if err := db.SelectContext(ctx, &codes, qRecognisedCodes, month); err != nil {
			t.Fatal(err)
		}
		want2 := slices.Clone(m.Codes)
		slices.Sort(want2)
		if !slices.Equal(codes, want2) && !(len(codes) == 0 && len(want2) == 0) {
			t.Errorf("%s: recognised %v, want %v", month, codes, want2)
		}
	}
	// every person's standing, month by month
	var statuses []struct {
		Citizen    string   `db:"citizen_id"`
		Month      string   `db:"month"`
		Status     string   `db:"status"`
		Round      string   `db:"round"`
		AssessedOn string   `db:"assessed_on"`
		Total      *float64 `db:"total"`
		Min        *float64 `db:"min_score"`
	}
	if err := db.SelectContext(ctx, &statuses, qStatus); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, s := range statuses {
		want, ok := tr.Status[s.Citizen][s.Month]
		if !ok {
			continue // a month truth.json does not state (before registration)
		}
		seen++
		if s.Status != want.Status || s.Round != want.Round || s.AssessedOn != want.AssessedOn || !sameNumber(s.Total, want.Total) || !sameNumber(s.Min, want.Min) {
			t.Errorf("%s in %s: %s %s %s %v/%v, want %s %s %s %v/%v", s.Citizen, s.Month, s.Status, s.Round, s.AssessedOn, num(s.Total), num(s.Min),
				want.Status, want.Round, want.AssessedOn, num(want.Total), num(want.Min))
		}
	}
	stated := 0
	for _, months := range tr.Status {
		stated += len(months)
	}
	if seen != stated {
		t.Errorf("%d of the %d person-months truth.json states are in citizen_status_monthly", seen, stated)
	}
	// activities
	var a struct {
		Count        int     `db:"count"`
		Participants int     `db:"participants"`
		Hours        float64 `db:"hours"`
	}
	get(&a, qActivities)
	if a.Count != tr.Activities.Count || a.Participants != tr.Activities.Participants || math.Abs(a.Hours-tr.Activities.Hours) > 1e-9 {
		t.Errorf("activities: %+v, want %d, %d, %v", a, tr.Activities.Count, tr.Activities.Participants, tr.Activities.Hours)
	}
	var monthly []struct {
		Ward         string  `db:"ward"`
		Month        string  `db:"month"`
		Activities   int     `db:"activities"`
		Participants int     `db:"participants"`
		Hours        float64 `db:"hours"`
	}
	if err := db.SelectContext(ctx, &monthly, qActivitiesMonthly); err != nil {
		t.Fatal(err)
	}
	for _, m := range monthly {
		want, ok := tr.Activities.ByWardMonth[m.Ward][m.Month]
		if ok && (m.Activities != want.Activities || m.Participants != want.Participants || math.Abs(m.Hours-want.Hours) > 1e-9) {
			t.Errorf("activities of %s in %s: %d, %d, %v; want %+v", m.Ward, m.Month, m.Activities, m.Participants, m.Hours, want)
		}
	}
}

func sameNumber(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-9
}

func num(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprint(*v)
}
