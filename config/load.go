package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong in a configuration file.
type Problem struct {
	Path string // wards[2].code
	Line int    // 1-based; 0 when unknown
	Msg  string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// Error lists every problem found in one configuration file.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s)", e.File, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n")
		if p.Line > 0 {
			fmt.Fprintf(&b, "%s:%d: ", e.File, p.Line)
		} else {
			fmt.Fprintf(&b, "%s: ", e.File)
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// LoadFile reads, validates and resolves the configuration at path.
func LoadFile(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	l := &loader{file: abs, name: path, lines: map[string]int{}, values: map[string]*yaml.Node{}}
	return l.parse(data)
}

// Parse decodes, validates and resolves a configuration. file names it in
// messages, and its folder anchors relative paths.
func Parse(data []byte, file string) (*Config, error) {
	l := &loader{file: file, name: file, lines: map[string]int{}, values: map[string]*yaml.Node{}}
	return l.parse(data)
}

type loader struct {
	file     string                // absolute, or "" for bytes without a folder
	name     string                // as messages show it: the path the user gave
	lines    map[string]int        // path → line of its node
	values   map[string]*yaml.Node // path → scalar node, to place type errors in flow mappings
	problems []Problem
}

func (l *loader) add(path, format string, args ...any) {
	l.problems = append(l.problems, Problem{Path: path, Line: l.lineOf(path), Msg: fmt.Sprintf(format, args...)})
}

// lineOf finds the line of path, or of its nearest ancestor that is in the file.
func (l *loader) lineOf(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if n, ok := l.lines[p]; ok {
			return n
		}
	}
	return 0
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

func (l *loader) err() error {
	if len(l.problems) == 0 {
		return nil
	}
	sort.SliceStable(l.problems, func(i, j int) bool { return l.problems[i].Line < l.problems[j].Line })
	return &Error{File: l.display(), Problems: l.problems}
}

func (l *loader) display() string {
	if l.name == "" {
		return "pipeline.yaml"
	}
	return l.name
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

func (l *loader) parse(data []byte) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		l.yamlError(err)
		return nil, l.err()
	}
	if len(root.Content) == 0 {
		l.add("", "the file is empty: expected the sections city, programme, wards, …")
		return nil, l.err()
	}
	doc := root.Content[0]
	l.walk(doc, reflect.TypeOf(Config{}), "")

	cfg := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			l.yamlError(err)
			return nil, l.err()
		}
		for _, msg := range te.Errors {
			if strings.Contains(msg, "not found in type") {
				continue // reported by walk, with its path
			}
			l.lineMessage(msg)
		}
	}
	if len(l.problems) > 0 {
		return nil, l.err()
	}
	cfg.applyDefaults()
	if l.file != "" {
		cfg.File = l.file
		cfg.Paths.resolve(filepath.Dir(l.file))
		cfg.Delivery.resolve(filepath.Dir(l.file))
		cfg.Geography.resolve(filepath.Dir(l.file))
		if k := cfg.Exchange.SigningKey; k != "" && !filepath.IsAbs(k) {
			cfg.Exchange.SigningKey = filepath.Join(filepath.Dir(l.file), k)
		}
		for _, f := range []*string{&cfg.Server.TLSCert, &cfg.Server.TLSKey} {
			if *f != "" && !filepath.IsAbs(*f) {
				*f = filepath.Join(filepath.Dir(l.file), *f)
			}
		}
	}
	l.validate(cfg)
	if err := l.err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (l *loader) yamlError(err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(line, "yaml: unmarshal errors:"))
		if line != "" {
			l.lineMessage(line)
		}
	}
}

// lineMessage turns "line 12: cannot unmarshal …" into a problem at that line,
// with the path of the node that starts there.
func (l *loader) lineMessage(msg string) {
	m := yamlLine.FindStringSubmatch(strings.TrimPrefix(msg, "yaml: "))
	if m == nil {
		l.problems = append(l.problems, Problem{Msg: msg})
		return
	}
	n, _ := strconv.Atoi(m[1])
	l.problems = append(l.problems, Problem{Path: l.pathAt(n, m[2]), Line: n, Msg: friendlyYAML(m[2])})
}

var quotedValue = regexp.MustCompile("`([^`]*)`|\"((?:[^\"\\\\]|\\\\.)*)\"")

// pathAt finds the path of the node a decoder message is about: the scalar on
// that line whose value the message quotes, else the deepest path on the line.
func (l *loader) pathAt(line int, msg string) string {
	if q := quotedValue.FindStringSubmatch(msg); q != nil {
		v := q[1]
		if q[0][0] == '"' {
			if u, err := strconv.Unquote(q[0]); err == nil {
				v = u
			}
		}
		match := ""
		for p, n := range l.values {
			if n.Line == line && n.Value == v && (match == "" || p < match) {
				match = p
			}
		}
		if match != "" {
			return match
		}
	}
	best := ""
	for p, n := range l.lines {
		if n == line && (len(p) > len(best) || (len(p) == len(best) && p < best)) {
			best = p
		}
	}
	return best
}

var unmarshalMsg = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (.+)$")

func friendlyYAML(msg string) string {
	if m := unmarshalMsg.FindStringSubmatch(msg); m != nil {
		want := m[3]
		switch {
		case strings.HasPrefix(want, "int"):
			want = "a whole number"
		case strings.HasPrefix(want, "float"):
			want = "a number"
		case want == "bool":
			want = "true or false"
		case strings.HasPrefix(want, "[]"):
			want = "a list"
		case strings.HasPrefix(want, "map") || strings.HasPrefix(want, "config."):
			want = "a mapping of keys to values"
		}
		return fmt.Sprintf("%q is not %s", m[2], want)
	}
	return msg
}

// walk records the line of every node under its path, and reports keys that do
// not belong to the target type.
func (l *loader) walk(n *yaml.Node, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if _, ok := l.lines[path]; !ok || path == "" {
		l.lines[path] = n.Line
	}
	if n.Kind == yaml.ScalarNode {
		l.values[path] = n
	}
	if implementsUnmarshaler(t) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // the decoder reports the type mismatch
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" {
				continue
			}
			p := join(path, k.Value)
			f, ok := fields[k.Value]
			if !ok {
				l.lines[p] = k.Line
				l.add(p, "unknown key %q%s", k.Value, suggest(k.Value, fields))
				continue
			}
			l.lines[p] = k.Line
			l.walk(v, f, p)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			l.lines[p] = c.Line
			l.walk(c, t.Elem(), p)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			l.lines[p] = k.Line
			l.walk(v, t.Elem(), p)
		}
	}
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

func implementsUnmarshaler(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(unmarshalerType)
}

func yamlFields(t reflect.Type) map[string]reflect.Type {
	fs := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		fs[name] = f.Type
	}
	return fs
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// suggest names the known key closest to a misspelt one.
func suggest(key string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	for f := range fields {
		if d := editDistance(key, f); d < bestD || (d == bestD && f < best) {
			best, bestD = f, d
		}
	}
	if best == "" {
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		sort.Strings(names)
		return ": expected one of " + strings.Join(names, ", ")
	}
	return fmt.Sprintf(": did you mean %q?", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// applyDefaults fills what the file leaves out.
func (c *Config) applyDefaults() {
	orDefault(&c.City.TimeZone, "Asia/Ho_Chi_Minh")
	orDefault(&c.City.Language, "vi")
	orDefault(&c.City.Place, c.City.Name)
	orDefault(&c.Recognition.Issuer, strings.TrimSpace("UBND "+c.City.Kind+" "+c.City.Name))
	if len(c.Rounds) == 0 {
		c.Rounds = []Round{
			{Code: "baseline", Name: "Khảo sát thực trạng", NameEN: "Baseline survey"},
			{Code: "mid", Name: "Giữa kỳ", NameEN: "Mid-term survey"},
			{Code: "final", Name: "Cuối kỳ", NameEN: "Final survey"},
		}
	}
	if len(c.UnitTypes) == 0 {
		c.UnitTypes = DefaultUnitTypes()
	}
	if len(c.ActivityKinds) == 0 {
		c.ActivityKinds = DefaultActivityKinds()
	}
	c.Citizen.applyDefaults()
	orDefault(&c.UnitScheme.Scheme, SchemePoints)
	orDefault(&c.GoalStatus.AtRiskMargin, 0.05)
	orDefault(&c.GoalStatus.TrendMonths, 3)
	for i := range c.Goals {
		orDefault(&c.Goals[i].Path, "linear")
	}
	c.Ingest.applyDefaults()
	c.Paths.applyDefaults()
	c.Database.applyDefaults()
	orDefault(&c.Exchange.MaxPackageSize, 512<<20)
	r := &c.Report
	if len(r.Languages) == 0 {
		r.Languages = []string{"vi", "en"}
	}
	orDefault(&r.AnnexLimit, 500)
	orDefault(&r.PackLimit, 5)
	orDefault(&r.CloseWithin, c.Citizen.IndicatorMax)
	orDefault(&r.ChartDPI, 200)
	orDefault(&r.MinGroupForRate, 5)
	orDefault(&r.GoalChartHorizonMonths, 12)
	orDefault(&r.DataDeadlineDay, 7)
	c.Schedule.applyDefaults(r.DataDeadlineDay)
	c.Delivery.applyDefaults(c)
	c.Server.applyDefaults(c.Database.QueryTimeout.Duration)
	for i := range c.Submissions {
		sub := &c.Submissions[i]
		if sub.Monthly {
			orDefault(&sub.From, c.Programme.Start.Month())
			orDefault(&sub.To, c.Programme.End.Month())
		}
	}
}

// orDefault sets *p to v when it is the zero value: the setting was left out.
func orDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}

func (f *CitizenFramework) applyDefaults() {
	orDefault(&f.IndicatorMax, 10)
	orDefault(&f.PassTotal, 80)
	orDefault(&f.MinPerIndicator, 5)
	orDefault(&f.ScoreBasis, BasisReviewedIfPresent)
	orDefault(&f.DigitalMin, f.MinPerIndicator)
}

func (in *Ingest) applyDefaults() {
	if len(in.TotalsWords) == 0 {
		in.TotalsWords = []string{"Tổng cộng", "Tổng", "Cộng"}
	}
	orDefault(&in.MaxFileBytes, 256<<20)
	orDefault(&in.MaxExpandedBytes, 1<<30)
	orDefault(&in.MaxCellBytes, 32<<10)
	orDefault(&in.MaxColumns, 500)
	orDefault(&in.MaxRows, 10_000_000)
	durationOr(&in.SettleTime, 5*time.Second)
	orDefault(&in.MaxShrink, 0.5)
}

func (p *Paths) applyDefaults() {
	orDefault(&p.Inbox, "data/inbox")
	orDefault(&p.Archive, "data/archive")
	orDefault(&p.Quarantine, "data/quarantine")
	orDefault(&p.Database, "data/hoctap.duckdb")
	orDefault(&p.Snapshot, "data/published/hoctap.duckdb")
	orDefault(&p.Reports, "out/reports")
	orDefault(&p.Backups, "data/backups")
}

func (d *Database) applyDefaults() {
	orDefault(&d.Threads, 2)
	orDefault(&d.MemoryLimit, "4GB")
	durationOr(&d.QueryTimeout, 30*time.Second)
	orDefault(&d.MaxRows, 10000)
	orDefault(&d.MaxResultSize, 16e6)
	orDefault(&d.QueryMemoryLimit, "1GB")
	orDefault(&d.QueryTempLimit, "2GB")
	orDefault(&d.QueryWorkers, 2)
}

// applyDefaults sets the schedule's defaults: the report runs the day after
// the data's deadline, deadlineDay.
func (s *Schedule) applyDefaults(deadlineDay int) {
	durationOr(&s.Ingest.Every, 10*time.Minute)
	orDefault(&s.Report.Day, deadlineDay+1)
	if s.Report.At.IsZero() {
		s.Report.At = Clock{Hour: 7, set: true}
	}
	orDefault(&s.Reminder.Day, 3)
	if s.Reminder.At.IsZero() {
		s.Reminder.At = Clock{Hour: 8, set: true}
	}
	if s.Backup.At.IsZero() {
		s.Backup.At = Clock{Hour: 2, set: true}
	}
	orDefault(&s.Backup.Keep, 14)
	orDefault(&s.Retry.Attempts, 3)
	durationOr(&s.Retry.Backoff, 30*time.Second)
	durationOr(&s.ShutdownGrace, 2*time.Minute)
	durationOr(&s.Deliver.Every, time.Minute)
}

// applyDefaults fills in what the server section leaves out: a response may
// take as long as a console query, and a minute more.
func (sv *Server) applyDefaults(queryTimeout time.Duration) {
	orDefault(&sv.Listen, "127.0.0.1:8080")
	orDefault(&sv.LoginFailuresPerMinute, 5)
	orDefault(&sv.LogFormat, LogText)
	durationOr(&sv.ReadTimeout, time.Minute)
	durationOr(&sv.WriteTimeout, queryTimeout+time.Minute)
	durationOr(&sv.IdleTimeout, 2*time.Minute)
}

func (p *Paths) resolve(dir string) {
	for _, s := range []*string{&p.Inbox, &p.Archive, &p.Quarantine, &p.Database, &p.Snapshot, &p.Reports, &p.Backups} {
		if !filepath.IsAbs(*s) {
			*s = filepath.Join(dir, *s)
		}
	}
}

func (g *Geography) resolve(dir string) {
	for _, s := range []*string{&g.Units, &g.Crosswalk} {
		if *s != "" && !filepath.IsAbs(*s) {
			*s = filepath.Join(dir, *s)
		}
	}
}

// DefaultUnitTypes are the unit types of a configuration that lists none.
func DefaultUnitTypes() []Category {
	return []Category{
		{Code: "truong-mam-non", Name: "trường mầm non", NameEN: "kindergarten", Aliases: []string{"mầm non", "mẫu giáo", "trường mẫu giáo"}},
		{Code: "truong-tieu-hoc", Name: "trường tiểu học", NameEN: "primary school", Aliases: []string{"tiểu học"}},
		{Code: "truong-thcs", Name: "trường trung học cơ sở", NameEN: "lower secondary school", Aliases: []string{"THCS", "trường THCS"}},
		{Code: "truong-thpt", Name: "trường trung học phổ thông", NameEN: "upper secondary school", Aliases: []string{"THPT", "trường THPT"}},
		{Code: "ubnd", Name: "UBND xã/phường", NameEN: "ward or commune office", Aliases: []string{"UBND xã", "UBND phường", "UBND thị trấn", "văn phòng UBND", "ủy ban nhân dân"}},
		{Code: "tram-y-te", Name: "trạm y tế", NameEN: "health station", Aliases: []string{"y tế"}},
		{Code: "co-quan", Name: "cơ quan, đơn vị", NameEN: "office or agency", Aliases: []string{"cơ quan"}},
		{Code: "doanh-nghiep", Name: "doanh nghiệp", NameEN: "enterprise", Aliases: []string{"công ty", "hợp tác xã"}},
	}
}

// DefaultActivityKinds are the activity kinds of a configuration that lists none.
func DefaultActivityKinds() []Category {
	return []Category{
		{Code: "tuyen-truyen", Name: "tuyên truyền", NameEN: "outreach"},
		{Code: "tap-huan", Name: "tập huấn", NameEN: "training", Aliases: []string{"bồi dưỡng"}},
		{Code: "sinh-hoat-clb", Name: "sinh hoạt câu lạc bộ", NameEN: "club meeting", Aliases: []string{"câu lạc bộ"}},
		{Code: "lop-hoc", Name: "lớp học", NameEN: "class", Aliases: []string{"lớp"}},
		{Code: "doc-sach", Name: "đọc sách", NameEN: "reading", Aliases: []string{"ngày hội đọc sách", "thư viện"}},
		{Code: "hoi-thao", Name: "hội thảo", NameEN: "seminar", Aliases: []string{"tọa đàm"}},
		{Code: "hoi-nghi", Name: "hội nghị", NameEN: "conference", Aliases: []string{"tổng kết", "sơ kết", "hội nghị tổng kết", "hội nghị sơ kết"}},
		{Code: "hoi-thi", Name: "hội thi", NameEN: "contest", Aliases: []string{"cuộc thi"}},
		{Code: "khac", Name: "khác", NameEN: "other"},
	}
}
