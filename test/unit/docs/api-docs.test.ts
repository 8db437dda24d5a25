// docs/api.md is generated from the contract; this fails when a method changes without regenerating it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { methodNames } from '../../../src/common/contract';
import { renderApiDocs } from '../../../scripts/api-docs';

describe('docs/api.md', () => {
  it('is current (regenerate: npx tsx scripts/api-docs.ts > docs/api.md)', () => {
    const onDisk = fs.readFileSync(path.resolve(__dirname, '../../../docs/api.md'), 'utf8');
    expect(onDisk).toBe(renderApiDocs());
  });

  it('documents every method of the contract', () => {
    const docs = renderApiDocs();
    for (const method of methodNames) expect(docs).toContain(`### \`${method}\``);
  });
});
