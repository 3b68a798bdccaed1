package ingest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hoctap/hoctap/wardfile"
)

// pending is a file waiting in the inbox.
type pending struct {
	path, ward string
	folder     string // the folder it is in, when that is not a ward
	mod        time.Time
}

// Inbox loads every file waiting in the inbox (inbox/<ward code>/…), oldest
// first, and returns what happened to each. A file whose rows name people or
// units registered by another file of the same batch is tried again after the
// others. Files in no ward's folder are refused with a receipt.
func (l *Loader) Inbox(ctx context.Context) ([]Outcome, error) {
	files, err := l.pending()
	if err != nil {
		return nil, err
	}
	var outs, deferred []Outcome
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return outs, err
		}
		if p.ward == "" {
			o, err := l.misplaced(ctx, p)
			if err != nil {
				return outs, err
			}
			outs = append(outs, o)
			continue
		}
		o, err := l.load(ctx, p.path, p.ward, false)
		if err != nil {
			return outs, err
		}
		if o.Status == statusDeferred {
			deferred = append(deferred, o)
			continue
		}
		outs = append(outs, o)
	}
	for _, d := range deferred {
		o, err := l.load(ctx, d.Path, d.Ward, true)
		if err != nil {
			return outs, err
		}
		outs = append(outs, o)
	}
	return outs, nil
}

func (l *Loader) pending() ([]pending, error) {
	var files []pending
	root := l.Cfg.Paths.Inbox
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == root {
				return filepath.SkipDir
			}
			return err
		}
		name := d.Name()
		if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil // hidden files and the lock files Excel leaves while a workbook is open
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		folder, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		p := pending{path: path, mod: info.ModTime()}
		if folder != filepath.ToSlash(rel) {
			if w, ok := l.Cfg.Ward(folder); ok {
				p.ward = w.Code
			} else if w, ok := l.Cfg.WardByName(folder); ok {
				p.ward = w.Code
			} else {
				p.folder = folder
			}
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

// misplaced refuses a file that is in no ward's folder.
func (l *Loader) misplaced(ctx context.Context, p pending) (Outcome, error) {
	o := Outcome{Path: p.path, Name: filepath.Base(p.path), Result: &wardfile.Result{}}
	var wards []string
	for _, w := range l.Cfg.Wards {
		wards = append(wards, w.Code)
	}
	list := strings.Join(wards, ", ")
	pr := wardfile.Problem{Severity: wardfile.SevError, Code: "no_ward_folder"}
	if p.folder == "" {
		pr.VI = "Tệp nằm ngoài thư mục của các xã/phường. Hãy đặt tệp vào thư mục của xã/phường gửi tệp: " + list + "."
		pr.EN = "The file is outside the wards' folders. Put it in the folder of the ward that sends it: " + list + "."
	} else {
		pr.VI = "Thư mục \"" + p.folder + "\" không phải là xã/phường của chương trình. Hãy đặt tệp vào một trong các thư mục: " + list + "."
		pr.EN = "The folder \"" + p.folder + "\" is not a ward of the programme. Put the file in one of the folders: " + list + "."
	}
	o.Result.Add(pr)
	sum, size, err := checksum(p.path)
	if err != nil {
		return o, err
	}
	var known int
	if err := l.DB.GetContext(ctx, &known, "SELECT count(*) FROM ingest_files WHERE sha256 = ?", sum); err != nil {
		return o, err
	}
	if known > 0 {
		o.Status = StatusDuplicate
		return o, moveFile(p.path, uniquePath(filepath.Join(l.Cfg.Paths.Quarantine, wardDir(""), o.Name)))
	}
	st, err := os.Stat(p.path)
	if err != nil {
		return o, err
	}
	return l.refuse(ctx, o, p.path, sum, size, st.ModTime())
}
