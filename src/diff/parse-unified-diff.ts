/**
 * Reading a unified diff into the MR's changed lines: `git diff` output, `git format-patch`
 * mail (one patch or a series), and `diff -u` / `diff -ruN` output without git headers.
 *
 * Only `+` lines count as changed: a modified line appears as `-`/`+` and is counted through
 * its `+`; a deleted line has no head-side line to cover. Line numbers come from the hunk
 * header's new start, so they are right with `-U0` and with context alike.
 *
 * The parser is one pass over the lines with O(1) work per line (names are only decoded on
 * header lines) and keeps no diff text, so hundreds of thousands of lines stream through in
 * bounded memory. Formats, for reference:
 * - git's extended headers and C-quoted names: https://git-scm.com/docs/diff-format and
 *   `quote_c_style()` in git's quote.c (octal escapes are raw bytes, here UTF-8);
 * - GNU diff's unified format (`--- name<TAB>timestamp`, C-quoted names since 3.4):
 *   https://www.gnu.org/software/diffutils/manual/html_node/Detailed-Unified.html
 */
import { QgateError } from '../errors.js';
import type { ChangeStatus, ChangedFile, ChangedLineDetails, WaiverMatch } from '../model/diff.js';
import { findWaiver } from './waiver-markers.js';

/** What a diff says about the head side: the changed files and how many files it deletes. */
export interface ParsedDiff {
  files: ChangedFile[];
  /** Files the diff deletes; they have no head-side lines, so they are counted, not listed. */
  deletedFiles: number;
  /** Per path, modified lines and waivers (model/diff.ts); absent when the diff has no file with either. */
  details?: Map<string, ChangedLineDetails>;
}

/**
 * Reads a unified diff from text chunks (any split, CRLF or LF). Pure: no file system, no git.
 * Throws QgateError('DIFF_MALFORMED') naming `file` and the diff line for input that is not a
 * diff, a hunk header that cannot be read, or a hunk whose line counts do not match its body.
 */
export async function parseUnifiedDiff(chunks: AsyncIterable<string> | Iterable<string>, file: string, options: ParseOptions = {}): Promise<ParsedDiff> {
  const parser = new DiffParser(file, options.firstLine ?? 1);
  // A line longer than this keeps only its start: content lines need only their first
  // character, and no header (path names) is anywhere near this long.
  const maxLine = 1 << 20;
  let carry = '';
  for await (const chunk of chunks) {
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      const piece = chunk.slice(start, newline);
      if (carry.length > 0) {
        parser.feed(carry.length < maxLine ? carry + piece : carry);
        carry = '';
      } else {
        parser.feed(piece);
      }
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length && carry.length < maxLine) carry += chunk.slice(start);
  }
  if (carry.length > 0) parser.feed(carry);
  return parser.end();
}

export interface ParseOptions {
  /**
   * The line number of the text's first line in error messages: a caller that puts header
   * lines in front of a diff it was given (the GitLab API's hunks) numbers them 0, −1, …, so
   * messages point at the line of the text the user has.
   */
  firstLine?: number;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const INDEX_LINE = /^index [0-9a-f]+\.\.[0-9a-f]+(?: ([0-7]{6}))?/;
const MBOX_FROM = /^From [0-9a-f]{40} /;
/** GNU diff -N writes a missing file with the epoch as its time (in the local time zone). */
const EPOCH = /^(?:1970-01-01|1969-12-31)[ T]/;
/** Modes of a symbolic link and of a submodule (gitlink): neither has coverable lines. */
const SPECIAL_MODES = new Set(['120000', '160000']);

type Mode = 'preamble' | 'header' | 'hunk' | 'between' | 'binary';

interface HeaderName {
  /** The name as written, unquoted, without timestamp; null for /dev/null. */
  name: string | null;
  timestamp: string | null;
}

interface Section {
  kind: 'git' | 'traditional';
  line: number;
  /** Text after `diff --git ` (git sections). */
  gitNames: string | null;
  minus: HeaderName | undefined;
  plus: HeaderName | undefined;
  renameFrom: string | null;
  renameTo: string | null;
  copyFrom: string | null;
  copyTo: string | null;
  newFile: boolean;
  deletedFile: boolean;
  /** A symlink or submodule: listed like a binary file, with no lines. */
  special: boolean;
  binary: boolean;
  hunks: number;
  lines: number[];
  /** Of `lines`, the ones that replace a deleted line of the same change block (the rest are added). */
  modified: number[];
  /** Waiver markers on added lines (src/diff/waiver-markers.ts). */
  waivers: Array<{ line: number } & WaiverMatch>;
  resolved: ResolvedNames | null;
  /** Lines an earlier patch of a series added, re-numbered through this section's hunks. */
  carried: number[] | null;
  carriedIndex: number;
}

interface ResolvedNames {
  path: string;
  oldPath: string;
  status: ChangeStatus | 'deleted';
}

interface Entry {
  file: ChangedFile;
  /** Which patch of a mail series produced it (0 for a plain diff). */
  patch: number;
}

function excerpt(text: string): string {
  const clean = text.replace(/\r$/, '');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}

class DiffParser {
  private readonly file: string;
  private lineNo = 0;
  private mode: Mode = 'preamble';
  private section: Section | null = null;
  private pendingMinus: { text: string; line: number; fromHunks: boolean } | null = null;
  private readonly entries = new Map<string, Entry>();
  private deletedFiles = 0;
  private patch = 0;
  private sawFileHeader = false;
  private sawMailHeader = false;
  private sawText = false;
  /** Prefixes learned from a section with both names, for a lone `+++ b/x` after `--- /dev/null`. */
  private learnedPrefixes: { minus: string; plus: string } | null = null;

  // The current hunk.
  private hunkLine = 0;
  private hunkText = '';
  private oldLeft = 0;
  private newLeft = 0;
  private oldNext = 0;
  private newNext = 0;
  /** Modified lines and waivers per path (ParsedDiff.details). */
  private readonly details = new Map<string, ChangedLineDetails>();
  /** Deleted lines of the current change block not yet paired with an added line. */
  private unpairedDeleted = 0;
  // For `\ No newline at end of file`: the last content line, the last old-side line.
  private lastKind = 0;
  private lastLine = '';
  private lastOldKind = 0;
  private lastOldLine = '';
  private lastOldNoEol = false;
  private lastOldCarried = false;
  /** The old file's last line had no newline; the first `+` line equal to it is that same line. */
  private oldNoEolLine: string | null = null;
  private oldNoEolCarried = false;

  private readonly firstLine: number;

  constructor(file: string, firstLine: number) {
    this.file = file;
    this.firstLine = firstLine;
    this.lineNo = firstLine - 1;
  }

  private fail(message: string, line: number = this.lineNo): never {
    throw new QgateError('DIFF_MALFORMED', message, { file: this.file, position: { line } });
  }

  feed(raw: string): void {
    this.lineNo += 1;
    let text = raw;
    if (this.lineNo === this.firstLine && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (this.pendingMinus !== null) {
      const pending = this.pendingMinus;
      this.pendingMinus = null;
      if (text.startsWith('+++ ')) {
        this.startTraditional(pending.text, text, pending.line);
        return;
      }
      if (pending.fromHunks) {
        this.fail(
          `The hunk at line ${this.hunkLine} (\`${excerpt(this.hunkText)}\`) has more deleted lines than its header announces: line ${pending.line} is one too many.`,
          pending.line,
        );
      }
    }
    switch (this.mode) {
      case 'hunk':
        this.hunkBodyLine(text);
        return;
      case 'between':
        this.betweenLine(text);
        return;
      case 'header':
        this.headerLine(text);
        return;
      case 'binary':
        this.binaryLine(text);
        return;
      case 'preamble':
        this.preambleLine(text);
        return;
    }
  }

  end(): ParsedDiff {
    this.lineNo += 1;
    if (this.pendingMinus !== null && this.pendingMinus.fromHunks) {
      this.fail(
        `The hunk at line ${this.hunkLine} (\`${excerpt(this.hunkText)}\`) has more deleted lines than its header announces: line ${this.pendingMinus.line} is one too many.`,
        this.pendingMinus.line,
      );
    }
    if (this.mode === 'hunk') {
      this.fail(
        `The diff ends inside the hunk at line ${this.hunkLine} (\`${excerpt(this.hunkText)}\`): ${this.oldLeft} old and ${this.newLeft} new lines are missing, so the diff is truncated.`,
        this.lineNo - 1,
      );
    }
    this.finishSection();
    if (!this.sawFileHeader && this.sawText && !this.sawMailHeader) {
      this.fail('This is not a unified diff: no `diff --git` line and no `---`/`+++` file header was found.', 1);
    }
    const files: ChangedFile[] = [];
    for (const entry of this.entries.values()) files.push(entry.file);
    const paths = new Set(files.map((file) => file.path));
    for (const path of [...this.details.keys()]) if (!paths.has(path)) this.details.delete(path);
    return { files, deletedFiles: this.deletedFiles, ...(this.details.size > 0 ? { details: this.details } : {}) };
  }

  // ---- states -------------------------------------------------------------------------

  private preambleLine(text: string): void {
    if (!this.sawText && text.trim().length > 0) this.sawText = true;
    if (text.startsWith('diff --git ')) {
      this.startGit(text);
    } else if (text.startsWith('--- ')) {
      this.pendingMinus = { text, line: this.lineNo, fromHunks: false };
    } else if (text.startsWith('diff --cc ') || text.startsWith('diff --combined ')) {
      this.failCombined();
    } else if (text.startsWith('@@ -') || text.startsWith('@@@ ')) {
      this.fail(`The hunk \`${excerpt(text)}\` comes before any file header (\`diff --git\` or \`---\`/\`+++\`).`);
    } else if (text.startsWith('Binary files ') && /differ\r?$/.test(text)) {
      this.gnuBinary(text);
    } else if (MBOX_FROM.test(text)) {
      this.patch += 1;
      this.sawMailHeader = true;
    }
  }

  private headerLine(raw: string): void {
    const section = this.section as Section;
    if (raw.startsWith('@@')) {
      this.startHunk(raw);
      return;
    }
    if (section.kind === 'traditional') {
      // A `---`/`+++` pair not followed by a hunk: not a file section after all.
      this.finishSection();
      this.mode = 'preamble';
      this.preambleLine(raw);
      return;
    }
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.startsWith('diff --git ')) {
      this.finishSection();
      this.startGit(text);
    } else if (text.startsWith('--- ')) {
      section.minus = this.headerName(text.slice(4));
    } else if (text.startsWith('+++ ')) {
      section.plus = this.headerName(text.slice(4));
    } else if (text.startsWith('index ')) {
      const mode = INDEX_LINE.exec(text)?.[1];
      if (mode !== undefined && SPECIAL_MODES.has(mode)) section.special = true;
    } else if (text.startsWith('new file mode ')) {
      section.newFile = true;
      if (SPECIAL_MODES.has(text.slice(14).trim())) section.special = true;
    } else if (text.startsWith('deleted file mode ')) {
      section.deletedFile = true;
    } else if (text.startsWith('new mode ')) {
      if (SPECIAL_MODES.has(text.slice(9).trim())) section.special = true;
    } else if (text.startsWith('rename from ')) {
      section.renameFrom = this.plainName(text.slice(12));
    } else if (text.startsWith('rename to ')) {
      section.renameTo = this.plainName(text.slice(10));
    } else if (text.startsWith('copy from ')) {
      section.copyFrom = this.plainName(text.slice(10));
    } else if (text.startsWith('copy to ')) {
      section.copyTo = this.plainName(text.slice(8));
    } else if (text.startsWith('Binary files ')) {
      section.binary = true;
      this.mode = 'between';
    } else if (text === 'GIT binary patch') {
      section.binary = true;
      this.mode = 'binary';
    } else if (text.startsWith('diff --cc ') || text.startsWith('diff --combined ')) {
      this.failCombined();
    } else if (text === '-- ' || text === '--' || MBOX_FROM.test(text)) {
      // The end of a `git format-patch` mail whose last file had no hunks (a mode change).
      this.finishSection();
      this.mode = 'preamble';
      this.preambleLine(text);
    }
    // Anything else (`old mode`, `similarity index`, `index`, unknown extended headers) says
    // nothing about head-side lines.
  }

  private hunkBodyLine(text: string): void {
    const first = text.charCodeAt(0);
    if (first === 43 /* + */) {
      if (this.newLeft === 0) this.overrun('added');
      this.addedLine(text);
    } else if (first === 45 /* - */) {
      if (this.oldLeft === 0) this.overrun('deleted');
      this.deletedLine(text);
    } else if (first === 32 /* space */ || text.length === 0 || text === '\r') {
      // An empty line is a context line whose single space an editor or mailer stripped.
      if (this.oldLeft === 0 || this.newLeft === 0) this.overrun('context');
      this.contextLine(text);
    } else if (first === 92 /* \ */) {
      this.noNewlineMarker();
      return;
    } else {
      this.fail(
        `The hunk at line ${this.hunkLine} (\`${excerpt(this.hunkText)}\`) ends early: ${this.oldLeft} old and ${this.newLeft} new lines are missing before \`${excerpt(text)}\`.`,
      );
    }
    if (this.oldLeft === 0 && this.newLeft === 0) this.mode = 'between';
  }

  private betweenLine(text: string): void {
    const first = text.charCodeAt(0);
    if (first === 64 /* @ */ && text.startsWith('@@')) {
      this.startHunk(text);
    } else if (first === 92 /* \ */) {
      this.noNewlineMarker();
    } else if (first === 43 /* + */) {
      this.overrun('added');
    } else if (first === 32 /* space */) {
      this.overrun('context');
    } else if (first === 45 /* - */) {
      if (text === '-- ' || text === '--' || text === '-- \r' || text === '--\r') {
        // The signature separator `git format-patch` writes after the last hunk.
        this.finishSection();
        this.mode = 'preamble';
      } else if (text.startsWith('--- ')) {
        this.finishSection();
        this.mode = 'preamble';
        this.pendingMinus = { text, line: this.lineNo, fromHunks: true };
      } else {
        this.overrun('deleted');
      }
    } else if (text.startsWith('diff --git ')) {
      this.finishSection();
      this.startGit(text);
    } else {
      // Text between file sections: `diff -ruN` command lines, `Only in`, mail headers.
      this.finishSection();
      this.mode = 'preamble';
      this.preambleLine(text);
    }
  }

  private binaryLine(text: string): void {
    // Base85 data lines start with a length letter; `literal`/`delta` lines and blank lines
    // separate them. Only the next file section or the end of the patch ends the data.
    if (text.startsWith('diff --git ')) {
      this.finishSection();
      this.startGit(text);
    } else if (text.startsWith('-- ') || text === '--' || MBOX_FROM.test(text) || text.startsWith('diff --cc ')) {
      this.finishSection();
      this.mode = 'preamble';
      this.preambleLine(text);
    }
  }

  // ---- sections -----------------------------------------------------------------------

  private newSection(kind: Section['kind'], line: number): Section {
    if (kind === 'git') this.sawFileHeader = true;
    return {
      kind,
      line,
      gitNames: null,
      minus: undefined,
      plus: undefined,
      renameFrom: null,
      renameTo: null,
      copyFrom: null,
      copyTo: null,
      newFile: false,
      deletedFile: false,
      special: false,
      binary: false,
      hunks: 0,
      lines: [],
      modified: [],
      waivers: [],
      resolved: null,
      carried: null,
      carriedIndex: 0,
    };
  }

  private startGit(text: string): void {
    const section = this.newSection('git', this.lineNo);
    section.gitNames = (text.endsWith('\r') ? text.slice(0, -1) : text).slice(11);
    this.section = section;
    this.mode = 'header';
  }

  private startTraditional(minusText: string, plusText: string, line: number): void {
    const section = this.newSection('traditional', line);
    section.minus = this.headerName(stripCr(minusText).slice(4), line);
    section.plus = this.headerName(stripCr(plusText).slice(4));
    this.section = section;
    this.mode = 'header';
  }

  private gnuBinary(text: string): void {
    // GNU diff: `Binary files OLD and NEW differ`, with no `---`/`+++` lines.
    const body = stripCr(text).slice(13, -7);
    const section = this.newSection('traditional', this.lineNo);
    section.binary = true;
    this.sawFileHeader = true;
    let split: [string, string] | null = null;
    for (let at = body.indexOf(' and '); at !== -1; at = body.indexOf(' and ', at + 1)) {
      const candidate: [string, string] = [body.slice(0, at), body.slice(at + 5)];
      split ??= candidate;
      if (commonName(unquoteMaybe(candidate[0]), unquoteMaybe(candidate[1]), false) !== null) {
        split = candidate;
        break;
      }
    }
    if (split === null) return;
    section.minus = { name: unquoteMaybe(split[0]), timestamp: null };
    section.plus = { name: unquoteMaybe(split[1]), timestamp: null };
    this.section = section;
    this.finishSection();
  }

  private failCombined(): never {
    this.fail(
      'This is a combined diff of a merge commit (`diff --cc`), which has no single base; pass the output of `git diff <base>...<head>` instead.',
    );
  }

  private headerName(value: string, line: number = this.lineNo): HeaderName {
    let name: string;
    let rest: string;
    if (value.startsWith('"')) {
      const parsed = unquoteC(value, 0);
      if (parsed === null) this.fail(`The quoted file name in \`${excerpt(value)}\` is malformed.`, line);
      name = parsed.value;
      rest = value.slice(parsed.end);
    } else {
      // git adds a TAB after a name with a space (so GNU patch reads it); diff -u adds
      // TAB and a timestamp. A TAB inside a name is always quoted.
      const tab = value.indexOf('\t');
      name = tab === -1 ? value : value.slice(0, tab);
      rest = tab === -1 ? '' : value.slice(tab);
    }
    const timestamp = rest.startsWith('\t') ? rest.slice(1).trim() : null;
    return { name: name === '/dev/null' ? null : name, timestamp: timestamp === '' ? null : timestamp };
  }

  private plainName(value: string): string {
    if (!value.startsWith('"')) return value;
    const parsed = unquoteC(value, 0);
    if (parsed === null) this.fail(`The quoted file name in \`${excerpt(value)}\` is malformed.`);
    return parsed.value;
  }

  /** Decides the section's head path, base path and status from everything its header said. */
  private resolve(section: Section): ResolvedNames {
    if (section.resolved !== null) return section.resolved;
    const resolved = section.kind === 'git' ? this.resolveGit(section) : this.resolveTraditional(section);
    section.resolved = resolved;
    return resolved;
  }

  private resolveGit(section: Section): ResolvedNames {
    const minus = section.minus?.name;
    const plus = section.plus?.name;
    let oldName: string | null = section.renameFrom ?? section.copyFrom;
    let newName: string | null = section.renameTo ?? section.copyTo;
    if (oldName === null || newName === null) {
      const pair = this.gitPair(section, minus, plus);
      oldName ??= pair.oldName;
      newName ??= pair.newName;
    }
    let status: ResolvedNames['status'] = 'modified';
    if (section.deletedFile || (plus === null && minus !== null && minus !== undefined)) status = 'deleted';
    else if (section.newFile || (minus === null && plus !== null && plus !== undefined)) status = 'added';
    else if (section.renameFrom !== null || section.renameTo !== null) status = 'renamed';
    else if (section.copyFrom !== null || section.copyTo !== null) status = 'copied';
    return { path: status === 'deleted' ? oldName : newName, oldPath: oldName, status };
  }

  /** Names from `---`/`+++` when both exist, else from the `diff --git` line, prefixes stripped. */
  private gitPair(
    section: Section,
    minus: string | null | undefined,
    plus: string | null | undefined,
  ): { oldName: string; newName: string } {
    let a: string | null = typeof minus === 'string' ? minus : null;
    let b: string | null = typeof plus === 'string' ? plus : null;
    if (a === null || b === null) {
      const split = splitGitNames(section.gitNames ?? '', a, b);
      if (split === null) {
        this.fail(`The file names in \`diff --git ${excerpt(section.gitNames ?? '')}\` cannot be told apart.`, section.line);
      }
      a ??= split.a;
      b ??= split.b;
    }
    const common = commonName(a, b, true);
    if (common === null) {
      this.fail(
        `The file names in \`diff --git ${excerpt(section.gitNames ?? '')}\` do not name the same file, and no \`rename from\`/\`rename to\` lines say how they relate.`,
        section.line,
      );
    }
    this.learnedPrefixes = { minus: common.aPrefix, plus: common.bPrefix };
    return { oldName: common.name, newName: common.name };
  }

  private resolveTraditional(section: Section): ResolvedNames {
    const minus = section.minus?.name ?? null;
    const plus = section.plus?.name ?? null;
    const minusEpoch = minus === null || EPOCH.test(section.minus?.timestamp ?? '');
    const plusEpoch = plus === null || EPOCH.test(section.plus?.timestamp ?? '');
    let oldName: string;
    let newName: string;
    if (minus !== null && plus !== null) {
      const common = commonName(minus, plus, false);
      if (common !== null) {
        this.learnedPrefixes = { minus: common.aPrefix, plus: common.bPrefix };
        oldName = common.name;
        newName = common.name;
      } else {
        // `diff -u x.ts.orig x.ts`: nothing in common to strip; the new name is the head path.
        oldName = minus;
        newName = plus;
      }
    } else {
      const only = (plus ?? minus) as string | null;
      if (only === null) this.fail('Both file names of this section are /dev/null.', section.line);
      const prefix = plus !== null ? (this.learnedPrefixes?.plus ?? 'b/') : (this.learnedPrefixes?.minus ?? 'a/');
      const name = prefix !== '' && only.startsWith(prefix) && only.length > prefix.length ? only.slice(prefix.length) : only;
      oldName = name;
      newName = name;
    }
    // GNU diff -N shows a missing file as an empty file dated at the epoch.
    let status: ResolvedNames['status'] = 'modified';
    if (plusEpoch && !minusEpoch) status = 'deleted';
    else if (minusEpoch && !plusEpoch) status = 'added';
    return { path: status === 'deleted' ? oldName : newName, oldPath: oldName, status };
  }

  /** At the first hunk: if an earlier patch of a series produced this file, carry its lines. */
  private attachCarried(section: Section): void {
    const names = this.resolve(section);
    if (names.status === 'added') return;
    const earlier = this.entries.get(names.oldPath);
    if (earlier !== undefined && earlier.patch < this.patch && !earlier.file.binary) {
      section.carried = earlier.file.addedLines;
    }
  }

  private finishSection(): void {
    const section = this.section;
    this.section = null;
    if (section === null) return;
    // A `---`/`+++` pair without hunks in free text (a commit message) is not a file section.
    if (section.kind === 'traditional' && section.hunks === 0 && !section.binary) return;
    const names = this.resolve(section);
    const earlier = this.entries.get(names.oldPath);
    const fromEarlierPatch = earlier !== undefined && earlier.patch < this.patch ? earlier : undefined;

    if (names.status === 'deleted') {
      if (fromEarlierPatch !== undefined) {
        this.entries.delete(names.oldPath);
        // A file a series adds and then deletes never existed on either side.
        if (fromEarlierPatch.file.status !== 'added') this.deletedFiles += 1;
      } else {
        this.deletedFiles += 1;
      }
      return;
    }
    const moved = names.status === 'renamed' || names.status === 'copied';
    if (section.hunks === 0 && !section.binary && !section.special && !moved && names.status !== 'added') {
      // A mode change only (or a `---`/`+++` pair without hunks): no head-side lines changed.
      return;
    }

    // Carry lines an earlier patch of the series added that this section did not touch.
    if (section.carried !== null) this.flushCarried(section, Number.POSITIVE_INFINITY);
    else if (fromEarlierPatch !== undefined && section.hunks === 0 && !fromEarlierPatch.file.binary) {
      section.lines = fromEarlierPatch.file.addedLines.slice();
    }

    let status: ChangeStatus = names.status;
    let oldPath: string | null = moved ? names.oldPath : null;
    if (fromEarlierPatch !== undefined) {
      const before = fromEarlierPatch.file;
      if (names.status === 'renamed') this.entries.delete(names.oldPath);
      if (names.status === 'modified' || moved) {
        if (before.status === 'added') {
          status = 'added';
          oldPath = null;
        } else if (before.status === 'renamed' || before.status === 'copied') {
          status = moved ? names.status : before.status;
          oldPath = before.oldPath;
        }
      }
    }
    const existing = this.entries.get(names.path);
    if (existing !== undefined && existing.patch === this.patch) {
      this.fail(
        `The file \`${names.path}\` appears twice in the same diff; pass one \`git diff\` (or a \`git format-patch\` series), not several diffs pasted together.`,
        section.line,
      );
    }
    this.entries.delete(names.path);
    const binary = section.binary || section.special;
    this.entries.set(names.path, {
      patch: this.patch,
      file: { path: names.path, oldPath, status, addedLines: binary ? [] : section.lines, binary },
    });
    // Only for a file this patch alone produced: lines carried through a series lose their pairing.
    this.details.delete(names.oldPath);
    this.details.delete(names.path);
    if (!binary && section.carried === null && fromEarlierPatch === undefined && (section.modified.length > 0 || section.waivers.length > 0)) {
      this.details.set(names.path, { modifiedLines: section.modified, waivers: section.waivers });
    }
  }

  // ---- hunks --------------------------------------------------------------------------

  private startHunk(text: string): void {
    const section = this.section as Section;
    const match = HUNK_HEADER.exec(text);
    if (match === null) {
      if (text.startsWith('@@@')) this.failCombined();
      this.fail(`The hunk header \`${excerpt(text)}\` cannot be read; expected \`@@ -start,count +start,count @@\`.`);
    }
    const oldStart = Number(match[1]);
    const oldCount = match[2] === undefined ? 1 : Number(match[2]);
    const newStart = Number(match[3]);
    const newCount = match[4] === undefined ? 1 : Number(match[4]);
    const limit = 0x7fffffff;
    if (oldStart > limit || oldCount > limit || newStart > limit || newCount > limit) {
      this.fail(`The hunk header \`${excerpt(text)}\` has line numbers no file has.`);
    }
    if ((oldCount > 0 && oldStart === 0) || (newCount > 0 && newStart === 0)) {
      this.fail(`The hunk header \`${excerpt(text)}\` is invalid: a range with lines cannot start at line 0.`);
    }
    // With a count of 0 the start names the line *before* the (empty) range.
    const oldFirst = oldCount === 0 ? oldStart + 1 : oldStart;
    const newFirst = newCount === 0 ? newStart + 1 : newStart;
    if (section.hunks > 0 && (oldFirst < this.oldNext || newFirst < this.newNext)) {
      this.fail(
        `The hunk \`${excerpt(text)}\` starts before the end of the previous hunk of the same file; hunks must be in file order.`,
      );
    }
    if (section.hunks === 0) {
      this.sawFileHeader = true;
      this.attachCarried(section);
    }
    section.hunks += 1;
    if (section.carried !== null) this.flushCarried(section, oldFirst);
    this.hunkLine = this.lineNo;
    this.hunkText = text;
    this.oldLeft = oldCount;
    this.newLeft = newCount;
    this.oldNext = oldFirst;
    this.unpairedDeleted = 0;
    this.newNext = newFirst;
    this.lastKind = 0;
    this.lastOldKind = 0;
    this.oldNoEolLine = null;
    this.mode = oldCount === 0 && newCount === 0 ? 'between' : 'hunk';
  }

  private overrun(kind: 'added' | 'deleted' | 'context'): never {
    this.fail(
      `The hunk at line ${this.hunkLine} (\`${excerpt(this.hunkText)}\`) has more ${kind} lines than its header announces: line ${this.lineNo} is one too many.`,
    );
  }

  private addedLine(text: string): void {
    const section = this.section as Section;
    const lineNumber = this.newNext;
    this.newNext += 1;
    this.newLeft -= 1;
    this.lastKind = 43;
    this.lastLine = text;
    if (this.oldNoEolLine !== null && sameContent(text, this.oldNoEolLine)) {
      // The old last line had no newline and this is that line with one added: git shows
      // it as changed, but its content is not new code.
      const carried = this.oldNoEolCarried;
      this.oldNoEolLine = null;
      if (!carried) return;
    }
    section.lines.push(lineNumber);
    // In a change block git prints the deleted lines before the added ones: an added line
    // paired with a deleted one modifies a line; the rest are added outright.
    if (this.unpairedDeleted > 0) {
      this.unpairedDeleted -= 1;
      section.modified.push(lineNumber);
    }
    const waiver = findWaiver(text.slice(1));
    if (waiver !== null) section.waivers.push({ line: lineNumber, ...waiver });
  }

  private deletedLine(text: string): void {
    const section = this.section as Section;
    const carried = section.carried !== null && section.carried[section.carriedIndex] === this.oldNext;
    if (carried) section.carriedIndex += 1;
    this.oldNext += 1;
    this.oldLeft -= 1;
    this.unpairedDeleted += 1;
    this.lastKind = 45;
    this.lastLine = text;
    this.lastOldKind = 45;
    this.lastOldLine = text;
    this.lastOldNoEol = false;
    this.lastOldCarried = carried;
  }

  private contextLine(text: string): void {
    const section = this.section as Section;
    if (section.carried !== null && section.carried[section.carriedIndex] === this.oldNext) {
      section.carriedIndex += 1;
      section.lines.push(this.newNext);
    }
    this.oldNext += 1;
    this.newNext += 1;
    this.oldLeft -= 1;
    this.newLeft -= 1;
    this.unpairedDeleted = 0;
    this.lastKind = 32;
    this.lastLine = text;
    this.lastOldKind = 32;
    this.lastOldLine = text;
    this.lastOldNoEol = false;
  }

  /** `\ No newline at end of file` after the last line of the old or the new file. */
  private noNewlineMarker(): void {
    const section = this.section as Section;
    if (this.lastKind === 45) {
      this.lastOldNoEol = true;
      this.oldNoEolLine = this.lastLine;
      this.oldNoEolCarried = this.lastOldCarried;
    } else if (this.lastKind === 43) {
      // The new last line lost its newline; if the old last line was the same text with a
      // newline, only the newline changed.
      const added = this.newNext - 1;
      if (
        this.lastOldKind === 45 &&
        !this.lastOldNoEol &&
        !this.lastOldCarried &&
        sameContent(this.lastLine, this.lastOldLine) &&
        section.lines[section.lines.length - 1] === added
      ) {
        section.lines.pop();
      }
    }
    this.lastKind = 92;
  }

  /** Re-numbers lines an earlier patch added that lie before `oldLimit` into this patch's result. */
  private flushCarried(section: Section, oldLimit: number): void {
    const carried = section.carried as number[];
    const shift = this.newNext - this.oldNext;
    while (section.carriedIndex < carried.length) {
      const old = carried[section.carriedIndex] as number;
      if (old >= oldLimit) break;
      section.lines.push(old + shift);
      section.carriedIndex += 1;
    }
  }
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function sameContent(a: string, b: string): boolean {
  return a.length === b.length && a.slice(1) === b.slice(1);
}

/**
 * Decodes a C-quoted name (`"caf\303\251 \"x\".txt"`) starting at `start`: escapes are
 * bytes, so octal sequences are collected and decoded as UTF-8 together.
 */
export function unquoteC(text: string, start: number): { value: string; end: number } | null {
  if (text.charCodeAt(start) !== 34) return null;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = start + 1; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 34) {
      return { value: new TextDecoder('utf-8').decode(Uint8Array.from(bytes)), end: i + 1 };
    }
    if (ch !== 92) {
      if (ch < 0x80) bytes.push(ch);
      else {
        const cp = text.codePointAt(i) as number;
        if (cp > 0xffff) i += 1;
        for (const byte of encoder.encode(String.fromCodePoint(cp))) bytes.push(byte);
      }
      continue;
    }
    i += 1;
    const esc = text[i];
    switch (esc) {
      case 'a': bytes.push(7); break;
      case 'b': bytes.push(8); break;
      case 't': bytes.push(9); break;
      case 'n': bytes.push(10); break;
      case 'v': bytes.push(11); break;
      case 'f': bytes.push(12); break;
      case 'r': bytes.push(13); break;
      case '"': bytes.push(34); break;
      case '\\': bytes.push(92); break;
      default: {
        const octal = text.slice(i, i + 3);
        if (!/^[0-3][0-7]{2}$/.test(octal)) return null;
        bytes.push(parseInt(octal, 8));
        i += 2;
      }
    }
  }
  return null;
}

function unquoteMaybe(text: string): string {
  if (!text.startsWith('"')) return text;
  const parsed = unquoteC(text, 0);
  return parsed !== null && parsed.end === text.length ? parsed.value : text;
}

/**
 * Splits `a/x b/x` into its two names. Quoted names are unambiguous; unquoted ones may
 * contain spaces (and even ` b/`), so a known `---` or `+++` name fixes the split, and
 * otherwise the split is the one where both sides name the same file.
 */
function splitGitNames(rest: string, knownA: string | null, knownB: string | null): { a: string; b: string } | null {
  if (rest.startsWith('"')) {
    const first = unquoteC(rest, 0);
    if (first === null || rest.charCodeAt(first.end) !== 32) return null;
    return { a: first.value, b: unquoteMaybe(rest.slice(first.end + 1)) };
  }
  if (rest.endsWith('"')) {
    // Only the second name needed quoting; an unquoted name never contains `"`.
    const at = rest.indexOf(' "');
    if (at !== -1) {
      const second = unquoteC(rest, at + 1);
      if (second !== null && second.end === rest.length) return { a: rest.slice(0, at), b: second.value };
    }
  }
  if (knownB !== null && rest.endsWith(` ${knownB}`)) return { a: rest.slice(0, rest.length - knownB.length - 1), b: knownB };
  if (knownA !== null && rest.startsWith(`${knownA} `)) return { a: knownA, b: rest.slice(knownA.length + 1) };
  const middle = (rest.length - 1) / 2;
  if (Number.isInteger(middle) && rest.charCodeAt(middle) === 32) {
    const a = rest.slice(0, middle);
    const b = rest.slice(middle + 1);
    if (commonName(a, b, true) !== null) return { a, b };
  }
  for (let at = rest.indexOf(' '); at !== -1; at = rest.indexOf(' ', at + 1)) {
    const a = rest.slice(0, at);
    const b = rest.slice(at + 1);
    if (commonName(a, b, true) !== null) return { a, b };
  }
  return null;
}

/**
 * The longest common tail of two prefixed names such that what precedes it on each side is
 * empty or ends with `/`: `a/src/x` and `b/src/x` give `src/x`; `x` and `x` (--no-prefix) give
 * `x`. With `singleComponentPrefix` (git's own prefixes) each prefix is at most one folder.
 */
function commonName(
  a: string,
  b: string,
  singleComponentPrefix: boolean,
): { name: string; aPrefix: string; bPrefix: string } | null {
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0 && a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
    i -= 1;
    j -= 1;
  }
  for (let k = i; k < a.length; k += 1) {
    const kb = b.length - (a.length - k);
    if ((k === 0 || a.charCodeAt(k - 1) === 47) && (kb === 0 || b.charCodeAt(kb - 1) === 47)) {
      const aPrefix = a.slice(0, k);
      const bPrefix = b.slice(0, kb);
      if (singleComponentPrefix && (aPrefix.indexOf('/') < aPrefix.length - 1 || bPrefix.indexOf('/') < bPrefix.length - 1)) {
        return null;
      }
      return { name: a.slice(k), aPrefix, bPrefix };
    }
  }
  return null;
}
