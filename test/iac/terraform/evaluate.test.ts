import { describe, expect, it } from 'vitest'
import { outputsOf } from './helpers.js'

const prelude = `
variable "names" {
  default = ["a", "b", "a"]
}
variable "tags" {
  default = { env = "prod", team = "payments" }
}
variable "missing" {}
locals {
  users = [{ name = "x", arn = "arn:aws:iam::1:user/x" }, { name = "y", arn = "arn:aws:iam::1:user/y" }]
}
`

// Each case: an expression and the JSON value Terraform gives it (symbols where unknown).
const cases: [string, unknown][] = [
  ['"a-${var.tags.env}"', 'a-prod'],
  ['"%{ if var.tags.env == "prod" }p%{ else }d%{ endif }"', 'p'],
  ['"%{ for n in ["x", "y"] }${n},%{ endfor }"', 'x,y,'],
  ['true ? "yes" : "no"', 'yes'],
  ['1 + 2 * 3', 7],
  ['!(1 > 2) && "a" != "b"', true],
  ['[for n in var.names : upper(n) if n != "b"]', ['A', 'A']],
  ['{ for k, v in var.tags : v => k }', { prod: 'env', payments: 'team' }],
  ['{ for n in var.names : n => n... }', { a: ['a', 'a'], b: ['b'] }],
  ['local.users[*].arn', ['arn:aws:iam::1:user/x', 'arn:aws:iam::1:user/y']],
  ['local.users.*.name', ['x', 'y']],
  ['local.users[1]["name"]', 'y'],
  ['jsonencode({ a = [1, "b"] })', '{"a":[1,"b"]}'],
  ['jsondecode("{\\"k\\": [1]}").k', [1]],
  ['merge(var.tags, { env = "dev" })', { env: 'dev', team: 'payments' }],
  ['concat(["a"], ["b", "c"])', ['a', 'b', 'c']],
  ['flatten([["a"], ["b", ["c"]]])', ['a', 'b', 'c']],
  ['distinct(var.names)', ['a', 'b']],
  ['compact(["a", "", null, "b"])', ['a', 'b']],
  ['lookup(var.tags, "team", "none")', 'payments'],
  ['lookup(var.tags, "owner", "none")', 'none'],
  ['element(var.names, 4)', 'b'],
  ['length(var.names)', 3],
  ['keys(var.tags)', ['env', 'team']],
  ['values(var.tags)', ['prod', 'payments']],
  ['format("arn:aws:s3:::%s/%d", "b", 3)', 'arn:aws:s3:::b/3'],
  ['join(",", ["a", "b"])', 'a,b'],
  ['split(",", "a,b")', ['a', 'b']],
  ['replace("a-b-c", "-", "_")', 'a_b_c'],
  ['replace("a1b22", "/[0-9]+/", "#")', 'a#b#'],
  ['lower("ABC")', 'abc'],
  ['upper("abc")', 'ABC'],
  ['trimspace("  x ")', 'x'],
  ['coalesce("", "b")', 'b'],
  ['try(var.tags.nothing.deeper, "fallback")', 'fallback'],
  ['can(var.tags.nothing.deeper)', false],
  ['tolist(toset(["b", "a", "b"]))', ['b', 'a']],
  ['tomap({ a = 1 })', { a: 1 }],
  ['zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
  ['"arn:aws:iam::${var.missing}:root"', 'arn:aws:iam::${var.missing}:root'],
  ['upper("x-${var.missing}")', 'X-${var.missing}'],
  ['"$${aws:username}"', '${aws:username}'],
  ['file("${path.module}/doc.txt")', 'from a file\n'],
  ['templatefile("tpl.json", { bucket = "b" })', '{"Resource": "arn:aws:s3:::b/*"}'],
]

describe('expression evaluation', () => {
  it.each(cases)('%s', async (expr, expected) => {
    const out = await outputsOf(`${prelude}\noutput "x" {\n  value = ${expr}\n}\n`, {
      'doc.txt': 'from a file\n',
      'tpl.json': '{"Resource": "arn:aws:s3:::${bucket}/*"}',
    })
    expect(out.x).toEqual(expected)
  })

  it('heredocs keep their text; <<- strips the common indentation, not the interpolated values', async () => {
    const out = await outputsOf(
      [
        'locals {',
        '  v = "  two spaces"',
        '}',
        'output "plain" {',
        '  value = <<EOT',
        '  a',
        '    b',
        'EOT',
        '}',
        'output "stripped" {',
        '  value = <<-EOT',
        '    a',
        '      b ${local.v}',
        '    EOT',
        '}',
      ].join('\n'),
    )
    expect(out.plain).toBe('  a\n    b\n')
    expect(out.stripped).toBe('a\n  b   two spaces\n')
  })

  it('an unknown function is a symbol and is listed as unresolved with its line', async () => {
    const out = await outputsOf('output "x" {\n  value = sha256("a")\n}\n')
    expect(out.x).toBe('${sha256("a")}')
    const coverage = out['@coverage'] as { unresolved: { line?: number; expression: string }[] }
    expect(coverage.unresolved).toContainEqual({
      file: 'main.tf',
      line: 2,
      expression: 'sha256("a") (function sha256 is not supported)',
    })
  })

  it('a cycle in locals is reported once with its path, and evaluation goes on', async () => {
    const out = await outputsOf(
      'locals {\n  a = local.b\n  b = "x${local.a}"\n}\noutput "x" {\n  value = local.a\n}\n',
    )
    const coverage = out['@coverage'] as { errors: { line?: number; message: string }[] }
    expect(coverage.errors.map((e) => e.message)).toEqual(['reference cycle: local.a -> local.b -> local.a'])
    expect(out.x).toBe('x${local.a}')
  })

  it('file() refuses paths outside the tree', async () => {
    const out = await outputsOf('output "x" {\n  value = file("../../etc/passwd")\n}\n')
    const coverage = out['@coverage'] as { errors: { message: string }[] }
    expect(coverage.errors[0]?.message).toMatch(/outside the analysed tree/)
    expect(String(out.x)).toMatch(/^\$\{file/)
  })
})
