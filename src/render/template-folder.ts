/**
 * The one way qgate compiles a folder of Handlebars templates: an isolated instance, the given
 * helpers and no other (`knownHelpersOnly`), `strict` compiles (a renamed field throws), every
 * `.hbs` beside the main template registered as a partial named after its file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** The folder holding `report-templates/`: the package root, from src/ or dist/src/ alike. */
export function findTemplatesDir(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'report-templates');
    if (existsSync(join(candidate, 'markdown', 'comment.hbs'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`report-templates/ not found above ${start}: the qgate package is incomplete`);
    dir = parent;
  }
}

export type TemplateHelpers = Record<string, (value: unknown) => unknown>;

/**
 * Compiles `report-templates/<folder>/<main>.hbs` with its sibling partials.
 * `helpers` receives the instance (for `SafeString`); `partialSource` may adjust a partial's text.
 */
export function compileTemplateFolder<View>(
  folder: string,
  main: string,
  helpers: (hbs: typeof Handlebars) => TemplateHelpers,
  partialSource: (name: string, source: string) => string = (_name, source) => source,
): (view: View) => string {
  const hbs = Handlebars.create();
  const registered = helpers(hbs);
  for (const [name, helper] of Object.entries(registered)) hbs.registerHelper(name, helper);
  const options = { strict: true, knownHelpersOnly: true, knownHelpers: Object.fromEntries(Object.keys(registered).map((name) => [name, true])) };
  const dir = join(findTemplatesDir(), folder);
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.hbs') || file === `${main}.hbs`) continue;
    const name = file.slice(0, -'.hbs'.length);
    hbs.registerPartial(name, hbs.compile(partialSource(name, readFileSync(join(dir, file), 'utf8')), options));
  }
  const template = hbs.compile<View>(readFileSync(join(dir, `${main}.hbs`), 'utf8'), options);
  return (view) => template(view);
}

/** The `href` helper of the HTML pages: http(s) only; a plain string, so Handlebars still escapes it for the attribute. */
export function htmlHref(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`an HTML template passed a ${value === null ? 'null' : typeof value} value to href; the view model must give a string`);
  if (!/^https?:\/\//i.test(value)) throw new Error(`not an http(s) URL for an HTML link: ${value}`);
  return value;
}
