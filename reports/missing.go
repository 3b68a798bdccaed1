package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/hoctap/hoctap/store"
)

// Submission is a submission a ward owes: due by a day and not answered by an
// accepted file yet.
type Submission struct {
	Ward    string // ward code
	Dataset string
	Round   string // the survey round, for citizen_assessments
	Period  string // the data's month, YYYY-MM, for monthly datasets
	Due     time.Time
	Status  string // missing, or refused: only refused files so far
	Refused []RefusedFile
}

// Missing lists the submissions of month's standing due by the day by that no
// accepted file answers yet, in the wards' order, each with the refused files
// that count for it (their receipts list every problem). It reads the
// published snapshot: what the home page shows and a ward's reminder says.
func Missing(ctx context.Context, db *store.DB, month string, by time.Time) ([]Submission, error) {
	var rows []struct {
		Ward     string     `db:"ward"`
		Dataset  string     `db:"dataset"`
		Round    string     `db:"round"`
		Period   string     `db:"period"`
		Due      time.Time  `db:"due"`
		Status   string     `db:"status"`
		FileID   int64      `db:"file_id"`
		FileName string     `db:"file_name"`
		SentOn   *time.Time `db:"sent_on"`
		Problems int64      `db:"problems"`
		Receipt  string     `db:"receipt_path"`
	}
	if err := sel(ctx, db, &rows, "missing", month, by.Format(time.DateOnly)); err != nil {
		return nil, fmt.Errorf("missing submissions of %s: %w", month, err)
	}
	var out []Submission
	for _, r := range rows {
		n := len(out)
		if n == 0 || out[n-1].Ward != r.Ward || out[n-1].Dataset != r.Dataset || !out[n-1].Due.Equal(r.Due) ||
			out[n-1].Round != r.Round || out[n-1].Period != r.Period {
			out = append(out, Submission{Ward: r.Ward, Dataset: r.Dataset, Round: r.Round, Period: r.Period, Due: r.Due, Status: r.Status})
			n++
		}
		if r.FileID != 0 {
			f := RefusedFile{Ward: r.Ward, Name: r.FileName, Problems: r.Problems, Receipt: r.Receipt}
			if r.SentOn != nil {
				f.SentOn = *r.SentOn
			}
			out[n-1].Refused = append(out[n-1].Refused, f)
		}
	}
	return out, nil
}
