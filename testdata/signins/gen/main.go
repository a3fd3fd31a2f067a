// Command gen writes the synthetic tenant week of Entra sign-ins (see
// package signinstest) in every export layout:
//
//	go run ./testdata/signins/gen -out /tmp/week
//
// then, for example: authlens signins /tmp/week/portal-csv
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/authlens/authlens/signins/signinstest"
)

func main() {
	out := flag.String("out", "signins-week", "directory to write the exports into")
	maxRows := flag.Int("max-rows", 100000, "rows per portal CSV file (the portal caps downloads at 100 000)")
	flag.Parse()
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		fmt.Fprintf(os.Stderr, "gen: %s is not empty; name a new directory, so older files are not read with the new ones\n", *out)
		os.Exit(2)
	}
	ev := signinstest.Week()
	if err := signinstest.WriteAll(*out, ev, *maxRows); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("%d sign-ins written under %s\n", len(ev), *out)
}
