package authlens

import (
	"bytes"
	"context"
	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A header block pasted alone has no body: no body hash is checked, no
// body finding is made, and the absence is said once.
func TestPastedHeaderBlockHasNoBodyFindings(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.eml"))
	checked := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		end := bytes.Index(data, []byte("\n\n"))
		if end < 0 {
			continue
		}
		head := data[:end+1]
		signed := bytes.Contains(head, []byte("\nDKIM-Signature:")) || bytes.Contains(head, []byte("\nARC-Message-Signature:"))
		t.Run(filepath.Base(path), func(t *testing.T) {
			rep, err := AnalyzeBytes(context.Background(), head, Options{Source: path})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range rep.Findings {
				switch f.Code {
				case CodeBodyAbsent:
					n++
				case CodeDKIMBodyChanged, CodeDKIMBodyIntact:
					t.Errorf("body finding without a body: %s: %s", f.Code, f.Message)
				}
			}
			if want := map[bool]int{true: 1, false: 0}[signed]; n != want {
				t.Errorf("%d body-absent findings, want %d", n, want)
			}
			for _, d := range rep.DKIM {
				if d.BodyIntact != nil {
					t.Errorf("dkim d=%s: body_intact set without a body", d.Domain)
				}
			}
			if a := rep.ARC; a != nil {
				if a.Reason == "ams-body-hash-mismatch" {
					t.Errorf("ARC failed on a body that is not there: %s", a.Explanation)
				}
				if slices.ContainsFunc(a.Sets, func(h ARCHop) bool { return h.BodyIntact != nil }) {
					t.Errorf("ARC body_intact set without a body")
				}
			}
		})
		if signed {
			checked++
		}
	}
	if checked < 3 {
		t.Fatalf("only %d signed samples checked", checked)
	}
}

// Online, a pasted header block's signatures are verified over their
// header fields alone: they pass, and no body is reported changed.
func TestPastedHeaderBlockOnline(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "online-signed.eml"))
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	head := data[:bytes.Index(data, []byte("\n\n"))+1]
	srv := dnstest.StartServer(t, loadZone(t, "testdata/online.zone"))
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := AnalyzeBytes(context.Background(), head, Options{Resolver: c})
	if err != nil {
		t.Fatal(err)
	}
	if got := evaluatedDKIM(rep); !slices.Equal(got, []string{"ed2024=pass", "rsa2024=pass"}) {
		t.Errorf("evaluated dkim = %q, want both signatures to pass on their header fields", got)
	}
	for _, f := range rep.Findings {
		if f.Code == CodeDKIMChanged || f.Code == CodeDKIMBodyChanged {
			t.Errorf("finding without a body: %s: %s", f.Code, f.Message)
		}
	}
	for _, d := range rep.DKIM {
		if d.BodyIntact != nil {
			t.Errorf("dkim %s %s: body_intact set without a body", d.Selector, d.Origin)
		}
	}
}
