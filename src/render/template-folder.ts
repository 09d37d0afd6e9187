/**
 * The one way qgate compiles a folder of Handlebars templates: an isolated instance, the given
 * helpers and no other (`knownHelpersOnly`), `strict` compiles (a renamed field throws), every
 * `.hbs` beside the main template registered as a partial named after its file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type HandlebarsNamespace from 'handlebars';
import { compileOptions, TEMPLATE_SETS, templateSource } from './template-sets.js';

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
type Hbs = typeof HandlebarsNamespace;
type Precompiled = Record<string, Record<string, Parameters<Hbs['template']>[0]>>;

/**
 * The templates precompiled at build time (scripts/build-templates.mjs writes them beside this
 * module in dist/) with Handlebars' runtime, which has no compiler: loading and compiling the
 * templates at run time cost about 70 ms a run. Without them (tests run from src/), the full
 * Handlebars compiles the same sources with the same options.
 */
async function loadHandlebars(): Promise<{ hbs: Hbs; precompiled: Precompiled | null }> {
  const generated = './templates.generated.js';
  try {
    const precompiled = ((await import(generated)) as { default: Precompiled }).default;
    const runtime = (await import('handlebars/runtime.js')) as unknown as { default: Hbs };
    return { hbs: runtime.default, precompiled };
  } catch (error) {
    // A broken generated module is a bug, not a fallback.
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
  const full = (await import('handlebars')) as unknown as { default: Hbs };
  return { hbs: full.default, precompiled: null };
}

const { hbs: Handlebars, precompiled } = await loadHandlebars();

/** Compiles (or, built, loads) `report-templates/<folder>/<main>.hbs` with its sibling partials. `helpers` receives the instance (for `SafeString`). */
export function compileTemplateFolder<View>(folder: string, main: string, helpers: (hbs: Hbs) => TemplateHelpers): (view: View) => string {
  const set = TEMPLATE_SETS[folder];
  if (set === undefined) throw new Error(`no template set "${folder}" in template-sets.ts`);
  const hbs = Handlebars.create();
  const registered = helpers(hbs);
  for (const [name, helper] of Object.entries(registered)) hbs.registerHelper(name, helper);
  const built = precompiled?.[folder];
  if (built !== undefined) {
    for (const [name, spec] of Object.entries(built)) if (name !== main) hbs.registerPartial(name, hbs.template(spec));
    const spec = built[main];
    if (spec === undefined) throw new Error(`report-templates/${folder}/${main}.hbs was not precompiled: run npm run build`);
    const template = hbs.template<View>(spec);
    return (view) => template(view);
  }
  const options = compileOptions(set);
  const dir = join(findTemplatesDir(), folder);
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.hbs') || file === `${main}.hbs`) continue;
    const name = file.slice(0, -'.hbs'.length);
    hbs.registerPartial(name, hbs.compile(templateSource(set, name, readFileSync(join(dir, file), 'utf8')), options));
  }
  const template = hbs.compile<View>(templateSource(set, main, readFileSync(join(dir, `${main}.hbs`), 'utf8')), options);
  return (view) => template(view);
}

/** The `href` helper of the HTML pages: http(s) only; a plain string, so Handlebars still escapes it for the attribute. */
export function htmlHref(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`an HTML template passed a ${value === null ? 'null' : typeof value} value to href; the view model must give a string`);
  if (!/^https?:\/\//i.test(value)) throw new Error(`not an http(s) URL for an HTML link: ${value}`);
  return value;
}
