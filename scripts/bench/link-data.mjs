// The compiled bench (build/bench) sits one folder deeper than the sources: the data files and
// examples the code finds next to it are links to the project's own.
import { existsSync, symlinkSync } from 'node:fs'

for (const name of ['data', 'examples']) {
  const link = new URL(`../../build/bench/${name}`, import.meta.url)
  if (!existsSync(link)) symlinkSync(`../../${name}`, link, 'dir')
}
