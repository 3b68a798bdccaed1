package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/sample"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/wardfile"
)

var runAt = time.Date(2021, 8, 5, 9, 0, 0, 0, time.UTC)

// citizensCSV is a small registration list of Tân Quy Đông.
const citizensCSV = "Mã công dân,Họ và tên,Giới tính,Năm sinh,Nhóm đối tượng,Xã/phường,Ấp/khóm,Mã đơn vị,Ngày đăng ký\n" +
	"TQD-001,Nguyễn Thị Hoa,Nữ,1980,3,P. Tân Qui Đông,,TQD-UB,16/11/2020\n" +
	"tqd-002,Trần Văn Bình,nam,1975,Nông dân,TAN QUY DONG,Khóm 1,,8/12/2020\n"

func pilotCfg(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// workspace is the pilot's configuration in a temporary folder with its
// database open and migrated.
func workspace(t *testing.T) (*config.Config, *store.DB) {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse(hoctap.DefaultConfig, filepath.Join(dir, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), cfg.Paths.Database, store.OptionsFrom(cfg))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg.Ingest.SettleTime.Duration = 0 // the files are written whole; TestSettle waits
	return cfg, db
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.GetContext(context.Background(), &n, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestInboxLoadsThePilot(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	files, err := sample.Pilot(cfg, cfg.Paths.Inbox, sample.DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	l := &Loader{DB: db, Cfg: cfg, Now: runAt}
	outs, err := l.Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != len(files) {
		t.Fatalf("%d outcomes for %d files", len(outs), len(files))
	}
	var refused []Outcome
	for _, o := range outs {
		switch o.Status {
		case StatusLoaded:
		case StatusRefused:
			refused = append(refused, o)
		default:
			t.Errorf("%s: %s", o.Name, o.Status)
		}
	}
	if len(refused) != 1 || refused[0].Name != "Danh_gia_giua_ky_03-2021.xlsx" || refused[0].Ward != "tan-quy-tay" {
		t.Fatalf("refused = %+v", refused)
	}
	// Every problem of the faulty file, each at its cell, in one receipt.
	got := map[string]bool{}
	for _, p := range refused[0].Result.Problems {
		if p.Severity == wardfile.SevError {
			got[p.Code+" "+p.Sheet+" "+itoa(p.Row)+" "+p.Column+" "+p.Value] = true
		}
	}
	for _, want := range []string{
		`out_of_range Khảo sát 6 "Chỉ số 3" (G) 11`,
		`bad_date Khảo sát 8 "Ngày đánh giá" (D) 31/02/2021`,
		`unregistered Khảo sát 11 "Mã công dân" (B) TQT-099`,
	} {
		if !got[want] {
			t.Errorf("missing problem %q in %v", want, got)
		}
	}
	if len(got) != 3 {
		t.Errorf("%d errors, want exactly 3: %v", len(got), got)
	}
	rec, err := os.ReadFile(refused[0].Receipt)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"TỆP BỊ TRẢ LẠI — FILE RETURNED: 3 lỗi", "dòng 6, cột \"Chỉ số 3\" (G): Giá trị \"11\" vượt quá điểm tối đa 10", "row 8, column \"Ngày đánh giá\" (D)", "Mã công dân \"TQT-099\" chưa đăng ký"} {
		if !strings.Contains(string(rec), s) {
			t.Errorf("receipt lacks %q:\n%s", s, rec)
		}
	}
	if _, err := os.Stat(filepath.Join(cfg.Paths.Quarantine, "tan-quy-tay", "Danh_gia_giua_ky_03-2021.xlsx")); err != nil {
		t.Errorf("the refused file is not in quarantine: %v", err)
	}

	// The pilot's rows, each once.
	for q, want := range map[string]int{
		"SELECT count(DISTINCT citizen_id) FROM raw_citizens": 31,
		"SELECT count(*) FROM raw_units":                      9,
		"SELECT count(*) FROM raw_citizen_assessments a JOIN ingest_file_tables t ON t.file_id = a.file_id AND t.dataset = 'citizen_assessments' AND t.status = 'loaded'": 93,
		"SELECT count(*) FROM raw_unit_assessments":                                      2 * 9 * 10,
		"SELECT count(*) FROM ingest_files WHERE status = 'superseded'":                  1,
		"SELECT count(*) FROM ingest_file_tables WHERE dataset = 'units'":                3,
		"SELECT count(*) FROM raw_citizen_assessments WHERE reviewed_scores IS NOT NULL": 21,
	} {
		if n := count(t, db, q); n != want {
			t.Errorf("%s = %d, want %d", q, n, want)
		}
	}
	// The corrected re-export replaced the first baseline of Tân Phú Đông.
	if n := count(t, db, `SELECT count(*) FROM ingest_files f JOIN ingest_files g ON g.file_id = f.superseded_by
		WHERE f.original_name = 'Khao_sat_thuc_trang_12-2020.xlsx' AND f.ward = 'tan-phu-dong' AND g.original_name = 'Khao_sat_thuc_trang_12-2020_ban_sua.xlsx'`); n != 1 {
		t.Error("the corrected baseline does not supersede the first")
	}
	// Lineage: every raw row names its file, sheet and row.
	if n := count(t, db, `SELECT count(*) FROM raw_citizens WHERE file_id IS NULL OR row_number < 1 OR sheet IS NULL`); n != 0 {
		t.Errorf("%d citizen rows without lineage", n)
	}
	// The web-form CSV of Tân Quy Đông: date-times and decimal commas read.
	if n := count(t, db, `SELECT count(*) FROM raw_citizen_assessments a JOIN ingest_files f USING (file_id)
		WHERE f.original_name = 'Phieu_khao_sat_thuc_trang.csv' AND a.assessed_on BETWEEN DATE '2020-12-01' AND DATE '2020-12-31' AND sheet IS NULL`); n != 10 {
		t.Errorf("web-form rows = %d, want 10", n)
	}
	if entries, _ := os.ReadDir(filepath.Join(cfg.Paths.Inbox, "tan-quy-tay")); len(entries) != 0 {
		t.Errorf("%d files left in the inbox", len(entries))
	}

	// A receipt lost to a stop between the commit and its writing comes back
	// when the file comes again.
	var lost string // the corrected baseline's receipt: it names the file it replaces
	receipts, _ := filepath.Glob(filepath.Join(cfg.Paths.Archive, "*", "*", "*.receipt.txt"))
	for _, r := range receipts {
		if strings.HasSuffix(r, "Khao_sat_thuc_trang_12-2020_ban_sua.xlsx.receipt.txt") {
			lost = r
		}
	}
	want, _ := os.ReadFile(lost)
	os.Remove(lost)

	// Idempotent: the whole archive dropped into the inbox again, twice, changes no count.
	before := count(t, db, "SELECT count(*) FROM raw_citizen_assessments") + count(t, db, "SELECT count(*) FROM ingest_files")
	for round := 0; round < 2; round++ {
		archived, _ := filepath.Glob(filepath.Join(cfg.Paths.Archive, "*", "*", "*"))
		n := 0
		for _, a := range archived {
			if strings.HasSuffix(a, ".receipt.txt") {
				continue
			}
			var ward string
			if err := db.GetContext(ctx, &ward, "SELECT ward FROM ingest_files WHERE sha256 = ?", filepath.Base(filepath.Dir(a))); err != nil {
				t.Fatal(err)
			}
			if err := copyFile(a, filepath.Join(cfg.Paths.Inbox, ward, filepath.Base(a))); err != nil {
				t.Fatal(err)
			}
			n++
		}
		outs, err := l.Inbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			if o.Status != StatusDuplicate {
				t.Errorf("re-ingest %d: %s is %s", round+1, o.Name, o.Status)
			}
		}
		if len(outs) != n || n != len(files)-1 {
			t.Errorf("re-ingest %d: %d outcomes for %d archived files", round+1, len(outs), n)
		}
	}
	after := count(t, db, "SELECT count(*) FROM raw_citizen_assessments") + count(t, db, "SELECT count(*) FROM ingest_files")
	if got, err := os.ReadFile(lost); err != nil || !bytes.Equal(got, want) {
		t.Errorf("the lost receipt %s was not written again as it was: %v\n%s\nwant\n%s", lost, err, got, want)
	}
	if before != after {
		t.Errorf("re-ingesting the archive changed the counts: %d → %d", before, after)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A file in a folder that is no ward's is refused with a receipt saying where
// it belongs; a file directly in the inbox is the city's: its rows name their
// wards.
func TestInboxFolders(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	for i, p := range []string{"city.csv", "tan-khanh-dong/list.csv"} {
		full := filepath.Join(cfg.Paths.Inbox, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		content := citizensCSV + strings.Repeat("\n", i) // two different files
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outs, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 {
		t.Fatalf("%d outcomes", len(outs))
	}
	for _, o := range outs {
		switch o.Name {
		case "city.csv":
			if o.Status != StatusLoaded || o.Ward != "" || len(o.Tables) != 1 || o.Tables[0].Ward != "tan-quy-dong" {
				t.Errorf("%s: %s %+v %v", o.Name, o.Status, o.Tables, o.Result.Problems)
			}
		default:
			if o.Status != StatusRefused || o.Result.Problems[0].Code != "no_ward_folder" {
				t.Errorf("%s: %s %v", o.Name, o.Status, o.Result.Problems)
			}
			rec, err := os.ReadFile(o.Receipt)
			if err != nil || !strings.Contains(string(rec), "tan-phu-dong, tan-quy-tay, tan-quy-dong") || !strings.Contains(string(rec), "TỆP BỊ TRẢ LẠI") {
				t.Errorf("%s: receipt %q, %v", o.Name, rec, err)
			}
		}
	}
	if n := count(t, db, "SELECT count(*) FROM raw_citizens"); n != 2 {
		t.Errorf("%d rows loaded, want the city file's 2", n)
	}
}

// Reviewed scores for some indicators only are refused, never half used.
func TestPartialReviewIsRefused(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	dir := filepath.Join(cfg.Paths.Inbox, "tan-quy-dong")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "dk.csv"), []byte(citizensCSV), 0o644)
	os.Chtimes(filepath.Join(dir, "dk.csv"), runAt.Add(-time.Hour), runAt.Add(-time.Hour))
	head := "Mã công dân;Đợt;Ngày đánh giá;Chỉ số 1;Chỉ số 2;Chỉ số 3;Chỉ số 4;Chỉ số 5;Chỉ số 6;Chỉ số 7;Chỉ số 8;Chỉ số 9;Chỉ số 10;" +
		"Thẩm định 1;Thẩm định 2;Thẩm định 3;Thẩm định 4;Thẩm định 5;Thẩm định 6;Thẩm định 7;Thẩm định 8;Thẩm định 9;Thẩm định 10\n"
	rows := "TQD-001;Cuối kỳ;15/06/2021;8;8;8;8;8;8;8;8;8;8;9;9;9;9;9;9;9;9;9;9\n" +
		"TQD-002;Cuối kỳ;15/06/2021;8;8;8;8;8;8;8;8;8;8;9;9;;;;;;;;\n"
	os.WriteFile(filepath.Join(dir, "ck.csv"), []byte(head+rows), 0o644)
	outs, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 || outs[0].Status != StatusLoaded || outs[1].Status != StatusRefused {
		t.Fatalf("outcomes %+v", outs)
	}
	ps := outs[1].Result.Problems
	if len(ps) != 1 || ps[0].Code != "partial_review" || ps[0].Row != 3 {
		t.Errorf("problems %v", ps)
	}
	if n := count(t, db, "SELECT count(*) FROM raw_citizen_assessments"); n != 0 {
		t.Errorf("%d assessments loaded from a refused file", n)
	}
}

// The checks in the database: a row repeated in a file (the first stays, each
// later one is named), an assessment of a person registered nowhere, and a
// registration that counts although it comes in the same file.
func TestDuplicatesAndReferences(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	dir := filepath.Join(cfg.Paths.Inbox, "tan-quy-dong")
	os.MkdirAll(dir, 0o755)
	dk := citizensCSV + "TQD-003,Lê Văn Cường,Nam,1990,1,Tân Quy Đông,,,8/12/2020\n" +
		"tqd-001,Nguyễn Thị Hoa,Nữ,1980,3,Tân Quy Đông,,,16/11/2020\n" + // row 5 repeats row 2
		"TQD-003,Lê Văn Cường,Nam,1990,1,Tân Quy Đông,,,8/12/2020\n" // row 6 repeats row 4
	head := "Mã công dân;Đợt;Ngày đánh giá;Chỉ số 1;Chỉ số 2;Chỉ số 3;Chỉ số 4;Chỉ số 5;Chỉ số 6;Chỉ số 7;Chỉ số 8;Chỉ số 9;Chỉ số 10\n"
	scores := ";8;8;8;8;8;8;8;8;8;8\n"
	ck := head +
		"TQD-001;Cuối kỳ;15/06/2021" + scores + // 2
		"TQD-001;Giữa kỳ;15/03/2021" + scores + // 3: another round, no repeat
		"TQD-002;Cuối kỳ;15/06/2021" + scores + // 4
		"TQD-001;Cuối kỳ;16/06/2021" + scores + // 5 repeats 2
		"TQD-404;Cuối kỳ;15/06/2021" + scores + // 6 registered nowhere
		"tqd-002;cuối kỳ;15/06/2021" + scores + // 7 repeats 4
		"TQD-001;Cuối kỳ;17/06/2021" + scores // 8 repeats 2
	for _, f := range []struct{ name, body string }{{"dk.csv", dk}, {"ck.csv", ck}} {
		os.WriteFile(filepath.Join(dir, f.name), []byte(f.body), 0o644)
	}
	os.Chtimes(filepath.Join(dir, "dk.csv"), runAt.Add(-time.Hour), runAt.Add(-time.Hour))
	outs, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 || outs[0].Status != StatusRefused || outs[1].Status != StatusRefused {
		t.Fatalf("outcomes %+v", outs)
	}
	for i, want := range []string{
		`5 "Mã công dân" (A) TQD-001 duplicate_row; 6 "Mã công dân" (A) TQD-003 duplicate_row`,
		// the registrations were refused: nobody is registered
		`2 "Mã công dân" (A) TQD-001 unregistered; 3 "Mã công dân" (A) TQD-001 unregistered; 4 "Mã công dân" (A) TQD-002 unregistered; ` +
			`5 "Mã công dân" (A) TQD-001 duplicate_row; 5 "Mã công dân" (A) TQD-001 unregistered; 6 "Mã công dân" (A) TQD-404 unregistered; ` +
			`7 "Mã công dân" (A) TQD-002 duplicate_row; 7 "Mã công dân" (A) TQD-002 unregistered; 8 "Mã công dân" (A) TQD-001 duplicate_row; 8 "Mã công dân" (A) TQD-001 unregistered`,
	} {
		var got []string
		for _, p := range outs[i].Result.Problems {
			if p.Severity == wardfile.SevError {
				rows := p.Rows
				if len(rows) == 0 {
					rows = []int{p.Row}
				}
				for _, r := range rows {
					got = append(got, itoa(r)+" "+p.Column+" "+p.Value+" "+p.Code)
				}
			}
		}
		slices.Sort(got)
		if g := strings.Join(got, "; "); g != want {
			t.Errorf("%s:\n got %s\nwant %s", outs[i].Name, g, want)
		}
	}
	// The registrations alone load; then the assessments only miss TQD-404.
	os.WriteFile(filepath.Join(dir, "dk.csv"), []byte(citizensCSV+"TQD-003,Lê Văn Cường,Nam,1990,1,Tân Quy Đông,,,8/12/2020\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "ck.csv"), []byte(head+"TQD-003;Cuối kỳ;15/06/2021"+scores+"TQD-404;Cuối kỳ;15/06/2021"+scores), 0o644)
	os.Chtimes(filepath.Join(dir, "dk.csv"), runAt.Add(-time.Hour), runAt.Add(-time.Hour))
	outs, err = (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 || outs[0].Status != StatusLoaded || outs[1].Status != StatusRefused {
		t.Fatalf("outcomes %+v", outs)
	}
	if ps := outs[1].Result.Problems; len(ps) != 1 || ps[0].Code != "unregistered" || ps[0].Value != "TQD-404" || ps[0].Row != 3 {
		t.Errorf("problems %v", ps)
	}
}

// The raw tables as the loader writes them (raw.go) are the raw tables the
// migrations make: the same columns in the same order, of the same types (the
// scores' ARRAYs become the table's LISTs), so that no column the schema
// gains is left NULL unnoticed.
func TestRawTablesMatchTheSchema(t *testing.T) {
	cfg, db := workspace(t)
	raws := rawTables(cfg)
	if len(raws) != len(cfg.Datasets()) {
		t.Errorf("%d raw tables for %d datasets", len(raws), len(cfg.Datasets()))
	}
	for ds, raw := range raws {
		var cols []struct {
			Name string `db:"column_name"`
			Type string `db:"data_type"`
		}
		if err := db.SelectContext(context.Background(), &cols, `SELECT column_name, data_type FROM information_schema.columns
			WHERE table_name = ? ORDER BY ordinal_position`, raw.name); err != nil {
			t.Fatal(err)
		}
		want := []string{"file_id BIGINT", "sheet VARCHAR"}
		for _, rc := range raw.cols {
			c := rc.Column
			typ, _, isArray := strings.Cut(c.Type, "[")
			if isArray {
				typ += "[]"
			}
			if typ == "TIMESTAMPTZ" {
				typ = "TIMESTAMP WITH TIME ZONE"
			}
			want = append(want, c.Name+" "+typ)
		}
		var got []string
		for _, c := range cols {
			got = append(got, c.Name+" "+c.Type)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s (%s):\nschema %v\nloader %v", raw.name, ds, got, want)
		}
	}
}

// Every raw column is made of dataset columns named by key, and every column
// of a dataset lands in its raw table: nothing a ward sends is dropped by a
// mapping that forgot it, and no raw column is filled by position.
func TestRawColumnsHaveSources(t *testing.T) {
	cfg := pilotCfg(t)
	raws := rawTables(cfg)
	for _, d := range cfg.Datasets() {
		raw, ok := raws[d.Name]
		if !ok {
			t.Errorf("dataset %s has no raw table", d.Name)
			continue
		}
		used := map[string]bool{}
		for _, c := range raw.cols {
			switch c.src.kind {
			case fromKey, fromList:
				if len(c.src.keys) == 0 {
					t.Errorf("%s.%s has no source", raw.name, c.Name)
				}
				for _, k := range c.src.keys {
					if d.Index(k) < 0 {
						t.Errorf("%s.%s comes from %q, which is no column of %s", raw.name, c.Name, k, d.Name)
					}
					used[k] = true
				}
			case computed:
				if c.expr == "" {
					t.Errorf("%s.%s is computed from nothing", raw.name, c.Name)
				}
			case fromItem, fromItemCode:
				if len(raw.items) == 0 {
					t.Errorf("%s.%s is an item's, but the table has no items", raw.name, c.Name)
				}
			}
		}
		for _, it := range raw.items {
			if d.Index(it.key) < 0 {
				t.Errorf("%s: item %s comes from %q, which is no column of %s", raw.name, it.code, it.key, d.Name)
			}
			used[it.key] = true
		}
		for _, c := range d.Columns {
			if !used[c.Key] {
				t.Errorf("the column %s (%s) of %s lands in no column of %s", c.Key, c.Header, d.Name, raw.name)
			}
		}
	}
}

// A recognition decision's list: each row names whom it recognises (a citizen
// code for the citizen title, a unit code for the unit title), registered
// people and units only, once per decision; the title is read by name.
func TestDecisions(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	dir := filepath.Join(cfg.Paths.Inbox, "tan-quy-dong")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "dk.csv"), []byte(citizensCSV), 0o644)
	os.Chtimes(filepath.Join(dir, "dk.csv"), runAt.Add(-time.Hour), runAt.Add(-time.Hour))
	head := "Số quyết định,Ngày,Cơ quan ban hành,Danh hiệu,Mã công dân,Mã đơn vị,Họ và tên,Xã/phường\n"
	bad := head +
		"125/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,Công dân học tập,TQD-001,,Nguyễn Thị Hoa,Tân Quy Đông\n" + // 2: good
		"125/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,Công dân học tập,,,Trần Văn Bình,Tân Quy Đông\n" + // 3: no code
		"125/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,Dòng họ học tập,TQD-002,,,\n" + // 4: not a title of the programme
		"125/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,CDHT,TQD-404,,,\n" + // 5: registered nowhere
		"125/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,Công dân học tập,tqd-001,,,\n" + // 6: repeats 2
		"126/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,Đơn vị học tập,TQD-001,,,\n" // 7: the unit title without a unit code
	os.WriteFile(filepath.Join(dir, "qd.csv"), []byte(bad), 0o644)
	outs, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 || outs[0].Status != StatusLoaded || outs[1].Status != StatusRefused || !slices.Equal(outs[1].Datasets, nil) {
		t.Fatalf("outcomes %+v", outs)
	}
	var got []string
	for _, p := range outs[1].Result.Problems {
		if p.Severity == wardfile.SevError {
			got = append(got, itoa(p.Row)+" "+p.Column+" "+p.Value+" "+p.Code)
		}
	}
	slices.Sort(got)
	want := `3 "Mã công dân" (E)  missing_subject; 4 "Danh hiệu" (D) Dòng họ học tập unknown_title; 5 "Mã công dân" (E) TQD-404 unregistered; ` +
		`6 "Mã công dân" (E) TQD-001 duplicate_row; 7 "Mã đơn vị" (F)  missing_subject`
	if g := strings.Join(got, "; "); g != want {
		t.Errorf("problems:\n got %s\nwant %s", g, want)
	}
	if n := count(t, db, "SELECT count(*) FROM raw_decisions"); n != 0 {
		t.Errorf("%d decision rows loaded from a refused file", n)
	}

	good := head +
		"125/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,Công dân học tập,TQD-001,,Nguyễn Thị Hoa,Tân Quy Đông\n" +
		"125/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,danh hiệu công dân học tập,tqd-002,,Trần Văn Bình,\n" +
		"126/QĐ-UBND,20/07/2021,UBND thành phố Sa Đéc,ĐVHT,,tqd-ub,,Tân Quy Đông\n"
	os.WriteFile(filepath.Join(dir, "qd2.csv"), []byte(good), 0o644)
	outs, err = (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || outs[0].Status != StatusLoaded || outs[0].Rows != 3 {
		t.Fatalf("outcomes %+v", outs)
	}
	var rows []string
	if err := db.SelectContext(ctx, &rows, `SELECT concat_ws(' ', decision_number, strftime(decided_on, '%d/%m/%Y'), title, coalesce(citizen_id, '-'), coalesce(unit_code, '-'), coalesce(ward, '-'))
		FROM raw_decisions ORDER BY row_number`); err != nil {
		t.Fatal(err)
	}
	if g, w := strings.Join(rows, "; "), "125/QĐ-UBND 16/07/2021 citizen TQD-001 - tan-quy-dong; 125/QĐ-UBND 16/07/2021 citizen TQD-002 - -; 126/QĐ-UBND 20/07/2021 unit - TQD-UB tan-quy-dong"; g != w {
		t.Errorf("rows:\n got %s\nwant %s", g, w)
	}
	if n := count(t, db, "SELECT count(*) FROM ingest_file_tables WHERE dataset = 'decisions' AND period = '2021-07' AND rows = 3"); n != 1 {
		t.Errorf("the decisions' table of the file is not recorded for 2021-07")
	}
}

// A survey that reached the inbox before the registrations it refers to waits
// for the rest of the batch and then loads: its outcome is loaded, never a
// status of its own for the wait.
func TestSurveyBeforeItsRegistrations(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	dir := filepath.Join(cfg.Paths.Inbox, "tan-quy-dong")
	os.MkdirAll(dir, 0o755)
	head := "Mã công dân;Đợt;Ngày đánh giá;Chỉ số 1;Chỉ số 2;Chỉ số 3;Chỉ số 4;Chỉ số 5;Chỉ số 6;Chỉ số 7;Chỉ số 8;Chỉ số 9;Chỉ số 10\n"
	os.WriteFile(filepath.Join(dir, "ck.csv"), []byte(head+"TQD-001;Cuối kỳ;15/06/2021;8;8;8;8;8;8;8;8;8;8\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "dk.csv"), []byte(citizensCSV), 0o644)
	os.Chtimes(filepath.Join(dir, "ck.csv"), runAt.Add(-2*time.Hour), runAt.Add(-2*time.Hour)) // the survey first
	os.Chtimes(filepath.Join(dir, "dk.csv"), runAt.Add(-time.Hour), runAt.Add(-time.Hour))
	outs, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range outs {
		got = append(got, o.Name+" "+string(o.Status))
	}
	if g := strings.Join(got, ", "); g != "dk.csv loaded, ck.csv loaded" {
		t.Errorf("outcomes: %s, want dk.csv loaded, ck.csv loaded", g)
	}
}

// A replacement its sender did not declare (a file named as the ward's
// earlier one) that would remove more than ingest.max_shrink of the ward's
// rows is refused as suspicious, and the earlier rows still count; the same
// rows sent as a declared correction replace them.
func TestSuspiciousShrink(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	dir := filepath.Join(cfg.Paths.Inbox, "tan-quy-dong")
	os.MkdirAll(dir, 0o755)
	ingestOne := func(name, body string, at time.Time) Outcome {
		t.Helper()
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		os.Chtimes(p, at, at)
		outs, err := (&Loader{DB: db, Cfg: cfg, Now: at.Add(time.Hour)}).Inbox(ctx)
		if err != nil || len(outs) != 1 {
			t.Fatalf("%s: %v %+v", name, err, outs)
		}
		return outs[0]
	}
	four := citizensCSV + "TQD-003,Lê Văn Cường,Nam,1990,1,Tân Quy Đông,,,8/12/2020\nTQD-004,Phạm Thị Dung,Nữ,1992,1,Tân Quy Đông,,,8/12/2020\n"
	if o := ingestOne("dang_ky.csv", four, runAt); o.Status != StatusLoaded || o.Rows != 4 {
		t.Fatalf("the first list: %s, %d rows", o.Status, o.Rows)
	}
	one := strings.SplitAfter(citizensCSV, "\n")[0] + strings.SplitAfter(citizensCSV, "\n")[1]
	o := ingestOne("dang_ky.csv", one, runAt.Add(24*time.Hour))
	if o.Status != StatusRefused || o.Result == nil || len(o.Result.Problems) == 0 || o.Result.Problems[0].Code != "suspicious_shrink" ||
		!strings.Contains(o.Result.Problems[0].EN, "remove 3 of its 4 rows (more than 50%)") {
		t.Fatalf("the same name with one row: %s %v", o.Status, o.Result)
	}
	if n := count(t, db, "SELECT count(*) FROM ingest_file_tables WHERE dataset = 'citizens' AND status = 'loaded'"); n != 1 {
		t.Errorf("%d loaded tables of citizens after the refusal, want the first one", n)
	}
	o = ingestOne("dang_ky - bản sửa.csv", strings.Replace(one, "Nguyễn Thị Hoa", "Nguyễn Thị Hòa", 1), runAt.Add(48*time.Hour))
	if o.Status != StatusLoaded || len(o.Tables) != 1 || o.Tables[0].Mode != ModeReplacement || o.Tables[0].Removed != 3 {
		t.Errorf("the declared correction: %s %+v %v", o.Status, o.Tables, o.Result)
	}
}

// A problem that quotes bytes of the file that are not UTF-8 keeps them, as
// �, in ingest_problems: DuckDB's appender stored no value at all for the
// invalid text (the receipt and the database disagreed).
func TestProblemQuotingBadBytes(t *testing.T) {
	cfg, db := workspace(t)
	dir := filepath.Join(cfg.Paths.Inbox, "tan-quy-dong")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "dk.csv"), []byte("Mã Công dân,tên,đối tượng,NgàY đăng ký\n\xaf,,,,0"), 0o644)
	outs, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(context.Background())
	if err != nil || len(outs) != 1 || outs[0].Status != StatusRefused {
		t.Fatalf("%v %+v", err, outs)
	}
	if n := count(t, db, "SELECT count(*) FROM ingest_problems WHERE value = '�,,,,0'"); n != 1 {
		t.Errorf("%d problems quote the line with the bad byte as �, want 1", n)
	}
}

// Every check of checks.sql names the dataset whose rows it checks, and reads
// that dataset's raw table for the file's rows: the loader runs it only for
// files that have rows of that dataset, so a check naming the wrong one would
// silently never run.
func TestChecksNameTheirDataset(t *testing.T) {
	cfg := pilotCfg(t)
	raws := rawTables(cfg)
	if len(checks) == 0 {
		t.Fatal("no checks read from checks.sql")
	}
	for _, c := range checks {
		raw, ok := raws[c.dataset]
		if !ok {
			t.Errorf("check %s: dataset %q is no dataset with a raw table", c.name, c.dataset)
			continue
		}
		// The first raw table a check reads is the one whose rows it reports.
		first := regexp.MustCompile(`FROM (raw_\w+)`).FindStringSubmatch(c.sql)
		if first == nil || first[1] != raw.name || !regexp.MustCompile(`\b(\w+\.)?file_id = \$1`).MatchString(c.sql) {
			t.Errorf("check %s of %s does not read %s's rows of file $1:\n%s", c.name, c.dataset, raw.name, c.sql)
		}
	}
}

// A city's files place each survey row in the ward of the person's
// registration, and tell per ward what a later file adds and replaces: the
// same person, round and day replaces the earlier row; another person or
// day adds one; a row of another ward never replaces a row of this one.
func TestCityFilesAddAndReplacePerWard(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	load := func(name, content string) Outcome {
		t.Helper()
		path := filepath.Join(cfg.Paths.Inbox, name)
		if err := os.MkdirAll(cfg.Paths.Inbox, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		o, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Load(ctx, path, "")
		if err != nil || o.Status != StatusLoaded {
			t.Fatalf("%s: %s, %v, %v", name, o.Status, err, o.Result)
		}
		return o
	}
	load("dang_ky.csv", citizensCSV+"TQT-001,Lê Văn Tây,Nam,1990,1,Tân Quy Tây,,,01/12/2020\n"+"TQT-002,Phạm Thị Hai,Nữ,1992,1,Tân Quy Tây,,,02/12/2020\n")
	head := "Mã công dân;Đợt;Ngày đánh giá;Chỉ số 1;Chỉ số 2;Chỉ số 3;Chỉ số 4;Chỉ số 5;Chỉ số 6;Chỉ số 7;Chỉ số 8;Chỉ số 9;Chỉ số 10\n"
	row := func(id, day string) string { return id + ";Cuối kỳ;" + day + ";8;8;8;8;8;8;8;8;8;8\n" }
	tables := func(o Outcome) string {
		var s []string
		for _, tb := range o.Tables {
			s = append(s, fmt.Sprintf("%s +%d ~%d -%d", tb.Ward, tb.Added, tb.Replaced, tb.Removed))
		}
		return strings.Join(s, ", ")
	}
	first := load("khao_sat.csv", head+row("TQD-001", "15/06/2021")+row("TQT-001", "15/06/2021"))
	if got, want := tables(first), "tan-quy-dong +1 ~0 -0, tan-quy-tay +1 ~0 -0"; got != want {
		t.Errorf("first survey: %s, want %s", got, want)
	}
	later := load("khao_sat_bo_sung.csv", head+row("TQD-001", "15/06/2021")+row("TQD-002", "15/06/2021")+row("TQT-001", "16/06/2021")+row("TQT-002", "15/06/2021"))
	if got, want := tables(later), "tan-quy-dong +1 ~1 -0, tan-quy-tay +2 ~0 -0"; got != want {
		t.Errorf("later survey: %s, want %s", got, want)
	}
}
