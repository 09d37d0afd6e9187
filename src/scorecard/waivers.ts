/**
 * A scored project's own waivers: `.qgate-scorecard.yml` at its repository root, so the team
 * that owns the exception writes it, reviews it in a merge request, and it is visible in their
 * history. Two kinds:
 *
 *   waivers:
 *     - check: performance          # a check id of the rubric
 *       notApplicable: true         # "n/a": a library with no HTTP service has no k6 test
 *       by: jane.doe
 *       reason: a library; no HTTP service to load-test
 *     - check: mutation-60
 *       by: team-lead
 *       reason: mutation testing lands with the parser rewrite
 *       until: 2027-03-31           # required for a waiver (not for n/a)
 *
 * A waiver is shown on the page, never silent; an expired one is not honoured and says so.
 * Hostile input: a file larger than 64 KiB, not YAML, or with bad entries gives a problem that
 * is shown, and the bad entries are ignored.
 */
import { parse } from 'yaml';
import type { Waiver, WaiverFile } from './model.js';

export const WAIVER_FILE = '.qgate-scorecard.yml';
export const MAX_WAIVER_BYTES = 64 * 1024;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown, max = 300): string | null {
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && value.trim() !== '' ? value.trim().replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max) : null;
}

/** The waivers in a project's file text; never throws. */
export function parseWaivers(source: string, path = WAIVER_FILE): WaiverFile {
  const problems: string[] = [];
  if (source.length > MAX_WAIVER_BYTES) return { path, waivers: [], problems: [`${path} is larger than ${MAX_WAIVER_BYTES / 1024} KiB; ignored`] };
  let data: unknown;
  try {
    data = parse(source, { maxAliasCount: 10 });
  } catch (error) {
    return { path, waivers: [], problems: [`${path} is not valid YAML (${(error as Error).message.split('\n')[0]}); ignored`] };
  }
  const list = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as { waivers?: unknown }).waivers : undefined;
  const links = linksOf(data);
  if (list === undefined && links !== null) return { path, waivers: [], problems: [], links };
  if (!Array.isArray(list)) return { path, waivers: [], problems: [`${path} has no \`waivers:\` list; ignored`], links };
  const waivers: Waiver[] = [];
  list.slice(0, 200).forEach((entry: unknown, index) => {
    const at = `${path}: waivers[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at} is not a mapping; ignored`);
      return;
    }
    const raw = entry as Record<string, unknown>;
    const check = text(raw.check, 80);
    const by = text(raw.by, 120);
    const reason = text(raw.reason);
    const until = raw.until instanceof Date ? raw.until.toISOString().slice(0, 10) : text(raw.until, 10);
    const notApplicable = raw.notApplicable === true;
    const missing = [check === null ? 'check' : null, by === null ? 'by (who decided)' : null, reason === null ? 'reason (why)' : null, !notApplicable && until === null ? 'until (a waiver needs an end date)' : null].filter((item) => item !== null);
    if (missing.length > 0) {
      problems.push(`${at} needs ${missing.join(', ')}; ignored`);
      return;
    }
    if (until !== null && (!DATE.test(until) || Number.isNaN(Date.parse(until)))) {
      problems.push(`${at}: until must be a date YYYY-MM-DD (got ${JSON.stringify(until)}); ignored`);
      return;
    }
    waivers.push({ check: check as string, kind: notApplicable ? 'n/a' : 'waived', by: by as string, reason: reason as string, until });
  });
  return { path, waivers, problems, links };
}

/** `links: { monitoring: URL, incidents: URL }`: where the team's dashboards and incident process live; only http(s) URLs count. */
function linksOf(data: unknown): WaiverFile['links'] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const raw = (data as { links?: unknown }).links;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const url = (value: unknown): string | null => {
    const found = text(value, 500);
    return found !== null && /^https?:\/\/\S+$/i.test(found) ? found : null;
  };
  return { monitoring: url((raw as Record<string, unknown>).monitoring), incidents: url((raw as Record<string, unknown>).incidents) };
}

/** The waiver for `checkId`, with whether it has expired on `now` (expires at the end of `until`, UTC). */
export function waiverFor(file: WaiverFile | null | undefined, checkId: string, now: Date): (Waiver & { expired: boolean }) | null {
  const waiver = file?.waivers.find((candidate) => candidate.check === checkId);
  if (waiver === undefined) return null;
  const expired = waiver.until !== null && Date.parse(`${waiver.until}T23:59:59.999Z`) < now.getTime();
  return { ...waiver, expired };
}
