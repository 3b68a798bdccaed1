package transform

import (
	"context"
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/store"
)

//go:embed config_tables.sql
var configDDL string

// insertBatch is the most rows one INSERT of loadConfig carries.
const insertBatch = 500

// loadConfig remakes the cfg_* tables from cfg, in one transaction.
func loadConfig(ctx context.Context, tx *store.Tx, cfg *config.Config) error {
	for _, stmt := range store.Statements(configDDL) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("config tables: %w", err)
		}
	}
	for _, t := range configTables {
		if err := insertRows(ctx, tx, t.name, t.rows(cfg)); err != nil {
			return err
		}
	}
	return loadRegister(ctx, tx, cfg)
}

// loadRegister remakes the geo_* tables from the register of administrative
// units the configuration names (empty but for the wards' codes without one).
func loadRegister(ctx context.Context, tx *store.Tx, cfg *config.Config) error {
	reg, err := geo.Load(cfg)
	if err != nil {
		return err
	}
	for _, stmt := range store.Statements(geo.DDL) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("register tables: %w", err)
		}
	}
	for _, t := range geo.Tables(cfg, reg) {
		if err := insertRows(ctx, tx, t.Name, t.Rows); err != nil {
			return err
		}
	}
	return nil
}

// configTables are the cfg_* tables, in the order they are filled, each with
// its rows made from the configuration.
var configTables = []struct {
	name string
	rows func(*config.Config) [][]any
}{
	{"cfg_programme", programmeRows},
	{"cfg_months", monthRows},
	{"cfg_wards", wardRows},
	{"cfg_units", unitRows},
	{"cfg_target_groups", groupRows},
	{"cfg_rounds", roundRows},
	{"cfg_framework", frameworkRows},
	{"cfg_criteria", criterionRows},
	{"cfg_indicators", indicatorRows},
	{"cfg_indicator_wording", wordingRows},
	{"cfg_unit_scheme", unitSchemeRows},
	{"cfg_unit_criteria", unitCriterionRows},
	{"cfg_unit_items", unitItemRows},
	{"cfg_unit_grades", unitGradeRows},
	{"cfg_metrics", metricRows},
	{"cfg_goals", goalRows},
	{"cfg_goal_points", goalPointRows},
	{"cfg_unesco_areas", unescoRows},
	{"cfg_phases", phaseRows},
	{"cfg_milestones", milestoneRows},
	{"cfg_submissions", submissionRows},
	{"cfg_title_frameworks", titleFrameworkRows},
	{"cfg_title_versions", titleVersionRows},
	{"cfg_title_criteria", titleCriterionRows},
	{"cfg_title_population", titlePopulationRows},
}

// insertRows inserts rows into table in batches of one INSERT each: a
// statement per row took 1.2 s for a province's thousands of expected
// submissions.
func insertRows(ctx context.Context, tx *store.Tx, table string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(rows[0])), ", ") + ")"
	for len(rows) > 0 {
		n := min(len(rows), insertBatch)
		q := fmt.Sprintf("INSERT INTO %s VALUES %s", table, strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", "))
		args := make([]any, 0, n*len(rows[0]))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("config tables: %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// dateValue is a day as DuckDB takes it: NULL when unset.
func dateValue(d config.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time
}

// each makes a row of every element of xs, with its position from 1.
func each[T any](xs []T, row func(i int, x T) []any) [][]any {
	rows := make([][]any, 0, len(xs))
	for i, x := range xs {
		rows = append(rows, row(i+1, x))
	}
	return rows
}

func programmeRows(cfg *config.Config) [][]any {
	p := cfg.Programme
	return [][]any{{cfg.City.Name, cfg.City.Province, cfg.City.Organisation, p.Name, dateValue(p.Start), dateValue(p.End), cfg.City.TimeZone}}
}

func monthRows(cfg *config.Config) [][]any {
	return each(cfg.Programme.Months(), func(i int, m config.Month) []any { return []any{m.String(), m.Time, m.LastDay().Time, i} })
}

func wardRows(cfg *config.Config) [][]any {
	return each(cfg.Wards, func(i int, w config.Ward) []any {
		pop := w.Population
		return []any{w.Code, w.Name, w.Kind, w.NameEN, pop.Total, pop.Adults, pop.Year, pop.Source, i}
	})
}

func unitRows(cfg *config.Config) [][]any {
	return each(cfg.Units, func(_ int, u config.Unit) []any { return []any{u.Code, u.Name, u.Type, u.Ward, u.Members} })
}

func groupRows(cfg *config.Config) [][]any {
	return each(cfg.Groups, func(_ int, g config.TargetGroup) []any { return []any{g.ID, g.Code, g.Name, g.NameEN} })
}

func roundRows(cfg *config.Config) [][]any {
	return each(cfg.Rounds, func(i int, r config.Round) []any { return []any{r.Code, r.Name, r.NameEN, i} })
}

func frameworkRows(cfg *config.Config) [][]any {
	f := cfg.Citizen
	return [][]any{{f.Name, f.Source, f.IndicatorMax, f.PassTotal, f.MinPerIndicator, f.ScoreStep, f.ScoreBasis, f.DigitalIndicator, f.DigitalMin, len(f.Indicators)}}
}

func criterionRows(cfg *config.Config) [][]any {
	return each(cfg.Citizen.Criteria, func(i int, c config.Criterion) []any { return []any{c.Code, c.Name, c.NameEN, i} })
}

func indicatorRows(cfg *config.Config) [][]any {
	return each(cfg.Citizen.Indicators, func(_ int, ind config.Indicator) []any { return []any{ind.Number, ind.Criterion, ind.Name, ind.NameEN} })
}

// wordingRows are each indicator's wordings, by their id.
func wordingRows(cfg *config.Config) [][]any {
	var rows [][]any
	for _, ind := range cfg.Citizen.Indicators {
		ids := make([]int, 0, len(ind.Wording))
		for id := range ind.Wording {
			ids = append(ids, id)
		}
		sort.Ints(ids)
		for _, id := range ids {
			rows = append(rows, []any{ind.Number, id, ind.Wording[id]})
		}
	}
	return rows
}

// unitSchemeRows is the unit scheme with the lowest total recognised and the
// highest total there is.
func unitSchemeRows(cfg *config.Config) [][]any {
	s := cfg.UnitScheme
	recognisedMin, maxTotal := 0.0, 0.0
	for _, g := range s.Grades {
		if g.Code == s.RecognisedFrom {
			recognisedMin = g.Min
		}
	}
	for _, c := range s.Criteria {
		maxTotal += c.Max
	}
	var assessedFrom any
	if d := cfg.Recognition.UnitAssessedFrom; !d.IsZero() {
		assessedFrom = d.Time
	}
	return [][]any{{s.Scheme, s.Name, s.Source, s.RecognisedFrom, recognisedMin, s.MemberTitleShare, s.MemberTitleShareSource, maxTotal, assessedFrom}}
}

func unitCriterionRows(cfg *config.Config) [][]any {
	return each(cfg.UnitScheme.Criteria, func(i int, c config.UnitCriterion) []any { return []any{c.Code, c.Name, c.NameEN, c.Max, i} })
}

func unitItemRows(cfg *config.Config) [][]any {
	return each(cfg.UnitScheme.Items, func(i int, it config.UnitItem) []any {
		return []any{it.Code, it.Criterion, it.Name, it.NameEN, it.Max, i}
	})
}

func unitGradeRows(cfg *config.Config) [][]any {
	return each(cfg.UnitScheme.Grades, func(i int, g config.Grade) []any { return []any{g.Code, g.Name, g.NameEN, g.Min, i} })
}

func metricRows(*config.Config) [][]any {
	return each(config.Metrics, func(_ int, m config.Metric) []any { return []any{m.Name, listLiteral(m.Denominators), m.Description} })
}

// goalRows are the goals, each with its status rule (its own, or the
// configuration's, whose trend_months it takes when it sets none).
func goalRows(cfg *config.Config) [][]any {
	return each(cfg.Goals, func(i int, g config.Goal) []any {
		rule := cfg.GoalStatus
		if g.Status != nil {
			rule = *g.Status
			if rule.TrendMonths == 0 {
				rule.TrendMonths = cfg.GoalStatus.TrendMonths
			}
		}
		return []any{g.ID, g.Name, g.NameEN, g.Metric, g.Denominator, g.Target, g.Deadline.String(), g.Path, g.Baseline,
			g.Source, g.Uncertain, rule.AtRiskMargin, rule.TrendMonths, listLiteral(g.UNESCO), i, sourceDate(g.SourceDate), g.Scope, g.ScopeEN, g.SourceEN}
	})
}

// goalPointRows are each goal's points, by month.
func goalPointRows(cfg *config.Config) [][]any {
	var rows [][]any
	for _, g := range cfg.Goals {
		months := make([]config.Month, 0, len(g.Points))
		for m := range g.Points {
			months = append(months, m)
		}
		sort.Slice(months, func(i, j int) bool { return months[i].Before(months[j]) })
		for _, m := range months {
			rows = append(rows, []any{g.ID, m.String(), g.Points[m]})
		}
	}
	return rows
}

func unescoRows(*config.Config) [][]any {
	areas := make([]string, 0, len(config.UNESCOAreas))
	for a := range config.UNESCOAreas {
		areas = append(areas, a)
	}
	sort.Strings(areas)
	return each(areas, func(_ int, a string) []any { return []any{a, config.UNESCOAreas[a]} })
}

func phaseRows(cfg *config.Config) [][]any {
	return each(cfg.Timeline.Phases, func(i int, ph config.Phase) []any {
		return []any{ph.ID, ph.Name, ph.NameEN, dateValue(ph.Start), dateValue(ph.End), i}
	})
}

func milestoneRows(cfg *config.Config) [][]any {
	return each(cfg.Timeline.Milestones, func(i int, m config.Milestone) []any {
		d := m.DoneWhen
		return []any{m.ID, m.Name, m.NameEN, m.Phase, dateValue(m.Due), d.Kind, d.Round, config.NFC(d.Activity), d.Count, d.Share, i}
	})
}

// submissionRows are the submissions each ward owes: a monthly dataset's,
// one a month from its first month to its last, due on its day of the next
// month; a survey round's, on its day. A line without wards is every ward's.
func submissionRows(cfg *config.Config) [][]any {
	var rows [][]any
	for _, sub := range cfg.Submissions {
		wards := sub.Wards
		if len(wards) == 0 {
			for _, w := range cfg.Wards {
				wards = append(wards, w.Code)
			}
		}
		for _, w := range wards {
			if sub.Monthly {
				for _, m := range config.Months(sub.From, sub.To) {
					n := m.Next()
					rows = append(rows, []any{w, sub.Dataset, nil, m.String(), time.Date(n.Year(), n.Month(), sub.DueDay, 0, 0, 0, 0, time.UTC), true})
				}
				continue
			}
			var round any
			if sub.Round != "" {
				round = sub.Round
			}
			rows = append(rows, []any{w, sub.Dataset, round, round, dateValue(sub.Due), false})
		}
	}
	return rows
}

// listLiteral passes a list of strings as a DuckDB list value.
func listLiteral(xs []string) any {
	if xs == nil {
		return []string{}
	}
	return xs
}

// sourceDate is a goal's source date for its table: NULL when not given.
func sourceDate(d config.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time
}

// nullString is s, or NULL when it is empty.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// decimalText is x as DuckDB reads a DECIMAL from text: exactly as written.
func decimalText(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func titleFrameworkRows(cfg *config.Config) [][]any {
	return each(cfg.Frameworks, func(_ int, f config.TitleFramework) []any {
		r := []any{f.Code, f.Name, f.NameEN, f.Holder, nil, nil, nil, nil, nil, nil, nil}
		if t := f.Target; t != nil {
			r[4], r[5], r[6], r[7], r[8], r[9], r[10] = decimalText(t.Share), t.Deadline.String(), t.Source, dateValue(t.SourceDate), t.Scope, nullString(t.ScopeEN), nullString(t.SourceEN)
		}
		return r
	})
}

func titleVersionRows(cfg *config.Config) [][]any {
	var rows [][]any
	for _, f := range cfg.Frameworks {
		for i, v := range f.Versions {
			rows = append(rows, []any{f.Code, v.Code, v.Source, dateValue(v.SourceDate), dateValue(v.ValidFrom), dateValue(v.ValidTo),
				decimalText(v.Pass.MinTotal), v.Pass.AllCriteria, decimalText(v.MaxTotal()), nullString(v.Pass.Assumption), i + 1, nullString(v.SourceEN)})
		}
	}
	return rows
}

func titleCriterionRows(cfg *config.Config) [][]any {
	var rows [][]any
	for _, f := range cfg.Frameworks {
		for _, v := range f.Versions {
			for i, cr := range v.Criteria {
				rows = append(rows, []any{f.Code, v.Code, cr.Code, cr.Name, cr.NameEN, cr.Kind, decimalText(cr.Max), decimalText(cr.Threshold), nullString(cr.Assumption), i + 1})
			}
		}
	}
	return rows
}

func titlePopulationRows(cfg *config.Config) [][]any {
	var rows [][]any
	for _, f := range cfg.Frameworks {
		for _, h := range f.Population {
			var year any
			if h.Year > 0 {
				year = h.Year
			}
			rows = append(rows, []any{f.Code, h.Ward, h.Count, year, h.Source, nullString(h.SourceEN)})
		}
	}
	return rows
}
