package authlens

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens/finding"

	"github.com/authlens/authlens/internal/testshared"
)

func analyzeFile(t *testing.T, path string, opts Options) *Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts.Source = path
	rep, err := Analyze(context.Background(), f, opts)
	if err != nil {
		t.Fatalf("Analyze(%s): %v", path, err)
	}
	return rep
}

func codes(r *Report) []finding.Code {
	var out []finding.Code
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	return out
}

func TestAnalyzeTestdata(t *testing.T) {
	tests := []struct {
		file       string
		status     VerdictStatus
		basis      string
		spf        string
		spfAligned bool
		dkim       []string // "result d=domain aligned?"
		dmarc      string
		policy     string
		compauth   string
		mailFrom   string
		findings   []finding.Code
		absent     []finding.Code
	}{
		{file: "gmail-dmarc-pass.eml", status: VerdictPass, basis: "mx.google.com", spf: "pass", spfAligned: true,
			dkim: []string{"pass shop.example true"}, dmarc: "pass", policy: "reject", mailFrom: "mail.shop.example",
			absent: []finding.Code{CodeSPFNotAligned, CodeDKIMThirdParty, CodeForgedAuthservID, CodeDKIMBodyChanged}},
		// Proton writes one field per method and one per DKIM signature.
		{file: "proton-per-method.eml", status: VerdictPass, basis: "mail.protonmail.ch", spf: "pass", spfAligned: true,
			dkim: []string{"pass shop.example.com true", "pass esp.example.net false"}, dmarc: "pass", policy: "quarantine", mailFrom: "mail.shop.example.com",
			absent: []finding.Code{CodeForgedAuthservID, CodeUntrustedBelow, CodeDKIMBodyChanged}},
		{file: "m365-spoof.eml", status: VerdictFail, basis: "Microsoft 365", spf: "fail", spfAligned: true,
			dmarc: "fail", compauth: "fail/000", mailFrom: "bank.example",
			findings: []finding.Code{CodeCompauthFail, CodeDMARCFail, CodeDKIMNone, CodeUntrustedBelow}},
		{file: "third-party-dkim.eml", status: VerdictWeak, basis: "mx1.corp.example", spf: "pass",
			dkim: []string{"pass sendmail-service.example false"}, dmarc: "none", mailFrom: "em1234.sendmail-service.example",
			findings: []finding.Code{CodeDKIMThirdParty, CodeSPFNotAligned, CodeDMARCNoPolicy}},
		{file: "forged-ar.eml", status: VerdictFail, basis: "mx.corp.example", spf: "softfail", spfAligned: true,
			dmarc: "fail", policy: "quarantine", mailFrom: "partner.example",
			findings: []finding.Code{CodeForgedAuthservID, CodeDMARCFail, CodeSPFFail}},
		{file: "fastmail-per-method.eml", status: VerdictPass, basis: "mx4.messagingengine.example", spf: "pass",
			dkim: []string{"pass dev.example true"}, dmarc: "pass", policy: "reject", mailFrom: "lists.project.example",
			findings: []finding.Code{CodeSPFNotAligned}, absent: []finding.Code{CodeUntrustedBelow}},
		{file: "pasted-headers.txt", status: VerdictPass, basis: "mx.receiver.example", spf: "pass", spfAligned: true,
			dkim: []string{"fail sender.example true"}, dmarc: "pass", mailFrom: "sender.example",
			findings: []finding.Code{CodeDKIMFail}},
		{file: "list-footer.eml", status: VerdictFail, basis: "mx.receiver.example", spf: "pass",
			dkim: []string{"fail author.example true"}, dmarc: "fail", policy: "reject", mailFrom: "lists.example.org",
			findings: []finding.Code{CodeDKIMBodyChanged, CodeDMARCFail, CodeDKIMFail, CodeSPFNotAligned}},
		{file: "multiple-from.eml", status: VerdictWeak, basis: "mx.receiver.example", spf: "pass", spfAligned: true,
			dkim: []string{"pass relay.example true"}, dmarc: "none", mailFrom: "relay.example",
			findings: []finding.Code{CodeMultipleFromFields, CodeMultipleFromAddrs}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			r := analyzeFile(t, filepath.Join("testdata", tc.file), Options{})
			if r.Verdict.Status != tc.status || r.Verdict.Basis != tc.basis {
				t.Errorf("verdict = %s by %q (%s), want %s by %q", r.Verdict.Status, r.Verdict.Basis, r.Verdict.Summary, tc.status, tc.basis)
			}
			if r.SPF == nil || string(r.SPF.Result) != tc.spf || r.SPF.Aligned != tc.spfAligned || r.SPF.Origin != OriginRecorded {
				t.Errorf("spf = %+v, want %s aligned=%v", r.SPF, tc.spf, tc.spfAligned)
			}
			var dk []string
			for _, d := range r.DKIM {
				dk = append(dk, strings.Join([]string{string(d.Result), d.Domain, map[bool]string{true: "true", false: "false"}[d.Aligned]}, " "))
			}
			if !slices.Equal(dk, tc.dkim) {
				t.Errorf("dkim = %q, want %q", dk, tc.dkim)
			}
			if r.DMARC == nil || string(r.DMARC.Result) != tc.dmarc || (tc.policy != "" && r.DMARC.Policy != tc.policy) {
				t.Errorf("dmarc = %+v, want %s policy %q", r.DMARC, tc.dmarc, tc.policy)
			}
			if tc.compauth != "" {
				if r.Compauth == nil || string(r.Compauth.Result)+"/"+r.Compauth.Reason != tc.compauth || r.Compauth.Meaning == "" {
					t.Errorf("compauth = %+v, want %s", r.Compauth, tc.compauth)
				}
			} else if r.Compauth != nil {
				t.Errorf("compauth = %+v, want none", r.Compauth)
			}
			if r.MailFrom == nil || r.MailFrom.Domain != tc.mailFrom {
				t.Errorf("mail_from = %+v, want domain %s", r.MailFrom, tc.mailFrom)
			}
			got := codes(r)
			for _, c := range tc.findings {
				if !slices.Contains(got, c) {
					t.Errorf("finding %s missing; got %q", c, got)
				}
			}
			for _, c := range tc.absent {
				if slices.Contains(got, c) {
					t.Errorf("finding %s present; got %q", c, got)
				}
			}
			for i := 1; i < len(r.Findings); i++ {
				if r.Findings[i-1].Severity.Rank() < r.Findings[i].Severity.Rank() {
					t.Errorf("findings not sorted by severity: %q", got)
				}
			}
		})
	}
}

func TestTrustOption(t *testing.T) {
	path := filepath.Join("testdata", "m365-spoof.eml")
	// Naming the lower receiver makes its (sender-written) header trusted.
	r := analyzeFile(t, path, Options{TrustedAuthServIDs: []string{"bank.example"}})
	if r.Verdict.Basis != "mx.bank.example" || r.DMARC.Result != "pass" {
		t.Errorf("trust bank.example: basis %q dmarc %+v", r.Verdict.Basis, r.DMARC)
	}
	// Microsoft 365's id-less header is matched by its receiver name.
	r = analyzeFile(t, path, Options{TrustedAuthServIDs: []string{"outlook.com"}})
	if r.Verdict.Basis != "Microsoft 365" || !r.AuthResults[0].Trusted || r.AuthResults[2].Trusted {
		t.Errorf("trust outlook.com: basis %q trusted %v %v", r.Verdict.Basis, r.AuthResults[0].Trusted, r.AuthResults[2].Trusted)
	}
	// A name no header carries: nothing is trusted, and the report says so.
	r = analyzeFile(t, path, Options{TrustedAuthServIDs: []string{"mx.nowhere.example"}})
	if r.Verdict.Status != VerdictUnknown || !slices.Contains(codes(r), CodeNoTrustedMatch) || r.SPF != nil {
		t.Errorf("trust nowhere: %+v findings %q", r.Verdict, codes(r))
	}
}

func TestAdjacentForgedHeader(t *testing.T) {
	msg := "Received: from x (x [192.0.2.1]) by mx.corp.example; Thu, 07 Nov 2024 10:00:01 +0000\r\n" +
		"Authentication-Results: mx.corp.example; spf=fail smtp.mailfrom=bank.example; dmarc=fail header.from=bank.example\r\n" +
		"Authentication-Results: mx.corp.example; spf=pass smtp.mailfrom=bank.example; dmarc=pass header.from=bank.example\r\n" +
		"From: a@bank.example\r\n\r\n"
	r, err := Analyze(context.Background(), strings.NewReader(msg), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.AuthResults[0].Trusted || r.AuthResults[1].Trusted {
		t.Errorf("trusted = %v %v, want true false", r.AuthResults[0].Trusted, r.AuthResults[1].Trusted)
	}
	if r.DMARC.Result != "fail" || !slices.Contains(codes(r), CodeForgedAuthservID) {
		t.Errorf("dmarc %+v findings %q", r.DMARC, codes(r))
	}
}

func TestNoAuthResults(t *testing.T) {
	r, err := Analyze(context.Background(), strings.NewReader("From: a@example.com\nSubject: x\n\nhi\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict.Status != VerdictUnknown || !slices.Contains(codes(r), CodeNoAuthResults) {
		t.Errorf("verdict %+v findings %q", r.Verdict, codes(r))
	}
}

func TestNoFrom(t *testing.T) {
	r, err := Analyze(context.Background(), strings.NewReader("Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.com\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.From != nil || !slices.Contains(codes(r), CodeNoFrom) || r.SPF.Aligned {
		t.Errorf("from %+v spf %+v findings %q", r.From, r.SPF, codes(r))
	}
}

func TestBadInput(t *testing.T) {
	huge := "From: a@example.com\r\nX-Long: " + strings.Repeat("x", 1<<20) + "\r\n\r\n"
	many := "From: a@example.com\r\n" + strings.Repeat("X-Field: y\r\n", 10000) + "\r\n"
	tests := []struct {
		name    string
		in      string
		wantErr bool         // not analysable at all
		finding finding.Code // else: this finding
		errText string
	}{
		{name: "empty", in: "", wantErr: true, errText: "no header fields"},
		{name: "binary junk", in: "\x00\x01\x02\xff\xfe\x89PNG\r\n\x1a\n", wantErr: true, errText: "not a header field"},
		{name: "1 MB header line", in: huge, wantErr: true, errText: "line 2"},
		{name: "10000 header fields", in: many, wantErr: true, errText: "more than 1000 header fields"},
		{name: "unterminated comment", in: "Authentication-Results: mx.example.net; spf=pass (unterminated smtp.mailfrom=example.com\r\nFrom: a@example.com\r\n\r\n", finding: CodeAuthResultsBroken},
		{name: "unterminated quote", in: "Authentication-Results: mx.example.net; dkim=fail reason=\"oops header.d=example.com\r\nFrom: a@example.com\r\n\r\n", finding: CodeAuthResultsBroken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Analyze(context.Background(), strings.NewReader(tc.in), Options{Source: "in.eml"})
			if r == nil {
				t.Fatal("nil report")
			}
			if tc.wantErr {
				if !errors.Is(err, ErrUnreadable) || r.Error == "" || r.Source != "in.eml" || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("err = %v, report error %q, want ErrUnreadable mentioning %q", err, r.Error, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(codes(r), tc.finding) {
				t.Errorf("findings %q, want %s", codes(r), tc.finding)
			}
		})
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Analyze(ctx, strings.NewReader("From: a@example.com\n"), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

// TestSharedSamples analyses every real vendor message in ../shared/samples
// and checks facts each one is known to show.
func TestSharedSamples(t *testing.T) {
	dir := testshared.Dir(t, "samples")
	type want struct {
		basis, dmarc, compauth, from string
		dkimPass                     string // a domain whose DKIM passed
		upstream                     bool   // the topmost field is an earlier hop's
	}
	known := map[string]want{
		"microsoft-1.eml":       {basis: "Microsoft 365", dmarc: "fail", compauth: "softpass/202", from: "hmail.jitbit.com"},
		"microsoft-3.eml":       {basis: "", from: "microsoft.com", upstream: true}, // stamped by the sending tenant (DIR:OUT), received by stalw.art
		"gmail-2.eml":           {basis: "mx.google.com", dmarc: "pass", from: "discoursemail.com", dkimPass: "discoursemail.com"},
		"gmail-4.eml":           {basis: "mx.google.com", dmarc: "pass", from: "outlook.com", dkimPass: "outlook.com"},
		"arc-1.eml":             {basis: "mx.google.com", from: "ekiri.ee", dkimPass: "ekiri.ee"},
		"arc-2.eml":             {basis: "smtp.subspace.kernel.org", dmarc: "fail", from: "gmail.com"},
		"fastmail-1.eml":        {basis: "mx3.messagingengine.com", dmarc: "pass", from: "emailalerts.cnn.com", dkimPass: "emailalerts.cnn.com"},
		"exchange-onprem-1.eml": {basis: "mailb.triara.com", from: "bbva.mx"},
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) == 0 {
		t.Skip("no samples")
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			r := analyzeFile(t, path, Options{})
			w, ok := known[name]
			if !ok {
				t.Logf("no expectations recorded for %s; analysed: %s", name, r.Verdict.Summary)
				return
			}
			if r.Verdict.Basis != w.basis {
				t.Errorf("basis = %q, want %q", r.Verdict.Basis, w.basis)
			}
			if got := slices.ContainsFunc(r.Findings, func(f finding.Finding) bool { return f.Code == CodeUpstream }); got != w.upstream {
				t.Errorf("upstream finding = %v, want %v", got, w.upstream)
			}
			if w.upstream && (r.DMARC != nil || r.SPF != nil || len(r.DKIM) > 0) {
				t.Errorf("an earlier hop's results were taken as the receiver's: spf %+v dkim %+v dmarc %+v", r.SPF, r.DKIM, r.DMARC)
			}
			if r.From == nil || r.From.Domain != w.from {
				t.Errorf("from = %+v, want %s", r.From, w.from)
			}
			if w.dmarc != "" && (r.DMARC == nil || string(r.DMARC.Result) != w.dmarc) {
				t.Errorf("dmarc = %+v, want %s", r.DMARC, w.dmarc)
			}
			if w.compauth != "" && (r.Compauth == nil || string(r.Compauth.Result)+"/"+r.Compauth.Reason != w.compauth) {
				t.Errorf("compauth = %+v, want %s", r.Compauth, w.compauth)
			}
			if w.dkimPass != "" && !slices.ContainsFunc(r.DKIM, func(d DKIMVerdict) bool { return d.Result == "pass" && d.Domain == w.dkimPass && d.Aligned }) {
				t.Errorf("dkim = %+v, want an aligned pass for %s", r.DKIM, w.dkimPass)
			}
			for _, f := range r.AuthResults {
				if f.Field == "" || f.Results == nil {
					t.Errorf("auth_results entry incomplete: %+v", f)
				}
			}
		})
	}
}

func BenchmarkAnalyze(b *testing.B) {
	msg, err := os.ReadFile(filepath.Join("testdata", "gmail-dmarc-pass.eml"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(ctx, bytes.NewReader(msg), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
