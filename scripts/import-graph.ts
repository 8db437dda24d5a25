// The import graph of the main process: who imports whom, the folder ties of the core, and any import circle.
// Folder ties count every import, types too; file circles count what is imported at run time (load order).
// `npx tsx scripts/import-graph.ts` prints the core's folder graph; test/unit/lint/core-graph.test.ts enforces it.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** file (repository path) -> the repository files it imports (static, re-export, type-only, dynamic, require). */
export type ImportGraph = Map<string, string[]>;

const SOURCE = /\.(ts|mts)$/;
const toPosix = (file: string) => file.split(path.sep).join('/');

function sourceFiles(root: string, folder: string): string[] {
  const absolute = path.join(root, folder);
  if (!fs.existsSync(absolute)) return [];
  return fs.readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const child = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(root, child);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [child] : [];
  });
}

function resolveRelative(root: string, from: string, specifier: string): string | null {
  const base = toPosix(path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)));
  for (const candidate of [base, `${base}.ts`, `${base}.mts`, `${base}/index.ts`]) {
    const absolute = path.join(root, candidate);
    if (fs.existsSync(absolute) && fs.statSync(absolute).isFile()) return candidate;
  }
  return null;
}

/** The relative module specifiers of one source file, each marked type-only (erased at run time) or not. */
export function importsOf(code: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile('file.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const add = (node: ts.Node | undefined, typeOnly: boolean) => {
    if (node && ts.isStringLiteralLike(node)) found.push({ specifier: node.text, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const allTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            bindings !== undefined &&
            ts.isNamedImports(bindings) &&
            bindings.elements.length > 0 &&
            bindings.elements.every((element) => element.isTypeOnly)));
      add(node.moduleSpecifier, allTypes);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      add(node.name, true); // `declare module '../context/context'`: a folder adding its slice to a type
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    } else if (ts.isCallExpression(node)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isDynamicImport || isRequire) add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((entry) => entry.specifier.startsWith('.'));
}

/**
 * Every relative import of the `.ts` files under `folders` (repository paths), resolved to repository files.
 * With `runtimeOnly`, imports erased at run time (`import type`, `declare module`) are left out.
 */
export function importGraph(root: string, folders: string[], options: { runtimeOnly?: boolean } = {}): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of folders.flatMap((folder) => sourceFiles(root, folder))) {
    const targets = importsOf(fs.readFileSync(path.join(root, file), 'utf8'))
      .filter((entry) => !(options.runtimeOnly && entry.typeOnly))
      .map((entry) => resolveRelative(root, file, entry.specifier))
      .filter((target): target is string => target !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The folder of `file` directly under `base` ('(root)' for a file lying in `base` itself), or null outside it. */
export function folderOf(base: string, file: string): string | null {
  if (!file.startsWith(`${base}/`)) return null;
  const rest = file.slice(base.length + 1).split('/');
  return rest.length > 1 ? rest[0]! : '(root)';
}

/** Folder -> folder edges under `base`, each with the file imports that make it. */
export function folderEdges(graph: ImportGraph, base: string): Map<string, Map<string, string[]>> {
  const edges = new Map<string, Map<string, string[]>>();
  for (const [file, targets] of graph) {
    const from = folderOf(base, file);
    if (from === null) continue;
    for (const target of targets) {
      const to = folderOf(base, target);
      if (to === null || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      const reasons = edges.get(from)!;
      reasons.set(to, [...(reasons.get(to) ?? []), `${file} -> ${target}`]);
    }
  }
  return edges;
}

/** Pairs of folders that import each other, as "a <-> b" (a < b). */
export function twoWayTies(edges: Map<string, Map<string, string[]>>): string[] {
  const ties: string[] = [];
  for (const [from, targets] of edges) {
    for (const to of targets.keys()) if (from < to && edges.get(to)?.has(from)) ties.push(`${from} <-> ${to}`);
  }
  return ties.sort();
}

/** The strongly connected components with more than one node (Tarjan): each is an import circle. */
export function circles(graph: Map<string, Iterable<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || [...(graph.get(node) ?? [])].includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** The folder graph under `base` as adjacency sets, for `circles`. */
export function folderGraph(edges: Map<string, Map<string, string[]>>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [from, targets] of edges) {
    if (!graph.has(from)) graph.set(from, new Set());
    for (const to of targets.keys()) {
      graph.get(from)!.add(to);
      if (!graph.has(to)) graph.set(to, new Set());
    }
  }
  return graph;
}

export const CORE = 'src/main/core';
/** Where "no circle anywhere" is checked: the main process and what it shares with the renderer. */
export const MAIN_FOLDERS = ['src/main', 'src/common', 'src/preload'];

if (process.argv[1] && import.meta.url.endsWith(toPosix(process.argv[1]))) {
  const root = path.resolve(import.meta.dirname, '..');
  const edges = folderEdges(importGraph(root, MAIN_FOLDERS), CORE);
  for (const [from, targets] of [...edges].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${from} -> ${[...targets.keys()].sort().join(', ')}`);
  }
  console.log('two-way ties:', twoWayTies(edges));
  console.log('folder circles:', circles(folderGraph(edges)));
  console.log('file circles (run time):', circles(importGraph(root, MAIN_FOLDERS, { runtimeOnly: true })));
}
