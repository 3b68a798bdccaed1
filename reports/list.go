package reports

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// list is one of the month's long lists, an annex, as one query in its
// order: the report holds its first rows, and the XLSX reads every row.
// Sorting a city's 439,000 people in Vietnamese collation takes DuckDB a
// second, so the query that gave the first rows stays open (Options.Keep)
// and the XLSX reads on from there, the first time; the list is never held
// whole. Any later reading (a second language's XLSX) runs the query anew.
type list[T any] struct {
	name string                                                  // the SQL file, for errors
	run  func(ctx context.Context, limit any) (*sql.Rows, error) // limit: LIMIT's argument, nil for none
	scan func(*sql.Rows, *T) error
	ctx  context.Context // a new reading's

	mu   sync.Mutex
	rest *sql.Rows // the open query after the first rows; nil once taken or closed
}

// first runs the list's query and reads its first limit rows (all of them
// when limit is 0). With keep, and when there may be more, the query stays
// open for all to read on.
func (l *list[T]) first(ctx context.Context, limit int, keep bool) ([]T, error) {
	lim := limitArg(limit)
	if keep {
		lim = nil // every row, for all to read on
	}
	rows, err := l.run(ctx, lim)
	if err != nil {
		return nil, fmt.Errorf("report: %s: %w", l.name, err)
	}
	var out []T
	for (limit <= 0 || len(out) < limit) && rows.Next() {
		var v T
		if err := l.scan(rows, &v); err != nil {
			rows.Close()
			return nil, fmt.Errorf("report: %s: %w", l.name, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("report: %s: %w", l.name, err)
	}
	if keep && limit > 0 && len(out) == limit {
		l.rest = rows
		return out, nil
	}
	return out, rows.Close()
}

// all yields every row of the list: first (what first read), then the rest
// of the open query; or, once that is taken, every row of a new one.
func (l *list[T]) all(first []T, yield func(T) error) error {
	l.mu.Lock()
	rows := l.rest
	l.rest = nil
	l.mu.Unlock()
	if rows != nil {
		for _, v := range first {
			if err := yield(v); err != nil {
				rows.Close()
				return err
			}
		}
	} else {
		var err error
		if rows, err = l.run(l.ctx, nil); err != nil {
			return fmt.Errorf("report: %s: %w", l.name, err)
		}
	}
	defer rows.Close()
	for rows.Next() {
		var v T
		if err := l.scan(rows, &v); err != nil {
			return fmt.Errorf("report: %s: %w", l.name, err)
		}
		if err := yield(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("report: %s: %w", l.name, err)
	}
	return nil
}

// close closes the open query, if all did not take it.
func (l *list[T]) close() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rest != nil {
		l.rest.Close()
		l.rest = nil
	}
}
