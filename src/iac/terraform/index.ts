/** The Terraform loader: HCL evaluated statically, or a plan's JSON when there is one. */
export { terraformWasmPath } from './hcl.js'
export { loadTerraform } from './load.js'
export { loadTerraformPlan } from './plan.js'
