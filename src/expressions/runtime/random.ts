/**
 * System.Random: with a seed it reproduces .NET's subtractive generator exactly (the sequence
 * `new Random(seed).Next(…)` gives in Azure); without one it is seeded from node:crypto.
 */
import { randomInt } from 'node:crypto';
import { raise } from '../errors.js';

const MBIG = 2147483647;
const MSEED = 161803398;

/** The runtime value of Random. */
export class RandomValue {
  readonly typeName = 'System.Random';
  private readonly seedArray = new Array<number>(56).fill(0);
  private inext = 0;
  private inextp = 21;

  constructor(seed?: number) {
    const s = seed ?? randomInt(0, MBIG);
    const subtraction = s === -2147483648 ? MBIG : Math.abs(s);
    let mj = MSEED - subtraction;
    this.seedArray[55] = mj;
    let mk = 1;
    for (let i = 1; i < 55; i++) {
      const ii = (21 * i) % 55;
      this.seedArray[ii] = mk;
      mk = mj - mk;
      if (mk < 0) mk += MBIG;
      mj = this.seedArray[ii]!;
    }
    for (let k = 1; k < 5; k++) {
      for (let i = 1; i < 56; i++) {
        let v = this.seedArray[i]! - this.seedArray[1 + ((i + 30) % 55)]!;
        // .NET does this in Int32 arithmetic, which cannot overflow here; keep the same range.
        v |= 0;
        if (v < 0) v += MBIG;
        this.seedArray[i] = v;
      }
    }
  }

  private internalSample(): number {
    let locINext = this.inext + 1;
    let locINextp = this.inextp + 1;
    if (locINext >= 56) locINext = 1;
    if (locINextp >= 56) locINextp = 1;
    let ret = this.seedArray[locINext]! - this.seedArray[locINextp]!;
    if (ret === MBIG) ret--;
    if (ret < 0) ret += MBIG;
    this.seedArray[locINext] = ret;
    this.inext = locINext;
    this.inextp = locINextp;
    return ret;
  }

  /** A double in [0, 1). */
  sample(): number {
    return this.internalSample() * (1.0 / MBIG);
  }

  private largeSample(): number {
    let result = this.internalSample();
    if (this.internalSample() % 2 === 0) result = -result;
    let d = result;
    d += MBIG - 1;
    d /= 2 * MBIG - 1;
    return d;
  }

  /** Next(), Next(max), Next(min, max). */
  next(min?: number, max?: number): number {
    if (min === undefined) return this.internalSample();
    if (max === undefined) {
      if (min < 0) raise('System.ArgumentOutOfRangeException', "'maxValue' must be greater than zero. (Parameter 'maxValue')");
      return Math.trunc(this.sample() * min);
    }
    if (min > max) raise('System.ArgumentOutOfRangeException', "'minValue' cannot be greater than maxValue. (Parameter 'minValue')");
    const range = max - min;
    if (range <= MBIG) return Math.trunc(this.sample() * range) + min;
    return Math.trunc(this.largeSample() * range) + min;
  }
}
