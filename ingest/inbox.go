package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/wardfile"
)

// pending is a file waiting in the inbox.
type pending struct {
	path, ward string
	folder     string // the folder it is in, when that is not a ward
	mod        time.Time
	size       int64
	skip       string // why it is not taken: not a regular file
	waiting    bool   // it changed over the settle time: the next run takes it
}

// Inbox loads every file waiting in the inbox, oldest first, and returns what
// happened to each: inbox/<ward code>/… is a ward's file; a file directly in
// the inbox is the city's, whose rows name their wards. Files in a folder that
// is no ward's are refused with a receipt.
//
// A file is taken once it is complete: its size and modification time
// unchanged over Ingest.SettleTime (a file still being copied waits for the
// next run), and it is read from a private copy; a file that changes while it
// is loaded is not loaded, and waits. A file whose rows name people or units
// registered by another file of the same batch is tried again after the
// others. Nothing one file does stops the others: a file that cannot be
// handled is reported (StatusFailed, StatusSkipped) and the run goes on; the
// error returned then says how many failed.
func (l *Loader) Inbox(ctx context.Context) ([]Outcome, error) {
	l.clearStaging()
	files, err := l.pending()
	if err != nil {
		return nil, err
	}
	files, err = l.settled(ctx, files)
	if err != nil {
		return nil, err
	}
	return l.batch(ctx, files)
}

// Check loads files into l's database as a dry run (l.DryRun): hoctap validate.
// Files are named by path, each with its ward ("" for a city's file).
func (l *Loader) Check(ctx context.Context, paths, wards []string) ([]Outcome, error) {
	var files []pending
	for i, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		f := pending{path: p, ward: wards[i], mod: st.ModTime(), size: st.Size()}
		if !st.Mode().IsRegular() {
			f.skip = "it is not a regular file"
		}
		files = append(files, f)
	}
	defer func() {
		if l.tmp != "" {
			os.RemoveAll(l.tmp)
			l.tmp = ""
		}
	}()
	return l.batch(ctx, files)
}

// batch loads files in order — registrations before the files that name the
// people and units they register, each dataset's files oldest first — and
// the ones refused only for unregistered references once more at the end.
func (l *Loader) batch(ctx context.Context, files []pending) ([]Outcome, error) {
	files = l.registrationsFirst(files)
	var outs []Outcome
	var deferred []pending
	failed := 0
	try := func(p pending, final bool) {
		o, err := l.one(ctx, p, final)
		if errors.Is(err, errDeferred) {
			deferred = append(deferred, p)
			return
		}
		if err != nil {
			o.Status, o.Err, o.Reason = StatusFailed, err, err.Error()
		}
		if o.Status == StatusFailed {
			failed++
		}
		outs = append(outs, o)
	}
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return outs, err
		}
		try(p, false)
	}
	for _, p := range deferred {
		if err := ctx.Err(); err != nil {
			return outs, err
		}
		try(p, true)
	}
	if failed > 0 {
		return outs, fmt.Errorf("ingest: %d file(s) could not be handled; they stay in the inbox", failed)
	}
	return outs, nil
}

// registrationsFirst orders files by the first dataset each holds, in the
// order of config.DatasetNames (units and citizens first), keeping the order
// of files of one dataset. A survey that arrives with the registrations it
// names would otherwise be read, checked, refused for its unregistered people
// and read again: a million-row survey costs that twice.
func (l *Loader) registrationsFirst(files []pending) []pending {
	rank := make([]int, len(files))
	for i, p := range files {
		rank[i] = len(config.DatasetNames)
		if p.skip != "" || p.waiting || p.folder != "" {
			continue
		}
		ds, err := wardfile.Peek(l.Cfg, p.path, wardfile.Hint{Ward: p.ward, Name: filepath.Base(p.path), Now: l.Now})
		if err != nil || len(ds) == 0 {
			continue
		}
		for _, d := range ds {
			if k := slices.Index(config.DatasetNames, d); k >= 0 && k < rank[i] {
				rank[i] = k
			}
		}
	}
	idx := make([]int, len(files))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return rank[idx[a]] < rank[idx[b]] })
	out := make([]pending, len(files))
	for i, k := range idx {
		out[i] = files[k]
	}
	return out
}

// one handles one file; a panic in it is its failure, not the run's.
func (l *Loader) one(ctx context.Context, p pending, final bool) (o Outcome, err error) {
	o = Outcome{Path: p.path, Name: printable(filepath.Base(p.path)), Ward: p.ward}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("ingest %s: %v", o.Name, v)
		}
	}()
	switch {
	case p.waiting:
		o.Status, o.Reason = StatusWaiting, "it is still changing (being copied in?)"
		return o, nil
	case p.skip != "":
		o.Status, o.Reason = StatusSkipped, p.skip
		return o, nil
	case p.ward == "" && p.folder != "":
		return l.misplaced(ctx, p)
	}
	return l.load(ctx, p, final)
}

func (l *Loader) pending() ([]pending, error) {
	var files []pending
	root := l.Cfg.Paths.Inbox
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				if errors.Is(err, fs.ErrNotExist) {
					return filepath.SkipDir
				}
				return err
			}
			files = append(files, pending{path: path, skip: "it cannot be read: " + err.Error()})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil // hidden files and the lock files Excel leaves while a workbook is open
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		folder, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		p := pending{path: path}
		if folder != filepath.ToSlash(rel) {
			if w, ok := l.Cfg.Ward(folder); ok {
				p.ward = w.Code
			} else if w, ok := l.Cfg.WardByName(folder); ok {
				p.ward = w.Code
			} else {
				p.folder = folder
			}
		}
		switch t := d.Type(); {
		case t&fs.ModeSymlink != 0:
			p.skip = "it is a symbolic link: ingest takes only files copied into the inbox"
		case !t.IsRegular():
			p.skip = "it is not a regular file (" + t.String() + ")"
		default:
			info, err := d.Info()
			if err != nil {
				p.skip = "it cannot be read: " + err.Error()
				break
			}
			p.mod, p.size = info.ModTime(), info.Size()
		}
		files = append(files, p)
		return nil
	})
	sort.SliceStable(files, func(i, j int) bool {
		if !files[i].mod.Equal(files[j].mod) {
			return files[i].mod.Before(files[j].mod)
		}
		return files[i].path < files[j].path
	})
	return files, err
}

// settled keeps the files whose size and modification time stay the same
// over the settle time; the others are reported waiting. Files older than the
// settle time are taken at once.
func (l *Loader) settled(ctx context.Context, files []pending) ([]pending, error) {
	settle := l.Cfg.Ingest.SettleTime.Duration
	if settle <= 0 {
		return files, nil
	}
	young := false
	for _, p := range files {
		if p.skip == "" && l.Now.Sub(p.mod) < settle {
			young = true
		}
	}
	if !young {
		return files, nil
	}
	sleep := l.Sleep
	if sleep == nil {
		sleep = func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	if err := sleep(ctx, settle); err != nil {
		return nil, err
	}
	out := files[:0:0]
	for _, p := range files {
		if p.skip == "" {
			if st, err := os.Lstat(p.path); err != nil || st.Size() != p.size || !st.ModTime().Equal(p.mod) {
				p.waiting = true // still being written
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// misplaced refuses a file that is in a folder that is no ward's.
func (l *Loader) misplaced(ctx context.Context, p pending) (Outcome, error) {
	o := Outcome{Path: p.path, Name: printable(filepath.Base(p.path)), Result: &wardfile.Result{}}
	var wards []string
	for _, w := range l.Cfg.Wards {
		wards = append(wards, w.Code)
	}
	list := strings.Join(wards, ", ")
	o.Result.Add(wardfile.Problem{Severity: wardfile.SevError, Code: "no_ward_folder",
		VI: "Thư mục \"" + printable(p.folder) + "\" không phải là xã/phường của chương trình. Hãy đặt tệp của một xã/phường vào thư mục của xã/phường đó (" + list + "), hoặc tệp của thành phố ngay trong thư mục nhận.",
		EN: "The folder \"" + printable(p.folder) + "\" is not a ward of the programme. Put a ward's file in its ward's folder (" + list + "), or a city's file directly in the inbox."})
	stage, err := l.stage(p.path)
	if err != nil {
		return o, err
	}
	defer stage.remove()
	var known int
	if err := l.DB.GetContext(ctx, &known, "SELECT count(*) FROM ingest_files WHERE sha256 = ?", stage.sum); err != nil {
		return o, err
	}
	if known > 0 {
		o.Status = StatusDuplicate
		if l.DryRun {
			return o, nil
		}
		if err := stage.keep(uniquePath(filepath.Join(l.Cfg.Paths.Quarantine, wardDir(""), safeName(filepath.Base(p.path))))); err != nil {
			return o, err
		}
		return o, removeInbox(p.path)
	}
	return l.refuse(ctx, o, p, stage)
}
