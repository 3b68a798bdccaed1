package pipeline

import (
	"context"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/exchange"
	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/store"
)

// Package writes the exchange package of the published snapshot (hoctap
// package): the figures the level above rolls up.
func Package(ctx context.Context, cfg *config.Config, reg *geo.Register, opt exchange.Options) (*exchange.Manifest, error) {
	snap := SnapshotOf(cfg)
	db, err := snap.Read(ctx) // it must exist: a package is of published figures
	if err != nil {
		if err == store.ErrNotPublished {
			return nil, errorf("package: nothing published yet: run hoctap transform first")
		}
		return nil, err
	}
	db.Close()
	return exchange.PackageSnapshot(ctx, cfg, reg, cfg.Paths.Snapshot, opt)
}
