// The encrypt engine's ports for tests: "not faked" placeholders for other commands' tests, and
// an in-memory S3 (versions, ETags, tags, ACLs, locks, multipart uploads) with switchable quirks
// (moto/RGW behaviours, injected failures) for the engine's unit and command tests.
import { createHash } from 'node:crypto';
import type {
  CopyInPlace,
  EncryptServices,
  Grant,
  LockSettings,
  ManifestReader,
  ManifestRow,
  MultipartStart,
  ObjectAcl,
  ObjectStore,
  Ownership,
  ReportSink,
  StateHeader,
  StateStore,
  Tag,
} from '../../src/core/encrypt/ports.js';
import { StoreError } from '../../src/core/encrypt/store-error.js';
import type { ObjectRef, ObjectResult } from '../../src/core/encrypt/types.js';
import { UsageError } from '../../src/core/errors.js';
import type { ObjectHead } from '../../src/core/objects.js';

function notFaked(): never {
  throw new Error('encrypt ports are not faked in this test');
}

export function unfakedEncryptPorts(): { encrypt: EncryptServices } {
  return {
    encrypt: {
      store: new Proxy({} as ObjectStore, { get: () => notFaked }),
      manifests: { rows: notFaked, text: notFaked, exists: notFaked },
      openState: notFaked,
      openReport: notFaked,
    },
  };
}

/** One stored version. */
export interface FakeVersion {
  versionId: string;
  head: ObjectHead;
  body: string;
  tags: Tag[];
  acl: ObjectAcl;
  deleteMarker?: boolean;
}

export const OWNER = 'owner-canonical-id';

export interface Quirks {
  /** Copies answer 200 but store plaintext (Ceph RGW 16.2 on versioned sources). */
  copyIgnoresEncryption?: boolean;
  /** In-place copies are refused as 'copy to itself' (Ceph RGW 16.2 on unversioned buckets). */
  copyRefusedAsSelfCopy?: boolean;
  /** Tags on CreateMultipartUpload are dropped (Ceph RGW). */
  multipartDropsTags?: boolean;
  /** Lock settings on CreateMultipartUpload are dropped (moto). */
  multipartDropsLock?: boolean;
  /** UpdateObjectEncryption: 'aws' (works), 'put' (treated as PutObject: moto/RGW), 'missing' (501). */
  uoe?: 'aws' | 'put' | 'missing';
  /** BucketKeyEnabled never returned (Ceph RGW). */
  omitsBucketKey?: boolean;
  /** x-amz-copy-source-if-match / If-Match are checked (AWS); moto and RGW ignore them. */
  honoursIfMatch?: boolean;
  ownership?: Ownership | 'error';
  defaultRetention?: boolean;
  /** GetBucketVersioning's answer; by default Enabled when versioned, else Off. */
  versioning?: 'Enabled' | 'Suspended' | 'Off';
}

/** A call the fake may be told to fail. */
export interface Fault {
  op: keyof ObjectStore;
  when?: (args: unknown[]) => boolean;
  error: () => Error;
  /** How many times (default: always). */
  times?: number;
  /** Fail after the store did the work (a lost answer), not before. */
  after?: boolean;
}

export class FakeStore implements ObjectStore {
  readonly objects = new Map<string, FakeVersion[]>();
  readonly uploads = new Map<
    string,
    { start: MultipartStart; parts: Map<number, string>; initiated?: Date }
  >();
  readonly calls: { op: string; args: unknown[] }[] = [];
  readonly faults: Fault[] = [];
  /** Hooks run before an op (e.g. a concurrent writer acting between HEAD and copy). */
  readonly before: ((op: string, args: unknown[]) => void)[] = [];
  private seq = 0;
  private uploadSeq = 0;

  constructor(
    readonly bucket: string,
    readonly versioned: boolean,
    readonly quirks: Quirks = {},
  ) {}

  /** Put an object as an app would. */
  put(
    key: string,
    body: string,
    over: Partial<ObjectHead> = {},
    extra: { tags?: Tag[]; acl?: ObjectAcl } = {},
  ): FakeVersion {
    const versionId = this.versioned ? `v${++this.seq}` : undefined;
    const v: FakeVersion = {
      versionId: versionId ?? 'null',
      body,
      head: {
        key,
        versionId,
        size: body.length,
        etag: `"${md5(body + String(this.seq++))}"`,
        storageClass: 'STANDARD',
        metadata: {},
        tagCount: extra.tags?.length ?? 0,
        ...over,
      },
      tags: extra.tags ?? [],
      acl: extra.acl ?? {
        ownerId: OWNER,
        grants: [{ type: 'CanonicalUser', id: OWNER, permission: 'FULL_CONTROL' }],
      },
    };
    const list = this.objects.get(key) ?? [];
    if (!this.versioned) list.length = 0;
    list.push(v);
    this.objects.set(key, list);
    return v;
  }

  deleteKey(key: string): void {
    if (!this.versioned) {
      this.objects.delete(key);
      return;
    }
    const list = this.objects.get(key) ?? [];
    list.push({
      versionId: `v${++this.seq}`,
      deleteMarker: true,
      body: '',
      tags: [],
      acl: { grants: [] },
      head: { key, size: 0, etag: '', storageClass: 'STANDARD', metadata: {} },
    });
  }

  current(key: string): FakeVersion | undefined {
    const v = this.objects.get(key)?.at(-1);
    return v && !v.deleteMarker ? v : undefined;
  }

  private find(key: string, versionId?: string): FakeVersion | undefined {
    if (versionId === undefined) return this.current(key);
    const v = this.objects.get(key)?.find((x) => x.versionId === versionId);
    return v && !v.deleteMarker ? v : undefined;
  }

  private record(op: keyof ObjectStore, args: unknown[]): void {
    this.calls.push({ op, args });
    for (const b of this.before) b(op, args);
    this.fail(op, args, false);
  }

  /** Throws the first matching fault of this phase. */
  private fail(op: keyof ObjectStore, args: unknown[], after: boolean): void {
    for (const f of this.faults) {
      if (f.op !== op || (f.after ?? false) !== after || (f.when && !f.when(args))) continue;
      if (f.times !== undefined) {
        if (f.times <= 0) continue;
        f.times--;
      }
      throw f.error();
    }
  }

  count(op: keyof ObjectStore): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  private headOf(v: FakeVersion): ObjectHead {
    const h = structuredClone(v.head);
    h.tagCount = v.tags.length;
    if (this.quirks.omitsBucketKey) delete h.bucketKeyEnabled;
    return h;
  }

  async head(bucket: string, key: string, versionId?: string): Promise<ObjectHead | undefined> {
    this.record('head', [bucket, key, versionId]);
    const v = this.find(key, versionId);
    return v ? this.headOf(v) : undefined;
  }

  private writeVersion(
    key: string,
    from: FakeVersion,
    head: Partial<ObjectHead>,
    tags: Tag[],
    lock: LockSettings,
  ): FakeVersion {
    const nv = this.put(
      key,
      from.body,
      {
        ...from.head,
        ...head,
        objectLockMode: lock.mode,
        objectLockRetainUntilDate: lock.retainUntil,
        objectLockLegalHoldStatus: lock.legalHold,
      },
      { tags },
    );
    return nv;
  }

  private checkIfMatch(
    key: string,
    source: FakeVersion | undefined,
    sourceEtag: string,
    destEtag?: string,
  ): void {
    if (!this.quirks.honoursIfMatch) return;
    if (!source || source.head.etag !== sourceEtag)
      throw new StoreError('precondition', 'PreconditionFailed', 'source changed', { status: 412 });
    if (destEtag !== undefined && this.current(key)?.head.etag !== destEtag)
      throw new StoreError('precondition', 'PreconditionFailed', 'destination changed', { status: 412 });
  }

  private encryption(keyId: string) {
    return this.quirks.copyIgnoresEncryption
      ? { serverSideEncryption: undefined, kmsKeyId: undefined, bucketKeyEnabled: undefined }
      : {
          serverSideEncryption: 'aws:kms',
          kmsKeyId: keyId,
          bucketKeyEnabled: this.quirks.omitsBucketKey ? undefined : true,
        };
  }

  async copyInPlace(req: CopyInPlace) {
    this.record('copyInPlace', [req]);
    if (this.quirks.copyRefusedAsSelfCopy)
      throw new StoreError(
        'self-copy',
        'InvalidRequest',
        'This copy request is illegal because it is trying to copy an object to itself',
        { status: 400 },
      );
    const src = this.find(req.key, req.sourceVersionId);
    this.checkIfMatch(req.key, src, req.guard.sourceEtag, req.guard.destinationEtag);
    if (!src) throw new StoreError('not-found', 'NoSuchKey', 'no such key', { status: 404 });
    if (
      (src.head.storageClass === 'GLACIER' || src.head.storageClass === 'DEEP_ARCHIVE') &&
      !src.head.restore
    )
      throw new StoreError('archived', 'ObjectNotInActiveTierError', 'not in active tier', { status: 403 });
    const nv = this.writeVersion(
      req.key,
      src,
      {
        storageClass: req.storageClass,
        websiteRedirectLocation: req.websiteRedirectLocation,
        ...this.encryption(req.target.keyId),
      },
      src.tags,
      req.lock,
    );
    nv.acl = { ownerId: OWNER, grants: [{ type: 'CanonicalUser', id: OWNER, permission: 'FULL_CONTROL' }] };
    return { versionId: this.versioned ? nv.versionId : undefined };
  }

  async createMultipartUpload(req: MultipartStart) {
    this.record('createMultipartUpload', [req]);
    const id = `u${++this.uploadSeq}`;
    this.uploads.set(id, { start: structuredClone(req), parts: new Map(), initiated: new Date() });
    this.fail('createMultipartUpload', [req], true);
    return id;
  }

  async uploadPartCopy(req: Parameters<ObjectStore['uploadPartCopy']>[0]) {
    this.record('uploadPartCopy', [req]);
    const up = this.uploads.get(req.uploadId);
    if (!up) throw new StoreError('precondition', 'NoSuchUpload', 'no such upload', { status: 404 });
    const src = this.find(req.key, req.sourceVersionId);
    this.checkIfMatch(req.key, src, req.sourceEtag);
    if (!src) throw new StoreError('not-found', 'NoSuchKey', 'no such key', { status: 404 });
    const part = req.range ? src.body.slice(req.range.start, req.range.end + 1) : src.body;
    up.parts.set(req.partNumber, part);
    return `"p${req.partNumber}"`;
  }

  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: { partNumber: number; etag: string }[],
    destinationEtag: string,
  ) {
    this.record('completeMultipartUpload', [bucket, key, uploadId, parts, destinationEtag]);
    const up = this.uploads.get(uploadId);
    if (!up) throw new StoreError('precondition', 'NoSuchUpload', 'no such upload', { status: 404 });
    if (this.quirks.honoursIfMatch && this.current(key)?.head.etag !== destinationEtag)
      throw new StoreError('precondition', 'PreconditionFailed', 'destination changed', { status: 412 });
    const body = parts.map((p) => up.parts.get(p.partNumber) ?? '').join('');
    this.uploads.delete(uploadId);
    const s = up.start;
    const nv = this.put(
      key,
      body,
      {
        storageClass: s.storageClass,
        contentType: s.contentType,
        cacheControl: s.cacheControl,
        contentDisposition: s.contentDisposition,
        contentEncoding: s.contentEncoding,
        contentLanguage: s.contentLanguage,
        expires: s.expires,
        websiteRedirectLocation: s.websiteRedirectLocation,
        metadata: s.metadata,
        ...this.encryption(s.target.keyId),
        ...(this.quirks.multipartDropsLock
          ? {}
          : {
              objectLockMode: s.lock.mode,
              objectLockRetainUntilDate: s.lock.retainUntil,
              objectLockLegalHoldStatus: s.lock.legalHold,
            }),
      },
      { tags: this.quirks.multipartDropsTags ? [] : s.tags },
    );
    // The fake multipart copy really is encrypted even where CopyObject is not (RGW).
    Object.assign(nv.head, {
      serverSideEncryption: 'aws:kms',
      kmsKeyId: s.target.keyId,
      bucketKeyEnabled: this.quirks.omitsBucketKey ? undefined : true,
    });
    return { versionId: this.versioned ? nv.versionId : undefined };
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string) {
    this.record('abortMultipartUpload', [bucket, key, uploadId]);
    if (!this.uploads.delete(uploadId))
      throw new StoreError('precondition', 'NoSuchUpload', 'no such upload', { status: 404 });
  }

  async listUploads(bucket: string, key: string) {
    this.record('listUploads', [bucket, key]);
    return [...this.uploads]
      .filter(([, u]) => u.start.key === key)
      .map(([uploadId, u]) => ({ uploadId, initiated: u.initiated }));
  }

  async updateObjectEncryption(req: Parameters<ObjectStore['updateObjectEncryption']>[0]) {
    this.record('updateObjectEncryption', [req]);
    const mode = this.quirks.uoe ?? 'missing';
    if (mode === 'missing')
      throw new StoreError('unsupported', 'NotImplemented', 'not implemented', { status: 501 });
    if (mode === 'put') {
      this.put(req.key, '<ObjectEncryption/>');
      return;
    }
    const v = this.find(req.key, req.versionId);
    if (!v) throw new StoreError('not-found', 'NoSuchKey', 'no such key', { status: 404 });
    if (v.head.objectLockLegalHoldStatus === 'ON' || v.head.objectLockMode)
      throw new StoreError('invalid', 'InvalidRequest', 'object is locked', { status: 400 });
    Object.assign(v.head, { serverSideEncryption: 'aws:kms', kmsKeyId: req.keyArn, bucketKeyEnabled: true });
  }

  async getTags(bucket: string, key: string, versionId?: string) {
    this.record('getTags', [bucket, key, versionId]);
    const v = this.find(key, versionId);
    if (!v) throw new StoreError('not-found', 'NoSuchKey', 'no such key', { status: 404 });
    return structuredClone(v.tags);
  }

  async putTags(bucket: string, key: string, versionId: string | undefined, tags: Tag[]) {
    this.record('putTags', [bucket, key, versionId, tags]);
    const v = this.find(key, versionId);
    if (!v) throw new StoreError('not-found', 'NoSuchKey', 'no such key', { status: 404 });
    v.tags = structuredClone(tags);
  }

  async getAcl(bucket: string, key: string, versionId?: string) {
    this.record('getAcl', [bucket, key, versionId]);
    const v = this.find(key, versionId);
    if (!v) throw new StoreError('not-found', 'NoSuchKey', 'no such key', { status: 404 });
    return structuredClone(v.acl);
  }

  async putAcl(bucket: string, key: string, versionId: string | undefined, grants: Grant[]) {
    this.record('putAcl', [bucket, key, versionId, grants]);
    const v = this.find(key, versionId);
    if (!v) throw new StoreError('not-found', 'NoSuchKey', 'no such key', { status: 404 });
    v.acl = { ownerId: v.acl.ownerId ?? OWNER, grants: structuredClone(grants) };
  }

  async putLock(bucket: string, key: string, versionId: string | undefined, lock: LockSettings) {
    this.record('putLock', [bucket, key, versionId, lock]);
    const v = this.find(key, versionId);
    if (!v) throw new StoreError('not-found', 'NoSuchKey', 'no such key', { status: 404 });
    if (lock.mode)
      Object.assign(v.head, { objectLockMode: lock.mode, objectLockRetainUntilDate: lock.retainUntil });
    if (lock.legalHold) v.head.objectLockLegalHoldStatus = lock.legalHold;
  }

  async ownership(bucket: string): Promise<Ownership> {
    this.record('ownership', [bucket]);
    if (this.quirks.ownership === 'error')
      throw new StoreError('denied', 'AccessDenied', 'denied', { status: 403 });
    return this.quirks.ownership;
  }

  async versioning(bucket: string) {
    this.record('versioning', [bucket]);
    return this.quirks.versioning ?? (this.versioned ? 'Enabled' : 'Off');
  }

  async hasDefaultRetention(bucket: string) {
    this.record('hasDefaultRetention', [bucket]);
    return this.quirks.defaultRetention === true;
  }

  async deleteVersion(bucket: string, key: string, versionId?: string) {
    this.record('deleteVersion', [bucket, key, versionId]);
    const list = this.objects.get(key);
    if (!list) return;
    const i = versionId === undefined ? list.length - 1 : list.findIndex((v) => v.versionId === versionId);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.objects.delete(key);
  }
}

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

/** In-memory state store (for engine tests; the file-backed one has its own tests). */
export class MemoryState implements StateStore {
  readonly finished = new Set<string>();
  readonly lines: Record<string, unknown>[] = [];
  readonly uploads = new Map<string, string>();
  readonly intents = new Map<string, { since: number; existing?: readonly string[] }>();
  closed = false;
  constructor(readonly resumedCount = 0) {}
  isFinished(ref: ObjectRef) {
    return this.finished.has(`${ref.key}\u0000${ref.versionId ?? ''}`);
  }
  openUploads() {
    return [
      ...[...this.uploads].map(([uploadId, key]) => ({ key, uploadId })),
      ...[...this.intents].map(([key, i]) => ({ key, ...i })),
    ];
  }
  recordUploadIntent(key: string, at: number, existing: readonly string[] | undefined) {
    this.intents.set(key, { since: at, ...(existing ? { existing } : {}) });
  }
  recordResult(ref: ObjectRef, r: ObjectResult) {
    this.lines.push({ t: 'r', k: ref.key, o: r.outcome });
    if (r.outcome === 'done' || r.outcome === 'vanished')
      this.finished.add(`${ref.key}\u0000${ref.versionId ?? ''}`);
  }
  recordUploadOpened(key: string, uploadId: string) {
    this.uploads.set(uploadId, key);
    this.intents.delete(key);
  }
  recordUploadClosed(key: string, uploadId?: string) {
    if (uploadId === undefined) this.intents.delete(key);
    else this.uploads.delete(uploadId);
  }
  async close() {
    this.closed = true;
  }
}

export class MemoryReport implements ReportSink {
  readonly lines: ObjectResult[] = [];
  async close() {}
  write(r: ObjectResult) {
    this.lines.push(r);
  }
}

/** Manifest files by location (text), parsed like the real reader (simple CSV: no quotes needed in tests). */
export function memoryManifests(files: Record<string, string>): ManifestReader {
  return {
    async *rows(location: string): AsyncGenerator<ManifestRow> {
      const text = files[location];
      if (text === undefined)
        throw new UsageError(
          `cannot read manifest ${location}: no such file`,
          'check --manifest',
          'BadManifest',
        );
      const { rowFromFields } = await import('../../src/core/encrypt/sources.js');
      let line = 0;
      for (const l of text.split('\n')) {
        line++;
        if (l.trim() === '') continue;
        yield rowFromFields(l.split(','), line, location);
      }
    },
    async text(location: string) {
      const text = files[location];
      if (text === undefined)
        throw new UsageError(
          `cannot read manifest ${location}: no such file`,
          'check --manifest',
          'BadManifest',
        );
      return text;
    },
    exists: (location: string) => files[location] !== undefined,
  };
}

export function fakeEncryptServices(
  store: FakeStore,
  opts: { manifests?: Record<string, string>; state?: MemoryState; report?: MemoryReport } = {},
): EncryptServices {
  return {
    store,
    manifests: memoryManifests(opts.manifests ?? {}),
    async openState(_path: string, _header: StateHeader) {
      return opts.state ?? new MemoryState();
    },
    async openReport() {
      return opts.report ?? new MemoryReport();
    },
  };
}
