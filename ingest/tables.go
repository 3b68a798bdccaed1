package ingest

import (
	"context"
	_ "embed"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/wardfile"
)

// How a loaded file adds to what its ward sent before.
//
// A file is a supplement unless it is a replacement. A supplement's rows add to
// the ward's earlier rows of the dataset; a row whose record_key an earlier
// row has replaces it (the SQL models keep, per record_key, the row of the
// latest file received, and within one file the later submission): a
// supplementary survey adds its people, a list of new registrants adds them,
// a corrected row replaces its earlier self. Nothing is deleted: the earlier
// rows stay in the raw tables and in history.
//
// A replacement supersedes the ward's earlier tables of the dataset whole
// (ingest_file_tables.status = 'superseded', superseded_by): their rows that
// it does not repeat no longer count. A file is a replacement when
//
//   - its name or a title row declares it, with "bản sửa", "đã sửa", "sửa
//     lại", "thay thế", "đính chính" or the like (reason declared): it
//     replaces the earlier file it names (its name without the mark), or else
//     the ward's earlier tables of the same period (for registrations, all of
//     them);
//   - an earlier loaded file of the ward had the same name (same_name);
//   - the dataset is configured so (ingest.replace: configured).
//
// A replacement that its sender did not declare and that would remove more
// than ingest.max_shrink of the ward's rows of the dataset is refused as
// suspicious: a list of 100 sent after one of 30,000 is more likely a
// supplement named like the first than the whole list.

//go:embed tables.sql
var tablesSQL string

var tableQueries = func() map[string]string {
	qs := map[string]string{}
	for _, q := range named(tablesSQL) {
		qs[q.name] = q.sql
	}
	return qs
}()

// Modes and their reasons (ingest_file_tables.mode, mode_reason).
const (
	ModeSupplement  = "supplement"
	ModeReplacement = "replacement"

	reasonDefault    = "default"
	reasonDeclared   = "declared"
	reasonSameName   = "same_name"
	reasonConfigured = "configured"
)

// Table is what a loaded file brought to one ward's dataset.
type Table struct {
	Dataset, Ward string
	Period        string
	Rows          int
	Mode, Reason  string
	Added         int     // rows with a new record_key
	Replaced      int     // rows replacing a loaded row of the same record_key
	Removed       int     // for a replacement: the ward's rows it did not repeat
	Superseded    []int64 // the files whose tables it superseded
}

// marks declare a file a correction that replaces an earlier one (folded).
var marks = []string{"ban sua", "da sua", "sua lai", "sua doi", "thay the", "dinh chinh", "ban chinh sua", "correction", "corrected", "replacement", "replaces"}

// declared reports whether a name or title declares a replacement, and the
// name it leaves when the mark (and what follows it) is taken out.
func declared(s string) (bool, string) {
	f := config.Fold(s)
	for _, m := range marks {
		if i := strings.Index(" "+f+" ", " "+m+" "); i >= 0 {
			return true, strings.TrimSpace(f[:max(i-1, 0)])
		}
	}
	return false, ""
}

// copySuffix is what a browser or Excel adds to a name saved twice: " (1)", "-2", "_copy".
var copySuffix = regexp.MustCompile(`(?i)(\s*\(\d+\)|\s*-\s*copy|\s*_copy|\s*- bản sao)$`)

// baseName is a file name compared with another: folded, without its extension
// or a copy's suffix.
func baseName(name string) string {
	n := strings.TrimSuffix(name, filepath.Ext(name))
	return config.Fold(copySuffix.ReplaceAllString(n, ""))
}

// record writes the tables a loaded file holds, decides per dataset whether it
// supplements or replaces the ward's earlier ones, and supersedes what it
// replaces. A suspicious shrink is a problem that refuses the file.
func (l *Loader) record(ctx context.Context, tx *store.Tx, fileID int64, name, ward string, res *wardfile.Result, stats map[string]*tableStats, out *Outcome) error {
	if len(stats) == 0 {
		res.Add(wardfile.Problem{Severity: wardfile.SevError, Code: "no_rows",
			VI: "Tệp không có dòng dữ liệu nào.", EN: "The file holds no data rows."})
		return errRefused
	}
	datasets := make([]string, 0, len(stats))
	for ds := range stats {
		datasets = append(datasets, ds)
	}
	slices.Sort(datasets)
	f := &fileTables{l: l, tx: tx, fileID: fileID, out: out}
	f.codes, f.wards = make([]string, len(l.Cfg.Units)), make([]string, len(l.Cfg.Units))
	for i, u := range l.Cfg.Units {
		f.codes[i], f.wards[i] = u.Code, u.Ward
	}
	var titles []string
	for _, t := range res.Tables {
		titles = append(titles, t.Titles...)
	}
	for _, ds := range datasets {
		if err := f.dataset(ctx, name, ward, ds, titles, stats[ds]); err != nil {
			return err
		}
	}
	if len(f.refused) > 0 {
		for _, p := range f.refused {
			res.Add(p)
		}
		return errRefused
	}
	if err := f.supersede(ctx); err != nil {
		return err
	}
	rows := 0
	for _, s := range stats {
		rows += s.rows
	}
	slices.Sort(f.periods)
	if _, err := tx.ExecContext(ctx, sqlFileRecord,
		strings.Join(datasets, "+"), strings.Join(f.periods, "+"), rows, res.Warnings(), fileID); err != nil {
		return err
	}
	return insertProblems(ctx, tx, fileID, res.Problems)
}

// fileTables records the tables of one file being loaded, dataset after
// dataset, into its Outcome.
type fileTables struct {
	l            *Loader
	tx           *store.Tx
	fileID       int64
	codes, wards []string // the configured units' codes and wards ($2, $3 of tables.sql)
	out          *Outcome
	refused      []wardfile.Problem // suspicious shrinks
	periods      []string           // every period the file's tables cover
}

// wardTable is what a file holds of one ward's dataset.
type wardTable struct {
	Ward     string `db:"ward"`
	Period   string `db:"period"`
	Rows     int    `db:"rows"`
	Sheets   string `db:"sheets"`
	Added    int    `db:"added"`
	Replaced int    `db:"replaced"`
}

// dataset records the file's tables of dataset ds, one per ward: how it
// takes them (supplement or replacement), what it adds, replaces and
// removes, and whether a replacement shrinks the ward's rows suspiciously.
func (f *fileTables) dataset(ctx context.Context, name, ward, ds string, titles []string, st *tableStats) error {
	l, tx, fileID := f.l, f.tx, f.fileID
	q, ok := tableQueries[ds]
	if !ok {
		return fmt.Errorf("ingest: tables.sql has no query for dataset %s", ds)
	}
	mode, reason, named := l.mode(ctx, tx, fileID, name, ward, ds, titles)
	rows, err := f.wardTables(ctx, ward, ds, q, st)
	if err != nil {
		return fmt.Errorf("tables of %s: %w", ds, err)
	}
	for _, r := range rows {
		if r.Ward == "" {
			continue // rows of no known ward are refused by the checks
		}
		t := Table{Dataset: ds, Ward: r.Ward, Period: r.Period, Rows: r.Rows, Mode: mode, Reason: reason, Added: r.Added, Replaced: r.Replaced}
		if mode == ModeReplacement {
			if err := l.replace(ctx, tx, fileID, q, &t, named); err != nil {
				return err
			}
			if t.Removed > 0 && reason != reasonDeclared {
				if err := f.shrink(ctx, q, t); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, sqlFileTableInsert, fileID, ds, t.Ward, r.Sheets, t.Period, t.Rows, t.Mode, t.Reason, t.Added, t.Replaced, t.Removed); err != nil {
			return err
		}
		f.out.Tables = append(f.out.Tables, t)
		for _, id := range t.Superseded {
			if !slices.Contains(f.out.Superseded, id) {
				f.out.Superseded = append(f.out.Superseded, id)
			}
		}
		if !slices.Contains(f.periods, t.Period) {
			f.periods = append(f.periods, t.Period)
		}
	}
	return nil
}

// wardTables are what the file holds of dataset ds per ward (q is the
// dataset's query of tables.sql; st the rows the file gave).
func (f *fileTables) wardTables(ctx context.Context, ward, ds, q string, st *tableStats) ([]wardTable, error) {
	if ward != "" {
		// A ward's file: every row is of its ward, and what it adds or
		// replaces is told by the ward's own loaded files, no registration
		// needed to place a row.
		raw := rawTables(f.l.Cfg)[ds]
		var r struct {
			Period   string `db:"period"`
			Added    int    `db:"added"`
			Replaced int    `db:"replaced"`
		}
		// Each of the file's keys is looked up among the ward's earlier rows
		// (a mark join on them), rather than joined with their distinct keys:
		// the earlier rows grow with every round, and making their keys
		// distinct was the larger part of the query (a 1M-row survey in its
		// transaction over 2M earlier rows: 0.39-0.43 s against 0.20-0.25 s;
		// over none, 0.09 s both ways). A NULL key is found nowhere, and
		// counts as added, as the join counted it.
		if err := f.tx.GetContext(ctx, &r, fmt.Sprintf(sqlWardKeys, raw.name, raw.period), f.fileID, ds, ward); err != nil {
			return nil, err
		}
		return []wardTable{{ward, r.Period, st.rows, strings.Join(st.sheets, ", "), r.Added, r.Replaced}}, nil
	}
	// As for a ward's file, each of the file's (ward, key) pairs is looked up
	// among the earlier rows rather than joined with their distinct pairs (a
	// city's 1M-row survey over 3M earlier rows: 0.92 s against 1.25 s). A
	// NULL key is counted neither added nor replaced, as count(DISTINCT)
	// counted it; the pair is a struct, never NULL, so seen is true only for
	// a pair found.
	var rows []wardTable
	err := f.tx.SelectContext(ctx, &rows, fmt.Sprintf(sqlCityKeys, q, ds), f.fileID, f.codes, f.wards)
	return rows, err
}

// shrink notes a problem when the undeclared replacement t would remove more
// than ingest.max_shrink of its ward's loaded rows of the dataset (q is the
// dataset's query of tables.sql).
func (f *fileTables) shrink(ctx context.Context, q string, t Table) error {
	var total int
	if err := f.tx.GetContext(ctx, &total, fmt.Sprintf(sqlWardRowsLoaded, q, t.Dataset), f.fileID, f.codes, f.wards, t.Ward); err != nil {
		return err
	}
	if float64(t.Removed) > f.l.Cfg.Ingest.MaxShrink*float64(total) {
		f.refused = append(f.refused, shrinkProblem(f.l.Cfg, t, total))
	}
	return nil
}

// supersede marks superseded the tables the file's replacements replace, and
// the files left with no table that counts.
func (f *fileTables) supersede(ctx context.Context) error {
	for _, t := range f.out.Tables {
		if len(t.Superseded) == 0 {
			continue
		}
		if _, err := f.tx.ExecContext(ctx, sqlTablesSupersede, f.fileID, t.Superseded, t.Dataset, t.Ward); err != nil {
			return err
		}
	}
	if len(f.out.Superseded) > 0 {
		if _, err := f.tx.ExecContext(ctx, sqlFilesSupersede, f.fileID); err != nil {
			return err
		}
	}
	return nil
}

// mode decides how a file's rows of dataset ds are taken, and, for a
// replacement that names the file it corrects, that file's id.
func (l *Loader) mode(ctx context.Context, tx *store.Tx, fileID int64, name, ward, ds string, titles []string) (mode, reason string, named []int64) {
	var earlier []struct {
		ID   int64  `db:"file_id"`
		Name string `db:"original_name"`
	}
	_ = tx.SelectContext(ctx, &earlier, sqlFilesEarlier, ds, fileID, nilIfEmpty(ward))
	isDeclared, rest := declared(strings.TrimSuffix(name, filepath.Ext(name)))
	for _, t := range titles {
		if d, _ := declared(t); d {
			isDeclared = true
		}
	}
	if isDeclared {
		for _, e := range earlier {
			if rest != "" && baseName(e.Name) == baseName(rest) {
				named = append(named, e.ID)
			}
		}
		return ModeReplacement, reasonDeclared, named
	}
	for _, e := range earlier {
		if baseName(e.Name) == baseName(name) {
			named = append(named, e.ID)
		}
	}
	if len(named) > 0 {
		return ModeReplacement, reasonSameName, named
	}
	if slices.Contains(l.Cfg.Ingest.Replace, ds) {
		return ModeReplacement, reasonConfigured, nil
	}
	return ModeSupplement, reasonDefault, nil
}

// periodScoped reports datasets whose files each cover a period (a round, a
// month): a replacement of one period leaves the others. A registration list
// is the whole list.
func periodScoped(ds string) bool {
	return ds != config.DatasetUnits && ds != config.DatasetCitizens
}

// replace finds the ward's tables that t's file replaces and how many of their
// rows it does not repeat.
func (l *Loader) replace(ctx context.Context, tx *store.Tx, fileID int64, q string, t *Table, named []int64) error {
	cond := "TRUE"
	args := []any{fileID, t.Dataset, t.Ward}
	switch {
	case len(named) > 0:
		cond = "file_id = ANY(?)"
		args = append(args, named)
	case periodScoped(t.Dataset):
		cond = "period = ?"
		args = append(args, t.Period)
	}
	if err := tx.SelectContext(ctx, &t.Superseded, fmt.Sprintf(sqlTablesReplaced, cond), args...); err != nil {
		return err
	}
	if len(t.Superseded) == 0 {
		return nil
	}
	codes, wards := make([]string, len(l.Cfg.Units)), make([]string, len(l.Cfg.Units))
	for i, u := range l.Cfg.Units {
		codes[i], wards[i] = u.Code, u.Ward
	}
	return tx.GetContext(ctx, &t.Removed, fmt.Sprintf(sqlRowsRemoved, q, t.Dataset),
		fileID, codes, wards, t.Ward, t.Superseded)
}

func shrinkProblem(cfg *config.Config, t Table, total int) wardfile.Problem {
	w, _ := cfg.Ward(t.Ward)
	pct := func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }
	return wardfile.Problem{Severity: wardfile.SevError, Code: "suspicious_shrink",
		VI: fmt.Sprintf("Tệp này sẽ thay thế dữ liệu \"%s\" đã gửi trước của %s %s, làm mất %d trong %d dòng (quá %s). Nếu đây là danh sách bổ sung, hãy đặt tên tệp khác với tệp trước (ví dụ \"… bổ sung\"); nếu thật sự thay thế, hãy ghi \"bản sửa\" hoặc \"thay thế\" vào tên tệp.",
			t.Dataset, w.Kind, w.Name, t.Removed, total, pct(cfg.Ingest.MaxShrink)),
		EN: fmt.Sprintf("This file would replace the %s that %s sent before and remove %d of its %d rows (more than %s). If it is a supplement, give it a name unlike the earlier file's (\"… bổ sung\"); if it truly replaces it, put \"bản sửa\" or \"thay thế\" in its name.",
			t.Dataset, w.Name, t.Removed, total, pct(cfg.Ingest.MaxShrink))}
}
