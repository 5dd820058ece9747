/**
 * The command line: `diff`, `report`, `policy` and `demo`. Each command parses its arguments, does
 * its I/O and calls the core; every expected failure is one line on stderr and exit status 1.
 */
import { fileURLToPath } from 'node:url'
import { ConfigError } from '../config/load.js'
import { GitSourceError } from '../source/git.js'
import { diffCommand } from './diff.js'
import { DIFF_HELP, REPORT_HELP, USAGE } from './help.js'
import { UsageError } from './io.js'
import { policyCommand, policyExamples } from './policy.js'
import { reportCommand } from './report.js'

export { DEMO_MANAGED_POLICY, EXAMPLES } from './policy.js'

/** The example organisation's change, as `npm run demo` shows it. */
export const DEMO_DIRS = {
  base: fileURLToPath(new URL('../../examples/org/base/', import.meta.url)),
  head: fileURLToPath(new URL('../../examples/org/head/', import.meta.url)),
}

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number | 'help'>; help: string }> = {
  diff: { run: diffCommand, help: DIFF_HELP },
  report: { run: reportCommand, help: REPORT_HELP },
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE)
    return 0
  }
  if (command === 'policy') {
    if (rest.includes('--examples')) return policyExamples()
    if (rest.length > 0 && !rest.includes('--help')) return policyCommand(rest)
  }
  if (command === 'demo') {
    // The PR comment for the example change; its blocking verdict is the point, not a failure.
    const code = await main([
      'diff',
      '--base-dir',
      DEMO_DIRS.base,
      '--head-dir',
      DEMO_DIRS.head,
      '--format',
      'markdown',
      ...rest,
    ])
    return code === 1 ? 1 : 0
  }
  const cmd = command === undefined ? undefined : COMMANDS[command]
  if (cmd === undefined) {
    process.stderr.write(
      `${command === undefined ? '' : `access-diff: unknown command or missing arguments: ${command}\n\n`}${USAGE}`,
    )
    return 1
  }
  try {
    const code = await cmd.run(rest)
    if (code !== 'help') return code
    process.stdout.write(cmd.help)
    return 0
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`access-diff ${command}: ${error.message}\n\n${cmd.help}`)
      return 1
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`access-diff: bad configuration: ${error.message}\n`)
      return 1
    }
    if (error instanceof GitSourceError) {
      process.stderr.write(`access-diff: ${error.message}\n`)
      return 1
    }
    throw error
  }
}
