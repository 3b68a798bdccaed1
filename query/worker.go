package query

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/hoctap/hoctap/store"
)

// Runner runs each query in a process of its own: the hoctap binary as a
// query worker (hoctap query-worker, which calls Work), with its own memory
// limits, no environment and a time limit. A statement that makes DuckDB
// abort, or a result too large for memory, ends the worker; the process that
// asked gets an error and goes on. The worker's answer is read whole (at most
// the byte cap) before Run returns, so whoever shows it holds nothing of the
// snapshot while writing it out.
type Runner struct {
	// Program and Args start a worker (os.Executable() and "query-worker");
	// Env is its whole environment (none by default: a query cannot read
	// the server's).
	Program string
	Args    []string
	Env     []string
	// Snapshot is the published snapshot's path and Database the DuckDB
	// settings a worker opens it with (read-only and sandboxed, always).
	Snapshot string
	Database store.Options
	// ProcessMemory caps a worker's memory in bytes, besides DuckDB's own
	// memory limit, where the system can (RLIMIT_DATA on Linux); 0: no cap.
	ProcessMemory int64
	// Workers is how many queries may run at once (at least 1); more wait
	// for a turn, at most their time limit.
	Workers int

	once  sync.Once
	slots chan struct{}
}

// request is what a Runner sends its worker.
type request struct {
	Snapshot      string        `json:"snapshot"`
	Database      store.Options `json:"database"`
	SQL           string        `json:"sql"`
	MaxRows       int           `json:"max_rows"`
	MaxBytes      int64         `json:"max_bytes"`
	Timeout       time.Duration `json:"timeout"`
	ProcessMemory int64         `json:"process_memory"`
}

// response is a worker's answer: a result or an error.
type response struct {
	Result *Result      `json:"result,omitempty"`
	Error  *workerError `json:"error,omitempty"`
}

type workerError struct {
	Kind     string `json:"kind"` // refused, syntax, unpublished, failed
	Message  string `json:"message"`
	Position int    `json:"position,omitempty"`
}

// ErrNotPublished: the snapshot a worker was to read is not there.
var ErrNotPublished = store.ErrNotPublished

// CrashError is a query whose process ended without an answer: DuckDB
// aborted it (SIGABRT), it ran out of memory, or it was stopped.
type CrashError struct {
	Status string // how the process ended: "signal: aborted", "exit status 2"
	Detail string // the first words it wrote on its way out
}

func (e *CrashError) Error() string {
	msg := "query: truy vấn làm dừng tiến trình chạy nó — the query stopped the process that ran it (" + e.Status + ")"
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg + "; nothing else was affected"
}

// Run runs sql in a worker process.
func (r *Runner) Run(ctx context.Context, sql string, opt Options) (*Result, error) {
	r.once.Do(func() { r.slots = make(chan struct{}, max(r.Workers, 1)) })
	wait := ctx
	if opt.Timeout > 0 {
		var cancel context.CancelFunc
		wait, cancel = context.WithTimeout(ctx, opt.Timeout)
		defer cancel()
	}
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	case <-wait.Done():
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &RefusedError{Reason: fmt.Sprintf("máy bận, xin thử lại sau — busy: all %d query workers (database.query_workers) were taken for the whole time limit; try again in a moment", cap(r.slots))}
	}

	db := r.Database
	db.ReadOnly, db.Sandbox = true, true
	if opt.Zone != nil {
		db.TimeZone = opt.Zone.String()
	}
	snapshot := r.Snapshot
	if opt.Snapshot != "" {
		snapshot = opt.Snapshot
	}
	req, err := json.Marshal(request{Snapshot: snapshot, Database: db, SQL: sql, MaxRows: opt.MaxRows,
		MaxBytes: opt.MaxBytes, Timeout: opt.Timeout, ProcessMemory: r.ProcessMemory})
	if err != nil {
		return nil, err
	}
	// The worker keeps its own time limit; this one stops a worker that
	// does not (a statement DuckDB cannot interrupt), a little later.
	wctx := ctx
	if opt.Timeout > 0 {
		var cancel context.CancelFunc
		wctx, cancel = context.WithTimeout(ctx, opt.Timeout+opt.Timeout/2+time.Second)
		defer cancel()
	}
	cmd := exec.CommandContext(wctx, r.Program, r.Args...)
	cmd.Env = r.Env
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	cmd.Stdin = bytes.NewReader(req)
	// The answer is the rows (at most MaxBytes of cells) and their framing.
	out := &capped{max: 2*opt.MaxBytes + 1<<20}
	if opt.MaxBytes <= 0 {
		out.max = 1 << 40
	}
	errOut := &capped{max: 16 << 10}
	cmd.Stdout, cmd.Stderr = out, errOut
	cmd.WaitDelay = 2 * time.Second
	start := time.Now()
	runErr := cmd.Run()
	switch {
	case wctx.Err() != nil && ctx.Err() == nil:
		return nil, timeLimit(opt.Timeout)
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case out.over:
		return nil, fmt.Errorf("query: the worker wrote more than %s", Bytes(out.max))
	}
	var resp response
	if runErr != nil || json.Unmarshal(out.Bytes(), &resp) != nil || resp.Result == nil && resp.Error == nil {
		status := "no answer"
		if runErr != nil {
			status = runErr.Error()
		}
		if strings.Contains(errOut.String(), "SIGABRT") { // Go reports an abort and exits 2
			status = "SIGABRT, " + status
		}
		detail := crashDetail(errOut.String())
		if strings.Contains(detail, "out of memory") || strings.Contains(detail, "cannot allocate memory") {
			detail = "it needed more memory than allowed (database.query_memory_limit): " + detail
		}
		return nil, &CrashError{Status: status, Detail: detail}
	}
	if e := resp.Error; e != nil {
		switch e.Kind {
		case "refused":
			return nil, &RefusedError{Reason: e.Message}
		case "syntax":
			return nil, &SyntaxError{Message: e.Message, Position: e.Position}
		case "unpublished":
			return nil, ErrNotPublished
		}
		return nil, errors.New(e.Message)
	}
	res := resp.Result
	res.Memory = peakMemory(cmd.ProcessState)
	if res.Duration == 0 {
		res.Duration = time.Since(start)
	}
	return res, nil
}

// crashDetail is what a dying worker said first: DuckDB's exception (its
// "what():" line), Go's fatal error, or the first line.
func crashDetail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if what, ok := strings.CutPrefix(l, "what():"); ok {
			what = strings.TrimSpace(what)
			var ex struct {
				Type    string `json:"exception_type"`
				Message string `json:"exception_message"`
			}
			if json.Unmarshal([]byte(what), &ex) == nil && ex.Message != "" {
				return ex.Type + ": " + ex.Message
			}
			return what
		}
		if strings.HasPrefix(l, "fatal error:") {
			return l
		}
	}
	if len(lines) > 0 && len(lines[0]) < 300 {
		return lines[0]
	}
	return ""
}

// Work is a worker process: it reads one request from in, runs it on the
// snapshot it names and writes the answer to out. Errors in the query are
// answers; Work returns an error only when it cannot answer at all.
func Work(ctx context.Context, in io.Reader, out io.Writer) error {
	var req request
	if err := json.NewDecoder(io.LimitReader(in, 64<<20)).Decode(&req); err != nil {
		return fmt.Errorf("query worker: read the request: %w", err)
	}
	if req.ProcessMemory > 0 {
		if err := limitMemory(req.ProcessMemory); err != nil {
			return fmt.Errorf("query worker: %w", err)
		}
	}
	resp := work(ctx, req)
	b, err := json.Marshal(resp)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}

func work(ctx context.Context, req request) response {
	opt := req.Database
	opt.ReadOnly, opt.Sandbox = true, true
	if _, err := os.Stat(req.Snapshot); errors.Is(err, os.ErrNotExist) {
		return response{Error: &workerError{Kind: "unpublished", Message: ErrNotPublished.Error()}}
	}
	db, err := store.Open(ctx, req.Snapshot, opt)
	if err != nil {
		return response{Error: &workerError{Kind: "failed", Message: err.Error()}}
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	zone := time.UTC
	if opt.TimeZone != "" {
		if z, err := time.LoadLocation(opt.TimeZone); err == nil {
			zone = z
		}
	}
	res, err := Run(ctx, db, req.SQL, Options{MaxRows: req.MaxRows, MaxBytes: req.MaxBytes, Timeout: req.Timeout, Zone: zone})
	var refused *RefusedError
	var syntax *SyntaxError
	switch {
	case err == nil:
		return response{Result: res}
	case errors.As(err, &refused):
		return response{Error: &workerError{Kind: "refused", Message: refused.Reason}}
	case errors.As(err, &syntax):
		return response{Error: &workerError{Kind: "syntax", Message: syntax.Message, Position: syntax.Position}}
	}
	return response{Error: &workerError{Kind: "failed", Message: err.Error()}}
}

// capped keeps at most max bytes and says whether more came.
type capped struct {
	bytes.Buffer
	max  int64
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - int64(c.Len()); int64(len(p)) > room {
		c.over = true
		if room > 0 {
			c.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return c.Buffer.Write(p)
}
