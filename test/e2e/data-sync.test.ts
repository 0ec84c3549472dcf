// scripts/data.sh in generated projects, run for real (issue 21, part 2): the dataset pushed to and
// pulled from a store, checked against the committed data/manifest.sha256.
//
//   - The local-folder store (DATA_REMOTE=file://..., the default of --cloud none) for real: push,
//     delete data/, pull, verify; a tampered stored file and a locally changed file are refused
//     with one line naming the file and both hashes, and nothing is written.
//   - Each cloud's store (S3, Cloud Storage, Blob Storage): no cloud is reachable from here, so
//     stand-in `aws`, `gcloud` and `az` executables on PATH record their argv and do nothing but
//     copy between the URL's path under a local folder and the file (so that a pull has something
//     to fetch). The test asserts the exact commands each cloud's script runs; shellcheck lints it.
//     Where a real CLI is installed (this machine: aws v1 and gcloud; not az), it is given the
//     recorded commands with no login: it must get as far as asking for credentials.
//
// Run: node --import tsx --test test/e2e/data-sync.test.ts   (needs no build; bash, shellcheck)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CLOUDS } from '../helpers/clouds.js';
import { TOOLS, sha, toolMissing } from '../helpers/file-checks.js';
import { renderTo } from '../helpers/render.js';

const NAME = 'data-demo';
const work = mkdtempSync(join(tmpdir(), 'data-sync-'));
after(() => rmSync(work, { recursive: true, force: true }));

function data(dir: string, ...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATA_REMOTE|AWS_|GCP_|AZURE_)/.test(k)));
  return (extra: Record<string, string> = {}) => spawnSync('bash', [join(dir, 'scripts/data.sh'), ...args], { cwd: work, encoding: 'utf8', env: { ...env, ...extra } });
}

const manifestOf = (dir: string) => readFileSync(join(dir, 'data/manifest.sha256'), 'utf8');
const hashOf = (dir: string, path: string) => sha(readFileSync(join(dir, path)));

describe('scripts/data.sh with a local folder as the store', () => {
  test('the shipped manifest matches the shipped data; pull needs no store while it does', async () => {
    const dir = join(work, 'shipped');
    await renderTo(dir, { name: NAME, cloud: 'none' });
    const lines = manifestOf(dir).trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split('  ')[1]), ['data/test.csv.gz', 'data/train.csv.gz']);
    for (const line of lines) assert.equal(line, `${hashOf(dir, line.split('  ')[1]!)}  ${line.split('  ')[1]}`);
    const verify = data(dir, 'verify')();
    assert.equal(verify.status, 0, verify.stderr);
    const pull = data(dir, 'pull')();
    assert.equal(pull.status, 0, pull.stderr);
    assert.equal(pull.stdout.trim(), 'data/ matches data/manifest.sha256');
  });

  test('push, delete, pull and verify round-trip; a tampered or locally changed file is refused', async () => {
    const dir = join(work, 'local');
    await renderTo(dir, { name: NAME, cloud: 'none' });
    const store = join(work, 'store');
    const remote = { DATA_REMOTE: `file://${store}` };
    const before = manifestOf(dir);

    // A new file is pushed too, and the manifest gains its line (what review sees).
    writeFileSync(join(dir, 'data/extra.csv'), 'a,b\n1,2\n');
    const push = data(dir, 'push')(remote);
    assert.equal(push.status, 0, push.stderr);
    const [testLine, trainLine] = before.trim().split('\n');
    assert.equal(manifestOf(dir), `${sha('a,b\n1,2\n')}  data/extra.csv\n${testLine}\n${trainLine}\n`);
    assert.deepEqual(readdirSync(join(store, 'sha256')).sort(), manifestOf(dir).trim().split('\n').map((l) => l.split('  ')[0]).sort());

    // A new member: the data is not there until pulled, and is then exactly what the manifest says.
    for (const file of ['test.csv.gz', 'train.csv.gz', 'extra.csv']) rmSync(join(dir, 'data', file));
    const missing = data(dir, 'verify')();
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^data\.sh: data\/extra\.csv is missing \(run: scripts\/data\.sh pull\)$/m);
    const noStore = data(dir, 'pull')();
    assert.equal(noStore.status, 1);
    assert.equal(noStore.stderr, 'data.sh: set DATA_REMOTE=file:///absolute/path/to/a/shared/folder\n');
    const pull = data(dir, 'pull')(remote);
    assert.equal(pull.status, 0, pull.stderr);
    assert.equal(data(dir, 'verify')().status, 0);
    assert.equal(readFileSync(join(dir, 'data/extra.csv'), 'utf8'), 'a,b\n1,2\n');

    // The stored copy is tampered with: the pull refuses it and writes nothing.
    const trainHash = hashOf(dir, 'data/train.csv.gz');
    writeFileSync(join(store, 'sha256', trainHash), 'not the data\n');
    rmSync(join(dir, 'data/train.csv.gz'));
    const tampered = data(dir, 'pull')(remote);
    assert.equal(tampered.status, 1);
    assert.equal(tampered.stderr, `data.sh: data/train.csv.gz: checksum mismatch after pull: manifest ${trainHash}, fetched ${sha('not the data\n')}; not written\n`);
    assert.deepEqual(readdirSync(join(dir, 'data')).sort(), ['extra.csv', 'manifest.sha256', 'test.csv.gz']);

    // A local change is not overwritten by a pull, and verify names it.
    appendFileSync(join(dir, 'data/extra.csv'), '3,4\n');
    const changed = sha('a,b\n1,2\n3,4\n');
    const refused = data(dir, 'pull')(remote);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr, `data.sh: data/extra.csv has local changes (sha256 ${changed}, manifest ${sha('a,b\n1,2\n')}): push them, or pull --force to replace them\n`);
    const verify = data(dir, 'verify')();
    assert.equal(verify.status, 1);
    assert.match(verify.stderr, new RegExp(`^data\\.sh: data/extra\\.csv: sha256 ${changed}, manifest ${sha('a,b\n1,2\n')}$`, 'm'));

    // A manifest line that points outside data/ is refused before anything is fetched.
    writeFileSync(join(dir, 'data/manifest.sha256'), `${trainHash}  data/../../escape\n`);
    const hostile = data(dir, 'pull')(remote);
    assert.equal(hostile.status, 1);
    assert.match(hostile.stderr, /^data\.sh: data\/manifest\.sha256: bad line/);
    assert.equal(existsSync(join(dir, '../escape')), false);
    assert.equal(data(dir, 'sync')().status, 2);
  });
});

// What each cloud's commands must be, for push (file -> URL) and pull (URL -> file); a cloud whose
// record has a data store and no entry here fails the test below.
const BUCKET = 'team-data';
const EXPECTED: Record<string, { variables: Record<string, string>; push: (file: string, key: string) => string[]; pull: (key: string, file: string) => string[] }> = {
  aws: {
    variables: { AWS_DATA_BUCKET: BUCKET },
    push: (file, key) => ['aws', 's3', 'cp', '--only-show-errors', file, `s3://${BUCKET}/${NAME}/sha256/${key}`],
    pull: (key, file) => ['aws', 's3', 'cp', '--only-show-errors', `s3://${BUCKET}/${NAME}/sha256/${key}`, file],
  },
  gcp: {
    variables: { GCP_DATA_BUCKET: BUCKET },
    push: (file, key) => ['gcloud', 'storage', 'cp', '--quiet', file, `gs://${BUCKET}/${NAME}/sha256/${key}`],
    pull: (key, file) => ['gcloud', 'storage', 'cp', '--quiet', `gs://${BUCKET}/${NAME}/sha256/${key}`, file],
  },
  azure: {
    variables: { AZURE_STORAGE_ACCOUNT: 'teamstore', AZURE_DATA_CONTAINER: BUCKET },
    push: (file, key) => ['az', 'storage', 'blob', 'upload', ...blob(key), '--file', file, '--overwrite'],
    pull: (key, file) => ['az', 'storage', 'blob', 'download', ...blob(key), '--file', file],
  },
};
function blob(key: string): string[] {
  return ['--auth-mode', 'login', '--only-show-errors', '--account-name', 'teamstore', '--container-name', BUCKET, '--name', `${NAME}/sha256/${key}`];
}

// The stand-in CLI: appends its argv (one line, fields separated by US, 0x1f) to $STANDIN_LOG, then
// copies between the file argument and the URL's host/path under $STANDIN_STORE.
const STANDIN = `#!/usr/bin/env bash
set -euo pipefail
(IFS=$'\\x1f'; echo "$(basename "$0")$IFS$*") >>"$STANDIN_LOG"
args=("$@")
if [[ "$(basename "$0")" == az ]]; then
  for ((i = 0; i < \${#args[@]}; i++)); do
    case "\${args[i]}" in --account-name) a=\${args[i+1]} ;; --container-name) c=\${args[i+1]} ;; --name) n=\${args[i+1]} ;; --file) f=\${args[i+1]} ;; esac
  done
  if [[ "$3" == upload ]]; then src=$f dst="az://$a/$c/$n"; else src="az://$a/$c/$n" dst=$f; fi
else
  src=\${args[\${#args[@]}-2]} dst=\${args[\${#args[@]}-1]}
fi
local_path() { if [[ "$1" == *://* ]]; then echo "$STANDIN_STORE/\${1#*://}"; else echo "$1"; fi; }
mkdir -p "$(dirname "$(local_path "$dst")")"
cp "$(local_path "$src")" "$(local_path "$dst")"
`;

/** Each cloud's recorded push and pull commands and the project it ran in, for the real-CLI check below. */
const recorded = new Map<string, { dir: string; argv: string[][] }>();

describe("scripts/data.sh with each cloud's store (stand-in CLIs that record their argv)", () => {
  const stores = CLOUDS.filter((c) => c.data);

  test('every cloud record has a data store, and this test knows its commands', () => {
    assert.deepEqual(CLOUDS.map((c) => c.name), stores.map((c) => c.name), 'a cloud without "data" in its record');
    for (const c of stores) {
      assert.ok(EXPECTED[c.name], `no expected commands for cloud ${c.name}`);
      assert.deepEqual(Object.keys(EXPECTED[c.name]!.variables), c.data!.variables, `${c.name}: the record's data variables`);
    }
  });

  for (const record of stores) {
    test(`${record.name}: push and pull run ${record.data!.cli} with the expected arguments; shellcheck-clean`, async (t) => {
      const dir = join(work, `cloud-${record.name}`);
      await renderTo(dir, { name: NAME, cloud: record.name });
      const script = join(dir, 'scripts/data.sh');
      if (toolMissing(TOOLS.shellcheck)) t.diagnostic('shellcheck is not installed (.ci/tools.d/10-lint-tools.sh): not linted');
      else {
        const lint = spawnSync(TOOLS.shellcheck, ['-x', script], { cwd: dir, encoding: 'utf8' });
        assert.equal(lint.status, 0, lint.stdout);
      }
      const expected = EXPECTED[record.name]!;
      const bin = join(work, `bin-${record.name}`);
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(bin, record.data!.cli), STANDIN);
      chmodSync(join(bin, record.data!.cli), 0o755);
      const log = join(work, `argv-${record.name}.log`);
      const env = { ...expected.variables, PATH: `${bin}:${process.env.PATH}`, STANDIN_LOG: log, STANDIN_STORE: join(work, `cloud-store-${record.name}`) };
      const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split('\x1f')) : []);

      // Without the variables the script names them and runs nothing.
      rmSync(join(dir, 'data/test.csv.gz'));
      const unset = data(dir, 'pull')({ PATH: env.PATH, STANDIN_LOG: log });
      assert.equal(unset.status, 1);
      assert.match(unset.stderr, new RegExp(`^data\\.sh: set ${record.data!.variables.join(' and ')} .*or DATA_REMOTE\\n$`));
      assert.deepEqual(calls(), []);

      const push = data(dir, 'push')(env);
      assert.equal(push.status, 0, push.stderr);
      const files = ['data/train.csv.gz'].map((f) => [f, hashOf(dir, f)] as const);
      assert.deepEqual(calls(), files.map(([f, h]) => expected.push(f, h)));
      const pushed = calls();

      rmSync(log);
      rmSync(join(dir, 'data/train.csv.gz'));
      const pull = data(dir, 'pull')(env);
      assert.equal(pull.status, 0, pull.stderr);
      assert.deepEqual(calls(), files.map(([f, h]) => expected.pull(h, `${f}.part`)));
      recorded.set(record.name, { dir, argv: [...pushed, ...calls()] });
      assert.equal(hashOf(dir, 'data/train.csv.gz'), files[0]![1]);

      // A URL of another kind is refused by name; the CLI is looked for before it is needed.
      const other = data(dir, 'pull')({ DATA_REMOTE: 'ftp://example.org/data' });
      rmSync(join(dir, 'data/train.csv.gz'));
      const wrong = data(dir, 'pull')({ DATA_REMOTE: 'ftp://example.org/data' });
      assert.equal(other.status, 0, 'nothing to fetch: no store needed');
      assert.equal(wrong.status, 1);
      assert.equal(wrong.stderr, `data.sh: DATA_REMOTE=ftp://example.org/data: use file:///absolute/path or ${record.data!.scheme}...\n`);
      // A PATH with the basic tools only (this machine may have a real cloud CLI in /usr/bin).
      const basic = join(work, 'bin-basic');
      mkdirSync(basic, { recursive: true });
      for (const tool of ['bash', 'dirname', 'cut', 'sha256sum', 'find', 'sort', 'mkdir', 'rm']) {
        const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
        if (!existsSync(join(basic, tool))) symlinkSync(found, join(basic, tool));
      }
      const noCli = data(dir, 'pull')({ ...expected.variables, PATH: basic });
      assert.equal(noCli.status, 1);
      assert.equal(noCli.stderr, `data.sh: the ${record.data!.cli} CLI is not installed (see the README's Data section)\n`);
    });
  }
});

// Where a cloud's real CLI happens to be installed (this project's tools do not install them), it
// parses the recorded arguments: with no login and no network it must get as far as asking for
// credentials, which a misspelt option or subcommand never does. Isolated from any login on the
// machine (fresh config folders, no credential variables), so it cannot reach a real account.
describe('the recorded commands, given to the real CLI where one is installed', () => {
  const NO_LOGIN: Record<string, RegExp> = {
    aws: /Unable to locate credentials/,
    gcloud: /do not currently have an active account/,
    az: /az login/,
  };
  for (const record of CLOUDS.filter((c) => c.data)) {
    test(`${record.name}: ${record.data!.cli} accepts the arguments and stops at the login`, (t) => {
      const cli = record.data!.cli;
      const found = spawnSync('bash', ['-c', `command -v ${cli}`], { encoding: 'utf8' }).stdout.trim();
      const calls = recorded.get(record.name);
      if (!found || !calls) {
        t.skip(`${cli} is not installed here (or the stand-in test did not run): arguments checked against the expected list only`);
        return;
      }
      assert.ok(NO_LOGIN[cli], `no login message known for ${cli}`);
      const home = mkdtempSync(join(work, `home-${cli}-`));
      mkdirSync(join(home, 'data'));
      for (const arg of calls.argv.flat().filter((a) => a.startsWith('data/') && !a.endsWith('.part'))) writeFileSync(join(home, arg), 'a file to upload\n');
      // HOME stays (tool shims such as pyenv's find their root from it); each CLI's own settings
      // point into the fresh folder, and no credential variable is passed on.
      const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|CLOUDSDK_|AZURE_|GOOGLE_|DATA_REMOTE)/.test(k)));
      const env = {
        ...inherited,
        CLOUDSDK_CONFIG: join(home, 'gcloud'),
        CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
        CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
        AZURE_CONFIG_DIR: join(home, 'azure'),
        AWS_CONFIG_FILE: join(home, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      for (const [name, ...args] of calls.argv) {
        // Run beside a stand-in data/, outside the project (whose .python-version would steer a
        // pyenv-installed CLI to another Python).
        const real = spawnSync(name!, args, { cwd: home, encoding: 'utf8', env, timeout: 120_000 });
        assert.notEqual(real.status, 0);
        assert.match(real.stdout + real.stderr, NO_LOGIN[cli]!, `${name} ${args.join(' ')}`);
      }
    });
  }
});
