/**
 * Differential oracle for the hand-written XML reader: every generated and real Cobertura,
 * Clover and JUnit fixture is read by src/inputs/xml.ts (through its public `readXml`) and by
 * saxes, a conforming reference parser, and the event streams must be identical: every start
 * tag with its decoded attributes, every end tag, and the text of the elements a format reads.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { readXml } from '../../src/inputs/xml.js';

const FOLDERS = ['fixtures/coverage/cobertura', 'fixtures/coverage/clover', 'fixtures/e2e/junit', 'fixtures/e2e/generated'];
const TEXT_OF = new Set(['source', 'failure', 'error', 'skipped', 'system-out', 'system-err']);

function fixtures(): string[] {
  const found: string[] = [];
  for (const folder of FOLDERS) {
    const dir = join(process.cwd(), folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.xml')) continue;
      const bytes = readFileSync(join(process.cwd(), folder, name));
      // UTF-8 only: the other encodings are decoded before the reader sees them (tested elsewhere).
      if (bytes[0] === 0xff || bytes[0] === 0xfe || /encoding=["'](?!utf-8)/i.test(bytes.subarray(0, 200).toString('latin1'))) continue;
      found.push(`${folder}/${name}`);
    }
  }
  return found;
}

type Event = string;

function push(events: Event[], event: Event): void {
  const last = events.length - 1;
  if (event.startsWith('text ') && events[last]?.startsWith('text ')) events[last] += event.slice(5);
  else events.push(event);
}

function open(name: string, attributes: Readonly<Record<string, string>>): Event {
  return `open ${name} ${JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
}

async function fast(text: string): Promise<Event[]> {
  const events: Event[] = [];
  async function* chunks(): AsyncIterable<string> {
    // Uneven chunks, so constructs split across chunk boundaries are exercised too.
    for (let at = 0; at < text.length; at += 4093) yield text.slice(at, at + 4093);
  }
  await readXml(chunks(), { file: 'fixture.xml', format: 'test' }, {
    openTag: (name, attributes) => push(events, open(name, attributes)),
    closeTag: (name) => push(events, `close ${name}`),
    text: (piece) => push(events, `text ${piece}`),
    textOf: TEXT_OF,
  });
  return events;
}

function reference(text: string): Event[] {
  const events: Event[] = [];
  const stack: string[] = [];
  const parser = new SaxesParser();
  const onText = (piece: string): void => {
    if (stack.length > 0 && TEXT_OF.has(stack[stack.length - 1] as string)) push(events, `text ${piece}`);
  };
  parser.on('opentag', (tag) => {
    stack.push(tag.name);
    push(events, open(tag.name, tag.attributes as Record<string, string>));
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    push(events, `close ${tag.name}`);
  });
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.write(text).close();
  return events;
}

const FILES = fixtures();

describe('src/inputs/xml.ts against saxes', () => {
  it('has real and generated fixtures of each format to compare', () => {
    expect(FILES.some((file) => file.includes('cobertura'))).toBe(true);
    expect(FILES.some((file) => file.includes('clover'))).toBe(true);
    expect(FILES.some((file) => file.includes('junit'))).toBe(true);
  });

  it.each(FILES)('%s gives the same events', async (file) => {
    const text = readFileSync(join(process.cwd(), file), 'utf8').replace(/^\uFEFF/, '');
    const expected = reference(text).filter((event) => !/^text \s*$/.test(event));
    const actual = (await fast(text)).filter((event) => !/^text \s*$/.test(event));
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });
});
