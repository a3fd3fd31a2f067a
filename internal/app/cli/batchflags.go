package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/pflag"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/internal/app/batch"
)

// batchConfig holds the flags for scanning many messages.
type batchConfig struct {
	jobs           int
	unordered      bool
	maxMessageSize int64
	summary        bool
	failOn         []string
	bodyCheck      string
}

func addBatchFlags(fs *pflag.FlagSet, b *batchConfig) {
	fs.IntVar(&b.jobs, "jobs", runtime.GOMAXPROCS(0), "messages analysed in parallel")
	fs.BoolVar(&b.unordered, "unordered", false, "write records as they finish instead of in input order")
	fs.Int64Var(&b.maxMessageSize, "max-message-size", 64<<20, "largest message analysed, in bytes; larger ones are reported as errors")
	fs.StringVar(&b.bodyCheck, "body-check", "auto", "offline DKIM body check: all, failed (only messages with a recorded DKIM failure), off, or auto: all for single messages, failed when scanning folders and mailboxes")
	fs.BoolVar(&b.summary, "summary", false, "end with a summary of all messages (in the output format)")
	fs.StringSliceVar(&b.failOn, "fail-on", nil, "exit 1 when a message matches: dmarc=fail, verdict!=pass, spf=fail|softfail, severity>=high, a finding code, … (repeatable)")
}

// jobsPerCPU bounds --jobs: more workers than this many per CPU only add
// memory (each holds messages and reports in flight), even online where
// workers mostly wait for DNS.
const jobsPerCPU = 16

// maxJobs is the largest --jobs accepted.
func maxJobs() int { return jobsPerCPU * runtime.NumCPU() }

func (b *batchConfig) validate() error {
	if b.jobs < 1 {
		return usageError(fmt.Sprintf("--jobs must be at least 1, not %d", b.jobs))
	}
	if m := maxJobs(); b.jobs > m {
		return usageError(fmt.Sprintf("--jobs must be at most %d (%d per CPU, %d CPUs), not %d", m, jobsPerCPU, runtime.NumCPU(), b.jobs))
	}
	if b.maxMessageSize < 1 {
		return usageError(fmt.Sprintf("--max-message-size must be positive, not %d", b.maxMessageSize))
	}
	if _, err := b.conditions(); err != nil {
		return err
	}
	if b.bodyCheck != "auto" {
		if _, err := authlens.ParseBodyCheckMode(b.bodyCheck); err != nil {
			return usageError(fmt.Sprintf("--body-check must be auto, all, failed or off, not %q", b.bodyCheck))
		}
	}
	return nil
}

// bodyCheckMode is the body check for a run; scan tells that an input is a
// folder or a mailbox.
func (b *batchConfig) bodyCheckMode(scan bool) authlens.BodyCheckMode {
	if b.bodyCheck == "auto" {
		if scan {
			return authlens.BodyCheckFailed
		}
		return authlens.BodyCheckAll
	}
	m, _ := authlens.ParseBodyCheckMode(b.bodyCheck)
	return m
}

// conditions parses the --fail-on expressions.
func (b *batchConfig) conditions() ([]batch.Condition, error) {
	conds := make([]batch.Condition, 0, len(b.failOn))
	for _, expr := range b.failOn {
		c, err := batch.ParseCondition(expr)
		if err != nil {
			return nil, usageError("--fail-on: " + err.Error())
		}
		conds = append(conds, c)
	}
	return conds, nil
}
