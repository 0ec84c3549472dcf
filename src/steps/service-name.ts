// The deploy jobs name their services <name>-staging and <name>, and each cloud limits how long a
// service name may be (its record's service.nameLength). The project name itself is fine, and the
// repository variable SERVICE_NAME replaces it at deploy time, so a name that does not fit is a
// warning at creation rather than a refusal: better now than at the first deploy.

import type { CloudRecord } from '../template/clouds.js';

const STAGING = '-staging';

/** The warning for a project named `name` deployed with `record`'s service, if its names do not fit. */
export function serviceNameWarning(name: string, record: CloudRecord): string | undefined {
  const { min, max } = record.service.nameLength;
  if (name.length >= min && name.length + STAGING.length <= max) return undefined;
  return (
    `${record.service.name} takes service names of ${min} to ${max} characters, and ${name}${STAGING} and ${name} do not fit: ` +
    `set the repository variable SERVICE_NAME before the first deploy (README.md, "CI/CD")`
  );
}
