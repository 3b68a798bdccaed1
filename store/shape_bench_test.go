package store

// The shape benchmarks append 1M rows shaped as raw_citizen_assessments (two
// texts, a date, a DOUBLE[] of 10 scores, NULLs) four ways, inside a
// transaction, and report rows/s and processor seconds (all threads):
//
//	go test -run '^$' -bench Shape -benchtime 1x ./store
//
// Measured on the shared 2-core machine (cpu-s, ranges of three runs; a single
// run may be off by up to 2× when other work runs): AppenderList, the
// table Appender given []float64 lists (ingest's way before), 3.0–5.0;
// AppenderAnyList, the same given []any, 2.3–2.8; QueryAppenderArray, DOUBLE[10]
// ARRAYs cast to LISTs by the query (ingest's way now), 2.1–2.4; TableUDF, a Go
// table function feeding INSERT … SELECT, 2.0–3.1, of which ~40% is DuckDB's
// client thread spinning while the single-threaded source runs on another.

import (
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

const shapeTable = `CREATE OR REPLACE TABLE t (
    file_id         BIGINT  NOT NULL,
    sheet           VARCHAR,
    row_number      INTEGER NOT NULL,
    citizen_id      VARCHAR NOT NULL,
    round           VARCHAR NOT NULL,
    assessed_on     DATE    NOT NULL,
    self_scores     DOUBLE[] NOT NULL,
    reviewed_scores DOUBLE[],
    reviewer        VARCHAR)`

var shapeIDs = func() []string {
	ids := make([]string, 1_000_000)
	for i := range ids {
		ids[i] = "TQD-" + strconv.Itoa(i)
	}
	return ids
}()

func shapeDB(b *testing.B) *DB {
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.duckdb"), Options{Threads: 2, MemoryLimit: "4GB", TimeZone: "Asia/Ho_Chi_Minh"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func shapeRun(b *testing.B, fn func(tx *Tx) error) {
	db := shapeDB(b)
	const n = 1_000_000
	var cpu float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if _, err := db.ExecContext(ctx, shapeTable); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0 := cpuSeconds()
		if err := db.InTx(ctx, fn); err != nil {
			b.Fatal(err)
		}
		cpu += cpuSeconds() - c0
		b.StopTimer()
		var c int
		if err := db.GetContext(ctx, &c, "SELECT count(*) FROM t"); err != nil || c != n {
			b.Fatal(c, err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(cpu/float64(b.N), "cpu-s")
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

var day0 = time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
var rounds = []string{"baseline", "mid", "final"}

func BenchmarkShapeAppenderList(b *testing.B) {
	shapeRun(b, func(tx *Tx) error {
		a, err := tx.Appender("t")
		if err != nil {
			return err
		}
		for r := 0; r < 1_000_000; r++ {
			self := make([]float64, 10)
			for i := range self {
				self[i] = float64((r+i)%11) / 2
			}
			if err := a.AppendRow(int64(1), nil, int32(r+2), shapeIDs[r], rounds[r%3], day0, self, nil, nil); err != nil {
				return err
			}
		}
		return a.Close()
	})
}

// flatSelect builds the lists from flat columns, for the table function.
const flatSelect = `INSERT INTO t SELECT 1, NULL, row_number, citizen_id, round, assessed_on,
	[s1, s2, s3, s4, s5, s6, s7, s8, s9, s10],
	CASE WHEN isnan(r1) THEN NULL ELSE [r1, r2, r3, r4, r5, r6, r7, r8, r9, r10] END,
	nullif(reviewer, '') FROM `

func flatTypes() ([]duckdb.TypeInfo, []string) {
	ti := func(t duckdb.Type) duckdb.TypeInfo {
		x, err := duckdb.NewTypeInfo(t)
		if err != nil {
			panic(err)
		}
		return x
	}
	types := []duckdb.TypeInfo{ti(duckdb.TYPE_INTEGER), ti(duckdb.TYPE_VARCHAR), ti(duckdb.TYPE_VARCHAR), ti(duckdb.TYPE_DATE)}
	names := []string{"row_number", "citizen_id", "round", "assessed_on"}
	for i := 1; i <= 10; i++ {
		types = append(types, ti(duckdb.TYPE_DOUBLE))
		names = append(names, "s"+strconv.Itoa(i))
	}
	for i := 1; i <= 10; i++ {
		types = append(types, ti(duckdb.TYPE_DOUBLE))
		names = append(names, "r"+strconv.Itoa(i))
	}
	types = append(types, ti(duckdb.TYPE_VARCHAR))
	names = append(names, "reviewer")
	return types, names
}

func float64FromBits() float64 {
	var z float64
	return z / z
}

// chunkSource fills chunks with generated rows, typed.
type chunkSource struct {
	n, next int
	cols    []duckdb.ColumnInfo
}

func (s *chunkSource) ColumnInfos() []duckdb.ColumnInfo     { return s.cols }
func (s *chunkSource) Cardinality() *duckdb.CardinalityInfo { return nil }
func (s *chunkSource) Init()                                {}
func (s *chunkSource) FillChunk(c duckdb.DataChunk) error {
	size := min(duckdb.GetDataChunkCapacity(), s.n-s.next)
	nan := float64FromBits()
	for k := 0; k < size; k++ {
		r := s.next + k
		duckdb.SetChunkValue(c, 0, k, int32(r+2))
		duckdb.SetChunkValue(c, 1, k, shapeIDs[r])
		duckdb.SetChunkValue(c, 2, k, rounds[r%3])
		duckdb.SetChunkValue(c, 3, k, day0)
		for i := 0; i < 10; i++ {
			duckdb.SetChunkValue(c, 4+i, k, float64((r+i)%11)/2)
			duckdb.SetChunkValue(c, 14+i, k, nan)
		}
		duckdb.SetChunkValue(c, 24, k, "")
	}
	s.next += size
	return c.SetSize(size)
}

var udfOnce sync.Map

func BenchmarkShapeTableUDF(b *testing.B) {
	types, names := flatTypes()
	var cols []duckdb.ColumnInfo
	for i := range types {
		cols = append(cols, duckdb.ColumnInfo{Name: names[i], T: types[i]})
	}
	shapeRun(b, func(tx *Tx) error {
		if _, ok := udfOnce.Load(tx); !ok {
			err := duckdb.RegisterTableUDF(tx.conn.Conn, "gen_rows", duckdb.ChunkTableFunction{
				BindArguments: func(map[string]any, ...any) (duckdb.ChunkTableSource, error) {
					return &chunkSource{n: 1_000_000, cols: cols}, nil
				},
			})
			if err != nil {
				return fmt.Errorf("register: %w", err)
			}
		}
		_, err := tx.ExecContext(ctx, flatSelect+"gen_rows()")
		return err
	})
}

func BenchmarkShapeAppenderAnyList(b *testing.B) {
	boxes := make([]any, 11)
	for i := range boxes {
		boxes[i] = float64(i) / 2
	}
	shapeRun(b, func(tx *Tx) error {
		a, err := tx.Appender("t")
		if err != nil {
			return err
		}
		self := make([]any, 10)
		for r := 0; r < 1_000_000; r++ {
			for i := range self {
				self[i] = boxes[(r+i)%11]
			}
			if err := a.AppendRow(int64(1), nil, int32(r+2), shapeIDs[r], rounds[r%3], day0, self, nil, nil); err != nil {
				return err
			}
		}
		return a.Close()
	})
}

func BenchmarkShapeQueryAppenderArray(b *testing.B) {
	boxes := make([]any, 11)
	for i := range boxes {
		boxes[i] = float64(i) / 2
	}
	ti := func(t duckdb.Type) duckdb.TypeInfo {
		x, err := duckdb.NewTypeInfo(t)
		if err != nil {
			panic(err)
		}
		return x
	}
	arr, err := duckdb.NewArrayInfo(ti(duckdb.TYPE_DOUBLE), 10)
	if err != nil {
		b.Fatal(err)
	}
	types := []duckdb.TypeInfo{ti(duckdb.TYPE_INTEGER), ti(duckdb.TYPE_VARCHAR), ti(duckdb.TYPE_VARCHAR), ti(duckdb.TYPE_DATE), arr, arr, ti(duckdb.TYPE_VARCHAR)}
	names := []string{"row_number", "citizen_id", "round", "assessed_on", "s", "r", "reviewer"}
	shapeRun(b, func(tx *Tx) error {
		var app *duckdb.Appender
		err := tx.conn.Raw(func(dc any) error {
			var err error
			app, err = duckdb.NewQueryAppender(dc.(driver.Conn), `INSERT INTO t SELECT 1, NULL, row_number, citizen_id, round, assessed_on, s::DOUBLE[], r::DOUBLE[], reviewer FROM appended_data`, "", types, names)
			return err
		})
		if err != nil {
			return err
		}
		self := make([]any, 10)
		row := make([]driver.Value, 7)
		for r := 0; r < 1_000_000; r++ {
			for i := range self {
				self[i] = boxes[(r+i)%11]
			}
			row[0], row[1], row[2], row[3], row[4], row[5], row[6] = int32(r+2), shapeIDs[r], rounds[r%3], day0, self, nil, nil
			if err := app.AppendRow(row...); err != nil {
				return err
			}
		}
		return app.Close()
	})
}
