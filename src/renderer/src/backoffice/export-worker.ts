// The export worker: builds CSV or XLSX bytes off the desk's thread, so a large export never stalls a scan.
import { toFile, type ExportFormat, type TableData } from './table-file';

interface Job {
  format: ExportFormat;
  data: TableData;
}

self.onmessage = async (event: MessageEvent<Job>) => {
  try {
    const bytes = await toFile(event.data.format, event.data.data);
    (self as unknown as Worker).postMessage({ ok: true, bytes }, [bytes]);
  } catch (error) {
    (self as unknown as Worker).postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
};
