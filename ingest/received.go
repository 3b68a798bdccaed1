package ingest

import (
	"context"
	_ "embed"

	"github.com/hoctap/hoctap/store"
)

//go:embed received.sql
var receivedSQL string

// Received is how many files of a status ingest has received.
type Received struct {
	Status string `db:"status"`
	N      int64  `db:"n"`
}

// FilesReceived counts the files db's ingest_files holds, by status.
func FilesReceived(ctx context.Context, db *store.DB) ([]Received, error) {
	var r []Received
	err := db.SelectContext(ctx, &r, receivedSQL)
	return r, err
}
