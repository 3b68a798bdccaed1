// Package ingest loads what ward offices send into the pipeline's database: it
// takes the files waiting in the inbox once they are complete, has package
// wardfile read and check each one, loads a checked file whole — in one
// transaction, with each row's lineage — or not at all, and decides whether it
// adds to what the ward sent before or replaces it. A loaded file is archived
// by checksum; a refused one goes to quarantine with a receipt that lists every
// problem, in Vietnamese and English, by sheet, row, column and value.
//
// It must not compute scores, statuses or goals: those are SQL models that
// transform runs on what ingest loaded. It never reads the clock: the time of a
// run is passed in.
package ingest

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/wardfile"
)

//go:embed checks.sql
var checksSQL string

// check is one named query of checks.sql, of the rows of one dataset.
type check struct{ name, dataset, sql string }

var checks = func() []check {
	var cs []check
	for _, q := range named(checksSQL) {
		c := check{name: q.name, sql: q.sql}
		if rest, ok := strings.CutPrefix(q.sql, "-- dataset: "); ok {
			c.dataset, c.sql, _ = strings.Cut(rest, "\n")
			c.dataset, c.sql = strings.TrimSpace(c.dataset), strings.TrimSpace(c.sql)
		}
		cs = append(cs, c)
	}
	return cs
}()

// Status is what became of one file.
type Status string

// The statuses of a file's Outcome.
const (
	StatusLoaded    Status = "loaded"
	StatusRefused   Status = "refused"
	StatusDuplicate Status = "duplicate" // the same bytes were received before
	// StatusWaiting: the file was still changing (being copied in); it stays
	// in the inbox for the next run.
	StatusWaiting Status = "waiting"
	// StatusSkipped: not a file ingest takes (a symbolic link, a device, a
	// folder it cannot read); it stays where it is, and is reported.
	StatusSkipped Status = "skipped"
	// StatusFailed: the file could not be handled (it cannot be read, the
	// archive cannot be written); it stays in the inbox, and the run goes on.
	StatusFailed Status = "failed"
)

// Outcome is what happened to one file.
type Outcome struct {
	Path       string // as found
	Name       string // the file's name, printable: control characters and invalid bytes escaped
	Ward       string // the folder's ward; "" for a city-level file
	Status     Status
	FileID     int64
	Datasets   []string
	Rows       int
	Result     *wardfile.Result
	Tables     []Table // per dataset and ward: how the file was taken
	Superseded []int64
	Receipt    string // the receipt written
	Earlier    string // for a duplicate: what it duplicates
	Reason     string // for waiting, skipped and failed files: why
	Err        error  // for a failed file
}

// Loader loads ward files into the pipeline's database. Now is the run's time.
type Loader struct {
	DB  *store.DB
	Cfg *config.Config
	// Register is the register of administrative units (geography): a ward
	// a file names is checked against the units valid in the period of its
	// rows (wardfile.Hint.Register). nil: the configuration's names only.
	Register *geo.Register
	Now      time.Time
	// Sleep waits while files settle (Ingest.SettleTime); nil waits on a
	// timer. Tests pass one that does not wait.
	Sleep func(context.Context, time.Duration) error
	// DryRun checks files as a load would — every check, against what the
	// database holds — and moves, archives and writes nothing but the
	// database it is given (hoctap validate gives it a scratch copy).
	DryRun bool

	tmp string // a dry run's staging folder
}

var (
	errRefused = errors.New("file refused")
	errChanged = errors.New("the file changed while it was read")
)

// tableStats gathers what a file's rows of one dataset say about it.
type tableStats struct {
	rows   int
	sheets []string
}

// Load loads one file of ward ("" for a city-level file), whole or not at
// all, then archives it (loaded) or moves it to quarantine with a receipt
// (refused). A file already received (same bytes) is not loaded twice.
func (l *Loader) Load(ctx context.Context, path, ward string) (Outcome, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return Outcome{Path: path, Name: printable(filepath.Base(path)), Ward: ward}, err
	}
	return l.load(ctx, pending{path: path, ward: ward, mod: st.ModTime(), size: st.Size()}, true)
}

// errDeferred: the file would be refused only for references to
// registrations not loaded yet; it is tried again once the rest of the batch
// is in. It never leaves the package: a file's Outcome is loaded or refused.
var errDeferred = errors.New("deferred until the rest of the batch is loaded")

func (l *Loader) load(ctx context.Context, p pending, final bool) (Outcome, error) {
	name := filepath.Base(p.path)
	out := Outcome{Path: p.path, Name: printable(name), Ward: p.ward}
	stage, err := l.stage(p.path)
	if err != nil {
		return out, err
	}
	defer stage.remove()
	if stage.size != p.size {
		return l.waiting(out, "its size changed while it was copied"), nil
	}
	var earlier []struct {
		ID         int64     `db:"file_id"`
		Name       string    `db:"original_name"`
		Status     Status    `db:"status"`
		ReceivedAt time.Time `db:"received_at"`
	}
	// Bytes refused before are checked again: what made them wrong may have
	// changed (the people they name registered since), or the ward sent them
	// again under a name that declares them a correction.
	if err := l.DB.SelectContext(ctx, &earlier, sqlFileByChecksum, stage.sum); err != nil {
		return out, err
	}
	if len(earlier) > 0 {
		return l.duplicate(ctx, out, p, stage, earlier[0].ID, earlier[0].Name, earlier[0].Status, earlier[0].ReceivedAt)
	}
	if done, err := l.unfinishedRefusal(ctx, &out, p, stage); done || err != nil {
		return out, err
	}
	if l.isPackage(name) {
		return l.loadPackage(ctx, out, p, stage)
	}

	safe := safeName(name)
	ld := &loading{l: l, p: p, stage: stage, name: name, safe: safe, out: &out}
	err = l.DB.InTx(ctx, func(tx *store.Tx) error { return ld.run(ctx, tx) })
	res := ld.res
	if res != nil {
		for _, p := range ld.found {
			res.Add(p)
		}
		res.Group()
		res.Sort()
	}
	out.Result = res
	if errors.Is(err, errChanged) {
		return l.waiting(out, "it changed while it was read"), nil
	}
	if errors.Is(err, errRefused) {
		if !final && onlyReferences(res) {
			return out, errDeferred
		}
		return l.refuse(ctx, out, p, stage)
	}
	if err != nil {
		return out, fmt.Errorf("ingest %s: %w", out.Name, err)
	}
	out.Status, out.FileID = StatusLoaded, ld.fileID
	for ds, s := range ld.stats {
		out.Datasets = append(out.Datasets, ds)
		out.Rows += s.rows
	}
	sort.Strings(out.Datasets)
	return out, l.archive(&out, p, stage, safe)
}

// loading is one file being loaded in its transaction: what it read, the
// database's checks found, and the rows it holds per dataset.
type loading struct {
	l          *Loader
	p          pending
	stage      *staged
	name, safe string
	out        *Outcome
	fileID     int64
	res        *wardfile.Result
	stats      map[string]*tableStats
	found      []wardfile.Problem
}

// run loads the file in tx, whole or not at all: its row of ingest_files,
// its raw rows, the database's checks (errRefused when any error is found),
// its tables, and errChanged when the inbox file changed meanwhile.
func (ld *loading) run(ctx context.Context, tx *store.Tx) error {
	l, p, stage := ld.l, ld.p, ld.stage
	if err := tx.GetContext(ctx, &ld.fileID, "SELECT nextval('ingest_file_ids')"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, sqlFileLoadedInsert, ld.fileID, stage.sum, printable(ld.name), printable(l.rel(p.path)), archiveRel(stage.sum, ld.safe), nilIfEmpty(p.ward), l.Now, p.mod, stage.size,
		archiveRel(stage.sum, ld.safe)+".receipt.txt"); err != nil {
		return err
	}
	var err error
	ld.res, ld.stats, err = l.append(ctx, tx, stage.path, ld.name, p.ward, ld.fileID)
	if err != nil {
		return err
	}
	// The database checks run on the rows that were read well, so that one
	// receipt lists every problem, whatever else is wrong with the file.
	if ld.found, err = l.check(ctx, tx, ld.fileID, ld.res, ld.stats); err != nil {
		return err
	}
	if ld.res.Errors() > 0 || slices.ContainsFunc(ld.found, func(p wardfile.Problem) bool { return p.Severity == wardfile.SevError }) {
		return errRefused
	}
	if err := l.record(ctx, tx, ld.fileID, ld.name, p.ward, ld.res, ld.stats, ld.out); err != nil {
		return err
	}
	if l.changed(p) {
		return errChanged
	}
	return nil
}

// waiting is the outcome of a file left in the inbox because it changed.
func (l *Loader) waiting(out Outcome, why string) Outcome {
	out.Status, out.Reason, out.Result, out.Tables, out.Superseded = StatusWaiting, why, nil, nil, nil
	return out
}

// changed reports that the inbox file is no longer the one staged.
func (l *Loader) changed(p pending) bool {
	if l.DryRun {
		return false
	}
	st, err := os.Lstat(p.path)
	return err != nil || st.Size() != p.size || !st.ModTime().Equal(p.mod)
}

func (l *Loader) rel(path string) string {
	if r, err := filepath.Rel(l.Cfg.Paths.Inbox, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}

// archiveRel is where a file is kept: by checksum, under its (safe) name.
func archiveRel(sum, name string) string { return sum[:2] + "/" + sum + "/" + name }

// append reads the file and appends its valid rows to the raw tables.
//
// Reading (decoding, typing and checking every cell) and appending run at
// once, on two goroutines: this one appends, as a Tx wants, while another
// reads and hands over the rows in batches. At most a few batches are in
// flight, so memory does not grow with the file.
func (l *Loader) append(ctx context.Context, tx *store.Tx, path, name, ward string, fileID int64) (*wardfile.Result, map[string]*tableStats, error) {
	p := newRowPipe(len(l.Cfg.Citizen.Indicators))
	defer p.stop() // however this ends, the reader does not wait for it
	var (
		res     *wardfile.Result
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
		res, stats, readErr = l.read(path, name, ward, fileID, p)
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
		err = fmt.Errorf("ingest: reading the file failed: %v", panicV)
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
			if a, err = tx.QueryAppender(r.dest.query(), r.dest.raw.columns()...); err != nil {
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
func (l *Loader) read(path, name, ward string, fileID int64, p *rowPipe) (*wardfile.Result, map[string]*tableStats, error) {
	stats := map[string]*tableStats{}
	raws := rawTables(l.Cfg)
	dests := map[*wardfile.Table]*rawDest{}
	res, err := wardfile.Read(l.Cfg, path, wardfile.Hint{Ward: ward, Name: name, Now: l.Now, Register: l.Register}, func(t *wardfile.Table, r wardfile.Row) error {
		ds := t.Dataset.Name
		s := stats[ds]
		if s == nil {
			s = &tableStats{}
			stats[ds] = s
		}
		s.rows++
		if len(s.sheets) == 0 || s.sheets[len(s.sheets)-1] != t.Sheet {
			s.sheets = append(s.sheets, t.Sheet)
		}
		dest := dests[t]
		if dest == nil {
			raw, ok := raws[ds]
			if !ok {
				return fmt.Errorf("ingest: no raw table for dataset %s", ds)
			}
			var err error
			if dest, err = newRawDest(&raw, fileID, t); err != nil {
				return err
			}
			dests[t] = dest
		}
		return dest.put(p, r)
	})
	clear(dests)
	if err != nil {
		return res, nil, err
	}
	return res, stats, nil
}

func onlyReferences(res *wardfile.Result) bool {
	for _, p := range res.Problems {
		if p.Severity == wardfile.SevError && p.Code != "unregistered" && p.Code != "unregistered_unit" && p.Code != "unregistered_household" {
			return false
		}
	}
	return res.Errors() > 0
}

// check runs checks.sql on the appended rows, the checks of the datasets
// the file has rows of (stats).
func (l *Loader) check(ctx context.Context, tx *store.Tx, fileID int64, res *wardfile.Result, stats map[string]*tableStats) ([]wardfile.Problem, error) {
	units := make([]string, len(l.Cfg.Units))
	for i, u := range l.Cfg.Units {
		units[i] = u.Code
	}
	var out []wardfile.Problem
	for _, c := range checks {
		if c.dataset != "" && stats[c.dataset] == nil {
			continue
		}
		args := []any{fileID}
		if strings.Contains(c.sql, "$2") {
			args = append(args, units)
		}
		rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT * FROM (%s) LIMIT %d", c.sql, maxCheckProblems), args...)
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
			p := wardfile.Problem{Severity: wardfile.SevError, Row: row, Value: value, Code: code}
			if strings.HasPrefix(code, "note:") {
				p.Severity, p.Code = wardfile.SevNote, strings.TrimPrefix(code, "note:")
			}
			if sheet != nil {
				p.Sheet = *sheet
			}
			p.Column = l.columnLabel(res, p.Sheet, column)
			p.VI, p.EN = checkMessage(p.Code, value)
			out = append(out, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// maxCheckProblems bounds the problems the database checks report for one
// file: a survey of a ward nobody registered yet has one per row.
const maxCheckProblems = 10000

// columnLabel names column key as the file's table on sheet has it: its
// header and letter.
func (l *Loader) columnLabel(res *wardfile.Result, sheet, key string) string {
	for _, t := range res.Tables {
		if t.Sheet != sheet {
			continue
		}
		for _, b := range t.Columns {
			if b.Key == key {
				if b.Letter != "" {
					return fmt.Sprintf("\"%s\" (%s)", b.Header, b.Letter)
				}
				return "\"" + b.Header + "\""
			}
		}
	}
	for _, d := range l.Cfg.Datasets() {
		if c, ok := d.Column(key); ok {
			return "\"" + c.Header + "\""
		}
	}
	return ""
}

func checkMessage(code, value string) (vi, en string) {
	switch code {
	case "duplicate_row":
		return fmt.Sprintf("Mã \"%s\" đã có ở một dòng phía trên của tệp: mỗi người, mỗi đơn vị chỉ ghi một dòng. Hãy xóa dòng trùng.", value),
			fmt.Sprintf("The code %q already appears on an earlier row of the file: one row per person or unit. Delete the repeated row.", value)
	case "unregistered":
		return fmt.Sprintf("Mã công dân \"%s\" chưa đăng ký: không có trong danh sách đăng ký Công dân học tập. Hãy kiểm tra lại mã, hoặc gửi danh sách đăng ký trước.", value),
			fmt.Sprintf("Citizen code %q is not registered: it is in no registration list. Check the code, or send the registration first.", value)
	case "resubmitted":
		return fmt.Sprintf("%s gửi lại phiếu này: bản gửi sau được tính, bản gửi trước (dòng này) vẫn được lưu trong lịch sử.", value),
			fmt.Sprintf("%s submitted this form again: the later submission counts; this earlier one is kept in the history.", value)
	case "unregistered_household":
		return fmt.Sprintf("Mã hộ \"%s\" chưa có trong phiếu đánh giá Gia đình học tập nào: quyết định chỉ công nhận hộ đã được đánh giá. Hãy kiểm tra lại mã hộ, hoặc gửi phiếu đánh giá trước.", value),
			fmt.Sprintf("Household code %q is in no learning-family assessment: a decision recognises only households that were assessed. Check the code, or send the assessment first.", value)
	case "unregistered_unit":
		return fmt.Sprintf("Mã đơn vị \"%s\" không có trong danh sách đơn vị của chương trình. Hãy kiểm tra lại mã đơn vị.", value),
			fmt.Sprintf("Unit code %q is not a unit of the programme. Check the unit code.", value)
	}
	return code + " " + value, code + " " + value
}

func insertProblems(ctx context.Context, tx *store.Tx, fileID int64, ps []wardfile.Problem) error {
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
		var rows, count any
		if len(p.Rows) > 1 {
			rs := make([]any, len(p.Rows))
			for i, r := range p.Rows {
				rs[i] = int32(r)
			}
			rows, count = rs, int32(max(p.RowCount, len(p.Rows)))
		}
		if err := a.AppendRow(fileID, p.Severity, sheet, row, col, val, p.Code, p.VI, p.EN, rows, count); err != nil {
			a.Close()
			return err
		}
	}
	return a.Close()
}

// refuse records a refused file and moves it to quarantine with its receipt.
func (l *Loader) refuse(ctx context.Context, out Outcome, p pending, stage *staged) (Outcome, error) {
	out.Status = StatusRefused
	dir := wardDir(out.Ward)
	if out.Ward == "" && p.folder == "" {
		dir = "_city" // a city-level file
	}
	qdir := filepath.Join(l.Cfg.Paths.Quarantine, dir)
	qpath := uniquePath(filepath.Join(qdir, safeName(filepath.Base(p.path))))
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
		if _, err := tx.ExecContext(ctx, sqlFileRefusedInsert, out.FileID, stage.sum, out.Name, printable(l.rel(p.path)), nilIfEmpty(out.Ward), nilIfEmpty(strings.Join(datasets, "+")), l.Now, p.mod, stage.size,
			out.Result.Warnings(), out.Result.Errors(), filepath.ToSlash(rel)+".receipt.txt"); err != nil {
			return err
		}
		return insertProblems(ctx, tx, out.FileID, out.Result.Problems)
	})
	if err != nil {
		return out, fmt.Errorf("ingest %s: %w", out.Name, err)
	}
	if l.DryRun {
		return out, nil
	}
	out.Receipt = qpath + ".receipt.txt"
	if err := writeAtomic(out.Receipt, []byte(receipt(l.Cfg, out, l.Now))); err != nil {
		return out, err
	}
	if err := stage.keep(qpath); err != nil {
		return out, err
	}
	return out, removeInbox(p.path)
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

// unfinishedRefusal finishes the refusal of these bytes that a stopped run
// recorded but did not move to quarantine (its quarantined copy is missing):
// the same file is not refused twice.
func (l *Loader) unfinishedRefusal(ctx context.Context, out *Outcome, p pending, stage *staged) (bool, error) {
	if l.DryRun {
		return false, nil
	}
	var refused []struct {
		ID      int64  `db:"file_id"`
		Receipt string `db:"receipt_path"`
	}
	if err := l.DB.SelectContext(ctx, &refused, sqlFileRefusedByChecksum, stage.sum); err != nil {
		return false, err
	}
	for _, r := range refused {
		receipt := filepath.Join(l.Cfg.Paths.Quarantine, filepath.FromSlash(r.Receipt))
		kept := strings.TrimSuffix(receipt, ".receipt.txt")
		if r.Receipt == "" || fileExists(kept) {
			continue
		}
		o, _, err := l.stored(ctx, r.ID)
		if err != nil {
			return true, err
		}
		out.Status, out.FileID, out.Result = StatusRefused, r.ID, o.Result
		if err := l.restoreReceipt(ctx, r.ID, receipt); err != nil {
			return true, err
		}
		out.Receipt = receipt
		if err := stage.keep(kept); err != nil {
			return true, err
		}
		return true, removeInbox(p.path)
	}
	return false, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// duplicate handles bytes loaded before: nothing is loaded twice; the inbox
// copy goes once the earlier copy is safely kept.
func (l *Loader) duplicate(ctx context.Context, out Outcome, p pending, stage *staged, id int64, name string, status Status, at time.Time) (Outcome, error) {
	out.Status, out.FileID = StatusDuplicate, id
	out.Earlier = fmt.Sprintf("đã nhận ngày %s với tên %s (%s) — already received on %s as %s (%s)",
		at.In(l.Cfg.Location).Format("02/01/2006 15:04"), printable(name), status, at.In(l.Cfg.Location).Format("02/01/2006 15:04"), printable(name), status)
	if l.DryRun {
		return out, nil
	}
	var archive string
	if err := l.DB.GetContext(ctx, &archive, "SELECT coalesce(archive_path, '') FROM ingest_files WHERE file_id = ?", id); err != nil {
		return out, err
	}
	if archive == "" {
		archive = archiveRel(stage.sum, safeName(name))
	}
	dst := filepath.Join(l.Cfg.Paths.Archive, filepath.FromSlash(archive))
	if _, err := os.Stat(dst); err != nil { // a crash after the commit, before the archive: finish it now
		if err := stage.keep(dst); err != nil {
			return out, err
		}
	}
	if err := l.restoreReceipt(ctx, id, dst+".receipt.txt"); err != nil {
		return out, err
	}
	return out, removeInbox(p.path)
}

// restoreReceipt writes the receipt of file id again from what the database
// holds, when a stop between the commit and the receipt left it unwritten.
func (l *Loader) restoreReceipt(ctx context.Context, id int64, path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	o, at, err := l.stored(ctx, id)
	if err != nil {
		return err
	}
	return writeAtomic(path, []byte(receipt(l.Cfg, o, at)))
}

// stored is the outcome of file id as the database holds it, and when it was
// received.
func (l *Loader) stored(ctx context.Context, id int64) (Outcome, time.Time, error) {
	var f struct {
		Name       string    `db:"original_name"`
		Ward       string    `db:"ward"`
		Status     Status    `db:"status"`
		Rows       int       `db:"rows_loaded"`
		Datasets   string    `db:"dataset"`
		ReceivedAt time.Time `db:"received_at"`
	}
	if err := l.DB.GetContext(ctx, &f, sqlFileStored, id); err != nil {
		return Outcome{}, time.Time{}, err
	}
	res, err := l.storedProblems(ctx, id)
	if err != nil {
		return Outcome{}, time.Time{}, err
	}
	o := Outcome{Name: f.Name, Ward: f.Ward, Status: f.Status, Rows: f.Rows, Result: res}
	if f.Status != StatusRefused {
		o.Status = StatusLoaded // a superseded file was accepted when it came
	}
	if f.Datasets != "" {
		o.Datasets = strings.Split(f.Datasets, "+")
	}
	if err := l.DB.SelectContext(ctx, &o.Superseded, sqlFileSuperseded, id); err != nil {
		return Outcome{}, time.Time{}, err
	}
	if o.Tables, err = l.storedTables(ctx, id); err != nil {
		return Outcome{}, time.Time{}, err
	}
	return o, f.ReceivedAt, nil
}

// storedProblems are the problems ingest_problems keeps of file id.
func (l *Loader) storedProblems(ctx context.Context, id int64) (*wardfile.Result, error) {
	var rows []struct {
		Severity string  `db:"severity"`
		Sheet    *string `db:"sheet"`
		Row      *int    `db:"row_number"`
		Count    *int    `db:"row_count"`
		Column   *string `db:"column_name"`
		Value    *string `db:"value"`
		Code     string  `db:"code"`
		VI       string  `db:"message_vi"`
		EN       string  `db:"message_en"`
	}
	if err := l.DB.SelectContext(ctx, &rows, sqlFileProblems, id); err != nil {
		return nil, err
	}
	res := &wardfile.Result{}
	for _, r := range rows {
		p := wardfile.Problem{Severity: r.Severity, Code: r.Code, VI: r.VI, EN: r.EN}
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
		if r.Count != nil {
			p.RowCount = *r.Count
		}
		res.Add(p)
	}
	return res, nil
}

// storedTables are the tables ingest_file_tables keeps of file id, each with
// the files it superseded.
func (l *Loader) storedTables(ctx context.Context, id int64) ([]Table, error) {
	var tables []struct {
		Dataset  string `db:"dataset"`
		Ward     string `db:"ward"`
		Period   string `db:"period"`
		Rows     int    `db:"rows"`
		Mode     string `db:"mode"`
		Reason   string `db:"mode_reason"`
		Added    *int   `db:"rows_added"`
		Replaced *int   `db:"rows_replaced"`
		Removed  *int   `db:"rows_removed"`
	}
	if err := l.DB.SelectContext(ctx, &tables, sqlFileTables, id); err != nil {
		return nil, err
	}
	deref := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	var out []Table
	for _, t := range tables {
		tb := Table{Dataset: t.Dataset, Ward: t.Ward, Period: t.Period, Rows: t.Rows, Mode: t.Mode, Reason: t.Reason,
			Added: deref(t.Added), Replaced: deref(t.Replaced), Removed: deref(t.Removed)}
		if err := l.DB.SelectContext(ctx, &tb.Superseded, sqlFileTableSuperseded,
			id, t.Dataset, t.Ward); err != nil {
			return nil, err
		}
		out = append(out, tb)
	}
	return out, nil
}

// archive keeps a loaded file by checksum with its receipt, then removes the
// inbox copy.
func (l *Loader) archive(out *Outcome, p pending, stage *staged, safe string) error {
	if l.DryRun {
		return nil
	}
	dst := filepath.Join(l.Cfg.Paths.Archive, filepath.FromSlash(archiveRel(stage.sum, safe)))
	if err := stage.keep(dst); err != nil {
		return err
	}
	out.Receipt = dst + ".receipt.txt"
	if err := writeAtomic(out.Receipt, []byte(receipt(l.Cfg, *out, l.Now))); err != nil {
		return err
	}
	return removeInbox(p.path)
}
