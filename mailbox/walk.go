package mailbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// ErrVanished is wrapped by the error of a file or directory that was
// listed in its directory but was gone when the scan came to read it: a
// mail client moved or deleted it during the scan. It is reported rather
// than skipped, so that every path listed ends as an item.
var ErrVanished = errors.New("mailbox: vanished during the scan")

// readFailure wraps the error of reading a listed file or directory:
// ErrVanished when it no longer exists, ErrRead otherwise.
func readFailure(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %w", ErrVanished, err)
	}
	return fmt.Errorf("%w: %w", ErrRead, err)
}

// bufferSize is the read buffer of each stream. It bounds the longest line
// checked as a From_ line and how far ahead a Content-Length is verified.
const bufferSize = 128 << 10

// scan is the state of one scan over its inputs.
type scan struct {
	ctx     context.Context
	opts    Options
	stats   *Stats
	yield   func(*Message) bool
	visited map[string]bool // real paths of directories entered
	readers [maxGzipDepth + 1]*bufio.Reader
	pool    *bufferPool
}

// run scans paths in order and reports whether it got to the end.
func (s *scan) run(paths []string) bool {
	s.visited = make(map[string]bool)
	for _, p := range paths {
		if !s.path(p) {
			return false
		}
	}
	return true
}

// emit delivers one item and counts it. It returns false when the scan must
// stop.
func (s *scan) emit(m *Message) bool {
	if m.Err != nil {
		s.stats.Errors++
	} else {
		s.stats.Messages++
	}
	s.stats.Bytes += m.Size
	return s.yield(m)
}

// fileError delivers an error about a whole file or directory.
func (s *scan) fileError(path string, f Format, err error) bool {
	return s.emit(&Message{Location: Location{Path: path}, Format: f, Err: err})
}

func (s *scan) path(p string) bool {
	if s.ctx.Err() != nil {
		return false
	}
	if p == "-" {
		in := s.opts.Stdin
		if in == nil {
			in = os.Stdin
		}
		s.stats.Files++
		return s.stream(p, in, -1, false, 0)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return s.fileError(p, FormatUnknown, fmt.Errorf("%w: %w", ErrRead, err))
	}
	if !fi.IsDir() {
		return s.file(p, fi, false)
	}
	real, err := realPath(p)
	if err != nil {
		return s.fileError(p, FormatUnknown, fmt.Errorf("%w: %w", ErrRead, err))
	}
	if s.visited[real] {
		s.stats.Skipped++
		return true
	}
	s.visited[real] = true
	return s.dir(p, []string{real}, false)
}

// realPath returns the absolute path of p with symbolic links resolved.
func realPath(p string) (string, error) {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	return filepath.Abs(r)
}

// dir walks directory p in name order. stack holds the real paths of p and
// its ancestors, the last being p's. inMaildir tells that p is the cur or
// new subdirectory of a Maildir.
func (s *scan) dir(p string, stack []string, inMaildir bool) bool {
	entries, err := os.ReadDir(p)
	if err != nil {
		// ReadDir returns the entries it read before failing.
		if !s.fileError(p, FormatUnknown, readFailure(err)) {
			return false
		}
	}
	maildir := isMaildir(entries)
	for _, e := range entries {
		if s.ctx.Err() != nil {
			return false
		}
		name := e.Name()
		child := filepath.Join(p, name)
		var fi fs.FileInfo
		if e.Type()&fs.ModeSymlink != 0 {
			if fi, err = os.Stat(child); err != nil {
				if !s.fileError(child, FormatUnknown, fmt.Errorf("%w: %w", ErrRead, err)) {
					return false
				}
				continue
			}
		} else if fi, err = e.Info(); err != nil {
			// Removed or moved since the directory was read.
			if !s.fileError(child, FormatUnknown, readFailure(err)) {
				return false
			}
			continue
		}
		switch {
		case fi.IsDir():
			if maildir && name == "tmp" {
				s.stats.Skipped++
				continue
			}
			real := filepath.Join(stack[len(stack)-1], name)
			if e.Type()&fs.ModeSymlink != 0 {
				if real, err = realPath(child); err != nil {
					if !s.fileError(child, FormatUnknown, fmt.Errorf("%w: %w", ErrRead, err)) {
						return false
					}
					continue
				}
				if slices.Contains(stack, real) {
					err := fmt.Errorf("%w: %s leads back to %s", ErrSymlinkLoop, child, real)
					if !s.fileError(child, FormatUnknown, err) {
						return false
					}
					continue
				}
			}
			if s.visited[real] {
				s.stats.Skipped++
				continue
			}
			s.visited[real] = true
			sub := append(stack[:len(stack):len(stack)], real)
			if !s.dir(child, sub, maildir && isMaildirMessages(name)) {
				return false
			}
		case fi.Mode().IsRegular():
			if isAuxFile(name) {
				s.stats.Skipped++
				continue
			}
			if !s.file(child, fi, inMaildir) {
				return false
			}
		default:
			s.stats.Skipped++ // devices, pipes and sockets could block
		}
	}
	return true
}

// file scans one file.
func (s *scan) file(p string, fi fs.FileInfo, inMaildir bool) bool {
	f, err := os.Open(p)
	if err != nil {
		return s.fileError(p, FormatUnknown, readFailure(err))
	}
	defer f.Close()
	s.stats.Files++
	hint := int64(-1)
	if fi.Mode().IsRegular() {
		hint = fi.Size()
	}
	return s.stream(p, f, hint, inMaildir, 0)
}

// stream detects the content of r and delivers its messages. depth counts
// the gzip layers around r; hint is the size of r when known, or -1.
func (s *scan) stream(path string, r io.Reader, hint int64, inMaildir bool, depth int) bool {
	br := s.readers[depth]
	if br == nil {
		br = bufio.NewReaderSize(r, bufferSize)
		s.readers[depth] = br
	} else {
		br.Reset(r)
	}
	defer br.Reset(nil)
	loc := Location{Path: path, Compressed: depth > 0}
	f, err := Detect(br)
	if err != nil {
		return s.emit(&Message{Location: loc, Err: readError(err)})
	}
	switch f {
	case FormatGzip:
		if depth >= maxGzipDepth {
			return s.emit(&Message{Location: loc, Format: f, Err: fmt.Errorf("%w: gzip nested more than %d deep", ErrUnsupported, maxGzipDepth)})
		}
		zr, err := openGzip(br)
		if err != nil {
			return s.emit(&Message{Location: loc, Format: f, Err: err})
		}
		defer zr.Close()
		return s.stream(path, zr, -1, inMaildir, depth+1)
	case FormatEML:
		if inMaildir {
			f = FormatMaildir
		}
		data, size, err := readSingle(br, s.opts.maxSize(), hint, s.pool)
		return s.emit(&Message{Location: loc, Format: f, Size: size, Data: data, Err: err, pool: s.pool})
	case FormatMbox, FormatMboxCL2:
		return s.mbox(loc, br)
	}
	head, _ := br.Peek(br.Buffered())
	if f == FormatEmpty && depth > 0 {
		return s.emit(&Message{Location: loc, Format: f, Err: fmt.Errorf("%w: compressed file has no content", ErrEmpty)})
	}
	return s.emit(&Message{Location: loc, Format: f, Err: unsupported(f, head)})
}

// mbox delivers the messages of an mbox stream.
func (s *scan) mbox(loc Location, br *bufio.Reader) bool {
	sp := newMboxSplitter(br, s.opts, s.pool)
	for i := 1; ; i++ {
		if s.ctx.Err() != nil {
			return false
		}
		m, ok := sp.next()
		if !ok {
			return true
		}
		l := loc
		l.Index, l.Offset = i, m.start
		msg := &Message{Location: l, Format: m.format, Envelope: m.envelope, Size: m.size, Data: m.data, Err: m.err, pool: s.pool}
		if !s.emit(msg) {
			return false
		}
	}
}
