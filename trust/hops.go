package trust

import "github.com/authlens/authlens/received"

// hopHeader gives a Header the ReceivedHeader method, parsing each
// Received field at most once.
type hopHeader struct {
	Header
	hops []received.Parsed // by field index, once parsed
	done []bool
}

func (h *hopHeader) Received(i int) received.Parsed {
	if h.hops == nil {
		h.hops = make([]received.Parsed, h.Len())
		h.done = make([]bool, h.Len())
	}
	if !h.done[i] {
		h.hops[i], h.done[i] = received.ParseField(h.Value(i)), true
	}
	return h.hops[i]
}

// WithReceived returns h as a ReceivedHeader: h itself when it is one,
// else h with each Received field parsed when first asked for, at most
// once. A caller that traces the Received chain after [Read] passes the
// same value to both, so that no field is parsed twice.
func WithReceived(h Header) ReceivedHeader {
	if rh, ok := h.(ReceivedHeader); ok {
		return rh
	}
	return &hopHeader{Header: h}
}

// hopAt returns the parsed Received field i of h.
func hopAt(h Header, i int) (*received.Hop, error) {
	p := WithReceived(h).Received(i)
	return p.Hop, p.Err
}
