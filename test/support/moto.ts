/**
 * Real Terraform against moto, a local AWS API emulator: start and stop moto, and run
 * `terraform init` / `plan` / `show -json` (and `apply`) offline, from the provider mirror of the
 * machine image. Several trees may run at once against one moto (their names must not clash).
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** Where the machine image keeps the AWS provider (`registry.terraform.io/hashicorp/aws/...`). */
export const PROVIDER_MIRROR = process.env.ACCESS_DIFF_TF_MIRROR ?? '/opt/tf-plugins'

/** The account moto answers STS GetCallerIdentity with. */
export const MOTO_ACCOUNT = '123456789012'

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Why the real-Terraform check cannot run here, or undefined when it can. */
export function missingTools(): string | undefined {
  const missing: string[] = []
  if (!onPath('terraform')) missing.push('the terraform CLI')
  if (!onPath('moto_server')) missing.push('moto_server (pip install "moto[server]")')
  if (!existsSync(join(PROVIDER_MIRROR, 'registry.terraform.io/hashicorp/aws')))
    missing.push(`the AWS provider mirror at ${PROVIDER_MIRROR} (set ACCESS_DIFF_TF_MIRROR)`)
  return missing.length === 0 ? undefined : `needs ${missing.join(', ')}`
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export interface Moto {
  endpoint: string
  stop(): Promise<void>
}

/** Starts moto_server on a free 127.0.0.1 port and waits until it answers. */
export async function startMoto(timeoutMs = 20_000): Promise<Moto> {
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Attaching an AWS managed policy needs moto to know it.
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(killer)
  }
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`)
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) })
      if (response.ok) return { endpoint, stop }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  await stop()
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms: ${stderr}`)
}

export interface TerraformRun {
  /** The copy of the tree that Terraform ran in (with the moto provider override). */
  dir: string
  /** `terraform show -json` of the saved plan. */
  planJson: string
  /** With `apply`: `terraform show -json` of the state after `terraform apply` (every value known). */
  stateJson?: string
  cleanup(): void
}

export interface TerraformTree {
  /** Folders copied into the working directory: `{ '.': '/path/root', 'modules/x': '/path/x' }`. */
  copy?: Record<string, string>
  /** Files written into the working directory after the copies (path relative to it). */
  files?: Record<string, string>
  /** Var files given to Terraform as `-var-file` (relative to the working directory). */
  varFiles?: string[]
  /**
   * Directories (relative to the working directory) whose own `provider "aws"` block the moto
   * override must patch; the root always is. A module without a provider block inherits the root's.
   */
  providerDirs?: string[]
  apply?: boolean
}

/** What points a `provider "aws"` block at moto: merged into it as an override file. */
function motoOverride(endpoint: string): string {
  const e = JSON.stringify(endpoint)
  return `provider "aws" {
  region                      = "us-east-1"
  profile                     = null
  access_key                  = "test"
  secret_key                  = "test"
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = false
  endpoints {
    iam           = ${e}
    sts           = ${e}
    s3            = ${e}
    kms           = ${e}
    organizations = ${e}
  }
}
`
}

/**
 * Builds the tree in a temporary directory, points the AWS provider at moto through override
 * files, and runs `terraform init` (from the mirror only), `plan -out` and `show -json`; with
 * `apply`, then `apply` and `show -json` of the state.
 */
export async function terraformRun(tree: TerraformTree, motoEndpoint: string): Promise<TerraformRun> {
  const root = mkdtempSync(join(tmpdir(), 'access-diff-tf-'))
  const cleanup = (): void => rmSync(root, { recursive: true, force: true })
  try {
    const dir = join(root, 'tree')
    for (const [to, from] of Object.entries(tree.copy ?? {})) cpSync(from, join(dir, to), { recursive: true })
    for (const [path, text] of Object.entries(tree.files ?? {})) {
      const full = join(dir, path)
      mkdirFor(full)
      writeFileSync(full, text)
    }
    const cliConfig = join(root, 'terraform.rc')
    writeFileSync(
      cliConfig,
      `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(PROVIDER_MIRROR)}
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
`,
    )
    for (const d of ['.', ...(tree.providerDirs ?? [])]) {
      const full = join(dir, d, 'moto_override.tf')
      mkdirFor(full)
      writeFileSync(full, motoOverride(motoEndpoint))
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_DATA_DIR: join(root, '.terraform'),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
    }
    delete env.AWS_PROFILE
    const terraform = (...args: string[]): Promise<string> =>
      new Promise((resolve, reject) => {
        execFile(
          'terraform',
          args,
          { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
          (error, stdout, stderr) => {
            if (error) reject(new Error(`terraform ${args[0]} failed in ${dir}:\n${stderr}\n${stdout}`))
            else resolve(stdout)
          },
        )
      })
    const varArgs = (tree.varFiles ?? []).map((f) => `-var-file=${f}`)
    await terraform('init', '-input=false', '-no-color', '-backend=false')
    await terraform('plan', '-input=false', '-no-color', '-lock=false', '-out=plan.out', ...varArgs)
    const planJson = await terraform('show', '-json', '-no-color', 'plan.out')
    if (!tree.apply) return { dir, planJson, cleanup }
    await terraform('apply', '-input=false', '-no-color', '-lock=false', '-auto-approve', 'plan.out')
    const stateJson = await terraform('show', '-json', '-no-color')
    return { dir, planJson, stateJson, cleanup }
  } catch (error) {
    cleanup()
    throw error
  }
}

function mkdirFor(file: string): void {
  mkdirSync(dirname(file), { recursive: true })
}
