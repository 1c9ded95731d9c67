import { accountOperations } from '../routes/account-routes.js'
import { boardingOperations } from '../routes/boarding-routes.js'
import { busOperations } from '../routes/bus-routes.js'
import { complianceOperations } from '../routes/compliance-routes.js'
import { credentialOperations } from '../routes/credential-routes.js'
import { directoryOperations } from '../routes/directory-routes.js'
import { enrolmentOperations } from '../routes/enrolment-routes.js'
import { fleetOperations } from '../routes/fleet-routes.js'
import { mapOperations } from '../routes/map-routes.js'
import { oversightOperations } from '../routes/oversight-routes.js'
import { alarmCaseOperations } from '../routes/alarm-case-routes.js'
import { planOperations } from '../routes/plan-routes.js'
import { redeemOperations } from '../routes/redeem-routes.js'
import { registerOperations } from '../routes/register-operations.js'
import { reportOperations } from '../routes/report-routes.js'
import { rideOperations } from '../routes/ride-routes.js'
import { scoreOperations } from '../routes/score-routes.js'
import { signInOperations } from '../routes/sign-in-routes.js'
import { terminalCommandOperations } from '../routes/terminal-command-routes.js'
import { terminalStatusOperations } from '../routes/terminal-status-routes.js'
import { transitFeedOperations } from '../routes/transit-feed-routes.js'
import { tripOperations } from '../routes/trip-routes.js'
import type { ApiOperation } from './api-operation.js'
import { apiDocsOperations } from './api-docs-routes.js'
import { appOperations } from './app-operations.js'
import { buildOpenApiDocument, type OpenApiDocument } from './build-openapi-document.js'

/** Every route of the API and the public feeds, in the order the reference shows them. */
export const apiOperations: readonly ApiOperation[] = [
  ...appOperations,
  ...signInOperations,
  ...redeemOperations,
  ...accountOperations,
  ...busOperations,
  ...terminalCommandOperations,
  ...terminalStatusOperations,
  ...tripOperations,
  ...rideOperations,
  ...boardingOperations,
  ...directoryOperations,
  ...mapOperations,
  ...oversightOperations,
  ...alarmCaseOperations,
  ...scoreOperations,
  ...fleetOperations,
  ...enrolmentOperations,
  ...credentialOperations,
  ...registerOperations,
  ...reportOperations,
  ...complianceOperations,
  ...planOperations,
  ...transitFeedOperations,
  ...apiDocsOperations,
]

let described: OpenApiDocument | undefined

/** The API's OpenAPI document, made once: the routes do not change while the server runs. */
export function describeApi(): OpenApiDocument {
  described ??= buildOpenApiDocument(apiOperations)
  return described
}
