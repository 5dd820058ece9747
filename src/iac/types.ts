/**
 * What every loader takes and gives: the files of one revision, and a model of what they define,
 * with an honest account of what could not be read or resolved.
 */
import type { Model } from '../model/types.js'

/** The files of one revision of a repository, by path relative to its root (`/` separators). */
export interface Snapshot {
  /** Every file path, sorted. */
  paths(): string[]
  /** The file's text, or undefined when it does not exist or cannot be read as text. */
  read(path: string): string | undefined
}

export interface UnresolvedValue {
  file: string
  line?: number
  /** The expression as written, e.g. `var.partner_account`, `!ImportValue SharedKeyArn`. */
  expression: string
}

export interface LoadError {
  file: string
  line?: number
  message: string
}

/** Something in the tree that may grant access and that was not analysed (type or feature). */
export interface NotAnalysed {
  file: string
  line?: number
  /** `AWS::Glue::ResourcePolicy`, `aws_glue_resource_policy`, `module "x" (remote source)`. */
  what: string
  reason: string
}

export interface Coverage {
  filesAnalyzed: number
  policiesAnalyzed: number
  unresolved: UnresolvedValue[]
  errors: LoadError[]
  notAnalysed: NotAnalysed[]
}

export interface LoaderOptions {
  /** The account the tree deploys to, when configured; else accounts stay symbolic. */
  homeAccount?: string
  partition?: string
  region?: string
  /** Glob patterns of paths to include or exclude, from configuration. */
  include?: string[]
  exclude?: string[]
  /**
   * Values of template parameters by name (as `--parameter-overrides` gives them), used for `Ref`
   * before the parameter's `Default`, in every template of the tree that declares the parameter.
   * List parameters take comma-separated values.
   */
  parameters?: Record<string, string>
  /**
   * Terraform var files by root module directory (`.` or '' for the tree's root), each path
   * relative to that directory; read in order after terraform.tfvars and *.auto.tfvars, as
   * `terraform plan -var-file=...` does. A path that leaves the tree is refused.
   */
  terraformVarFiles?: Record<string, string[]>
}

export interface LoadResult {
  model: Model
  coverage: Coverage
  /** Files that the loader read as part of another file (Terraform `file("policy.json")`). */
  filesRead?: string[]
}

export function emptyCoverage(): Coverage {
  return { filesAnalyzed: 0, policiesAnalyzed: 0, unresolved: [], errors: [], notAnalysed: [] }
}
