package ingest

import (
	"fmt"
	"strings"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

// rawTable is how the rows of a dataset land in its raw table: the values each
// row gives (its lineage's file and sheet are the same for every row of a
// table, and come with the query), and the expressions the table's columns
// take from them.
type rawTable struct {
	name  string
	cols  []store.Column
	exprs []string // per column of the table after file_id and sheet; "" for the column of that name
}

// rawTables are the raw tables of the datasets; n is the number of citizen indicators.
func rawTables(n int) map[string]rawTable {
	return map[string]rawTable{
		config.DatasetUnits: {name: "raw_units",
			cols: columns("row_number INTEGER, unit_code VARCHAR, unit_name VARCHAR, unit_type VARCHAR, ward VARCHAR, members INTEGER, registered_on DATE")},
		config.DatasetCitizens: {name: "raw_citizens",
			cols: columns("row_number INTEGER, citizen_id VARCHAR, full_name VARCHAR, gender VARCHAR, birth_year INTEGER, group_id INTEGER, ward VARCHAR, hamlet VARCHAR, unit_code VARCHAR, registered_on DATE")},
		// The scores come as ARRAYs, which cost Go much less to append than
		// LISTs, and become LISTs in the query.
		config.DatasetCitizenAssessments: {name: "raw_citizen_assessments",
			cols:  columns(fmt.Sprintf("row_number INTEGER, citizen_id VARCHAR, round VARCHAR, assessed_on DATE, self_scores DOUBLE[%d], reviewed_scores DOUBLE[%d], reviewer VARCHAR", n, n)),
			exprs: []string{"", "", "", "", "self_scores::DOUBLE[]", "reviewed_scores::DOUBLE[]", ""}},
		config.DatasetUnitAssessments: {name: "raw_unit_assessments",
			cols: columns("row_number INTEGER, unit_code VARCHAR, assessed_on DATE, item VARCHAR, score DOUBLE")},
		config.DatasetActivities: {name: "raw_activities",
			cols: columns("row_number INTEGER, activity_date DATE, ward VARCHAR, kind VARCHAR, title VARCHAR, participants INTEGER, hours DOUBLE")},
		config.DatasetDecisions: {name: "raw_decisions",
			cols: columns("row_number INTEGER, decision_number VARCHAR, decided_on DATE, issuer VARCHAR, title VARCHAR, citizen_id VARCHAR, unit_code VARCHAR, full_name VARCHAR, ward VARCHAR")},
	}
}

// columns reads "name TYPE, name TYPE, …".
func columns(s string) []store.Column {
	var cs []store.Column
	for _, c := range strings.Split(s, ",") {
		name, typ, _ := strings.Cut(strings.TrimSpace(c), " ")
		cs = append(cs, store.Column{Name: name, Type: typ})
	}
	return cs
}

// rawDest is where the rows of one table of a file go: a raw table, with the
// file's id and the sheet.
type rawDest struct {
	raw    *rawTable
	fileID int64
	sheet  string // "" for CSV and JSON: NULL
}

// query is the INSERT that moves the appended rows into the raw table.
func (d *rawDest) query() string {
	var b strings.Builder
	names := make([]string, len(d.raw.cols))
	for i, c := range d.raw.cols {
		names[i] = c.Name
	}
	fmt.Fprintf(&b, "INSERT INTO %s (file_id, sheet, %s) SELECT %d, %s", d.raw.name, strings.Join(names, ", "), d.fileID, sqlString(d.sheet))
	for i, c := range d.raw.cols {
		b.WriteString(", ")
		if i < len(d.raw.exprs) && d.raw.exprs[i] != "" {
			b.WriteString(d.raw.exprs[i])
		} else {
			b.WriteString(c.Name)
		}
	}
	b.WriteString(" FROM appended_data")
	return b.String()
}

// sqlString is s as an SQL string literal; "" is NULL.
func sqlString(s string) string {
	if s == "" {
		return "NULL"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
