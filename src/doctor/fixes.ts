// One concrete fix per problem and OS: Homebrew on macOS, apt-get on Ubuntu/Debian, winget on
// Windows (the same package managers the generated go scripts use).

import type { Os } from '../options.js';

type PerOs = Record<Os, string>;

export const FIXES = {
  python: (version: string): PerOs => ({
    mac: `brew install python@${version}`,
    linux: `sudo apt-get install -y python3 python3-venv (Python ${version} if the distribution's python3 is older)`,
    windows: `winget install -e --id Python.Python.${version}`,
  }),
  git: {
    mac: 'brew install git',
    linux: 'sudo apt-get install -y git',
    windows: 'winget install -e --id Git.Git',
  },
  dockerClient: {
    mac: 'brew install --cask docker, then start Docker Desktop once',
    linux: 'sudo apt-get install -y docker.io',
    windows: 'winget install -e --id Docker.DockerDesktop',
  },
  dockerEngine: {
    mac: 'start Docker Desktop (open -a Docker) and wait until it reports "running"',
    linux: 'sudo systemctl start docker',
    windows: 'start Docker Desktop from the Start menu and wait until it reports "running"',
  },
  dockerUpgrade: {
    mac: 'update Docker Desktop (its menu: Check for updates), or brew upgrade docker colima',
    linux: "sudo apt-get install --only-upgrade docker.io (or Docker's own docker-ce packages)",
    windows: 'winget upgrade -e --id Docker.DockerDesktop',
  },
  portInUse: (port: number): PerOs => ({
    mac: `lsof -nP -iTCP:${port} -sTCP:LISTEN names the program on port ${port}: stop it (or an earlier task still running)`,
    linux: `sudo ss -ltnp 'sport = :${port}' names the program on port ${port}: stop it (or an earlier task still running)`,
    windows: `netstat -ano | findstr :${port} gives the process id on port ${port}: stop it (or an earlier task still running)`,
  }),
  dockerPermission: {
    mac: 'start Docker Desktop (open -a Docker); it sets up the socket for your user',
    linux: 'sudo usermod -aG docker "$USER", then log out and in again',
    windows: 'start Docker Desktop; your user must be in the "docker-users" group',
  },
  batectApi: {
    mac: 'Docker Desktop → Settings → Docker Engine: add "min-api-version": "1.43", Apply & restart (or regenerate with --runner compose)',
    linux: 'add "min-api-version": "1.43" to /etc/docker/daemon.json, then sudo systemctl restart docker (or regenerate with --runner compose)',
    windows: 'Docker Desktop → Settings → Docker Engine: add "min-api-version": "1.43", Apply & restart (or regenerate with --runner compose)',
  },
  java: {
    mac: 'brew install --cask temurin',
    linux: 'sudo apt-get install -y openjdk-17-jre-headless',
    windows: 'winget install -e --id EclipseAdoptium.Temurin.17.JRE',
  },
  compose: {
    mac: 'brew install docker-compose (or update Docker Desktop, which includes it)',
    linux: "sudo apt-get install -y docker-compose-plugin (from Docker's apt repository; Ubuntu's own package is docker-compose-v2)",
    windows: 'update Docker Desktop, which includes Compose: winget upgrade -e --id Docker.DockerDesktop',
  },
  packageManager: (pm: string, version: string): PerOs => ({
    mac: `python3 scripts/go/setup_host.py (installs ${pm} ${version} into a private tool folder)`,
    linux: `python3 scripts/go/setup_host.py (installs ${pm} ${version} into a private tool folder)`,
    windows: `py -3 scripts\\go\\setup_host.py (installs ${pm} ${version} into a private tool folder)`,
  }),
} as const;
