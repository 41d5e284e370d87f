/**
 * A set of 96-bit digests (three uint32 words) in flat typed arrays: 12 bytes per slot, kept at
 * most 70% full, so 10 million finished objects take 12 B x 16,777,216 slots = 192 MiB, against
 * roughly 1 GiB for a Set of 10 million key strings. A false "finished" needs a 96-bit
 * collision: about 6e-16 for 10 million objects (and verify would still catch that object).
 */
export class DigestSet {
  private a: Uint32Array;
  private b: Uint32Array;
  private c: Uint32Array;
  private count = 0;

  constructor(initialSlots = 1024) {
    const n = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.a = new Uint32Array(n);
    this.b = new Uint32Array(n);
    this.c = new Uint32Array(n);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.a.byteLength * 3;
  }

  has(x: number, y: number, z: number): boolean {
    [x, y, z] = nonZero(x, y, z);
    const mask = this.a.length - 1;
    for (let i = x & mask; ; i = (i + 1) & mask) {
      const ax = this.a[i] as number;
      if (ax === 0 && this.b[i] === 0 && this.c[i] === 0) return false;
      if (ax === x >>> 0 && this.b[i] === y >>> 0 && this.c[i] === z >>> 0) return true;
    }
  }

  /** Returns false when it was already there. */
  add(x: number, y: number, z: number): boolean {
    [x, y, z] = nonZero(x, y, z);
    if ((this.count + 1) * 10 > this.a.length * 7) this.grow();
    const mask = this.a.length - 1;
    for (let i = x & mask; ; i = (i + 1) & mask) {
      const ax = this.a[i] as number;
      if (ax === 0 && this.b[i] === 0 && this.c[i] === 0) {
        this.a[i] = x;
        this.b[i] = y;
        this.c[i] = z;
        this.count++;
        return true;
      }
      if (ax === x >>> 0 && this.b[i] === y >>> 0 && this.c[i] === z >>> 0) return false;
    }
  }

  private grow(): void {
    const [oa, ob, oc] = [this.a, this.b, this.c];
    const n = oa.length * 2;
    this.a = new Uint32Array(n);
    this.b = new Uint32Array(n);
    this.c = new Uint32Array(n);
    this.count = 0;
    for (let i = 0; i < oa.length; i++) {
      const x = oa[i] as number;
      const y = ob[i] as number;
      const z = oc[i] as number;
      if (x !== 0 || y !== 0 || z !== 0) this.add(x, y, z);
    }
  }
}

/** (0,0,0) marks an empty slot; the one digest that equals it is stored as (1,0,0). */
function nonZero(x: number, y: number, z: number): [number, number, number] {
  return x === 0 && y === 0 && z === 0 ? [1, 0, 0] : [x >>> 0, y >>> 0, z >>> 0];
}
