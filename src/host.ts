// The machine this run is on, in the option table's words (the OS names of --os).

import type { Os } from './options.js';

export function hostOs(platform: NodeJS.Platform = process.platform): Os {
  return platform === 'darwin' ? 'mac' : platform === 'win32' ? 'windows' : 'linux';
}
