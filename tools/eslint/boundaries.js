// ESLint rule `earshot/boundaries`: code is placed by the runtime it needs (ARCHITECTURE.md,
// "Import rules"). Each folder may import only the folders and packages its runtime allows.
import { builtinModules } from 'node:module';
import path from 'node:path';

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Layers in match order (most specific first): a repo-relative path prefix and what it may import. */
const LAYERS = [
  { name: 'shared', prefix: 'shared/', ours: ['shared'], packages: ['zod'], node: false, electron: false },
  { name: 'renderer', prefix: 'renderer/', ours: ['renderer', 'shared'], packages: 'any', node: false, electron: false },
  { name: 'main/electron', prefix: 'main/electron/', ours: ['main', 'shared'], packages: 'any', node: true, electron: true },
  { name: 'main/preload', prefix: 'main/preload/', ours: ['main/preload', 'shared'], packages: 'any', node: false, electron: true },
  { name: 'main/services', prefix: 'main/services/', ours: ['main/services', 'main/db', 'shared'], packages: 'any', node: true, electron: false },
  { name: 'main/db', prefix: 'main/db/', ours: ['main/db', 'main/services', 'shared'], packages: 'any', node: true, electron: false },
  { name: 'main/web-host', prefix: 'main/web-host/', ours: ['main/web-host', 'main/services', 'main/db', 'shared'], packages: 'any', node: true, electron: false },
  { name: 'server', prefix: 'server/', ours: ['server', 'shared'], packages: 'any', node: true, electron: false },
];

const layerOf = (rel) => LAYERS.find((l) => rel === l.prefix.slice(0, -1) || rel.startsWith(l.prefix));
const inFolder = (rel, folder) => rel === folder || rel.startsWith(`${folder}/`);
const packageName = (source) =>
  source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];

export const boundariesRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import boundaries between shared, renderer, main and server.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      ours: "{{layer}} must not import '{{source}}' ({{target}}): it may import only {{allowed}}.",
      node: "{{layer}} must not import the Node built-in '{{source}}': it runs without Node APIs.",
      electron: "{{layer}} must not import 'electron': only main/electron and main/preload may.",
      pkg: "{{layer}} must not import the package '{{source}}': it may import only {{allowed}}.",
      dom: '{{layer}} must not use the DOM global `{{name}}`: shared code runs in Node, the renderer and the center.',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const rel = path.relative(root, file).split(path.sep).join('/');
    const layer = layerOf(rel);
    if (!layer) return {};
    // A test beside its module may use the cross-cutting test harnesses (e.g. a PostgreSQL server),
    // and in shared/ the test runner too.
    const isTest = /\.test\.tsx?$/.test(rel);
    const ours = isTest ? [...layer.ours, 'tests/support'] : layer.ours;
    const packages = isTest && layer.packages !== 'any' ? [...layer.packages, 'vitest'] : layer.packages;

    function check(node, source) {
      if (typeof source !== 'string') return;
      const data = { layer: layer.name, source };
      if (source.startsWith('.') || source.startsWith('/')) {
        const target = path.relative(root, path.resolve(path.dirname(file), source)).split(path.sep).join('/');
        if (!ours.some((f) => inFolder(target, f))) {
          context.report({ node, messageId: 'ours', data: { ...data, target, allowed: ours.join(', ') } });
        }
        return;
      }
      if (NODE_BUILTINS.has(source)) {
        if (!layer.node) context.report({ node, messageId: 'node', data });
        return;
      }
      const pkg = packageName(source);
      if (pkg === 'electron') {
        if (!layer.electron) context.report({ node, messageId: 'electron', data });
        return;
      }
      if (packages !== 'any' && !packages.includes(pkg)) {
        context.report({ node, messageId: 'pkg', data: { ...data, allowed: packages.join(', ') } });
      }
    }

    const fromSource = (node) => check(node, node.source?.value);
    const handlers = {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value);
        }
      },
    };
    if (layer.name === 'shared') {
      // shared/ must not lean on DOM or Node globals either.
      for (const name of ['window', 'document', 'localStorage', 'navigator', 'process', 'Buffer', '__dirname']) {
        handlers[`Identifier[name="${name}"]`] = (node) => {
          const parent = node.parent;
          const isProperty = parent && parent.type === 'MemberExpression' && parent.property === node && !parent.computed;
          const isKey = parent && parent.type === 'Property' && parent.key === node;
          if (!isProperty && !isKey) context.report({ node, messageId: 'dom', data: { layer: layer.name, name } });
        };
      }
    }
    return handlers;
  },
};

export default { rules: { boundaries: boundariesRule } };
