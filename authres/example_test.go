package authres_test

import (
	"fmt"

	"github.com/authlens/authlens/authres"
)

func ExampleParse() {
	// Microsoft 365 writes no authserv-id and glues results with ";".
	h, err := authres.Parse("spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.com;" +
		" dkim=none (message not signed) header.d=none;dmarc=bestguesspass action=none" +
		" header.from=example.com;compauth=pass reason=109")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range h.Results {
		fmt.Println(r.Method, r.Value, r.Comments)
	}
	dmarc := h.Lookup(authres.MethodDMARC)[0]
	fmt.Println(dmarc.Prop("header.from"), dmarc.Prop("action"))
	fmt.Println(h.Lookup(authres.MethodCompAuth)[0].Reason)
	// Output:
	// spf pass [sender IP is 192.0.2.1]
	// dkim none [message not signed]
	// dmarc bestguesspass []
	// compauth pass []
	// example.com none
	// 109
}

func ExampleParseARC() {
	h, err := authres.ParseARC("i=1; mx.google.com; dkim=pass header.i=@example.com header.s=sel header.b=AbCd1234")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.Instance, h.AuthServID, h.Results[0].Prop("header.s"))
	// Output: 1 mx.google.com sel
}

func ExampleParseReceivedSPF() {
	r, err := authres.ParseReceivedSPF("Pass (protection.outlook.com: domain of example.com designates 192.0.2.5 as permitted sender)" +
		" receiver=protection.outlook.com; client-ip=192.0.2.5; helo=mail.example.com; pr=C")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Result, r.Get("client-ip"), r.Get("pr"))
	// Output: pass 192.0.2.5 C
}

func ExampleFormat() {
	h, _ := authres.Parse("Example.COM;DKIM=Pass (good)  Header.D=example.org;;")
	fmt.Println(authres.Format(h))
	// Output: example.com; dkim=pass (good) header.d=example.org
}
