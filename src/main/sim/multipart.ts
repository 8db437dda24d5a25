// Reading a multipart/form-data gateway request: text fields and file parts, parsed by the runtime's own FormData.
import type { FastifyInstance } from 'fastify';
import type { UploadedFile } from './evidence';
import { IMAGE_MAX_BYTES } from './evidence';

export interface MultipartBody {
  multipart: true;
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
  /** A field or file name sent twice: the request is malformed, as a repeated form key is. */
  repeated: boolean;
}

export function isMultipartBody(body: unknown): body is MultipartBody {
  return typeof body === 'object' && body !== null && (body as { multipart?: unknown }).multipart === true;
}

/** Registers the parser; bodies past the limit get Fastify's 413 before any handler runs. */
export function acceptMultipart(app: FastifyInstance): void {
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: IMAGE_MAX_BYTES + 64 * 1024 },
    async (req: { headers: Record<string, string | string[] | undefined> }, raw: Buffer | string) => {
      const type = String(req.headers['content-type'] ?? '');
      const form = await new Response(new Uint8Array(typeof raw === 'string' ? Buffer.from(raw) : raw), {
        headers: { 'content-type': type },
      }).formData();
      const out: MultipartBody = { multipart: true, fields: {}, files: {}, repeated: false };
      for (const [key, value] of form.entries()) {
        if (key in out.fields || key in out.files) out.repeated = true;
        if (typeof value === 'string') out.fields[key] = value;
        else out.files[key] = { bytes: Buffer.from(await value.arrayBuffer()), contentType: value.type, filename: value.name };
      }
      return out;
    },
  );
}
