package schedule

import (
	"time"

	"github.com/hoctap/hoctap/config"
)

// ReportDue is a monthly report that should exist: the month it reports on and
// the instant the schedule makes it due (the report day of the next month, in
// the city's time zone).
type ReportDue struct {
	Month   config.Month
	Due     time.Time
	CatchUp bool // its instant passed before the latest one: it was missed
}

// ReportsDue lists the programme's months whose report is due by now and not
// in rendered (the months that have a report), oldest first; all but
// the latest instant's are catch-ups, as Airflow's and Dagster's are.
func ReportsDue(cfg *config.Config, now time.Time, rendered map[config.Month]bool) []ReportDue {
	loc := cfg.Location
	now = now.In(loc)
	day, at := cfg.Schedule.Report.Day, cfg.Schedule.Report.At
	if day <= 0 {
		day = 1
	}
	var out []ReportDue
	var latest time.Time
	for _, m := range cfg.Programme.Months() {
		next := m.Next()
		due := time.Date(next.Year(), next.Time.Month(), day, at.Hour, at.Minute, 0, 0, loc)
		if due.After(now) {
			break
		}
		latest = due
		if !rendered[m] {
			out = append(out, ReportDue{Month: m, Due: due})
		}
	}
	for i := range out {
		out[i].CatchUp = out[i].Due.Before(latest)
	}
	return out
}
