export { connectAdmin } from './connectAdmin.js'
export { createAdminRouter, adminRoutes, adminBasePath } from './createAdminRouter.js'
export { authorizeAdmin, isLoopback } from './authorizeAdmin.js'
export { adminErrors } from './adminError.js'
export type { AdminClient, ConnectAdminOptions, FixtureControl } from './connectAdmin.js'
export type { AddedFixtures, AdminRequest, AdminResponse, AdminRoute, AdminRouteContext, AdminRouter, AdminRouterOptions, AdminRouterState } from './createAdminRouter.js'
export type { AdminAccess, AdminCaller } from './authorizeAdmin.js'
export type { AdminErrorCode } from './adminError.js'
export type {
  TestControl,
  JournalControl,
  FaultControl,
  ClockControl,
  JournalEntry,
  JournalFilter,
  Fault,
  FaultMatch,
  ActiveFault,
  Answer,
} from '../control/TestControl.js'
