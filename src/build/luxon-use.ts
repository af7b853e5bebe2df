// Which parts of one module use luxon, read from its syntax tree: the luxon bindings it imports, the
// named functions and methods whose bodies reach them (directly or through another such member of
// the same module), and whether any code that runs when the module loads reaches them.

export interface LuxonUse {
  /** luxon's exports the module imports ('*' for a namespace import, 'import()' for a dynamic one). */
  bindings: string[];
  /** Members that reach luxon: method, function and property names; a class name for its constructor or fields. */
  members: string[];
  /** Code that runs when the module loads (top level, static blocks) reaches luxon. */
  atLoad: boolean;
}

/** An ESTree node, as the bundler's parser returns it; only `type` is relied on. */
export type AstNode = { type: string } & Record<string, unknown>;

const LOAD_TIME = '\0load';
const DYNAMIC = 'import()';
const isNode = (value: unknown): value is AstNode =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
const FUNCTIONS = new Set(['FunctionExpression', 'ArrowFunctionExpression']);
const DECLARATIONS = new Set(['ClassDeclaration', 'ClassExpression', 'FunctionDeclaration', 'FunctionExpression']);

function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) out.push(...value.filter(isNode));
    else if (isNode(value)) out.push(value);
  }
  return out;
}

function keyName(key: unknown): string | null {
  if (!isNode(key)) return null;
  if (key.type === 'Identifier') return String(key.name);
  if (key.type === 'PrivateIdentifier') return `#${String(key.name)}`;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return null;
}

const isLuxon = (source: unknown): boolean =>
  isNode(source) &&
  source.type === 'Literal' &&
  (source.value === 'luxon' || String(source.value).startsWith('luxon/'));

/** The name a node's body is known by when it is a member, or null when it is not one. */
function memberName(node: AstNode, className: string | null): string | null {
  switch (node.type) {
    case 'MethodDefinition':
      return node.kind === 'constructor' ? className : keyName(node.key);
    case 'PropertyDefinition':
      return node.static === true ? keyName(node.key) : className;
    case 'Property':
      return isNode(node.value) && FUNCTIONS.has(node.value.type) ? keyName(node.key) : null;
    case 'FunctionDeclaration':
      return keyName(node.id);
    case 'VariableDeclarator':
      return isNode(node.init) && FUNCTIONS.has(node.init.type) ? keyName(node.id) : null;
    default:
      return null;
  }
}

/** The names every identifier and property in `node` mentions. */
export function mentionedNames(node: AstNode, into = new Set<string>()): Set<string> {
  const name =
    node.type === 'Identifier' ? String(node.name) : node.type === 'PrivateIdentifier' ? `#${String(node.name)}` : null;
  if (name !== null) into.add(name);
  children(node).forEach((child) => mentionedNames(child, into));
  return into;
}

/** Reads a parsed module; null when it does not import luxon. */
export function findLuxonUse(program: AstNode): LuxonUse | null {
  const bindings = new Set<string>();
  const locals = new Set<string>();
  const reexported = new Set<string>();
  /** What each member (and the load-time code) mentions. */
  const mentions = new Map<string, Set<string>>();
  const note = (unit: string, name: string) => mentions.set(unit, (mentions.get(unit) ?? new Set()).add(name));

  const visit = (node: AstNode, unit: string, className: string | null): void => {
    if (node.type === 'ImportDeclaration') {
      if (!isLuxon(node.source)) return;
      for (const spec of (node.specifiers as AstNode[] | undefined) ?? []) {
        const imported =
          spec.type === 'ImportSpecifier'
            ? keyName(spec.imported)
            : spec.type === 'ImportDefaultSpecifier'
              ? 'default'
              : '*';
        bindings.add(imported ?? '?');
        locals.add(keyName(spec.local) ?? '?');
      }
      return;
    }
    if ((node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') && isLuxon(node.source)) {
      bindings.add('*');
      const specifiers = (node.specifiers as AstNode[] | undefined) ?? [];
      specifiers.forEach((spec) => reexported.add(keyName(spec.exported) ?? '*'));
      if (node.type === 'ExportAllDeclaration') reexported.add(keyName(node.exported) ?? '*');
      return;
    }
    // Naming a declaration or listing it in an export runs nothing.
    if (node.type === 'ExportNamedDeclaration' && !node.declaration) return;
    if (node.type === 'ImportExpression' && isLuxon(node.source)) {
      bindings.add(DYNAMIC);
      note(unit, DYNAMIC);
    }
    if (node.type === 'StaticBlock') unit = LOAD_TIME;
    const named = memberName(node, className);
    if (named !== null) unit = named;
    const nextClass =
      node.type === 'ClassDeclaration' || node.type === 'ClassExpression' ? (keyName(node.id) ?? className) : className;
    if (node.type === 'Identifier' || node.type === 'PrivateIdentifier')
      note(unit, node.type === 'Identifier' ? String(node.name) : `#${String(node.name)}`);
    const declared = DECLARATIONS.has(node.type) ? node.id : null;
    children(node).forEach((child) => child !== declared && visit(child, unit, nextClass));
  };
  visit(program, LOAD_TIME, null);
  if (bindings.size === 0) return null;

  // Members that reach luxon, then members that reach those, until nothing changes.
  const users = new Set<string>([DYNAMIC, ...locals]);
  const members = new Set<string>(reexported);
  for (let grew = true; grew;) {
    grew = false;
    for (const [unit, names] of mentions) {
      if (unit === LOAD_TIME || members.has(unit)) continue;
      if ([...names].some((name) => users.has(name) || members.has(name))) {
        members.add(unit);
        grew = true;
      }
    }
  }
  const atLoad = [...(mentions.get(LOAD_TIME) ?? [])].some((name) => users.has(name) || members.has(name));
  return { bindings: [...bindings].sort(), members: [...members].sort(), atLoad };
}
