// AWS's own service models (botocore's service-2.json) for the services the CLI calls. They are
// the independent oracle the conformance checks judge our requests by: written by AWS, shipped in
// botocore (pinned with moto in scripts/local-s3/install.sh), read from .venv-moto as installed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export type ServiceName = 's3' | 's3control' | 'kms' | 'sts' | 'organizations';
export const SERVICES: readonly ServiceName[] = ['s3', 's3control', 'kms', 'sts', 'organizations'];

type Location = 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';

/** A member's (or list item's, map key's) reference to a shape, with its wire binding. */
export interface ShapeRef {
  shape: string;
  location?: Location;
  locationName?: string;
  xmlAttribute?: boolean;
  flattened?: boolean;
  hostLabel?: boolean;
  idempotencyToken?: boolean;
  timestampFormat?: string;
  jsonvalue?: boolean;
  xmlNamespace?: { uri?: string; prefix?: string };
}

export interface Shape {
  type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | 'timestamp'
    | 'blob';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  payload?: string;
  flattened?: boolean;
  union?: boolean;
  locationName?: string;
  timestampFormat?: string;
  streaming?: boolean;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string };
  input?: ShapeRef & { locationName?: string };
  httpChecksum?: { requestChecksumRequired?: boolean; requestAlgorithmMember?: string };
  endpoint?: { hostPrefix?: string };
  deprecated?: boolean;
}

export interface ServiceModel {
  metadata: {
    apiVersion: string;
    protocol: string;
    targetPrefix?: string;
    jsonVersion?: string;
    signingName?: string;
    endpointPrefix: string;
  };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

// The repository root: from this file, or S3E_ROOT where this module runs bundled elsewhere (the
// local Batch service runs from .local/batch-service.mjs; scripts/local-s3/batch.sh sets it).
const ROOT = process.env.S3E_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cache = new Map<ServiceName, ServiceModel>();

/** botocore's data folder inside .venv-moto (whatever python3.X the venv was made with). */
export function botocoreDataDir(root = ROOT): string {
  const lib = join(root, '.venv-moto', 'lib');
  const pythons = existsSync(lib) ? readdirSync(lib).filter((d) => d.startsWith('python')) : [];
  for (const py of pythons) {
    const data = join(lib, py, 'site-packages', 'botocore', 'data');
    if (existsSync(data)) return data;
  }
  throw new Error(
    `AWS service models not found: no botocore in ${join(root, '.venv-moto')} (the conformance ` +
      `checks read botocore/data/<service>/<date>/service-2.json.gz from it): run bash scripts/ensure-setup.sh`,
  );
}

/** The service model, read once per process. Throws a clear error when botocore is missing. */
export function serviceModel(service: ServiceName): ServiceModel {
  const hit = cache.get(service);
  if (hit) return hit;
  const dir = join(botocoreDataDir(), service);
  const dates = existsSync(dir) ? readdirSync(dir).sort() : [];
  const latest = dates.at(-1);
  const base = latest === undefined ? undefined : join(dir, latest, 'service-2.json');
  let text: string | undefined;
  if (base && existsSync(`${base}.gz`)) text = gunzipSync(readFileSync(`${base}.gz`)).toString('utf8');
  else if (base && existsSync(base)) text = readFileSync(base, 'utf8');
  if (text === undefined) {
    throw new Error(
      `AWS service model for ${service} not found under ${dir} (botocore/data/${service}/<date>/service-2.json.gz): run bash scripts/ensure-setup.sh`,
    );
  }
  const model = JSON.parse(text) as ServiceModel;
  cache.set(service, model);
  return model;
}

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`the model has no shape ${name}`);
  return shape;
}
