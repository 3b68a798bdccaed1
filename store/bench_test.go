package store

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// The benchmarks load rows of 15 columns (2 VARCHAR, 2 DATE, a BIGINT and 10
// DOUBLE: the shape of a ward's assessment sheet) into a DuckDB file, three
// ways, and report rows/s:
//
//	go test -run '^$' -bench . ./store
//
// Appender is how ingest loads; ReadCSV is DuckDB reading the same rows from a
// CSV file itself (the baseline: its own parallel C++ reader, no Go in the loop);
// PreparedInsert is one prepared INSERT per row, on fewer rows.

const benchCols = `ward VARCHAR, full_name VARCHAR, registered_on DATE, assessed_on DATE, n BIGINT,
	s1 DOUBLE, s2 DOUBLE, s3 DOUBLE, s4 DOUBLE, s5 DOUBLE, s6 DOUBLE, s7 DOUBLE, s8 DOUBLE, s9 DOUBLE, s10 DOUBLE`

var (
	benchWards = []string{"tan-quy-dong", "tan-quy-tay", "tan-phu-dong", "an-hoa", "tan-khanh-dong", "phuong-1", "phuong-2", "phuong-3", "phuong-4"}
	benchNames = []string{"Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Cường", "Phạm Thị Dung", "Huỳnh Văn Em", "Võ Thị Phương", "Đặng Minh Giang"}
	benchDay0  = time.Date(2020, 11, 1, 0, 0, 0, 0, time.UTC)
)

// benchRow fills row with the i-th row.
func benchRow(i int, row []any) {
	row[0] = benchWards[i%len(benchWards)]
	row[1] = benchNames[i%len(benchNames)]
	row[2] = benchDay0.AddDate(0, 0, i%240)
	row[3] = benchDay0.AddDate(0, 0, 30+i%240)
	row[4] = int64(i)
	for k := 0; k < 10; k++ {
		row[5+k] = float64((i*7+k*3)%21) / 2 // 0 to 10 by halves
	}
}

func benchDB(b *testing.B) *DB {
	b.Helper()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.duckdb"), Options{Threads: 2, MemoryLimit: "4GB", TimeZone: "Asia/Ho_Chi_Minh"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// benchTable makes an empty table t, outside the timing.
func benchTable(b *testing.B, db *DB) {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	if _, err := db.ExecContext(ctx, "CREATE OR REPLACE TABLE t ("+benchCols+")"); err != nil {
		b.Fatal(err)
	}
}

func benchCount(b *testing.B, db *DB, want int) {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	var n int
	if err := db.GetContext(ctx, &n, "SELECT count(*) FROM t"); err != nil || n != want {
		b.Fatalf("%d rows loaded, want %d (%v)", n, want, err)
	}
}

func reportRows(b *testing.B, rows int) {
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkAppender(b *testing.B) {
	const n = 1_000_000
	db := benchDB(b)
	row := make([]any, 15)
	for i := 0; i < b.N; i++ {
		benchTable(b, db)
		err := db.InTx(ctx, func(tx *Tx) error {
			app, err := tx.Appender("t")
			if err != nil {
				return err
			}
			for r := 0; r < n; r++ {
				benchRow(r, row)
				if err := app.AppendRow(row...); err != nil {
					return err
				}
			}
			return app.Close()
		})
		if err != nil {
			b.Fatal(err)
		}
		benchCount(b, db, n)
	}
	reportRows(b, n)
}

func BenchmarkReadCSV(b *testing.B) {
	const n = 1_000_000
	db := benchDB(b)
	path := filepath.Join(b.TempDir(), "rows.csv")
	writeBenchCSV(b, path, n)
	load := fmt.Sprintf(`INSERT INTO t SELECT * FROM read_csv(%s, header = true, columns = {
		'ward': 'VARCHAR', 'full_name': 'VARCHAR', 'registered_on': 'DATE', 'assessed_on': 'DATE', 'n': 'BIGINT',
		's1': 'DOUBLE', 's2': 'DOUBLE', 's3': 'DOUBLE', 's4': 'DOUBLE', 's5': 'DOUBLE',
		's6': 'DOUBLE', 's7': 'DOUBLE', 's8': 'DOUBLE', 's9': 'DOUBLE', 's10': 'DOUBLE'})`, Literal(path))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchTable(b, db)
		if _, err := db.ExecContext(ctx, load); err != nil {
			b.Fatal(err)
		}
		benchCount(b, db, n)
	}
	reportRows(b, n)
}

func BenchmarkPreparedInsert(b *testing.B) {
	const n = 20_000
	db := benchDB(b)
	row := make([]any, 15)
	for i := 0; i < b.N; i++ {
		benchTable(b, db)
		err := db.InTx(ctx, func(tx *Tx) error {
			stmt, err := tx.conn.PrepareContext(ctx, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			if err != nil {
				return err
			}
			defer stmt.Close()
			for r := 0; r < n; r++ {
				benchRow(r, row)
				if _, err := stmt.ExecContext(ctx, row...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		benchCount(b, db, n)
	}
	reportRows(b, n)
}

func writeBenchCSV(b *testing.B, path string, n int) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("ward,full_name,registered_on,assessed_on,n,s1,s2,s3,s4,s5,s6,s7,s8,s9,s10\n")
	row := make([]any, 15)
	var buf []byte
	for r := 0; r < n; r++ {
		benchRow(r, row)
		buf = buf[:0]
		buf = append(buf, row[0].(string)...)
		buf = append(buf, ',')
		buf = append(buf, row[1].(string)...)
		buf = append(buf, ',')
		buf = row[2].(time.Time).AppendFormat(buf, time.DateOnly)
		buf = append(buf, ',')
		buf = row[3].(time.Time).AppendFormat(buf, time.DateOnly)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, row[4].(int64), 10)
		for k := 5; k < 15; k++ {
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, row[k].(float64), 'g', -1, 64)
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
