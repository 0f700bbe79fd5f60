/**
 * Diagnostics: every problem the lexer, parser and checker find in a
 * pipeline, with a stable code from the catalogue below, a message written
 * for a newcomer, and the span it is about.
 */
import type { Span } from "./span.js"

/**
 * The catalogue of diagnostic codes. Codes are stable: clients may match on
 * them. The prefix says which phase reports it (E1xx lexer and parser,
 * E2xx names and declarations, E3xx types, E4xx module calls and options).
 */
export const DiagnosticCodes = {
  // lexer / parser
  UnexpectedCharacter: "E100",
  UnterminatedString: "E101",
  InvalidEscape: "E102",
  InvalidNumber: "E103",
  UnexpectedToken: "E104",
  ExpectedExpression: "E105",
  ExpectedType: "E106",
  NestingTooDeep: "E107",
  InvalidDuration: "E108",
  IndexingNotSupported: "E109",
  CallSplitAcrossLines: "E110",
  BranchWithoutOtherwise: "E120",
  BranchCaseAfterOtherwise: "E121",
  UnknownAnnotation: "E130",
  // names and declarations
  UnknownVariable: "E200",
  DuplicateDefinition: "E201",
  Cycle: "E202",
  OutputNotDeclared: "E203",
  NoOutputs: "E204",
  UnknownType: "E205",
  DuplicateField: "E206",
  DuplicateOutput: "E207",
  AliasCycle: "E208",
  NoNullLiteral: "E209",
  DuplicateParameter: "E220",
  // namespaces (use, qualified calls)
  UnknownNamespace: "E250",
  UnknownMember: "E251",
  AmbiguousName: "E252",
  NameClash: "E253",
  // types
  TypeMismatch: "E300",
  UnknownField: "E301",
  OperatorTypeMismatch: "E302",
  ConditionNotBoolean: "E303",
  BranchTypeMismatch: "E304",
  CoalesceNotOptional: "E305",
  OutputTypeMismatch: "E306",
  ListElementMismatch: "E307",
  ExampleTypeMismatch: "E308",
  ComparisonTypeMismatch: "E309",
  TypeTooLarge: "E310",
  LambdaOutsideListFunction: "E320",
  LambdaArity: "E321",
  LambdaResultType: "E322",
  LambdaParameterType: "E323",
  ExpectedLambda: "E324",
  // types: unions, match and type algebra
  IncompatibleMerge: "E330",
  NonExhaustiveMatch: "E331",
  UnreachableMatchArm: "E332",
  PatternNeverMatches: "E333",
  PatternFieldConflict: "E334",
  MatchBindingInCall: "E335",
  // module calls and options
  UnknownModule: "E400",
  ArgumentCount: "E401",
  ArgumentType: "E402",
  UnknownOption: "E403",
  InvalidOptionValue: "E404",
  DuplicateOption: "E405",
  FallbackTypeMismatch: "E406",
  ModuleCallInLambda: "E420",
  ListFunctionOptions: "E421",
  OptionConflict: "E422"
} as const

export type DiagnosticName = keyof typeof DiagnosticCodes
/** A diagnostic's stable code (`E104` ...), one of `DiagnosticCodes`. */
export type DiagnosticCode = (typeof DiagnosticCodes)[DiagnosticName]

/** One problem the compiler found: a stable code, a message, where (line, column, span) and often a hint. */
export interface Diagnostic {
  readonly code: DiagnosticCode
  /** The catalogue name of the code, e.g. `UnknownModule`. */
  readonly name: DiagnosticName
  readonly message: string
  readonly severity: "error"
  readonly span: Span
  readonly line: number
  readonly column: number
  /** Further help: a suggestion such as "did you mean `Uppercase`?" */
  readonly hint?: string
}

/** Makes a diagnostic of the given catalogue name. */
export const diagnostic = (name: DiagnosticName, message: string, span: Span, hint?: string): Diagnostic => ({
  code: DiagnosticCodes[name],
  name,
  message,
  severity: "error",
  span,
  line: span.start.line,
  column: span.start.column,
  ...(hint === undefined ? {} : { hint })
})

/** Orders diagnostics by position, for stable output. */
export const sortDiagnostics = (ds: ReadonlyArray<Diagnostic>): Array<Diagnostic> =>
  [...ds].sort((a, b) => a.span.start.offset - b.span.start.offset || a.code.localeCompare(b.code))
