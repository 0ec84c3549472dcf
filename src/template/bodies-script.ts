// How the compiled bodies of a template pack make one script: an array of functions, which
// run-ejs.ts compiles in one go. pack-ahead.ts stores the script whole, and each file's body is a
// part of it (pack.ts reads either).

/** The parameters of a compiled body: what EJS passes, and the source it slices its literal text from. */
export const BODY_PARAMETERS = 'locals, escapeFn, include, rethrow, __text';

const SCRIPT = { open: '[', before: `function (${BODY_PARAMETERS}) {\n`, after: '\n}', between: ',\n', close: ']' };

/** The pieces of the script of `bodies` in order, each body's own piece marked. */
export function bodiesScriptPieces(bodies: readonly string[]): { text: string; body?: number }[] {
  const pieces: { text: string; body?: number }[] = [{ text: SCRIPT.open }];
  bodies.forEach((body, i) => pieces.push({ text: i === 0 ? SCRIPT.before : `${SCRIPT.between}${SCRIPT.before}` }, { text: body, body: i }, { text: SCRIPT.after }));
  pieces.push({ text: SCRIPT.close });
  return pieces;
}
