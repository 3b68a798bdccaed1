//go:build unix

package schedule

import (
	"errors"
	"syscall"
)

// gone reports whether no process has the id pid on this machine.
func gone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
