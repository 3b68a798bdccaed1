package transform

import (
	"context"
	_ "embed"
	"time"

	"github.com/hoctap/hoctap/store"
)

//go:embed last_run.sql
var lastRunSQL string

// StepsRun is what the steps of one kind (model, test) of a transform did.
type StepsRun struct {
	Kind   string    `db:"kind"`
	At     time.Time `db:"at"`
	Status string    `db:"status"`
	N      int64     `db:"n"`
	// RunKind is KindFull or KindIncremental; "" for a run recorded before
	// hoctap kept it.
	RunKind string `db:"run_kind"`
}

// LastRun is the last transform recorded in db's model_runs, per kind of
// step; none when nothing has run.
func LastRun(ctx context.Context, db *store.DB) ([]StepsRun, error) {
	var steps []StepsRun
	err := db.SelectContext(ctx, &steps, lastRunSQL)
	return steps, err
}
