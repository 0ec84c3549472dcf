// A cloud training job's container as its platform runs it, read from the request that
// `scripts/train_in_cloud.py --dry-run` prints: the command, its environment, the folders the
// platform provides, where it puts the committed data and the folder it uploads when the job ends.
// test/e2e/container-workflow.test.ts runs it in the train image; test/e2e/python-project.test.ts
// runs the same command on the host, every container path placed under a folder of its own.
//
// What each platform documents is followed; what cannot be known offline is named where it is
// chosen (the Azure ML paths, the working directories, the job's user).

import { execa } from 'execa';
import { cp, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface JobContainer {
  platform: 'SageMaker' | 'Azure ML' | 'Vertex AI';
  /** The container's command and arguments (exec form), the platform's placeholders filled in. */
  argv: string[];
  /** What the platform sets in the container: the request's variables and its own documented ones. */
  env: Record<string, string>;
  /** What the platform itself sets in the container, over the request's variables. */
  injected?: Record<string, string>;
  /** The platform's working directory; undefined: the image's WORKDIR. */
  workdir?: string;
  /** The folders the platform provides (a host folder is mounted at each). */
  mounts: string[];
  /** Folders that exist before the command starts. */
  created: string[];
  /** Each committed file the job reads: where it is in the container, and its sha256. */
  inputs: { path: string; sha256: string }[];
  /** The folder the platform uploads when the job ends: the model must be written there. */
  model: string;
  /** Other folders the platform keeps with the job. */
  kept: string[];
}

const DIGEST = /\/sha256\/([0-9a-f]{64})$/;

interface SageMaker {
  AlgorithmSpecification: { ContainerEntrypoint: string[]; ContainerArguments: string[] };
  InputDataConfig: { ChannelName: string; DataSource: { S3DataSource: { S3Uri: string } } }[];
  Environment: Record<string, string>;
}
interface AzureMl {
  job: { properties: { command: string; inputs: Record<string, { uri: string }>; outputs: Record<string, unknown>; environmentVariables: Record<string, string> } };
}
interface Vertex {
  body: {
    jobSpec: {
      workerPoolSpecs: { containerSpec: { command: string[]; args: string[]; env?: { name: string; value: string }[] } }[];
      baseOutputDirectory: { outputUriPrefix: string };
    };
  };
}

/** The container of the job a dry run printed (SageMaker, Azure ML or Vertex AI). */
export function jobContainer(request: unknown): JobContainer {
  const r = request as Partial<SageMaker & AzureMl & Vertex>;
  if (r.AlgorithmSpecification && r.InputDataConfig) return sageMaker(r as SageMaker);
  if (r.job?.properties.command) return azureMl(r as AzureMl);
  if (r.body?.jobSpec) return vertex(r as Vertex);
  throw new Error(`not a training job request this helper knows: ${JSON.stringify(request).slice(0, 200)}`);
}

// SageMaker (documented): each channel's files under /opt/ml/input/data/<channel>/ (an S3Prefix
// naming one object: that object, under its name), /opt/ml/model uploaded at the end, the
// request's Environment. ContainerEntrypoint and ContainerArguments replace ENTRYPOINT and CMD.
function sageMaker(r: SageMaker): JobContainer {
  const inputs = r.InputDataConfig.map((channel) => {
    const uri = channel.DataSource.S3DataSource.S3Uri;
    return { path: `/opt/ml/input/data/${channel.ChannelName}/${uri.split('/').at(-1)}`, sha256: digestOf(uri) };
  });
  const spec = r.AlgorithmSpecification;
  return { platform: 'SageMaker', argv: [...spec.ContainerEntrypoint, ...spec.ContainerArguments], env: { ...r.Environment }, mounts: ['/opt/ml'], created: ['/opt/ml/model'], inputs, model: '/opt/ml/model', kept: [] };
}

// Azure ML: each uri_file input downloaded into a folder of its own under its blob's name, and
// ${{inputs.x}} / ${{outputs.x}} replaced by the local paths; the command is a shell line. Not
// knowable offline: the exact paths (a job folder under /mnt/azureml on its compute), the working
// directory (stood in for by an empty folder of the job's, not the image's WORKDIR; Azure ML keeps
// what the job writes to outputs/ there), and whether the variables Azure ML sets itself (below)
// replace the environmentVariables the request sets: the run here assumes they do (the stricter case).
const AZURE_JOB = '/mnt/azureml/job';
// What Azure ML sets in every job's container for MLflow: its workspace's tracking URI ("automatically
// configured", Azure ML's docs) and a run it has already started for the job (MLFLOW_RUN_ID, which
// MLflow integrations report meeting on Azure ML). A job that does not clear them logs to a store it
// cannot reach (azureml:// needs a plugin the image does not have) or resumes a run that is not there.
const AZURE_ML_INJECTS = {
  MLFLOW_TRACKING_URI: 'azureml://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-ml/providers/Microsoft.MachineLearningServices/workspaces/example-workspace',
  MLFLOW_RUN_ID: '5d9c0f0e-azure-ml-job-run',
  MLFLOW_EXPERIMENT_ID: '0a1b2c3d-azure-ml-experiment',
};
function azureMl(r: AzureMl): JobContainer {
  const p = r.job.properties;
  let command = p.command;
  const inputs = Object.entries(p.inputs).map(([name, input]) => {
    const path = `${AZURE_JOB}/inputs/${name}/${input.uri.split('/').at(-1)}`;
    command = command.replaceAll(`\${{inputs.${name}}}`, path);
    return { path, sha256: digestOf(input.uri) };
  });
  const outputs = Object.keys(p.outputs).map((name) => {
    const path = `${AZURE_JOB}/outputs/${name}`;
    command = command.replaceAll(`\${{outputs.${name}}}`, path);
    return path;
  });
  if (command.includes('${{')) throw new Error(`a placeholder the request does not define is left in: ${command}`);
  const workdir = `${AZURE_JOB}/wd`;
  const model = `${AZURE_JOB}/outputs/model`;
  if (!outputs.includes(model)) throw new Error('the Azure ML job has no "model" output');
  return { platform: 'Azure ML', argv: ['sh', '-c', command], env: { ...p.environmentVariables }, injected: AZURE_ML_INJECTS, workdir, mounts: [AZURE_JOB], created: [workdir, ...outputs], inputs, model, kept: [`${workdir}/outputs`] };
}

// Vertex AI (documented): each Cloud Storage bucket the job may read is mounted at /gcs/<bucket>
// (Cloud Storage FUSE; folders are implicit, nothing exists before the job writes it); with a
// baseOutputDirectory it sets AIP_MODEL_DIR (<base>/model/, uploaded as the model),
// AIP_CHECKPOINT_DIR and AIP_TENSORBOARD_LOG_DIR; command and args replace ENTRYPOINT and CMD.
// Assumed: the image's WORKDIR is the working directory; the user the container runs as.
function vertex(r: Vertex): JobContainer {
  const spec = r.body.jobSpec;
  const { command, args, env = [] } = spec.workerPoolSpecs[0]!.containerSpec;
  const base = spec.baseOutputDirectory.outputUriPrefix.replace(/\/$/, '');
  const mounted = (uri: string) => uri.replace(/^gs:\/\//, '/gcs/');
  const inputs = args.filter((a) => a.startsWith('/gcs/') && DIGEST.test(a)).map((path) => ({ path, sha256: digestOf(path) }));
  const buckets = new Set([mounted(base), ...inputs.map((i) => i.path)].map((path) => path.split('/').slice(0, 3).join('/')));
  const platform = { AIP_MODEL_DIR: `${base}/model/`, AIP_CHECKPOINT_DIR: `${base}/checkpoints/`, AIP_TENSORBOARD_LOG_DIR: `${base}/logs/` };
  return {
    platform: 'Vertex AI',
    argv: [...command, ...args],
    env: { ...Object.fromEntries(env.map((e) => [e.name, e.value])), ...platform },
    mounts: [...buckets],
    created: [],
    inputs,
    model: `${mounted(base)}/model`,
    kept: [],
  };
}

function digestOf(uri: string): string {
  const digest = DIGEST.exec(uri)?.[1];
  if (!digest) throw new Error(`an input that is not a content address: ${uri}`);
  return digest;
}

/** Where the job's MLflow run goes when its MLFLOW_TRACKING_URI is a SQLite file (a container path). */
export function runStore(job: JobContainer): string | undefined {
  const uri = job.env.MLFLOW_TRACKING_URI ?? '';
  if (!uri.startsWith('sqlite:///')) return undefined;
  const path = uri.slice('sqlite:///'.length);
  return path.startsWith('/') ? path : join(job.workdir ?? '/', path);
}

/**
 * Lays out the folders the platform provides under root on this machine: each input copied from
 * the project by its content address (data/manifest.sha256), the folders the platform creates,
 * every folder writable by any user (the job's user is not this machine's). Returns the mapping
 * from a container path to its place under root.
 */
export async function stageJob(job: JobContainer, root: string, project: string, manifest: string): Promise<(path: string) => string> {
  const files = new Map(manifest.trim().split('\n').map((line) => line.split(/\s+/) as [string, string]));
  const host = (path: string) => join(root, path);
  for (const mount of job.mounts) await mkdir(host(mount), { recursive: true });
  for (const folder of job.created) await mkdir(host(folder), { recursive: true });
  for (const input of job.inputs) {
    const file = files.get(input.sha256);
    if (!file) throw new Error(`${input.path}: no committed file has sha256 ${input.sha256}`);
    await mkdir(dirname(host(input.path)), { recursive: true });
    await cp(join(project, file), host(input.path));
  }
  await execa('chmod', ['-R', 'a+rwX', root]);
  return host;
}

/** The container's environment: the request's variables, then what the platform sets over them. */
function containerEnv(job: JobContainer): Record<string, string> {
  return { ...job.env, ...job.injected };
}

/** The job's command on this machine: every container path in it placed under root. */
export function onHost(job: JobContainer, root: string): { argv: string[]; env: Record<string, string>; cwd: string } {
  const place = (text: string) => job.mounts.reduce((s, mount) => s.replace(new RegExp(`${escape(mount)}(?=/|$| )`, 'g'), join(root, mount)), text);
  return {
    argv: job.argv.map(place),
    env: Object.fromEntries(Object.entries(containerEnv(job)).map(([k, v]) => [k, place(v)])),
    cwd: job.workdir ? join(root, job.workdir) : root,
  };
}

/** `docker run` arguments for the job in `image`: the platform's folders mounted from root, no network. */
export function dockerRunArgs(job: JobContainer, root: string, image: string): string[] {
  const [entrypoint, ...args] = job.argv;
  return [
    'run', '--rm', '--network', 'none',
    ...job.mounts.flatMap((mount) => ['-v', `${join(root, mount)}:${mount}`]),
    ...Object.entries(containerEnv(job)).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    ...(job.workdir ? ['-w', job.workdir] : []),
    '--entrypoint', entrypoint!, image, ...args,
  ];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
