/**
 * What one load shares (the snapshot, the parsed files, coverage) and what one root module adds
 * (its account, region, default tags, tfvars). Files are read only from the snapshot: a path that
 * leaves the tree is refused.
 */
import { posix } from 'node:path'
import type { Parser } from 'web-tree-sitter'
import { ACCOUNT_SYMBOL, REGION_SYMBOL } from '../policies.js'
import type { Coverage, LoaderOptions, Snapshot } from '../types.js'
import type { Block, ParsedFile } from './ast.js'
import type { Env } from './attributes.js'
import { type EvalContext, evaluate, evaluateTop, type TextOrigins } from './evaluate.js'
import { parseHcl } from './hcl.js'
import type { Instance } from './instances.js'
import { ModuleInstance } from './module.js'
import { policyDocumentJson } from './policyDocument.js'
import { entries, isObject, Unknown, type Value } from './values.js'

/** Larger files are generated or hostile, not hand-written infrastructure: refused. */
export const MAX_FILE_CHARS = 2_000_000
const MAX_MODULE_DEPTH = 12

export class SharedState {
  readonly origins: TextOrigins = { objectLines: new WeakMap(), documents: new Map(), texts: new Map() }
  private readonly parsed = new Map<string, ParsedFile | undefined>()
  private readonly seen = new Set<string>()
  readonly filesLoaded = new Set<string>()
  /** Files read through `file()`, `templatefile()` and the like: policy documents among them are not policy files of their own. */
  readonly filesRead = new Set<string>()

  constructor(
    readonly snapshot: Snapshot,
    readonly options: LoaderOptions,
    readonly coverage: Coverage,
    readonly parser: Parser,
  ) {}

  parse(path: string): ParsedFile | undefined {
    if (this.parsed.has(path)) return this.parsed.get(path)
    const text = this.snapshot.read(path)
    let file: ParsedFile | undefined
    if (text === undefined) this.error(path, undefined, 'cannot be read as text')
    else if (text.length > MAX_FILE_CHARS)
      this.error(path, 1, `file too large (${text.length} characters; limit ${MAX_FILE_CHARS})`)
    else {
      const result = parseHcl(this.parser, path, text)
      for (const p of result.problems) this.error(path, p.line, p.message)
      file = result.file
      this.filesLoaded.add(path)
    }
    this.parsed.set(path, file)
    return file
  }

  /** The `.tf` files directly in a directory. */
  dirFiles(dir: string): ParsedFile[] {
    const prefix = dir === '' ? '' : `${dir}/`
    return this.snapshot
      .paths()
      .filter((p) => p.startsWith(prefix) && p.endsWith('.tf') && !p.slice(prefix.length).includes('/'))
      .map((p) => this.parse(p))
      .filter((f): f is ParsedFile => f !== undefined)
  }

  error(file: string, line: number | undefined, message: string): void {
    const key = `e ${file}:${line}:${message}`
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.coverage.errors.push({ file, ...(line !== undefined ? { line } : {}), message })
  }

  unresolved(file: string, line: number | undefined, expression: string): void {
    const key = `u ${file}:${line}:${expression}`
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.coverage.unresolved.push({ file, ...(line !== undefined ? { line } : {}), expression })
  }

  notAnalysed(file: string, line: number | undefined, what: string, reason: string): void {
    const key = `n ${file}:${line}:${what}`
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.coverage.notAnalysed.push({ file, ...(line !== undefined ? { line } : {}), what, reason })
  }
}

/**
 * What starts every address of a root module: its directory (`envs/prod/`), '' for the tree's root.
 * Terraform addresses are unique only within one root module (one state), and a tree often holds
 * several (an environment each, calling the same modules): without it, `module.identity.aws_s3_bucket.kyc`
 * of dev and of prod would be one key, and policies, resources and symbols of one would stand for
 * the other. Always given, not only when there are several roots, so that adding a root module to
 * a tree does not rename what the others define.
 */
export function rootLabel(rootDir: string): string {
  return rootDir === '' ? '' : `${rootDir}/`
}

export class LoadState {
  env: Env
  defaultTags: Record<string, string> = {}
  private readonly tfvars = new Map<string, Map<string, Value>>()

  constructor(
    readonly shared: SharedState,
    readonly rootDir: string,
  ) {
    const o = shared.options
    this.env = {
      account: o.homeAccount ?? ACCOUNT_SYMBOL,
      partition: o.partition ?? 'aws',
      region: o.region ?? REGION_SYMBOL,
    }
  }

  get origins(): TextOrigins {
    return this.shared.origins
  }

  root(): ModuleInstance {
    const root = new ModuleInstance(
      this,
      this.rootDir,
      rootLabel(this.rootDir),
      this.shared.dirFiles(this.rootDir),
      new Map(),
      this.rootDir,
      '',
    )
    this.configureProvider(root)
    return root
  }

  /** The default `aws` provider of the root module: its region and default tags. */
  private configureProvider(root: ModuleInstance): void {
    for (const f of root.files)
      for (const b of f.body.blocks) {
        if (b.type !== 'provider' || b.labels[0] !== 'aws' || b.body.attributes.has('alias')) continue
        const ctx = root.context(f.path)
        const region = b.body.attributes.get('region')
        if (region && this.shared.options.region === undefined) {
          const v = evaluateTop(region.expr, ctx, region.text)
          if (typeof v === 'string' && !v.includes('${')) this.env = { ...this.env, region: v }
        }
        const tags = b.body.blocks.find((x) => x.type === 'default_tags')?.body.attributes.get('tags')
        if (tags) {
          const v = evaluateTop(tags.expr, ctx, tags.text)
          if (isObject(v))
            for (const [k, x] of Object.entries(v)) if (typeof x === 'string') this.defaultTags[k] = x
        }
      }
  }

  error(file: string, line: number | undefined, message: string): void {
    this.shared.error(file, line, message)
  }

  unresolved(file: string, line: number | undefined, expression: string): void {
    this.shared.unresolved(file, line, expression)
  }

  context(module: ModuleInstance, file: string): EvalContext {
    const ctx: EvalContext = {
      file,
      dir: module.dir,
      origins: this.shared.origins,
      lookup: (name, line) => module.lookup(name, line, file),
      unresolved: (line, expression) => this.unresolved(file, line, expression),
      readFile: (path, line) => this.readFile(path, file, line),
      renderTemplate: (text, vars, line) => this.renderTemplate(text, vars, ctx, line),
    }
    return ctx
  }

  /** Relative paths resolve from the root module's directory, as Terraform does; never outside the tree. */
  private readFile(path: string, from: string, line: number): string | undefined {
    if (path.includes('${')) return undefined
    const resolved = posix.normalize(posix.join(this.rootDir === '' ? '.' : this.rootDir, path))
    if (posix.isAbsolute(path) || resolved.startsWith('..')) {
      this.error(from, line, `file ${path} is outside the analysed tree: not read`)
      return undefined
    }
    const text = this.shared.snapshot.read(resolved)
    if (text === undefined) return undefined
    this.shared.filesRead.add(resolved)
    if (text.length > MAX_FILE_CHARS) {
      this.error(resolved, 1, 'file too large: not read')
      return undefined
    }
    if (text.includes('Statement')) this.shared.origins.texts.set(text, { file: resolved, line: 1 })
    return text
  }

  private renderTemplate(text: string, vars: Record<string, Value>, ctx: EvalContext, line: number): Value {
    const marker = 'ACCESS_DIFF_TEMPLATE'
    const source = `t = <<${marker}\n${text}${text.endsWith('\n') ? '' : '\n'}${marker}\n`
    const parsed = parseHcl(this.shared.parser, ctx.file, source)
    const attr = parsed.file.body.attributes.get('t')
    if (!attr || parsed.problems.length > 0) {
      this.unresolved(ctx.file, line, 'templatefile(...) (template could not be parsed)')
      return new Unknown('templatefile')
    }
    const inner: EvalContext = { ...ctx, lookup: (n) => (Object.hasOwn(vars, n) ? vars[n] : undefined) }
    const v = evaluate(attr.expr, inner)
    return typeof v === 'string' && !text.endsWith('\n') ? v.replace(/\n$/, '') : v
  }

  tfvar(rootDir: string, name: string): Value | undefined {
    let vars = this.tfvars.get(rootDir)
    if (!vars) {
      vars = new Map()
      this.tfvars.set(rootDir, vars)
      const prefix = rootDir === '' ? '' : `${rootDir}/`
      const files = this.shared.snapshot
        .paths()
        .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
        .filter((p) => p === `${prefix}terraform.tfvars` || p.endsWith('.auto.tfvars'))
        .sort((a, b) =>
          a.endsWith('terraform.tfvars') ? -1 : b.endsWith('terraform.tfvars') ? 1 : a < b ? -1 : 1,
        )
      files.push(...this.namedVarFiles(rootDir))
      for (const path of files) {
        const parsed = this.shared.parse(path)
        if (!parsed) continue
        // tfvars are constants: no references, so no module is needed to evaluate them.
        const ctx: EvalContext = {
          file: path,
          dir: rootDir,
          origins: this.shared.origins,
          lookup: () => undefined,
          unresolved: (line, expression) => this.unresolved(path, line, expression),
          readFile: () => undefined,
          renderTemplate: () => new Unknown('templatefile'),
        }
        for (const a of parsed.body.attributes.values()) vars.set(a.name, evaluateTop(a.expr, ctx, a.text))
      }
      this.tfvars.set(rootDir, vars)
    }
    return vars.get(name)
  }

  /**
   * The var files configuration names for a root module, as tree paths; a path that leaves the
   * tree or does not exist is an error of the configuration, reported once, and skipped.
   */
  private namedVarFiles(rootDir: string): string[] {
    const named = this.shared.options.terraformVarFiles ?? {}
    const out: string[] = []
    for (const [dir, paths] of Object.entries(named)) {
      const normalized = posix.normalize(dir === '' ? '.' : dir).replace(/\/$/, '')
      if ((normalized === '.' ? '' : normalized) !== rootDir) continue
      for (const path of paths) {
        const resolved = posix.normalize(posix.join(rootDir === '' ? '.' : rootDir, path))
        const named = `var file of ${dir} in the configuration (terraform.var-files)`
        if (posix.isAbsolute(path) || resolved === '..' || resolved.startsWith('../'))
          this.error(path, undefined, `${named} is outside the analysed tree: not read`)
        else if (this.shared.snapshot.read(resolved) === undefined)
          this.error(resolved, undefined, `${named} is not in the tree`)
        else out.push(resolved)
      }
    }
    return out
  }

  /** Attributes that only a data source's logic knows: the JSON of a policy document. */
  computed(instance: Instance, name: string): Value | undefined {
    if (instance.type === 'aws_iam_policy_document' && (name === 'json' || name === 'minified_json'))
      return policyDocumentJson(instance, this)
    return undefined
  }

  instantiate(
    parent: ModuleInstance,
    name: string,
    call: Block,
  ): { key: Value | undefined; module: ModuleInstance }[] {
    const ctx = parent.context(call.file)
    const sourceAttr = call.body.attributes.get('source')
    const source = sourceAttr ? evaluateTop(sourceAttr.expr, ctx, sourceAttr.text) : undefined
    const key = parent.moduleKey === '' ? name : `${parent.moduleKey}.${name}`
    const dir = typeof source === 'string' ? this.moduleDir(parent, key, source) : undefined
    if (dir === undefined || parent.prefix.split('module.').length > MAX_MODULE_DEPTH) {
      this.shared.notAnalysed(
        call.file,
        call.line,
        `module "${name}" (${String(source)})`,
        'remote module without a local copy in .terraform/modules',
      )
      return []
    }
    const files = this.shared.dirFiles(dir)
    const expansions: { key: Value | undefined; suffix: string; vars: Record<string, Value> }[] = []
    const count = call.body.attributes.get('count')
    const forEach = call.body.attributes.get('for_each')
    if (count) {
      const n = evaluateTop(count.expr, ctx, count.text)
      if (typeof n === 'number')
        for (let i = 0; i < n; i++)
          expansions.push({ key: i, suffix: `[${i}]`, vars: { count: { index: i } } })
      else {
        this.unresolved(
          call.file,
          count.line,
          `${count.text} (module instances unknown; one symbolic instance)`,
        )
        expansions.push({
          key: undefined,
          suffix: '[*]',
          vars: { count: { index: new Unknown(`module.${name}.count.index`) } },
        })
      }
    } else if (forEach) {
      const v = evaluateTop(forEach.expr, ctx, forEach.text)
      const list = entries(v)
      if (list === undefined) {
        this.unresolved(
          call.file,
          forEach.line,
          `${forEach.text} (module instances unknown; one symbolic instance)`,
        )
        const each = {
          key: new Unknown(`module.${name}.each.key`),
          value: new Unknown(`module.${name}.each.value`),
        }
        expansions.push({ key: undefined, suffix: '[*]', vars: { each } })
      } else
        for (const [k, x] of list) {
          const k2 = Array.isArray(v) ? String(x) : String(k)
          expansions.push({
            key: k2,
            suffix: `[${JSON.stringify(k2)}]`,
            vars: { each: { key: k2, value: x } },
          })
        }
    } else expansions.push({ key: undefined, suffix: '', vars: {} })
    const skip = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on'])
    return expansions.map((x) => {
      const inner = parent.withVars(ctx, x.vars)
      const inputs = new Map<string, () => Value>()
      for (const a of call.body.attributes.values())
        if (!skip.has(a.name)) inputs.set(a.name, () => evaluateTop(a.expr, inner, a.text))
      const prefix = `${parent.prefix}module.${name}${x.suffix}.`
      return { key: x.key, module: new ModuleInstance(this, dir, prefix, files, inputs, this.rootDir, key) }
    })
  }

  private moduleDir(parent: ModuleInstance, key: string, source: string): string | undefined {
    if (source.startsWith('./') || source.startsWith('../')) {
      const dir = posix.normalize(posix.join(parent.dir === '' ? '.' : parent.dir, source)).replace(/\/$/, '')
      return dir.startsWith('..') ? undefined : dir === '.' ? '' : dir
    }
    const manifest = this.shared.snapshot.read(
      posix.join(this.rootDir || '.', '.terraform/modules/modules.json'),
    )
    if (manifest === undefined) return undefined
    try {
      const parsed = JSON.parse(manifest) as { Modules?: { Key?: string; Dir?: string }[] }
      const entry = parsed.Modules?.find((m) => m.Key === key)
      if (entry?.Dir === undefined) return undefined
      return posix.normalize(posix.join(this.rootDir || '.', entry.Dir)).replace(/^\.$/, '')
    } catch {
      return undefined
    }
  }
}
