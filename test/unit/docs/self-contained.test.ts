// The repository stands alone: no file of the project points to a file outside it (the platform facts the code
// relies on are restated in docs/platform.md and docs/waybill-numbers.md), and the docs' own links resolve.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const SELF = path.relative(ROOT, __filename);
const TEXT = /\.(ts|mts|mjs|js|vue|md|json|yml|yaml|html|css)$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && TEXT.test(entry.name)) out.push(full);
  }
  return out;
}

const files = [...['src', 'test', 'docs', 'scripts', 'bench'].flatMap((d) => walk(path.join(ROOT, d))), path.join(ROOT, 'README.md')]
  .filter((f) => path.relative(ROOT, f) !== SELF)
  .map((f) => ({ rel: path.relative(ROOT, f), dir: path.dirname(f), text: fs.readFileSync(f, 'utf8') }));

const inside = (target: string) => {
  const rel = path.relative(ROOT, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Every hit of `pattern` in the tree, as "file:line: text". */
function hits(pattern: RegExp, keep: (match: RegExpExecArray, file: (typeof files)[number]) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const file of files) {
    const lines = file.text.split('\n');
    lines.forEach((line, index) => {
      const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
      for (let m = re.exec(line); m; m = re.exec(line)) if (keep(m, file)) out.push(`${file.rel}:${index + 1}: ${line.trim()}`);
    });
  }
  return out;
}

describe('the repository stands alone', () => {
  it('scans a real tree (the walk found the sources and the docs)', () => {
    const names = files.map((f) => f.rel);
    expect(names).toContain(path.join('docs', 'platform.md'));
    expect(names).toContain(path.join('src', 'main', 'core', 'platform', 'client.ts'));
    expect(files.length).toBeGreaterThan(100);
  });

  it('names no reference file kept outside the repository', () => {
    // Built from pieces so this file does not match itself.
    const outside = new RegExp(['kuaishou' + '\\.md', '/work/' + 'shared', 'shared/' + 'platform'].join('|'));
    expect(hits(outside)).toEqual([]);
  });

  it('has no relative path that climbs out of the repository', () => {
    const climbing = hits(/(?:\.\.\/)+[\w@.-][\w@./-]*/, (m, file) => !inside(path.resolve(file.dir, m[0])));
    expect(climbing).toEqual([]);
  });

  it('uses no name that reads as the outside references (a waybills doc, a shared folder climbed into)', () => {
    // Our own waybill doc is docs/waybill-numbers.md and the pure layer is src/common: neither can be mistaken
    // for the reference files that sit beside the repository.
    expect(hits(new RegExp(['waybills' + '\\.md', '\\.\\./' + 'shared\\b'].join('|')))).toEqual([]);
  });

  it('links only docs that exist', () => {
    const markdown = files.filter((f) => f.rel.endsWith('.md'));
    const broken: string[] = [];
    for (const file of markdown)
      for (const m of file.text.matchAll(/\]\(([^)#\s]+\.md)(?:#[^)]*)?\)/g)) {
        const target = path.resolve(file.dir, m[1]!);
        if (!inside(target) || !fs.existsSync(target)) broken.push(`${file.rel}: ${m[1]}`);
      }
    expect(broken).toEqual([]);
  });
});
