/**
 * k6 metric names with sub-metric selectors (`http_req_duration{expected_response:true}`),
 * parsed the way k6 itself parses them, so a selector written with other spacing or tag order
 * in qgate's config finds the same sub-metric.
 *
 * k6's rules (grafana/k6 `metrics/metric.go`, `ParseMetricName` and `Metric.AddSubmetric`):
 * the selector is everything between the first `{` and a `}` that must be the last character;
 * tags are separated by `,`; each is split at its first `:`; keys and values are trimmed of
 * spaces and of `"`/`'` quotes; a tag without `:` has the value "". Values are compared as
 * plain strings: `{status:>=500}` selects samples whose status tag is literally ">=500"
 * (no sample ever), a mistake seen in real scripts (FORMATS.md §7).
 */

export interface MetricSelector {
  /** The metric the selector filters, e.g. `http_req_duration`. */
  metric: string;
  /** The tags a sample must carry with exactly these values; null for a plain metric name. */
  tags: Record<string, string> | null;
}

function unquote(text: string): string {
  return text.trim().replace(/^["']+|["']+$/g, '');
}

/** Parses `name` or `name{k:v,...}`; null when the braces are malformed (k6 refuses such a name). */
export function parseMetricSelector(name: string): MetricSelector | null {
  const open = name.indexOf('{');
  const close = name.lastIndexOf('}');
  if (open === -1 && close === -1) return { metric: name, tags: null };
  if (open === -1 || close === -1 || close < open || close !== name.length - 1) return null;
  const tags: Record<string, string> = {};
  for (const part of name.slice(open + 1, close).split(',')) {
    if (part.trim() === '') continue;
    const colon = part.indexOf(':');
    if (colon === -1) tags[unquote(part)] = '';
    else tags[unquote(part.slice(0, colon))] = unquote(part.slice(colon + 1));
  }
  if (Object.keys(tags).length === 0) return null;
  return { metric: name.slice(0, open), tags };
}

/** A canonical spelling (`metric{a:1,b:2}`, tags sorted) to compare selectors written differently. */
export function canonicalMetricName(name: string): string {
  const selector = parseMetricSelector(name);
  if (selector === null || selector.tags === null) return name;
  const tags = Object.keys(selector.tags)
    .sort()
    .map((key) => `${key}:${selector.tags?.[key] ?? ''}`);
  return `${selector.metric}{${tags.join(',')}}`;
}

/** True when `tags` carries every tag of the selector with the same value. */
export function tagsMatch(selectorTags: Record<string, string>, tags: Record<string, unknown>): boolean {
  for (const key in selectorTags) {
    if (tags[key] !== selectorTags[key]) return false;
  }
  return true;
}
