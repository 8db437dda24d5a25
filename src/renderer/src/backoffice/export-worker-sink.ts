// The export worker as an ExportSink: each page is posted to the worker and answered before the next one is read.
import { localSink, type ExportSink, type WorkerAnswer, type WorkerJob } from './export-sink';
import ExportWorker from './export-worker?worker';

/** The writer in a Web Worker, one message answered before the next is sent. */
export function workerSink(): ExportSink {
  if (typeof Worker === 'undefined') return localSink();
  const worker = new ExportWorker();
  let waiting: { resolve: (answer: WorkerAnswer) => void; reject: (error: Error) => void } | null = null;
  worker.onmessage = (event: MessageEvent<WorkerAnswer>) => {
    const w = waiting;
    waiting = null;
    if (!w) return;
    if (event.data.type === 'error') w.reject(new Error(event.data.message));
    else w.resolve(event.data);
  };
  worker.onerror = (event) => {
    const w = waiting;
    waiting = null;
    w?.reject(new Error(event.message));
  };
  const send = (job: WorkerJob) =>
    new Promise<WorkerAnswer>((resolve, reject) => {
      waiting = { resolve, reject };
      worker.postMessage(job);
    });
  return {
    async start(format, sheet, columns) {
      await send({ type: 'start', format, sheet, columns });
    },
    async append(rows) {
      await send({ type: 'page', rows });
    },
    async finish() {
      const answer = await send({ type: 'finish' });
      worker.terminate();
      if (answer.type !== 'done') throw new Error('the export worker answered out of turn');
      return answer.file;
    },
    abort() {
      worker.terminate();
      waiting?.reject(new DOMException('export cancelled', 'AbortError'));
      waiting = null;
    },
  };
}
