/** Small pieces every gate's `describe` shares, so the five gates word the same things the same way. */
import type { GateResult } from '../model/result.js';
import type { GateWording } from './gate.js';

/** Why a gate did not run, or null when it did: disabled, or skipped for lack of input. */
export function notRunBecause(gate: GateResult, hadInput: boolean): string | null {
  if (gate.status !== 'skip' || gate.actual !== null) return null;
  if (/^disabled\b/.test(gate.reason)) return 'disabled in the configuration';
  return hadInput ? null : 'no report given';
}

/** The wording of a gate that has no input and fails or warns by `onMissing`. */
export function missingInput(title: string, what: string, gate: GateResult): GateWording {
  const policy = `onMissing: ${gate.status === 'fail' ? 'fail' : gate.status === 'warn' ? 'warn' : 'skip'}`;
  return {
    title,
    headline: `no ${what} was given — ${title.toLowerCase()} needs one (${policy})`,
    result: `no ${what} given (${policy})`,
    versusTarget: null,
    scope: null,
    notRun: notRunBecause(gate, false),
  };
}

/** "— needs 80 %" after a failed figure, nothing otherwise. */
export function needs(gate: GateResult, text: string): string {
  return gate.status === 'fail' ? ` — needs ${text}` : '';
}
