package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

func runStatus(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	monthFlag := fs.String("month", "", "the month to show (default: this month, within the programme)")
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	month, err := statusMonth(cfg, *monthFlag, e.now())
	if err != nil {
		return usagef(cmd, "%v", err)
	}
	db, err := openSnapshot(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return printStatus(ctx, e.stdout, db, cfg, month)
}

// statusMonth is the month asked for, or the month of now in the city's time
// zone, kept within the programme.
func statusMonth(cfg *config.Config, flag string, now time.Time) (config.Month, error) {
	if flag != "" {
		m, err := config.ParseMonth(flag)
		if err != nil {
			return m, err
		}
		return m, nil
	}
	m := config.MonthOf(now.In(cfg.Location))
	first, last := cfg.Programme.Start.Month(), cfg.Programme.End.Month()
	if m.Before(first) {
		return first, nil
	}
	if last.Before(m) {
		return last, nil
	}
	return m, nil
}

func printStatus(ctx context.Context, w io.Writer, db *store.DB, cfg *config.Config, month config.Month) error {
	fmt.Fprintf(w, "%s — %s\n", cfg.Programme.Name, cfg.City.Name)
	fmt.Fprintf(w, "Tình hình đến cuối tháng %s — standing at the end of %s (programme %s → %s)\n",
		month.Format("01/2006"), month, cfg.Programme.Start, cfg.Programme.End)
	m := month.String()

	var phases []string
	if err := db.SelectContext(ctx, &phases, `SELECT name FROM cfg_phases
		WHERE start_date <= last_day(strptime(?, '%Y-%m')::DATE) AND end_date >= strptime(?, '%Y-%m')::DATE ORDER BY ordinal`, m, m); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nGiai đoạn — phase: %s\n", orDash(strings.Join(phases, "; ")))

	var milestones []struct {
		Name   string `db:"name"`
		Due    time.Time
		Status string `db:"status"`
	}
	if err := db.SelectContext(ctx, &milestones, `SELECT c.name, s.due, s.status FROM milestone_status_monthly s
		JOIN cfg_milestones c USING (milestone) WHERE s.month = ? ORDER BY s.due, c.ordinal`, m); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nMốc — milestones:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, ms := range milestones {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", ms.Due.Format("02/01/2006"), milestoneWord(ms.Status), ms.Name)
	}
	tw.Flush()

	var wards []struct {
		Name       string   `db:"name"`
		Registered int64    `db:"registered"`
		Recognised int64    `db:"recognised"`
		Rate       *float64 `db:"rate_of_registered"`
		Expected   int64    `db:"expected"`
		OnTime     int64    `db:"on_time"`
		Late       int64    `db:"late"`
		Missing    int64    `db:"missing"`
		Overdue    int64    `db:"overdue_earlier"`
		Refused    int64    `db:"files_refused"`
	}
	if err := db.SelectContext(ctx, &wards, `SELECT w.kind || ' ' || w.name AS name, p.registered, p.recognised, p.rate_of_registered,
			q.expected, q.on_time, q.late, q.missing, q.overdue_earlier, q.files_refused
		FROM cfg_wards w
		JOIN progress_monthly p ON p.ward = w.ward AND p.level = 'ward' AND p.month = ?
		JOIN data_quality_monthly q ON q.ward = w.ward AND q.month = ?
		ORDER BY w.ordinal`, m, m); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nXã/phường — wards (đăng ký / đạt, tỷ lệ trên số đăng ký; hồ sơ đến hạn trong tháng):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ward\tregistered\trecognised\trate\tdue\ton time\tlate\tmissing\toverdue earlier\trefused files")
	for _, r := range wards {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", r.Name, r.Registered, r.Recognised, pct(r.Rate),
			r.Expected, r.OnTime, r.Late, r.Missing, r.Overdue, r.Refused)
	}
	tw.Flush()

	var goals []struct {
		Name   string   `db:"name"`
		Actual *float64 `db:"actual"`
		Path   float64  `db:"path_value"`
		Target float64  `db:"target"`
		Denom  *string  `db:"denominator"`
		Due    string   `db:"deadline"`
		Status string   `db:"status"`
	}
	if err := db.SelectContext(ctx, &goals, `SELECT c.name, p.actual, p.path_value, p.target, p.denominator, p.deadline, p.status
		FROM goal_progress p JOIN cfg_goals c USING (goal_id) WHERE p.month = ? ORDER BY c.ordinal`, m); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nMục tiêu — goals (thực tế / lộ trình tháng này / chỉ tiêu):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, g := range goals {
		denom := ""
		if g.Denom != nil {
			denom = "of " + *g.Denom
		}
		fmt.Fprintf(tw, "  %s\t%s / %s / %s %s by %s\t%s\n", goalWord(g.Status), pct(g.Actual), pct(&g.Path), pct(&g.Target), denom, g.Due, g.Name)
	}
	tw.Flush()

	var runs []struct {
		Kind   string    `db:"kind"`
		At     time.Time `db:"at"`
		Status string    `db:"status"`
		N      int64     `db:"n"`
	}
	if err := db.SelectContext(ctx, &runs, `SELECT kind, max(started_at) AS at, min(status) AS status, count(*) AS n FROM model_runs
		WHERE started_at = (SELECT max(started_at) FROM model_runs) GROUP BY kind ORDER BY kind`); err != nil {
		return err
	}
	var files []struct {
		Status string `db:"status"`
		N      int64  `db:"n"`
	}
	if err := db.SelectContext(ctx, &files, `SELECT status, count(*) AS n FROM ingest_files GROUP BY status ORDER BY status`); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nLần chạy — runs:")
	for _, r := range runs {
		fmt.Fprintf(w, "  last transform %s: %d %ss, %s\n", r.At.In(cfg.Location).Format("02/01/2006 15:04"), r.N, r.Kind, r.Status)
	}
	parts := make([]string, len(files))
	for i, f := range files {
		parts[i] = fmt.Sprintf("%d %s", f.N, f.Status)
	}
	fmt.Fprintf(w, "  files received: %s\n", orDash(strings.Join(parts, ", ")))
	return nil
}

func pct(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func milestoneWord(s string) string {
	return map[string]string{"done": "xong (done)", "late": "TRỄ (late)", "due": "sắp đến hạn (due)", "upcoming": "chưa đến (upcoming)"}[s]
}

func goalWord(s string) string {
	return map[string]string{"on_track": "đúng lộ trình (on track)", "at_risk": "có nguy cơ (at risk)", "behind": "CHẬM (behind)", "no_data": "chưa có số liệu (no data)"}[s]
}
