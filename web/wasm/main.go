//go:build js && wasm

// Command wasm is authlens' offline analysis compiled to WebAssembly
// (GOOS=js GOARCH=wasm), so the web page runs as static files with no
// server: the page loads it when it is not served by `authlens serve`.
// It defines globalThis.authlensWasm.analyze(bytes, source), which returns
// {json} (the records `authlens --format json -` writes for those bytes)
// or {error}. Online checks need DNS and are left to the server.
package main

import (
	"context"
	"fmt"
	"syscall/js"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/web/engine"
)

func main() {
	analyze := js.FuncOf(func(this js.Value, args []js.Value) (out any) {
		defer func() {
			if p := recover(); p != nil {
				out = map[string]any{"error": fmt.Sprintf("the analysis failed: %v", p)}
			}
		}()
		if len(args) < 1 || args[0].Type() != js.TypeObject {
			return map[string]any{"error": "analyze takes the message as a Uint8Array"}
		}
		data := make([]byte, args[0].Get("length").Int())
		js.CopyBytesToGo(data, args[0])
		source := ""
		if len(args) > 1 && args[1].Type() == js.TypeString {
			source = args[1].String()
		}
		res, err := engine.Analyze(context.Background(), engine.Request{Data: data, Source: source, Options: authlens.Options{}})
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		return map[string]any{"json": string(res.JSON)}
	})
	js.Global().Set("authlensWasm", js.ValueOf(map[string]any{"analyze": analyze}))
	select {} // keep the functions alive for the page's lifetime
}
