// The bundled template's clouds, as the option table needs them (--cloud's values, --help, the
// answers schema), from the template's records (template/clouds/<name>/cloud.json). This module
// reads them from the template folder, which only a checkout has (tests, tools): build.mjs puts
// in its place, in each bundle, the same list read at build time, so --help reads no template.

import { BUNDLED_TEMPLATE } from './paths.js';
import { folderCloudChoices, type CloudChoice } from './template/clouds.js';

export const BUNDLED_CLOUDS: readonly CloudChoice[] = folderCloudChoices(BUNDLED_TEMPLATE);
