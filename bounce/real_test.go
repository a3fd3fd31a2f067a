package bounce

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realDir holds byte-exact copies of real bounces; PROVENANCE.md there
// says where they come from.
var realDir = filepath.Join("..", "testdata", "bounce", "real")

// TestRealDigests checks the copies are still byte-exact.
func TestRealDigests(t *testing.T) {
	f, err := os.Open(filepath.Join(realDir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		b, err := os.ReadFile(filepath.Join(realDir, name))
		if err != nil {
			t.Fatal(err)
		}
		got := sha256.Sum256(b)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: digest %x, want %s: the copy was changed", name, got, sum)
		}
		n++
	}
	if n != 15 {
		t.Errorf("%d digests, want 15", n)
	}
}

// TestReal reads real bounces from several mail systems.
func TestReal(t *testing.T) {
	auth := []string{"medium bounce-auth-failure", "info bounce-report"}
	for _, tc := range []struct {
		file string
		want want
	}{
		{"rhost-google-03.eml", want{KindDSN, GeneratorPostfix, "mail4.example.com", "kijitora@google.example.com", "5.7.26", 550, "gmail-smtp-in.l.google.com", "spf-fail-gmail", "Nyaan", auth}},
		{"rhost-google-04.eml", want{KindDSN, GeneratorPostfix, "relay3.example.com", "kijitora@google.example.com", "5.7.26", 550, "gmail-smtp-in.l.google.com", "unauthenticated-gmail", "Nyaan", auth}},
		{"rhost-google-06.eml", want{KindDSN, GeneratorPostfix, "mail1.example.org", "michitsuna@google.example.com", "5.7.25", 550, "gmail-smtp-in.l.google.com", "reverse-dns", "", auth}},
		{"lhost-postfix-70.eml", want{KindDSN, GeneratorPostfix, "smtp.example.jp", "kijitora@google.example.com", "5.7.26", 550, "gmail-smtp-in.l.google.com", "dmarc-reject-gmail", "", auth}},
		{"rhost-microsoft-04.eml", want{KindDSN, GeneratorSendmail, "relay1.example.ne.jp", "pseudo-local-part-of-microsoft@outlook.com", "5.7.509", 550, "apc.olc.protection.outlook.com", "dmarc-reject-microsoft", "", auth}},
		{"lhost-dragonfly-02.eml", want{KindText, GeneratorUnknown, "", "pseudo-local-part@outlook.example.com", "5.7.509", 550, "", "dmarc-reject-microsoft", "Nyaan 01", auth}},
		{"lhost-qmail-14.eml", want{KindText, GeneratorQmail, "", "pseudo-local-part-of-google-gmail@gmail.com", "5.7.26", 550, "", "dmarc-reject-gmail", "Nyaan?", auth}},
		{"lhost-opensmtpd-11.eml", want{KindDSN, GeneratorUnknown, "df.example.jp", "authfailure@libsisimai.net", "5.7.26", 550, "", "multiple-auth-failed", "", auth}},
		{"lhost-office365-03.eml", want{KindDSN, GeneratorMicrosoft, "NEKONYAAN22.sotoneko.prod.outlook.com", "kijitora@example.com", "5.1.0", 550, "neko-smtp-02-22.prod.cats.secureserver.net", "spf-reject", "Nyaan", auth}},
		// Not authentication failures.
		{"lhost-office365-02.eml", want{KindText, GeneratorMicrosoft, "NEKOCHAN.example.prod.outlook.com", "kijitora@example.onmicrosoft.com", "5.1.1", 550, "", "recipient-unknown", "", []string{"info bounce-report"}}},
		{"lhost-sendmail-57.eml", want{KindDSN, GeneratorSendmail, "nyaan.example.jp", "neko@libsisimai.org", "5.7.27", 550, "libsisimai.org", "sender-null-mx", "Nyaan", []string{"info bounce-report"}}},
		{"lhost-exim-01.eml", want{KindText, GeneratorExim, "", "kijitora@example.ed.jp", "5.7.0", 550, "mx.example.jp", "", "", []string{"info bounce-unknown-status", "info bounce-report"}}},
		{"lhost-gmail-01.eml", want{KindText, GeneratorGmail, "", "userunknown@example.jp", "5.1.1", 550, "", "recipient-unknown", "", []string{"info bounce-report"}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			check(t, parseFile(t, filepath.Join(realDir, tc.file)), tc.want)
		})
	}
	for _, name := range []string{"is-not-bounce-01.eml", "arf-01.eml"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join(realDir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if rep, ok, err := ParseMessage(f); ok || err != nil {
				t.Errorf("read as a bounce (err %v): %+v", err, rep)
			}
		})
	}
}
