// node:util's styleText as the bundled @clack/prompts sees it: build.mjs resolves clack's
// `node:util` import to this module, so every colour clack prints follows the run's one colour
// decision (src/colour.ts). Node's own styleText decides by itself, and knows nothing of
// --no-color: on Node 20.20 it looks at process.stdout, NO_COLOR and TERM for one style, but a
// list of styles is written regardless (clack's ['strikethrough', 'dim'] for a cancelled answer
// reaches the terminal under NO_COLOR=1 and TERM=dumb: measured, and create-vite and sv print it
// too). Replacing it at bundle time touches no global (nothing else in the process sees a changed
// node:util) and needs no change to clack.

import { inspect, stripVTControlCharacters } from 'node:util';

export { stripVTControlCharacters };

let enabled = false;

/** Switches clack's colour on or off; off until the run says otherwise. */
export function useColour(on: boolean): void {
  enabled = on;
}

/** `text` in the given styles (inspect.colors names, as Node's styleText takes), or bare when colour is off. */
export function styleText(format: string | readonly string[], text: string): string {
  if (!enabled) return text;
  let open = '';
  let close = '';
  for (const name of typeof format === 'string' ? [format] : format) {
    const codes = inspect.colors[name];
    if (!codes) continue;
    open += `\x1b[${codes[0]}m`;
    close = `\x1b[${codes[1]}m${close}`;
  }
  return `${open}${text}${close}`;
}
