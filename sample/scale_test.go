package sample

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
)

func TestScale(t *testing.T) {
	const citizens, wards = 20000, 7
	base := pilotConfig(t)
	dir := t.TempDir()
	files, err := Scale(base, dir, citizens, wards, 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadFile(filepath.Join(dir, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Wards) != wards || len(cfg.Units) != 3*wards {
		t.Errorf("%d wards, %d units", len(cfg.Wards), len(cfg.Units))
	}
	if cfg.Paths.Inbox != filepath.Join(dir, "inbox") || !strings.HasPrefix(cfg.Paths.Database, dir+string(filepath.Separator)) {
		t.Errorf("paths %+v are not in %s", cfg.Paths, dir)
	}
	// What is not the wards' is the base configuration's.
	if !slices.EqualFunc(cfg.Goals, base.Goals, func(a, b config.Goal) bool { return a.ID == b.ID && a.Target == b.Target && a.Deadline == b.Deadline }) ||
		len(cfg.Citizen.Indicators) != len(base.Citizen.Indicators) || cfg.Citizen.PassTotal != base.Citizen.PassTotal ||
		len(cfg.Timeline.Milestones) != len(base.Timeline.Milestones) || len(cfg.Submissions) != len(base.Submissions) {
		t.Error("the scaled configuration lost some of the base's goals, framework, timeline or submissions")
	}
	for _, m := range cfg.Timeline.Milestones {
		if m.DoneWhen.Kind == config.CondCitizensReg && m.DoneWhen.Count != citizens || m.DoneWhen.Kind == config.CondUnitsReg && m.DoneWhen.Count != 3*wards {
			t.Errorf("milestone %s counts %d", m.ID, m.DoneWhen.Count)
		}
	}

	rows := map[string]int{}
	ids := map[string]bool{}
	groups := map[string]int{}
	for _, f := range files {
		tb := readCSV(t, filepath.Join(dir, "inbox", filepath.FromSlash(f.Path)), ',')
		key := f.Dataset + "/" + f.Period
		rows[key] += len(tb.rows)
		if w, ok := cfg.Ward(f.Ward); !ok || !strings.HasPrefix(f.Path, w.Code+"/") {
			t.Errorf("%s: ward %s", f.Path, f.Ward)
		}
		ds, _ := cfg.Dataset(f.Dataset)
		for _, h := range tb.headers {
			if !slices.ContainsFunc(ds.Columns, func(c config.Column) bool { return c.Header == h }) {
				t.Errorf("%s: header %q is not a column of %s", f.Path, h, f.Dataset)
			}
		}
		switch f.Dataset {
		case config.DatasetCitizens:
			for _, r := range tb.rows {
				ids[tb.get(r, "Mã công dân")] = true
				groups[tb.get(r, "Nhóm đối tượng")]++
				if u := tb.get(r, "Mã đơn vị"); u != "" {
					if unit, ok := cfg.Unit(u); !ok || unit.Ward != f.Ward {
						t.Fatalf("%s: unit %q", f.Path, u)
					}
				}
				if w, ok := cfg.WardByName(tb.get(r, "Xã/phường")); !ok || w.Code != f.Ward {
					t.Fatalf("%s: ward %q", f.Path, tb.get(r, "Xã/phường"))
				}
			}
		case config.DatasetCitizenAssessments:
			for _, r := range tb.rows[:100] {
				for i := 1; i <= 10; i++ {
					if v, ok := number(tb.get(r, "Chỉ số "+strconv.Itoa(i))); !ok || v < 0 || v > 10 {
						t.Fatalf("%s: row %v", f.Path, r)
					}
				}
				if _, ok := cellDate(tb.get(r, "Ngày đánh giá")); !ok || tb.get(r, "Đợt") != f.Period {
					t.Fatalf("%s: row %v", f.Path, r)
				}
			}
		}
	}
	for _, k := range []string{"citizens/", "citizen_assessments/baseline", "citizen_assessments/mid", "citizen_assessments/final"} {
		if rows[k] != citizens {
			t.Errorf("%s: %d rows, want %d", k, rows[k], citizens)
		}
	}
	if rows["units/"] != 3*wards || rows["unit_assessments/baseline"] != 3*wards || rows["unit_assessments/final"] != 3*wards {
		t.Errorf("unit rows = %v", rows)
	}
	if len(ids) != citizens || groups["1"] == 0 || groups["2"] == 0 || groups["3"] == 0 {
		t.Errorf("%d distinct citizens, groups %v", len(ids), groups)
	}
	if len(files) != 7*wards {
		t.Errorf("%d files, want %d", len(files), 7*wards)
	}
}

func TestScaleIsDeterministic(t *testing.T) {
	base := pilotConfig(t)
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, run := range []struct {
		dir  string
		seed int64
	}{{a, 7}, {b, 7}, {c, 8}} {
		if _, err := Scale(base, run.dir, 3000, 3, run.seed); err != nil {
			t.Fatal(err)
		}
	}
	ta, tb, tc := tree(t, a), tree(t, b), tree(t, c)
	if len(ta) != len(tb) || len(ta) != 1+7*3 {
		t.Fatalf("%d and %d files", len(ta), len(tb))
	}
	differs := 0
	for p, x := range ta {
		if !bytes.Equal(x, tb[p]) {
			t.Errorf("%s differs between two runs with the same seed", p)
		}
		if !bytes.Equal(x, tc[p]) {
			differs++
		}
	}
	if differs == 0 {
		t.Error("another seed gives the same files")
	}
}

// A base configuration loaded from a file has absolute paths: the scaled one
// keeps its data in its own folder all the same.
func TestScaleFromAConfigurationFile(t *testing.T) {
	src := filepath.Join(t.TempDir(), "city", "pipeline.yaml")
	os.MkdirAll(filepath.Dir(src), 0o755)
	yml := bytes.Replace(hoctap.DefaultConfig, []byte("  backups: data/backups"), []byte("  backups: /var/backups/hoctap"), 1)
	if err := os.WriteFile(src, yml, 0o644); err != nil {
		t.Fatal(err)
	}
	base, err := config.LoadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "scaled")
	if _, err := Scale(base, dir, 10, 1, 1); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadFile(filepath.Join(dir, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]string{"database": cfg.Paths.Database, "archive": cfg.Paths.Archive, "backups": cfg.Paths.Backups, "inbox": cfg.Paths.Inbox} {
		if !strings.HasPrefix(p, dir+string(filepath.Separator)) {
			t.Errorf("%s: %s is outside %s", name, p, dir)
		}
	}
}

func TestScaleRefuses(t *testing.T) {
	base := pilotConfig(t)
	for _, tc := range []struct {
		name            string
		base            *config.Config
		citizens, wards int
		want            string
	}{
		{"no configuration", nil, 10, 1, "no base configuration"},
		{"no ward", base, 10, 0, "0 wards"},
		{"fewer citizens than wards", base, 2, 3, "2 citizens cannot fill 3 wards"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Scale(tc.base, t.TempDir(), tc.citizens, tc.wards, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// peakHeap runs f and samples the heap meanwhile (runtime/metrics, which does
// not stop the world): the most bytes that heap objects, live or not yet
// swept, occupied.
func peakHeap(f func()) (peak uint64) {
	var (
		max    atomic.Uint64
		stop   = make(chan struct{})
		wg     sync.WaitGroup
		sample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > max.Load() {
				max.Store(v)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return max.Load()
}

// Memory stays flat: eight times the citizens, about the same heap.
func TestScaleMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 90,000 citizens")
	}
	base := pilotConfig(t)
	var peaks []uint64
	for _, n := range []int{10000, 80000} {
		dir := t.TempDir()
		runtime.GC()
		peaks = append(peaks, peakHeap(func() {
			if _, err := Scale(base, dir, n, 2, 1); err != nil {
				t.Fatal(err)
			}
		}))
	}
	if peaks[1] > peaks[0]+8<<20 {
		t.Errorf("peak heap %d MB for 10,000 citizens, %d MB for 80,000", peaks[0]>>20, peaks[1]>>20)
	}
	t.Logf("peak heap in use: %.1f MB for 10,000 citizens, %.1f MB for 80,000", float64(peaks[0])/(1<<20), float64(peaks[1])/(1<<20))
}

// BenchmarkScale writes 100,000 citizens in 10 wards (HOCTAP_SCALE_CITIZENS
// for another number): 4 rows each, plus the units'.
//
//	go test -run '^$' -bench Scale -benchmem ./sample
func BenchmarkScale(b *testing.B) {
	n := 100_000
	if s := os.Getenv("HOCTAP_SCALE_CITIZENS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	base := pilotConfig(b)
	b.ReportAllocs()
	var peak uint64
	var bytesOut int64
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		runtime.GC()
		p := peakHeap(func() {
			if _, err := Scale(base, dir, n, 10, int64(i)); err != nil {
				b.Fatal(err)
			}
		})
		peak = max(peak, p)
		b.StopTimer()
		filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					bytesOut += info.Size()
				}
			}
			return nil
		})
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(4*n*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(bytesOut)/float64(b.N)/(1<<20), "written-MB")
}
