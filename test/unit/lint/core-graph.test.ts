// The import graph: no two folders of the core import each other, no circle of folders, no import circle in the main process.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE, MAIN_FOLDERS, circles, folderEdges, folderGraph, importGraph, importsOf, twoWayTies } from '../../../scripts/import-graph';

const root = path.resolve(__dirname, '../../..');
const graph = importGraph(root, MAIN_FOLDERS);
const edges = folderEdges(graph, CORE);

describe('import graph of the main process', () => {
  it('reads the imports it is meant to check', () => {
    expect(graph.get(`${CORE}/core.ts`)?.length).toBeGreaterThan(3);
    expect([...edges.keys()].length).toBeGreaterThan(5);
  });

  it('has no two folders of the core importing each other', () => {
    const ties = twoWayTies(edges);
    const why = ties.map((tie) => {
      const [a, b] = tie.split(' <-> ') as [string, string];
      return `${tie}: ${[...edges.get(a)!.get(b)!, ...edges.get(b)!.get(a)!].join('; ')}`;
    });
    expect(why).toEqual([]);
  });

  it('has no import circle between files at run time', () => {
    expect(circles(importGraph(root, MAIN_FOLDERS, { runtimeOnly: true }))).toEqual([]);
  });

  it('has no circle between folders of the core', () => {
    expect(circles(folderGraph(edges))).toEqual([]);
  });
});

describe('the graph checks themselves', () => {
  it('tells imports erased at run time from the others', () => {
    const code = [
      "import type { A } from './a';",
      "import { type B, type C } from './b';",
      "import { D, type E } from './d';",
      "export type { F } from './f';",
      "export * from './g';",
      "const h = () => import('./h');",
      "declare module './i' { interface I { x: number } }",
      "import fs from 'node:fs';",
    ].join('\n');
    expect(importsOf(code)).toEqual([
      { specifier: './a', typeOnly: true },
      { specifier: './b', typeOnly: true },
      { specifier: './d', typeOnly: false },
      { specifier: './f', typeOnly: true },
      { specifier: './g', typeOnly: false },
      { specifier: './h', typeOnly: false },
      { specifier: './i', typeOnly: true },
    ]);
  });

  const fake = (pairs: [string, string][]) => {
    const g = new Map<string, string[]>();
    for (const [from, to] of pairs) {
      g.set(from, [...(g.get(from) ?? []), to]);
      if (!g.has(to)) g.set(to, []);
    }
    return g;
  };

  it('finds a two-way tie between folders and names the files', () => {
    const e = folderEdges(
      fake([
        ['c/a/x.ts', 'c/b/y.ts'],
        ['c/b/z.ts', 'c/a/w.ts'],
        ['c/a/x.ts', 'c/d/q.ts'],
      ]),
      'c',
    );
    expect(twoWayTies(e)).toEqual(['a <-> b']);
    expect(e.get('b')?.get('a')).toEqual(['c/b/z.ts -> c/a/w.ts']);
  });

  it('finds a circle of three and ignores a chain', () => {
    expect(
      circles(
        fake([
          ['a', 'b'],
          ['b', 'c'],
          ['c', 'a'],
          ['c', 'd'],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(
      circles(
        fake([
          ['a', 'b'],
          ['b', 'c'],
        ]),
      ),
    ).toEqual([]);
  });

  it('finds a folder circle that no single pair shows', () => {
    const e = folderEdges(
      fake([
        ['c/a/1.ts', 'c/b/1.ts'],
        ['c/b/2.ts', 'c/d/1.ts'],
        ['c/d/2.ts', 'c/a/2.ts'],
      ]),
      'c',
    );
    expect(twoWayTies(e)).toEqual([]);
    expect(circles(folderGraph(e))).toEqual([['a', 'b', 'd']]);
  });
});
