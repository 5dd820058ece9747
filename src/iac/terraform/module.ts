/**
 * One instance of a Terraform module: its variables, locals, outputs, resources, data sources and
 * the modules it calls, all evaluated lazily on first reference (with cycle detection), so the
 * order of blocks and files never matters.
 */
import { posix } from 'node:path'
import type { Attribute, Block, ParsedFile } from './ast.js'
import { type EvalContext, evaluateTop, withVars } from './evaluate.js'
import { expandInstances, type ResourceDecl, type ResourceInstance } from './instances.js'
import type { LoadState } from './state.js'
import { Lazy, Unknown, type Value } from './values.js'

interface Named {
  attr: Attribute
  file: string
}

export class ModuleInstance {
  readonly variables = new Map<string, Block>()
  readonly locals = new Map<string, Named>()
  readonly outputs = new Map<string, Named>()
  readonly decls = new Map<string, ResourceDecl>()
  readonly calls = new Map<string, Block>()
  private readonly values = new Map<string, Value>()
  private readonly evaluating: string[] = []
  private readonly children = new Map<string, { key: Value | undefined; module: ModuleInstance }[]>()

  constructor(
    readonly state: LoadState,
    /** Tree-relative directory ('' for the tree's root). */
    readonly dir: string,
    /**
     * Address prefix: the root label (`envs/prod/` or '', see rootLabel), then the module path:
     * `module.net.` or `module.app["a"].`.
     */
    readonly prefix: string,
    readonly files: ParsedFile[],
    /** Inputs from the calling module, evaluated in the caller on demand. */
    private readonly inputs: Map<string, () => Value>,
    /** The root module's directory, for tfvars and relative file paths. */
    readonly rootDir: string,
    /** `.terraform/modules` key of this module ('' for the root). */
    readonly moduleKey: string,
  ) {
    for (const f of files) {
      for (const b of f.body.blocks) {
        const [l0, l1] = b.labels
        if (b.type === 'variable' && l0) this.variables.set(l0, b)
        else if (b.type === 'locals')
          for (const a of b.body.attributes.values()) this.locals.set(a.name, { attr: a, file: f.path })
        else if (b.type === 'output' && l0) {
          const value = b.body.attributes.get('value')
          if (value) this.outputs.set(l0, { attr: value, file: f.path })
        } else if ((b.type === 'resource' || b.type === 'data') && l0 && l1) {
          const mode = b.type === 'resource' ? 'managed' : 'data'
          const key = `${mode === 'data' ? 'data.' : ''}${l0}.${l1}`
          this.decls.set(key, { mode, type: l0, name: l1, block: b, module: this, key })
        } else if (b.type === 'module' && l0) this.calls.set(l0, b)
      }
    }
  }

  context(file: string): EvalContext {
    return this.state.context(this, file)
  }

  /** Names at the root of an expression: var, local, module, data, path, and resource types. */
  lookup(name: string, line: number, file: string): Value | undefined {
    switch (name) {
      case 'var':
        return new Lazy(
          'var',
          (n) => this.variable(n, line, file),
          () => [...this.variables.keys()],
        )
      case 'local':
        return new Lazy(
          'local',
          (n) => this.local(n, line, file),
          () => [...this.locals.keys()],
        )
      case 'module':
        return new Lazy('module', (n) => this.moduleValue(n))
      case 'data':
        return new Lazy(
          'data',
          (type) => new Lazy(`data.${type}`, (n) => this.declValue(`data.${type}.${n}`)),
        )
      case 'path':
        // Relative to the root module's directory, as Terraform gives them.
        return { module: posix.relative(this.rootDir, this.dir) || '.', root: '.', cwd: '.' }
      case 'terraform':
        return { workspace: 'default' }
    }
    if (/^[a-z0-9]+_[a-z0-9_]+$/.test(name)) return new Lazy(name, (n) => this.declValue(`${name}.${n}`))
    return undefined
  }

  /** Memoised, with a cycle check: `local.a = local.b`, `local.b = local.a` is reported, not looped. */
  memo(key: string, line: number, file: string, compute: () => Value): Value {
    const known = this.values.get(key)
    if (known !== undefined) return known
    if (this.evaluating.includes(key)) {
      const cycle = [...this.evaluating.slice(this.evaluating.indexOf(key)), key].join(' -> ')
      this.state.error(file, line, `reference cycle: ${cycle}`)
      return new Unknown(key)
    }
    this.evaluating.push(key)
    try {
      const v = compute()
      this.values.set(key, v)
      return v
    } finally {
      this.evaluating.pop()
    }
  }

  variable(name: string, line: number, file: string): Value {
    return this.memo(`var.${name}`, line, file, () => {
      const input = this.inputs.get(name)
      if (input) return input()
      if (this.moduleKey === '') {
        const fromTfvars = this.state.tfvar(this.rootDir, name)
        if (fromTfvars !== undefined) return fromTfvars
      }
      const decl = this.variables.get(name)
      const def = decl?.body.attributes.get('default')
      if (decl && def) return evaluateTop(def.expr, this.context(decl.file), def.text)
      const at = decl ?? { file, line }
      this.state.unresolved(at.file, at.line, `var.${name} (no value: no default, no tfvars, no input)`)
      return new Unknown(`${this.prefix}var.${name}`)
    })
  }

  local(name: string, line: number, file: string): Value {
    return this.memo(`local.${name}`, line, file, () => {
      const l = this.locals.get(name)
      if (!l) {
        this.state.unresolved(file, line, `local.${name} (not declared)`)
        return new Unknown(`${this.prefix}local.${name}`)
      }
      return evaluateTop(l.attr.expr, this.context(l.file), l.attr.text)
    })
  }

  output(name: string): Value {
    const o = this.outputs.get(name)
    if (!o) return new Unknown(`${this.prefix}output.${name}`)
    return this.memo(`output.${name}`, o.attr.line, o.file, () =>
      evaluateTop(o.attr.expr, this.context(o.file), o.attr.text),
    )
  }

  /** The value of `aws_s3_bucket.kyc`: one instance, a list (count) or a map (for_each). */
  declValue(key: string): Value {
    const decl = this.decls.get(key)
    if (!decl) return new Unknown(`${this.prefix}${key}`)
    const b = decl.block
    return this.memo(`decl.${key}`, b.line, b.file, () => {
      const instances = this.instances(decl)
      if (b.body.attributes.has('count')) return instances.map((i) => i.value)
      if (b.body.attributes.has('for_each')) {
        const symbolic = instances.find((i) => i.symbolic)
        if (symbolic) return new Lazy(decl.key, () => symbolic.value)
        return Object.fromEntries(instances.map((i) => [String(i.key), i.value]))
      }
      return instances[0]?.value ?? null
    })
  }

  private readonly instanceCache = new Map<string, ResourceInstance[]>()

  instances(decl: ResourceDecl): ResourceInstance[] {
    let found = this.instanceCache.get(decl.key)
    if (!found) {
      found = expandInstances(decl, this)
      this.instanceCache.set(decl.key, found)
    }
    return found
  }

  /** Module calls, expanded by count and for_each; remote sources without a local copy are skipped. */
  childModules(name: string): { key: Value | undefined; module: ModuleInstance }[] {
    const known = this.children.get(name)
    if (known) return known
    this.children.set(name, [])
    const call = this.calls.get(name)
    const made = call ? this.state.instantiate(this, name, call) : []
    this.children.set(name, made)
    return made
  }

  private moduleValue(name: string): Value {
    const call = this.calls.get(name)
    if (!call) return new Unknown(`${this.prefix}module.${name}`)
    const made = this.childModules(name)
    const outputs = (m: ModuleInstance): Value =>
      new Lazy(
        `${m.prefix}outputs`,
        (o) => m.output(o),
        () => [...m.outputs.keys()],
      )
    if (made.length === 0) return new Unknown(`${this.prefix}module.${name}`)
    if (call.body.attributes.has('count')) return made.map((c) => outputs(c.module))
    if (call.body.attributes.has('for_each'))
      return Object.fromEntries(made.map((c) => [String(c.key), outputs(c.module)]))
    return made[0] ? outputs(made[0].module) : null
  }

  /** Every resource and data instance of this module and the modules it calls. */
  allInstances(): ResourceInstance[] {
    const out: ResourceInstance[] = []
    for (const decl of this.decls.values()) out.push(...this.instances(decl))
    for (const name of this.calls.keys())
      for (const c of this.childModules(name)) out.push(...c.module.allInstances())
    return out
  }

  withVars(ctx: EvalContext, vars: Record<string, Value>): EvalContext {
    return withVars(ctx, vars)
  }
}
