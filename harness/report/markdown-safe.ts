// Text from a comparison document (benchmark names, units, labels, warnings) may come from a
// pull request and is untrusted in a PR comment. Every character that Markdown, GitHub's
// extensions ($math$, :emoji:, @mentions, #refs, autolinks) or HTML could act on becomes a
// numeric character reference, which CommonMark always shows as the literal character; inside
// <code> GitHub neither links mentions and references nor renders emoji. Parentheses stay: with
// the brackets escaped they cannot form a link.

const ACTIVE = /[&<>"'`|\\*_[\]#!~@:$^]/g
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g

/** escapeMarkdownText makes untrusted text inert in Markdown and HTML, on one line. */
export function escapeMarkdownText(text: string): string {
  return text.replace(CONTROL, ' ').replace(ACTIVE, (c) => `&#${c.charCodeAt(0)};`)
}

/** codeSpan shows untrusted text as inline code that cannot break out of a table cell or its tag. */
export function codeSpan(text: string): string {
  return `<code>${escapeMarkdownText(text)}</code>`
}

/** markdownLink renders a link to an http(s) URL, or the bare (escaped) label when the URL is not one. */
export function markdownLink(label: string, url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return escapeMarkdownText(label)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return escapeMarkdownText(label)
  const href = parsed.href.replace(/[()<> "'`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
  return `[${escapeMarkdownText(label)}](${href})`
}
