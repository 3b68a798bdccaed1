//go:build !unix

package wardfile

func cpuTime() float64 { return 0 }
