import { expectTypeOf, it } from 'vitest'
import { ok } from '../apiError.js'
import { operations } from './index.js'
import type { OperationContext, OperationRegistry } from './Operation.js'

it('types each operation from its definition, so the registry holds exactly one per endpoint', () => {
  expectTypeOf(operations).toExtend<OperationRegistry>()
  // @ts-expect-error: an endpoint without its operation does not compile
  const missing: OperationRegistry = {}
  const extra: OperationRegistry = {
    ...operations,
    // @ts-expect-error: an operation no endpoint defines does not compile either
    archiveOpportunity: () => ok({}),
  }
  const mistyped: OperationRegistry = {
    ...operations,
    // @ts-expect-error: an operation reading another body than its definition's schema does not compile
    updateOpportunityStage: (context: OperationContext<{ status: number }>) => ok(context.body.status + 1),
  }
  expectTypeOf(missing).not.toBeAny()
  expectTypeOf(extra).not.toBeAny()
  expectTypeOf(mistyped).not.toBeAny()
})
