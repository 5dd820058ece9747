const USAGE = `access-diff: the effective AWS IAM access of infrastructure code, and what a change does to it

Usage:
  access-diff demo                      analyse the bundled example and print a summary
  access-diff --help                    this text

Coming next (see CONTRACT.md): diff, report.
`

export async function main(argv: string[]): Promise<number> {
  const [command] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE)
    return command === undefined ? 1 : 0
  }
  process.stderr.write(`access-diff: unknown command '${command}'\n\n${USAGE}`)
  return 1
}
