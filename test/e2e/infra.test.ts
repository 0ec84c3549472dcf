// The cloud side as code (infra/, Terraform), for every cloud, in the two kinds of project that
// have it (an API with training, and training without an API: no deploy resources), against the
// workflows that use it:
//   - `terraform fmt -check` passes (and fails on a misformatted copy: the check can fail);
//   - checkov finds nothing, and every check it skips has a reason written next to the skip;
//   - the HCL, parsed by python-hcl2, agrees with the rendered workflows: the outputs are exactly
//     the repository variables the deploy and train-in-cloud jobs read (the training identities
//     are in infra/training.tf, made only with training); the infra workflow reads only outputs
//     and the plan/apply identities the README names, and sets every input without a default;
//     the federation trusts exactly this repository's staging and production environments for
//     the deploys and its training environment for training; no policy grants a wildcard action;
//     the services carry the API's health check on its port; without an API there is no service
//     and no deploy identity.
// scripts/configure-github.sh, which turns the outputs into repository variables, is checked in
// configure-github.test.ts. `terraform init/validate/plan` cannot run here: the providers come
// from the Terraform registry, which this machine cannot reach. The generated README says so.
// Tools: .ci/tools.d/45-infra-tools.sh (run here if missing). Run:
//   node --import tsx --test test/e2e/infra.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTo } from '../helpers/render.js';
import { varsIn } from '../helpers/file-checks.js';
import { blocks, CLOUDS, ENVIRONMENTS, environmentsOf, REPO, renderInfraProjects, run, subjects, TOOLS, variablesRead, workflow, type Cloud, type Project } from '../helpers/infra-projects.js';

const PINS = JSON.parse(readFileSync(join(REPO, 'template/pins.json'), 'utf8'));
// Actions that have no resource-level form in IAM, so "*" is their only possible resource.
const UNSCOPABLE = new Set(['ecr:GetAuthorizationToken', 'apprunner:ListServices', 'cloudwatch:PutMetricData']);
// Inputs with no safe default: the repository, the cloud account, and the team's existing data
// store and Azure ML workspace the training jobs use.
const REQUIRED_INPUTS = ['github_repository', 'project_id', 'subscription_id', 'data_bucket', 'ml_workspace', 'ml_resource_group', 'data_storage_account', 'data_container'];

let root = '';
let projects: Project[] = [];

/** The project of this cloud with an API, or (api false) the training-only one. */
function project(cloud: Cloud, api = true): Project {
  return projects.find((p) => p.cloud === cloud && p.api === api)!;
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'infra-'));
  projects = await renderInfraProjects(root);
});

after(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('infra/ (Terraform) for every cloud, with an API and for training alone', () => {
  it('exists for a deployed API or a cloud training job, with its workflow; training.tf exactly with training', async () => {
    assert.equal(projects.length, 2 * CLOUDS.length);
    for (const p of projects) {
      assert.deepEqual(Object.keys(p.hcl).sort(), ['main.tf', 'training.tf'], p.id);
      assert.match(readFileSync(join(p.dir, '.gitignore'), 'utf8'), /^\*\.tfstate$/m, `${p.id}: state is git-ignored`);
      assert.ok(existsSync(join(p.dir, '.github/workflows/infra.yml')), `${p.id}: infra.yml`);
    }
    for (const cloud of CLOUDS) {
      const dir = join(root, `no-training-${cloud}`);
      await renderTo(dir, { name: 'demo-project', cloud, api: true, training: false });
      assert.ok(existsSync(join(dir, 'infra/main.tf')), `${cloud} without training: infra/main.tf`);
      assert.equal(existsSync(join(dir, 'infra/training.tf')), false, `${cloud} without training: no infra/training.tf`);
    }
    const dir = join(root, 'no-infra-none');
    await renderTo(dir, { name: 'demo-project', cloud: 'none' });
    assert.equal(existsSync(join(dir, 'infra')), false, 'cloud none: no infra/');
    assert.equal(existsSync(join(dir, '.github/workflows/infra.yml')), false, 'cloud none: no infra.yml');
  });

  it('without an API: no service, no deploy identity, no deploy output', () => {
    // What only deploying needs: the services and their environment, the deploy identity, the
    // identity the services pull or run with.
    const DEPLOY_ONLY = /apprunner|cloud_run|container_app|role_definition|\.(deploy|pull|runtime)$|deploy_|run_pull|^aws_iam_policy_document\.pull/;
    for (const cloud of CLOUDS) {
      const [withApi, trainingOnly] = [project(cloud), project(cloud, false)];
      const names = (p: Project) => [...blocks(p, 'resource'), ...blocks(p, 'data')].map(([n]) => n);
      assert.ok(names(withApi).some((n) => DEPLOY_ONLY.test(n)), `${cloud}: the pattern finds the API project's deploy resources`);
      assert.deepEqual(names(trainingOnly).filter((n) => DEPLOY_ONLY.test(n)), [], `${cloud}: deploy resources in a project without an API`);
      assert.equal(blocks(trainingOnly, 'locals').some(([n]) => n === 'services'), false, `${cloud}: no services local`);
      const deployOnly = [...variablesRead(withApi)].filter((v) => !variablesRead(trainingOnly).has(v));
      for (const [name] of blocks(trainingOnly, 'output')) assert.ok(!deployOnly.includes(name), `${cloud}: output ${name} is the deploys'`);
      const text = readFileSync(join(trainingOnly.dir, 'infra/main.tf'), 'utf8');
      assert.doesNotMatch(text, /App Runner|Cloud Run|Container Apps?\b|staging|deploy/i, `${cloud}: main.tf names deploying`);
    }
  });

  it('terraform fmt -check passes, and fails on a misformatted copy', async () => {
    const terraform = join(TOOLS, 'bin/terraform');
    const { stdout } = await run(terraform, ['version']);
    assert.match(stdout, new RegExp(`^Terraform v${PINS.tools.terraform.replaceAll('.', '\\.')}\\b`), 'the pinned Terraform');
    for (const p of projects) {
      const r = await run(terraform, ['fmt', '-check', '-diff', '-recursive'], { cwd: join(p.dir, 'infra') }).catch((e) => e);
      assert.equal(r.code ?? 0, 0, `${p.id}: terraform fmt -check\n${r.stdout}${r.stderr}`);
    }
    const bad = join(root, 'misformatted');
    await cp(join(project('aws').dir, 'infra'), bad, { recursive: true });
    await writeFile(join(bad, 'main.tf'), (await readFile(join(bad, 'main.tf'), 'utf8')).replace('value = ', 'value   =   '));
    const r = await run(terraform, ['fmt', '-check'], { cwd: bad }).catch((e) => e);
    assert.notEqual(r.code ?? 0, 0, 'terraform fmt -check accepted a misformatted file');
  });

  it('checkov: no failed check, and every skip says why', async () => {
    for (const p of projects) {
      const r = await run(join(TOOLS, 'bin/checkov'), ['--directory', join(p.dir, 'infra'), '--framework', 'terraform', '--output', 'json', '--skip-download'], {
        maxBuffer: 1 << 26,
        env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' },
      }).catch((e) => e);
      const report = JSON.parse(r.stdout);
      const results = (Array.isArray(report) ? report[0] : report).results;
      const failed = results.failed_checks.map((f: any) => `${f.check_id} ${f.resource}: ${f.check_name}`);
      assert.deepEqual(failed, [], `${p.id}: checkov failed checks`);
      assert.deepEqual(results.parsing_errors, [], `${p.id}: checkov could not parse`);
      assert.ok(results.passed_checks.length > 0, `${p.id}: checkov passed only ${results.passed_checks.length} checks: did it read infra/?`);
      for (const s of results.skipped_checks) assert.ok(String(s.check_result?.suppress_comment ?? '').length > 20, `${p.id}: ${s.check_id} skipped without a reason`);
    }
  });

  /** Repository variables the deploy and training jobs read that infra/ does not make (the README
   * says who sets them). */
  const NOT_FROM_INFRA = [
    // The team's own tracking server (--tracking mlflow): the production deploy moves its alias.
    'MLFLOW_TRACKING_URI',
    // Optional: a compute cluster of the team's instead of Azure ML's serverless compute.
    'AZURE_ML_COMPUTE',
  ];

  it('the outputs are exactly the repository variables the deploy and training jobs read', () => {
    for (const p of projects) {
      const read = variablesRead(p);
      for (const name of NOT_FROM_INFRA) read.delete(name);
      const outputs = blocks(p, 'output');
      assert.deepEqual(outputs.map(([n]) => n).sort(), [...read].sort(), `${p.id}: outputs = ${p.api ? 'deploy and ' : ''}training variables`);
      for (const [name, body] of outputs) assert.ok(body.value, `${p.id}: output ${name} has a value`);
    }
  });

  it('the README documents infra/ and says which variable each training output sets', () => {
    for (const p of projects) {
      const readme = readFileSync(join(p.dir, 'README.md'), 'utf8');
      assert.match(readme, /^#### The cloud side as code \(`infra\/`\)$/m, `${p.id}: README section on infra/`);
      assert.doesNotMatch(readme, /has no Terraform/, `${p.id}: README says there is no Terraform`);
      const start = readme.indexOf('`infra/training.tf` makes');
      assert.ok(start > 0, `${p.id}: README on infra/training.tf`);
      const paragraph = readme.slice(start, readme.indexOf('\n\n', start));
      for (const entry of p.hcl['training.tf']!.output) {
        const name = Object.keys(entry)[0]!;
        assert.ok(paragraph.includes(`\`${name}\``), `${p.id}: README names ${name}`);
      }
    }
  });

  it('the infra workflow reads only outputs and the plan/apply identities the README names', () => {
    for (const p of projects) {
      const outputs = new Set(blocks(p, 'output').map(([n]) => n));
      const readme = readFileSync(join(p.dir, 'README.md'), 'utf8');
      const extra = [...varsIn(workflow(p, 'infra.yml'))].filter((v) => !outputs.has(v)).sort();
      const kind = { aws: 'ROLE_ARN', gcp: 'SERVICE_ACCOUNT', azure: 'CLIENT_ID' }[p.cloud];
      const prefix = p.cloud.toUpperCase();
      assert.deepEqual(extra, [`${prefix}_INFRA_APPLY_${kind}`, `${prefix}_INFRA_PLAN_${kind}`], `${p.id}: one plan and one apply identity`);
      for (const v of extra) assert.ok(readme.includes(`\`${v}\``), `${p.id}: README documents ${v}`);
    }
  });

  it('the federation trusts exactly this repository\'s staging and production environments (with an API) and its training environment', () => {
    const subject = (e: string) => `repo:\${var.github_repository}:environment:${e}`;
    for (const p of projects) {
      assert.deepEqual(subjects(p), environmentsOf(p).map(subject).sort(), p.id);
      if (p.api) {
        const ci = workflow(p, 'ci.yml');
        assert.deepEqual(['deploy-staging', 'deploy-production'].map((j) => ci.jobs[j].environment.name), ENVIRONMENTS, `${p.id}: the deploy jobs' environments`);
      }
      assert.equal(workflow(p, 'train-in-cloud.yml').jobs['train-in-cloud'].environment, 'training', `${p.id}: the training job's environment`);
      // Each identity is trusted for its own environments only: the deploys' never for training.
      const identities = [...(p.api ? [['deploy', ENVIRONMENTS] as const] : []), ['training', ['training']] as const];
      for (const [name, environments] of identities) {
        if (p.cloud === 'aws') {
          const trust = blocks(p, 'data').find(([n]) => n === `aws_iam_policy_document.${name}_trust`)![1];
          const conditions = trust.statement[0].condition.map((c: any) => `${c.variable} ${c.test}`);
          assert.deepEqual(conditions, ['token.actions.githubusercontent.com:aud StringEquals', 'token.actions.githubusercontent.com:sub StringEquals']);
          assert.deepEqual(trust.statement[0].condition[1].values, environments.map(subject), `${p.id}: ${name} role`);
        } else if (p.cloud === 'azure') {
          const federated = blocks(p, 'resource').find(([n]) => n === `azurerm_federated_identity_credential.${name}`)![1];
          assert.deepEqual(federated.audience, ['api://AzureADTokenExchange']);
          assert.equal(federated.parent_id, `\${azurerm_user_assigned_identity.${name}.id}`, `${p.id}: ${name} credential`);
        } else {
          const binding = blocks(p, 'resource').find(([n]) => n === `google_service_account_iam_member.${name}_federation`)![1];
          assert.equal(binding.service_account_id, `\${google_service_account.${name}.name}`, `${p.id}: ${name} binding`);
        }
      }
      if (p.cloud === 'gcp') {
        const provider = blocks(p, 'resource').find(([n]) => n === 'google_iam_workload_identity_pool_provider.github')![1];
        assert.equal(provider.attribute_condition, "assertion.repository == '${var.github_repository}'", p.id);
      }
      const main = p.hcl['main.tf']!;
      assert.equal(main.variable.find((v: any) => v.github_repository).github_repository.default, undefined, `${p.id}: no default repository`);
      assert.equal(main.locals[0].github_issuer, 'https://token.actions.githubusercontent.com');
    }
  });

  it('no policy grants a wildcard action, and "*" resources only for actions that have no other', () => {
    for (const api of [true, false]) {
      const statements = blocks(project('aws', api), 'data').flatMap(([, b]) => b.statement ?? []);
      assert.ok(statements.length >= (api ? 6 : 4));
      for (const s of statements) {
        for (const action of s.actions) assert.doesNotMatch(action, /\*/, `aws: ${action}`);
        if ((s.resources ?? []).includes('*')) assert.ok(s.actions.every((a: string) => UNSCOPABLE.has(a)), `aws: ${s.actions} on "*"`);
        // A role may be handed to one service only; metrics go to SageMaker's namespace only.
        const limits = (s.condition ?? []).map((c: any) => c.variable);
        if (s.actions.includes('iam:PassRole')) assert.deepEqual(limits, ['iam:PassedToService'], `aws: ${s.sid}`);
        if (s.actions.includes('cloudwatch:PutMetricData')) assert.deepEqual(limits, ['cloudwatch:namespace'], `aws: ${s.sid}`);
      }
    }
    const role = blocks(project('azure'), 'resource').find(([n]) => n === 'azurerm_role_definition.deploy')![1];
    for (const action of role.permissions[0].actions) assert.doesNotMatch(action, /\*/, `azure: ${action}`);
    assert.equal(role.permissions[0].not_actions, undefined);
    for (const p of projects) {
      const roles = JSON.stringify(p.hcl).match(/"roles\/[^"]*"|"(AcrPull|AcrPush|Owner|Contributor)"/g) ?? [];
      for (const r of roles) assert.doesNotMatch(r, /Owner|Contributor|roles\/(owner|editor|run\.admin)/i, `${p.id}: broad role ${r}`);
    }
  });

  it('the staging and production services carry the API\'s health check on its port', () => {
    const resources = (cloud: Cloud, type: string) => blocks(project(cloud), 'resource').filter(([n]) => n.startsWith(`${type}.`)).map(([, b]) => b);
    const [aws] = resources('aws', 'aws_apprunner_service');
    assert.deepEqual(aws.health_check_configuration[0], { protocol: 'HTTP', path: '/health', interval: 10, timeout: 5, healthy_threshold: 1, unhealthy_threshold: 3 });
    assert.equal(aws.source_configuration[0].image_repository[0].image_configuration[0].port, '8000');
    const script = readFileSync(join(project('aws').dir, 'scripts/deploy/aws.sh'), 'utf8');
    assert.ok(script.includes(`health_check='{"Protocol":"HTTP","Path":"/health","Interval":10,"Timeout":5,"HealthyThreshold":1,"UnhealthyThreshold":3}'`), 'aws.sh sets the same health check');
    const [gcp] = resources('gcp', 'google_cloud_run_v2_service');
    const container = gcp.template[0].containers[0];
    assert.equal(container.ports[0].container_port, 8000);
    for (const probe of ['startup_probe', 'liveness_probe']) assert.equal(container[probe][0].http_get[0].path, '/health', `gcp ${probe}`);
    const [azure] = resources('azure', 'azurerm_container_app');
    assert.equal(azure.ingress[0].target_port, 8000);
    for (const probe of ['liveness_probe', 'readiness_probe']) assert.deepEqual(azure.template[0].container[0][probe][0], { transport: 'HTTP', port: 8000, path: '/health' }, `azure ${probe}`);
    for (const [cloud, service] of [['aws', aws], ['gcp', gcp], ['azure', azure]] as const) {
      assert.equal(service.for_each, '${local.services}', `${cloud}: one service per environment`);
      assert.ok(service.lifecycle[0].ignore_changes.length > 0, `${cloud}: deploys own the image`);
    }
  });

  it('pins Terraform and the providers, and keeps state local with a documented remote backend', () => {
    for (const p of projects) {
      const main = p.hcl['main.tf']!;
      const tf = main.terraform[0];
      assert.equal(tf.required_version, '>= 1.6.0', `${p.id}: OpenTofu 1.6 reads it too`);
      for (const provider of Object.values<any>(tf.required_providers[0])) assert.match(provider.version, /^~> \d+\.\d+$/, `${p.id}: provider pinned to a major`);
      assert.equal(tf.backend, undefined, `${p.id}: local state by default`);
      const text = readFileSync(join(p.dir, 'infra/main.tf'), 'utf8');
      assert.match(text, new RegExp(`^  # backend "${{ aws: 's3', gcp: 'gcs', azure: 'azurerm' }[p.cloud]}" \\{$`, 'm'), `${p.id}: remote backend option`);
      for (const v of blocks(p, 'variable').filter(([n]) => !REQUIRED_INPUTS.includes(n))) {
        assert.notEqual(v[1].default, undefined, `${p.id}: variable ${v[0]} has a default`);
      }
    }
  });

  it('infra.yml: checks on every change to infra/, plan on pull requests, apply on main behind production', () => {
    for (const p of projects) {
      const wf = workflow(p, 'infra.yml');
      for (const trigger of ['push', 'pull_request']) assert.ok(wf.on[trigger].paths.includes('infra/**'), `${p.id}: ${trigger} on infra/**`);
      assert.equal(wf.concurrency['cancel-in-progress'], false);
      const check = wf.jobs['infra-check'];
      assert.equal(check.if, undefined);
      const checkRuns = check.steps.map((s: any) => s.run ?? '').join('\n');
      assert.match(checkRuns, /terraform -chdir=infra fmt -check/);
      assert.ok(checkRuns.includes(`checkov==${PINS.tools.checkov}`), `${p.id}: checkov pinned`);
      const setup = check.steps.find((s: any) => String(s.uses ?? '').startsWith('hashicorp/setup-terraform@'));
      assert.equal(setup.with.terraform_version, PINS.tools.terraform);
      assert.match(wf.jobs['infra-plan'].if, /^github\.event_name == 'pull_request' && vars\.\w+ != ''$/);
      assert.match(wf.jobs['infra-plan'].steps.at(-1).run, /terraform -chdir=infra plan/);
      const apply = wf.jobs['infra-apply'];
      assert.equal(apply.environment, 'production');
      assert.match(apply.if, /github\.ref == 'refs\/heads\/main'/);
      assert.match(apply.if, /github\.event_name != 'pull_request'/);
      assert.match(apply.steps.at(-1).run, /terraform -chdir=infra apply -auto-approve/);
      for (const job of ['infra-plan', 'infra-apply']) assert.deepEqual(wf.jobs[job].needs, 'infra-check');
    }
  });

  it('infra.yml gives every input without a default (TF_INPUT=0: a missing one fails the plan)', () => {
    for (const p of projects) {
      const env = workflow(p, 'infra.yml').env;
      assert.equal(env.TF_INPUT, '0', `${p.id}: Terraform never prompts`);
      for (const [name, body] of blocks(p, 'variable').filter(([, b]) => b.default === undefined)) {
        assert.ok(env[`TF_VAR_${name}`], `${p.id}: infra.yml does not set TF_VAR_${name} (variable ${name}: ${body.description})`);
      }
    }
  });
});
