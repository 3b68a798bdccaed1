// Package hoctap holds what the whole pipeline is built from and ships inside the
// binary: the default configuration (the Sa Đéc pilot's pipeline.yaml) and the
// SQL models. It does no work of its own: cmd/hoctap wires the stages.
package hoctap

import "embed"

// DefaultConfig is the repository's pipeline.yaml: the Sa Đéc pilot, November 2020
// to July 2021. `hoctap demo` and `hoctap init` start from it.
//
//go:embed pipeline.yaml
var DefaultConfig []byte

// SQL holds the SQL models (sql/models, one SELECT per file, the table named
// after the file) and the data tests (sql/tests, each must return no rows).
//
//go:embed sql/models/*.sql sql/tests/*.sql
var SQL embed.FS
