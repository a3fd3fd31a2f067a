package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/dmarc"
	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/app/cli"
	"github.com/authlens/authlens/internal/dnstest"
	"github.com/authlens/authlens/web"
)

// root is the module root, from this package's directory.
const root = ".."

// newServer starts the handler on a loopback httptest server.
func newServer(t testing.TB, cfg web.Config) *httptest.Server {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	cfg.Addr = ts.Listener.Addr().String()
	h, err := web.Handler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// post sends body to /api/analyze with the query q.
func post(t testing.TB, ts *httptest.Server, q string, body []byte) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Post(ts.URL+"/api/analyze"+q, "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// cliJSON runs `authlens --format json args...` and returns its output.
func cliJSON(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	err := cli.Run(context.Background(), append([]string{"--format", "json"}, args...), strings.NewReader(""), &out, &errb)
	if err != nil && out.Len() == 0 {
		t.Fatalf("authlens %v: %v: %s", args, err, errb.String())
	}
	return out.Bytes()
}

// samples lists the project's sample messages.
func samples(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.eml", "*.txt"} {
		m, err := filepath.Glob(filepath.Join(root, "testdata", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 5 {
		t.Fatalf("found only %d samples in testdata", len(files))
	}
	return files
}

// TestAPIParity: the API answers with exactly the bytes --format json
// writes for the same file, for every sample in testdata.
func TestAPIParity(t *testing.T) {
	ts := newServer(t, web.Config{})
	for _, path := range samples(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := cliJSON(t, path)
			resp, got := post(t, ts, "?source="+path, data)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, got)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("API and CLI records differ\nAPI: %s\nCLI: %s", got, want)
			}
		})
	}
}

// TestAPIParityStdin: without ?source the record is the one the CLI
// writes for the message on standard input ("-").
func TestAPIParityStdin(t *testing.T) {
	ts := newServer(t, web.Config{})
	data, err := os.ReadFile(filepath.Join(root, "testdata", "pasted-headers.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := cli.Run(context.Background(), []string{"--format", "json", "-"}, bytes.NewReader(data), &out, &errb); err != nil {
		t.Fatalf("%v: %s", err, errb.String())
	}
	_, got := post(t, ts, "", data)
	if !bytes.Equal(got, out.Bytes()) {
		t.Errorf("API and CLI records differ\nAPI: %s\nCLI: %s", got, out.Bytes())
	}
	var rec map[string]any
	if err := json.Unmarshal(got, &rec); err != nil || rec["source"] != "-" {
		t.Errorf("record %s (%v): want source -", got, err)
	}
}

// TestAPIMbox: a pasted mbox yields one record per message, as JSON
// Lines, named source#N as the CLI names them.
func TestAPIMbox(t *testing.T) {
	ts := newServer(t, web.Config{})
	var mbox bytes.Buffer
	for _, name := range []string{"gmail-dmarc-pass.eml", "m365-spoof.eml"} {
		data, err := os.ReadFile(filepath.Join(root, "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&mbox, "From sender@example.com Mon Oct 14 08:30:00 2024\n%s\n", bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")))
	}
	resp, got := post(t, ts, "?source=box.mbox", mbox.Bytes())
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/x-ndjson; charset=utf-8" {
		t.Fatalf("status %d, %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), got)
	}
	var sources, statuses []string
	sc := bufio.NewScanner(bytes.NewReader(got))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct {
			Source  string                  `json:"source"`
			Verdict struct{ Status string } `json:"verdict"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		sources = append(sources, rec.Source)
		statuses = append(statuses, rec.Verdict.Status)
	}
	if strings.Join(sources, " ") != "box.mbox#1 box.mbox#2" || strings.Join(statuses, " ") != "pass fail" {
		t.Errorf("records %v %v", sources, statuses)
	}
}

// TestAPINotMail: an Outlook .msg file gets the CLI's error record.
func TestAPINotMail(t *testing.T) {
	ts := newServer(t, web.Config{})
	msg := append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 504)...)
	resp, got := post(t, ts, "?source=mail.msg", msg)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, got)
	}
	var rec struct{ Source, Error string }
	if err := json.Unmarshal(got, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Source != "mail.msg" || !strings.Contains(rec.Error, "Outlook") {
		t.Errorf("record %s: want an error naming Outlook", got)
	}
}

// TestSecurityHeaders: every answer, the page and errors alike, carries
// the CSP and the other protective headers.
func TestSecurityHeaders(t *testing.T) {
	ts := newServer(t, web.Config{})
	for _, path := range []string{"/", "/app.js", "/app.css", "/api/info", "/missing"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if h.Get("Content-Security-Policy") != web.ContentSecurityPolicy || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", path, h)
		}
		if !strings.Contains(web.ContentSecurityPolicy, "default-src 'self'") || !strings.Contains(web.ContentSecurityPolicy, "'wasm-unsafe-eval'") || strings.Contains(web.ContentSecurityPolicy, "'unsafe-inline'") {
			t.Errorf("CSP %q", web.ContentSecurityPolicy)
		}
	}
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<textarea id="input"`) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("page: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestPageSelfContained: the embedded page refers to no other origin and
// has no inline script, style or event handler (the CSP would block them).
func TestPageSelfContained(t *testing.T) {
	for _, name := range []string{"index.html", "app.js", "app.css"} {
		b, err := fsRead(name)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, bad := range []string{"http://", "https://", "//cdn", "@import", "url(http", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
		if name == "index.html" {
			for _, bad := range []string{"<style", " style=", " onclick=", " onload=", "<script>"} {
				if strings.Contains(s, bad) {
					t.Errorf("index.html contains %q", bad)
				}
			}
		}
	}
}

func fsRead(name string) ([]byte, error) {
	f, err := web.Assets().Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// TestHostCheck: a Host other than the bound loopback name or address is
// refused (DNS rebinding), for the page and the API alike.
func TestHostCheck(t *testing.T) {
	ts := newServer(t, web.Config{Host: "127.0.0.1"})
	port := ts.Listener.Addr().(interface{ String() string }).String()
	_, p, _ := strings.Cut(port, ":")
	cases := []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1:" + p, true},
		{"localhost:" + p, true},
		{"LOCALHOST:" + p, true},
		{"evil.example:" + p, false},
		{"rebind.127.0.0.1.nip.io:" + p, false},
		{"127.0.0.1", false},
		{"127.0.0.1:1", false},
	}
	for _, tc := range cases {
		for _, method := range []string{"GET", "POST"} {
			path := "/"
			if method == "POST" {
				path = "/api/analyze"
			}
			req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader("From: a@b.example\n\n"))
			req.Host = tc.host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if got := resp.StatusCode != http.StatusMisdirectedRequest; got != tc.ok {
				t.Errorf("%s Host %q: status %d, want allowed=%v: %s", method, tc.host, resp.StatusCode, tc.ok, body)
			}
			if !tc.ok && bytes.Contains(body, []byte("From:")) {
				t.Errorf("refusal echoes the request")
			}
		}
	}
}

// TestOriginCheck: a cross-origin POST is refused, by Origin or by
// Sec-Fetch-Site; a same-origin one and a non-browser client (no Origin)
// are served.
func TestOriginCheck(t *testing.T) {
	ts := newServer(t, web.Config{})
	cases := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"no origin (curl)", nil, 200},
		{"same origin", map[string]string{"Origin": ts.URL, "Sec-Fetch-Site": "same-origin"}, 200},
		{"same origin, no fetch metadata", map[string]string{"Origin": ts.URL}, 200},
		{"cross-site fetch", map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}, 403},
		{"same-site other port", map[string]string{"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site"}, 403},
		{"cross origin without fetch metadata", map[string]string{"Origin": "http://evil.example"}, 403},
		{"null origin", map[string]string{"Origin": "null"}, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", ts.URL+"/api/analyze", strings.NewReader("From: a@b.example\n\n"))
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tc.want, body)
			}
		})
	}
	resp, err := http.Get(ts.URL + "/api/analyze")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/analyze: %d", resp.StatusCode)
	}
}

// TestSizeLimit: a body over --max-message-size is refused with 413,
// whether its length is announced or streamed; one at the limit is
// analysed.
func TestSizeLimit(t *testing.T) {
	const max = 4096
	ts := newServer(t, web.Config{MaxMessageSize: max})
	msg := []byte("From: a@b.example\nSubject: x\n\n")
	atLimit := append(msg, bytes.Repeat([]byte("y"), max-len(msg))...)
	resp, body := post(t, ts, "", atLimit)
	if resp.StatusCode != 200 {
		t.Errorf("at the limit: %d %s", resp.StatusCode, body)
	}
	over := append(atLimit, 'z')
	resp, body = post(t, ts, "", over)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(body, []byte("4096 bytes")) {
		t.Errorf("over the limit: %d %s", resp.StatusCode, body)
	}
	// Chunked: no Content-Length to refuse up front.
	pr, pw := io.Pipe()
	go func() { pw.Write(over); pw.Close() }()
	req, _ := http.NewRequest("POST", ts.URL+"/api/analyze", pr)
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked over the limit: %d", r2.StatusCode)
	}
}

// TestTimeLimit: an analysis that outlives the timeout is stopped with a
// clear error.
func TestTimeLimit(t *testing.T) {
	slow := slowResolver{delay: 2 * time.Second}
	ts := newServer(t, web.Config{Timeout: 100 * time.Millisecond, Online: &authlens.Options{Resolver: slow, DMARCMode: dmarc.ModeBis}})
	data, err := os.ReadFile(filepath.Join(root, "testdata", "online-signed.eml"))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	resp, body := post(t, ts, "?online=1", data)
	if resp.StatusCode != http.StatusServiceUnavailable || !bytes.Contains(body, []byte("longer than 100ms")) {
		t.Errorf("status %d: %s", resp.StatusCode, body)
	}
	if time.Since(start) > 1500*time.Millisecond {
		t.Errorf("the request was not stopped at its deadline (took %s)", time.Since(start))
	}
}

// slowResolver answers nothing until its delay passes or ctx ends.
type slowResolver struct{ delay time.Duration }

func (s slowResolver) wait(ctx context.Context) error {
	select {
	case <-time.After(s.delay):
		return fmt.Errorf("slow resolver: no answer")
	case <-ctx.Done():
		return ctx.Err()
	}
}
func (s slowResolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	return nil, s.wait(ctx)
}
func (s slowResolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	return nil, s.wait(ctx)
}
func (s slowResolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return nil, s.wait(ctx)
}
func (s slowResolver) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	return nil, s.wait(ctx)
}

// TestOnline: ?online=1 runs the live checks with the server's DNS
// settings; the record equals the CLI's with the same flags. The DNS
// answers come from a zone file replay and from a real DNS server on
// loopback.
func TestOnline(t *testing.T) {
	zone := filepath.Join(root, "testdata", "online.zone")
	msg := filepath.Join(root, "testdata", "online-signed.eml")
	data, err := os.ReadFile(msg)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := dnsclient.LoadZoneFile(zone, "")
	if err != nil {
		t.Fatal(err)
	}
	ts := newServer(t, web.Config{Online: &authlens.Options{Resolver: zr, DMARCMode: dmarc.ModeBis}})
	want := cliJSON(t, "--online", "--dns-zone", zone, msg)
	resp, got := post(t, ts, "?online=1&source="+msg, data)
	if resp.StatusCode != 200 || !bytes.Equal(got, want) {
		t.Errorf("online API and CLI differ (status %d)\nAPI: %s\nCLI: %s", resp.StatusCode, got, want)
	}
	if !bytes.Contains(got, []byte(`"spf_evaluated"`)) {
		t.Errorf("no live SPF check: %s", got)
	}
	_, offline := post(t, ts, "?online=0", data)
	if bytes.Contains(offline, []byte(`"spf_evaluated"`)) || bytes.Contains(offline, []byte(`"dns"`)) {
		t.Errorf("online=0 made live checks: %s", offline)
	}

	// A real DNS server on loopback, through the serve command itself.
	z := dnstest.NewZone().AddTXT("example.com", "v=spf1 -all").AddTXT("_dmarc.example.com", "v=DMARC1; p=reject")
	dns := dnstest.StartServer(t, z)
	base := startServe(t, "--dns-server", dns.Addr)
	resp, err = http.Post(base+"api/analyze?online=1", "message/rfc822", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	var rec struct {
		SPF   struct{ Result string }         `json:"spf_evaluated"`
		DMARC struct{ Result, Policy string } `json:"dmarc_evaluated"`
	}
	if err := json.Unmarshal(got, &rec); err != nil {
		t.Fatalf("%v: %s", err, got)
	}
	if rec.SPF.Result != "fail" || rec.DMARC.Result != "fail" || rec.DMARC.Policy != "reject" {
		t.Errorf("live checks against the loopback DNS server: %s", got)
	}
	if dns.Count("") == 0 && dns.Count(dnstest.TransportUDP) == 0 {
		t.Error("the DNS server saw no query")
	}
}

// TestOnlineUnavailable: without a resolver, ?online=1 says why.
func TestOnlineUnavailable(t *testing.T) {
	ts := newServer(t, web.Config{OnlineErr: "DNS: no servers"})
	resp, body := post(t, ts, "?online=1", []byte("From: a@b.example\n\n"))
	if resp.StatusCode != http.StatusServiceUnavailable || !bytes.Contains(body, []byte("no servers")) {
		t.Errorf("status %d: %s", resp.StatusCode, body)
	}
}

// syncBuffer is a bytes.Buffer safe for the serve goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `authlens serve --addr 127.0.0.1:0 args...` until the
// test ends and returns the page's URL.
func startServe(t testing.TB, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- cli.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), nil, &out, &errb)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if s := out.String(); strings.Contains(s, "serving http://") {
			_, rest, _ := strings.Cut(s, "serving ")
			url, _, _ := strings.Cut(rest, " ")
			return url
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v: %s", err, errb.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start: %s %s", out.String(), errb.String())
	return ""
}

// TestServeCommand: the command serves the page on loopback, refuses a
// foreign Host, and warns when asked to listen elsewhere.
func TestServeCommand(t *testing.T) {
	base := startServe(t)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("URL %q", base)
	}
	resp, err := http.Get(base)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("page: %d", resp.StatusCode)
	}
	resp, err = http.Get(base + "api/info")
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Engine         string `json:"engine"`
		MaxMessageSize int64  `json:"max_message_size"`
	}
	json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if info.Engine != "server" || info.MaxMessageSize != 64<<20 {
		t.Errorf("info %+v", info)
	}

	var out, errb bytes.Buffer
	err = cli.Run(context.Background(), []string{"serve", "--addr", "nonsense"}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "--addr") {
		t.Errorf("bad --addr: %v", err)
	}
	err = cli.Run(context.Background(), []string{"serve", "extra"}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "no arguments") {
		t.Errorf("extra argument: %v", err)
	}
	out.Reset()
	if err := cli.Run(context.Background(), []string{"serve", "--help"}, nil, &out, &errb); err != nil || !strings.Contains(out.String(), "--addr") {
		t.Errorf("help: %v %s", err, out.String())
	}
}
