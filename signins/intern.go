package signins

import "strings"

// names interns strings as small integers, so the analysis holds each
// distinct user, address or app once however many rows name it.
type names struct {
	ids  map[string]uint32
	list []string
}

func newNames() *names { return &names{ids: map[string]uint32{}} }

// id returns s's number, adding it when new.
func (n *names) id(s string) uint32 {
	if id, ok := n.ids[s]; ok {
		return id
	}
	id := uint32(len(n.list))
	s = strings.Clone(s) // detach from a reused row buffer
	n.ids[s] = id
	n.list = append(n.list, s)
	return id
}

func (n *names) name(id uint32) string { return n.list[id] }
