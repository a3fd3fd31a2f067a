package dnsclient

import (
	"sync"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/internal/dnswire"
)

// rrForms are the string forms of one record that answers are read in.
type rrForms struct {
	text  string // presentation form (RFC 1035, section 5.1), for transcripts
	value string // TXT only: the character-strings joined, raw bytes
}

// formsOf computes the string forms of rr.
func formsOf(rr dns.RR) rrForms {
	f := rrForms{text: rr.String()}
	if txt, ok := rr.(*dns.TXT); ok {
		f.value = dnswire.TXTString(txt)
	}
	return f
}

// formMemo holds the string forms of a fixed set of records, those of one
// response or of one owner name in a zone file, computed once, when first
// asked for. Answers share their records with the cache and the zone, so
// every query answered from them would otherwise render the same records
// again. A formMemo is safe for concurrent use.
type formMemo struct {
	once  sync.Once
	rrs   []dns.RR
	forms []rrForms
}

func newFormMemo(rrs []dns.RR) *formMemo { return &formMemo{rrs: rrs} }

// lookup returns the forms of rr, which must be one of the memo's records
// (the same value, not an equal copy); false when it is not.
func (m *formMemo) lookup(rr dns.RR) (rrForms, bool) {
	m.once.Do(func() {
		m.forms = make([]rrForms, len(m.rrs))
		for i, x := range m.rrs {
			m.forms[i] = formsOf(x)
		}
	})
	for i, x := range m.rrs {
		if x == rr {
			return m.forms[i], true
		}
	}
	return rrForms{}, false
}

// forms returns the string forms of rr, one of a's records or CNAMEs:
// from the memo of the response or zone name it came from, else computed.
func (a *Answer) forms(rr dns.RR) rrForms {
	for _, m := range a.memos {
		if f, ok := m.lookup(rr); ok {
			return f
		}
	}
	return formsOf(rr)
}
