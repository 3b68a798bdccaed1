package ingest

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

//go:embed checks.sql
var checksSQL string

// check is one named query of checks.sql.
type check struct{ name, sql string }

var checks = func() []check {
	var cs []check
	for _, part := range strings.Split(checksSQL, "-- name: ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		cs = append(cs, check{strings.TrimSpace(name), strings.TrimSuffix(strings.TrimSpace(body), ";")})
	}
	return cs
}()

// Outcome statuses of one file.
const (
	StatusLoaded    = "loaded"
	StatusRefused   = "refused"
	StatusDuplicate = "duplicate" // the same bytes were received before
)

// Outcome is what happened to one file.
type Outcome struct {
	Path       string // as found
	Name       string
	Ward       string
	Status     string
	FileID     int64
	Datasets   []string
	Rows       int
	Result     *Result
	Superseded []int64
	Receipt    string // the receipt written
	Earlier    string // for a duplicate: what it duplicates
}

// Loader loads ward files into the pipeline's database. Now is the run's time.
type Loader struct {
	DB  *store.DB
	Cfg *config.Config
	Now time.Time
}

var errRefused = errors.New("file refused")

// tableStats gathers what a file's rows of one dataset say about it.
type tableStats struct {
	rows    int
	sheets  []string
	periods map[string]int
}

// Load loads one file of ward, whole or not at all, then archives it (loaded)
// or moves it to quarantine with a receipt (refused). A file already received
// (same bytes) is not loaded twice.
func (l *Loader) Load(ctx context.Context, path, ward string) (Outcome, error) {
	return l.load(ctx, path, ward, true)
}

// statusDeferred: refused only for references to registrations not loaded yet;
// tried again once the rest of the batch is in.
const statusDeferred = "deferred"

func (l *Loader) load(ctx context.Context, path, ward string, final bool) (Outcome, error) {
	out := Outcome{Path: path, Name: filepath.Base(path), Ward: ward}
	sum, size, err := checksum(path)
	if err != nil {
		return out, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return out, err
	}
	var earlier []struct {
		ID         int64     `db:"file_id"`
		Name       string    `db:"original_name"`
		Status     string    `db:"status"`
		ReceivedAt time.Time `db:"received_at"`
	}
	if err := l.DB.SelectContext(ctx, &earlier, `SELECT file_id, original_name, status, received_at FROM ingest_files WHERE sha256 = ?`, sum); err != nil {
		return out, err
	}
	if len(earlier) > 0 {
		return l.duplicate(ctx, out, path, sum, earlier[0].ID, earlier[0].Name, earlier[0].Status, earlier[0].ReceivedAt)
	}

	var res *Result
	var stats map[string]*tableStats
	var fileID int64
	var found []Problem
	err = l.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.GetContext(ctx, &fileID, "SELECT nextval('ingest_file_ids')"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ingest_files (file_id, sha256, original_name, inbox_path, archive_path, ward, received_at, file_modified_at, size_bytes, status)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded')`, fileID, sum, out.Name, l.rel(path), archiveRel(sum, out.Name), ward, l.Now, st.ModTime(), size); err != nil {
			return err
		}
		var err error
		res, stats, err = l.append(ctx, tx, path, ward, fileID)
		if err != nil {
			return err
		}
		// The database checks run on the rows that were read well, so that one
		// receipt lists every problem, whatever else is wrong with the file.
		if found, err = l.check(ctx, tx, fileID); err != nil {
			return err
		}
		if res.Errors() > 0 || len(found) > 0 {
			return errRefused
		}
		return l.record(ctx, tx, fileID, ward, res, stats, &out)
	})
	if res != nil {
		for _, p := range found {
			res.Problems = append(res.Problems, p)
			res.errors++
		}
	}
	out.Result = res
	if errors.Is(err, errRefused) {
		if !final && onlyReferences(res) {
			out.Status = statusDeferred
			return out, nil
		}
		return l.refuse(ctx, out, path, sum, size, st.ModTime())
	}
	if err != nil {
		return out, fmt.Errorf("ingest %s: %w", out.Name, err)
	}
	out.Status, out.FileID = StatusLoaded, fileID
	for ds, s := range stats {
		out.Datasets = append(out.Datasets, ds)
		out.Rows += s.rows
	}
	sort.Strings(out.Datasets)
	return out, l.archive(&out, path, sum)
}

func (l *Loader) rel(path string) string {
	if r, err := filepath.Rel(l.Cfg.Paths.Inbox, path); err == nil {
		return filepath.ToSlash(r)
	}
	return path
}

// archiveRel is where a file is kept: by checksum, under its own name.
func archiveRel(sum, name string) string { return sum[:2] + "/" + sum + "/" + name }

func checksum(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// append reads the file and appends its valid rows to the raw tables.
//
// Reading (decoding, typing and checking every cell) and appending run at
// once, on two goroutines: this one appends, as a Tx wants, while another
// reads and hands over the rows in batches. At most a few batches are in
// flight, so memory does not grow with the file.
func (l *Loader) append(ctx context.Context, tx *store.Tx, path, ward string, fileID int64) (*Result, map[string]*tableStats, error) {
	p := newRowPipe(len(l.Cfg.Citizen.Indicators))
	defer p.stop() // however this ends, the reader does not wait for it
	var (
		res     *Result
		stats   map[string]*tableStats
		readErr error
		panicV  any
	)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				panicV = v
			}
			p.closeSend()
		}()
		res, stats, readErr = l.read(path, ward, fileID, p)
	}()
	apps := map[*rawDest]*store.Appender{}
	var err error
	for b := range p.full {
		if err == nil {
			err = appendBatch(tx, apps, b)
			if err != nil {
				p.stop() // the reader stops at its next row
			}
		}
		p.recycle(b)
	}
	if panicV != nil {
		panic(panicV)
	}
	for _, a := range apps {
		if cerr := a.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = readErr
	}
	if err != nil {
		return res, nil, err
	}
	return res, stats, nil
}

// flushRows bounds the rows a query Appender holds before its INSERT runs:
// DuckDB's own bound (204,800 rows) would keep ~40 MB of scores waiting.
const flushRows = 16 * batchRows

func appendBatch(tx *store.Tx, apps map[*rawDest]*store.Appender, b *rowBatch) error {
	for _, r := range b.rows {
		a, ok := apps[r.dest]
		if !ok {
			var err error
			if a, err = tx.QueryAppender(r.dest.query(), r.dest.raw.cols...); err != nil {
				return err
			}
			apps[r.dest] = a
		}
		if err := a.AppendRow(b.vals[r.start:r.end]...); err != nil {
			return err
		}
		if a.Rows()%flushRows == 0 {
			if err := a.Flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// read reads the file and puts its valid rows, as the raw tables want them, in p.
func (l *Loader) read(path, ward string, fileID int64, p *rowPipe) (*Result, map[string]*tableStats, error) {
	stats := map[string]*tableStats{}
	items := l.Cfg.UnitScheme.Items
	nInd := len(l.Cfg.Citizen.Indicators)
	canon := func(v any) any {
		if s, ok := v.(string); ok {
			if u, ok := l.Cfg.Unit(s); ok {
				return u.Code
			}
			return strings.ToUpper(s)
		}
		return v
	}
	raws := rawTables(nInd)
	dests := map[*Table]*rawDest{}
	var extra []Problem
	res, err := Read(l.Cfg, path, Hint{Ward: ward}, func(t *Table, r Row) error {
		ds := t.Dataset.Name
		s := stats[ds]
		if s == nil {
			s = &tableStats{periods: map[string]int{}}
			stats[ds] = s
		}
		s.rows++
		if len(s.sheets) == 0 || s.sheets[len(s.sheets)-1] != t.Sheet {
			s.sheets = append(s.sheets, t.Sheet)
		}
		dest := dests[t]
		if dest == nil {
			raw := raws[ds]
			dest = &rawDest{raw: &raw, fileID: fileID, sheet: t.Sheet}
			dests[t] = dest
		}
		v := r.Values
		month := func(x any) string { return x.(time.Time).Format("2006-01") }
		switch ds {
		case config.DatasetUnits:
			s.periods[month(v[5])]++
			return p.put(dest, int32(r.Number), canon(v[0]), v[1], v[2], v[3], int32(v[4].(int64)), v[5])
		case config.DatasetCitizens:
			s.periods[month(v[8])]++
			return p.put(dest, int32(r.Number), strings.ToUpper(v[0].(string)), v[1], v[2], int32OrNil(v[3]), int32(v[4].(int64)), v[5], v[6], nilOr(v[7], canon), v[8])
		case config.DatasetCitizenAssessments:
			s.periods[v[1].(string)]++
			given := 0
			for i := 0; i < nInd; i++ {
				if v[3+nInd+i] != nil {
					given++
				}
			}
			if given > 0 && given < nInd {
				extra = append(extra, Problem{Severity: SevError, Sheet: t.Sheet, Row: r.Number, Column: fmt.Sprintf("\"Thẩm định 1\" … \"Thẩm định %d\"", nInd), Code: "partial_review",
					VI: fmt.Sprintf("Chỉ có %d trong %d điểm thẩm định: hãy ghi điểm thẩm định cho tất cả các chỉ số, hoặc để trống tất cả.", given, nInd),
					EN: fmt.Sprintf("Only %d of %d reviewed scores are given: give a reviewed score for every indicator, or none.", given, nInd)})
				return nil
			}
			self := p.list(v[3 : 3+nInd])
			var reviewed any
			if given == nInd {
				reviewed = p.list(v[3+nInd : 3+2*nInd])
			}
			return p.put(dest, int32(r.Number), strings.ToUpper(v[0].(string)), v[1], v[2], self, reviewed, v[3+2*nInd])
		case config.DatasetUnitAssessments:
			s.periods[month(v[1])]++
			for i, it := range items {
				if err := p.put(dest, int32(r.Number), canon(v[0]), v[1], it.Code, v[2+i]); err != nil {
					return err
				}
			}
			return nil
		case config.DatasetActivities:
			s.periods[month(v[0])]++
			return p.put(dest, int32(r.Number), v[0], v[1], v[2], v[3], int32(v[4].(int64)), v[5])
		case config.DatasetDecisions:
			// number, decided_on, issuer, title, citizen_id, unit_code, full_name, ward
			s.periods[month(v[1])]++
			if pr, ok := decisionSubject(t, r, v); !ok {
				extra = append(extra, pr)
				return nil
			}
			var citizen, unit any
			if v[3] == config.TitleCitizen {
				citizen = strings.ToUpper(v[4].(string))
			} else {
				unit = canon(v[5])
			}
			return p.put(dest, int32(r.Number), v[0], v[1], v[2], v[3], citizen, unit, v[6], v[7])
		}
		return fmt.Errorf("no raw table for dataset %s", ds)
	})
	clear(dests)
	if err != nil {
		return res, nil, err
	}
	for _, p := range extra {
		res.Problems = append(res.Problems, p)
		res.errors++
	}
	return res, stats, nil
}

// decisionSubject checks that a decision's row names whom it recognises: a
// citizen code for the citizen title, a unit code for the unit title.
func decisionSubject(t *Table, r Row, v []any) (Problem, bool) {
	col := func(key string) string {
		c, _ := t.Dataset.Column(key)
		return "\"" + c.Header + "\""
	}
	switch {
	case v[3] == config.TitleCitizen && v[4] == nil:
		return Problem{Severity: SevError, Sheet: t.Sheet, Row: r.Number, Column: col("citizen_id"), Code: "missing_subject",
			VI: "Dòng công nhận danh hiệu Công dân học tập nhưng không ghi mã công dân. Hãy ghi mã công dân của người được công nhận.",
			EN: "The row confers the learning-citizen title but gives no citizen code; write the code of the person recognised."}, false
	case v[3] == config.TitleUnit && v[5] == nil:
		return Problem{Severity: SevError, Sheet: t.Sheet, Row: r.Number, Column: col("unit_code"), Code: "missing_subject",
			VI: "Dòng công nhận danh hiệu Đơn vị học tập nhưng không ghi mã đơn vị. Hãy ghi mã đơn vị được công nhận.",
			EN: "The row confers the learning-unit title but gives no unit code; write the code of the unit recognised."}, false
	}
	return Problem{}, true
}

func onlyReferences(res *Result) bool {
	for _, p := range res.Problems {
		if p.Severity == SevError && p.Code != "unregistered" && p.Code != "unregistered_unit" {
			return false
		}
	}
	return res.Errors() > 0
}

func int32OrNil(v any) any {
	if v == nil {
		return nil
	}
	return int32(v.(int64))
}

func nilOr(v any, f func(any) any) any {
	if v == nil {
		return nil
	}
	return f(v)
}

// check runs checks.sql on the appended rows.
func (l *Loader) check(ctx context.Context, tx *store.Tx, fileID int64) ([]Problem, error) {
	units := make([]string, len(l.Cfg.Units))
	for i, u := range l.Cfg.Units {
		units[i] = u.Code
	}
	var out []Problem
	for _, c := range checks {
		args := []any{fileID}
		if strings.Contains(c.sql, "$2") {
			args = append(args, units)
		}
		rows, err := tx.QueryContext(ctx, c.sql, args...)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", c.name, err)
		}
		for rows.Next() {
			var sheet *string
			var row int
			var column, value, code string
			if err := rows.Scan(&sheet, &row, &column, &value, &code); err != nil {
				rows.Close()
				return nil, err
			}
			p := Problem{Severity: SevError, Row: row, Value: value, Code: code}
			if sheet != nil {
				p.Sheet = *sheet
			}
			if col, ok := l.column(column); ok {
				p.Column = "\"" + col.Header + "\""
			}
			p.VI, p.EN = checkMessage(code, value)
			out = append(out, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (l *Loader) column(key string) (config.Column, bool) {
	for _, d := range l.Cfg.Datasets() {
		if c, ok := d.Column(key); ok {
			return c, true
		}
	}
	return config.Column{}, false
}

func checkMessage(code, value string) (vi, en string) {
	switch code {
	case "duplicate_row":
		return fmt.Sprintf("Mã \"%s\" đã có ở một dòng phía trên của tệp: mỗi người, mỗi đơn vị chỉ ghi một dòng. Hãy xóa dòng trùng.", value),
			fmt.Sprintf("The code %q already appears on an earlier row of the file: one row per person or unit. Delete the repeated row.", value)
	case "unregistered":
		return fmt.Sprintf("Mã công dân \"%s\" chưa đăng ký: không có trong danh sách đăng ký Công dân học tập. Hãy kiểm tra lại mã, hoặc gửi danh sách đăng ký trước.", value),
			fmt.Sprintf("Citizen code %q is not registered: it is in no registration list. Check the code, or send the registration first.", value)
	case "unregistered_unit":
		return fmt.Sprintf("Mã đơn vị \"%s\" không có trong danh sách đơn vị của chương trình. Hãy kiểm tra lại mã đơn vị.", value),
			fmt.Sprintf("Unit code %q is not a unit of the programme. Check the unit code.", value)
	}
	return code + " " + value, code + " " + value
}

// record writes what a loaded file holds and supersedes what it corrects.
func (l *Loader) record(ctx context.Context, tx *store.Tx, fileID int64, ward string, res *Result, stats map[string]*tableStats, out *Outcome) error {
	if len(stats) == 0 {
		res.Problems = append(res.Problems, Problem{Severity: SevError, Code: "no_rows",
			VI: "Tệp không có dòng dữ liệu nào.", EN: "The file holds no data rows."})
		res.errors++
		return errRefused
	}
	var datasets, periods []string
	rows := 0
	names := make([]string, 0, len(stats))
	for ds := range stats {
		names = append(names, ds)
	}
	sort.Strings(names)
	for _, ds := range names {
		s := stats[ds]
		period := mostCommon(s.periods)
		datasets, periods = append(datasets, ds), append(periods, period)
		rows += s.rows
		if _, err := tx.ExecContext(ctx, `INSERT INTO ingest_file_tables (file_id, dataset, sheets, ward, period, rows, status) VALUES (?, ?, ?, ?, ?, ?, 'loaded')`,
			fileID, ds, strings.Join(s.sheets, ", "), ward, period, s.rows); err != nil {
			return err
		}
		var older []int64
		if err := tx.SelectContext(ctx, &older, `UPDATE ingest_file_tables SET status = 'superseded', superseded_by = ?
			WHERE ward = ? AND dataset = ? AND period = ? AND status = 'loaded' AND file_id <> ? RETURNING file_id`, fileID, ward, ds, period, fileID); err != nil {
			return err
		}
		out.Superseded = append(out.Superseded, older...)
	}
	if len(out.Superseded) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE ingest_files SET status = 'superseded', superseded_by = ?
			WHERE file_id IN (SELECT file_id FROM ingest_file_tables GROUP BY file_id HAVING bool_and(status = 'superseded'))
			  AND status = 'loaded'`, fileID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ingest_files SET dataset = ?, period = ?, rows_loaded = ?, warnings = ? WHERE file_id = ?`,
		strings.Join(datasets, "+"), strings.Join(periods, "+"), rows, res.Warnings(), fileID); err != nil {
		return err
	}
	return insertProblems(ctx, tx, fileID, res.Problems)
}

func mostCommon(m map[string]int) string {
	best, n := "", -1
	for k, v := range m {
		if v > n || (v == n && k < best) {
			best, n = k, v
		}
	}
	return best
}

func insertProblems(ctx context.Context, tx *store.Tx, fileID int64, ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	a, err := tx.Appender("ingest_problems")
	if err != nil {
		return err
	}
	for _, p := range ps {
		var sheet, row, col, val any
		if p.Sheet != "" {
			sheet = p.Sheet
		}
		if p.Row > 0 {
			row = int32(p.Row)
		}
		if p.Column != "" {
			col = p.Column
		}
		if p.Value != "" {
			val = p.Value
		}
		if err := a.AppendRow(fileID, p.Severity, sheet, row, col, val, p.Code, p.VI, p.EN); err != nil {
			a.Close()
			return err
		}
	}
	return a.Close()
}

// refuse records a refused file and moves it to quarantine with its receipt.
func (l *Loader) refuse(ctx context.Context, out Outcome, path, sum string, size int64, mod time.Time) (Outcome, error) {
	out.Status = StatusRefused
	qdir := filepath.Join(l.Cfg.Paths.Quarantine, wardDir(out.Ward))
	qpath := uniquePath(filepath.Join(qdir, out.Name))
	err := l.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.GetContext(ctx, &out.FileID, "SELECT nextval('ingest_file_ids')"); err != nil {
			return err
		}
		rel, _ := filepath.Rel(l.Cfg.Paths.Quarantine, qpath)
		var datasets []string
		for _, t := range out.Result.Tables {
			if !slices.Contains(datasets, t.Dataset.Name) {
				datasets = append(datasets, t.Dataset.Name)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ingest_files (file_id, sha256, original_name, inbox_path, ward, dataset, received_at, file_modified_at, size_bytes, status, warnings, problems, receipt_path)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'refused', ?, ?, ?)`, out.FileID, sum, out.Name, l.rel(path), nilIfEmpty(out.Ward), nilIfEmpty(strings.Join(datasets, "+")), l.Now, mod, size,
			out.Result.Warnings(), out.Result.Errors(), filepath.ToSlash(rel)+".receipt.txt"); err != nil {
			return err
		}
		return insertProblems(ctx, tx, out.FileID, out.Result.Problems)
	})
	if err != nil {
		return out, fmt.Errorf("ingest %s: %w", out.Name, err)
	}
	if err := os.MkdirAll(qdir, 0o755); err != nil {
		return out, err
	}
	out.Receipt = qpath + ".receipt.txt"
	if err := writeAtomic(out.Receipt, []byte(receipt(l.Cfg, out, l.Now))); err != nil {
		return out, err
	}
	return out, moveFile(path, qpath)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func wardDir(ward string) string {
	if ward == "" {
		return "_unknown"
	}
	return ward
}

// duplicate handles bytes received before: nothing is loaded twice; the inbox
// copy goes once the earlier copy is safely kept.
func (l *Loader) duplicate(ctx context.Context, out Outcome, path, sum string, id int64, name, status string, at time.Time) (Outcome, error) {
	out.Status, out.FileID = StatusDuplicate, id
	out.Earlier = fmt.Sprintf("đã nhận ngày %s với tên %s (%s) — already received on %s as %s (%s)",
		at.In(l.Cfg.Location).Format("02/01/2006 15:04"), name, status, at.In(l.Cfg.Location).Format("02/01/2006 15:04"), name, status)
	if status == StatusRefused {
		// the same wrong content again: keep it beside the first in quarantine
		var receiptRel string
		if err := l.DB.GetContext(ctx, &receiptRel, "SELECT coalesce(receipt_path, '') FROM ingest_files WHERE file_id = ?", id); err != nil {
			return out, err
		}
		if receiptRel != "" {
			if err := l.restoreReceipt(ctx, id, filepath.Join(l.Cfg.Paths.Quarantine, filepath.FromSlash(receiptRel))); err != nil {
				return out, err
			}
		}
		q := uniquePath(filepath.Join(l.Cfg.Paths.Quarantine, wardDir(out.Ward), out.Name))
		return out, moveFile(path, q)
	}
	dst := filepath.Join(l.Cfg.Paths.Archive, filepath.FromSlash(archiveRel(sum, name)))
	if _, err := os.Stat(dst); err != nil { // a crash after the commit, before the archive: finish it now
		if err := copyFile(path, dst); err != nil {
			return out, err
		}
	}
	if err := l.restoreReceipt(ctx, id, dst+".receipt.txt"); err != nil {
		return out, err
	}
	return out, os.Remove(path)
}

// restoreReceipt writes the receipt of file id again from what the database
// holds, when a stop between the commit and the receipt left it unwritten.
func (l *Loader) restoreReceipt(ctx context.Context, id int64, path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	var f struct {
		Name       string    `db:"original_name"`
		Ward       string    `db:"ward"`
		Status     string    `db:"status"`
		Rows       int       `db:"rows_loaded"`
		Datasets   string    `db:"dataset"`
		ReceivedAt time.Time `db:"received_at"`
	}
	if err := l.DB.GetContext(ctx, &f, `SELECT original_name, coalesce(ward, '') AS ward, status, rows_loaded, coalesce(dataset, '') AS dataset, received_at
		FROM ingest_files WHERE file_id = ?`, id); err != nil {
		return err
	}
	var rows []struct {
		Severity string  `db:"severity"`
		Sheet    *string `db:"sheet"`
		Row      *int    `db:"row_number"`
		Column   *string `db:"column_name"`
		Value    *string `db:"value"`
		Code     string  `db:"code"`
		VI       string  `db:"message_vi"`
		EN       string  `db:"message_en"`
	}
	if err := l.DB.SelectContext(ctx, &rows, `SELECT severity, sheet, row_number, column_name, value, code, message_vi, message_en
		FROM ingest_problems WHERE file_id = ? ORDER BY rowid`, id); err != nil {
		return err
	}
	res := &Result{}
	for _, r := range rows {
		p := Problem{Severity: r.Severity, Code: r.Code, VI: r.VI, EN: r.EN}
		if r.Sheet != nil {
			p.Sheet = *r.Sheet
		}
		if r.Row != nil {
			p.Row = *r.Row
		}
		if r.Column != nil {
			p.Column = *r.Column
		}
		if r.Value != nil {
			p.Value = *r.Value
		}
		res.Problems = append(res.Problems, p)
		if p.Severity == SevError {
			res.errors++
		}
	}
	o := Outcome{Name: f.Name, Ward: f.Ward, Status: f.Status, Rows: f.Rows, Result: res}
	if f.Status != StatusRefused {
		o.Status = StatusLoaded // a superseded file was accepted when it came
	}
	if f.Datasets != "" {
		o.Datasets = strings.Split(f.Datasets, "+")
	}
	if err := l.DB.SelectContext(ctx, &o.Superseded, `SELECT DISTINCT file_id FROM ingest_file_tables WHERE superseded_by = ? ORDER BY file_id`, id); err != nil {
		return err
	}
	return writeAtomic(path, []byte(receipt(l.Cfg, o, f.ReceivedAt)))
}

// archive keeps a loaded file by checksum with its receipt, then removes the inbox copy.
func (l *Loader) archive(out *Outcome, path, sum string) error {
	dst := filepath.Join(l.Cfg.Paths.Archive, filepath.FromSlash(archiveRel(sum, out.Name)))
	if err := copyFile(path, dst); err != nil {
		return err
	}
	out.Receipt = dst + ".receipt.txt"
	if err := writeAtomic(out.Receipt, []byte(receipt(l.Cfg, *out, l.Now))); err != nil {
		return err
	}
	return os.Remove(path)
}
