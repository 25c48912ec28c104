/**
 * A small Kusto (KQL) interpreter over the seeded hunting tables. Supported:
 *   Table | where <expr> | project a, b = expr | project-away a | extend x = expr | take/limit N
 *   | top N by x [asc|desc] | order/sort by x [asc|desc], ... | summarize [name =] agg(...), ... [by x, bin(T, 1d)]
 *   | count | distinct a, b
 * Expressions: == != =~ !~ < <= > >= has !has has_cs contains !contains contains_cs startswith !startswith
 *   endswith !endswith in !in in~ has_any between(a .. b), and or not(), + - on numbers/datetimes,
 *   ago() now() datetime() bin() isempty() isnotempty() isnull() isnotnull() tolower() toupper() strlen() tostring() toint() tolong().
 * Aggregations: count() countif() dcount() min() max() sum() avg() make_set().
 */
import type { HuntingColumn, HuntingRow, HuntingTable, KqlType } from '../store/types';

export class KqlError extends Error {}

type ValueType = KqlType | 'timespan' | 'null';

type Token =
	| { kind: 'ident'; text: string; position: number }
	| { kind: 'string'; value: string; text: string; position: number }
	| { kind: 'number'; value: number; text: string; position: number }
	| { kind: 'timespan'; value: number; text: string; position: number }
	| { kind: 'datetimeLiteral'; value: string; text: string; position: number }
	| { kind: 'op'; text: string; position: number }
	| { kind: 'end'; text: string; position: number };

const TIMESPAN_UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, min: 60_000, s: 1000, sec: 1000, ms: 1 };
const NEGATABLE = ['has', 'contains', 'startswith', 'endswith', 'in', 'has_cs', 'contains_cs', 'startswith_cs', 'endswith_cs'];
const HYPHENATED_OPERATORS = ['project-away', 'project-rename', 'project-keep', 'project-reorder', 'mv-expand'];

function lineAndColumn(text: string, position: number): [number, number] {
	const before = text.slice(0, position).split('\n');
	return [before.length, before[before.length - 1].length + 1];
}

function tokenize(query: string): Token[] {
	const tokens: Token[] = [];
	let position = 0;
	const syntaxError = (at: number): never => {
		const [line, column] = lineAndColumn(query, at);
		throw new KqlError(`Query could not be parsed at '${query.slice(at, at + 1)}' on line [${line},${column}]`);
	};
	while (position < query.length) {
		const rest = query.slice(position);
		const whitespace = /^(\s+|\/\/[^\n]*)/.exec(rest);
		if (whitespace) {
			position += whitespace[0].length;
			continue;
		}
		const hyphenated = HYPHENATED_OPERATORS.find((name) => rest.startsWith(name) && !/[A-Za-z0-9_]/.test(rest[name.length] ?? ''));
		if (hyphenated) {
			tokens.push({ kind: 'ident', text: hyphenated, position });
			position += hyphenated.length;
			continue;
		}
		const verbatim = /^@(["'])/.exec(rest);
		const quote = verbatim ? verbatim[1] : rest[0] === '"' || rest[0] === "'" ? rest[0] : undefined;
		if (quote) {
			let index = position + (verbatim ? 2 : 1);
			let value = '';
			for (;;) {
				if (index >= query.length) {
					const [line, column] = lineAndColumn(query, position);
					throw new KqlError(`Query could not be parsed at '${quote}' on line [${line},${column}]: unterminated string literal`);
				}
				const char = query[index];
				if (!verbatim && char === '\\' && index + 1 < query.length) {
					const escaped = query[index + 1];
					value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
					index += 2;
					continue;
				}
				if (char === quote) break;
				value += char;
				index++;
			}
			tokens.push({ kind: 'string', value, text: query.slice(position, index + 1), position });
			position = index + 1;
			continue;
		}
		const number = /^(\d+(?:\.\d+)?)(ms|min|sec|d|h|m|s)?(?![A-Za-z0-9_])/.exec(rest);
		if (number) {
			const value = Number(number[1]);
			if (number[2]) tokens.push({ kind: 'timespan', value: value * TIMESPAN_UNITS[number[2]], text: number[0], position });
			else tokens.push({ kind: 'number', value, text: number[0], position });
			position += number[0].length;
			continue;
		}
		const identifier = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
		if (identifier) {
			const text = identifier[0];
			const afterIdentifier = query.slice(position + text.length);
			const datetimeCall = /^\s*\(([^)]*)\)/.exec(afterIdentifier);
			if (text === 'datetime' && datetimeCall) {
				const raw = datetimeCall[1].trim().replace(/^["']|["']$/g, '');
				tokens.push({ kind: 'datetimeLiteral', value: raw, text: text + datetimeCall[0], position });
				position += text.length + datetimeCall[0].length;
				continue;
			}
			if (text === 'in' && afterIdentifier.startsWith('~')) {
				tokens.push({ kind: 'op', text: 'in~', position });
				position += 3;
				continue;
			}
			tokens.push({ kind: 'ident', text, position });
			position += text.length;
			continue;
		}
		if (rest[0] === '!') {
			const negated = /^!([A-Za-z_]+)(~?)/.exec(rest);
			if (negated && NEGATABLE.includes(negated[1])) {
				tokens.push({ kind: 'op', text: `!${negated[1]}${negated[2]}`, position });
				position += negated[0].length;
				continue;
			}
		}
		const operator = ['==', '!=', '=~', '!~', '>=', '<=', '..', '>', '<', '=', '|', '(', ')', ',', '+', '-', '*', '/', ';', '[', ']'].find((candidate) =>
			rest.startsWith(candidate),
		);
		if (operator) {
			tokens.push({ kind: 'op', text: operator, position });
			position += operator.length;
			continue;
		}
		syntaxError(position);
	}
	tokens.push({ kind: 'end', text: '', position: query.length });
	return tokens;
}

type Expr =
	| { kind: 'literal'; type: ValueType; value: unknown; position: number }
	| { kind: 'column'; name: string; position: number }
	| { kind: 'binary'; operator: string; left: Expr; right: Expr; position: number }
	| { kind: 'list'; operator: string; operand: Expr; items: Expr[]; position: number }
	| { kind: 'between'; negated: boolean; operand: Expr; low: Expr; high: Expr; position: number }
	| { kind: 'not'; operand: Expr; position: number }
	| { kind: 'call'; name: string; args: Expr[]; position: number };

interface NamedExpr {
	name?: string;
	expr: Expr;
}

interface SortKey {
	expr: Expr;
	descending: boolean;
}

type Operator =
	| { kind: 'where'; predicate: Expr; position: number }
	| { kind: 'project'; items: NamedExpr[]; position: number }
	| { kind: 'project-away'; names: Array<{ name: string; position: number }>; position: number }
	| { kind: 'extend'; items: NamedExpr[]; position: number }
	| { kind: 'take'; count: number; position: number }
	| { kind: 'top'; count: number; key: SortKey; position: number }
	| { kind: 'sort'; keys: SortKey[]; position: number }
	| { kind: 'summarize'; aggregates: NamedExpr[]; groupBy: NamedExpr[]; position: number }
	| { kind: 'count'; position: number }
	| { kind: 'distinct'; names: Array<{ name: string; position: number }>; position: number };

interface ParsedQuery {
	table: { name: string; position: number };
	operators: Operator[];
}

const BINARY_PRECEDENCE: Array<string[]> = [
	['or'],
	['and'],
	['==', '!=', '=~', '!~', '<', '<=', '>', '>=', 'has', '!has', 'has_cs', 'contains', '!contains', 'contains_cs', 'startswith', '!startswith', 'startswith_cs', 'endswith', '!endswith', 'endswith_cs'],
	['+', '-'],
	['*', '/'],
];

class KqlParser {
	private index = 0;

	constructor(
		private readonly tokens: Token[],
		private readonly query: string,
	) {}

	parse(): ParsedQuery {
		const first = this.next();
		if (first.kind !== 'ident') return this.syntaxError(first);
		const operators: Operator[] = [];
		while (this.peekOp('|')) {
			this.next();
			operators.push(this.parseOperator());
		}
		if (this.peekOp(';')) this.next();
		if (this.peek().kind !== 'end') this.syntaxError(this.peek());
		return { table: { name: first.text, position: first.position }, operators };
	}

	private peek(offset = 0): Token {
		return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
	}

	private next(): Token {
		const token = this.tokens[this.index];
		if (this.index < this.tokens.length - 1) this.index++;
		return token;
	}

	private peekOp(text: string): boolean {
		const token = this.peek();
		return token.kind === 'op' && token.text === text;
	}

	private peekWord(word: string): boolean {
		const token = this.peek();
		return token.kind === 'ident' && token.text === word;
	}

	private syntaxError(token: Token): never {
		const [line, column] = lineAndColumn(this.query, token.position);
		const shown = token.kind === 'end' ? '<end of query>' : this.query.slice(token.position, token.position + Math.max(1, token.text.length));
		throw new KqlError(`Query could not be parsed at '${shown}' on line [${line},${column}]`);
	}

	private expectOp(text: string): void {
		const token = this.next();
		if (token.kind !== 'op' || token.text !== text) this.syntaxError(token);
	}

	private expectWord(word: string): void {
		const token = this.next();
		if (token.kind !== 'ident' || token.text !== word) this.syntaxError(token);
	}

	private identifier(): { name: string; position: number } {
		const token = this.next();
		if (token.kind !== 'ident') return this.syntaxError(token);
		return { name: token.text, position: token.position };
	}

	private integer(): number {
		const token = this.next();
		if (token.kind !== 'number' || !Number.isInteger(token.value)) return this.syntaxError(token);
		return token.value;
	}

	private parseOperator(): Operator {
		const token = this.next();
		if (token.kind !== 'ident') return this.syntaxError(token);
		const position = token.position;
		switch (token.text) {
			case 'where':
			case 'filter':
				return { kind: 'where', predicate: this.parseExpression(), position };
			case 'project':
				return { kind: 'project', items: this.parseNamedList(), position };
			case 'extend':
				return { kind: 'extend', items: this.parseNamedList(), position };
			case 'project-away':
				return { kind: 'project-away', names: this.parseNameList(), position };
			case 'take':
			case 'limit':
				return { kind: 'take', count: this.integer(), position };
			case 'top': {
				const count = this.integer();
				this.expectWord('by');
				return { kind: 'top', count, key: this.parseSortKey(), position };
			}
			case 'sort':
			case 'order': {
				this.expectWord('by');
				const keys = [this.parseSortKey()];
				while (this.peekOp(',')) {
					this.next();
					keys.push(this.parseSortKey());
				}
				return { kind: 'sort', keys, position };
			}
			case 'summarize': {
				const aggregates: NamedExpr[] = [];
				if (!this.peekWord('by')) aggregates.push(...this.parseNamedList());
				let groupBy: NamedExpr[] = [];
				if (this.peekWord('by')) {
					this.next();
					groupBy = this.parseNamedList();
				}
				if (aggregates.length === 0 && groupBy.length === 0) this.syntaxError(this.peek());
				return { kind: 'summarize', aggregates, groupBy, position };
			}
			case 'count':
				return { kind: 'count', position };
			case 'distinct':
				return { kind: 'distinct', names: this.parseNameList(), position };
			default: {
				const [line, column] = lineAndColumn(this.query, token.position);
				throw new KqlError(`Query could not be parsed at '${token.text}' on line [${line},${column}]: unknown or unsupported tabular operator '${token.text}'`);
			}
		}
	}

	private parseSortKey(): SortKey {
		const expr = this.parseExpression();
		let descending = true;
		if (this.peekWord('asc') || this.peekWord('desc')) descending = (this.next() as { text: string }).text === 'desc';
		if (this.peekWord('nulls')) {
			this.next();
			this.next();
		}
		return { expr, descending };
	}

	private parseNameList(): Array<{ name: string; position: number }> {
		const names = [this.identifier()];
		while (this.peekOp(',')) {
			this.next();
			names.push(this.identifier());
		}
		return names;
	}

	private parseNamedList(): NamedExpr[] {
		const items: NamedExpr[] = [];
		for (;;) {
			const first = this.peek();
			const second = this.peek(1);
			if (first.kind === 'ident' && second.kind === 'op' && second.text === '=') {
				this.next();
				this.next();
				items.push({ name: first.text, expr: this.parseExpression() });
			} else {
				items.push({ expr: this.parseExpression() });
			}
			if (!this.peekOp(',')) break;
			this.next();
		}
		return items;
	}

	parseExpression(level = 0): Expr {
		if (level >= BINARY_PRECEDENCE.length) return this.parseUnary();
		let left = this.parseExpression(level + 1);
		for (;;) {
			const token = this.peek();
			const operatorText = token.kind === 'op' || token.kind === 'ident' ? token.text : '';
			if (level === 2 && (['in', 'in~', '!in', '!in~', 'has_any'].includes(operatorText) || operatorText === 'between')) {
				this.next();
				if (operatorText === 'between') {
					this.expectOp('(');
					const low = this.parseExpression(3);
					this.expectOp('..');
					const high = this.parseExpression(3);
					this.expectOp(')');
					left = { kind: 'between', negated: false, operand: left, low, high, position: token.position };
					continue;
				}
				this.expectOp('(');
				const items: Expr[] = [];
				if (!this.peekOp(')')) {
					items.push(this.parseExpression(3));
					while (this.peekOp(',')) {
						this.next();
						items.push(this.parseExpression(3));
					}
				}
				this.expectOp(')');
				left = { kind: 'list', operator: operatorText, operand: left, items, position: token.position };
				continue;
			}
			if (!BINARY_PRECEDENCE[level].includes(operatorText)) return left;
			this.next();
			const right = this.parseExpression(level + 1);
			left = { kind: 'binary', operator: operatorText, left, right, position: token.position };
		}
	}

	private parseUnary(): Expr {
		const token = this.next();
		switch (token.kind) {
			case 'string':
				return { kind: 'literal', type: 'string', value: token.value, position: token.position };
			case 'number':
				return { kind: 'literal', type: Number.isInteger(token.value) ? 'long' : 'real', value: token.value, position: token.position };
			case 'timespan':
				return { kind: 'literal', type: 'timespan', value: token.value, position: token.position };
			case 'datetimeLiteral': {
				const parsed = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(token.value) || !token.value.includes('T') ? token.value : `${token.value}Z`);
				if (Number.isNaN(parsed)) return this.syntaxError(token);
				return { kind: 'literal', type: 'datetime', value: new Date(parsed), position: token.position };
			}
			case 'op':
				if (token.text === '(') {
					const inner = this.parseExpression();
					this.expectOp(')');
					return inner;
				}
				if (token.text === '-') {
					const operand = this.parseUnary();
					return { kind: 'binary', operator: '-', left: { kind: 'literal', type: 'long', value: 0, position: token.position }, right: operand, position: token.position };
				}
				return this.syntaxError(token);
			case 'end':
				return this.syntaxError(token);
			case 'ident':
				break;
		}
		if (token.text === 'true' || token.text === 'false') return { kind: 'literal', type: 'bool', value: token.text === 'true', position: token.position };
		if (token.text === 'not' && this.peekOp('(')) {
			this.next();
			const operand = this.parseExpression();
			this.expectOp(')');
			return { kind: 'not', operand, position: token.position };
		}
		if (this.peekOp('(')) {
			this.next();
			const args: Expr[] = [];
			if (!this.peekOp(')')) {
				args.push(this.parseExpression());
				while (this.peekOp(',')) {
					this.next();
					args.push(this.parseExpression());
				}
			}
			this.expectOp(')');
			return { kind: 'call', name: token.text, args, position: token.position };
		}
		return { kind: 'column', name: token.text, position: token.position };
	}
}

interface Compiled {
	type: ValueType;
	evaluate: (row: HuntingRow) => unknown;
}

interface Relation {
	columns: HuntingColumn[];
	rows: Iterable<HuntingRow>;
}

const AGGREGATES = ['count', 'countif', 'dcount', 'min', 'max', 'sum', 'avg', 'make_set'];

function comparable(value: unknown): unknown {
	return value instanceof Date ? value.getTime() : value;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function hasTerm(haystack: string, needle: string, caseSensitive: boolean): boolean {
	if (needle === '') return true;
	return new RegExp(`(^|[^A-Za-z0-9])${escapeRegExp(needle)}($|[^A-Za-z0-9])`, caseSensitive ? '' : 'i').test(haystack);
}

class KqlCompiler {
	constructor(
		private readonly query: string,
		private readonly now: Date,
	) {}

	fail(position: number, message: string): never {
		const [line, column] = lineAndColumn(this.query, position);
		throw new KqlError(`Semantic error: ${message} (line [${line},${column}])`);
	}

	compile(expr: Expr, columns: HuntingColumn[]): Compiled {
		switch (expr.kind) {
			case 'literal':
				return { type: expr.type, evaluate: () => expr.value };
			case 'column': {
				const column = columns.find((candidate) => candidate.name === expr.name);
				if (!column) return this.fail(expr.position, `Failed to resolve scalar expression named '${expr.name}'`);
				return { type: column.type, evaluate: (row) => row[column.name] };
			}
			case 'not': {
				const operand = this.compile(expr.operand, columns);
				return { type: 'bool', evaluate: (row) => !operand.evaluate(row) };
			}
			case 'between': {
				const operand = this.compile(expr.operand, columns);
				const low = this.compile(expr.low, columns);
				const high = this.compile(expr.high, columns);
				return {
					type: 'bool',
					evaluate: (row) => {
						const value = comparable(operand.evaluate(row)) as number;
						return value >= (comparable(low.evaluate(row)) as number) && value <= (comparable(high.evaluate(row)) as number);
					},
				};
			}
			case 'list':
				return this.compileList(expr, columns);
			case 'binary':
				return this.compileBinary(expr, columns);
			case 'call':
				return this.compileCall(expr, columns);
		}
	}

	private compileList(expr: Extract<Expr, { kind: 'list' }>, columns: HuntingColumn[]): Compiled {
		const operand = this.compile(expr.operand, columns);
		const items = expr.items.map((item) => this.compile(item, columns));
		const caseInsensitive = expr.operator.endsWith('~') || expr.operator === 'has_any';
		const negated = expr.operator.startsWith('!');
		const normalize = (value: unknown): unknown => {
			const plain = comparable(value);
			return caseInsensitive && typeof plain === 'string' ? plain.toLowerCase() : plain;
		};
		if (expr.operator === 'has_any') {
			return {
				type: 'bool',
				evaluate: (row) => {
					const haystack = String(operand.evaluate(row) ?? '');
					return items.some((item) => hasTerm(haystack, String(item.evaluate(row) ?? ''), false));
				},
			};
		}
		return {
			type: 'bool',
			evaluate: (row) => {
				const value = normalize(operand.evaluate(row));
				const found = items.some((item) => normalize(item.evaluate(row)) === value);
				return negated ? !found : found;
			},
		};
	}

	private compileBinary(expr: Extract<Expr, { kind: 'binary' }>, columns: HuntingColumn[]): Compiled {
		const left = this.compile(expr.left, columns);
		const right = this.compile(expr.right, columns);
		const operator = expr.operator;
		if (operator === 'and') return { type: 'bool', evaluate: (row) => Boolean(left.evaluate(row)) && Boolean(right.evaluate(row)) };
		if (operator === 'or') return { type: 'bool', evaluate: (row) => Boolean(left.evaluate(row)) || Boolean(right.evaluate(row)) };
		if (['+', '-', '*', '/'].includes(operator)) return this.compileArithmetic(operator, left, right, expr.position);
		const stringOperators = ['=~', '!~', 'has', '!has', 'has_cs', 'contains', '!contains', 'contains_cs', 'startswith', '!startswith', 'startswith_cs', 'endswith', '!endswith', 'endswith_cs'];
		if (stringOperators.includes(operator)) {
			const negated = operator.startsWith('!');
			const base = operator.replace(/^!/, '').replace('!~', '=~');
			const caseSensitive = base.endsWith('_cs');
			const test = (haystackRaw: string, needleRaw: string): boolean => {
				const haystack = caseSensitive ? haystackRaw : haystackRaw.toLowerCase();
				const needle = caseSensitive ? needleRaw : needleRaw.toLowerCase();
				switch (base.replace('_cs', '')) {
					case '=~':
						return haystack === needle;
					case 'has':
						return hasTerm(haystackRaw, needleRaw, caseSensitive);
					case 'contains':
						return haystack.includes(needle);
					case 'startswith':
						return haystack.startsWith(needle);
					default:
						return haystack.endsWith(needle);
				}
			};
			const isNegatedEquality = operator === '!~';
			return {
				type: 'bool',
				evaluate: (row) => {
					const result = test(String(left.evaluate(row) ?? ''), String(right.evaluate(row) ?? ''));
					return negated || isNegatedEquality ? !result : result;
				},
			};
		}
		if ((left.type === 'datetime' && right.type === 'string') || (left.type === 'string' && right.type === 'datetime')) {
			this.fail(expr.position, `Cannot compare values of types datetime and string. Try adding explicit casts`);
		}
		return {
			type: 'bool',
			evaluate: (row) => {
				const a = comparable(left.evaluate(row)) as number | string;
				const b = comparable(right.evaluate(row)) as number | string;
				switch (operator) {
					case '==':
						return a === b;
					case '!=':
						return a !== b;
					case '<':
						return a < b;
					case '<=':
						return a <= b;
					case '>':
						return a > b;
					default:
						return a >= b;
				}
			},
		};
	}

	private compileArithmetic(operator: string, left: Compiled, right: Compiled, position: number): Compiled {
		const numeric = (type: ValueType) => ['int', 'long', 'real'].includes(type);
		if (left.type === 'datetime' && (right.type === 'timespan' || right.type === 'datetime') && (operator === '+' || operator === '-')) {
			const type: ValueType = right.type === 'datetime' ? 'timespan' : 'datetime';
			return {
				type,
				evaluate: (row) => {
					const base = (left.evaluate(row) as Date).getTime();
					const delta = comparable(right.evaluate(row)) as number;
					const result = operator === '+' ? base + delta : base - delta;
					return type === 'datetime' ? new Date(result) : result;
				},
			};
		}
		if ((numeric(left.type) || left.type === 'timespan') && (numeric(right.type) || right.type === 'timespan')) {
			const type: ValueType = left.type === 'timespan' || right.type === 'timespan' ? 'timespan' : left.type === 'real' || right.type === 'real' || operator === '/' ? 'real' : 'long';
			return {
				type,
				evaluate: (row) => {
					const a = Number(left.evaluate(row));
					const b = Number(right.evaluate(row));
					return operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : a / b;
				},
			};
		}
		return this.fail(position, `Operator '${operator}' is not supported for the operand types ${left.type} and ${right.type}`);
	}

	private compileCall(expr: Extract<Expr, { kind: 'call' }>, columns: HuntingColumn[]): Compiled {
		const args = expr.args.map((arg) => this.compile(arg, columns));
		const arity = (count: number) => {
			if (args.length !== count) this.fail(expr.position, `Function '${expr.name}': expected ${count} argument(s)`);
		};
		const nowMs = this.now.getTime();
		switch (expr.name) {
			case 'ago':
				arity(1);
				return { type: 'datetime', evaluate: (row) => new Date(nowMs - Number(args[0].evaluate(row))) };
			case 'now':
				return { type: 'datetime', evaluate: () => new Date(nowMs) };
			case 'isempty':
			case 'isnotempty':
			case 'isnull':
			case 'isnotnull': {
				arity(1);
				const checksEmptyString = expr.name.includes('empty');
				const negate = expr.name.includes('not');
				return {
					type: 'bool',
					evaluate: (row) => {
						const value = args[0].evaluate(row);
						const empty = value === null || value === undefined || (checksEmptyString && value === '');
						return negate ? !empty : empty;
					},
				};
			}
			case 'tolower':
			case 'toupper':
				arity(1);
				return { type: 'string', evaluate: (row) => (expr.name === 'tolower' ? String(args[0].evaluate(row) ?? '').toLowerCase() : String(args[0].evaluate(row) ?? '').toUpperCase()) };
			case 'tostring':
				arity(1);
				return { type: 'string', evaluate: (row) => { const value = args[0].evaluate(row); return value instanceof Date ? value.toISOString() : String(value ?? ''); } };
			case 'strlen':
				arity(1);
				return { type: 'long', evaluate: (row) => String(args[0].evaluate(row) ?? '').length };
			case 'toint':
			case 'tolong':
				arity(1);
				return { type: expr.name === 'toint' ? 'int' : 'long', evaluate: (row) => { const value = Math.trunc(Number(args[0].evaluate(row))); return Number.isNaN(value) ? null : value; } };
			case 'bin':
			case 'floor': {
				arity(2);
				return {
					type: args[0].type,
					evaluate: (row) => {
						const value = args[0].evaluate(row);
						const size = Number(args[1].evaluate(row));
						if (value instanceof Date) return new Date(Math.floor(value.getTime() / size) * size);
						return Math.floor(Number(value) / size) * size;
					},
				};
			}
			default:
				if (AGGREGATES.includes(expr.name)) return this.fail(expr.position, `Function '${expr.name}' can only be used in the context of a summarize operator`);
				return this.fail(expr.position, `Failed to resolve scalar expression named '${expr.name}'`);
		}
	}
}

function columnNameFor(expr: Expr, fallback: string): string {
	if (expr.kind === 'column') return expr.name;
	return fallback;
}

function* filterRows(rows: Iterable<HuntingRow>, predicate: (row: HuntingRow) => boolean): Iterable<HuntingRow> {
	for (const row of rows) if (predicate(row)) yield row;
}

function* mapRows(rows: Iterable<HuntingRow>, project: (row: HuntingRow) => HuntingRow): Iterable<HuntingRow> {
	for (const row of rows) yield project(row);
}

function* takeRows(rows: Iterable<HuntingRow>, count: number): Iterable<HuntingRow> {
	if (count <= 0) return;
	let taken = 0;
	for (const row of rows) {
		yield row;
		if (++taken >= count) return;
	}
}

function sortRows(rows: Iterable<HuntingRow>, keys: Array<{ compiled: Compiled; descending: boolean }>): HuntingRow[] {
	return [...rows].sort((a, b) => {
		for (const key of keys) {
			const left = comparable(key.compiled.evaluate(a)) as number | string | null | undefined;
			const right = comparable(key.compiled.evaluate(b)) as number | string | null | undefined;
			if (left === right) continue;
			if (left === null || left === undefined) return 1;
			if (right === null || right === undefined) return -1;
			const order = left < right ? -1 : 1;
			return key.descending ? -order : order;
		}
		return 0;
	});
}

function typeOf(type: ValueType): KqlType {
	if (type === 'null') return 'string';
	if (type === 'timespan') return 'long';
	return type;
}

export interface KqlResult {
	columns: HuntingColumn[];
	rows: Iterable<HuntingRow>;
}

export interface KqlRunOptions {
	now: Date;
	/** Rows of the source table older/newer than this window are invisible (the API's Timespan). */
	window: { start: Date; end: Date };
}

export function runKql(query: string, tables: Map<string, HuntingTable>, options: KqlRunOptions): KqlResult {
	const parsed = new KqlParser(tokenize(query), query).parse();
	const compiler = new KqlCompiler(query, options.now);
	const table = tables.get(parsed.table.name.toLowerCase());
	if (!table || table.name !== parsed.table.name) {
		compiler.fail(parsed.table.position, `Failed to resolve table or column expression named '${parsed.table.name}'`);
	}
	const source = table as HuntingTable;
	const startMs = options.window.start.getTime();
	const endMs = options.window.end.getTime();
	const hasTimestamp = source.columns.some((column) => column.name === 'Timestamp');
	let relation: Relation = {
		columns: source.columns,
		rows: hasTimestamp
			? filterRows(source.rows(), (row) => {
					const time = (row.Timestamp as Date).getTime();
					return time >= startMs && time <= endMs;
				})
			: source.rows(),
	};

	for (const operator of parsed.operators) relation = applyOperator(compiler, relation, operator);
	return relation;
}

function applyOperator(compiler: KqlCompiler, relation: Relation, operator: Operator): Relation {
	const { columns } = relation;
	switch (operator.kind) {
		case 'where': {
			const predicate = compiler.compile(operator.predicate, columns);
			if (predicate.type !== 'bool') compiler.fail(operator.position, `The 'where' operator requires a predicate of type bool, found ${predicate.type}`);
			return { columns, rows: filterRows(relation.rows, (row) => Boolean(predicate.evaluate(row))) };
		}
		case 'project':
		case 'extend': {
			const items = operator.items.map((item, index) => {
				const compiled = compiler.compile(item.expr, columns);
				return { name: item.name ?? columnNameFor(item.expr, `Column${index + 1}`), compiled };
			});
			const newColumns: HuntingColumn[] =
				operator.kind === 'project'
					? items.map((item) => ({ name: item.name, type: typeOf(item.compiled.type) }))
					: [...columns.filter((column) => !items.some((item) => item.name === column.name)), ...items.map((item) => ({ name: item.name, type: typeOf(item.compiled.type) }))];
			return {
				columns: newColumns,
				rows: mapRows(relation.rows, (row) => {
					const result: HuntingRow = operator.kind === 'extend' ? { ...row } : {};
					for (const item of items) result[item.name] = item.compiled.evaluate(row);
					return result;
				}),
			};
		}
		case 'project-away': {
			for (const name of operator.names) {
				if (!columns.some((column) => column.name === name.name)) compiler.fail(name.position, `Failed to resolve scalar expression named '${name.name}'`);
			}
			const removed = new Set(operator.names.map((name) => name.name));
			const kept = columns.filter((column) => !removed.has(column.name));
			return {
				columns: kept,
				rows: mapRows(relation.rows, (row) => Object.fromEntries(kept.map((column) => [column.name, row[column.name]]))),
			};
		}
		case 'take':
			return { columns, rows: takeRows(relation.rows, operator.count) };
		case 'top': {
			const compiled = compiler.compile(operator.key.expr, columns);
			return { columns, rows: sortRows(relation.rows, [{ compiled, descending: operator.key.descending }]).slice(0, operator.count) };
		}
		case 'sort': {
			const keys = operator.keys.map((key) => ({ compiled: compiler.compile(key.expr, columns), descending: key.descending }));
			return { columns, rows: sortRows(relation.rows, keys) };
		}
		case 'count': {
			let count = 0;
			const iterator = relation.rows[Symbol.iterator]();
			while (!iterator.next().done) count++;
			return { columns: [{ name: 'Count', type: 'long' }], rows: [{ Count: count }] };
		}
		case 'distinct': {
			for (const name of operator.names) {
				if (!columns.some((column) => column.name === name.name)) compiler.fail(name.position, `Failed to resolve scalar expression named '${name.name}'`);
			}
			const names = operator.names.map((name) => name.name);
			const seen = new Map<string, HuntingRow>();
			for (const row of relation.rows) {
				const key = JSON.stringify(names.map((name) => comparable(row[name])));
				if (!seen.has(key)) seen.set(key, Object.fromEntries(names.map((name) => [name, row[name]])));
			}
			return { columns: names.map((name) => columns.find((column) => column.name === name) as HuntingColumn), rows: [...seen.values()] };
		}
		case 'summarize':
			return summarize(compiler, relation, operator);
	}
}

interface AggregateSpec {
	name: string;
	type: KqlType;
	create: () => { add(row: HuntingRow): void; result(): unknown };
}

function aggregateSpec(compiler: KqlCompiler, item: NamedExpr, columns: HuntingColumn[]): AggregateSpec {
	const expr = item.expr;
	if (expr.kind !== 'call' || !AGGREGATES.includes(expr.name)) {
		return compiler.fail('position' in expr ? expr.position : 0, 'summarize: only aggregation functions (count, countif, dcount, min, max, sum, avg, make_set) are supported before \'by\'');
	}
	const argument = expr.args[0] ? compiler.compile(expr.args[0], columns) : undefined;
	const argumentName = expr.args[0]?.kind === 'column' ? expr.args[0].name : '';
	const suffixName = (prefix: string) => item.name ?? (argumentName ? `${prefix}_${argumentName}` : `${prefix}_`);
	const needArgument = () => {
		if (!argument) compiler.fail(expr.position, `Function '${expr.name}': expected 1 argument`);
		return argument as Compiled;
	};
	switch (expr.name) {
		case 'count':
			return { name: item.name ?? 'count_', type: 'long', create: () => { let count = 0; return { add: () => { count++; }, result: () => count }; } };
		case 'countif': {
			const predicate = needArgument();
			return { name: item.name ?? 'countif_', type: 'long', create: () => { let count = 0; return { add: (row) => { if (predicate.evaluate(row)) count++; }, result: () => count }; } };
		}
		case 'dcount': {
			const value = needArgument();
			return { name: suffixName('dcount'), type: 'long', create: () => { const seen = new Set<unknown>(); return { add: (row) => { seen.add(comparable(value.evaluate(row))); }, result: () => seen.size }; } };
		}
		case 'make_set': {
			const value = needArgument();
			return { name: suffixName('set'), type: 'dynamic', create: () => { const seen = new Set<unknown>(); return { add: (row) => { seen.add(value.evaluate(row)); }, result: () => [...seen] }; } };
		}
		case 'sum':
		case 'avg': {
			const value = needArgument();
			return {
				name: suffixName(expr.name),
				type: expr.name === 'avg' ? 'real' : typeOf(value.type),
				create: () => {
					let total = 0;
					let count = 0;
					return { add: (row) => { total += Number(value.evaluate(row) ?? 0); count++; }, result: () => (expr.name === 'avg' ? (count ? total / count : null) : total) };
				},
			};
		}
		default: {
			const value = needArgument();
			const wantMax = expr.name === 'max';
			return {
				name: suffixName(expr.name),
				type: typeOf(value.type),
				create: () => {
					let best: unknown;
					return {
						add: (row) => {
							const candidate = value.evaluate(row);
							if (candidate === null || candidate === undefined) return;
							if (best === undefined || (wantMax ? (comparable(candidate) as number) > (comparable(best) as number) : (comparable(candidate) as number) < (comparable(best) as number))) best = candidate;
						},
						result: () => best ?? null,
					};
				},
			};
		}
	}
}

function summarize(compiler: KqlCompiler, relation: Relation, operator: Extract<Operator, { kind: 'summarize' }>): Relation {
	const groupKeys = operator.groupBy.map((item, index) => {
		const compiled = compiler.compile(item.expr, relation.columns);
		const fallback = item.expr.kind === 'call' && item.expr.args[0]?.kind === 'column' ? item.expr.args[0].name : `Column${index + 1}`;
		return { name: item.name ?? columnNameFor(item.expr, fallback), compiled };
	});
	const aggregates = operator.aggregates.map((item) => aggregateSpec(compiler, item, relation.columns));
	const groups = new Map<string, { keys: unknown[]; states: Array<ReturnType<AggregateSpec['create']>> }>();
	for (const row of relation.rows) {
		const keys = groupKeys.map((key) => key.compiled.evaluate(row));
		const id = JSON.stringify(keys.map(comparable));
		let group = groups.get(id);
		if (!group) {
			group = { keys, states: aggregates.map((aggregate) => aggregate.create()) };
			groups.set(id, group);
		}
		for (const state of group.states) state.add(row);
	}
	if (groups.size === 0 && groupKeys.length === 0) groups.set('[]', { keys: [], states: aggregates.map((aggregate) => aggregate.create()) });
	const columns: HuntingColumn[] = [
		...groupKeys.map((key) => ({ name: key.name, type: typeOf(key.compiled.type) })),
		...aggregates.map((aggregate) => ({ name: aggregate.name, type: aggregate.type })),
	];
	const rows = [...groups.values()].map((group) => {
		const row: HuntingRow = {};
		groupKeys.forEach((key, index) => {
			row[key.name] = group.keys[index];
		});
		aggregates.forEach((aggregate, index) => {
			row[aggregate.name] = group.states[index].result();
		});
		return row;
	});
	return { columns, rows };
}

/** Parses the API's Timespan ("P30D", "PT12H", "start/end", "P7D/end", "start/P7D", "start"). */
export function parseTimespan(text: string | undefined, now: Date): { start: Date; end: Date } | undefined {
	const defaultDuration = 30 * 86_400_000;
	if (text === undefined || text === null || text === '') return { start: new Date(now.getTime() - defaultDuration), end: now };
	const duration = (value: string): number | undefined => {
		const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(value);
		if (!match || value.toUpperCase() === 'P' || value.toUpperCase().endsWith('T')) return undefined;
		const [, weeks, days, hours, minutes, seconds] = match;
		return (Number(weeks ?? 0) * 7 + Number(days ?? 0)) * 86_400_000 + Number(hours ?? 0) * 3_600_000 + Number(minutes ?? 0) * 60_000 + Number(seconds ?? 0) * 1000;
	};
	const instant = (value: string): Date | undefined => {
		const parsed = Date.parse(value);
		return Number.isNaN(parsed) ? undefined : new Date(parsed);
	};
	const parts = text.split('/');
	if (parts.length === 1) {
		const span = duration(parts[0]);
		if (span !== undefined) return { start: new Date(now.getTime() - span), end: now };
		const start = instant(parts[0]);
		return start ? { start, end: now } : undefined;
	}
	if (parts.length !== 2) return undefined;
	const [first, second] = parts;
	const firstSpan = duration(first);
	const secondSpan = duration(second);
	if (firstSpan !== undefined) {
		const end = instant(second);
		return end ? { start: new Date(end.getTime() - firstSpan), end } : undefined;
	}
	const start = instant(first);
	if (!start) return undefined;
	if (secondSpan !== undefined) return { start, end: new Date(start.getTime() + secondSpan) };
	const end = instant(second);
	return end ? { start, end } : undefined;
}
