// Validates rendered Kubernetes manifests (the multi-document YAML that `kubectl kustomize DIR`
// prints, i.e. what `kubectl apply -k DIR` sends) against the schemas of the Kubernetes API and of
// the operators' CRDs, as kept by the @kubernetes-models packages (package.json pins them):
//   1. each object's model class, found by apiVersion and kind, runs .validate(): the JSON schema
//      of that API version (types, enums, required fields, formats, patterns). A kind no package
//      has is an error, never skipped: a new object type must bring its schema.
//   2. tsc checks each object as `(<json>) satisfies I<Kind>` (the packages' TypeScript types,
//      generated from the same schemas): unknown fields. .validate() lets those through (the
//      generated schemas allow additional properties), but the API server rejects them under
//      kubectl's default --validate=strict.
// Usage: node check.mjs FILE...   (FILE '-' reads stdin: kubectl kustomize deploy/ | node check.mjs -)
// Prints one line per violation, then one line per file: `FILE: N objects (Kind xCount, ...): all
// valid` or `...: K violation(s)`.
// Exit code 0 = every object valid, 1 = violations, 2 = usage or missing npm packages.
import { readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const tsc = join(here, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc) || !existsSync(join(here, 'node_modules', 'kubernetes-models'))) {
  console.error(`the schema packages are not installed in ${here}: run deploy/scripts/ensure-tools.sh (npm ci)`);
  process.exit(2);
}
const { parseAllDocuments } = await import('yaml');

// API groups of custom resources -> the package that holds their CRD schemas. Built-in groups
// (the core group "v1", groups without a dot such as apps or batch, and *.k8s.io) are in
// kubernetes-models. Any other group is an error until a package for it is added here.
const CRD_PACKAGES = {
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'keda.sh': '@kubernetes-models/keda',
};

function packageOf(apiVersion) {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  if (!group.includes('.') || group.endsWith('.k8s.io')) return 'kubernetes-models';
  return CRD_PACKAGES[group] ?? null;
}

/** The model class of apiVersion/kind, or a sentence saying why there is none. */
async function modelOf(apiVersion, kind) {
  const pkg = packageOf(apiVersion);
  if (pkg === null) {
    return { why: `no schema package for API group of ${apiVersion}: add one to deploy/manifest-check` };
  }
  if (!/^[A-Za-z0-9]+$/.test(kind) || !/^[a-z0-9.\-]+(\/[a-z0-9]+)?$/.test(apiVersion)) {
    return { why: `malformed apiVersion/kind ${apiVersion} ${kind}` };
  }
  const specifier = `${pkg}/${apiVersion}/${kind}`;
  let mod;
  try {
    mod = await import(specifier);
  } catch (e) {
    return { why: `unknown kind: ${pkg} has no ${kind} in ${apiVersion}` };
  }
  const cls = mod[kind];
  // Sub-schemas (DeploymentSpec, ...) are modules too: only a top-level kind carries its own kind.
  if (typeof cls !== 'function' || cls.kind !== kind || cls.apiVersion !== apiVersion) {
    return { why: `unknown kind: ${kind} is not a top-level kind of ${apiVersion} in ${pkg}` };
  }
  return { cls, specifier };
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.mjs FILE... (multi-document YAML, - for stdin)');
  process.exit(2);
}

const problems = new Map(files.map((f) => [f, []])); // file -> violations
const general = []; // violations no single file owns (tsc failing as a whole)
const summaries = new Map(); // file -> "N objects (Kind xCount, ...)"
const typeChecks = []; // { file, where, ts }
for (const file of files) {
  const found = problems.get(file);
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  // YAML 1.1, as kubectl decodes manifests (sigs.k8s.io/yaml): yes/no/on/off are booleans there.
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: true });
  const kinds = new Map();
  let count = 0;
  for (const [i, doc] of docs.entries()) {
    const at = `${file}: document ${i + 1}`;
    if (doc.errors.length > 0) {
      found.push(`${at}: YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    if (typeof obj !== 'object' || Array.isArray(obj)) {
      found.push(`${at}: not a Kubernetes object (a YAML mapping)`);
      continue;
    }
    const { apiVersion, kind, metadata } = obj;
    const where = `${file}: ${kind}/${metadata?.name}`;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      found.push(`${at}: apiVersion and kind must be strings`);
      continue;
    }
    if (typeof metadata?.name !== 'string' || metadata.name === '') {
      found.push(`${where}: metadata.name is required (kubectl apply refuses generateName)`);
    }
    count++;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const model = await modelOf(apiVersion, kind);
    if (model.why) {
      found.push(`${where}: ${model.why}`);
      continue;
    }
    try {
      new model.cls(obj).validate();
    } catch (e) {
      found.push(`${where}: schema: ${e.message}`);
    }
    typeChecks.push({
      file,
      where,
      ts: `import type { I${kind} as T } from '${model.specifier}';\n` +
        `// ${where}\n` +
        `export const o = (${JSON.stringify(obj, null, 2)}) satisfies T;\n`,
    });
  }
  summaries.set(file, `${count} objects (${[...kinds].map(([k, n]) => `${k} x${n}`).join(', ')})`);
}

// Unknown fields: one generated file per object, so that every diagnostic names its object.
const out = join(here, 'generated');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
typeChecks.forEach((c, i) => writeFileSync(join(out, `o${i}.ts`), c.ts));
writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
  compilerOptions: {
    strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler',
    skipLibCheck: true, types: [],
  },
  include: ['*.ts'],
}, null, 2));
if (typeChecks.length > 0) {
  const r = spawnSync(process.execPath, [tsc, '-p', join(out, 'tsconfig.json'), '--pretty', 'false'],
    { encoding: 'utf8' });
  if (r.status !== 0) {
    const lines = (r.stdout + r.stderr).split('\n').filter((l) => l.trim() !== '');
    const diag = /^(?:.*[\\/])?o(\d+)\.ts\((\d+),\d+\): error (TS\d+: .*)$/;
    let attributed = 0;
    for (const line of lines) {
      const m = diag.exec(line);
      if (!m) {
        if (!line.startsWith(' ')) general.push(`tsc: ${line}`);
        continue;
      }
      const check = typeChecks[Number(m[1])];
      const source = check.ts.split('\n')[Number(m[2]) - 1]?.trim() ?? '';
      // tsc prints whole inline types: the property's name and the line say enough.
      const message = m[3].length > 300 ? m[3].slice(0, 300) + '...' : m[3];
      problems.get(check.file).push(`${check.where}: fields: ${message} (at \`${source}\`)`);
      attributed++;
    }
    if (attributed === 0 && general.length === 0) general.push(`tsc failed (exit ${r.status}) without a diagnostic`);
  }
}

let total = general.length;
general.forEach((p) => console.log(p));
for (const file of files) {
  const found = problems.get(file);
  found.forEach((p) => console.log(p));
  total += found.length;
  console.log(found.length === 0
    ? `${file}: ${summaries.get(file)}: all valid`
    : `${file}: ${summaries.get(file)}: ${found.length} violation(s)`);
}
process.exit(total === 0 ? 0 : 1);
