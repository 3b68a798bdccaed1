package wardfile

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// writeAssessmentsCSV writes n wide citizen_assessments rows as a web form
// exports them: ';'-separated, dd/mm/yyyy dates, decimal commas on half
// points, the three rounds in turn.
func writeAssessmentsCSV(tb testing.TB, path string, n int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("Mã công dân;Đợt;Ngày đánh giá;Chỉ số 1;Chỉ số 2;Chỉ số 3;Chỉ số 4;Chỉ số 5;Chỉ số 6;Chỉ số 7;Chỉ số 8;Chỉ số 9;Chỉ số 10\n")
	rounds := []string{"Khảo sát thực trạng", "Giữa kỳ", "Cuối kỳ"}
	var b []byte
	for r := 0; r < n; r++ {
		b = append(b[:0], "TQD-"...)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, ';')
		b = append(b, rounds[r%3]...)
		b = fmt.Appendf(b, ";%02d/%02d/2021", 1+r%28, 1+r%12)
		for i := 0; i < 10; i++ {
			v := 5 + (r+i)%6
			b = append(b, ';')
			b = strconv.AppendInt(b, int64(v), 10)
			if (r+i)%4 == 0 && v < 10 {
				b = append(b, ",5"...)
			}
		}
		b = append(b, '\n')
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// benchRead reads path b.N times, checking that n rows come out, and reports
// rows per second of the clock and processor seconds per million rows.
func benchRead(b *testing.B, path string, n int) {
	benchReadWith(b, path, n, nil)
}

// benchReadWith is benchRead, calling also, untimed, after each reading.
func benchReadWith(b *testing.B, path string, n int, also func()) {
	cfg := pilotCfg(b)
	b.ReportAllocs()
	var cpu float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := cpuTime()
		rows := 0
		res, err := Read(cfg, path, Hint{}, func(*Table, Row) error { rows++; return nil })
		if err != nil || rows != n || res.Errors() != 0 {
			b.Fatalf("%v: %d rows, %v", err, rows, res.Problems[:min(3, len(res.Problems))])
		}
		cpu += cpuTime() - c
		if also != nil {
			b.StopTimer()
			also()
			b.StartTimer()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu > 0 {
		b.ReportMetric(cpu/float64(b.N)*1e6/float64(n), "cpu-s/Mrows")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-MB")
}

// BenchmarkReadCSV reads (decodes, finds the header, types and checks every
// cell; no database) 1,000,000 wide citizen_assessments rows. Run alone:
//
//	go test -run '^$' -bench ReadCSV -benchtime 3x ./ingest
func BenchmarkReadCSV(b *testing.B) {
	const n = 1_000_000
	path := filepath.Join(b.TempDir(), "assessments.csv")
	writeAssessmentsCSV(b, path, n)
	b.Run("1M", func(b *testing.B) { benchRead(b, path, n) })
}

// BenchmarkReadXLSX reads 100,000 wide citizen_assessments rows from a
// workbook (serial dates, numbers, the texts as inline strings, as excelize's
// stream writer writes them), and in the same run the analyst's baseline:
// pandas.read_excel with openpyxl on the same file (testdata/
// pandas_read_xlsx.py, its import not counted; needs Debian's python3-pandas
// and python3-openpyxl, else only hoctap's reading is measured). x-pandas is
// pandas' time over ours:
//
//	go test -run '^$' -bench ReadXLSX -benchtime 3x ./wardfile
func BenchmarkReadXLSX(b *testing.B) {
	const n = 100_000
	path := filepath.Join(b.TempDir(), "big.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	head := []any{"Mã công dân", "Đợt", "Ngày đánh giá"}
	for i := 1; i <= 10; i++ {
		head = append(head, "Chỉ số "+strconv.Itoa(i))
	}
	if err := sw.SetRow("A1", head); err != nil {
		b.Fatal(err)
	}
	row := make([]any, 13)
	for r := 0; r < n; r++ {
		row[0], row[1], row[2] = fmt.Sprintf("X-%06d", r), "Cuối kỳ", 44362+r%30
		for i := 0; i < 10; i++ {
			row[3+i] = float64(10+(r+i)%11) / 2
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	b.Run("100k", func(b *testing.B) {
		python := pandasPython()
		if python == "" {
			b.Log("pandas and openpyxl are not installed (apt-get install python3-pandas python3-openpyxl): no baseline")
			benchRead(b, path, n)
			return
		}
		var theirs time.Duration
		var theirPeak float64
		benchReadWith(b, path, n, func() {
			d, peak := pandasRead(b, python, path, n)
			theirs += d
			theirPeak = max(theirPeak, peak)
		})
		b.ReportMetric(theirs.Seconds()/b.Elapsed().Seconds(), "x-pandas")
		b.ReportMetric(theirs.Seconds()/float64(b.N), "pandas-s")
		b.ReportMetric(theirPeak, "pandas-peak-MB")
	})
}

// pandasPython is a Python that imports pandas and openpyxl (Debian's, which
// another Python first on the PATH may hide), or "".
func pandasPython() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import pandas, openpyxl").Run() == nil {
			return p
		}
	}
	return ""
}

// pandasRead runs testdata/pandas_read_xlsx.py on path: read_excel's time and
// the process's peak resident MB.
func pandasRead(b *testing.B, python, path string, n int) (time.Duration, float64) {
	out, err := exec.Command(python, filepath.Join("testdata", "pandas_read_xlsx.py"), path, strconv.Itoa(n)).CombinedOutput()
	if err != nil {
		b.Fatalf("pandas: %v\n%s", err, out)
	}
	var secs, peak float64
	if _, err := fmt.Sscan(string(out), &secs, &peak); err != nil {
		b.Fatalf("pandas printed %q", out)
	}
	return time.Duration(secs * float64(time.Second)), peak
}
