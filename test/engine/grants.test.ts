import { describe, expect, it } from 'vitest'
import { generateOrg } from '../../scripts/bench/generateOrg.js'
import { EvaluationContext } from '../../src/engine/context.js'
import { capabilityMaskOfScope, grantsOfScope, resourceForms } from '../../src/engine/grants.js'
import { CAPABILITIES } from '../../src/iam/types.js'

describe('capabilityMaskOfScope', () => {
  it('finds the capabilities grantsOfScope finds, on every resource of a generated organisation', () => {
    const model = generateOrg(5, { principals: 30, resources: 60, statements: 150 })
    const ctx = new EvaluationContext(model)
    let compared = 0
    let nonEmpty = 0
    for (const principal of model.principals) {
      for (const resource of model.resources) {
        for (const pattern of resourceForms(resource)) {
          const scope = { pattern, target: resource }
          const expected = new Set(grantsOfScope(ctx, principal, scope).map((g) => g.capability))
          const mask = capabilityMaskOfScope(ctx, principal, scope)
          expect(CAPABILITIES.filter((_, i) => (mask & (1 << i)) !== 0)).toEqual(
            CAPABILITIES.filter((c) => expected.has(c)),
          )
          compared++
          if (expected.size > 0) nonEmpty++
        }
      }
    }
    expect(compared).toBeGreaterThan(1000)
    expect(nonEmpty).toBeGreaterThan(100)
  })
})
