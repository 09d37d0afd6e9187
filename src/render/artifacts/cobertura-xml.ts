/**
 * `cobertura.xml` for GitLab's coverage visualization in the MR diff: qgate's merged coverage,
 * every file by its repository path, one `<source>` (the repository root).
 *
 * GitLab's documented limits (https://docs.gitlab.com/ci/testing/code_coverage/coverage_visualization/,
 * "Limits"; earlier on the cobertura page): a Cobertura XML file of at most 10 MiB and at most
 * 100 `<source>` nodes ("annotations may be missing or mismatched in the diff view" beyond).
 * "Annotations appear only on files changed in the MR diff", so `selectCoberturaFiles` spends
 * the 10 MiB on the changed files first. Checked in test/render/artifacts/published-schemas.test.ts
 * together with the DTD (fixtures/schemas/coverage-04.dtd).
 * GitLab matches a class to a repository file by the part of each `<source>` after the
 * project's full path, joined with `filename` (gitlab-org/gitlab!48048, "smart cobertura class
 * path correction"); a `<source>` that is exactly the checkout root (`$CI_PROJECT_DIR`) with
 * repo-relative filenames is the shape reported to work (gitlab-org/gitlab#296012).
 *
 * Shape and required attributes follow the Cobertura DTD
 * (http://cobertura.sourceforge.net/xml/coverage-04.dtd). qgate keeps no branch data, so every
 * branch figure is 0 and `branch-rate` is 0.
 */
import type { MergedCoverage } from '../../measure/merge-coverage.js';
import type { LineHits } from '../../model/coverage.js';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-escape.js';

export interface CoberturaOptions {
  /** Milliseconds since the epoch, as istanbul and coverage.py write it; pass the run's time for reproducible output. */
  timestamp: number;
  /** The absolute repository root: the one `<source>` every `filename` is relative to. */
  sourceRoot: string;
  /** What the selection left out, said in an XML comment at the top so a reader of the file sees it. */
  leftOut?: { truncated: number; omitted: number };
}

/** GitLab ignores a Cobertura file larger than this (10 MiB). */
export const GITLAB_COBERTURA_MAX_BYTES = 10 * 1024 * 1024;

/**
 * At most this much of the file goes to files the MR did not change: GitLab draws annotations only
 * on changed files, so the artifact scales with the MR, not with the repository (issue 16).
 */
export const UNCHANGED_FILES_MAX_BYTES = 1024 * 1024;

/** Room kept for everything around the `<class>` elements (declaration, root, `<sources>`, package). */
const ENVELOPE_BYTES = 16 * 1024;

/** A line-rate as a ratio with 4 decimals; 0 when nothing is coverable (the DTD requires a number). */
function rate(covered: number, valid: number): string {
  return valid === 0 ? '0' : String(Math.round((covered / valid) * 10000) / 10000);
}

/** Hits as a non-negative integer: the DTD's `hits` is a count, and qgate's parser reads only counts. */
function hitsText(value: number): string {
  if (!Number.isFinite(value) || value <= 0) return '0';
  return value >= Number.MAX_SAFE_INTEGER ? String(Number.MAX_SAFE_INTEGER) : String(Math.round(value));
}

function coveredCount(lineHits: LineHits): number {
  let covered = 0;
  for (const value of lineHits.hits) if (value > 0) covered += 1;
  return covered;
}

/** Classes rendered while selecting, so the document renders each file once. */
const renderedClasses = new WeakMap<LineHits, { path: string; text: string }>();

function renderClassOnce(path: string, lineHits: LineHits): string {
  const cached = renderedClasses.get(lineHits);
  if (cached !== undefined && cached.path === path) return cached.text;
  const text = renderClass(path, lineHits);
  renderedClasses.set(lineHits, { path, text });
  return text;
}

/** One `<class>` for one file; the class name is the path, as istanbul's `cobertura` reporter does for JS files. */
function renderClass(path: string, lineHits: LineHits): string {
  const valid = lineHits.lines.length;
  const covered = coveredCount(lineHits);
  const parts: string[] = [
    `<class name="${attr(path)}" filename="${attr(path)}" line-rate="${rate(covered, valid)}" branch-rate="0" complexity="0"><methods/><lines>`,
  ];
  for (let index = 0; index < valid; index += 1) {
    parts.push(`<line number="${lineHits.lines[index]}" hits="${hitsText(lineHits.hits[index] as number)}"/>`);
  }
  parts.push('</lines></class>\n');
  return parts.join('');
}

export function renderCoberturaXml(files: Iterable<[string, LineHits]>, options: CoberturaOptions): string {
  const classes: string[] = [];
  let linesValid = 0;
  let linesCovered = 0;
  for (const [path, lineHits] of files) {
    linesValid += lineHits.lines.length;
    linesCovered += coveredCount(lineHits);
    classes.push(renderClassOnce(path, lineHits));
  }
  const lineRate = rate(linesCovered, linesValid);
  const timestamp = Number.isFinite(options.timestamp) ? String(Math.max(0, Math.floor(options.timestamp))) : '0';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">\n',
    `<coverage line-rate="${lineRate}" branch-rate="0" lines-covered="${linesCovered}" lines-valid="${linesValid}" branches-covered="0" branches-valid="0" complexity="0" version="qgate" timestamp="${timestamp}">\n`,
    leftOutComment(options.leftOut),
    `<sources><source>${text(options.sourceRoot)}</source></sources>\n`,
    `<packages><package name="qgate" line-rate="${lineRate}" branch-rate="0" complexity="0"><classes>\n`,
    ...classes,
    '</classes></package></packages>\n',
    '</coverage>\n',
  ].join('');
}

function leftOutComment(leftOut: CoberturaOptions['leftOut']): string {
  if (leftOut === undefined || (leftOut.truncated === 0 && leftOut.omitted === 0)) return '';
  return `<!-- qgate: left out ${leftOut.truncated} changed and ${leftOut.omitted} unchanged files to stay within GitLab's 10 MiB limit (unchanged files get at most ${UNCHANGED_FILES_MAX_BYTES / 1024} KiB); result.json has every figure. -->\n`;
}

export interface CoberturaSelection {
  /** Files to render, changed files first, each group by path. */
  files: Array<[string, LineHits]>;
  /** Changed files with line data left out because the byte budget ran out: the caller should warn. */
  truncated: number;
  /** Unchanged files left out for the same reason (GitLab would not show them in the MR diff anyway). */
  omitted: number;
}

/**
 * Chooses the files for `cobertura.xml` within `maxBytes`: every changed file first, then the
 * others while they fit. Once a file does not fit no later file is added, so the choice never
 * depends on how small the remaining files happen to be. Files with only totals (no line data)
 * cannot be drawn in a diff and are never selected.
 */
export function selectCoberturaFiles(
  merged: MergedCoverage,
  changedPaths: ReadonlySet<string>,
  maxBytes: number = GITLAB_COBERTURA_MAX_BYTES,
): CoberturaSelection {
  const changed: Array<[string, LineHits]> = [];
  const others: Array<[string, LineHits]> = [];
  for (const [path, file] of merged.files) {
    if (file.lines === null) continue;
    (changedPaths.has(path) ? changed : others).push([path, file.lines]);
  }
  const byPath = (a: [string, LineHits], b: [string, LineHits]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  changed.sort(byPath);
  others.sort(byPath);

  const files: Array<[string, LineHits]> = [];
  let budget = maxBytes - ENVELOPE_BYTES;
  // Once the changed files are in, the unchanged ones may use at most UNCHANGED_FILES_MAX_BYTES more.
  let floor: number | null = null;
  const unchangedFloor = (): number => (floor ??= Math.max(0, budget - UNCHANGED_FILES_MAX_BYTES));
  let full = false;
  let truncated = 0;
  let omitted = 0;
  for (const [group, isChanged] of [[changed, true], [others, false]] as const) {
    for (const entry of group) {
      if (!full) {
        const size = Buffer.byteLength(renderClassOnce(entry[0], entry[1]), 'utf8');
        if (size <= budget - (isChanged ? 0 : unchangedFloor())) {
          budget -= size;
          files.push(entry);
          continue;
        }
        full = true;
      }
      if (isChanged) truncated += 1;
      else omitted += 1;
    }
  }
  return { files, truncated, omitted };
}
