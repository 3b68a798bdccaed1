//go:build !unix

package ingest

func cpuTime() float64 { return 0 }
