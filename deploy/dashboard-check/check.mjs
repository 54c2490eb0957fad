// Type-checks every Grafana dashboard in ../monitoring/dashboards against @grafana/schema's
// Dashboard type: each JSON becomes `const d = (<json>) satisfies Dashboard` in generated/, then
// `tsc --noEmit` runs over them. Object literals get excess-property checks, so a misspelt or
// unknown field fails too. Exit code 0 = all valid. Run `npm ci` here first (ensure-tools.sh does).
import { readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const dashboards = process.argv[2] ?? join(here, '..', 'monitoring', 'dashboards');
const tsc = join(here, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  console.error(`typescript is not installed in ${here}: run deploy/scripts/ensure-tools.sh (npm ci)`);
  process.exit(2);
}

const files = readdirSync(dashboards).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) {
  console.error(`no dashboards in ${dashboards}`);
  process.exit(2);
}
const out = join(here, 'generated');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
for (const f of files) {
  const text = readFileSync(join(dashboards, f), 'utf8');
  JSON.parse(text); // a JSON syntax error is reported here with the file name
  const ts = `import type { Dashboard } from '@grafana/schema';\n` +
    `// generated from ${f}\n` +
    `const d = (${text.trim()}) satisfies Dashboard;\nexport default d;\n`;
  writeFileSync(join(out, basename(f, '.json') + '.ts'), ts);
}
writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
  compilerOptions: {
    strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler',
    skipLibCheck: true, types: [], typeRoots: [join(here, 'node_modules', '@types')],
  },
  include: ['*.ts'],
}, null, 2));
const r = spawnSync(process.execPath, [tsc, '-p', join(out, 'tsconfig.json')], { stdio: 'inherit' });
if (r.status === 0) console.log(`dashboards OK: ${files.join(', ')}`);
process.exit(r.status ?? 1);
