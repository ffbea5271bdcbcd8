import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortalError } from '../../../src/portal/errors';
import { Reachability } from '../../../src/portal/reachability';
import { FakeClock } from '../builders';


const SECOND = 1000;
const down = new PortalError('network', 'connection refused');

function setup() {
  const clock = new FakeClock();
  const reach = new Reachability({ clock, firstDelayMs: 15 * SECOND, maxDelayMs: 60 * SECOND });
  return { clock, reach };
}

test('requests are allowed until a failure, then wait out the delay', () => {
  const { clock, reach } = setup();
  assert.equal(reach.mayRequest(), true);
  assert.equal(reach.lastFailure, undefined);
  reach.reportFailure(down);
  assert.equal(reach.lastFailure, down);
  assert.equal(reach.mayRequest(), false);
  clock.time += 15 * SECOND - 1;
  assert.equal(reach.mayRequest(), false);
  clock.time += 1;
  assert.equal(reach.mayRequest(), true);
});

test('each further failure doubles the wait, up to the ceiling', () => {
  const { reach } = setup();
  const delays: number[] = [];
  for (let i = 0; i < 5; i++) {
    reach.reportFailure(down);
    delays.push(reach.currentDelayMs / SECOND);
  }
  assert.deepEqual(delays, [15, 30, 60, 60, 60]);
});

test('one message per outage: only the first failure since the last success is announced', () => {
  const { reach } = setup();
  assert.equal(reach.reportFailure(down), true);
  assert.equal(reach.reportFailure(down), false);
  assert.equal(reach.reportFailure(down), false);
  assert.equal(reach.reportSuccess(), true);
  assert.equal(reach.reportSuccess(), false, 'no outage to end');
  assert.equal(reach.reportFailure(down), true);
});

test('a success ends the outage and the wait starts over from the first delay', () => {
  const { reach } = setup();
  reach.reportFailure(down);
  reach.reportFailure(down);
  reach.reportSuccess();
  assert.equal(reach.mayRequest(), true);
  assert.equal(reach.lastFailure, undefined);
  reach.reportFailure(down);
  assert.equal(reach.currentDelayMs, 15 * SECOND);
});

test('a retry the user asks for lets requests through at once without ending the outage', () => {
  const { reach } = setup();
  reach.reportFailure(down);
  reach.resetBackoff();
  assert.equal(reach.mayRequest(), true);
  assert.equal(reach.lastFailure, down);
  // Failing again starts from the first delay, and is not announced again.
  assert.equal(reach.reportFailure(down), false);
  assert.equal(reach.currentDelayMs, 15 * SECOND);
});
