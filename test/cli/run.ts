/** Runs the CLI in-process and captures what it writes. */
import { main } from '../../src/cli/main.js'

export interface Run {
  code: number
  stdout: string
  stderr: string
}

export async function runCli(args: string[]): Promise<Run> {
  const out: string[] = []
  const err: string[] = []
  const write = { stdout: process.stdout.write, stderr: process.stderr.write }
  process.stdout.write = ((chunk: string | Uint8Array) =>
    out.push(String(chunk)) > 0) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) =>
    err.push(String(chunk)) > 0) as typeof process.stderr.write
  try {
    const code = await main(args)
    return { code, stdout: out.join(''), stderr: err.join('') }
  } finally {
    process.stdout.write = write.stdout
    process.stderr.write = write.stderr
  }
}
