package dnsclient

import (
	"testing"
	"unsafe"

	"github.com/miekg/dns"
)

// TestFormMemo checks that a memo renders each of its records once, serves
// the same strings to every caller, and knows only its own records: an
// equal record that is another value is not served from it.
func TestFormMemo(t *testing.T) {
	a, err := dns.NewRR(`example.org. 300 IN TXT "v=spf1 " "-all"`)
	if err != nil {
		t.Fatal(err)
	}
	b, err := dns.NewRR(`example.org. 300 IN MX 10 mx.example.org.`)
	if err != nil {
		t.Fatal(err)
	}
	m := newFormMemo([]dns.RR{a, b})
	f1, ok1 := m.lookup(a)
	f2, ok2 := m.lookup(a)
	if !ok1 || !ok2 {
		t.Fatal("Expected the memo to hold its own record")
	}
	if f1.text != a.String() || f1.value != "v=spf1 -all" {
		t.Errorf("Expected %q and %q, got %+v", a.String(), "v=spf1 -all", f1)
	}
	if unsafe.StringData(f1.text) != unsafe.StringData(f2.text) || unsafe.StringData(f1.value) != unsafe.StringData(f2.value) {
		t.Error("Expected the second lookup to return the strings rendered by the first")
	}
	if f, ok := m.lookup(b); !ok || f.text != b.String() || f.value != "" {
		t.Errorf("Expected %q and no TXT value, got %+v", b.String(), f)
	}
	copyOfA := dns.Copy(a)
	if _, ok := m.lookup(copyOfA); ok {
		t.Error("Expected a record the memo does not hold to be refused")
	}
	ans := &Answer{Records: []dns.RR{copyOfA}, memos: []*formMemo{m}}
	if got := ans.forms(copyOfA).text; got != copyOfA.String() {
		t.Errorf("Expected a record outside the memos to be rendered, got %q", got)
	}
}
