/**
 * The subset of OData v4 query options the Graph security endpoints accept: $filter (eq ne gt ge lt le,
 * and or not, parentheses, in (...), startswith/endswith/contains, collection/any(x: x eq '...')),
 * $top, $skip, $count, $orderby, $select, $expand. Errors carry Graph's/OData's wording.
 */

export type PropertyType = 'string' | 'enum' | 'datetime' | 'stringCollection' | 'number' | 'boolean';

export interface PropertySchema {
	type: PropertyType;
	enumValues?: readonly string[];
	/** OData enum type name used in error messages, e.g. microsoft.graph.security.alertSeverity */
	enumTypeName?: string;
	filterable?: boolean;
	sortable?: boolean;
}

export interface EntitySchema {
	/** e.g. microsoft.graph.security.incident */
	typeName: string;
	properties: Record<string, PropertySchema>;
}

export class ODataError extends Error {}

type Token =
	| { kind: 'identifier'; text: string; position: number }
	| { kind: 'string'; value: string; position: number }
	| { kind: 'datetime'; value: string; position: number }
	| { kind: 'number'; value: number; position: number }
	| { kind: 'punct'; text: '(' | ')' | ',' | ':' | '/'; position: number }
	| { kind: 'end'; position: number };

const DATETIME_LITERAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})/;
const DATE_LITERAL = /^\d{4}-\d{2}-\d{2}(?![T\d])/;

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let position = 0;
	const fail = (): never => {
		throw new ODataError(`Syntax error at position ${position} in '${text}'.`);
	};
	while (position < text.length) {
		const char = text[position];
		if (/\s/.test(char)) {
			position++;
			continue;
		}
		if ('(),:/'.includes(char)) {
			tokens.push({ kind: 'punct', text: char as '(' | ')' | ',' | ':' | '/', position });
			position++;
			continue;
		}
		if (char === "'") {
			let value = '';
			let index = position + 1;
			for (;;) {
				if (index >= text.length) {
					throw new ODataError(`There is an unterminated string literal at position ${text.length} in '${text}'.`);
				}
				if (text[index] === "'") {
					if (text[index + 1] === "'") {
						value += "'";
						index += 2;
						continue;
					}
					break;
				}
				value += text[index];
				index++;
			}
			tokens.push({ kind: 'string', value, position });
			position = index + 1;
			continue;
		}
		const rest = text.slice(position);
		const datetime = DATETIME_LITERAL.exec(rest) ?? DATE_LITERAL.exec(rest);
		if (datetime) {
			tokens.push({ kind: 'datetime', value: datetime[0], position });
			position += datetime[0].length;
			continue;
		}
		const number = /^-?\d+(?:\.\d+)?/.exec(rest);
		if (number) {
			tokens.push({ kind: 'number', value: Number(number[0]), position });
			position += number[0].length;
			continue;
		}
		const identifier = /^[A-Za-z_@][A-Za-z0-9_.]*/.exec(rest);
		if (identifier) {
			tokens.push({ kind: 'identifier', text: identifier[0], position });
			position += identifier[0].length;
			continue;
		}
		fail();
	}
	tokens.push({ kind: 'end', position: text.length });
	return tokens;
}

type Literal = { kind: 'literal'; type: 'string' | 'datetime' | 'number' | 'null' | 'boolean'; value: string | number | boolean | null; position: number };
type Node =
	| Literal
	| { kind: 'property'; name: string; position: number }
	| { kind: 'variable'; name: string; position: number }
	| { kind: 'compare'; operator: ComparisonOperator; left: Node; right: Node; position: number }
	| { kind: 'in'; operand: Node; values: Literal[]; position: number }
	| { kind: 'and' | 'or'; left: Node; right: Node }
	| { kind: 'not'; operand: Node }
	| { kind: 'call'; name: string; args: Node[]; position: number }
	| { kind: 'any'; collection: string; variable: string; predicate: Node; position: number };

type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const COMPARISON_OPERATORS: ComparisonOperator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const OPERATOR_KIND: Record<ComparisonOperator, string> = {
	eq: 'Equal',
	ne: 'NotEqual',
	gt: 'GreaterThan',
	ge: 'GreaterThanOrEqual',
	lt: 'LessThan',
	le: 'LessThanOrEqual',
};
const STRING_FUNCTIONS = ['startswith', 'endswith', 'contains'];

class FilterParser {
	private index = 0;
	private readonly variables: string[] = [];

	constructor(
		private readonly tokens: Token[],
		private readonly text: string,
	) {}

	parse(): Node {
		const node = this.parseOr();
		if (this.peek().kind !== 'end') this.syntaxError();
		return node;
	}

	private peek(): Token {
		return this.tokens[this.index];
	}

	private next(): Token {
		return this.tokens[this.index++];
	}

	private syntaxError(token: Token = this.peek()): never {
		throw new ODataError(`Syntax error at position ${token.position} in '${this.text}'.`);
	}

	private isKeyword(word: string): boolean {
		const token = this.peek();
		return token.kind === 'identifier' && token.text === word;
	}

	private expectPunct(text: string): void {
		const token = this.next();
		if (token.kind !== 'punct' || token.text !== text) this.syntaxError(token);
	}

	private parseOr(): Node {
		let left = this.parseAnd();
		while (this.isKeyword('or')) {
			this.next();
			left = { kind: 'or', left, right: this.parseAnd() };
		}
		return left;
	}

	private parseAnd(): Node {
		let left = this.parseUnary();
		while (this.isKeyword('and')) {
			this.next();
			left = { kind: 'and', left, right: this.parseUnary() };
		}
		return left;
	}

	private parseUnary(): Node {
		if (this.isKeyword('not')) {
			this.next();
			return { kind: 'not', operand: this.parseUnary() };
		}
		return this.parseComparison();
	}

	private parseComparison(): Node {
		const left = this.parsePrimary();
		const token = this.peek();
		if (token.kind === 'identifier' && (COMPARISON_OPERATORS as string[]).includes(token.text)) {
			this.next();
			const right = this.parsePrimary();
			return { kind: 'compare', operator: token.text as ComparisonOperator, left, right, position: token.position };
		}
		if (token.kind === 'identifier' && token.text === 'in') {
			this.next();
			this.expectPunct('(');
			const values: Literal[] = [];
			for (;;) {
				const value = this.parsePrimary();
				if (value.kind !== 'literal') this.syntaxError();
				values.push(value);
				const separator = this.next();
				if (separator.kind === 'punct' && separator.text === ')') break;
				if (separator.kind !== 'punct' || separator.text !== ',') this.syntaxError(separator);
			}
			return { kind: 'in', operand: left, values, position: token.position };
		}
		return left;
	}

	private parsePrimary(): Node {
		const token = this.next();
		switch (token.kind) {
			case 'punct':
				if (token.text === '(') {
					const inner = this.parseOr();
					this.expectPunct(')');
					return inner;
				}
				return this.syntaxError(token);
			case 'string':
				return { kind: 'literal', type: 'string', value: token.value, position: token.position };
			case 'datetime':
				return { kind: 'literal', type: 'datetime', value: token.value, position: token.position };
			case 'number':
				return { kind: 'literal', type: 'number', value: token.value, position: token.position };
			case 'end':
				return this.syntaxError(token);
			case 'identifier':
				break;
		}
		const name = token.text;
		if (name === 'null') return { kind: 'literal', type: 'null', value: null, position: token.position };
		if (name === 'true' || name === 'false') return { kind: 'literal', type: 'boolean', value: name === 'true', position: token.position };
		const following = this.peek();
		if (following.kind === 'punct' && following.text === '(') {
			this.next();
			const args: Node[] = [];
			if (!(this.peek().kind === 'punct' && (this.peek() as { text: string }).text === ')')) {
				for (;;) {
					args.push(this.parseOr());
					const separator = this.next();
					if (separator.kind === 'punct' && separator.text === ')') break;
					if (separator.kind !== 'punct' || separator.text !== ',') this.syntaxError(separator);
				}
			} else {
				this.next();
			}
			return { kind: 'call', name, args, position: token.position };
		}
		if (following.kind === 'punct' && following.text === '/') {
			this.next();
			const lambda = this.next();
			// A path: a complex property's member (senderDetail/fromAddress) or a cast onto a derived type's (microsoft.graph.security.user/userPrincipalName).
			if (lambda.kind === 'identifier' && lambda.text !== 'any' && lambda.text !== 'all') {
				return { kind: 'property', name: `${name}/${lambda.text}`, position: token.position };
			}
			if (lambda.kind !== 'identifier' || (lambda.text !== 'any' && lambda.text !== 'all')) this.syntaxError(lambda);
			if (lambda.text === 'all') throw new ODataError(`The query specified in the URI is not valid. The 'all' lambda operator is not supported.`);
			this.expectPunct('(');
			const variable = this.next();
			if (variable.kind !== 'identifier') this.syntaxError(variable);
			this.expectPunct(':');
			this.variables.push(variable.text);
			const predicate = this.parseOr();
			this.variables.pop();
			this.expectPunct(')');
			return { kind: 'any', collection: name, variable: variable.text, predicate, position: token.position };
		}
		if (this.variables.includes(name)) return { kind: 'variable', name, position: token.position };
		return { kind: 'property', name, position: token.position };
	}
}

export type EntityPredicate = (entity: Record<string, unknown>) => boolean;

type ValueType = PropertyType | 'null' | 'number' | 'boolean';
type Evaluator = (entity: Record<string, unknown>, variables: Record<string, unknown>) => unknown;

interface Compiled {
	type: ValueType;
	property?: PropertySchema;
	evaluate: Evaluator;
}

function edmName(type: ValueType, property?: PropertySchema): string {
	switch (type) {
		case 'string':
			return 'Edm.String';
		case 'datetime':
			return 'Edm.DateTimeOffset';
		case 'enum':
			return property?.enumTypeName ?? 'Edm.Enum';
		case 'number':
			return 'Edm.Int32';
		case 'boolean':
			return 'Edm.Boolean';
		case 'stringCollection':
			return 'Collection(Edm.String)';
		default:
			return 'null';
	}
}

export function findProperty(schema: EntitySchema, name: string): [string, PropertySchema] | undefined {
	const entry = Object.entries(schema.properties).find(([candidate]) => candidate.toLowerCase() === name.toLowerCase());
	return entry;
}

/** Date.parse of timestamps seen before: filters and sorts over large collections compare the same values again and again. */
const parsedDates = new Map<string, number>();

function parseDate(text: string): number {
	let parsed = parsedDates.get(text);
	if (parsed === undefined) {
		if (parsedDates.size >= 200_000) parsedDates.clear();
		parsed = Date.parse(text);
		parsedDates.set(text, parsed);
	}
	return parsed;
}

function toComparable(value: unknown, type: ValueType, property?: PropertySchema): unknown {
	if (value === null || value === undefined) return null;
	if (type === 'datetime') return parseDate(String(value));
	if (type === 'enum' && property?.enumValues) return property.enumValues.indexOf(String(value));
	return value;
}

class FilterCompiler {
	constructor(private readonly schema: EntitySchema) {}

	compileBoolean(node: Node): Evaluator {
		const compiled = this.compile(node, {});
		if (compiled.type !== 'boolean') throw new ODataError(`The $filter expression must evaluate to a single boolean value.`);
		return compiled.evaluate;
	}

	private compile(node: Node, variables: Record<string, PropertySchema>): Compiled {
		switch (node.kind) {
			case 'literal':
				return { type: node.type === 'null' ? 'null' : node.type, evaluate: () => node.value };
			case 'property': {
				const found = findProperty(this.schema, node.name);
				if (!found) throw new ODataError(`Could not find a property named '${node.name}' on type '${this.schema.typeName}'.`);
				const [name, property] = found;
				if (!property.filterable) throw new ODataError(`The property '${name}' cannot be used in the $filter query option.`);
				return { type: property.type, property, evaluate: (entity) => entity[name] };
			}
			case 'variable': {
				const property = variables[node.name];
				return { type: property.type, property, evaluate: (_entity, values) => values[node.name] };
			}
			case 'and':
			case 'or': {
				const left = this.compileBooleanOperand(node.left, variables);
				const right = this.compileBooleanOperand(node.right, variables);
				return node.kind === 'and'
					? { type: 'boolean', evaluate: (entity, values) => Boolean(left(entity, values)) && Boolean(right(entity, values)) }
					: { type: 'boolean', evaluate: (entity, values) => Boolean(left(entity, values)) || Boolean(right(entity, values)) };
			}
			case 'not': {
				const operand = this.compileBooleanOperand(node.operand, variables);
				return { type: 'boolean', evaluate: (entity, values) => !operand(entity, values) };
			}
			case 'compare':
				return this.compileComparison(node.operator, node.left, node.right, variables);
			case 'in': {
				const operand = this.compile(node.operand, variables);
				const literals = node.values.map((value) => this.checkLiteral(operand, value, 'eq'));
				return {
					type: 'boolean',
					evaluate: (entity, values) => {
						const actual = toComparable(operand.evaluate(entity, values), operand.type, operand.property);
						return literals.some((literal) => literal === actual);
					},
				};
			}
			case 'call':
				return this.compileCall(node, variables);
			case 'any': {
				const found = findProperty(this.schema, node.collection);
				if (!found) throw new ODataError(`Could not find a property named '${node.collection}' on type '${this.schema.typeName}'.`);
				const [name, property] = found;
				if (property.type !== 'stringCollection') throw new ODataError(`The 'any' lambda operator can only be applied to a collection property; '${name}' is not one.`);
				if (!property.filterable) throw new ODataError(`The property '${name}' cannot be used in the $filter query option.`);
				const predicate = this.compileBooleanOperand(node.predicate, { ...variables, [node.variable]: { type: 'string', filterable: true } });
				return {
					type: 'boolean',
					evaluate: (entity, values) => {
						const items = entity[name];
						return Array.isArray(items) && items.some((item) => predicate(entity, { ...values, [node.variable]: item }));
					},
				};
			}
		}
	}

	private compileBooleanOperand(node: Node, variables: Record<string, PropertySchema>): Evaluator {
		const compiled = this.compile(node, variables);
		if (compiled.type !== 'boolean') throw new ODataError(`A boolean expression was expected but an expression of type '${edmName(compiled.type, compiled.property)}' was found.`);
		return compiled.evaluate;
	}

	private checkLiteral(operand: Compiled, literal: Literal, operator: ComparisonOperator): unknown {
		if (literal.type === 'null') return null;
		const mismatch = (): never => {
			throw new ODataError(
				`A binary operator with incompatible types was detected. Found operand types '${edmName(operand.type, operand.property)}' and '${edmName(literal.type as ValueType)}' for operator kind '${OPERATOR_KIND[operator]}'.`,
			);
		};
		switch (operand.type) {
			case 'datetime':
				if (literal.type !== 'datetime') return mismatch();
				return Date.parse(String(literal.value));
			case 'enum': {
				if (literal.type !== 'string') return mismatch();
				const values = operand.property?.enumValues ?? [];
				const index = values.findIndex((value) => value.toLowerCase() === String(literal.value).toLowerCase());
				if (index < 0) throw new ODataError(`The string '${String(literal.value)}' is not a valid enumeration type constant.`);
				return index;
			}
			case 'string':
				if (literal.type !== 'string') return mismatch();
				return literal.value;
			case 'number':
				if (literal.type !== 'number') return mismatch();
				return literal.value;
			case 'boolean':
				if (literal.type !== 'boolean') return mismatch();
				return literal.value;
			default:
				return mismatch();
		}
	}

	private compileComparison(operator: ComparisonOperator, leftNode: Node, rightNode: Node, variables: Record<string, PropertySchema>): Compiled {
		let left = leftNode;
		let right = rightNode;
		let effective = operator;
		if (left.kind === 'literal' && right.kind !== 'literal') {
			[left, right] = [right, left];
			effective = ({ eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' } as const)[operator];
		}
		const operand = this.compile(left, variables);
		if (right.kind !== 'literal') throw new ODataError(`Comparisons are only supported between a property and a literal value.`);
		if (operand.type === 'stringCollection') {
			throw new ODataError(`A binary operator with incompatible types was detected. Found operand types 'Collection(Edm.String)' and 'Edm.String' for operator kind '${OPERATOR_KIND[operator]}'.`);
		}
		const expected = this.checkLiteral(operand, right, operator);
		if (expected === null && effective !== 'eq' && effective !== 'ne') {
			return { type: 'boolean', evaluate: () => false };
		}
		return {
			type: 'boolean',
			evaluate: (entity, values) => {
				const actual = toComparable(operand.evaluate(entity, values), operand.type, operand.property);
				if (effective === 'eq') return actual === expected;
				if (effective === 'ne') return actual !== expected;
				if (actual === null || actual === undefined) return false;
				const a = actual as number | string;
				const b = expected as number | string;
				switch (effective) {
					case 'gt':
						return a > b;
					case 'ge':
						return a >= b;
					case 'lt':
						return a < b;
					default:
						return a <= b;
				}
			},
		};
	}

	private compileCall(node: Extract<Node, { kind: 'call' }>, variables: Record<string, PropertySchema>): Compiled {
		const name = node.name.toLowerCase();
		if (!STRING_FUNCTIONS.includes(name)) {
			throw new ODataError(
				`An unknown function with name '${node.name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
			);
		}
		if (node.args.length !== 2) throw new ODataError(`No function signature for the function with name '${node.name}' matches the specified arguments.`);
		const target = this.compile(node.args[0], variables);
		const literal = node.args[1];
		if (target.type !== 'string' || literal.kind !== 'literal' || literal.type !== 'string') {
			throw new ODataError(`No function signature for the function with name '${node.name}' matches the specified arguments.`);
		}
		const needle = String(literal.value).toLowerCase();
		return {
			type: 'boolean',
			evaluate: (entity, values) => {
				const value = target.evaluate(entity, values);
				if (typeof value !== 'string') return false;
				const haystack = value.toLowerCase();
				if (name === 'startswith') return haystack.startsWith(needle);
				if (name === 'endswith') return haystack.endsWith(needle);
				return haystack.includes(needle);
			},
		};
	}
}

export function compileFilter(text: string, schema: EntitySchema): EntityPredicate {
	const tree = new FilterParser(tokenize(text), text).parse();
	const evaluate = new FilterCompiler(schema).compileBoolean(tree);
	return (entity) => Boolean(evaluate(entity, {}));
}

export interface OrderByClause {
	property: string;
	descending: boolean;
	schema: PropertySchema;
}

export function parseOrderBy(text: string, schema: EntitySchema): OrderByClause[] {
	return text.split(',').map((part) => {
		const words = part.trim().split(/\s+/);
		if (words.length === 0 || words.length > 2 || words[0] === '') throw new ODataError(`Syntax error at position 0 in '${text}'.`);
		const found = findProperty(schema, words[0]);
		if (!found) throw new ODataError(`Could not find a property named '${words[0]}' on type '${schema.typeName}'.`);
		const [property, propertySchema] = found;
		if (!propertySchema.sortable) throw new ODataError(`The property '${property}' cannot be used in the $orderby query option.`);
		const direction = (words[1] ?? 'asc').toLowerCase();
		if (direction !== 'asc' && direction !== 'desc') throw new ODataError(`Syntax error at position ${part.indexOf(words[1])} in '${text}'.`);
		return { property, descending: direction === 'desc', schema: propertySchema };
	});
}

export function sortEntities<T extends object>(items: T[], clauses: OrderByClause[], tieBreaker: (a: T, b: T) => number): T[] {
	// Keys computed once per item (not per comparison): large collections (a trigger draining a
	// backlog of thousands) sort in milliseconds. Same order as comparing toComparable values.
	const keyed = items.map((item) => ({
		item,
		keys: clauses.map((clause) => toComparable((item as Record<string, unknown>)[clause.property], clause.schema.type, clause.schema) as number | string | null),
	}));
	keyed.sort((a, b) => {
		for (let index = 0; index < clauses.length; index++) {
			const clause = clauses[index];
			const left = a.keys[index];
			const right = b.keys[index];
			if (left === right) continue;
			if (left === null) return clause.descending ? 1 : -1;
			if (right === null) return clause.descending ? -1 : 1;
			const order = left < right ? -1 : 1;
			return clause.descending ? -order : order;
		}
		return tieBreaker(a.item, b.item);
	});
	return keyed.map((entry) => entry.item);
}
