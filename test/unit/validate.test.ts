import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { LOCKED_DISTRIBUTIONS } from '../../src/locked-distributions.js';
import { NAME_PATTERN, packageName, suggestProjectName, validateProjectName } from '../../src/validate.js';
import { lockedDistributions, OUTPUT, renderModule } from '../../tools/locked-names.js';
import { PYTHON_STDLIB } from '../../src/python-stdlib.js';
import { stdlibOf } from '../../tools/stdlib-names.js';

describe('project names', () => {
  for (const good of ['loan-default', 'a1', 'model-v2-eu', 'x'.repeat(50)]) {
    it(`accepts ${good.slice(0, 20)}`, () => assert.equal(validateProjectName(good), undefined));
  }
  for (const bad of ['', 'Loan', '1model', '-a', 'a-', 'a--b', 'a_b', 'a.b', 'ünï', '../x', 'a b', 'x'.repeat(51), 'import', 'json', 'nul', 'com1', 'test', 'api']) {
    it(`refuses ${JSON.stringify(bad.slice(0, 20))}`, () => assert.ok(validateProjectName(bad)));
  }
  it('suggests a valid name from free text', () => {
    assert.equal(suggestProjectName('My Loan Model!'), 'my-loan-model');
    assert.equal(suggestProjectName('Ünïcode Café'), 'unicode-cafe');
    assert.equal(suggestProjectName('123'), undefined);
    assert.equal(suggestProjectName('json'), undefined);
  });
  it('derives the import package', () => assert.equal(packageName('loan-default-v2'), 'loan_default_v2'));
  // Each refusal names the rule that applies, not just "reserved".
  for (const [name, reason] of [
    ['import', 'a Python keyword'],
    ['match', 'a Python keyword'],
    ['asyncio', "a module of Python's standard library"],
    ['dataclasses', "a module of Python's standard library"],
    ['hashlib', "a module of Python's standard library"],
    ['html', "a module of Python's standard library"],
    ['xml', "a module of Python's standard library"],
    ['urllib', "a module of Python's standard library"],
    ['test', "the package of Python's own test suite"],
    ['con', 'a Windows device name'],
    ['lpt9', 'a Windows device name'],
    ['update', 'a command of this tool'],
    ['check-update', 'a command of this tool'],
    ['yes', 'a word YAML reads as null or a boolean'],
    ['tests', 'a folder or module of the generated project itself'],
    ['poetry', 'a tool the project is built with'],
  ]) {
    it(`refuses ${name}: ${reason}`, () => assert.equal(validateProjectName(name as string), `is reserved: ${name} is ${reason}; pick a more specific name`));
  }
});

describe("Python's standard library", () => {
  it("src/python-stdlib.ts holds every module of the Python running the tests (run tools/stdlib-names.ts)", () => {
    const { version, names } = stdlibOf('python3');
    assert.ok(names.length > 150 && names.includes('asyncio'), `python3 ${version} listed ${names.length} modules`);
    const missing = names.filter((name) => !PYTHON_STDLIB.includes(name));
    assert.deepEqual(missing, [], `Python ${version}'s modules missing from src/python-stdlib.ts`);
  });
  it('refuses every standard-library module whose name can be a project name', () => {
    const valid = PYTHON_STDLIB.filter((n) => NAME_PATTERN.test(n.replaceAll('_', '-')));
    assert.ok(valid.length > 150);
    for (const name of valid) assert.ok(validateProjectName(name.replaceAll('_', '-')), name);
  });
});

describe('names of the dependencies a project installs', () => {
  it('src/locked-distributions.ts lists exactly what the shipped locks install (run tools/locked-names.ts)', () => {
    const names = lockedDistributions();
    assert.ok(names.includes('scikit-learn') && names.includes('uvloop') && names.includes('jupyterlab'), 'the lock parser found no packages');
    assert.equal(readFileSync(OUTPUT, 'utf8'), renderModule(names));
  });
  // The two kinds of collision: a distribution's own name, and a module installed under another.
  for (const [name, dependency] of [
    ['scikit-learn', 'scikit-learn'],
    ['httptools', 'httptools'],
    ['uvloop', 'uvloop'],
    ['jupyterlab', 'jupyterlab'],
    ['typing-extensions', 'typing-extensions'],
    ['sklearn', 'scikit-learn'],
    ['yaml', 'pyyaml'],
    ['zmq', 'pyzmq'],
  ]) {
    it(`refuses ${name}, naming ${dependency}`, () => {
      assert.equal(validateProjectName(name as string), `is taken by a dependency the project installs (${dependency}); pick a more specific name`);
    });
  }
  it('refuses every locked distribution whose name is a valid project name', () => {
    const valid = LOCKED_DISTRIBUTIONS.filter((n) => NAME_PATTERN.test(n));
    assert.ok(valid.length > 100);
    for (const name of valid) assert.ok(validateProjectName(name), name);
  });
  it('still accepts names that only contain a dependency name', () => {
    assert.equal(validateProjectName('sklearn-credit-model'), undefined);
    assert.equal(validateProjectName('pandas-etl'), undefined);
  });
});

