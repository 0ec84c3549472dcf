// A stand-in for an old Docker Engine (17.06, API 1.30) on a unix socket: no such engine can be
// installed here, so this answers the two requests every client makes first, as that engine's
// API does: /_ping (with its Api-Version header, which clients negotiate down to) and
// /v<version>/version, refusing a newer client version with the daemon's own 400 message.
// Anything else is the daemon's 404. Only the "engine too old" fault tests use it; every other
// case runs against a real engine.

import { createServer } from 'node:http';
import { join } from 'node:path';

const ENGINE = {
  Version: '17.06.2-ce',
  ApiVersion: '1.30',
  MinAPIVersion: '1.12',
  GitCommit: 'cec0b72',
  GoVersion: 'go1.8.3',
  Os: 'linux',
  Arch: 'amd64',
  KernelVersion: '4.9.0-3-amd64',
  BuildTime: '2017-09-05T19:58:57.182575033+00:00',
};

export interface OldEngine {
  /** DOCKER_HOST for it. */
  host: string;
  /** The requests it answered, "METHOD path" each. */
  requests: string[];
  close(): Promise<void>;
}

export async function startOldEngine(dir: string): Promise<OldEngine> {
  const socket = join(dir, 'old-docker.sock');
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const headers = { 'Api-Version': ENGINE.ApiVersion, 'Docker-Experimental': 'false', Ostype: 'linux', Server: `Docker/${ENGINE.Version} (linux)` };
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    const path = (req.url ?? '/').split('?')[0]!;
    const versioned = /^\/v(\d+)\.(\d+)(\/.*)$/.exec(path);
    if (versioned && (Number(versioned[1]) > 1 || Number(versioned[2]) > 30)) {
      return json(400, { message: `client version ${versioned[1]}.${versioned[2]} is too new. Maximum supported API version is ${ENGINE.ApiVersion}` });
    }
    const route = versioned ? versioned[3] : path;
    if (route === '/_ping') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache' });
      return res.end(req.method === 'HEAD' ? undefined : 'OK');
    }
    if (route === '/version') return json(200, ENGINE);
    return json(404, { message: 'page not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, resolve);
  });
  return {
    host: `unix://${socket}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
