package ingest

import (
	"fmt"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/wardfile"
)

// rawTable is how the rows of a dataset land in its raw table: each column
// after the lineage's file and sheet (the same for every row of a table, given
// by the query) with the dataset columns it is made of, by key. A workbook's
// column order, or the dataset's, never decides where a value goes.
type rawTable struct {
	name string
	cols []rawCol
	// period is the SQL of a row's period: the month of its date, or its round.
	period string
	// items, when set, makes one raw row per item of a dataset row: the unit
	// scheme's items, each with its own key (unit_assessments).
	items []rawItem
}

// rawCol is one column of a raw table and where its value comes from.
type rawCol struct {
	store.Column        // as appended
	expr         string // the INSERT's expression for it; "" for the appended column as is
	src          rawSource
}

// rawSource says where a raw column's value comes from.
type rawSource struct {
	kind rawKind
	keys []string // the dataset columns read: one, or the elements of a list
	// conv turns the value read (never nil) into the appended one; nil: as read.
	conv func(any) any
	// when, if set, keeps the value only in rows whose column when holds is.
	when string
	is   any
}

type rawKind uint8

const (
	fromKey      rawKind = iota // the value of the first of keys that is given
	fromList                    // a list of the values of keys, in order; NULL when none is given
	fromRow                     // the row's number (lineage)
	fromItemCode                // the item's code (a row per item)
	fromItem                    // the item's value (a row per item)
	computed                    // not appended: the INSERT computes it (expr) from the appended columns
)

type rawItem struct{ code, key string }

func key(k string, conv func(any) any) rawSource {
	return rawSource{kind: fromKey, keys: []string{k}, conv: conv}
}

var rowNumber = rawSource{kind: fromRow}

// rawTables are the raw tables of the datasets of cfg.
func rawTables(cfg *config.Config) map[string]rawTable {
	upper := func(v any) any { return strings.ToUpper(v.(string)) }
	unit := func(v any) any {
		if u, ok := cfg.Unit(v.(string)); ok {
			return u.Code
		}
		return strings.ToUpper(v.(string))
	}
	int32Of := func(v any) any { return int32(v.(int64)) }
	year := func(v any) any {
		if d, ok := v.(time.Time); ok {
			return int32(d.Year())
		}
		return int32(v.(int64))
	}
	// record_key is stored, computed by the INSERT, although storing it is
	// about a third of what a survey's rows cost to store. As a VIRTUAL
	// generated column of raw_citizens and raw_citizen_assessments (tried on
	// branch ingestfast-virtualkey, 4M rows of one ward): a 1M-row survey's
	// append 1.93-2.00 s against 2.13-2.37 s, its COMMIT 0.28-0.30 s against
	// 0.37-0.40 s, the database 59 MB against 89 MB; but every reader computes
	// the key again (a load's added and replaced rows: +0.1 to +0.27 s, growing
	// with the ward's history), the transform was no faster (31.5-34.9 CPU-s
	// against 32.4-34.5), and DuckDB 1.5 cannot replay from its write-ahead
	// log a COMMENT ON, or any ALTER, of a table whose generated column calls
	// a function (duckdb/duckdb#18259, #20543; see
	// store/migrations/004_bookkeeping_comments.sql): the migration's comments,
	// and any later ALTER of these tables, would leave a database that no
	// longer opens after a stop before the next checkpoint
	// (TestMigrationsSurviveACrash fails).
	recordKey := func(expr string) rawCol {
		return rawCol{Column: store.Column{Name: "record_key", Type: "VARCHAR"}, expr: expr, src: rawSource{kind: computed}}
	}
	var self, reviewed []string
	for _, ind := range cfg.Citizen.Indicators {
		self = append(self, config.IndicatorKey(ind.Number))
		reviewed = append(reviewed, config.ReviewKey(ind.Number))
	}
	n := len(self)
	var items []rawItem
	for _, it := range cfg.UnitScheme.Items {
		items = append(items, rawItem{it.Code, config.ItemKey(it.Code)})
	}
	var criteria []rawItem
	if f, ok := cfg.Framework(config.FrameworkFamily); ok {
		for _, cr := range f.Criteria() {
			criteria = append(criteria, rawItem{cr.Code, config.CriterionKey(cr.Code)})
		}
	}
	col := func(name, typ string, src rawSource) rawCol {
		return rawCol{Column: store.Column{Name: name, Type: typ}, src: src}
	}
	return map[string]rawTable{
		config.DatasetUnits: {name: "raw_units", period: "strftime(registered_on, '%Y-%m')", cols: []rawCol{
			col("row_number", "INTEGER", rowNumber),
			col("unit_code", "VARCHAR", key("unit_code", unit)),
			col("unit_name", "VARCHAR", key("unit_name", nil)),
			col("unit_type", "VARCHAR", key("unit_type", nil)),
			col("ward", "VARCHAR", key("ward", nil)),
			col("members", "INTEGER", key("members", int32Of)),
			col("registered_on", "DATE", key("registered_on", nil)),
			recordKey("unit_code"),
		}},
		config.DatasetCitizens: {name: "raw_citizens", period: "strftime(registered_on, '%Y-%m')", cols: []rawCol{
			col("row_number", "INTEGER", rowNumber),
			col("citizen_id", "VARCHAR", key("citizen_id", upper)),
			col("full_name", "VARCHAR", key("full_name", nil)),
			col("gender", "VARCHAR", key("gender", nil)),
			col("birth_year", "INTEGER", rawSource{kind: fromKey, keys: []string{"birth_year", "birth_date"}, conv: year}),
			col("group_id", "INTEGER", key("target_group", int32Of)),
			col("ward", "VARCHAR", key("ward", nil)),
			col("hamlet", "VARCHAR", key("hamlet", nil)),
			col("unit_code", "VARCHAR", key("unit_code", unit)),
			col("registered_on", "DATE", key("registered_on", nil)),
			col("birth_date", "DATE", key("birth_date", nil)),
			recordKey("citizen_id"),
		}},
		// The scores come as ARRAYs, which cost Go much less to append than
		// LISTs, and become LISTs in the query.
		config.DatasetCitizenAssessments: {name: "raw_citizen_assessments", period: "round", cols: []rawCol{
			col("row_number", "INTEGER", rowNumber),
			col("citizen_id", "VARCHAR", key("citizen_id", upper)),
			col("round", "VARCHAR", key("round", nil)),
			col("assessed_on", "DATE", key("assessed_on", nil)),
			{Column: store.Column{Name: "self_scores", Type: fmt.Sprintf("DOUBLE[%d]", n)}, expr: "self_scores::DOUBLE[]", src: rawSource{kind: fromList, keys: self}},
			{Column: store.Column{Name: "reviewed_scores", Type: fmt.Sprintf("DOUBLE[%d]", n)}, expr: "reviewed_scores::DOUBLE[]", src: rawSource{kind: fromList, keys: reviewed}},
			col("reviewer", "VARCHAR", key("reviewer", nil)),
			col("submitted_at", "TIMESTAMPTZ", key("submitted_at", nil)),
			col("review_status", "VARCHAR", key("review_status", nil)),
			recordKey("citizen_id || '/' || round || '/' || strftime(assessed_on, '%Y-%m-%d')"),
		}},
		config.DatasetUnitAssessments: {name: "raw_unit_assessments", period: "strftime(assessed_on, '%Y-%m')", items: items, cols: []rawCol{
			col("row_number", "INTEGER", rowNumber),
			col("unit_code", "VARCHAR", key("unit_code", unit)),
			col("assessed_on", "DATE", key("assessed_on", nil)),
			col("item", "VARCHAR", rawSource{kind: fromItemCode}),
			col("score", "DOUBLE", rawSource{kind: fromItem}),
			recordKey("unit_code || '/' || strftime(assessed_on, '%Y-%m-%d')"),
		}},
		config.DatasetActivities: {name: "raw_activities", period: "strftime(activity_date, '%Y-%m')", cols: []rawCol{
			col("row_number", "INTEGER", rowNumber),
			col("activity_date", "DATE", key("date", nil)),
			col("ward", "VARCHAR", key("ward", nil)),
			col("kind", "VARCHAR", key("kind", nil)),
			col("title", "VARCHAR", key("title", nil)),
			col("participants", "INTEGER", key("participants", int32Of)),
			col("hours", "DOUBLE", key("hours", nil)),
			recordKey("ward || '/' || strftime(activity_date, '%Y-%m-%d') || '/' || lower(kind) || '/' || lower(title)"),
		}},
		// A decision's row names a person for the citizen title, a unit for
		// the unit title (the reader refuses a row without it): the other code
		// a row may give is not whom it recognises.
		config.DatasetDecisions: {name: "raw_decisions", period: "strftime(decided_on, '%Y-%m')", cols: []rawCol{
			col("row_number", "INTEGER", rowNumber),
			col("decision_number", "VARCHAR", key("number", nil)),
			col("decided_on", "DATE", key("decided_on", nil)),
			col("issuer", "VARCHAR", key("issuer", nil)),
			col("title", "VARCHAR", key("title", nil)),
			col("citizen_id", "VARCHAR", rawSource{kind: fromKey, keys: []string{"citizen_id"}, conv: upper, when: "title", is: config.TitleCitizen}),
			col("unit_code", "VARCHAR", rawSource{kind: fromKey, keys: []string{"unit_code"}, conv: unit, when: "title", is: config.TitleUnit}),
			col("full_name", "VARCHAR", key("full_name", nil)),
			col("ward", "VARCHAR", key("ward", nil)),
			recordKey("decision_number || '/' || title || '/' || coalesce(citizen_id, unit_code, household_code)"),
			col("household_code", "VARCHAR", rawSource{kind: fromKey, keys: []string{"household_code"}, conv: upper, when: "title", is: config.TitleFamily}),
		}},
		// One raw row per criterion of the family title, like the unit scheme's items.
		config.DatasetFamilyAssessments: {name: "raw_family_assessments", period: "strftime(assessed_on, '%Y-%m')", items: criteria, cols: []rawCol{
			col("row_number", "INTEGER", rowNumber),
			col("household_code", "VARCHAR", key("household_code", upper)),
			col("head_name", "VARCHAR", key("head_name", nil)),
			col("ward", "VARCHAR", key("ward", nil)),
			col("hamlet", "VARCHAR", key("hamlet", nil)),
			col("members", "INTEGER", key("members", int32Of)),
			col("assessed_on", "DATE", key("assessed_on", nil)),
			col("criterion", "VARCHAR", rawSource{kind: fromItemCode}),
			col("result", "DOUBLE", rawSource{kind: fromItem}),
			recordKey("household_code || '/' || strftime(assessed_on, '%Y-%m-%d')"),
		}},
	}
}

// columns are the appended columns.
func (t *rawTable) columns() []store.Column {
	var cs []store.Column
	for _, c := range t.cols {
		if c.src.kind != computed {
			cs = append(cs, c.Column)
		}
	}
	return cs
}

// rawDest is where the rows of one table of a file go: a raw table, with the
// file's id and the sheet, and where each of its columns is in the table's rows.
type rawDest struct {
	raw    *rawTable
	fileID int64
	sheet  string // "" for CSV and JSON: NULL
	// at is, per raw column, the indexes of its keys in the table's columns;
	// when, the index of its condition's column (or -1).
	at   [][]int
	when []int
	// item is, per item, the index of its key.
	item []int
	vals []any // one raw row, reused
	list []any // one list's elements, reused
}

func newRawDest(raw *rawTable, fileID int64, t *wardfile.Table) (*rawDest, error) {
	d := &rawDest{raw: raw, fileID: fileID, sheet: t.Sheet, at: make([][]int, len(raw.cols)), when: make([]int, len(raw.cols)), vals: make([]any, 0, len(raw.cols))}
	index := func(k string) (int, error) {
		if i := t.Dataset.Index(k); i >= 0 {
			return i, nil
		}
		return -1, fmt.Errorf("ingest: %s: the dataset %s has no column %q", raw.name, t.Dataset.Name, k)
	}
	for i, c := range raw.cols {
		d.when[i] = -1
		if c.src.when != "" {
			j, err := index(c.src.when)
			if err != nil {
				return nil, err
			}
			d.when[i] = j
		}
		for _, k := range c.src.keys {
			j, err := index(k)
			if err != nil {
				return nil, err
			}
			d.at[i] = append(d.at[i], j)
		}
	}
	for _, it := range raw.items {
		j, err := index(it.key)
		if err != nil {
			return nil, err
		}
		d.item = append(d.item, j)
	}
	return d, nil
}

// put hands row r's raw rows to p.
func (d *rawDest) put(p *rowPipe, r wardfile.Row) error {
	if len(d.raw.items) == 0 {
		d.fill(p, r, -1)
		return p.put(d, d.vals...)
	}
	for i := range d.raw.items {
		d.fill(p, r, i)
		if err := p.put(d, d.vals...); err != nil {
			return err
		}
	}
	return nil
}

// fill makes the raw row of r (of its item i, when the table has items) in d.vals.
func (d *rawDest) fill(p *rowPipe, r wardfile.Row, item int) {
	d.vals = d.vals[:0]
	for i, c := range d.raw.cols {
		var v any
		switch c.src.kind {
		case computed:
			continue
		case fromRow:
			v = int32(r.Number)
		case fromKey:
			for _, j := range d.at[i] {
				if v = r.Values[j]; v != nil {
					break
				}
			}
		case fromList:
			d.list = d.list[:0]
			given := false
			for _, j := range d.at[i] {
				d.list = append(d.list, r.Values[j])
				given = given || r.Values[j] != nil
			}
			if given {
				v = p.list(d.list)
			}
		case fromItemCode:
			v = d.raw.items[item].code
		case fromItem:
			v = r.Values[d.item[item]]
		}
		if w := d.when[i]; w >= 0 && r.Values[w] != c.src.is {
			v = nil
		}
		if v != nil && c.src.conv != nil {
			v = c.src.conv(v)
		}
		d.vals = append(d.vals, v)
	}
}

// query is the INSERT that moves the appended rows into the raw table.
func (d *rawDest) query() string {
	var b strings.Builder
	names := make([]string, len(d.raw.cols))
	for i, c := range d.raw.cols {
		names[i] = c.Name
	}
	fmt.Fprintf(&b, "INSERT INTO %s (file_id, sheet, %s) SELECT %d, %s", d.raw.name, strings.Join(names, ", "), d.fileID, sqlString(d.sheet))
	for _, c := range d.raw.cols {
		b.WriteString(", ")
		if c.expr != "" {
			b.WriteString(c.expr)
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
	return store.Literal(s)
}
