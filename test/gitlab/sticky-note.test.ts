import { describe, expect, it } from 'vitest';
import type { GitLabNote, GitLabPort } from '../../src/gitlab/port.js';
import { readVerdict, upsertStickyNote, VERDICT_CHANGE_MARKER } from '../../src/gitlab/sticky-note.js';

const MARKER = '<!-- qgate:sticky-note -->';

/** An in-memory port: just the note calls, recording what was done. */
function fakePort(notes: GitLabNote[], userId: number | null, failDeletes = false) {
  const calls: string[] = [];
  let next = 1000;
  const port = {
    currentUserId: async () => userId,
    listMergeRequestNotes: async () => notes.map((note) => ({ ...note })),
    createMergeRequestNote: async (_p: unknown, _i: number, body: string) => {
      const note = { id: (next += 1), body, authorId: userId, system: false };
      notes.push(note);
      calls.push(`create ${note.id}`);
      return note;
    },
    updateMergeRequestNote: async (_p: unknown, _i: number, id: number, body: string) => {
      const note = notes.find((candidate) => candidate.id === id)!;
      note.body = body;
      calls.push(`update ${id}`);
      return note;
    },
    deleteMergeRequestNote: async (_p: unknown, _i: number, id: number) => {
      if (failDeletes) throw new Error('DELETE /notes: 403 Forbidden');
      notes.splice(notes.findIndex((candidate) => candidate.id === id), 1);
      calls.push(`delete ${id}`);
    },
  } as unknown as GitLabPort;
  return { port, calls, notes };
}

const request = (body: string, verdict: 'pass' | 'fail' = 'fail') => ({
  project: 1,
  mergeRequestIid: 2,
  body: `${MARKER}\n<!-- qgate:verdict=${verdict} -->\n${body}`,
  verdict,
  notifyOnVerdictChange: true,
  mergeRequestUrl: 'https://gitlab.example.com/a/b/-/merge_requests/2',
});

describe('upsertStickyNote', () => {
  it('creates the note when none is there', async () => {
    const { port, calls } = fakePort([{ id: 1, body: 'LGTM', authorId: 5, system: false }], 7);
    const outcome = await upsertStickyNote(port, request('report'));
    expect(outcome).toMatchObject({ action: 'created', noteId: 1001, previousVerdict: null, verdictChangeNoteId: null });
    expect(calls).toEqual(['create 1001']);
  });

  it('leaves an identical note alone', async () => {
    const body = request('report').body;
    const { port, calls } = fakePort([{ id: 3, body, authorId: 7, system: false }], 7);
    expect((await upsertStickyNote(port, request('report'))).action).toBe('unchanged');
    expect(calls).toEqual([]);
  });

  it('keeps the oldest of its own notes, deletes later ones, ignores system notes and other authors', async () => {
    const { port, calls } = fakePort(
      [
        { id: 1, body: `${MARKER}\nsystem`, authorId: 7, system: true },
        { id: 2, body: `${MARKER}\nquoted by a reviewer`, authorId: 5, system: false },
        { id: 3, body: `${MARKER}\n<!-- qgate:verdict=fail -->\nold`, authorId: 7, system: false },
        { id: 4, body: `${MARKER}\nduplicate`, authorId: 7, system: false },
        { id: 5, body: `quoting ${MARKER} mid-text`, authorId: 7, system: false },
      ],
      7,
    );
    const outcome = await upsertStickyNote(port, request('new'));
    expect(outcome).toMatchObject({ action: 'updated', noteId: 3, deletedNoteIds: [4], previousVerdict: 'fail', verdictChangeNoteId: null });
    expect(calls).toEqual(['update 3', 'delete 4']);
  });

  it('without its user id (no read_user), takes any non-system note that starts with the marker', async () => {
    const { port, calls } = fakePort([{ id: 2, body: `${MARKER}\nold`, authorId: 5, system: false }], null);
    expect((await upsertStickyNote(port, request('new'))).noteId).toBe(2);
    expect(calls).toEqual(['update 2']);
  });

  it('posts a notice when the verdict flips between failing and passing, not for pass to warn', async () => {
    const flip = fakePort([{ id: 3, body: `${MARKER}\n<!-- qgate:verdict=fail -->\nold`, authorId: 7, system: false }], 7);
    const outcome = await upsertStickyNote(flip.port, request('new', 'pass'));
    expect(outcome.verdictChangeNoteId).toBe(1001);
    expect(flip.notes.at(-1)!.body).toBe(
      `${VERDICT_CHANGE_MARKER}\nThe quality gate changed from **failed** to **passed**: [the qgate report](https://gitlab.example.com/a/b/-/merge_requests/2#note_3) was updated.`,
    );
    const quiet = fakePort([{ id: 3, body: `${MARKER}\n<!-- qgate:verdict=pass -->\nold`, authorId: 7, system: false }], 7);
    expect((await upsertStickyNote(quiet.port, { ...request('new', 'pass'), body: `${MARKER}\n<!-- qgate:verdict=warn -->\nx`, verdict: 'warn' as never })).verdictChangeNoteId).toBeNull();
    const off = fakePort([{ id: 3, body: `${MARKER}\n<!-- qgate:verdict=fail -->\nold`, authorId: 7, system: false }], 7);
    expect((await upsertStickyNote(off.port, { ...request('new', 'pass'), notifyOnVerdictChange: false })).verdictChangeNoteId).toBeNull();
  });

  it('reports a duplicate it could not delete as a warning, the note still posted', async () => {
    const { port } = fakePort(
      [
        { id: 3, body: `${MARKER}\nold`, authorId: 7, system: false },
        { id: 4, body: `${MARKER}\ndup`, authorId: 7, system: false },
      ],
      7,
      true,
    );
    const outcome = await upsertStickyNote(port, request('new'));
    expect(outcome.action).toBe('updated');
    expect(outcome.warnings).toEqual(['could not delete the duplicate qgate note 4: DELETE /notes: 403 Forbidden']);
  });

  it('leaves a newer pipeline\'s note alone', async () => {
    const { port, calls } = fakePort([{ id: 3, body: `${MARKER}\n<!-- qgate:verdict=pass pipeline=200 -->\nnewer`, authorId: 7, system: false }], 7);
    const outcome = await upsertStickyNote(port, { ...request('older'), body: `${MARKER}\n<!-- qgate:verdict=fail pipeline=199 -->\nolder` });
    expect(outcome).toMatchObject({ action: 'stale', noteId: 3, verdictChangeNoteId: null });
    expect(calls).toEqual([]);
    const newer = fakePort([{ id: 3, body: `${MARKER}\n<!-- qgate:verdict=pass pipeline=200 -->\nolder`, authorId: 7, system: false }], 7);
    expect((await upsertStickyNote(newer.port, { ...request('newer'), body: `${MARKER}\n<!-- qgate:verdict=fail pipeline=201 -->\nnewer` })).action).toBe('updated');
  });

  it('reads the verdict line only near the top', () => {
    expect(readVerdict(`${MARKER}\n<!-- qgate:verdict=warn -->\n`)).toBe('warn');
    expect(readVerdict(`${MARKER}\n${'x'.repeat(600)}\n<!-- qgate:verdict=fail -->`)).toBeNull();
  });
});
