//go:build unix

package query

import (
	"os"
	"runtime"
	"syscall"
)

// limitMemory caps this process's data segment, which holds the heap of Go
// and of DuckDB: an allocation beyond it fails, and the worker ends instead
// of the machine swapping. (macOS ignores it.)
func limitMemory(n int64) error {
	lim := &syscall.Rlimit{Cur: uint64(n), Max: uint64(n)}
	if err := syscall.Setrlimit(syscall.RLIMIT_DATA, lim); err != nil && runtime.GOOS == "linux" {
		return err
	}
	return nil
}

// peakMemory is a finished process's peak resident memory in bytes.
func peakMemory(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes there
	}
	return ru.Maxrss << 10 // KiB on Linux and the BSDs
}
