package arc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
	"github.com/authlens/authlens/internal/testshared"
)

// suiteScenario is one YAML document of the ValiMail ARC validation suite.
// Tests stay a node: the suite repeats some test names inside a scenario,
// which a Go map would refuse.
type suiteScenario struct {
	Description string            `yaml:"description"`
	Tests       yaml.Node         `yaml:"tests"`
	TXTRecords  map[string]string `yaml:"txt-records"`
}

type suiteCase struct {
	Spec        string `yaml:"spec"`
	Description string `yaml:"description"`
	Message     string `yaml:"message"`
	CV          string `yaml:"cv"`
}

// suiteDisagreements lists the suite cases whose expectation this package
// does not share, each with the RFC 8617 text behind the disagreement.
var suiteDisagreements = map[string]string{
	// The AMS has no c= tag and the suite expects pass, because its
	// signer used relaxed/relaxed. RFC 8617, section 4.1.2 gives the AMS
	// the syntax and semantics of DKIM-Signature, and RFC 6376, section
	// 3.5 says a missing c= means "simple/simple"; verified as simple, the
	// header hash differs and the AMS fails.
	"ams_fields_c_na": "RFC 6376, section 3.5 (via RFC 8617, section 4.1.2): a missing c= means simple/simple, but the suite's signature was made with relaxed headers",
}

// crlf converts the suite's LF line ends to the CRLF of the wire.
func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// loopbackResolver serves zone from a DNS server on 127.0.0.1 and returns
// the real client pointed at it.
func loopbackResolver(t *testing.T, zone *dnstest.Zone) Resolver {
	t.Helper()
	srv := dnstest.StartServer(t, zone)
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}})
	if err != nil {
		t.Fatalf("dnsclient.New: %v", err)
	}
	return c
}

func TestARCValidationSuite(t *testing.T) {
	data := testshared.File(t, "conformance/arc/arc-draft-validation-tests.yml")
	dec := yaml.NewDecoder(bytes.NewReader(data))
	total, agreed, disagreed := 0, 0, 0
	seen := map[string]int{}
	for doc := 0; ; doc++ {
		var sc suiteScenario
		if err := dec.Decode(&sc); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			t.Fatalf("scenario %d: %v", doc, err)
		}
		zone := dnstest.NewZone()
		names := make([]string, 0, len(sc.TXTRecords))
		for name := range sc.TXTRecords {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			zone.AddTXT(name, sc.TXTRecords[name])
		}
		r := loopbackResolver(t, zone)
		nodes := sc.Tests.Content
		for k := 0; k+1 < len(nodes); k += 2 {
			name := nodes[k].Value
			var tc suiteCase
			if err := nodes[k+1].Decode(&tc); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			// A name repeated inside the suite gets a suffix so that
			// every case is its own subtest.
			seen[name]++
			if n := seen[name]; n > 1 {
				name = fmt.Sprintf("%s#%d", name, n)
			}
			total++
			want := Status(strings.ToLower(strings.TrimSpace(tc.CV)))
			if want == "" {
				// The suite leaves cv empty where a seal already says
				// cv=fail: its reference runner prints nothing. That is a
				// failed chain (RFC 8617, section 5.2, step 2).
				want = StatusFail
			}
			ok := t.Run(name, func(t *testing.T) {
				res, err := Validate(context.Background(), r, strings.NewReader(crlf(tc.Message)), Options{})
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if why, skip := suiteDisagreements[name]; skip {
					disagreed++
					t.Skipf("disagreement: %s", why)
				}
				if res.Status != want {
					t.Errorf("%s (%s): status %s, want %s; reason %s at i=%d: %v", tc.Description, tc.Spec, res.Status, want, res.Reason, res.FailedInstance, res.Err)
				}
				if res.Status == StatusFail && res.Reason == "" {
					t.Errorf("fail without a reason")
				}
			})
			if ok && suiteDisagreements[name] == "" {
				agreed++
			}
		}
	}
	t.Logf("ARC validation suite: %d/%d cases agree, %d documented disagreement(s)", agreed, total, disagreed)
}
