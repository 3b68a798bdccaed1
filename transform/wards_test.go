package transform

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

// TestWardSnapshots: with logins limited to wards, publishing writes one
// snapshot per set of wards holding only those wards' rows: every row of it
// ties, by each of its keys, to one of the wards (checked against the full
// snapshot); each ward's people are all there; city-level tables and the
// pipeline's records are not; snapshot_scope accounts for every table of the
// full snapshot. A set no login has any more is removed at the next
// publication.
func TestWardSnapshots(t *testing.T) {
	cfg, db := pilot(t)
	ctx := context.Background()
	hash := "$2a$10$abcdefghijklmnopqrstuv"
	cfg.Server.Auth.Users = []config.User{
		{Name: "ban", PasswordHash: hash},
		{Name: "tqt", PasswordHash: hash, Wards: []string{"tan-quy-tay"}},
		{Name: "hai", PasswordHash: hash, Wards: []string{"tan-quy-tay", "tan-phu-dong"}},
	}
	if _, err := Run(ctx, db, cfg, sqlFS(t), runAt); err != nil {
		t.Fatal(err)
	}
	full := openSnapshot(t, cfg)
	var fullTables []string
	if err := full.SelectContext(ctx, &fullTables, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1"); err != nil {
		t.Fatal(err)
	}
	for _, set := range cfg.Server.Auth.WardSets() {
		t.Run(strings.Join(set, "+"), func(t *testing.T) {
			path := cfg.Paths.WardSnapshot(set)
			opt := store.OptionsFrom(cfg)
			opt.ReadOnly = true
			ward, err := store.Open(ctx, path, opt)
			if err != nil {
				t.Fatal(err)
			}
			defer ward.Close()
			if _, err := ward.ExecContext(ctx, fmt.Sprintf("ATTACH %s AS full_snapshot (READ_ONLY)", store.Literal(cfg.Paths.Snapshot))); err != nil {
				t.Fatal(err)
			}
			in := "('" + strings.Join(set, "', '") + "')"
			var scope []struct {
				Table string `db:"table_name"`
				Kept  bool   `db:"kept"`
				Rule  string `db:"rule"`
				Rows  int64  `db:"rows"`
			}
			if err := ward.SelectContext(ctx, &scope, `SELECT table_name, kept, rule, "rows" FROM snapshot_scope ORDER BY 1`); err != nil {
				t.Fatal(err)
			}
			var listed []string
			for _, s := range scope {
				listed = append(listed, s.Table)
			}
			if !slices.Equal(listed, fullTables) {
				t.Errorf("snapshot_scope lists %v, the full snapshot has %v", listed, fullTables)
			}
			var tables []string
			if err := ward.SelectContext(ctx, &tables, "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY 1"); err != nil {
				t.Fatal(err)
			}
			for _, city := range []string{"goal_progress", "metrics_monthly", "milestone_status_monthly", "indicator_stats_monthly", "job_runs", "model_runs", "reports"} {
				if slices.Contains(tables, city) {
					t.Errorf("the ward snapshot holds %s, a city-level table", city)
				}
			}
			checks := map[string]string{
				"ward":       "ward NOT IN " + in,
				"citizen_id": "citizen_id NOT IN (SELECT citizen_id FROM full_snapshot.citizens WHERE ward IN " + in + ")",
				"unit_code":  "unit_code NOT IN (SELECT unit_code FROM full_snapshot.units WHERE ward IN " + in + ")",
				"file_id":    "file_id NOT IN (SELECT file_id FROM full_snapshot.ingest_files WHERE ward IN " + in + ")",
			}
			keyed := 0
			for _, table := range tables {
				var cols []string
				if err := ward.SelectContext(ctx, &cols, "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND table_name = ?", table); err != nil {
					t.Fatal(err)
				}
				var keys []string
				for k := range checks {
					if slices.Contains(cols, k) {
						keys = append(keys, k)
					}
				}
				if len(keys) == 0 {
					if table != "snapshot_scope" && !strings.HasPrefix(table, "cfg_") {
						t.Errorf("%s has no ward key and is not configuration", table)
					}
					continue
				}
				keyed++
				var nulls []string
				for _, k := range keys {
					var n int
					if err := ward.GetContext(ctx, &n, fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", table, checks[k])); err != nil {
						t.Fatal(err)
					}
					if n > 0 {
						t.Errorf("%s: %d rows of another ward by %s", table, n, k)
					}
					nulls = append(nulls, k+" IS NULL")
				}
				var n int
				if err := ward.GetContext(ctx, &n, fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", table, strings.Join(nulls, " AND "))); err != nil {
					t.Fatal(err)
				}
				if n > 0 {
					t.Errorf("%s: %d rows tied to no ward (city-wide)", table, n)
				}
			}
			if keyed < 10 {
				t.Errorf("only %d tables kept by a ward key", keyed)
			}
			for _, w := range set {
				var mine, theirs int
				ward.GetContext(ctx, &mine, "SELECT count(*) FROM citizens WHERE ward = ?", w)
				ward.GetContext(ctx, &theirs, "SELECT count(*) FROM full_snapshot.citizens WHERE ward = ?", w)
				if mine != theirs || w == "tan-phu-dong" && mine == 0 { // the fixture's people are all of Tân Phú Đông
					t.Errorf("%s: %d people in the ward snapshot, %d in the full one", w, mine, theirs)
				}
			}
			var comment string
			ward.GetContext(ctx, &comment, "SELECT comment FROM duckdb_tables() WHERE database_name = current_database() AND table_name = 'citizen_status_monthly'")
			if comment == "" {
				t.Error("the ward snapshot's tables lost their comments")
			}
			var mine, theirs int
			ward.GetContext(ctx, &mine, "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() AND comment <> ''")
			ward.GetContext(ctx, &theirs, `SELECT count(*) FROM duckdb_columns() WHERE database_name = 'full_snapshot' AND comment <> ''
				AND table_name IN (SELECT table_name FROM snapshot_scope WHERE kept)`)
			if mine != theirs || mine < 50 {
				t.Errorf("%d columns documented in the ward snapshot, %d in the full one's tables it kept", mine, theirs)
			}
		})
	}
	// One set fewer: its snapshot goes at the next publication.
	gone := cfg.Paths.WardSnapshot([]string{"tan-phu-dong", "tan-quy-tay"})
	cfg.Server.Auth.Users = cfg.Server.Auth.Users[:2]
	full.Close()
	if _, err := Run(ctx, db, cfg, sqlFS(t), runAt); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(gone); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the snapshot of a set no login has is still there: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(cfg.Paths.WardSnapshots(), "*"))
	if len(left) != 1 || left[0] != cfg.Paths.WardSnapshot([]string{"tan-quy-tay"}) {
		t.Errorf("the ward snapshots' folder holds %v", left)
	}
}

// TestWardSnapshotCityFile: a city's file (no ward of its own) holds several
// wards' rows, one table per ward. A ward's snapshot keeps its own rows of
// it, none of another ward's, and not the file's problems, which quote rows
// of any ward; the file itself is listed, as its rows' lineage.
func TestWardSnapshotCityFile(t *testing.T) {
	cfg, db := pilot(t)
	ctx := context.Background()
	for _, s := range []string{
		`INSERT INTO ingest_files (file_id, sha256, original_name, ward, dataset, period, received_at, file_modified_at, size_bytes, status, rows_loaded, warnings, problems) VALUES
		 (10, 'c10', 'dang_ky_thanh_pho.xlsx', NULL, 'citizens', '2020-11', TIMESTAMP '2020-11-25 09:00:00', TIMESTAMP '2020-11-25 08:00:00', 1, 'loaded', 2, 1, 0)`,
		`INSERT INTO ingest_file_tables (file_id, dataset, sheets, ward, period, rows, status, superseded_by) VALUES
		 (10, 'citizens', 'DS', 'tan-quy-tay', '2020-11', 1, 'loaded', NULL), (10, 'citizens', 'DS', 'tan-phu-dong', '2020-11', 1, 'loaded', NULL)`,
		`INSERT INTO raw_citizens (file_id, sheet, row_number, citizen_id, full_name, gender, birth_year, group_id, ward, hamlet, unit_code, registered_on) VALUES
		 (10, 'DS', 5, 'TQT-201', 'Lâm Thị Xuân', 'Nữ', 1982, 1, 'tan-quy-tay', NULL, NULL, DATE '2020-11-20'),
		 (10, 'DS', 6, 'TPD-201', 'Tạ Văn Bảy', 'Nam', 1970, 1, 'tan-phu-dong', NULL, NULL, DATE '2020-11-20')`,
		`INSERT INTO ingest_problems (file_id, severity, sheet, row_number, column_name, value, code, message_vi, message_en) VALUES
		 (10, 'warning', 'DS', 6, 'Họ và tên', 'Tạ Văn Bảy', 'name_case', 'tên viết hoa', 'name in capitals')`,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	cfg.Server.Auth.Users = []config.User{{Name: "tqt", PasswordHash: "$2a$10$abcdefghijklmnopqrstuv", Wards: []string{"tan-quy-tay"}}}
	if _, err := Run(ctx, db, cfg, sqlFS(t), runAt); err != nil {
		t.Fatal(err)
	}
	opt := store.OptionsFrom(cfg)
	opt.ReadOnly = true
	ward, err := store.Open(ctx, cfg.Paths.WardSnapshot([]string{"tan-quy-tay"}), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer ward.Close()
	var names []string
	if err := ward.SelectContext(ctx, &names, "SELECT full_name FROM citizens ORDER BY 1"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != "Lâm Thị Xuân" {
		t.Errorf("the ward's people from the city's file: %v, want Lâm Thị Xuân alone", names)
	}
	for q, want := range map[string]int{
		"SELECT count(*) FROM ingest_problems WHERE file_id = 10":                         0,
		"SELECT count(*) FROM ingest_files WHERE file_id = 10":                            1, // the lineage of the ward's rows
		"SELECT count(*) FROM citizen_status_monthly WHERE citizen_id = 'TQT-201'":        9,
		"SELECT count(*) FROM citizen_status_monthly WHERE citizen_id = 'TPD-201'":        0,
		"SELECT count(*) FROM ingest_file_tables WHERE file_id = 10":                      1,
		"SELECT count(*) FROM ingest_file_tables WHERE ward <> 'tan-quy-tay'":             0,
		"SELECT count(*) FROM progress_monthly WHERE ward IS DISTINCT FROM 'tan-quy-tay'": 0,
	} {
		var n int
		if err := ward.GetContext(ctx, &n, q); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s: %d, want %d", q, n, want)
		}
	}
}
