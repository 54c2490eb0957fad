// Drives the generator's web page the way a person does, in Debian's headless Chromium through
// playwright-core: paints on the layout canvas with the mouse, generates from a typed 64-bit seed,
// keeps a sample's style and generates with it, edits the layout, shift-clicks a pair and
// interpolates, uploads a layout with an unknown colour, types a bad seed.
//
//   node page-check.mjs <page url>
//
// Prints one JSON object on stdout: what the page showed and what the REST API answered (seeds as
// the exact digits of the raw reply, PNGs as SHA-256), plus `failures`, one sentence per failed check.
// Exit code: 0 every check held, 1 a check failed, 2 a tool is missing, 3 the run timed out.
// GeneratorPageBrowserTest starts the service and runs this; it asserts on the exit code and the JSON.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SETUP = 'run scripts/ensure-test-tools.sh';
const url = process.argv[2];
if (!url) {
  console.error('usage: node page-check.mjs <page url>');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium is missing (${executablePath}): ${SETUP}`);
  process.exit(2);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  console.error(`playwright-core is not installed next to this script (npm ci): ${SETUP} (${e.message})`);
  process.exit(2);
}

const TYPED_SEED = '-7995527694508729151'; // the seed the issue saw rounded to -7995527694508729000
const N = 4;
const KEEP = 1; // the sample whose style is kept
const PAIR = [0, 3]; // the samples interpolated between
const STEPS = 9; // frames the page asks for
const TWO_53 = 2n ** 53n;

const report = { url, typedSeed: TYPED_SEED, failures: [], steps: [] };
const failures = report.failures;
function check(ok, sentence) {
  if (!ok) failures.push(sentence);
  return ok;
}
const sha = (base64) => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
const pngOf = (dataUrl) => (dataUrl ?? '').replace(/^data:image\/png;base64,/, '');

/** Every "seed" in a raw JSON text, in order, as the exact digits, and whether it was a string. */
function rawSeeds(text) {
  return [...text.matchAll(/"seed"\s*:\s*("?)(-?[0-9]+)\1/g)].map((m) => ({ digits: m[2], quoted: m[1] === '"' }));
}

const watchdog = setTimeout(() => {
  failures.push('the page check ran past 150 s');
  console.log(JSON.stringify(report, null, 1));
  process.exit(3);
}, 150_000);

const profile = mkdtempSync(join(tmpdir(), 'cimle-page-'));
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
let exitCode = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Math.random drives the page's "random scene": seed it so every run paints on the same scene.
  await context.addInitScript(() => {
    let a = 0x9e3779b9;
    Math.random = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e.message ?? e)));
  await run(page);
  check(pageErrors.length === 0, `the page threw: ${pageErrors.join(' | ')}`);
} catch (e) {
  failures.push(`the page check stopped: ${e.message.split('\n')[0]}`);
} finally {
  await browser.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
clearTimeout(watchdog);
if (failures.length > 0) exitCode = 1;
report.ok = failures.length === 0;
console.log(JSON.stringify(report, null, 1));
process.exit(exitCode);

async function step(name, body) {
  const t0 = Date.now();
  try {
    return await body();
  } finally {
    report.steps.push({ name, ms: Date.now() - t0 });
  }
}

/** Clicks `target` and returns the /api/generate exchange it caused: raw request and reply texts. */
async function generateBy(page, click) {
  const [req, resp] = await Promise.all([
    page.waitForRequest((r) => r.url().endsWith('/api/generate')),
    page.waitForResponse((r) => r.url().endsWith('/api/generate')),
    click(),
  ]);
  const replyText = await resp.text();
  // the page renders after it has read the reply: wait until the status line leaves "generating…"
  await page.waitForFunction(() => !document.getElementById('status').textContent.startsWith('generating'));
  return { requestText: req.postData() ?? '', status: resp.status(), replyText, reply: JSON.parse(replyText) };
}

/** What the grid shows: caption, image (as base64 PNG) and classes of each figure. */
async function grid(page) {
  return page.$$eval('#grid figure', (fs) => fs.map((f) => ({
    caption: f.querySelector('figcaption').textContent,
    png: f.querySelector('img').getAttribute('src').replace(/^data:image\/png;base64,/, ''),
    kept: f.classList.contains('kept'),
    pair: f.classList.contains('pair'),
  })));
}

async function statusLine(page) {
  return page.$eval('#status', (s) => ({ text: s.textContent, error: s.classList.contains('error') }));
}

/** The canvas's pixels as [r,g,b] per pixel, row-major, with its size. */
async function canvasPixels(page) {
  return page.$eval('#paint', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const px = [];
    for (let i = 0; i < d.length; i += 4) px.push([d[i], d[i + 1], d[i + 2]]);
    return { width: c.width, height: c.height, px };
  });
}

/** Drags the mouse over the canvas through canvas pixels `points` ([x, y]), button held. */
async function drag(page, points) {
  const box = await page.locator('#paint').boundingBox();
  const { width, height } = await page.$eval('#paint', (c) => ({ width: c.width, height: c.height }));
  const at = ([x, y]) => [box.x + (x + 0.5) * box.width / width, box.y + (y + 0.5) * box.height / height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

/** Selects a class by clicking its swatch; returns its id and colour. */
async function pickClass(page, name) {
  const swatch = page.locator('#palette .swatch', { hasText: new RegExp(`^${name}$`) });
  await swatch.click();
  check(await swatch.evaluate((s) => s.classList.contains('on')), `the "${name}" swatch is not shown as chosen after a click`);
  return page.evaluate((n) => {
    const i = model.classes.findIndex((c) => c.name === n); // eslint-disable-line no-undef
    return { id: i, color: model.classes[i].color }; // eslint-disable-line no-undef
  }, name);
}

/** Paints a stroke of class `name` through `points`; checks the canvas holds that colour along it. */
async function paintStroke(page, name, points, brush) {
  const cls = await pickClass(page, name);
  await page.fill('#brush', String(brush));
  const before = await canvasPixels(page);
  await drag(page, points);
  const after = await canvasPixels(page);
  const path = line(points);
  const off = path.filter(([x, y]) => after.px[y * after.width + x].join() !== cls.color.join());
  check(off.length === 0, `after dragging with "${name}", ${off.length} of ${path.length} pixels on the stroke `
    + `are not its colour ${cls.color} (first at ${off[0]})`);
  const changed = after.px.filter((p, i) => p.join() !== before.px[i].join()).length;
  check(changed > 0, `dragging with "${name}" changed no pixel of the canvas`);
  return { class: name, classId: cls.id, color: cls.color, brush, points, path, changedPixels: changed };
}

/** Canvas pixels on the polyline through `points` (one per step along the longer axis). */
function line(points) {
  const out = [];
  for (let k = 1; k < points.length; k++) {
    const [x0, y0] = points[k - 1];
    const [x1, y1] = points[k];
    const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let i = 0; i <= n; i++) out.push([Math.round(x0 + (x1 - x0) * i / n), Math.round(y0 + (y1 - y0) * i / n)]);
  }
  return out;
}

/** When two PNGs differ, how: pixel counts and the largest channel difference (decoded in the page). */
async function pixelDiff(page, a, b) {
  return page.evaluate(async ([a, b]) => {
    const load = async (p) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + p;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, c.width, c.height).data;
    };
    const [x, y] = [await load(a), await load(b)];
    if (x.length !== y.length) return { sizes: [x.length / 4, y.length / 4] };
    let differing = 0, max = 0;
    for (let i = 0; i < x.length; i += 4) {
      let d = 0;
      for (let k = 0; k < 3; k++) d = Math.max(d, Math.abs(x[i + k] - y[i + k]));
      if (d > 0) differing++;
      max = Math.max(max, d);
    }
    return { pixels: x.length / 4, differing, maxChannelDiff: max };
  }, [a, b]);
}

/** Checks a grid against the reply it came from: images, captions = the exact seeds of the raw reply. */
function checkGrid(label, shown, exchange) {
  const seeds = rawSeeds(exchange.replyText);
  const samples = exchange.reply.samples ?? [];
  check(exchange.status === 200, `${label}: the API answered ${exchange.status}: ${exchange.replyText.slice(0, 200)}`);
  check(shown.length === samples.length, `${label}: the grid shows ${shown.length} samples, the reply has ${samples.length}`);
  check(seeds.length === samples.length, `${label}: the reply has ${seeds.length} seeds for ${samples.length} samples`);
  check(seeds.every((s) => s.quoted), `${label}: the reply writes seeds as JSON numbers (${exchange.replyText
    .match(/"seed"\s*:\s*-?[0-9]+/)}): JavaScript rounds them`);
  shown.forEach((f, i) => {
    check(f.png === samples[i]?.png, `${label}: grid image ${i} is not the reply's sample ${i}`);
    check(f.caption === `seed ${seeds[i]?.digits}`, `${label}: caption ${i} reads "${f.caption}", the reply's seed is ${seeds[i]?.digits}`);
  });
  return shown.map((f, i) => ({ caption: f.caption, seed: seeds[i]?.digits, pngSha256: sha(f.png), kept: f.kept }));
}

async function run(page) {
  // 1. ?autogen=3: the page generates three samples on its own once the model is loaded
  await step('autogen', async () => {
    const [reply] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/generate')), page.goto(url + '?autogen=3')]);
    await page.waitForFunction(() => document.querySelectorAll('#grid figure').length > 0);
    const shown = await grid(page);
    report.autogen = checkGrid('autogen', shown, { status: reply.status(), replyText: await reply.text(), reply: await reply.json() });
    check(shown.length === 3, `?autogen=3 shows ${shown.length} samples`);
  });

  // 2. a fresh page: the model line, the palette, then paint a road across the scene with the mouse
  await step('load and paint', async () => {
    await page.goto(url);
    await page.waitForFunction(() => document.querySelectorAll('#palette .swatch').length > 0);
    report.modelLine = await page.textContent('#model');
    const api = await (await page.request.get(new URL('api/model', url).href)).json();
    report.model = { version: api.version, width: api.width, height: api.height, classes: api.classes.map((c) => c.name) };
    check(report.modelLine.includes(`v${api.version}`), `the model line "${report.modelLine}" does not name version ${api.version}`);
    const swatches = await page.$$eval('#palette .swatch', (s) => s.map((x) => x.textContent));
    check(swatches.join() === report.model.classes.join(), `the palette shows ${swatches}, the model has ${report.model.classes}`);
    const { width: W, height: H } = api;
    report.strokes = [await paintStroke(page, 'road', [[1, H - 3], [W - 2, H - 3]], 2)];
  });

  // 3. generate 4 samples from a typed 64-bit seed
  let first;
  await step('generate', async () => {
    await page.fill('#n', String(N));
    await page.fill('#seed', TYPED_SEED);
    const ex = await generateBy(page, () => page.click('#generate'));
    const sent = rawSeeds(ex.requestText);
    check(sent.length === 1 && sent[0].quoted && sent[0].digits === TYPED_SEED,
      `Generate sent the seed as ${JSON.stringify(sent)}, typed ${TYPED_SEED}`);
    const body = JSON.parse(ex.requestText);
    report.request = { layoutPng: body.layoutPng, encoding: body.encoding, palette: body.palette, numSamples: body.numSamples, seed: sent[0]?.digits };
    first = await grid(page);
    report.grid = checkGrid('Generate', first, ex);
    check(report.grid.some((g) => g.seed && (BigInt(g.seed) >= TWO_53 || BigInt(g.seed) <= -TWO_53)),
      'no sample seed is beyond 2^53, so the check could not see rounding');
    check(!(await statusLine(page)).error, `the status line shows an error: ${(await statusLine(page)).text}`);
  });

  // 4. click a sample to keep its style; "Generate with kept style" on the same layout shows that image again
  await step('keep style', async () => {
    await page.locator('#grid figure').nth(KEEP).click();
    const shown = await grid(page);
    check(shown.map((f) => f.kept).join() === shown.map((_, i) => i === KEEP).join(), `after clicking sample ${KEEP} the kept marks are ${shown.map((f) => f.kept)}`);
    check(await page.isEnabled('#withStyle'), '"Generate with kept style" stays disabled after a sample is clicked');
    const ex = await generateBy(page, () => page.click('#withStyle'));
    const sent = rawSeeds(ex.requestText);
    const keptSeed = report.grid[KEEP].seed;
    check(sent.length === 1 && sent[0].quoted && sent[0].digits === keptSeed,
      `"Generate with kept style" sent ${JSON.stringify(sent)}, the clicked sample's seed is ${keptSeed}`);
    const again = await grid(page);
    const rows = checkGrid('Generate with kept style', again, ex);
    const same = again.length === 1 && again[0].png === first[KEEP].png;
    const kept = { index: KEEP, seed: keptSeed, sentSeed: sent[0]?.digits, clickedSha256: sha(first[KEEP].png), shownSha256: rows[0]?.pngSha256, shownCaption: rows[0]?.caption, shownKept: rows[0]?.kept };
    if (!same && again.length === 1) kept.diff = await pixelDiff(page, first[KEEP].png, again[0].png);
    check(same, `"Generate with kept style" shows another image than the clicked sample ${KEEP} (${JSON.stringify(kept.diff)})`);
    check(again[0]?.kept === true, 'the sample made with the kept style is not marked as kept');
    report.kept = kept;
  });

  // 5. edit the scene (a car), generate with the kept style again: the same seed, another image
  await step('edit scene', async () => {
    const { width: W, height: H } = report.model;
    report.strokes.push(await paintStroke(page, 'car', [[W / 2 - 3, H - 6], [W / 2 + 3, H - 6]], 3));
    const ex = await generateBy(page, () => page.click('#withStyle'));
    const rows = checkGrid('kept style on the edited scene', await grid(page), ex);
    check(rows[0]?.seed === report.kept.seed, `the edited scene's sample has seed ${rows[0]?.seed}, kept ${report.kept.seed}`);
    check(rows[0]?.pngSha256 !== report.kept.clickedSha256, 'the edited scene gives the very image of the unedited one');
    report.edited = { layoutPng: JSON.parse(ex.requestText).layoutPng, seed: rows[0]?.seed, pngSha256: rows[0]?.pngSha256 };
  });

  // 5b. two touching cars painted as two objects ("New object" before each): the request carries an
  // instance map naming them, and the generator answers it
  await step('objects', async () => {
    const { height: H } = report.model;
    await pickClass(page, 'car');
    await page.click('#newObject');
    report.strokes.push(await paintStroke(page, 'car', [[4, H - 10], [9, H - 10]], 3));
    await page.click('#newObject');
    report.strokes.push(await paintStroke(page, 'car', [[10, H - 10], [15, H - 10]], 3));
    const ex = await generateBy(page, () => page.click('#generate'));
    const body = JSON.parse(ex.requestText);
    check(typeof body.instancesPng === 'string' && body.instancesPng.length > 0, 'two painted objects sent no instance map');
    check(ex.status === 200 && (ex.reply.samples ?? []).length > 0,
      `the layout with two objects answered ${ex.status}: ${ex.replyText.slice(0, 200)}`);
    report.objects = { instancesPng: body.instancesPng, layoutPng: body.layoutPng, strokes: [report.strokes.length - 2,
      report.strokes.length - 1] };
    await page.click('#random'); // a new scene forgets the objects
    const again = await generateBy(page, () => page.click('#generate'));
    check(JSON.parse(again.requestText).instancesPng === undefined, 'a new random scene still sends the old objects');
  });

  // 6. generate again, shift-click two samples, interpolate: 9 frames from one to the other
  await step('interpolate', async () => {
    const ex = await generateBy(page, () => page.click('#generate'));
    const shown = await grid(page);
    const rows = checkGrid('Generate again', shown, ex);
    check(rows.map((r) => r.seed).join() === report.grid.map((r) => r.seed).join(),
      `the same typed seed gave other sample seeds: ${rows.map((r) => r.seed)} vs ${report.grid.map((r) => r.seed)}`);
    check(await page.isDisabled('#interpolate'), '"Interpolate pair" is enabled before a pair is chosen');
    const figure = (i) => page.locator('#grid figure').nth(i);
    await figure(PAIR[0]).click({ modifiers: ['Shift'] });
    await figure(PAIR[0]).click({ modifiers: ['Shift'] }); // a second shift-click unchooses it
    check((await grid(page)).every((f) => !f.pair) && await page.isDisabled('#interpolate'),
      'shift-clicking one sample twice leaves a "pair" of one sample');
    await figure(PAIR[0]).click({ modifiers: ['Shift'] });
    await figure(PAIR[1]).click({ modifiers: ['Shift'] });
    const marks = (await grid(page)).map((f) => f.pair);
    check(marks.join() === marks.map((_, i) => PAIR.includes(i)).join(), `after shift-clicking ${PAIR} the pair marks are ${marks}`);
    check(await page.isEnabled('#interpolate'), '"Interpolate pair" stays disabled after two shift-clicks');
    const ix = await generateBy(page, () => page.click('#interpolate'));
    const sent = JSON.parse(ix.requestText).interpolation ?? {};
    const sentSeeds = rawSeeds(ix.requestText);
    check(sentSeeds.map((s) => s.digits).join() === PAIR.map((i) => rows[i].seed).join() && sentSeeds.every((s) => s.quoted),
      `"Interpolate pair" sent seeds ${JSON.stringify(sentSeeds)}, the pair's seeds are ${PAIR.map((i) => rows[i].seed)}`);
    const frames = ix.reply.samples ?? [];
    check(ix.status === 200 && frames.length === sent.steps, `the interpolation answered ${ix.status} with ${frames.length} frames for ${sent.steps} steps`);
    check(await page.isVisible('#interp'), 'the interpolation panel stays hidden');
    const shownFrame = async () => pngOf(await page.getAttribute('#frame', 'src'));
    check((await shownFrame()) === frames[0]?.png, 'the panel does not open on the first frame');
    await page.focus('#slider');
    await page.keyboard.press('End');
    check((await shownFrame()) === frames.at(-1)?.png, 'moving the slider to its end does not show the last frame');
    await page.keyboard.press('Home');
    for (let k = 0; k < Math.floor(frames.length / 2); k++) await page.keyboard.press('ArrowRight');
    const middle = Math.floor(frames.length / 2);
    check((await shownFrame()) === frames[middle]?.png, `the slider at ${middle} does not show frame ${middle}`);
    // t = 0 and t = 1 give the endpoint codes bit for bit (LatentCodes.interpolate), so the same images
    const ends = [frames[0]?.png === shown[PAIR[0]].png, frames.at(-1)?.png === shown[PAIR[1]].png];
    const diffs = [];
    if (!ends[0]) diffs.push(await pixelDiff(page, frames[0].png, shown[PAIR[0]].png));
    if (!ends[1]) diffs.push(await pixelDiff(page, frames.at(-1).png, shown[PAIR[1]].png));
    check(ends[0] && ends[1], `the interpolation's end frames are not the two chosen samples (first ${ends[0]}, last ${ends[1]}; ${JSON.stringify(diffs)})`);
    check(frames[middle]?.png !== frames[0]?.png && frames[middle]?.png !== frames.at(-1)?.png, 'the middle frame equals an end frame');
    check(frames.map((f) => f.t).join() === frames.map((_, i) => i / (frames.length - 1)).map((t) => Math.fround(t)).join(),
      `the frames' t are ${frames.map((f) => f.t)}`);
    report.interpolation = { fromSeed: sentSeeds[0]?.digits, toSeed: sentSeeds[1]?.digits, steps: sent.steps, method: sent.method,
      frames: frames.map((f) => ({ t: f.t, pngSha256: sha(f.png) })), endsAreTheSamples: ends };
    // a new grid forgets the pair: "Interpolate pair" must not act on samples that are gone
    await generateBy(page, () => page.click('#generate'));
    check(await page.isDisabled('#interpolate'), '"Interpolate pair" stays enabled after a new grid replaced the pair');
  });

  // 7. mistakes a user makes: a seed that is not a 64-bit integer, a layout with a colour of no class
  await step('mistakes', async () => {
    const before = await grid(page);
    let posted = 0;
    const count = (r) => { if (r.url().endsWith('/api/generate')) posted++; };
    page.on('request', count);
    await page.fill('#seed', '9223372036854775808'); // 2^63: one past the largest seed
    await page.click('#generate');
    let line = await statusLine(page);
    check(line.error && /64 bits/.test(line.text), `a seed of 2^63 shows "${line.text}" (error: ${line.error})`);
    await page.fill('#seed', '12x');
    await page.click('#generate');
    line = await statusLine(page);
    check(line.error && /whole number/.test(line.text), `a seed "12x" shows "${line.text}" (error: ${line.error})`);
    page.off('request', count);
    check(posted === 0, `bad seeds were sent to the API (${posted} requests)`);
    report.badSeed = line.text;

    await page.fill('#seed', '7');
    const png = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = model.width; // eslint-disable-line no-undef
      c.height = model.height; // eslint-disable-line no-undef
      const g = c.getContext('2d');
      g.fillStyle = 'rgb(255,0,255)';
      g.fillRect(0, 0, c.width, c.height);
      return c.toDataURL('image/png').split(',')[1];
    });
    await page.setInputFiles('#upload', { name: 'magenta.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
    await page.waitForFunction(() => {
      const d = document.getElementById('paint').getContext('2d').getImageData(0, 0, 1, 1).data;
      return d[0] === 255 && d[1] === 0 && d[2] === 255;
    });
    const ex = await generateBy(page, () => page.click('#generate'));
    line = await statusLine(page);
    check(ex.status === 400 && line.error && line.text.startsWith('LAYOUT_UNKNOWN_CLASS'),
      `a layout in an unknown colour: API ${ex.status}, the page shows "${line.text}" (error: ${line.error})`);
    check((await grid(page)).map((f) => f.png).join() === before.map((f) => f.png).join(), 'a refused request cleared the grid');
    report.unknownColour = line.text;
  });
}
