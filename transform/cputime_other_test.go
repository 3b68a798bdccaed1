//go:build !unix

package transform

func cpuTime() float64 { return 0 }
