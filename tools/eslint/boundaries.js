// ESLint rule `earshot/boundaries`: code is placed by the runtime it needs (ARCHITECTURE.md,
// "Import rules"). Each folder may import only the folders and packages its runtime allows, and the
// desktop's SQL stays in main/db (behind its typed functions).
import { builtinModules } from 'node:module';
import path from 'node:path';

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * Layers in match order (most specific first): a repo-relative path prefix, what it may import, and
 * whether it may run SQL (`sql`: main/db for the desktop; the center keeps its own in server/).
 */
const LAYERS = [
  { name: 'shared', prefix: 'shared/', ours: ['shared'], packages: ['zod'], node: false, electron: false, sql: false },
  { name: 'renderer', prefix: 'renderer/', ours: ['renderer', 'shared'], packages: 'any', node: false, electron: false, sql: false },
  { name: 'main/electron', prefix: 'main/electron/', ours: ['main', 'shared'], packages: 'any', node: true, electron: true, sql: false },
  { name: 'main/preload', prefix: 'main/preload/', ours: ['main/preload', 'shared'], packages: 'any', node: false, electron: true, sql: false },
  { name: 'main/services', prefix: 'main/services/', ours: ['main/services', 'main/db', 'shared'], packages: 'any', node: true, electron: false, sql: false },
  { name: 'main/db', prefix: 'main/db/', ours: ['main/db', 'main/services', 'shared'], packages: 'any', node: true, electron: false, sql: true },
  { name: 'main/web-host', prefix: 'main/web-host/', ours: ['main/web-host', 'main/services', 'main/db', 'shared'], packages: 'any', node: true, electron: false, sql: false },
  { name: 'server', prefix: 'server/', ours: ['server', 'shared'], packages: 'any', node: true, electron: false, sql: true },
  // Our own small packages (packages/*): plain Node, shared by the desktop, the center and the scripts; they import nothing of ours.
  { name: 'packages', prefix: 'packages/', ours: ['packages'], packages: 'any', node: true, electron: false, sql: false },
];

/** better-sqlite3's ways in: `.prepare(sql)`, `.pragma(...)`, and `.exec(sql)` (told from RegExp#exec by a statement's text). */
const SQL_METHODS = new Set(['prepare', 'pragma']);
const SQL_TEXT = /^\s*(select|insert|update|delete|replace|create|drop|alter|pragma|begin|commit|rollback|savepoint|release|with|vacuum|analyze|attach|detach)(\s|;|$)/i;
const literalText = (node) =>
  node?.type === 'Literal' && typeof node.value === 'string' ? node.value : node?.type === 'TemplateLiteral' ? node.quasis[0]?.value.cooked ?? '' : null;

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
      sql: '{{layer}} must not run SQL (`.{{method}}(`): the desktop\'s SQL lives in main/db, behind the typed functions of main/db/index.ts.',
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
        // A test beside its module may read rows to check them; the module itself asks main/db.
        if (!layer.sql && !isTest && node.callee.type === 'MemberExpression' && !node.callee.computed && node.callee.property.type === 'Identifier') {
          const method = node.callee.property.name;
          const text = literalText(node.arguments[0]);
          const onRegExp = node.callee.object.type === 'Literal' && 'regex' in node.callee.object;
          if (SQL_METHODS.has(method) || (method === 'exec' && !onRegExp && text !== null && SQL_TEXT.test(text))) {
            context.report({ node, messageId: 'sql', data: { layer: layer.name, method } });
          }
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
