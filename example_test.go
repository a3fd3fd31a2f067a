package authlens_test

import (
	"context"
	"fmt"
	"os"

	"github.com/authlens/authlens"
)

// Analyze a message file offline: the verdict rests on the
// Authentication-Results of the receiver that delivered it.
func ExampleAnalyze() {
	f, err := os.Open("testdata/gmail-dmarc-pass.eml")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	rep, err := authlens.Analyze(context.Background(), f, authlens.Options{
		TrustedAuthServIDs: []string{"mx.google.com"},
	})
	if err != nil {
		// Not a message at all (empty, binary, no header block);
		// rep.Verdict is nil and rep.Error says why.
		fmt.Println("not analysed:", rep.Error)
		return
	}
	fmt.Println(rep.Verdict.Status, "by", rep.Verdict.Basis, "for", rep.From.Domain)
	fmt.Println("spf", rep.SPF.Result, "aligned", rep.SPF.Aligned)
	for _, d := range rep.DKIM {
		fmt.Println("dkim", d.Result, "d="+d.Domain, "aligned", d.Aligned)
	}
	fmt.Println("dmarc", rep.DMARC.Result, "p="+rep.DMARC.Policy)
	// Output:
	// pass by mx.google.com for shop.example
	// spf pass aligned true
	// dkim pass d=shop.example aligned true
	// dmarc pass p=reject
}

// AnalyzeBytes takes a message already in memory. Input that is not a
// message gives an error and a report without a verdict, so check the
// error before reading rep.Verdict.
func ExampleAnalyzeBytes() {
	for _, data := range [][]byte{
		[]byte("From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nHello.\r\n"),
		{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d},
	} {
		rep, err := authlens.AnalyzeBytes(context.Background(), data, authlens.Options{Source: "in-memory"})
		if err != nil {
			fmt.Println("not a message:", rep.Verdict == nil, rep.Error != "")
			continue
		}
		fmt.Println(rep.Verdict.Status, rep.From.Domain)
	}
	// Output:
	// unknown example.com
	// not a message: true true
}
