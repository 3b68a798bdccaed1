package ingest

import (
	_ "embed"
	"strings"
)

// The statements of loading a file and of its tables, and of a scratch
// database's start (Scratch), in sql/ (those of an
// exchange package are in package.go, the checks in checks.sql, the
// datasets' row queries in tables.sql).
var (
	//go:embed sql/file_by_checksum.sql
	sqlFileByChecksum string
	//go:embed sql/file_loaded_insert.sql
	sqlFileLoadedInsert string
	//go:embed sql/file_refused_insert.sql
	sqlFileRefusedInsert string
	//go:embed sql/file_refused_by_checksum.sql
	sqlFileRefusedByChecksum string
	//go:embed sql/file_stored.sql
	sqlFileStored string
	//go:embed sql/file_superseded.sql
	sqlFileSuperseded string
	//go:embed sql/file_problems.sql
	sqlFileProblems string
	//go:embed sql/file_tables.sql
	sqlFileTables string
	//go:embed sql/file_table_superseded.sql
	sqlFileTableSuperseded string
	//go:embed sql/file_record.sql
	sqlFileRecord string
	//go:embed sql/file_table_insert.sql
	sqlFileTableInsert string
	//go:embed sql/ward_keys.sql
	sqlWardKeys string
	//go:embed sql/city_keys.sql
	sqlCityKeys string
	//go:embed sql/ward_rows_loaded.sql
	sqlWardRowsLoaded string
	//go:embed sql/tables_supersede.sql
	sqlTablesSupersede string
	//go:embed sql/files_supersede.sql
	sqlFilesSupersede string
	//go:embed sql/files_earlier.sql
	sqlFilesEarlier string
	//go:embed sql/rows_removed.sql
	sqlRowsRemoved string
	//go:embed sql/tables_replaced.sql
	sqlTablesReplaced string
	//go:embed sql/scratch_files.sql
	sqlScratchFiles string
	//go:embed sql/scratch_file_tables.sql
	sqlScratchFileTables string
	//go:embed sql/scratch_citizens.sql
	sqlScratchCitizens string
	//go:embed sql/scratch_units.sql
	sqlScratchUnits string
)

// namedQuery is one query of a file of several (checks.sql, tables.sql),
// each under a line "-- name: its name".
type namedQuery struct{ name, sql string }

// named splits text into its named queries: each the text up to the next
// "-- name:" line, without its final semicolon.
func named(text string) []namedQuery {
	var qs []namedQuery
	for _, part := range strings.Split(text, "-- name: ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		qs = append(qs, namedQuery{strings.TrimSpace(name), strings.TrimSuffix(strings.TrimSpace(body), ";")})
	}
	return qs
}
