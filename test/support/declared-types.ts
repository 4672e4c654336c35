import { createRequire } from 'node:module'
import path from 'node:path'
import ts from 'typescript'

/**
 * Checks values against the types `pluggy-sdk` declares in its own `.d.ts` files, read with the
 * TypeScript compiler (never a hand-copied field list): every required property present, no
 * property the type leaves out set to null, each value of the declared JS type — literal unions
 * included — and every `Date` an actual Date, i.e. sent by the server as the full ISO instant the
 * client's JSON reviver turns into one.
 */
export class DeclaredTypes {
  private readonly checker: ts.TypeChecker
  private readonly client: ts.Type

  constructor() {
    const require = createRequire(import.meta.url)
    const clientDts = path.join(path.dirname(require.resolve('pluggy-sdk')), 'client.d.ts')
    const program = ts.createProgram([clientDts], {
      strict: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
    })
    // An unresolved import would make every type `any` and every check pass: refuse to run then.
    const unresolved = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error)
    if (unresolved.length > 0) throw new Error(`pluggy-sdk's types do not compile: ${ts.flattenDiagnosticMessageText(unresolved[0].messageText, ' ')}`)
    this.checker = program.getTypeChecker()
    const source = program.getSourceFile(clientDts)!
    const declaration = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'PluggyClient')!
    this.client = this.checker.getTypeAtLocation(declaration)
  }

  /** The public methods the client class itself declares (not those it inherits). */
  clientMethods(): string[] {
    return this.checker
      .getPropertiesOfType(this.client)
      .filter((p) => p.valueDeclaration && ts.isMethodDeclaration(p.valueDeclaration) && ts.isClassDeclaration(p.valueDeclaration.parent) && p.valueDeclaration.parent.name?.text === 'PluggyClient')
      .filter((p) => !(ts.getCombinedModifierFlags(p.valueDeclaration as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)))
      .map((p) => p.name)
  }

  /** The type a method's promise resolves to. */
  private resultOf(method: string): ts.Type {
    const symbol = this.client.getProperty(method)
    if (!symbol) throw new Error(`PluggyClient has no method ${method}`)
    const signature = this.checker.getTypeOfSymbol(symbol).getCallSignatures()[0]
    const returned = signature.getReturnType()
    return this.checker.getAwaitedType(returned) ?? returned
  }

  /** As checkResult, for a method of one of the client's members (`client.payments.createPaymentRequest`). */
  checkMemberResult(member: string, method: string, value: unknown): string[] {
    const holder = this.client.getProperty(member)
    if (!holder) throw new Error(`PluggyClient has no member ${member}`)
    const symbol = this.checker.getTypeOfSymbol(holder).getProperty(method)
    if (!symbol) throw new Error(`PluggyClient.${member} has no method ${method}`)
    const returned = this.checker.getTypeOfSymbol(symbol).getCallSignatures()[0].getReturnType()
    const problems: string[] = []
    this.check(value, this.checker.getAwaitedType(returned) ?? returned, `${member}.${method}`, problems, 0)
    return problems
  }

  /** Every way `value` differs from what `method` declares it resolves to (empty: it conforms). */
  checkResult(method: string, value: unknown): string[] {
    const problems: string[] = []
    this.check(value, this.resultOf(method), method, problems, 0)
    return problems
  }

  private name(type: ts.Type): string {
    return this.checker.typeToString(type)
  }

  private check(value: unknown, type: ts.Type, where: string, problems: string[], depth: number): void {
    if (depth > 12) return
    const flags = type.flags
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return
    if (type.isUnion()) {
      // Conforms when one member accepts the value; else report against the closest member.
      const attempts = type.types.map((member) => {
        const found: string[] = []
        this.check(value, member, where, found, depth + 1)
        return { member, found }
      })
      if (attempts.some(({ found }) => found.length === 0)) return
      // An object is reported against the closest object member, not against `null`.
      const objects = attempts.filter(({ member }) => member.flags & ts.TypeFlags.Object)
      if (value === null || value === undefined || typeof value !== 'object' || objects.length === 0) {
        problems.push(`${where}: ${JSON.stringify(value)} is not ${this.name(type)}`)
      } else {
        problems.push(...objects.reduce((best, next) => (next.found.length < best.found.length ? next : best)).found)
      }
      return
    }
    if (flags & ts.TypeFlags.Null) return void (value !== null && problems.push(`${where}: expected null, got ${JSON.stringify(value)}`))
    if (flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return void (value !== undefined && problems.push(`${where}: expected absent, got ${JSON.stringify(value)}`))
    if (type.isStringLiteral()) return void (value !== type.value && problems.push(`${where}: ${JSON.stringify(value)} is not "${type.value}"`))
    if (type.isNumberLiteral()) return void (value !== type.value && problems.push(`${where}: ${JSON.stringify(value)} is not ${type.value}`))
    if (flags & ts.TypeFlags.BooleanLiteral) {
      const expected = this.name(type) === 'true'
      return void (value !== expected && problems.push(`${where}: ${JSON.stringify(value)} is not ${expected}`))
    }
    if (flags & ts.TypeFlags.StringLike) return void (typeof value !== 'string' && problems.push(`${where}: ${JSON.stringify(value)} is not a string`))
    if (flags & ts.TypeFlags.NumberLike) return void ((typeof value !== 'number' || !Number.isFinite(value)) && problems.push(`${where}: ${JSON.stringify(value)} is not a number`))
    if (flags & ts.TypeFlags.BooleanLike) return void (typeof value !== 'boolean' && problems.push(`${where}: ${JSON.stringify(value)} is not a boolean`))
    if (type.getSymbol()?.getName() === 'Date') {
      if (!(value instanceof Date)) problems.push(`${where}: ${JSON.stringify(value)} is not a full ISO instant (the client leaves it a string where it declares Date)`)
      return
    }
    if (value === null || value === undefined || typeof value !== 'object') {
      problems.push(`${where}: ${JSON.stringify(value)} is not ${this.name(type)}`)
      return
    }
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) {
      if (!Array.isArray(value)) return void problems.push(`${where}: not an array`)
      const element = this.checker.getTypeArguments(type as ts.TypeReference)[0]
      // Every element (up to a bound): rows of one list differ (card vs bank transactions, transfers, boletos).
      value.slice(0, 2000).forEach((entry, i) => this.check(entry, element, `${where}[${i}]`, problems, depth + 1))
      return
    }
    if (Array.isArray(value)) return void problems.push(`${where}: an array where ${this.name(type)} is declared`)
    const record = value as Record<string, unknown>
    for (const property of this.checker.getPropertiesOfType(type)) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0]
      if (declaration && (ts.isMethodSignature(declaration) || ts.isMethodDeclaration(declaration))) continue
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0
      const at = `${where}.${property.name}`
      if (!Object.hasOwn(record, property.name)) {
        if (!optional) problems.push(`${at}: missing (required)`)
        continue
      }
      const propertyType = declaration ? this.checker.getTypeOfSymbolAtLocation(property, declaration) : this.checker.getTypeOfSymbol(property)
      this.check(record[property.name], propertyType, at, problems, depth + 1)
    }
  }
}
