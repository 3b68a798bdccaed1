package transform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/sample"
	"github.com/hoctap/hoctap/store"
)

// loadScale writes a synthetic city of n citizens in `wards` wards and loads its
// exports straight into the raw tables with sample.LoadRaw (the loading is
// ingest's benchmark, not this one).
func loadScale(b *testing.B, n, wards int) (*config.Config, *store.DB) {
	b.Helper()
	dir := b.TempDir()
	base, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := sample.Scale(base, dir, n, wards, 1); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.LoadFile(filepath.Join(dir, "pipeline.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.Paths.Database, store.OptionsFrom(cfg))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if err := sample.LoadRaw(ctx, db, filepath.Join(dir, "inbox")); err != nil {
		b.Fatal(err)
	}
	return cfg, db
}

func benchTransform(b *testing.B, n, wards int) {
	cfg, db := loadScale(b, n, wards)
	fsys := sqlFS(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Run(context.Background(), db, cfg, fsys, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			var log strings.Builder
			for _, m := range res.Models {
				fmt.Fprintf(&log, "\n%-26s %10d rows %7d ms", m.Name, m.Rows, m.Duration.Milliseconds())
			}
			for _, t := range res.Tests {
				fmt.Fprintf(&log, "\ntest %-21s %10d rows %7d ms", t.Name, t.Rows, t.Duration.Milliseconds())
			}
			fmt.Fprintf(&log, "\nconfiguration tables %d ms, snapshot %d ms, all %d ms", res.Config.Milliseconds(), res.Publish.Milliseconds(), res.Duration.Milliseconds())
			fmt.Fprintln(os.Stderr, log.String())
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "citizens/s")
}

// A city: go test -run '^$' -bench City -benchtime 1x ./transform
func BenchmarkTransformCity100k(b *testing.B) { benchTransform(b, 100_000, 30) }

// A province (minutes to set up): go test -run '^$' -bench Province -benchtime 1x -timeout 30m ./transform
func BenchmarkTransformProvince1M(b *testing.B) { benchTransform(b, 1_000_000, 150) }

// BenchmarkPublishWardSnapshots: what the ward logins' snapshots add to a
// transform of a city of 100,000 in 30 wards, against the same transform with
// committee logins only, in the same run: one snapshot per ward, each
// filtered from the new full snapshot.
//
//	go test -run '^$' -bench PublishWardSnapshots -benchtime 2x ./transform
func BenchmarkPublishWardSnapshots(b *testing.B) {
	cfg, db := loadScale(b, 100_000, 30)
	fsys := sqlFS(b)
	var each []config.User
	for _, w := range cfg.Wards {
		each = append(each, config.User{Name: w.Code, PasswordHash: "$2a$10$abcdefghijklmnopqrstuv", Wards: []string{w.Code}})
	}
	for _, c := range []struct {
		name  string
		users []config.User
	}{{"committee-only", nil}, {"30-ward-logins", each}} {
		b.Run(c.name, func(b *testing.B) {
			cfg.Server.Auth.Users = c.users
			var publish time.Duration
			for i := 0; i < b.N; i++ {
				res, err := Run(context.Background(), db, cfg, fsys, time.Now())
				if err != nil {
					b.Fatal(err)
				}
				publish += res.Publish
			}
			b.ReportMetric(float64(publish.Milliseconds())/float64(b.N), "publish-ms/op")
		})
	}
}
