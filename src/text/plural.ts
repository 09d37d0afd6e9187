/** `3 files`, `1 file`, `2 entries`: a count with its noun, for every message qgate writes. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
