package received

import (
	"bytes"
	"strings"
)

// headerFields splits the header section of a raw message into
// (name, value) pairs in order, keeping folded values as written.
func headerFields(msg []byte) [][2]string {
	msg = bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))
	var out [][2]string
	for _, line := range strings.Split(string(msg), "\n") {
		if line == "" {
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1][1] += "\r\n" + line
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		out = append(out, [2]string{name, strings.TrimLeft(value, " \t")})
	}
	return out
}

// receivedValues returns the Received field values of a raw message,
// top to bottom.
func receivedValues(msg []byte) []string {
	var out []string
	for _, f := range headerFields(msg) {
		if strings.EqualFold(f[0], "Received") {
			out = append(out, f[1])
		}
	}
	return out
}

// embeddedMessage returns the message after the first message/rfc822
// part header in msg, or nil.
func embeddedMessage(msg []byte) []byte {
	i := bytes.Index(msg, []byte("Content-Type: message/rfc822"))
	if i < 0 {
		return nil
	}
	rest := bytes.ReplaceAll(msg[i:], []byte("\r\n"), []byte("\n"))
	j := bytes.Index(rest, []byte("\n\n"))
	if j < 0 {
		return nil
	}
	return rest[j+2:]
}
