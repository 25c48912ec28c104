/** An OData string literal: quoted, with embedded single quotes doubled as OData requires. */
export function odataString(value: string): string {
	return `'${String(value).replace(/'/g, "''")}'`;
}

export class InvalidFilterValueError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'InvalidFilterValueError';
	}
}

/** An OData DateTimeOffset literal (unquoted, UTC) from whatever date n8n's date picker or an expression gave. */
export function odataDateTime(field: string, value: unknown): string {
	const text = String(value ?? '').trim();
	const date = new Date(text);
	if (text === '' || Number.isNaN(date.getTime())) {
		throw new InvalidFilterValueError(
			field,
			`"${text}" is not a date. Use an ISO 8601 date such as 2026-01-31T08:00:00Z.`,
		);
	}
	return date.toISOString();
}

/** `field eq 'a' or field eq 'b'`, parenthesised; values are escaped. */
export function anyOf(field: string, values: readonly string[]): string | undefined {
	if (values.length === 0) return undefined;
	const clauses = values.map((value) => `${field} eq ${odataString(value)}`);
	return clauses.length === 1 ? clauses[0] : `(${clauses.join(' or ')})`;
}

export function allOf(clauses: ReadonlyArray<string | undefined>): string | undefined {
	const present = clauses.filter((clause): clause is string => Boolean(clause));
	return present.length ? present.join(' and ') : undefined;
}
