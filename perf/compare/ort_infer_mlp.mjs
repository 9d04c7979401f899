// ONNX Runtime (npm onnxruntime-node, CPU execution provider) reference for the inference figures.
// Loads the MLP exported by torch_infer.py --export (or write_mlp_onnx.py) and, for 1 and 2 intra-op threads, times batch-1 calls
// individually (>= 3000) and batch-256 throughput. Prints e.g.
//
//     ort.infer.mlp.b1.p50_us 26.4 us
//
// Usage: node perf/compare/ort_infer_mlp.mjs [model.onnx] [--calls 5000] [--seconds 2] [--threads 1,2]
//
// Node's binding runs each call asynchronously (a promise per call), which adds a few microseconds compared with
// calling ONNX Runtime from C or C#: read batch-1 figures as an upper bound on ONNX Runtime's own latency.

import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ort from 'onnxruntime-node';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const modelPath = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')))
  ?? path.join(here, 'mlp.onnx');
const calls = Number(option('--calls', '5000'));
const seconds = Number(option('--seconds', '2'));
const threadCounts = option('--threads', '1,2').split(',').map(Number);
if (!(calls >= 3000)) throw new Error(`--calls must be at least 3000 for a meaningful p99; got ${calls}`);

const INPUTS = 784;

function input(batch) {
  // Fixed pseudo-random values in [0, 1), like scaled pixels.
  const data = new Float32Array(batch * INPUTS);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (s >>> 8) / 16777216;
  }
  return { input: new ort.Tensor('float32', data, [batch, INPUTS]) };
}

function percentile(sorted, q) {
  const rank = Math.max(1, Math.min(sorted.length, Math.ceil((q * sorted.length) / 100)));
  return sorted[rank - 1];
}

const fmt = (v) => Number(v.toPrecision(4));

async function measure(threads) {
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const tag = threads === 1 ? '' : `.t${threads}`;

  const one = input(1);
  for (let i = 0; i < Math.max(200, calls / 10); i++) await session.run(one);
  const lat = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const start = process.hrtime.bigint();
    await session.run(one);
    lat[i] = Number(process.hrtime.bigint() - start) / 1e3;
  }
  lat.sort();
  for (const q of [50, 90, 99]) console.log(`ort.infer.mlp.b1${tag}.p${q}_us ${fmt(percentile(lat, q))} us`);
  console.log(`ort.infer.mlp.b1${tag}.max_us ${fmt(lat[lat.length - 1])} us`);

  const big = input(256);
  for (let i = 0; i < 20; i++) await session.run(big);
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (runs < 20 || elapsed < seconds) {
    await session.run(big);
    runs++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  console.log(`ort.infer.mlp.b256${tag}.samples_per_s ${Math.round((runs * 256) / elapsed)} samples/s`);
  await session.release();
}

console.log(`# onnxruntime-node ${ort.env.versions?.common ?? ''} node ${process.version} model ${modelPath}`);
for (const threads of threadCounts) await measure(threads);
