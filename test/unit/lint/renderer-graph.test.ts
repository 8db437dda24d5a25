// The renderer's import graph: no two feature folders import each other, no circle of folders, no circle of files.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse as parseSfc } from 'vue/compiler-sfc';
import { circles } from '../../../scripts/import-graph';

const RENDERER = path.resolve(__dirname, '../../../src/renderer/src');
const SOURCE = /\.(ts|vue|css)$/;
const RESOLVE_ORDER = ['', '.ts', '.vue', '/index.ts'];

/** File → the renderer files it imports (repository-relative to RENDERER, posix separators). */
type Graph = Map<string, Set<string>>;

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** Every module specifier of a file: static and dynamic imports, re-exports, import type, `<style src>`. */
function specifiersOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.css')) return [];
  const scripts: string[] = [];
  const styles: string[] = [];
  if (file.endsWith('.vue')) {
    const { descriptor } = parseSfc(text, { filename: file });
    for (const block of [descriptor.script, descriptor.scriptSetup]) if (block) scripts.push(block.content);
    for (const style of descriptor.styles) if (style.src) styles.push(style.src);
  } else {
    scripts.push(text);
  }
  const imported = scripts.flatMap((code) => ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName));
  return [...imported, ...styles];
}

function resolveSpecifier(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null; // packages and src/common are outside the renderer's folders
  const base = path.resolve(path.dirname(from), specifier);
  for (const suffix of RESOLVE_ORDER) {
    const candidate = base + suffix;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

function rendererGraph(root = RENDERER): Graph {
  const graph: Graph = new Map();
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  for (const file of listFiles(root)) {
    const targets = new Set<string>();
    for (const specifier of specifiersOf(file)) {
      const target = resolveSpecifier(file, specifier);
      if (target && (target === root || target.startsWith(root + path.sep))) targets.add(relative(target));
    }
    graph.set(relative(file), targets);
  }
  return graph;
}

/** The top-level folder a file belongs to; files directly in src/renderer/src (the entry) form the folder ".". */
const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');

/** Folder → folders it imports, with one example file edge per folder pair (for the message). */
function folderEdges(graph: Graph): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    for (const target of targets) {
      const to = folderOf(target);
      if (from === to) continue;
      const row = edges.get(from) ?? new Map<string, string>();
      if (!row.has(to)) row.set(to, `${file} → ${target}`);
      edges.set(from, row);
    }
  }
  return edges;
}

/** Every problem of the graph, as readable lines; empty when the graph is clean. */
function graphProblems(graph: Graph): string[] {
  const problems: string[] = [];
  const folders = folderEdges(graph);
  for (const [from, row] of folders) {
    for (const [to, example] of row) {
      const back = folders.get(to)?.get(from);
      if (back && from < to) problems.push(`two-way tie ${from} ↔ ${to}: ${example}; ${back}`);
    }
  }
  const folderGraph = new Map([...folders].map(([from, row]) => [from, new Set(row.keys())]));
  for (const circle of circles(folderGraph)) if (circle.length > 2) problems.push(`circle of folders: ${circle.join(' → ')}`);
  for (const circle of circles(graph)) problems.push(`circle of files: ${circle.join(' → ')}`);
  return problems;
}

const graphOf = (edges: Record<string, string[]>): Graph => new Map(Object.entries(edges).map(([file, to]) => [file, new Set(to)]));

describe('renderer import graph checker', () => {
  it('finds a two-way tie between folders even without a circle of files', () => {
    const problems = graphProblems(
      graphOf({ 'desk/a.ts': ['stores/b.ts'], 'stores/b.ts': [], 'stores/c.ts': ['desk/d.ts'], 'desk/d.ts': [] }),
    );
    expect(problems).toEqual(['two-way tie desk ↔ stores: desk/a.ts → stores/b.ts; stores/c.ts → desk/d.ts']);
  });

  it('finds a circle of three folders and a circle of files', () => {
    const problems = graphProblems(graphOf({ 'a/x.ts': ['b/y.ts'], 'b/y.ts': ['c/z.ts'], 'c/z.ts': ['a/x.ts'] }));
    expect(problems).toEqual(['circle of folders: a → b → c', 'circle of files: a/x.ts → b/y.ts → c/z.ts']);
  });

  it('finds a circle of files inside one folder and a file importing itself', () => {
    expect(graphProblems(graphOf({ 'desk/a.ts': ['desk/b.ts'], 'desk/b.ts': ['desk/a.ts'], 'ui/c.ts': ['ui/c.ts'] }))).toEqual([
      'circle of files: desk/a.ts → desk/b.ts',
      'circle of files: ui/c.ts',
    ]);
  });

  it('accepts a layered graph', () => {
    expect(graphProblems(graphOf({ 'app/a.ts': ['desk/b.ts', 'ui/c.ts'], 'desk/b.ts': ['ui/c.ts'], 'ui/c.ts': [] }))).toEqual([]);
  });

  it('reads every kind of import of a renderer file, .vue blocks and <style src> included', () => {
    const graph = rendererGraph();
    expect(graph.size).toBeGreaterThan(40);
    const edges = [...graph.values()].reduce((sum, targets) => sum + targets.size, 0);
    expect(edges).toBeGreaterThan(graph.size);
    expect([...graph.values()].some((targets) => [...targets].some((t) => t.endsWith('.css')))).toBe(true);
    // main.ts reaches the root component; a .vue file's <script setup> imports are read.
    expect([...graph.get('main.ts')!].some((target) => target.endsWith('App.vue'))).toBe(true);
    expect([...graph].some(([file, targets]) => file.endsWith('.vue') && [...targets].some((t) => t.endsWith('.ts')))).toBe(true);
  });
});

describe('src/renderer', () => {
  it('has no two-way folder ties, no circle of folders and no circle of files', () => {
    expect(graphProblems(rendererGraph())).toEqual([]);
  });
});
