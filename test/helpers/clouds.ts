// The clouds of a template, read from its records (clouds/<name>/cloud.json) the way rendering
// reads them: tests derive every cloud list, label and variable from here instead of naming clouds.

import { readTemplateFolder } from '../../src/template/pack.js';
import type { CloudRecord } from '../../src/template/clouds.js';
import { TEMPLATE_DIR } from './render.js';

export function cloudsOf(dir: string): CloudRecord[] {
  return readTemplateFolder(dir).clouds;
}

/** The bundled template's cloud records, in order. */
export const CLOUDS: readonly CloudRecord[] = cloudsOf(TEMPLATE_DIR);

/** Every --cloud value as messages list them: "none, aws, …". */
export const CLOUD_VALUES_TEXT = ['none', ...CLOUDS.map((c) => c.name)].join(', ');
