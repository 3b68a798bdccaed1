package sample

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Execer runs a statement: a *sql.DB, *sqlx.DB or *store.DB.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// LoadRaw puts the citizens and the survey rounds that Scale wrote under
// inbox straight into the raw tables of a migrated database, with DuckDB's
// read_csv, as one loaded file: for the benchmarks and tests of what comes
// after ingest (the transform, the reports), which would otherwise spend
// minutes loading a province through ingest. It checks nothing; the units'
// rows are left out, as the checks that ingest makes are.
func LoadRaw(ctx context.Context, db Execer, inbox string) error {
	glob := func(name string) string {
		return "'" + strings.ReplaceAll(filepath.Join(inbox, "*", name), "'", "''") + "'"
	}
	var scores []string
	for i := 1; i <= 10; i++ {
		scores = append(scores, `"Chỉ số `+strconv.Itoa(i)+`"`)
	}
	stmts := []string{
		`INSERT INTO ingest_files (file_id, sha256, original_name, ward, received_at, size_bytes, status) VALUES (1, 'scale', 'scale', 'w0001', now(), 0, 'loaded')`,
		`INSERT INTO ingest_file_tables (file_id, dataset, sheets, ward, period, rows, status, superseded_by) VALUES (1, 'units', NULL, 'w0001', '2020-11', 0, 'loaded', NULL), (1, 'citizens', NULL, 'w0001', '2020-11', 0, 'loaded', NULL),
		 (1, 'citizen_assessments', NULL, 'w0001', 'all', 0, 'loaded', NULL), (1, 'unit_assessments', NULL, 'w0001', '2021-06', 0, 'loaded', NULL)`,
		`INSERT INTO raw_citizens (file_id, sheet, row_number, citizen_id, full_name, gender, birth_year, group_id, ward, hamlet, unit_code, registered_on) SELECT 1, NULL, row_number() OVER (), "Mã công dân", "Họ và tên", "Giới tính", "Năm sinh", "Nhóm đối tượng",
		   'w' || substr("Mã công dân", 2, 4), "Ấp/khóm", "Mã đơn vị", strptime("Ngày đăng ký", '%d/%m/%Y')::DATE
		 FROM read_csv(` + glob("citizens.csv") + `, all_varchar = true)`,
		`INSERT INTO raw_citizen_assessments (file_id, sheet, row_number, citizen_id, round, assessed_on, self_scores, reviewed_scores, reviewer) SELECT 1, NULL, row_number() OVER (), "Mã công dân", "Đợt", strptime("Ngày đánh giá", '%d/%m/%Y')::DATE,
		   CAST([` + strings.Join(scores, ", ") + `] AS DOUBLE[]), NULL, NULL
		 FROM read_csv([` + glob("assessments_baseline.csv") + `, ` + glob("assessments_mid.csv") + `, ` + glob("assessments_final.csv") + `], all_varchar = true)`,
	}
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sample: raw load: %w", err)
		}
	}
	return nil
}
