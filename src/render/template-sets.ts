/**
 * The template folders of report-templates/ and what compiling each needs: the helpers its
 * templates may call (`knownHelpersOnly`), and the partials printed inside a line (their file's
 * final newline is not part of them). Data only, so the build (scripts/build-templates.mjs)
 * precompiles exactly what template-folder.ts would compile at run time.
 */
export interface TemplateSet {
  helpers: readonly string[];
  inlinePartials: readonly string[];
}

/** The helpers a Markdown template may call (the built-in block helpers aside). */
export const MARKDOWN_HELPERS = ['md', 'code', 'cellCode', 'href', 'html'] as const;

export const TEMPLATE_SETS: Readonly<Record<string, TemplateSet>> = {
  markdown: { helpers: MARKDOWN_HELPERS, inlinePartials: ['link'] },
  html: { helpers: ['href'], inlinePartials: [] },
  scorecard: { helpers: ['href'], inlinePartials: [] },
};

/** Handlebars compile options for a set: strict (a renamed field throws), its helpers and no other. */
export function compileOptions(set: TemplateSet): { strict: true; knownHelpersOnly: true; knownHelpers: Record<string, true> } {
  return { strict: true, knownHelpersOnly: true, knownHelpers: Object.fromEntries(set.helpers.map((name) => [name, true as const])) };
}

/** A template's source as compiled: an inline partial loses its final newline. */
export function templateSource(set: TemplateSet, name: string, source: string): string {
  return set.inlinePartials.includes(name) ? source.replace(/\r?\n$/, '') : source;
}
