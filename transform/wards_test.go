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
