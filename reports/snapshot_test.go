package reports

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/sample"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/transform"
)

// scaleSnapshot publishes the snapshot of a synthetic city of n citizens in
// one ward (sample.Scale, loaded with sample.LoadRaw, the real models and
// data tests) and returns its configuration, the pipeline's database and
// the snapshot, open read-only.
func scaleSnapshot(tb testing.TB, n int) (*config.Config, *store.DB, *store.DB) {
	tb.Helper()
	dir := tb.TempDir()
	base, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := sample.Scale(base, dir, n, 1, 1); err != nil {
		tb.Fatal(err)
	}
	cfg, err := config.LoadFile(filepath.Join(dir, "pipeline.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.Paths.Database, store.OptionsFrom(cfg))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := sample.LoadRaw(ctx, db, filepath.Join(dir, "inbox")); err != nil {
		tb.Fatal(err)
	}
	models, err := fs.Sub(hoctap.SQL, "sql")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := transform.Run(ctx, db, cfg, models, time.Date(2021, 8, 1, 7, 0, 0, 0, time.UTC)); err != nil {
		tb.Fatal(err)
	}
	snap := openSnapshot(tb, cfg.Paths.Snapshot)
	return cfg, db, snap
}

func openSnapshot(tb testing.TB, path string) *store.DB {
	tb.Helper()
	snap, err := store.Open(context.Background(), path, store.Options{ReadOnly: true, Threads: 2, TimeZone: "Asia/Ho_Chi_Minh"})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { snap.Close() })
	return snap
}

// TestAnnexStreamed: with more people meeting the title than annex_limit,
// the report's data holds only the first annex_limit of them, the PDF and the
// HTML list those with the note saying how many there are, and the XLSX
// lists every one, in the annex's order, read from the snapshot as it is
// written.
func TestAnnexStreamed(t *testing.T) {
	cfg, db, snap := scaleSnapshot(t, 2000)
	const month, limit = "2021-06", 40
	cfg.Report.AnnexLimit = limit
	var want []string
	if err := snap.Select(&want, `SELECT s.citizen_id FROM citizen_status_monthly s JOIN citizens c USING (citizen_id)
		WHERE s.month = ? AND s.status = 'eligible'
		ORDER BY regexp_extract(trim(c.full_name), '(\S+)$') COLLATE vi, trim(c.full_name) COLLATE vi, c.citizen_id`, month); err != nil {
		t.Fatal(err)
	}
	if len(want) <= 3*limit {
		t.Fatalf("%d people meet the title: too few for the test", len(want))
	}
	res, err := Render(context.Background(), cfg, db, snap, Request{Month: testMonth(month), Langs: []string{"vi"}, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Data.Annex) != limit || res.Data.AnnexCount != int64(len(want)) {
		t.Errorf("data: %d rows of an annex of %d, want %d of %d", len(res.Data.Annex), res.Data.AnnexCount, limit, len(want))
	}
	for i, h := range res.Data.Annex {
		if h.ID != want[i] {
			t.Fatalf("data: annex row %d is %s, want %s", i+1, h.ID, want[i])
		}
	}

	f, err := excelize.OpenFile(filepath.Join(res.Dir, "bao-cao-"+month+".xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Phụ lục")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[2:] { // the title and the header
		if len(r) > 2 {
			got = append(got, r[2])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("xlsx: %d annex rows, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] || rows[2+i][0] != fmt.Sprint(i+1) {
			t.Fatalf("xlsx: annex row %d is %v, want %s numbered %d", i+1, rows[2+i], want[i], i+1)
		}
	}

	note := fmt.Sprintf("Báo cáo này liệt kê %d trong %s người", limit, viInt(len(want)))
	html, err := os.ReadFile(filepath.Join(res.Dir, "bao-cao-"+month+".html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), note) {
		t.Errorf("html: no note %q", note)
	}
	if strings.Contains(string(html), want[limit]) || !strings.Contains(string(html), want[limit-1]) {
		t.Errorf("html: the annex does not stop after its %d-th row", limit)
	}
	out, err := exec.Command("pdftotext", "-layout", filepath.Join(res.Dir, "bao-cao-"+month+".pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if text := strings.Join(strings.Fields(string(out)), " "); !strings.Contains(text, note) {
		t.Errorf("pdf: no note %q", note)
	}
}

// viInt writes n as the Vietnamese report does: 1.234.
func viInt(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// TestFingerprintPastLimit: a change in a row of the annex past the rows the
// report's data holds still changes the report's fingerprint, so that a new
// version is rendered with the new XLSX.
func TestFingerprintPastLimit(t *testing.T) {
	cfg, _, snap := scaleSnapshot(t, 1000)
	const month, limit = "2021-06", 10
	cfg.Report.AnnexLimit = limit
	ctx := context.Background()
	before, err := Load(ctx, snap, month, limit)
	if err != nil {
		t.Fatal(err)
	}
	fpBefore, err := fingerprint(cfg, before)
	if err != nil {
		t.Fatal(err)
	}
	if before.AnnexCount <= limit {
		t.Fatalf("%d people meet the title: too few for the test", before.AnnexCount)
	}
	// someone past the first ten: the last row in the annex's order
	var last string
	if err := snap.Get(&last, `SELECT s.citizen_id FROM citizen_status_monthly s JOIN citizens c USING (citizen_id)
		WHERE s.month = ? AND s.status = 'eligible'
		ORDER BY regexp_extract(trim(c.full_name), '(\S+)$') COLLATE vi DESC, trim(c.full_name) COLLATE vi DESC, c.citizen_id DESC LIMIT 1`, month); err != nil {
		t.Fatal(err)
	}
	for _, h := range before.Annex {
		if h.ID == last {
			t.Fatalf("%s is among the annex's first %d rows", last, limit)
		}
	}
	path := snap.Path
	snap.Close()
	rw, err := store.Open(ctx, path, store.Options{Threads: 2, TimeZone: "Asia/Ho_Chi_Minh"})
	if err != nil {
		t.Fatal(err)
	}
	// the last person's birth year corrected
	if _, err := rw.Exec(`UPDATE citizens SET birth_year = coalesce(birth_year, 1980) + 1 WHERE citizen_id = ?`, last); err != nil {
		t.Fatal(err)
	}
	rw.Close()
	after, err := Load(ctx, openSnapshot(t, path), month, limit)
	if err != nil {
		t.Fatal(err)
	}
	fpAfter, err := fingerprint(cfg, after)
	if err != nil {
		t.Fatal(err)
	}
	for i := range before.Annex {
		if !reflect.DeepEqual(before.Annex[i], after.Annex[i]) {
			t.Fatalf("annex row %d changed: the corrected row should be past the limit", i+1)
		}
	}
	if fpAfter == fpBefore {
		t.Error("a correction past the annex limit left the fingerprint as it was")
	}
}

// testMonth is a month the tests write as a constant.
func testMonth(s string) config.Month {
	m, err := config.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

// TestCloseAnnex: the annex of people close to the title holds exactly the
// people the rule of report.close_within picks, worked out here from each
// person's scores that count; the PDF and the HTML list annex_limit of them
// and say how many there are, the XLSX lists them all, each with every
// indicator they lack.
func TestCloseAnnex(t *testing.T) {
	cfg, db, snap := scaleSnapshot(t, 2000)
	const month, limit = "2021-06", 40
	cfg.Report.AnnexLimit = limit
	cfg.Report.CloseWithin = 6
	rows, err := snap.Queryx(`SELECT s.citizen_id, s.total::DOUBLE AS total, a.scores::DOUBLE[] AS scores
		FROM citizen_status_monthly s JOIN assessments a USING (assessment_id)
		WHERE s.month = ? AND s.status = 'not_yet'`, month)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int{} // citizen → the indicators below the minimum
	for rows.Next() {
		var id string
		var total float64
		var scores any
		if err := rows.Scan(&id, &total, &scores); err != nil {
			t.Fatal(err)
		}
		var below []int
		for i, v := range scores.([]any) {
			if v.(float64) < cfg.Citizen.MinPerIndicator {
				below = append(below, i+1)
			}
		}
		if total >= cfg.Citizen.PassTotal && len(below) > 0 || len(below) == 0 && total >= cfg.Citizen.PassTotal-cfg.Report.CloseWithin {
			want[id] = below
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(want) <= 2*limit {
		t.Fatalf("%d people close to the title: too few for the test", len(want))
	}
	res, err := Render(context.Background(), cfg, db, snap, Request{Month: testMonth(month), Langs: []string{"vi"}, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Data.Close) != limit || res.Data.CloseCount != int64(len(want)) {
		t.Errorf("data: %d rows of a list of %d, want %d of %d", len(res.Data.Close), res.Data.CloseCount, limit, len(want))
	}
	// A ward's list (its pack's) and its count, which close_count.sql makes
	// without close.sql's sorting, pick the same people.
	var listed int
	for _, w := range cfg.Wards {
		ns, n, err := CloseIn(context.Background(), snap, month, w.Code, 0, cfg.Report.CloseWithin)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(ns)) != n {
			t.Errorf("ward %s: %d people close to the title listed, %d counted", w.Code, len(ns), n)
		}
		for _, x := range ns {
			if _, ok := want[x.ID]; !ok || x.Ward != w.Code {
				t.Errorf("ward %s lists %s (%s), who is not close to the title there", w.Code, x.ID, x.Ward)
			}
		}
		listed += len(ns)
	}
	if listed != len(want) {
		t.Errorf("the wards list %d people close to the title, want %d", listed, len(want))
	}
	f, err := excelize.OpenFile(filepath.Join(res.Dir, "bao-cao-"+month+".xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet, err := f.GetRows("Gần đạt")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for i, r := range sheet[2:] { // the title and the header
		if len(r) < 7 {
			continue
		}
		id := r[2]
		below, ok := want[id]
		if !ok || got[id] {
			t.Errorf("xlsx: row %d, %s: not close to the title, or listed twice", i+1, id)
			continue
		}
		got[id] = true
		for _, n := range below {
			if !strings.Contains(r[6], fmt.Sprintf("chỉ số %d –", n)) {
				t.Errorf("xlsx: %s lacks indicator %d, the row says %q", id, n, r[6])
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("xlsx: %d people close to the title, want %d", len(got), len(want))
	}
	note := fmt.Sprintf("Báo cáo này liệt kê %d trong %s người", limit, viInt(len(want)))
	out, err := exec.Command("pdftotext", "-layout", filepath.Join(res.Dir, "bao-cao-"+month+".pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	if !strings.Contains(text, note) || !strings.Contains(text, "PHỤ LỤC II DANH SÁCH NGƯỜI GẦN ĐẠT DANH HIỆU") {
		t.Errorf("pdf: no annex II with the note %q", note)
	}
}

// TestAnnexesKeptOpen: the annexes' queries, kept open after the report's
// first rows for the XLSX to read on, give every row of both annexes in
// their order to the XLSX of each language (the second runs them anew), and
// none stays open once the version is written, nor after a Load that the
// XLSX never read on.
func TestAnnexesKeptOpen(t *testing.T) {
	cfg, db, snap := scaleSnapshot(t, 2000)
	const month, limit = "2021-06", 30
	cfg.Report.AnnexLimit = limit
	ctx := context.Background()
	var annex, near []string
	if err := snap.Select(&annex, `SELECT s.citizen_id FROM citizen_status_monthly s JOIN citizens c USING (citizen_id)
		WHERE s.month = ? AND s.status = 'eligible'
		ORDER BY regexp_extract(trim(c.full_name), '(\S+)$') COLLATE vi, trim(c.full_name) COLLATE vi, c.citizen_id`, month); err != nil {
		t.Fatal(err)
	}
	all, err := Load(ctx, snap, month, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range all.Close {
		near = append(near, n.ID)
	}
	if len(annex) <= limit || len(near) <= limit {
		t.Fatalf("%d people eligible, %d close: too few for the test", len(annex), len(near))
	}
	kept, err := LoadWith(ctx, snap, month, Options{AnnexLimit: limit, Keep: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := snap.Stats().InUse; n != 2 {
		t.Errorf("%d connections in use after a Load that keeps the annexes open, want 2", n)
	}
	kept.release()
	if n := snap.Stats().InUse; n != 0 {
		t.Errorf("%d connections in use after release, want none", n)
	}

	res, err := Render(ctx, cfg, db, snap, Request{Month: testMonth(month), Langs: []string{"vi", "en"}, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if n := snap.Stats().InUse; n != 0 {
		t.Errorf("%d connections in use once the version is written, want none", n)
	}
	for _, c := range []struct {
		file, sheet string
		want        []string
	}{
		{"bao-cao-" + month + ".xlsx", "Phụ lục", annex}, {"bao-cao-" + month + ".xlsx", "Gần đạt", near},
		{"report-" + month + ".en.xlsx", "Annex", annex}, {"report-" + month + ".en.xlsx", "Close to the title", near},
	} {
		f, err := excelize.OpenFile(filepath.Join(res.Dir, c.file))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(c.sheet)
		f.Close()
		if err != nil {
			t.Fatalf("%s %s: %v", c.file, c.sheet, err)
		}
		var got []string
		for _, r := range rows[2:] { // the title and the header
			if len(r) > 2 {
				got = append(got, r[2])
			}
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s %s: %d rows, want the %d of the list in its order", c.file, c.sheet, len(got), len(c.want))
		}
	}
}
