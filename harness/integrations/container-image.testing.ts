/**
 * Images for the container test, made on this machine without an image registry or network access:
 *
 * - a base image holding this machine's Node.js — the `node` binary, the libraries `ldd` lists for it,
 *   /bin/sh and /usr/bin/env (the bin's shebang) — imported from a root file system (`docker import`),
 *   standing in for `node:22-slim`, which cannot be pulled here;
 * - a package image holding ssf-lab at /opt/ssf-lab as the Dockerfile's build stage would make it —
 *   `npm pack`, then `npm install --omit=dev` of the tarball — made here from npm's local cache, so the
 *   build needs neither the registry nor the dev dependencies (the Dockerfile's `SSF_LAB_PACKAGE`);
 * - the lab image: the repository's Dockerfile built with those two, through the Docker API with
 *   BuildKit (which skips the build stage it does not use).
 *
 * Test support only: it shells out to docker, tar, ldd and npm, and ships in no package.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { GenericContainer } from 'testcontainers';

const run = promisify(execFile);

/** Runs a command; rejects with its stderr's last lines when it fails. */
async function command(file: string, args: readonly string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run(file, [...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    throw new Error(`${file} ${args.join(' ')} failed: ${stderr.trim().split('\n').slice(-5).join(' | ')}`, {
      cause: error,
    });
  }
}

/** Whether a Docker engine answers. */
export async function dockerAvailable(): Promise<boolean> {
  try {
    await command('docker', ['version', '--format', '{{.Server.Version}}']);
    return true;
  } catch {
    return false;
  }
}

async function imageExists(image: string): Promise<boolean> {
  try {
    await command('docker', ['image', 'inspect', '--format', '{{.Id}}', image]);
    return true;
  } catch {
    return false;
  }
}

/** `tar -C dir -c . | docker import [changes] - image`. */
function importDirectory(dir: string, image: string, changes: readonly string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const docker = spawn('docker', ['import', ...changes.flatMap((c) => ['--change', c]), '-', image], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    tar.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    docker.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    tar.stdout.pipe(docker.stdin);
    tar.once('error', reject);
    docker.once('error', reject);
    docker.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`docker import ${image} failed: ${stderr.trim()}`)),
    );
  });
}

/** Copies `file` (following links) to the same path under `root`. */
function copyInto(root: string, file: string, as: string = file): void {
  mkdirSync(join(root, dirname(as)), { recursive: true });
  copyFileSync(file, join(root, as));
}

/** Bumped whenever the base image's recipe changes, so that a kept image of an older recipe is not reused. */
const BASE_RECIPE = 1;

/**
 * An image with this machine's Node.js, made once per Node version (and recipe) and kept:
 * `ssf-lab-test-base:node-<version>-<recipe>`.
 */
export async function localNodeBaseImage(): Promise<string> {
  const image = `ssf-lab-test-base:node-${process.version.slice(1)}-${BASE_RECIPE}`;
  if (await imageExists(image)) return image;
  const root = mkdtempSync(join(tmpdir(), 'ssf-lab-base-'));
  try {
    // mkdtemp makes the directory 0700; as the image's / it would lock out the unprivileged user.
    chmodSync(root, 0o755);
    const binaries: [string, string][] = [
      [process.execPath, '/usr/bin/node'],
      ['/bin/sh', '/bin/sh'],
      ['/usr/bin/env', '/usr/bin/env'],
    ];
    const libraries = new Set<string>();
    for (const [file, as] of binaries) {
      copyInto(root, file, as);
      for (const match of (await command('ldd', [file])).matchAll(/(\/\S+)/g))
        if (match[1] !== undefined) libraries.add(match[1]);
    }
    for (const library of libraries) copyInto(root, library);
    mkdirSync(join(root, 'etc'));
    writeFileSync(
      join(root, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/tmp:/bin/sh\n',
    );
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
    mkdirSync(join(root, 'tmp'));
    chmodSync(join(root, 'tmp'), 0o1777);
    mkdirSync(join(root, 'root'));
    await importDirectory(root, image, ['ENV PATH=/usr/local/bin:/usr/bin:/bin']);
    return image;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * An image holding ssf-lab at /opt/ssf-lab, packed from `repository` (its dist/ as built) and installed
 * with its run-time dependencies from npm's cache: `image`.
 */
export async function localPackageImage(repository: string, image: string): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'ssf-lab-package-'));
  try {
    // No build script (tsc): `npm run test:container` has just built dist/, which the test's certify uses too.
    await command('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], repository);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack made no tarball');
    chmodSync(work, 0o755);
    const installed = join(work, 'root/opt/ssf-lab');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, 'package.json'), '{"private": true}\n');
    await command(
      'npm',
      ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)],
      installed,
    );
    await importDirectory(join(work, 'root'), image);
    return image;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Builds the repository's Dockerfile as `image`, with the given build arguments (BuildKit). */
export async function buildImage(
  repository: string,
  image: string,
  buildArgs: Readonly<Record<string, string>>,
): Promise<string> {
  await GenericContainer.fromDockerfile(repository)
    .withBuildkit()
    .withBuildArgs({ ...buildArgs })
    .build(image, { deleteOnExit: false });
  return image;
}
