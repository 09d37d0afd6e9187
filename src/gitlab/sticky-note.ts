/**
 * One qgate note per merge request, edited in place on every pipeline.
 *
 * The note is found by its hidden first line (`STICKY_MARKER`) across every page of notes,
 * among notes the token's own user wrote (someone quoting the marker is never edited or
 * deleted; when the token may not read its user, any non-system note starting with the marker
 * counts). The oldest such note is kept, so links to it stay valid; later duplicates (two
 * pipelines racing, a create retried after a lost answer) are deleted.
 *
 * GitLab sends no notification when a note is edited, so when the verdict flips between
 * failing and not failing, a short new note points reviewers at the updated one.
 */
import type { Verdict } from '../model/result.js';
import { STICKY_MARKER } from '../render/comment.js';
import type { GitLabNote, GitLabPort, ProjectRef } from './port.js';

/** The hidden first line of a verdict-change notice; such notes are never taken for the sticky note. */
export const VERDICT_CHANGE_MARKER = '<!-- qgate:verdict-change -->';

const VERDICT_LINE = /^<!-- qgate:verdict=(pass|warn|fail)(?: pipeline=(\d{1,18}))? -->$/m;

export interface StickyNoteRequest {
  project: ProjectRef;
  mergeRequestIid: number;
  body: string;
  verdict: Verdict;
  /** Post a short new note when the verdict flips between fail and pass/warn. */
  notifyOnVerdictChange: boolean;
  /** The merge request's web URL, for the notice's link to the note. */
  mergeRequestUrl: string | null;
}

export interface StickyNoteOutcome {
  /** `stale`: a newer pipeline's note is there already and was left as it is. */
  action: 'created' | 'updated' | 'unchanged' | 'stale';
  noteId: number;
  /** Duplicate qgate notes removed. */
  deletedNoteIds: number[];
  /** The verdict the note showed before this run; null for a new note or an old note without one. */
  previousVerdict: Verdict | null;
  /** The verdict-change notice posted, if any. */
  verdictChangeNoteId: number | null;
  /** Problems that did not stop the note from being posted (a duplicate that could not be deleted). */
  warnings: string[];
}

export function readVerdict(body: string): Verdict | null {
  const match = VERDICT_LINE.exec(body.slice(0, 500));
  return match ? (match[1] as Verdict) : null;
}

/** The pipeline id a qgate note was written by; null for notes without one. */
export function readPipelineId(body: string): number | null {
  const match = VERDICT_LINE.exec(body.slice(0, 500));
  return match?.[2] !== undefined ? Number(match[2]) : null;
}

function isStickyNote(note: GitLabNote, userId: number | null): boolean {
  if (note.system || !note.body.startsWith(STICKY_MARKER)) return false;
  return userId === null || note.authorId === userId;
}

function flipped(previous: Verdict | null, current: Verdict): boolean {
  return previous !== null && previous !== current && (previous === 'fail' || current === 'fail');
}

const WORD: Record<Verdict, string> = { pass: 'passed', warn: 'passed with warnings', fail: 'failed' };

export function verdictChangeBody(previous: Verdict, current: Verdict, noteUrl: string | null): string {
  const where = noteUrl ? `[the qgate report](${noteUrl})` : 'the qgate report above';
  return `${VERDICT_CHANGE_MARKER}\nThe quality gate changed from **${WORD[previous]}** to **${WORD[current]}**: ${where} was updated.`;
}

export async function upsertStickyNote(port: GitLabPort, request: StickyNoteRequest): Promise<StickyNoteOutcome> {
  const { project, mergeRequestIid: iid } = request;
  const userId = await port.currentUserId();
  const notes = await port.listMergeRequestNotes(project, iid);
  const ours = notes.filter((note) => isStickyNote(note, userId));
  const warnings: string[] = [];

  let action: StickyNoteOutcome['action'];
  let noteId: number;
  let previousVerdict: Verdict | null = null;
  const kept = ours[0];
  if (kept === undefined) {
    noteId = (await port.createMergeRequestNote(project, iid, request.body)).id;
    action = 'created';
  } else {
    noteId = kept.id;
    previousVerdict = readVerdict(kept.body);
    const theirs = readPipelineId(kept.body);
    const mine = readPipelineId(request.body);
    if (theirs !== null && mine !== null && theirs > mine) {
      // A slow or retried older pipeline must not replace the newer report, nor announce a flip.
      return { action: 'stale', noteId, deletedNoteIds: [], previousVerdict, verdictChangeNoteId: null, warnings: [] };
    }
    if (kept.body === request.body) {
      action = 'unchanged';
    } else {
      await port.updateMergeRequestNote(project, iid, kept.id, request.body);
      action = 'updated';
    }
  }

  const deletedNoteIds: number[] = [];
  for (const duplicate of ours.slice(1)) {
    try {
      await port.deleteMergeRequestNote(project, iid, duplicate.id);
      deletedNoteIds.push(duplicate.id);
    } catch (error) {
      warnings.push(`could not delete the duplicate qgate note ${duplicate.id}: ${(error as Error).message}`);
    }
  }

  let verdictChangeNoteId: number | null = null;
  if (request.notifyOnVerdictChange && flipped(previousVerdict, request.verdict)) {
    const noteUrl = request.mergeRequestUrl ? `${request.mergeRequestUrl}#note_${noteId}` : null;
    verdictChangeNoteId = (await port.createMergeRequestNote(project, iid, verdictChangeBody(previousVerdict!, request.verdict, noteUrl))).id;
  }
  return { action, noteId, deletedNoteIds, previousVerdict, verdictChangeNoteId, warnings };
}
