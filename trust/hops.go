package trust

import "github.com/authlens/authlens/received"

// hopHeader gives a Header without parsed Received fields the
// ReceivedHeader method, parsing each field once per [Read].
type hopHeader struct {
	Header
	hops map[int]received.Parsed
}

func (h *hopHeader) Received(i int) received.Parsed {
	if p, ok := h.hops[i]; ok {
		return p
	}
	p := received.ParseField(h.Value(i))
	if h.hops == nil {
		h.hops = make(map[int]received.Parsed)
	}
	h.hops[i] = p
	return p
}

// withHops returns h as a ReceivedHeader.
func withHops(h Header) ReceivedHeader {
	if rh, ok := h.(ReceivedHeader); ok {
		return rh
	}
	return &hopHeader{Header: h}
}

// hopAt returns the parsed Received field i of h.
func hopAt(h Header, i int) (*received.Hop, error) {
	p := withHops(h).Received(i)
	return p.Hop, p.Err
}
