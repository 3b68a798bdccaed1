package exchange

import (
	"embed"
	"io/fs"
	"slices"
	"strings"
)

// The tables of a package, each a SELECT in sql/export/<table>.sql over the
// city's published snapshot and exchange_wards (ward, unit_code: each ward's
// official code), returning unit_code and month among its columns.
//
//go:embed sql/export/*.sql
var exportSQL embed.FS

// PeopleTable is the person-level table, which leaves only when the
// configuration says so (exchange.people).
const PeopleTable = "people_monthly"

// FamilyTable is the learning families' table: empty where the city does not
// count the family title, and then in no package.
const FamilyTable = "family_monthly"

// Source is one table to write: a SELECT with unit_code and month columns.
type Source struct {
	Table string
	Query string
}

// Sources are the tables a city's package holds, read from its snapshot:
// the aggregates, and the person-level table when people is true.
func Sources(people bool) ([]Source, error) {
	ents, err := fs.ReadDir(exportSQL, "sql/export")
	if err != nil {
		return nil, err
	}
	var out []Source
	for _, e := range ents {
		name := strings.TrimSuffix(e.Name(), ".sql")
		if name == PeopleTable && !people {
			continue
		}
		b, err := fs.ReadFile(exportSQL, "sql/export/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Source{Table: name, Query: string(b)})
	}
	return out, nil
}

// TableNames are the tables a package of this schema version may hold.
func TableNames() []string {
	ents, _ := fs.ReadDir(exportSQL, "sql/export")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".sql"))
	}
	slices.Sort(out)
	return out
}
