// Command prof runs the authlens command line in-process, as cmd/authlens
// does, and reports what it allocated: on standard error, a line
// "prof: MALLOCS BYTES" with the number of heap allocations and bytes
// allocated over the whole run. With -cpuprofile or -memprofile it also
// writes pprof profiles, for finding where the time of a run goes.
//
// Usage:
//
//	prof [-cpuprofile FILE] [-memprofile FILE] -- AUTHLENS-ARGS...
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/authlens/authlens/internal/app/cli"
)

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile to `FILE`")
	mem := flag.String("memprofile", "", "write an allocation profile to `FILE`")
	flag.Parse()
	cli.TuneGC(os.Getenv) // as cmd/authlens does
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			fmt.Fprintln(os.Stderr, "prof:", err)
			os.Exit(2)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "prof:", err)
			os.Exit(2)
		}
	}
	err := cli.Run(context.Background(), flag.Args(), os.Stdin, os.Stdout, os.Stderr)
	if *cpu != "" {
		pprof.StopCPUProfile()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if *mem != "" {
		f, ferr := os.Create(*mem)
		if ferr == nil {
			ferr = pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
		if ferr != nil {
			fmt.Fprintln(os.Stderr, "prof:", ferr)
		}
	}
	fmt.Fprintf(os.Stderr, "prof: %d %d\n", ms.Mallocs, ms.TotalAlloc)
	if err != nil {
		fmt.Fprintln(os.Stderr, "prof: authlens:", err)
		os.Exit(1)
	}
}
