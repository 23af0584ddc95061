import { expect, it } from 'vitest'
import { createExchangeRecorder } from './createExchangeRecorder.js'

const exchange = (path: string) => ({ method: 'PATCH', path, status: 200, headers: {}, body: '{}' })

it('attributes each state call to the interaction it names, even when requests are skipped', () => {
  const recorder = createExchangeRecorder()
  for (const index of [0, 1, 2]) {
    const call = recorder.stateCall({ name: 'an API key exists', params: {}, action: 'setup', index })
    call.error = 'unreachable'
    // Pact retries the failing call; it stays one entry.
    recorder.stateCall({ name: 'an API key exists', params: {}, action: 'setup', index }).error = 'unreachable'
  }
  expect([...recorder.interactions.keys()]).toEqual([0, 1, 2])
  expect(recorder.interactions.get(2)!.states).toEqual([{ name: 'an API key exists', params: {}, action: 'setup', attempts: 2, error: 'unreachable' }])
})

it('starts the next interaction at an unmarked setup, and files requests under the current one', () => {
  const recorder = createExchangeRecorder()
  recorder.stateCall({ name: 'a', params: {}, action: 'setup', index: 0 })
  recorder.exchange(exchange('/a'))
  recorder.stateCall({ name: 'a', params: {}, action: 'teardown', index: 0 })
  recorder.stateCall({ name: '', params: {}, action: 'setup' })
  recorder.exchange(exchange('/b'))
  expect([...recorder.interactions.entries()].map(([index, entry]) => [index, entry.exchanges.map((item) => item.path)])).toEqual([
    [0, ['/a']],
    [1, ['/b']],
  ])
})
