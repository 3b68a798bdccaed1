//go:build !unix

package query

import "os"

func limitMemory(int64) error { return nil }

func peakMemory(*os.ProcessState) int64 { return 0 }
