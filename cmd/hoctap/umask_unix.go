//go:build unix

package main

import "syscall"

// ownerOnly makes every file and folder this process creates its owner's
// only (umask 077): the database, its snapshot, the reports, the backups,
// DuckDB's write-ahead log and spill files hold people's names, ID numbers
// and scores. Others read them through the web app, with a login.
func ownerOnly() { syscall.Umask(0o077) }
