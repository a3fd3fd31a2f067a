package bounce

import (
	"html"
	"strings"
)

// htmlText turns an HTML notice into plain text: block ends become line
// breaks, tags and script or style content are dropped and entities
// decoded.
func htmlText(s string) string {
	var b strings.Builder
	lower := lowerASCII(s)
	unclosed := map[string]bool{} // elements with no closing tag further on
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(s[i : i+j])
			i += j
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break
		}
		tag := strings.Trim(lower[i+1:i+end], "/ ")
		name, _, _ := strings.Cut(tag, " ")
		i += end + 1
		switch name {
		case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "pre":
			b.WriteByte('\n')
		case "td", "th":
			b.WriteByte(' ')
		case "style", "script":
			if unclosed[name] {
				break
			}
			if close := strings.Index(lower[i:], "</"+name); close >= 0 {
				i += close
			} else {
				unclosed[name] = true
			}
		}
	}
	out := html.UnescapeString(b.String())
	return strings.ReplaceAll(out, "\u00a0", " ")
}
