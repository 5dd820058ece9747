/**
 * Real Terraform against moto, a local AWS API emulator: start and stop moto, and run
 * `terraform init` / `plan` / `show -json` offline, from the provider mirror of the machine image.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

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
  /**
   * With `apply`: the plan made again after `terraform apply`, where every value is known
   * (the applied state as planned values).
   */
  appliedPlanJson?: string
  cleanup(): void
}

/**
 * Copies `fixture` to a temporary directory, points the AWS provider at moto through an override
 * file, and runs `terraform init` (from the mirror only), `plan -out` and `show -json`; with
 * `apply`, then `apply`, `plan -out` and `show -json` again.
 */
export function terraformPlan(fixture: string, motoEndpoint: string, apply = false): TerraformRun {
  const root = mkdtempSync(join(tmpdir(), 'access-diff-tf-'))
  const cleanup = (): void => rmSync(root, { recursive: true, force: true })
  try {
    const dir = join(root, 'tree')
    cpSync(fixture, dir, { recursive: true })
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
    writeFileSync(
      join(dir, 'moto_override.tf'),
      `provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    iam = ${JSON.stringify(motoEndpoint)}
    sts = ${JSON.stringify(motoEndpoint)}
    s3  = ${JSON.stringify(motoEndpoint)}
    kms = ${JSON.stringify(motoEndpoint)}
  }
}
`,
    )
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
    const terraform = (...args: string[]): string => {
      try {
        return execFileSync('terraform', args, {
          cwd: dir,
          env,
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string }
        throw new Error(`terraform ${args[0]} failed:\n${e.stderr ?? ''}\n${e.stdout ?? ''}`)
      }
    }
    terraform('init', '-input=false', '-no-color', '-backend=false')
    terraform('plan', '-input=false', '-no-color', '-lock=false', '-out=plan.out')
    const planJson = terraform('show', '-json', '-no-color', 'plan.out')
    if (!apply) return { dir, planJson, cleanup }
    terraform('apply', '-input=false', '-no-color', '-lock=false', '-auto-approve', 'plan.out')
    terraform('plan', '-input=false', '-no-color', '-lock=false', '-out=applied.out')
    const appliedPlanJson = terraform('show', '-json', '-no-color', 'applied.out')
    return { dir, planJson, appliedPlanJson, cleanup }
  } catch (error) {
    cleanup()
    throw error
  }
}
