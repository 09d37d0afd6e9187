/** node:util parseArgs errors as qgate says them: one short sentence and a did-you-mean. */
import { suggestName } from '../text/suggest-name.js';
import { QgateError } from '../errors.js';

export function usageError(error: unknown, optionNames: readonly string[], hint?: string): QgateError {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '(-{1,2}[^']*)'/.exec(message);
  if (unknown) {
    const name = unknown[1]!.replace(/^-+/, '').replace(/=.*$/, '');
    const suggestion = suggestName(name, optionNames);
    return new QgateError('USAGE', `unknown option ${unknown[1]}${suggestion ? `; did you mean --${suggestion}?` : '.'}`, hint ? { hint } : {});
  }
  // Node's advice about '--' and positionals does not apply: qgate takes no positional argument.
  const sentence = message.replace(/\. To specify a positional argument.*$/s, '').replace(/\.?$/, '.');
  return new QgateError('USAGE', sentence, hint ? { hint } : {});
}
