// Package web is authlens' local web page: an HTTP handler serving one
// self-contained page (embedded in the binary) and POST /api/analyze,
// which returns exactly the JSON record `authlens --format json` writes
// for the same input. Nothing leaves the machine: the page loads no
// external script, font or style, and the server listens on loopback.
//
// The page shows hostile text (attackers write the headers), so it inserts
// every header-derived string as text, never as HTML, and the server sends
// a Content-Security-Policy that allows only its own scripts. Requests
// whose Host is not the bound name (DNS rebinding) and cross-origin POSTs
// are refused. Messages are analysed in memory and never written to disk
// or to a log.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/web/engine"
)

//go:embed assets
var assets embed.FS

// Assets returns the page's files (index.html, app.js, app.css): the same
// files the static WebAssembly build is made of.
func Assets() fs.FS {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}

// DefaultMaxMessageSize is the largest request body accepted by default,
// the batch mode's --max-message-size default.
const DefaultMaxMessageSize = 64 << 20

// DefaultTimeout bounds one analysis by default.
const DefaultTimeout = 30 * time.Second

// ContentSecurityPolicy is sent with every response and repeated in the
// page's meta element (for the static build): only the page's own
// scripts, styles and the WebAssembly module run; no inline script, no
// plug-ins, no framing, no form posts elsewhere.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Config configures the handler.
type Config struct {
	// Addr is the address the server listens on, as bound (host:port,
	// the host an IP address). Requests must name it, or the name in
	// Host, as their Host.
	Addr string
	// Host is the host name the user asked to listen on ("localhost",
	// "127.0.0.1"); it is accepted as a Host header too.
	Host string
	// Options are the library options for offline analysis.
	Options authlens.Options
	// Online are the options for ?online=1 (a resolver set); nil when
	// online checks are unavailable, and OnlineErr says why.
	Online    *authlens.Options
	OnlineErr string
	// MaxMessageSize bounds a request body and each message in it;
	// zero means DefaultMaxMessageSize.
	MaxMessageSize int64
	// Timeout bounds one analysis; zero means DefaultTimeout.
	Timeout time.Duration
	// Version is reported by /api/info.
	Version string
}

// Handler returns the web page's HTTP handler.
func Handler(cfg Config) (http.Handler, error) {
	if cfg.MaxMessageSize <= 0 {
		cfg.MaxMessageSize = DefaultMaxMessageSize
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	hosts, err := allowedHosts(cfg.Addr, cfg.Host)
	if err != nil {
		return nil, err
	}
	s := &server{cfg: cfg, hosts: hosts}
	if host, port, _ := net.SplitHostPort(cfg.Addr); net.ParseIP(host) != nil && net.ParseIP(host).IsUnspecified() {
		s.anyIPPort = port
	}
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServerFS(Assets()))
	mux.HandleFunc("GET /api/info", s.info)
	mux.HandleFunc("POST /api/analyze", s.analyze)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/analyze" {
			w.Header().Set("Allow", "POST")
			httpError(w, http.StatusMethodNotAllowed, "POST the message to /api/analyze")
			return
		}
		httpError(w, http.StatusNotFound, "no such API: "+r.URL.Path)
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpError(w, http.StatusForbidden, "cross-origin request refused: the page may only be used from its own origin")
	}))
	return s.guard(cop.Handler(mux)), nil
}

type server struct {
	cfg   Config
	hosts map[string]bool
	// anyIPPort is set when listening on every address (0.0.0.0, ::):
	// then any IP literal with this port is an acceptable Host, since a
	// literal address cannot be rebound.
	anyIPPort string
}

// hostAllowed reports whether a request's Host names this server.
func (s *server) hostAllowed(h string) bool {
	h = strings.ToLower(h)
	if s.hosts[h] {
		return true
	}
	if s.anyIPPort == "" {
		return false
	}
	host, port, err := net.SplitHostPort(h)
	return err == nil && port == s.anyIPPort && net.ParseIP(host) != nil
}

// guard sets the security headers on every response and refuses a Host
// that is not the server's own name: a page on another site cannot reach
// the server through a DNS name rebound to 127.0.0.1 (DNS rebinding).
func (s *server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if !s.hostAllowed(r.Host) {
			httpError(w, http.StatusMisdirectedRequest, fmt.Sprintf("host %q refused: open the page as http://%s/", r.Host, s.cfg.Addr))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// info tells the page it is served by authlens (so it uses the API rather
// than the WebAssembly engine) and what the server can do.
func (s *server) info(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"engine":           "server",
		"version":          s.cfg.Version,
		"online":           s.cfg.Online != nil,
		"online_error":     s.cfg.OnlineErr,
		"max_message_size": s.cfg.MaxMessageSize,
	})
}

// analyze answers POST /api/analyze: the body is the raw message (or a
// pasted header block, or a mailbox file); the answer is its JSON record
// (one line per message). ?online=1 adds the live checks; ?source=NAME
// names the input in the record (a dropped file's name), "-" by default.
func (s *server) analyze(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	opts := s.cfg.Options
	if online, _ := strconv.ParseBool(q.Get("online")); online {
		if s.cfg.Online == nil {
			httpError(w, http.StatusServiceUnavailable, "online checks are unavailable: "+s.cfg.OnlineErr)
			return
		}
		opts = *s.cfg.Online
	}
	if r.ContentLength > s.cfg.MaxMessageSize {
		httpError(w, http.StatusRequestEntityTooLarge, tooLarge(s.cfg.MaxMessageSize))
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxMessageSize))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			httpError(w, http.StatusRequestEntityTooLarge, tooLarge(s.cfg.MaxMessageSize))
			return
		}
		httpError(w, http.StatusBadRequest, "reading the request: "+err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
	defer cancel()
	res, err := engine.Analyze(ctx, engine.Request{Data: data, Source: sourceName(q.Get("source")), Options: opts, MaxMessageSize: s.cfg.MaxMessageSize})
	if err == nil {
		// Checks cut short by the deadline would show as temporary
		// failures: the record would not be the message's.
		err = ctx.Err()
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			httpError(w, http.StatusServiceUnavailable, fmt.Sprintf("the analysis took longer than %s and was stopped", s.cfg.Timeout))
			return
		}
		httpError(w, http.StatusInternalServerError, "analysis stopped: "+err.Error())
		return
	}
	ct := "application/json; charset=utf-8"
	if res.Records != 1 {
		ct = "application/x-ndjson; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(res.JSON)))
	w.WriteHeader(http.StatusOK)
	w.Write(res.JSON)
}

// sourceName keeps a client-given input name printable and short.
func sourceName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return -1
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

func tooLarge(max int64) string {
	return fmt.Sprintf("the input is larger than the limit of %d bytes (--max-message-size)", max)
}

// httpError writes {"error": msg} with status code.
func httpError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// allowedHosts lists the Host header values the server answers to: the
// bound address, and the name it was asked to listen on; for a loopback
// address also "localhost" and the loopback literals of its family.
func allowedHosts(addr, name string) (map[string]bool, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("web: listen address %q: %w", addr, err)
	}
	hosts := map[string]bool{}
	add := func(h string) {
		if h == "" {
			return
		}
		hosts[strings.ToLower(net.JoinHostPort(h, port))] = true
		if port == "80" {
			hosts[strings.ToLower(h)] = true
		}
	}
	add(host)
	add(name)
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		add("localhost")
	}
	return hosts, nil
}
