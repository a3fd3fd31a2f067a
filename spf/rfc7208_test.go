package spf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/authlens/authlens/internal/dnstest"
	"github.com/authlens/authlens/internal/testshared"
)

// The openspf.org conformance suites (see conformance/README.md, section
// spf/, in the shared folder): a YAML stream of scenarios, each with test
// cases and the zone they run against.

// suite is one scenario of a suite file.
type suite struct {
	Description string               `yaml:"description"`
	Tests       map[string]suiteCase `yaml:"tests"`
	ZoneData    map[string][]any     `yaml:"zonedata"`
}

// suiteCase is one test case of a scenario.
type suiteCase struct {
	Description string    `yaml:"description"`
	Spec        any       `yaml:"spec"`
	HELO        string    `yaml:"helo"`
	Host        string    `yaml:"host"`
	MailFrom    string    `yaml:"mailfrom"`
	Result      yaml.Node `yaml:"result"`
	Explanation *string   `yaml:"explanation"`
}

// results returns the acceptable statuses, first the preferred one. The
// suites' "unknown" and "error" are the RFC 4408 names of permerror and
// temperror.
func (c suiteCase) results() ([]Status, error) {
	var list []string
	switch c.Result.Kind {
	case yaml.ScalarNode:
		list = []string{c.Result.Value}
	case yaml.SequenceNode:
		if err := c.Result.Decode(&list); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("result: unexpected YAML kind %v", c.Result.Kind)
	}
	out := make([]Status, 0, len(list))
	for _, r := range list {
		switch r = strings.ToLower(r); r {
		case "unknown":
			r = string(StatusPermError)
		case "error":
			r = string(StatusTempError)
		}
		out = append(out, Status(r))
	}
	return out, nil
}

// loadSuites reads a multi-document suite file from the shared
// conformance folder, skipping the test when it is absent.
func loadSuites(t *testing.T, name string) []suite {
	t.Helper()
	dir := testshared.Dir(t, "conformance/spf")
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Skipf("%s: %v", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var suites []suite
	for {
		var s suite
		err := dec.Decode(&s)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		suites = append(suites, s)
	}
	return suites
}

// suiteZone builds a dnstest zone from a scenario's zonedata, following
// the runner rules of the suite: an SPF record is served as TXT when the
// name has no TXT entry, "TXT: NONE" suppresses that, and TIMEOUT makes
// every type not listed at the name time out.
func suiteZone(t testing.TB, data map[string][]any) *dnstest.Zone {
	t.Helper()
	z := dnstest.NewZone()
	for owner, items := range data {
		var txt, spf [][]string
		hasTXT, timeout := false, false
		z.AddName(owner)
		for _, item := range items {
			if s, ok := item.(string); ok {
				if s != "TIMEOUT" {
					t.Fatalf("zonedata %s: unknown item %q", owner, s)
				}
				timeout = true
				continue
			}
			m, ok := item.(map[string]any)
			if !ok {
				t.Fatalf("zonedata %s: unexpected item %#v", owner, item)
			}
			for typ, v := range m {
				switch typ {
				case "TXT", "SPF":
					hasTXT = hasTXT || typ == "TXT"
					if v == "NONE" {
						continue
					}
					strs := stringList(v)
					if typ == "TXT" {
						txt = append(txt, strs)
					} else {
						spf = append(spf, strs)
					}
				case "A":
					z.AddA(owner, fmt.Sprint(v))
				case "AAAA":
					z.AddAAAA(owner, fmt.Sprint(v))
				case "MX":
					l, ok := v.([]any)
					if !ok || len(l) != 2 {
						t.Fatalf("zonedata %s: bad MX %#v", owner, v)
					}
					pref, _ := l[0].(int)
					z.AddMX(owner, uint16(pref), fmt.Sprint(l[1]))
				case "PTR":
					z.AddPTR(owner, fmt.Sprint(v))
				case "CNAME":
					z.SetCNAME(owner, fmt.Sprint(v))
				default:
					t.Fatalf("zonedata %s: unknown type %s", owner, typ)
				}
			}
		}
		if !hasTXT {
			txt = spf
		}
		for _, strs := range txt {
			z.AddTXT(owner, strs...)
		}
		if timeout {
			z.SetTimeout(owner, dnstest.AllTypes)
		}
	}
	return z
}

// stringList returns a TXT value as its character-strings.
func stringList(v any) []string {
	switch v := v.(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, s := range v {
			out = append(out, fmt.Sprint(s))
		}
		return out
	case nil:
		return nil
	}
	return []string{fmt.Sprint(v)}
}

// caseArgs turns a suite case into check arguments.
func caseArgs(t testing.TB, c suiteCase) Args {
	t.Helper()
	ip, err := netip.ParseAddr(c.Host)
	if err != nil {
		t.Fatalf("host %q: %v", c.Host, err)
	}
	return Args{IP: ip, MailFrom: c.MailFrom, HELO: c.HELO}
}

// runSuiteCase checks one case and reports what differs from the
// expectation, or "" when it passes.
func runSuiteCase(t testing.TB, r Resolver, c suiteCase) string {
	t.Helper()
	want, err := c.results()
	if err != nil {
		t.Fatal(err)
	}
	res := Check(context.Background(), r, caseArgs(t, c))
	if !slices.Contains(want, res.Status) {
		return fmt.Sprintf("status %s, want %v (err %v)", res.Status, want, res.Err)
	}
	if (res.Status == StatusTempError || res.Status == StatusPermError) && res.Err == nil {
		return fmt.Sprintf("status %s without error", res.Status)
	}
	if res.Status == StatusPass && res.Err != nil {
		return fmt.Sprintf("pass with error %v", res.Err)
	}
	if c.Explanation != nil {
		// "DEFAULT" is the receiver's default explanation: the domain gave
		// none, or it could not be used.
		wantExp := *c.Explanation
		if wantExp == "DEFAULT" {
			wantExp = ""
		}
		if res.Explanation != wantExp {
			return fmt.Sprintf("explanation %q, want %q", res.Explanation, wantExp)
		}
	}
	return ""
}

// runSuites runs every case of a suite file, one subtest per
// scenario/case. skip maps case ids to the reason they are not expected to
// pass.
func runSuites(t *testing.T, file string, skip map[string]string) {
	suites := loadSuites(t, file)
	passed, total := 0, 0
	for _, s := range suites {
		zone := suiteZone(t, s.ZoneData)
		resolver := zone.Resolver()
		ids := make([]string, 0, len(s.Tests))
		for id := range s.Tests {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			c := s.Tests[id]
			total++
			t.Run(s.Description+"/"+id, func(t *testing.T) {
				diff := runSuiteCase(t, resolver, c)
				if reason, ok := skip[id]; ok {
					if diff == "" {
						t.Errorf("listed as expected to differ (%s) but passes", reason)
					}
					t.Skipf("expected difference: %s (%s)", reason, diff)
				}
				if diff != "" {
					t.Errorf("%s: %s", c.Description, diff)
					return
				}
				passed++
			})
		}
	}
	t.Logf("%s: %d of %d cases pass, %d expected differences", file, passed, total, len(skip))
}

func TestRFC7208(t *testing.T) {
	// Cases not expected to pass, by id, with the RFC text that justifies
	// the difference. None: every case passes.
	skip := map[string]string{}
	runSuites(t, "rfc7208-tests.yml", skip)
}

func TestRFC4408(t *testing.T) {
	// Cases whose RFC 4408 expectation RFC 7208 changed would be listed
	// here with the RFC 7208 text that justifies the difference. The suite
	// already accepts the RFC 7208 outcome for each of them through its
	// result lists (18 cases list several results): mx-limit (section
	// 4.6.4: more than 10 MX names is a permerror), the SPF RR type no
	// longer queried (section 3.1), IPv4-mapped IPv6 clients evaluated as
	// IPv4 (section 5), empty-label and long-label targets (section 4.8);
	// and the runner maps its "unknown"/"error" results to permerror and
	// temperror. So none needs skipping.
	skip := map[string]string{}
	runSuites(t, "rfc4408-tests.yml", skip)
}
