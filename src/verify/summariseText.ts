const summaryLimit = 120

/**
 * A body that is not JSON (a proxy's or framework's HTML error page, plain text) in one line:
 * its kind and its title or first words, so it cannot flood a report.
 *
 * @example
 * summariseText('<html><title>Error</title><pre>Cannot PATCH /x</pre></html>', 'text/html') // 'an HTML page: "Error: Cannot PATCH /x"'
 */
export function summariseText(body: string, contentType: string | undefined): string {
  const html = /html/i.test(contentType ?? '') || /^\s*<(!doctype|html|head|body)/i.test(body)
  let text = body
  if (html) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1]?.trim()
    const content = body
      .replace(/<(script|style|title)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
    text = [title, content].filter((part) => part !== undefined && part.trim() !== '').join(': ')
  }
  const words = text.replace(/\s+/g, ' ').trim()
  const kind = html ? 'an HTML page' : contentType ? `a ${contentType.split(';')[0]!.trim()} body` : 'a body that is not JSON'
  if (words === '') return `${kind}, empty`
  return `${kind}: ${JSON.stringify(words.length <= summaryLimit ? words : `${words.slice(0, summaryLimit)}…`)}`
}
