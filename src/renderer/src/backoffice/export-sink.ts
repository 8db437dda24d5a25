// Where an export's pages go to become a file, one page at a time: the protocol of the export worker
// (export-worker-sink.ts) and the same writer in this thread (tests, and a desk without Worker support).
import { tableWriter, type Cell, type ExportColumn, type ExportFormat, type TableWriter } from './table-file';

export type WorkerJob =
  | { type: 'start'; format: ExportFormat; sheet: string; columns: ExportColumn[] }
  | { type: 'page'; rows: Record<string, Cell>[] }
  | { type: 'finish' };
export type WorkerAnswer = { type: 'appended'; rows: number } | { type: 'done'; file: Blob } | { type: 'error'; message: string };

export interface ExportSink {
  start(format: ExportFormat, sheet: string, columns: ExportColumn[]): Promise<void>;
  /** Resolves once the page is in the file (the caller reads the next page only then: one page in flight). */
  append(rows: Record<string, Cell>[]): Promise<void>;
  finish(): Promise<Blob>;
  /** Drops the half-built file (a cancelled or failed export). */
  abort(): void;
}

/** The writer in this thread. */
export function localSink(): ExportSink {
  let writer: TableWriter | null = null;
  return {
    async start(format, sheet, columns) {
      writer = await tableWriter(format, sheet, columns);
    },
    async append(rows) {
      writer!.append(rows);
    },
    finish: () => writer!.finish(),
    abort() {
      writer = null;
    },
  };
}
