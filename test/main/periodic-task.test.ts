/** periodic-task.ts: a task repeats after its pause, never runs twice at once, and stops when closed. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { repeat } from '../../src/main/periodic-task.js';

/** A task that counts its runs and how many ran at once; each run waits for `release`. */
function countingTask() {
  const state = { runs: 0, concurrent: 0, most: 0 };
  let releaseRun: () => void = () => undefined;
  const run = async (): Promise<number> => {
    state.runs++;
    state.concurrent++;
    state.most = Math.max(state.most, state.concurrent);
    await new Promise<void>((resolve) => (releaseRun = resolve));
    state.concurrent--;
    return state.runs;
  };
  return { state, run, release: () => releaseRun() };
}

const until = async (condition: () => boolean): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('a periodic task', () => {
  it('runs at once with immediate, joins a run under way, and repeats after the pause', async () => {
    const t = countingTask();
    const task = repeat(t.run, () => 1, { immediate: true });
    await until(() => t.state.runs === 1);
    const joined = task.runNow();
    t.release();
    assert.equal(await joined, 1, 'runNow joined the run under way');
    await until(() => t.state.runs === 2);
    t.release();
    await until(() => t.state.runs === 3);
    assert.equal(t.state.most, 1, 'never two runs at once');
    const closing = task.close();
    t.release();
    await closing;
    const after = t.state.runs;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(t.state.runs, after, 'no run after close');
  });

  it('waits for the first pause without immediate', async () => {
    const t = countingTask();
    let asked = 0;
    const task = repeat(t.run, () => {
      asked++;
      return 1;
    });
    assert.equal(t.state.runs, 0);
    assert.equal(asked, 1);
    await until(() => t.state.runs === 1);
    const closing = task.close();
    t.release();
    await closing;
  });
});
