import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs } from '../../src/args.js';
import { parseCommandArgs } from '../../src/commands/flags.js';
import { UsageError } from '../../src/errors.js';
import { CLOUD_VALUES_TEXT } from '../helpers/clouds.js';

describe('parseArgs', () => {
  it('reads the folder and every kind of flag', () => {
    const parsed = parseArgs(['demo', '--os', 'linux,mac', '--cloud=gcp', '--no-api', '--python', '3.12', '-y', '--package-manager', 'uv']);
    assert.equal(parsed.dir, 'demo');
    assert.deepEqual(parsed.given, { os: ['mac', 'linux'], cloud: 'gcp', api: false, python: '3.12', yes: true, packageManager: 'uv' });
  });

  it('keeps the option table order and drops repeats in lists', () => {
    assert.deepEqual(parseArgs(['--os', 'windows,mac,windows']).given.os, ['mac', 'windows']);
  });

  it('accepts a flag repeated with the same meaning', () => {
    assert.deepEqual(parseArgs(['-y', '--yes', '--cloud', 'aws', '--cloud=aws', '--os', 'linux,mac', '--os', 'mac,linux']).given, { yes: true, cloud: 'aws', os: ['mac', 'linux'] });
  });

  it('accepts explicit boolean values and grouped short flags', () => {
    assert.deepEqual(parseArgs(['--git=false', '--install=true', '-yh']).given, { git: false, install: true, yes: true, help: true });
  });

  it('ignores a bare -- (npm create passes it through)', () => {
    assert.equal(parseArgs(['--', 'demo']).dir, 'demo');
  });

  const refusals: [string[], RegExp][] = [
    [['--cloud', 'heroku'], new RegExp(`^--cloud heroku is not allowed: use one of ${CLOUD_VALUES_TEXT}$`)],
    [['--os', 'mac,beos'], /^--os mac,beos is not allowed: use a comma list of mac, linux, windows$/],
    [['--os', ''], /^--os "" is not allowed/],
    [['--python', '3.10'], /^--python 3.10 is not allowed: use one of 3.12, 3.13, 3.14$/],
    [['--name', 'Bad Name'], /^--name "Bad Name" may use lowercase letters/],
    [['--name', 'con'], /^--name con is reserved: con is a Windows device name; pick a more specific name$/],
    [['--name', 'a'.repeat(51)], /at most 50 are allowed$/],
    [['--cloud'], new RegExp(`^--cloud needs a value: one of ${CLOUD_VALUES_TEXT}$`)],
    [['--cloud', '--api'], /^--cloud needs a value/],
    [['--api=maybe'], /^--api=maybe is not allowed: use --api or --no-api$/],
    [['--frobnicate'], /^unknown option --frobnicate: see --help for the options$/],
    // A typo gets the nearest flag or value; a word nowhere near gets none.
    [['--pyhton', '3.13'], /^unknown option --pyhton: see --help for the options \(did you mean --python\?\)$/],
    [['--no-instal'], /\(did you mean --no-install\?\)$/],
    [['--package-manger', 'uv'], /\(did you mean --package-manager\?\)$/],
    [['--cloud', 'azrue'], new RegExp(`^--cloud azrue is not allowed: use one of ${CLOUD_VALUES_TEXT} \\(did you mean azure\\?\\)$`)],
    [['--os', 'linux,widnows'], /use a comma list of mac, linux, windows \(did you mean windows\?\)$/],
    [['--runner', 'docker'], /^--runner docker is not allowed: use one of batect, compose$/],
    [['-q'], /^unknown option -q/],
    [['--no-cloud'], /^unknown option --no-cloud/],
    [['one', 'two'], /^expected at most one folder, got 2: one two$/],
    [['--cloud', 'a\nb'], /^--cloud "a\\nb" is not allowed/],
    // A flag that contradicts an earlier one names both; last-one-wins would hide a script's bug.
    [['--api', '--no-api'], /^--api and --no-api contradict each other: give --api once$/],
    [['--no-install', '--install=true'], /^--no-install and --install=true contradict each other: give --install once$/],
    [['--cloud', 'aws', '--cloud=gcp'], /^--cloud aws and --cloud gcp contradict each other: give --cloud once$/],
    [['--os', 'mac', '--os', 'linux'], /^--os mac and --os linux contradict each other: give --os once$/],
  ];
  for (const [argv, message] of refusals) {
    it(`refuses ${JSON.stringify(argv)} with one clear line`, () => {
      assert.throws(
        () => parseArgs(argv),
        (error: unknown) => error instanceof UsageError && error.exitCode === 2 && message.test(error.message) && !error.message.includes('\n'),
      );
    });
  }
});

describe('parseCommandArgs (update, check-update, doctor)', () => {
  const RUN = 'npx create-ml-project';

  it('reads the folder and the flags each command takes, --set repeatable in order', () => {
    assert.deepEqual(parseCommandArgs('update', ['proj', '--set', 'cloud=gcp', '--dry-run', '--set=api=false', '--template', 'tpl', '--trust', '--json', '--no-color'], RUN), {
      dir: 'proj',
      json: true,
      help: false,
      dryRun: true,
      trust: true,
      template: 'tpl',
      sets: ['cloud=gcp', 'api=false'],
    });
    assert.deepEqual(parseCommandArgs('doctor', ['-h'], RUN), { json: false, help: true, dryRun: false, trust: false, sets: [] });
  });

  // The same words as create's parser, with the command's own --help to see.
  const refusals: ['update' | 'check-update' | 'doctor', string[], RegExp][] = [
    ['update', ['--frobnicate'], /^unknown option --frobnicate: see npx create-ml-project update --help for the options$/],
    ['update', ['--dryrun'], /^unknown option --dryrun: see npx create-ml-project update --help for the options \(did you mean --dry-run\?\)$/],
    ['check-update', ['--set', 'cloud=aws'], /^unknown option --set: see npx create-ml-project check-update --help for the options$/],
    ['check-update', ['--dry-run'], /^unknown option --dry-run: see npx create-ml-project check-update --help/],
    ['doctor', ['--template', 'x'], /^unknown option --template: see npx create-ml-project doctor --help/],
    ['doctor', ['-y'], /^unknown option -y: see npx create-ml-project doctor --help for the options/],
    ['update', ['--template'], /^--template needs a value$/],
    ['update', ['--json=maybe'], /^--json=maybe is not allowed: use --json or --no-json$/],
    ['update', ['--json', '--no-json'], /^--json and --no-json contradict each other: give --json once$/],
    ['doctor', ['a', 'b'], /^expected at most one folder, got 2: a b$/],
    ['check-update', ['a', 'b'], /^expected at most one folder, got 2: a b$/],
  ];
  for (const [command, argv, message] of refusals) {
    it(`${command} refuses ${JSON.stringify(argv)} with one clear line`, () => {
      assert.throws(
        () => parseCommandArgs(command, argv, RUN),
        (error: unknown) => error instanceof UsageError && error.exitCode === 2 && message.test(error.message) && !error.message.includes('\n'),
      );
    });
  }
});
