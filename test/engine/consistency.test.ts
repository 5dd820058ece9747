/**
 * The engine answers the same question three ways: a request alone (`decide`), a scope over the
 * whole catalog (`evaluateScope`), and a scope within the actions of one ARN service
 * (`evaluateIn`, used for grants). On generated scenarios all three must agree.
 */
import { describe, expect, it } from 'vitest'
import { ActionIndex } from '../../src/engine/actionSet.js'
import { EvaluationContext } from '../../src/engine/context.js'
import { evaluateScope } from '../../src/engine/evaluate.js'
import { loadActionCatalog } from '../../src/iam/catalog.js'
import { sampleScenarios } from './generate.js'

const catalog = loadActionCatalog()
const index = new ActionIndex(catalog)

describe('engine consistency', () => {
  it('decide, whole-catalog scopes and service sub-universes agree on generated scenarios', () => {
    let compared = 0
    for (const scenario of sampleScenarios(2024, 150)) {
      const ctx = new EvaluationContext(scenario.model, catalog, index)
      for (const request of scenario.requests) {
        const action = catalog.action(request.action)!
        const position = index.indexOf(action)!
        const whole = evaluateScope(
          index,
          ctx.principal(request.principal),
          request.resource,
          ctx.resource(request.target),
        )
        const service = request.resource.split(':')[2]!
        const sub = ctx.serviceUniverse(service)
        const local = sub.positions.indexOf(position)
        const decided = ctx.decide(request)
        expect(decided.decision === 'allow').toBe(whole.allowed.has(position))
        if (local >= 0) {
          const part = ctx.evaluateIn(sub, request.principal, request.resource, request.target)
          expect(part.allowed.has(local)).toBe(whole.allowed.has(position))
          expect(part.conditional.has(local)).toBe(whole.conditional.has(position))
        }
        compared++
      }
    }
    expect(compared).toBeGreaterThan(1000)
  })
})
