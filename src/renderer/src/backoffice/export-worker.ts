// The export worker: builds the CSV or XLSX off the desk's thread, one page at a time as the desk reads them, so a
// large export never stalls a scan and the desk's thread never holds more than the page it is reading.
import { tableWriter, type TableWriter } from './table-file';
import type { WorkerAnswer, WorkerJob } from './export-sink';

let writer: TableWriter | null = null;
let written = 0;
const answer = (message: WorkerAnswer) => (self as unknown as Worker).postMessage(message);

self.onmessage = async (event: MessageEvent<WorkerJob>) => {
  const job = event.data;
  try {
    if (job.type === 'start') {
      writer = await tableWriter(job.format, job.sheet, job.columns);
      written = 0;
      answer({ type: 'appended', rows: 0 });
    } else if (job.type === 'page') {
      if (!writer) throw new Error('export page before its start');
      writer.append(job.rows);
      written += job.rows.length;
      answer({ type: 'appended', rows: written });
    } else {
      if (!writer) throw new Error('export finished before its start');
      const file = await writer.finish();
      writer = null;
      answer({ type: 'done', file });
    }
  } catch (error) {
    answer({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
