// Builds the embedded BPMN modeler (bpmn-js + the Camunda 7 properties panel) from the npm
// packages into webui/static/modeler/: one script, one style sheet and the bpmn font, all
// served by Alur itself (no CDN; the page works offline). Run by scripts/setup through
// `npm run build:modeler`; the output is not committed (.gitignore).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, '..', 'static', 'modeler');

rmSync(outdir, { recursive: true, force: true });
const started = Date.now();
await build({
  entryPoints: {
    modeler: join(here, 'src', 'modeler.js'),
    'modeler-style': join(here, 'src', 'modeler.css'),
  },
  outdir,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'linked',
  logLevel: 'warning',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
  assetNames: 'fonts/[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
});
console.log(`modeler built into ${outdir} in ${Date.now() - started} ms`);
