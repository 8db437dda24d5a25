// The repository stands alone: no file of the project points to a file outside it (the platform facts the code
// relies on are restated in docs/platform.md and docs/waybill-numbers.md), and the docs' own links resolve. What
// sits beside the repository is read from the disk, so this file names none of it.
import fs from 'node:fs';
import os from 'node:os';
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

/** What sits beside the repository (its parent's other folders): the folders, their children and file names. */
function besideRepository(root: string): { parent: string; folders: string[]; children: string[]; fileNames: string[] } {
  const parent = path.dirname(root);
  const folders = fs
    .readdirSync(parent, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== path.basename(root) && e.name !== 'node_modules')
    .map((e) => e.name);
  const children: string[] = [];
  const fileNames = new Set<string>();
  const collect = (dir: string, depth: number, budget: { left: number }) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (budget.left-- <= 0 || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      if (entry.isFile() && /\.(md|json)$/.test(entry.name)) fileNames.add(entry.name);
      else if (entry.isDirectory() && depth < 3) collect(path.join(dir, entry.name), depth + 1, budget);
    }
  };
  for (const folder of folders) {
    const dir = path.join(parent, folder);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }))
      if (!entry.name.startsWith('.')) children.push(`${folder}/${entry.name}`);
    collect(dir, 1, { left: 500 });
  }
  return { parent, folders, children, fileNames: [...fileNames] };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Any mention of what sits beside the repository; file names the repository has itself (README.md) are its own. */
function outsidePattern(beside: ReturnType<typeof besideRepository>, repositoryNames: Set<string>): RegExp {
  const names = [
    ...beside.folders.map((folder) => escape(path.join(beside.parent, folder))),
    ...beside.children.map((child) => `\\b${escape(child)}\\b`),
    ...beside.fileNames.filter((name) => !repositoryNames.has(name)).map((name) => `\\b${escape(name)}`),
  ];
  return names.length > 0 ? new RegExp(names.join('|')) : /(?!)/;
}

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

  it('names nothing kept beside the repository (read from the disk, so this file names none of it either)', () => {
    const beside = besideRepository(ROOT);
    const repositoryNames = new Set(files.map((f) => path.basename(f.rel)));
    expect(hits(outsidePattern(beside, repositoryNames))).toEqual([]);
  });

  it('the check above finds a path into a folder beside the repository, that folder and child, and a file name from it', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-beside-'));
    try {
      fs.mkdirSync(path.join(parent, 'repo'));
      fs.mkdirSync(path.join(parent, 'notes', 'facts'), { recursive: true });
      fs.writeFileSync(path.join(parent, 'notes', 'facts', 'protocol-facts.md'), '');
      fs.writeFileSync(path.join(parent, 'notes', 'README.md'), '');
      const pattern = outsidePattern(besideRepository(path.join(parent, 'repo')), new Set(['README.md']));
      const found = (text: string) => new RegExp(pattern.source).test(text);
      expect(found(`see ${path.join(parent, 'notes')}/x`)).toBe(true);
      expect(found('as notes/facts says')).toBe(true);
      expect(found('the signing rules (protocol-facts.md)')).toBe(true);
      expect(found('docs/platform.md and README.md')).toBe(false);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  it('has no relative path that climbs out of the repository', () => {
    const climbing = hits(/(?:\.\.\/)+[\w@.-][\w@./-]*/, (m, file) => !inside(path.resolve(file.dir, m[0])));
    expect(climbing).toEqual([]);
  });

  it('climbs into no folder named like one beside the repository, even one of its own', () => {
    // Our pure layer is src/common and our waybill doc docs/waybill-numbers.md: an import reading `../<name>` of a
    // folder beside the repository would read as a reference outside it even where it resolves inside.
    const { folders } = besideRepository(ROOT);
    const pattern = folders.length > 0 ? new RegExp(`\\.\\./(?:${folders.map(escape).join('|')})\\b`) : /(?!)/;
    expect(hits(pattern)).toEqual([]);
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
