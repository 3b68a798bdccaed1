package transform

import (
	"fmt"
	"strings"
)

// Dictionary renders the data dictionary of the published snapshot's models as
// Markdown, from the comments at the top of each SQL file.
func Dictionary(models []Model) string {
	var b strings.Builder
	b.WriteString("# Data dictionary\n\n")
	b.WriteString("The tables of the published snapshot (`paths.snapshot`, read-only) that the SQL models in\n")
	b.WriteString("`sql/models/` produce, in the order they are built. Generated from the comments at the top of\n")
	b.WriteString("each SQL file by `go test ./transform -run TestDataDictionary -update`; do not edit by hand.\n\n")
	b.WriteString("The snapshot also holds the configuration as `cfg_*` tables (wards, units, target groups, rounds,\n")
	b.WriteString("the framework and its indicators, the unit scheme, metrics, goals and their points, phases,\n")
	b.WriteString("milestones, the submission calendar, months) and the pipeline's bookkeeping: `ingest_files`,\n")
	b.WriteString("`ingest_problems`, `job_runs`, `model_runs`, `reports`, `outbox`; the register of administrative units\n")
	b.WriteString("as `geo_*` tables (units, crosswalk, each ward's units as it was and as it is now, legacy areas:\n")
	b.WriteString("[geography.md](geography.md)). The same descriptions are in the\n")
	b.WriteString("snapshot itself: `SELECT table_name, comment FROM duckdb_tables()` and\n")
	b.WriteString("`SELECT table_name, column_name, comment FROM duckdb_columns()`.\n\n")
	b.WriteString("| table | what one row is |\n|---|---|\n")
	for _, m := range models {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", m.Name, m.Name, firstSentence(m.Doc))
	}
	for _, m := range models {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\nSource: `sql/%s`", m.Name, m.Doc, m.File)
		if len(m.Deps) > 0 {
			fmt.Fprintf(&b, "; reads `%s`", strings.Join(m.Deps, "`, `"))
		}
		b.WriteString(".\n\n| column | meaning |\n|---|---|\n")
		for _, c := range m.Columns {
			fmt.Fprintf(&b, "| `%s` | %s |\n", c.Name, strings.ReplaceAll(c.Doc, "|", "\\|"))
		}
	}
	return b.String()
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
