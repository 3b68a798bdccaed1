package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

// env is what every command gets from main: what to read, where to write and
// what time it is.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
}

// command is one subcommand of hoctap.
type command struct {
	name    string
	usage   string
	summary string // Vietnamese — English
	detail  string
	run     func(ctx context.Context, e *env, cmd *command, args []string) error
	hidden  bool // started by hoctap itself, not listed
}

// commands are listed in the order a newcomer meets them.
var commands = []*command{
	{name: "demo", usage: "hoctap demo [--dir D] [--seed N]", run: runDemo,
		summary: "Chạy thử toàn bộ với dữ liệu mẫu thí điểm Sa Đéc — run the whole pipeline on the Sa Đéc pilot sample",
		detail: `Sets up a workspace (default ./demo): writes the default pipeline.yaml, realistic
sample exports from the three pilot localities into its inbox, and runs every
stage that exists, end to end. Prints what it did and where the outputs are.
Running it again regenerates the same workspace (same seed, same files).`},
	{name: "init", usage: "hoctap init D", run: runInit,
		summary: "Tạo không gian làm việc mới — create a new workspace",
		detail: `Creates folder D with pipeline.yaml (the Sa Đéc pilot, to edit), one inbox
folder per ward, and the Excel forms of every dataset for every ward in
templates/<ward>/. Refuses to overwrite an existing pipeline.yaml.`},
	{name: "check", usage: "hoctap check [--config F]", run: runCheck,
		summary: "Kiểm tra tệp cấu hình — validate pipeline.yaml",
		detail: `Loads pipeline.yaml strictly: unknown keys, wrong types, out-of-range
thresholds and broken cross-references (a unit in an unknown ward, a goal naming
an unknown metric, a milestone outside the programme) are all reported at once,
each as file:line: path: message. Exit 1 if there is any problem.`},
	{name: "sample", usage: "hoctap sample --dir D [--seed N] [--scale N --wards M | --country] [--config F]", run: runSample,
		summary: "Sinh dữ liệu mẫu — write sample ward exports",
		detail: `Without --scale: writes the Sa Đéc pilot's exports (XLSX and CSV as ward offices
send them, with one late, one corrected and one faulty file) into D, one folder
per ward. With --scale N: writes a synthetic city of N citizens across M wards
(D/pipeline.yaml and CSV exports in D/inbox) for benchmarks. With --country: the
national simulation — a register of --provinces provinces (34) and --communes
communes (3,300), and for --citizens people (20,000,000) each province's signed
package, generated per commune and month, in D/data/inbox of the national
workspace D (its pipeline.yaml trusts each province's key in D/keys).
The same seed gives byte-identical files (the packages' times aside).`},
	{name: "keygen", usage: "hoctap keygen -o FILE", run: runKeygen,
		summary: "Tạo khóa ký gói số liệu — make the key that signs exchange packages",
		detail: `Writes a new Ed25519 private key to FILE (readable by its owner only; it must
not exist) and prints its public key. Point exchange.signing_key at FILE (never
paste the key into pipeline.yaml); give the public key to the province or nation
you send packages to, which lists it under exchange.trusted with your area's code.`},
	{name: "package", usage: "hoctap package -o FILE [--from YYYY-MM] [--to YYYY-MM]", run: runPackage,
		summary: "Đóng gói số liệu gửi cấp trên — write the signed package of this area's figures",
		detail: `Writes one zip file of the published figures for the level above: per commune
or ward (by official code) and month, as Parquet partitioned by unit_code and
month — progress, learning units, activities, data quality; the person-level
table only with exchange.people: true — with manifest.json (programme, area,
months, schema version, register version, row counts, a SHA-256 per file) and
its Ed25519 signature by exchange.signing_key. Send it by email, USB or a shared
folder: the receiver drops it in its inbox.`},
	{name: "template", usage: "hoctap template DATASET [--ward W] -o F.xlsx", run: runTemplate,
		summary: "Xuất biểu mẫu Excel cho xã/phường — write the Excel form a ward fills in",
		detail: `Writes the Excel form of a dataset (units, citizens, citizen_assessments,
unit_assessments, activities): Vietnamese headers as ingest expects them,
drop-down lists for ward, target group, round and gender, ranges on scores and
numbers, date checks, and an instructions sheet. --ward puts the ward's name in
the title and makes it the only choice.`},
	{name: "validate", usage: "hoctap validate [--ward W] FILE…", run: runValidate,
		summary: "Kiểm tra tệp trước khi nạp — dry-run checks of ward files, nothing loaded",
		detail: `Checks each file as ingest would — XLSX, XLS, CSV (UTF-8, UTF-16, Windows-1258;
, ; or tab) or JSON: finds its table under the title rows, and lists every problem
by sheet, row, column and value, in Vietnamese and English, and how values were
read. Inside a workspace it checks against what the pipeline has loaded (a copy:
the people and units registered, whether the file would add to or replace what
its ward sent) and against the other files named, in order; while serve holds the
database, against the published snapshot's registrations; outside a workspace it
says which checks it could not make. Nothing is loaded or moved. Exit 1 if any
file has an error. The ward is the file's folder when that is a ward's inbox
folder, or --ward; without either, a city-level file.`},
	{name: "ingest", usage: "hoctap ingest [--config F]", run: runIngest,
		summary: "Nạp các tệp mới trong hộp thư đến — load every new inbox file once",
		detail: `Loads every file waiting in inbox/<ward>/ (a ward's) and in inbox/ itself (the
city's, whose rows name their wards) once it has stopped changing (ingest.settle_time),
registrations first, then oldest first, each whole in one transaction or not at
all. A file loaded before (same bytes) is skipped. A later file adds to what its
ward sent; one named or titled as a correction ("bản sửa", "thay thế"), or named
like an earlier one, replaces it, and the earlier stays in history. Loaded files
are archived by checksum with a receipt; refused files go to quarantine/<ward>/
with a receipt listing every problem once, with its rows. A file that cannot be
handled is reported and left in the inbox; the others still load. Prints a line
per file; exit 1 if any file was refused.`},
	{name: "transform", usage: "hoctap transform [--config F] [--quiet] [--full]", run: runTransform,
		summary: "Tính toán chỉ tiêu và công bố bản chụp — run the SQL models and data tests, publish the snapshot",
		detail: `Loads pipeline.yaml into cfg_* tables, runs every SQL model of sql/models in
dependency order (each in its own transaction), then the data tests of sql/tests
(a test passes when it returns no rows). Only when every test passes does it
write a new read-only snapshot and swap it in, so readers never wait and never
see half a refresh. A failing test names itself and its first rows; exit 1.
After a first run, a run is incremental: it starts from the published snapshot
and recomputes only the people the files loaded or superseded since name (all
their months), and the tables above them; a changed pipeline.yaml, changed SQL
or --full makes it compute everything again. It says which kind it ran.`},
	{name: "query", usage: `hoctap query "SQL" [--format table|csv|json] [--max-rows N]`, run: runQuery,
		summary: "Truy vấn SQL (chỉ đọc) — ad-hoc read-only SQL on the published snapshot",
		detail: `Runs one SELECT on the published snapshot, read-only and sandboxed by DuckDB:
no writes, no files (read_csv, COPY … TO), no ATTACH or INSTALL, no CALL, PRAGMA
or SET, no function that changes DuckDB's state — as DuckDB's own parser reads
the statement, before anything runs. It runs in a process of its own, within a
time limit (database.query_timeout), a row cap (database.max_rows, or
--max-rows), a cap on the result's size (database.max_result_size) and DuckDB
memory and spill limits (database.query_memory_limit, query_temp_limit).
Works while the pipeline is writing its own database. "-" reads the SQL from
standard input. The table output escapes control characters; CSV neutralises
formulas (=, +, -, @ first) but keeps numbers; TIMESTAMPTZ values show in the
city's zone with their offset. The tables and their columns:
docs/data-dictionary.md.`},
	{name: "status", usage: "hoctap status [--month YYYY-MM] [--config F]", run: runStatus,
		summary: "Tình hình thí điểm — where the pilot stands, what each ward has sent",
		detail: `Reads the published snapshot and prints, at the end of this month (or --month):
the current phase and every milestone (done, late, due, upcoming), each ward's
registrations, recognitions and submissions, each goal against its path, and
the last transform and files received.`},
	{name: "report", usage: "hoctap report --month YYYY-MM [--lang vi|en] [--force] [--config F]", run: runReport,
		summary: "Lập báo cáo tháng — render one monthly report",
		detail: `Renders the report of a month from the published snapshot, in every language
of report.languages (or --lang): out/reports/YYYY-MM/vN/ holds the HTML page
(charts inline), the A4 PDF, the XLSX of every table, each chart as a PNG and
manifest.json (data fingerprint, input files' checksums, program version, time).
A month whose numbers have not changed is not rendered again; a month whose
numbers changed gets a new version, and earlier versions stay; --force makes a
new version of unchanged numbers too (after an upgrade of hoctap that changed
how reports look). out/reports/index.html lists every month and version.
A new version's messages to its recipients (pipeline.yaml's delivery) are
queued in the outbox: "hoctap deliver" sends them, or hoctap serve.`},
	{name: "backfill", usage: "hoctap backfill [--from YYYY-MM] [--to YYYY-MM] [--lang vi|en] [--force]", run: runBackfill,
		summary: "Lập lại báo cáo nhiều tháng — render the monthly reports of a range",
		detail: `Renders the report of every month from --from to --to (default: the programme's
first month to its last finished one), as "hoctap report" does for one month.`},
	{name: "run", usage: "hoctap run [--config F]", run: runRun,
		summary: "Chạy một lần: nạp, tính, báo cáo đến hạn — ingest, transform and the report due, once",
		detail: `One pass of what the scheduler does, for cron or by hand: loads every new
inbox file, runs the models and publishes the snapshot when something was
loaded, then renders the report of the programme's last finished month (in the
city's time zone) unless its numbers are unchanged, and sends the outbox's
messages that are due. Exit 1 if a file was refused; the other files still
count.`},
	{name: "deliver", usage: "hoctap deliver [--resend-failed] [--list] [--config F]", run: runDeliver,
		summary: "Gửi thư trong hộp thư đi — send the outbox's messages that are due",
		detail: `Sends what the outbox holds due, as hoctap serve does by itself: the
messages of each new report version (to the committee and the wards' contacts
of pipeline.yaml's delivery section, and its webhooks) and the reminders, each
once per recipient. A temporary failure (a 4xx reply, a server out of reach)
is deferred and tried again after delivery.retry's back-off; a permanent one
(5xx) is marked failed. --resend-failed queues the failed messages again (and
brings the deferred forward) before sending: messages sent are never sent
again. --list prints the latest messages and their state, sending nothing.
Every message is a row of the outbox table. Exit 1 if a message failed.`},
	{name: "serve", usage: "hoctap serve [--listen ADDR] [--config F]", run: runServe,
		summary: "Chạy tự động và trang web — the scheduler and the web app",
		detail: `Runs the pipeline on pipeline.yaml's schedule, in the city's time zone, until
SIGTERM or Ctrl-C: at start, the monthly reports missed while it was down
(catch-ups); then ingest every few minutes (and transform when something was
loaded), the report of the month just ended on its day, the reminder of wards
that have not sent this month's data, a daily backup of the database, and
the delivery of the outbox's messages (after each report and reminder, and
every schedule.deliver.every for retries). One job at a time; every run is
in the job_runs table. A stop lets the running job
finish, at most schedule.shutdown_grace.
Meanwhile it serves the web app on server.listen (or --listen): the month's
headline figures, goals and timeline; every report version to download; data
completeness with the refused files' receipts and a button to ingest now; the
job runs; the outbox, with a button to send its failed messages again; a
read-only SQL console with CSV download; /healthz and /metrics
(Prometheus). It listens only on the loopback unless server.auth is set (see
hoctap passwd); with it, every page but /healthz and /metrics needs a login.
The drill-down goes from the city to a ward, a unit and a person. A login
with wards: [code…] sees only those wards on every page and in the console
(a snapshot of their rows that transform writes); sessions are kept in
data/sessions.json and survive a restart.`},
	{name: "passwd", usage: "hoctap passwd (--user NAME | --token)", run: runPasswd,
		summary: "Tạo mã băm đăng nhập cho trang web — hash a web login for pipeline.yaml",
		detail: `--user NAME reads a password from standard input (one line) and prints the
users entry for pipeline.yaml's server.auth, with its bcrypt hash. --token
makes a random access token, prints it once, and prints the token_sha256 line.
pipeline.yaml keeps only the hashes; give the password or token to the people
or scripts that use it. Add wards: [code…] to a user's entry to limit the login
to those wards' data (then run hoctap transform to publish their snapshot).`},
	{name: "schedule", usage: "hoctap schedule --simulate FROM..TO [--job J] [--config F]", run: runSchedule,
		summary: "Xem lịch chạy — what the scheduler would run, and when",
		detail: `Computes, with the scheduler's own job definitions (pipeline.yaml's schedule
section) on a fake clock, every instant each job would start between FROM and TO
(days YYYY-MM-DD or months YYYY-MM, TO included), in the city's time zone, and
prints them with a count per job. The frequent ingest runs are counted, and
listed only with --job ingest. Nothing runs: use it to check a schedule.`},
	{name: "query-worker", usage: "hoctap query-worker", run: runQueryWorker, hidden: true,
		summary: "Chạy một truy vấn cho hoctap — runs one query for hoctap query or serve's console",
		detail: `Started by hoctap query and by serve's SQL console, one process per query: reads
the query and its limits on standard input, runs it on the snapshot and writes
the answer on standard output. A query that makes DuckDB fail ends this
process, not the one that asked.`},
	{name: "help", usage: "hoctap help [COMMAND]",
		summary: "Hướng dẫn — help on a command"},
	{name: "version", usage: "hoctap version", run: runVersion,
		summary: "Phiên bản — print the program version"},
}

// help runs runHelp, which lists commands: set here, not in the table, which
// would then refer to itself.
func init() { lookup("help").run = runHelp }

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// run is the whole program: it parses args and runs one command.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, now func() time.Time) error {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, now: now}
	if len(args) == 0 {
		printCommands(stdout)
		return usagef(nil, "no command given")
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		printCommands(stdout)
		return nil
	case "-version", "--version":
		name = "version"
	}
	cmd := lookup(name)
	if cmd == nil {
		return usagef(nil, "unknown command %q", name)
	}
	return cmd.run(ctx, e, cmd, args[1:])
}

func printCommands(w io.Writer) {
	fmt.Fprintln(w, "hoctap — Công dân học tập / Đơn vị học tập: from ward exports to the city's monthly report")
	fmt.Fprintln(w, "\nusage: hoctap COMMAND [flags]   (every command takes --config, default ./pipeline.yaml)")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		if !c.hidden {
			fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintln(w, "\nexit codes: 0 ok, 1 the data or the request is wrong, 2 usage, 3 internal error")
	fmt.Fprintln(w, "hoctap help COMMAND shows one command.")
}

func runHelp(_ context.Context, e *env, cmd *command, args []string) error {
	if len(args) == 0 {
		printCommands(e.stdout)
		return nil
	}
	c := lookup(args[0])
	if c == nil {
		return usagef(cmd, "unknown command %q", args[0])
	}
	printHelp(e.stdout, c, nil)
	return nil
}

func printHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.usage, c.summary)
	if c.detail != "" {
		fmt.Fprintf(w, "\n%s\n", c.detail)
	}
	if fs != nil {
		fmt.Fprintln(w, "\nflags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// flags makes a command's flag set; every command takes --config.
func flags(c *command, e *env) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg := fs.String("config", "pipeline.yaml", "the pipeline configuration")
	fs.Usage = func() { printHelp(e.stdout, c, fs) }
	return fs, cfg
}

// parse reads flags wherever they stand among the positional arguments
// ("template citizens -o f.xlsx" and "template -o f.xlsx citizens" alike).
func parse(fs *flag.FlagSet, c *command, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				fs.Usage()
				return nil, errHelpShown
			}
			return nil, usagef(c, "%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// configFor parses a command's flags, refuses positional arguments and loads
// the configuration: the start of every command that works on a workspace.
func configFor(c *command, fs *flag.FlagSet, cfgPath *string, args []string) (*config.Config, error) {
	pos, err := parse(fs, c, args)
	if err != nil {
		return nil, err
	}
	if len(pos) > 0 {
		return nil, usagef(c, "unexpected argument %q", pos[0])
	}
	return loadConfig(*cfgPath)
}

var version = "" // set with -ldflags "-X main.version=…"

func programVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return "(devel)"
}

func runVersion(_ context.Context, e *env, _ *command, _ []string) error {
	fmt.Fprintf(e.stdout, "hoctap %s\n", programVersion())
	return nil
}
