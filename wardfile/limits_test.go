package wardfile

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
)

// Small files that would take huge memory are refused by a limit that names
// itself, using little memory: the heap's growth is measured while reading.

// heapGrowth reads the file at path and returns its result and how much the
// heap in use grew at most meanwhile.
func heapGrowth(t *testing.T, path string) (*Result, uint64) {
	t.Helper()
	cfg := pilotCfg(t)
	// A low GOGC keeps garbage from counting as growth: the heap follows
	// what the reader holds, not how far behind the collector runs on a
	// busy machine.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}()
	res, err := Read(cfg, path, Hint{}, func(*Table, Row) error { return nil })
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	return res, peak - min(peak, before.HeapInuse)
}

func writeFile(t *testing.T, name string, fill func(w *bufio.Writer)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLimits(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		name, code, says string
		maxGrowth        uint64
		fill             func(w *bufio.Writer)
	}{
		{"commas.csv", "too_many_columns", "Dòng 1 có nhiều cột hơn mức tối đa", 16 * mb, func(w *bufio.Writer) { // 50 MB of commas: one line, fifty million fields
			w.WriteString(strings.Repeat(",", 50*mb))
		}},
		{"name.csv", "too_long", "dài quá", 80 * mb, func(w *bufio.Writer) { // a 100 MB name
			w.WriteString("Mã công dân,Họ và tên,Nhóm đối tượng,Xã/phường,Ngày đăng ký\nA-1,")
			for i := 0; i < 100; i++ {
				w.WriteString(strings.Repeat("Nguyễn ", mb/len("Nguyễn ")))
			}
			w.WriteString(",1,Tân Phú Đông,08/12/2020\n")
		}},
		{"quote.csv", "too_long", "ngoặc kép", 80 * mb, func(w *bufio.Writer) { // a quote never closed, 40 MB after it
			w.WriteString("Mã công dân,Họ và tên,Nhóm đối tượng,Xã/phường,Ngày đăng ký\nA-1,\"An,1,Tân Phú Đông,08/12/2020\n")
			for i := 0; i < 500_000; i++ {
				w.WriteString("A-2,Bình,1,Tân Phú Đông,08/12/2020,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n")
			}
		}},
		{"wide.csv", "too_many_columns", "Dòng 1 có nhiều cột hơn mức tối đa", 16 * mb, func(w *bufio.Writer) { // 100,000 columns
			for i := 0; i < 100_000; i++ {
				fmt.Fprintf(w, "Cột %d,", i)
			}
			w.WriteString("\n")
			w.WriteString(strings.Repeat("1,", 100_000) + "\n")
		}},
		{"wider.csv", "too_many_columns", "Dòng 1 có 600 cột, nhiều hơn mức tối đa", 16 * mb, func(w *bufio.Writer) { // past the limit, within what is counted
			for i := 0; i < 600; i++ {
				if i > 0 {
					w.WriteString(",")
				}
				fmt.Fprintf(w, "Cột %d", i)
			}
			w.WriteString("\n")
		}},
		{"bomb.xlsx", "too_large", "giải nén", 40 * mb, func(w *bufio.Writer) { // a small workbook whose sheet unzips to 400 MB
			z := zip.NewWriter(w)
			z.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) { return flate.NewWriter(out, flate.BestCompression) })
			for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
				f, _ := z.Create(name)
				f.Write([]byte("<x/>"))
			}
			f, _ := z.Create("xl/worksheets/sheet1.xml")
			row := []byte(strings.Repeat("<c><v>1</v></c>", 1<<16))
			for n := 0; n < 400*mb; n += len(row) {
				f.Write(row)
			}
			z.Close()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.name, tc.fill)
			res, growth := heapGrowth(t, path)
			st, _ := os.Stat(path)
			t.Logf("%s: %d MB file, heap grew %d MB: %v", tc.name, st.Size()/mb, growth/mb, res.Problems)
			if res.Errors() != 1 || len(res.Problems) != 1 || res.Problems[0].Code != tc.code || !strings.Contains(res.Problems[0].VI, tc.says) {
				t.Errorf("problems %v, want one %s saying %q", res.Problems, tc.code, tc.says)
			}
			if growth > tc.maxGrowth {
				t.Errorf("the heap grew by %d MB reading a %d MB file, want at most %d MB", growth/mb, st.Size()/mb, tc.maxGrowth/mb)
			}
		})
	}
}

// A sheet longer than ingest.max_rows, and a cell longer than
// ingest.max_cell_bytes in a workbook, are refused naming the limit.
func TestRowAndCellLimits(t *testing.T) {
	cfg := pilotCfg(t)
	cfg.Ingest.MaxRows = 100
	var b strings.Builder
	b.WriteString(citizensCSV)
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "T-%d,An,Nữ,1980,1,Tân Phú Đông,,,08/12/2020\n", i)
	}
	g := readData(t, cfg, "long.csv", []byte(b.String()), Hint{})
	if p, ok := g.problem("too_many_rows"); !ok || g.res.Errors() != 1 || !strings.Contains(p.VI, "100 dòng") {
		t.Errorf("problems %v", g.res.Problems)
	}
	cfg = pilotCfg(t)
	cfg.Ingest.MaxCellBytes = 64
	g = readData(t, cfg, "cell.xlsx", xlsFile([]xlsSheetSpec{{name: "Sheet1", rows: [][]any{
		{"Mã công dân", "Họ và tên", "Nhóm đối tượng", "Xã/phường", "Ngày đăng ký"},
		{"A-1", strings.Repeat("Nguyễn ", 20), "1", "Tân Phú Đông", 44173.0},
	}}}, 8224), Hint{})
	if p, ok := g.problem("cell_too_long"); !ok || g.res.Errors() != 1 || !strings.Contains(p.VI, "B2") {
		t.Errorf("problems %v", g.res.Problems)
	}
}
