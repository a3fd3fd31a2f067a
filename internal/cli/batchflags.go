package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/pflag"
)

// batchConfig holds the flags for scanning many messages.
type batchConfig struct {
	jobs           int
	unordered      bool
	maxMessageSize int64
	summary        bool
	failOn         []string
}

func addBatchFlags(fs *pflag.FlagSet, b *batchConfig) {
	fs.IntVar(&b.jobs, "jobs", runtime.GOMAXPROCS(0), "messages analysed in parallel")
	fs.BoolVar(&b.unordered, "unordered", false, "write records as they finish instead of in input order")
	fs.Int64Var(&b.maxMessageSize, "max-message-size", 64<<20, "largest message analysed, in bytes; larger ones are reported as errors")
	fs.BoolVar(&b.summary, "summary", false, "end with a summary of all messages (in the output format)")
	fs.StringSliceVar(&b.failOn, "fail-on", nil, "exit 1 when a message matches: dmarc=fail, verdict=fail, a finding code, … (repeatable)")
}

func (b *batchConfig) validate() error {
	if b.jobs < 1 {
		return usageError(fmt.Sprintf("--jobs must be at least 1, not %d", b.jobs))
	}
	if b.maxMessageSize < 1 {
		return usageError(fmt.Sprintf("--max-message-size must be positive, not %d", b.maxMessageSize))
	}
	return nil
}
