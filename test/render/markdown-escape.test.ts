import { describe, expect, it } from 'vitest';
import { codeSpan, escapeHtmlText, escapeMarkdownText, markdownLinkDestination, toPlainLine } from '../../src/render/markdown-escape.js';

const WJ = '\u2060';

describe('escapeMarkdownText', () => {
  it('leaves plain words, paths and numbers readable', () => {
    expect(escapeMarkdownText('src/pay/charge.ts line 12, ok?')).toBe('src/pay/charge.ts line 12, ok?');
    expect(escapeMarkdownText('63.15')).toBe('63.15');
  });

  it('breaks mentions and references with a word joiner, and nothing else', () => {
    expect(escapeMarkdownText('@all')).toBe(`@${WJ}all`);
    expect(escapeMarkdownText('see #12, !3, ~bug, ~"a b", %v1, $4, &5')).toBe(
      `see #${WJ}12, !${WJ}3, \\~${WJ}bug, \\~${WJ}"a b", %${WJ}v1, $${WJ}4, &amp;${WJ}5`,
    );
    expect(escapeMarkdownText('group/project#1')).not.toMatch(/#\d/);
    // Nothing to join when no name follows, and no backslash where Markdown needs none.
    expect(escapeMarkdownText('80% done: new_code_coverage (x)')).toBe('80% done: new_code_coverage (x)');
  });

  it('neutralises links, autolinks, images, raw HTML and entities', () => {
    expect(escapeMarkdownText('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
    expect(escapeMarkdownText('![](http://example.com/t.png)')).toBe(`!\\[\\](http:${WJ}//example.com/t.png)`);
    expect(escapeMarkdownText('see https://evil.test and www.evil.test')).toBe(`see https:${WJ}//evil.test and www${WJ}.evil.test`);
    expect(escapeMarkdownText('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMarkdownText('&lt;b&gt;')).toBe(`&amp;${WJ}lt;b&amp;${WJ}gt;`);
  });

  it('keeps a leading sign or # that opens no block: "+6.9 pts" renders as it is, with no backslash', async () => {
    const { default: MarkdownIt } = await import('markdown-it');
    const gfm = new MarkdownIt({ html: true, linkify: true });
    for (const text of ['+6.9 pts', '-0.5 pts', '+1', '--flag', '#1 thing', '==x']) {
      expect(escapeMarkdownText(text)).not.toMatch(/^\\/);
      const cell = /<td>(.*?)<\/td>/s.exec(gfm.render(`| a |\n|---|\n| ${escapeMarkdownText(text)} |\n`))?.[1] ?? '';
      const line = gfm.render(escapeMarkdownText(text));
      for (const html of [cell, line]) expect(html.replace(/<[^>]+>/g, '').replaceAll(WJ, '').trim()).toBe(text);
    }
    // Where a block would open, the backslash stays and markdown-it shows plain text.
    for (const text of ['+ item', '- item', '---', '===', '## h', '#']) {
      const html = gfm.render(escapeMarkdownText(text));
      expect(html).toMatch(/^<p>/);
      expect(html.replace(/<[^>]+>/g, '').trim()).toBe(text);
    }
  });

  it('keeps table cells whole: pipes escaped, line breaks become spaces', () => {
    expect(escapeMarkdownText('a | b')).toBe('a \\| b');
    expect(escapeMarkdownText('one\ntwo\r\nthree\rfour\u2028five')).toBe('one two three four five');
  });

  it('escapes emphasis, code, headings and list markers, not intraword underscores', () => {
    expect(escapeMarkdownText('**b** _e_ `c` ~~s~~ snake_case')).toBe(`\\*\\*b\\*\\* \\_e\\_ \\\`c\\\` \\~\\~${WJ}s\\~\\~ snake_case`);
    expect(escapeMarkdownText('# title')).toBe('\\# title');
    expect(escapeMarkdownText('- item')).toBe('\\- item');
    expect(escapeMarkdownText('1. item')).toBe('1\\. item');
    expect(escapeMarkdownText('back\\slash')).toBe('back\\\\slash');
  });

  it('makes control and invisible characters visible', () => {
    expect(escapeMarkdownText('a\u0000b\u202Ec\u200Bd\te')).toBe('a\uFFFDb\uFFFDc\uFFFDd e');
    expect(toPlainLine('x\u0085y')).toBe('x y');
  });
});

describe('codeSpan', () => {
  it('fences with one backtick more than the longest run inside', () => {
    expect(codeSpan('a !== b')).toBe('`a !== b`');
    expect(codeSpan('a ` b')).toBe('``a ` b``');
    expect(codeSpan('x ``` y')).toBe('````x ``` y````');
    expect(codeSpan('`edge`')).toBe('`` `edge` ``');
  });

  it('escapes pipes only in table cells, and never leaves a blank span', () => {
    expect(codeSpan('a || b', { tableCell: true })).toBe('a \\|\\| b');
    expect(codeSpan('a || b')).toBe('`a || b`');
    expect(codeSpan('  ')).toBe('*(blank)*');
  });

  it('keeps the span on one line', () => {
    expect(codeSpan('a\nb\u0000')).toBe('`a b\uFFFD`');
  });
});

describe('escapeHtmlText', () => {
  it('escapes HTML and breaks mentions for raw-HTML contexts such as <summary>', () => {
    expect(escapeHtmlText('<b>"x" & \'y\' @all #1 100%')).toBe(`&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39; @${WJ}all #${WJ}1 100%`);
  });
});

describe('markdownLinkDestination', () => {
  it('accepts only http(s) and encodes what would end the destination', () => {
    expect(markdownLinkDestination('https://gitlab.example.com/a/-/blob/sha/x(1).ts#L3')).toBe('https://gitlab.example.com/a/-/blob/sha/x%281%29.ts#L3');
    expect(markdownLinkDestination('javascript:alert(1)')).toBeNull();
    expect(markdownLinkDestination('https://x.test/a b')).toBeNull();
    expect(markdownLinkDestination('data:text/html,hi')).toBeNull();
  });
});
