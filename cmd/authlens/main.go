package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"

	"github.com/authlens/authlens/internal/app/cli"
)

func main() {
	cli.TuneGC(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	var coded interface{ ExitCode() int }
	switch {
	case err == nil:
	case errors.As(err, &coded):
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(os.Stderr, "authlens:", msg)
		}
		os.Exit(coded.ExitCode())
	default:
		fmt.Fprintln(os.Stderr, "authlens:", err)
		os.Exit(1)
	}
}
