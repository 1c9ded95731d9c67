// A worker thread runs plain JavaScript: this file teaches it TypeScript (tsx) before loading the
// plan worker, so the same worker starts under `npm start`, under vitest and from compiled code.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
