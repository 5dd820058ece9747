/**
 * Loader throughput on the corpus of real-world infrastructure code, when it is there: CloudFormation
 * templates per second and Terraform `.tf` files per second, each folder loaded as one snapshot.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { loadCloudFormation } from '../../src/iac/cloudformation/index.js'
import { loadTerraform } from '../../src/iac/terraform/index.js'
import { folderSnapshot } from '../../src/source/folder.js'
import type { BenchRow } from './row.js'

const CLOUDFORMATION = [
  'aws-cloudformation-templates',
  'aws-cloudformation-iam-policy-validator',
  'serverless-application-model',
  'aws-cdk-integ-snapshots',
  'k9-cdk',
]
const TERRAFORM = [
  'iam-vulnerable',
  'cloudgoat',
  'terragoat',
  'terraform-aws-iam',
  'terraform-aws-s3-bucket',
  'terraform-aws-lambda',
]

export async function benchLoaders(corpus: string): Promise<BenchRow[]> {
  if (!existsSync(corpus))
    return [{ name: `no corpus at ${corpus}: loaders not measured`, value: 0, unit: '' }]
  const folders = (names: string[]) => names.map((n) => join(corpus, n)).filter((d) => existsSync(d))
  let templates = 0
  let t = performance.now()
  for (const dir of folders(CLOUDFORMATION)) {
    const snapshot = folderSnapshot(dir)
    loadCloudFormation(snapshot)
    templates += snapshot.paths().filter((p) => /\.(ya?ml|json|template)$/i.test(p)).length
  }
  const cfnSeconds = (performance.now() - t) / 1000
  let tfFiles = 0
  t = performance.now()
  for (const dir of folders(TERRAFORM)) {
    const snapshot = folderSnapshot(dir)
    await loadTerraform(snapshot)
    tfFiles += snapshot.paths().filter((p) => p.endsWith('.tf')).length
  }
  const tfSeconds = (performance.now() - t) / 1000
  return [
    { name: 'CloudFormation/SAM/CDK files read (YAML and JSON)', value: templates, unit: '' },
    { name: 'CloudFormation files per second', value: templates / cfnSeconds, unit: '/s' },
    { name: 'Terraform .tf files read', value: tfFiles, unit: '' },
    { name: 'Terraform .tf files per second', value: tfFiles / tfSeconds, unit: '/s' },
  ]
}
