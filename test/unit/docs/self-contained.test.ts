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

interface Beside {
  parent: string;
  /** Every folder beside the repository (for the `../<folder>` check). */
  folders: Set<string>;
  /** `folder/child` of the reference folders: those holding a .md file at their top (not, say, a test's data dir). */
  children: Set<string>;
  /** The .md and .json file names inside the reference folders (three levels, 500 entries each at most). */
  fileNames: Set<string>;
}

// A checkout may sit in a busy folder (a temporary directory with thousands of others): only folders that look like
// documentation are read in depth, and the tree is matched by looking its words up in sets, never by one regex of
// every name (that took minutes beside /tmp's 15,000 folders).
function besideRepository(root: string): Beside {
  const parent = path.dirname(root);
  const folders = fs
    .readdirSync(parent, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== path.basename(root) && e.name !== 'node_modules')
    .map((e) => e.name);
  const children = new Set<string>();
  const fileNames = new Set<string>();
  const documentation = /\.(md|json)$/;
  const collect = (dir: string, depth: number, budget: { left: number }) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (budget.left-- <= 0 || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      if (entry.isFile() && documentation.test(entry.name)) fileNames.add(entry.name);
      else if (entry.isDirectory() && depth < 3) collect(path.join(dir, entry.name), depth + 1, budget);
    }
  };
  for (const folder of folders) {
    const dir = path.join(parent, folder);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // not ours to read
    }
    if (!entries.some((e) => e.isFile() && e.name.endsWith('.md'))) continue;
    for (const entry of entries) if (!entry.name.startsWith('.')) children.add(`${folder}/${entry.name}`);
    collect(dir, 1, { left: 500 });
  }
  return { parent, folders: new Set(folders), children, fileNames };
}

/** Runs of path-like words ("a/b.md", "../x/y"), each split into its segments. */
function pathRuns(text: string): { segments: string[] }[] {
  return [...text.matchAll(/[\w.@-]+(?:\/[\w.@-]+)*/g)].map((m) => ({ segments: m[0].split('/') }));
}

/** What in `text` names something beside the repository: a path into it, a folder/child of it, one of its file names. */
function outsideMentions(text: string, beside: Beside, repositoryNames: Set<string>): string[] {
  const found: string[] = [];
  const parentSegments = beside.parent.split('/').filter(Boolean);
  for (const { segments } of pathRuns(text)) {
    segments.forEach((segment, i) => {
      if (beside.fileNames.has(segment) && !repositoryNames.has(segment)) found.push(segment);
      const pair = `${segment}/${segments[i + 1]}`;
      if (i + 1 < segments.length && beside.children.has(pair)) found.push(pair);
      const follows = parentSegments.every((p, k) => segments[i - parentSegments.length + k] === p);
      if (i >= parentSegments.length && follows && beside.folders.has(segment)) found.push(`${beside.parent}/${segment}`);
    });
  }
  return found;
}

/** Every line of the tree for which `find` finds something, as "file:line: text". */
function hits(find: (line: string, file: (typeof files)[number]) => boolean): string[] {
  const out: string[] = [];
  for (const file of files) {
    file.text.split('\n').forEach((line, index) => {
      if (find(line, file)) out.push(`${file.rel}:${index + 1}: ${line.trim()}`);
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
    expect(hits((line) => outsideMentions(line, beside, repositoryNames).length > 0)).toEqual([]);
  });

  it('the check above finds a path into a folder beside the repository, that folder and child, and a file name from it', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-beside-'));
    try {
      fs.mkdirSync(path.join(parent, 'repo'));
      fs.mkdirSync(path.join(parent, 'notes', 'facts'), { recursive: true });
      fs.writeFileSync(path.join(parent, 'notes', 'facts', 'protocol-facts.md'), '');
      fs.writeFileSync(path.join(parent, 'notes', 'README.md'), '');
      const beside = besideRepository(path.join(parent, 'repo'));
      const found = (text: string) => outsideMentions(text, beside, new Set(['README.md'])).length > 0;
      expect(found(`see ${path.join(parent, 'notes')}/x`)).toBe(true);
      expect(found('as notes/facts says')).toBe(true);
      expect(found('the signing rules (protocol-facts.md)')).toBe(true);
      expect(found('docs/platform.md and README.md')).toBe(false);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  it('has no relative path that climbs out of the repository', () => {
    const climbing = hits((line, file) =>
      [...line.matchAll(/(?:\.\.\/)+[\w@.-][\w@./-]*/g)].some((m) => !inside(path.resolve(file.dir, m[0]))),
    );
    expect(climbing).toEqual([]);
  });

  it('climbs into no folder named like one beside the repository, even one of its own', () => {
    // Our pure layer is src/common and our waybill doc docs/waybill-numbers.md: an import reading `../<name>` of a
    // folder beside the repository would read as a reference outside it even where it resolves inside.
    const { folders } = besideRepository(ROOT);
    const climbsInto = (line: string) =>
      pathRuns(line).some(({ segments }) => segments.some((segment, i) => segments[i - 1] === '..' && folders.has(segment)));
    expect(hits(climbsInto)).toEqual([]);
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
