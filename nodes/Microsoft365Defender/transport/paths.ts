export class InvalidPathValueError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'InvalidPathValueError';
	}
}

export interface IdFormat {
	/** The parameter's name as the user sees it, for the error message. */
	label: string;
	pattern: RegExp;
	example: string;
}

export const INCIDENT_ID: IdFormat = { label: 'Incident ID', pattern: /^\d{1,19}$/, example: '2972395' };
export const ALERT_ID: IdFormat = {
	label: 'Alert ID',
	pattern: /^[A-Za-z0-9][A-Za-z0-9_\-.]{0,199}$/,
	example: 'da637551227677560813_-961444813',
};

export function validateId(value: unknown, format: IdFormat): string {
	const id = String(value ?? '').trim();
	if (!format.pattern.test(id)) {
		const shown = id.length > 60 ? `${id.slice(0, 60)}…` : id;
		throw new InvalidPathValueError(
			format.label,
			`${format.label} "${shown}" is not valid. Expected something like ${format.example}.`,
		);
	}
	return id;
}

/** A path value together with the parameter the user filled it in, so that a refused value names that parameter. */
export interface NamedPathValue {
	readonly field: string;
	readonly value: unknown;
}

/** Marks a value interpolated into apiPath with the display name of the parameter it comes from. */
export function fromField(field: string, value: unknown): NamedPathValue {
	return { field, value };
}

function isNamed(value: unknown): value is NamedPathValue {
	return typeof value === 'object' && value !== null && 'field' in value && 'value' in value;
}

/**
 * Tagged template for API paths: every interpolated value becomes exactly one encoded path
 * segment, so an id can never add segments, a query or a fragment. A value given as
 * fromField(field, value) is reported under that field when it cannot be a segment.
 */
export function apiPath(strings: TemplateStringsArray, ...values: unknown[]): string {
	return strings.reduce((path, literal, index) => {
		if (index === 0) return literal;
		const raw = values[index - 1];
		const named = isNamed(raw);
		const segment = String(named ? raw.value : raw);
		if (segment === '' || segment === '.' || segment === '..') {
			if (named) throw new InvalidPathValueError(raw.field, `${raw.field} "${segment}" cannot be used: it is empty or only dots.`);
			throw new InvalidPathValueError('id', `"${segment}" cannot be used as an id.`);
		}
		return path + encodeURIComponent(segment) + literal;
	}, '');
}
