/** Every finding rule, one line each (STYLE.md: adding a rule touches one folder and this list). */
import type { Rule } from '../types.js'
import { adminAccess } from './admin-access.js'
import { classificationDowngrade } from './classification-downgrade.js'
import { credentialsExposure } from './credentials-exposure.js'
import { crossAccountAccess } from './cross-account-access.js'
import { dataAccess } from './data-access.js'
import { privilegeEscalation } from './privilege-escalation.js'
import { publicAccess } from './public-access.js'
import { resourcePolicyControl } from './resource-policy-control.js'
import { unknownAction } from './unknown-action.js'

export const RULES: Rule[] = [
  privilegeEscalation,
  adminAccess,
  publicAccess,
  crossAccountAccess,
  resourcePolicyControl,
  credentialsExposure,
  dataAccess,
  classificationDowngrade,
  unknownAction,
]
