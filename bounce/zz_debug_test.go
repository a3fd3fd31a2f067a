package bounce

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestZZDebug(t *testing.T) {
	dir := os.Getenv("BOUNCE_DIR")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, os.Getenv("BOUNCE_GLOB")))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		rep, ok, err := ParseMessage(bytes.NewReader(b))
		if !ok {
			fmt.Printf("%-40s NOT BOUNCE err=%v\n", filepath.Base(f), err)
			continue
		}
		fmt.Printf("%-40s %s/%s mta=%q n=%d err=%q\n", filepath.Base(f), rep.Kind, rep.Generator, rep.ReportingMTA, len(rep.Recipients), rep.Error)
		for _, r := range rep.Recipients {
			fmt.Printf("    %q st=%s(%s) reply=%d rule=%s auth=%v remote=%q\n      diag=%.160q\n", r.Address, r.Status, r.StatusField, r.ReplyCode, r.Explanation.Rule, r.Explanation.Auth, r.RemoteMTA, r.Diagnostic)
		}
		if os.Getenv("V") != "" && rep.Original != nil {
			fmt.Printf("    orig=%+v\n", *rep.Original)
		}
	}
}
