package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/pipeline"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/transform"
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
	db, err := pipeline.Fresh(ctx, pipeline.SnapshotOf(cfg))
	if err != nil {
		return err
	}
	defer db.Close()
	return printStatus(ctx, e.stdout, db, cfg, month)
}

// statusMonth is the month asked for, or the month of now in the city's time
// zone, kept within the programme.
func statusMonth(cfg *config.Config, flag string, now time.Time) (config.Month, error) {
	if flag == "" {
		return cfg.Programme.Clamp(config.MonthOf(now.In(cfg.Location))), nil
	}
	m, err := config.ParseMonth(flag)
	if err != nil {
		return m, fmt.Errorf("--month %q: tháng không hợp lệ — not a month: expected YYYY-MM", flag)
	}
	if !cfg.Programme.Holds(m) {
		return m, fmt.Errorf("--month %s: ngoài thời gian thí điểm — expected a month of the programme, %s to %s", m, cfg.Programme.Start.Month(), cfg.Programme.End.Month())
	}
	return m, nil
}

// printStatus prints where the programme stood at the end of month: the
// report's numbers (reports.Load), the last transform and the files received.
func printStatus(ctx context.Context, w io.Writer, db *store.DB, cfg *config.Config, month config.Month) error {
	d, err := reports.Load(ctx, db, month.String(), 1) // the annex is not shown: its first row only
	if err != nil {
		return err
	}
	runs, err := transform.LastRun(ctx, db)
	if err != nil {
		return err
	}
	files, err := ingest.FilesReceived(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s — %s\n", cfg.Programme.Name, cfg.City.Name)
	fmt.Fprintf(w, "Tình hình đến cuối tháng %s — standing at the end of %s (programme %s → %s)\n",
		month.Label(), month, cfg.Programme.Start, cfg.Programme.End)
	printPhases(w, d, month)
	printMilestones(w, d)
	printWards(w, d)
	printGoals(w, d)

	fmt.Fprintln(w, "\nLần chạy — runs:")
	for _, r := range runs {
		kind := ""
		if r.RunKind != "" {
			kind = " (" + r.RunKind + ")"
		}
		fmt.Fprintf(w, "  last transform%s %s: %d %ss, %s\n", kind, r.At.In(cfg.Location).Format("02/01/2006 15:04"), r.N, r.Kind, r.Status)
	}
	parts := make([]string, len(files))
	for i, f := range files {
		parts[i] = fmt.Sprintf("%d %s", f.N, f.Status)
	}
	fmt.Fprintf(w, "  files received: %s\n", orDash(strings.Join(parts, ", ")))
	return nil
}

// printPhases prints the phases the month falls in.
func printPhases(w io.Writer, d *reports.Data, month config.Month) {
	var phases []string
	for _, p := range d.Phases {
		if !p.Start.After(month.LastDay().Time) && !p.End.Before(month.Time) {
			phases = append(phases, p.Name)
		}
	}
	fmt.Fprintf(w, "\nGiai đoạn — phase: %s\n", orDash(strings.Join(phases, "; ")))
}

// printMilestones prints the milestones at the month's end, by due date.
func printMilestones(w io.Writer, d *reports.Data) {
	ms := slices.Clone(d.Milestones) // in the configuration's order
	slices.SortStableFunc(ms, func(a, b reports.Milestone) int { return a.Due.Compare(b.Due) })
	fmt.Fprintln(w, "\nMốc — milestones:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, m := range ms {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", m.Due.Format("02/01/2006"), milestoneWord(m.Status), m.Name)
	}
	tw.Flush()
}

// printWards prints each ward's registrations, recognitions and submissions
// in the month.
func printWards(w io.Writer, d *reports.Data) {
	fmt.Fprintln(w, "\nXã/phường — wards (đăng ký / đạt, tỷ lệ trên số đăng ký; hồ sơ đến hạn trong tháng):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ward\tregistered\trecognised\trate\tdue\ton time\tlate\tmissing\toverdue earlier\trefused files")
	for _, wd := range d.Wards {
		p, ok := d.WardProgress(d.Month, wd.Code)
		q, okq := d.WardQuality(d.Month, wd.Code)
		if !ok || !okq {
			continue
		}
		rate := "–" // no one registered: no rate
		if p.Registered > 0 {
			rate = pct(p.RateOfRegistered)
		}
		fmt.Fprintf(tw, "  %s %s\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", wd.Kind, wd.Name, p.Registered, p.Recognised, rate,
			q.Expected, q.OnTime, q.Late, q.Missing, q.OverdueEarlier, q.FilesRefused)
	}
	tw.Flush()
}

// printGoals prints each goal at the month's end against its path.
func printGoals(w io.Writer, d *reports.Data) {
	fmt.Fprintln(w, "\nMục tiêu — goals (thực tế / lộ trình tháng này / chỉ tiêu):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, g := range d.Goals {
		at, ok := g.At(d.Month)
		if !ok {
			continue
		}
		denom := ""
		if g.Denominator != "" {
			denom = "of " + g.Denominator
		}
		actual, path := "–", "–"
		if at.Actual != nil {
			actual = pct(*at.Actual)
		}
		if at.Path != nil {
			path = pct(*at.Path)
		}
		fmt.Fprintf(tw, "  %s\t%s / %s / %s %s by %s\t%s\n", goalWord(at.Status), actual, path, pct(g.Target), denom, g.Deadline, g.Name)
	}
	tw.Flush()
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", v*100) }

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
	return map[string]string{"achieved": "đã đạt (achieved)", "on_track": "đúng lộ trình (on track)", "at_risk": "có nguy cơ (at risk)", "behind": "CHẬM (behind)", "no_data": "chưa có số liệu (no data)"}[s]
}
