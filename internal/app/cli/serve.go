package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"time"

	"github.com/spf13/pflag"

	"github.com/authlens/authlens/web"
)

const serveUsage = `Serve the authlens web page on this machine: paste headers (or drop an
.eml file), see the verdict and why. Nothing is sent anywhere: the page
is embedded in authlens, loads nothing from the network, and talks only
to this server.

Usage:
  authlens serve [--addr 127.0.0.1:8025] [--open] [flags]

The server listens on loopback. Another address is used only when named
with --addr, with a warning: anyone who can reach it can submit messages.
POST /api/analyze takes a raw message (or a header block) as its body and
answers with the record --format json writes for it; ?online=1 adds the
live checks, made with the DNS flags below.

Examples:
  authlens serve --open                     open the page in the browser
  authlens serve --addr 127.0.0.1:9000
  authlens serve --dns-zone testdata/online.zone   online checks replayed from a zone file
  curl --data-binary @m.eml http://127.0.0.1:8025/api/analyze

Flags:
%s`

// serveConfig holds the serve command's flags.
type serveConfig struct {
	addr    string
	open    bool
	trust   []string
	timeout time.Duration
	help    bool
	batch   batchConfig
	online  onlineConfig
}

// runServe serves the web page until ctx is cancelled (Ctrl+C).
func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var c serveConfig
	fs := pflag.NewFlagSet("authlens serve", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {}
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8025", "address to listen on (host:port); loopback unless named otherwise")
	fs.BoolVar(&c.open, "open", false, "open the page in the default browser")
	fs.StringSliceVar(&c.trust, "trust", nil, "trust Authentication-Results from these receivers (authserv-id or parent domain)")
	fs.DurationVar(&c.timeout, "timeout", web.DefaultTimeout, "time allowed for one analysis")
	fs.Int64Var(&c.batch.maxMessageSize, "max-message-size", web.DefaultMaxMessageSize, "largest request (message) accepted, in bytes")
	addOnlineFlags(fs, &c.online)
	if err := fs.MarkHidden("online"); err != nil {
		return err
	}
	fs.BoolVarP(&c.help, "help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError(fmt.Sprintf("%v (see authlens serve --help)", err))
	}
	if c.help {
		fmt.Fprintf(stdout, serveUsage, fs.FlagUsages())
		return nil
	}
	if fs.NArg() > 0 {
		return usageError(fmt.Sprintf("serve takes no arguments, not %q (see authlens serve --help)", fs.Arg(0)))
	}
	if c.batch.maxMessageSize < 1 {
		return usageError(fmt.Sprintf("--max-message-size must be positive, not %d", c.batch.maxMessageSize))
	}
	if c.timeout <= 0 {
		return usageError(fmt.Sprintf("--timeout must be positive, not %s", c.timeout))
	}
	if err := c.online.validate(); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return usageError(fmt.Sprintf("--addr must be host:port, not %q", c.addr))
	}

	wcfg := web.Config{
		Host:           host,
		MaxMessageSize: c.batch.maxMessageSize,
		Timeout:        c.timeout,
		Version:        version(),
	}
	base := config{trust: c.trust}
	wcfg.Options = base.analyzeOptions()
	if err := c.online.open(); err != nil {
		wcfg.OnlineErr = err.Error()
	} else {
		on := config{trust: c.trust, online: c.online}
		on.online.online = true
		opts := on.analyzeOptions()
		wcfg.Online = &opts
	}

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", c.addr)
	if err != nil {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("serve: %v", err)}
	}
	defer ln.Close()
	wcfg.Addr = ln.Addr().String()
	if !isLoopback(host) {
		fmt.Fprintf(stderr, "authlens serve: warning: listening on %s, which is not loopback: anyone who can reach it can submit messages to this server\n", wcfg.Addr)
	}
	h, err := web.Handler(wcfg)
	if err != nil {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("serve: %v", err)}
	}
	url := "http://" + wcfg.Addr + "/"
	if host == "localhost" {
		url = "http://" + net.JoinHostPort("localhost", portOf(wcfg.Addr)) + "/"
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      c.timeout + 2*time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(stdout, "authlens: serving %s (Ctrl+C to stop)\n", url)
	if c.open {
		if err := openBrowser(url); err != nil {
			fmt.Fprintf(stderr, "authlens serve: could not open a browser (%v); open %s yourself\n", err, url)
		}
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return &exitError{code: exitFailed, msg: fmt.Sprintf("serve: %v", err)}
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("serve: %v", err)}
	}
	return nil
}

// isLoopback reports whether host names the loopback interface.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// openBrowser opens url in the desktop's default browser.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}
