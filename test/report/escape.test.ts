import { describe, expect, it } from 'vitest'
import { codeBlock, defuseMentions, htmlText, mdCode, mdText, terminalText } from '../../src/report/escape.js'
import { renderMarkdown } from '../../src/report/markdown.js'
import { renderText } from '../../src/report/text.js'
import { HOSTILE, hostileReport } from './generatedFixtures.js'

const ZWJ = '\u200d'

describe('escaping what comes from the tree', () => {
  it('turns HTML into entities in prose and in summaries', () => {
    expect(mdText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;')
    expect(htmlText('<b>"x"</b>')).toBe('&lt;b&gt;&quot;x&quot;&lt;/b&gt;')
  })

  it('defuses @mentions and #references everywhere outside code', () => {
    expect(mdText('@acme/security')).toBe(`@${ZWJ}acme/security`)
    expect(htmlText('cc @octocat')).toBe(`cc @${ZWJ}octocat`)
    expect(defuseMentions('see #12, mail a@b.com')).toBe(`see #${ZWJ}12, mail a@b.com`)
  })

  it('escapes Markdown punctuation and pipes', () => {
    expect(mdText('| pipe | table')).toBe('\\| pipe \\| table')
    expect(mdText('**bold** [x](y) ~~s~~')).toBe('\\*\\*bold\\*\\* \\[x\\](y) \\~\\~s\\~\\~')
    expect(mdText('# heading')).toBe('\\# heading')
    expect(mdText('1. item')).toBe('1\\. item')
  })

  it('writes code spans that no backtick can close, and escapes pipes in tables', () => {
    expect(mdCode('a`b``c')).toBe('```a`b``c```')
    expect(mdCode('`x')).toBe('`` `x ``')
    expect(mdCode('a|b', { inTable: true })).toBe('`a\\|b`')
  })

  it('flattens line breaks so a name cannot forge a diff line', () => {
    expect(mdCode('a\n+ admin')).toBe('`a + admin`')
    expect(codeBlock('x ``` y\n````')).toBe('`````\nx ``` y\n````\n`````')
  })

  it('shows terminal control characters instead of interpreting them', () => {
    expect(terminalText('\u001b[31mred')).toBe('\\x1b[31mred')
  })

  it('renders a hostile tree inert in the PR comment', () => {
    const text = renderMarkdown(hostileReport())
    const prose = outsideCode(text)
    expect(prose).not.toContain('<img')
    expect(prose).not.toMatch(/@acme/)
    expect(prose).toContain(`@${ZWJ}acme`)
    expect(prose).not.toMatch(/(^|[^\\])\]\(javascript:/m)
    expect(text).not.toContain('\u001b')
    expect(text.match(/<!-- access-diff:comment/g)).toHaveLength(1)
    // no forged diff line: every line of a diff block starts with + or - and a capability
    expect(text).not.toMatch(/^\+ administer-resource iam \* forged/m)
    // every table row has the same number of cells as its header
    let columns = 0
    for (const line of text.split('\n')) {
      if (!line.startsWith('|')) {
        columns = 0
        continue
      }
      const cells = line.replace(/\\\|/g, '').split('|').length
      if (columns === 0) columns = cells
      expect(cells).toBe(columns)
    }
  })

  it('renders a hostile tree inert in the terminal', () => {
    const text = renderText(hostileReport())
    expect(text).not.toContain('\u001b')
    for (const h of HOSTILE.slice(0, 3)) expect(text).toContain(h)
  })
})

/** The text GitHub would parse for HTML and mentions: without fenced blocks and code spans. */
function outsideCode(markdown: string): string {
  return markdown
    .replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
    .replace(/\\`/g, '')
    .replace(/(`+)(?:(?!\1)[\s\S])+?\1/g, '')
}
