/**
 * Differential oracle for the hand-written XML reader (src/inputs/xml.ts): every real XML fixture
 * of the repository, and generated documents, are read by it and by saxes (the well-kept reader it
 * replaced for speed), and the two event streams must be equal: the same start tags with the same
 * decoded attributes, the same end tags, the same text, and the same accept/refuse decision.
 * The fast reader is also fed in random chunk sizes, so a token split across chunks is covered.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { readXml } from '../../src/inputs/xml.js';
import { seededRandom } from '../e2e/git-repo.js';

type Event = ['open', string, Record<string, string>] | ['close', string] | ['text', string];

const ROOT = join(import.meta.dirname, '../../fixtures');

function xmlFixtures(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...xmlFixtures(path));
    else if (name.endsWith('.xml')) found.push(path);
  }
  return found.sort();
}

/** Adjacent text pieces joined: both readers may split text anywhere. */
function pushText(events: Event[], text: string): void {
  if (text === '') return;
  const last = events.at(-1);
  if (last !== undefined && last[0] === 'text') last[1] += text;
  else events.push(['text', text]);
}

/** Whitespace-only text between tags carries no data for any report format; both sides drop it. */
function dropBlankText(events: Event[]): Event[] {
  return events.filter((event) => event[0] !== 'text' || event[1].trim() !== '');
}

function withSaxes(xml: string): { events: Event[]; ok: boolean } {
  const events: Event[] = [];
  const parser = new SaxesParser({ xmlns: false, position: false });
  let ok = true;
  parser.on('error', () => {
    ok = false;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(tag.attributes)) attributes[name] = String(value);
    events.push(['open', tag.name, attributes]);
    if (tag.isSelfClosing) events.push(['close', tag.name]);
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) events.push(['close', tag.name]);
  });
  parser.on('text', (text) => pushText(events, text));
  parser.on('cdata', (text) => pushText(events, text));
  try {
    parser.write(xml).close();
  } catch {
    ok = false;
  }
  return { events: dropBlankText(events), ok };
}

async function withFastReader(xml: string, chunkSizes: () => number): Promise<{ events: Event[]; ok: boolean }> {
  const events: Event[] = [];
  // Text is only delivered inside elements the visitor names; the oracle wants it everywhere,
  // so every element seen is added to the set as it opens (the set is read when a tag opens).
  const textOf = new Set<string>();
  async function* chunks(): AsyncIterable<string> {
    for (let at = 0; at < xml.length; ) {
      const size = Math.max(1, chunkSizes());
      yield xml.slice(at, at + size);
      at += size;
    }
  }
  const names = new Set<string>();
  for (const match of xml.matchAll(/<([^\s/>!?]+)/g)) names.add(match[1]!);
  for (const name of names) textOf.add(name);
  try {
    await readXml(chunks(), { file: 'oracle.xml', format: 'oracle' }, {
      openTag: (name, attributes) => events.push(['open', name, { ...attributes }]),
      closeTag: (name) => events.push(['close', name]),
      text: (text) => pushText(events, text),
      textOf,
    });
    return { events: dropBlankText(events), ok: true };
  } catch {
    return { events: dropBlankText(events), ok: false };
  }
}

/** saxes keeps attribute values as written (line ends and tabs included); XML (§3.3.3), and the fast reader, normalise them to spaces. */
function normaliseAttributes(events: Event[]): Event[] {
  return events.map((event) => {
    if (event[0] !== 'open') return event;
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(event[2])) attributes[name] = value.replace(/\r\n|[\r\n\t]/g, ' ');
    return ['open', event[1], attributes];
  });
}

const fixtures = xmlFixtures(ROOT);
// Fixtures of the bad/ folders are refused on purpose, some for reasons saxes does not check
// (a DTD internal subset, nesting depth, a wrong root for the format): only well-formed ones compare.
const wellFormed = fixtures.filter((path) => withSaxes(readFileSync(path, 'utf8')).ok && !/\bbad\b/.test(path));

describe('the fast XML reader agrees with saxes', () => {
  it('has real fixtures of every XML format to compare', () => {
    const names = wellFormed.map((path) => relative(ROOT, path));
    expect(names.filter((name) => name.includes('cobertura')).length).toBeGreaterThan(10);
    expect(names.some((name) => /clover/i.test(name))).toBe(true);
    expect(names.some((name) => /junit/i.test(name))).toBe(true);
  });

  it.each(wellFormed.map((path) => [relative(ROOT, path), path]))('%s: same events, whole and in random chunks', async (_name, path) => {
    const xml = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
    const reference = withSaxes(xml);
    const random = seededRandom(path.length);
    for (const sizes of [() => xml.length, () => 1 + Math.floor(random() * 64), () => 1 + Math.floor(random() * 4096)]) {
      const fast = await withFastReader(xml, sizes);
      expect(fast.ok).toBe(true);
      expect(normaliseAttributes(fast.events)).toEqual(normaliseAttributes(reference.events));
    }
  });

  it('agrees on 500 generated documents, accepted or refused alike', async () => {
    const random = seededRandom(20261207);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const names = ['coverage', 'package', 'class', 'line', 'testcase', 'a:b', 'x_1', 'méthode'];
    const texts = ['plain', 'a &amp; b', '&lt;tag&gt;', '&#65;&#x42;', 'line\r\nend', '<![CDATA[raw <x> & ]]>', '&bogus;', 'bare & amp', 'tab\there', '\u00e9\u4e2d'];
    const values = ['1', 'a &quot;q&quot;', "it's", '&#x9;t', 'x<y', 'new\nline', '&amp;&lt;', ''];
    function element(depth: number): string {
      const name = pick(names);
      const attributes = Array.from({ length: Math.floor(random() * 3) }, (_, index) => {
        const value = pick(values);
        return random() < 0.5 ? ` k${index}="${value.replace(/"/g, '&quot;')}"` : ` k${index}='${value.replace(/'/g, '&apos;')}'`;
      }).join('');
      if (depth > 4 || random() < 0.3) return `<${name}${attributes}/>`;
      const children = Array.from({ length: Math.floor(random() * 4) }, () => (random() < 0.4 ? pick(texts) : element(depth + 1))).join(random() < 0.5 ? '\n  ' : '');
      return `<${name}${attributes}>${children}</${name}>`;
    }
    const breakages: Array<(xml: string) => string> = [
      (xml) => xml,
      (xml) => xml,
      (xml) => xml.slice(0, Math.floor(random() * xml.length)),
      (xml) => `${xml}<extra/>`,
      (xml) => xml.replace('</', '</x'),
      (xml) => `<!-- note -->\n${xml}\n<?pi data?>`,
    ];
    let accepted = 0;
    let refused = 0;
    for (let index = 0; index < 500; index += 1) {
      const declaration = random() < 0.5 ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '';
      const xml = declaration + pick(breakages)(element(0));
      const reference = withSaxes(xml);
      const fast = await withFastReader(xml, () => 1 + Math.floor(random() * 32));
      expect({ xml, ok: fast.ok }).toEqual({ xml, ok: reference.ok });
      if (reference.ok) {
        accepted += 1;
        expect(normaliseAttributes(fast.events)).toEqual(normaliseAttributes(reference.events));
      } else {
        refused += 1;
      }
    }
    // Both kinds were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(50);
  });
});
