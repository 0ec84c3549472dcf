// What dist/lib/clack.cjs exports: @clack/prompts, the prompt class and wrapping helper our
// multiselect renders itself with (src/multiselect.ts), and the switch for clack's colour
// (style-text.ts). build.mjs builds it as a library of its own, loaded only when a person is
// asked something. @clack/core is @clack/prompts' own dependency (pinned by it), not another one.

export * from '@clack/prompts';
export { MultiSelectPrompt, wrapTextWithPrefix } from '@clack/core';
export { useColour } from './style-text.js';
