// Command hoctap turns the spreadsheets ward offices send into a city's monthly
// report on its learning-citizen programme, and keeps every number queryable in SQL.
//
// This package is the only place that wires the stages together: it reads flags
// and the configuration, opens the store, passes the clock in, and maps errors to
// exit codes (0 ok, 1 the data or the request is wrong, 2 usage, 3 internal).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/pipeline"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/transform"
)

// Exit codes.
const (
	exitOK       = 0
	exitData     = 1 // the data or the request is wrong; the message says what
	exitUsage    = 2
	exitInternal = 3
)

func main() {
	ownerOnly()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := profile(os.Getenv("HOCTAP_CPUPROFILE"))
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, time.Now)
	stopProfile()
	stop()
	os.Exit(report(err, os.Stderr))
}

// profile writes the Go processor profile of the command to path when path is
// set (script/bench-e2e's HOCTAP_PROFILE): where a command spends its time,
// for `go tool pprof`. DuckDB's own work shows as its cgo calls.
func profile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "hoctap: HOCTAP_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// report prints err for the person at the terminal and returns the exit code.
func report(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var (
		usage  *usageError
		cfgErr *config.Error
		data   *dataError
		locked *store.LockedError
		pipe   *pipeline.Error
	)
	switch {
	case errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "hoctap: %v\n", err)
		if usage.cmd != nil {
			fmt.Fprintf(stderr, "usage: %s\n(hoctap help %s)\n", usage.cmd.usage, usage.cmd.name)
		} else {
			fmt.Fprintln(stderr, "(hoctap help lists the commands)")
		}
		return exitUsage
	case errors.As(err, &cfgErr), errors.As(err, &data), errors.As(err, &locked), errors.As(err, &pipe), errors.Is(err, transform.ErrTestsFailed):
		fmt.Fprintf(stderr, "hoctap: %v\n", err)
		return exitData
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "hoctap: stopped")
		return exitInternal
	default:
		fmt.Fprintf(stderr, "hoctap: internal error: %v\n", err)
		return exitInternal
	}
}

// usageError is a command line that cannot be understood.
type usageError struct {
	cmd *command
	msg string
}

func (e *usageError) Error() string { return e.msg }

func usagef(cmd *command, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// dataError is a request or data that is wrong in a way the user can fix.
type dataError struct{ msg string }

func (e *dataError) Error() string { return e.msg }

func dataf(format string, args ...any) error { return &dataError{msg: fmt.Sprintf(format, args...)} }

var errHelpShown = errors.New("help shown")
