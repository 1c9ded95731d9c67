// Only for the TypeScript sources (see plan-runner.ts): a worker thread runs plain JavaScript, so
// this file teaches it TypeScript (tsx) before loading the plan worker. Compiled code starts
// plan-worker.js directly.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
