/**
 * Fails when the modules under src/ import each other in a cycle, type-only imports included
 * (a cycle of types still ties two modules into one unit a reader must take in together).
 *
 *   npx tsx scripts/check-import-cycles.ts                       every cycle under src/
 *   npx tsx scripts/check-import-cycles.ts src/http src/services only cycles through these folders
 *
 * Each cycle is printed as a path that leads back to its first module.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

const ROOT = path.resolve(import.meta.dirname, '..')
const SOURCE = path.join(ROOT, 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return sourceFiles(full)
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [full] : []
  })
}

/** The project's own modules a file imports: static, type-only, re-exported, dynamic and `import('…')` types. */
function importsOf(file: string, known: Set<string>): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false)
  const specifiers: string[] = []
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specifiers.push(node.arguments[0].text)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.resolve(path.dirname(file), specifier))
    .filter((target) => known.has(target))
}

/** Strongly connected components with more than one module (or a module importing itself): Tarjan's algorithm. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  let next = 0
  const visit = (node: string) => {
    index.set(node, next)
    low.set(node, next++)
    stack.push(node)
    onStack.add(node)
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target)
        low.set(node, Math.min(low.get(node)!, low.get(target)!))
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1 || graph.get(node)!.includes(node)) found.push(component.sort())
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return found
}

/** One cycle inside a component, as a readable path: the shortest way from its first module back to itself. */
function loopThrough(component: string[], graph: Map<string, string[]>): string[] {
  const members = new Set(component)
  const start = component[0]
  const previous = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const node = queue.shift()!
    for (const target of graph.get(node)!) {
      if (!members.has(target)) continue
      if (target === start) {
        const loop = [node]
        while (loop[0] !== start) loop.unshift(previous.get(loop[0])!)
        return [...loop, start]
      }
      if (!previous.has(target)) {
        previous.set(target, node)
        queue.push(target)
      }
    }
  }
  return component
}

const files = sourceFiles(SOURCE)
const known = new Set(files)
const graph = new Map(files.map((file) => [file, importsOf(file, known)]))
const scopes = process.argv.slice(2).map((dir) => path.resolve(ROOT, dir) + path.sep)
const relevant = cycles(graph).filter((component) => scopes.length === 0 || component.some((file) => scopes.some((scope) => file.startsWith(scope))))

const relative = (file: string) => path.relative(ROOT, file)
for (const component of relevant) {
  console.log(`cycle among ${component.length} modules: ${component.map(relative).join(', ')}`)
  console.log(`  e.g. ${loopThrough(component, graph).map(relative).join(' → ')}`)
}
if (relevant.length > 0) process.exit(1)
console.log(`no import cycle among ${files.length} modules${scopes.length ? ` through ${process.argv.slice(2).join(', ')}` : ''}`)
