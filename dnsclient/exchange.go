package dnsclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/miekg/dns"
)

// Transports of a response.
const (
	transportUDP string = "udp"
	transportTCP string = "tcp"
)

// exchange asks the configured servers one question, in rounds of one try
// per server, and returns the first response with RCODE NOERROR or NXDOMAIN.
// SERVFAIL, REFUSED, other RCODEs and timeouts move on to the next server;
// when all tries fail the error of the last one is returned.
//
// A server that has stopped answering is skipped (see [Config.MaxFailures]);
// when every server is skipped the query fails at once with
// [ErrUnreachable].
func (c *Client) exchange(ctx context.Context, name string, qtype uint16) (*response, error) {
	var lastErr error
	for range c.cfg.Tries {
		for _, server := range c.cfg.Servers {
			ok, probe := c.health.admit(server)
			if !ok {
				continue
			}
			resp, err := c.exchangeServer(ctx, name, qtype, server)
			if ctx.Err() != nil {
				c.health.release(server, probe) // no verdict on the server
				return nil, ctxError(ctx, name, server)
			}
			c.health.done(server, probe, err == nil || !noReply(err), err)
			if err == nil {
				return resp, nil
			}
			lastErr = err
		}
	}
	if lastErr == nil {
		return nil, c.health.unreachableError(name, c.cfg.Servers)
	}
	return nil, lastErr
}

// noReply reports whether err means the server sent nothing usable back:
// a timeout or a refused connection.
func noReply(err error) bool {
	return errors.Is(err, ErrTimeout) || errors.Is(err, ErrConnRefused)
}

// exchangeServer asks one server, over UDP and then, if the answer is
// truncated, over TCP.
func (c *Client) exchangeServer(ctx context.Context, name string, qtype uint16, server string) (*response, error) {
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = true
	// RFC 6891, section 6.2.5: advertise the UDP payload size we can
	// receive, so that answers larger than 512 octets avoid TCP.
	m.SetEdns0(c.cfg.UDPSize, false)
	transport := transportUDP
	r, err := c.exchangeNet(ctx, m, server, transport)
	if err == nil && r.Truncated {
		// RFC 7766, section 5: a truncated UDP response is retried over
		// TCP.
		transport = transportTCP
		m.Id = dns.Id()
		r, err = c.exchangeNet(ctx, m, server, transport)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctxError(ctx, name, server)
		}
		var ne net.Error
		switch {
		case errors.Is(err, ErrTimeout) || (errors.As(err, &ne) && ne.Timeout()):
			return nil, newError(name, server, ErrTimeout)
		case errors.Is(err, syscall.ECONNREFUSED):
			// Nothing listens at the server's address (an ICMP port
			// unreachable for UDP, a reset for TCP).
			return nil, newError(name, server, ErrConnRefused)
		case errors.Is(err, ErrMalformed):
			return nil, newError(name, server, err)
		}
		// No usable reply (a message that does not parse): as far as
		// the caller is concerned the server did not answer.
		return nil, newError(name, server, fmt.Errorf("%w: %w", ErrTimeout, err))
	}
	// RFC 5452, section 4.2: accept only a response to the question asked.
	if len(r.Question) != 1 || r.Question[0].Qtype != qtype || canonicalKey(r.Question[0].Name) != name {
		return nil, newError(name, server, fmt.Errorf("%w: response to another question", ErrMalformed))
	}
	switch r.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
		return &response{rcode: r.Rcode, answer: r.Answer, ns: r.Ns, server: server, transport: transport, forms: newFormMemo(r.Answer)}, nil
	case dns.RcodeServerFailure:
		return nil, newError(name, server, ErrServFail)
	case dns.RcodeRefused:
		return nil, newError(name, server, ErrRefused)
	}
	return nil, newError(name, server, fmt.Errorf("%w: RCODE %s", ErrMalformed, dns.RcodeToString[r.Rcode]))
}

// exchangeNet makes one exchange over network within the per-try timeout.
// The connection is closed as soon as ctx ends, so a canceled query returns
// at once. A reply whose header counts more (or fewer) records than it
// carries is malformed (RFC 1035, section 4.1.1), unless it is truncated.
func (c *Client) exchangeNet(ctx context.Context, m *dns.Msg, server, network string) (*dns.Msg, error) {
	tctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	dc := &dns.Client{Net: network, Timeout: c.cfg.Timeout, UDPSize: c.cfg.UDPSize}
	conn, err := dc.DialContext(tctx, server)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(tctx, func() { conn.Close() })
	defer stop()
	if d, ok := tctx.Deadline(); ok {
		_ = conn.SetDeadline(d)
	}
	conn.UDPSize = c.cfg.UDPSize
	r, err := readReply(conn, m, network)
	if err != nil && tctx.Err() != nil && ctx.Err() == nil {
		return nil, ErrTimeout
	}
	return r, err
}

// readReply sends m on conn and reads the reply with m's ID; over UDP,
// replies with another ID are ignored (RFC 5452, section 4.3).
func readReply(conn *dns.Conn, m *dns.Msg, network string) (*dns.Msg, error) {
	if err := conn.WriteMsg(m); err != nil {
		return nil, err
	}
	for {
		var h dns.Header
		raw, err := conn.ReadMsgHeader(&h)
		if err != nil {
			return nil, err
		}
		if h.Id != m.Id {
			if network == transportUDP {
				continue
			}
			return nil, fmt.Errorf("%w: reply ID %d to query %d", ErrMalformed, h.Id, m.Id)
		}
		r := new(dns.Msg)
		if err := r.Unpack(raw); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if !r.Truncated && (int(h.Ancount) != len(r.Answer) || int(h.Nscount) != len(r.Ns) || int(h.Arcount) != len(r.Extra)) {
			return nil, fmt.Errorf("%w: format error: the header counts %d/%d/%d answer/authority/additional records, the reply carries %d/%d/%d",
				ErrMalformed, h.Ancount, h.Nscount, h.Arcount, len(r.Answer), len(r.Ns), len(r.Extra))
		}
		return r, nil
	}
}

// ctxError returns the error for a query abandoned because ctx ended: a
// *net.DNSError wrapping the context's error.
func ctxError(ctx context.Context, name, server string) error {
	err := context.Cause(ctx)
	if err == nil {
		err = ctx.Err()
	}
	return &net.DNSError{
		Err:       err.Error(),
		Name:      name,
		Server:    server,
		IsTimeout: errors.Is(err, context.DeadlineExceeded),
		UnwrapErr: err,
	}
}

// asDNSError is errors.As for *net.DNSError.
func asDNSError(err error, target **net.DNSError) bool {
	return err != nil && errors.As(err, target)
}
