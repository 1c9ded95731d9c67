import { Hono } from 'hono'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { registerDownloadRoutes } from './register-download-routes.js'
import { registerEditRoutes } from './register-edit-routes.js'
import { registerImportRoutes } from './register-import-routes.js'
import { registerReadRoutes } from './register-read-routes.js'

/**
 * The bureau's registers: their layout, a template, export as a workbook or CSV, import (a dry run
 * first, then applied in one transaction), searching and editing one record, and the change log.
 * A school sees and edits its own pupils. Every export is logged.
 */
export function registerRoutes(deps: ApiDeps) {
  // The files come before `/registers/:register`, which would otherwise answer for them.
  return new Hono<AuthenticatedEnv>()
    .route('/', registerDownloadRoutes(deps))
    .route('/', registerImportRoutes(deps))
    .route('/', registerReadRoutes(deps))
    .route('/', registerEditRoutes(deps))
}
