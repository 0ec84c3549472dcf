// Regenerates schema/answers.schema.json from the option table: `npm run schema`.
// test/cli/answers.test.ts fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { answersSchema } from '../src/answers-file.js';

writeFileSync(new URL('../schema/answers.schema.json', import.meta.url), `${JSON.stringify(answersSchema(), null, 2)}\n`);
