package batch

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// progressEvery is how often the progress line is redrawn.
const progressEvery = 200 * time.Millisecond

// Progress draws a one-line progress meter (messages, bytes, rate and, when
// the total is known, percentage and time left) on a terminal. Call Add for
// each item and Done at the end; it is not safe for concurrent use.
type Progress struct {
	w        io.Writer
	total    int64 // bytes expected, 0 when unknown
	start    time.Time
	last     time.Time
	messages int
	bytes    int64
	drawn    bool
}

// NewProgress returns a meter writing to w. total is the number of bytes
// expected (see InputSize), or 0 when unknown.
func NewProgress(w io.Writer, total int64) *Progress {
	now := time.Now()
	return &Progress{w: w, total: total, start: now, last: now}
}

// Add counts one item of size bytes and redraws the line now and then.
func (p *Progress) Add(size int64) {
	p.messages++
	p.bytes += size
	if now := time.Now(); now.Sub(p.last) >= progressEvery {
		p.last = now
		p.draw(now)
	}
}

// Done erases the progress line.
func (p *Progress) Done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

func (p *Progress) draw(now time.Time) {
	elapsed := now.Sub(p.start).Seconds()
	rate := float64(p.messages) / elapsed
	line := fmt.Sprintf("%d messages  %s  %.0f msg/s", p.messages, mib(p.bytes), rate)
	if p.total > 0 && p.bytes > 0 {
		done := min(float64(p.bytes)/float64(p.total), 0.99)
		left := time.Duration(elapsed * (1 - done) / done * float64(time.Second)).Round(time.Second)
		line = fmt.Sprintf("%3.0f%%  %s of %s  ETA %s", done*100, line, mib(p.total), left)
	}
	fmt.Fprint(p.w, "\r\x1b[K"+line)
	p.drawn = true
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// InputSize returns the total size of the regular files named by paths
// and found under the directories among them, for Progress. Standard input
// and unreadable entries count as nothing. Compressed files count their
// compressed size, so the estimate is rough for them.
func InputSize(paths []string) int64 {
	var total int64
	for _, p := range paths {
		fi, err := os.Stat(p)
		switch {
		case p == "-" || err != nil:
		case fi.Mode().IsRegular():
			total += fi.Size()
		case fi.IsDir():
			_ = filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					if fi, err := d.Info(); err == nil {
						total += fi.Size()
					}
				}
				return nil
			})
		}
	}
	return total
}
