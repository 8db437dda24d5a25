// Contract of the app.* methods: what the status bar and diagnostics read.
import { z } from 'zod';
import { defineMethods } from './define';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  databasePath: z.string(),
  schemaVersion: z.number().int(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  transport: z.enum(['ipc', 'http']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appMethods = defineMethods({
  'app.info': { permission: 'public', changesState: false, input: z.object({}).strict(), output: appInfoSchema },
});
