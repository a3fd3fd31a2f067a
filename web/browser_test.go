package web_test

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/authlens/authlens/internal/app/cli"
	"github.com/authlens/authlens/web"
)

// The page's screenshot in the README is regenerated with
//
//	go test ./web -run TestBrowser -update-screenshot
var updateScreenshot = flag.Bool("update-screenshot", false, "rewrite docs/web-page.png from the browser test")

// findBrowser returns a Chromium or Chrome binary, or "" when none is
// installed. AUTHLENS_CHROME names one explicitly.
func findBrowser() string {
	if p := os.Getenv("AUTHLENS_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless browser for the test, at 1280×800.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := findBrowser()
	if path == "" {
		if os.Getenv("AUTHLENS_REQUIRE_BROWSER") != "" {
			t.Fatal("AUTHLENS_REQUIRE_BROWSER is set but no Chromium or Chrome was found")
		}
		t.Skip("no Chromium or Chrome found (install Debian's chromium package, or set AUTHLENS_CHROME): browser test skipped")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.WindowSize(1280, 800),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// hostileMessage carries markup, a javascript: URL and bidi overrides in
// every header the page shows. Rendered as text, none of it runs.
const hostileMessage = "Authentication-Results: mx.victim.example;\r\n" +
	"\tspf=fail (<img src=x onerror=\"window.__pwned='ar'\">) smtp.mailfrom=evil.example;\r\n" +
	"\tdkim=none (<script>window.__pwned='ar-script'</script>) header.d=evil.example;\r\n" +
	"\tdmarc=fail (javascript:window.__pwned='js' \u202egnp.exe) header.from=bank.example\r\n" +
	"Received: from <script>window.__pwned='helo'</script> (evil.example [203.0.113.9])\r\n" +
	"\tby mx.victim.example with ESMTP id <img src=x onerror=alert(1)>; Mon, 14 Oct 2024 08:30:00 +0000\r\n" +
	"X-Forefront-Antispam-Report: CIP:203.0.113.9;CTRY:<b>XX</b>;H:<img src=x onerror=\"window.__pwned='h'\">;SFV:SPM;\r\n" +
	"From: \"<script>window.__pwned='from'</script> \u202eknaB\" <security@bank.example>\r\n" +
	"Reply-To: \"<a href='javascript:window.__pwned=1'>click</a>\" <javascript:alert(1)@evil.example>\r\n" +
	"Subject: <img src=x onerror=\"window.__pwned='subject'\"> Account \u202eexe.fdp\r\n" +
	"Date: Mon, 14 Oct 2024 08:29:00 +0000\r\n" +
	"Message-ID: <\"><svg onload=\"window.__pwned='mid'\">@evil.example>\r\n" +
	"\r\n" +
	"<script>window.__pwned='body'</script>\r\n"

// pageFlow pastes each sample into the page at url, analyses it and checks
// what the page shows; engineText is what the engine line must contain.
func pageFlow(t *testing.T, ctx context.Context, url, engineText string) {
	t.Helper()
	var cliOut, cliErr strings.Builder
	if err := cli.Run(context.Background(), []string{"--format", "json", "-"}, strings.NewReader(string(spoofLF(t))), &cliOut, &cliErr); err != nil {
		t.Fatalf("%v: %s", err, cliErr.String())
	}
	pageFlowChecks(t, ctx, url, engineText, cliOut.String())
}

func pageFlowChecks(t *testing.T, ctx context.Context, url, engineText, wantJSON string) {
	t.Helper()
	spoof, err := os.ReadFile(filepath.Join(root, "testdata", "m365-spoof.eml"))
	if err != nil {
		t.Fatal(err)
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("open the page", chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.ID("input")),
	))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf("document.getElementById('engine').textContent.includes(%q)", engineText), chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		engine, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("engine")))
		t.Fatalf("engine not ready (%q): %v", engine, err)
	}
	engine, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("engine")))
	t.Logf("engine: %s", engine)

	// Paste a sample, press Analyze, wait for the verdict.
	must("analyze", chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("input"), string(spoof)),
		chromedp.Click(chromedp.ID("analyze")),
		chromedp.WaitVisible(chromedp.ID("results")),
	))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('verdict-status').textContent !== ''`, chromedp.WithPollingTimeout(10*time.Second)))
	must("verdict", err)
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("verdict-status")))
	must("verdict status", err)
	summary, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("verdict-summary")))
	if status != "FAIL" || !strings.Contains(summary, "Not authenticated as bank.example") {
		t.Errorf("verdict %q %q", status, summary)
	}
	hops, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#received table.hops tbody tr')].map(r => r.className + '|' + r.cells[1].textContent + '|' + r.cells[2].textContent)`))
	must("hop table", err)
	if len(hops) != 3 || !strings.HasPrefix(hops[0], "entry|mailer.cheap-hosting.example") || !strings.Contains(hops[0], "203.0.113.66") || !strings.Contains(hops[2], "AS8PR04MB5678.eurprd04.prod.outlook.com") {
		t.Errorf("hop table rows: %q", hops)
	}
	bars, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#received .bar').length`))
	if bars != 2 {
		t.Errorf("%d delay bars, want 2 (the first hop has no delay)", bars)
	}
	findings, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#findings li .code')].map(e => e.textContent)`))
	if len(findings) != 8 || findings[0] != "dmarc-fail" || findings[len(findings)-1] != "untrusted-auth-results" {
		t.Errorf("findings %q", findings)
	}
	compauth, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("compauth")))
	if !strings.Contains(compauth, "reason 000") || !strings.Contains(compauth, "documented") {
		t.Errorf("compauth %q", compauth)
	}
	raw, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`authlensPage.state.rawText`))
	if raw != wantJSON {
		t.Errorf("the page's record differs from the CLI's for the same input\npage: %s\nCLI:  %s", raw, wantJSON)
	}
	ticket, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`authlensPage.summaryText(authlensPage.state.records[0])`))
	if !strings.HasPrefix(ticket, "authlens verdict: FAIL — Not authenticated as bank.example") || !strings.Contains(ticket, "[high] dmarc-fail") {
		t.Errorf("ticket summary %q", ticket)
	}
	shot(t, ctx, "light", false)
	must("copy summary", chromedp.Do(ctx, chromedp.Click(chromedp.ID("copy"))))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('status').textContent.includes('copied')`, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		st, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("status")))
		t.Errorf("Copy summary: status %q", st)
	}

	// Dark mode and a narrow window.
	must("dark", chromedp.Do(ctx, darkMode(true)))
	shot(t, ctx, "dark", false)
	must("narrow", chromedp.Do(ctx, chromedp.EmulateViewport(420, 800)))
	overflow, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if overflow {
		t.Error("the page scrolls sideways in a 420 px window")
	}
	shot(t, ctx, "narrow-dark", false)
	must("scroll", chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`document.getElementById('h-received').scrollIntoView(), true`)(ctx, tg)
		return err
	})))
	shot(t, ctx, "narrow-received", false)
	must("reset", chromedp.Do(ctx, darkMode(false), chromedp.EmulateViewport(1280, 800)))

	// The hostile message, analysed with Ctrl+Enter from the keyboard.
	must("hostile", chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("input"), strings.ReplaceAll(hostileMessage, "\r\n", "\n")),
		chromedp.Focus(chromedp.ID("input")),
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
	))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`authlensPage.state.records.length > 0 && (authlensPage.state.records[0].verdict||{}).basis === 'mx.victim.example' && document.getElementById('verdict-basis').textContent.includes('mx.victim.example') && document.getElementById('verdict-status').textContent === 'FAIL'`, chromedp.WithPollingTimeout(10*time.Second)))
	must("hostile verdict (Ctrl+Enter)", err)
	pwned, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.__pwned)`))
	if pwned != "undefined" {
		t.Errorf("a script from the message ran: window.__pwned = %q", pwned)
	}
	injected, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#results img, #results script, #results svg, #results a, #results b, #results iframe').length`))
	if injected != 0 {
		t.Errorf("%d elements from header text were created", injected)
	}
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('results').textContent`))
	for _, want := range []string{`<img src=x onerror="window.__pwned='ar'">`, "<script>window.__pwned='ar-script'</script>", "javascript:window.__pwned='js'"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not show %q as text", want)
		}
	}
	// From's display name and Subject, when the record carries them.
	shown, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => { const r = authlensPage.state.records[0]; return [((r.message||{}).subject)||'', (r.from||{}).name||'', document.getElementById('message').textContent]; })()`))
	if len(shown) == 3 {
		if shown[0] != "" && !strings.Contains(shown[2], `<img src=x onerror="window.__pwned='subject'"> Account`) {
			t.Errorf("Subject not shown as text: %q", shown[2])
		}
		if shown[1] != "" && !strings.Contains(shown[2], "<script>window.__pwned='from'</script>") {
			t.Errorf("From display name not shown as text: %q", shown[2])
		}
	}
	if strings.ContainsAny(text, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
		t.Error("a bidi override reached the page")
	}
	shot(t, ctx, "hostile", true)

	// Drag and drop: an Outlook .msg file gets a clear message; an .eml
	// file is analysed under its name.
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([new Uint8Array([0xd0,0xcf,0x11,0xe0,0xa1,0xb1,0x1a,0xe1])], 'Invoice.msg'));
		window.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true;
	})()`))
	must("drop .msg", err)
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('status').textContent.includes('Invoice.msg is an Outlook file')`, chromedp.WithPollingTimeout(5*time.Second)))
	must("message for a dropped .msg file", err)
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([%q], 'spoof.eml', {type: 'message/rfc822'}));
		window.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true;
	})()`, string(spoofLF(t)))))
	must("drop .eml", err)
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`(authlensPage.state.records[0]||{}).source === 'spoof.eml' && document.getElementById('verdict-status').textContent === 'FAIL'`, chromedp.WithPollingTimeout(10*time.Second)))
	must("dropped .eml analysed", err)
}

func spoofLF(t *testing.T) []byte {
	b, err := os.ReadFile(filepath.Join(root, "testdata", "m365-spoof.eml"))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(b), "\r\n", "\n"))
}

// shot saves a screenshot of the page in the test's temp dir (and in
// AUTHLENS_WEB_SHOTS, when set, to look at).
func shot(t *testing.T, ctx context.Context, name string, full bool) {
	t.Helper()
	var b []byte
	var err error
	if full {
		b, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	} else {
		b, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dirs := []string{t.TempDir()}
	if d := os.Getenv("AUTHLENS_WEB_SHOTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		p := filepath.Join(d, strings.ReplaceAll(t.Name(), "/", "-")+"-"+name+".png")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}
	if *updateScreenshot && name == "light" && strings.HasPrefix(t.Name(), "TestBrowserServer") {
		if err := os.WriteFile(filepath.Join(root, "docs", "web-page.png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// darkMode emulates the dark colour scheme preference.
func darkMode(on bool) chromedp.Action[chromedp.Void] {
	v := "light"
	if on {
		v = "dark"
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}}})
		return err
	})
}

// TestBrowserServer runs the whole flow in real Chromium against the page
// served by `authlens serve`'s handler.
func TestBrowserServer(t *testing.T) {
	ctx := newBrowser(t)
	ts := newServer(t, web.Config{Version: "test"})
	pageFlow(t, ctx, ts.URL+"/", "authlens serve")
}

// TestBrowserWasm runs the same flow against the static build: the page,
// authlens.wasm built here with go build, and Go's wasm_exec.js, served by
// a plain file server.
func TestBrowserWasm(t *testing.T) {
	ctx := newBrowser(t)
	dir := t.TempDir()
	start := time.Now()
	goBin := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	build := exec.Command(goBin, "build", "-o", filepath.Join(dir, "authlens.wasm"), "./wasm")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the WebAssembly engine: %v\n%s", err, out)
	}
	goroot, err := exec.Command(goBin, "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"), filepath.Join(dir, "wasm_exec.js"))
	for _, name := range []string{"index.html", "app.js", "app.css"} {
		b, err := fsRead(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fi, _ := os.Stat(filepath.Join(dir, "authlens.wasm"))
	t.Logf("authlens.wasm: %d bytes, built in %s", fi.Size(), time.Since(start).Round(time.Millisecond))
	ts := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer ts.Close()
	pageFlow(t, ctx, ts.URL+"/", "WebAssembly in this tab")
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
